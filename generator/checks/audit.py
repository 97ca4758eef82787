"""What evaluators look for in a published report, found in its recognised data."""

from __future__ import annotations

import csv
import difflib
import io
import itertools
import json
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from generator.checks import evaluator
from generator.checks.rules import RULES
from generator.errors import one_line, printable
from generator.model import Report
from generator.parallel import file_timeout, run_all


def printed_rows(report: Report, count: int) -> list[tuple[str, ...]] | None:
    """The table 三 rows whose 总计 column the recognised document printed, in
    order, as row paths (a group's path when it was printed as one row), or
    None when ``count`` printed figures cannot be told apart row by row.

    The rows are the report's format's, which is the format the document was
    recognised with (a variant's rows when it names one). A document printed
    in the official format with a group as one row (「（六）其他处理」 without
    its items, which import reads into the group's 「其他」) has fewer rows:
    the groups so printed are found by the count and by their items being
    empty, and compared as a whole. Rows that cannot be paired are not guessed.
    """
    fmt = report.fmt
    assert report.requests is not None
    rows = [path for path, leaf in fmt.request_rows.leaves() if not leaf.total]
    if count == len(rows):
        return rows
    total = fmt.total_applicant()
    group = fmt.result_group()
    collapsible = [(group.key, c.key) for c in group.children if c.child("其他") is not None]
    fits = []
    for k in range(1, len(collapsible) + 1):
        for chosen in itertools.combinations(collapsible, k):
            kept = [r for r in rows if r[:2] not in chosen or r[2:] == ("其他",)]
            if len(kept) != count:
                continue
            # Import puts such a row's figures under 「其他」: its other items stay empty.
            if any(report.requests.get(r, total) for r in rows if r[:2] in chosen and r[2:] != ("其他",)):
                continue
            fits.append([r[:2] if r[:2] in chosen else r for r in kept])
    return fits[0] if len(fits) == 1 else None


def printed_totals(report: Report, printed: dict[str, list[int]]) -> list[str]:
    """Printed totals of table 三 and 四 that are not the sums of their parts."""
    fmt = report.fmt
    assert report.requests is not None
    out = []
    columns = [leaf for _, leaf in fmt.applicants.leaves()]
    total_path = fmt.handled_total()[0]
    total = fmt.total_applicant()
    if len(printed.get("（七）总计", columns)) == len(columns):
        for column, value in zip(columns, printed.get("（七）总计", [])):
            computed = report.requests.get(total_path, column.key)
            if value != computed:
                out.append(f"表三（七）总计「{column.label}」列印的是 {value}，各项之和为 {computed}")
    by_row = printed.get("总计列", [])
    for path, value in zip(printed_rows(report, len(by_row)) or [], by_row):
        computed = sum(v for (row, column), v in report.requests.cells.items()
                       if column == total and row[:len(path)] == path and row != total_path)
        if value != computed:
            out.append(f"表三「{path[-1]}」行的总计印的是 {value}，各列之和为 {computed}")
    totals = [path for path, leaf in fmt.appeals.leaves() if leaf.total]
    if len(printed.get("表四总计", totals)) == len(totals):
        for path, value in zip(totals, printed.get("表四总计", [])):
            computed = int(report.appeals[path].value)
            if value != computed:
                out.append(f"表四「{'·'.join(path[:-1])}」的总计印的是 {value}，各项之和为 {computed}")
    return out


# -- Auditing published reports ----------------------------------------------------


ERROR, WARNING, HINT = "错误", "警告", "提示"
COPIED = 0.9  # a paragraph this similar to one of last year's was copied
# Comparing two paragraphs costs up to the product of their lengths: a longer
# paragraph is compared by its first COMPARED characters (a real one has a few
# hundred); at most PARAGRAPHS paragraphs of each year are compared, and all
# comparisons together cover at most COMPARISON_WORK characters × characters
# (a city's report, every paragraph slightly changed from last year's, takes a quarter).
COMPARED = 1000
PARAGRAPHS = 200
COMPARISON_WORK = 10_000_000
JUMP = 5  # a figure five times last year's (or a fifth of it) is worth a look


@dataclass(frozen=True)
class Finding:
    file: str
    severity: str
    place: str
    message: str
    rule: str = ""  # the rule's id (generator/checks/rules.py)
    stated: str = ""  # what the report says …
    expected: str = ""  # … and what the figures say


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


def audit_file(path: Path, previous: Path | None = None, variant: Path | None = None,
               deadline: tuple[int, int] | None = None) -> list[Finding]:
    """Everything an evaluator would question in one report (a document or YAML).

    ``variant`` is the locality's format file when the report was printed by one;
    ``deadline`` the (month, day) of the next year by which it had to be published.
    """
    with evaluator.deadline(deadline):
        return _audit(path, previous, variant)[0]


def _audit(path: Path, previous: Path | None, variant: Path | None) -> tuple[list[Finding], tuple | None]:
    """The findings of one report, and for the checks over years the body and
    year it names with its checked model (None when the file has errors that
    stop it); None instead when neither body nor year could be read."""
    from generator import formats
    from generator.checks.validate import DOCUMENTS, _cross_year, _last_year, check_bytes, check_file, today
    from generator.errors import MkreportError
    from generator.importing import documents, recognize, write
    from generator.reading import schema as S

    name = str(path)
    if path.suffix.lower() not in DOCUMENTS:
        checked = check_file(path, variant=variant, previous=previous)
        found = None
    else:
        try:
            fmt = formats.load_file(variant) if variant is not None else None
            found = recognize.read_report(documents.lines_of(path), fmt)
        except (recognize.NotAReport, MkreportError) as exc:
            return [Finding(name, ERROR, "全文", f"无法识别为政府信息公开工作年度报告：{exc}")], None
        data = found.data
        if variant is not None:
            # The data names the variant it was recognised with, as import writes it,
            # so that it is checked against the same rows.
            data = {S.VARIANT: str(variant.resolve()), **data}
        checked = check_bytes(name, write.dump(data, []).encode("utf-8"), variant=variant)
        if previous is not None and checked.report is not None:
            checked.problems += _cross_year(checked, previous)
    if checked.report is None:
        data = checked.source.data
        named = None
        year = data.get(S.YEAR) if isinstance(data, dict) else None
        # Only a year a report can have: a run of years is listed year by year.
        if isinstance(data, dict) and isinstance(data.get(S.AGENCY), str) and type(year) is int \
                and formats.year_refusal(year, today().year) is None:
            named = (data[S.AGENCY], data[S.YEAR], None)
        return [Finding(name, p.severity, _place_of(p), p.message) for p in checked.errors] or \
            [Finding(name, ERROR, "全文", "无法读取")], named
    report = checked.report
    fmt = report.fmt
    out = [Finding(name, p.severity, _place(fmt, p.key), p.message, p.rule, *_values(p)) for p in checked.problems]
    if found is not None:
        out += [Finding(name, ERROR, "表三" if "表三" in m else "表四", m, "ARITH-02")
                for m in printed_totals(report, found.printed)]
        printed = len(found.printed.get("总计列", []))
        if printed and printed_rows(report, printed) is None:
            out.append(Finding(name, HINT, "表三", f"表三印出的 {printed} 行与{fmt.name}的行对不上，"
                                                  "没有逐行核对总计列"))
        out += [Finding(name, HINT, "表格", f"表头按近似匹配读取：{f}") for f in found.fuzzy]
        out += [Finding(name, RULES["EVAL-05"].severity, _place(fmt, ".".join(key)), evaluator.blank_cell(printed),
                        "EVAL-05", printed or "空", "0") for key, printed in found.blank]
        expected = formats.for_year(report.year)
        # A variant extends an official format and covers that format's years.
        if expected is not None and not fmt.covers(report.year):
            out.append(Finding(name, ERROR, "表二", f"{report.year} 年度报告应使用{expected.name}，"
                                                    f"实际使用的是{fmt.name}的表格", "FORM-01"))
    if previous is not None:
        last = _last_year(previous).report
        if last is not None:
            out += _jumps(name, report, last) + _copied(name, report, last)
    return out, (report.agency, report.year, report)


def _values(problem) -> tuple[str, str]:  # noqa: ANN001 - a Problem
    stated, expected = (tuple(problem.values) + ("", ""))[:2]
    return str(stated), str(expected)


def _place_of(problem) -> str:  # noqa: ANN001
    return problem.key or "全文"


def _totals(report) -> dict[str, int]:  # noqa: ANN001
    fmt = report.fmt
    figures = {"本年新收申请": report.request_figure(fmt.row_with_role("received")[0][-1])}
    for (row, column), cell in report.proactive.items():
        if isinstance(cell.value, int):
            figures[f"表二·{row}·{column}"] = cell.value
    return figures


def _jumps(name: str, report, last, years: bool = False) -> list[Finding]:  # noqa: ANN001
    """Figures five times last year's, or a fifth; ``years`` names the years."""
    this, then = (f"{report.year} 年", f"{last.year} 年") if years else ("本年", "上年")
    now, before = _totals(report), _totals(last)
    out = []
    for key, value in now.items():
        old = before.get(key)
        if old and value and (value >= JUMP * old or value * JUMP <= old) and max(value, old) >= 10 \
                and (years or not _tenfold(value, old)):
            out.append(Finding(name, HINT, key, f"{this} {value}，{then} {old}，变化超过 {JUMP} 倍，请核对",
                               "YEAR-03", str(value), str(old)))
    return out


def _tenfold(now: int, before: int) -> bool:
    """What check already warns of against last year (YEAR-02): not said twice."""
    from generator.checks.validate import JUMP as TEN
    from generator.checks.validate import JUMP_FLOOR

    return max(now, before) >= JUMP_FLOOR and max(now, before) >= TEN * min(now, before)


def _narrative(report) -> list[str]:  # noqa: ANN001
    """The report's own words: 一 (or its own chapters), 五 and 六, paragraph by paragraph."""
    texts = [p for ps in report.overview.values() for p in ps] + [p for ps in report.problems.values() for p in ps]
    texts += [p for parts in report.own.values() for part in parts for p in part.paragraphs]
    texts += [p for chapter in report.chapters.values()
              for p in chapter.intro + [p for part in chapter.parts for p in part.paragraphs]]
    texts += [p for ps in report.other_parts.values() for p in ps]
    return texts + report.other_items


def _paragraphs(report) -> list[str]:  # noqa: ANN001
    """The paragraphs compared with last year's: those of 30 characters or more."""
    return [t for t in _narrative(report) if len(t) >= 30]


def _copied(name: str, report, last, years: bool = False) -> list[Finding]:  # noqa: ANN001
    """Paragraphs nearly the same as one of last year's (EVAL-08), and the share
    of the whole text they make when it is half or more (EVAL-06); ``years``
    names the year.

    Each paragraph is paired with the first of last year's that is as similar
    as :data:`COPIED` (difflib's ratio), as an evaluator pairs them. A long
    paragraph is compared by its first :data:`COMPARED` characters. The work is
    bounded: pairs whose lengths, then whose characters (difflib's
    ``quick_ratio``, from counts made once per paragraph) rule the ratio out
    are never compared; at most :data:`PARAGRAPHS` paragraphs of each year,
    and at most :data:`COMPARISON_WORK` characters × characters in all.

    The share counts a paragraph found whole, and of one compared by its
    opening only that opening: what was not compared is not called repeated.
    Paragraphs left uncompared (past the bounds) count as not repeated.
    """
    then = f" {last.year} 年报告" if years else "上年报告"
    texts, before = _paragraphs(report), _paragraphs(last)
    out = []
    if max(len(texts), len(before)) > PARAGRAPHS:
        out.append(Finding(name, HINT, "正文", f"正文超过 {PARAGRAPHS} 段，只核对了前 {PARAGRAPHS} 段"
                                             f"是否照抄{then}"))
        texts, before = texts[:PARAGRAPHS], before[:PARAGRAPHS]
    copied, finished = _pairs(texts, before)
    if not finished:
        out.append(Finding(name, HINT, "正文", f"段落太多或太长，没有逐段核对完是否照抄{then}"))
    total = sum(len("".join(t.split())) for t in _narrative(report))
    same = sum(len("".join((texts[i][:COMPARED] if opening_only else texts[i]).split()))
               for i, (_, opening_only) in copied.items())
    share = evaluator.repeated(same, total, then)
    if share is not None:
        out.append(Finding(name, RULES["EVAL-06"].severity, "正文", share, "EVAL-06", f"{same / total:.0%}",
                           f"低于 {evaluator.REPEATED:.0%}"))
    for i, (ratio, opening_only) in sorted(copied.items()):
        text = texts[i]
        part = f"这一段的前 {COMPARED} 字" if opening_only else "这一段"
        out.append(Finding(name, WARNING, "正文", f"{part}与{then}几乎相同（相似度 {ratio:.0%}）："
                                                 f"「{text[:30]}……」", "EVAL-08"))
    return out


def _pairs(texts: list[str], before: list[str]) -> tuple[dict[int, tuple[float, bool]], bool]:
    """The paragraphs of ``texts`` nearly the same as one of ``before``: by index,
    the ratio and whether only the openings were compared; and whether every
    pair that could be was compared within :data:`COMPARISON_WORK`."""
    verbatim = set(before)
    # Each paragraph found: its ratio, and whether only the openings were compared.
    copied = {i: (1.0, False) for i, text in enumerate(texts) if text in verbatim}
    openings = [text[:COMPARED] for text in texts]
    counts = [Counter(opening) for opening in openings]
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    work = 0
    for old in before:
        if work > COMPARISON_WORK:
            break
        opening = old[:COMPARED]
        count = Counter(opening)
        matcher.set_seq2(opening)
        for i, text in enumerate(texts):
            if i in copied or 2 * min(len(text), len(old)) < COPIED * (len(text) + len(old)):
                continue
            if 2 * sum((counts[i] & count).values()) < COPIED * (len(openings[i]) + len(opening)):
                continue
            work += len(openings[i]) * len(opening)
            if work > COMPARISON_WORK:
                break
            matcher.set_seq1(openings[i])
            ratio = matcher.ratio()
            if ratio >= COPIED:
                copied[i] = (ratio, max(len(text), len(old)) > COMPARED)
    return copied, work <= COMPARISON_WORK


@dataclass
class Audit:
    """An audit's outcome: each file's findings, and each body's run of years."""

    findings: list[Finding]  # the findings of the runs of years too, on the later year's file
    chains: list = field(default_factory=list)  # chains.Chain, one per body with two reports or more
    files: list[Path] = field(default_factory=list)  # every file audited, in order


def _chain_row(chain) -> dict:  # noqa: ANN001 - a chains.Chain
    """A body's run of years as one row: the four columns of a finding, then the details."""
    return {"file": chain.body, "severity": chain.severity, "place": "历年", "message": chain.summary(), "rule": "",
            "body": chain.body, "names": chain.names, "years": chain.years, "missing_years": chain.missing,
            "duplicate_years": chain.duplicates, "breaks": chain.breaks,
            "files": [e.file for e in chain.entries]}


def render(findings: list[Finding], kind: str, files: list[Path] | None = None, chains: list = ()) -> str:
    """The findings as Chinese text, JSON or CSV; ``chains`` adds a row (or a
    section) per body with reports of several years."""
    rows = [_chain_row(c) for c in chains]
    if kind == "json":
        text = json.dumps([asdict(f) for f in findings] + rows, ensure_ascii=False, indent=2) + "\n"
        # json escapes C0 controls itself; the rest that a terminal acts on is
        # escaped the same way (\u009b): the same data, inert on a screen.
        return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    if kind == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["文件", "规则", "严重程度", "位置", "问题", "报告中写的", "应为"])
        writer.writerows(map(_cells, ([f.file, f.rule, f.severity, f.place, f.message, f.stated, f.expected]
                                      for f in findings)))
        writer.writerows(map(_cells, ([r["file"], "", r["severity"], r["place"], r["message"], "", ""]
                                      for r in rows)))
        return buffer.getvalue()
    over_years = {f for c in chains for f in c.findings}
    by_file: dict[str, list[Finding]] = {str(p): [] for p in files or []}
    for f in findings:
        by_file.setdefault(f.file, []).append(f)
    lines = []
    for file, found in by_file.items():
        mine = [f for f in found if f not in over_years]
        later = f"；另有 {len(found) - len(mine)} 处见下文「历年核对」" if len(mine) < len(found) else ""
        if not mine:
            lines.append(f"{file}：没有发现问题" + later)
            continue
        lines.append(f"{file}：{sum(f.severity == ERROR for f in mine)} 处错误，"
                     f"{sum(f.severity == WARNING for f in mine)} 处警告" + later)
        lines += [f"  [{f.severity}] {f.place}：{f.message}" + (f"（{f.rule}）" if f.rule else "") for f in mine]
    if not lines:
        lines.append("没有找到可以检查的报告（.docx、.html、.pdf、.txt 或 .yaml）")
    if chains:
        lines += ["", f"历年核对（同一单位各年度的报告前后是否接得上；共 {len(chains)} 个单位有不止一年的报告）："]
    for chain in chains:
        lines.append(f"{chain.body}：{chain.summary()}")
        other = [n for n in chain.names if n != chain.body]
        if other:
            lines.append("  也写作：" + "、".join(f"「{n}」" for n in other))
        lines += [f"  {e.year} 年度：{e.file}" for e in chain.entries]
        lines += [f"  [{f.severity}] {f.place}：{f.message}（{f.file}）" for f in chain.findings]
    if files:
        lines += ["", summary(findings, files)]
    # Names, keys and quoted text are the units' own: nothing in them may move
    # the cursor, retitle the terminal or start a line that looks like a finding.
    return "\n".join(map(one_line, lines)) + "\n"


def summary(findings: list[Finding], files: list[Path]) -> str:
    """One line over the whole run: 「共 14 份报告：2 份有错误，3 份只有警告，9 份没有发现问题。」"""
    worst: dict[str, str] = {}
    for f in findings:
        if f.severity == ERROR or worst.get(f.file) != ERROR and f.severity == WARNING:
            worst[f.file] = f.severity
    names = [str(p) for p in files]
    audited = set(names)
    errors = sum(worst.get(n) == ERROR for n in names)
    warnings = sum(worst.get(n) == WARNING for n in names)
    text = f"共 {len(names)} 份报告：{errors} 份有错误，{warnings} 份只有警告，{len(names) - errors - warnings} 份没有错误和警告"
    years = sum(f.file not in audited and f.severity == ERROR for f in findings)
    return text + (f"；历年核对另有 {years} 处错误。" if years else "。")


# What a terminal or a bidirectional text display acts on, and JSON leaves as it is.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff"
                          "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# A cell a spreadsheet would read as a formula (OWASP's list): =HYPERLINK(…), +1, -1, @SUM(…).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cells(row: list[str]) -> list[str]:
    """A CSV row whose cells a spreadsheet shows as text: control characters
    named, a cell that would start a formula led by a quote mark."""
    out = []
    for cell in row:
        cell = printable(cell)
        out.append("'" + cell if cell.startswith(_FORMULA_START) else cell)
    return out


AUDITABLE = (".docx", ".html", ".htm", ".pdf", ".txt", ".yaml", ".yml")


def expand(paths: list[Path]) -> list[Path]:
    """Files as given, and the reports inside folders; a file named twice once."""
    out = []
    for path in paths:
        if path.is_dir():
            # Not hidden files, Word's lock files, nor the drafts `mkreport serve` keeps
            # beside a file with unsaved changes (「单位.草稿.yaml」).
            # Nor a province's format variant kept beside the reports (「extends: "2021"」).
            out += sorted(p for p in path.rglob("*") if p.suffix.lower() in AUDITABLE and p.is_file()
                          and not p.name.startswith((".", "~$")) and not p.stem.endswith(".草稿")
                          and not is_variant_file(p))
        else:
            out.append(path)
    seen: dict[Path, Path] = {}
    for path in out:
        try:
            key = path.resolve()
        except (OSError, RuntimeError):
            key = path
        seen.setdefault(key, path)
    return list(seen.values())


def is_variant_file(path: Path) -> bool:
    """A format variant, not a report: a YAML file whose first key is ``extends``
    (read from its first few kilobytes only)."""
    if path.suffix.lower() not in (".yaml", ".yml"):
        return False
    try:
        with path.open("rb") as stream:
            head = stream.read(4096).decode("utf-8", "replace")
    except OSError:
        return False
    for line in head.splitlines():
        text = line.strip().lstrip("\ufeff")
        if text and not text.startswith("#"):
            return line.startswith("extends:")
    return False


def _one(job: tuple[Path, Path | None, Path | None, tuple[int, int] | None]) -> tuple[list[Finding], tuple | None]:
    path, previous, variant, deadline = job
    try:
        with evaluator.deadline(deadline):
            return _audit(path, previous, variant)
    except Exception as exc:  # one broken file must not stop an audit of hundreds
        return [Finding(str(path), ERROR, "全文", f"无法检查（{type(exc).__name__}）")], None


def _skipped(job: tuple, reason: str) -> tuple[list[Finding], None]:
    """A file that ran out of time (or whose worker died): one error, and the audit goes on."""
    return [Finding(str(job[0]), ERROR, "全文", reason)], None


def audit(paths: list[Path], previous: Path | None = None, variant: Path | None = None,
          workers: int | None = None, progress: bool | None = None,
          deadline: tuple[int, int] | None = None) -> Audit:
    """Each report on its own (in parallel, each file read once), then each body's
    run of years from the models already read. ``deadline``: the (month, day) of
    the next year by which a report had to be published (default 3 月 31 日)."""
    from generator.checks import chains

    files = expand(paths)
    jobs = [(p, previous, variant, deadline) for p in files]
    results = run_all(_one, jobs, "检查报告", workers, progress, failed=_skipped, timeout=file_timeout())
    findings = [f for found, _ in results for f in found]
    entries = [chains.Entry(str(path), *named) for path, (_, named) in zip(files, results) if named is not None]
    linked = chains.link(entries)
    # A run's findings follow the file's own: every file's rows stay together.
    order = {str(path): i for i, path in enumerate(files)}
    findings += [f for chain in linked for f in chain.findings]
    findings.sort(key=lambda f: order.get(f.file, len(order)))
    return Audit(findings, linked, files)


def audit_all(paths: list[Path], previous: Path | None = None, workers: int | None = None,
              progress: bool | None = None, variant: Path | None = None,
              deadline: tuple[int, int] | None = None) -> list[Finding]:
    """The findings of :func:`audit`, runs of years included."""
    return audit(paths, previous, variant, workers, progress, deadline).findings
