"""Figures that the clerk's own text restates, checked against the tables.

Narrative often repeats a number and gets it wrong (seed 000 says
「不予公开政府信息53条」 while its table has no application at all). We look
for phrasings that name one figure unambiguously:

- table 三 (TEXT-01): 本年新收, 上年结转, 结转下年度, 办理完毕 (（七）总计) and
  each outcome (予以公开 … 其他处理);
- table 四 (TEXT-02): 被申请行政复议, 被提起行政诉讼, and their outcomes
  when the sentence names which of the two it speaks of;
- table 二 (TEXT-03): 规范性文件 制发/废止/现行有效, and 行政许可/行政处罚/
  行政强制 处理决定.

A paragraph passes a figure when any number it gives for that figure equals
the table, since reports often add a unit's own share
(「其中市政府共受理……92件」) next to the total. A number that fits another
reading (收到的申请 counting 上年结转, or only the 复议 already closed) is a
hint (TEXT-04), not a mismatch. Shares (「占44.4%」) and changes against last
year (「同比增长20%」「较上年增加9件」) stated right after a figure are
recomputed (TEXT-05).

What is not this report's own figure is passed over: a clause about last year
or another year, about a part of the whole (「市政府被提起复议……3件」 in a
city-wide report), or about the whole when the report is one department's.

Every pattern has bounded gaps that exclude digits, so a match is tried at
most a bounded number of ways from each place; everything else is done once
per clause, looked up by bisection, or looks at a few characters around a
match. At most :data:`PARAGRAPH_READ` characters of a paragraph and
:data:`REPORT_READ` of the whole text are read.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from generator.model import Report, speaks_of_fees
from generator.reading.source import MAX_DIGITS, short

# -- How a figure is written ---------------------------------------------------------------

_ENDS = "，,；;：:。！？!?"  # characters that end a clause
_GAP = rf"[^{_ENDS}\d]{{0,12}}"  # words between a figure's name and its number
_SHORT = rf"[^{_ENDS}\d]{{0,6}}"
_TINY = rf"[^{_ENDS}\d]{{0,3}}"
# A count in digits, or in Chinese numerals up to 九十九 (「两件」「十一起」); never
# the end of a longer number (「一百二十件」 is not read as 「二十件」) nor an ordinal.
# The pattern is kept short (33 patterns carry it: compiling them is most of a
# check's start-up); what it cannot say is checked by :func:`_plain_count`.
_N = r"(?P<n>\d+|[一二两三四五六七八九十]{1,3})"
_NOT_BEFORE_DIGITS = frozenset("0123456789.．第")
_NOT_BEFORE_WORDS = frozenset("一二两三四五六七八九十百千万亿零〇第几")
_NOT_AFTER_WORDS = frozenset("十百千万亿")
# The unit after a count; 「15个工作日」「个月」「个百分点」「条例」 are no counts of cases.
_U = r"\s*(?:件|起|宗|份|条(?!例)|个(?![月工小星季百自年方部单]))"
_U_DOC = r"\s*(?:件|个|份|部|项|条(?!例))"  # 规范性文件, 处理决定
_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ROUGH = "近约超逾"  # 「近100件」「超100件」: a round figure, not the table's
_SAID_SO = 12  # characters after a figure that may say which reading it is
# Characters before a match that may still join it to another figure (「予以公开及部分公开
# 258件」), up to the clause's start or the previous figure's number.
_LOOK_BACK = 8
_REASON_BACK = 16  # characters before a match that may name the reason for an outcome
_LAST_DIGIT = re.compile(r"\d(?!.*\d)", re.S)


def _count(digits: str) -> int | None:
    """A figure as the text writes it; None past the digits any figure has
    (and past what int() reads: thousands of digits are refused)."""
    return int(digits) if len(digits) <= MAX_DIGITS else None


def _plain_count(text: str, m: re.Match[str]) -> bool:
    """The count of ``m`` stands alone: not the end of a longer number or an ordinal
    (「第3件」「1.5件」「一百二十件」), and a well-formed numeral up to 九十九."""
    start, end, n = m.start("n"), m.end("n"), m.group("n")
    before = text[start - 1] if start else ""
    if n[0].isdigit():
        return before not in _NOT_BEFORE_DIGITS or not before
    if before and before in _NOT_BEFORE_WORDS or end < len(text) and text[end] in _NOT_AFTER_WORDS:
        return False
    if "十" not in n:
        return len(n) == 1
    tens, _, ones = n.partition("十")
    return len(tens) <= 1 and len(ones) <= 1 and tens != "两" and ones != "两" and "十" not in ones


def _number(text: str) -> int | None:
    """A count as written, or None when it is no number we read (「三三」)."""
    if text[0].isdigit():
        return _count(text)
    if "十" not in text:
        return _CN_DIGITS.get(text)
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1 or (tens and tens not in _CN_DIGITS) or (ones and ones not in _CN_DIGITS):
        return None
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def _after(name: str, gap: str = _GAP, unit: str = _U) -> str:
    """「予以公开71件」: the name, a few words, the count."""
    return rf"(?:{name}){gap}{_N}{unit}"


def _before(name: str, gap: str = _TINY, unit: str = _U) -> str:
    """「3件结转下年度」: the count, then the name."""
    return rf"{_N}{unit}{gap}(?:{name})"


# -- The figures ---------------------------------------------------------------------------

OUTCOMES = ("予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理")
# Sub-rows of an outcome: a count named by one of them is not the outcome's total.
_SUB_ROWS = {
    "不予公开": ("国家秘密", "禁止公开", "三安全", "第三方", "内部事务", "过程性", "执法案卷", "查询事项"),
    "无法提供": ("不掌握", "另行制作", "不明确"),
    "不予处理": ("信访", "举报", "投诉", "重复", "出版物", "大量反复", "确认"),
    "其他处理": ("逾期", "补正", "缴费"),
}
# Words that make a count of applications some other count: a column of table 三
# (自然人 …), another outcome, or not applications at all.
_NOT_APPLICATIONS = ("自然人", "法人", "企业", "组织", "机构", "复议", "诉讼", "起诉", "留言", "来电", "来信",
                     "信件", "热线", "咨询", "建议", "提案", "信访", "举报", "投诉", "听证", "主动")
_REQUEST_WORDS = (*OUTCOMES, "结转", "办结", "办理完毕", "办理完成")
_APPEAL_OUTCOMES = {"结果维持": "维持", "结果纠正": "纠正", "其他结果": "其他结果", "尚未审结": "尚未审结"}
_NOT_APPEALS = ("维持", "纠正", "撤销", "驳回", "确认违法", "审结", "审理", "结案", "办结", "终止", "败诉",
                "胜诉", "其他结果", "决定", "听证", "上诉", "一审", "二审")


@dataclass(frozen=True)
class _Figure:
    key: str  # what :func:`_table_values` names it by
    table: str  # 表三, 表四, 表二
    patterns: tuple[re.Pattern[str], ...]
    others: tuple[str, ...] = ()  # words that, in or just before a match, make it another figure
    # What the text must speak of: "requests", applications (in the paragraph);
    # "appeals", disclosure (in the sentence, before the figure).
    context: str = ""
    sub_rows: tuple[str, ...] = ()  # words that make it one of the rows below

    @property
    def rule(self) -> str:
        return {"表三": "TEXT-01", "表四": "TEXT-02", "表二": "TEXT-03"}[self.table]


def _compile(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


def _request_others(*own: str) -> tuple[str, ...]:
    return tuple(w for w in (*_NOT_APPLICATIONS, *_REQUEST_WORDS) if not any(w in o or o in w for o in own))


_CARRIED_OUT = r"(?:结转|转入|转)(?:至|到|入)?下(?:一)?(?:个)?年度?"
_CARRIED_IN = r"上(?:一)?年度?(?:结转|转入)"
_DOCS = r"(?:行政)?规范性文件"
_ISSUE = r"(?:制发|制定|出台|印发|发布)"
_DOC_OTHERS = ("规章", "解读", "备案", "审查", "审核", "征求", "草案", "起草", "政策文件")

FIGURES: tuple[_Figure, ...] = (
    _Figure("received", "表三", _compile(_after(r"收到|受理|接到|接收|新收", rf"{_GAP}申请{_GAP}")),
            _request_others("收到", "受理"), "requests"),
    _Figure("carried_in", "表三", _compile(_after(_CARRIED_IN), _before(_CARRIED_IN, r"(?:为|系|是|属)?")),
            _request_others("结转"), "requests"),
    _Figure("carried_out", "表三", _compile(_after(_CARRIED_OUT), _before(_CARRIED_OUT, _SHORT)),
            _request_others("结转"), "requests"),
    _Figure("handled", "表三", _compile(_after("办结|办理完毕|办理完成")),
            _request_others("办结", "办理完毕", "办理完成"), "requests"),
    *(_Figure(name, "表三", _compile(_after(r"(?<!不)(?<!主动)予以公开|(?<!不)同意公开"
                                              if name == "予以公开" else name),
                                       _before(r"(?<!不)予以公开" if name == "予以公开" else name)),
              _request_others(name), "", _SUB_ROWS.get(name, ()))
      for name in OUTCOMES),
    _Figure("reviews", "表四", _compile(_after(r"(?:行政)?复议(?!后|机关|决定|申请人)")),
            ("诉讼", "起诉", *_NOT_APPEALS), "appeals"),
    _Figure("lawsuits", "表四", _compile(_after(r"(?:行政)?诉讼(?!费)|被(?:提起)?起诉")),
            ("复议", *_NOT_APPEALS), "appeals"),
    *(_Figure(f"appeal:{outcome}", "表四",
              _compile(_after(rf"(?:结果)?{word}" if word != "尚未审结" else r"尚未审结|未审结|正在审理|审理中",
                              _SHORT)),
              tuple(w for w in (*_NOT_APPEALS, *_NOT_APPLICATIONS) if w not in (word, "审理", "复议", "诉讼",
                                                                             "起诉", "审结")),
              "appeals")
      for outcome, word in _APPEAL_OUTCOMES.items()),
    _Figure("docs:issued", "表二", _compile(_after(rf"{_ISSUE}{_SHORT}{_DOCS}", _SHORT, _U_DOC),
                                            _after(rf"{_ISSUE}了?", r"\s*", rf"{_U_DOC}{_TINY}{_DOCS}")),
            _DOC_OTHERS + ("废止", "失效", "有效")),
    _Figure("docs:repealed", "表二", _compile(_after(rf"(?:废止|宣布失效){_SHORT}{_DOCS}", _SHORT, _U_DOC),
                                              _after(rf"{_DOCS}[^。；;！？!?\d]{{0,10}}废止了?", r"\s*", _U_DOC)),
            _DOC_OTHERS + ("现行有效", "制发", "出台", "印发")),
    _Figure("docs:in_force", "表二", _compile(_after(rf"现行有效的?{_DOCS}", _SHORT, _U_DOC),
                                              _after(rf"{_DOCS}[^。；;！？!?\d]{{0,10}}现行有效的?", _TINY, _U_DOC)),
            _DOC_OTHERS + ("废止", "制发", "出台", "印发")),
    *(_Figure(f"decisions:{row}", "表二", _compile(_after(rf"{row}{_SHORT}(?:处理)?决定书?", _SHORT, _U_DOC)),
              ("公开", "公示", "公布", "信息", "撤销", "变更", "撤回", "复议", "诉讼", "听证", "案件", "事项"))
      for row in ("行政许可", "行政处罚", "行政强制")),
)


@dataclass(frozen=True)
class _Value:
    """A figure as the tables give it."""

    cell: str  # the cell as a message names it
    value: int
    note: str = ""  # what the cell sums, when it is more than one
    also: tuple[int, ...] = ()  # other cells the same words may mean (2019: 新制作 or 新公开)
    # Another reading, TEXT-04: (value, why, hint, the word by which the text itself says so).
    alternative: tuple[int, str, str, str] | None = None


def _table_values(report: Report) -> dict[str, _Value]:
    """Every figure the text may restate, read from the model."""
    fmt = report.fmt
    out: dict[str, _Value] = {}
    if report.requests is not None:
        def row(role: str) -> int:
            return report.request_figure(fmt.row_with_role(role)[0][-1])

        received, carried_in = row("received"), row("carried_in")
        out["received"] = _Value("本年新收", received, alternative=None if not carried_in else (
            received + carried_in, f"本年新收 {received} 件加上年结转 {carried_in} 件",
            f"如果这里说的是本年新收的申请，应写 {received} 件；如果本就包括上年结转，可写明「含上年结转」", "结转"))
        out["carried_in"] = _Value("上年结转", carried_in)
        out["carried_out"] = _Value("结转下年度", row("carried_out"))
        group = fmt.result_group()
        out["handled"] = _Value(fmt.handled_total()[1].label or "（七）总计", report.request_figure(group.key))
        for child in group.children:
            if child.key in OUTCOMES:
                out[child.key] = _Value(child.key, report.request_figure(child.key))
    for group in fmt.appeals.children:
        role, name = group.role, group.key
        if role not in ("reviews", "lawsuits"):
            continue
        cells = {}
        for path, _ in group.leaves():
            cell = report.appeals.get((group.key, *path))
            if cell is not None and type(cell.value) is int:
                cells[path] = cell.value
        both = "（各类起诉之和）" if len(group.children) > 1 and not group.children[0].is_leaf else ""

        def total(outcome: str, cells: dict = cells) -> int:
            return sum(v for path, v in cells.items() if path[-1] == outcome)

        total_key = next((leaf.key for _, leaf in group.leaves() if leaf.total), "总计")
        whole, pending = total(total_key), total("尚未审结")
        out[role] = _Value(f"{name}·{total_key}", whole, both, alternative=None if not pending else (
            whole - pending, f"已审结的件数：总计 {whole} 件减尚未审结 {pending} 件",
            f"如果这里只计已审结的，可写明「已审结」；否则应写 {whole} 件", "审结"))
        for outcome in _APPEAL_OUTCOMES:
            out[f"{role}:{outcome}"] = _Value(f"{name}·{outcome}", total(outcome), both)
    out.update(_proactive_values(report))
    return out


def _proactive_values(report: Report) -> dict[str, _Value]:
    out: dict[str, _Value] = {}

    def count(row: str, column: str | None) -> int | None:
        cell = report.proactive.get((row, column)) if column else None
        return cell.value if cell is not None and type(cell.value) is int else None

    for block in report.fmt.blocks:
        columns = [c.key for c in block.columns]

        def column(role: str, *words: str, block=block, columns=columns) -> str | None:
            by_role = next((c.key for c in block.columns if c.role == role), None)
            return by_role or next((c for c in columns if any(w in c for w in words)), None)

        for row in block.rows:
            if "规范性文件" in row:
                for kind, col in (("issued", column("issued", "制发", "制作")),
                                  ("repealed", column("repealed", "废止")),
                                  ("in_force", column("in_force", "现行有效"))):
                    value = count(row, col)
                    if value is not None:
                        published = count(row, column("", "新公开")) if kind == "issued" else None
                        out[f"docs:{kind}"] = _Value(f"{row}·{col}", value,
                                                     also=() if published is None else (published,))
            elif row in ("行政许可", "行政处罚", "行政强制"):
                col = column("", "处理决定")
                value = count(row, col)
                if value is not None:
                    out[f"decisions:{row}"] = _Value(f"{row}·{col}", value)
    return out


# -- Whose figure a clause gives -----------------------------------------------------------

_WHOLE = re.compile(r"全(?:市|区|县|省|州|旗|盟|镇|乡)")
_PART = re.compile(r"(?<![本我])(?:[市区县省州镇乡](?:政府|本级|级)|部门|乡镇|街道|[市区县]直)")
# Last year, or another period: 「去年收到申请…」「上半年…」. 「上年结转」 and 「较上年」 are not.
_PAST = re.compile(r"(?<![较比与同])(?:去年|前年|上一?年度?)(?!度|结转|转入|同期|相比)|上半年|下半年|季度")
_NOW = re.compile(r"今年|本年|全年|当年")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?=\s*年)")
_SENTENCE_END = re.compile(r"[。！？!?]")
_SEGMENT_END = re.compile(r"[。！？!?；;]")
_CLAUSE_END = re.compile(rf"[{_ENDS}]")
_APPLICATION = re.compile(r"申请")
_DISCLOSURE = re.compile(r"信息公开|依申请|政务公开|被申请|被提起|被复议|被诉|被起诉")
_REVIEW = re.compile(r"复议")
_LAWSUIT = re.compile(r"诉讼|起诉")


class _Paragraph:
    """A paragraph's clauses, and whose figures each of them gives."""

    def __init__(self, text: str, year: int, aggregate: bool) -> None:
        self.text = text
        self.sentences = [0] + [m.end() for m in _SENTENCE_END.finditer(text)]
        self.clauses = [0] + [m.end() for m in _CLAUSE_END.finditer(text)]
        segments = set([0] + [m.end() for m in _SEGMENT_END.finditer(text)])
        self.foreign: list[bool] = []  # the clause's figures are not this report's own
        # A department's report naming 「市政府」 speaks of itself or of others, but of
        # a share only where the paragraph also speaks of the whole.
        parts = aggregate or bool(_WHOLE.search(text))
        scope = ""
        for i, start in enumerate(self.clauses):
            end = self.clauses[i + 1] if i + 1 < len(self.clauses) else len(text)
            clause = text[start:end]
            if start in segments:
                scope = ""
            years = [int(y) for y in _YEAR.findall(clause)]
            if _PAST.search(clause) or any(y != year for y in years):
                scope = "other"
            elif _WHOLE.search(clause):
                scope = "whole"
            elif parts and _PART.search(clause):
                scope = "part"
            elif years or _NOW.search(clause):
                scope = ""
            self.foreign.append(scope in ("other", "part") or scope == "whole" and not aggregate)
        self.words = {name: [m.start() for m in pattern.finditer(text)]
                      for name, pattern in (("application", _APPLICATION), ("disclosure", _DISCLOSURE),
                                            ("review", _REVIEW), ("lawsuit", _LAWSUIT))}

    def clause_of(self, at: int) -> int:
        return bisect_right(self.clauses, at) - 1

    def sentence_start(self, at: int) -> int:
        return self.sentences[bisect_right(self.sentences, at) - 1]

    def said(self, word: str, start: int, end: int) -> bool:
        """Whether ``word`` (a key of :attr:`words`) starts in text[start:end]."""
        places = self.words[word]
        i = bisect_right(places, start - 1)
        return i < len(places) and places[i] < end


@dataclass(frozen=True)
class _Stated:
    figure: _Figure
    key: str  # the figure read: for an appeal outcome, whose it is
    number: int | None
    start: int
    end: int


def _read(paragraph: _Paragraph) -> list[_Stated]:
    """Every figure the paragraph states as this report's own, in order."""
    text = paragraph.text
    out = []
    for figure in FIGURES:
        for pattern in figure.patterns:
            for m in pattern.finditer(text):
                if not _plain_count(text, m):
                    continue
                before = text[m.start("n") - 1] if m.start("n") else ""
                clause = paragraph.clause_of(m.start())
                # 「予以公开及部分公开258件」: the words just before count too.
                lo = max(paragraph.clauses[clause], m.start() - _LOOK_BACK)
                digit = _LAST_DIGIT.search(text, lo, m.start())
                near = text[digit.end() if digit else lo:m.end()]
                # A row below named (「无法提供中本机关不掌握的28件」, 「因本机关不掌握无法提供28件」)
                # gives that row's count, unless it is one reason of several (「…不掌握等原因」).
                reason = text[max(paragraph.clauses[clause], m.start() - _REASON_BACK):m.end()]
                sub_row = any(w in m.group(0) for w in figure.sub_rows) \
                    or "等" not in reason and any(w in reason for w in figure.sub_rows)
                if before in _ROUGH or any(w in near for w in figure.others) or paragraph.foreign[clause] or sub_row:
                    continue
                key = figure.key
                if figure.context == "requests" and not paragraph.words["application"]:
                    continue
                sentence = paragraph.sentence_start(m.start())
                if figure.context == "appeals":
                    if not paragraph.said("disclosure", sentence, m.end()):
                        continue
                    if key.startswith("appeal:"):
                        key = _appeal_of(paragraph, sentence, m.start(), key.split(":", 1)[1])
                        if key is None:
                            continue
                out.append(_Stated(figure, key, _number(m.group("n")), m.start(), m.end()))
    out.sort(key=lambda s: s.start)
    return out


def _appeal_of(paragraph: _Paragraph, sentence: int, at: int, outcome: str) -> str | None:
    """Whose outcome 「维持2件」 is: the one of 复议 and 诉讼 its clause names,
    else the one its sentence has named so far; None when both or neither."""
    for start in (paragraph.clauses[paragraph.clause_of(at)], sentence):
        review, lawsuit = paragraph.said("review", start, at), paragraph.said("lawsuit", start, at)
        if review != lawsuit:
            return f"{'reviews' if review else 'lawsuits'}:{outcome}"
        if review:
            return None
    return None


# -- Checking ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Finding:
    """Where the text and the tables disagree (or agree only when read otherwise)."""

    path: tuple
    rule: str
    message: str
    hint: str
    stated: str
    expected: str


_HINTS = {"表三": "请核对这段文字；表三的数字由各项相加得出", "表四": "请核对这段文字和表四的数字",
          "表二": "请核对这段文字和表二的数字"}


def _aggregate(agency: str) -> bool:
    """A government's report sums its departments': 「全市」 is its own whole."""
    return agency.endswith("政府")


# Every figure read is a count with its unit: a paragraph without one is not read
# (most are not; reading one tries every pattern).
_ANY_COUNT = re.compile(r"[\d一二两三四五六七八九十]\s*[件起宗份条个部项]")


def _stated(report: Report, text: str, values: dict[str, _Value]) -> tuple[_Paragraph | None, list[_Stated]]:
    if not _ANY_COUNT.search(text):
        return None, []
    paragraph = _Paragraph(text, report.year, _aggregate(report.agency))
    return paragraph, [s for s in _read(paragraph) if s.key in values]


# What is read of the text: a real paragraph is a few thousand characters and a
# whole report some tens of thousands; the rest of a longer one is not read.
PARAGRAPH_READ = 20_000
REPORT_READ = 300_000


def _bounded(texts: dict[tuple, str]) -> list[tuple[tuple, str]]:
    out, left = [], REPORT_READ
    for path, text in texts.items():
        if left <= 0:
            break
        text = text[:min(PARAGRAPH_READ, left)]
        left -= len(text)
        out.append((path, text))
    return out


def texts_of(report: Report) -> dict[tuple, str]:
    """The report's own paragraphs by their key path, read from the model (for a
    report known only as a model, as in a run of years)."""
    fmt = report.fmt
    out: dict[tuple, str] = {}
    for name, sections in (("overview", report.overview), ("problems", report.problems)):
        for key, paragraphs in sections.items():
            for i, text in enumerate(paragraphs):
                out[(fmt.section_key(name), key, i)] = text
    for name, parts in report.own.items():
        for n, part in enumerate(parts):
            for i, text in enumerate(part.paragraphs):
                out[(fmt.section_key(name), "小标题", n, part.heading, i)] = text
    for key, chapter in report.chapters.items():
        for i, text in enumerate(chapter.intro):
            out[(key, i)] = text
        for n, part in enumerate(chapter.parts):
            for i, text in enumerate(part.paragraphs):
                out[(key, "小标题", n, part.heading, i)] = text
    for i, text in enumerate(report.other_items):
        out[(fmt.section_key("other"), "事项", i)] = text
    return out


def check(report: Report, texts: dict[tuple, str]) -> list[Finding]:
    """``texts`` maps each paragraph's key path to its text."""
    values = _table_values(report)
    out = []
    for path, text in _bounded(texts):
        _, stated = _stated(report, text, values)
        by_key: dict[str, list[_Stated]] = {}
        for s in stated:
            by_key.setdefault(s.key, []).append(s)
        for key, group in by_key.items():
            value = values[key]
            if any(s.number in (value.value, *value.also) for s in group):
                continue
            table = group[0].figure.table
            other = value.alternative
            read_otherwise = next((s for s in group if other is not None and s.number == other[0]), None)
            if other is not None and read_otherwise is not None:
                if other[3] in text[read_otherwise.end:read_otherwise.end + _SAID_SO]:
                    continue  # 「收到申请173件（含上年结转9件）」
                quote = short(text[read_otherwise.start:read_otherwise.end], 40)
                out.append(Finding(path, "TEXT-04",
                                   f"文字中的「{quote}」与{table}「{value.cell}」{value.value} 不同，"
                                   f"但等于{other[1]}", other[2], str(other[0]), str(value.value)))
                continue
            first = group[0]
            quote = short(text[first.start:first.end], 40)
            out.append(Finding(path, first.figure.rule,
                               f"文字与{table}不一致：写的是「{quote}」，{table}中「{value.cell}」{value.note}"
                               f"为 {value.value}", _HINTS[table], _written(first.number), str(value.value)))
        out += _shares(path, text, stated, values)
        out += _denials(report, path, text)
    return out


# 「本年度未收到政府信息公开申请」「未发生因政府信息公开引起的行政复议、行政诉讼」:
# the text says none where the table has some. Only these whole phrasings: 「未收到
# 法人申请」 speaks of one kind of applicant and is left alone.
_NO_REQUESTS = re.compile(r"(?:未|没有)(?:收到|受理|接到|接收)(?:任何)?(?:政府)?(?:信息公开)?申请")
_NO_APPEALS = re.compile(r"(?:未|没有)(?:发生|出现|产生)[^，。；\d]{0,12}?(?P<what>行政复议(?:、|和|或)?(?:行政诉讼)?|行政诉讼)")


def _of_another_year(report: Report, text: str, at: int) -> bool:
    """The sentence before ``at`` speaks of another year (「上年未发生……」)."""
    start = max(text.rfind(mark, 0, at) for mark in "。；;！？") + 1
    clause = text[start:at]
    return any(word in clause for word in ("上年", "去年", "上一年", "往年", f"{report.year - 1}年"))


def _denials(report: Report, path: tuple, text: str) -> list[Finding]:
    out = []
    m = _NO_REQUESTS.search(text)
    if m is not None and _of_another_year(report, text, m.start()):
        m = None
    if m is not None and report.requests is not None:
        received = report.request_figure(report.fmt.row_with_role("received")[0][-1])
        if received:
            out.append(Finding(path, "TEXT-01", f"文字与表三不一致：写的是「{short(m.group(0), 40)}」，"
                                                f"表三中「本年新收」为 {received}", _HINTS["表三"], "0", str(received)))
    m = _NO_APPEALS.search(text)
    if m is not None and not _of_another_year(report, text, m.start()):
        said = m.group("what")
        kinds = [("行政复议", "reviews")] if "复议" in said else []
        kinds += [("行政诉讼", "lawsuits")] if "诉讼" in said else []
        for word, role in kinds:
            total = report.appeals_total(role)
            if total:
                out.append(Finding(path, "TEXT-02", f"文字与表四不一致：写的是「{short(m.group(0), 40)}」，"
                                                    f"表四中「{word}」总计为 {total}", _HINTS["表四"], "0", str(total)))
    return out


def _written(number: int | None) -> str:
    return "" if number is None else str(number)


# -- Shares and changes (TEXT-05) ----------------------------------------------------------

_PERCENT = r"(?P<pct>\d{1,6}(?:\.\d{1,6})?)\s*[%％]"
# 「予以公开71件，占44.4%」「，占办结总数的44.4%」: right after the figure.
_SHARE = re.compile(rf"[，,、]?\s*(?:其中)?占(?:比)?(?P<of>[^{_ENDS}\d%％]{{0,10}})?{_PERCENT}")
_COMPARED = r"(?:与(?:上年|去年|上一年)度?(?:同期)?(?:相比)?|同比|[比较](?:上年|去年|上一年)度?(?:同期)?)"
_UP, _DOWN = ("增长", "增加", "上升", "提高"), ("下降", "减少", "降低")
_DIRECTION = "|".join((*_UP, *_DOWN))
_AMOUNT = rf"(?:{_PERCENT}|{_N}{_U})"
# 「，同比增长20.5%」「，较上年增加9件，增长5.8%」「，与上年持平」: right after the figure.
_CHANGE = re.compile(rf"[，,]?\s*{_COMPARED}[^{_ENDS}\d]{{0,3}}[，,]?\s*"
                     rf"(?:(?P<dir>{_DIRECTION})了?\s*{_AMOUNT}|(?P<same>持平))")
_MORE = re.compile(rf"[，,、]\s*(?P<dir>{_DIRECTION})了?\s*{_AMOUNT}")
_ROUGHLY = ("基本", "大致", "略")


def _close(true: Fraction, stated: Decimal) -> bool:
    """``stated`` is ``true`` rounded (or cut) to the places it is written with:
    44.375 is 44.4 or 44.3 at one place, 44 at none, never 45."""
    exponent = stated.as_tuple().exponent
    unit = Fraction(1, 10 ** -exponent) if isinstance(exponent, int) and exponent < 0 else Fraction(1)
    return Fraction(stated) - unit / 2 <= true < Fraction(stated) + unit


def _percent(true: Fraction, like: Decimal) -> str:
    """``true`` written with as many decimals as ``like``, rounded half up."""
    exponent = like.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    scaled = abs(true) * 10 ** places
    whole = int(scaled + Fraction(1, 2))
    text = str(whole).rjust(places + 1, "0")
    return (text[:-places] + "." + text[-places:]) if places else text


def _shares(path: tuple, text: str, stated: list[_Stated], values: dict[str, _Value]) -> list[Finding]:
    """「其中予以公开71件，占44.4%」: the share of the applications handled (or received)."""
    out = []
    handled, received, carried_in = (values[k].value if k in values else 0
                                     for k in ("handled", "received", "carried_in"))
    for s in stated:
        if s.key not in OUTCOMES or s.number != values[s.key].value:
            continue
        m = _SHARE.match(text, s.end)
        if m is None:
            continue
        of = m.group("of") or ""
        if any(w in of for w in ("收到", "新收", "受理")):
            bases = [(received, "本年新收"), (received + carried_in, "本年新收与上年结转之和")]
        elif any(w in of for w in ("办结", "办理", "答复")):
            bases = [(handled, values["handled"].cell)]
        else:
            bases = [(handled, values["handled"].cell), (received, "本年新收"),
                     (received + carried_in, "本年新收与上年结转之和")]
        bases = [(n, name) for n, name in bases if n]
        stated_pct = Decimal(m.group("pct"))
        if not bases or any(_close(Fraction(s.number * 100, n), stated_pct) for n, _ in bases):
            continue
        base, name = bases[0]
        true = _percent(Fraction(s.number * 100, base), stated_pct)
        quote = short(text[s.start:m.end()], 40)
        out.append(Finding(path, "TEXT-05",
                           f"文字中的百分比与表三算出的不一致：写的是「{quote}」，"
                           f"按表三「{s.key}」{s.number} 件、「{name}」{base} 件算出为 {true}%",
                           "请核对这段文字；百分比按表三的数字计算", f"{m.group('pct')}%", f"{true}%"))
    return out


def changes(report: Report, last: Report, texts: dict[tuple, str]) -> list[Finding]:
    """「共收到申请164件，同比增长20.6%」: changes stated right after a figure,
    recomputed from this report's tables and last year's."""
    if last.year != report.year - 1:
        return []
    values, before = _table_values(report), _table_values(last)
    out = []
    for path, text in _bounded(texts):
        _, stated = _stated(report, text, values)
        for s in stated:
            if s.number != values[s.key].value or s.key not in before:
                continue
            m = _CHANGE.match(text, s.end)
            said = []
            while m is not None and len(said) < 2:
                said.append(m)
                m = _MORE.match(text, m.end())
            for m in said:
                wrong = _wrong_change(m, values[s.key].value, before[s.key].value)
                if wrong is None:
                    continue
                table = s.figure.table
                quote = short(text[s.start:m.end()], 40)
                stated_text, actual = wrong
                out.append(Finding(path, "TEXT-05",
                                   f"文字中的增减与上年报告不一致：写的是「{quote}」，{table}「{values[s.key].cell}」"
                                   f"本年 {values[s.key].value}，上年报告为 {before[s.key].value}，实际{actual}",
                                   "请核对这段文字；增减按本年与上年报告中的数字计算", stated_text, actual))
    return out


def _wrong_change(m: re.Match[str], now: int, then: int) -> tuple[str, str] | None:
    """(what the text says, what the figures give) when they differ, else None."""
    said = m.group(0).lstrip("，,、 ")
    if m.groupdict().get("same"):
        if now == then or any(w in said for w in _ROUGHLY):
            return None
        return "持平", f"{'增加' if now > then else '减少'}{abs(now - then)}件"
    up = m.group("dir") in _UP
    if m.group("pct") is not None:
        if then == 0:
            return None
        stated = Decimal(m.group("pct"))
        true = Fraction((now - then) * 100, then)
        if (true > 0) == up and _close(abs(true), stated) or true == 0 == stated:
            return None
        word = "持平" if true == 0 else ("增长" if true > 0 else "下降")
        return f"{m.group('dir')}{m.group('pct')}%", word if true == 0 else f"{word}{_percent(true, stated)}%"
    number = _number(m.group("n"))
    if number is None or (now - then == number if up else then - now == number):
        return None
    word = "持平" if now == then else ("增加" if now > then else "减少")
    return f"{m.group('dir')}{number}件", word if now == then else f"{word}{abs(now - then)}件"


# What a fee statement says: an amount in 元, a number of notices, or none at all.
# A pattern that starts with a number starts only where a run of digits does
# (?<!\d): tried inside the run as well, it would cost the square of its length.
_FEE_AMOUNT = re.compile(r"信息处理费[^，。；\d]{0,8}?(\d+(?:\.\d+)?)\s*(万?元)")
_FEE_AMOUNT_BEFORE = re.compile(r"(?<!\d)(\d+(?:\.\d+)?)\s*(万?元)[^，。；\d]{0,6}信息处理费")
_FEE_NOTICES = re.compile(r"收费通知[^，。；\d]{0,6}?(\d+)\s*[件份次]|(?<!\d)(\d+)\s*[件份次][^，。；\d]{0,4}收费通知")
_FEE_NONE = re.compile(r"(?:未|没有|不|无)[^，。；\d]{0,4}(?:收取|收|产生|发生|涉及)[^，。；\d]{0,10}"
                       r"(?:信息处理费|收费|费用)"
                       r"|(?:信息处理费|收费)[^，。；\d]{0,4}(?:为|共)?\s*(?:0|零)\s*元"
                       r"|(?:无|没有|未发生)[^，。；\d]{0,6}收费")


@dataclass(frozen=True)
class FeeClaim:
    """What the agency's own sentences say about 信息处理费."""

    amount: Decimal | None
    notices: int | None
    none: bool


def fee_claim(texts: list[str]) -> FeeClaim | None:
    """The fee figures stated in ``texts``, or None when they say nothing about fees."""
    text = "".join(t for t in texts if speaks_of_fees(t))
    if not text:
        return None
    amount = None
    m = _FEE_AMOUNT.search(text) or _FEE_AMOUNT_BEFORE.search(text)
    if m and all(len(part) <= MAX_DIGITS for part in m.group(1).split(".")):
        amount = Decimal(m.group(1)) * (10000 if m.group(2) == "万元" else 1)
    n = _FEE_NOTICES.search(text)
    notices = _count(n.group(1) or n.group(2)) if n else None
    return FeeClaim(amount, notices, bool(_FEE_NONE.search(text)) and amount in (None, 0))


def fee_contradictions(claim: FeeClaim, amount: Decimal | None, notices: int | None,
                       unpaid: int) -> list[str]:
    """Where a fee statement disagrees with the fee figures or with table 三."""
    out = []
    if amount is not None:
        if claim.none and amount > 0:
            out.append(f"说没有收取信息处理费，但填的收费金额是 {amount} 元")
        elif claim.amount is not None and claim.amount != amount:
            out.append(f"写的是收取信息处理费 {claim.amount} 元，但填的收费金额是 {amount} 元")
    if notices is not None and claim.notices is not None and claim.notices != notices:
        out.append(f"写的是收费通知 {claim.notices} 件，但填的收费通知件数是 {notices} 件")
    stated = claim.notices if claim.notices is not None else (0 if claim.none and claim.amount is None
                                                              and notices is None else None)
    if unpaid and stated is not None and stated < unpaid:
        out.append(f"表三有 {unpaid} 件因逾期未缴费不再处理，说明中的收费通知却只有 {stated} 件")
    return out
