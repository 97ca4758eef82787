"""Any published report as lines of text, in reading order.

Tables become one line per row with cells separated by tabs, as a web page or
a Word file shows them; merged cells appear once. A PDF becomes its text
layer; a text file is read as it is (UTF-8, GB18030 or UTF-16, any line ends).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from lxml import etree
from lxml import html as lhtml

from generator import files
from generator.errors import MkreportError, ReadError
from generator.reading.source import decode

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DOCUMENT_LIMIT = 30 * files.MB
PART_LIMIT = 64 * files.MB
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)

KINDS = {".docx": "Word 文档", ".html": "网页", ".htm": "网页", ".pdf": "PDF", ".txt": "文本"}


class ImportError_(MkreportError):
    """Raised when a document cannot be read as a report."""


def lines_of(path: Path) -> list[str]:
    """The report's lines, whatever kind of document ``path`` is."""
    suffix = path.suffix.lower()
    try:
        raw = files.read_input(path, DOCUMENT_LIMIT, "文件")
    except ReadError as exc:
        raise ImportError_(str(exc)) from exc
    if suffix == ".docx" or raw[:2] == b"PK":
        return docx_lines(raw, path)
    if suffix == ".pdf" or raw[:5] == b"%PDF-":
        return pdf_lines(raw, path)
    text, problems = decode(str(path), raw)
    if text is None:
        raise ImportError_(problems[0].message if problems else f"无法读取 {path}")
    if suffix in (".html", ".htm") or text.lstrip()[:200].lower().startswith(("<!doctype html", "<html")):
        return html_lines(text)
    return reflow(text.split("\n"))


_ENDS_PARAGRAPH = re.compile(r"[。！？!?：:」”）)]\s*$")
_STARTS_NEW = re.compile(r"^\s*([（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[、.．]|注[①-⑳]|—)")


def reflow(lines: list[str]) -> list[str]:
    """Text copied from a PDF or a page keeps the printed line breaks: a line as
    long as the column, not ending a sentence, goes on in the next line. Lines
    with tabs or figures (tables) and headings stand alone."""
    widths = sorted(len(line.strip()) for line in lines if re.search(r"[\u4e00-\u9fff]{8}", line))
    if not widths:
        return lines
    column = widths[int(len(widths) * 0.9) - 1 if len(widths) > 1 else 0]
    out: list[str] = []
    joining = False
    for line in lines:
        text = line.strip()
        if not text:
            continue  # extraction puts blank lines between printed lines
        table_like = "\t" in line or re.search(r"\d\s+\d", text) or len(text) < 4
        if joining and not table_like and not _STARTS_NEW.match(text):
            out[-1] += text
        else:
            out.append(line.rstrip())
        joining = (not table_like and len(text) >= 0.8 * column and not _ENDS_PARAGRAPH.search(text)
                   and not _STARTS_NEW.match(text) or (joining and not table_like and out[-1].endswith(text)
                                                       and len(text) >= 0.8 * column
                                                       and not _ENDS_PARAGRAPH.search(text)))
    return out


def docx_lines(raw: bytes, path: Path) -> list[str]:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            with z.open("word/document.xml") as handle:
                data = handle.read(PART_LIMIT + 1)  # the size in the header may lie
            if len(data) > PART_LIMIT:
                raise ImportError_(f"{path} 的正文太大，不像是一份年度报告")
    except (KeyError, zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError,
            ValueError) as exc:
        raise ImportError_(f"{path} 不是 Word 文档（.docx），无法读取；WPS 或旧版 Word 的 .doc 文件"
                           "请先「另存为」.docx") from exc
    if b"<!DOCTYPE" in data.upper():
        raise ImportError_(f"{path} 含有 DOCTYPE 声明，Word 文档不应有，拒绝读取")
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ImportError_(f"{path} 已损坏（正文不是有效的 XML）") from exc
    body = root.find(W + "body")
    if body is None:
        raise ImportError_(f"{path} 没有正文")
    out: list[str] = []

    def walk(parent: etree._Element) -> None:
        for child in parent:
            if child.tag == W + "p":
                out.append(_paragraph_text(child))
            elif child.tag == W + "tbl":
                out.extend(_table_lines(child))
            elif child.tag in (W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag"):
                walk(child)  # content controls and tagged blocks, as WPS and Word templates use

    walk(body)
    return out


def _paragraph_text(p: etree._Element) -> str:
    parts = []
    for node in p.iter(W + "t", W + "br", W + "tab"):
        if node.tag == W + "t":
            parts.append(node.text or "")
        elif node.tag == W + "tab":
            parts.append(" ")
        else:
            parts.append("")  # a line break inside a cell or title: layout, not text
    return "".join(parts)


def _table_lines(tbl: etree._Element) -> list[str]:
    lines = []
    for tr in tbl.iter(W + "tr"):
        cells = []
        for tc in tr.findall(W + "tc"):
            merge = tc.find(f"{W}tcPr/{W}vMerge")
            if merge is not None and merge.get(W + "val") != "restart":
                continue  # continues the cell above
            cells.append("".join(_paragraph_text(p) for p in tc.findall(W + "p")).strip())
        lines.append("\t".join(cells))
    return lines


def html_lines(text: str) -> list[str]:
    try:
        root = lhtml.fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise ImportError_("网页无法解析") from exc
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    out: list[str] = []
    blocks = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "div", "td", "th", "tr", "table", "br",
              "section", "article", "blockquote", "pre"}

    def walk(node: etree._Element) -> None:
        if not isinstance(node.tag, str):
            return
        if node.tag == "table":
            for tr in node.iter("tr"):
                cells = [" ".join(c.text_content().split()) for c in tr if c.tag in ("td", "th")]
                out.append("\t".join(cells))
            return
        if node.tag in blocks and not any(isinstance(c.tag, str) and c.tag in blocks for c in node):
            text = node.text_content().strip()
            if text:
                out.append(" ".join(text.split()) if node.tag != "pre" else text)
            return
        if node.text and node.text.strip():
            out.append(node.text.strip())
        for child in node:
            walk(child)
            if child.tail and child.tail.strip():
                out.append(child.tail.strip())

    body = root.find("body")
    walk(body if body is not None else root)
    return out


def pdf_lines(raw: bytes, path: Path) -> list[str]:
    """The text by position (see :mod:`generator.importing.pdf`), paragraphs joined
    again where a printed line runs to the right margin and the next is not indented."""
    from generator.importing import pdf

    try:
        pages = pdf.read_pages(raw)
    except pdf.PdfProblem as exc:
        raise ImportError_(f"{path} {exc}") from exc
    rows = [line for page in pages for line in page.lines]
    text_rows = [line for line in rows if not line.table]
    if not rows:
        raise ImportError_(f"{path} 没有文字层（可能是扫描件），无法读取；请找到 Word 版或网页版，"
                           "或用文字识别（OCR）软件转成带文字的 PDF 后再导入")
    left = min((line.x0 for line in text_rows), default=0)
    right = max((line.x1 for line in text_rows), default=0)
    out: list[str] = []
    joining = False
    for line in rows:
        if line.table:
            out.append(line.text)
            joining = False
            continue
        text = _PDF_SPACE.sub("", line.text)
        if _PAGE_NUMBER.fullmatch(text):
            continue  # a paragraph runs on over the page number
        indented = line.x0 > left + 6
        if joining and not indented and out:
            out[-1] += text
        else:
            out.append(text)
        # Body paragraphs start indented; a long line that reaches into the right part
        # of the measure goes on in the next one (a web address may end it early).
        joining = (line.x1 > right - 120 and len(text) >= 12) or bool(_UNFINISHED.search(text))
    return out


_UNFINISHED = re.compile(r"(https?://|[:：/@.-])$")  # a web address or a list of details goes on
_PAGE_NUMBER = re.compile(r"[-—－]\s*\d+\s*[-—－]")


# A space printed between Chinese and Latin text (a gap LibreOffice and WPS set) is layout.
_PDF_SPACE = re.compile(r"(?<=[\u2e80-\u9fff\uff00-\uffef])\s(?=[!-~])|(?<=[!-~])\s(?=[\u2e80-\u9fff\uff00-\uffef])")
