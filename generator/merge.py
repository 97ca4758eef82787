"""Combining unit reports into one government-wide report.

A county or city report sums its departments' and townships' tables. Every
unit is validated first; all must share year and format. Sums are taken from
the unit models (so a unit's computed 结转下年度 counts, not a typed one).
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from generator import identity
from generator.errors import Problem
from generator.files import same_file
from generator.formats import AMOUNT, COUNT, SIGNED, TEXT
from generator.model import Report
from generator.reading import schema as S
from generator.reading.source import short

# 「采购总金额」 is free text with a unit; these units can be added up.
_MONEY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(元|万元)?\s*$")


def _money_in_wan(text: str) -> Decimal | None:
    m = _MONEY.match(str(text))
    if not m:
        return None
    value = Decimal(m.group(1))
    return value / 10000 if m.group(2) in (None, "元") else value


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def sum_reports(reports: list[Report]) -> tuple[dict[tuple, Any], list[str]]:
    """Summed figures by input key path, and notes for the author."""
    fmt = reports[0].fmt
    values: dict[tuple, Any] = {}
    notes: list[str] = []

    proactive = fmt.section_key("proactive")
    for block in fmt.blocks:
        for row in block.rows:
            for column in block.columns:
                cells = [r.proactive[(row, column.key)].value for r in reports]
                path = (proactive, row, column.key)
                if column.type in (COUNT, SIGNED, AMOUNT):
                    values[path] = sum(cells)
                elif column.type == TEXT:
                    amounts = [_money_in_wan(c) for c in cells]
                    if all(a is not None for a in amounts):
                        values[path] = _plain(sum(amounts, Decimal(0))) + "万元"  # type: ignore[arg-type]
                    else:
                        values[path] = ""
                        notes.append(f"「{row}·{column.key}」各单位写法不一，无法相加，请手工填写")

    requests = fmt.section_key("requests")
    group = fmt.result_group().key
    for path, leaf in fmt.request_rows.leaves():
        if leaf.total or leaf.role == "carried_out":
            continue
        input_path = path[1:] if path[0] == group else path
        for _, applicant in fmt.applicants.leaves():
            if applicant.total:
                continue
            total = sum(r.requests.get(path, applicant.key) for r in reports if r.requests)
            values[(requests, applicant.key, *input_path)] = total

    appeals = fmt.section_key("appeals")
    for path, leaf in fmt.appeals.leaves():
        if leaf.total:
            continue
        values[(appeals, *path)] = sum(int(r.appeals[path].value) for r in reports)
    if any(cell.note for r in reports for cell in r.appeals.values()):
        notes.append("各单位表四的备注没有带入，需要时请在合并后的文件中补写")
    return values, notes


def consistency(reports: list[Report], names: list[str]) -> list[Problem]:
    """All units must report the same year in the same format."""
    problems = []
    first = reports[0]
    for report, name in zip(reports[1:], names[1:]):
        if report.year != first.year:
            problems.append(Problem(name, None, None, S.YEAR,
                                    f"年度是 {report.year}，而 {names[0]} 是 {first.year}",
                                    "只能合并同一年度的报告"))
        elif report.fmt.id != first.fmt.id:
            problems.append(Problem(name, None, None, S.FORMAT,
                                    f"使用{report.fmt.name}，而 {names[0]} 使用{first.fmt.name}",
                                    "只能合并使用同一格式的报告"))
    return problems


def duplicate_files(paths: list[Path]) -> list[Problem]:
    """The same file named twice (also through another path) would count twice."""
    problems = []
    for i, path in enumerate(paths):
        for earlier in paths[:i]:
            if same_file(earlier, path):
                problems.append(Problem(str(path), None, None, "", f"与 {earlier} 是同一个文件，重复列出",
                                        "每个单位只能合并一次，请删去重复的文件"))
                break
    return problems


def duplicate_agencies(reports: list[Report], names: list[str]) -> list[Problem]:
    """Two files of one agency (a copy, last year's draft) would count it twice.

    Names are compared as bodies (:mod:`generator.identity`): a space, a
    full-width letter, an invisible character or the city written in front does
    not make a second unit."""
    problems = []
    bodies = identity.group(r.agency for r in reports)
    first: dict[str, tuple[str, str]] = {}
    for report, name in zip(reports, names):
        body = bodies[identity.body_key(report.agency)]
        if body in first:
            earlier, agency = first[body]
            how = "相同" if agency == report.agency else f"是同一个单位（「{short(agency)}」）"
            problems.append(Problem(name, None, None, S.AGENCY,
                                    f"机关名称「{short(report.agency)}」与 {earlier} 的机关名称{how}",
                                    "同一个单位只能合并一次；如果是两个单位，请核对机关名称"))
        else:
            first[body] = (name, report.agency)
    return problems


def unit_list(reports: list[Report], paths: list[Path]) -> list[str]:
    lines = [f"由 mkreport merge 合并 {len(reports)} 个单位的数字而成：", ""]
    lines += [f"  {i}. {r.agency}（{p.name}）" for i, (r, p) in enumerate(zip(reports, paths), 1)]
    lines += ["", "表二、表三、表四的数字为各单位之和；请补写总体情况等文字部分。"]
    return lines
