"""A published report's lines → mkreport's input data, placed by the format's labels.

Matching is deterministic: labels are compared after normalising widths,
spaces, brackets and 「1、」/「1.」 numbering; a label that matches only
approximately is accepted above a similarity threshold and reported with its
confidence. Whatever cannot be placed is listed, never guessed. A table that
cannot be found or read whole stops the import with a reason.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from generator import formats
from generator.formats import AMOUNT, SIGNED, TEXT, Format
from generator.importing import runs
from generator.importing.documents import Heading
from generator.reading import schema as S

THRESHOLD = 0.75  # below this a label is not the one we look for
# Segments looked at for one table row, from the one after the row found before:
# a table's region has a few dozen, and each look costs a fuzzy comparison.
WINDOW = 500
MAX_FIGURE_DIGITS = 120  # digits of a figure read as a number; a longer run is no figure


class NotAReport(Exception):
    """The document could not be read as an annual report; the message says why."""


@dataclass
class Recognized:
    data: dict[str, Any]
    fmt: Format
    fuzzy: list[str] = field(default_factory=list)  # labels matched approximately, with confidence
    unplaced: list[str] = field(default_factory=list)  # text kept as comments
    printed: dict[str, list[int]] = field(default_factory=dict)  # printed totals, by row or column
    notices: list[str] = field(default_factory=list)  # what was kept of the local print, and how
    run_in: int = 0  # sub-headings printed at the start of their first paragraph
    alone: int = 0  # sub-headings printed on a line of their own
    unnumbered: int = 0  # sub-headings of either kind printed without （一）
    bold: int = 0  # sub-headings printed in bold
    # Cells of table 三 and 四 printed blank or with 「/」 and read as 0: each as its
    # key path (the section's key first) and what was printed there ("" for nothing).
    blank: list[tuple[tuple[str, ...], str]] = field(default_factory=list)

    def count_headings(self, counts: tuple[int, int, int, int]) -> None:
        self.run_in += counts[0]
        self.alone += counts[1]
        self.unnumbered += counts[2]
        self.bold += counts[3]

    def keep_label(self, path: str, printed: str) -> None:
        """A printed label that differs from the format's, kept as 表头调整."""
        self.data.setdefault(S.LABELS, {})[path] = printed


# -- Normalisation -------------------------------------------------------------

_CJK = r"\u2e80-\u9fff\u3000-\u303f\uff00-\uffef“”‘’《》"
# Spaces inside a label (「本机关不掌握相关 政府信息」) go; a space between a label
# and a figure, or between two figures, stays.
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}:;,()\[\]])[ \t]+(?=[{_CJK}:;,()\[\]])")
_NUMBERING = re.compile(r"(?<![\d.])\d{1,2}\s*[.、]\s*(?=[^\d\s.])")


_CIRCLED = re.compile("[\u2460-\u2473\u3251-\u325f\u32b1-\u32bf]")
_CIRCLED_SPLIT = re.compile("([\u2460-\u2473\u3251-\u325f\u32b1-\u32bf])")


def norm(text: str) -> str:
    """Width, spaces and quotes unified: how labels are compared. Circled note
    markers (①) stay as they are."""
    parts = _CIRCLED_SPLIT.split(text)  # the markers at odd places
    parts[::2] = [unicodedata.normalize("NFKC", part) for part in parts[::2]]
    text = "".join(parts)
    text = text.replace("“", '"').replace("”", '"')
    text = text.replace("\u3000", " ")
    return _SPACE_NEAR_CJK.sub("", text).strip()


def label_core(label: str) -> str:
    """A label without its numbering: 「1.属于国家秘密」 → 「属于国家秘密」."""
    text = norm(label)
    text = re.sub(r"^(\d{1,2}[.、]|[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\))", "", text)
    return text


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


# -- Tokens: label text and values, in reading order -------------------------

_SPACES = re.compile(r"\s+")
_VALUE = re.compile(r"(?P<value>(?:[增减]\s*)?-?\d+(?:\.\d+)?(?:\s*万元|\s*元)?)(?P<mark>[①-⑳㉑-㉟㊱-㊿])?")


@dataclass
class Segment:
    label: str  # normalised text before the values
    values: list[str]
    marks: list[str]


def segments(lines: list[str]) -> list[Segment]:
    """The region as label segments, each followed by the values printed after it."""
    text = "\n".join(norm(cell) for line in lines for cell in line.split("\t"))
    text = _NUMBERING.sub("", text)
    out: list[Segment] = []
    label: list[str] = []
    values: list[str] = []
    marks: list[str] = []
    position = 0
    for m in _VALUE.finditer(text):
        before = text[position:m.start()]
        position = m.end()
        if before.strip():
            if values:
                out.append(Segment("".join(label), values, marks))
                label, values, marks = [], [], []
            label.append(before.strip())
        values.append(_SPACES.sub("", m.group("value")))
        marks.append(m.group("mark") or "")
    tail = text[position:].strip()
    if values:
        out.append(Segment("".join(label), values, marks))
    if tail:
        out.append(Segment(tail, [], []))
    return [Segment(_SPACES.sub("", s.label), s.values, s.marks) for s in out]


def _wanted(label: str) -> str:
    """A label as segment labels are compared with it."""
    return re.sub(r"\s+", "", label_core(label))


def _score(want: str, have: str, floor: float = 0.0) -> float:
    """How well a segment's label ``have`` ends with the label ``want`` (1.0:
    exactly). A score below ``floor`` or THRESHOLD may be given as 0, which saves
    the full comparison."""
    if have.endswith(want):
        return 1.0
    # In a PDF, a group label (「（三）/不予/公开」) may stand between a row's label
    # and its figures, and the second line of a long label may come after them.
    if want in have[-(len(want) + 12):]:
        return 0.98
    for k in range(len(want) - 1, max(5, int(len(want) * 0.3)) - 1, -1):
        if have.endswith(want[:k]):
            return 0.95
    # A local short form: 「规范性文件」 printed for 「行政规范性文件」.
    if _common_suffix(want, have) >= max(3, 0.6 * len(want)):
        return 0.9
    tail = have[-len(want):] if len(have) >= len(want) else have
    matcher = difflib.SequenceMatcher(None, want, tail, autojunk=False)
    bar = max(floor, THRESHOLD)
    if matcher.real_quick_ratio() < bar or matcher.quick_ratio() < bar:
        return 0.0  # the ratio is at most these, so below what would be kept
    return matcher.ratio()


def _common_suffix(a: str, b: str) -> int:
    k = 0
    while k < min(len(a), len(b)) and a[-1 - k] == b[-1 - k]:
        k += 1
    return k


def _find(segs: list[Segment], start: int, label: str, count: int) -> tuple[int, float]:
    """The first segment from ``start`` whose label matches and that carries ``count``
    values, among the next WINDOW segments (the next row of a table is near)."""
    want = _wanted(label)
    best = (-1, 0.0)
    for i in range(start, min(len(segs), start + WINDOW)):
        if len(segs[i].values) < count:
            continue
        score = _score(want, segs[i].label, best[1])
        if score == 1.0:
            return i, 1.0
        if score >= THRESHOLD and score > best[1]:
            best = (i, score)
    return best


# -- Sections -------------------------------------------------------------------

SECTION_WORDS = {
    "overview": ("一", ("总体",)),
    "proactive": ("二", ("主动公开",)),
    "requests": ("三", ("申请",)),
    "appeals": ("四", ("复议", "诉讼")),
    "problems": ("五", ("问题",)),
    "other": ("六", ("其他",)),
}


_CHAPTER = re.compile(r"^([一二三四五六七八九十]{1,3})[、.,]")
# The number of a chapter heading as printed, full-width or not: 「十一、」「七．」.
_CHAPTER_NUMBER = re.compile(r"^\s*[一二三四五六七八九十]{1,3}\s*[、.．,，]\s*")
# What stands under each table chapter, whatever its number and title.
_TABLE_MARKS = {
    "proactive": ("第二十条", "信息内容"),
    "requests": ("本年新收", "上年结转"),
    "appeals": ("结果维持", "尚未审结"),
}


# Rows of table 三 numbered like chapters, also when wrapped (「一、本年新收政府信息公开申请」).
_NUMBERED_ROWS = ("一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "三、本年度办理结果",
                  "四、结转下年度继续办理")


def _table_row(text: str) -> bool:
    text = text.replace(".", "、").replace(",", "、")
    head = re.sub(r"[\d\s]+$", "", text)
    return len(head) < 3 or any(row.startswith(head) or row in text for row in _NUMBERED_ROWS)


def chapter_headings(lines: list[str]) -> list[int]:
    """The lines that look like chapter headings: short, numbered 「一、」…「十二、」,
    no sentence, no numbered row of table 三."""
    headings = []
    for i, line in enumerate(lines):
        if "\t" in line or len(line) > 60:
            continue
        text = norm(line).replace(" ", "")
        if _CHAPTER.match(text) and len(text) <= 40 and not re.search(r"[。；]", text[:-1]) \
                and not _table_row(text) and not re.search(r"\d\s+\d", text):
            headings.append(i)
    return headings


def chapter_title(line: str) -> str:
    """A chapter heading without its number: 「十一、其他需要报告的事项」 → 「其他需要报告的事项」."""
    return " ".join(_CHAPTER_NUMBER.sub("", line, count=1).split())


def _same_title(a: str, b: str) -> bool:
    return norm(a).replace(" ", "") == norm(b).replace(" ", "")


# Chapters mkreport leaves out when nothing is written in them (六 it never leaves out).
OPTIONAL = ("overview", "problems")


def find_sections(lines: list[str], fmt: Format) -> dict[str, int]:
    """The line of each of the six official chapters, in any order and numbering.

    A chapter heading is a short numbered line (「一、」…「十二、」). The three
    table chapters are known by the table under them (a provincial order may put
    the narrative chapters first, with titles such as 「三、主动公开工作情况」);
    the others by their title, or else by their words. A chapter of OPTIONAL that
    is not there is left out: a report prints no chapter with nothing in it."""
    headings = chapter_headings(lines)
    if not headings:
        raise NotAReport("找不到「一、总体情况」等各部分的标题（「一、……」「二、……」），无法识别为年度报告")
    found: dict[str, int] = {}
    marked: dict[str, list[int]] = {name: [] for name in _TABLE_MARKS}
    for k, i in enumerate(headings):
        end = headings[k + 1] if k + 1 < len(headings) else len(lines)
        # The lines under one heading end at the next: each line is read once.
        under = "".join(norm(line).replace(" ", "") for line in lines[i + 1: min(end, i + 80)])
        for name, marks in _TABLE_MARKS.items():
            if all(m in under for m in marks):
                marked[name].append(i)
    for name, (numeral, words) in SECTION_WORDS.items():
        taken = set(found.values())
        candidates = [i for i in headings if i not in taken and any(w in norm(lines[i]) for w in words)]
        if name in marked:
            # A table chapter is the one with its table under it; the words decide only
            # when no chapter shows the table's headers (a table printed without them).
            candidates = [i for i in marked[name] if i not in taken] or candidates
        # The chapter's own title first (「十、存在的主要问题及改进情况」 rather than
        # 「五、上年问题整改情况」), then the official numeral (「五、……问题……」),
        # then any chapter with the words.
        titled = [i for i in candidates if any(_same_title(chapter_title(lines[i]), t)
                                               for t in (fmt.sections[name], fmt.section_title(name)))]
        exact = [i for i in candidates if norm(lines[i]).replace(" ", "").startswith(numeral)]
        pick = (titled or exact or candidates or [None])[0]
        if pick is None and name in OPTIONAL:
            continue
        if pick is None:
            raise NotAReport(f"找不到「{fmt.sections[name]}」这一部分的标题（应是「×、」开头、"
                             f"含「{'」或「'.join(words)}」的一行），无法识别为年度报告。"
                             "如果报告用了省里的格式变体，请加 --format-file")
        found[name] = pick
    return found


def cn_value(numeral: str) -> int:
    """「十一」 → 11; 0 for what is no number of a chapter."""
    digits = "一二三四五六七八九"
    if "十" not in numeral:
        return digits.index(numeral) + 1 if len(numeral) == 1 and numeral in digits else 0
    tens, _, units = numeral.partition("十")
    if len(tens) > 1 or len(units) > 1 or (tens and tens not in digits) or (units and units not in digits):
        return 0
    return (digits.index(tens) + 1 if tens else 1) * 10 + (digits.index(units) + 1 if units else 0)


@dataclass(frozen=True)
class PrintedChapter:
    line: int
    name: str  # an official section's name, or "" for a chapter of the office's own
    title: str  # as printed, without its number


def find_chapters(lines: list[str], fmt: Format, at: dict[str, int], after: int) -> list[PrintedChapter]:
    """Every chapter in print order: the six official ones (``at``), and those of the
    office's own between them (「二、工作机制保障」). A heading is a chapter of its own
    when its number follows the chapter before it and comes before the next official
    one; otherwise it is text of the chapter it stands in. Titles taken by a key of
    the input file, by an official chapter, or used twice are no chapters either."""
    official = {i: name for name, i in at.items()}
    reserved = {norm(w).replace(" ", "") for name in fmt.sections
                for w in (name, fmt.section_key(name), fmt.sections[name], fmt.section_title(name))}
    reserved |= {norm(w) for w in S.top_keys()}
    numbers = {i: cn_value(_CHAPTER.match(norm(lines[i]).replace(" ", "")).group(1))
               for i in chapter_headings(lines)}
    out: list[PrintedChapter] = []
    last = 0
    own = 0
    for i in sorted(set(official) | {i for i in numbers if i > after}):
        number = numbers.get(i, 0)
        if i in official:
            out.append(PrintedChapter(i, official[i], chapter_title(lines[i])))
            last = number or last + 1
            continue
        later = [numbers.get(j, 0) for j in sorted(official) if j > i]
        title = chapter_title(lines[i])
        key = norm(title).replace(" ", "")
        if number != last + 1 or (later and later[0] and later[0] <= number) or not key or key in reserved \
                or title[:1] in "（(" or own >= S.MAX_OWN_CHAPTERS:
            continue
        reserved.add(key)
        out.append(PrintedChapter(i, "", title))
        last = number
        own += 1
    return out


_TITLE = re.compile(r"^(?P<agency>.*?)(?P<year>20\d\d)年(?:度)?政府信息公开(?:工作)?年度报告$")
_TITLE_YEAR_FIRST = re.compile(r"^(?P<year>20\d\d)年(?:度)?(?P<agency>.+?)政府信息公开(?:工作)?年度报告$")
TITLE_CHARS = 120  # a longer line is no title, and is not matched
# A line that cannot be part of an agency's name: a numbered heading or a sentence.
_NOT_AGENCY = re.compile(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d{1,2}[.、])|[。；：，]")


def _title_words(text: str) -> tuple[str, int] | None:
    """Agency (may be empty) and year of a title 「某局2024年政府信息公开工作年度报告」,
    「2024年某局政府信息公开工作年度报告」 or 「某局2024年政府信息公开年度报告」."""
    if len(text) > TITLE_CHARS:
        return None
    m = _TITLE.match(text)
    if m is not None and m.group("agency"):
        return m.group("agency"), int(m.group("year"))
    year_first = _TITLE_YEAR_FIRST.match(text)
    if year_first is not None:
        return year_first.group("agency"), int(year_first.group("year"))
    return ("", int(m.group("year"))) if m is not None else None


@dataclass(frozen=True)
class Title:
    agency: str
    year: int
    lines: list[str]  # as printed, line by line (spaces dropped)
    last: int  # the index of its last line


def read_title(lines: list[str]) -> Title:
    """Agency and year from the title, agency first or year first, which may be set
    over two lines broken anywhere, or stand alone with the agency on the line above."""
    # A saved portal page may carry a few hundred lines of navigation before the title.
    head = [(i, norm(line).replace(" ", "")) for i, line in enumerate(lines[:600])]
    head = [(i, t) for i, t in head if t and not _page_number(t)]

    def printed(i: int) -> str:
        return "".join(lines[i].split())

    for k, (i, text) in enumerate(head):
        found = _title_words(text)
        if found is not None and found[0]:
            return Title(found[0], found[1], [printed(i)], i)
        if found is not None:
            if k and not _NOT_AGENCY.search(head[k - 1][1]) and len(head[k - 1][1]) <= TITLE_CHARS:
                j = head[k - 1][0]  # the agency stands on the line above
                return Title(head[k - 1][1], found[1], [printed(j), printed(i)], i)
            continue
        if k + 1 < len(head) and not _NOT_AGENCY.search(text):
            j, following = head[k + 1]
            alone = _title_words(following)
            if alone is not None and alone[0]:
                continue  # the next line is the whole title
            found = _title_words(text + following)
            if found is not None and found[0]:
                return Title(found[0], found[1], [printed(i), printed(j)], j)
    raise NotAReport("找不到标题「××××年政府信息公开工作年度报告」，无法确定机关名称和年度")


def _page_number(text: str) -> bool:
    """「- 3 -」, 「3」 or a rule of dashes (what ``[-—－]*\\d*[-—－]*`` matches, in
    linear time: the pattern tries every split of a long rule)."""
    middle = text.strip("-—－")
    return not middle or middle.isdecimal()


def choose_format(lines: list[str], year: int) -> Format:
    text = norm("".join(lines))
    old = sum(w in text for w in ("本年新制作数量", "其他对外管理服务事项", "第二十条第(九)项", "对外公开总数量"))
    new = sum(w in text for w in ("本年制发件数", "现行有效件数", "逾期不补正", "本年废止件数"))
    if old > new:
        return formats.load("2019")
    if new > old:
        return formats.load("2021")
    fmt = formats.for_year(year)
    if fmt is None:
        raise NotAReport(f"不支持 {year} 年度的报告")
    return fmt


# -- Tables ---------------------------------------------------------------------

def _figure(text: str) -> str:
    """The text of a printed figure. A run of digits longer than any figure is
    refused: it is no figure, and converting it costs more the longer it is
    (Python refuses past 4,300 digits)."""
    if len(text) > MAX_FIGURE_DIGITS:
        raise NotAReport(f"表格中有一个 {len(text)} 位的数字（「{text[:20]}……」），超过 {MAX_FIGURE_DIGITS} 位，"
                         "不是报告中的数字")
    return text


def to_int(text: str) -> int:
    """A printed figure as a number (see ``_figure``)."""
    return int(_figure(text))


def _number(text: str, kind: str) -> Any:
    if kind == TEXT:
        return text
    if kind == SIGNED:
        sign = -1 if text.startswith("减") else 1
        return sign * to_int(text.lstrip("增减"))
    if kind == AMOUNT:
        value = Decimal(_figure(text).rstrip("万元"))
        return int(value) if value == int(value) else value
    return to_int(text.rstrip("元").split(".")[0])


def read_proactive(fmt: Format, lines: list[str], out: Recognized) -> dict:
    segs = runs.proactive(fmt, segments(lines), lines, out)  # rows whose figures ran together
    data: dict[str, dict] = {}
    position = 0
    for block in fmt.blocks:
        for row in block.rows:
            label = block.row_label(row)
            i, score = _find(segs, position, label, len(block.columns))
            if i < 0:
                raise NotAReport(f"表二中找不到「{label}」一行，或这一行的数字不全")
            if score < 1.0:
                out.fuzzy.append(f"表二「{label}」按「{segs[i].label[-len(label) - 4:]}」读取（相似度 {score:.0%}）")
                k = _common_suffix(label_core(label), segs[i].label)
                if score == 0.9 and k < len(label):  # printed in the local short form: keep it
                    out.data.setdefault(S.LABELS, {})[f"表二/{block.key}/{row}"] = segs[i].label[-k:]
            cells = {}
            for column, value in zip(block.columns, segs[i].values):
                cells[column.key] = _number(value, column.type)
            if any(v not in (0, "0") for v in cells.values()):
                data[row] = cells
            position = i + 1
    _column_labels(fmt, lines, out)
    return data


def _column_labels(fmt: Format, lines: list[str], out: Recognized) -> None:
    """Column headers printed in a local wording (seed 004: 「本年收费金额（单位：万元，
    保留4位小数）」) are kept as 表头调整, so the imported report prints them again.
    Each block's header line starts with 「信息内容」; its cells are split by tabs,
    or by spaces in copied text. A line whose cells don't line up is left alone."""
    content = re.sub(r"\s+", "", norm(fmt.content_label))
    headers = []
    for line in lines:
        cells = [c for c in line.split("\t") if c.strip()]
        if len(cells) == 1:
            cells = cells[0].split()
        if cells and len(cells[0]) <= 4 * len(content) + 20 and re.sub(r"\s+", "", norm(cells[0])) == content:
            headers.append(cells[1:])
    if len(headers) != len(fmt.blocks):
        return
    for block, cells in zip(fmt.blocks, headers):
        if len(cells) != len(block.columns):
            continue
        for column, cell in zip(block.columns, cells):
            printed = re.sub(r"\s+", "", norm(cell))
            official = re.sub(r"\s+", "", norm(column.label))
            # A header wrapped over two lines (「本年新/制作数量」) is not a local wording.
            if printed != official and not official.startswith(printed) and len(printed) <= 3 * len(official) \
                    and similarity(printed, official) >= 0.5:
                out.data.setdefault(S.LABELS, {})[f"表二/{block.key}/{column.key}"] = cell.strip()
                out.fuzzy.append(f"表二「{column.label}」一列印作「{cell.strip()}」，已写入表头调整")


# What a table prints in a cell that has no figure: nothing, a slash or a dash
# (as :func:`norm` leaves them: 「／」 and 「－」 become 「/」 and 「-」).
NO_FIGURE = frozenset({"", "/", "\\", "-", "—", "——", "–"})
_FIGURE_CELL = re.compile(r"[0-9]+[①-⑳㉑-㉟㊱-㊿]?")


def _cell_kind(cell: str) -> str:
    """「blank」, 「figure」 or 「text」: what one printed table cell holds."""
    text = norm(cell).replace(" ", "")
    if text in NO_FIGURE:
        return "blank"
    return "figure" if _FIGURE_CELL.fullmatch(text) else "text"


@dataclass
class _BlankRow:
    label: str  # the row's label as segment labels are written
    cells: list[tuple[int, str]]  # (the figure's place in the row, what was printed)
    count: int  # the figures of the row


def _blank_cells(lines: list[str], width: int | None) -> tuple[list[str], list[_BlankRow]]:
    """Table rows printed with their cells apart (a Word table, a web page) that
    leave figure cells blank or print 「/」 in them: the lines with each such cell
    as 0, and those rows. A row is its label cells, then its figure cells, which
    must be ``width`` (any number when None, for a row of table 四 without label).
    A line without separate cells is left as it is: there a blank cell cannot be
    told from a missing one."""
    out, rows = [], []
    for line in lines:
        if "\t" not in line:
            out.append(line)
            continue
        cells = line.split("\t")
        kinds = [_cell_kind(cell) for cell in cells]
        start = max((k for k, kind in enumerate(kinds) if kind == "text"), default=-1) + 1
        figures = kinds[start:]
        if "blank" not in figures or (width is not None and (len(figures) != width or not start)) \
                or (not start and "figure" not in figures):
            out.append(line)
            continue
        blanks = [(k, cells[start + k].strip()) for k, kind in enumerate(figures) if kind == "blank"]
        out.append("\t".join(cells[:start] + ["0" if kind == "blank" else cell
                                              for cell, kind in zip(cells[start:], figures)]))
        label = _NUMBERING.sub("", "\n".join(norm(cell) for cell in cells[:start]))
        rows.append(_BlankRow(_SPACES.sub("", label), blanks, len(figures)))
    return out, rows


def _blank_segments(segs: list[Segment], rows: list[_BlankRow]) -> dict[int, list[tuple[int, str]]]:
    """The segment each row with blank cells became, in order: the next (among
    WINDOW) whose label ends with the row's and that carries its figures."""
    found: dict[int, list[tuple[int, str]]] = {}
    position = 0
    for row in rows:
        for i in range(position, min(len(segs), position + WINDOW)):
            if row.label and segs[i].label.endswith(row.label) and len(segs[i].values) == row.count:
                found[i] = row.cells
                position = i + 1
                break
    return found


def _blank_notice(out: Recognized, table: str, count: int) -> None:
    if count:
        out.notices.append(f"{table}有 {count} 个格子空着或写「/」等符号，按 0 读取")


def read_requests(fmt: Format, lines: list[str], out: Recognized) -> dict:
    applicants = [leaf for _, leaf in fmt.applicants.leaves()]
    n = len(applicants)
    lines, blank_rows = _blank_cells(lines, n)
    segs = runs.requests(fmt, segments(lines), out)  # rows whose figures ran together
    blanks = _blank_segments(segs, blank_rows)
    section = fmt.section_key("requests")
    before = len(out.blank)
    group = fmt.result_group().key
    data: dict[str, dict] = {}
    position = 0
    collapsed: set[str] = set()
    for path, leaf in fmt.request_rows.leaves():
        if len(path) > 2 and path[-2] in collapsed:
            continue
        i, score = _find(segs, position, leaf.label, 1)
        if i < 0 and len(path) > 2:
            # Some localities print a group as one row (「（六）其他处理」 without its items).
            parent = next(c for c in fmt.result_group().children if c.key == path[-2])
            j, parent_score = _find(segs, position, parent.label, 1)
            other = next((c for c in parent.children if c.key == "其他"), None)
            if j >= 0 and other is not None:
                out.fuzzy.append(f"表三「{parent.label}」只印了一行，没有分项：数字记在「{other.label}」下，"
                                 "请按实际情况拆分到各分项")
                collapsed.add(parent.key)
                i, score, path, leaf = j, parent_score, (*path[:-1], other.key), other
        if i < 0:
            raise NotAReport(f"表三中找不到「{leaf.label}」一行，或这一行不是 {n} 个数字")
        if score < 1.0:
            out.fuzzy.append(f"表三「{leaf.label}」按「{segs[i].label[-len(leaf.label) - 4:]}」读取"
                             f"（相似度 {score:.0%}）")
        figures = [to_int(v) for v in segs[i].values[:n]]
        if len(figures) < n:
            if any(figures):
                raise NotAReport(f"表三「{leaf.label}」一行只有 {len(figures)} 个数字，应有 {n} 个")
            figures = [0] * n  # an all-zero row printed as a single 0 (merged cells)
            note = "表三中只印了一个 0 的行，按整行为 0 读取"
            if note not in out.fuzzy:
                out.fuzzy.append(note)
        position = i + 1
        input_path = path[1:] if path[0] == group else path
        out.blank += [((section, applicants[k].key, *input_path), printed) for k, printed in blanks.get(i, ())]
        if leaf.total:
            out.printed["（七）总计"] = figures
            continue
        out.printed.setdefault("总计列", []).append(figures[-1])
        for applicant, value in zip(applicants, figures):
            # 结转下年度 is kept as printed (0 too) wherever the column has figures:
            # left out, it would be computed, and a wrong printed one would pass unseen.
            if applicant.total or not (value or (leaf.role == "carried_out" and applicant.key in data)):
                continue
            target = data.setdefault(applicant.key, {})
            for key in input_path[:-1]:
                target = target.setdefault(key, {})
            target[input_path[-1]] = value
    _blank_notice(out, "表三", len(out.blank) - before)
    return data


_NOTE_LINE = re.compile(r"^\s*注([①-⑳㉑-㉟㊱-㊿])\s*[:：](?P<note>.+)$")
# What a note line may say before its note: 「注①：……纠错3件，」.
_NOTE_COUNT = re.compile(r"(?<!\d)\d+件[,，]")


def _note_line(line: str) -> tuple[str, str] | None:
    """The mark and the note of a note line under table 四, or None."""
    m = _NOTE_LINE.match(line)
    if m is None:
        return None
    note = m.group("note")
    count = _NOTE_COUNT.search(note)
    if count and count.end() < len(note):
        note = note[count.end():]
    return m.group(1), note.strip()


# A note written into a cell: a figure and a bracket with Chinese text in it. The
# text is matched as one run and then looked at: two runs around a Chinese
# character would be tried at every split.
_CELL_NOTE = re.compile(r"(?<!\d)(\d+)\s*[（(]([^（）()]+)[）)]")
_HAS_CJK = re.compile(r"[\u4e00-\u9fff]")


def read_appeals(fmt: Format, lines: list[str], out: Recognized) -> dict:
    leaves = list(fmt.appeals.leaves())
    notes = {}
    table_lines = []
    for line in lines:
        note = _note_line(line)
        if note:
            notes[note[0]] = note[1]
        else:
            table_lines.append(line)
    # A note written into the cell itself: 「3（市政府本级无纠错件；……）」.
    text = "\n".join(table_lines)
    free = iter(ch for ch in "①②③④⑤⑥⑦⑧⑨⑩" if ch not in notes)

    def cell_note(m: re.Match) -> str:
        if not _HAS_CJK.search(m.group(2)):
            return m.group()
        mark = next(free, "")
        if mark:
            notes[mark] = re.sub(r"\s+", "", m.group(2))
        return m.group(1) + mark

    table_lines = _CELL_NOTE.sub(cell_note, text).split("\n")
    values, marks, blanks = _appeal_values(table_lines, len(leaves))
    values, marks = runs.appeals(fmt, values, marks, out)  # a row whose figures ran together
    if len(values) < len(leaves):
        if any(to_int(v) for v in values) or not values:
            raise NotAReport(f"表四应有 {len(leaves)} 个数字，只找到 {len(values)} 个")
        out.fuzzy.append(f"表四只印了 {len(values)} 个 0，按全部为 0 读取")
        values, marks = ["0"] * len(leaves), [""] * len(leaves)
    if len(values) > len(leaves):
        out.unplaced.append("表四中多出的数字：" + " ".join(values[len(leaves):]))
    data: dict = {}
    section = fmt.section_key("appeals")
    out.blank += [((section, *leaves[k][0]), printed) for k, printed in sorted(blanks.items())]
    _blank_notice(out, "表四", len(blanks))
    for (path, leaf), value, mark in zip(leaves, values, marks):
        number = to_int(value)
        if leaf.total:
            out.printed.setdefault("表四总计", []).append(number)
            continue
        if not number and not mark:
            continue
        target = data
        for key in path[:-1]:
            target = target.setdefault(key, {})
        target[path[-1]] = {S.AMOUNT_KEY: number, S.NOTE_KEY: notes[mark]} if mark in notes else number
    return data


def _appeal_values(lines: list[str], count: int) -> tuple[list[str], list[str], dict[int, str]]:
    """Table 四's figures and note marks in order, and its cells printed blank or
    with 「/」, read as 0, by their place among the ``count`` figures. Blank cells
    are read so only when the figures then come out ``count`` exactly, counted
    line by line as well as in all."""
    filled, rows = _blank_cells(lines, None)
    if rows:
        values, marks = _values_of(filled)
        places: dict[int, str] = {}
        offset, left = 0, iter(rows)
        for original, line in zip(lines, filled):
            own = len(_values_of([line])[0])
            if line != original:
                row = next(left)
                places.update({offset + own - row.count + k: printed for k, printed in row.cells})
            offset += own
        if len(values) == count == offset:
            return values, marks, places
    values, marks = _values_of(lines)
    return values, marks, {}


def _values_of(lines: list[str]) -> tuple[list[str], list[str]]:
    values: list[str] = []
    marks: list[str] = []
    for seg in segments(lines):
        values += seg.values
        marks += seg.marks
    return values, marks


# -- Narrative ------------------------------------------------------------------

_SUB_HEADING = re.compile(r"^\(([一二三四五六七八九十]+)\)(.{1,30})$")


def paragraphs(lines: list[str]) -> list[str]:
    """The non-blank lines, each with its spaces run together; a line printed as a
    sub-heading stays one (:class:`documents.Heading`)."""
    out: list[str] = []
    for line in lines:
        if not line.strip() or re.fullmatch(r"[-—\s\d]+", line):
            continue
        text = " ".join(line.split())
        if isinstance(line, Heading):
            lead = len(" ".join(line[:line.lead].split())) if line.lead else 0
            text = Heading(text, lead, line.bold) if not lead or text[lead:].strip() else Heading(text, 0, line.bold)
        out.append(text)
    return out


# A sub-heading run in at the start of its paragraph: 「（一）主动公开情况。2024年，……」.
_RUN_IN = re.compile(r"^\s*（([一二三四五六七八九十]{1,3})）\s*([^。；：:！？]{2,30})[。：:]")
_HEADING_NUMBER = re.compile(r"^\s*[（(][一二三四五六七八九十]{1,3}[）)]\s*")
_NUMERALS = "一二三四五六七八九十"


def _heading_text(printed: str, keep_number: bool) -> str:
    """A sub-heading as the input file writes it: without its （一） (mkreport numbers
    it) unless ``keep_number``, and without the 「。」 a run-in heading ends with."""
    text = printed.strip() if keep_number else _HEADING_NUMBER.sub("", printed, count=1).strip()
    return text[:-1].rstrip() if text.endswith("。") else text


def _standing(text: str) -> int:
    """How a paragraph stands as a sub-heading on a line of its own: 1 numbered
    （一）…, 2 printed as one without a number (not ending a sentence), 0 not."""
    marked = isinstance(text, Heading)
    if marked and text.lead:
        return 0
    # A sub-heading is short (spaces between its characters at most): a long
    # paragraph is not compared.
    m = _SUB_HEADING.match(norm(text).replace(" ", "")) if len(text) <= 100 else None
    if m and not re.search(r"[。；]", m.group(2)[:-1]):
        return 1
    return 2 if marked and not text.rstrip().endswith("。") else 0


def split_headed(lines: list[str], run_in: bool = True, keep_numbers: bool = False
                 ) -> tuple[list[str], list[tuple[str, list[str]]], tuple[int, int, int, int]]:
    """Paragraphs before the first sub-heading, each sub-heading with its own, and how
    many sub-headings were run in at the start of their first paragraph, how many
    stood alone, how many of them had no number and how many were bold.

    A sub-heading is numbered （一）…, or printed as one (a heading style, bold or
    楷体: :class:`documents.Heading`); one of the latter with nothing under it is a
    paragraph. Numbered run-in headings not so marked count only when numbered
    （一）（二）… in order; otherwise such paragraphs are text that happens to start
    with a number. ``keep_numbers`` keeps the printed （一） in the heading's text (a
    report whose other sub-headings have none)."""
    texts = paragraphs(lines)
    standing = [_standing(t) for t in texts]
    for k in range(len(texts) - 1, -1, -1):
        if standing[k] == 2 and (k + 1 == len(texts) or standing[k + 1]):
            standing[k] = 0
    intro: list[str] = []
    parts: list[tuple[str, list[str]]] = []
    counts = [0, 0, 0, 0]
    for text, stands in zip(texts, standing):
        lead = text.lead if isinstance(text, Heading) else 0
        if stands:
            parts.append((_heading_text(text, keep_numbers), []))
            counts[1] += 1
            counts[2] += stands == 2
            counts[3] += isinstance(text, Heading) and text.bold
            continue
        if lead and run_in:
            head = text[:lead]
            parts.append((_heading_text(head, keep_numbers), [str(text[lead:]).strip()]))
            counts[0] += 1
            counts[2] += not _HEADING_NUMBER.match(head)
            counts[3] += text.bold
            continue
        m = _RUN_IN.match(text[:40]) if run_in and not lead else None
        if m and text[m.end():].strip():
            if len(parts) >= len(_NUMERALS) or m.group(1) != _NUMERALS[len(parts)]:
                return split_headed(lines, run_in=False, keep_numbers=keep_numbers)
            parts.append((_heading_text(text[:m.end()], keep_numbers), [text[m.end():].strip()]))
            counts[0] += 1
        elif parts:
            parts[-1][1].append(str(text))
        else:
            intro.append(str(text))
    return intro, parts, (counts[0], counts[1], counts[2], counts[3])


_HEADING_ENDS = ("情况", "方面", "工作")


def _core(heading: str) -> str:
    text = norm(heading).replace(" ", "").rstrip("。：:")
    for end in _HEADING_ENDS:
        if text.endswith(end) and len(text) > len(end) + 1:
            return text[: -len(end)]
    return text


def official_part(heading: str, known: list[formats.Node]) -> formats.Node | None:
    """The official part a printed sub-heading stands for: its label or key, with or
    without 「情况」「方面」「工作」, or a heading that names exactly one part
    (「强化监督保障」, 「平台建设情况」)."""
    core = _core(heading)
    exact = [n for n in known if core in (_core(n.label), norm(n.key), norm(n.label))]
    if exact:
        return exact[0]
    close = [n for n in known if len(core) >= 4 and (_core(n.label) in core or core in _core(n.label))]
    return close[0] if len(close) == 1 else None


def _placement(parts: list[tuple[str, list[str]]], known: list[formats.Node]) -> list[formats.Node | None]:
    """The official part each sub-heading stands for, or None for an own sub-heading:
    official ones come first and in the official order (the report prints them so)."""
    out: list[formats.Node | None] = []
    taken: set[str] = set()
    order = [n.key for n in known]
    last = -1
    own = False  # after an own sub-heading, all are own
    for heading, _ in parts:
        target = None if own else official_part(heading, known)
        if target is not None and target.key not in taken and order.index(target.key) > last:
            taken.add(target.key)
            last = order.index(target.key)
            out.append(target)
        else:
            out.append(None)
            own = True
    return out


def place_parts(parts: list[tuple[str, list[str]]], known: list[formats.Node]) -> tuple[dict, list, dict]:
    """Sub-headings that stand for official parts go to their keys (see
    :func:`_placement`); the others stay own sub-headings. Also returns the printed
    wording of each placed heading that differs from the official label, as 表头调整
    would write it."""
    placed: dict[str, list[str]] = {}
    own = []
    wording: dict[str, str] = {}
    for (heading, texts), target in zip(parts, _placement(parts, known)):
        if target is not None:
            placed[target.key] = texts
            if norm(heading).replace(" ", "") != norm(target.label).replace(" ", ""):
                wording[target.key] = heading
        else:
            own.append({heading: texts})
    return placed, own, wording


# -- The whole report -------------------------------------------------------------

_DATE = re.compile(r"^(20\d\d)年(\d{1,2})月(\d{1,2})日$")


@dataclass
class Narrative:
    """A narrative chapter as printed: 一 or one of the office's own."""

    key: str  # its key in the input file
    name: str  # "overview", or "" for a chapter of the office's own
    intro: list[str]
    parts: list[tuple[str, list[str]]]


def read_report(lines: list[str], variant: Format | None = None) -> Recognized:
    """Everything that can be placed, as input data; raises NotAReport otherwise.

    ``variant`` is the locality's format when the report was printed by one. The
    data prints the report again as it was published: its title, its chapters in
    their order (those of the office's own too), every heading and paragraph; what
    mkreport writes itself (the applications summary, the fee statement, 「无其他
    需要报告的事项。」) is left to it only where it was printed as mkreport prints it.
    """
    out = _read(lines, variant, keep_numbers=False)
    if 0 < out.unnumbered < out.run_in + out.alone:
        # Sub-headings without a number beside numbered ones: printed unnumbered,
        # the numbered ones keep the number they were printed with.
        out = _read(lines, variant, keep_numbers=True)
    return out


def _read(lines: list[str], variant: Format | None, keep_numbers: bool) -> Recognized:
    from generator.model import build as build_model
    from generator.rendering.compose import sentence

    def split(lines: list[str], run_in: bool = True) -> tuple:
        return split_headed(lines, run_in, keep_numbers)

    title = read_title(lines)
    agency, year = title.agency, title.year
    fmt = variant or choose_format(lines, year)
    at = find_sections(lines, fmt)
    chapters = find_chapters(lines, fmt, at, title.last)
    out = Recognized({S.AGENCY: agency, S.YEAR: year}, fmt)
    if variant is None and fmt.id != formats.for_year(year).id:
        out.data[S.FORMAT] = fmt.id
    end = _closing(lines, max(c.line for c in chapters), out)
    starts = sorted(c.line for c in chapters)

    def region_at(line: int) -> list[str]:
        later = [i for i in starts if i > line]
        return lines[line + 1: min([end, *later[:1]])]

    def region(name: str) -> list[str]:
        return region_at(at[name]) if name in at else []

    # Section titles printed in a local wording are kept as 表头调整.
    labels = {}
    for name, line in at.items():
        printed = chapter_title(lines[line])
        if not _same_title(printed, fmt.section_title(name)):
            labels[f"{formats.SECTIONS_ROOT}/{fmt.section_key(name)}"] = printed
    if labels:
        out.data[S.LABELS] = labels
    proactive = read_proactive(fmt, region("proactive"), out)
    requests = read_requests(fmt, region("requests"), out)
    appeals = read_appeals(fmt, region("appeals"), out)
    for name, value in (("proactive", proactive), ("requests", requests), ("appeals", appeals)):
        if value:
            out.data[fmt.section_key(name)] = value
    report, _, _ = build_model(fmt, out.data)
    summary = sentence(report, "requests_summary")
    _read_title_lines(out, report, title)

    # The opening paragraphs: contact details from them, and kept only when not ours.
    first = min([c.line for c in chapters if c.name == "overview" or (not c.name and c.line > title.last)],
                default=min(at.values()))
    opening = [p for p in paragraphs(lines[title.last + 1: first])
               if _title_words(norm(p).replace(" ", "")) is None]
    _opening_details(opening, out)
    if opening:
        report, _, _ = build_model(fmt, out.data)
        if [sentence(report, "opening")] != opening:
            out.data[S.OPENING] = opening

    # 一, and the chapters of the office's own
    intro, parts, counts = split(region("overview"))
    aspects = list(fmt.overview_aspects)
    if counts[0] and all(p is None for p in _placement(parts, aspects)) and any(summary in ts for _, ts in parts):
        # Own run-in headings around mkreport's own applications sentence: read as
        # paragraphs, where the sentence can be recognised in its place.
        intro, parts, counts = split(region("overview"), run_in=False)
    out.count_headings(counts)
    _kept_headings(out, fmt, "overview", place_parts(parts, aspects)[2])
    narratives = [Narrative(fmt.section_key("overview"), "overview", intro, parts)]
    for chapter in chapters:
        if not chapter.name:
            intro, parts, counts = split(region_at(chapter.line))
            out.count_headings(counts)
            narratives.append(Narrative(chapter.title, "", intro, parts))
    order = {c.title if not c.name else fmt.section_key(c.name): c.line for c in chapters}
    narratives.sort(key=lambda n: order.get(n.key, -1))
    _read_chapters(out, fmt, chapters)
    _read_narratives(out, fmt, narratives, summary)

    # 五
    intro, parts, counts = split(region("problems"))
    out.count_headings(counts)
    placed, own, wording = place_parts(parts, list(fmt.problem_parts))
    _kept_headings(out, fmt, "problems", wording)
    section: dict[str, Any] = {S.INTRO: intro} if intro else {}
    section.update({k: v for k, v in placed.items() if v})
    if own:
        section[S.OWN] = own
    if section:
        out.data[fmt.section_key("problems")] = section

    # 六
    section = _read_other(fmt, split(region("other")), out, report)
    if section:
        out.data[fmt.section_key("other")] = section
    _heading_style(out)
    # Settings first, then the chapters in the order they are printed.
    keys = [fmt.section_key(c.name) if c.name else c.title for c in chapters]
    schema_order = list(S.format_schema(fmt)["properties"])
    settings = sorted((k for k in out.data if k not in keys), key=schema_order.index)
    out.data = {k: out.data[k] for k in settings + [k for k in keys if k in out.data]}
    return out


def _heading_style(out: Recognized) -> None:
    """小标题样式 and 小标题字体 as the sub-headings were printed."""
    run_in, alone, unnumbered = out.run_in, out.alone, out.unnumbered
    if run_in and alone:
        out.notices.append(f"{run_in} 个小标题与正文印在同一段，另有 {alone} 个单独成行；一份报告只能用一种印法，"
                           "生成的报告中小标题都单独成行")
    if unnumbered:
        out.data[S.HEADING_STYLE] = S.RUN_IN_UNNUMBERED if run_in and not alone else S.UNNUMBERED
        out.notices.append(f"{unnumbered} 个小标题没有编号，已写入「小标题样式: {out.data[S.HEADING_STYLE]}」；"
                           "印有编号的小标题连编号写入，照原样印出")
    elif run_in and not alone:
        out.data[S.HEADING_STYLE] = S.RUN_IN
        out.notices.append(f"{run_in} 个小标题与正文印在同一段（「（一）……。」接正文），已写入「小标题样式: 接排」，"
                           "生成的报告照此印出")
    if out.bold and out.bold == run_in + alone:
        out.data[S.HEADING_FACE] = S.BOLD
        out.notices.append(f"小标题印为加粗，已写入「小标题字体: {S.BOLD}」")


def _closing(lines: list[str], last: int, out: Recognized) -> int:
    """Where the report's text ends: before the signature (the agency's name over the
    date) after the last chapter's heading, which gives 发布日期. What follows the
    date on a saved web page (links, copyright) is listed, not placed."""
    filled = [i for i in range(last + 1, len(lines)) if paragraphs([lines[i]])]
    dated = next((k for k, i in enumerate(filled) if _DATE.match(norm(lines[i]).replace(" ", ""))), None)
    if dated is None:
        return len(lines)
    out.unplaced += [t[:60] for t in paragraphs([lines[i] for i in filled[dated + 1:]])]
    if dated == 0:
        return filled[0] + 1  # a date alone is text of the chapter
    y, m, d = _DATE.match(norm(lines[filled[dated]]).replace(" ", "")).groups()
    out.data[S.DATE] = f"{y}年{int(m)}月{int(d)}日"
    signed = filled[dated - 1]
    return signed if norm(lines[signed]).replace(" ", "") == norm(out.data[S.AGENCY]) else filled[dated]


def _read_title_lines(out: Recognized, report, title: Title) -> None:  # noqa: ANN001 - a model.Report
    """The title as printed, kept as 标题 when it is not the one mkreport prints
    (other words, or broken at another place)."""
    from generator.rendering.compose import sentence, title_lines, title_of

    default = title_of(report, lambda macro, *args: sentence(report, macro))
    printed = [norm(line).replace(" ", "") for line in title.lines]
    usual = [norm(line).replace(" ", "") for line in default]
    if printed == usual or (len(printed) == 1 and printed[0] == "".join(usual)):
        return  # a title on one line is broken as mkreport breaks it
    whole = "".join(title.lines)
    # One string when mkreport breaks it there by itself.
    out.data[S.TITLE] = whole if title_lines(whole, report.agency, report.year) == title.lines else list(title.lines)
    out.notices.append(f"标题印作「{'／'.join(title.lines)}」，与默认的不同，已写入「标题」")


def _read_chapters(out: Recognized, fmt: Format, chapters: list[PrintedChapter]) -> None:
    """「章节」 when the chapters are not the format's, or not in its order. An
    official chapter that was not printed (nothing in it) keeps its usual place."""
    keys = [fmt.section_key(c.name) if c.name else c.title for c in chapters]
    usual = [c.key for c in fmt.chapters]
    for k, key in enumerate(usual):
        if key not in keys:
            before = [i for i, printed in enumerate(keys) if printed in usual[:k]]
            keys.insert(before[-1] + 1 if before else 0, key)
            name = next((c.name for c in fmt.chapters if c.key == key), "")
            out.notices.append(f"原报告没有「{fmt.section_title(name) if name else key}」这一部分")
    if keys == usual:
        return
    out.data[S.CHAPTERS] = keys
    own = [c.title for c in chapters if not c.name]
    if own:
        out.notices.append(f"{len(own)} 个本单位自己的部分（{'、'.join(f'「{t}」' for t in own)}）按原报告的顺序"
                           "写入「章节」，内容写在以标题为键的一项下")


def _printed_model(fmt: Format, data: dict):  # noqa: ANN202 - a model.Report
    """The model of ``data`` with its printed labels and chapters, as ``check`` builds it."""
    from generator.model import build as build_model

    labels = data.get(S.LABELS) or {}
    known = {p for paths in formats.label_paths(fmt).values() for p in paths}
    overrides = {k: v for k, v in labels.items() if k in known}
    if overrides:
        fmt = formats.with_labels(fmt, overrides)
    fmt, _ = formats.with_listed_chapters(fmt, data.get(S.CHAPTERS))
    return build_model(fmt, data)[0]


def _take_summary(narratives: list[Narrative], summary: str) -> tuple[list[Narrative], tuple | None, bool]:
    """The chapters without mkreport's applications sentence, where it was printed
    (chapter key, sub-heading or None) and whether it stood where mkreport prints
    it: after a chapter's opening paragraphs, or first under a sub-heading. A
    sentence anywhere else stays as text."""
    for k, n in enumerate(narratives):
        if summary in n.intro:
            if n.intro.index(summary) != len(n.intro) - 1:
                return narratives, (n.key, None), False
            taken = Narrative(n.key, n.name, n.intro[:-1], n.parts)
            return narratives[:k] + [taken] + narratives[k + 1:], (n.key, None), True
        for j, (heading, texts) in enumerate(n.parts):
            if summary in texts:
                if texts.index(summary):
                    return narratives, (n.key, heading), False
                parts = n.parts[:j] + [(heading, texts[1:])] + n.parts[j + 1:]
                return narratives[:k] + [Narrative(n.key, n.name, n.intro, parts)] + narratives[k + 1:], \
                    (n.key, heading), True
    return narratives, None, False


def _narrative_data(fmt: Format, narratives: list[Narrative]) -> dict[str, Any]:
    """一 and the own chapters as input data, by key."""
    out: dict[str, Any] = {}
    for n in narratives:
        if n.name == "overview":
            placed, own, _ = place_parts(n.parts, list(fmt.overview_aspects))
            section: dict[str, Any] = {S.INTRO: n.intro} if n.intro else {}
            section.update({k: v for k, v in placed.items() if v})
            if own:
                section[S.OWN] = own
            out[n.key] = section
        elif n.parts:
            out[n.key] = ({S.INTRO: n.intro} if n.intro else {}) | {S.OWN: [{h: ps} for h, ps in n.parts]}
        else:
            out[n.key] = list(n.intro)
    return out


def _where(report, key: str, heading: str | None) -> tuple:  # noqa: ANN001 - a model.Report
    """A place of the applications sentence as (chapter key, what it stands under):
    an official aspect of 一 by its key, a sub-heading by its text, None for after
    the chapter's opening paragraphs."""
    fmt = report.fmt
    if key == fmt.section_key("overview"):
        aspects = {norm(a.label).replace(" ", ""): a.key for a in fmt.overview_aspects}
        if heading is not None and norm(heading).replace(" ", "") in aspects:
            return key, ("aspect", aspects[norm(heading).replace(" ", "")])
        own = [p.heading for p in report.own.get("overview", [])]
    else:
        chapter = report.chapters.get(key)
        own = [p.heading for p in chapter.parts] if chapter else []
    return key, (heading if heading in own else None)


def _read_narratives(out: Recognized, fmt: Format, narratives: list[Narrative], summary: str) -> None:
    """一 and the own chapters into the data, with the applications sentence left to
    mkreport where it was printed as mkreport prints it (申请情况所在小标题 saying
    where, when that is not where it goes by default), or else 申请情况概述: 不写."""
    from generator.rendering.compose import summary_place

    overview = fmt.section_key("overview")
    taken, found, fits = _take_summary(narratives, summary)
    if found is not None and fits:
        trial = {**out.data, **_narrative_data(fmt, taken)}
        report = _printed_model(fmt, trial)
        key, heading = found
        wanted = _where(report, key, heading)
        if _where(report, *summary_place(report)) != wanted:
            under = heading if heading is not None else (key if key != overview else None)
            if isinstance(wanted[1], tuple):  # an official aspect, by its printed label
                under = next(a.label for a in report.fmt.overview_aspects if a.key == wanted[1][1])
            if under is not None:
                trial.setdefault(overview, {})
                trial[overview] = {**trial[overview], S.SUMMARY_UNDER: under}
                report = _printed_model(fmt, trial)
            fits = under is not None and _where(report, *summary_place(report)) == wanted
        if fits:
            out.data.update({n.key: trial[n.key] for n in narratives if trial[n.key] or n.name != "overview"})
            return
    data = _narrative_data(fmt, narratives)
    data[overview][S.SUMMARY] = S.SUMMARY_OFF
    out.data.update(data)
    out.notices.append("原报告没有按 mkreport 的印法印出依申请公开情况的概述段落（「本年度共收到政府信息公开申请……」），"
                       f"已写入「申请情况概述: {S.SUMMARY_OFF}」，原有的段落照原样保留")


def _kept_headings(out: Recognized, fmt: Format, name: str, wording: dict[str, str]) -> None:
    title = fmt.sections[name]
    for key, printed in wording.items():
        out.keep_label(f"{fmt.section_key(name)}/{key}", printed)
    if wording:
        out.notices.append(f"「{title}」的小标题{'、'.join(f'「{p}」' for p in wording.values())}按官方的"
                           f"{'、'.join(f'「{k}」' for k in wording)}读入，原措辞写入表头调整")


# Labels of the contact details in an opening paragraph (matched after NFKC, any
# case), longest first; None: read past (传真), so that it ends the value before it.
_OPENING_DETAILS = {
    "电话/传真": "电话", "联系电话": "电话", "咨询电话": "电话", "电话": "电话",
    "通讯地址": "地址", "联系地址": "地址", "办公地址": "地址", "地址": "地址",
    "邮政编码": "邮编", "邮编": "邮编",
    "电子邮件": "电子邮件", "电子邮箱": "电子邮件", "电子信箱": "电子邮件", "邮箱": "电子邮件",
    "电子邮件地址": "电子邮件", "电子邮箱地址": "电子邮件", "邮箱地址": "电子邮件", "e-mail": "电子邮件", "email": "电子邮件",
    "传真": None,
}
_DETAIL_LABEL = re.compile("(" + "|".join(re.escape(k) for k in sorted(_OPENING_DETAILS, key=len, reverse=True))
                           + r")\s{0,3}:", re.I)
_GIVEN_BY = re.compile(r"(?<![理自缘])由(?!于)")
_BASIS = re.compile(r"根据|依据|按照|遵照|依照")
_REPORT_WORDS = re.compile(r"^(?:本|该|此)?(?:年度)?(?:报告|年报)(?:是|系|为)?")
_ROLE_WORDS = ("负责", "牵头", "组织", "汇总", "统一")
_SELF = re.compile(r"[本我](?:局|委|办|厅|院|室|处|所|站|单位|机关|中心|部门|政府|镇|乡|街道|区|县|市)")  # the agency itself
_CJK_AROUND_SPACE = re.compile(rf"(?<=[{_CJK}])\s+|(?<!\s)\s+(?=[{_CJK}])")  # from a run's start only
_WEB_ADDRESS = re.compile(r"(?:https?://|www\.)[^\s()<>]{1,200}|[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}(?:/[^\s()<>]{0,200})?")
_OPENING_LIMIT = 5000  # characters of opening text read for details


def _matching_copy(text: str) -> tuple[str, list[int]]:
    """``text`` as ``norm`` compares it (widths and quotes unified, spaces kept), and
    for each character of the copy the index of the original character it came from,
    so that a value found in the copy is cut from the text as printed."""
    chars: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        same = ch if _CIRCLED.match(ch) else unicodedata.normalize("NFKC", ch)
        for c in same.replace("“", '"').replace("”", '"'):
            chars.append(c)
            where.append(i)
    return "".join(chars), where


def _opening_details(opening: list[str], out: Recognized) -> None:
    """编制单位, 门户网站 and 联系方式 from the opening paragraphs, each as printed
    (full-width brackets and all): found in a normalised copy, cut from the text."""
    text = "".join(opening)[:_OPENING_LIMIT]
    copy, where = _matching_copy(text)

    def printed(a: int, b: int) -> str:
        if b <= a:
            return ""
        value = _CJK_AROUND_SPACE.sub("", text[where[a]: where[b - 1] + 1])  # gaps of PDF extraction
        return value.strip(" \t\u3000.。,，;；、")

    compiler = _compiler(copy, printed)
    if compiler and compiler != out.data[S.AGENCY]:
        out.data[S.COMPILER] = compiler
    m = re.search(r"电子版[^。(]{0,8}?(?:在|从|于|登录|通过)(?P<name>[^。()]{1,60}?)\((?P<inner>[^()]{3,200}?)\)"
                  r"[^。]{0,8}?(?:下载|查阅|获取|查看|浏览)", copy)
    url = _WEB_ADDRESS.search(copy, *m.span("inner")) if m else None
    if url:
        out.data[S.PORTAL] = {"名称": printed(*m.span("name")), "网址": printed(*url.span())}
    contact = {}
    m = re.search(r"请(?:与|和|同|向)(.{1,60}?)(?:联系|咨询)", copy) or \
        re.search(r"(?:请|可)联系([^(,;。]{1,60})", copy)
    if m and printed(*m.span(1)):
        contact["办公室"] = printed(*m.span(1))
    labels = list(_DETAIL_LABEL.finditer(copy))
    for k, label in enumerate(labels):
        key = _OPENING_DETAILS[label.group(1).lower()]
        if key is None or key in contact:
            continue
        stop = labels[k + 1].start() if k + 1 < len(labels) else len(copy)
        end = _value_end(copy, label.end(), min(stop, label.end() + 120))
        value = printed(label.end(), end)
        if value and not (key == "地址" and value.lower().startswith(("http", "www."))):  # 「网站地址：」
            contact[key] = value
    if contact:
        out.data[S.CONTACT] = contact


def _value_end(copy: str, start: int, stop: int) -> int:
    """Where a contact value ends: at a comma, semicolon or full stop, or at the
    bracket that closes the list of details (brackets inside the value stay)."""
    depth = 0
    for i in range(start, stop):
        ch = copy[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            if not depth:
                return i
            depth -= 1
        elif ch in ",;。" and not depth:
            return i
    return stop


def _compiler(copy: str, printed) -> str | None:  # noqa: ANN001
    """The compiling office only: 「本报告由某某区人民政府办公室根据《条例》要求编制」,
    「某某区人民政府办公室根据……要求，编制本报告」 and 「依据……，某某局编制」 all
    give the office; 「由某某办公室综合……编制」 keeps what it combined, as the
    opening sentence prints it."""
    m = re.search(r"编制(?:单位|机关)\s{0,3}:", copy)
    if m:
        return printed(m.end(), _value_end(copy, m.end(), min(len(copy), m.end() + 80))) or None
    position = 0
    for _ in range(20):
        at = copy.find("编制", position)
        if at < 0:
            return None
        position = at + 2
        sentence = max(copy.rfind("。", 0, at), copy.rfind(";", 0, at)) + 1
        if copy.count("《", sentence, at) > copy.count("》", sentence, at):
            continue  # inside the title of a document
        break
    else:
        return None
    clause = copy[sentence:at]
    given = _GIVEN_BY.search(clause)
    if given:
        a, b = sentence + given.end(), at
        basis = _BASIS.search(copy, a, b)
        if basis and basis.start() > a:
            b = basis.start()
        comma = copy.find(",", a, b)
        if comma > a:
            b = comma
    else:
        basis = _BASIS.search(clause)
        if basis and basis.start() > 0:
            a, b = sentence, sentence + basis.start()
        else:
            comma = clause.rfind(",")
            if comma < 0:
                return None
            a, b = sentence + comma + 1, at
    name = printed(a, b)
    while name.endswith(_ROLE_WORDS):
        name = name[:-2].rstrip()
    name = _REPORT_WORDS.sub("", name, count=1)  # 「本报告是某某局依据……编制的」
    if not 2 <= len(name) <= 80 or "《" in name or "。" in name or _SELF.fullmatch(name):
        return None
    return name


_FEE_NOTICES = re.compile(r"发出收费通知(\d{1,15})件")
_FEE_AMOUNT = re.compile(r"收取信息处理费(\d{1,15}(?:\.\d{1,6})?)元")


def _read_other(fmt: Format, read: tuple, out: Recognized, report) -> dict:  # noqa: ANN001 - a model.Report
    """六 (``read``: as :func:`split_headed` reads it) as input data that prints it
    again: the fee statement where mkreport puts it (first, or under the first
    sub-heading), or 信息处理费: 不写 when 六 says nothing of fees; 「无其他需要报告
    的事项。」 as printed, unless it stands alone (then mkreport prints it by itself)."""
    from generator.model import build as build_model
    from generator.model import speaks_of_fees
    from generator.rendering.compose import sentence

    section: dict[str, Any] = {}
    intro, parts, counts = read
    out.count_headings(counts)
    if not parts and intro == [sentence(report, "nothing_else")]:
        intro = []
    fee_texts: list[str] = []
    if fmt.fee_statement:
        if parts and parts[0][1] and _fee_heading(parts[0][0], fmt) and any(ts for _, ts in parts[1:]):
            # Printed as a sub-heading only when other sub-headings follow.
            heading, fee_texts = parts.pop(0)
            if not _same_title(heading, fmt.fee_heading):
                out.keep_label(f"{fmt.section_key('other')}/{formats.FEE_PATH}", heading)
        elif not parts and intro and "信息处理费" in intro[0]:
            fee_texts, intro = intro[:1], intro[1:]
    if fee_texts:
        joined = norm("".join(fee_texts))
        fee: dict[str, Any] = {}
        m = _FEE_NOTICES.search(joined)
        if m:
            fee[S.FEE_NOTICES] = int(m.group(1))
        m = _FEE_AMOUNT.search(joined)
        if m:
            amount = Decimal(m.group(1))
            fee[S.FEE_AMOUNT] = int(amount) if amount == int(amount) else amount
        trial = dict(out.data)
        trial[fmt.section_key("other")] = {S.FEE: dict(fee)} if fee else {}
        trial_report, _, _ = build_model(fmt, trial)
        # Without figures, mkreport leaves its own sentence out when a paragraph of
        # 事项 speaks of fees: the printed one is then kept as 说明.
        if [sentence(trial_report, "fee")] != fee_texts or (not fee and any(speaks_of_fees(t) for t in intro)):
            fee[S.FEE_TEXT] = fee_texts
        if fee:
            section[S.FEE] = fee
    elif fmt.fee_statement and not any(speaks_of_fees(t) for t in intro):
        section[S.FEE] = S.SUMMARY_OFF
        out.notices.append(f"「{fmt.sections['other']}」没有印出信息处理费的收取情况，已写入「信息处理费: "
                           f"{S.SUMMARY_OFF}」")
    placed, own, wording = place_parts(parts, list(fmt.other_parts))
    _kept_headings(out, fmt, "other", wording)
    section.update({k: v for k, v in placed.items() if v})
    if own:
        section[S.OWN] = own
    if intro:
        section[S.ITEMS] = intro
    return section


def _fee_heading(heading: str, fmt: Format) -> bool:
    return "信息处理费" in heading or _same_title(heading, fmt.fee_heading)
