"""What evaluators look for in a published report, found in its recognised data."""

from __future__ import annotations

from ..model import Report


def printed_totals(report: Report, printed: dict[str, list[int]]) -> list[str]:
    """Printed totals of table 三 and 四 that are not the sums of their parts."""
    fmt = report.fmt
    assert report.requests is not None
    out = []
    columns = [leaf for _, leaf in fmt.applicants.leaves()]
    total_path = fmt.handled_total()[0]
    if "（七）总计" in printed:
        for column, value in zip(columns, printed["（七）总计"]):
            computed = report.requests.get(total_path, column.key)
            if value != computed:
                out.append(f"表三（七）总计「{column.label}」列印的是 {value}，各项之和为 {computed}")
    rows = [path for path, leaf in fmt.request_rows.leaves() if not leaf.total]
    for path, value in zip(rows, printed.get("总计列", [])):
        computed = report.requests.get(path, fmt.total_applicant())
        if value != computed:
            out.append(f"表三「{path[-1]}」行的总计印的是 {value}，各列之和为 {computed}")
    totals = [path for path, leaf in fmt.appeals.leaves() if leaf.total]
    for path, value in zip(totals, printed.get("表四总计", [])):
        computed = int(report.appeals[path].value)
        if value != computed:
            out.append(f"表四「{'·'.join(path[:-1])}」的总计印的是 {value}，各项之和为 {computed}")
    return out
