"""The official report formats, defined as data.

Each format lives in one YAML file beside this module (``gov2019.yaml``,
``gov2021.yaml``). The validator, the JSON Schema, the model, the docx and the
HTML renderers all read the :class:`Format` built here, so a label or a merged
cell is written exactly once. A locality's wording variant is a small file that
``extends`` an official format and overrides ``labels``.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.errors import FormatError

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
    source: str = field(default="", compare=False)

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


def _node(raw: Any) -> Node:
    if isinstance(raw, str):
        return Node(key=raw, label=raw)
    children = tuple(_node(c) for c in raw.get("children", ()))
    return Node(
        key=str(raw["key"]),
        label=str(raw.get("label", raw["key"])),
        children=children,
        total=bool(raw.get("total", False)),
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


def _normalize(raw: dict) -> dict:
    """Sections as {key, number, label}: the label can change, the key cannot."""
    sections = {}
    for name, entry in raw["sections"].items():
        if isinstance(entry, str):
            number, _, title = entry.partition("、")
            entry = {"key": title, "number": number + "、" if number else "", "label": title}
        sections[name] = entry
    raw["sections"] = sections
    return raw


def apply_labels(raw: dict, labels: dict[str, str]) -> None:
    """Override printed wording by key path, e.g. a province's fee header."""
    for path, label in labels.items():
        label = str(label)
        first, _, rest = path.partition("/")
        if path in _SINGLE:
            part, name = _SINGLE[path]
            raw[part][name] = label
            continue
        if first == SECTIONS_ROOT:
            entry = next((e for e in raw["sections"].values() if e["key"] == rest), None)
            if entry is None:
                raise FormatError(f"格式定义中找不到「{path}」")
            number = entry.get("number", "")
            entry["label"] = label[len(number):] if number and label.startswith(number) else label
            continue
        if rest == FEE_PATH and first == raw["sections"]["other"]["key"]:
            raw["fee_heading"] = label
            continue
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
                    number = sections[name].get("number", "")
                    title = entry.split("、", 1)[-1] if "、" in entry else entry
                    sections[name]["label"] = title
                    if number and "、" in entry:
                        sections[name]["number"] = entry.split("、", 1)[0] + "、"
                else:
                    sections[name] = entry
            out[key] = sections
        elif isinstance(value, dict) and isinstance(base.get(key), dict):
            out[key] = _merge(base[key], value)
        else:
            out[key] = value
    return out


def _read_variant(path: Path) -> dict:
    """A user's variant file, read like an input file: bounded, aliases refused."""
    from generator import files
    from generator.errors import ReadError
    from generator.reading.source import load as load_yaml

    try:
        raw = files.read_input(path, files.FORMAT_LIMIT, "格式文件")
    except ReadError as exc:
        raise FormatError(str(exc)) from exc
    source, problems = load_yaml(str(path), raw)
    errors = [p for p in problems if p.is_error]
    if errors:
        more = f"\n（另有 {len(errors) - 10} 处）" if len(errors) > 10 else ""
        raise FormatError("格式文件有错误：\n" + "\n".join(str(p) for p in errors[:10]) + more)
    if not isinstance(source.data, dict):
        raise FormatError(f"格式文件 {path} 应是「键: 值」的形式，以 extends: \"2021\" 开头")
    return source.data


def _load_raw(path: Path, seen: tuple[Path, ...] = ()) -> dict:
    if path in OFFICIAL.values():
        # Our own files (they share row lists through YAML anchors).
        raw = json.loads(json.dumps(yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE)))
        if "sections" in raw:
            _normalize(raw)
    else:
        resolved = path.resolve()
        if resolved in seen:
            raise FormatError(f"格式文件循环引用：{path} 又被 extends 引用了一次")
        seen = (*seen, resolved)
        raw = _read_variant(path)
    parent = raw.pop("extends", None)
    if parent is not None:
        base_path = OFFICIAL.get(str(parent)) or (path.parent / str(parent))
        raw = _merge(copy.deepcopy(_load_raw(base_path, seen)), raw)
    for node_path, node in (raw.pop("replace", None) or {}).items():
        items, i = _raw_items(raw, node_path)
        items[i] = node
    apply_labels(raw, raw.pop("labels", None) or {})
    return raw


def build(raw: dict, source: str = "") -> Format:
    """Turn raw format data into a :class:`Format`."""
    proactive = raw["proactive"]
    req = raw["requests"]
    sections = {name: e["number"] + e["label"] for name, e in raw["sections"].items()}
    return Format(
        id=str(raw["id"]),
        name=str(raw["name"]),
        first_year=int(raw["first_year"]),
        last_year=raw.get("last_year"),
        fee_statement=bool(raw["fee_statement"]),
        aspects_required=bool(raw["aspects_required"]),
        sections=sections,
        section_keys={name: e["key"] for name, e in raw["sections"].items()},
        other_parts=tuple(_node(p) for p in raw.get("other_parts", ())),
        fee_heading=str(raw.get("fee_heading", "信息处理费收取情况")),
        overview_aspects=tuple(_node(a) for a in raw["overview_aspects"]),
        requests_summary_aspect=raw["requests_summary_aspect"],
        problem_parts=tuple(_node(p) for p in raw["problem_parts"]),
        content_label=proactive["content_label"],
        blocks=tuple(
            Block(
                header=str(b.get("label", b["header"])),
                columns=tuple(_node(c) for c in b["columns"]),
                rows=tuple(_node(r).key for r in b["rows"]),
                key=b["header"],
                row_labels=tuple((_node(r).key, _node(r).label) for r in b["rows"]),
            )
            for b in proactive["blocks"]
        ),
        corner=req["corner"],
        columns_header=req["columns_header"],
        applicants=_root(req["columns"]),
        request_rows=_root(req["rows"]),
        appeals=_root(raw["appeals"]["columns"]),
        source=source,
    )


@functools.cache
def _official_raw(format_id: str) -> dict:
    return _load_raw(OFFICIAL[format_id])


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


def with_labels(fmt: Format, labels: dict[str, str]) -> Format:
    """``fmt`` with some printed labels replaced (paths as in :func:`label_paths`)."""
    if fmt.source in OFFICIAL:
        raw = copy.deepcopy(_official_raw(fmt.source))
    else:
        raw = _load_raw(Path(fmt.source))
    apply_labels(raw, labels)
    return build(raw, fmt.source)


def load_file(path: Path) -> Format:
    """A variant file: ``extends`` an official format, overrides ``labels``."""
    try:
        return build(_load_raw(path), str(path))
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise FormatError(f"格式文件 {path} 的内容不完整或写法不对（{exc}）。"
                          "变体文件应以 extends: \"2021\" 或 \"2019\" 开头，只写 labels") from exc


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
