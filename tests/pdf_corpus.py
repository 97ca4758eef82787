"""Hostile test PDFs: a published report drawn the way WPS prints it.

``draw_report(source_yaml, out_pdf, style=...)`` draws the report of an input
file of ``examples/`` with reportlab: the title, every paragraph and heading
that mkreport itself would print (``compose``), and the three official tables
from ``generator.rendering.layout``'s grids, every cell's text exactly as the
grid gives it. The drawing is made so that a reader cannot lean on text order:

- every table cell's text is its own text object (BT … ET), and the cells and
  ruling lines of each table are written to the content stream in a shuffled
  order (seeded ``random.Random``);
- labels are wrapped to their cell's width (the label columns are narrow, so
  「（二）部分公开（区分处理的，…）」 and 「1.申请人无正当理由逾期不补正、…」
  take two to four lines) and centred vertically in their (merged) cell;
  row labels of table 三 are left-aligned, everything else is centred;
- ruling lines are drawn cell by cell, one short segment per cell edge (edges
  shared by two cells are drawn twice, as WPS does);
- body paragraphs wrap at the right margin (justified with character spacing),
  first line indented by two characters; the title breaks after the agency.

Styles (``STYLES``):

``ruled``     as above;
``unruled``   the same without any ruling line;
``split``     table 三 breaks over two pages in the middle of the result rows
              (inside 「（三）不予公开」), its header rows repeated on the second
              page; merged label cells cut by the break carry their text in the
              first fragment only, as Word and WPS print them;
``cropped``   every page's MediaBox (700×950) is larger than its CropBox, the
              content offset by (50, 60), and junk text (a print stamp, stray
              figures beside the table rows) lies outside the CropBox;
``rotated``   pages stored landscape (MediaBox 841.89×595.28) with ``/Rotate 90``,
              the content drawn turned by 90° so that the page shows upright as
              a normal portrait A4 page;
``scanned``   an image-only PDF: the ``ruled`` pages rendered by ``pdftoppm`` and
              placed as images; no text layer at all.

Font: reportlab's built-in ``STSong-Light`` (a non-embedded Adobe-GB1 CID font,
encoding UniGB-UCS2-H). Writing it needs no font file. pdfminer.six and
pypdfium2 map it back to Unicode with their own built-in CMaps; ``pdftotext``
needs the Debian package ``poppler-data`` (a Recommends of libpoppler, so
install it explicitly under ``--no-install-recommends``). Rendering (the
``scanned`` style, ``render_png``) uses ``pdftoppm`` from ``poppler-utils`` and
any CJK font fontconfig can substitute, e.g. ``fonts-wqy-zenhei`` or
``fonts-noto-cjk``. ``font="ttf"`` embeds ``wqy-zenhei.ttc`` instead (Debian
package ``fonts-wqy-zenhei``), as a subset with a ToUnicode map.
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas

from generator.checks.validate import check_file
from generator.rendering import compose as C
from generator.rendering.layout import LABEL, NUM, Grid, GridCell

STYLES = ("ruled", "unruled", "split", "cropped", "rotated", "scanned")
TEXT_STYLES = STYLES[:-1]

WQY_ZENHEI = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")  # Debian: fonts-wqy-zenhei

# A4 in points and the GB/T 9704 text block: 156 × 225 mm, 37 mm from the top, 28 mm from the left.
MM = 72 / 25.4
PAGE_W, PAGE_H = 595.28, 841.89
LEFT = 28 * MM
TEXT_W = 156 * MM
TOP = PAGE_H - 37 * MM
BOTTOM = TOP - 225 * MM
BODY, LEADING = 16.0, 225 * MM / 22  # 三号, 22 lines a page
TITLE_SIZE = 22.0  # 二号

# The cropped style: the page as printed sits at this offset inside a larger MediaBox.
MEDIA_CROPPED = (700.0, 950.0)
CROP_OFFSET = (50.0, 60.0)

# Closing punctuation never starts a line: it hangs at the end of the line before.
NO_START = set("，。、；：？！）》」』”’%．,.;:!?)]】〕")
NO_END = set("（《「『“‘([【〔")


def register_font(kind: str = "cid") -> str:
    """Register the CJK font and return its name: ``cid`` (STSong-Light) or ``ttf``."""
    if kind == "cid":
        name = "STSong-Light"
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(name))
        return name
    if kind == "ttf":
        name = "WenQuanYiZenHei"
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(WQY_ZENHEI), subfontIndex=0))
        return name
    raise ValueError(f"unknown font kind {kind!r}")


# -- Wrapping ------------------------------------------------------------------------------------

_TOKEN = re.compile(r"[!-~]+|.", re.S)  # a run of ASCII (a number, a web address) never breaks


def wrap(text: str, width: float, font: str, size: float, first_indent: float = 0) -> list[str]:
    """Greedy line breaking as a word processor does it: CJK characters break
    anywhere, ASCII runs stay whole, closing punctuation hangs, an opening bracket
    moves to the next line; a last line of a single character takes one from the
    line before (no widowed character)."""
    lines: list[str] = []
    line = ""
    avail = width - first_indent
    for token in _TOKEN.findall(text):
        if line and pdfmetrics.stringWidth(line + token, font, size) > avail and token[0] not in NO_START:
            carry = ""
            while len(line) > 1 and line[-1] in NO_END:  # an opening bracket goes to the next line
                line, carry = line[:-1], line[-1] + carry
            lines.append(line)
            line, avail = carry + token, width
        else:
            line += token
    lines.append(line)
    if len(lines) > 1 and len(lines[-1]) == 1 and len(lines[-2]) > 2 and lines[-1] not in NO_START:
        lines[-2], lines[-1] = lines[-2][:-1], lines[-2][-1] + lines[-1]
    return lines


# -- Table geometry ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableStyle:
    size: float
    leading: float
    pad_x: float = 3.0
    pad_y: float = 3.0
    min_row: float = 16.0


TABLE_STYLES = {
    "proactive": TableStyle(size=10.5, leading=13.0, min_row=20.0),
    "requests": TableStyle(size=9.0, leading=11.0, pad_y=2.5, min_row=15.0),
    "appeals": TableStyle(size=9.0, leading=11.0, min_row=18.0),
}


def column_widths(grid: Grid) -> list[float]:
    """Narrow label columns, so that long labels wrap over several lines."""
    if grid.name == "proactive":
        label = 90.0
        return [label] + [(TEXT_W - label) / (grid.cols - 1)] * (grid.cols - 1)
    if grid.name == "requests":
        label_cols = min(c.col for c in grid.cells if c.kind == NUM)
        group, leaf = [32.0] * (label_cols - 1), 120.0
        rest = TEXT_W - sum(group) - leaf
        numbers = grid.cols - label_cols
        return group + [leaf] + [rest / numbers] * numbers
    return [TEXT_W / grid.cols] * grid.cols


@dataclass
class Placed:
    """A grid cell with its wrapped lines."""

    cell: GridCell
    lines: list[str]
    left_aligned: bool


def place(grid: Grid, widths: list[float], font: str, ts: TableStyle) -> tuple[list[Placed], list[float]]:
    """Wrap every cell and size the rows: a row is as tall as its tallest
    one-row cell; a merged cell that needs more shares the extra among its rows."""
    placed = []
    heights = [ts.min_row] * grid.rows
    for cell in grid.cells:
        w = sum(widths[cell.col:cell.col + cell.colspan]) - 2 * ts.pad_x
        lines = [cell.text] if cell.kind == NUM else wrap(cell.text, w, font, ts.size)
        placed.append(Placed(cell, lines, cell.kind == LABEL and cell.left))
        if cell.rowspan == 1:
            heights[cell.row] = max(heights[cell.row], len(lines) * ts.leading + 2 * ts.pad_y)
    for p in placed:
        c = p.cell
        need = len(p.lines) * ts.leading + 2 * ts.pad_y
        have = sum(heights[c.row:c.row + c.rowspan])
        if c.rowspan > 1 and have < need:
            for r in range(c.row, c.row + c.rowspan):
                heights[r] += (need - have) / c.rowspan
    return placed, heights


# -- The painter: pages, coordinates, flow -------------------------------------------------------


class Painter:
    """Draws in portrait A4 coordinates whatever the style stores underneath."""

    def __init__(self, out: Path, style: str, font: str, seed: int) -> None:
        self.style, self.font = style, font
        self.rng = random.Random(seed)
        self.c = rl_canvas.Canvas(str(out), pagesize=(PAGE_W, PAGE_H), pageCompression=1, invariant=1)
        self.page = 0
        self.y = TOP
        self.table_pages: dict[str, int] = {}
        self.row_marks: list[float] = []  # y of table rows on this page (junk figures go beside them)
        self._start_page()

    # pages
    def _start_page(self) -> None:
        self.page += 1
        c = self.c
        if self.style == "cropped":
            mw, mh = MEDIA_CROPPED
            ox, oy = CROP_OFFSET
            c.setPageSize((mw, mh))
            c.setCropBox((ox, oy, ox + PAGE_W, oy + PAGE_H))
            c.saveState()
            c.translate(ox, oy)
        elif self.style == "rotated":
            # reportlab stores a page rotated by 90 with the MediaBox swapped: 841.89 × 595.28.
            # Shown turned 90° clockwise, user point (x, y) appears at (y, PAGE_H − x) of the
            # portrait page; so portrait (u, v) is drawn at x = PAGE_H − v, y = u.
            c.setPageSize((PAGE_W, PAGE_H))
            c.setPageRotation(90)
            c.saveState()
            c.transform(0, 1, -1, 0, PAGE_H, 0)
        else:
            c.saveState()
        self.y = TOP
        self.row_marks = []

    def _finish_page(self) -> None:
        c = self.c
        # 「— 1 —」: odd pages at the right, even pages at the left, 7 mm below the text block.
        number = f"— {self.page} —"
        c.setFont(self.font, 14)
        w = pdfmetrics.stringWidth(number, self.font, 14)
        x = LEFT + TEXT_W - w - 14 if self.page % 2 else LEFT + 14
        c.drawString(x, BOTTOM - 7 * MM - 14, number)
        c.restoreState()
        if self.style == "cropped":
            self._junk()
        c.showPage()

    def _junk(self) -> None:
        """Text outside the CropBox (in MediaBox coordinates): a reader must ignore it."""
        c = self.c
        ox, oy = CROP_OFFSET
        mw, mh = MEDIA_CROPPED
        c.setFont(self.font, 10)
        c.drawString(ox + 10, oy + PAGE_H + 20, f"WPS Office 打印预览　草稿　内部资料　第{self.page}页")
        c.drawString(ox + 10, oy - 30, "一、本年新收政府信息公开申请数量　999　999　999")
        for i, y in enumerate(self.row_marks[::3]):
            c.drawString(6, oy + y - 3, str(900 + i))
            c.drawString(ox + PAGE_W + 8, oy + y - 3, "88")

    def new_page(self) -> None:
        self._finish_page()
        self._start_page()

    def finish(self) -> None:
        self._finish_page()
        self.c.save()

    def room(self) -> float:
        return self.y - BOTTOM

    # text
    def text_line(self, x: float, y: float, text: str, size: float, char_space: float = 0) -> None:
        t = self.c.beginText(x, y)
        t.setFont(self.font, size)
        if char_space:
            t.setCharSpace(char_space)
        t.textOut(text)
        if char_space:
            t.setCharSpace(0)  # Tc is graphics state: it outlives ET
        self.c.drawText(t)

    def paragraph(self, text: str, size: float = BODY, leading: float = LEADING, indent: float = 2,
                  justify: bool = True) -> None:
        """A body paragraph: first line indented ``indent`` characters, wrapped at the
        right margin, every line but the last justified with character spacing."""
        lines = wrap(text, TEXT_W, self.font, size, first_indent=indent * size)
        for i, line in enumerate(lines):
            if self.room() < leading:
                self.new_page()
            self.y -= leading
            x = LEFT + (indent * size if i == 0 else 0)
            space = 0.0
            if justify and i < len(lines) - 1 and len(line) > 1:
                space = (LEFT + TEXT_W - x - pdfmetrics.stringWidth(line, self.font, size)) / (len(line) - 1)
            self.text_line(x, self.y + (leading - size) / 2 + 0.12 * size, line, size, space)

    def title(self, title: str, agency: str) -> None:
        """Centred, 二号; a title too long for one line breaks after the agency."""
        lines = [title]
        if pdfmetrics.stringWidth(title, self.font, TITLE_SIZE) > TEXT_W and title.startswith(agency):
            lines = [agency, title[len(agency):]]
        for line in lines:
            self.y -= 1.4 * TITLE_SIZE
            w = pdfmetrics.stringWidth(line, self.font, TITLE_SIZE)
            self.text_line(LEFT + (TEXT_W - w) / 2, self.y, line, TITLE_SIZE)
        self.y -= LEADING / 2

    def closing(self, lines: list[str]) -> None:
        if self.room() < LEADING * (len(lines) + 1):
            self.new_page()
        self.y -= LEADING
        for line in lines:
            self.y -= LEADING
            w = pdfmetrics.stringWidth(line, self.font, BODY)
            self.text_line(LEFT + TEXT_W - w - 4 * BODY, self.y + 8, line, BODY)

    # tables
    def table(self, grid: Grid, split_after: int | None = None) -> None:
        """Draw a grid, page by page. A page may end between rows of table 三 (its
        header rows repeat), between blocks of table 二, never inside table 四.
        ``split_after``: end the page after this row, whatever room is left."""
        ts = TABLE_STYLES[grid.name]
        widths = column_widths(grid)
        placed, heights = place(grid, widths, self.font, ts)
        head = grid.header_rows if grid.name == "requests" else 0
        groups = row_groups(grid)
        if self.y < TOP and sum(heights[r] for r in groups[0]) > self.room():
            self.new_page()
        pages: list[list[int]] = [[]]
        room = self.room()
        for group in groups:
            need = sum(heights[r] for r in group)
            forced = split_after is not None and pages[-1] and pages[-1][-1] == split_after
            if pages[-1] and (need > room or forced):
                pages.append(list(range(head)))
                room = (TOP - BOTTOM) - sum(heights[:head])
            pages[-1] += group
            room -= need
        self.table_pages[grid.name] = len(pages)
        for i, rows in enumerate(pages):
            if i:
                self.new_page()
            self._segment(grid, placed, heights, widths, rows, ts)

    def lead(self, grid: Grid) -> float:
        """The height of the rows a table cannot start without."""
        _, heights = place(grid, column_widths(grid), self.font, TABLE_STYLES[grid.name])
        return sum(heights[r] for r in row_groups(grid)[0]) + 4

    def lines_of(self, text: str, size: float = BODY, indent: float = 2) -> int:
        return len(wrap(text, TEXT_W, self.font, size, first_indent=indent * size))

    def _segment(self, grid: Grid, placed: list[Placed], heights: list[float], widths: list[float],
                 rows: list[int], ts: TableStyle) -> None:
        """One page's part of a table; cells and lines go out in a shuffled order."""
        tops: dict[int, float] = {}
        y = self.y
        for r in rows:
            tops[r] = y
            y -= heights[r]
            self.row_marks.append(y + heights[r] / 2)
        if y < BOTTOM - 0.5:
            raise AssertionError(f"table {grid.name} runs {BOTTOM - y:.0f} pt below the text block")
        bottom_of = {r: tops[r] - heights[r] for r in rows}
        xs = [LEFT]
        for w in widths:
            xs.append(xs[-1] + w)
        ops = []
        for p in placed:
            c = p.cell
            shown = [r for r in range(c.row, c.row + c.rowspan) if r in tops]
            if not shown:
                continue
            top, bottom = tops[shown[0]], bottom_of[shown[-1]]
            x0, x1 = xs[c.col], xs[c.col + c.colspan]
            if self.style != "unruled":
                for seg in ((x0, top, x1, top), (x0, bottom, x1, bottom), (x0, top, x0, bottom),
                            (x1, top, x1, bottom)):
                    ops.append(("line", seg))
            if c.row in tops:  # a cell cut by the page break: its text in the first part only
                ops.append(("text", (p, x0, x1, top, bottom)))
        self.rng.shuffle(ops)
        self.c.setLineWidth(0.5)
        for kind, args in ops:
            if kind == "line":
                self.c.line(*args)
            else:
                self._cell_text(*args, ts)
        self.y = y

    def _cell_text(self, p: Placed, x0: float, x1: float, top: float, bottom: float, ts: TableStyle) -> None:
        """The cell's lines as one text object, centred vertically (and horizontally
        unless it is a left-aligned row label)."""
        block = len(p.lines) * ts.leading
        first = top - (top - bottom - block) / 2 - (ts.leading + 0.76 * ts.size) / 2
        t = self.c.beginText()
        t.setFont(self.font, ts.size)
        for i, line in enumerate(p.lines):
            w = pdfmetrics.stringWidth(line, self.font, ts.size)
            x = x0 + ts.pad_x if p.left_aligned else (x0 + x1 - w) / 2
            t.setTextOrigin(x, first - i * ts.leading)
            t.textOut(line)
        self.c.drawText(t)


def row_groups(grid: Grid) -> list[list[int]]:
    """Rows that stay on one page together: table 三 breaks between any two rows
    after the header and the first row, table 二 between its blocks, table 四 not at all."""
    if grid.name == "requests":
        head = grid.header_rows
        return [list(range(head + 1))] + [[r] for r in range(head + 1, grid.rows)]
    if grid.name == "proactive":
        ends = sorted(grid.breaks) + [grid.rows - 1]
        starts = [0] + [e + 1 for e in ends[:-1]]
        return [list(range(s, e + 1)) for s, e in zip(starts, ends)]
    return [list(range(grid.rows))]


# -- The report ----------------------------------------------------------------------------------


def _report(source: Path, format_file: Path | None):
    checked = check_file(source, format_file) if format_file else check_file(source)
    if checked.report is None:
        raise ValueError(f"{source}: {[str(p) for p in checked.errors]}")
    return checked.report


def split_row(grid: Grid) -> int:
    """The row of table 三 after which the ``split`` style breaks the page: the
    fourth reason of 「（三）不予公开」, so that both 「三、本年度办理结果」 and
    「（三）不予公开」 are cut in two."""
    group = next(c for c in grid.cells if c.kind != NUM and c.text.endswith("不予公开") and c.rowspan > 1)
    return group.row + min(3, group.rowspan - 2)


def draw_report(source: Path | str, out_pdf: Path | str, *, style: str = "ruled", seed: int = 2024,
                font: str = "cid", format_file: Path | str | None = None) -> Path:
    """Draw the report of the input file ``source`` as a PDF in ``style`` (one of
    ``STYLES``); returns ``out_pdf``. ``format_file``: the variant, when the
    input names one by a path that does not resolve from its folder."""
    source, out_pdf = Path(source), Path(out_pdf)
    if style not in STYLES:
        raise ValueError(f"style must be one of {STYLES}")
    if style == "scanned":
        return _scanned(source, out_pdf, seed=seed, font=font, format_file=format_file)
    report = _report(source, Path(format_file) if format_file else None)
    painter = Painter(out_pdf, style, register_font(font), seed)
    blocks = C.compose(report)
    for at, block in enumerate(blocks):
        if block.kind == C.TITLE:
            painter.title(block.text, report.agency)
        elif block.kind in (C.H1, C.H2):
            after = blocks[at + 1] if at + 1 < len(blocks) else None
            # As many published PDFs do, table 三 starts a page here (and is split
            # only where the style says): the pages stay as the corpus describes them.
            if after is not None and after.grid is not None and after.grid.name == "requests" and painter.y < TOP:
                painter.new_page()
            # A heading keeps with what follows: the first rows of a table, or two lines.
            then = painter.lead(after.grid) if after is not None and after.grid is not None else 2 * LEADING
            if painter.y < TOP and painter.room() < painter.lines_of(block.text) * LEADING + then:
                painter.new_page()
            painter.paragraph(block.text, justify=False)
        elif block.kind == C.PARA:
            painter.paragraph(block.text)
        elif block.kind == C.NOTE:
            painter.paragraph(block.text, size=12, leading=18, indent=0)
        elif block.kind == C.TABLE:
            assert block.grid is not None
            split = split_row(block.grid) if style == "split" and block.grid.name == "requests" else None
            painter.y -= 4
            painter.table(block.grid, split)
            painter.y -= 8
        elif block.kind == C.CLOSING:
            painter.closing(block.lines)
    painter.finish()
    want = 2 if style == "split" else 1
    if painter.table_pages.get("requests") != want:
        raise AssertionError(f"table 三 took {painter.table_pages.get('requests')} pages in style {style}")
    return out_pdf


def _scanned(source: Path, out_pdf: Path, *, seed: int, font: str, format_file) -> Path:
    """The ruled report rendered to grey images, one per page; no text layer."""
    with tempfile.TemporaryDirectory() as tmp:
        ruled = draw_report(source, Path(tmp) / "ruled.pdf", style="ruled", seed=seed, font=font,
                            format_file=format_file)
        subprocess.run([_pdftoppm(), "-gray", "-r", "100", "-png", str(ruled), str(Path(tmp) / "page")],
                       check=True, capture_output=True)
        images = sorted(Path(tmp).glob("page-*.png"), key=lambda p: int(p.stem.split("-")[-1]))
        c = rl_canvas.Canvas(str(out_pdf), pagesize=(PAGE_W, PAGE_H), invariant=1)
        for image in images:
            c.drawImage(str(image), 0, 0, PAGE_W, PAGE_H)
            c.showPage()
        c.save()
    return out_pdf


def _pdftoppm() -> str:
    tool = shutil.which("pdftoppm")
    if tool is None:
        raise RuntimeError("pdftoppm not found: install poppler-utils")
    return tool


def render_png(pdf: Path | str, page: int = 1, out_png: Path | str | None = None, dpi: int = 40,
               cropbox: bool = True) -> Path:
    """Render one page (1-based) of ``pdf`` to a PNG with pdftoppm, for looking at.
    ``cropbox``: show what a viewer shows (pdftoppm renders the whole MediaBox,
    junk included, unless told ``-cropbox``)."""
    pdf = Path(pdf)
    out = Path(out_png) if out_png else pdf.with_name(f"{pdf.stem}-p{page}.png")
    subprocess.run([_pdftoppm(), "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile",
                    *(["-cropbox"] if cropbox else []), str(pdf), str(out.with_suffix(""))],
                   check=True, capture_output=True)
    return out


if __name__ == "__main__":  # python tests/pdf_corpus.py examples/x.yaml out/ [--format-file f]
    import argparse

    parser = argparse.ArgumentParser(description="Draw an example in every style, with PNGs of each page.")
    parser.add_argument("source")
    parser.add_argument("out")
    parser.add_argument("--format-file")
    parser.add_argument("--dpi", type=int, default=40)
    args = parser.parse_args()
    folder = Path(args.out)
    folder.mkdir(parents=True, exist_ok=True)
    for s in STYLES:
        pdf = draw_report(args.source, folder / f"{Path(args.source).stem}-{s}.pdf", style=s,
                          format_file=args.format_file)
        import pypdfium2

        for n in range(1, len(pypdfium2.PdfDocument(str(pdf))) + 1):
            render_png(pdf, n, dpi=args.dpi)
        print(pdf)
