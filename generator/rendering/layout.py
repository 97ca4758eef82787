"""The official tables as grids of merged cells, shared by every renderer.

A grid lists each visible cell once, with its row, column and spans; the docx
renderer turns spans into gridSpan/vMerge, the HTML renderer into
colspan/rowspan. Merges are derived from the format's row and column trees:
a group spans its leaves, and a leaf spans down (or across) to the last
header row (or label column).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from generator.formats import AMOUNT, SIGNED, Format, Node
from generator.model import Cell, Report

HEAD, LABEL, GROUP, NUM = "head", "label", "group", "num"


@dataclass(frozen=True)
class GridCell:
    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    kind: str = NUM
    left: bool = False  # left-aligned (the long row labels of table 三); otherwise centred
    lines: tuple[str, ...] = ()  # where the text breaks, when it must and the place matters
    # The input key path a figure comes from; () for a computed total. ``auto``: the
    # figure may be left out and is then computed (结转下年度).
    key: tuple[str, ...] = ()
    auto: bool = False


@dataclass
class Grid:
    name: str
    rows: int
    widths: list[float]  # relative column widths
    header_rows: int
    cells: list[GridCell]
    dense: bool = False  # small type, for the wide tables
    notes: list[str] = field(default_factory=list)
    # Rows after which a page may break; a table without any stays on one page
    # when it fits.
    breaks: frozenset[int] = frozenset()

    @property
    def cols(self) -> int:
        return len(self.widths)

    def by_row(self) -> list[list[GridCell]]:
        rows: list[list[GridCell]] = [[] for _ in range(self.rows)]
        for cell in self.cells:
            rows[cell.row].append(cell)
        for row in rows:
            row.sort(key=lambda c: c.col)
        return rows

    def text_at(self, row: int, col: int) -> str:
        """The text of the cell covering (row, col): for tests and readers."""
        for c in self.cells:
            if c.row <= row < c.row + c.rowspan and c.col <= col < c.col + c.colspan:
                return c.text
        raise KeyError((row, col))


def number_text(value: int | Decimal | str, kind: str = "") -> str:
    """How a figure prints: zeros as 0, signed changes as 增N/减N."""
    if isinstance(value, str):
        return value
    if kind == SIGNED:
        return f"增{value}" if value > 0 else f"减{-value}" if value < 0 else "0"
    if isinstance(value, Decimal) or kind == AMOUNT:
        d = Decimal(value)
        if d == 0:
            return "0"
        text = format(d, "f")
        return text
    return str(value)


class _Notes:
    """Footnote markers for annotated cells: ①, ②, …"""

    # ① … ⑳, ㉑ … ㊿: fifty circled numbers exist; beyond that, 〔51〕.
    MARKS = ("".join(chr(c) for c in range(0x2460, 0x2474)) + "".join(chr(c) for c in range(0x3251, 0x3260))
             + "".join(chr(c) for c in range(0x32B1, 0x32C0)))

    def __init__(self) -> None:
        self.lines: list[str] = []

    def text(self, cell: Cell, kind: str, where: str) -> str:
        text = number_text(cell.value, kind)
        if not cell.note:
            return text
        n = len(self.lines)
        mark = self.MARKS[n] if n < len(self.MARKS) else f"〔{n + 1}〕"
        self.lines.append(f"注{mark}：{where}{text}件，{cell.note}")
        return text + mark


def header_cells(root: Node, top: int, left: int, depth: int) -> list[GridCell]:
    """Column headers from a column tree: groups span across, leaves span down."""
    cells = []

    def walk(node: Node, level: int, col: int) -> None:
        for child in node.children:
            width = child.width()
            rowspan = 1 if child.children else depth - level
            cells.append(GridCell(child.label, top + level, col, rowspan, width, HEAD))
            if child.children:
                walk(child, level + 1, col)
            col += width

    walk(root, 0, left)
    return cells


def label_cells(root: Node, top: int, left: int, depth: int) -> list[GridCell]:
    """Row labels from a row tree: groups span down, leaves span across (left-aligned)."""
    cells = []

    def walk(node: Node, level: int, row: int) -> None:
        for child in node.children:
            height = child.width()
            if child.children:
                cells.append(GridCell(child.label, row, left + level, height, 1, GROUP))
                walk(child, level + 1, row)
            else:
                cells.append(GridCell(child.label, row, left + level, 1, depth - level, LABEL, left=True))
            row += height

    walk(root, 0, top)
    return cells


def proactive_grid(report: Report) -> Grid:
    """Table 二: stacked blocks in one 4-column table."""
    fmt = report.fmt
    value_cols = max(len(b.columns) for b in fmt.blocks)
    cells: list[GridCell] = []
    block_ends: list[int] = []
    row = 0
    for block in fmt.blocks:
        cells.append(GridCell(block.header, row, 0, 1, value_cols + 1, HEAD))
        row += 1
        spans = _spread(len(block.columns), value_cols)
        cells.append(GridCell(fmt.content_label, row, 0, 1, 1, HEAD))
        col = 1
        for column, span in zip(block.columns, spans):
            cells.append(GridCell(column.label, row, col, 1, span, HEAD))
            col += span
        row += 1
        for item in block.rows:
            cells.append(GridCell(block.row_label(item), row, 0, 1, 1, LABEL))
            col = 1
            for column, span in zip(block.columns, spans):
                cell = report.proactive[(item, column.key)]
                cells.append(GridCell(number_text(cell.value, column.type), row, col, 1, span, NUM,
                                      key=(fmt.section_key("proactive"), item, column.key)))
                col += span
            row += 1
        block_ends.append(row - 1)
    # A page may end between blocks: each block's caption and header stay with its rows.
    return Grid("proactive", row, [34] + [22] * value_cols, 0, cells, breaks=frozenset(block_ends[:-1]))


def _spread(n: int, total: int) -> list[int]:
    """Spans for n columns over ``total`` grid columns: the last one takes the rest."""
    return [1] * (n - 1) + [total - n + 1]


def requests_grid(report: Report) -> Grid:
    """Table 三: three label columns, seven applicant columns."""
    fmt = report.fmt
    assert report.requests is not None
    label_cols = fmt.request_rows.depth()
    col_depth = fmt.applicants.depth()
    header_rows = 1 + col_depth
    n_cols = fmt.applicants.width()
    cells = [
        GridCell(fmt.corner, 0, 0, header_rows, label_cols, HEAD),
        GridCell(fmt.columns_header, 0, label_cols, 1, n_cols, HEAD),
        *header_cells(fmt.applicants, 1, label_cols, col_depth),
        *label_cells(fmt.request_rows, header_rows, 0, label_cols),
    ]
    columns = [leaf.key for _, leaf in fmt.applicants.leaves()]
    section, result_group, total_col = fmt.section_key("requests"), fmt.result_group().key, fmt.total_applicant()
    for i, (path, leaf) in enumerate(fmt.request_rows.leaves()):
        input_path = path[1:] if path[0] == result_group else path
        for j, col in enumerate(columns):
            value = report.requests.get(path, col)
            key = () if leaf.total or col == total_col else (section, col, *input_path)
            cells.append(GridCell(str(value), header_rows + i, label_cols + j, 1, 1, NUM, key=key,
                                  auto=bool(key) and leaf.role == "carried_out"))
    rows = header_rows + fmt.request_rows.width()
    widths = _requests_widths(fmt, label_cols, columns)
    cells = [_wrapped(c, widths) if c.kind != NUM else c for c in cells]
    return Grid("requests", rows, widths, header_rows, cells, dense=True)


# Table 三 at 9 pt: a Chinese character is 3.2 mm wide; a cell has 1.2 mm of margins.
CHAR_MM, MARGIN_MM = 3.2, 1.2


def _requests_widths(fmt: Format, label_cols: int, columns: list[str]) -> list[float]:
    """Column widths in mm across the 156 mm text block.

    Number columns hold five digits; their headers wrap two characters a line
    (「社会/公益/组织」, as on the official form), 「自然人」 keeps its three. Group
    label columns are three characters wide (「三、/本年度/办理/结果」,
    「（三）/不予/公开」); the leaf labels take the rest, wide enough that the
    longest wraps once, at its 「、」.
    """
    group_cols = [3 * CHAR_MM + MARGIN_MM] * (label_cols - 1)
    number_cols = [11.0 if len(c) == 3 else 9.5 for c in columns]
    leaf_col = 156.0 - sum(group_cols) - sum(number_cols)
    return group_cols + [leaf_col] + number_cols


def text_width(text: str) -> float:
    """Width in Chinese characters: Latin letters and digits count half."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1 for ch in text)


_ORDINAL = re.compile(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")
_BREAK_AFTER = "、，：；"


def break_lines(text: str, chars: float, narrow: bool = False) -> tuple[str, ...]:
    """Where a label should break in a cell ``chars`` characters wide; () when it
    fits, or when ordinary wrapping already breaks it well.

    A narrow group label breaks after its number and then between two-character
    words (「三、/本年度/办理/结果」). A long label breaks after 「、」「，」 when
    both lines then fit, choosing the most even split; otherwise it is balanced
    so that no line holds a single character.
    """
    if text_width(text) <= chars:
        return ()
    if narrow:
        m = _ORDINAL.match(text)
        head, rest = (m.group(1), text[m.end():]) if m else ("", text)
        pieces = [rest[:3]] + [rest[i:i + 2] for i in range(3, len(rest), 2)] if len(rest) % 2 \
            else [rest[i:i + 2] for i in range(0, len(rest), 2)]
        return tuple(p for p in (head, *pieces) if p)
    if text_width(text) > 2 * chars:
        return ()  # three lines or more: ordinary wrapping
    best = None
    for i, ch in enumerate(text[:-1]):
        if ch in _BREAK_AFTER:
            first, second = text[: i + 1], text[i + 1:]
            if text_width(first) <= chars and text_width(second) <= chars:
                spread = abs(text_width(first) - text_width(second))
                if best is None or spread < best[0]:
                    best = (spread, first, second)
    if best:
        return best[1], best[2]
    last = text_width(text) - int(chars)
    if last < 2:  # ordinary wrapping would leave a character alone: balance the lines
        half = len(text) // 2
        return text[:half], text[half:]
    return ()


def _wrapped(cell: GridCell, widths: list[float]) -> GridCell:
    mm = sum(widths[cell.col:cell.col + cell.colspan])
    chars = (mm - MARGIN_MM) / CHAR_MM
    lines = break_lines(cell.text, chars, narrow=cell.kind == GROUP)
    return replace(cell, lines=lines) if lines else cell


def appeals_grid(report: Report) -> Grid:
    """Table 四: a three-row header over one row of fifteen figures."""
    fmt = report.fmt
    depth = fmt.appeals.depth()
    cells = header_cells(fmt.appeals, 0, 0, depth)
    notes = _Notes()
    for col, (path, leaf) in enumerate(fmt.appeals.leaves()):
        where = "".join(f"“{p}”" for p in path[:-1]) + f"“{leaf.label}”"
        text = notes.text(report.appeals[path], leaf.type, where)
        key = () if leaf.total else (fmt.section_key("appeals"), *path)
        cells.append(GridCell(text, depth, col, 1, 1, NUM, key=key))
    n = fmt.appeals.width()
    return Grid("appeals", depth + 1, [156.0 / n] * n, depth, cells, dense=True, notes=notes.lines)
