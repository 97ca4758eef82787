"""报告图解「工作亮点」: whole sentences or whole clauses, never a heading, never a
number cut in two, and no line that starts with a closing mark — read back from the SVG."""

from __future__ import annotations

import re
import shutil

import pytest
from helpers import EXAMPLES, invoke
from lxml import etree

from generator.checks.validate import check_file

SVG = "{http://www.w3.org/2000/svg}"
CLOSING = set("）」』》〉】〕，。、；：！？…”’)]},.;:!?%％")
OPENING = set("（「『《〈【〔“‘([{")
PUNCTUATION = set("，；：、。！？,;:!?")
SENTENCE_END = set("。！？!?")
ORDINAL = re.compile(r"(（|\()[一二三四五六七八九十0-9]{1,3}(）|\))|[一二三四五六七八九十]{1,3}[、.．是]"
                     r"|[0-9]{1,2}[、)）]|[0-9]{1,2}[.．](?![0-9])|第[一二三四五六七八九十]{1,3}[，、：]")
ADDED_ENDS = ("……", "。")


def _highlights(svg_path) -> list[list[str]]:
    root = etree.fromstring(svg_path.read_bytes())
    items: dict[str, list[str]] = {}
    for text in root.iter(SVG + "text"):
        if text.get("class") == "highlight":
            items.setdefault(text.get("data-item"), []).append(text.text or "")
    return list(items.values())


def _svg_of(source, tmp_path) -> list[list[str]]:
    output = tmp_path / f"{source.stem}.svg"
    code, _, err = invoke(source, "-o", output)
    assert code == 0, err
    return _highlights(output)


def _sources(source) -> list[str]:
    report = check_file(source).report
    paragraphs = [p for ps in report.overview.values() for p in ps]
    paragraphs += [p for chapter in report.chapters.values() for p in chapter.intro]
    paragraphs += [p for chapter in report.chapters.values() for part in chapter.parts for p in part.paragraphs]
    return paragraphs + [p for part in report.own.get("overview", []) for p in part.paragraphs]


def _sentences(paragraph: str) -> list[str]:
    return [s for s in re.split(r"(?<=[。！？])", paragraph) if s.strip()]


def _is_heading(text: str) -> bool:
    """A list heading (「（一）……」 short) or a bare short clause without figures (「加强组织领导。」)."""
    body = text.strip().rstrip("。！？")
    marker = ORDINAL.match(body)
    if marker:
        return len(body) - marker.end() <= 24
    return len(body) <= 10 and not re.search(r"[0-9]", body) and not re.search(r"[，、；：]", body)


def _check(lines: list[str], paragraphs: list[str]) -> None:
    assert 1 <= len(lines) <= 3, lines
    for line in lines:
        assert line and line[0] not in CLOSING, f"line starts with closing punctuation: {lines}"
        assert line[-1] not in OPENING, f"line ends with opening punctuation: {lines}"
    for before, after in zip(lines, lines[1:]):
        joined_word = (before[-1].isascii() and (before[-1].isalnum() or before[-1] == ".")
                       and after[0].isascii() and (after[0].isalnum() or after[0] in ".%"))
        assert not joined_word, f"a number or word is split over two lines: {lines}"
        assert not (before[-1].isdigit() and after[0] in "万亿%"), f"a number is split over two lines: {lines}"
    text = "".join(lines)
    assert not ORDINAL.match(text), f"a list marker shown as a highlight: {text}"
    for paragraph in paragraphs:
        for sentence in _sentences(paragraph):
            if _is_heading(sentence):
                marker = ORDINAL.match(sentence)
                heading = sentence[marker.end():] if marker else sentence
                assert text not in (sentence, heading), f"a heading shown as a highlight: {text}"
    core = text
    for end in ADDED_ENDS:
        if core.endswith(end):
            core = core[: -len(end)]
            break
    for paragraph in paragraphs:
        start = paragraph.find(core)
        while start >= 0:
            stop = start + len(core)
            ends_well = stop == len(paragraph) or paragraph[stop] in PUNCTUATION
            before = paragraph[:start].rstrip()
            starts_well = (not before or before[-1] in SENTENCE_END
                           or (before[-1] in "”’」』" and before[-2:-1] in SENTENCE_END)
                           or _ends_with_marker(before))
            if ends_well and starts_well:
                return
            start = paragraph.find(core, start + 1)
    raise AssertionError(f"not a whole sentence or clause of the report: {text}")


def _ends_with_marker(before: str) -> bool:
    """Whether ``before`` ends with a list marker that starts a sentence."""
    for cut in range(max(len(before) - 6, 0), len(before)):
        tail = before[cut:]
        marker = ORDINAL.fullmatch(tail)
        if marker:
            head = before[:cut].rstrip()
            return not head or head[-1] in SENTENCE_END
    return False


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_highlights_of_every_example(example, tmp_path):
    shutil.copytree(EXAMPLES / "variants", tmp_path / "variants")
    source = tmp_path / example.name
    shutil.copy(example, source)
    highlights = _svg_of(source, tmp_path)
    assert 1 <= len(highlights) <= 4
    paragraphs = _sources(source)
    for lines in highlights:
        _check(lines, paragraphs)


def _report_with(tmp_path, name: str, aspects: str):
    """shili-county-2023 with 总体情况 replaced by ``aspects`` (YAML under 总体情况:)."""
    text = (EXAMPLES / "shili-county-2023.yaml").read_text(encoding="utf-8")
    start = text.index("总体情况:\n")
    end = text.index("\n主动公开政府信息情况:")
    source = tmp_path / f"{name}.yaml"
    source.write_text(text[:start] + "总体情况:\n" + aspects + text[end:], encoding="utf-8")
    return source


NUMBER_AT_CUT = ("全年依托政务服务网公布政务服务事项3600条，其中行政许可事项900条、公共服务事项1200项，"
                 "依托一体化平台线上线下统一受理办理各类事项15万件，即办率92.8%、承诺压缩比98.5%、"
                 "跑零次比99.1%，群众满意度持续提升。")
PAREN_AT_WRAP = "完成政府门户网站集约化改造，整合部门网站和各乡镇（街道）网站，统一信息发布流程和审核标准。"
OPENER_AT_WRAP = "完成政府门户网站集约化改造，整合各部门网站和乡镇网站（含便民服务专栏），统一信息发布流程和审核标准。"


def test_invented_texts(tmp_path):
    source = _report_with(tmp_path, "invented", (
        "  概述:\n    - 2023年，我县持续提升政务公开质量。\n"
        f"  主动公开:\n    - {NUMBER_AT_CUT}\n"
        "  依申请公开:\n    - （二）依申请公开情况。全年受理申请12件，均在法定期限内答复，其中予以公开8件。\n"
        "  政府信息管理:\n    - （一）持续做好主动公开工作。\n    - 修订政府信息公开目录，新增公开事项26项。\n"
        f"  政府信息公开平台建设:\n    - {PAREN_AT_WRAP}\n"
    ))
    highlights = _svg_of(source, tmp_path)
    paragraphs = _sources(source)
    for lines in highlights:
        _check(lines, paragraphs)
    texts = ["".join(lines) for lines in highlights]
    assert len(texts) == 4
    # Too long for three lines: cut after a whole clause, the figures whole.
    assert texts[0].endswith("……") and NUMBER_AT_CUT.startswith(texts[0][:-2])
    assert NUMBER_AT_CUT[len(texts[0]) - 2] in "，、"
    assert "98.5" not in texts[0] or "承诺压缩比98.5%" in texts[0]
    # A run-in heading is left out; the sentence after it is the highlight.
    assert texts[1] == "全年受理申请12件，均在法定期限内答复，其中予以公开8件。"
    # A paragraph that is only a heading gives nothing; the next paragraph does.
    assert texts[2] == "修订政府信息公开目录，新增公开事项26项。"
    # 「）」 stays at the end of the line instead of starting the next one.
    assert highlights[3][0].endswith("（街道）") and highlights[3][1].startswith("网站")


def test_headings_only_give_no_highlight(tmp_path):
    source = _report_with(tmp_path, "headings", (
        "  主动公开:\n    - （一）持续做好主动公开工作。\n"
        f"  依申请公开:\n    - {OPENER_AT_WRAP}\n"
        "  政府信息管理:\n    - 加强组织领导。按照要求成立政务公开领导小组，由主要负责同志任组长。\n"
        "  监督保障:\n    - 1.加强监督考核\n"
    ))
    highlights = _svg_of(source, tmp_path)
    paragraphs = _sources(source)
    for lines in highlights:
        _check(lines, paragraphs)
    texts = ["".join(lines) for lines in highlights]
    assert texts == [OPENER_AT_WRAP, "按照要求成立政务公开领导小组，由主要负责同志任组长。"]
    assert highlights[0][1].startswith("（含")  # the opening bracket moved down with its words


def test_selection_takes_plain_paragraph_lists():
    from generator.rendering.graphic import pick_highlights

    groups = [["（一）概况。"], ["一是做好面上联动。今年以来，全市共组织召开专题培训会2次。"],
              ["第一，加强组织领导。"], ["2.全年公开信息1,200条，访问量达3.5万人次。"]]
    texts = ["".join(lines) for lines in pick_highlights(groups)]
    assert texts == ["今年以来，全市共组织召开专题培训会2次。", "全年公开信息1,200条，访问量达3.5万人次。"]
    assert pick_highlights(groups, count=1) == [["今年以来，全市共组织召开专题培训会2次。"]]


def test_long_text_without_breaks_is_left_out_quickly():
    from generator.rendering.graphic import pick_highlights

    endless = "政务公开" * 50_000  # no punctuation at all: nothing to cut at
    commas = "，".join(["公开"] * 50_000) + "。"
    assert pick_highlights([[endless]]) == []
    [lines] = pick_highlights([[commas]])
    assert len(lines) <= 3 and "".join(lines).endswith("……")
