"""The validated report, with every total computed.

This is the only place where report figures are added up. Renderers print
what is here and never compute; the narrative sentences that restate figures
read them from here too.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from generator.formats import Format, Node
from generator.reading import schema as S

Number = int | Decimal | str


@dataclass(frozen=True)
class Cell:
    """A figure as printed in a table, with an optional footnote."""

    value: Number
    note: str = ""


@dataclass
class Contact:
    office: str = ""
    address: str = ""
    postcode: str = ""
    phone: str = ""
    email: str = ""

    def any(self) -> bool:
        return any((self.office, self.address, self.postcode, self.phone, self.email))


@dataclass(frozen=True)
class Part:
    """A sub-heading of the agency's own, with its paragraphs."""

    heading: str
    paragraphs: list[str]


def parts(value: Any) -> list[Part]:
    """Own sub-headings from YAML: a list of one-key mappings, heading → paragraphs."""
    out = []
    for item in value or []:
        if isinstance(item, dict):
            for heading, text in item.items():
                out.append(Part(str(heading).strip(), bullets(text)))
    return out


@dataclass(frozen=True)
class OwnChapter:
    """A narrative chapter of the office's own: opening paragraphs, then sub-headings."""

    intro: list[str]
    parts: list[Part]

    def empty(self) -> bool:
        return not self.intro and not any(p.paragraphs for p in self.parts)


def own_chapter(value: Any) -> OwnChapter:
    if isinstance(value, dict):
        return OwnChapter(bullets(value.get(S.INTRO)), parts(value.get(S.OWN)))
    return OwnChapter(bullets(value), [])


@dataclass
class RequestsTable:
    """Table 三: ``cells[(row path, column key)]`` for every printed cell."""

    cells: dict[tuple[tuple[str, ...], str], int]
    carried_out_given: dict[str, bool]

    def get(self, row: tuple[str, ...], column: str) -> int:
        return self.cells[(row, column)]


@dataclass
class Report:
    fmt: Format
    agency: str
    year: int
    date: dt.date | None = None
    compiler: str = ""
    contact: Contact = field(default_factory=Contact)
    portal_name: str = ""
    portal_url: str = ""
    opening: list[str] = field(default_factory=list)
    overview: dict[str, list[str]] = field(default_factory=dict)
    proactive: dict[tuple[str, str], Cell] = field(default_factory=dict)
    requests: RequestsTable | None = None
    appeals: dict[tuple[str, ...], Cell] = field(default_factory=dict)
    problems: dict[str, list[str]] = field(default_factory=dict)
    fee_notices: int | None = None  # None: not stated
    fee_amount: Decimal | None = None
    fee_text: list[str] = field(default_factory=list)  # the agency's own fee statement
    fee_off: bool = False  # 信息处理费: 不写 — no fee statement printed
    other_items: list[str] = field(default_factory=list)
    other_parts: dict[str, list[str]] = field(default_factory=dict)  # the usual sub-headings of 六
    # The agency's own sub-headings by section name (overview, problems, other).
    own: dict[str, list[Part]] = field(default_factory=dict)
    summary_under: str = ""  # the own sub-heading that takes the applications sentence
    summary_off: bool = False  # the applications sentence is not printed
    summary_text: list[str] = field(default_factory=list)  # the office's own applications paragraphs
    run_in: bool = False  # sub-headings printed at the start of their first paragraph
    numbered: bool = True  # sub-headings numbered （一）（二）…
    bold_headings: bool = False  # sub-headings in bold 仿宋 instead of 楷体
    title: list[str] = field(default_factory=list)  # the office's own title, line by line
    chapters: dict[str, OwnChapter] = field(default_factory=dict)  # own chapters by title

    @property
    def fee_given(self) -> bool:
        return self.fee_notices is not None or self.fee_amount is not None

    # Figures the narrative restates, read from the tables above.
    def request_figure(self, row_key: str, column: str | None = None) -> int:
        """Sum of table 三 rows whose path contains ``row_key`` (a row or group),
        in ``column`` (default: the 总计 column)."""
        assert self.requests is not None
        column = column or self.fmt.total_applicant()
        total_row = self.fmt.handled_total()[0]
        return sum(v for (row, col), v in self.requests.cells.items()
                   if col == column and row_key in row and row != total_row)

    def appeals_total(self, role: str) -> int:
        """The 总计 of the table 四 group playing ``role``, summed over its kinds."""
        group = self.fmt.appeals_group(role)
        return sum(int(self.appeals[(group.key, *path)].value)
                   for path, leaf in group.leaves() if leaf.total)


# Words by which a sentence speaks of fees, whatever else it says: 「未发生政府信息公开
# 收费事项」「未发生收费情况」「不收取任何费用」 are fee statements as much as
# 「本年度未收取信息处理费」. Which sentence is the fee statement decides what is
# printed (compose), what is checked (check) and what is read back (import).
FEE_WORDS = ("信息处理费", "收费", "缴费", "费用")


def speaks_of_fees(text: str) -> bool:
    return any(word in text for word in FEE_WORDS)


def bullets(value: Any) -> list[str]:
    """A bullet list from YAML: one string is one paragraph; blank ones drop."""
    if value is None:
        return []
    items = [value] if isinstance(value, str) else list(value)
    out = []
    for item in items:
        for part in str(item).split("\n"):
            if part.strip():
                out.append(part.strip())
    return out


def parse_date(text: str | None) -> dt.date | None:
    if not text:
        return None
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2})-(\d{1,2})|年(\d{1,2})月(\d{1,2})日)", str(text))
    if not m:
        return None
    year = int(m.group(1))
    month = int(m.group(2) or m.group(4))
    day = int(m.group(3) or m.group(5))
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _value(raw: Any, node: Node) -> Cell:
    if isinstance(raw, dict):
        return Cell(int(raw.get(S.AMOUNT_KEY, 0)), str(raw.get(S.NOTE_KEY, "") or ""))
    if raw is None:
        return Cell(0)
    if node.type == "text":
        return Cell(str(raw))
    return Cell(raw)


@dataclass(frozen=True)
class Imbalance:
    """A column of table 三 where 一 + 二 ≠ （七） + 四."""

    column: str
    received: int
    carried_in: int
    handled: int
    carried_out: int


def compute_requests(fmt: Format, data: dict) -> tuple[RequestsTable, list[Imbalance], list[str]]:
    """Fill table 三 from the per-applicant input; return it with every imbalance.

    Also returns the columns whose computed 结转下年度 would be negative.
    """
    applicants = S.applicant_keys(fmt)
    received_path, _ = fmt.row_with_role("received")
    carried_in_path, _ = fmt.row_with_role("carried_in")
    carried_out_path, _ = fmt.row_with_role("carried_out")
    total_path, _ = fmt.handled_total()
    result_group = fmt.result_group().key
    cells: dict[tuple[tuple[str, ...], str], int] = {}
    given: dict[str, bool] = {}
    imbalances: list[Imbalance] = []
    negatives: list[str] = []

    for col in applicants:
        entered = data.get(col) or {}
        handled = 0
        for path, leaf in fmt.request_rows.leaves():
            if leaf.total or leaf.role == "carried_out":
                continue
            input_path = path[1:] if path[0] == result_group else path
            raw: Any = entered
            for key in input_path:
                raw = raw.get(key) if isinstance(raw, dict) else None
            value = raw if isinstance(raw, int) else 0
            cells[(path, col)] = value
            if path[0] == result_group:
                handled += value
        cells[(total_path, col)] = handled
        balance = cells[(received_path, col)] + cells[(carried_in_path, col)] - handled
        given[col] = isinstance(entered.get(carried_out_path[-1]), int)
        # A negative balance is an error reported by the caller; it is kept as
        # computed so that the clerk sees by how much the results exceed.
        out = entered[carried_out_path[-1]] if given[col] else balance
        cells[(carried_out_path, col)] = out
        if given[col] and out != balance:
            imbalances.append(Imbalance(col, cells[(received_path, col)],
                                        cells[(carried_in_path, col)], handled, out))
        elif not given[col] and balance < 0:
            negatives.append(col)

    total_col = fmt.total_applicant()
    for path, _ in fmt.request_rows.leaves():
        cells[(path, total_col)] = sum(cells[(path, c)] for c in applicants)
    # The 总计 column is the sum of the others: it balances when they do, and an
    # imbalance there is the same mistake again, so it is not reported twice.
    return RequestsTable(cells, given), imbalances, negatives


def compute_appeals(fmt: Format, data: dict) -> dict[tuple[str, ...], Cell]:
    """Fill table 四; each 总计 is the sum of its group's other cells."""
    cells: dict[tuple[str, ...], Cell] = {}

    def walk(node: Node, raw: Any, prefix: tuple[str, ...]) -> None:
        raw = raw if isinstance(raw, dict) else {}
        total = 0
        for child in node.children:
            path = (*prefix, child.key)
            if child.is_leaf and not child.total:
                cell = _value(raw.get(child.key), child)
                cells[path] = cell
                total += int(cell.value) if isinstance(cell.value, int) else 0
            elif not child.is_leaf:
                walk(child, raw.get(child.key), path)
        for child in node.children:
            if child.total:
                cells[(*prefix, child.key)] = Cell(total)

    walk(fmt.appeals, data, ())
    return cells


def build(fmt: Format, data: dict) -> tuple[Report, list[Imbalance], list[str]]:
    """The report model from schema-valid input data."""
    contact_raw = data.get(S.CONTACT) or {}
    portal = data.get(S.PORTAL) or {}
    contact = Contact(*(str(contact_raw.get(key, "") or "") for key in S.CONTACT_FIELDS))

    overview_raw = data.get(fmt.section_key("overview")) or {}
    overview = {S.INTRO: bullets(overview_raw.get(S.INTRO))}
    for aspect in fmt.overview_aspects:
        overview[aspect.key] = bullets(overview_raw.get(aspect.key))

    proactive_raw = data.get(fmt.section_key("proactive")) or {}
    proactive = {}
    for block in fmt.blocks:
        for row in block.rows:
            row_raw = proactive_raw.get(row) or {}
            for col in block.columns:
                proactive[(row, col.key)] = _value(row_raw.get(col.key), col)

    requests, imbalances, negatives = compute_requests(
        fmt, data.get(fmt.section_key("requests")) or {})

    problems_raw = data.get(fmt.section_key("problems")) or {}
    problems = {S.INTRO: bullets(problems_raw.get(S.INTRO))}
    for part in fmt.problem_parts:
        problems[part.key] = bullets(problems_raw.get(part.key))

    other_raw = data.get(fmt.section_key("other")) or {}
    fee = other_raw.get(S.FEE) if isinstance(other_raw.get(S.FEE), dict) else {}
    notices, amount = fee.get(S.FEE_NOTICES), fee.get(S.FEE_AMOUNT)

    report = Report(
        fmt=fmt,
        agency=str(data[S.AGENCY]).strip(),
        year=int(data[S.YEAR]),
        date=parse_date(data.get(S.DATE)),
        compiler=str(data.get(S.COMPILER) or "").strip(),
        contact=contact,
        portal_name=str(portal.get("名称", "") or ""),
        portal_url=str(portal.get("网址", "") or ""),
        opening=bullets(data.get(S.OPENING)),
        overview=overview,
        proactive=proactive,
        requests=requests,
        appeals=compute_appeals(fmt, data.get(fmt.section_key("appeals")) or {}),
        problems=problems,
        fee_notices=None if notices is None else int(notices),
        fee_amount=None if amount is None else Decimal(str(amount)),
        fee_text=bullets(fee.get(S.FEE_TEXT)),
        fee_off=other_raw.get(S.FEE) == S.SUMMARY_OFF,
        other_items=bullets(other_raw.get(S.ITEMS)),
        other_parts={p.key: bullets(other_raw.get(p.key)) for p in fmt.other_parts},
        own={"overview": parts(overview_raw.get(S.OWN)), "problems": parts(problems_raw.get(S.OWN)),
             "other": parts(other_raw.get(S.OWN))},
        summary_under=str(overview_raw.get(S.SUMMARY_UNDER) or "").strip(),
        summary_off=overview_raw.get(S.SUMMARY) == S.SUMMARY_OFF,
        summary_text=[] if overview_raw.get(S.SUMMARY) in (None, S.SUMMARY_AUTO, S.SUMMARY_OFF)
        else bullets(overview_raw.get(S.SUMMARY)),
        run_in=data.get(S.HEADING_STYLE) in (S.RUN_IN, S.RUN_IN_UNNUMBERED),
        numbered=data.get(S.HEADING_STYLE) not in (S.UNNUMBERED, S.RUN_IN_UNNUMBERED),
        bold_headings=data.get(S.HEADING_FACE) == S.BOLD,
        title=bullets(data.get(S.TITLE)),
        chapters={c.key: own_chapter(data.get(c.key)) for c in fmt.own_chapters},
    )
    return report, imbalances, negatives
