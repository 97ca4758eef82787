"""A PDF's text by where it is printed, not by the order its producer wrote it.

WPS and many PDF editors write every table cell as its own text object, in an
order that follows the top edge of each object: a vertically centred label
comes after its row's figures and a wrapped label is split around them. So
the reader works on positions only:

- characters come from pdfium with their boxes, in display coordinates (crop
  box offset and page rotation applied), outside the crop box ignored;
- ruling lines come from the page's path objects (forms included); the
  cells they enclose are found by pdfplumber's table geometry, and every
  character goes to the cell that holds its centre;
- text outside ruled cells is grouped into printed lines; in a table drawn
  without lines, label fragments left of the figures are attached to the row
  of figures nearest to them;
- a table becomes one line per row with its cells separated by tabs, as the
  Word and web readers give it; a merged cell appears once, in its first row.
"""

from __future__ import annotations

import bisect
import ctypes
import re
from dataclasses import dataclass, field

MAX_PAGES = 300  # an annual report has 4–20 pages; a longer PDF is not one
MAX_CHARS = 400_000  # characters read in all; a report has 10,000–40,000
SNAP = 3.0  # points: ruling lines this close are one line (pdfplumber's default)
MIN_EDGE = 3.0
MAX_EDGES = 20_000  # ruling segments on one page; a report's page has a few hundred
MAX_SEGMENTS = 200_000  # path points looked at on one page, lines or not (curves of a drawing)
MAX_CROSSINGS = 250_000  # horizontal × vertical ruling lines after merging; table 三 has about 30 × 11
MAX_FORM_DEPTH = 8  # forms inside forms; producers use one or two levels


class PdfProblem(Exception):
    """The PDF cannot be read; the message says why, in terms of the document."""


@dataclass
class Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class Line:
    """A printed line (or a table row), with the fragments separated by wide gaps."""

    top: float
    bottom: float
    x0: float
    x1: float
    cells: list[tuple[float, float, str]] = field(default_factory=list)  # (x0, x1, text)
    table: bool = False

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def text(self) -> str:
        return ("\t" if self.table else " ").join(text for _, _, text in self.cells)


# -- Reading the page -------------------------------------------------------------

def _transform(page) -> tuple:  # noqa: ANN001 - a pypdfium2 page
    """A function from PDF user space to display space (top-left origin, y down),
    and the display box (width, height)."""
    left, bottom, right, top = page.get_cropbox()
    turn = page.get_rotation() % 360
    if turn == 90:
        return (lambda x, y: (y - bottom, x - left)), (top - bottom, right - left)
    if turn == 180:
        return (lambda x, y: (right - x, y - bottom)), (right - left, top - bottom)
    if turn == 270:
        return (lambda x, y: (top - y, right - x)), (top - bottom, right - left)
    return (lambda x, y: (x - left, top - y)), (right - left, top - bottom)


def _chars(page, textpage, to_display, box) -> list[Char]:  # noqa: ANN001
    import pypdfium2.raw as pdfium_c

    width, height = box
    out: list[Char] = []
    handle = textpage.raw
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    rect = pdfium_c.FS_RECTF()
    for i in range(pdfium_c.FPDFText_CountChars(handle)):
        code = pdfium_c.FPDFText_GetUnicode(handle, i)
        if code in (0, 0xFFFE, 0xFFFF) or pdfium_c.FPDFText_IsGenerated(handle, i) == 1:
            continue
        text = chr(code)
        if text.isspace():
            continue
        if not pdfium_c.FPDFText_GetLooseCharBox(handle, i, rect):
            pdfium_c.FPDFText_GetCharBox(handle, i, left, right, bottom, top)
            corners = (left.value, bottom.value), (right.value, top.value)
        else:
            corners = (rect.left, rect.bottom), (rect.right, rect.top)
        (ax, ay), (bx, by) = (to_display(*c) for c in corners)
        x0, x1 = min(ax, bx), max(ax, bx)
        # The line a character sits on is its baseline: glyph boxes of quotes, 「一」
        # and punctuation sit high or low and would split or reorder a line.
        pdfium_c.FPDFText_GetCharOrigin(handle, i, left, bottom)
        _, base = to_display(left.value, bottom.value)
        size = pdfium_c.FPDFText_GetFontSize(handle, i)
        if not 2 <= size <= 200:
            size = max(abs(ay - by), 1.0)
        cx, cy = (x0 + x1) / 2, base - 0.38 * size
        if not (0 <= cx <= width and 0 <= cy <= height):
            continue  # outside the crop box: not printed
        out.append(Char(text, x0, x1, base - 0.88 * size, base + 0.12 * size, size))
        if len(out) > MAX_CHARS:
            raise PdfProblem("文字过多，不像是一份年度报告")
    return out


def _edges(page, to_display) -> list[dict]:  # noqa: ANN001
    """Horizontal and vertical ruling segments, in pdfplumber's edge form."""
    import pypdfium2.raw as pdfium_c

    out: list[dict] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    budget = [MAX_SEGMENTS]

    def walk(container, count, get, matrix, depth: int = 0) -> None:  # noqa: ANN001
        for i in range(count(container)):
            if len(out) > MAX_EDGES or budget[0] <= 0:
                return
            budget[0] -= 1
            obj = get(container, i)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            m = pdfium_c.FS_MATRIX()
            pdfium_c.FPDFPageObj_GetMatrix(obj, m)
            own = _compose((m.a, m.b, m.c, m.d, m.e, m.f), matrix)
            if kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < MAX_FORM_DEPTH:
                walk(obj, pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject, own, depth + 1)
            elif kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                points: list[tuple[float, float]] = []
                start = None
                segments = min(pdfium_c.FPDFPath_CountSegments(obj), budget[0])
                budget[0] -= max(segments, 1)
                for k in range(segments):
                    seg = pdfium_c.FPDFPath_GetPathSegment(obj, k)
                    pdfium_c.FPDFPathSegment_GetPoint(seg, x, y)
                    point = _apply(own, x.value, y.value)
                    kind_seg = pdfium_c.FPDFPathSegment_GetType(seg)
                    if kind_seg == pdfium_c.FPDF_SEGMENT_MOVETO:
                        start = point
                    elif kind_seg == pdfium_c.FPDF_SEGMENT_LINETO and points:
                        _segment(points[-1], point, to_display, out)
                    points.append(point)
                    if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None:
                        _segment(point, start, to_display, out)

    # Path points are in the object's own space; its matrix maps them to the page.
    walk(page.raw, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject, (1, 0, 0, 1, 0, 0))
    return out


def _compose(inner: tuple, outer: tuple) -> tuple:
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(m: tuple, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def _segment(p: tuple[float, float], q: tuple[float, float], to_display, out: list[dict]) -> None:  # noqa: ANN001
    (x0, y0), (x1, y1) = to_display(*p), to_display(*q)
    if abs(y0 - y1) < 1 and abs(x0 - x1) >= MIN_EDGE:
        left, right = sorted((x0, x1))
        out.append({"x0": left, "x1": right, "top": y0, "bottom": y0, "width": right - left, "height": 0,
                    "orientation": "h", "object_type": "line"})
    elif abs(x0 - x1) < 1 and abs(y0 - y1) >= MIN_EDGE:
        top, bottom = sorted((y0, y1))
        out.append({"x0": x0, "x1": x0, "top": top, "bottom": bottom, "width": 0, "height": bottom - top,
                    "orientation": "v", "object_type": "line"})


def _tables(edges: list[dict]) -> list[list[tuple[float, float, float, float]]]:
    """Cells (x0, top, x1, bottom) of each ruled table, by pdfplumber's geometry."""
    from pdfplumber import table as geometry

    if len(edges) < 4 or len(edges) > MAX_EDGES:
        return []  # a page drawn with this many strokes is a picture, not a table: read its text as lines
    merged = geometry.merge_edges(edges, SNAP, SNAP, SNAP, SNAP)
    merged = [e for e in merged if (e["x1"] - e["x0"] if e["orientation"] == "h" else e["bottom"] - e["top"])
              >= MIN_EDGE]
    horizontal = sum(e["orientation"] == "h" for e in merged)
    if horizontal * (len(merged) - horizontal) > MAX_CROSSINGS:
        return []  # crossings are tried pair by pair: a grid this dense is a drawing, not a report's table
    points = geometry.edges_to_intersections(merged, SNAP, SNAP)
    cells = geometry.intersections_to_cells(points)
    # A frame around the page or a single box is not a table.
    return [t for t in geometry.cells_to_tables(cells) if len(t) >= 4]


# -- Cells and lines ----------------------------------------------------------------

def _text_of(chars: list[Char]) -> str:
    """Characters of one cell or line region as text: printed lines top to bottom,
    each left to right; a space only where a visible gap separates two Latin words."""
    out: list[str] = []
    for row in _rows(chars):
        previous = None
        for ch in row:
            if previous is not None and ch.x0 - previous.x1 > 0.35 * max(ch.size, 1) \
                    and previous.text.isascii() and ch.text.isascii():
                out.append(" ")
            out.append(ch.text)
            previous = ch
    return "".join(out)


def _rows(chars: list[Char]) -> list[list[Char]]:
    """Characters grouped into printed lines by their baselines."""
    rows: list[list[Char]] = []
    for ch in sorted(chars, key=lambda c: (c.bottom, c.x0)):
        if rows and ch.bottom - rows[-1][-1].bottom <= 0.3 * max(ch.size, rows[-1][-1].size) \
                and ch.bottom - rows[-1][0].bottom <= 0.5 * ch.size:
            rows[-1].append(ch)
        else:
            rows.append([ch])
    return [sorted(row, key=lambda c: c.x0) for row in rows]


def _table_lines(cells: list[tuple[float, float, float, float]], chars: list[Char]) -> tuple[list[Line], list[Char]]:
    """The rows of one ruled table, and the characters outside it."""
    x0 = min(c[0] for c in cells)
    top = min(c[1] for c in cells)
    x1 = max(c[2] for c in cells)
    bottom = max(c[3] for c in cells)
    xs = sorted({round(v, 1) for c in cells for v in (c[0], c[2])})
    ys = sorted({round(v, 1) for c in cells for v in (c[1], c[3])})
    owner: dict[tuple[int, int], int] = {}
    for k, (cx0, ctop, cx1, cbottom) in enumerate(cells):
        for i in range(bisect.bisect_left(xs, round(cx0, 1)), bisect.bisect_left(xs, round(cx1, 1))):
            for j in range(bisect.bisect_left(ys, round(ctop, 1)), bisect.bisect_left(ys, round(cbottom, 1))):
                owner[(i, j)] = k
    inside: list[list[Char]] = [[] for _ in cells]
    outside: list[Char] = []
    for ch in chars:
        cx, cy = ch.cx, ch.cy
        if not (x0 <= cx <= x1 and top <= cy <= bottom):
            outside.append(ch)
            continue
        k = owner.get((bisect.bisect_right(xs, cx) - 1, bisect.bisect_right(ys, cy) - 1))
        if k is None:
            outside.append(ch)
        else:
            inside[k].append(ch)
    rows: dict[float, list[int]] = {}
    for k, cell in enumerate(cells):
        rows.setdefault(round(cell[1], 1), []).append(k)
    lines = []
    for row_top in sorted(rows):
        members = sorted(rows[row_top], key=lambda k: cells[k][0])
        row_bottom = min(cells[k][3] for k in members)
        lines.append(Line(row_top, row_bottom, cells[members[0]][0], cells[members[-1]][2],
                          [(cells[k][0], cells[k][2], _text_of(inside[k])) for k in members], table=True))
    # A ruled frame with nothing in it (a box around a signature, a blank table) says nothing.
    if not any(text for line in lines for _, _, text in line.cells):
        return [], outside
    return lines, outside


def _free_lines(chars: list[Char]) -> list[Line]:
    """Printed lines of the text outside ruled tables; fragments split at wide gaps."""
    lines = []
    for row in _rows(chars):
        size = max(c.size for c in row) or 1
        fragments: list[list[Char]] = [[row[0]]]
        for ch in row[1:]:
            if ch.x0 - fragments[-1][-1].x1 > 1.5 * size:
                fragments.append([ch])
            else:
                fragments[-1].append(ch)
        cells = [(f[0].x0, f[-1].x1, _text_of(f)) for f in fragments]
        lines.append(Line(min(c.top for c in row), max(c.bottom for c in row), row[0].x0, row[-1].x1, cells))
    return lines


_FIGURE = re.compile(r"[增减]?-?\d{1,12}(?:\.\d{1,6})?(?:万?元)?[①-⑳㉑-㉟㊱-㊿]?")


def _is_figure(text: str) -> bool:
    return len(text) <= 24 and _FIGURE.fullmatch(text) is not None


def _unruled_tables(lines: list[Line]) -> list[Line]:
    """Rows of tables drawn without ruling lines.

    A printed line with two or more figures separated by wide gaps is a table row.
    Label fragments printed left of the figures, above or below them (a wrapped or
    vertically centred label), belong to the row of figures nearest to them, when
    no further away than half the distance to the next row."""
    figure_rows = [i for i, line in enumerate(lines)
                   if sum(_is_figure(text) for _, _, text in line.cells) >= 2]
    if not figure_rows:
        return lines
    taken: set[int] = set()
    extra: dict[int, list[Line]] = {}
    for n, i in enumerate(figure_rows):
        row = lines[i]
        first_figure = min(x0 for x0, _, text in row.cells if _is_figure(text))
        above = lines[figure_rows[n - 1]].cy if n and figure_rows[n - 1] >= i - 12 else None
        below = lines[figure_rows[n + 1]].cy if n + 1 < len(figure_rows) and figure_rows[n + 1] <= i + 12 else None
        pitch = min(d for d in ((row.cy - above) if above else None, (below - row.cy) if below else None,
                                6 * (row.bottom - row.top)) if d)
        for j in range(max(0, i - 6), min(len(lines), i + 7)):
            if j == i or j in taken or j in figure_rows:
                continue
            other = lines[j]
            if other.x1 > first_figure + 1:
                continue  # text over the figure columns is a header, not a label
            distance = abs(other.cy - row.cy)
            nearest = True
            if above is not None and abs(other.cy - above) < distance:
                nearest = False
            if below is not None and abs(other.cy - below) < distance:
                nearest = False
            if nearest and distance <= max(pitch * 0.75, row.bottom - row.top):
                taken.add(j)
                extra.setdefault(i, []).append(other)
    out = []
    for i, line in enumerate(lines):
        if i in taken:
            continue
        if i in extra:
            labels = sorted([line, *extra[i]], key=lambda ln: ln.top)
            # Label pieces by column, top to bottom within each, then the figures.
            label_cells = sorted((c for ln in labels for c in ln.cells if not _is_figure(c[2])
                                  and c[1] <= min(x0 for x0, _, t in line.cells if _is_figure(t)) + 1),
                                 key=lambda c: round(c[0] / 12))
            columns: list[list[tuple[float, float, str]]] = []
            for cell in label_cells:
                if columns and abs(columns[-1][0][0] - cell[0]) < 12:
                    columns[-1].append(cell)
                else:
                    columns.append([cell])
            fragments = [(col[0][0], max(c[1] for c in col), "".join(c[2] for c in col)) for col in columns]
            fragments += [c for c in line.cells if c not in label_cells]
            out.append(Line(labels[0].top, labels[-1].bottom, line.x0, line.x1, fragments, table=True))
        elif i in figure_rows:
            out.append(Line(line.top, line.bottom, line.x0, line.x1, line.cells, table=True))
        else:
            out.append(line)
    return out


# -- The document -------------------------------------------------------------------

@dataclass
class PageText:
    lines: list[Line]
    width: float


def read_pages(raw: bytes) -> list[PageText]:
    """Every page's lines in reading order (top to bottom; a table where it stands)."""
    try:
        import pypdfium2 as pdfium
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise PdfProblem("缺少读取 PDF 的组件 pypdfium2，请重新安装 mkreport") from exc
    try:
        document = pdfium.PdfDocument(raw)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise PdfProblem("PDF 设置了打开密码，无法读取；请找到未加密的版本") from exc
        raise PdfProblem("文件已损坏或不是 PDF，无法读取") from exc
    try:
        if len(document) > MAX_PAGES:
            raise PdfProblem(f"有 {len(document)} 页，年度报告不会超过 {MAX_PAGES} 页，不读取")
        pages = []
        total = 0
        for index in range(len(document)):
            page = document[index]
            to_display, box = _transform(page)
            textpage = page.get_textpage()
            chars = _chars(page, textpage, to_display, box)
            total += len(chars)
            if total > MAX_CHARS:
                raise PdfProblem("文字过多，不像是一份年度报告")
            lines: list[Line] = []
            if chars:
                rest = chars
                for cells in _tables(_edges(page, to_display)):
                    table_lines, rest = _table_lines(cells, rest)
                    lines += table_lines
                lines += _unruled_tables(_free_lines(rest))
            lines.sort(key=lambda ln: (ln.top, ln.x0))
            pages.append(PageText(lines, box[0]))
            textpage.close()
            page.close()
        return pages
    finally:
        document.close()
