"""Recognised data as a commented YAML input file that reads back to the same values."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from generator.reading.starter import comment, yaml_text

INDENT = "  "


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return yaml_text(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _emit(value: Any, depth: int, lines: list[str]) -> None:
    pad = INDENT * depth
    if isinstance(value, dict):
        for key, item in value.items():
            name = yaml_text(str(key))
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{pad}{name}:")
                _emit(item, depth + 1, lines)
            else:
                lines.append(f"{pad}{name}: {_scalar(item)}")
    else:
        for item in value:
            if isinstance(item, dict):  # an own sub-heading: heading → paragraphs
                for heading, texts in item.items():
                    lines.append(f"{pad}- {yaml_text(str(heading))}:")
                    for text in texts:
                        lines.append(f"{pad}{INDENT}  - {_scalar(text)}")
            else:
                lines.append(f"{pad}- {_scalar(item)}")


def dump(data: dict[str, Any], header: list[str]) -> str:
    lines = ["# yaml-language-server: $schema=report.schema.json"]
    lines += [f"# {comment(line)}" if line else "#" for line in header]
    _emit(data, 0, lines)
    return "\n".join(lines) + "\n"
