"""A clerk's typical slips: each gets its exact hint at its line; nothing is written."""

from __future__ import annotations

import pytest
from helpers import EXAMPLES, invoke

BASE = "机关名称: 某县商务局\n年度: 2021\n"
APPLICANT = "收到和处理政府信息公开申请情况:\n  自然人:\n"

CASES = [
    # (id, file text, line, column or None, expected message, expected hint)
    ("fullwidth-colon", "机关名称：某县商务局\n年度: 2021\n", 1, 5,
     "键后面用了中文全角冒号「：」", "改成英文冒号加一个空格：「机关名称: 某县商务局」"),
    ("no-space", "机关名称: 某县商务局\n年度:2021\n", 2, 3,
     "冒号后面缺少空格", "英文冒号后要有一个半角空格：「年度: 2021」"),
    ("fullwidth-space", "机关名称: 某县商务局\n年度:\u30002021\n", 2, 3,
     "冒号后面是全角空格", "英文冒号后要有一个半角空格：「年度: 2021」"),
    ("tab", BASE + "联系方式:\n\t电话: 0577-1\n", 4, 1,
     "缩进里有 Tab 字符", "YAML 只能用空格缩进：把 Tab 换成空格（建议每级两个空格）"),
    ("fullwidth-digits", BASE + APPLICANT + "    本年新收: １２\n", 5, 11,
     "应填不小于 0 的整数，实际填的是文字「１２」", "用了全角数字，请改成半角数字：12"),
    ("unit", BASE + APPLICANT + "    本年新收: 12件\n", 5, 11,
     "应填不小于 0 的整数，实际填的是文字「12件」", "数字后面不要写单位「件」，只写 12"),
    ("chinese-numeral", BASE + APPLICANT + "    本年新收: 十二\n", 5, 11,
     "实际填的是文字「十二」", "请用阿拉伯数字（如 12），不要用汉字数字"),
    ("list-for-mapping", BASE + APPLICANT + "    - 本年新收: 3\n", 4, 3,
     "应填下一级的「键: 值」，实际填的是列表（以「- 」开头）", "这里应写成下一级的「键: 值」，不要以「- 」开头"),
    ("unknown-key", BASE + "联系方试:\n  电话: 1\n", 3, 1,
     "不认识的键「联系方试」", "是不是「联系方式」？"),
    ("misspelled-row", BASE + APPLICANT + "    本年新手: 3\n", 5, 5,
     "不认识的键「本年新手」", "是不是「本年新收」？"),
    ("typed-total", BASE + APPLICANT + "    本年新收: 3\n  总计:\n    本年新收: 3\n", 6, 3,
     "这一项由程序计算，不要填写", "总计和（七）总计都由各项相加得出，请删除这一行"),
    ("negative", BASE + APPLICANT + "    本年新收: -3\n", 5, 11,
     "不能是负数（填的是 -3）", "件数和金额都应为 0 或正数"),
    ("year-too-old", "机关名称: 某县商务局\n年度: 2018\n", 2, 5,
     "不支持 2018 年度的报告", "2019 年以前的年度报告使用旧格式，本工具只生成 2019 年度及以后的报告"),
    ("year-future", "机关名称: 某县商务局\n年度: 2999\n", 2, 5,
     "2999 年度还没有到，不能生成该年度报告", "年度应不晚于"),
    ("missing-agency", "年度: 2021\n", 1, 1, "缺少必填项「机关名称」", "请添加一行「机关名称: …」"),
    ("duplicate-key", BASE + "年度: 2022\n", 3, 1, "键重复出现（第 2 行已经写过）", "同一层级的每个键只能写一次"),
    ("bad-indent", BASE + "联系方式:\n  电话: 1\n 地址: x\n", 5, 2, "缩进不对：这一行是 1 个空格，上一行是 2 个空格",
     "同一层的键左端要对齐"),
    ("impossible-date", BASE + "发布日期: 2022-02-30\n", 3, 7, "日期「2022-02-30」不存在", "请核对月份和日期"),
    ("control-char", BASE + "开头: 本报告\x07根据\n", 3, 8,
     "含有 Word 文件不能保存的控制字符 \\x07", "请删除后重新输入这段文字"),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_slip_is_explained_and_nothing_is_written(case, tmp_path):
    _, text, line, column, message, hint = case
    source = tmp_path / "单位.yaml"
    source.write_text(text, encoding="utf-8")
    output = tmp_path / "报告.docx"
    output.write_bytes(b"last year's report")
    code, out, err = invoke(source, "-o", output)
    assert code == 1
    where = f"{source}:{line}:" + (f"{column}:" if column else "")
    lines = err.splitlines()
    at = [i for i, text in enumerate(lines) if text.startswith(where)]
    assert at, err
    assert any(message in lines[i] for i in at), err
    assert any(i + 1 < len(lines) and hint in lines[i + 1] for i in at), err
    assert output.read_bytes() == b"last year's report"
    assert "Traceback" not in err


def test_all_problems_in_one_run(tmp_path):
    source = tmp_path / "a.yaml"
    source.write_text("机关名称：某县商务局\n年度:2021\n" + APPLICANT +
                      "    本年新收: 12件\n    上年结转: 十\n  商业企业:\n    予以公开: -1\n未知: 1\n",
                      encoding="utf-8")
    code, out, err = invoke("check", source)
    assert code == 1
    assert "共 6 处错误" in err
    reported = [int(line.split(":")[1]) for line in err.splitlines() if line.startswith(str(source))]
    assert reported == [1, 2, 5, 6, 8, 9]


def test_refuses_to_overwrite_its_input(tmp_path):
    source = tmp_path / "a.docx"
    source.write_bytes((EXAMPLES / "mouxian-commerce-2021.yaml").read_bytes())
    before = source.read_bytes()
    code, out, err = invoke(source, "-o", source)
    assert code == 1
    assert "拒绝覆盖" in err
    assert source.read_bytes() == before


def test_unwritable_destination(tmp_path):
    # A read-only folder stops ordinary users; /sys stops root as well (CI runs as root).
    target = tmp_path / "只读"
    target.mkdir()
    target.chmod(0o500)
    try:
        code, out, err = invoke(EXAMPLES / "mouxian-commerce-2021.yaml", "-o", target / "r.docx")
    finally:
        target.chmod(0o700)
    if code == 0:
        code, out, err = invoke(EXAMPLES / "mouxian-commerce-2021.yaml", "-o", "/sys/r.docx")
    assert code == 1
    assert "无法在" in err and "没有写入权限" in err


def test_missing_folder_and_wrong_extension(tmp_path):
    code, out, err = invoke(EXAMPLES / "mouxian-commerce-2021.yaml", "-o", tmp_path / "无" / "r.docx")
    assert code == 1 and "不存在" in err
    code, out, err = invoke(EXAMPLES / "mouxian-commerce-2021.yaml", "-o", tmp_path / "r.txt")
    assert code == 1 and "不支持的输出类型" in err


def test_usage_errors_exit_2():
    code, out, err = invoke("check")
    assert code == 2
    assert "用法错误：缺少参数" in err
    code, out, err = invoke(EXAMPLES / "mouxian-commerce-2021.yaml", "--nonsense")
    assert code == 2 and "没有这个选项" in err


def test_missing_input_file(tmp_path):
    code, out, err = invoke(tmp_path / "没有.yaml", "-o", tmp_path / "r.docx")
    assert code == 1
    assert "文件不存在" in err
