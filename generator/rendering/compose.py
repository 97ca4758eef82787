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

from generator import formats
from generator.formats import CN_DIGITS, Chapter, cn_number
from generator.model import OwnChapter, Report
from generator.reading import schema as S
from generator.rendering.layout import Grid, appeals_grid, number_text, proactive_grid, requests_grid
from generator.rendering.placement import fees_stated_elsewhere, summary_place

TITLE, H1, H2, PARA, TABLE, NOTE, CLOSING = "title", "h1", "h2", "p", "table", "note", "closing"


@dataclass
class Block:
    kind: str
    text: str = ""
    grid: Grid | None = None
    lines: list[str] = field(default_factory=list)
    new_page: bool = False
    lead: str = ""  # a run-in sub-heading printed at the start of the paragraph, in its own face
    bold: bool = False  # a sub-heading (or run-in lead) in bold body type instead of 楷体


def templates_dir() -> Path:
    return Path(str(resources.files("generator.templates")))


@functools.lru_cache(maxsize=4)
def _text_module(directory: str):  # noqa: ANN202 - a jinja TemplateModule
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(directory), autoescape=False,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=False)
    env.filters["cn"] = lambda n: cn_number(n) if 0 <= n < 100 else str(n)
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
        say = lambda name, *a: _one_paragraph(getattr(text, name)(*a))  # noqa: E731
        args = (report, [c.label for c, _ in printed_chapters(report, say)])
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


def title_lines(title: str, agency: str, year: int) -> list[str]:
    """Where a long title breaks: after the agency's name (and the 「{年度}年」 right
    after it), never inside a word; a title without the name is not broken."""
    if _width(title) <= TITLE_LINE or not agency:
        return [title]
    at = title.find(agency)
    if at < 0:
        return [title]
    cut = at + len(agency)
    if title.startswith(f"{year}年", cut):
        cut += len(f"{year}年")
    if cut >= len(title):
        return [title]
    return [title[:cut], title[cut:]]


def title_of(report: Report, say) -> list[str]:  # noqa: ANN001 - the macro caller
    """The title's lines: the office's own, the variant's pattern, or templates/text.j2's."""
    if report.title:
        lines = list(report.title)
    elif report.fmt.title:
        lines = formats.fill_title(report.fmt.title, report.agency, report.year)
    else:
        lines = [say("title", report)]
    if len(lines) == 1:
        return title_lines(lines[0], report.agency, report.year)
    return lines


def ordinal(n: int) -> str:
    """（一）…（十）…（九十九）: the sub-heading numbers of an official document."""
    return f"（{cn_number(n)}）"


def carries_number(heading: str) -> bool:
    """A heading written with its own number: 「二、」「（二）」「(2)」「2.」「2、」."""
    i = 1 if heading[:1] in "（(" else 0
    j = i
    while j < len(heading) and j - i < 3 and (heading[j] in CN_DIGITS or heading[j].isdigit()):
        j += 1
    if j == i or j >= len(heading):
        return False
    return heading[j] in "）)" if i else heading[j] in "、.．"


def _headed(report: Report, parts: list[tuple[str, list[str]]]) -> list[Block]:
    """Sub-headings in the report's style, each with its paragraphs; a heading with
    nothing under it is not printed. Numbered （一）（二）… unless the style is
    unnumbered or the heading carries its own number; run in, the heading starts
    its first paragraph (「（一）主动公开情况。」 then the text)."""
    blocks: list[Block] = []
    n = 0
    for heading, paragraphs in parts:
        if not paragraphs:
            continue
        n += 1
        number = ordinal(n) if report.numbered and not carries_number(heading) else ""
        if report.run_in:
            lead = number + heading + ("" if heading.endswith(RUN_IN_ENDS) else "。")
            blocks.append(Block(PARA, paragraphs[0], lead=lead, bold=report.bold_headings))
            blocks += [Block(PARA, p) for p in paragraphs[1:]]
            continue
        blocks.append(Block(H2, number + heading, bold=report.bold_headings))
        blocks += [Block(PARA, p) for p in paragraphs]
    return blocks


RUN_IN_ENDS = ("。", "：", ":", "！", "？", "；")


def summary_heading(report: Report) -> str | None:
    """Under which printed sub-heading of 一 the applications sentence goes
    (None: elsewhere, or after the opening paragraphs of 一)."""
    key, heading = summary_place(report)
    return heading if key == report.fmt.section_key("overview") else None


def summary_paragraphs(report: Report, say) -> list[str]:  # noqa: ANN001 - the macro caller
    if report.summary_off:
        return []
    if report.summary_text:
        return list(report.summary_text)
    return [say("requests_summary", requests_summary(report))]


def _narrative(report: Report, key: str, intro: list[str], parts: list[tuple[str, list[str]]],
               summary: list[str]) -> list[Block]:
    """A narrative chapter: its opening paragraphs, then its sub-headings; the
    applications paragraph where :func:`summary_place` puts it."""
    place_key, heading = summary_place(report)
    blocks = [Block(PARA, p) for p in intro]
    if place_key == key and summary:
        if heading is None or heading not in [h for h, _ in parts]:
            blocks += [Block(PARA, p) for p in summary]
        else:
            parts = [(h, [*summary, *ps] if h == heading else ps) for h, ps in parts]
    return blocks + _headed(report, parts)


def _overview(report: Report, summary: list[str]) -> list[Block]:
    fmt = report.fmt
    place_key, heading = summary_place(report)
    here = heading if place_key == fmt.section_key("overview") else None
    sub = [(a.label, report.overview[a.key]) for a in fmt.overview_aspects
           if report.overview[a.key] or a.label == here]
    sub += [(p.heading, p.paragraphs) for p in report.own.get("overview", [])]
    return _narrative(report, fmt.section_key("overview"), report.overview[S.INTRO], sub, summary)


def _problems(report: Report) -> list[Block]:
    fmt = report.fmt
    sub = [(p.label, report.problems[p.key]) for p in fmt.problem_parts]
    sub += [(p.heading, p.paragraphs) for p in report.own.get("problems", [])]
    return [Block(PARA, b) for b in report.problems[S.INTRO]] + _headed(report, sub)


def _other(report: Report, say) -> list[Block]:  # noqa: ANN001 - the macro caller
    """六: the fee statement, then the usual and the own sub-headings; 「无其他需要
    报告的事项。」 only when nothing else would be printed."""
    fmt = report.fmt
    fee = fee_paragraphs(report, say)
    sub = [(p.label, report.other_parts.get(p.key, [])) for p in fmt.other_parts]
    sub += [(p.heading, p.paragraphs) for p in report.own.get("other", [])]
    if any(ps for _, ps in sub):
        blocks = [Block(PARA, b) for b in report.other_items]
        return blocks + _headed(report, ([(fmt.fee_heading, fee)] if fee else []) + sub)
    paragraphs = fee + report.other_items
    return [Block(PARA, b) for b in paragraphs or [say("nothing_else")]]


def _tables(report: Report, name: str) -> list[Block]:
    if name == "proactive":
        return [Block(TABLE, grid=proactive_grid(report))]
    if name == "requests":
        return [Block(TABLE, grid=requests_grid(report))]
    grid = appeals_grid(report)
    return [Block(TABLE, grid=grid)] + [Block(NOTE, line) for line in grid.notes]


def printed_chapters(report: Report, say) -> list[tuple[Chapter, list[Block]]]:  # noqa: ANN001
    """Each chapter with what is printed under it; a chapter with nothing under it
    is left out (``check`` warns about it), and the rest are numbered in order."""
    summary = summary_paragraphs(report, say)
    out = []
    for chapter in report.fmt.chapters:
        if chapter.own:
            own = report.chapters.get(chapter.key) or OwnChapter([], [])
            body = _narrative(report, chapter.key, own.intro, [(p.heading, p.paragraphs) for p in own.parts],
                              summary)
        elif chapter.name == "overview":
            body = _overview(report, summary)
        elif chapter.name == "problems":
            body = _problems(report)
        elif chapter.name == "other":
            body = _other(report, say)
        else:
            body = _tables(report, chapter.name)
        if body:
            out.append((chapter, body))
    return out


def compose(report: Report, templates: Path | None = None) -> list[Block]:
    text = _text_module(str(templates or templates_dir()))
    say = lambda macro, *args: _one_paragraph(getattr(text, macro)(*args))  # noqa: E731
    lines = title_of(report, say)
    blocks = [Block(TITLE, "".join(lines), lines=lines)]
    chapters = printed_chapters(report, say)

    if report.opening:
        blocks += [Block(PARA, p) for p in report.opening]
    elif report.contact.any() or report.portal_url:
        blocks.append(Block(PARA, say("opening", report, [c.label for c, _ in chapters])))

    for n, (chapter, body) in enumerate(chapters, start=1):
        blocks.append(Block(H1, f"{cn_number(n)}、{chapter.label}"))
        blocks += body

    if report.date is not None:
        blocks.append(Block(CLOSING, lines=[report.agency, say("closing_date", report.date)]))
    return blocks


def fee_paragraphs(report: Report, say) -> list[str]:  # noqa: ANN001 - the macro caller
    """The fee statement of 六: the agency's own, or one written from its figures.

    Nothing automatic is printed when the agency states its fees elsewhere in
    六 without giving figures (「未发生收费情况」, recognised by what it says about
    fees): the two sentences could contradict each other.
    """
    if not report.fmt.fee_statement or report.fee_off:
        return []
    if report.fee_text:
        return list(report.fee_text)
    if not report.fee_given and fees_stated_elsewhere(report):
        return []
    return [say("fee", report)]
