"""What a real office suite and a second .docx reader make of our files.

LibreOffice converts every example to PDF; pdftotext must find the title, the
six headings and the table figures; no page may end with a heading; table 三
must stay inside the text block. docx2python, a reader independent of
python-docx, must see the same table cells. CI installs LibreOffice
(.ci/run), so there these tests run; on a machine without it they are skipped.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
from docx2python import docx2python
from helpers import OFFICIAL_EXAMPLES, build, invoke, paragraphs, rows_text, tables
from spec_tables import SECTIONS

EXAMPLE_FILES = OFFICIAL_EXAMPLES
HAVE_OFFICE = shutil.which("soffice") and shutil.which("pdftotext")
needs_office = pytest.mark.skipif(not HAVE_OFFICE and not os.environ.get("CI"),
                                  reason="LibreOffice / poppler-utils not installed")

# Text block of A4 with 28 mm left and 26 mm right margins, in PDF points.
LEFT, RIGHT = 28 / 25.4 * 72, (210 - 26) / 25.4 * 72


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module", params=EXAMPLE_FILES, ids=lambda p: p.stem)
def pdf(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(request.param.stem)
    output = tmp / "report.pdf"
    code, out, err = invoke(request.param, "-o", output)
    assert code == 0, err
    docx_path = build(request.param, tmp)
    return output, docx_path


@needs_office
def test_pdf_has_title_headings_and_figures(pdf):
    output, docx_path = pdf
    assert output.read_bytes().startswith(b"%PDF")
    info = subprocess.run(["pdfinfo", str(output)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert 2 <= pages <= 20
    text = subprocess.run(["pdftotext", "-layout", str(output), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = _squash(text)
    assert _squash(paragraphs(docx_path)[0][1]) in flat  # _squash drops the title's line break
    for heading in SECTIONS:
        assert heading in flat, heading
    # Every row of table 三 as the figures appear on its printed line.
    lines = [_squash(line) for line in text.splitlines()]
    for row in rows_text(tables(docx_path)[1])[3:5]:
        assert any(line.startswith(_squash(row[0])) and line.endswith("".join(row[3:])) for line in lines), row


@needs_office
def test_no_page_ends_with_a_heading(pdf):
    output, _ = pdf
    text = subprocess.run(["pdftotext", "-layout", str(output), "-"], capture_output=True, text=True,
                          check=True).stdout
    for number, page in enumerate(text.split("\f")[:-1], start=1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        lines = [line for line in lines if not re.fullmatch(r"[—–-]\s*\d+\s*[—–-]", line)]
        if lines:
            last = lines[-1]
            assert last not in SECTIONS and not re.fullmatch(r"（[一二三四五六七八九十]）\S{2,12}", last), \
                f"page {number} ends with heading {last}"


@needs_office
def test_table_three_fits_the_text_block(pdf):
    output, _ = pdf
    page_html = subprocess.run(["pdftotext", "-bbox", str(output), "-"], capture_output=True, text=True,
                               check=True).stdout
    pages = page_html.split("<page ")[1:]
    page = next(p for p in pages if "勾稽关系" in p)
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', page)
    # The table: from its heading down to the next heading (四), if that is on the page.
    top = next(float(y) for _, y, _, w in found if w.startswith("三、收到和处理"))
    bottom = next((float(y) for _, y, _, w in found if w.startswith("四、") and float(y) > top), 1e9)
    words = [(x0, x1, w) for x0, y, x1, w in found if top < float(y) < bottom]
    assert min(float(x0) for x0, _, _ in words) >= LEFT - 3
    assert max(float(x1) for _, x1, _ in words) <= RIGHT + 3
    # Labels are readable: the long first-row label stands on one line, whole.
    assert any("一、本年新收政府信息公开申请数量" in w for _, _, w in words)
    single = [w for _, _, w in words if re.fullmatch(r"[\u4e00-\u9fff]", w)]
    assert not single, f"labels broken into single characters: {single}"


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_second_reader_sees_the_same_tables(example, tmp_path):
    docx_path = build(example, tmp_path)
    with docx2python(str(docx_path)) as document:
        body = document.body
    their_tables = [part for part in body if len(part) > 1 or (part and len(part[0]) > 1)]
    assert len(their_tables) == 3
    for theirs, ours in zip(their_tables, tables(docx_path)):
        flat = [["".join(cell).replace("\n", "") for cell in row] for row in theirs]
        assert flat == rows_text(ours)
