"""The printed pages are filled, and table 三 reads well wherever the page breaks.

Table 三 follows table 二 on the same page and, when it does not fit, runs on
to the next page between two rows, its header repeated. Two things are
measured on the PDF of every example (``examples/*.yaml``, so that a new
example is covered as soon as it is added):

* no page but the last is more than a third empty: the lowest text or table
  line of the page body (the page number left out) against the bottom of the
  text block;
* on every page table 三 is on, its header (「申请人情况」) stands above its rows.

The reports are built by the real command (.docx) and converted to PDF in one
LibreOffice run, each prepared as ``mkreport -o 报告.pdf`` prepares it.
"""

from __future__ import annotations

import os
import re
import subprocess
import zipfile
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from helpers import EXAMPLES, invoke
from lxml import etree
from test_typography import BLOCK_BOTTOM, BLOCK_TOP, W, _layout, needs_office

from generator.rendering import pdf as pdf_output

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))
MOST_EMPTY = 1 / 3  # of the text block's height, on any page but the last
SECTION_TYPE = 17  # points: headings and body text are taller than table text
FIGURE = re.compile(r"\d+")


def to_pdf(docx_paths: list[Path], folder: Path) -> dict[str, Path]:
    """PDF of each .docx (by stem), from one LibreOffice run with mkreport's preparation."""
    work = folder / "libreoffice"
    work.mkdir()
    sources = []
    for path in docx_paths:
        source = work / path.name
        source.write_bytes(pdf_output._for_libreoffice(path.read_bytes()))
        sources.append(str(source))
    env = dict(os.environ, FONTCONFIG_FILE=str(pdf_output.fontconfig_file(work)))
    process = subprocess.Popen(
        [pdf_output.soffice(), f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(folder), *sources],
        env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)
    try:
        process.wait(timeout=120 + 60 * len(sources))
    finally:
        pdf_output.end_group(process)
    return {path.stem: folder / f"{path.stem}.pdf" for path in docx_paths}


def _text(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(W + "t"))


def table_three(docx_path: Path) -> tuple[str, str, str]:
    """(its heading, the heading after it, its header's caption over the applicant
    columns), as the .docx has them. Table 三 is the longest table with a header
    that repeats (table 二 has none, table 四 one row of figures)."""
    with zipfile.ZipFile(docx_path) as z:
        body = etree.fromstring(z.read("word/document.xml")).find(W + "body")
    children = list(body)
    headed = [i for i, element in enumerate(children)
              if element.tag == W + "tbl" and element.find(f"{W}tr/{W}trPr/{W}tblHeader") is not None]
    at = max(headed, key=lambda i: len(children[i].findall(W + "tr")))
    heading, after = _text(children[at - 1]), _text(children[at + 1])
    first_row = children[at].find(W + "tr")
    caption = [_text(cell) for cell in first_row.findall(W + "tc")][-1]
    return heading, after, caption


def _body_words(lines: list) -> list[tuple[float, float, float, float, str]]:
    """A page's words above the page number."""
    return [w for words in lines for w in words if w[1] < BLOCK_BOTTOM]


def _lowest_lines(pdf: Path) -> list[float]:
    """The lowest table line in the body of each page (the text block's top where none)."""
    document = pdfium.PdfDocument(str(pdf))
    try:
        out = []
        for page in document:
            height = page.get_height()
            bottoms = [height - path.get_bounds()[1]
                       for path in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH])]
            out.append(max((y for y in bottoms if y < BLOCK_BOTTOM + 5), default=BLOCK_TOP))
            page.close()
        return out
    finally:
        document.close()


def empty_pages(pdf: Path) -> list[str]:
    """Pages before the last that are more than a third empty, with how empty."""
    pages = _layout(pdf)
    lines = _lowest_lines(pdf)
    bad = []
    for number, (page, line) in enumerate(zip(pages[:-1], lines), start=1):
        lowest = max([w[3] for w in _body_words(page)] + [line])
        empty = (BLOCK_BOTTOM - lowest) / (BLOCK_BOTTOM - BLOCK_TOP)
        if empty > MOST_EMPTY:
            bad.append(f"page {number}: {empty:.0%} empty")
    return bad


def _starts(word: tuple, text: str) -> bool:
    """Whether ``word`` begins the heading ``text`` (pdftotext may cut a heading into words)."""
    return (word[3] - word[1] >= SECTION_TYPE and len(word[4]) >= min(4, len(text))
            and text.startswith(word[4]))


def pages_without_header(pdf: Path, heading: str, after: str, caption: str) -> list[str]:
    """Pages that table 三 is on without its header above its rows (the page of
    its heading counts, so a heading left alone at a page's foot is one)."""
    pages = [_body_words(lines) for lines in _layout(pdf)]
    first = next(i for i, words in enumerate(pages) if any(_starts(w, heading) for w in words))
    last = next((i for i, words in enumerate(pages) if i >= first and any(_starts(w, after) for w in words)),
                len(pages) - 1)
    bad = []
    for i in range(first, last + 1):
        top = next((w[3] for w in pages[i] if _starts(w, heading)), 0) if i == first else 0
        bottom = next((w[1] for w in pages[i] if _starts(w, after)), 1e9) if i == last else 1e9
        table = [w for w in pages[i] if top <= w[1] < bottom and w[3] - w[1] < SECTION_TYPE]
        figures = [w for w in table if FIGURE.fullmatch(w[4])]
        if not figures and i != first:
            continue  # the next heading at the top of a page: nothing of table 三 here
        header = [w for w in table if w[4] == caption]
        if not header or not figures or header[0][3] > min(w[1] for w in figures):
            bad.append(f"page {i + 1}")
    return bad


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """Every example: (.docx, .pdf)."""
    tmp = tmp_path_factory.mktemp("pdf-layout")
    built = []
    for example in EXAMPLE_FILES:
        docx_path = tmp / f"{example.stem}.docx"
        code, _, err = invoke(example, "-o", docx_path)
        assert code == 0, err
        built.append(docx_path)
    pdfs = to_pdf(built, tmp)
    for path in pdfs.values():
        assert path.is_file(), f"LibreOffice made no {path.name}"
    return {path.stem: (path, pdfs[path.stem]) for path in built}


@needs_office
def test_no_page_but_the_last_is_more_than_a_third_empty(printed):
    found = {name: empty_pages(pdf) for name, (_, pdf) in printed.items()}
    assert {name: f for name, f in found.items() if f} == {}


@needs_office
def test_table_three_has_its_header_on_every_page(printed):
    found = {name: pages_without_header(pdf, *table_three(docx_path))
             for name, (docx_path, pdf) in printed.items()}
    assert {name: f for name, f in found.items() if f} == {}
