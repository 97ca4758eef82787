"""The page's form, derived from the same schema and table grids that check and print.

The form is a tree of fields; each field carries the key path of the input file
it edits, so what the page sends back is the input data itself, and every
problem the check reports (located by key path) finds its field. The three
tables are the grids the renderers print, with each figure cell's key path.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from generator import model
from generator.formats import Format, cn_number
from generator.reading import schema as S
from generator.reading.source import Source
from generator.rendering import layout

TABLES = ("proactive", "requests", "appeals")
# Rarely needed keys that the form keeps but does not offer (documented in the README).
KEPT = {S.FORMAT, S.LABELS, S.VARIANT, S.CHAPTERS}


@dataclass
class Field:
    kind: str  # text, date, year, figure, previous, bullets, headed, group, table
    path: tuple = ()
    label: str = ""
    help: str = ""
    children: list[Field] = field(default_factory=list)
    grid: layout.Grid | None = None
    columns: list[tuple[int, tuple]] = field(default_factory=list)  # table 三: message cells


# Hints written for a YAML file, as a form says them. The check is the same; only
# the way to act on it differs on a page.
_FORM_HINTS = (
    ("在冒号后面填上内容", "请填写"),
    ("写上数字（没有就写 0），或者删去这一行", "填上数字，没有就填 0"),
    ("；没有统计时删去这一行", "；没有统计时清空这一格"),
    ("也可以删去「结转下年度」这一行，由程序计算", "也可以清空这一格，由程序计算"),
)


def form_hint(hint: str, message: str = "") -> str:
    if not hint and ("实际填的是列表" in message or "实际填的是下一级" in message):
        # The page shows the value read-only where it stands (a form has no field for it).
        return "页面上在这里列出了原来的内容：需要时把它复制到应填的位置，再点「删除这项内容」"
    for yaml_words, form_words in _FORM_HINTS:
        hint = hint.replace(yaml_words, form_words)
    return hint


# Fields whose description speaks of the file, said as the page works.
PREVIOUS_HELP = ("上一年度的报告（Word、PDF、网页或 YAML 文件），用来核对上年结转等数字。点「选择上年报告」选出这个文件，"
                 "程序把它复制到本文件所在的文件夹（名为「上年报告-原文件名」）并在这里填上它的名称")
DATE_HELP = "填写后在文末右下角落款机关名称和日期"


def _help(description: str) -> str:
    """A key's description without how to write a list in YAML: the form has buttons."""
    for cut in ("。每条一段", "。每项写成"):
        description = description.split(cut)[0]
    return description


def date_example(year: int) -> str:
    """The 发布日期 a report of ``year`` would have: before the end of January after it."""
    return f"{year + 1}-01-20"


def _fields(node: dict, root: dict, path: tuple) -> list[Field]:
    out = []
    for key, sub in node.get("properties", {}).items():
        if not path and key in KEPT:
            continue
        sub = S.deref(sub, root)
        kind = sub.get("x-kind", "")
        here = (*path, key)
        help_text = _help(sub.get("description", ""))
        if kind == "computed":
            continue
        if "properties" in sub:
            out.append(Field("group", here, key, help_text, _fields(sub, root, here)))
        elif kind in ("bullets", "headed"):
            out.append(Field(kind, here, key, help_text))
        elif kind == "chapter":
            # An own chapter as paragraphs; written with 概述 and 小标题 it is kept as written.
            out.append(Field("bullets", here, key, help_text))
        elif S.is_figure(sub):
            out.append(Field("figure", here, key, help_text))
        elif key == S.YEAR:
            out.append(Field("year", here, key, help_text))
        elif kind == "date":
            out.append(Field("date", here, key, DATE_HELP))
        elif here == (S.PREVIOUS,):
            out.append(Field("previous", here, key, PREVIOUS_HELP))
        else:
            out.append(Field("text", here, key, help_text))
    return out


def zero_report(fmt: Format, year: int, tables: dict | None = None) -> model.Report:
    """A report with only the given tables (every other figure 0): the tables'
    shape, or their totals while something else in the input is wrong."""
    return model.build(fmt, {S.AGENCY: "", S.YEAR: year, **(tables or {})})[0]


def grids(report: model.Report) -> dict[str, layout.Grid]:
    return {"proactive": layout.proactive_grid(report), "requests": layout.requests_grid(report),
            "appeals": layout.appeals_grid(report)}


def form(fmt: Format, year: int, data: dict | None = None) -> list[Field]:
    """The whole form: identity and contact fields, then the six sections in order,
    the tables as their printed grids."""
    root = S.format_schema(fmt)
    tables = {fmt.section_key(name): name for name in TABLES}
    # Numbered as printed (a chapter left empty is not printed: the check says so).
    titles = {c.key: f"{cn_number(n)}、{c.label}" for n, c in enumerate(fmt.chapters, start=1)}
    shapes = grids(zero_report(fmt, year))
    out = []
    for item in _fields(root, root, ()):
        if item.path[0] in titles:
            item.label = titles[item.path[0]]
        if item.path[0] in tables:
            item.kind, item.children = "table", []
            item.grid = shapes[tables[item.path[0]]]
            if tables[item.path[0]] == "requests":
                item.columns = _message_columns(fmt, item.grid)
        out.append(item)
    # An own chapter written with 概述 and 小标题 is edited as those two, like 一.
    structured = _structured_chapters(fmt, data or {})
    for item in out:
        if item.path[0] in structured:
            key = item.path[0]
            item.kind, item.children = "group", [
                Field("bullets", (key, S.INTRO), S.INTRO, "这一部分开头的段落"),
                Field("headed", (key, S.OWN), S.OWN, "这一部分的小标题，依次编号"),
            ]
    # The chapters in the order they are printed (章节 may put the office's own first).
    order = {c.key: i for i, c in enumerate(fmt.chapters)}
    slots = [i for i, item in enumerate(out) if item.path[0] in order]
    for i, item in zip(slots, sorted((out[i] for i in slots), key=lambda f: order[f.path[0]])):
        out[i] = item
    return out


def _message_columns(fmt: Format, grid: layout.Grid) -> list[tuple[int, tuple]]:
    """Table 三's applicant columns with their key paths, for a row of messages
    under the table: a column that does not balance is told where it stands."""
    section = fmt.section_key("requests")
    first = fmt.request_rows.depth()
    return [(first + i, (section, leaf.key)) for i, (_, leaf) in enumerate(fmt.applicants.leaves())]


def segments(text: str) -> list[str]:
    """A short column header in pieces between which a narrow column may break it: a run
    of Chinese characters two at a time (three first when the run is odd), as the
    printed form wraps 「社会/公益/组织」「复议后/起诉」; punctuation stays with its
    neighbour. The page joins them with <wbr> and breaks nowhere else, so no
    header falls into lone characters (「商业企/业」)."""
    out: list[str] = []
    run = ""

    def flush() -> None:
        nonlocal run
        if len(run) <= 3:
            pieces = [run] if run else []
        else:
            first = 3 if len(run) % 2 else 2
            pieces = [run[:first]] + [run[i:i + 2] for i in range(first, len(run), 2)]
        out.extend(pieces)
        run = ""

    for ch in text:
        if unicodedata.category(ch) in ("Lo", "Nd"):
            run += ch
            continue
        flush()
        if ch in "（(「“" or not out:  # an opening mark starts a piece; others join the last one
            out.append(ch)
        else:
            out[-1] += ch
    flush()
    # An opening mark alone starts the next piece: 「（单位：万元）」 breaks before it, never after it.
    merged: list[str] = []
    for piece in out:
        if merged and merged[-1] and merged[-1][-1] in "（(「“":
            merged[-1] += piece
        else:
            merged.append(piece)
    return merged


def cell_place(fmt: Format, path: tuple | list) -> str | None:
    """Where a figure of the three tables stands, in the words of the page's
    grid: 「自然人」列的「本年新收」, 「规章」的「本年制发件数」. None for any
    other key."""
    tables = {fmt.section_key(name): name for name in TABLES}
    steps = [str(step) for step in path if step != "数量"]
    if len(steps) < 3 or steps[0] not in tables:
        return None
    if tables[steps[0]] == "requests":
        return f"「{steps[1]}」列的「{'·'.join(steps[2:])}」"
    return f"「{'·'.join(steps[1:-1])}」的「{steps[-1]}」"


def shown_message(fmt: Format, path: tuple | list, message: str) -> str:
    """The check's message as the form shows it: a figure of a table named by its
    column and row (「「自然人」列的「本年新收」还没有填写」, not 「「本年新收」还没有填写」,
    which every column of table 三 has)."""
    place = cell_place(fmt, path)
    if place is None or f"「{path[1]}」" in message:
        return message  # not a figure, or the message names its column already
    own = f"「{path[-1]}」"
    if message.startswith(own):
        return place + message[len(own):]
    return f"{place}：{message}"


def about_column(fmt: Format, path: tuple | list, message: str) -> bool:
    """Whether a problem of table 三 is about a whole applicant column (it does not
    balance), not about the one figure it is reported at: shown under the column."""
    steps = list(path)
    if len(steps) < 2 or steps[0] != fmt.section_key("requests"):
        return False
    return len(steps) == 2 or message.startswith(f"「{steps[1]}」列")


def signature(fmt: Format, data: dict) -> str:
    """What the form's shape depends on: the format, the variant file, 表头调整, the
    chapters and which of the office's own are written with 概述 and 小标题."""
    return json.dumps([fmt.id, fmt.name, data.get(S.VARIANT), data.get(S.FORMAT), data.get(S.LABELS),
                       data.get(S.CHAPTERS), sorted(_structured_chapters(fmt, data))],
                      ensure_ascii=False, sort_keys=True, default=str)


def _structured_chapters(fmt: Format, data: dict) -> set[str]:
    """The office's own chapters written as 「概述: …」「小标题: …」 rather than as paragraphs."""
    return {c.key for c in fmt.own_chapters if isinstance(data.get(c.key), dict)}


def cells(report: model.Report | None, tables: set[str] | None = None) -> dict[str, str]:
    """Every figure of the three tables (or of those named) as printed, by grid position."""
    if report is None:
        return {}
    return {f"{name}:{c.row}:{c.col}": c.text
            for name, grid in grids(report).items() if tables is None or name in tables
            for c in grid.cells if c.kind == layout.NUM}


def to_page(value: Any) -> Any:
    """Input data as JSON for the page: amounts as the text written."""
    if isinstance(value, dict):
        return {str(k): to_page(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_page(v) for v in value]
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def from_file(source: Source) -> dict:
    """A file's data for the page, every value as written: a key left empty is
    null (saved empty again), amounts are the text written, and a number written
    otherwise than it reads back (+5, -0) is that text."""

    def walk(value: Any, path: tuple) -> Any:
        if isinstance(value, dict):
            return {str(k): walk(v, (*path, k)) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, (*path, i)) for i, v in enumerate(value)]
        written = source.raw.get(path)
        if isinstance(value, Decimal):
            return written or format(value, "f")
        if isinstance(value, int) and written is not None and written != str(value):
            return written
        return value

    return walk(source.data, ())
