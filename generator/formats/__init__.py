"""The official report formats, defined as data.

Each format lives in one YAML file beside this module (``gov2019.yaml``,
``gov2021.yaml``). The validator, the JSON Schema, the model, the docx and the
HTML renderers all read the :class:`Format` built here, so a label or a merged
cell is written exactly once. A locality's wording variant is a small file that
``extends`` an official format and overrides ``labels``.
"""

from __future__ import annotations

import copy
import dataclasses
import difflib
import functools
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.errors import FormatError, Problem, ReadError
from generator.reading.source import Source, format_path, short

HERE = Path(__file__).parent
_SAFE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
OFFICIAL = {"2019": HERE / "gov2019.yaml", "2021": HERE / "gov2021.yaml"}

# Value kinds of a table cell: what the clerk may type and how it prints.
COUNT, SIGNED, AMOUNT, TEXT = "count", "signed", "amount", "text"


@dataclass(frozen=True)
class Node:
    """A row or column of an official table; groups have children."""

    key: str
    label: str
    children: tuple[Node, ...] = ()
    total: bool = False
    role: str | None = None
    type: str = COUNT

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def leaves(self) -> Iterator[tuple[tuple[str, ...], Node]]:
        """Yield (key path below this node, leaf) in printed order."""
        for child in self.children:
            if child.is_leaf:
                yield (child.key,), child
            else:
                for path, leaf in child.leaves():
                    yield (child.key, *path), leaf

    def depth(self) -> int:
        """Levels below this node (a leaf has depth 0)."""
        return 0 if self.is_leaf else 1 + max(c.depth() for c in self.children)

    def width(self) -> int:
        """Number of leaves below this node (a leaf counts as 1)."""
        return 1 if self.is_leaf else sum(c.width() for c in self.children)

    def child(self, key: str) -> Node | None:
        return next((c for c in self.children if c.key == key), None)


@dataclass(frozen=True)
class Block:
    """One block of table 二: a header row, column labels, and item rows."""

    header: str  # as printed
    columns: tuple[Node, ...]
    rows: tuple[str, ...]  # input keys
    key: str = ""  # the official caption, used in label paths
    row_labels: tuple[tuple[str, str], ...] = ()

    def row_label(self, row: str) -> str:
        return dict(self.row_labels).get(row, row)


@dataclass(frozen=True)
class Chapter:
    """A chapter of the report, printed 「一、」「二、」… in order.

    ``name`` is an official section's name (overview … other), or "" for a
    narrative chapter of the office's own, whose input key is its title.
    """

    name: str
    key: str
    label: str

    @property
    def own(self) -> bool:
        return not self.name


@dataclass(frozen=True)
class Format:
    id: str
    name: str
    first_year: int
    last_year: int | None
    fee_statement: bool
    aspects_required: bool
    sections: dict[str, str]  # printed headings, number included
    overview_aspects: tuple[Node, ...]
    requests_summary_aspect: str
    problem_parts: tuple[Node, ...]
    content_label: str
    blocks: tuple[Block, ...]
    corner: str
    columns_header: str
    applicants: Node
    request_rows: Node
    appeals: Node
    section_keys: dict[str, str] = field(default_factory=dict)  # the YAML key of each section
    other_parts: tuple[Node, ...] = ()  # usual sub-headings of 六, offered as keys
    fee_heading: str = "信息处理费收取情况"
    base: str = field(default="", compare=False)  # the official format it rests on, if known
    source: str = field(default="", compare=False)
    # The chapters in print order; empty: the six official sections in their order.
    chapter_order: tuple[Chapter, ...] = ()
    # The title's lines with {机关名称} and {年度} to fill; empty: templates/text.j2 writes it.
    title: tuple[str, ...] = ()

    @property
    def chapters(self) -> tuple[Chapter, ...]:
        """Official chapters carry their current titles (labels may change them)."""
        order = self.chapter_order or tuple(Chapter(name, "", "") for name in self.sections)
        return tuple(c if c.own else Chapter(c.name, self.section_keys[c.name], self.section_title(c.name))
                     for c in order)

    @property
    def own_chapters(self) -> tuple[Chapter, ...]:
        return tuple(c for c in self.chapters if c.own)

    def section_key(self, name: str) -> str:
        """The YAML key of a section: its official heading without the number."""
        return self.section_keys[name]

    def section_title(self, name: str) -> str:
        """A section's printed heading without its number."""
        return self.sections[name].split("、", 1)[-1]

    def covers(self, year: int) -> bool:
        return year >= self.first_year and (self.last_year is None or year <= self.last_year)

    def row_with_role(self, role: str) -> tuple[tuple[str, ...], Node]:
        for path, leaf in self.request_rows.leaves():
            if leaf.role == role:
                return path, leaf
        raise KeyError(role)

    def handled_total(self) -> tuple[tuple[str, ...], Node]:
        """The （七）总计 row: the total leaf among the result rows."""
        for path, leaf in self.request_rows.leaves():
            if leaf.total:
                return path, leaf
        raise KeyError("total")

    def column_key(self, role: str) -> str | None:
        """The table 二 column key playing ``role`` (in_force, change …), if any."""
        return next((c.key for b in self.blocks for c in b.columns if c.role == role), None)

    def total_applicant(self) -> str:
        """The key of table 三's 总计 column."""
        return next(leaf.key for _, leaf in self.applicants.leaves() if leaf.total)

    def appeals_group(self, role: str) -> Node:
        """The table 四 group playing ``role`` (reviews or lawsuits)."""
        return next(c for c in self.appeals.children if c.role == role)

    def result_group(self) -> Node:
        """The 「三、本年度办理结果」 group: the one group among the rows."""
        return next(c for c in self.request_rows.children if not c.is_leaf)


def _flag(value: Any) -> bool:
    """A yes/no setting: true in our own files, the text "true" in a variant file."""
    return value is True or value == "true"


_NULLS = ("null", "~")  # how a variant file writes "no last year"


def _year(value: Any) -> int | None:
    return None if value is None or value in _NULLS else int(value)


def _node(raw: Any) -> Node:
    if isinstance(raw, str):
        return Node(key=raw, label=raw)
    children = tuple(_node(c) for c in raw.get("children") or ())
    return Node(
        key=str(raw["key"]),
        label=str(raw.get("label", raw["key"])),
        children=children,
        total=_flag(raw.get("total", False)),
        role=raw.get("role"),
        type=raw.get("type", COUNT),
    )


def _root(children: list[Any], key: str = "") -> Node:
    return Node(key=key, label=key, children=tuple(_node(c) for c in children))


def _tree_roots(raw: dict) -> dict[str, list]:
    """Where a path's first segment points, in the raw data."""
    keys = {name: entry["key"] for name, entry in raw["sections"].items()}
    return {
        "表三": raw["requests"]["rows"],
        "表三表头": raw["requests"]["columns"],
        "表四": raw["appeals"]["columns"],
        keys["overview"]: raw["overview_aspects"],
        keys["problems"]: raw["problem_parts"],
        keys["other"]: raw.setdefault("other_parts", []),
    }


# Labels that are single strings in the format data, by their label path.
_SINGLE = {
    "表二/信息内容": ("proactive", "content_label"),
    "表三/勾稽关系说明": ("requests", "corner"),
    "表三表头/申请人情况": ("requests", "columns_header"),
}
SECTIONS_ROOT = "章节"
FEE_PATH = "信息处理费"


def _find(items: list, rest: str, path: str) -> tuple[list, int]:
    """Locate a node by key path in a raw tree; returns (its list, index).

    Keys may hold a slash themselves (「本年增/减」), so each level takes the
    longest key that the rest of the path starts with.
    """
    candidates = []
    for i, item in enumerate(items):
        key = item if isinstance(item, str) else str(item.get("key", item.get("header")))
        if rest == key or rest.startswith(key + "/"):
            candidates.append((len(key), i, item, key))
    for _, i, item, key in sorted(candidates, key=lambda c: c[0], reverse=True):
        if rest == key:
            return items, i
        if isinstance(item, str):
            continue
        below = rest[len(key) + 1:]
        subs = [item.get("columns", []), item["rows"]] if "rows" in item else [item.get("children") or []]
        for sub in subs:  # a table 二 block: its columns, then its rows
            try:
                return _find(sub, below, path)
            except FormatError:
                continue
    raise FormatError(f"格式定义中找不到「{path}」")


def _raw_items(raw: dict, path: str) -> tuple[list, int]:
    first, _, rest = path.partition("/")
    if first == "表二":
        return _find(raw["proactive"]["blocks"], rest, path)
    roots = _tree_roots(raw)
    if first not in roots or not rest:
        raise FormatError(f"格式定义中找不到「{path}」")
    return _find(roots[first], rest, path)


_NUMERALS = frozenset("一二三四五六七八九十0123456789")


def _split_heading(text: str) -> tuple[str, str]:
    """A section heading as (its number with 「、」, its title): 「五、」「存在的问题」.

    Only a numeral before the first 「、」 is a number: in 「行政复议、行政诉讼情况」
    the 「、」 belongs to the title.
    """
    head, sep, title = text.partition("、")
    if sep and head and len(head) <= 4 and all(ch in _NUMERALS for ch in head):
        return head + sep, title
    return "", text


def _normalize(raw: dict) -> dict:
    """Sections as {key, number, label}: the label can change, the key cannot."""
    if "sections" not in raw:
        return raw
    sections = {}
    for name, entry in raw["sections"].items():
        if isinstance(entry, str):
            number, title = _split_heading(entry)
            entry = {"key": title, "number": number, "label": title}
        elif isinstance(entry, dict):
            entry = {"number": "", **entry}
        sections[name] = entry
    raw["sections"] = sections
    return raw


def apply_labels(raw: dict, labels: dict[str, str]) -> None:
    """Override printed wording by key path, e.g. a province's fee header."""
    for path, label in labels.items():
        _apply_label(raw, path, str(label))


def _apply_label(raw: dict, path: str, label: str) -> None:
    first, _, rest = path.partition("/")
    if path in _SINGLE:
        part, name = _SINGLE[path]
        raw[part][name] = label
        return
    if first == SECTIONS_ROOT:
        entry = next((e for e in raw["sections"].values() if e["key"] == rest), None)
        if entry is None:
            raise FormatError(f"格式定义中找不到「{path}」")
        number = str(entry.get("number", ""))
        entry["label"] = label[len(number):] if number and label.startswith(number) else label
        return
    if rest == FEE_PATH and first == raw["sections"]["other"]["key"]:
        raw["fee_heading"] = label
        return
    items, i = _raw_items(raw, path)
    item = items[i]
    node = {"key": item} if isinstance(item, str) else dict(item)
    node["label"] = label
    items[i] = node


def _merge(base: dict, over: dict) -> dict:
    """A variant over its base: mappings merge key by key, anything else replaces.

    A section given as a plain heading keeps its official key, so the clerk's
    input does not change when a variant renames a section.
    """
    out = dict(base)
    for key, value in over.items():
        if key == "sections" and isinstance(value, dict):
            sections = {k: dict(v) for k, v in base.get("sections", {}).items()}
            for name, entry in value.items():
                if isinstance(entry, str) and name in sections:
                    number, title = _split_heading(entry)
                    sections[name]["label"] = title
                    if number:
                        sections[name]["number"] = number
                elif isinstance(entry, dict):
                    sections[name] = {"number": "", **sections.get(name, {}), **entry}
                else:
                    sections[name] = entry
            out[key] = sections
        elif isinstance(value, dict) and isinstance(base.get(key), dict):
            out[key] = _merge(base[key], value)
        else:
            out[key] = value
    return out


# ---------------------------------------------------------------------------
# Variant files: a province's own format, handed to every unit. Each file is
# checked on its own against a JSON Schema, then the merged format as a whole
# (the schema with every key required, and what a schema cannot say: the rows
# the arithmetic needs, once each). Every problem is named at its file, line
# and key, all in one message.

MAX_EXTENDS = 8  # variant files resting on one another; a province's rests on an official one
MAX_SHOWN = 30  # problems listed in one message

# What the code looks for, by role, with the official row or column playing it.
ROW_ROLES = {"received": "本年新收", "carried_in": "上年结转", "carried_out": "结转下年度",
             "unpaid_fee": "逾期未缴费"}
COLUMN_ROLES = {"issued": "本年制发件数", "repealed": "本年废止件数", "in_force": "现行有效件数",
                "prior_items": "上一年项目数量", "change": "本年增/减"}
APPEAL_ROLES = {"reviews": "行政复议", "lawsuits": "行政诉讼"}
TYPES = {COUNT: "件数", SIGNED: "增减数", AMOUNT: "金额", TEXT: "照原样印出的文字"}
SECTION_NAMES = ("overview", "proactive", "requests", "appeals", "problems", "other")
MAX_CHAPTERS = 20
CHAPTERS_HINT = ("官方的六部分写 overview、proactive、requests、appeals、problems、other（或它们在输入文件里的键，"
                 "如「总体情况」），每部分一次；本单位自己的部分写它的标题，不带编号")
TITLE_PLACES = ("{机关名称}", "{年度}")
TITLE_HINT = "如「{年度}年{机关名称}政府信息公开工作年度报告」；分两行时写成两项的列表"
EXTENDS_HINT = '应是 "2019"、"2021"，或另一个变体文件的路径（相对于本文件）'
LABELS_HINT = "完整路径可用 mkreport labels 查看"
NEEDED_HINT = "这一项是计算和核对必需的，不能删去；只改印出的文字请用 labels"

# (key path, message, hint): a problem before it is placed in a file.
_Found = tuple[tuple, str, str]


def _say(schema: dict, say: str, hint: str = "") -> dict:
    """``schema`` with what it expects in words (x-say), and a hint for any error."""
    out = {**schema, "x-say": say}
    if hint:
        out["x-hint"] = hint
    return out


_KEY = _say({"type": "string", "minLength": 1}, "文字", "这是输入文件里要写的名称；全是数字时请加引号")
_TEXT = _say({"type": ["string", "number"], "minLength": 1}, "文字")
_FLAG = _say({"enum": [True, False, "true", "false"]}, " true 或 false")
_YEAR = _say({"type": "integer", "minimum": 1900, "maximum": 9999}, "四位数的年份")


def _choice(options: dict[str, str]) -> dict:
    return _say({"enum": list(options)}, "以下之一：" + "、".join(options),
                "可以写：" + "；".join(f"{k}（{v}）" for k, v in options.items()))


def _list(item: dict, what: str, min_items: int = 1, max_items: int = 40) -> dict:
    return _say({"type": "array", "minItems": min_items, "maxItems": max_items, "items": item},
                f"以「- 」开头的列表（每项是{what}）")


def _mapping(props: dict, required: tuple[str, ...] = (), complete: bool = True) -> dict:
    schema: dict[str, Any] = {"type": "object", "properties": props, "additionalProperties": False}
    if required and complete:
        schema["required"] = list(required)
    return _say(schema, "「键: 值」（在下一行缩进写）")


def _node_schema(levels: int, roles: dict[str, str] | None = None, total: bool = False,
                 types: bool = False, width: int = 40) -> dict:
    """A row or column: its key, or {key, label, ...}; at most ``levels`` deep."""
    props = {"key": _KEY, "label": _TEXT}
    if roles:
        props["role"] = _choice(roles)
    if total:
        props["total"] = _FLAG
    if types:
        props["type"] = _choice(TYPES)
    if levels > 1:
        props["children"] = _list(_node_schema(levels - 1, roles, total, types, width), "下一级的一项",
                                  max_items=width)
    schema = {"type": ["string", "object"], "minLength": 1, "required": ["key"], "properties": props,
              "additionalProperties": False}
    return _say(schema, "一项：它的名称，或 {key: 名称, label: 印出的文字}")


def _section_schema(complete: bool) -> dict:
    entry = _mapping({"key": _KEY, "number": _say({"type": "string"}, "文字"), "label": _TEXT},
                     ("key", "number", "label"), complete)
    if not complete:  # or the heading as printed
        entry = {**entry, "type": ["string", "object"], "minLength": 1,
                 "x-say": "印出的标题，如「五、存在的主要问题及整改措施」"}
    return _mapping(dict.fromkeys(SECTION_NAMES, entry), SECTION_NAMES, complete)


def _any_node() -> dict:
    """What ``replace`` may put in place of a row, a column or a block (checked again there)."""
    props = dict(_node_schema(3, {**ROW_ROLES, **COLUMN_ROLES, **APPEAL_ROLES}, True, True)["properties"])
    props.update(header=_KEY, columns=_say({"type": "array"}, "列表"), rows=_say({"type": "array"}, "列表"))
    schema = {"type": ["string", "object"], "minLength": 1, "properties": props, "additionalProperties": False}
    return _say(schema, "一项：它的名称，或 {key: 名称, label: 印出的文字}")


@functools.cache
def variant_schema(complete: bool = False) -> dict:
    """The JSON Schema of a variant file; ``complete``: of a whole format, every key present."""
    props = {
        "id": _say({"type": ["string", "number"], "minLength": 1}, "文字（写法不限，如「2021-浙江」）"),
        "name": _TEXT,
        "first_year": _YEAR,
        "last_year": _say({"anyOf": [{"type": ["integer", "null"], "minimum": 1900, "maximum": 9999},
                                     {"enum": list(_NULLS)}]}, "四位数的年份，或 null（一直适用）"),
        "fee_statement": _FLAG,
        "aspects_required": _FLAG,
        "sections": _section_schema(complete),
        "overview_aspects": _list(_node_schema(1), "一个方面", max_items=20),
        "requests_summary_aspect": _KEY,
        "problem_parts": _list(_node_schema(1), "一个小标题", max_items=20),
        "other_parts": _list(_node_schema(1), "一个小标题", min_items=0, max_items=20),
        "fee_heading": _TEXT,
        "chapters": _say({"type": "array", "minItems": 1, "maxItems": MAX_CHAPTERS, "items": _KEY},
                         "以「- 」开头的列表（每项是一部分：官方的六部分写 overview、proactive 等，"
                         "本单位自己的部分写它的标题）", CHAPTERS_HINT),
        "title": _say({"type": ["string", "array"], "minLength": 1, "minItems": 1, "maxItems": 3,
                       "items": _say({"type": "string", "minLength": 1}, "文字")},
                      "标题的文字（可用 {机关名称}、{年度}），或分两行写成两项的列表", TITLE_HINT),
        "proactive": _mapping({
            "content_label": _TEXT,
            "blocks": _list(_mapping({
                "header": _KEY,
                "label": _TEXT,
                "columns": _list(_node_schema(1, COLUMN_ROLES, types=True), "一列", max_items=12),
                "rows": _list(_node_schema(1), "一行"),
            }, ("header", "columns", "rows")), "表二的一个分项：header、columns、rows", max_items=20),
        }, ("content_label", "blocks"), complete),
        "requests": _mapping({
            "corner": _TEXT,
            "columns_header": _TEXT,
            "columns": _list(_node_schema(2, total=True, width=12), "申请人的一列", max_items=12),
            "rows": _list(_node_schema(3, ROW_ROLES, total=True), "表三的一行"),
        }, ("corner", "columns_header", "columns", "rows"), complete),
        "appeals": _mapping({
            "columns": _list(_node_schema(3, APPEAL_ROLES, total=True, width=12), "表四的一组或一列",
                             max_items=12),
        }, ("columns",), complete),
    }
    required = ("id", "name", "first_year", "fee_statement", "aspects_required", "sections",
                "overview_aspects", "requests_summary_aspect", "problem_parts", "proactive",
                "requests", "appeals")
    if not complete:
        props["extends"] = _say({"type": ["string", "integer"], "minLength": 1}, "文字", EXTENDS_HINT)
        props["labels"] = _say({"type": "object", "additionalProperties": _TEXT},
                               "「完整路径: 新文字」（在下一行缩进写）", LABELS_HINT)
        props["replace"] = _say({"type": "object", "additionalProperties": _any_node()},
                                "「完整路径: 新的一项」（在下一行缩进写）", LABELS_HINT)
    return _mapping(props, required, complete)


@functools.cache
def _validator(complete: bool) -> Any:
    import jsonschema_rs

    return jsonschema_rs.Draft7Validator(variant_schema(complete))


def _written(value: Any) -> str:
    """What was written at a place, in words."""
    if value is None:
        return "空的（冒号后面没有写内容）"
    if isinstance(value, dict):
        return "「键: 值」"
    if isinstance(value, list):
        return "以「- 」开头的列表" if value else "空列表 []"
    if isinstance(value, str):
        return f"文字「{short(value)}」"
    return f"数字 {short(value)}"


def _schema_problems(data: Any, complete: bool) -> list[tuple[tuple, str, str, bool]]:
    """Where ``data`` does not fit the variant schema: (path, message, hint, at the key)."""
    import jsonschema_rs

    kinds = jsonschema_rs.ValidationErrorKind
    out = []
    for error in _validator(complete).iter_errors(data):
        path = tuple(error.instance_path)
        node = _saying(variant_schema(complete), error.schema_path)
        say, hint = node.get("x-say", ""), node.get("x-hint", "")
        kind = error.kind
        if isinstance(kind, kinds.Required):
            out.append(((*path, kind.property), f"缺少「{kind.property}」", "", True))
        elif isinstance(kind, kinds.AdditionalProperties):
            allowed = list(node.get("properties", {}))
            for key in kind.unexpected:
                if key == "children":
                    out.append(((*path, key), "层级太深：这一项下面不能再分 children", "", True))
                    continue
                close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
                tip = f"是不是「{close[0]}」？" if close else "这一层可以写：" + "、".join(allowed)
                out.append(((*path, key), f"不认识「{short(key)}」", tip, True))
        elif isinstance(kind, kinds.MinItems):
            out.append((path, "不能是空列表，至少要写一项", hint, False))
        elif isinstance(kind, kinds.MaxItems):
            out.append((path, f"项数太多：最多写 {kind.limit} 项", hint, False))
        elif isinstance(kind, kinds.MinLength):
            out.append((path, "不能是空的", hint, False))
        else:
            out.append((path, f"应是{say}，这里写的是{_written(error.instance)}", hint, False))
    return out


def _saying(schema: dict, schema_path: Any) -> dict:
    """The deepest schema along ``schema_path`` that says what it expects."""
    node: Any = schema
    best = schema
    for step in list(schema_path)[:-1]:
        node = node[step]
        if isinstance(node, dict) and "x-say" in node:
            best = node
    return best


def _unprintable(data: Any) -> Iterator[tuple[tuple, str, bool]]:
    """(path, characters, at a key) of text no report can hold: an escape such as
    "\\x00" in double quotes gets past the reader's line check."""
    from generator.reading.source import NOT_TEXT

    stack: list[tuple[tuple, Any]] = [((), data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, dict):
            for key, sub in value.items():
                if NOT_TEXT.search(key):
                    yield (*where, key), key, True
                stack.append(((*where, key), sub))
        elif isinstance(value, list):
            stack.extend(((*where, i), sub) for i, sub in enumerate(value))
        elif isinstance(value, str) and NOT_TEXT.search(value):
            yield where, value, False


@dataclass
class _Layer:
    """One variant file of a chain, as read."""

    path: Path
    source: Source
    dropped: set[str] = field(default_factory=set)  # its top-level keys written wrong: set aside

    @property
    def data(self) -> dict:
        return self.source.data

    def problem(self, path: tuple, message: str, hint: str = "", at_key: bool = False) -> Problem:
        return self.source.problem(path, message, hint, key=at_key)


def _read_variant(path: Path) -> tuple[Source | None, list[Problem]]:
    """A user's variant file, read like an input file: bounded, aliases refused."""
    from generator import files
    from generator.reading.source import load as load_yaml

    source, problems = load_yaml(str(path), files.read_input(path, files.FORMAT_LIMIT, "格式文件"))
    errors = [p for p in problems if p.is_error]
    if errors:
        return None, errors
    if not isinstance(source.data, dict):
        return None, [Problem(str(path), None, None, "",
                              '应写成「键: 值」的形式，第一行是 extends: "2021"（或 "2019"）')]
    return source, []


def _check_layer(layer: _Layer) -> list[Problem]:
    """One file on its own: every value of the right kind. Keys written wrong are set aside."""
    from generator.reading.source import NOT_TEXT

    found = _schema_problems(layer.data, complete=False)
    for path, text, at_key in _unprintable(layer.data):
        codes = "、".join(sorted({f"U+{ord(ch):04X}" for ch in NOT_TEXT.findall(text)}))
        found.append((path, f"含有不能印出的字符（{codes}）", "可能是从其他软件复制时带入的，请删除后重新输入", at_key))
    layer.dropped.update(path[0] for path, *_ in found if path)
    return [layer.problem(*f) for f in found]


def _read_chain(path: Path) -> tuple[list[_Layer], str | None, bool, list[Problem]]:
    """The variant files from ``path`` down: (the files, the official format under them,
    whether the chain is whole, every problem of writing found)."""
    layers: list[_Layer] = []
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    current = path
    while True:
        try:
            source, found = _read_variant(current)
        except ReadError as exc:
            if not layers:
                raise FormatError(str(exc)) from exc
            message = str(exc).replace("格式文件", "变体文件")
            problems.append(layers[-1].problem(("extends",), message, EXTENDS_HINT))
            return layers, None, False, problems
        problems += found
        if source is None:
            return layers, None, False, problems
        layer = _Layer(current, source)
        layers.append(layer)
        seen[os.path.realpath(current)] = current
        problems += _check_layer(layer)
        parent = layer.data.get("extends")
        if "extends" in layer.dropped:
            return layers, None, False, problems
        if parent is None:
            return layers, None, True, problems
        if str(parent) in OFFICIAL:
            return layers, str(parent), True, problems
        following = current.parent / str(parent)
        again = seen.get(os.path.realpath(following))
        if again is not None:
            problems.append(layer.problem(("extends",), f"循环引用：「{short(parent, 60)}」又回到了 {again}",
                                          EXTENDS_HINT))
            return layers, None, False, problems
        if len(layers) == MAX_EXTENDS:
            problems.append(layer.problem(("extends",), f"变体文件一个 extends 另一个，超过了 {MAX_EXTENDS} 层",
                                          '通常直接写 extends: "2021" 或 "2019"'))
            return layers, None, False, problems
        if not _exists(following):
            problems.append(layer.problem(("extends",), f"找不到「{short(parent, 60)}」", EXTENDS_HINT))
            return layers, None, False, problems
        current = following


# Where each ``replace`` put its row: (id of the list, index) -> (the list, file, entry).
_Placed = dict[tuple[int, int], tuple[list, "_Layer", str]]


def _exists(path: Path) -> bool:
    try:
        os.lstat(path)
    except (OSError, ValueError):
        return False
    return True


def _place(layers: list[_Layer], found: _Found, raw: Any = None, placed: _Placed | None = None) -> Problem:
    """A problem of the merged format, placed in the file that wrote most of its path
    (a row put in by ``replace``: at that entry)."""
    path, message, hint = found
    value = raw
    for n, step in enumerate(path):
        if isinstance(value, list) and placed and (id(value), step) in placed:
            _, layer, entry = placed[(id(value), step)]
            return layer.problem(("replace", entry, *path[n + 1:]), message, hint)
        value = _step(value, step)
    best, depth = layers[0], 0
    for layer in layers:
        value, reached = layer.data, 0
        for step in path:
            value = _step(value, step)
            if value is _NOWHERE:
                break
            reached += 1
        if reached > depth:
            best, depth = layer, reached
    if not depth:
        return Problem(str(best.path), None, None, format_path(path), message, hint)
    return best.problem(path, message, hint)


_NOWHERE = object()


def _step(value: Any, step: Any) -> Any:
    if isinstance(value, dict) and isinstance(step, str) and step in value:
        return value[step]
    if isinstance(value, list) and isinstance(step, int) and step < len(value):
        return value[step]
    return _NOWHERE


def _load_variant(path: Path) -> tuple[dict, str]:
    """A variant file and those it extends, merged over the official format and
    checked whole: (the format's raw data, the official format under it)."""
    layers, base, whole, problems = _read_chain(path)
    dropped = set().union(*(layer.dropped for layer in layers))
    placed: _Placed = {}

    def fits(raw: dict) -> bool:
        unfit = _schema_problems(raw, complete=True)
        problems.extend(_place(layers, (p, message, hint), raw, placed) for p, message, hint, _ in unfit
                        if not p or p[0] not in dropped)
        return not unfit

    raw = copy.deepcopy(_official_raw(base)) if base is not None else None
    if whole and base is None:
        missing = [k for k in variant_schema(True)["required"] if k not in layers[-1].data]
        if missing:  # a variant that forgot its first line, not a whole format of its own
            problems.append(Problem(str(layers[-1].path), None, None, "extends", "缺少「extends」",
                                    '第一行写 extends: "2021"（或 "2019"）；不写 extends 时要写出完整的格式（还缺少 '
                                    + "、".join(missing) + "）"))
            whole = False
    for layer in reversed(layers if whole else []):
        body = copy.deepcopy({k: v for k, v in layer.data.items()
                              if k not in ("extends", "replace", "labels") and k not in layer.dropped})
        raw = _merge(raw, body) if raw is not None else _normalize(body)
        if not fits(raw):
            break
        replace = {} if "replace" in layer.dropped else layer.data.get("replace") or {}
        for node_path, node in replace.items():
            try:
                items, i = _raw_items(raw, node_path)
            except FormatError:
                problems.append(layer.problem(("replace", node_path), f"格式定义中找不到「{short(node_path, 60)}」",
                                              LABELS_HINT, True))
                continue
            items[i] = copy.deepcopy(node)
            placed[(id(items), i)] = (items, layer, node_path)
        if not fits(raw):
            break
        labels = {} if "labels" in layer.dropped else layer.data.get("labels") or {}
        for label_path, label in labels.items():
            try:
                _apply_label(raw, label_path, str(label))
            except FormatError:
                problems.append(layer.problem(("labels", label_path), f"格式定义中找不到「{short(label_path, 60)}」",
                                              LABELS_HINT, True))
    else:
        if raw is not None:
            problems.extend(_place(layers, f, raw, placed) for f in _structure_problems(raw))
    if problems:
        files = {str(layer.path): i for i, layer in enumerate(layers)}
        problems.sort(key=lambda p: (files.get(p.file, 0), p.line is None, p.line or 0, p.column or 0))
        shown = "\n".join(str(p) for p in problems[:MAX_SHOWN])
        more = f"\n（另有 {len(problems) - MAX_SHOWN} 处）" if len(problems) > MAX_SHOWN else ""
        raise FormatError(f"格式文件 {path} 有 {len(problems)} 处错误：\n{shown}{more}", problems)
    assert raw is not None
    return raw, base or ""


def _key(node: Any) -> str:
    return node if isinstance(node, str) else str(node["key"])


def _kids(node: Any) -> list:
    return node.get("children") or [] if isinstance(node, dict) else []


def _is_total(node: Any) -> bool:
    return isinstance(node, dict) and _flag(node.get("total", False))


def _role(node: Any) -> str | None:
    return node.get("role") if isinstance(node, dict) else None


def _walk(items: list, path: tuple) -> Iterator[tuple[tuple, Any]]:
    """Every node below, with its path, each before its children."""
    for i, node in enumerate(items):
        yield (*path, i), node
        yield from _walk(_kids(node), (*path, i, "children"))


def _lists(items: list, path: tuple) -> Iterator[tuple[tuple, list]]:
    """Every list of siblings below, with its path."""
    yield path, items
    for i, node in enumerate(items):
        if _kids(node):
            yield from _lists(_kids(node), (*path, i, "children"))


def _structure_problems(raw: dict) -> list[_Found]:
    """What a schema cannot say: the rows and columns the arithmetic needs, once each."""
    out: list[_Found] = []
    trees = {("requests", "rows"): raw["requests"]["rows"], ("requests", "columns"): raw["requests"]["columns"],
             ("appeals", "columns"): raw["appeals"]["columns"]}
    for name in ("overview_aspects", "problem_parts", "other_parts"):
        trees[(name,)] = raw.get(name) or []
    blocks = raw["proactive"]["blocks"]
    for i, block in enumerate(blocks):
        trees[("proactive", "blocks", i, "columns")] = block["columns"]
        trees[("proactive", "blocks", i, "rows")] = block["rows"]
    for root, items in trees.items():
        for path, siblings in _lists(items, root):
            out += _twins(path, [_key(n) for n in siblings])
    out += _twins(("proactive", "blocks"), [str(b["header"]) for b in blocks], "header")
    for root in (("requests", "rows"), ("requests", "columns"), ("appeals", "columns")):
        out += [(path, f"「{short(_key(n))}」有 children，不能是合计（total: true）", "合计只能是一格")
                for path, n in _walk(trees[root], root) if _is_total(n) and _kids(n)]
    out += _rows_problems(raw["requests"]["rows"])
    out += _applicant_problems(raw["requests"]["columns"])
    out += _appeals_problems(raw["appeals"]["columns"])
    out += _naming_problems(raw)
    out += _chapter_problems(raw)
    return out


def _twins(path: tuple, keys: list[str], field_name: str = "key") -> list[_Found]:
    seen: dict[str, int] = {}
    out = []
    for i, key in enumerate(keys):
        if key in seen:
            out.append(((*path, i), f"「{short(key)}」与同一层的第 {seen[key] + 1} 项重名",
                        f"同一层的各项要用不同的 {field_name}；只改印出的文字请写 label"))
        seen.setdefault(key, i)
    return out


def _rows_problems(rows: list) -> list[_Found]:
    """Table 三's rows: the roles once each, one result group with one total in it."""
    root = ("requests", "rows")
    out: list[_Found] = []
    groups = [i for i, node in enumerate(rows) if _kids(node)]
    if not groups:
        out.append((root, "表三的行中缺少办理结果一组：带 children 的一行（如「本年度办理结果」）",
                    "办理结果的各项写在这一行的 children 里"))
    out += [((*root, i), f"表三的行中只能有一组带 children 的行（办理结果），「{short(_key(rows[i]))}」是多出的一组", "")
            for i in groups[1:]]
    totals = [path for path, node in _walk(rows, root) if _is_total(node)]
    if groups and not totals:
        out.append(((*root, groups[0]), "办理结果一组中缺少合计一项：total: true（如「（七）总计」）", NEEDED_HINT))
    out += [(path, "表三的行中只能有一项 total: true（办理结果的合计）", "") for path in totals[1:]]
    if groups and totals and totals[0][:-1] != (*root, groups[0], "children"):
        out.append((totals[0], "合计一项（total: true）应直接写在办理结果一组的 children 里", ""))
    for role, word in ROW_ROLES.items():
        found = [(path, node) for path, node in _walk(rows, root) if _role(node) == role]
        if not found and role != "unpaid_fee":
            out.append((root, f"表三的行中缺少 role: {role} 的一行（{word}）", NEEDED_HINT))
        out += [(path, f"表三的行中只能有一行 role: {role}", "") for path, _ in found[1:]]
        for path, node in found[:1]:
            if _kids(node) or _is_total(node):
                out.append((path, f"role: {role} 的一行（{word}）不能有 children，也不能是合计", ""))
            elif role != "unpaid_fee" and len(path) != len(root) + 1:
                out.append((path, f"role: {role} 的一行（{word}）应是表三最上一级的一行，不能写在 children 里", ""))
    if groups:
        inner = {_key(child) for child in _kids(rows[groups[0]])}
        out += [((*root, i), f"「{short(_key(node))}」与办理结果中的一项重名（输入文件里它们写在同一层）", "")
                for i, node in enumerate(rows) if i != groups[0] and _key(node) in inner]
    return out


def _applicant_problems(columns: list) -> list[_Found]:
    """Table 三's applicant columns: one total, each input key once."""
    root = ("requests", "columns")
    leaves = [(path, node) for path, node in _walk(columns, root) if not _kids(node)]
    totals = [path for path, node in leaves if _is_total(node)]
    out: list[_Found] = []
    if not totals:
        out.append((root, "申请人的各列中缺少合计一列：total: true（如「总计」）", NEEDED_HINT))
    out += [(path, "申请人的各列中只能有一列 total: true", "") for path in totals[1:]]
    if len(totals) == len(leaves):
        out.append((root, "申请人的各列中至少要有一列不是合计", ""))
    seen: dict[str, tuple] = {}
    for path, node in leaves:
        key = _key(node)
        if key in seen and seen[key][:-1] != path[:-1]:  # siblings are said once, above
            out.append((path, f"「{short(key)}」与另一组中的一列重名（输入文件里各列写在同一层）", ""))
        seen.setdefault(key, path)
    return out


def _appeals_problems(columns: list) -> list[_Found]:
    """Table 四: the reviews and lawsuits groups once each; one total in each group of columns."""
    root = ("appeals", "columns")
    out: list[_Found] = []
    for role, word in APPEAL_ROLES.items():
        found = [((*root, i), node) for i, node in enumerate(columns) if _role(node) == role]
        if not found:
            out.append((root, f"表四中缺少 role: {role} 的一组（{word}）", NEEDED_HINT))
        out += [(path, f"表四中只能有一组 role: {role}", "") for path, _ in found[1:]]
        for path, node in found[:1]:
            if not _kids(node):
                out.append((path, f"「{short(_key(node))}」（role: {role}）应有 children：它的各列", ""))
    for path, node in _walk(columns, root):
        kids = _kids(node)
        if len(path) > len(root) + 1 and _role(node):
            out.append(((*path, "role"), "role 只能写在表四最上一级的一组上", ""))
        if kids and any(not _kids(child) for child in kids):
            totals = [j for j, child in enumerate(kids) if _is_total(child)]
            if not totals:
                out.append((path, f"「{short(_key(node))}」下缺少合计一列：total: true（如「总计」）", NEEDED_HINT))
            out += [((*path, "children", j), "同一组中只能有一列 total: true", "") for j in totals[1:]]
    return out


def _naming_problems(raw: dict) -> list[_Found]:
    """Keys that the input file already uses for something else."""
    from generator.reading import schema as S

    out: list[_Found] = []
    aspects = [_key(a) for a in raw["overview_aspects"]]
    if raw["requests_summary_aspect"] not in aspects:
        out.append((("requests_summary_aspect",), f"「{short(raw['requests_summary_aspect'])}」不是 overview_aspects 中的一项",
                    "可以写：" + "、".join(aspects)))
    reserved = {"overview_aspects": (S.INTRO, S.OWN, S.SUMMARY_UNDER), "problem_parts": (S.INTRO, S.OWN),
                "other_parts": (S.ITEMS, S.FEE, S.OWN)}
    for name, keys in reserved.items():
        out += [((name, i), f"「{_key(part)}」是输入文件里另有用处的键，不能作为小标题的键", "请换一个 key")
                for i, part in enumerate(raw.get(name) or []) if _key(part) in keys]
    top = S.top_keys()
    seen: set[str] = set()
    for name, entry in raw["sections"].items():
        key = str(entry["key"])
        if key in top or key in seen:
            out.append((("sections", name, "key"), f"「{short(key)}」不能作为章节的键：输入文件里另有一处用它",
                        "请换一个 key"))
        seen.add(key)
    first, last = int(raw["first_year"]), _year(raw.get("last_year"))
    if last is not None and last < first:
        out.append((("last_year",), f"last_year（{last}）早于 first_year（{first}）", ""))
    return out


_CHAPTER_NUMBER_CHARS = frozenset("一二三四五六七八九十0123456789")
CN_DIGITS = "零一二三四五六七八九十"


def cn_number(n: int) -> str:
    """一 … 十 … 九十九: the numbers of chapters (「二、」) and sub-headings (「（二）」)."""
    if n <= 10:
        return CN_DIGITS[n]
    tens, units = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[units] if units else "")


def resolve_chapters(entries: list, sections: dict[str, dict], reserved: frozenset[str] = frozenset()
                     ) -> tuple[list[Chapter], list[tuple[int | None, str, str]]]:
    """A chapter list as written (official sections by name, input key or title; own
    chapters by their title) as chapters, with the problems found:
    (index or None, message, hint)."""
    by_word: dict[str, str] = {}
    for name, entry in sections.items():
        for word in (name, str(entry["key"]), str(entry["label"])):
            by_word.setdefault(word, name)
    chapters: list[Chapter] = []
    problems: list[tuple[int | None, str, str]] = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(entries):
        word = str(entry).strip()
        name = by_word.get(word, "")
        if not name:
            number, title = _split_heading(word)
            if number or word[:1] in "（(" and any(ch in _CHAPTER_NUMBER_CHARS for ch in word[1:3]):
                problems.append((i, f"「{short(word)}」带了编号", "各部分的编号按顺序自动加上，只写标题"
                                 + (f"「{short(title)}」" if title else "")))
                continue
            if word in reserved:
                problems.append((i, f"「{short(word)}」是输入文件里另有用处的键，不能作为一部分的标题",
                                 "请换一个标题"))
                continue
        ident = name or word
        if ident in seen:
            problems.append((i, f"「{short(word)}」写了两次", "每部分只写一次"))
            continue
        seen[ident] = i
        if name:
            entry_ = sections[name]
            chapters.append(Chapter(name, str(entry_["key"]), str(entry_["label"])))
        else:
            chapters.append(Chapter("", word, word))
    missing = [name for name in sections if name not in seen]
    if missing:
        problems.append((None, "缺少" + "、".join(f"「{sections[n]['label']}」（{n}）" for n in missing),
                         "官方格式的六部分都要写，顺序可以调整"))
    return chapters, problems


def title_problems(title: Any) -> list[str]:
    """What is wrong with a title pattern: braces other than {机关名称} and {年度}."""
    lines = [title] if isinstance(title, str) else list(title or [])
    out = []
    for line in lines:
        rest = str(line)
        for place in TITLE_PLACES:
            rest = rest.replace(place, "")
        if "{" in rest or "}" in rest:
            out.append(f"「{short(str(line))}」中只能用 {{机关名称}} 和 {{年度}}")
    return out


def fill_title(lines: tuple[str, ...], agency: str, year: int) -> list[str]:
    return [line.replace("{机关名称}", agency).replace("{年度}", str(year)) for line in lines]


def _chapter_problems(raw: dict) -> list[_Found]:
    from generator.reading import schema as S

    out: list[_Found] = []
    if raw.get("chapters"):
        reserved = S.top_keys()
        _, found = resolve_chapters(raw["chapters"], raw["sections"], reserved)
        out += [(("chapters",) if i is None else ("chapters", i), message, hint) for i, message, hint in found]
    else:
        # Chapters are numbered by their place; a number written otherwise would be changed silently.
        for place, (name, entry) in enumerate(raw["sections"].items(), start=1):
            number = str(entry.get("number") or "")
            if number and number != cn_number(place) + "、":
                out.append((("sections", name), f"编号「{number}」与这一部分的位置（第{cn_number(place)}部分）不符",
                            "各部分按顺序自动编号；要调整顺序，请在 chapters 中按顺序列出各部分"))
    if raw.get("title"):
        out += [(("title",), message, TITLE_HINT) for message in title_problems(raw["title"])]
    return out


def build(raw: dict, source: str = "", base: str = "") -> Format:
    """Turn raw format data into a :class:`Format`."""
    proactive = raw["proactive"]
    req = raw["requests"]
    sections = {name: str(e["number"]) + str(e["label"]) for name, e in raw["sections"].items()}
    return Format(
        id=str(raw["id"]),
        name=str(raw["name"]),
        first_year=int(raw["first_year"]),
        last_year=_year(raw.get("last_year")),
        fee_statement=_flag(raw["fee_statement"]),
        aspects_required=_flag(raw["aspects_required"]),
        sections=sections,
        section_keys={name: str(e["key"]) for name, e in raw["sections"].items()},
        other_parts=tuple(_node(p) for p in raw.get("other_parts") or ()),
        fee_heading=str(raw.get("fee_heading", "信息处理费收取情况")),
        overview_aspects=tuple(_node(a) for a in raw["overview_aspects"]),
        requests_summary_aspect=str(raw["requests_summary_aspect"]),
        problem_parts=tuple(_node(p) for p in raw["problem_parts"]),
        content_label=str(proactive["content_label"]),
        blocks=tuple(
            Block(
                header=str(b.get("label", b["header"])),
                columns=tuple(_node(c) for c in b["columns"]),
                rows=tuple(_node(r).key for r in b["rows"]),
                key=str(b["header"]),
                row_labels=tuple((_node(r).key, _node(r).label) for r in b["rows"]),
            )
            for b in proactive["blocks"]
        ),
        corner=str(req["corner"]),
        columns_header=str(req["columns_header"]),
        applicants=_root(req["columns"]),
        request_rows=_root(req["rows"]),
        appeals=_root(raw["appeals"]["columns"]),
        base=base or (source if source in OFFICIAL else ""),
        source=source,
        chapter_order=tuple(resolve_chapters(raw["chapters"], raw["sections"])[0]) if raw.get("chapters") else (),
        title=tuple([raw["title"]] if isinstance(raw.get("title"), str) else raw.get("title") or ()),
    )


@functools.cache
def _official_raw(format_id: str) -> dict:
    """One of our own files (they share row lists through YAML anchors)."""
    path = OFFICIAL[format_id]
    raw = _normalize(json.loads(json.dumps(yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE))))
    parent = raw.pop("extends", None)
    if parent is not None:
        raw = _merge(copy.deepcopy(_official_raw(str(parent))), raw)
    for node_path, node in (raw.pop("replace", None) or {}).items():
        items, i = _raw_items(raw, node_path)
        items[i] = node
    apply_labels(raw, raw.pop("labels", None) or {})
    return raw


def load(format_id: str, labels: tuple[tuple[str, str], ...] = ()) -> Format:
    """An official format, optionally with a locality's label overrides."""
    if not labels:
        return _official(format_id)
    raw = copy.deepcopy(_official_raw(format_id))
    apply_labels(raw, dict(labels))
    return build(raw, format_id)


@functools.cache
def _official(format_id: str) -> Format:
    return build(_official_raw(format_id), format_id)


def with_chapters(fmt: Format, chapters: tuple[Chapter, ...]) -> Format:
    """``fmt`` with these chapters, in this order."""
    return dataclasses.replace(fmt, chapter_order=chapters)


def with_listed_chapters(fmt: Format, listed: Any) -> tuple[Format, list[tuple[int | None, str, str]]]:
    """``fmt`` with the chapters an input file lists (章节), or ``fmt`` as it is with
    what is wrong in the list (index or None, message, hint). A list that is not
    one of texts, or longer than any report has, is left to the schema to report."""
    from generator.reading import schema as S

    if not isinstance(listed, list) or not listed or len(listed) > MAX_CHAPTERS \
            or not all(isinstance(c, str) and c.strip() for c in listed):
        return fmt, []
    sections = {name: {"key": fmt.section_key(name), "label": fmt.section_title(name)} for name in fmt.sections}
    order, problems = resolve_chapters(listed, sections, S.top_keys())
    return (fmt, problems) if problems else (with_chapters(fmt, tuple(order)), [])


def with_labels(fmt: Format, labels: dict[str, str]) -> Format:
    """``fmt`` with some printed labels replaced (paths as in :func:`label_paths`)."""
    if fmt.source in OFFICIAL:
        raw = copy.deepcopy(_official_raw(fmt.source))
    else:
        raw, _ = _load_variant(Path(fmt.source))
    apply_labels(raw, labels)
    return build(raw, fmt.source, fmt.base)


def load_file(path: Path) -> Format:
    """A variant file: ``extends`` an official format, overrides ``labels``.

    Raises FormatError naming every problem of the file (and of those it extends).
    """
    raw, base = _load_variant(Path(path))
    return build(raw, str(path), base)


FIRST_YEAR = 2019


def year_refusal(year: int, this_year: int) -> tuple[str, str] | None:
    """Why a report year cannot be written (message, hint), or None."""
    if year < FIRST_YEAR:
        return (f"不支持 {year} 年度的报告",
                "2019 年以前的年度报告使用旧格式，本工具只生成 2019 年度及以后的报告")
    if year > this_year:
        return (f"{year} 年度还没有到，不能生成该年度报告", f"年度应不晚于 {this_year}")
    return None


def official_ids() -> list[str]:
    return list(OFFICIAL)


def for_year(year: int) -> Format | None:
    """The official format in force for a report year, or None."""
    for format_id in OFFICIAL:
        fmt = load(format_id)
        if fmt.covers(year):
            return fmt
    return None


def printed_labels(fmt: Format) -> list[tuple[str, str]]:
    """Every printed label that can be changed: (full path, text printed now)."""
    out: list[tuple[str, str]] = []

    def walk(prefix: str, node: Node) -> None:
        for child in node.children:
            path = f"{prefix}/{child.key}"
            out.append((path, child.label))
            walk(path, child)

    for name, key in fmt.section_keys.items():
        out.append((f"{SECTIONS_ROOT}/{key}", fmt.sections[name]))
    out.append(("表二/信息内容", fmt.content_label))
    for block in fmt.blocks:
        out.append((f"表二/{block.key}", block.header))
        out += [(f"表二/{block.key}/{col.key}", col.label) for col in block.columns]
        out += [(f"表二/{block.key}/{row}", block.row_label(row)) for row in block.rows]
    out.append(("表三/勾稽关系说明", fmt.corner))
    walk("表三", fmt.request_rows)
    out.append(("表三表头/申请人情况", fmt.columns_header))
    walk("表三表头", fmt.applicants)
    walk("表四", fmt.appeals)
    for name, parts in (("overview", fmt.overview_aspects), ("problems", fmt.problem_parts),
                        ("other", fmt.other_parts)):
        out += [(f"{fmt.section_key(name)}/{part.key}", part.label) for part in parts]
    if fmt.fee_statement:
        out.append((f"{fmt.section_key('other')}/{FEE_PATH}", fmt.fee_heading))
    return out


def label_paths(fmt: Format) -> dict[str, list[str]]:
    """Every changeable label's full paths, by short name (the path's last key)."""
    found: dict[str, list[str]] = {}
    for path, _ in printed_labels(fmt):
        first, _, rest = path.partition("/")
        short = rest if first in (SECTIONS_ROOT,) or path in _SINGLE else _last_key(fmt, path)
        found.setdefault(short, []).append(path)
    return found


def _last_key(fmt: Format, path: str) -> str:
    """The last key of a path; keys may hold a slash (「本年增/减」)."""
    keys = {c.key for b in fmt.blocks for c in b.columns} | {r for b in fmt.blocks for r in b.rows}
    for key in sorted(keys, key=len, reverse=True):
        if path.endswith("/" + key):
            return key
    return path.rsplit("/", 1)[-1]
