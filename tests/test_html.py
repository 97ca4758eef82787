"""The HTML page carries the same tables, with rowspan/colspan, and escapes text."""

from __future__ import annotations

import pytest
from helpers import EXAMPLES, build, invoke, paragraphs, rows_text, tables
from lxml import html as lhtml

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


def html_grid(table) -> list[list[str]]:
    """Expand rowspan/colspan into a full grid of texts, as a browser lays it out."""
    grid: dict[tuple[int, int], str] = {}
    for r, tr in enumerate(table.iter("tr")):
        c = 0
        for cell in tr:
            if cell.tag not in ("td", "th"):
                continue
            while (r, c) in grid:
                c += 1
            rows, cols = int(cell.get("rowspan", 1)), int(cell.get("colspan", 1))
            for i in range(rows):
                for j in range(cols):
                    grid[(r + i, c + j)] = cell.text_content()
            c += cols
    height = max(r for r, _ in grid) + 1
    width = max(c for _, c in grid) + 1
    return [[grid[(r, c)] for c in range(width)] for r in range(height)]


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_html_tables_equal_the_word_tables(example, tmp_path):
    docx_path = build(example, tmp_path)
    page = tmp_path / "r.html"
    code, out, err = invoke(example, "-o", page)
    assert code == 0, err
    doc = lhtml.fromstring(page.read_bytes())
    html_tables = doc.findall(".//table")
    assert len(html_tables) == 3
    for html_table, word_table in zip(html_tables, tables(docx_path)):
        assert html_grid(html_table) == rows_text(word_table)
    corner = html_tables[1].find(".//tr").findall("th")[0]
    assert (corner.get("rowspan"), corner.get("colspan")) == ("3", "3")
    title = doc.find(".//h1")
    assert doc.find(".//title").text == "".join(title.itertext())
    headings = [h.text_content() for h in doc.findall(".//h2")]
    word = [t for style, t in paragraphs(docx_path) if style == "Heading1"]
    assert headings[0] == "一、总体情况" and headings == word and len(headings) >= 6


def test_user_text_is_escaped(tmp_path):
    source = tmp_path / "a.yaml"
    source.write_text("机关名称: '<i>某县</i>商务局'\n年度: 2021\n总体情况:\n  概述:\n"
                      "    - '<script>alert(1)</script> & \"引号\" {{ x }}'\n", encoding="utf-8")
    page = tmp_path / "a.html"
    code, out, err = invoke(source, "-o", page)
    assert code == 0, err
    text = page.read_text(encoding="utf-8")
    assert "<script>alert" not in text and "<i>某县" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;引号&#34; {{ x }}" in text
    assert "<title>&lt;i&gt;某县&lt;/i&gt;商务局2021年政府信息公开工作年度报告</title>" in text


def test_pdf_without_libreoffice_says_how_to_install(tmp_path, monkeypatch):
    from generator.rendering import pdf

    monkeypatch.setattr(pdf, "soffice", lambda: None)
    output = tmp_path / "r.pdf"
    code, out, err = invoke(EXAMPLES / "mouxian-commerce-2021.yaml", "-o", output)
    assert code == 1
    assert "生成 PDF 需要 LibreOffice" in err and "apt-get install libreoffice-writer-nogui" in err
    assert not output.exists()
