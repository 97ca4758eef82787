"""Blocks → .docx, on top of a reference document (pandoc's reference-doc idea).

The reference .docx supplies styles, page setup and page-number footers; we
replace only the body of ``word/document.xml``. This is the one module that
knows WordprocessingML. Tables are written as XML directly: python-docx's
``Table.cell()`` rebuilds the grid on every call, far too slow for table 三.
Output is deterministic: fixed zip timestamps, no random ids.
"""

from __future__ import annotations

import copy
import functools
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .compose import CLOSING, H1, H2, NOTE, PARA, TABLE, TITLE, Block, templates_dir
from .errors import ReferenceDocError
from .layout import Grid

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)

STYLE = {TITLE: "Title", H1: "Heading1", H2: "Heading2", PARA: "BodyText",
         NOTE: "TableNote", CLOSING: "Closing"}
TABLE_STYLES = ("TableText", "TableTextSmall")
REQUIRED_STYLES = set(STYLE.values()) | set(TABLE_STYLES)
SHORT_TABLE_ROWS = 40


def default_reference() -> Path:
    return templates_dir() / "reference.docx"


@dataclass(frozen=True)
class Reference:
    entries: tuple[tuple[str, bytes], ...]
    document: etree._Element
    text_width: int  # twips


@functools.lru_cache(maxsize=8)
def _load_reference(path: str, mtime_ns: int) -> Reference:
    try:
        with zipfile.ZipFile(path) as z:
            entries = tuple((name, z.read(name)) for name in z.namelist())
    except (OSError, zipfile.BadZipFile) as exc:
        raise ReferenceDocError(f"参考文档 {path} 无法打开（{exc}），它应是一个 .docx 文件") from exc
    parts = dict(entries)
    if "word/document.xml" not in parts:
        raise ReferenceDocError(f"参考文档 {path} 不是 Word 文档（缺少 word/document.xml）")
    document = etree.fromstring(parts["word/document.xml"])
    styles = etree.fromstring(parts.get("word/styles.xml", b"<x/>"))
    have = {s.get(W + "styleId") for s in styles.iter(W + "style")}
    missing = sorted(REQUIRED_STYLES - have)
    if missing:
        raise ReferenceDocError(f"参考文档 {path} 缺少样式：{'、'.join(missing)}。"
                                "请以 templates/reference.docx 为底稿修改样式，不要删除样式")
    sect = document.find(f"{W}body/{W}sectPr")
    width = 9071  # A4 with 28 mm + 26 mm margins
    if sect is not None:
        size, margin = sect.find(W + "pgSz"), sect.find(W + "pgMar")
        if size is not None and margin is not None:
            width = int(size.get(W + "w")) - int(margin.get(W + "left")) - int(margin.get(W + "right"))
    return Reference(entries, document, width)


def load_reference(path: Path | None = None) -> Reference:
    path = Path(path or default_reference())
    try:
        mtime = path.stat().st_mtime_ns
    except OSError as exc:
        raise ReferenceDocError(f"找不到参考文档 {path}") from exc
    return _load_reference(str(path), mtime)


def _el(parent: etree._Element | None, tag: str, **attrs: str) -> etree._Element:
    element = etree.Element(W + tag) if parent is None else etree.SubElement(parent, W + tag)
    for key, value in attrs.items():
        element.set(W + key, value)
    return element


def _paragraph(text: str | list[str], style: str, align: str | None = None, keep_next: bool = False,
               new_page: bool = False) -> etree._Element:
    """A paragraph; a list of texts becomes lines separated by line breaks."""
    p = _el(None, "p")
    ppr = _el(p, "pPr")
    _el(ppr, "pStyle", val=style)
    if keep_next:
        _el(ppr, "keepNext")
    if new_page:
        _el(ppr, "pageBreakBefore")
    if align:
        _el(ppr, "jc", val=align)
    for i, line in enumerate([text] if isinstance(text, str) else text):
        if not line:
            continue
        run = _el(p, "r")
        if i:
            _el(run, "br")
        t = _el(run, "t")
        t.text = line
        t.set(XML_SPACE, "preserve")
    return p


def _borders(parent: etree._Element) -> None:
    borders = _el(parent, "tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        _el(borders, side, val="single", sz="4", space="0", color="000000")


def _table(grid: Grid, text_width: int) -> etree._Element:
    scale = text_width / sum(grid.widths)
    widths = [int(w * scale) for w in grid.widths]
    style = TABLE_STYLES[1] if grid.dense else TABLE_STYLES[0]

    # A table that fits stays on one page; a longer one may break, but never
    # right after its header (which repeats on the next page).
    keep_rows = grid.rows - 1 if grid.rows <= SHORT_TABLE_ROWS else grid.header_rows + 2
    tbl = _el(None, "tbl")
    tpr = _el(tbl, "tblPr")
    _el(tpr, "tblW", w=str(sum(widths)), type="dxa")
    _el(tpr, "jc", val="center")
    _borders(tpr)
    _el(tpr, "tblLayout", type="fixed")
    margins = _el(tpr, "tblCellMar")
    for side in ("left", "right"):
        _el(margins, side, w="34", type="dxa")
    grid_el = _el(tbl, "tblGrid")
    for w in widths:
        _el(grid_el, "gridCol", w=str(w))

    starts = {(c.row, c.col): c for c in grid.cells}
    # Cells merged from above, by the row and column where they continue.
    continued = {(r, c.col): c for c in grid.cells for r in range(c.row + 1, c.row + c.rowspan)}
    for r in range(grid.rows):
        tr = _el(tbl, "tr")
        trpr = _el(tr, "trPr")
        _el(trpr, "cantSplit")
        if r < grid.header_rows:
            _el(trpr, "tblHeader")
        col = 0
        while col < grid.cols:
            cell = starts.get((r, col))
            above = continued.get((r, col))
            span = (cell or above).colspan if (cell or above) else 1
            tc = _el(tr, "tc")
            tcpr = _el(tc, "tcPr")
            _el(tcpr, "tcW", w=str(sum(widths[col:col + span])), type="dxa")
            if span > 1:
                _el(tcpr, "gridSpan", val=str(span))
            if cell is not None and cell.rowspan > 1:
                _el(tcpr, "vMerge", val="restart")
            elif above is not None:
                _el(tcpr, "vMerge")
            _el(tcpr, "vAlign", val="center")
            if cell is not None:
                align = "left" if cell.left else None
                tc.append(_paragraph(cell.text, style, align, keep_next=r < keep_rows))
            else:
                tc.append(_paragraph("", style))
            col += span
    return tbl


def _body(blocks: list[Block], text_width: int) -> list[etree._Element]:
    out: list[etree._Element] = []
    for block in blocks:
        if block.kind == TABLE:
            assert block.grid is not None
            out.append(_table(block.grid, text_width))
        elif block.kind == TITLE:
            out.append(_paragraph(block.lines or [block.text], STYLE[TITLE]))
        elif block.kind == CLOSING:
            out.append(_paragraph("", STYLE[PARA]))
            out += [_paragraph(line, STYLE[CLOSING]) for line in block.lines]
        else:
            out.append(_paragraph(block.text, STYLE[block.kind], new_page=block.new_page))
    return out


def render(blocks: list[Block], reference: Path | None = None) -> bytes:
    """The .docx file's bytes for ``blocks``."""
    ref = load_reference(reference)
    document = copy.deepcopy(ref.document)
    body = document.find(W + "body")
    sect = body.find(W + "sectPr")
    for child in list(body):
        if child is not sect:
            body.remove(child)
    for element in _body(blocks, ref.text_width):
        if sect is not None:
            sect.addprevious(element)
        else:
            body.append(element)
    title = next((b.text for b in blocks if b.kind == TITLE), "")

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in ref.entries:
            if name == "word/document.xml":
                data = etree.tostring(document, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)
            elif name == "docProps/core.xml":
                data = _core_with_title(data, title)
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return buffer.getvalue()


def _core_with_title(data: bytes, title: str) -> bytes:
    try:
        core = etree.fromstring(data)
    except etree.XMLSyntaxError:
        return data
    element = core.find(DC_TITLE)
    if element is None:
        element = etree.SubElement(core, DC_TITLE)
    element.text = title
    return etree.tostring(core, xml_declaration=True, encoding="UTF-8", standalone=True)
