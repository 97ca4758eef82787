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
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from generator import files
from generator.errors import ReadError, ReferenceDocError
from generator.reading.source import short
from generator.rendering.compose import CLOSING, H1, H2, NOTE, PARA, TABLE, TITLE, Block, templates_dir
from generator.rendering.layout import Grid

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)

STYLE = {TITLE: "Title", H1: "Heading1", H2: "Heading2", PARA: "BodyText",
         NOTE: "TableNote", CLOSING: "Closing"}
TABLE_STYLES = ("TableText", "TableTextSmall")
REQUIRED_STYLES = set(STYLE.values()) | set(TABLE_STYLES)
SHORT_TABLE_ROWS = 40  # a longer table 二 may break inside its blocks too
FIRST_ROWS = 2  # body rows that stay with a table's header
LAST_ROWS = 2  # rows that end a table together


def default_reference() -> Path:
    return templates_dir() / "reference.docx"


@dataclass(frozen=True)
class Reference:
    entries: tuple[tuple[str, bytes], ...]
    document: etree._Element
    text_width: int  # twips
    notices: tuple[str, ...] = ()  # what was left out of the reference, for the user


ENTRY_LIMIT = 32 * files.MB  # one part, uncompressed
TOTAL_LIMIT = 64 * files.MB  # all parts, uncompressed
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
# Never fetch, never expand entities: a reference document is somebody else's file.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _parse(data: bytes, name: str, path: str) -> etree._Element:
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ReferenceDocError(f"参考文档 {path} 已损坏（{name} 不是有效的 XML），"
                                "请用 Word 或 WPS 打开后重新保存") from exc


def _read_entries(path: str) -> list[tuple[str, bytes]]:
    try:
        raw = files.read_input(Path(path), files.REFERENCE_LIMIT, "参考文档")
    except ReadError as exc:
        raise ReferenceDocError(str(exc)) from exc
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            infos = z.infolist()
            if sum(i.file_size for i in infos) > TOTAL_LIMIT or len(infos) > 1000:
                raise ReferenceDocError(f"参考文档 {path} 解压后太大，不像是一份样式文档")
            entries = []
            for info in infos:
                with z.open(info) as handle:
                    data = handle.read(ENTRY_LIMIT + 1)  # the size in the header may lie
                if len(data) > ENTRY_LIMIT:
                    raise ReferenceDocError(f"参考文档 {path} 中的 {info.filename} 太大，不像是一份样式文档")
                entries.append((info.filename, data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError,
            EOFError, ValueError, OSError) as exc:
        raise ReferenceDocError(f"参考文档 {path} 无法打开，它应是一个 .docx 文件") from exc
    for name, data in entries:
        if name.endswith((".xml", ".rels")) and b"<!DOCTYPE" in data.upper():
            raise ReferenceDocError(f"参考文档 {path} 的 {name} 含有 DOCTYPE 声明，Word 文档不应有，拒绝使用")
    return entries


def _drop_external(entries: list[tuple[str, bytes]], path: str) -> tuple[list[tuple[str, bytes]], list[str]]:
    """Remove links to the outside (attached templates, web images) and what uses them."""
    parts = dict(entries)
    dropped: dict[str, set[str]] = {}
    targets: list[str] = []
    for name, data in entries:
        if not name.endswith(".rels") or b"External" not in data:
            continue
        rels = _parse(data, name, path)
        for rel in list(rels):
            if rel.get("TargetMode") == "External":
                folder, _, base = name.rpartition("_rels/")
                owner = folder + base[: -len(".rels")]
                dropped.setdefault(owner, set()).add(rel.get("Id", ""))
                targets.append(rel.get("Target", ""))
                rels.remove(rel)
        parts[name] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True)
    for owner, ids in dropped.items():
        if owner not in parts:
            continue
        root = _parse(parts[owner], owner, path)
        for element in list(root.iter()):
            if any(v in ids for k, v in element.attrib.items() if k.startswith(f"{{{R_NS}}}")):
                parent = element.getparent()
                if parent is None:
                    continue
                if element.tag == W + "hyperlink":  # keep the text, lose the link
                    for child in list(element):
                        element.addprevious(child)
                parent.remove(element)
        parts[owner] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    notices = []
    if targets:
        shown = "、".join(short(t, 40) for t in targets[:2]) + ("等" if len(targets) > 2 else "")
        notices.append(f"参考文档 {path} 中有 {len(targets)} 个外部链接（{shown}），没有带入报告")
    return [(name, parts[name]) for name, _ in entries], notices


@functools.lru_cache(maxsize=8)
def _load_reference(path: str, mtime_ns: int) -> Reference:
    entries, notices = _drop_external(_read_entries(path), path)
    entries = [(name, _zoom_with_percent(data) if name == "word/settings.xml" else data) for name, data in entries]
    parts = dict(entries)
    if "word/document.xml" not in parts:
        raise ReferenceDocError(f"参考文档 {path} 不是 Word 文档（缺少 word/document.xml）")
    document = _parse(parts["word/document.xml"], "word/document.xml", path)
    styles = _parse(parts.get("word/styles.xml", b"<x/>"), "word/styles.xml", path)
    if document.find(f"{W}body") is None:
        raise ReferenceDocError(f"参考文档 {path} 不是 Word 文档（正文部分缺失）")
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
            try:
                width = int(size.get(W + "w")) - int(margin.get(W + "left")) - int(margin.get(W + "right"))
            except (TypeError, ValueError) as exc:
                raise ReferenceDocError(f"参考文档 {path} 的页面大小或页边距不是有效的数字，"
                                        "请在 Word 中重新设置页边距后保存") from exc
            if not 2000 <= width <= 20000:
                raise ReferenceDocError(f"参考文档 {path} 的版心宽度（{width / 56.7:.0f} 毫米）不合理，"
                                        "请核对纸张大小和页边距")
    return Reference(tuple(entries), document, width, tuple(notices))


def _zoom_with_percent(data: bytes) -> bytes:
    """``<w:zoom>`` with the ``w:percent`` ISO 29500 requires: Word and python-docx
    write ``<w:zoom w:val="bestFit"/>`` alone, which Word ignores and strict
    validators refuse."""
    if b"zoom" not in data:
        return data
    try:
        settings = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        return data
    zoom = settings.find(W + "zoom")
    if zoom is None or zoom.get(W + "percent") is not None:
        return data
    zoom.set(W + "percent", "100")
    return etree.tostring(settings, xml_declaration=True, encoding="UTF-8", standalone=True)


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


# A run of Latin letters this long (a web address, an e-mail) cannot break in a
# justified Chinese line, which is then letter-spaced across the page.
_LONG_LATIN = re.compile(r"[!-~]{16,}")
RUN_IN_FONT = "楷体_GB2312"  # the face of second-level headings (GB/T 9704)
BODY_FONT = "仿宋_GB2312"  # the body face, for sub-headings printed bold
AFTER_TABLE = "280"  # twips: half a line of space above a heading that follows a table


def _paragraph(text: str | list[str], style: str, align: str | None = None, keep_next: bool = False,
               new_page: bool = False, space_before: str | None = None, lead: str = "",
               bold: bool = False) -> etree._Element:
    """A paragraph; a list of texts becomes lines separated by line breaks."""
    p = _el(None, "p")
    ppr = _el(p, "pPr")
    _el(ppr, "pStyle", val=style)
    if keep_next:
        _el(ppr, "keepNext")
    if new_page:
        _el(ppr, "pageBreakBefore")
    if align is None and isinstance(text, str) and style == STYLE[PARA] and _LONG_LATIN.search(text):
        # Word and WPS may break the address inside; where they (or LibreOffice)
        # do not, a left-aligned line ends short instead of being stretched.
        _el(ppr, "wordWrap", val="0")
        align = "left"
    if space_before:
        _el(ppr, "spacing", before=space_before)
    if align:
        _el(ppr, "jc", val=align)
    if lead:
        # A run-in sub-heading: the heading's face (楷体, or the body face in bold)
        # at the start of the paragraph.
        run = _el(p, "r")
        rpr = _el(run, "rPr")
        if bold:
            _el(rpr, "b")
        else:
            _el(rpr, "rFonts", ascii=RUN_IN_FONT, hAnsi=RUN_IN_FONT, eastAsia=RUN_IN_FONT)
        t = _el(run, "t")
        t.text = lead
        t.set(XML_SPACE, "preserve")
    for i, line in enumerate([text] if isinstance(text, str) else text):
        if not line:
            continue
        run = _el(p, "r")
        if bold and not lead:
            # A sub-heading on its own line in the body face, bold.
            rpr = _el(run, "rPr")
            _el(rpr, "rFonts", ascii=BODY_FONT, hAnsi=BODY_FONT, eastAsia=BODY_FONT)
            _el(rpr, "b")
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

    # A row kept with the next (keepNext on every paragraph of the row) never ends
    # a page. Table 二 breaks only where its layout allows, between its blocks.
    # Table 三 follows on the same page and may break between two rows, its header
    # repeated on the next page, but not between the header and the FIRST_ROWS
    # rows under it (the heading above keeps with them), nor within its last
    # LAST_ROWS rows. A label spanning rows (「（三）不予公开」) is printed in the
    # part of its rows on the first page: as many rows as it has lines stay
    # together. Table 四 is too short to break at all.
    held = {r for c in grid.cells if c.rowspan > 1
            for r in range(c.row, c.row + min(c.rowspan, len(c.lines) or 1) - 1)}

    def keep(r: int) -> bool:
        if r >= grid.rows - 1:
            return False
        if grid.breaks and grid.rows <= SHORT_TABLE_ROWS:
            return r not in grid.breaks
        return r < grid.header_rows + FIRST_ROWS - 1 or r >= grid.rows - LAST_ROWS or r in held
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
                text = list(cell.lines) if cell.lines else cell.text
                tc.append(_paragraph(text, style, align, keep_next=keep(r)))
            else:  # merged from above: its paragraph keeps with the rest of the row
                tc.append(_paragraph("", style, keep_next=keep(r)))
            col += span
    return tbl


def _body(blocks: list[Block], text_width: int) -> list[etree._Element]:
    out: list[etree._Element] = []
    previous = ""
    for block in blocks:
        if block.kind == TABLE:
            assert block.grid is not None
            out.append(_table(block.grid, text_width))
        elif block.kind == TITLE:
            out.append(_paragraph(block.lines or [block.text], STYLE[TITLE]))
        elif block.kind == CLOSING:
            # The signature never stands alone on a page: the last paragraph comes with it.
            if out and out[-1].tag == W + "p":
                ppr = out[-1].find(W + "pPr")
                if ppr is not None and ppr.find(W + "keepNext") is None:
                    ppr.find(W + "pStyle").addnext(etree.Element(W + "keepNext"))
            out.append(_paragraph("", STYLE[PARA], keep_next=True))
            out += [_paragraph(line, STYLE[CLOSING], keep_next=i < len(block.lines) - 1)
                    for i, line in enumerate(block.lines)]
        else:
            after_table = block.kind == H1 and previous in (TABLE, NOTE) and not block.new_page
            out.append(_paragraph(block.text, STYLE[block.kind], new_page=block.new_page,
                                  space_before=AFTER_TABLE if after_table else None, lead=block.lead,
                                  bold=block.bold))
        previous = block.kind
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
        core = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        return data
    element = core.find(DC_TITLE)
    if element is None:
        element = etree.SubElement(core, DC_TITLE)
    element.text = title
    return etree.tostring(core, xml_declaration=True, encoding="UTF-8", standalone=True)
