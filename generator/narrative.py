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

from .model import Report

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
            if all(int(m.group(1)) != actual for m in matches):
                out.append(Mismatch(path, matches[0].group(0), figure, actual))
    return out
