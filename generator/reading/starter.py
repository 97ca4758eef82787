"""``mkreport init``: a commented starter file, written from the schema.

Every key of the format appears, empty or 0, with the schema's own Chinese
description as its comment, so the starter, the validator and the editor's
hints say the same thing. With last year's report, identity, contact details
and the figures carried over are filled in.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from generator.checks import crossyear
from generator.formats import Format
from generator.model import Report
from generator.reading import schema as S
from generator.reading.source import plain_value

INDENT = "  "
SKIP = {S.FORMAT, S.LABELS, S.OPENING, S.VARIANT, S.TITLE, S.CHAPTERS, S.HEADING_FACE}  # rarely needed; in the README


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
            and isinstance(plain_value(text), str) and not _ESCAPE.search(text)
            and not _looks_like_key(text)):
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    return _ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def _looks_like_key(text: str) -> bool:
    """Whether a line starting with this text would be taken for a known key with a
    mistyped colon (「依申请公开：主要做法」 as a list item), which the reader mends
    into a key: such a text is quoted."""
    cut = min((i for i in (text.find(":"), text.find("：")) if i >= 0), default=-1)
    return cut > 0 and text[:cut].strip() in S.known_keys()


def comment(text: str) -> str:
    """Text for a comment line: a line break in it would end the comment."""
    return " ".join(_ESCAPE.sub(" ", text).split())


def _emit(schema: dict, root: dict, path: tuple, depth: int, values: dict, lines: list[str],
          extra: dict[tuple, list] | None = None) -> None:
    if extra is None:  # the values by the path of their parent, found once
        extra = {}
        for here, value in values.items():
            extra.setdefault(here[:-1], []).append((here[-1], value))
    for key, sub in schema.get("properties", {}).items():
        here = (*path, key)
        if not path and key in SKIP and here not in values:
            continue
        sub = S.deref(sub, root)
        kind = sub.get("x-kind", "")
        if kind == "computed":
            continue
        pad = INDENT * depth
        description = sub.get("description", "")
        value = values.get(here)
        if "properties" in sub:
            if depth == 0:
                lines.append("")
            lines.append(f"{pad}# {description}")
            if here in values:  # not sub-keys but a value (a paragraph, a list): kept as written
                write_value(key, value, depth, lines)
                continue
            lines.append(f"{pad}{key}:")
            _emit(sub, root, here, depth + 1, values, lines, extra)
        elif kind in ("bullets", "headed", "chapter") or sub.get("type") == "object":
            lines.append(f"{pad}# {description}")
            if value is not None:
                write_value(key, value, depth, lines)
            elif kind in ("bullets", "chapter"):
                lines += [f"{pad}{key}:", f"{pad}{INDENT}# - 在这里写第一段"]
            elif kind == "headed":
                lines += [f"{pad}{key}:", f"{pad}{INDENT}# - 第一个小标题:",
                          f"{pad}{INDENT}#     - 这个小标题下的第一段", f"{pad}{INDENT}#     - 第二段"]
        elif sub.get("x-default-computed"):
            write_value(key, value, depth, lines, f"  # {description}", figure=True)
        elif kind == "count-noted" and isinstance(value, dict) and value:  # 数量 with its 备注
            lines.append(f"{pad}{key}:  # {description}")
            for sub_key, item in value.items():
                write_value(sub_key, item, depth + 1, lines, figure=sub_key == S.AMOUNT_KEY)
        elif kind in ("count", "signed", "amount", "count-noted") or sub.get("x-cell"):
            write_value(key, values.get(here, 0), depth, lines, f"  # {description}", figure=True)
        elif depth == 0:
            lines.append(f"# {description}")
            write_value(key, value, depth, lines)
        else:
            write_value(key, value, depth, lines, f"  # {description}")
    # Keys the schema does not know (a typing slip in a hand-written file) are kept
    # as written, for the check to report; nothing is dropped on the way.
    known = schema.get("properties", {})
    for key, value in extra.get(path, ()):
        if key not in known:
            write_value(key, value, depth, lines)


def write_value(key: Any, value: Any, depth: int, lines: list[str], note: str = "", figure: bool = False) -> None:
    """Any value under its key, so that it reads back exactly as given: text and
    figures on the key's line, mappings and lists (of anything) as indented blocks.
    ``figure``: a text of digits is written plain, as typed into a figure cell."""
    pad = INDENT * depth
    name = yaml_text(str(key))
    if isinstance(value, dict) and value:
        lines.append(f"{pad}{name}:{note}")
        for sub, item in value.items():
            write_value(sub, item, depth + 1, lines)
    elif isinstance(value, list) and value:
        lines.append(f"{pad}{name}:{note}")
        _items(value, depth + 1, lines)
    else:
        lines.append(f"{pad}{name}:{_inline(value, figure)}{note}")


def _items(items: list, depth: int, lines: list[str]) -> None:
    pad = INDENT * depth
    for item in items:
        if isinstance(item, (dict, list)) and item:
            # The item's block written at the left margin, then set after its 「- 」.
            block: list[str] = []
            if isinstance(item, dict):
                for sub, value in item.items():
                    write_value(sub, value, 0, block)
            else:
                _items(item, 0, block)
            lines.append(f"{pad}- {block[0]}")
            lines += [f"{pad}{INDENT}{line}" for line in block[1:]]
        else:
            lines.append(f"{pad}-{_inline(item)}")


def _inline(value: Any, figure: bool = False) -> str:
    """A value on its key's line (with the space after the colon), or nothing."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return " {}"  # only empty ones come here
    if isinstance(value, list):
        return " []"
    if isinstance(value, bool):
        return " " + yaml_text(str(value))
    if isinstance(value, str) and not figure:
        return " " + yaml_text(value)
    return _figure(value)  # a figure left empty is written blank: 「还没有填写」


# A figure as typed: digits (and what a slip makes of them: 010, 1:30, 1e3) are
# written plain, so that the check reads them exactly as from a hand-written file.
_FIGURE = re.compile(r"[-+]?[0-9][0-9A-Za-z_.:]*")


def _figure(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        plain = _FIGURE.fullmatch(value) and not value.endswith(":")  # 「5:」 would start a mapping
        return " " + (value if plain else yaml_text(value))
    if isinstance(value, Decimal):
        return " " + format(value, "f")
    return f" {value}"


def emit_value(key: str, value: Any, depth: int, lines: list[str]) -> None:
    """Any value under its key, in block style: lists of paragraphs, sub-headings
    with their paragraphs, mappings."""
    pad = INDENT * depth
    if isinstance(value, (dict, list)) and not value:
        lines.append(f"{pad}{yaml_text(str(key))}: {'{}' if isinstance(value, dict) else '[]'}")
    elif isinstance(value, dict):
        lines.append(f"{pad}{yaml_text(str(key))}:")
        for sub, item in value.items():
            emit_value(sub, item, depth + 1, lines)
    elif isinstance(value, list):
        lines.append(f"{pad}{yaml_text(str(key))}:")
        for item in value:
            if isinstance(item, dict):  # an own sub-heading: heading → paragraphs
                for heading, texts in item.items():
                    texts = texts if isinstance(texts, list) else [texts]
                    lines.append(f"{pad}{INDENT}- {yaml_text(str(heading))}:")
                    lines += [f"{pad}{INDENT}{INDENT}  - {_figure(t).strip() if not isinstance(t, str) else yaml_text(t)}"
                              for t in texts]
            else:
                lines.append(f"{pad}{INDENT}- {yaml_text(item) if isinstance(item, str) else _figure(item).strip()}")
    else:
        text = _figure(value) if not isinstance(value, str) else " " + yaml_text(value)
        lines.append(f"{pad}{yaml_text(str(key))}:{text if value != '' else ''}")


def flatten(schema: dict, root: dict, data: dict, path: tuple = ()) -> dict[tuple, Any]:
    """Input data as values by key path, down to the schema's leaves."""
    out: dict[tuple, Any] = {}
    props = schema.get("properties", {})
    for key, value in data.items():
        sub = S.deref(props[key], root) if key in props else {}
        if "properties" in sub and isinstance(value, dict):
            out.update(flatten(sub, root, value, (*path, key)))
        else:
            out[(*path, key)] = value
    return out


def filled(fmt: Format, data: dict, schema_ref: str) -> str:
    """The data in the layout ``init`` writes: every key with its comment, in the
    schema's order, values as given; what the schema does not know is kept."""
    root = S.format_schema(fmt)
    year = data.get(S.YEAR)
    lines = [
        f"# yaml-language-server: $schema={schema_ref}",
        f"# {comment(str(year))} 年度政府信息公开工作年度报告（{fmt.name}）",
        "# 填写方法：冒号后加一个空格再写内容；没有的数字保持 0；所有总计都由程序计算，不要填写。",
        "# 写好后运行：mkreport check 本文件   检查；mkreport 本文件 -o 报告.docx   生成报告。",
    ]
    _emit(root, root, (), 0, flatten(root, root, data), lines)
    return "\n".join(lines) + "\n"


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
    # How the office prints its report carries over: chapters, title form, sub-heading style.
    if previous.fmt.chapter_order and previous.fmt.source == previous.fmt.id:
        values[(S.CHAPTERS,)] = [c.key for c in previous.fmt.chapter_order]
    if previous.title:
        year = str(previous.year + 1)
        values[(S.TITLE,)] = [line.replace(f"{previous.year}年", f"{year}年") for line in previous.title]
    style = {(True, True): S.RUN_IN, (True, False): S.RUN_IN_UNNUMBERED, (False, False): S.UNNUMBERED}
    if (previous.run_in, previous.numbered) in style:
        values[(S.HEADING_STYLE,)] = style[(previous.run_in, previous.numbered)]
    if previous.bold_headings:
        values[(S.HEADING_FACE,)] = S.BOLD
    if previous.summary_off:
        values[(fmt.section_key("overview"), S.SUMMARY)] = S.SUMMARY_OFF
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
