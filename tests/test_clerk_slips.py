"""A corpus of slips a county clerk makes filling in `mkreport init --year 2025`.

Each slip is typed the way a clerk types it (some files with Windows line ends,
one saved as GBK by Notepad) into a report otherwise filled in correctly. For
each, ``mkreport check`` must name the line where the slip was typed and say
what is wrong in the clerk's words; where the report is still built, the
printed paragraph must be the one the clerk meant. Before, some of these
reached the report silently (text cut at 「 #」, 「-将」 printed with its dash,
a wrapped paragraph printed with a stray space) and others were reported a line
or two later as 「缩进不一致」.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass

import pytest
from helpers import ROOT, invoke, paragraphs

P1 = "将政务公开工作纳入局年度目标考核，组织全局业务培训2次，主动公开各类政府信息156条。"
P2 = "严格执行政府信息公开审查和归档制度，对涉及征地补偿的申请逐件登记。"
ITEM1 = f"    - {P1}\n"
ITEM2 = f"    - {P2}\n"
MANAGEMENT = "  政府信息管理:\n" + ITEM2


def _set(lines: list[str], prefix: str, line: str) -> None:
    """Replace the first line starting with ``prefix``."""
    i = next(i for i, text in enumerate(lines) if text.startswith(prefix))
    lines[i] = line


def _after(lines: list[str], exact: str, line: str) -> None:
    """Insert ``line`` after the first line that is exactly ``exact``."""
    lines.insert(lines.index(exact) + 1, line)


@pytest.fixture(scope="module")
def filled() -> str:
    """`mkreport init --year 2025`, filled in as a clerk fills it: no slips."""
    code, out, err = invoke("init", "--year", "2025")
    assert code == 0, err
    lines = out.split("\n")
    _set(lines, "机关名称:", "机关名称: 某县自然资源局")
    _set(lines, "发布日期:", "发布日期: 2026-01-20")
    _set(lines, "  地址:", "  地址: 某县人民路1号")
    _set(lines, "  电话:", "  电话: 0571-12345678")
    _after(lines, "  主动公开:", ITEM1.rstrip("\n"))
    _after(lines, "  政府信息管理:", ITEM2.rstrip("\n"))
    _set(lines, "    本年新收:", "    本年新收: 46")
    _set(lines, "    上年结转:", "    上年结转: 3")
    _set(lines, "    予以公开:", "    予以公开: 30")
    _set(lines, "      本机关不掌握相关政府信息:", "      本机关不掌握相关政府信息: 13")
    return "\n".join(lines)


@dataclass(frozen=True)
class Slip:
    id: str
    edits: tuple[tuple[str, str], ...]  # (what the filled file has, what the clerk typed)
    at: str  # the line where the slip is: the first line containing this text …
    message: str  # words the message must contain
    hint: str = ""  # words the hint must contain
    column: int | None = None
    severity: str = "错误"
    below: int = 0  # … or this many lines below it
    eol: str = "\n"
    encoding: str = "utf-8"


def slip(id: str, old: str, new: str, at: str, message: str, hint: str = "", **kw) -> Slip:
    return Slip(id, ((old, new),), at, message, hint, **kw)


SLIPS = [
    # Text cut off by 「 #」: YAML takes the rest of the line for a comment.
    slip("hash-in-paragraph", ITEM1, "    - 将政务公开工作纳入局年度目标考核 #重点，组织全局业务培训2次。\n",
         "#重点", "「#」及后面的文字被当作注释，没有印进报告：「#重点，组织全局业务培训2次。」",
         "改用全角「＃」", column=24, eol="\r\n"),
    slip("hash-after-paragraph", ITEM2, f"    - {P2}  # 待领导审核\n",
         "待领导审核", "「#」及后面的文字被当作注释，没有印进报告", "另起一行"),
    slip("hash-in-address", "  地址: 某县人民路1号\n", "  地址: 某县人民路1号 #3楼\n",
         "#3楼", "没有印进报告：「#3楼」", "用引号把整段括起来", column=15),
    slip("hash-in-wrapped-paragraph", ITEM2, "    - 严格执行政府信息公开审查和归档制度，\n      对涉及 #征地补偿的申请逐件登记。\n",
         "#征地", "没有印进报告：「#征地补偿的申请逐件登记。」"),
    slip("hash-starts-item", ITEM2, "    - #1号文件要求加强政务公开。\n",
         "#1号文件", "「#」及后面的文字被当作注释，这一项成了空的", "全角「＃」", column=7),
    slip("hash-after-key", "  概述:\n", "  概述: #1号文件要求加强政务公开。\n",
         "#1号文件", "这一项成了空的：「#1号文件要求加强政务公开。」", column=7),
    # A blank line in the middle of a sentence splits it into two paragraphs.
    slip("blank-line-mid-sentence", ITEM2, "    - 严格执行政府信息公开审查和归档制度，\n\n      对涉及征地补偿的申请逐件登记。\n",
         "归档制度，", "这段文字中间有空行，会被分成两段，前一段以「，」结尾", "删去空行", below=1),
    # List marks typed as text.
    slip("dash-without-space", ITEM1, f"    -{P1}\n", "-将政务", "「-」后面缺少空格，「-」会当作文字印在段落开头",
         f"「- {P1[:20]}…」", column=5, eol="\r\n"),
    slip("em-dash", ITEM1, f"    — {P1}\n", "— 将", "段落开头的「—」会原样印进报告", "英文短横线加一个空格：「- 将政务公开"),
    slip("fullwidth-dash", ITEM1, f"    － {P1}\n", "－ 将", "段落开头的「－」会原样印进报告", "「- 将政务公开"),
    slip("middle-dot", ITEM1, f"    ·{P1}\n", "·将", "段落开头的「·」会原样印进报告"),
    slip("bullet", ITEM1, f"    • {P1}\n", "• 将", "段落开头的「•」会原样印进报告"),
    slip("second-item-dash-without-space", ITEM2, ITEM2 + "    -对涉密信息严格审查。\n", "-对涉密",
         "这一段开头的「-」不是列表的「- 」", "「- 对涉密信息严格审查。」", column=5),
    slip("second-item-em-dash", ITEM2, ITEM2 + "    — 对涉密信息严格审查。\n", "— 对涉密",
         "这一段开头的「—」不是列表的「- 」", "「- 对涉密信息严格审查。」"),
    slip("dash-without-space-wrapped", ITEM2, ITEM2 + "      -对涉密信息严格审查。\n", "-对涉密",
         "这一段开头的「-」不是列表的「- 」，这一行被接在了上一段后面", column=7),
    slip("text-after-key-then-items", MANAGEMENT, "  政府信息管理: 加强制度建设。\n    - 对涉密信息严格审查。\n",
         "- 对涉密", "这一行的「- 」被当作文字，接在了上一行后面", "也写成一项"),
    slip("item-without-dash", ITEM2, ITEM2 + "    对涉密信息严格审查。\n", "    对涉密", "这一段前面缺少「- 」",
         "「- 对涉密信息严格审查。」", column=5),
    # A half-width colon inside a paragraph makes YAML read a key and its value.
    slip("colon-in-item", ITEM1, "    - 考核方式: 将政务公开工作纳入局年度目标考核。\n", "考核方式",
         "段落里的英文冒号加空格「: 」把这一段分成了「键: 值」", "「考核方式：将政务公开工作纳入局年度目标考核。」", column=7),
    slip("colon-in-text", ITEM1, "    考核方式: 将政务公开工作纳入局年度目标考核。\n", "考核方式",
         "段落里的英文冒号加空格「: 」", "改用中文冒号", eol="\r\n"),
    slip("colon-at-end", ITEM2, "    - 主要做法如下:\n", "主要做法如下", "段落末尾的英文冒号「:」",
         "「主要做法如下：」"),
    slip("colon-on-key-line", MANAGEMENT, "  政府信息管理: 考核方式: 严格执行审查制度。\n", "考核方式",
         "这段文字里有英文冒号加空格「: 」", "「考核方式：严格执行审查制度。」"),
    slip("dash-on-key-line", MANAGEMENT, "  政府信息管理: - 严格执行审查制度。\n", "政府信息管理: -",
         "「- 」不能写在键的同一行", "先写「政府信息管理:」"),
    slip("quote-then-text", ITEM2, '    - "归档制度"得到落实。\n', "归档制度", "以引号开头的文字，引号后面不能再有文字",
         "中文引号", column=7),
    slip("bracket-first", ITEM2, "    - [重点]归档制度得到落实。\n", "[重点]", "以「[」开头的文字会被当成 YAML 的括号",
         "中文括号「【】」"),
    slip("star-first", ITEM2, "    - *重点*归档制度得到落实。\n", "*重点*", "「*」开头的内容请加引号",
         "用引号把整段括起来"),
    slip("own-heading-fullwidth-colon", "  小标题:\n    # - 第一个小标题:\n",
         "  小标题:\n    - 创新举措：开展政务公开日活动。\n", "创新举措", "这里每一项都要有小标题",
         "「- 创新举措: 开展政务公开日活动。」"),
    # Indentation typed with full-width spaces.
    slip("fullwidth-space-indent", "    上年结转: 3\n", "\u3000\u3000上年结转: 3\n", "上年结转: 3", "缩进里有全角空格「　」",
         "换成半角空格", column=1),
    slip("fullwidth-space-after-spaces", "    上年结转: 3\n", "  \u3000上年结转: 3\n", "上年结转: 3", "缩进里有全角空格「　」",
         column=3, eol="\r\n"),
    slip("fullwidth-spaces-alone", "  政府信息管理:\n", "\u3000\u3000\n  政府信息管理:\n", "政府信息管理:",
         "这一行只有全角空格", below=-1),
    # A key without its colon: named at its own line, not where the parser stopped.
    slip("no-colon-agency", "机关名称: 某县自然资源局\n", "机关名称 某县自然资源局\n", "机关名称",
         "「机关名称」后面缺少英文冒号「:」", "「机关名称: 某县自然资源局」", column=5),
    slip("no-colon-figure", "    本年新收: 46\n", "    本年新收 46\n", "本年新收", "「本年新收」后面缺少英文冒号「:」",
         "「本年新收: 46」", column=9, eol="\r\n"),
    slip("no-colon-fullwidth-space", "    本年新收: 46\n", "    本年新收\u300046\n", "本年新收",
         "「本年新收」后面缺少英文冒号「:」", "「本年新收: 46」"),
    slip("no-colon-section", "  主动公开:\n", "  主动公开\n", "  主动公开", "「主动公开」后面缺少英文冒号「:」",
         "「主动公开:」"),
    slip("no-colon-phone", "  电话: 0571-12345678\n", "  电话 0571-12345678\n", "电话", "「电话」后面缺少英文冒号「:」",
         "「电话: 0571-12345678」"),
    slip("no-colon-deep", "      属于国家秘密: 0", "      属于国家秘密 0", "属于国家秘密 0",
         "「属于国家秘密」后面缺少英文冒号「:」"),
    # A paragraph that went on to a new line without its indentation.
    slip("wrapped-at-column-0", ITEM2, "    - 严格执行政府信息公开审查和归档制度，\n对涉及征地补偿的申请逐件登记。\n", "对涉及",
         "这段文字换了行", "接到上一行的末尾", column=1),
    slip("wrapped-under-dash", ITEM2, "    - 严格执行政府信息公开审查和归档制度，\n    对涉及征地补偿的申请逐件登记。\n",
         "    对涉及", "这段文字换了行", column=5),
    slip("paragraph-not-indented", MANAGEMENT, "  政府信息管理:\n  严格执行审查制度。\n", "  严格执行",
         "「政府信息管理:」下面的段落没有缩进", "「- 严格执行审查制度。」"),
    # Indentation off by a space, named where it was typed.
    slip("three-spaces-first", "    本年新收: 46\n", "   本年新收: 46\n", "本年新收", "这一行是 3 个空格，下一行是 4 个空格",
         column=4),
    slip("three-spaces-second", "    上年结转: 3\n", "   上年结转: 3\n", "上年结转: 3", "这一行是 3 个空格，上一行是 4 个空格",
         column=4),
    Slip("three-spaces-two-lines", (("    本年新收: 46\n", "   本年新收: 46\n"), ("    上年结转: 3\n", "   上年结转: 3\n")),
         "本年新收", "从这一行起 2 行是 3 个空格，下面同一层的行是 4 个空格"),
    slip("two-spaces-among-four", "    上年结转: 3\n", "  上年结转: 3\n", "上年结转: 3", "这一行是 2 个空格，下一行是 4 个空格"),
    slip("six-spaces-among-four", "    上年结转: 3\n", "      上年结转: 3\n", "上年结转: 3", "这一行是 6 个空格，上一行是 4 个空格"),
    # Figures.
    slip("two-figures", "    本年新收: 46\n", "    本年新收: 46 64\n", "本年新收", "实际填的是文字「46 64」", "一格只写一个数字"),
    slip("results-exceed", "    予以公开: 30\n", "    予以公开: 37\n", "  自然人:",
         "办理结果总计 50，本年新收 46 + 上年结转 3 = 49", "结转下年度是 -1"),
    Slip("results-exceed-given", (("    予以公开: 30\n", "    予以公开: 40\n"), ("    结转下年度:", "    结转下年度: 0")),
         "结转下年度: 0", "本年新收 46 + 上年结转 3 = 49", "办理结果总计 53 件，多于本年新收与上年结转之和 49 件"),
    slip("transposed-digits", "    本年新收: 46\n", "    本年新收: 64\n", "本年新收",
         "「自然人」列结转下年度 24 件，占本年新收与上年结转之和 67 件的 36%", "本年新收 64 是否应为 46？",
         severity="警告"),
    # Saved as GBK by Notepad, with a slip.
    slip("gbk-no-colon", "机关名称: 某县自然资源局\n", "机关名称 某县自然资源局\n", "机关名称",
         "「机关名称」后面缺少英文冒号「:」", eol="\r\n", encoding="gbk"),
]


def _text(filled: str, case: Slip) -> str:
    text = filled
    for old, new in case.edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), start=1) if needle in line)


def reported(err: str, source) -> list[tuple[int | None, int | None, str, str, str]]:
    """(line, column, severity, message, hint) of each problem printed for ``source``."""
    lines = err.splitlines()
    out = []
    for i, line in enumerate(lines):
        if not line.startswith(f"{source}:"):
            continue
        where, _, rest = line[len(str(source)) + 1:].partition(" ")
        numbers = [int(n) for n in where.rstrip(":").split(":") if n.isdigit()]
        severity, _, message = rest.partition("：")
        hint = lines[i + 1].strip() if i + 1 < len(lines) and lines[i + 1].startswith("    提示：") else ""
        out.append((numbers[0] if numbers else None, numbers[1] if len(numbers) > 1 else None,
                    severity, message, hint))
    return out


@pytest.mark.parametrize("case", SLIPS, ids=[c.id for c in SLIPS])
def test_slip_is_named_at_its_line(case, filled, tmp_path):
    text = _text(filled, case)
    line = _line_of(text, case.at) + case.below
    source = tmp_path / "2025年报告.yaml"
    # Notepad saves what GBK cannot hold (the template's 「−」) as 「?」.
    source.write_bytes(text.replace("\n", case.eol).encode(case.encoding, errors="replace"))
    code, out, err = invoke("check", source)
    assert "Traceback" not in err
    found = [p for p in reported(err, source) if p[0] == line and p[2] == case.severity and case.message in p[3]]
    assert found, f"expected at line {line}: {case.message}\n{err}"
    if case.column is not None:
        assert found[0][1] == case.column, err
    assert case.hint in found[0][4], err
    assert code == (1 if case.severity == "错误" else 0), err
    # No other line is blamed for the same slip.
    others = [p for p in reported(err, source) if p[2] == "错误" and p[0] != line]
    assert not others, err


def test_results_exceeding_show_the_negative_balance(filled, tmp_path):
    """The check's table shows 结转下年度 as computed (56 − 49 → −7), not 0."""
    source = tmp_path / "a.yaml"
    source.write_text(filled.replace("    予以公开: 30\n", "    予以公开: 37\n", 1)
                      .replace("      本机关不掌握相关政府信息: 13", "      本机关不掌握相关政府信息: 19", 1),
                      encoding="utf-8")
    code, out, err = invoke("check", source)
    assert code == 1
    assert "办理结果总计 56，本年新收 46 + 上年结转 3 = 49" in err
    row = next(line.split() for line in out.splitlines() if line.startswith("结转下年度"))
    assert row[1] == "-7" and row[-1] == "-7", out
    row = next(line.split() for line in out.splitlines() if line.startswith("办理结果总计"))
    assert row[1] == "56", out


def _build(text: str, tmp_path, eol: str = "\n", encoding: str = "utf-8") -> tuple[str, list[str]]:
    """Check and build with the real command in a subprocess; the warnings and the printed paragraphs."""
    source = tmp_path / "单位.yaml"
    source.write_bytes(text.replace("\n", eol).encode(encoding, errors="replace"))
    output = tmp_path / "报告.docx"
    result = subprocess.run([sys.executable, "-m", "generator.cli", str(source), "-o", str(output)],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stderr, [text for _, text in paragraphs(output)]


def test_wrapped_paragraph_is_joined_without_a_space_and_said(filled, tmp_path):
    text = filled.replace(ITEM2, "    - 严格执行政府信息公开审查和归档制度，\n      对涉及征地补偿的申请逐件登记。\n", 1)
    err, printed = _build(text, tmp_path, eol="\r\n")
    assert P2 in printed
    assert not any("， 对涉及" in p for p in printed)
    line = _line_of(text, "      对涉及")
    assert f":{line}:7: 警告：「总体情况.政府信息管理[1]」：这段文字分在 2 行里写，已连成一段（汉字之间不加空格）" in err


def test_wrapped_quoted_paragraph_and_latin_words(filled, tmp_path):
    """Quoted text wraps the same way; between two Latin words the space stays."""
    text = filled.replace(ITEM2, '    - "严格执行政府信息公开审查和归档制度，\n      对涉及征地补偿的申请逐件登记。"\n'
                                 "    - 开通 open\n      government 专栏和\n      12345 热线。\n", 1)
    err, printed = _build(text, tmp_path)
    assert P2 in printed
    assert "开通 open government 专栏和12345 热线。" in printed
    assert "这段文字分在 3 行里写" in err


def test_blank_line_after_a_full_stop_makes_two_paragraphs_and_says_so(filled, tmp_path):
    text = filled.replace(ITEM2, "    - 严格执行政府信息公开审查和归档制度。\n\n      对涉及征地补偿的申请逐件登记。\n", 1)
    err, printed = _build(text, tmp_path)
    first = printed.index("严格执行政府信息公开审查和归档制度。")
    assert printed[first + 1] == "对涉及征地补偿的申请逐件登记。"
    line = _line_of(text, "归档制度。") + 1
    assert f":{line}: 警告：「总体情况.政府信息管理[1]」：空行把这段文字分成了两段" in err


def test_wrapped_agency_name_is_one_line(filled, tmp_path):
    text = filled.replace("机关名称: 某县自然资源局\n", "机关名称: 某县\n  自然资源局\n", 1)
    err, printed = _build(text, tmp_path, encoding="gbk")
    assert printed[0].replace("\n", "") == "某县自然资源局2025年政府信息公开工作年度报告"
    assert "由某县自然资源局编制" in printed[1]
    assert "这一项分在 2 行里写，已连成一行" in err


def test_paragraph_starting_like_a_key_is_printed_as_written(filled, tmp_path):
    """「- 主动公开：全年……」 is a paragraph with a full-width colon, not a key
    with a mistyped colon: before, it was refused with a fix that then failed."""
    text = filled.replace(ITEM1, "    - 主动公开：全年主动公开政府信息156条。\n", 1)
    err, printed = _build(text, tmp_path)
    assert "主动公开：全年主动公开政府信息156条。" in printed


def test_a_note_in_inits_style_after_a_short_value_stays_a_note(filled, tmp_path):
    """`mkreport init` writes 「办公室:  # 负责解答……」: a clerk who types the value
    before that note keeps it as a note. After a paragraph the same note is refused."""
    kept = filled.replace("  办公室:", "  办公室: 局办公室", 1)
    assert "  办公室: 局办公室  # " in kept
    err, printed = _build(kept, tmp_path)
    assert "注释" not in err
    source = tmp_path / "b.yaml"
    source.write_text(kept.replace(ITEM2, f"    - {P2}  # 负责解答疑问\n", 1), encoding="utf-8")
    code, out, err = invoke("check", source)
    assert code == 1 and "「#」及后面的文字被当作注释，没有印进报告：「# 负责解答疑问」" in err


def test_tenfold_jump_from_last_year(filled, tmp_path):
    """A digit typed twice (46 → 460) against 上年报告: a warning at that figure."""
    last = filled.replace("年度: 2025", "年度: 2024", 1).replace("发布日期: 2026-01-20", "发布日期: 2025-01-20", 1)
    (tmp_path / "2024.yaml").write_text(last.replace("    上年结转: 3\n", "    上年结转: 0\n", 1), encoding="utf-8")
    this = filled.replace("上年报告:", "上年报告: 2024.yaml", 1)
    this = this.replace("    本年新收: 46\n", "    本年新收: 460\n", 1).replace("    予以公开: 30\n", "    予以公开: 444\n", 1)
    source = tmp_path / "2025.yaml"
    source.write_text(this, encoding="utf-8")
    code, out, err = invoke("check", source)
    line = _line_of(this, "本年新收: 460")
    found = [p for p in reported(err, source) if p[0] == line and p[2] == "警告"]
    assert any("「自然人」本年新收 460，上年报告为 46，相差 10 倍以上" in p[3] for p in found), err
    assert code == 0, err
