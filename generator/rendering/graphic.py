"""报告图解: the one-page illustrated companion, drawn from the checked model.

Figures come from the model (the same numbers the tables print); this module
only places them. The picture is an SVG written by ``templates/graphic.svg.j2``
(text stays text: searchable and accessible); the PNG is rendered from that SVG
by resvg, a self-contained renderer with wheels for Windows, macOS and Linux.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import jinja2

from generator.errors import MkreportError
from generator.model import Report
from generator.rendering.compose import requests_summary, templates_dir
from generator.rendering.layout import number_text

WIDTH = 750
THEMES = {
    # name: (band, accent, light background, text on band)
    "red": ("#B3261E", "#D4A017", "#FBF3EE", "#FFF6D6"),
    "blue": ("#1F4E8C", "#2E86DE", "#EEF4FB", "#FFFFFF"),
}
INSTALL_HINT = ("生成图解 PNG 需要 resvg-py：在 mkreport 目录运行 pip install -e '.[graphic]'"
                "（或 pip install resvg-py）；也可以先生成 .svg")


@dataclass
class Bar:
    label: str
    value: int
    width: float  # 0..1 of the longest bar


@dataclass
class Card:
    label: str
    value: str
    unit: str = ""
    change: str = ""  # against last year, when given
    sub: str = ""  # a second, smaller label line


@dataclass
class Graphic:
    title: str
    agency: str
    year: int
    theme: tuple[str, str, str, str]
    proactive: list[Card]
    requests: list[Card]
    outcomes: list[Bar]
    applicants: list[Bar]
    appeals: list[Card]
    highlights: list[list[str]]  # each highlight as its lines
    footer: str
    no_requests: str = ""  # said instead of two empty charts
    rows: dict[str, int] = field(default_factory=dict)  # vertical positions of the parts
    height: int = 0


def _bars(pairs: list[tuple[str, int]]) -> list[Bar]:
    top = max((v for _, v in pairs), default=0) or 1
    return [Bar(label, value, value / top) for label, value in pairs]


def _change(now: int | Decimal, before: int | Decimal | None) -> str:
    if before is None:
        return ""
    diff = now - before
    return "与上年持平" if diff == 0 else f"较上年{'增加' if diff > 0 else '减少'}{number_text(abs(diff))}"


# 工作亮点: one sentence from each part of 总体情况, wrapped to a few lines.
HIGHLIGHT_COUNT = 4
HIGHLIGHT_WIDTH = 27  # full-width characters on a line (Latin and digits count half)
HIGHLIGHT_LINES = 3
ELLIPSIS = "……"  # ends a highlight cut after a whole clause
_MIN_CUT = 10  # a cut piece shorter than this says too little
_SENTENCES_TRIED = 12  # per part: later sentences rarely lead

_SENTENCE_END = "。！？!?"
_CLOSE_QUOTES = "”’」』）)"
_CLAUSE = "，；：,;:"  # where a long sentence may be cut
_LIST_MARK = "、"  # a weaker cut point, inside enumerations
_CLOSING = frozenset("）」』》〉】〕，。、；：！？…”’)]},.;:!?%％‰")  # never starts a line
_OPENING = frozenset("（「『《〈【〔“‘([{")  # never ends a line
_DEPTH_OPEN = frozenset("（「『《〈【〔“‘([")
_DEPTH_CLOSE = frozenset("）」』》〉】〕”’)]")
_CN_NUMERALS = frozenset("一二三四五六七八九十")
_DIGITS = frozenset("0123456789０１２３４５６７８９")
_URL_JOINERS = frozenset("/_-@#~+=&%?")
_INNER_JOINERS = frozenset(".:,．")  # joined only when a letter or digit follows: 98.53, 1,200, http://
_HEADING_MAX = 24  # an ordinal-led sentence this short is a heading
_BARE_HEADING_MAX = 16  # 「加强组织领导。」: a short clause without figures
_BARE_CLAUSE_MAX = 8  # 「强化组织领导，夯实公开基础。」


def highlight_sources(report: Report) -> list[list[str]]:
    """The parts a highlight may come from, each a list of paragraphs: 总体情况's
    aspects and own sub-headings, then the office's own chapters in print order."""
    groups = [report.overview.get(a.key, []) for a in report.fmt.overview_aspects]
    groups += [p.paragraphs for p in report.own.get("overview", [])]
    for chapter in report.fmt.own_chapters:
        own = report.chapters.get(chapter.key)
        if own is not None:
            groups += [own.intro] + [p.paragraphs for p in own.parts]
    return groups


def pick_highlights(groups: list[list[str]], count: int = HIGHLIGHT_COUNT, width: float = HIGHLIGHT_WIDTH,
                    max_lines: int = HIGHLIGHT_LINES) -> list[list[str]]:
    """At most ``count`` highlights, each as its lines: from every part (a list of
    paragraphs) its first sentence that is not a heading, whole when it fits in
    ``max_lines`` lines, else cut after a whole clause and ended with 「……」."""
    out: list[list[str]] = []
    for paragraphs in groups:
        if len(out) >= count:
            break
        lines = _highlight(paragraphs, width, max_lines)
        if lines:
            out.append(lines)
    return out


def _highlight(paragraphs: list[str], width: float, max_lines: int) -> list[str] | None:
    tried = 0
    for paragraph in paragraphs:
        for sentence in _sentences(paragraph):
            if _is_heading(sentence):
                continue
            lines = _fit(sentence, width, max_lines)
            if lines:
                return lines
            tried += 1
            if tried >= _SENTENCES_TRIED:
                return None
    return None


def _sentences(paragraph: str) -> Iterator[str]:
    """The sentences of a paragraph, each with its 「。」 (and a closing quote after it)."""
    start, i, n = 0, 0, len(paragraph)
    while i < n:
        if paragraph[i] in _SENTENCE_END:
            i += 1
            while i < n and (paragraph[i] in _SENTENCE_END or paragraph[i] in _CLOSE_QUOTES):
                i += 1
            sentence = paragraph[start:i].strip()
            if sentence:
                yield sentence
            start = i
        else:
            i += 1
    rest = paragraph[start:].strip()
    if rest:
        yield rest


def _numeral_run(text: str, i: int, chars: frozenset[str], most: int = 3) -> int:
    """The end of a run of at most ``most`` of ``chars`` starting at ``i``."""
    j = i
    while j < len(text) and j - i < most and text[j] in chars:
        j += 1
    return j


def _ordinal(text: str) -> int:
    """Length of a leading list marker — 「（一）」「(1)」「一、」「1.」「1、」「第一，」「一是」 — or 0."""
    if not text:
        return 0
    if text[0] in "（(":
        j = _numeral_run(text, 1, _CN_NUMERALS | _DIGITS)
        return j + 1 if 1 < j < len(text) and text[j] in "）)" else 0
    if text[0] == "第":
        j = _numeral_run(text, 1, _CN_NUMERALS)
        return j + 1 if 1 < j < len(text) and text[j] in "，、：,:" else 0
    j = _numeral_run(text, 0, _CN_NUMERALS)
    if j:
        return j + 1 if j < len(text) and text[j] in "、．.是" else 0
    j = _numeral_run(text, 0, _DIGITS, 2)
    if j and j < len(text) and text[j] in "、．.)）":
        if text[j] in ".．" and j + 1 < len(text) and text[j + 1] in _DIGITS:
            return 0  # 1.5万元: a number, not a list marker
        return j + 1
    return 0


def _has_figure(text: str) -> bool:
    """Whether the text gives a figure: digits other than a year (「2020年」)."""
    i, n = 0, len(text)
    while i < n:
        if text[i] in _DIGITS:
            j = i
            while j < n and text[j] in _DIGITS:
                j += 1
            if j >= n or text[j] != "年":
                return True
            i = j
        else:
            i += 1
    return False


def _is_heading(sentence: str) -> bool:
    """「（一）持续做好主动公开工作。」「一是做好面上联动。」「加强组织领导。」: a heading, not news."""
    body = sentence.rstrip(_SENTENCE_END + _CLOSE_QUOTES + " ")
    marker = _ordinal(body)
    if marker:
        rest = body[marker:]
        return len(rest) <= _HEADING_MAX and not _has_figure(rest)
    if len(body) > _BARE_HEADING_MAX or _has_figure(body):
        return False
    if not any(ch in _CLAUSE or ch in _LIST_MARK for ch in body):
        return True
    clause = 0  # several clauses: a heading only when each is short
    for ch in body:
        clause = 0 if ch in _CLAUSE or ch in _LIST_MARK else clause + 1
        if clause > _BARE_CLAUSE_MAX:
            return False
    return True


def _width(ch: str) -> float:
    return 0.5 if ord(ch) < 0x2000 else 1.0


def _span(text: str) -> float:
    return sum(_width(ch) for ch in text)


def _is_word(ch: str) -> bool:
    return ch in _DIGITS or (ch.isascii() and ch.isalnum())


def _units(text: str) -> list[str]:
    """The text as pieces a line may not split: a number with its 「%」「万」「亿」,
    a Latin word or web address, else a single character."""
    out, i, n = [], 0, len(text)
    while i < n:
        if not _is_word(text[i]):
            out.append(text[i])
            i += 1
            continue
        j = i + 1
        while j < n:
            ch = text[j]
            if _is_word(ch) or ch in _URL_JOINERS or ch in "％‰":
                j += 1
            elif ch in _INNER_JOINERS and j + 1 < n and (_is_word(text[j + 1]) or text[j + 1] == "/"):
                j += 1
            else:
                break
        if text[j - 1] in _DIGITS:  # 3.5万, 2万亿
            end = j + 2
            while j < n and j < end and text[j] in "万亿":
                j += 1
        out.append(text[i:j])
        i = j
    return out


def _wrap_at(text: str, width: float) -> list[str]:
    """Greedy lines of at most ``width``; a closing mark may hang one character over,
    and is never put at the start of a line, nor an opening one at the end."""
    lines: list[list[str]] = []
    line: list[str] = []
    used = 0.0
    for unit in _units(text):
        w = _span(unit)
        if not line or used + w <= width or (unit in _CLOSING and used + w <= width + 1):
            line.append(unit)
            used += w
            continue
        carry: list[str] = []
        if unit[0] in _CLOSING:  # take the unit before it along, so the new line starts with text
            while len(line) > 1:
                carry.insert(0, line.pop())
                if carry[0][0] not in _CLOSING:
                    break
        while len(line) > 1 and line[-1][-1] in _OPENING:
            carry.insert(0, line.pop())
        lines.append(line)
        line = [*carry, unit]
        used = sum(_span(u) for u in line)
    if line:
        lines.append(line)
    return ["".join(x) for x in lines]


def _wrap(text: str, width: float) -> list[str]:
    """Lines of a highlight; no line of one or two characters left at the end."""
    lines = _wrap_at(text, width)
    if len(lines) > 1 and len(lines[-1]) <= 2:
        for narrower in range(1, 5):
            other = _wrap_at(text, width - narrower)
            if len(other) == len(lines) and len(other[-1]) > 2:
                return other
    return lines


def _cuts(text: str, limit: int) -> tuple[list[int], list[int]]:
    """Where, within the first ``limit`` characters, a clause ends outside brackets
    and quotes: at 「，；：」 and at 「、」 (not inside 1,200 or http://)."""
    major, minor, depth = [], [], 0
    for i in range(min(len(text), limit)):
        ch = text[i]
        if ch in _DEPTH_OPEN:
            depth += 1
        elif ch in _DEPTH_CLOSE:
            depth = max(depth - 1, 0)
        elif depth == 0 and i >= _MIN_CUT:
            if ch in "，；：":
                major.append(i)
            elif ch in ",;:" and not (i + 1 < len(text) and (_is_word(text[i + 1]) or text[i + 1] == "/")):
                major.append(i)
            elif ch in _LIST_MARK:
                minor.append(i)
    return major, minor


def _fit(sentence: str, width: float, max_lines: int) -> list[str] | None:
    """The sentence as at most ``max_lines`` lines: whole, or cut after its longest
    whole clause that fits (ended with 「……」); None when no clause fits."""
    body = sentence[_ordinal(sentence):].strip()
    if body and (body[-1] in _CLAUSE or body[-1] in _LIST_MARK):
        body = body[:-1] + "。"
    if not body:
        return None
    room = max_lines * (width + 1)
    limit = int(room * 2) + 2  # no more characters than this fit, however narrow
    if _span(body[:limit]) <= room:
        lines = _wrap(body, width)
        if len(lines) <= max_lines:
            return lines
    major, minor = (_longest(body, cuts, width, max_lines) for cuts in _cuts(body, limit))
    if minor and (not major or len("".join(minor)) > len("".join(major)) + width / 2):
        return minor  # a list item (「、」) only when it says much more than the whole clause
    return major


def _longest(body: str, cuts: list[int], width: float, max_lines: int) -> list[str] | None:
    """The lines of the longest piece ``body[:i]`` + 「……」 that fits, over the cut points."""
    room = max_lines * (width + 1)
    for i in reversed(cuts):
        piece = body[:i] + ELLIPSIS
        if _span(piece) > room:
            continue
        lines = _wrap(piece, width)
        if len(lines) <= max_lines:
            return lines
    return None


_RESULT = {"结果维持": "维持", "结果纠正": "纠正", "其他结果": "其他", "尚未审结": "未审结"}


def _short(label: str) -> str:
    """「（二）部分公开（区分处理的……）」 → 「部分公开」."""
    return re.sub(r"^（[一二三四五六七八九十]+）|^\([一二三四五六七八九十]+\)", "", label).split("（")[0]


def _proactive(report: Report, last: Report | None) -> list[Card]:
    cards = []
    for (row, column), cell in report.proactive.items():
        block = next(b for b in report.fmt.blocks if row in b.rows)
        node = next(c for c in block.columns if c.key == column)
        if node.type == "signed" or column in ("本年废止件数", "上一年项目数量", "本年新公开数量"):
            continue
        before = last.proactive.get((row, column)).value if last and (row, column) in last.proactive else None
        if isinstance(cell.value, str):
            value, unit = cell.value, ""
        else:
            value, unit = number_text(cell.value, node.type), "万元" if node.type == "amount" else ""
        change = _change(cell.value, before) if isinstance(cell.value, (int, Decimal)) and \
            isinstance(before, (int, Decimal)) else ""
        cards.append(Card(block.row_label(row), value, unit, change, node.label.split("（")[0]))
    return cards


def build(report: Report, theme: str = "red", last: Report | None = None) -> Graphic:
    """What the picture shows, read from the model."""
    fmt = report.fmt
    s = requests_summary(report)
    before = requests_summary(last) if last is not None else None
    requests = [
        Card("本年新收申请", str(s.received), "件", _change(s.received, before.received if before else None)),
        Card("上年结转", str(s.carried_in), "件"),
        Card("办理完毕", str(s.handled), "件", _change(s.handled, before.handled if before else None)),
        Card("结转下年度", str(s.carried_out), "件"),
    ]
    group = fmt.result_group()
    outcomes = _bars([(_short(c.label), report.request_figure(c.key)) for c in group.children if not c.total])
    received = fmt.row_with_role("received")[0]
    assert report.requests is not None
    applicants = _bars([(leaf.label, report.requests.get(received, leaf.key))
                        for _, leaf in fmt.applicants.leaves() if not leaf.total])
    appeals = []
    for role, name in (("reviews", "行政复议"), ("lawsuits", "行政诉讼")):
        group_node = fmt.appeals_group(role)
        results: dict[str, int] = {}
        for path, leaf in group_node.leaves():
            if not leaf.total:
                results[leaf.label] = results.get(leaf.label, 0) + int(report.appeals[(group_node.key, *path)].value)
        detail = "  ".join(f"{_RESULT.get(k, k)} {v}" for k, v in results.items() if v) or "本年度未发生"
        appeals.append(Card(name, str(report.appeals_total(role)), "件", detail))
    highlights = pick_highlights(highlight_sources(report))
    if not highlights:  # no aspects written: the opening paragraphs of 一 instead
        highlights = pick_highlights([[p] for p in report.overview.get("概述", [])])
    date = f"{report.date.year}年{report.date.month}月{report.date.day}日" if report.date else ""
    g = Graphic(
        title=f"{report.year}年政府信息公开工作年度报告图解", agency=report.agency, year=report.year,
        theme=THEMES[theme], proactive=_proactive(report, last), requests=requests, outcomes=outcomes,
        applicants=applicants, appeals=appeals, highlights=highlights,
        footer=" ".join(x for x in (report.agency, date) if x),
    )
    if s.received + s.carried_in == 0:
        g.outcomes, g.applicants = [], []
        g.no_requests = "本年度未收到政府信息公开申请，也没有上年结转的申请"
    _place(g)
    return g


def _place(g: Graphic) -> None:
    """Vertical positions of the parts: each takes the room its content needs."""
    y = 0
    g.rows["band"] = y
    y += 190
    g.rows["proactive"] = y
    y += 70 + 110 * ((len(g.proactive) + 2) // 3)
    g.rows["requests"] = y
    y += 70 + 120 + (40 if g.no_requests else 0)
    g.rows["outcomes"] = y
    y += 60 + 40 * len(g.outcomes) if g.outcomes else 0
    g.rows["applicants"] = y
    y += 60 + 40 * len(g.applicants) if g.applicants else 0
    g.rows["appeals"] = y
    y += 70 + 130
    if g.highlights:
        g.rows["highlights"] = y
        y += 70 + sum(30 * len(lines) + 22 for lines in g.highlights)
    g.rows["footer"] = y
    g.height = y + 80


@functools.lru_cache(maxsize=2)
def _template(directory: str) -> jinja2.Template:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(directory), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    return env.get_template("graphic.svg.j2")


def svg(report: Report, theme: str = "red", last: Report | None = None) -> str:
    if theme not in THEMES:
        raise MkreportError(f"没有「{theme}」这种配色，可选：" + "、".join(THEMES))
    return _template(str(templates_dir())).render(g=build(report, theme, last), width=WIDTH)


# Faces for the PNG, first found wins: Simplified Chinese sans-serif fonts of
# Windows, macOS and Linux. Loading a few files is much faster than every font.
FONT_CANDIDATES = [
    "C:/Windows/Fonts/msyh.ttc", "C:/Windows/Fonts/simhei.ttf",
    "/System/Library/Fonts/PingFang.ttc", "/System/Library/Fonts/STHeiti Medium.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
]


@functools.cache
def _fonts() -> tuple[str, ...]:
    return tuple(f for f in FONT_CANDIDATES if Path(f).is_file())


def require_renderer() -> None:
    """Fail early, with what to install, when PNGs cannot be made."""
    try:
        import resvg_py  # noqa: F401
    except ImportError as exc:
        raise MkreportError(INSTALL_HINT) from exc


def png(svg_text: str, scale: float = 1.0) -> bytes:
    require_renderer()
    import resvg_py

    fonts = list(_fonts())
    try:
        return resvg_py.svg_to_bytes(svg_string=svg_text, zoom=scale, skip_system_fonts=bool(fonts),
                                     font_files=fonts or None, background="#ffffff")
    except ValueError as exc:
        raise MkreportError(f"图解无法渲染成 PNG（{exc}）") from exc
