"""Any published report as lines of text, in reading order.

Tables become one line per row with cells separated by tabs, as a web page or
a Word file shows them; merged cells appear once. A PDF becomes its text
layer; a text file is read as it is (UTF-8, GB18030 or UTF-16, any line ends).
"""

from __future__ import annotations

import io
import re
import unicodedata
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
# Work, not bytes: a small file can unpack to millions of empty elements, and a
# text file can be one long run. A report has a few thousand elements and
# 10,000–40,000 characters.
MAX_ELEMENTS = 400_000  # elements of a Word body or a web page
MAX_TEXT = 1_000_000  # characters of text in all

KINDS = {".docx": "Word 文档", ".html": "网页", ".htm": "网页", ".pdf": "PDF", ".txt": "文本"}


class ImportError_(MkreportError):
    """Raised when a document cannot be read as a report."""


class Heading(str):
    """A line the document prints as a sub-heading: a Word heading style, a web
    page's <h3>…<h6>, or a short paragraph all in bold or in 楷体. With ``lead``,
    only its first ``lead`` characters are the heading, run in at the start of its
    paragraph in the heading's face; ``bold``: the heading is set in bold."""

    lead: int
    bold: bool

    def __new__(cls, text: str, lead: int = 0, bold: bool = False) -> Heading:
        line = super().__new__(cls, text)
        line.lead = lead
        line.bold = bold
        return line


HEADING_CHARS = 40  # a longer paragraph is no sub-heading, whatever its face
_SENTENCE_END = re.compile(r"[。；！？!?;]")


def heading_like(text: str) -> bool:
    """Short, and no sentence in it but for a full stop at its end."""
    text = text.strip()
    return 0 < len(text) <= HEADING_CHARS and not _SENTENCE_END.search(text[:-1])


def lines_of(path: Path) -> list[str]:
    """The report's lines, whatever kind of document ``path`` is."""
    suffix = path.suffix.lower()
    try:
        raw = files.read_input(path, DOCUMENT_LIMIT, "文件")
    except ReadError as exc:
        raise ImportError_(str(exc)) from exc
    if suffix == ".docx" or raw[:2] == b"PK":
        lines = docx_lines(raw, path)
    elif suffix == ".pdf" or raw[:5] == b"%PDF-":
        lines = pdf_lines(raw, path)
    else:
        text, problems = decode(str(path), raw)
        if text is None:
            raise ImportError_(problems[0].message if problems else f"无法读取 {path}")
        del raw  # the text is what is read from here on
        if suffix in (".html", ".htm") or text.lstrip()[:200].lower().startswith(("<!doctype html", "<html")):
            lines = html_lines(text, path)
        else:
            _check_text(len(text) - text.count("\n"), path)
            lines = page_region(reflow(text.split("\n")))
    _check_text(sum(len(line) for line in lines), path)
    return lines


def _check_text(size: int, name: Path | str) -> None:
    if size > MAX_TEXT:
        raise ImportError_(f"{name} 的文字超过 {MAX_TEXT} 个字符，年度报告没有这么长（一般为一万到四万字），不读取")


_ENDS_PARAGRAPH = re.compile(r"[。！？!?：:」”）)]\s*$")
_STARTS_NEW = re.compile(r"^\s*([（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[、.．]|注[①-⑳]|—)")


def reflow(lines: list[str]) -> list[str]:
    """Text copied from a PDF or a page keeps the printed line breaks: a line as
    long as the column, not ending a sentence, goes on in the next line. Lines
    with tabs or figures (tables) and headings stand alone."""
    widths = sorted(len(line.strip()) for line in lines if _CJK_RUN.search(line))
    if not widths:
        return lines
    column = widths[int(len(widths) * 0.9) - 1 if len(widths) > 1 else 0]
    # Each output line as its parts, joined once at the end: adding to a string
    # line by line copies it every time.
    out: list[list[str]] = []
    joining = False
    for line in lines:
        text = line.strip()
        if not text:
            continue  # extraction puts blank lines between printed lines
        table_like = "\t" in line or _FIGURES.search(text) or len(text) < 4
        starts_new = _STARTS_NEW.match(text)
        if joining and not table_like and not starts_new:
            out[-1].append(text)
        else:
            out.append([line.rstrip()])
        # A long line that does not end a sentence goes on in the next one (one that
        # starts like a heading, only when the line before it went on too).
        joining = (not table_like and len(text) >= 0.8 * column and not _ENDS_PARAGRAPH.search(text)
                   and (not starts_new or joining))
    return ["".join(parts) for parts in out]


_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{8}")
_FIGURES = re.compile(r"\d\s+\d")


def docx_lines(raw: bytes, path: Path) -> list[str]:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            with z.open("word/document.xml") as handle:
                data = handle.read(PART_LIMIT + 1)  # the size in the header may lie
            if len(data) > PART_LIMIT:
                raise ImportError_(f"{path} 的正文太大（解压后超过 {PART_LIMIT // files.MB} MB），"
                                   "不像是一份年度报告")
    except (KeyError, zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError,
            ValueError) as exc:
        raise ImportError_(f"{path} 不是 Word 文档（.docx），无法读取；WPS 或旧版 Word 的 .doc 文件"
                           "请先「另存为」.docx") from exc
    if _DOCTYPE.search(data):
        raise ImportError_(f"{path} 含有 DOCTYPE 声明，Word 文档不应有，拒绝读取")
    root = _word_body(data, path)
    body = root.find(W + "body")
    if body is None:
        raise ImportError_(f"{path} 没有正文")
    headings = _heading_styles(raw)
    out: list[str] = []

    def walk(parent: etree._Element) -> None:
        for child in parent:
            if child.tag == W + "p":
                lines = _paragraph_lines(child)
                out.extend(_marked(child, lines[0], headings) if len(lines) == 1 else lines)
            elif child.tag == W + "tbl":
                out.extend(_table_lines(child))
            elif child.tag in (W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag"):
                walk(child)  # content controls and tagged blocks, as WPS and Word templates use

    walk(body)
    return out


_DOCTYPE = re.compile(rb"<!doctype", re.I)


def _word_body(data: bytes, path: Path) -> etree._Element:
    """The parsed document part, counted while it is read: refused past
    MAX_ELEMENTS elements or MAX_TEXT characters of text, before the tree of a
    part that unpacks to millions of empty paragraphs is built."""
    events = etree.iterparse(io.BytesIO(data), events=("start", "end"), resolve_entities=False,
                             no_network=True, load_dtd=False, huge_tree=False)
    elements = size = 0
    try:
        for event, element in events:
            if event == "start":
                elements += 1
                if elements > MAX_ELEMENTS:
                    raise ImportError_(f"{path} 的正文元素太多（超过 {MAX_ELEMENTS} 个），不像是一份年度报告，"
                                       "不读取")
            elif element.tag == _TEXT and element.text:
                size += len(element.text)
                _check_text(size, path)
    except etree.XMLSyntaxError as exc:
        raise ImportError_(f"{path} 已损坏（正文不是有效的 XML）") from exc
    return events.root


_TEXT = W + "t"


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


def _paragraph_lines(p: etree._Element) -> list[str]:
    """A body paragraph as one line; the report's title as the lines it is set in,
    since where a title breaks is part of how it is printed."""
    text = _paragraph_text(p)
    if p.find(f".//{W}br") is None or not _TITLE_WORDS.search(_compact(text)):
        return [text]
    lines: list[list[str]] = [[]]
    for node in p.iter(W + "t", W + "br", W + "tab"):
        if node.tag == W + "br":
            lines.append([])
        elif node.tag == W + "tab":
            lines[-1].append(" ")
        else:
            lines[-1].append(node.text or "")
    return [text for text in ("".join(parts) for parts in lines) if text.strip()]


STYLES_LIMIT = 4 * files.MB
_HEADING_NAME = re.compile(r"^heading\s*[2-9]$|^标题\s*[2-9]$", re.I)


def _heading_styles(raw: bytes) -> set[str]:
    """The ids of the paragraph styles of sub-headings: named 「heading 2」…, or with
    an outline level below the first. Nothing when the styles cannot be read."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z, z.open("word/styles.xml") as handle:
            data = handle.read(STYLES_LIMIT + 1)
    except (KeyError, zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError, ValueError):
        return set()
    if len(data) > STYLES_LIMIT or _DOCTYPE.search(data):
        return set()
    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                                                      huge_tree=False))
    except etree.XMLSyntaxError:
        return set()
    out = set()
    for style in root.iter(W + "style"):
        name = style.find(W + "name")
        level = style.find(f"{W}pPr/{W}outlineLvl")
        if (name is not None and _HEADING_NAME.match(name.get(W + "val") or "")) or \
                (level is not None and (level.get(W + "val") or "0").isdigit() and int(level.get(W + "val")) >= 1):
            out.add(style.get(W + "styleId") or "")
    return out


def _bold_run(run: etree._Element) -> bool:
    b = run.find(f"{W}rPr/{W}b")
    return b is not None and b.get(W + "val") not in ("0", "false", "off")


def _kai_run(run: etree._Element) -> bool:
    fonts = run.find(f"{W}rPr/{W}rFonts")
    return fonts is not None and any("楷" in v or "kai" in v.lower() for v in fonts.attrib.values())


def _marked(p: etree._Element, text: str, headings: set[str]) -> list[str]:
    """The paragraph's line, a :class:`Heading` when its print shows a sub-heading:
    its style, or all of its text in bold or 楷体; or a heading run in at its start
    (its first runs in the heading's face, the rest not)."""
    if not text.strip():
        return [text]
    style = p.find(f"{W}pPr/{W}pStyle")
    level = p.find(f"{W}pPr/{W}outlineLvl")
    runs = [r for r in p.iter(W + "r") if any(t.text for t in r.iter(W + "t"))]
    bold = [_bold_run(r) for r in runs]
    face = [b or _kai_run(r) for b, r in zip(bold, runs)]
    styled = (style is not None and style.get(W + "val") in headings) or \
        (level is not None and (level.get(W + "val") or "").isdigit() and int(level.get(W + "val")) >= 1)
    if heading_like(text) and (styled or (runs and all(face))):
        return [Heading(text, bold=bool(runs) and all(bold))]
    k = 0
    while k < len(runs) and face[k]:
        k += 1
    if 0 < k < len(runs):
        lead = "".join(t.text or "" for r in runs[:k] for t in r.iter(W + "t"))
        if text.startswith(lead) and heading_like(lead) and lead.strip()[-1] in "。：:" and text[len(lead):].strip():
            return [Heading(text, lead=len(lead), bold=all(bold[:k]))]
    return [text]


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


def html_lines(text: str, name: Path | str = "网页") -> list[str]:
    """A web page as lines, reduced to the report on it.

    A page saved from a portal carries menus, breadcrumbs, sidebars, share buttons
    and footers around the report. What is never content goes first (navigation,
    page header and footer, hidden elements, form controls); a table that holds
    other tables, or only one cell per row, is page layout and is read as blocks,
    so only the innermost tables are the report's tables. Then ``page_region``
    keeps the report itself: from its title to its signature date or the end of
    its last chapter. A page that shows its report only by a script (the report
    in a hidden element, nothing of its tables outside) is read with the hidden
    elements that hold the tables. A page of more than MAX_ELEMENTS elements is
    refused before its tree is built."""
    declared = _XML_DECLARATION.match(text[:200])
    if declared:
        text = text[declared.end():]  # lxml refuses a str that declares its encoding
    _count_elements(text, name)
    lines = _page_lines(text, hidden=False)
    if not any(_TABLE_WORDS.search(line) for line in lines):
        shown = _page_lines(text, hidden=True)
        if any(_TABLE_WORDS.search(line) for line in shown):
            lines = shown
    return page_region(lines)


class _ElementCounter:
    """A parser target that only counts the elements it is given, and stops the
    parser past MAX_ELEMENTS: no tree is built."""

    def __init__(self, name: Path | str) -> None:
        self.name = name
        self.elements = 0

    def start(self, tag: str, attrib: dict) -> None:
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            raise ImportError_(f"{self.name} 的网页元素太多（超过 {MAX_ELEMENTS} 个），不像是一份年度报告，不读取")

    def close(self) -> int:
        return self.elements


def _count_elements(text: str, name: Path | str) -> None:
    parser = etree.HTMLParser(target=_ElementCounter(name))
    try:
        for at in range(0, len(text), _CHUNK):
            parser.feed(text[at: at + _CHUNK])
        parser.close()
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        pass  # left to the parse that builds the tree


_CHUNK = 1 << 20
_TABLE_WORDS = re.compile(r"第二十条|本年新收")
_TABLE_TEXT = "//text()[contains(., '第二十条') or contains(., '本年新收')]"


def _holders_of_tables(root: etree._Element) -> set:
    """Every element whose text holds the words of the report's tables, found
    once from those words up (asking each element would read its whole subtree)."""
    holders: set = set()
    for piece in root.xpath(_TABLE_TEXT):
        node = piece.getparent()
        if node is not None and piece.is_tail:
            node = node.getparent()  # a tail is the text of the parent
        while node is not None and node not in holders:
            holders.add(node)
            node = node.getparent()
    return holders


def _page_lines(text: str, hidden: bool) -> list[str]:
    """The page's lines, without its chrome (and without hidden elements unless ``hidden``)."""
    try:
        root = lhtml.fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise ImportError_("网页无法解析") from exc
    _drop_chrome(root, hidden)
    out: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            line = _inline_text("".join(buffer))
            buffer.clear()
            if line:
                out.append(line)

    def walk(node: etree._Element) -> None:
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        if tag == "br":
            flush()
            return
        if tag == "table" and _data_table(node):
            flush()
            for tr in node.iter("tr"):
                cells = [" ".join(c.text_content().split()) for c in tr if c.tag in ("td", "th")]
                if any(cells):
                    out.append("\t".join(cells))
            return
        if tag == "pre":
            flush()
            out.extend(line.rstrip() for line in node.text_content().strip("\n").split("\n") if line.strip())
            return
        block = tag in _BLOCKS
        if block:
            flush()
        before = len(out)  # a block that makes one line may print it as a sub-heading
        if tag and node.text:
            buffer.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                buffer.append(child.tail)
        if block:
            flush()
            if len(out) == before + 1:
                out[-1] = _page_heading(node, tag, out[-1])

    body = root.find("body")
    walk(body if body is not None else root)
    flush()
    return out


_HEADING_TAGS = {"h3", "h4", "h5", "h6"}
_BOLD_TAGS = {"strong", "b"}


def _bold_element(node: etree._Element) -> bool:
    tag = node.tag.lower() if isinstance(node.tag, str) else ""
    return tag in _BOLD_TAGS or "bold" in (node.get("class") or "").split() \
        or bool(_BOLD_STYLE.search(node.get("style") or ""))


_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)", re.I)


def _page_heading(node: etree._Element, tag: str, line: str) -> str:
    """A block's line, a :class:`Heading` when the page prints it as a sub-heading:
    an <h3>…<h6>, a paragraph all in one bold element, or a paragraph that starts
    with a bold or 「lead」 element ending in 「。」 or 「：」 (a heading run in)."""
    if tag in _HEADING_TAGS and heading_like(line):
        return Heading(line, bold=_bold_element(node))
    if tag not in ("p", "div") or (node.text or "").strip() or not len(node):
        return line
    first = node[0]
    if not isinstance(first.tag, str) or not (_bold_element(first) or "lead" in (first.get("class") or "").split()):
        return line
    lead = _inline_text(_text_start(first, HEADING_CHARS + 1))
    if len(node) == 1 and not (first.tail or "").strip():
        return Heading(line, bold=_bold_element(first)) if heading_like(line) else line
    if lead and line.startswith(lead) and heading_like(lead) and lead[-1] in "。：:":
        return Heading(line, lead=len(lead), bold=_bold_element(first))
    return line


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]{0,150}\?>")
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "div", "td", "th",
           "tr", "table", "thead", "tbody", "tfoot", "caption", "section", "article", "main", "blockquote",
           "center", "address", "figure", "figcaption", "hr", "form", "fieldset", "header", "footer", "body"}
# Never the report: menus, sidebars, form controls, embedded frames.
_NEVER_CONTENT = {"script", "style", "noscript", "template", "nav", "aside", "select", "button", "input",
                  "textarea", "iframe", "object", "embed", "svg", "map", "head", "title", "meta", "link"}
_CHROME_XPATH = "//*[" + " or ".join([f"self::{tag}" for tag in sorted(_NEVER_CONTENT | {"header", "footer"})]
                                     + ["@hidden", "@aria-hidden", "@style"]) + "]|//comment()|//processing-instruction()"
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_SIGNATURE_DATE = re.compile(r"20\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")


def _drop_chrome(root: etree._Element, hidden: bool = False) -> None:
    """Removes what a browser does not show as the page's content (but for hidden
    elements that hold the report's tables, when ``hidden``). A page header is kept
    when it holds the report's title, a footer when it is only a signed date (an
    article's own header and footer)."""
    holders = _holders_of_tables(root) if hidden else set()
    doomed = []
    for node in root.xpath(_CHROME_XPATH):
        if not isinstance(node.tag, str):
            if node.getparent() is not None:
                doomed.append(node)  # comments and processing instructions; their tail is text
            continue
        tag = node.tag.lower()
        if tag in _NEVER_CONTENT or (
                node.get("hidden") is not None or (node.get("aria-hidden") or "").strip().lower() == "true"
                or _HIDDEN_STYLE.search(node.get("style") or "")) and node not in holders:
            doomed.append(node)
        elif tag == "header":
            if not _TITLE_WORDS.search(_compact(_text_start(node, 2000))):
                doomed.append(node)
        elif tag == "footer":
            words = _compact(_text_start(node, 200))
            if len(words) > 40 or not _SIGNATURE_DATE.search(words):
                doomed.append(node)
    for node in doomed:
        if node.getparent() is not None:
            node.drop_tree()  # keeps the tail text, which belongs to the parent


def _text_start(node: etree._Element, limit: int) -> str:
    """The first ``limit`` characters of an element's text, without building all of it."""
    parts: list[str] = []
    size = 0
    for piece in node.itertext():
        parts.append(piece)
        size += len(piece)
        if size >= limit:
            break
    return "".join(parts)[:limit]


def _data_table(table: etree._Element) -> bool:
    """A table of figures, not page layout: it holds no other table and some row of
    it has two cells or more. Old portals set the whole page in tables."""
    if next(table.iterdescendants("table"), None) is not None:
        return False
    return any(sum(1 for c in tr if c.tag in ("td", "th")) >= 2 for tr in table.iter("tr"))


_CJK_CHAR = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef“”‘’《》]")


def _inline_text(text: str) -> str:
    """A block's text on one line. A line break in the page's source between two
    Chinese characters (a paragraph split over spans on several source lines) is
    no space; any other run of white space is one space."""
    def space(m: re.Match) -> str:
        run = m.group()
        if "\n" in run or "\r" in run:
            before = text[m.start() - 1: m.start()]
            after = text[m.end(): m.end() + 1]
            if before and after and _CJK_CHAR.match(before) and _CJK_CHAR.match(after):
                return ""
        return " "

    if "\n" not in text and "\r" not in text:
        return " ".join(text.split())
    return re.sub(r"\s+", space, text).strip()


# -- The report on a page -----------------------------------------------------------

_PAGE_TITLE = re.compile(r"20\d\d年度?.{0,40}?政府信息公开(?:工作)?年度报告$")
_TITLE_WORDS = re.compile(r"20\d\d年度?.{0,40}?政府信息公开(?:工作)?年度报告")
_CHAPTER_LINE = re.compile(r"^[一二三四五六七八九十]{1,3}[、.,]")
_PROSE = re.compile(r"[。，；！？]|[\u4e00-\u9fff][,;]")
_PAGE_META = re.compile(r"[:：|｜【】\[\]>»]|\d{4}-\d{1,2}-\d{1,2}")
_DATE_LINE = re.compile(r"^20\d\d年\d{1,2}月\d{1,2}日$")


def _compact(line: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", line))


def page_region(lines: list[str]) -> list[str]:
    """The report's own lines on a saved or copied web page: from its title (the
    last title before the tables: menus and sidebars list other years' reports
    above it) to its signature date, or to the end of its last chapter where
    sentences stop. Page details between the title and the first sentence
    (publication time, source, font size) go too. Lines are left as they are
    when the title or the tables cannot be told."""
    # Long lines are sentences: never a title, a heading or a date, and read as they are.
    compact = [_compact(line) if len(line) <= 200 else line for line in lines]
    anchor = next((i for i, t in enumerate(compact) if "第二十条" in t), None)
    if anchor is None:
        anchor = next((i for i, t in enumerate(compact) if "本年新收" in t), None)
    if anchor is None:
        return lines
    filled = [i for i in range(anchor) if compact[i]]
    start = end_of_title = None
    for k, i in enumerate(filled):
        text = compact[i]
        if _PAGE_META.search(text) or _PROSE.search(text) or len(text) > 80:
            continue
        if _PAGE_TITLE.search(text):
            start = end_of_title = i
        elif k + 1 < len(filled) and "年度报告" not in text and _PAGE_TITLE.search(text + compact[filled[k + 1]]) \
                and not _PAGE_META.search(compact[filled[k + 1]]):
            start, end_of_title = i, filled[k + 1]
    if start is None:
        return lines
    k = filled.index(start)
    if k:
        above = compact[filled[k - 1]]
        agency = compact[start].startswith("20")  # a title without the agency's name
        # The agency set on its own line above the title, or a chapter heading printed
        # above it by mistake (seed 004): both belong to the report.
        if _CHAPTER_LINE.match(above) and len(above) <= 40 or agency and len(above) <= 40 \
                and not _PAGE_META.search(above) and not _PROSE.search(above) and "年度报告" not in above:
            start = filled[k - 1]
    kept = lines[start: end_of_title + 1]
    body = end_of_title + 1
    while body < anchor and not _PROSE.search(compact[body]) and not _CHAPTER_LINE.match(compact[body]) \
            and (not compact[body] or _PAGE_META.search(compact[body])):
        body += 1  # 「发布时间：……　来源：……　【字体：大 中 小】」
    return kept + lines[body: _report_end(lines, compact, anchor)]


def _report_end(lines: list[str], compact: list[str], anchor: int) -> int:
    """Past the last line of the report: its signature date, or the last line of
    its last chapter (「其他需要报告的事项」) that is a sentence, a numbered or
    short heading over a sentence, or the signature over the date."""
    chapters = [i for i in range(anchor, len(lines)) if _CHAPTER_LINE.match(compact[i])
                and "其他" in compact[i] and len(compact[i]) <= 40 and "\t" not in lines[i]]
    if not chapters:
        return len(lines)
    last = next((i for i in chapters if "事项" in compact[i]), chapters[0])
    filled = [i for i in range(last + 1, len(lines)) if compact[i]]
    end = last + 1
    for k, i in enumerate(filled):
        text = compact[i]
        if _DATE_LINE.match(text):
            return i + 1
        if "\t" in lines[i]:
            break
        if k == 0 and not _PAGE_META.search(text) or _PROSE.search(text):
            end = i + 1
            continue
        # A sub-title or the signature: short lines with a sentence or the date after them.
        run = 0
        while k + run < len(filled) and run < 3:
            t = compact[filled[k + run]]
            if _PROSE.search(t) or _DATE_LINE.match(t) or len(t) > 40 or _PAGE_META.search(t) \
                    or "\t" in lines[filled[k + run]]:
                break
            run += 1
        following = compact[filled[k + run]] if run and k + run < len(filled) else ""
        if following and (_PROSE.search(following) or _DATE_LINE.match(following)):
            end = i + 1
            continue
        break
    return end


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
    # The measure is where most lines start and full lines end: a title or a web
    # address printed wider than the measure does not move it.
    starts, ends = sorted(line.x0 for line in text_rows), sorted(line.x1 for line in text_rows)
    many = len(text_rows) >= 10
    left = starts[len(starts) // 10] if many else min(starts, default=0)
    right = ends[(len(ends) * 9) // 10 - 1] if many else max(ends, default=0)
    out: list[list[str]] = []  # each line as its parts, joined once (see reflow)
    joining = False
    for line in rows:
        if line.table:
            out.append([line.text])
            joining = False
            continue
        text = _PDF_SPACE.sub("", line.text)
        if _PAGE_NUMBER.fullmatch(text):
            continue  # a paragraph runs on over the page number
        indented = line.x0 > left + 6
        if joining and not indented and out:
            out[-1].append(text)
        else:
            out.append([text])
        # Body paragraphs start indented; a long line that reaches into the right part
        # of the measure goes on in the next one (a web address may end it early).
        joining = (line.x1 > right - 120 and len(text) >= 12) or bool(_UNFINISHED.search(text))
    return ["".join(parts) for parts in out]


_UNFINISHED = re.compile(r"(https?://|[:：/@.-])$")  # a web address or a list of details goes on
_PAGE_NUMBER = re.compile(r"[-—－]\s*\d+\s*[-—－]")


# A space printed between Chinese and Latin text (a gap LibreOffice and WPS set) is layout.
_PDF_SPACE = re.compile(r"(?<=[\u2e80-\u9fff\uff00-\uffef])\s(?=[!-~])|(?<=[!-~])\s(?=[\u2e80-\u9fff\uff00-\uffef])")
