"""The report as an ordered list of blocks: what every renderer prints.

Sentences that mkreport writes itself come from ``templates/text.j2``; the
figures they restate are read from the model, never typed.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from pathlib import Path

import jinja2

from generator.model import Report
from generator.reading import schema as S
from generator.rendering.layout import Grid, appeals_grid, number_text, proactive_grid, requests_grid

TITLE, H1, H2, PARA, TABLE, NOTE, CLOSING = "title", "h1", "h2", "p", "table", "note", "closing"
CN_DIGITS = "零一二三四五六七八九十"


@dataclass
class Block:
    kind: str
    text: str = ""
    grid: Grid | None = None
    lines: list[str] = field(default_factory=list)
    new_page: bool = False
    lead: str = ""  # a run-in sub-heading printed at the start of the paragraph, in its own face


def templates_dir() -> Path:
    return Path(str(resources.files("generator.templates")))


@functools.lru_cache(maxsize=4)
def _text_module(directory: str):  # noqa: ANN202 - a jinja TemplateModule
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(directory), autoescape=False,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=False)
    env.filters["cn"] = lambda n: CN_DIGITS[n] if 0 <= n <= 10 else str(n)
    env.filters["money"] = lambda d: number_text(Decimal(d))
    return env.get_template("text.j2").module


def _one_paragraph(text: object) -> str:
    """A macro's output as one paragraph: template line breaks are layout only."""
    return "".join(part.strip() for part in str(text).split("\n"))


def sentence(report: Report, macro: str, templates: Path | None = None) -> str:
    """One sentence mkreport writes itself, as compose prints it (import uses it to
    recognise its own sentences in a published report)."""
    text = _text_module(str(templates or templates_dir()))
    if macro == "requests_summary":
        args: tuple = (requests_summary(report),)
    elif macro == "opening":
        args = (report, [report.fmt.section_title(name) for name in report.fmt.sections])
    elif macro == "nothing_else":
        args = ()
    else:
        args = (report,)
    return _one_paragraph(getattr(text, macro)(*args))


@dataclass(frozen=True)
class RequestsSummary:
    received: int
    carried_in: int
    handled: int
    carried_out: int
    outcomes: list[tuple[str, int]]
    reviews: int
    lawsuits: int


def requests_summary(report: Report) -> RequestsSummary:
    """The figures the narrative restates, all read from the model."""
    fmt = report.fmt
    group = fmt.result_group()
    outcomes = [(child.key, report.request_figure(child.key)) for child in group.children
                if not child.total]
    return RequestsSummary(
        received=report.request_figure(fmt.row_with_role("received")[0][-1]),
        carried_in=report.request_figure(fmt.row_with_role("carried_in")[0][-1]),
        handled=sum(n for _, n in outcomes),
        carried_out=report.request_figure(fmt.row_with_role("carried_out")[0][-1]),
        outcomes=[(name, n) for name, n in outcomes if n],
        reviews=report.appeals_total("reviews"),
        lawsuits=report.appeals_total("lawsuits"),
    )


# Characters of 二号 type across the 156 mm text block: 20, less the gaps that
# Word and LibreOffice set around digits in Chinese text.
TITLE_LINE = 18


def _width(text: str) -> float:
    return sum(0.5 if ord(ch) < 0x2E80 else 1 for ch in text)


def title_lines(title: str, head: str) -> list[str]:
    """Where a long title breaks: after 「{机关名称}{年度}年」, never inside a word."""
    if _width(title) <= TITLE_LINE or not title.startswith(head) or title == head:
        return [title]
    return [head, title[len(head):]]


def ordinal(n: int) -> str:
    """（一）…（十）…（九十九）: the sub-heading numbers of an official document."""
    if n <= 10:
        return f"（{CN_DIGITS[n]}）"
    tens, units = divmod(n, 10)
    word = ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[units] if units else "")
    return f"（{word}）"


def _headed(blocks: list[Block], parts: list[tuple[str, list[str]]], run_in: bool = False) -> None:
    """Sub-headings numbered （一）（二）… in order, each with its paragraphs; run in,
    the heading starts its first paragraph (「（一）主动公开情况。」 then the text)."""
    for n, (heading, paragraphs) in enumerate(parts, start=1):
        if run_in:
            lead = ordinal(n) + heading + ("" if heading.endswith(("。", "：", ":")) else "。")
            blocks.append(Block(PARA, paragraphs[0] if paragraphs else "", lead=lead))
            blocks += [Block(PARA, p) for p in paragraphs[1:]]
            continue
        blocks.append(Block(H2, ordinal(n) + heading))
        blocks += [Block(PARA, p) for p in paragraphs]


def summary_heading(report: Report) -> str | None:
    """Under which printed sub-heading of 一 the applications sentence goes
    (None: after the opening paragraphs of 一)."""
    fmt = report.fmt
    own = report.own.get("overview", [])
    if report.summary_under:
        return report.summary_under
    official = next(a for a in fmt.overview_aspects if a.key == fmt.requests_summary_aspect)
    if not own:
        written = any(report.overview[a.key] for a in fmt.overview_aspects)
        return official.label if fmt.aspects_required or written else None
    if report.overview[official.key]:
        return official.label
    return next((p.heading for p in own if "依申请" in p.heading), None)


def compose(report: Report, templates: Path | None = None) -> list[Block]:
    fmt = report.fmt
    text = _text_module(str(templates or templates_dir()))
    say = lambda macro, *args: _one_paragraph(getattr(text, macro)(*args))  # noqa: E731
    title = say("title", report)
    blocks = [Block(TITLE, title, lines=title_lines(title, f"{report.agency}{report.year}年"))]

    if report.opening:
        blocks += [Block(PARA, p) for p in report.opening]
    elif report.contact.any() or report.portal_url:
        parts = [fmt.section_title(name) for name in fmt.sections]
        blocks.append(Block(PARA, say("opening", report, parts)))

    # 一、总体情况: the official aspects (all five in the 2021 format, unless the
    # agency uses its own sub-headings), then the agency's own sub-headings.
    blocks.append(Block(H1, fmt.sections["overview"]))
    blocks += [Block(PARA, b) for b in report.overview[S.INTRO]]
    summary = say("requests_summary", requests_summary(report))
    own = report.own.get("overview", [])
    under = summary_heading(report)
    sub: list[tuple[str, list[str]]] = []
    for aspect in fmt.overview_aspects:
        paragraphs = report.overview[aspect.key]
        if paragraphs or (fmt.aspects_required and not own) or aspect.label == under:
            sub.append((aspect.label, paragraphs))
    sub += [(p.heading, p.paragraphs) for p in own]
    if under is None or under not in [h for h, _ in sub]:
        blocks.append(Block(PARA, summary))
    else:
        sub = [(h, [summary, *ps] if h == under else ps) for h, ps in sub]
    _headed(blocks, sub, report.run_in)

    # 二、三、四: the tables
    blocks.append(Block(H1, fmt.sections["proactive"]))
    blocks.append(Block(TABLE, grid=proactive_grid(report)))
    # Table 三 is a one-page form: it starts a page, so it is never split.
    blocks.append(Block(H1, fmt.sections["requests"], new_page=True))
    blocks.append(Block(TABLE, grid=requests_grid(report)))
    blocks.append(Block(H1, fmt.sections["appeals"]))
    grid = appeals_grid(report)
    blocks.append(Block(TABLE, grid=grid))
    blocks += [Block(NOTE, line) for line in grid.notes]

    # 五、存在的主要问题及改进情况
    blocks.append(Block(H1, fmt.sections["problems"]))
    blocks += [Block(PARA, b) for b in report.problems[S.INTRO]]
    sub = [(p.label, report.problems[p.key]) for p in fmt.problem_parts if report.problems[p.key]]
    sub += [(p.heading, p.paragraphs) for p in report.own.get("problems", [])]
    _headed(blocks, sub, report.run_in)

    # 六、其他需要报告的事项: the fee statement, then the usual and the own sub-headings.
    blocks.append(Block(H1, fmt.sections["other"]))
    fee = fee_paragraphs(report, say)
    sub = [(p.label, report.other_parts[p.key]) for p in fmt.other_parts if report.other_parts.get(p.key)]
    sub += [(p.heading, p.paragraphs) for p in report.own.get("other", [])]
    if sub:
        blocks += [Block(PARA, b) for b in report.other_items]
        _headed(blocks, ([(fmt.fee_heading, fee)] if fee else []) + sub, report.run_in)
    else:
        blocks += [Block(PARA, b) for b in fee + report.other_items]
        if not report.other_items:
            blocks.append(Block(PARA, say("nothing_else")))

    if report.date is not None:
        blocks.append(Block(CLOSING, lines=[report.agency, say("closing_date", report.date)]))
    return blocks


FEE_WORD = "信息处理费"


def fee_paragraphs(report: Report, say) -> list[str]:  # noqa: ANN001 - the macro caller
    """The fee statement of 六: the agency's own, or one written from its figures.

    Nothing automatic is printed when the agency states its fees elsewhere in
    六 without giving figures: the two sentences could contradict each other.
    """
    if not report.fmt.fee_statement:
        return []
    if report.fee_text:
        return list(report.fee_text)
    if not report.fee_given and any(FEE_WORD in p for p in report.other_items):
        return []
    return [say("fee", report)]
