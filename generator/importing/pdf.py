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

The work is bounded by what is counted (pages before any is loaded, characters,
page objects and path points, forms inside forms). What pdfium does inside
loading one page cannot be counted beforehand: a content stream of a few
hundred kilobytes can unpack to gigabytes, or draw a form that draws forms. So,
where the system allows, the PDF is read in a separate process with limits on
its memory and processor time, and going past one is a refusal like the others.
"""

from __future__ import annotations

import bisect
import ctypes
import json
import os
import re
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

MAX_PAGES = 300  # an annual report has 4–20 pages; a longer PDF is not one
MAX_CHARS = 400_000  # characters read in all; a report has 10,000–40,000
MAX_CHARS_SEEN = 1_000_000  # characters pdfium gives on all pages, spaces and hidden ones too
MAX_DRAWN = 1_000_000  # page objects and path points on all pages, forms each time they are drawn
SNAP = 3.0  # points: ruling lines this close are one line (pdfplumber's default)
MIN_EDGE = 3.0
MAX_EDGES = 20_000  # ruling segments on one page; a report's page has a few hundred
MAX_SEGMENTS = 200_000  # path points looked at on one page, lines or not (curves of a drawing)
# Horizontal × vertical ruling lines after merging, on a page and on all pages: the
# cells are found point by point against every later point (square work).
# Table 三 has about 30 × 11.
MAX_CROSSINGS = 5_000
MAX_CROSSINGS_TOTAL = 10_000
MAX_FORM_DEPTH = 8  # forms inside forms; producers use one or two levels
MB = 1024 * 1024
MEMORY_LIMIT = 320 * MB  # address space of the process that reads the PDF (a report takes under 100 MB)
CPU_LIMIT = 60  # seconds of processor time for it (a report takes a few)


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


def _chars(page, textpage, to_display, box, budget: _Budget) -> list[Char]:  # noqa: ANN001
    import pypdfium2.raw as pdfium_c

    width, height = box
    out: list[Char] = []
    handle = textpage.raw
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    rect = pdfium_c.FS_RECTF()
    count = pdfium_c.FPDFText_CountChars(handle)
    budget.charge_chars(count)
    for i in range(count):
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
            raise PdfProblem(_TOO_MANY_CHARS)
    return out


class _Budget:
    """What may still be looked at in the whole document."""

    def __init__(self) -> None:
        self.drawn = MAX_DRAWN
        self.chars = MAX_CHARS_SEEN
        self.crossings = MAX_CROSSINGS_TOTAL

    def charge(self, count: int) -> None:
        self.drawn -= count
        if self.drawn < 0:
            raise PdfProblem(f"页面上的图形太多（超过 {MAX_DRAWN} 个对象和线段），不像是一份年度报告，不读取")

    def charge_chars(self, count: int) -> None:
        self.chars -= count
        if self.chars < 0:
            raise PdfProblem(f"页面上的字符太多（含空格和不显示的字符，超过 {MAX_CHARS_SEEN} 个），"
                             "不像是一份年度报告，不读取")

    def charge_crossings(self, count: int) -> None:
        self.crossings -= count
        if self.crossings < 0:
            raise PdfProblem(f"表格线太多（各页横线数乘竖线数合计超过 {MAX_CROSSINGS_TOTAL}），"
                             "不像是一份年度报告，不读取")


def _edges(page, to_display, budget: _Budget) -> list[dict]:  # noqa: ANN001
    """Horizontal and vertical ruling segments, in pdfplumber's edge form. Every
    object and path point of the page is charged to ``budget``, those of a form
    each time it is drawn, also past what is looked at for lines."""
    import pypdfium2.raw as pdfium_c

    out: list[dict] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    local = [MAX_SEGMENTS]  # what is looked at for lines on this page

    def walk(container, count, get, matrix, depth: int = 0) -> None:  # noqa: ANN001
        for i in range(count(container)):
            budget.charge(1)
            obj = get(container, i)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            looking = len(out) <= MAX_EDGES and local[0] > 0
            if looking:
                local[0] -= 1
            if kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < MAX_FORM_DEPTH:
                own = _compose(_matrix(obj), matrix) if looking else matrix
                walk(obj, pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject, own, depth + 1)
            elif kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                segments = pdfium_c.FPDFPath_CountSegments(obj)
                budget.charge(max(segments, 0))
                if not looking:
                    continue
                own = _compose(_matrix(obj), matrix)
                points: list[tuple[float, float]] = []
                start = None
                segments = min(segments, local[0])
                local[0] -= max(segments, 1)
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


def _matrix(obj) -> tuple:  # noqa: ANN001 - a pdfium page object
    import pypdfium2.raw as pdfium_c

    m = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFPageObj_GetMatrix(obj, m)
    return m.a, m.b, m.c, m.d, m.e, m.f


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


def _tables(edges: list[dict], budget: _Budget) -> list[list[tuple[float, float, float, float]]]:
    """Cells (x0, top, x1, bottom) of each ruled table, by pdfplumber's geometry."""
    from pdfplumber import table as geometry

    if len(edges) < 4 or len(edges) > MAX_EDGES:
        return []  # a page drawn with this many strokes is a picture, not a table: read its text as lines
    merged = geometry.merge_edges(edges, SNAP, SNAP, SNAP, SNAP)
    merged = [e for e in merged if (e["x1"] - e["x0"] if e["orientation"] == "h" else e["bottom"] - e["top"])
              >= MIN_EDGE]
    horizontal = sum(e["orientation"] == "h" for e in merged)
    crossings = horizontal * (len(merged) - horizontal)
    if crossings > MAX_CROSSINGS:
        return []  # crossings are tried pair by pair: a grid this dense is a drawing, not a report's table
    budget.charge_crossings(crossings)
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
    is_figure_row = set(figure_rows)
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
            if j == i or j in taken or j in is_figure_row:
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
            figures_from = min(x0 for x0, _, t in line.cells if _is_figure(t))
            label_cells = sorted((c for ln in labels for c in ln.cells if not _is_figure(c[2])
                                  and c[1] <= figures_from + 1), key=lambda c: round(c[0] / 12))
            columns: list[list[tuple[float, float, str]]] = []
            for cell in label_cells:
                if columns and abs(columns[-1][0][0] - cell[0]) < 12:
                    columns[-1].append(cell)
                else:
                    columns.append([cell])
            fragments = [(col[0][0], max(c[1] for c in col), "".join(c[2] for c in col)) for col in columns]
            taken_cells = set(label_cells)
            fragments += [c for c in line.cells if c not in taken_cells]
            out.append(Line(labels[0].top, labels[-1].bottom, line.x0, line.x1, fragments, table=True))
        elif i in is_figure_row:
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
    """Every page's lines in reading order (top to bottom; a table where it stands),
    read in a process of its own with MEMORY_LIMIT and CPU_LIMIT where the system
    can set them (Linux, macOS); elsewhere in this one."""
    try:
        import resource  # noqa: F401 - POSIX only
    except ImportError:
        return _read_pages(raw)
    if getattr(sys, "frozen", False) or not sys.executable:
        return _read_pages(raw)
    if sys.platform.startswith("linux") and hasattr(os, "fork"):
        return _read_forked(raw)
    root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])))
    try:
        done = subprocess.run([sys.executable, "-c", "from generator.importing.pdf import _child; _child()"],
                              input=raw, capture_output=True, env=env, timeout=5 * CPU_LIMIT)
    except subprocess.TimeoutExpired as exc:
        raise PdfProblem(f"读取用时超过 {5 * CPU_LIMIT} 秒，不像是一份年度报告，不读取") from exc
    return _answer(done.returncode, done.stdout, done.stderr)


def _read_forked(raw: bytes) -> list[PageText]:
    """On Linux: a copy of this process (its modules already loaded, so no start-up
    cost) reads the PDF under the limits, counted on top of what it already uses."""
    import selectors
    import time

    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the reading process
        try:
            os.close(read_end)
            data = _pages_answer(raw, already=_address_space())
            with os.fdopen(write_end, "wb") as out:
                out.write(data)
        finally:
            os._exit(0)
    os.close(write_end)
    chunks: list[bytes] = []
    deadline = time.monotonic() + 5 * CPU_LIMIT
    try:
        with selectors.DefaultSelector() as selector:
            selector.register(read_end, selectors.EVENT_READ)
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not selector.select(left):
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                    raise PdfProblem(f"读取用时超过 {5 * CPU_LIMIT} 秒，不像是一份年度报告，不读取")
                chunk = os.read(read_end, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
    except BaseException:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        raise
    finally:
        os.close(read_end)
    _, status = os.waitpid(pid, 0)
    return _answer(os.waitstatus_to_exitcode(status), b"".join(chunks), b"")


def _address_space() -> int:
    """Bytes of address space this process uses now (Linux)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _answer(code: int, stdout: bytes, stderr: bytes) -> list[PageText]:
    """The pages the reading process gave, or the refusal it stands for."""
    try:
        answer = json.loads(stdout) if code == 0 else {}
    except ValueError:
        answer = {}
    if "pages" in answer:
        return [PageText([Line(*line[:4], [tuple(cell) for cell in line[5]], line[4]) for line in page["lines"]],
                         page["width"]) for page in answer["pages"]]
    if "problem" in answer:
        raise PdfProblem(answer["problem"])
    if "memory" in answer or code == -signal.SIGABRT or b"MemoryError" in stderr:
        raise PdfProblem(f"读取所需的内存超过 {MEMORY_LIMIT // MB} MB 的上限（页面内容解压后过大），"
                         "不像是一份年度报告，不读取")
    if code == -getattr(signal, "SIGXCPU", 24):
        raise PdfProblem(f"读取用的处理器时间超过 {CPU_LIMIT} 秒的上限，不像是一份年度报告，不读取")
    if code == -signal.SIGKILL:
        raise PdfProblem(f"读取时超过了内存（{MEMORY_LIMIT // MB} MB）或处理器时间（{CPU_LIMIT} 秒）的上限，"
                         "不像是一份年度报告，不读取")
    if code < 0:
        raise PdfProblem(f"读取时出错中止（信号 {-code}），文件可能已损坏")
    raise RuntimeError(f"PDF 读取进程出错（{code}）：{stderr.decode(errors='replace')[-2000:]}")


def _child() -> None:
    """The reading process: the PDF on standard input, its pages (or why not) as
    JSON on standard output."""
    raw = sys.stdin.buffer.read()
    sys.stdout.buffer.write(_pages_answer(raw))


def _pages_answer(raw: bytes, already: int = 0) -> bytes:
    """In the reading process: the limits set (memory on top of ``already``), then
    the pages, or why not, as JSON."""
    import resource

    _limit(resource.RLIMIT_CORE, 0)
    _limit(resource.RLIMIT_AS, already + MEMORY_LIMIT)
    _limit(resource.RLIMIT_CPU, CPU_LIMIT, CPU_LIMIT + 5)
    try:
        answer: dict = {"pages": [{"width": page.width, "lines": [
            [line.top, line.bottom, line.x0, line.x1, line.table, line.cells] for line in page.lines]}
            for page in _read_pages(raw)]}
    except PdfProblem as exc:
        answer = {"problem": str(exc)}
    except MemoryError:
        answer = {"memory": True}
    return json.dumps(answer).encode("ascii")


def _limit(kind: int, soft: int, hard: int | None = None) -> None:
    import resource

    try:
        _, allowed = resource.getrlimit(kind)
        if allowed != resource.RLIM_INFINITY:
            soft = min(soft, allowed)
            hard = min(hard if hard is not None else soft, allowed)
        resource.setrlimit(kind, (soft, hard if hard is not None else soft))
    except (ValueError, OSError):
        pass  # a system that does not allow it reads without the limit


def _read_pages(raw: bytes) -> list[PageText]:
    """Every page's lines, read in this process."""
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
        # The page count is the document's own: no page is loaded before it is checked.
        if len(document) > MAX_PAGES:
            raise PdfProblem(f"有 {len(document)} 页，年度报告不会超过 {MAX_PAGES} 页，不读取")
        budget = _Budget()
        pages = []
        total = 0
        for index in range(len(document)):
            page = document[index]
            to_display, box = _transform(page)
            edges = _edges(page, to_display, budget)  # every object counted before the text is laid out
            textpage = page.get_textpage()
            chars = _chars(page, textpage, to_display, box, budget)
            total += len(chars)
            if total > MAX_CHARS:
                raise PdfProblem(_TOO_MANY_CHARS)
            lines: list[Line] = []
            if chars:
                rest = chars
                for cells in _tables(edges, budget):
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


_TOO_MANY_CHARS = f"文字太多（超过 {MAX_CHARS} 个字），不像是一份年度报告，不读取"
