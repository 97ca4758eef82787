"""Build templates/reference.docx: the styles, page setup and page numbers.

Run ``python scripts/make_reference.py`` after changing the typography. The
result is committed so that a user can open it in Word, restyle it, and pass
their copy with ``--reference-doc``. Typography follows GB/T 9704-2012.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

OUT = Path(__file__).resolve().parent.parent / "templates" / "reference.docx"

FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
SONGTI = "宋体"
BODY_PT = 16  # 三号
LINE_PT = 28


def set_fonts(style_or_run, east_asian: str, latin: str | None = None) -> None:
    """Set the East-Asian font too: without it Word and WPS use a Latin font."""
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin or east_asian)
    fonts.set(qn("w:eastAsia"), east_asian)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)


def paragraph_style(doc, name: str, base: str | None = None):
    styles = doc.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if base:
        style.base_style = styles[base]
    return style


def fixed_spacing(style, line_pt: float, before: float = 0, after: float = 0) -> None:
    pf = style.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(line_pt)
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)


def first_line_chars(style, chars: int) -> None:
    """Indent by characters (w:firstLineChars), as Chinese documents do.

    python-docx places w:ind where the schema wants it; we add the character
    count that Word and WPS prefer over the fixed length.
    """
    style.paragraph_format.first_line_indent = Pt(chars * BODY_PT)
    ind = style.element.pPr.find(qn("w:ind"))
    ind.set(qn("w:firstLineChars"), str(chars * 100))


def page_number_footer(footer, align) -> None:
    """「— N —」 in 宋体 四号, one character in from the outer edge."""
    p = footer.paragraphs[0]
    p.alignment = align
    p.paragraph_format.space_before = Pt(0)
    p.paragraph_format.space_after = Pt(0)
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        p.paragraph_format.right_indent = Pt(14)
    else:
        p.paragraph_format.left_indent = Pt(14)

    def run(text: str = ""):
        r = p.add_run(text)
        r.font.size = Pt(14)
        set_fonts(r, SONGTI)
        return r

    run("— ")
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        r = run()
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            r._r.append(fld)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            r._r.append(instr)
        else:
            r.text = text
    run(" —")


KEEP_STYLES = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList", "Title", "Heading1",
               "Heading2", "BodyText", "Closing", "TableText", "TableTextSmall", "TableNote",
               "Header", "Footer", "TableGrid"}


def _prune(doc) -> None:
    """Drop what the default template carries and a report never uses.

    It keeps the file small, which keeps every generated report small and fast.
    """
    styles = doc.styles.element
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:styleId")) not in KEEP_STYLES:
            styles.remove(style)
        else:
            for link in style.findall(qn("w:link")):
                style.remove(link)
    for latent in styles.findall(qn("w:latentStyles")):
        styles.remove(latent)
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith(("/stylesWithEffects", "/customXml", "/webSettings")):
            doc.part.drop_rel(rid)
    package_rels = doc.part.package.rels
    for rid, rel in list(package_rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            package_rels.pop(rid)


def build(out: Path = OUT) -> None:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(24)
    section.start_type = WD_SECTION.NEW_PAGE
    doc.settings.odd_and_even_pages_header_footer = True

    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    set_fonts(normal, FANGSONG)
    fixed_spacing(normal, LINE_PT)
    normal.paragraph_format.widow_control = True

    body = paragraph_style(doc, "Body Text", "Normal")
    body.font.size = Pt(BODY_PT)
    set_fonts(body, FANGSONG)
    fixed_spacing(body, LINE_PT)
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    first_line_chars(body, 2)

    title = paragraph_style(doc, "Title", "Normal")
    title.font.size = Pt(22)  # 二号
    title.font.bold = False
    title.font.color.rgb = None
    set_fonts(title, XIAOBIAOSONG)
    fixed_spacing(title, 36, before=0, after=LINE_PT)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.keep_with_next = True
    # The default Title style draws a bottom border; an official title has none.
    ppr = title.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)

    for name, font, indent in (("Heading 1", HEITI, True), ("Heading 2", KAITI, True)):
        h = paragraph_style(doc, name, "Normal")
        h.font.size = Pt(BODY_PT)
        h.font.bold = False
        h.font.italic = False
        h.font.color.rgb = None
        set_fonts(h, font)
        fixed_spacing(h, LINE_PT)
        h.paragraph_format.keep_with_next = True
        h.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
        if indent:
            first_line_chars(h, 2)

    closing = paragraph_style(doc, "Closing", "Body Text")
    closing.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    closing.paragraph_format.right_indent = Pt(BODY_PT * 4)
    first_line_chars(closing, 0)  # explicit: the inherited character indent would win in Word
    closing.paragraph_format.keep_with_next = True

    for name, size, line in (("Table Text", 10.5, 14), ("Table Text Small", 9, 12)):
        t = paragraph_style(doc, name, "Normal")
        t.font.size = Pt(size)
        set_fonts(t, SONGTI)
        fixed_spacing(t, line)
        t.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        t.paragraph_format.first_line_indent = Pt(0)
        t.paragraph_format.widow_control = False

    note = paragraph_style(doc, "Table Note", "Normal")
    note.font.size = Pt(12)
    set_fonts(note, FANGSONG)
    fixed_spacing(note, 20, before=4)

    page_number_footer(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    page_number_footer(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)

    # The template's body is empty: mkreport fills it.
    body_el = doc.element.body
    for child in list(body_el):
        if child.tag != qn("w:sectPr"):
            body_el.remove(child)
    _prune(doc)
    doc.core_properties.title = "政府信息公开工作年度报告"
    doc.core_properties.author = "mkreport"
    doc.core_properties.comments = ""
    buffer = io.BytesIO()
    doc.save(buffer)
    out.write_bytes(chinese_package(buffer.getvalue()))


# The fonts the styles name, as Word and WPS need them in the font table to
# substitute on a PC that lacks them: GB2312 character set (hex 86), the usual
# alternative name, and the PANOSE class of the face.
FONTS = [
    # name, alternative name, panose, family, pitch
    (FANGSONG, "仿宋", "02010609030101010101", "modern", "fixed"),
    (KAITI, "楷体", "02010609030101010101", "modern", "fixed"),
    (XIAOBIAOSONG, SONGTI, "02000000000000000000", "auto", "variable"),
    (HEITI, "SimHei", "02010609060101010101", "modern", "fixed"),
    (SONGTI, "SimSun", "02010600030101010101", "auto", "variable"),
]
LATIN = "Times New Roman"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
NUMBERING = "numbering.xml"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def _font_table() -> bytes:
    w = f"{{{W_NS}}}"
    root = etree.Element(w + "fonts", nsmap={"w": W_NS})
    for name, alt, panose, family, pitch in FONTS:
        font = etree.SubElement(root, w + "font", {w + "name": name})
        etree.SubElement(font, w + "altName", {w + "val": alt})
        etree.SubElement(font, w + "panose1", {w + "val": panose})
        etree.SubElement(font, w + "charset", {w + "val": "86"})
        etree.SubElement(font, w + "family", {w + "val": family})
        etree.SubElement(font, w + "pitch", {w + "val": pitch})
    font = etree.SubElement(root, w + "font", {w + "name": LATIN})
    etree.SubElement(font, w + "panose1", {w + "val": "02020603050405020304"})
    etree.SubElement(font, w + "charset", {w + "val": "00"})
    etree.SubElement(font, w + "family", {w + "val": "roman"})
    etree.SubElement(font, w + "pitch", {w + "val": "variable"})
    return _xml(root)


def _theme(data: bytes) -> bytes:
    """Chinese East-Asian theme fonts; no Japanese faces left behind."""
    root = etree.fromstring(data)
    a = f"{{{A_NS}}}"
    for scheme, east_asian in (("majorFont", HEITI), ("minorFont", SONGTI)):
        fonts = root.find(f".//{a}{scheme}")
        fonts.find(a + "latin").set("typeface", LATIN)
        fonts.find(a + "ea").set("typeface", east_asian)
        for font in fonts.findall(a + "font"):
            if font.get("script") == "Hans":
                font.set("typeface", east_asian)
            elif font.get("script") in ("Jpan", "Hant", "Hang"):
                fonts.remove(font)
    return _xml(root)


def _languages(data: bytes, tag: str) -> bytes:
    root = etree.fromstring(data)
    for element in root.iter(f"{{{W_NS}}}{tag}"):
        element.set(f"{{{W_NS}}}eastAsia", "zh-CN")
    return _xml(root)


def _xml(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


APP = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
       b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
       b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
       b"<Application>mkreport</Application><DocSecurity>0</DocSecurity></Properties>")
CORE = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>政府信息公开工作年度报告</dc:title>'
        "<dc:creator>mkreport</dc:creator><cp:lastModifiedBy>mkreport</cp:lastModifiedBy></cp:coreProperties>"
        ).encode()


def chinese_package(data: bytes) -> bytes:
    """python-docx's default package made Chinese: language, theme, font table,
    our own document properties, and no numbering part that nothing uses."""
    parts = {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            parts[name] = z.read(name)
    parts.pop(f"word/{NUMBERING}", None)
    rels = etree.fromstring(parts["word/_rels/document.xml.rels"])
    for rel in list(rels):
        if rel.get("Target") == NUMBERING:
            rels.remove(rel)
    parts["word/_rels/document.xml.rels"] = _xml(rels)
    types = etree.fromstring(parts["[Content_Types].xml"])
    for override in list(types):
        if override.get("PartName") == f"/word/{NUMBERING}":
            types.remove(override)
    parts["[Content_Types].xml"] = _xml(types)
    parts["word/fontTable.xml"] = _font_table()
    parts["word/theme/theme1.xml"] = _theme(parts["word/theme/theme1.xml"])
    parts["word/settings.xml"] = _languages(parts["word/settings.xml"], "themeFontLang")
    parts["word/styles.xml"] = _languages(parts["word/styles.xml"], "lang")
    parts["docProps/app.xml"] = APP
    parts["docProps/core.xml"] = CORE
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in parts.items():
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, content)
    return out.getvalue()


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
    print(f"已生成 {sys.argv[1] if len(sys.argv) > 1 else OUT}")
