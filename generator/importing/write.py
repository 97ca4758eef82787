"""Recognised data as a commented YAML input file that reads back to the same values."""

from __future__ import annotations

from typing import Any

from generator.reading.starter import comment, emit_value


def dump(data: dict[str, Any], header: list[str]) -> str:
    lines = ["# yaml-language-server: $schema=report.schema.json"]
    lines += [f"# {comment(line)}" if line else "#" for line in header]
    for key, value in data.items():
        emit_value(key, value, 0, lines)
    return "\n".join(lines) + "\n"
