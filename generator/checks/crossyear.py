"""Checks against last year's report: what reviewers compare first.

- This year's 上年结转 equals last year's 结转下年度, column by column.
- 2021 format: 现行有效件数 = last year's 现行有效件数 + 本年制发件数 − 本年废止件数.
- 2019 format: this year's 上一年项目数量 = last year's 上一年项目数量 + 本年增/减.

Both years go through the same model, so last year's 结转下年度 is the computed
one even when last year's file left it out.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.identity import same_body
from generator.model import Report


@dataclass(frozen=True)
class Finding:
    path: tuple
    message: str


def compare(report: Report, previous: Report, section_keys: dict[str, str],
            years: bool = False) -> list[Finding]:
    """What does not carry over from ``previous`` to ``report``. With ``years``,
    each message names both years (「2021 年报告…，但 2020 年报告…」) instead of
    「本报告」 and 「上年报告」, for findings listed over a run of years."""
    out: list[Finding] = []
    if previous.year != report.year - 1:
        out.append(Finding((), f"上年报告是 {previous.year} 年度的，本报告是 {report.year} 年度"))
        return out
    if not same_body(previous.agency, report.agency):
        out.append(Finding((), f"上年报告的机关名称是「{previous.agency}」，与本报告「{report.agency}」不同"))
    this, then, then_short = (f"{report.year} 年报告", f" {previous.year} 年报告", f" {previous.year} 年的") \
        if years else ("", "上年报告", "上年")

    fmt, old = report.fmt, previous.fmt
    carried_in = fmt.row_with_role("carried_in")[0]
    carried_out = old.row_with_role("carried_out")[0]
    assert report.requests is not None and previous.requests is not None
    for _, leaf in fmt.applicants.leaves():
        if leaf.total:
            continue
        now = report.requests.get(carried_in, leaf.key)
        before = previous.requests.get(carried_out, leaf.key)
        if now != before:
            out.append(Finding((section_keys["requests"], leaf.key, carried_in[-1]),
                               f"{this}「{leaf.key}」上年结转 {now} 件，但{then}的结转下年度继续办理为 {before} 件"))

    keys = {role: fmt.column_key(role) for role in ("in_force", "issued", "repealed", "prior_items", "change")}
    in_force, prior = keys["in_force"], keys["prior_items"]
    for (row, column), cell in report.proactive.items():
        if column == in_force and (row, column) in previous.proactive:
            before = previous.proactive[(row, column)].value
            issued = report.proactive[(row, keys["issued"])].value
            repealed = report.proactive[(row, keys["repealed"])].value
            expected = before + issued - repealed
            if cell.value != expected:
                out.append(Finding(
                    (section_keys["proactive"], row, column),
                    f"{this}「{row}」{column} {cell.value}，但按{then_short} {before} + 本年制发 {issued}"
                    f" − 本年废止 {repealed} 应为 {expected}"))
        if column == prior and (row, column) in previous.proactive \
                and (row, old.column_key("change")) in previous.proactive:
            last_prior = previous.proactive[(row, column)].value
            last_change = previous.proactive[(row, old.column_key("change"))].value
            expected = last_prior + last_change
            if cell.value != expected:
                out.append(Finding(
                    (section_keys["proactive"], row, column),
                    f"{this}「{row}」{column} {cell.value}，但{then}为 {last_prior}"
                    f"（{column}）{'+' if last_change >= 0 else '−'} {abs(last_change)}"
                    f"（{old.column_key('change')}）= {expected}"))
    return out


def carried_over(previous: Report) -> dict[str, int]:
    """Last year's 结转下年度 by applicant column: this year's 上年结转."""
    assert previous.requests is not None
    path = previous.fmt.row_with_role("carried_out")[0]
    return {leaf.key: previous.requests.get(path, leaf.key)
            for _, leaf in previous.fmt.applicants.leaves() if not leaf.total}
