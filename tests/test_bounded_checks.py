"""Work bounded by the input, a time limit per file, nothing left running, and
nothing raw reaching a spreadsheet or a terminal.

- A figure typed as 200,000 digits, or a statement with a number that long,
  used to cost the square of its length in the hint patterns (minutes); a
  figure of 5,000 digits in a sentence stopped ``check`` with an internal error.
- ``audit --previous`` compared paragraphs of 200,000 characters whole.
- One file that never ends held up a whole ``audit`` or ``build``.
- A paragraph of 20,000 characters went to LibreOffice (600,000 take minutes).
- SIGTERM or SIGHUP during a PDF left LibreOffice running and its profile behind.
- ``audit --format csv`` wrote a file name such as ``=HYPERLINK(…)`` as a live
  formula, and the text output printed escape sequences and line breaks raw.

Each run is the real command in a subprocess: a hang or a runaway cannot take
the test run with it. The time limit is a guard against hangs, not a speed
measure; the peak memory of the command (the largest of its processes) is
measured by a wrapper. Where a file must hang for the test, a ``sitecustomize``
module makes the audit of files named ``hang…`` sleep, or a stand-in
``soffice`` on PATH never finishes: everything else is the real program.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import EXAMPLES, ROOT, WRAPPER

SMALL = EXAMPLES / "mouxian-commerce-2021.yaml"
FULL = EXAMPLES / "shili-county-2023.yaml"
HANG_GUARD = 60  # seconds; a run still going then is hung
MEMORY_LIMIT_KB = 300 * 1024
HAVE_OFFICE = shutil.which("soffice") is not None
needs_office = pytest.mark.skipif(not HAVE_OFFICE and not os.environ.get("CI"),
                                  reason="LibreOffice not installed")


# Makes the audit of a file named hang… never end, in whichever process audits it;
# the worker writes its process id where the test can see it.
HANG_HOOK = """\
import os, time
from generator.checks import audit

_real = audit._audit


def _audit(path, previous, variant):
    if path.name.startswith("hang"):
        open(os.path.join(os.environ["HANG_PIDS"], str(os.getpid())), "w").close()
        time.sleep(3600)
    return _real(path, previous, variant)


audit._audit = _audit
"""

# A LibreOffice that does not finish (within the test): it starts a child like
# soffice.bin, and both keep the command line (with the profile folder in it).
STUCK_SOFFICE = """\
import subprocess, sys, time
if sys.argv[1:2] != ["--child"]:
    subprocess.Popen([sys.executable, __file__, "--child", *sys.argv[1:]])
time.sleep(300)
"""

# A LibreOffice that only notes that it was started.
NOTING_SOFFICE = """\
import os, sys
open(os.environ["SOFFICE_STARTED"], "w").close()
"""


def env_with(**extra: str) -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(ROOT), **extra)


def run(*argv: object, cwd: Path, env: dict[str, str] | None = None) -> tuple[int, bytes, bytes, int]:
    """(exit code, stdout, stderr, peak memory in KB) of ``mkreport argv``."""
    memory = cwd / ".peak"
    # A session of its own: past the guard, the command and all it started are ended.
    process = subprocess.Popen(
        [sys.executable, "-c", WRAPPER, str(memory), sys.executable, "-m", "generator.cli",
         *map(str, argv)],
        cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env=env or env_with(), start_new_session=True,
    )
    try:
        out, err = process.communicate(timeout=HANG_GUARD)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise
    return process.returncode, out, err, int(memory.read_text())


def said(out: bytes, err: bytes) -> str:
    text = (err + out).decode("utf-8", errors="replace")
    assert "内部错误" not in text and "Traceback" not in text, text
    return text


def fake_soffice(folder: Path, script: str) -> dict[str, str]:
    """An environment whose ``soffice`` is ``script`` run by this Python."""
    folder.mkdir()
    program = folder / "soffice"
    program.write_text(f"#!{sys.executable}\n{script}", encoding="utf-8")
    program.chmod(0o755)
    return {"PATH": f"{folder}{os.pathsep}{os.environ.get('PATH', '')}"}


def running(marker: Path) -> list[str]:
    """Processes whose command line names ``marker`` (a private temporary folder)."""
    found = subprocess.run(["pgrep", "-af", str(marker)], capture_output=True, text=True).stdout
    return [line for line in found.splitlines() if "pgrep" not in line]


def gone(marker: Path, within: float = 5) -> bool:
    deadline = time.monotonic() + within
    while running(marker):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "State:\tZ" not in status


def chinese(n: int, seed: int) -> str:
    """``n`` characters of Chinese-looking text, the same for the same seed."""
    chars = ("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说"
             "产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使")
    rnd = random.Random(seed)
    return "".join(rnd.choice(chars) for _ in range(n))


def with_paragraph(source: Path, paragraph: str, year: int | None = None) -> str:
    """``source`` with ``paragraph`` as the first paragraph of 概述."""
    text = source.read_text(encoding="utf-8")
    anchor = "  概述:\n"
    assert anchor in text
    text = text.replace(anchor, f"{anchor}    - {paragraph}\n", 1)
    if year is not None:
        text = text.replace("年度: 2021", f"年度: {year}", 1)
    return text


# -- Work bounded by what was typed ---------------------------------------------------------


def test_a_figure_of_200000_digits_is_named_too_long(tmp_path):
    source = tmp_path / "in.yaml"
    source.write_text(FULL.read_text(encoding="utf-8").replace("本年新收: 120", "本年新收: " + "9" * 200_000 + "x", 1),
                      encoding="utf-8")
    code, out, err, peak = run("check", source, cwd=tmp_path)
    text = said(out, err)
    assert code == 1
    assert "本年新收" in text and "数字太长（200001 个字符）" in text, text
    assert peak < MEMORY_LIMIT_KB


@pytest.mark.parametrize("statement, expected", [
    # Digits not followed by 元 or 件: the patterns that start at a number were
    # tried at every digit of the run, each over the rest of it.
    ("    说明:\n      - 未收取信息处理费。档案编号" + "1" * 200_000 + "。\n", "检查通过"),
    # An amount of 5,000 digits was quoted whole in a warning.
    ("    说明:\n      - 收取信息处理费" + "1" * 5000 + "元。\n", "检查通过"),
    # A count restated in the text: int() refuses a number of thousands of digits.
    ("", "写的是「予以公开" + "1" * 36 + "…」，表三中「予以公开」为 71"),
], ids=["fee-digits", "fee-amount", "restated-count"])
def test_numbers_in_sentences_cost_their_length(statement, expected, tmp_path):
    text = FULL.read_text(encoding="utf-8")
    if statement:
        text = text.replace("    收费金额: 150\n", "    收费金额: 150\n" + statement, 1)
    else:
        text = text.replace("    - 修订依申请公开办理规程", "    - 全年予以公开" + "1" * 5000 + "件。修订依申请公开办理规程", 1)
        assert "全年予以公开" in text
    source = tmp_path / "in.yaml"
    source.write_text(text, encoding="utf-8")
    code, out, err, peak = run("check", source, cwd=tmp_path)
    said_text = said(out, err)
    assert code == 0, said_text
    assert expected in said_text, said_text
    assert "1" * 100 not in said_text and "E+" not in said_text  # nor a figure no report has
    assert peak < MEMORY_LIMIT_KB


def test_audit_previous_compares_long_paragraphs_by_their_opening(tmp_path):
    """Last year: a copied paragraph and an unrelated one, 200,000 characters each;
    this year the copy has a few characters changed. Compared whole, each pair
    took more than the guard; now the copy is still found, by its opening."""
    copied = chinese(200_000, 1)
    changed = "".join("改" if i % 100 == 7 else ch for i, ch in enumerate(copied))
    (tmp_path / "last.yaml").write_text(with_paragraph(SMALL, copied + "\n    - " + chinese(200_000, 2)),
                                        encoding="utf-8")
    (tmp_path / "this.yaml").write_text(with_paragraph(SMALL, changed + "\n    - " + chinese(200_000, 3), 2022),
                                        encoding="utf-8")
    code, out, err, peak = run("audit", "this.yaml", "--previous", "last.yaml", cwd=tmp_path)
    text = said(out, err)
    assert code == 0, text
    assert f"这一段的前 1000 字与上年报告几乎相同（相似度 99%）：「{changed[:30]}……」" in text, text
    assert text.count("几乎相同") == 1 + 9  # the copy, and the example's own nine paragraphs
    assert peak < MEMORY_LIMIT_KB


# -- One file never holds up the rest ----------------------------------------------------------


@pytest.mark.parametrize("files, jobs", [
    (["a.yaml", "hang.yaml", "b.yaml", "c.yaml", "d.yaml"], None),
    (["hang.yaml", "a.yaml"], None),
    (["hang.yaml"], "1"),
], ids=["folder", "two-files", "one-file-one-job"])
def test_audit_skips_a_file_over_its_time_limit(files, jobs, tmp_path):
    hook, pids, folder = tmp_path / "hook", tmp_path / "pids", tmp_path / "reports"
    for path in (hook, pids, folder):
        path.mkdir()
    (hook / "sitecustomize.py").write_text(HANG_HOOK, encoding="utf-8")
    for name in files:
        shutil.copy(SMALL, folder / name)
    env = dict(os.environ, PYTHONPATH=f"{hook}{os.pathsep}{ROOT}", HANG_PIDS=str(pids),
               MKREPORT_FILE_TIMEOUT="10")
    code, out, err, peak = run("audit", "reports", *(["-j", jobs] if jobs else []), cwd=tmp_path, env=env)
    text = said(out, err)
    assert code == 1
    assert "reports/hang.yaml：1 处错误，0 处警告\n  [错误] 全文：处理超时（超过 10 秒），已跳过\n" in text, text
    for name in files:
        if name != "hang.yaml":  # the others were audited as usual
            assert f"reports/{name}：0 处错误，2 处警告" in text, text
    hung = [int(p.name) for p in pids.iterdir()]
    assert hung and not any(alive(pid) for pid in hung), "the worker of the hung file still runs"
    assert peak < MEMORY_LIMIT_KB


def test_build_skips_a_pdf_over_its_time_limit_and_ends_its_libreoffice(tmp_path):
    folder, temp = tmp_path / "in", tmp_path / "temp"
    folder.mkdir()
    temp.mkdir()
    for name in ("a.yaml", "b.yaml"):
        shutil.copy(SMALL, folder / name)
    env = env_with(TMPDIR=str(temp), MKREPORT_FILE_TIMEOUT="3", **fake_soffice(tmp_path / "bin", STUCK_SOFFICE))
    code, out, err, peak = run("build", "in", "-o", "out", "--to", "pdf", cwd=tmp_path, env=env)
    text = said(out, err)
    assert code == 1
    assert "共 2 个文件：成功 0 个，失败 2 个。" in text, text
    assert text.count("处理超时（超过 3 秒），已跳过") == 2, text
    assert gone(temp), running(temp)
    assert list(temp.iterdir()) == []  # no LibreOffice profile left behind
    assert not list((tmp_path / "out").glob("*.pdf"))
    assert peak < MEMORY_LIMIT_KB


# -- LibreOffice: only paragraphs it lays out in seconds, and never outliving mkreport ---------------


def test_pdf_refuses_a_paragraph_too_long_before_libreoffice_starts(tmp_path):
    started = tmp_path / "soffice-started"
    source = tmp_path / "in.yaml"
    source.write_text(with_paragraph(SMALL, chinese(20_000, 4)), encoding="utf-8")
    env = env_with(SOFFICE_STARTED=str(started), **fake_soffice(tmp_path / "bin", NOTING_SOFFICE))
    code, out, err, peak = run(source, "-o", "out.pdf", cwd=tmp_path, env=env)
    text = said(out, err)
    assert code == 1
    assert f"{source}:13:7: 错误：「总体情况.概述[1]」：这一段有 20000 个字，生成 PDF 时一段最多 10000 字" in text, text
    assert not started.exists(), "LibreOffice was started"
    assert not (tmp_path / "out.pdf").exists()
    assert peak < MEMORY_LIMIT_KB
    # Word and web pages lay it out at once: only the PDF is refused.
    code, out, err, _ = run(source, "-o", "out.docx", cwd=tmp_path, env=env)
    assert code == 0, said(out, err)


def _start(argv: list[str], cwd: Path, env: dict[str, str], temp: Path, what: str) -> subprocess.Popen:
    """mkreport started, once a process named ``what`` runs with ``temp`` in its command line."""
    process = subprocess.Popen([sys.executable, "-m", "generator.cli", *argv], cwd=cwd, env=env,
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + HANG_GUARD
    while not [line for line in running(temp) if what in line]:
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            out, err = process.communicate()
            pytest.fail(f"{what} never started: {(err + out).decode(errors='replace')}")
        time.sleep(0.05)
    return process


@needs_office
@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_libreoffice_ends_with_mkreport(number, tmp_path):
    temp = tmp_path / "temp"
    temp.mkdir()
    process = _start([str(FULL), "-o", "out.pdf"], tmp_path, env_with(TMPDIR=str(temp)), temp, "soffice.bin")
    process.send_signal(number)
    out, err = process.communicate(timeout=HANG_GUARD)
    assert process.returncode == 128 + number, said(out, err)
    assert gone(temp), running(temp)
    assert list(temp.iterdir()) == []  # the profile folder is removed
    assert not (tmp_path / "out.pdf").exists()


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_build_ends_its_workers_and_their_libreoffice_with_mkreport(number, tmp_path):
    folder, temp = tmp_path / "in", tmp_path / "temp"
    folder.mkdir()
    temp.mkdir()
    for name in ("a.yaml", "b.yaml"):
        shutil.copy(SMALL, folder / name)
    env = env_with(TMPDIR=str(temp), **fake_soffice(tmp_path / "bin", STUCK_SOFFICE))
    process = _start(["build", "in", "-o", "out", "--to", "pdf"], tmp_path, env, temp, "--child")
    process.send_signal(number)
    out, err = process.communicate(timeout=HANG_GUARD)
    assert process.returncode == 128 + number, said(out, err)
    assert gone(temp), running(temp)
    assert list(temp.iterdir()) == []


# -- Names and text reach a spreadsheet or a terminal as text -------------------------------------


FORMULAS = ['=HYPERLINK("example.com?a","点击")', "+1+1", "-1+1", "@SUM(1)", "\tx"]


def test_csv_cells_never_start_a_formula(tmp_path):
    """Files audited as ``audit .``: each file's cell is its bare name."""
    folder = tmp_path / "d"
    folder.mkdir()
    for i, name in enumerate(FORMULAS):
        text = SMALL.read_text(encoding="utf-8").replace("年度: 2021", f"年度: {2021 + i % 2}")
        # The body's name too: it is the first cell of the row of its run of years.
        (folder / f"{name}.yaml").write_text(text.replace("某县商务局", "=SUM(1,2)"), encoding="utf-8")
    code, out, err, peak = run("audit", ".", "--format", "csv", cwd=folder)
    said(out, err)
    rows = list(csv.reader(io.StringIO(out.decode("utf-8-sig"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))], cells
    assert {row[0] for row in rows[1:]} == {f"'{name}.yaml" for name in FORMULAS} | {"'=SUM(1,2)"}
    assert '\r\n"\'=HYPERLINK(""example.com?a"",""点击"").yaml",'.encode() in out  # as the file holds it
    assert peak < MEMORY_LIMIT_KB


def test_csv_cell_of_a_key_is_not_a_formula(tmp_path):
    source = tmp_path / "=cmd.yaml"
    source.write_text(SMALL.read_text(encoding="utf-8") + '"=1+cmd|\' /C calc\'!A0": 1\n', encoding="utf-8")
    code, out, err, _ = run("audit", source.name, "--format", "csv", cwd=tmp_path)
    said(out, err)
    rows = list(csv.reader(io.StringIO(out.decode("utf-8-sig"))))
    assert ["'=cmd.yaml"] == sorted({row[0] for row in rows[1:]}), rows
    assert any("=1+cmd" in cell for row in rows for cell in row), rows
    assert not [c for row in rows for c in row if c.startswith(("=", "+", "-", "@"))], rows


HOSTILE_NAME = "\x1b]0;pwned\x07\x1b[1A\x1b[2K\u009b31m\u202eevil\n  [错误] 全文：伪造的一行"


def test_audit_text_prints_names_as_text(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    shutil.copy(SMALL, folder / f"{HOSTILE_NAME}.yaml")
    code, out, err, _ = run("audit", "d", cwd=tmp_path)
    said(out, err)
    assert code == 0
    for raw in (b"\x1b", b"\x07", "\u009b".encode(), "\u202e".encode()):
        assert raw not in out, out
    lines = out.decode("utf-8").splitlines()
    assert not [line for line in lines if line.startswith("  [错误] 全文：伪造")], lines
    assert lines[0] == ("d/<U+001B>]0;pwned<U+0007><U+001B>[1A<U+001B>[2K<U+009B>31m<U+202E>evil<U+000A>"
                        "  [错误] 全文：伪造的一行.yaml：0 处错误，2 处警告"), lines[0]
    assert len(lines) == 5 and lines[-1] == "共 1 份报告：0 份有错误，1 份只有警告，0 份没有错误和警告。", lines


def test_audit_json_keeps_names_exact_and_inert(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    shutil.copy(SMALL, folder / f"{HOSTILE_NAME}.yaml")
    code, out, err, _ = run("audit", "d", "--format", "json", cwd=tmp_path)
    said(out, err)
    for raw in (b"\x1b", b"\x07", b"\n  [", "\u009b".encode(), "\u202e".encode()):
        assert raw not in out, out
    findings = json.loads(out)
    assert {f["file"] for f in findings} == {f"d/{HOSTILE_NAME}.yaml"}
