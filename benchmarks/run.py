"""Speed and memory of mkreport, side by side with a docxtpl baseline.

    .venv/bin/pip install docxtpl
    .venv/bin/python benchmarks/run.py            # 1,000 reports in the batch
    .venv/bin/python benchmarks/run.py --batch 200

Measures in one run:
  (a) one report in-process (check the YAML, compute, write the .docx);
  (b) the command line end to end for one report (Python start-up included);
  (c) N reports through ``mkreport build`` on all cores, with the peak memory
      of the whole process tree (the command and its workers, summed);
  (d) the same report from a straightforward docxtpl template filled with the
      same figures: the baseline a developer would otherwise write.
  (e)–(h) import, audit, ``check`` on the command line, the 图解;
  (i) what ``mkreport serve`` does on each keystroke, for the city-wide example;
  (j) import of the city-wide example printed to PDF (13 pages) in-process, beside
      pdfplumber alone reading the same file's tables and text (the baseline);
  (k) ``mkreport audit`` over N published PDFs (the county example, 5 pages each).
Prints times, the ratio to the baseline, and each target met or missed.
"""

from __future__ import annotations

import argparse
import compileall
import io
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "shili-county-2023.yaml"
MKREPORT = Path(sys.executable).parent / "mkreport"
# The command line is timed as a clerk runs it: with compiled bytecode cached
# (pip compiles an installed package; Python caches an editable one on first run).
AS_INSTALLED = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(function, repeat: int) -> list[float]:
    function()  # warm caches, as a batch or a long-lived caller would have them
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


# -- (a) mkreport in-process ----------------------------------------------------

def mkreport_once() -> bytes:
    from generator import api
    from generator.checks.validate import check_file

    return api.render(check_file(EXAMPLE))


# -- (d) the docxtpl baseline ---------------------------------------------------

APPLICANTS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
RESULT_ROWS = [
    ("予以公开",), ("部分公开",),
    *(("不予公开", k) for k in ["属于国家秘密", "其他法律行政法规禁止公开", "危及三安全一稳定", "保护第三方合法权益",
                             "属于三类内部事务信息", "属于四类过程性信息", "属于行政执法案卷", "属于行政查询事项"]),
    *(("无法提供", k) for k in ["本机关不掌握相关政府信息", "没有现成信息需要另行制作", "补正后申请内容仍不明确"]),
    *(("不予处理", k) for k in ["信访举报投诉类申请", "重复申请", "要求提供公开出版物", "无正当理由大量反复申请",
                             "要求行政机关确认或重新出具已获取信息"]),
    *(("其他处理", k) for k in ["逾期不补正", "逾期未缴费", "其他"]),
]
PROACTIVE = [("规章", ["本年制发件数", "本年废止件数", "现行有效件数"]),
             ("行政规范性文件", ["本年制发件数", "本年废止件数", "现行有效件数"]),
             ("行政许可", ["本年处理决定数量"]), ("行政处罚", ["本年处理决定数量"]),
             ("行政强制", ["本年处理决定数量"]), ("行政事业性收费", ["本年收费金额"])]
OUTCOMES = ["结果维持", "结果纠正", "其他结果", "尚未审结"]


def make_baseline_template(path: Path) -> None:
    """A Word template with a docxtpl placeholder in every figure cell."""
    from docx import Document

    doc = Document()
    doc.add_heading("{{ title }}", 0)
    doc.add_paragraph("{% for p in overview %}")
    doc.add_paragraph("{{ p }}")
    doc.add_paragraph("{% endfor %}")
    doc.add_heading("二、主动公开政府信息情况", 1)
    t2 = doc.add_table(rows=len(PROACTIVE), cols=4)
    for r, (row, cols) in enumerate(PROACTIVE):
        t2.cell(r, 0).text = row
        for c in range(len(cols)):
            t2.cell(r, c + 1).text = f"{{{{ t2[{r}][{c}] }}}}"
    doc.add_heading("三、收到和处理政府信息公开申请情况", 1)
    t3 = doc.add_table(rows=len(RESULT_ROWS) + 4, cols=8)
    for r in range(len(RESULT_ROWS) + 4):
        for c in range(7):
            t3.cell(r, c + 1).text = f"{{{{ t3[{r}][{c}] }}}}"
    doc.add_heading("四、政府信息公开行政复议、行政诉讼情况", 1)
    t4 = doc.add_table(rows=1, cols=15)
    for c in range(15):
        t4.cell(0, c).text = f"{{{{ t4[{c}] }}}}"
    doc.add_heading("五、存在的主要问题及改进情况", 1)
    doc.add_paragraph("{% for p in problems %}")
    doc.add_paragraph("{{ p }}")
    doc.add_paragraph("{% endfor %}")
    doc.save(str(path))


def baseline_context(data: dict) -> dict:
    """What a straightforward script computes from the same YAML."""
    def dig(mapping, path):
        for key in path:
            mapping = (mapping or {}).get(key)
        return mapping or 0

    t2 = [[dig(data.get("主动公开政府信息情况"), (row, col)) for col in cols] for row, cols in PROACTIVE]
    section = data.get("收到和处理政府信息公开申请情况") or {}
    columns = []
    for applicant in APPLICANTS:
        entered = section.get(applicant) or {}
        results = [dig(entered, path) for path in RESULT_ROWS]
        received, carried_in = dig(entered, ("本年新收",)), dig(entered, ("上年结转",))
        columns.append([received, carried_in, *results, sum(results), received + carried_in - sum(results)])
    t3 = [[col[r] for col in columns] + [sum(col[r] for col in columns)] for r in range(len(columns[0]))]
    appeals = data.get("政府信息公开行政复议、行政诉讼情况") or {}
    t4 = []
    for group in (("行政复议",), ("行政诉讼", "未经复议直接起诉"), ("行政诉讼", "复议后起诉")):
        figures = [dig(appeals, (*group, o)) for o in OUTCOMES]
        t4 += figures + [sum(figures)]
    overview = [p for v in (data.get("总体情况") or {}).values() for p in v]
    problems = [p for v in (data.get("存在的主要问题及改进情况") or {}).values() for p in v]
    return {"title": f"{data['机关名称']}{data['年度']}年政府信息公开工作年度报告", "overview": overview,
            "t2": t2, "t3": t3, "t4": t4, "problems": problems}


def baseline_once(template: Path) -> bytes:
    from docxtpl import DocxTemplate

    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    document = DocxTemplate(str(template))
    document.render(baseline_context(data))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# -- (b) and (c): the command line ----------------------------------------------

def cli_once(outdir: Path) -> None:
    subprocess.run(env=AS_INSTALLED, args=[str(MKREPORT), str(EXAMPLE), "-o", str(outdir / "one.docx")], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _tree_rss_kib(pid: int) -> tuple[int, int]:
    """Resident memory of a process and its descendants, summed; and the largest
    peak (VmHWM) of any one of them."""
    total, largest, stack = 0, 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                    elif line.startswith("VmHWM:"):
                        largest = max(largest, int(line.split()[1]))
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as children:
                    stack += [int(c) for c in children.read().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total, largest


def batch(count: int, workdir: Path) -> tuple[float, float, float]:
    """Seconds for ``count`` reports, and peak MiB of the tree and of one process."""
    folder = workdir / "units"
    folder.mkdir()
    shutil.copytree(ROOT / "examples" / "variants", folder / "variants")  # named by 格式文件
    sources = sorted((ROOT / "examples").glob("*.yaml"))
    texts = [s.read_text(encoding="utf-8") for s in sources]
    for i in range(count):
        text = texts[i % len(texts)]
        name = yaml.safe_load(text)["机关名称"]
        (folder / f"{i:04d}.yaml").write_text(text.replace(f"机关名称: {name}", f"机关名称: {name}{i}", 1),
                                              encoding="utf-8")
    peak = [0, 0]
    start = time.perf_counter()
    process = subprocess.Popen(env=AS_INSTALLED, args=[str(MKREPORT), "build", str(folder), "-o", str(workdir / "out")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            tree, largest = _tree_rss_kib(process.pid)
            peak[0], peak[1] = max(peak[0], tree), max(peak[1], largest)
            time.sleep(0.01)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    _, err = process.communicate()
    elapsed = time.perf_counter() - start
    done.set()
    watcher.join()
    if process.returncode != 0:
        sys.exit(f"build failed:\n{err.decode()}")
    built = len(list((workdir / "out").glob("*.docx")))
    assert built == count, f"built {built} of {count}"
    return elapsed, peak[0] / 1024, peak[1] / 1024


def import_once(document: Path) -> None:
    from generator.importing import documents, recognize

    recognize.read_report(documents.lines_of(document))


def graphic_once() -> bytes:
    from generator.checks.validate import check_file
    from generator.rendering import graphic

    return graphic.png(graphic.svg(check_file(EXAMPLE).report))


def serve_check_once(session) -> None:
    """What ``mkreport serve`` does on each change: write, check, total, answer."""
    session.state(session.data)


def check_cli_once() -> None:
    subprocess.run(env=AS_INSTALLED, args=[str(MKREPORT), "check", str(EXAMPLE)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=True)


def pdfplumber_once(document: Path) -> None:
    """The baseline for (j): pdfplumber's own table finder and text on every page."""
    import pdfplumber

    with pdfplumber.open(document) as pdf:
        for page in pdf.pages:
            page.extract_tables()
            page.extract_text()


def audit(count: int, workdir: Path, document: Path) -> float:
    """Seconds for ``mkreport audit`` over ``count`` published reports like ``document``."""
    folder = workdir / f"published-{document.suffix.lstrip('.')}"
    folder.mkdir()
    for i in range(count):
        shutil.copy(document, folder / f"{i:04d}{document.suffix}")
    start = time.perf_counter()
    subprocess.run(env=AS_INSTALLED, args=[str(MKREPORT), "audit", str(folder), "--format", "csv"], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batch", type=int, default=1000, help="reports in the batch (c)")
    parser.add_argument("--repeat", type=int, default=100, help="repetitions for (a) and (d)")
    args = parser.parse_args()
    compileall.compile_dir(ROOT / "generator", quiet=1)
    try:
        import docxtpl  # noqa: F401
    except ImportError:
        sys.exit("the baseline needs docxtpl: .venv/bin/pip install docxtpl")

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        a = statistics.median(timed(mkreport_once, args.repeat))
        a_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        template = work / "baseline.docx"
        make_baseline_template(template)
        d = statistics.median(timed(lambda: baseline_once(template), args.repeat))
        b = statistics.median(timed(lambda: cli_once(work), 10))
        c, c_tree, c_process = batch(args.batch, work)
        shutil.rmtree(work / "out", ignore_errors=True)
        published = work / "published.docx"
        subprocess.run(env=AS_INSTALLED, args=[str(MKREPORT), str(EXAMPLE), "-o", str(published)], capture_output=True, check=True)
        e = statistics.median(timed(lambda: import_once(published), 50))
        f = audit(args.batch, work, published)
        g = statistics.median(timed(check_cli_once, 30))
        h = statistics.median(timed(graphic_once, 20))
        from generator.serving import server
        city = server.Session(ROOT / "examples" / "yueqing-city-2020.yaml")
        i = statistics.median(timed(lambda: serve_check_once(city), 50))
        j = j_base = k = None
        if shutil.which("soffice"):
            city_pdf, county_pdf = work / "city.pdf", work / "county.pdf"
            for source, target in ((ROOT / "examples" / "yueqing-city-2020.yaml", city_pdf), (EXAMPLE, county_pdf)):
                subprocess.run(env=AS_INSTALLED, args=[str(MKREPORT), str(source), "-o", str(target)],
                               capture_output=True, check=True)
            j = statistics.median(timed(lambda: import_once(city_pdf), 20))
            j_base = statistics.median(timed(lambda: pdfplumber_once(city_pdf), 5))
            k = audit(args.batch, work, county_pdf)

    cores = os.cpu_count()
    rows = [
        ("(a) one report, in-process", f"{a * 1000:.1f} ms", "≤ 20 ms", a <= 0.020),
        ("(d) docxtpl baseline, same report", f"{d * 1000:.1f} ms", "", None),
        ("    baseline ÷ mkreport", f"{d / a:.1f}×", "≥ 2×", d / a >= 2),
        ("(b) CLI, one report end to end", f"{b * 1000:.0f} ms", "≤ 500 ms", b <= 0.5),
        (f"(c) {args.batch} reports, mkreport build ({cores} cores)", f"{c:.1f} s",
         "≤ 30 s" if args.batch == 1000 else "", c <= 30 * args.batch / 1000),
        ("    per report in the batch", f"{c / args.batch * 1000:.1f} ms", "", None),
        ("    peak memory, whole process tree (summed)", f"{c_tree:.0f} MiB", "≤ 150 MiB", c_tree <= 150),
        ("    peak memory, largest single process", f"{c_process:.0f} MiB", "", None),
        ("(a) peak memory of the in-process run", f"{a_rss:.0f} MiB", "", None),
        ("(e) import one .docx, in-process", f"{e * 1000:.1f} ms", "≤ 50 ms", e <= 0.050),
        (f"(f) audit {args.batch} .docx reports ({cores} cores)", f"{f:.1f} s",
         "≤ 30 s" if args.batch == 1000 else "", f <= 30 * args.batch / 1000),
        ("(g) mkreport check, end to end", f"{g * 1000:.0f} ms", "≤ 150 ms", g <= 0.150),
        ("(h) one 图解 PNG, in-process", f"{h * 1000:.0f} ms", "≤ 300 ms", h <= 0.300),
        ("(i) serve: one live check of a city report", f"{i * 1000:.1f} ms", "≤ 100 ms", i <= 0.100),
    ]
    if j is not None:
        rows += [
            ("(j) import a 13-page PDF, in-process", f"{j * 1000:.0f} ms", "≤ 300 ms", j <= 0.300),
            ("    pdfplumber alone, same PDF (baseline)", f"{j_base * 1000:.0f} ms", "", None),
            ("    baseline ÷ mkreport", f"{j_base / j:.1f}×", "", None),
            (f"(k) audit {args.batch} PDFs of 5 pages ({cores} cores)", f"{k:.1f} s",
             "≤ 300 s" if args.batch == 1000 else "", k <= 300 * args.batch / 1000),
        ]
    else:
        rows.append(("(j), (k) PDF rows", "skipped", "need LibreOffice", None))
    width = max(len(r[0]) for r in rows)
    print(f"mkreport benchmark — {EXAMPLE.name}, Python {sys.version.split()[0]}, {cores} cores")
    for name, value, target, met in rows:
        verdict = "" if met is None else ("  met" if met else "  MISSED")
        print(f"{name:<{width}}  {value:>10}  {target:<10}{verdict}")


if __name__ == "__main__":
    main()
