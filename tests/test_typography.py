"""What a 政务公开 office sees at a glance: a Chinese document, valid for Word
and WPS, set without stretched lines, broken labels, holes or lost characters.

The package checks read the .docx itself. The layout checks read the PDF that
LibreOffice makes (``pdftotext -bbox-layout``, ``pdffonts``); each looks for
one defect that reports have had, so that it cannot come back unnoticed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from helpers import EXAMPLES, ROOT, invoke
from lxml import etree

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))
REFERENCE = ROOT / "templates" / "reference.docx"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
AUDIT = Path(sys.executable).parent / "openxml-audit"
HAVE_OFFICE = shutil.which("soffice") and shutil.which("pdftotext") and shutil.which("pdffonts")
needs_office = pytest.mark.skipif(not HAVE_OFFICE and not os.environ.get("CI"),
                                  reason="LibreOffice / poppler-utils not installed")

# A4 text block (GB/T 9704: 37 mm top, 35 mm bottom margins), in PDF points.
BLOCK_TOP, BLOCK_BOTTOM = 37 / 25.4 * 72, (297 - 35) / 25.4 * 72
CJK = re.compile(r"^[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’《》]+$")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Every example as .docx and (with LibreOffice) .pdf."""
    tmp = tmp_path_factory.mktemp("typography")
    out = {}
    for example in EXAMPLE_FILES:
        docx_path = tmp / f"{example.stem}.docx"
        code, _, err = invoke(example, "-o", docx_path)
        assert code == 0, err
        pdf_path = None
        if HAVE_OFFICE:
            pdf_path = tmp / f"{example.stem}.pdf"
            code, _, err = invoke(example, "-o", pdf_path)
            assert code == 0, err
        out[example.stem] = (docx_path, pdf_path)
    return out


# -- The package --------------------------------------------------------------

def audit_findings(path: Path, version: str) -> list[str]:
    result = subprocess.run([str(AUDIT), "-f", version, "-o", "json", "-m", "0", str(path)],
                            capture_output=True, text=True, timeout=120)
    report = json.loads(result.stdout)[0]
    findings = [json.dumps(e, ensure_ascii=False) for e in report["errors"]]
    if report.get("warning_count"):
        findings.append(f"{report['warning_count']} warnings")
    return findings


@pytest.mark.parametrize("version", ["office2019", "microsoft365"])
def test_every_document_passes_openxml_audit(built, version):
    paths = [REFERENCE] + [docx_path for docx_path, _ in built.values()]
    for path in paths:
        assert audit_findings(path, version) == [], path.name


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def chinese_package_problems(path: Path) -> list[str]:
    """What tells Word, WPS or a reader that the document is not Chinese."""
    parts = _parts(path)
    problems = []
    styles = etree.fromstring(parts["word/styles.xml"])
    default = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    if default is None or default.get(W + "eastAsia") != "zh-CN":
        problems.append("styles.xml: East-Asian language is not zh-CN")
    settings = etree.fromstring(parts["word/settings.xml"])
    theme_lang = settings.find(W + "themeFontLang")
    if theme_lang is None or theme_lang.get(W + "eastAsia") != "zh-CN":
        problems.append("settings.xml: themeFontLang is not zh-CN")
    for name, data in parts.items():
        if name.endswith(".xml") and re.search(rb"ja-JP|script=\"Jpan\"|\xef\xbc\xad\xef\xbc\xb3", data):
            problems.append(f"{name}: Japanese language or fonts")
    # Every font a style or run names is in the font table, with its character set.
    table = etree.fromstring(parts["word/fontTable.xml"])
    known = {f.get(W + "name"): f for f in table.iter(W + "font")}
    named = set()
    for part in ("word/styles.xml", "word/document.xml", "word/footer1.xml", "word/footer2.xml"):
        if part in parts:
            for fonts in etree.fromstring(parts[part]).iter(W + "rFonts"):
                named.update(v for k, v in fonts.attrib.items() if not k.lower().endswith("theme"))
    for font in sorted(named):
        if font not in known:
            problems.append(f"fontTable.xml: no entry for {font}")
        elif re.search(r"[\u4e00-\u9fff]", font) and known[font].find(W + "charset").get(W + "val") != "86":
            problems.append(f"fontTable.xml: {font} is not GB2312")
    # No numbering part that nothing uses, no relationship to a missing part.
    rels = etree.fromstring(parts["word/_rels/document.xml.rels"])
    for rel in rels:
        if rel.get("TargetMode") != "External" and f"word/{rel.get('Target')}" not in parts:
            problems.append(f"relationship to a missing part: {rel.get('Target')}")
    if "word/numbering.xml" in parts and b"numId" not in parts["word/document.xml"]:
        problems.append("numbering.xml present but unused")
    app = parts.get("docProps/app.xml", b"")
    if b"<Application>mkreport</Application>" not in app:
        problems.append("app.xml: application is not mkreport")
    if re.search(rb"dcterms:(created|modified)", parts.get("docProps/core.xml", b"")):
        problems.append("core.xml: carries dates")
    return problems


def test_reference_and_reports_are_chinese_documents(built):
    assert chinese_package_problems(REFERENCE) == []
    for docx_path, _ in built.values():
        assert chinese_package_problems(docx_path) == [], docx_path.name


# -- The printed page ---------------------------------------------------------

def _layout(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Pages as lists of words (x0, y0, x1, y1, text), grouped into lines by a
    None between lines."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    pages = []
    for page in out.split("<page ")[1:]:
        lines = []
        for line in re.findall(r"<line [^>]*>(.*?)</line>", page, re.S):
            words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                               r"([^<]*)</word>", line)
            lines.append([(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in words])
        pages.append(lines)
    return pages


def stretched_lines(pdf: Path) -> list[str]:
    """Body lines letter-spaced across the measure: Chinese characters that
    pdftotext sees as separate words stand apart only when the line was
    stretched (a web address that could not break, typically)."""
    bad = []
    for lines in _layout(pdf):
        for words in lines:
            if not words or words[0][3] - words[0][1] < 17:  # table text is smaller
                continue
            apart = sum(1 for a, b in zip(words, words[1:]) if CJK.match(a[4]) and CJK.match(b[4]))
            if apart >= 2:
                bad.append(" ".join(w[4] for w in words))
    return bad


def single_character_label_lines(pdf: Path) -> list[str]:
    """Lines of table 三's labels that hold one Chinese character alone."""
    bad = []
    for lines in _layout(pdf):
        words = [w for line in lines for w in line]
        top = next((w[1] for w in words if w[4].startswith("三、收到和处理")), None)
        if top is None:
            continue
        bottom = next((w[1] for w in words if w[4].startswith("四、") and w[3] - w[1] >= 17), 1e9)
        bad += [w[4] for w in words if top < w[1] < bottom and w[3] - w[1] < 17
                and re.fullmatch(r"[\u4e00-\u9fff]", w[4])]
    return bad


def half_empty_pages(pdf: Path) -> list[int]:
    """Pages more than a third empty, other than the last (table 三 follows
    table 二 on its page; see also test_pdf_layout.py)."""
    pages = _layout(pdf)
    bad = []
    for i, lines in enumerate(pages[:-1]):
        bottoms = [w[3] for words in lines for w in words if w[3] < BLOCK_BOTTOM + 5]
        lowest = max(bottoms, default=BLOCK_TOP)
        if (BLOCK_BOTTOM - lowest) / (BLOCK_BOTTOM - BLOCK_TOP) > 1 / 3:
            bad.append(i + 1)
    return bad


def headings_without_space(pdf: Path) -> list[str]:
    """Section headings printed right under a table (small type just above them)."""
    bad = []
    for lines in _layout(pdf):
        words = [w for line in lines for w in line]
        for _x0, y0, _x1, y1, text in words:
            if not (re.match(r"^[一二三四五六]、", text) and y1 - y0 >= 17):
                continue
            above = [w for w in words if w[3] <= y0 + 1]
            if above:
                nearest = max(above, key=lambda w: w[3])
                if nearest[3] - nearest[1] < 17 and y0 - nearest[3] < 12:
                    bad.append(text)
    return bad


def japanese_fonts(pdf: Path) -> list[str]:
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    return [line.split()[0] for line in fonts.splitlines()[2:] if re.search(r"jp|JP|Japan", line)]


def lost_characters(docx_path: Path, pdf: Path) -> list[str]:
    """Body paragraphs whose text is not all in the PDF, in order."""
    import docx

    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    # Page numbers (「— 2 —」) fall inside paragraphs that run over a page.
    # pdftotext joins a word broken after a hyphen, dropping the hyphen.
    printed = re.sub(r"[\s-]+", "", re.sub(r"—\s*\d+\s*—", "", text))
    lost = []
    for paragraph in docx.Document(str(docx_path)).paragraphs:
        text = re.sub(r"[\s-]+", "", paragraph.text)
        if text and text not in printed:
            lost.append(text)
    return lost


@needs_office
@pytest.mark.parametrize("check", [stretched_lines, single_character_label_lines, half_empty_pages,
                                   headings_without_space, japanese_fonts])
def test_printed_pages(built, check):
    found = {name: check(pdf) for name, (_, pdf) in built.items()}
    assert {name: f for name, f in found.items() if f} == {}


@needs_office
def test_no_character_is_lost_in_the_pdf(built):
    found = {name: lost_characters(docx_path, pdf) for name, (docx_path, pdf) in built.items()}
    assert {name: f for name, f in found.items() if f} == {}


@needs_office
def test_kaiti_sub_headings_are_set_in_their_own_face(built):
    fonts = subprocess.run(["pdffonts", str(built["shili-county-2023"][1])], capture_output=True,
                           text=True, check=True).stdout
    faces = {line.split()[0].split("+", 1)[-1] for line in fonts.splitlines()[2:]}
    assert len(faces) >= 3, faces  # 仿宋 body, 黑体 headings, 楷体 sub-headings


@needs_office
def test_pdf_names_the_substituted_fonts(tmp_path):
    code, _, err = invoke(EXAMPLES / "mouxian-commerce-2021.yaml", "-o", tmp_path / "r.pdf")
    assert code == 0
    # On a machine without the official fonts (CI), one line says which were replaced.
    have = subprocess.run(["fc-match", "-f", "%{family}", "仿宋_GB2312"], capture_output=True,
                          text=True).stdout
    if "仿宋_GB2312" not in have:
        assert err.count("提示：本机没有安装公文字体") == 1 and "仿宋_GB2312→" in err
