"""Table rows whose figures ran together: 「一、本年新收政府信息公开申请数量15130000154」.

Text copied or archived from some portals loses the separators between a row's
cells, so seven figures read as one string of digits. The split comes from the
table's own arithmetic (spec §7): in table 三 the six applicant columns add up
to 总计 in every row, and per column 一 + 二 = （七）总计 + 四 and （七）总计 =
the sum of the result rows; in table 四 each 总计 is the sum of its four. Table
二 has no sums: only a run that can be cut in one way (「000」, 「1003」) is cut.

A split is used only when exactly one fits, and it is said; otherwise the row is
refused with the digits seen and why. The search is bounded by work, never by
luck: a run longer than eight digits a figure is refused outright, a figure is
at most eight digits, a total is not chosen but computed and compared, and a
row that would take more than ``WORK`` steps is refused.
"""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.formats import Format, Node
    from generator.importing.recognize import Recognized, Segment

MAX_FIGURE = 8  # digits of one figure cut from a run
WORK = 100_000  # search steps for one row
KEEP = 12  # splits collected before a row counts as having too many
COMBINATIONS = 10_000  # joint choices tried against table 三's column identities

_PIECE = re.compile(r"([增减-]?)(\d+)(\D*)")


class RunError(ValueError):
    """A run of digits that cannot be split; the message says why (in Chinese)."""


def split(pieces: list[str], width: int, totals: dict[int, tuple[int, ...]] | None = None) -> list[list[str]]:
    """Every way (at most ``KEEP``) to cut the printed ``pieces`` (separated where the
    print separated them) into ``width`` figures, in order, each piece giving one
    figure or more. No figure but 0 starts with 0; column ``t`` of ``totals`` must
    equal the sum of the columns it names. A sign stays on the first figure cut
    from its piece, a fraction or unit on the last. Raises RunError when the
    pieces are too long to be figures or the search would take too long."""
    totals = totals or {}
    parsed = []
    for piece in pieces:
        m = _PIECE.fullmatch(re.sub(r"\s+", "", piece))
        if m is None:
            raise RunError(f"「{piece}」不是数字")
        parsed.append(m.groups())
    digits = sum(len(d) for _, d, _ in parsed)
    if digits > width * MAX_FIGURE:
        raise RunError(f"共 {digits} 位数字，{width} 个数每个最多 {MAX_FIGURE} 位也用不完，不是连在一起的一行数字")
    if digits < width or len(parsed) > width:
        return []
    group_of = {col: total for total, cols in totals.items() for col in cols}
    after = [sum(len(d) for _, d, _ in parsed[k + 1:]) for k in range(len(parsed))]
    values = [0] * width
    texts = [""] * width
    found: list[list[str]] = []
    steps = 0

    def step() -> None:
        nonlocal steps
        steps += 1
        if steps > WORK:
            raise RunError(f"可能的拆法太多（超过 {WORK} 步仍未排查完）")

    def go(col: int, k: int, pos: int) -> bool:
        """Cuts column ``col`` from piece ``k`` at ``pos`` on; True when enough are found."""
        step()
        if col == width:
            if k == len(parsed):
                found.append(texts[:])
            return len(found) >= KEEP
        if k == len(parsed):
            return False
        sign, run, tail = parsed[k]
        left = len(run) - pos + after[k]
        columns = width - col
        # Every column takes a digit at least and a figure at most; every piece a column at least.
        if left < columns or left > columns * (MAX_FIGURE + 1) or columns < len(parsed) - k:
            return False
        total = group_of.get(col)
        if total == width - 1 and k == len(parsed) - 1 and group_of.get(col - 1) != total:
            return last_group(col, run, pos, sign, tail)
        if col in totals:
            figure = str(sum(values[i] for i in totals[col]))
            lengths: range | list[int] = [len(figure)] if run.startswith(figure, pos) else []
        elif run[pos] == "0":
            lengths = [1]
        else:
            lengths = range(1, min(MAX_FIGURE, len(run) - pos) + 1)
        for length in lengths:
            end = pos + length
            values[col] = int(run[pos:end])
            texts[col] = (sign if pos == 0 else "") + run[pos:end] + (tail if end == len(run) else "")
            if end == len(run):
                if go(col + 1, k + 1, 0):
                    return True
            elif go(col + 1, k, end):
                return True
        return False

    def last_group(col: int, run: str, pos: int, sign: str, tail: str) -> bool:
        """The row's last group, all in its last piece: the total is the piece's end,
        so each length of it gives a target the other figures must add up to."""
        count = width - 1 - col
        rest = run[pos:]
        for size in range(1, min(MAX_FIGURE + 1, len(rest) - count) + 1):
            figure = rest[len(rest) - size:]
            if size > 1 and figure[0] == "0":
                continue
            for parts in _adding_up(rest[: len(rest) - size], count, int(figure), step):
                texts[col: width - 1] = parts
                texts[col] = (sign if pos == 0 else "") + texts[col]
                texts[width - 1] = figure + tail
                found.append(texts[:])
                if len(found) >= KEEP:
                    return True
        return False

    go(0, 0, 0)
    return found


def _adding_up(text: str, count: int, target: int, step) -> list[list[str]]:  # noqa: ANN001
    """Every cut of ``text`` into ``count`` figures that add up to ``target``."""
    out: list[list[str]] = []

    def fill(i: int, count: int, target: int, acc: list[str]) -> None:
        step()
        n = len(text) - i
        if count == 1:
            figure = text[i:]
            if figure and len(figure) <= MAX_FIGURE and (len(figure) == 1 or figure[0] != "0") \
                    and int(figure) == target:
                out.append([*acc, figure])
            return
        if n < count or n > count * MAX_FIGURE or not _lowest(count, n) <= target <= _highest(count, n):
            return
        longest = 1 if text[i] == "0" else min(MAX_FIGURE, n - count + 1, len(str(target)))
        for length in range(1, longest + 1):
            value = int(text[i: i + length])
            if value > target:
                break
            fill(i + length, count - 1, target - value, [*acc, text[i: i + length]])
            if len(out) >= KEEP:
                return

    fill(0, count, target, [])
    return out


def _highest(count: int, digits: int) -> int:
    """The most ``count`` figures written with ``digits`` digits can add up to."""
    extra, total = digits - count, 0
    for _ in range(count):
        more = min(MAX_FIGURE - 1, extra)
        extra -= more
        total += 10 ** (1 + more) - 1
    return total


def _lowest(count: int, digits: int) -> int:
    """The least they can add up to: a figure of l ≥ 2 digits is at least 10^(l-1)."""
    short, longer = divmod(digits, count)
    sizes = [short + 1] * longer + [short] * (count - longer)
    return sum(10 ** (size - 1) for size in sizes if size >= 2)


def totals_of(leaves: list[Node]) -> dict[int, tuple[int, ...]]:
    """Each total column and the columns before it that it adds up (since the last total)."""
    out: dict[int, tuple[int, ...]] = {}
    start = 0
    for i, leaf in enumerate(leaves):
        if leaf.total:
            out[i] = tuple(range(start, i))
            start = i + 1
    return out


def _ran_together(values: list[str], width: int) -> bool:
    """Fewer figures than columns, but digits enough for all of them."""
    return 0 < len(values) < width and sum(len(v) for v in values) >= width \
        and all(re.fullmatch(r"\d+", v) for v in values)


def _seen(values: list[str]) -> str:
    return " ".join(values)


def _ways(cands: list[list[str]]) -> str:
    count = f"至少 {KEEP}" if len(cands) >= KEEP else str(len(cands))
    examples = "或".join(f"「{' '.join(c)}」" for c in cands[:2])
    return f"有 {count} 种拆法都符合合计（如{examples}）"


# -- Table 三 ---------------------------------------------------------------------------

def requests(fmt: Format, segs: list[Segment], out: Recognized) -> list[Segment]:
    """Table 三's segments with every run-together row split, or NotAReport."""
    from generator.importing.recognize import NotAReport, Segment, _find, to_int

    columns = [leaf for _, leaf in fmt.applicants.leaves()]
    width = len(columns)
    if not any(_ran_together(seg.values, width) for seg in segs):
        return segs
    totals = totals_of(columns)
    located: list[tuple[Node, int]] = []
    position = 0
    for _, leaf in fmt.request_rows.leaves():
        i, _score = _find(segs, position, leaf.label, 1)
        if i >= 0:
            located.append((leaf, i))
            position = i + 1
    fixed: dict[int, list[int] | None] = {}
    choices: dict[int, list[list[str]]] = {}
    for leaf, i in located:
        values = segs[i].values
        if _ran_together(values, width):
            try:
                cands = split(values, width, totals)
            except RunError as exc:
                raise NotAReport(f"表三「{leaf.label}」一行只读到 {len(values)} 个数（{_seen(values)}），应有 {width} 个；"
                                 f"若是数字连在一起，也无法拆分：{exc}") from exc
            if not cands and len(values) == 1:
                raise NotAReport(f"表三「{leaf.label}」一行的数字连在一起（{_seen(values)}），没有一种拆法能使"
                                 f"前 {width - 1} 列之和等于总计，无法拆分；请核对原报告后按各列分开填写")
            if not cands:
                raise NotAReport(f"表三「{leaf.label}」一行只读到 {len(values)} 个数（{_seen(values)}），应有 {width} 个；"
                                 f"若有数字连在一起，也没有一种拆法能使前 {width - 1} 列之和等于总计；"
                                 "若有空着的格，请在原报告中填 0 后再读取")
            choices[i] = cands
        elif len(values) >= width and all(re.fullmatch(r"\d+", v) for v in values[:width]):
            fixed[i] = [to_int(v) for v in values[:width]]
        elif values and all(re.fullmatch(r"0+", v) for v in values):
            fixed[i] = [0] * width  # an all-zero row printed as a single 0
        else:
            fixed[i] = None
    how = {i: "按各列之和" for i, cands in choices.items() if len(cands) == 1}
    chosen = {i: cands[0] for i, cands in choices.items() if len(cands) == 1}
    open_rows = [i for i, cands in choices.items() if len(cands) > 1]
    if open_rows:
        fits, why = _balanced_choices(fmt, located, fixed, chosen, choices, open_rows, width)
        if len(fits) == 1:
            for i, cand in zip(open_rows, fits[0]):
                chosen[i] = cand
                how[i] = "按各列之和及各列的勾稽关系（一＋二＝（七）总计＋四，（七）总计＝各项之和）"
        else:
            i = open_rows[0]
            leaf = next(leaf for leaf, j in located if j == i)
            raise NotAReport(f"表三「{leaf.label}」一行的数字连在一起（{_seen(segs[i].values)}），"
                             f"{_ways(choices[i])}{why}；请核对原报告后按各列分开填写")
    segs = list(segs)
    for leaf, i in located:
        if i in chosen:
            out.notices.append(f"表三「{leaf.label}」一行的数字连在一起（{_seen(segs[i].values)}），"
                               f"{how[i]}拆分为 {' '.join(chosen[i])}")
            segs[i] = Segment(segs[i].label, chosen[i], [""] * width)
    return segs


def _balanced_choices(fmt: Format, located: list[tuple[Node, int]], fixed: dict[int, list[int] | None],
                      chosen: dict[int, list[str]], choices: dict[int, list[list[str]]], open_rows: list[int],
                      width: int) -> tuple[list[tuple[list[str], ...]], str]:
    """The joint choices (at most two) for the rows still open that make every
    column balance, and why there is not exactly one."""
    leaves = [leaf for _, leaf in fmt.request_rows.leaves()]
    unread = "，表中其他行没有全部读出，无法用各列的勾稽关系确定"
    if len(located) != len(leaves):
        return [], unread
    known = {i: [int(v) for v in c] for i, c in chosen.items()}
    for i, figures in fixed.items():
        if figures is None:
            return [], unread
        known[i] = figures
    count = 1
    for i in open_rows:
        count *= len(choices[i])
    if count > COMBINATIONS or any(len(choices[i]) >= KEEP for i in open_rows):
        return [], f"，与其他连在一起的行合起来超过 {COMBINATIONS} 种组合，不再逐一核对"
    group = {leaf.key for _, leaf in fmt.result_group().leaves()}
    role = {}
    results = []
    for leaf, i in located:
        if leaf.total:
            role["total"] = i
        elif leaf.role in ("received", "carried_in", "carried_out"):
            role[leaf.role] = i
        elif leaf.key in group:
            results.append(i)
    if set(role) != {"total", "received", "carried_in", "carried_out"}:
        return [], unread
    fits = []
    for combo in itertools.product(*(choices[i] for i in open_rows)):
        rows = dict(known)
        rows.update({i: [int(v) for v in c] for i, c in zip(open_rows, combo)})
        if all(rows[role["received"]][c] + rows[role["carried_in"]][c]
               == rows[role["total"]][c] + rows[role["carried_out"]][c]
               and rows[role["total"]][c] == sum(rows[i][c] for i in results) for c in range(width)):
            fits.append(combo)
            if len(fits) > 1:
                return fits, "，按各列的勾稽关系也有不止一种组合成立"
    return fits, "，其中没有一种能使各列的勾稽关系成立"


# -- Table 四 ---------------------------------------------------------------------------

def appeals(fmt: Format, values: list[str], marks: list[str], out: Recognized) -> tuple[list[str], list[str]]:
    """Table 四's figures with a run-together row split (a note mark stays on the
    figure it followed), or NotAReport."""
    from generator.importing.recognize import NotAReport

    leaves = [leaf for _, leaf in fmt.appeals.leaves()]
    width = len(leaves)
    if not _ran_together(values, width):
        return values, marks
    try:
        cands = split(values, width, totals_of(leaves))
    except RunError as exc:
        raise NotAReport(f"表四只读到 {len(values)} 个数（{_seen(values)}），应有 {width} 个；"
                         f"若是数字连在一起，也无法拆分：{exc}") from exc
    if len(cands) != 1:
        why = _ways(cands) if cands else "没有一种拆法能使每组的总计等于结果维持、结果纠正、其他结果、尚未审结之和"
        raise NotAReport(f"表四的数字连在一起（{_seen(values)}），{why}，无法拆分；请核对原报告后按各列分开填写")
    figures = cands[0]
    # The mark printed after a piece belongs to the last figure cut from it.
    split_marks = []
    rest = iter(figures)
    for value, mark in zip(values, marks):
        taken = 0
        while taken < len(value):
            figure = next(rest)
            taken += len(figure)
            split_marks.append(mark if taken >= len(value) else "")
    out.notices.append(f"表四的数字连在一起（{_seen(values)}），按每组总计等于前四项之和拆分为 {' '.join(figures)}")
    return figures, split_marks


# -- Table 二 ---------------------------------------------------------------------------

def proactive(fmt: Format, segs: list[Segment], lines: list[str], out: Recognized) -> list[Segment]:
    """Table 二's segments with run-together rows split where only one split is
    possible. Table 二 has no sums, so this is done only for a table that ran
    together as a whole (no cell separators, and every row of several columns
    printed as one run); a short row in a table with separators is blank cells."""
    from generator.importing.recognize import NotAReport, Segment, _find

    if any("\t" in line for line in lines):
        return segs
    located: list[tuple[str, int, int]] = []
    position = 0
    for block in fmt.blocks:
        for row in block.rows:
            label = block.row_label(row)
            i, _score = _find(segs, position, label, 1)
            if i < 0:
                return segs
            located.append((label, len(block.columns), i))
            position = i + 1
    wide = [(label, width, i) for label, width, i in located if width > 1]
    if not wide or not all(0 < len(segs[i].values) < width and sum(map(_digits, segs[i].values)) >= width
                           for _, width, i in wide):
        return segs
    segs = list(segs)
    for label, width, i in wide:
        seen = _seen(segs[i].values)
        try:
            cands = split(segs[i].values, width)
        except RunError as exc:
            raise NotAReport(f"表二「{label}」一行的数字连在一起（{seen}），无法拆分：{exc}") from exc
        if len(cands) != 1:
            why = f"有 {len(cands) if len(cands) < KEEP else f'至少 {KEEP}'} 种拆法" if cands else "没有合适的拆法"
            raise NotAReport(f"表二「{label}」一行的数字连在一起（{seen}），应为 {width} 个数，{why}，"
                             "表二没有合计可以核对，无法确定；请核对原报告后按各列分开填写")
        out.notices.append(f"表二「{label}」一行的数字连在一起（{seen}），只有一种拆法：{' '.join(cands[0])}")
        segs[i] = Segment(segs[i].label, cands[0], [""] * width)
    return segs


def _digits(value: str) -> int:
    m = _PIECE.fullmatch(re.sub(r"\s+", "", value))
    return len(m.group(2)) if m else 0
