"""Imports bounded by work, not only by bytes.

Every document reader of ``mkreport import`` (and of the page's upload, which
calls the same code) must end quickly and in little memory on a hostile file
that stays within the byte limits: text that makes a pattern or a fuzzy label
scan work in square time, small files that expand to a huge tree or content
stream when read, and long texts that were joined line by line. Each case runs
the real command in a subprocess (a hang or a runaway cannot take the test run
with it) under a wrapper that reports the peak memory of the command and of
the processes it starts; the time limit is a guard against hangs, not a speed
measure. A refusal is a Chinese message that names the file and the limit, and
writes nothing.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from helpers import EXAMPLES, ROOT, WRAPPER, invoke

from generator.importing import documents, pdf

SHILI = EXAMPLES / "shili-county-2023.yaml"
HANG_GUARD = 60  # seconds; a case that is still running then is hung
MEMORY_LIMIT_KB = 400 * 1024


def run_import(source: Path) -> tuple[int, str, int]:
    """(exit code, stderr + stdout, peak memory in KB) of ``mkreport import source -o out.yaml``,
    run in the source's folder. A run past the guard is ended with everything it started."""
    cwd = source.parent
    memory = cwd / ".peak"
    process = subprocess.Popen(
        [sys.executable, "-c", WRAPPER, str(memory), sys.executable, "-m", "generator.cli",
         "import", source.name, "-o", "out.yaml"],
        cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )
    try:
        out, err = process.communicate(timeout=HANG_GUARD)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail(f"mkreport import {source.name} still running after {HANG_GUARD} s")
    return process.returncode, err + out, int(memory.read_text())


@pytest.fixture(scope="module")
def report_lines(tmp_path_factory) -> list[str]:
    """A whole report as copied text: mkreport's own web page for an example, read as lines."""
    page = tmp_path_factory.mktemp("page") / "report.html"
    code, _, err = invoke(SHILI, "-o", page)
    assert code == 0, err
    return documents.lines_of(page)


def with_lines(lines: list[str], before: str, extra: list[str]) -> list[str]:
    """``lines`` with ``extra`` inserted before the first line that starts with ``before``."""
    at = next(i for i, line in enumerate(lines) if line.startswith(before))
    return lines[:at] + extra + lines[at:]


def write_text(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# -- Hostile documents ------------------------------------------------------------------

def open_bracket(lines: list[str], path: Path) -> Path:
    """A figure and an opening bracket under table 四, then 150,000 characters that
    never close it (450 KB): a pattern for notes written in a cell, with two
    unbounded runs around a Chinese character, tried every split of them."""
    return write_text(path, with_lines(lines, "五、", ["1（" + "说明文字" * 37_500]))


def local_wording_and_notes(lines: list[str], path: Path) -> Path:
    """Every row label of the tables in a local wording (「……件数」), and 250,000
    short notes with a figure each under table 三: each row was compared,
    fuzzily, with every segment to the end of the chapter."""
    def local(line: str) -> str:
        cells = line.split("\t")
        labels = [k for k, cell in enumerate(cells) if not cell.replace(".", "").isdigit()]
        if len(cells) > 1 and labels and labels[-1] < len(cells) - 1:
            cells[labels[-1]] += "件数"
        return "\t".join(cells)

    notes = [f"注\t{i % 10}" for i in range(250_000)]
    return write_text(path, with_lines([local(line) for line in lines], "四、政府信息公开行政复议", notes))


def docx_of_empty_paragraphs(lines: list[str], path: Path) -> Path:
    """An 86 KB Word file whose body unpacks to 60 MB: ten million empty paragraphs."""
    head = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        with out.open("word/document.xml", "w", force_zip64=True) as handle:
            handle.write(head)
            block = b"<w:p/>" * 100_000
            for _ in range(100):
                handle.write(block)
            handle.write(b"</w:body></w:document>")
    assert path.stat().st_size < 100 * 1024
    return path


def html_of_tiny_elements(lines: list[str], path: Path) -> Path:
    """A 29 MB page: the report, then four million empty elements."""
    body = "".join(f"<p>{line}</p>" for line in lines)
    filler = "<b></b>" * 4_300_000
    path.write_text(f"<!DOCTYPE html><html><body>{body}{filler}</body></html>", encoding="utf-8")
    assert path.stat().st_size < documents.DOCUMENT_LIMIT
    return path


def write_pdf(path: Path, objects: list[bytes]) -> Path:
    """A PDF of the given objects (1 0 obj is the catalog), with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    path.write_bytes(out.getvalue())
    return path


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def pdf_of_pages(path: Path, contents: list[bytes], resources: bytes = b"", shared: list[bytes] = ()) -> Path:
    """A PDF with one page for each content stream; object 3 is a font, objects
    4… are ``shared`` (named in ``resources``)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", FONT, *shared]
    kids = []
    for content in contents:
        kids.append(len(objects) + 1)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> "
                       + resources + b" >> /Contents %d 0 R >>" % (len(objects) + 2))
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    objects[1] = b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids) + b"] /Count %d >>" % len(kids)
    return write_pdf(path, objects)


def pdf_inflating_stream(lines: list[str], path: Path) -> Path:
    """A 400 KB PDF whose one page has a content stream that inflates to 400 MB of spaces."""
    packer = zlib.compressobj(9)
    block = b" " * (1 << 20)
    stream = b"".join(packer.compress(block) for _ in range(400)) + packer.flush()
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"
    write_pdf(path, [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page,
                     b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"])
    assert path.stat().st_size < 500 * 1024
    return path


def pdf_of_many_pages(lines: list[str], path: Path) -> Path:
    """A PDF of 1,200 pages, each with a line of text."""
    return pdf_of_pages(path, [b"BT /F1 12 Tf 72 720 Td (Page %d of a long document) Tj ET" % n for n in range(1200)])


def pdf_of_one_heavy_drawing(lines: list[str], path: Path) -> Path:
    """300 pages (the most a PDF may have), each a line of text and the same
    drawing: a form of 200,000 strokes that the file stores once, packed into
    4 KB, and that every page draws again."""
    strokes = zlib.compress(b"0 0 m 100 0 l\n" * 200_000 + b"S\n", 9)
    form = (b"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Length %d /Filter /FlateDecode >>\nstream\n"
            % len(strokes) + strokes + b"\nendstream")
    return pdf_of_pages(path, [b"BT /F1 12 Tf 72 720 Td (Page %d) Tj ET /Fm0 Do" % n for n in range(300)],
                        b"/XObject << /Fm0 4 0 R >>", [form])


def pdf_of_ruled_grids(lines: list[str], path: Path) -> Path:
    """300 pages, each a line of text and a ruled grid of 70 × 70 lines (a form the
    file stores once): the cells of a grid are found point by point against every
    later point, a second or more for each page."""
    rules = b"".join(b"100 %d m 445 %d l\n" % (200 + 5 * k, 200 + 5 * k) for k in range(70))
    rules += b"".join(b"%d 200 m %d 545 l\n" % (100 + 5 * k, 100 + 5 * k) for k in range(70))
    form = (b"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Length %d >>\nstream\n" % (len(rules) + 2)
            + rules + b"S\n" + b"\nendstream")
    return pdf_of_pages(path, [b"BT /F1 12 Tf 72 720 Td (Page %d) Tj ET /Fm0 Do" % n for n in range(300)],
                        b"/XObject << /Fm0 4 0 R >>", [form])


def wrapped_lines(text: str, width: int) -> list[str]:
    """``text`` printed in lines of ``width`` characters, as copied from a PDF."""
    return [text[at: at + width] for at in range(0, len(text), width)]


def long_text_file(lines: list[str], path: Path) -> Path:
    """A 29 MB text file: a report whose overview runs on for 9.6 million characters
    in printed lines of sixty. Joining them by adding each to the paragraph so far
    copies the paragraph every time."""
    run = wrapped_lines("各部门持续推进政务公开工作不断提升公开质量和实效" * 400_000, 60)
    return write_text(path, with_lines(lines, "二、", run))


def long_paragraph(lines: list[str], path: Path) -> Path:
    """A report with a paragraph of 600,000 characters on one line."""
    return write_text(path, with_lines(lines, "二、", ["全年" + "持续推进政务公开，" * 66_666 + "成效明显。"]))


def long_wrapped_paragraph(lines: list[str], path: Path) -> Path:
    """A report whose overview has a paragraph of 900,000 characters, copied in
    printed lines of sixty that reflow joins again."""
    run = wrapped_lines("各部门持续推进政务公开工作不断提升公开质量和实效" * 37_500, 60)
    run[-1] += "。"
    return write_text(path, with_lines(lines, "二、", run))


def rule_of_dashes(lines: list[str], path: Path) -> Path:
    """A rule of 200,000 dashes that ends in a full stop, under the opening: a
    pattern for page numbers (dashes, digits, dashes) tried every split of it."""
    return write_text(path, with_lines(lines, "一、", ["-" * 200_000 + "。"]))


def long_figure(lines: list[str], path: Path) -> Path:
    """A figure of 5,000 digits in a row of table 三: more digits than Python
    converts to a number (4,300)."""
    at = next(i for i, line in enumerate(lines) if line.startswith("一、本年新收"))
    cells = lines[at].split("\t")
    cells[1] = "7" * 5000
    return write_text(path, [*lines[:at], "\t".join(cells), *lines[at + 1:]])


def long_fee_count(lines: list[str], path: Path) -> Path:
    """「发出收费通知」 followed by 5,000 digits in the last chapter."""
    at = next(i for i, line in enumerate(lines) if "发出收费通知" in line)
    line = lines[at].replace("发出收费通知2件", "发出收费通知" + "7" * 5000 + "件")
    return write_text(path, [*lines[:at], line, *lines[at + 1:]])


# -- The cases ----------------------------------------------------------------------------


@dataclass
class Case:
    id: str
    build: Callable[[list[str], Path], Path]
    name: str
    code: int  # 0: imported; 1: refused
    says: list[str] = field(default_factory=list)  # in the message
    holds: str = "机关名称: 示例县人民政府"  # in the imported file


CASES = [
    Case("open-bracket", open_bracket, "r.txt", 0),
    Case("local-wording-and-notes", local_wording_and_notes, "r.txt", 0),
    Case("docx-empty-paragraphs", docx_of_empty_paragraphs, "r.docx", 1,
         ["元素太多", f"超过 {documents.MAX_ELEMENTS} 个"]),
    Case("html-tiny-elements", html_of_tiny_elements, "r.html", 1, ["元素太多", f"超过 {documents.MAX_ELEMENTS} 个"]),
    Case("pdf-inflating-stream", pdf_inflating_stream, "r.pdf", 1, [f"内存超过 {pdf.MEMORY_LIMIT // pdf.MB} MB 的上限"]),
    Case("pdf-many-pages", pdf_of_many_pages, "r.pdf", 1, ["有 1200 页", "不会超过 300 页"]),
    Case("pdf-one-heavy-drawing", pdf_of_one_heavy_drawing, "r.pdf", 1, [f"图形太多（超过 {pdf.MAX_DRAWN} 个"]),
    Case("pdf-ruled-grids", pdf_of_ruled_grids, "r.pdf", 1, [f"表格线太多（各页横线数乘竖线数合计超过 {pdf.MAX_CROSSINGS_TOTAL}"]),
    Case("txt-long", long_text_file, "r.txt", 1, [f"文字超过 {documents.MAX_TEXT} 个字符"]),
    Case("rule-of-dashes", rule_of_dashes, "r.txt", 0),
    Case("table-figure-of-5000-digits", long_figure, "r.txt", 1, ["5000 位的数字", "超过 120 位"]),
    Case("fee-count-of-5000-digits", long_fee_count, "r.txt", 0),
    Case("txt-long-paragraph", long_paragraph, "r.txt", 0),
    # Joined again into one paragraph.
    Case("txt-long-wrapped-paragraph", long_wrapped_paragraph, "r.txt", 0,
         holds="各部门持续推进政务公开工作不断提升公开质量和实效" * 37_500 + "。"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_import_is_bounded(case: Case, report_lines, tmp_path):
    source = case.build(report_lines, tmp_path / case.name)

    code, output, peak_kb = run_import(source)

    assert code == case.code, output
    assert "内部错误" not in output and "Traceback" not in output, output
    assert peak_kb < MEMORY_LIMIT_KB, f"{case.id}: {peak_kb // 1024} MB"
    imported = tmp_path / "out.yaml"
    if case.code:
        assert f"{case.name} " in output, output  # the message names the file
        for text in case.says:
            assert text in output, output
        assert not imported.exists()
        assert not [p for p in tmp_path.iterdir() if p.name.startswith(".~mkreport")]
    else:
        assert imported.exists(), output
        assert case.holds in imported.read_text(encoding="utf-8")

