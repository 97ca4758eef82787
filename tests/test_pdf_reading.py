"""Reading published PDFs by geometry: reports drawn the way WPS prints them
(tests/pdf_corpus.py), with shuffled text order, wrapped labels, no ruling
lines, a table over two pages, crop boxes, rotated pages and scans, must import
to the same figures and rebuild to the same tables as their input files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pypdfium2
import pytest
from helpers import EXAMPLES, invoke, rows_text, tables, variant_of
from pdf_corpus import CROP_OFFSET, PAGE_H, PAGE_W, TEXT_STYLES, WQY_ZENHEI, draw_report

from generator.checks.validate import check_file
from generator.rendering.layout import appeals_grid, proactive_grid, requests_grid

# 2021 format; 2019 format with a note under table 四; all zero; a variant (某省2021).
CORPUS = ["shili-county-2023", "yueqing-city-2020", "mouxian-commerce-2021", "shili-province-style-2022"]
HAVE_PDFTOPPM = shutil.which("pdftoppm") is not None


def figures(report) -> tuple:
    """Every figure of the three tables (computed ones too) and table 四's notes
    (as in test_import)."""
    return ({k: v.value for k, v in report.proactive.items()}, dict(report.requests.cells),
            {k: (v.value, v.note) for k, v in report.appeals.items()})


def example(name: str, tmp_path: Path) -> tuple[Path, list]:
    """The example copied beside its variants; the --format-file arguments it needs."""
    shutil.copytree(EXAMPLES / "variants", tmp_path / "variants")
    source = tmp_path / f"{name}.yaml"
    shutil.copy(EXAMPLES / f"{name}.yaml", source)
    variant = ["--format-file", tmp_path / variant_of(source)] if variant_of(source) else []
    return source, variant


def table_cells(source: Path, tmp_path: Path, name: str) -> list[list[list[str]]]:
    """Every cell of every table of the .docx built from ``source``."""
    out = tmp_path / f"{name}.docx"
    code, _, err = invoke(source, "-o", out)
    assert code == 0, err
    return [rows_text(t) for t in tables(out)]


@pytest.mark.parametrize("style", TEXT_STYLES)
@pytest.mark.parametrize("name", CORPUS)
def test_drawn_pdf_imports_to_the_same_tables(name, style, tmp_path):
    source, variant = example(name, tmp_path)
    pdf = draw_report(source, tmp_path / f"{name}-{style}.pdf", style=style)
    imported = tmp_path / "导入.yaml"
    code, _, err = invoke("import", pdf, "-o", imported, *variant)
    assert code == 0, err
    ours, theirs = check_file(source), check_file(imported)
    assert theirs.report is not None, [str(p) for p in theirs.errors]
    assert not theirs.errors, [str(p) for p in theirs.errors]
    assert figures(theirs.report) == figures(ours.report)
    assert table_cells(imported, tmp_path, "again") == table_cells(source, tmp_path, "original")


@pytest.mark.skipif(not HAVE_PDFTOPPM, reason="pdftoppm (poppler-utils) not installed")
@pytest.mark.parametrize("name", ["shili-county-2023", "shili-province-style-2022"])
def test_scan_is_refused_without_traceback(name, tmp_path):
    source, variant = example(name, tmp_path)
    pdf = draw_report(source, tmp_path / f"{name}-scanned.pdf", style="scanned")
    imported = tmp_path / "导入.yaml"
    code, out, err = invoke("import", pdf, "-o", imported, *variant)
    assert code == 1, (out, err)
    assert "没有文字层" in err
    assert "Traceback" not in err + out
    assert not imported.exists()


# -- The corpus is what it claims to be --------------------------------------------------------


def _squeezed(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("style", [*TEXT_STYLES, "scanned"])
def test_corpus_pages_are_as_described(style, tmp_path):
    """Every cell's text is in the text layer (whole, its wrapped lines in one
    text object), in an order that is not the reading order; the page boxes and
    rotation are those of the style; a scan has no text at all."""
    if style == "scanned" and not HAVE_PDFTOPPM:
        pytest.skip("pdftoppm (poppler-utils) not installed")
    source, _ = example("shili-county-2023", tmp_path)
    pdf = pypdfium2.PdfDocument(str(draw_report(source, tmp_path / f"{style}.pdf", style=style)))
    pages = [pdf[i] for i in range(len(pdf))]
    texts = [p.get_textpage().get_text_range() for p in pages]
    if style == "scanned":
        assert all(not t.strip() for t in texts)
        return
    report = check_file(source).report
    layer = _squeezed("".join(texts))
    for grid in (proactive_grid(report), requests_grid(report), appeals_grid(report)):
        for cell in grid.cells:
            assert _squeezed(cell.text) in layer, (grid.name, cell.text)
    # Table 三's page: its first text is not the corner cell, and the cells are not in reading order.
    at = next(i for i, t in enumerate(texts) if "申请人情况" in t)
    body = texts[at].split("\r\n")
    assert body[0].startswith("三、")  # the heading comes first; the cells after it are shuffled
    assert body[1:4] != ["（本列数据的勾稽关系为：第一项加第二项", "之和，等于第三项加第四项之和）", "申请人情况"]
    split_pages = sum("申请人情况" in t for t in texts)
    assert split_pages == (2 if style == "split" else 1)
    page = pages[at]
    if style == "rotated":
        assert page.get_rotation() == 90
        assert page.get_mediabox() == pytest.approx((0, 0, PAGE_H, PAGE_W), abs=0.01)
    elif style == "cropped":
        ox, oy = CROP_OFFSET
        assert page.get_cropbox() == pytest.approx((ox, oy, ox + PAGE_W, oy + PAGE_H), abs=0.01)
        assert page.get_mediabox()[2:] == pytest.approx((700, 950))
        assert "WPS Office 打印预览" in texts[at]  # junk outside the crop box is in the text layer
    else:
        assert page.get_rotation() == 0 and page.get_size() == pytest.approx((PAGE_W, PAGE_H), abs=0.01)
    has_lines = any(obj.type == pypdfium2.raw.FPDF_PAGEOBJ_PATH for obj in page.get_objects())
    assert has_lines == (style != "unruled")


@pytest.mark.skipif(not WQY_ZENHEI.exists(), reason="fonts-wqy-zenhei not installed")
def test_embedded_subset_font_reads_the_same(tmp_path):
    """WPS embeds its fonts as subsets with a ToUnicode map: the same report with
    WenQuanYi Zen Hei embedded (reportlab splits it into 256-glyph simple fonts)."""
    source, _ = example("shili-county-2023", tmp_path)
    pdf = draw_report(source, tmp_path / "embedded.pdf", style="ruled", font="ttf")
    imported = tmp_path / "导入.yaml"
    code, _, err = invoke("import", pdf, "-o", imported)
    assert code == 0, err
    assert figures(check_file(imported).report) == figures(check_file(source).report)


def test_a_dense_drawing_is_read_in_bounded_work(tmp_path):
    """3,000 × 3,000 ruling lines on one page and 200,000 curves on another: the
    table finder is not tried pair by pair on them; the file is refused as not a
    report instead of hanging (the subprocess timeout is only a hang guard)."""
    import subprocess
    import sys

    from reportlab.pdfgen import canvas

    pdf = tmp_path / "图.pdf"
    c = canvas.Canvas(str(pdf))
    for i in range(3000):
        c.line(10, 10 + i * 0.27, 580, 10 + i * 0.27)
        c.line(10 + i * 0.19, 10, 10 + i * 0.19, 830)
    c.drawString(20, 20, "1 2 3")  # text, so the lines are looked at
    c.showPage()
    path = c.beginPath()
    for i in range(200_000):
        path.moveTo(10 + i % 500, 10 + i // 500)
        path.curveTo(11 + i % 500, 11, 12, 12, 13, 10)
    c.drawPath(path)
    c.drawString(20, 20, "4 5 6")
    c.showPage()
    c.save()
    done = subprocess.run([sys.executable, "-m", "generator.cli", "import", str(pdf), "-o", str(tmp_path / "x.yaml")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "无法识别为政府信息公开工作年度报告" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "x.yaml").exists()


def test_a_title_wider_than_the_measure_does_not_stop_paragraphs_joining(tmp_path):
    """Another producer's PDF of the narrative-first example prints its year-first
    title on one line wider than the text block: the paragraphs below still join,
    and the imported file rebuilds the same paragraphs."""
    import docx

    source, variant = example("shili-province-narrative-2024", tmp_path)
    drawn = draw_report(source, tmp_path / "drawn.pdf", style="ruled", format_file=variant[1])
    code, _, err = invoke("import", drawn, *variant, "-o", tmp_path / "back.yaml")
    assert code == 0, err
    for name, path in (("back", tmp_path / "back.yaml"), ("source", source)):
        code, _, err = invoke(path, *variant, "-o", tmp_path / f"{name}.docx")
        assert code == 0, err
    paragraphs = [[p.text for p in docx.Document(str(tmp_path / f"{n}.docx")).paragraphs] for n in ("back", "source")]
    assert paragraphs[0] == paragraphs[1]
