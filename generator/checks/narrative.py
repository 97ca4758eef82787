"""Figures that the clerk's own text restates, checked against table 三.

Narrative often repeats a number and gets it wrong (seed 000 says
「不予公开政府信息53条」 while its table has no application at all). We look
for a few unambiguous phrasings; a paragraph passes when any number it gives
for a figure equals the table, since reports often add a unit's own share
(「其中市政府共受理……92件」) next to the total.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from generator.model import Report
from generator.reading.source import MAX_DIGITS, short

_NUMBER = r"(\d+)\s*[件条个]"
_GAP = r"[^，。；：\d]{0,12}"

PATTERNS = {
    "本年新收": re.compile(rf"(?:收到|受理|接到|接收){_GAP}申请{_GAP}?{_NUMBER}"),
    "予以公开": re.compile(rf"(?<!不)予以公开{_GAP}{_NUMBER}"),
    "部分公开": re.compile(rf"部分公开{_GAP}{_NUMBER}"),
    "不予公开": re.compile(rf"不予公开{_GAP}{_NUMBER}"),
    "无法提供": re.compile(rf"无法提供{_GAP}{_NUMBER}"),
    "不予处理": re.compile(rf"不予处理{_GAP}{_NUMBER}"),
}


@dataclass(frozen=True)
class Mismatch:
    path: tuple
    quote: str
    figure: str
    table_value: int


def check(report: Report, bullets: dict[tuple, str]) -> list[Mismatch]:
    """``bullets`` maps each paragraph's key path to its text."""
    out = []
    for path, text in bullets.items():
        for figure, pattern in PATTERNS.items():
            matches = list(pattern.finditer(text))
            if not matches:
                continue
            actual = report.request_figure(figure)
            if all(_count(m.group(1)) != actual for m in matches):
                out.append(Mismatch(path, short(matches[0].group(0), 40), figure, actual))
    return out


def _count(digits: str) -> int | None:
    """A figure as the text writes it; None past the digits any figure has
    (and past what int() reads: thousands of digits are refused)."""
    return int(digits) if len(digits) <= MAX_DIGITS else None


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
# Words by which a sentence speaks of fees, whatever else it says: 「未发生政府信息公开
# 收费事项」「未发生收费情况」「不收取任何费用」 are fee statements as much as
# 「本年度未收取信息处理费」.
FEE_WORDS = ("信息处理费", "收费", "缴费", "费用")


def speaks_of_fees(text: str) -> bool:
    return any(word in text for word in FEE_WORDS)


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
