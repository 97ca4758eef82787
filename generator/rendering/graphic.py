"""报告图解: the one-page illustrated companion, drawn from the checked model.

Figures come from the model (the same numbers the tables print); this module
only places them. The picture is an SVG written by ``templates/graphic.svg.j2``
(text stays text: searchable and accessible); the PNG is rendered from that SVG
by resvg, a self-contained renderer with wheels for Windows, macOS and Linux.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import jinja2

from generator.errors import MkreportError
from generator.model import Report
from generator.rendering.compose import requests_summary, templates_dir
from generator.rendering.layout import number_text

WIDTH = 750
THEMES = {
    # name: (band, accent, light background, text on band)
    "red": ("#B3261E", "#D4A017", "#FBF3EE", "#FFF6D6"),
    "blue": ("#1F4E8C", "#2E86DE", "#EEF4FB", "#FFFFFF"),
}
INSTALL_HINT = ("生成图解 PNG 需要 resvg-py：在 mkreport 目录运行 pip install -e '.[graphic]'"
                "（或 pip install resvg-py）；也可以先生成 .svg")


@dataclass
class Bar:
    label: str
    value: int
    width: float  # 0..1 of the longest bar


@dataclass
class Card:
    label: str
    value: str
    unit: str = ""
    change: str = ""  # against last year, when given
    sub: str = ""  # a second, smaller label line


@dataclass
class Graphic:
    title: str
    agency: str
    year: int
    theme: tuple[str, str, str, str]
    proactive: list[Card]
    requests: list[Card]
    outcomes: list[Bar]
    applicants: list[Bar]
    appeals: list[Card]
    highlights: list[list[str]]  # each highlight as its lines
    footer: str
    no_requests: str = ""  # said instead of two empty charts
    rows: dict[str, int] = field(default_factory=dict)  # vertical positions of the parts
    height: int = 0


def _bars(pairs: list[tuple[str, int]]) -> list[Bar]:
    top = max((v for _, v in pairs), default=0) or 1
    return [Bar(label, value, value / top) for label, value in pairs]


def _change(now: int | Decimal, before: int | Decimal | None) -> str:
    if before is None:
        return ""
    diff = now - before
    return "与上年持平" if diff == 0 else f"较上年{'增加' if diff > 0 else '减少'}{number_text(abs(diff))}"


def _wrap(text: str, width: float) -> list[str]:
    """A highlight as lines of at most ``width`` characters (Latin counts half)."""
    lines, line, used = [], "", 0.0
    for ch in text:
        w = 0.5 if ord(ch) < 0x2E80 else 1
        if used + w > width and line:
            lines.append(line)
            line, used = "", 0.0
        line += ch
        used += w
    if line:
        lines.append(line)
    if len(lines) > 1 and len(lines[-1]) <= 2:  # no character (or 「。」) alone on the last line
        lines[-2], lines[-1] = lines[-2][:-2], lines[-2][-2:] + lines[-1]
    if len(lines) > 3:
        lines = lines[:3]
        lines[-1] = lines[-1][:-1] + "…"
    return lines


_RESULT = {"结果维持": "维持", "结果纠正": "纠正", "其他结果": "其他", "尚未审结": "未审结"}


def _short(label: str) -> str:
    """「（二）部分公开（区分处理的……）」 → 「部分公开」."""
    return re.sub(r"^（[一二三四五六七八九十]+）|^\([一二三四五六七八九十]+\)", "", label).split("（")[0]


def _first_sentence(paragraphs: list[str]) -> str:
    if not paragraphs:
        return ""
    m = re.match(r"^(.+?[。；！？])", paragraphs[0])
    return (m.group(1) if m else paragraphs[0]).rstrip("；")


def _proactive(report: Report, last: Report | None) -> list[Card]:
    cards = []
    for (row, column), cell in report.proactive.items():
        block = next(b for b in report.fmt.blocks if row in b.rows)
        node = next(c for c in block.columns if c.key == column)
        if node.type == "signed" or column in ("本年废止件数", "上一年项目数量", "本年新公开数量"):
            continue
        before = last.proactive.get((row, column)).value if last and (row, column) in last.proactive else None
        if isinstance(cell.value, str):
            value, unit = cell.value, ""
        else:
            value, unit = number_text(cell.value, node.type), "万元" if node.type == "amount" else ""
        change = _change(cell.value, before) if isinstance(cell.value, (int, Decimal)) and \
            isinstance(before, (int, Decimal)) else ""
        cards.append(Card(block.row_label(row), value, unit, change, node.label.split("（")[0]))
    return cards


def build(report: Report, theme: str = "red", last: Report | None = None) -> Graphic:
    """What the picture shows, read from the model."""
    fmt = report.fmt
    s = requests_summary(report)
    before = requests_summary(last) if last is not None else None
    requests = [
        Card("本年新收申请", str(s.received), "件", _change(s.received, before.received if before else None)),
        Card("上年结转", str(s.carried_in), "件"),
        Card("办理完毕", str(s.handled), "件", _change(s.handled, before.handled if before else None)),
        Card("结转下年度", str(s.carried_out), "件"),
    ]
    group = fmt.result_group()
    outcomes = _bars([(_short(c.label), report.request_figure(c.key)) for c in group.children if not c.total])
    received = fmt.row_with_role("received")[0]
    assert report.requests is not None
    applicants = _bars([(leaf.label, report.requests.get(received, leaf.key))
                        for _, leaf in fmt.applicants.leaves() if not leaf.total])
    appeals = []
    for role, name in (("reviews", "行政复议"), ("lawsuits", "行政诉讼")):
        group_node = fmt.appeals_group(role)
        results: dict[str, int] = {}
        for path, leaf in group_node.leaves():
            if not leaf.total:
                results[leaf.label] = results.get(leaf.label, 0) + int(report.appeals[(group_node.key, *path)].value)
        detail = "  ".join(f"{_RESULT.get(k, k)} {v}" for k, v in results.items() if v) or "本年度未发生"
        appeals.append(Card(name, str(report.appeals_total(role)), "件", detail))
    texts = [_first_sentence(report.overview.get(a.key, [])) for a in fmt.overview_aspects]
    texts += [_first_sentence(p.paragraphs) for p in report.own.get("overview", [])]
    if not any(texts):  # no aspects written: the opening paragraphs of 一 instead
        texts = [_first_sentence([p]) for p in report.overview.get("概述", [])]
    highlights = [_wrap(t, 27) for t in texts if t][:4]
    date = f"{report.date.year}年{report.date.month}月{report.date.day}日" if report.date else ""
    g = Graphic(
        title=f"{report.year}年政府信息公开工作年度报告图解", agency=report.agency, year=report.year,
        theme=THEMES[theme], proactive=_proactive(report, last), requests=requests, outcomes=outcomes,
        applicants=applicants, appeals=appeals, highlights=highlights,
        footer=" ".join(x for x in (report.agency, date) if x),
    )
    if s.received + s.carried_in == 0:
        g.outcomes, g.applicants = [], []
        g.no_requests = "本年度未收到政府信息公开申请，也没有上年结转的申请"
    _place(g)
    return g


def _place(g: Graphic) -> None:
    """Vertical positions of the parts: each takes the room its content needs."""
    y = 0
    g.rows["band"] = y
    y += 190
    g.rows["proactive"] = y
    y += 70 + 110 * ((len(g.proactive) + 2) // 3)
    g.rows["requests"] = y
    y += 70 + 120 + (40 if g.no_requests else 0)
    g.rows["outcomes"] = y
    y += 60 + 40 * len(g.outcomes) if g.outcomes else 0
    g.rows["applicants"] = y
    y += 60 + 40 * len(g.applicants) if g.applicants else 0
    g.rows["appeals"] = y
    y += 70 + 130
    if g.highlights:
        g.rows["highlights"] = y
        y += 70 + sum(30 * len(lines) + 22 for lines in g.highlights)
    g.rows["footer"] = y
    g.height = y + 80


@functools.lru_cache(maxsize=2)
def _template(directory: str) -> jinja2.Template:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(directory), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    return env.get_template("graphic.svg.j2")


def svg(report: Report, theme: str = "red", last: Report | None = None) -> str:
    if theme not in THEMES:
        raise MkreportError(f"没有「{theme}」这种配色，可选：" + "、".join(THEMES))
    return _template(str(templates_dir())).render(g=build(report, theme, last), width=WIDTH)


# Faces for the PNG, first found wins: Simplified Chinese sans-serif fonts of
# Windows, macOS and Linux. Loading a few files is much faster than every font.
FONT_CANDIDATES = [
    "C:/Windows/Fonts/msyh.ttc", "C:/Windows/Fonts/simhei.ttf",
    "/System/Library/Fonts/PingFang.ttc", "/System/Library/Fonts/STHeiti Medium.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
]


@functools.cache
def _fonts() -> tuple[str, ...]:
    return tuple(f for f in FONT_CANDIDATES if Path(f).is_file())


def require_renderer() -> None:
    """Fail early, with what to install, when PNGs cannot be made."""
    try:
        import resvg_py  # noqa: F401
    except ImportError as exc:
        raise MkreportError(INSTALL_HINT) from exc


def png(svg_text: str, scale: float = 1.0) -> bytes:
    require_renderer()
    import resvg_py

    fonts = list(_fonts())
    try:
        return resvg_py.svg_to_bytes(svg_string=svg_text, zoom=scale, skip_system_fonts=bool(fonts),
                                     font_files=fonts or None, background="#ffffff")
    except ValueError as exc:
        raise MkreportError(f"图解无法渲染成 PNG（{exc}）") from exc
