"""Recognised data as a commented YAML input file that reads back to the same values."""

from __future__ import annotations

from typing import Any

from generator.reading.starter import comment, emit_value


def dump(data: dict[str, Any], header: list[str]) -> str:
    lines = ["# yaml-language-server: $schema=report.schema.json"]
    lines += [f"# {comment(line)}" if line else "#" for line in header]
    for key, value in data.items():
        emit_value(key, value, 0, lines)
    return "\n".join(_empty_headings(lines)) + "\n"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _empty_headings(lines: list[str]) -> list[str]:
    """A sub-heading with no paragraphs of its own (the applications sentence goes
    under it) as 「- 小标题: []」: written 「- 小标题:」 it would read as a blank one.
    A sub-heading's line is the only list item that ends in a colon (a paragraph that
    does is quoted)."""
    out = []
    for k, line in enumerate(lines):
        if line.lstrip(" ").startswith("- ") and line.endswith(":") and not line.startswith("#") \
                and (k + 1 == len(lines) or _indent(lines[k + 1]) <= _indent(line)):
            line += " []"
        out.append(line)
    return out
