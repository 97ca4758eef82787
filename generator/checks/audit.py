"""What evaluators look for in a published report, found in its recognised data."""

from __future__ import annotations

import csv
import difflib
import io
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from generator.model import Report
from generator.parallel import run_all


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


# -- Auditing published reports ----------------------------------------------------


ERROR, WARNING, HINT = "错误", "警告", "提示"
COPIED = 0.9  # a paragraph this similar to one of last year's was copied
JUMP = 5  # a figure five times last year's (or a fifth of it) is worth a look


@dataclass(frozen=True)
class Finding:
    file: str
    severity: str
    place: str
    message: str


def _place(fmt, key: str) -> str:  # noqa: ANN001 - a Format
    """A key path as an evaluator names the place: 表三·自然人·结转下年度."""
    names = {fmt.section_key("proactive"): "表二", fmt.section_key("requests"): "表三",
             fmt.section_key("appeals"): "表四"}
    for name in ("overview", "problems", "other"):
        names[fmt.section_key(name)] = fmt.sections[name]
    parts = key.split(".") if key else []
    if parts and parts[0] in names:
        parts[0] = names[parts[0]]
    return "·".join(parts) or "全文"


def audit_file(path: Path, previous: Path | None = None) -> list[Finding]:
    """Everything an evaluator would question in one report (a document or YAML)."""
    from generator import formats
    from generator.checks.validate import DOCUMENTS, _cross_year, check_bytes, check_file
    from generator.importing import documents, recognize, write

    name = str(path)
    if path.suffix.lower() not in DOCUMENTS:
        checked = check_file(path, previous=previous)
        found = None
    else:
        try:
            found = recognize.read_report(documents.lines_of(path))
        except (recognize.NotAReport, documents.ImportError_) as exc:
            return [Finding(name, ERROR, "全文", f"无法识别为政府信息公开工作年度报告：{exc}")]
        checked = check_bytes(name, write.dump(found.data, []).encode("utf-8"))
        if previous is not None and checked.report is not None:
            checked.problems += _cross_year(checked, previous)
    if checked.report is None:
        return [Finding(name, p.severity, _place_of(p), p.message) for p in checked.errors] or \
            [Finding(name, ERROR, "全文", "无法读取")]
    report = checked.report
    fmt = report.fmt
    out = [Finding(name, p.severity, _place(fmt, p.key), p.message) for p in checked.problems]
    if found is not None:
        out += [Finding(name, ERROR, "表三" if "表三" in m else "表四", m)
                for m in printed_totals(report, found.printed)]
        out += [Finding(name, HINT, "表格", f"表头按近似匹配读取：{f}") for f in found.fuzzy]
        expected = formats.for_year(report.year)
        if expected is not None and expected.id != fmt.id:
            out.append(Finding(name, ERROR, "表二", f"{report.year} 年度报告应使用{expected.name}，"
                                                    f"实际使用的是{fmt.name}的表格"))
    out += _empty_sections(name, report)
    if previous is not None:
        last = check_file(previous, follow_previous=False).report
        if last is not None:
            out += _jumps(name, report, last) + _copied(name, report, last)
    return out


def _place_of(problem) -> str:  # noqa: ANN001
    return problem.key or "全文"


_NOTHING = {"无", "无。", "暂无", "暂无。", "没有", "无其他需要报告的事项", "无其他需要报告的事项。"}


def _empty_sections(name: str, report) -> list[Finding]:  # noqa: ANN001
    fmt = report.fmt
    out = []
    overview = [p for ps in report.overview.values() for p in ps] + \
        [p for part in report.own.get("overview", []) for p in part.paragraphs]
    problems = [p for ps in report.problems.values() for p in ps] + \
        [p for part in report.own.get("problems", []) for p in part.paragraphs]
    for section, texts in (("overview", overview), ("problems", problems)):
        if not [t for t in texts if t.strip() not in _NOTHING]:
            out.append(Finding(name, WARNING, fmt.sections[section], "这一部分没有内容（或只写了「无」）"))
    return out


def _totals(report) -> dict[str, int]:  # noqa: ANN001
    fmt = report.fmt
    figures = {"本年新收申请": report.request_figure(fmt.row_with_role("received")[0][-1])}
    for (row, column), cell in report.proactive.items():
        if isinstance(cell.value, int):
            figures[f"表二·{row}·{column}"] = cell.value
    return figures


def _jumps(name: str, report, last) -> list[Finding]:  # noqa: ANN001
    now, before = _totals(report), _totals(last)
    out = []
    for key, value in now.items():
        old = before.get(key)
        if old and value and (value >= JUMP * old or value * JUMP <= old) and max(value, old) >= 10:
            out.append(Finding(name, HINT, key, f"本年 {value}，上年 {old}，变化超过 {JUMP} 倍，请核对"))
    return out


def _paragraphs(report) -> list[str]:  # noqa: ANN001
    texts = [p for ps in report.overview.values() for p in ps] + [p for ps in report.problems.values() for p in ps]
    texts += [p for parts in report.own.values() for part in parts for p in part.paragraphs]
    return [t for t in texts + report.other_items if len(t) >= 30]


def _copied(name: str, report, last) -> list[Finding]:  # noqa: ANN001
    before = _paragraphs(last)
    out = []
    for text in _paragraphs(report):
        for old in before:
            ratio = difflib.SequenceMatcher(None, text, old, autojunk=False).ratio()
            if ratio >= COPIED:
                out.append(Finding(name, WARNING, "正文", f"这一段与上年报告几乎相同（相似度 {ratio:.0%}）："
                                                         f"「{text[:30]}……」"))
                break
    return out


def render(findings: list[Finding], kind: str, files: list[Path] | None = None) -> str:
    if kind == "json":
        return json.dumps([asdict(f) for f in findings], ensure_ascii=False, indent=2) + "\n"
    if kind == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["文件", "严重程度", "位置", "问题"])
        writer.writerows([f.file, f.severity, f.place, f.message] for f in findings)
        return buffer.getvalue()
    lines = []
    for file in dict.fromkeys([str(p) for p in files or []] + [f.file for f in findings]):
        mine = [f for f in findings if f.file == file]
        if not mine:
            lines.append(f"{file}：没有发现问题")
            continue
        lines.append(f"{file}：{sum(f.severity == ERROR for f in mine)} 处错误，"
                     f"{sum(f.severity == WARNING for f in mine)} 处警告")
        lines += [f"  [{f.severity}] {f.place}：{f.message}" for f in mine]
    if not lines:
        lines.append("没有找到可以检查的报告（.docx、.html、.pdf、.txt 或 .yaml）")
    return "\n".join(lines) + "\n"


AUDITABLE = (".docx", ".html", ".htm", ".pdf", ".txt", ".yaml", ".yml")


def expand(paths: list[Path]) -> list[Path]:
    """Files as given, and the reports inside folders."""
    out = []
    for path in paths:
        if path.is_dir():
            out += sorted(p for p in path.rglob("*") if p.suffix.lower() in AUDITABLE and p.is_file()
                          and not p.name.startswith((".", "~$")))
        else:
            out.append(path)
    return out


def _one(job: tuple[Path, Path | None]) -> list[Finding]:
    path, previous = job
    try:
        return audit_file(path, previous)
    except Exception as exc:  # one broken file must not stop an audit of hundreds
        return [Finding(str(path), ERROR, "全文", f"无法检查（{type(exc).__name__}）")]


def audit_all(paths: list[Path], previous: Path | None = None, workers: int | None = None,
              progress: bool | None = None) -> list[Finding]:
    jobs = [(p, previous) for p in expand(paths)]
    return [f for found in run_all(_one, jobs, "检查报告", workers, progress) for f in found]
