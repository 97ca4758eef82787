"""``mkreport init``: a commented starter file, written from the schema.

Every key of the format appears, empty or 0, with the schema's own Chinese
description as its comment, so the starter, the validator and the editor's
hints say the same thing. With last year's report, identity, contact details
and the figures carried over are filled in.
"""

from __future__ import annotations

import json
import re
from typing import Any

from generator.checks import crossyear
from generator.formats import Format
from generator.model import Report
from generator.reading import schema as S
from generator.reading.source import plain_value

INDENT = "  "
SKIP = {S.FORMAT, S.LABELS, S.OPENING, S.VARIANT}  # rarely needed; documented in the README


def _resolve(schema: dict, root: dict) -> dict:
    ref = schema.get("$ref")
    if ref:
        return root["definitions"][ref.rsplit("/", 1)[1]]
    return schema


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return " " + yaml_text(value)
    return f" {value}"


# Plain (unquoted) only when nothing in it could mean anything to YAML or to
# another YAML reader: no indicator first, no 「: 」 or 「 #」, no line breaks.
_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`0-9+.][^\n\r\t]*")
_WORDS = {"yes", "no", "y", "n", "true", "false", "on", "off", "null", "~"}
# Not printable in a YAML stream, or a line break to YAML 1.1 readers.
_ESCAPE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")


def yaml_text(text: str) -> str:
    """A string as a YAML scalar that reads back as exactly this string."""
    if (_PLAIN.fullmatch(text) and text == text.strip() and ": " not in text and " #" not in text
            and not text.endswith(":") and text.lower() not in _WORDS
            and isinstance(plain_value(text), str) and not _ESCAPE.search(text)):
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    return _ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def comment(text: str) -> str:
    """Text for a comment line: a line break in it would end the comment."""
    return " ".join(_ESCAPE.sub(" ", text).split())


def _emit(schema: dict, root: dict, path: tuple, depth: int, values: dict, lines: list[str]) -> None:
    for key, sub in schema.get("properties", {}).items():
        if not path and key in SKIP:
            continue
        sub = _resolve(sub, root)
        kind = sub.get("x-kind", "")
        if kind == "computed":
            continue
        pad = INDENT * depth
        description = sub.get("description", "")
        here = (*path, key)
        if "properties" in sub:
            if depth == 0:
                lines.append("")
            lines.append(f"{pad}# {description}")
            lines.append(f"{pad}{key}:")
            _emit(sub, root, here, depth + 1, values, lines)
        elif kind == "bullets":
            lines.append(f"{pad}# {description}")
            lines.append(f"{pad}{key}:")
            lines.append(f"{pad}{INDENT}# - 在这里写第一段")
        elif kind == "headed":
            lines.append(f"{pad}# {description}")
            lines.append(f"{pad}{key}:")
            lines.append(f"{pad}{INDENT}# - 第一个小标题:")
            lines.append(f"{pad}{INDENT}#     - 这个小标题下的第一段")
            lines.append(f"{pad}{INDENT}#     - 第二段")
        elif sub.get("x-default-computed"):
            lines.append(f"{pad}{key}:  # {description}")
        elif kind in ("count", "signed", "amount", "count-noted"):
            lines.append(f"{pad}{key}:{_scalar(values.get(here, 0))}  # {description}")
        else:
            if depth == 0:
                lines.append(f"# {description}")
                lines.append(f"{key}:{_scalar(values.get(here))}")
            else:
                lines.append(f"{pad}{key}:{_scalar(values.get(here))}  # {description}")


def prefill(fmt: Format, previous: Report, previous_path: str) -> dict[tuple, Any]:
    """Values taken over from last year's report, by key path."""
    values: dict[tuple, Any] = {(S.AGENCY,): previous.agency, (S.PREVIOUS,): previous_path}
    if previous.compiler:
        values[(S.COMPILER,)] = previous.compiler
    contact = previous.contact
    for key, value in zip(S.CONTACT_FIELDS, (contact.office, contact.address, contact.postcode,
                                             contact.phone, contact.email)):
        if value:
            values[(S.CONTACT, key)] = value
    if previous.portal_name:
        values[(S.PORTAL, "名称")] = previous.portal_name
    if previous.portal_url:
        values[(S.PORTAL, "网址")] = previous.portal_url
    carried_in = fmt.row_with_role("carried_in")[0][-1]
    for applicant, count in crossyear.carried_over(previous).items():
        values[(fmt.section_key("requests"), applicant, carried_in)] = count
    proactive = fmt.section_key("proactive")
    in_force, prior, change = (previous.fmt.column_key(r) for r in ("in_force", "prior_items", "change"))
    for (row, column), cell in previous.proactive.items():
        if column == in_force and fmt.column_key("in_force") == column:
            values[(proactive, row, column)] = cell.value  # the base: add this year's, subtract repeals
        if column == prior and fmt.column_key("prior_items") == column and (row, change) in previous.proactive:
            values[(proactive, row, column)] = cell.value + previous.proactive[(row, change)].value
    return values


def starter(fmt: Format, year: int, schema_ref: str, values: dict[tuple, Any] | None = None,
            preamble: list[str] | None = None) -> str:
    values = dict(values or {})
    values[(S.YEAR,)] = year
    root = S.format_schema(fmt)
    lines = [
        f"# yaml-language-server: $schema={schema_ref}",
        f"# {year} 年度政府信息公开工作年度报告（{fmt.name}）",
        "# 填写方法：冒号后加一个空格再写内容；没有的数字保持 0；所有总计都由程序计算，不要填写。",
        "# 写好后运行：mkreport check 本文件   检查；mkreport 本文件 -o 报告.docx   生成报告。",
        *(f"# {comment(line)}" if line else "#" for line in preamble or []),
    ]
    _emit(root, root, (), 0, values, lines)
    return "\n".join(lines) + "\n"
