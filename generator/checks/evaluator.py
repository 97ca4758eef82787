"""What an evaluator marks down in a report's words, dates and cells (EVAL-03 to EVAL-07).

``check`` gives the findings that need only the report (:func:`findings`:
EVAL-03, EVAL-04, EVAL-07) for an input file and, through import, for a
published one; ``audit`` adds those that need the printed document (EVAL-05,
the cells printed blank or with 「/」) or last year's report (EVAL-06, the
share of the text repeated). Each is said in the same words wherever it is
found: the messages are made here.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from generator import model
from generator.errors import Problem
from generator.reading import schema as S
from generator.reading.source import Source, short

# -- EVAL-03: 五 too thin ---------------------------------------------------------------

# Fewer characters than this in all of 五 cannot say what the problems are and
# what will be done. The five real reports' 五 have 250 to 940 characters, the
# examples' shortest 74 (a problem and a measure, a sentence each);
# 「本单位暂无问题。」 has 8.
THIN = 40
# A 五 shorter than this that says there are no problems says nothing else.
NO_PROBLEM_LIMIT = 100
NO_PROBLEM = ("无问题", "没有问题", "未发现问题", "未发现明显问题", "无明显问题", "不存在问题", "暂未发现",
              "暂无存在", "未发现存在")
# Words of a sentence about what will be done: a measure, next year, the rectification.
IMPROVEMENT = ("改进", "整改", "下一步", "下步", "今后", "明年", "将继续", "将进一步", "措施", "计划", "加强",
               "推进", "完善", "提高", "提升", "强化", "健全", "推动", "着力", "拓展", "加大", "规范", "落实")
THIN_HINT = "写明本年度政府信息公开工作中存在的具体问题，以及下一步的改进措施；只写「暂无问题」之类不符合要求"


def _problems_texts(report: model.Report) -> tuple[list[str], list[str], bool]:
    """五's paragraphs, its sub-headings, and whether it has a part for the measures."""
    paragraphs = [p for ps in report.problems.values() for p in ps]
    headings = []
    for part in report.own.get("problems", []):
        headings.append(part.heading)
        paragraphs += part.paragraphs
    measures = any(any(word in key for word in ("改进", "整改", "下一步")) and any(p.strip() for p in ps)
                   for key, ps in report.problems.items() if key != S.INTRO)
    return paragraphs, headings, measures


def thin_problems(report: model.Report) -> tuple[str, str] | None:
    """Why 五 is too thin (the message and what it says), or None. A 五 that is
    empty or only 「无」 is EVAL-01's, not said again."""
    from generator.checks.validate import empty_sections

    if report.fmt.section_key("problems") in empty_sections(report):
        return None
    paragraphs, headings, measures = _problems_texts(report)
    text = "".join("".join(p.split()) for p in paragraphs)
    size = len(text)
    if size < NO_PROBLEM_LIMIT and any(word in text for word in NO_PROBLEM):
        return f"第五部分写的是「{short(text, 30)}」，没有写明存在的问题和改进措施", short(text, 30)
    if size < THIN:
        return f"第五部分只有 {size} 个字，写不清存在的问题和改进措施", f"{size} 字"
    if not measures and not any(word in t for t in (*paragraphs, *headings) for word in IMPROVEMENT):
        return "第五部分没有写改进措施（下一步怎样改进、整改）", ""
    return None


# -- EVAL-04: 六 says 「无」 while the figures show fees -----------------------------------

# 六 saying nothing: 「无」, 「无其他需要报告的事项」, 「本单位无其他报告事项」.
NOTHING_ELSE_LIMIT = 20


def _says_nothing(text: str) -> bool:
    from generator.checks.validate import NOTHING

    text = "".join(text.split())
    bare = text.rstrip("。.；;！!")
    return text in NOTHING or bare in ("无", "暂无", "没有") or \
        len(bare) <= NOTHING_ELSE_LIMIT and ("无其他" in bare or "没有其他" in bare) and "费" not in bare


def nothing_else_with_fees(report: model.Report) -> tuple[str, str] | None:
    """六 printed as only 「无」 while the fee figures show fees or notices, or table
    三 has applications dropped for unpaid fees: the message and the figures."""
    from generator.checks.validate import _unpaid
    from generator.rendering.placement import fees_stated_elsewhere

    fmt = report.fmt
    fee_printed = fmt.fee_statement and not report.fee_off and \
        bool(report.fee_text or report.fee_given or not fees_stated_elsewhere(report))
    own = any(part.paragraphs for part in report.own.get("other", []))
    parts = any(any(p.strip() for p in ps) for ps in report.other_parts.values())
    if fee_printed or own or parts or not all(_says_nothing(t) for t in report.other_items):
        return None
    shown = []
    if report.fee_amount:
        shown.append(f"收取信息处理费 {report.fee_amount} 元")
    if report.fee_notices:
        shown.append(f"发出收费通知 {report.fee_notices} 件")
    unpaid = _unpaid(report) if report.requests is not None else 0
    if unpaid:
        shown.append(f"表三有 {unpaid} 件因逾期未缴费不再处理")
    if not shown:
        return None
    return f"第六部分只写了「无」，但{'，'.join(shown)}", "；".join(shown)


# -- EVAL-07: published after the deadline -----------------------------------------------

DEADLINE = (3, 31)  # a government's: 3 月 31 日 of the year after the report's year
# The deadline the office names (month, day), for the checks of this run; None: DEADLINE.
_DEADLINE: ContextVar[tuple[int, int] | None] = ContextVar("deadline", default=None)


def parse_deadline(text: str) -> tuple[int, int]:
    """「03-31」 (or 「3-31」, 「3月31日」) as (month, day); ValueError, in Chinese, otherwise."""
    text = "".join(str(text).split())
    if text.endswith("日"):
        text = text[:-1]
    month, sep, day = text.replace("月", "-").replace("/", "-").partition("-")
    if not sep or not month.isascii() or not day.isascii() or not month.isdigit() or not day.isdigit() \
            or len(month) > 2 or len(day) > 2:
        raise ValueError(f"「{short(text)}」不是「月-日」，应写成 03-31 这样")
    try:
        dt.date(2000, int(month), int(day))  # a leap year: 02-29 is a day
    except ValueError:
        raise ValueError(f"「{short(text)}」不是一年中的日子") from None
    return int(month), int(day)


@contextmanager
def deadline(month_day: tuple[int, int] | None) -> Iterator[None]:
    """The checks inside take ``month_day`` as the deadline (None: the default)."""
    token = _DEADLINE.set(month_day)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def deadline_for(year: int, month_day: tuple[int, int] | None = None) -> dt.date:
    """The last day to publish the report of ``year``: in the next year, on the
    office's day or 3 月 31 日 (02-29 is the 28th in a common year)."""
    month, day = month_day or _DEADLINE.get() or DEADLINE
    return dt.date(year + 1, month, min(day, calendar.monthrange(year + 1, month)[1]))


def late(report: model.Report) -> tuple[str, str, str] | None:
    """The message, the date and the deadline when the report was published after it."""
    if report.date is None:
        return None
    last = deadline_for(report.year)
    if report.date <= last:
        return None
    return (f"发布日期 {report.date} 晚于规定期限 {last.year} 年 {last.month} 月 {last.day} 日",
            str(report.date), str(last))


def late_hint() -> str:
    if _DEADLINE.get() is None:
        return "请核对发布日期；年度报告应在次年 3 月 31 日前发布，本单位的期限不同时用 --deadline 月-日 指定"
    return "请核对发布日期（期限为 --deadline 指定的日子）"


def findings(source: Source, report: model.Report) -> list[Problem]:
    """EVAL-03, EVAL-04 and EVAL-07 of one report, as ``check`` says them."""
    fmt = report.fmt
    out = []
    thin = thin_problems(report)
    if thin is not None:
        out.append(source.problem((fmt.section_key("problems"),), thin[0], THIN_HINT, rule="EVAL-03",
                                  values=(thin[1], "")))
    fees = nothing_else_with_fees(report)
    if fees is not None:
        out.append(source.problem((fmt.section_key("other"),), fees[0],
                                  "在第六部分写明信息处理费的收取情况（收费通知件数、收费金额）",
                                  rule="EVAL-04", values=("无", fees[1])))
    after = late(report)
    if after is not None:
        out.append(source.problem((S.DATE,), after[0], late_hint(), rule="EVAL-07", values=after[1:]))
    return out


# -- EVAL-05 and EVAL-06: what audit finds in the printed report and last year's ------------

def blank_cell(printed: str) -> str:
    """A cell of table 三 or 四 printed blank or with 「/」, which import read as 0."""
    what = "空着" if not printed else f"写的是「{short(printed, 5)}」"
    return f"这一格{what}，按 0 读取；没有的数字应填 0"


REPEATED = 0.5  # the share of the text repeated from last year's report that monitoring flags


def repeated(copied: int, total: int, then: str) -> str | None:
    """The message when ``copied`` of ``total`` characters repeat ``then`` (「上年报告」)
    by :data:`REPEATED` or more, else None."""
    if not total or copied < REPEATED * total:
        return None
    return f"正文约 {copied / total:.0%} 的文字（{copied} 字，共 {total} 字）与{then}重复，超过一半"
