"""Reports as portals publish them: saved pages with menus, breadcrumbs, sidebars
and footers around the report, text copied from such pages, table rows whose
figures ran together, and the contact details of the opening paragraph as the
provinces write them. The pages are invented; their report is mkreport's own
HTML for an example, so the import must give back that example exactly."""

from __future__ import annotations

import re
import time
from pathlib import Path

import docx
import pytest
from helpers import EXAMPLES, invoke
from lxml import etree
from lxml import html as lhtml

from generator.checks.validate import check_file
from generator.importing import documents, recognize, runs
from generator.importing.recognize import NotAReport, Recognized

SHILI = EXAMPLES / "shili-county-2023.yaml"
YUEQING = EXAMPLES / "yueqing-city-2020.yaml"


def figures(report) -> tuple:
    """As test_import.figures: every figure of the three tables and table 四's notes."""
    return ({k: v.value for k, v in report.proactive.items()}, dict(report.requests.cells),
            {k: (v.value, v.note) for k, v in report.appeals.items()})


def paragraph_texts(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


def report_html(example: Path, tmp_path: Path) -> str:
    page = tmp_path / f"{example.stem}.html"
    code, _, err = invoke(example, "-o", page)
    assert code == 0, err
    return page.read_text(encoding="utf-8")


def report_parts(example: Path, tmp_path: Path) -> tuple[str, str]:
    """The title and the report's body (everything in <main> after the title) as HTML."""
    main = lhtml.fromstring(report_html(example, tmp_path)).find(".//main")
    h1 = main.find("h1")
    title = h1.text_content()
    main.remove(h1)
    body = (main.text or "") + "".join(etree.tostring(c, encoding="unicode") for c in main)
    return title, body


def assert_imports_as(example: Path, source: Path, tmp_path: Path) -> str:
    """The page imports to the example's figures and, built again, to its paragraphs."""
    imported = tmp_path / "导入.yaml"
    code, _, err = invoke("import", source, "-o", imported)
    assert code == 0, err
    ours, theirs = check_file(example), check_file(imported)
    assert not theirs.errors, [str(p) for p in theirs.errors]
    assert figures(theirs.report) == figures(ours.report)
    again, original = tmp_path / "again.docx", tmp_path / "original.docx"
    assert invoke(imported, "-o", again)[0] == 0
    assert invoke(example, "-o", original)[0] == 0
    assert paragraph_texts(again) == paragraph_texts(original)
    return imported.read_text(encoding="utf-8")


# -- Portal chrome ------------------------------------------------------------------

MENU = ["首页", "政务公开", "政府信息公开", "政府信息公开指南", "政府信息公开制度", "法定主动公开内容",
        "主动公开", "依申请公开", "政府信息公开年报", "一、机构概况", "二、政策文件", "政策解读", "人事信息",
        "财政资金", "重点领域信息公开", "政务服务", "互动交流", "领导信箱", "征集调查", "在线访谈", "走进示例"]
YEARS = [f"{y}年政府信息公开工作年度报告" for y in range(2022, 2016, -1)]
BREADCRUMB = "当前位置：首页 &gt; 政府信息公开 &gt; 政府信息公开年报"
META = "发布时间：2024-01-20 09:30　　来源：县政府办公室　　浏览次数：1024　　【字体：大 中 小】"
FOOTER = ["主办单位：示例县人民政府办公室　　承办单位：示例县大数据发展中心",
          "网站标识码：3300000001　　浙ICP备12345678号-1　　浙公网安备 33000002000001号",
          "联系电话：0571-00000000　　建议使用1366×768分辨率浏览本网站"]


def modern_page(title: str, body: str) -> str:
    """A current portal: header and <nav>, a breadcrumb, other years' reports in a
    plain sidebar list (not <aside>) before the article, the article (its <header>
    holds the title and the page details), attachments, share and print links,
    related reports, a <footer>."""
    menu = "".join(f'<li><a href="/col/{i}/">{w}</a></li>' for i, w in enumerate(MENU * 3))
    years = "".join(f'<li><a href="/art/{i}.html">{t}</a><span>2023-01-1{i}</span></li>' for i, t in enumerate(YEARS))
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}_示例县人民政府门户网站</title>
<script>var columns = ["一、总体情况", "二、主动公开政府信息情况"];</script>
<style>.hide {{ display: none }}</style></head>
<body>
<header class="top"><div class="logo">示例县人民政府门户网站</div>
<div class="tools"><a href="#">无障碍浏览</a> | <a href="#">长者模式</a> | <a href="#">English</a></div></header>
<nav class="menu"><ul>{menu}</ul></nav>
<div class="search"><form action="/search"><input type="text" value="请输入关键字"><button>搜索</button></form></div>
<div class="position">{BREADCRUMB}</div>
<div class="container">
<div class="left-column"><h3>政府信息公开年报</h3><ul>{years}</ul></div>
<div class="right-column"><article class="article">
<header class="article-head"><h1 class="title">{title}</h1>
<div class="info">{META}</div></header>
<div class="share" aria-hidden="true">分享到：<a>微信</a> <a>微博</a> <a>QQ空间</a></div>
<div class="article-content">
<div style="display:none">一、总体情况　这段文字藏在页面里，不是报告的一部分。</div>
{body}
</div>
<div class="attachment"><p>附件下载：</p><ul><li><a href="/file/nb2023.docx">{title}.docx</a></li>
<li><a href="/file/nb2023.pdf">{title}（PDF版）.pdf</a></li></ul></div>
<div class="print"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
<div class="related"><h4>相关链接</h4><ul>{years}</ul></div>
</article></div></div>
<footer class="bottom">{"".join(f"<p>{line}</p>" for line in FOOTER)}
<p><a href="#">网站地图</a> | <a href="#">联系我们</a> | <a href="#">隐私声明</a></p></footer>
</body></html>
"""


def layout_table_page(title: str, body: str) -> str:
    """An old portal: the whole page set in tables, GB2312, no <nav>/<header>/<footer>;
    the report's tables sit inside the layout tables."""
    menu = "".join(f'<TD><A href="/col{i}.html">{w}</A></TD>' for i, w in enumerate(MENU))
    years = "".join(f'<TR><TD height=24>·<A href="/art{i}.html">{t}</A></TD></TR>' for i, t in enumerate(YEARS))
    return f"""<HTML><HEAD><META http-equiv=Content-Type content="text/html; charset=gb2312">
<TITLE>{title}</TITLE></HEAD>
<BODY leftMargin=0 topMargin=0><FORM id=form1 method=post action=Article.aspx>
<TABLE width=1000 align=center border=0 cellPadding=0 cellSpacing=0><TR><TD><IMG src="/images/banner.jpg" alt="示例市人民政府"></TD></TR></TABLE>
<TABLE width=1000 align=center border=0><TR>{menu}</TR></TABLE>
<TABLE width=1000 align=center border=0><TR>
<TD width=220 vAlign=top>
  <TABLE width="100%" border=0><TR><TD class=lm_title>政府信息公开年报</TD></TR>{years}</TABLE>
  <TABLE width="100%" border=0><TR><TD>政府信息公开指南</TD></TR><TR><TD>依申请公开</TD></TR></TABLE>
</TD>
<TD width=780 vAlign=top>
  <TABLE width="100%" border=0><TR><TD class=dqwz>您现在的位置：<A href="/">首页</A> &gt;&gt; <A href="#">政务公开</A> &gt;&gt; 政府信息公开年报</TD></TR></TABLE>
  <TABLE width="100%" border=0 cellPadding=8>
  <TR><TD align=center height=60><FONT size=5 color=#c00000><B>{title}</B></FONT></TD></TR>
  <TR><TD align=center bgColor=#f0f0f0>发布日期：2021-02-01&nbsp;&nbsp;信息来源：市府办&nbsp;&nbsp;点击数：386&nbsp;&nbsp;【<A href="#">大</A> <A href="#">中</A> <A href="#">小</A>】</TD></TR>
  <TR><TD><DIV id=zoom>{body}</DIV></TD></TR>
  <TR><TD>附件：<A href="/uploadfiles/2021/nb.docx">{title}.docx</A></TD></TR>
  <TR><TD align=right><A href="javascript:window.print()">【打印本页】</A>&nbsp;<A href="javascript:window.close()">【关闭窗口】</A></TD></TR>
  </TABLE>
</TD></TR></TABLE>
<TABLE width=1000 align=center border=0><TR><TD align=center>版权所有：示例市人民政府办公室&nbsp;&nbsp;网站标识码：3303820001<BR>浙ICP备05000000号&nbsp;&nbsp;技术支持：示例网络公司</TD></TR></TABLE>
</FORM></BODY></HTML>
"""


def trs_body(body: str) -> str:
    """The body as a content system's editor keeps it: every paragraph a
    <p style="text-indent:2em"> of <span>s that split words (some spans on new source
    lines), headings in <strong>, tables of MsoNormalTable cells holding <p><span>."""
    root = lhtml.fragment_fromstring(body, create_parent="div")
    for n, node in enumerate(list(root.iter("p", "h2", "h3"))):
        text = node.text_content()
        cuts = list(range(0, len(text), 5)) + [len(text)]
        spans = []
        for a, b in zip(cuts, cuts[1:]):
            # A new source line only between two Chinese characters: the browser shows no
            # space there; elsewhere the spans run on (a space would show between digits).
            joint = "\n" if n % 2 and b < len(text) and "\u4e00" <= text[b - 1] <= "\u9fff" \
                and "\u4e00" <= text[b] <= "\u9fff" else ""
            spans.append(f'<span style="font-family:仿宋_GB2312">{escape(text[a:b])}</span>{joint}')
        inner = "".join(spans)
        if node.tag in ("h2", "h3"):
            inner = f"<strong>{inner}</strong>"
        style = "text-align:right" if "closing" in (node.get("class") or "") else "text-indent:2em"
        new = lhtml.fragment_fromstring(f'<p style="{style}">&nbsp;{inner}</p>')
        new.tail = node.tail
        node.getparent().replace(node, new)
    for table in root.iter("table"):
        table.attrib.clear()
        table.set("class", "MsoNormalTable")
        table.set("border", "1")
        for cell in list(table.iter("th", "td")):
            text = cell.text_content()
            for child in list(cell):
                cell.remove(child)
            cell.tag = "td"
            cell.text = None
            p = etree.SubElement(cell, "p", align="center")
            span = etree.SubElement(p, "span", style="font-size:10.5pt")
            span.text = text
    inner = (root.text or "") + "".join(etree.tostring(c, encoding="unicode") for c in root)
    return f'<div class="TRS_Editor"><div class="Custom_UnionStyle">{inner}</div></div>'


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "li", "ul", "div", "td", "table", "header", "footer", "nav", "article",
              "section", "main", "form"}


def copied_text(page: str) -> str:
    """What 「全选」 and 「复制」 give from a page in a browser: each block on a line, the
    cells of a table row separated by tabs, hidden parts left out."""
    root = lhtml.fromstring(page)
    for node in root.xpath("//script|//style|//head|//*[contains(@style,'display:none')]"):
        node.drop_tree()
    out: list[str] = []

    def walk(node) -> None:
        if node.tag == "table" and not node.xpath(".//table"):
            for tr in node.iter("tr"):
                out.append("\t".join(" ".join(c.text_content().split()) for c in tr if c.tag in ("td", "th")))
            return
        if node.tag in BLOCK_TAGS and not any(c.tag in BLOCK_TAGS for c in node):
            text = node.text_content().strip()
            if node.tag == "h1" and node.find("br") is not None:
                out.extend(part.strip() for part in etree.tostring(node, method="text", encoding="unicode")
                           .split("\n") if part.strip())
            elif text:
                out.append(re.sub(r"[ \t]+", " ", text))
            return
        for child in node:
            if isinstance(child.tag, str):
                walk(child)

    walk(root.find("body"))
    return "\r\n".join(out) + "\r\n"


# -- Task 1: the report and nothing else --------------------------------------------

@pytest.mark.parametrize("example", [SHILI, YUEQING], ids=["shili", "yueqing"])
def test_modern_portal_page(example, tmp_path):
    title, body = report_parts(example, tmp_path)
    page = tmp_path / "门户网站.html"
    page.write_text(modern_page(title, body), encoding="utf-8")
    text = assert_imports_as(example, page, tmp_path)
    for junk in ("发布时间", "分享到", "附件下载", "打印本页", "相关链接", "网站标识码", "藏在页面里", "ICP"):
        assert junk not in text


@pytest.mark.parametrize("example", [YUEQING, SHILI], ids=["yueqing", "shili"])
def test_old_layout_table_page(example, tmp_path):
    title, body = report_parts(example, tmp_path)
    page = tmp_path / "旧版门户.htm"
    page.write_bytes(layout_table_page(title, body).encode("gb18030"))
    text = assert_imports_as(example, page, tmp_path)
    assert "点击数" not in text and "版权所有" not in text and "2022年政府信息公开工作年度报告" not in text


@pytest.mark.parametrize("example", [SHILI, YUEQING], ids=["shili", "yueqing"])
def test_content_system_editor_body(example, tmp_path):
    title, body = report_parts(example, tmp_path)
    # The editor repeats the title inside the body, split over spans.
    head = f'<p align="center"><strong><span>{title[:7]}</span><span>{title[7:]}</span></strong></p>'
    page = tmp_path / "TRS.html"
    page.write_text(modern_page(title, head + trs_body(body)), encoding="utf-8")
    assert '<span style="font-family:仿宋_GB2312">' in page.read_text(encoding="utf-8")
    assert_imports_as(example, page, tmp_path)


@pytest.mark.parametrize("example", [SHILI, YUEQING], ids=["shili", "yueqing"])
def test_text_copied_from_a_portal_page(example, tmp_path):
    title, body = report_parts(example, tmp_path)
    copied = tmp_path / "复制的文字.txt"
    copied.write_text(copied_text(modern_page(title, body)), encoding="utf-8")
    text = copied.read_text(encoding="utf-8")
    assert "当前位置" in text and "2022年政府信息公开工作年度报告" in text and "网站标识码" in text
    assert_imports_as(example, copied, tmp_path)


def test_xhtml_page_with_xml_declaration(tmp_path):
    title, body = report_parts(SHILI, tmp_path)
    page = tmp_path / "xhtml.html"
    page.write_text('<?xml version="1.0" encoding="utf-8"?>\n' + modern_page(title, body), encoding="utf-8")
    assert_imports_as(SHILI, page, tmp_path)


def test_page_lines_are_the_report_only(tmp_path):
    title, body = report_parts(SHILI, tmp_path)
    lines = documents.html_lines(modern_page(title, body))
    assert lines[0] == title and lines[-1] == "2024年1月20日"
    assert not [line for line in lines if "：" in line and ("时间" in line or "来源" in line)]
    # The menu and the sidebar never reach recognition.
    assert not set(MENU) & set(lines) and not set(YEARS) & set(lines)


def test_layout_tables_are_read_as_blocks():
    page = ("<html><body><table><tr><td>菜单</td><td><table><tr><td>规章</td><td>1</td><td>0</td></tr></table>"
            "<p>正文一段。</p></td></tr></table><table><tr><td>只有一格的框</td></tr></table></body></html>")
    assert documents.html_lines(page) == ["菜单", "规章\t1\t0", "正文一段。", "只有一格的框"]


def test_spans_on_source_lines_join_without_spaces():
    page = "<html><body><p><span>本年度共收到</span>\n  <span>申请</span> <span>12</span>\n<span>件。</span></p></body></html>"
    assert documents.html_lines(page) == ["本年度共收到申请 12 件。"]


def test_plain_text_without_a_page_is_left_alone():
    lines = ["某单位2023年政府信息公开工作年度报告", "一、总体情况", "无。", "二、主动公开政府信息情况",
             "第二十条第（一）项", "六、其他需要报告的事项", "无"]
    assert documents.page_region(lines) == lines
    assert documents.page_region(["不是报告", "第二十条"]) == ["不是报告", "第二十条"]


# -- Task 2: table rows whose figures ran together --------------------------------------

SUMS = {6: (0, 1, 2, 3, 4, 5)}


def test_a_run_with_one_split_that_adds_up():
    assert runs.split(["15130000154"], 7, SUMS) == [["151", "3", "0", "0", "0", "0", "154"]]
    assert runs.split(["151", "30000154"], 7, SUMS) == [["151", "3", "0", "0", "0", "0", "154"]]
    assert runs.split(["0000000"], 7, SUMS) == [["0"] * 7]
    assert runs.split(["1" * 6 + "6"], 7, SUMS) == [["1"] * 6 + ["6"]]
    table4 = runs.totals_of([leaf for _, leaf in recognize.formats.load("2021").appeals.leaves()])
    assert table4 == {4: (0, 1, 2, 3), 9: (5, 6, 7, 8), 14: (10, 11, 12, 13)}
    assert runs.split(["311162011411002"], 15, table4) == [list("311162011411002")]


def test_a_run_with_several_splits_or_none():
    assert sorted(runs.split(["101000011"], 7, SUMS)) == [["1", "0", "10", "0", "0", "0", "11"],
                                                          ["10", "1", "0", "0", "0", "0", "11"]]
    assert runs.split(["1234567"], 7, SUMS) == []  # 1+2+…+6 is not 7
    assert runs.split(["12"], 7, SUMS) == []  # too few digits
    # Table 二 has no sums: only a cut forced by the digits (no figure but 0 starts with 0).
    assert runs.split(["1003"], 3) == [["10", "0", "3"]]
    assert len(runs.split(["8364"], 3)) == 3


@pytest.mark.parametrize("length", [57, 60, 5000])
def test_hostile_runs_are_refused_quickly(length):
    started = time.perf_counter()
    with pytest.raises(runs.RunError, match="位数字"):
        runs.split(["7" * length], 7, SUMS)
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize("digits", ["1" * 28, "9" * 40, "12" * 28, "1" * 56, "10" * 28])
def test_long_runs_within_the_limit_end_quickly(digits):
    started = time.perf_counter()
    try:
        runs.split([digits], 7, SUMS)
        runs.split([digits], 15, {4: (0, 1, 2, 3), 9: (5, 6, 7, 8), 14: (10, 11, 12, 13)})
    except runs.RunError as exc:
        assert "拆法太多" in str(exc)
    assert time.perf_counter() - started < 2


def requests_lines(rows: list[tuple[str, str]]) -> list[str]:
    """Table 三 of the 2021 format as copied text without separators: label and
    figures of each row on one line."""
    head = ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）申请人情况",
            "自然人法人或其他组织总计", "商业企业科研机构社会公益组织法律服务机构其他"]
    return head + [label + figures for label, figures in rows]


LABELS_2021 = [leaf.label for _, leaf in recognize.formats.load("2021").request_rows.leaves()]


def rows_2021(changes: dict[int, str]) -> list[tuple[str, str]]:
    """Every row of table 三 as a run of seven figures: 1 request, answered in full."""
    figures = {0: "1000001", 2: "1000001", 23: "1000001"}
    figures.update(changes)
    return [(label, figures.get(i, "0000000")) for i, label in enumerate(LABELS_2021)]


def read_requests(rows) -> tuple[dict, Recognized]:
    fmt = recognize.formats.load("2021")
    out = Recognized({}, fmt)
    return recognize.read_requests(fmt, requests_lines(rows), out), out


def test_rows_that_split_uniquely_are_read_and_said():
    data, out = read_requests(rows_2021({0: "15130000154", 2: "15130000154", 23: "15130000154"}))
    assert data["自然人"]["本年新收"] == 151 and data["商业企业"]["予以公开"] == 3
    assert any("表三「一、本年新收政府信息公开申请数量」一行的数字连在一起（15130000154），按各列之和拆分为 "
               "151 3 0 0 0 0 154" in n for n in out.notices)


def test_all_zero_rows_run_together():
    data, out = read_requests(rows_2021({0: "0000000", 2: "0000000", 23: "0000000"}))
    assert data == {}
    assert sum("0 0 0 0 0 0 0" in n for n in out.notices) == len(LABELS_2021)


def test_a_row_with_several_splits_is_decided_by_the_columns():
    # 「101000011」 is 10 1 0 0 0 0 11 or 1 0 10 0 0 0 11; the rows printed with their
    # separators (予以公开, （七）总计) balance only with the first.
    data, out = read_requests(rows_2021({0: "101000011", 2: "10 1 0 0 0 0 11", 23: "10 1 0 0 0 0 11"}))
    assert data["自然人"]["本年新收"] == 10 and data["商业企业"]["本年新收"] == 1
    assert any("按各列之和及各列的勾稽关系" in n and "拆分为 10 1 0 0 0 0 11" in n for n in out.notices)


def test_a_row_with_several_fits_is_refused():
    # Three rows that could each be read either way, and both ways balance.
    with pytest.raises(NotAReport) as caught:
        read_requests(rows_2021({0: "101000011", 2: "101000011", 23: "101000011"}))
    message = str(caught.value)
    assert "表三「一、本年新收政府信息公开申请数量」一行的数字连在一起（101000011），有 2 种拆法都符合合计" in message
    assert "「10 1 0 0 0 0 11」" in message and "不止一种组合" in message
    # Two ways for a row, and the other rows do not balance with either.
    with pytest.raises(NotAReport, match="有 2 种拆法都符合合计.*没有一种能使各列的勾稽关系成立"):
        read_requests(rows_2021({0: "101000011", 2: "12 0 0 0 0 0 12", 23: "12 0 0 0 0 0 12"}))


def test_a_row_without_a_split_is_refused():
    with pytest.raises(NotAReport, match="表三「（一）予以公开」一行的数字连在一起（1234567），没有一种拆法"):
        read_requests(rows_2021({2: "1234567"}))
    with pytest.raises(NotAReport, match=r"（7{60}），应有 7 个；若是数字连在一起，也无法拆分：共 60 位数字"):
        read_requests(rows_2021({2: "7" * 60}))
    started = time.perf_counter()
    with pytest.raises(NotAReport, match="共 5000 位数字"):
        read_requests(rows_2021({2: "7" * 5000}))
    assert time.perf_counter() - started < 2


def without_separators(text: str, first: str, last: str) -> str:
    """The rows from the one starting with ``first`` to the one starting with ``last``
    copied without the tabs between cells."""
    lines = text.split("\r\n")
    a = next(i for i, line in enumerate(lines) if line.startswith(first))
    b = next(i for i, line in enumerate(lines) if i >= a and line.startswith(last))
    lines[a: b + 1] = [line.replace("\t", "") for line in lines[a: b + 1]]
    return "\r\n".join(lines)


def copied_imports_as(example: Path, text: str, tmp_path: Path) -> str:
    """Copied text imports to the example's figures; returns what import said."""
    copied = tmp_path / "复制.txt"
    copied.write_text(text, encoding="utf-8")
    imported = tmp_path / "导入.yaml"
    code, _, err = invoke("import", copied, "-o", imported)
    assert code == 0, err
    assert figures(check_file(imported).report) == figures(check_file(example).report)
    return err


@pytest.mark.parametrize("example", [SHILI, YUEQING], ids=["shili", "yueqing"])
def test_copied_table_three_with_every_row_run_together(example, tmp_path):
    title, body = report_parts(example, tmp_path)
    text = without_separators(copied_text(modern_page(title, body)), "（本列数据的勾稽关系", "四、结转下年度")
    assert "一、本年新收政府信息公开申请数量" in text and "\t" not in text.split("本年新收")[1].split("四、结转")[0]
    err = copied_imports_as(example, text, tmp_path)
    assert "一行的数字连在一起" in err


def test_copied_table_four_run_together(tmp_path):
    title, body = report_parts(SHILI, tmp_path)
    text = without_separators(copied_text(modern_page(title, body)), "3\t1\t1\t1\t6", "3\t1\t1\t1\t6")
    assert "311162011411002" in text
    err = copied_imports_as(SHILI, text, tmp_path)
    assert "表四的数字连在一起（311162011411002），按每组总计等于前四项之和拆分为 3 1 1 1 6 2 0 1 1 4 1 1 0 0 2" in err


# -- Task 3: the opening paragraph's details as printed ---------------------------------

OPENINGS = [
    # A district in the south: the office inside one long clause, 传真 between the others.
    ("本报告由某某区人民政府办公室根据《中华人民共和国政府信息公开条例》（国令第711号）（以下简称《条例》）要求编制，"
     "内容包括总体情况、主动公开政府信息情况等。本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。"
     "本报告电子版可在“某某区人民政府门户网站”（http://www.mmq.gov.cn）查阅或下载。如对本报告有疑问，请与某某区人民政府"
     "办公室（区政务公开办）联系（地址：某某区府前路1号（行政中心3楼），邮编：510000，电话：020-12345678，"
     "传真：020-87654321，电子邮箱：mmqzw@mmq.gov.cn）。",
     "某某区人民政府办公室",
     {"办公室": "某某区人民政府办公室（区政务公开办）", "地址": "某某区府前路1号（行政中心3楼）", "邮编": "510000",
      "电话": "020-12345678", "电子邮件": "mmqzw@mmq.gov.cn"},
     {"名称": "“某某区人民政府门户网站”", "网址": "http://www.mmq.gov.cn"}),
    # A bureau in the north: 「……根据……要求，编制本报告」, details after the sentence, a postcode with 0.
    ("某某市某某区商务局根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，编制本报告。"
     "如对本报告有任何疑问，请与某某区商务局办公室联系。联系地址：某某市某某路88号；邮政编码：010010；"
     "联系电话：0471-1234567、0471-7654321；E-mail：abc_gk@163.com。",
     "某某市某某区商务局",
     {"办公室": "某某区商务局办公室", "地址": "某某市某某路88号", "邮编": "010010",
      "电话": "0471-1234567、0471-7654321", "电子邮件": "abc_gk@163.com"}, None),
    # 「依据……，某某局编制」, details separated by spaces only, 传真 right after the phone.
    ("依据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号），"
     "某某县交通运输局负责编制了本报告。如有疑问，可联系某某县交通运输局办公室。"
     "电话：0577-12345678 传真：0577-87654321 Email: jt@mmx.gov.cn",
     "某某县交通运输局",
     {"办公室": "某某县交通运输局办公室", "电话": "0577-12345678", "电子邮件": "jt@mmx.gov.cn"}, None),
    # 「本报告是……依据……编制的」, 「邮箱」 alone, half-width punctuation as some editors type it.
    ("本报告是某某县统计局依据《条例》编制的。如对本报告有疑问,请与某某县统计局联系(邮箱:tj@mmx.gov.cn;电话:0578-1234567)。",
     "某某县统计局", {"办公室": "某某县统计局", "电子邮件": "tj@mmx.gov.cn", "电话": "0578-1234567"}, None),
    # The compiling office combined the departments' reports: kept with what it combined.
    ("本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，由某某县人民政府办公室综合县政府各部门、"
     "各乡镇（街道）的年度报告编制。如对本报告有疑问，请与某某县人民政府办公室联系（电话：0570-1234567，"
     "电子邮件：gk@mmx.gov.cn）。",
     "某某县人民政府办公室综合县政府各部门、各乡镇（街道）的年度报告",
     {"办公室": "某某县人民政府办公室", "电话": "0570-1234567", "电子邮件": "gk@mmx.gov.cn"}, None),
]


@pytest.mark.parametrize("opening,compiler,contact,portal", OPENINGS,
                         ids=["district", "bureau", "basis-first", "half-width", "combined"])
def test_opening_details_as_printed(opening, compiler, contact, portal):
    out = Recognized({"机关名称": "某某县人民政府", "年度": 2023}, recognize.formats.load("2021"))
    recognize._opening_details([opening], out)
    assert out.data["编制单位"] == compiler
    assert out.data["联系方式"] == contact
    assert out.data.get("门户网站") == portal


def test_no_compiler_when_the_sentence_names_none():
    out = Recognized({"机关名称": "某某县人民政府", "年度": 2023}, recognize.formats.load("2021"))
    recognize._opening_details(["本年报按照《中华人民共和国政府信息公开条例》和《关于做好政府信息公开工作年度报告编制工作的"
                                "通知》相关文件要求编制。"], out)
    assert "编制单位" not in out.data
    out = Recognized({"机关名称": "某某县商务局", "年度": 2023}, recognize.formats.load("2021"))
    recognize._opening_details(["本报告由某某县商务局编制。"], out)
    assert "编制单位" not in out.data  # the agency itself
    recognize._opening_details(["本报告由本局负责编制。"], out)
    assert "编制单位" not in out.data


def test_opening_details_in_an_imported_page(tmp_path):
    title, body = report_parts(SHILI, tmp_path)
    opening, compiler, contact, _ = OPENINGS[0]
    start = body.index("<p>本报告根据")
    body = body[:start] + f"<p>{opening}</p>" + body[body.index("</p>", start) + 4:]
    page = tmp_path / "页面.html"
    page.write_text(modern_page(title, body), encoding="utf-8")
    imported = tmp_path / "导入.yaml"
    code, _, err = invoke("import", page, "-o", imported)
    assert code == 0, err
    import yaml

    data = yaml.safe_load(imported.read_text(encoding="utf-8"))
    assert data["编制单位"] == compiler and data["联系方式"] == contact
    assert data["开头"] == [opening]  # not mkreport's sentence: kept as printed
    assert not check_file(imported).errors


SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds not beside the repository")
def test_seed_city_report_opening_details(tmp_path):
    """Seed 002 (PDF text: gaps around figures, 「）上下载」) gives the example's details."""
    import yaml

    imported = tmp_path / "002.yaml"
    code, _, err = invoke("import", next(SEEDS.glob("002_*.txt")), "-o", imported)
    assert code == 0, err
    data = yaml.safe_load(imported.read_text(encoding="utf-8"))
    example = yaml.safe_load(YUEQING.read_text(encoding="utf-8"))
    assert data["编制单位"] == example["编制单位"]
    assert data["门户网站"] == example["门户网站"] and data["联系方式"] == example["联系方式"]


def test_labels_that_end_in_address():
    out = Recognized({"机关名称": "某某县人民政府", "年度": 2023}, recognize.formats.load("2021"))
    recognize._opening_details(["本报告电子版可在某某县人民政府门户网站（网站地址：http://www.mmx.gov.cn/）下载。"
                                "如对本报告有疑问，请与某某县人民政府办公室联系，电子邮箱地址：zf@mmx.gov.cn，"
                                "通讯地址：某某县府前街2号。"], out)
    assert out.data["门户网站"] == {"名称": "某某县人民政府门户网站", "网址": "http://www.mmx.gov.cn/"}
    assert out.data["联系方式"] == {"办公室": "某某县人民政府办公室", "电子邮件": "zf@mmx.gov.cn", "地址": "某某县府前街2号"}


def test_a_row_with_blank_cells_is_not_taken_for_a_run():
    with pytest.raises(NotAReport, match=r"只读到 6 个数（120 30 3 2 5 160），应有 7 个.*若有空着的格"):
        read_requests(rows_2021({0: "120 30 3 2 5 160"}))


def proactive_lines(regulations: str, normative: str) -> list[str]:
    return ["第二十条第（一）项", "信息内容本年制发件数本年废止件数现行有效件数", f"规章{regulations}",
            f"行政规范性文件{normative}", "第二十条第（五）项", "信息内容本年处理决定数量", "行政许可35",
            "第二十条第（六）项", "信息内容本年处理决定数量", "行政处罚12", "行政强制0", "第二十条第（八）项",
            "信息内容本年收费金额（单位：万元）", "行政事业性收费0"]


def test_table_two_run_together_is_cut_only_one_way():
    fmt = recognize.formats.load("2021")
    out = Recognized({}, fmt)
    data = recognize.read_proactive(fmt, proactive_lines("000", "1003"), out)
    assert data["行政规范性文件"] == {"本年制发件数": 10, "本年废止件数": 0, "现行有效件数": 3}
    assert "规章" not in data and data["行政许可"] == {"本年处理决定数量": 35}
    assert "表二「行政规范性文件」一行的数字连在一起（1003），只有一种拆法：10 0 3" in out.notices
    with pytest.raises(NotAReport, match="表二「行政规范性文件」一行的数字连在一起（8364），应为 3 个数，有 3 种拆法，"
                                         "表二没有合计可以核对"):
        recognize.read_proactive(fmt, proactive_lines("000", "8364"), Recognized({}, fmt))
    # With cells separated, a short row is blank cells, never cut.
    lines = [line.replace("规章000", "规章\t0\t0\t0").replace("行政规范性文件1003", "行政规范性文件\t\t\t1003")
             for line in proactive_lines("000", "1003")]
    with pytest.raises(NotAReport, match="表二中找不到「行政规范性文件」一行，或这一行的数字不全"):
        recognize.read_proactive(fmt, lines, Recognized({}, fmt))


def test_report_shown_only_by_a_script_is_read(tmp_path):
    """Some pages keep the article hidden until a script shows it (font size, tabs)."""
    title, body = report_parts(SHILI, tmp_path)
    page = tmp_path / "脚本显示.html"
    page.write_text(modern_page(title, f'<div id="zoom" style="display: none">{body}</div>'), encoding="utf-8")
    assert_imports_as(SHILI, page, tmp_path)
