"""A body's reports over the years: every consecutive pair checked as ``--previous`` does.

Evaluators read a body's run of years, not one pair: 上年结转 against last
year's 结转下年度, 现行有效件数 (2021 format) and 上一年项目数量 (2019 format)
against last year's figures, figures five times last year's, paragraphs copied
from last year. Here the reports already read and checked by the audit (each
file once, on any core) are grouped by body (:mod:`generator.identity`),
ordered by year, and each consecutive pair goes through the same checks:
:func:`generator.checks.crossyear.compare` and the audit's ``_jumps`` and
``_copied``, with messages that name both years.

A year missing inside a run is reported on the report after the gap. Two
reports of one body and year are reported: when their tables agree (the same
report as a web page and as a PDF) the first stands for both; when they do
not, that year is left out of the pairs, since either could be the one
published.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.checks import crossyear, narrative
from generator.checks.audit import ERROR, HINT, WARNING, Finding, _copied, _jumps, _place
from generator.checks.rules import RULES
from generator.identity import body_key, group
from generator.model import Report
from generator.reading.source import format_path

PLACE = "历年"  # the place of findings about a body's run of years as a whole


@dataclass(frozen=True)
class Entry:
    """One report taking part: the file it was read from, the body and year it
    names, and its checked model (None when the file has errors that stop it)."""

    file: str
    agency: str
    year: int
    report: Report | None = None


@dataclass
class Chain:
    """One body's reports, ordered by year, and what does not carry over."""

    body: str  # the fullest name the body was written with
    entries: list[Entry]  # by year, then by file
    missing: list[int] = field(default_factory=list)  # years absent inside the run
    duplicates: list[int] = field(default_factory=list)  # years with more than one report
    findings: list[Finding] = field(default_factory=list)  # each on the later year's file
    breaks: int = 0  # figures that do not carry over (上年结转, 现行有效件数, 上一年项目数量)

    @property
    def years(self) -> list[int]:
        return sorted({e.year for e in self.entries})

    @property
    def names(self) -> list[str]:
        """The names the body was written with, fullest first."""
        return sorted({e.agency for e in self.entries}, key=lambda n: (-len(body_key(n)), n))

    @property
    def severity(self) -> str:
        """The gravest severity among the findings, or "" when there are none."""
        return next((s for s in (ERROR, WARNING, HINT) if any(f.severity == s for f in self.findings)), "")

    def summary(self) -> str:
        text = "、".join(map(str, self.years)) + " 年度"
        if self.missing:
            text += "；缺少 " + "、".join(map(str, self.missing)) + " 年度"
        if self.duplicates:
            text += "；" + "、".join(map(str, self.duplicates)) + " 年度有不止一份报告"
        if self.breaks:
            return text + f"；前后年度接不上 {self.breaks} 处"
        years = set(self.years)
        paired = any(y + 1 in years for y in years)
        return text + ("；前后年度的数字都接得上" if paired else "")


def link(entries: list[Entry]) -> list[Chain]:
    """Every body with two reports or more, and its findings; bodies by name."""
    keys = group(e.agency for e in entries)
    bodies: dict[str, list[Entry]] = {}
    for entry in entries:
        bodies.setdefault(keys[body_key(entry.agency)], []).append(entry)
    chains = [_chain(members) for members in bodies.values() if len(members) > 1]
    return sorted(chains, key=lambda c: (c.body, c.years))


def _figures(report: Report) -> tuple:
    """Every figure of the three tables: two files with the same are one report."""
    assert report.requests is not None
    return ({k: v.value for k, v in report.proactive.items()}, report.requests.cells,
            {k: (v.value, v.note) for k, v in report.appeals.items()})


def _chain(members: list[Entry]) -> Chain:
    members = sorted(members, key=lambda e: (e.year, e.file))
    chain = Chain(max(members, key=lambda e: (len(body_key(e.agency)), e.agency)).agency, members)
    by_year: dict[int, list[Entry]] = {}
    for entry in members:
        by_year.setdefault(entry.year, []).append(entry)
    usable: dict[int, Entry] = {}
    for year, same_year in by_year.items():
        if len(same_year) > 1:
            chain.duplicates.append(year)
        readable = [e for e in same_year if e.report is not None]
        if not readable:
            chain.findings += [Finding(e.file, HINT, PLACE, f"本报告有错误，{year} 年度没有与前后年度核对")
                               for e in same_year]
            continue
        first = readable[0]
        figures = _figures(first.report)
        agree = all(_figures(e.report) == figures for e in readable[1:])
        for entry in same_year:
            if entry is first:
                continue
            if entry.report is None:
                text, severity = f"本报告有错误，按 {first.file} 与前后年度核对", HINT
            elif agree:
                text, severity = "表格数字相同，按同一份报告与前后年度核对", HINT
            else:
                text, severity = (f"但表格数字不同，无法确定哪一份是发布的，{year} 年度没有与前后年度核对",
                                  WARNING)
            chain.findings.append(Finding(entry.file, severity, PLACE,
                                          f"与 {first.file} 同为本单位 {year} 年度的报告，{text}",
                                          "YEAR-05" if severity == WARNING else ""))
        if agree:
            usable[year] = first
    years = sorted(by_year)
    for before, year in zip(years, years[1:]):
        gap = list(range(before + 1, year))
        if gap:
            chain.missing += gap
            chain.findings.append(Finding(by_year[year][0].file, WARNING, PLACE,
                                          f"缺少 {'、'.join(map(str, gap))} 年度的报告，"
                                          f"{year} 年度无法与上年核对上年结转等数字", "YEAR-04"))
        elif before in usable and year in usable:
            chain.findings += _pair(usable[year], usable[before], chain)
    return chain


def _pair(now: Entry, last: Entry, chain: Chain) -> list[Finding]:
    """The checks ``audit --previous`` runs, for one consecutive pair of the chain."""
    report, previous = now.report, last.report
    assert report is not None and previous is not None
    fmt = report.fmt
    keys = {name: fmt.section_key(name) for name in fmt.sections}
    found = crossyear.compare(report, previous, keys, years=True)
    chain.breaks += len(found)
    out = [Finding(now.file, WARNING, _place(fmt, format_path(f.path)), f.message, "YEAR-01") for f in found]
    # Changes the text states against last year (「较上年增加N件」), as with --previous.
    out += [Finding(now.file, RULES[f.rule].severity, _place(fmt, format_path(f.path)), f.message, f.rule,
                    f.stated, f.expected)
            for f in narrative.changes(report, previous, narrative.texts_of(report))]
    return out + _jumps(now.file, report, previous, years=True) + _copied(now.file, report, previous, years=True)
