"""Compact terminal tables of the computed figures, for ``mkreport check``."""

from __future__ import annotations

import unicodedata

from generator.model import Report


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * (width - _width(text))
    return gap + text if right else text + gap


def text_table(header: list[str], rows: list[list[str]]) -> str:
    """Columns aligned by display width (Chinese characters count double)."""
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for k, row in enumerate([header, *rows]):
        cells = [_pad(c, w, right=i > 0) for i, (c, w) in enumerate(zip(row, widths))]
        lines.append("  ".join(cells).rstrip())
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def requests_table(report: Report) -> str:
    fmt = report.fmt
    assert report.requests is not None
    columns = [leaf.key for _, leaf in fmt.applicants.leaves()]
    rows = []

    def add(name: str, values: list[int]) -> None:
        rows.append([name, *(str(v) for v in values)])

    for role in ("received", "carried_in"):
        path, leaf = fmt.row_with_role(role)
        add(leaf.key, [report.requests.get(path, c) for c in columns])
    for child in fmt.result_group().children:
        if child.total:
            continue
        add("  " + child.key, [report.request_figure(child.key, c) for c in columns])
    path = fmt.handled_total()[0]
    add("办理结果总计", [report.requests.get(path, c) for c in columns])
    path, leaf = fmt.row_with_role("carried_out")
    add(leaf.key, [report.requests.get(path, c) for c in columns])
    return "表三 收到和处理政府信息公开申请情况\n" + text_table(["", *columns], rows)


def appeals_table(report: Report) -> str:
    fmt = report.fmt
    groups: dict[str, list[str]] = {}
    for path, _ in fmt.appeals.leaves():
        groups.setdefault("·".join(path[:-1]), []).append(str(report.appeals[path].value))
    outcomes = [leaf.label for path, leaf in fmt.appeals.leaves() if len(path) == 2]
    rows = [[name, *values] for name, values in groups.items()]
    return "表四 行政复议、行政诉讼情况\n" + text_table(["", *outcomes], rows)
