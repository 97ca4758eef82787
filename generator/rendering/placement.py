"""Where the report's own parts go, decided from the model alone: which chapter
takes the applications paragraph, and whether 六 states the fees in the office's
words. ``compose`` prints by these and ``check`` warns by them, without loading
the templates.
"""

from __future__ import annotations

from generator.model import Report, speaks_of_fees


def summary_place(report: Report) -> tuple[str, str | None]:
    """Where the applications paragraph goes: (chapter key, sub-heading or None for
    after the chapter's opening paragraphs)."""
    fmt = report.fmt
    overview = fmt.section_key("overview")
    own = report.own.get("overview", [])
    official = next(a for a in fmt.overview_aspects if a.key == fmt.requests_summary_aspect)
    if report.summary_under:
        wanted = report.summary_under
        if wanted in [a.label for a in fmt.overview_aspects] + [p.heading for p in own]:
            return overview, wanted
        for key, chapter in report.chapters.items():
            if wanted == key:
                return key, None
            if wanted in [p.heading for p in chapter.parts]:
                return key, wanted
        return overview, None
    if report.overview[official.key]:
        return overview, official.label
    heading = next((p.heading for p in own if "依申请" in p.heading), None)
    if heading:
        return overview, heading
    for key, chapter in report.chapters.items():
        if "申请" in key:
            return key, None
        heading = next((p.heading for p in chapter.parts if "依申请" in p.heading), None)
        if heading:
            return key, heading
    written = any(report.overview[a.key] for a in fmt.overview_aspects)
    return overview, (official.label if written and not own else None)


def fees_stated_elsewhere(report: Report) -> bool:
    """六 states the fees in the office's own words: a paragraph of 事项 that speaks
    of fees, or a sub-heading of its own about them (「信息处理费收取情况」)."""
    return any(speaks_of_fees(p) for p in report.other_items) or \
        any(speaks_of_fees(part.heading) and part.paragraphs for part in report.own.get("other", []))
