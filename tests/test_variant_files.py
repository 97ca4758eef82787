"""Variant files (格式文件) a province hands to every unit: whatever is wrong in
one, each command that reads it says what, in Chinese, at the file, line and
key, ends with exit 1 and writes nothing; an id in any writing just works.

Each case runs the real command in a subprocess, once for each command that
takes ``--format-file`` (check, render, labels, import, audit), under a wrapper
that reports the command's peak memory. The time limit is a guard against
hangs, not a speed measure.
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from helpers import EXAMPLES, ROOT, WRAPPER, invoke
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FULL = EXAMPLES / "shili-county-2023.yaml"
OFFICIAL_2021 = ROOT / "generator" / "formats" / "gov2021.yaml"
HANG_GUARD = 120  # seconds
MEMORY_LIMIT_KB = 200 * 1024


# Python's own words, which must never reach a clerk.
PYTHON_TEXT = ("Error", "error:", "object has no attribute", "Traceback", "subscriptable", "NoneType",
               "is not of type", "required property", "Additional properties", "not a \"uri", "内部错误")
ENGLISH_SENTENCE = re.compile(r"[A-Za-z]{2,} [A-Za-z]{2,} [A-Za-z]{2,}")


def run(*argv: object, cwd: Path) -> tuple[int, str, int]:
    """(exit code, stderr + stdout, peak memory in KB) of ``mkreport argv``."""
    memory = cwd.parent / f".peak-{cwd.name}"
    result = subprocess.run(
        [sys.executable, "-c", WRAPPER, str(memory), sys.executable, "-m", "generator.cli",
         *map(str, argv)],
        cwd=cwd, capture_output=True, text=True, timeout=HANG_GUARD,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )
    return result.returncode, result.stderr + result.stdout, int(memory.read_text())


def commands(report: Path) -> dict[str, list[object]]:
    """Every command that reads a variant file, each given ``v.yaml``."""
    return {
        "check": ["check", FULL, "--format-file", "v.yaml"],
        "render": [FULL, "-o", "报告.docx", "--format-file", "v.yaml"],
        "labels": ["labels", "--format-file", "v.yaml"],
        "import": ["import", report, "--format-file", "v.yaml", "-o", "导入.yaml"],
        "audit": ["audit", report, "--format-file", "v.yaml"],
    }


def assert_plain_chinese(text: str) -> None:
    for words in PYTHON_TEXT:
        assert words not in text, text
    assert not ENGLISH_SENTENCE.search(text), text


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """A report as a unit publishes it (official wording), for import and audit."""
    folder = tmp_path_factory.mktemp("published")
    code, text, _ = run(FULL, "-o", "示例县2023.docx", cwd=folder)
    assert code == 0, text
    return folder / "示例县2023.docx"


def chain(depth: int) -> dict[str, str]:
    """``depth`` variant files, each extending the next; the last extends 2021."""
    files = {("v.yaml" if i == 0 else f"链{i}.yaml"): f"extends: 链{i + 1}.yaml\n" for i in range(depth)}
    files[f"链{depth}.yaml"] = 'extends: "2021"\n'
    return files


@dataclass
class Case:
    id: str
    files: dict[str, str]  # v.yaml is the one named by --format-file
    says: list[str] = field(default_factory=list)  # each in the output of every command


ROWS_WITHOUT_CARRIED_IN = """\
extends: "2021"
requests:
  rows:
    - {key: 本年新收, role: received}
    - key: 本年度办理结果
      children: [予以公开, {key: 总计, total: true}]
    - {key: 结转下年度, role: carried_out}
"""

BLOCKS = """\
extends: "2021"
proactive:
  blocks:
    - header: 第二十条第（一）项
      columns:
        - {key: 本年制发件数, type: %s}
      rows: [规章]
"""

CASES = [
    # The cases a province's file is known to hit.
    Case("dropped-role", {"v.yaml": ROWS_WITHOUT_CARRIED_IN},
         ["v.yaml:3:3", "「requests.rows」", "缺少 role: carried_in 的一行（上年结转）"]),
    Case("bad-type", {"v.yaml": BLOCKS % "bogus"},
         ["v.yaml:6:", "「proactive.blocks[1].columns[1].type」", "这里写的是文字「bogus」", "amount"]),
    Case("empty-column-list", {"v.yaml": 'extends: "2021"\nappeals:\n  columns: []\n'},
         ["v.yaml:3:", "「appeals.columns」", "不能是空列表"]),
    Case("extends-chain-1000-deep", chain(1000), ["「extends」", "超过了 8 层"]),
    Case("extends-cycle", {"v.yaml": "extends: 乙.yaml\n", "乙.yaml": "extends: ./v.yaml\n"},
         ["乙.yaml:1:10", "「extends」", "循环引用"]),
    Case("number-for-mapping", {"v.yaml": 'extends: "2021"\nrequests: 3\n'},
         ["v.yaml:2:", "「requests」", "应是「键: 值」", "数字 3"]),
    Case("list-for-string", {"v.yaml": 'extends: "2021"\nname: [某省, 格式]\n'},
         ["v.yaml:2:", "「name」", "应是文字", "列表"]),
    Case("mapping-for-label", {"v.yaml": 'extends: "2021"\nlabels:\n  表二/第二十条第（一）项/规章: {a: 1}\n'},
         ["v.yaml:3:", "「labels.表二/第二十条第（一）项/规章」", "应是文字"]),
    # Found by attacking.
    Case("role-of-another-table", {"v.yaml": 'extends: "2021"\nreplace:\n'
                                             "  表三/本年新收: {key: 本年新收, role: reviews}\n"},
         ["v.yaml:3:", "「replace.表三/本年新收.role」", "received"]),
    Case("summary-under-no-aspect", {"v.yaml": 'extends: "2021"\nrequests_summary_aspect: 依申请办理\n'},
         ["v.yaml:2:", "「requests_summary_aspect」", "不是 overview_aspects 中的一项"]),
    Case("unprintable-label", {"v.yaml": 'extends: "2021"\nlabels:\n  表二/第二十条第（一）项/规章: "规\\a章"\n'},
         ["v.yaml:3:", "「labels.表二/第二十条第（一）项/规章」", "U+0007"]),
    Case("number-for-row", {"v.yaml": 'extends: "2021"\noverview_aspects: [主动公开, 5]\n'},
         ["v.yaml:2:", "「overview_aspects[2]」", "数字 5"]),
    Case("misspelt-key", {"v.yaml": 'extends: "2021"\nlables:\n  表二/第二十条第（一）项/规章: 规范\n'},
         ["v.yaml:2:1", "「lables」", "是不是「labels」"]),
    Case("too-deep", {"v.yaml": 'extends: "2021"\nreplace:\n  表四/行政复议/结果维持:\n'
                                "    {key: 结果维持, children: [{key: a, children: [b]}]}\n"},
         ["v.yaml:4:", "「replace.表四/行政复议/结果维持.children[1].children」", "层级太深"]),
    Case("twin-rows", {"v.yaml": (BLOCKS % "count").replace("rows: [规章]", "rows: [规章, 规章]")},
         ["v.yaml:7:", "「proactive.blocks[1].rows[2]」", "重名"]),
    Case("two-totals", {"v.yaml": 'extends: "2021"\nrequests:\n  columns: [自然人, {key: 总计, total: true}, '
                                  "{key: 合计, total: true}]\n"},
         ["v.yaml:3:", "「requests.columns[3]」", "只能有一列 total: true"]),
    Case("too-many-columns", {"v.yaml": 'extends: "2021"\nrequests:\n  columns: ['
                                        + ", ".join(f"第{i}类" for i in range(40)) + ", {key: 总计, total: true}]\n"},
         ["v.yaml:3:", "「requests.columns」", "最多写 12 项"]),
    Case("section-key-of-another-use", {"v.yaml": 'extends: "2021"\nsections:\n'
                                                  "  overview: {key: 机关名称, label: 总体情况}\n"},
         ["v.yaml:3:", "「sections.overview.key」", "机关名称"]),
    Case("empty-id", {"v.yaml": 'extends: "2021"\nid:\n'}, ["v.yaml:2:", "「id」", "空的"]),
    Case("yes-for-true", {"v.yaml": 'extends: "2021"\nfee_statement: 是\n'},
         ["v.yaml:2:", "「fee_statement」", "true 或 false"]),
    Case("first-line-forgotten", {"v.yaml": "id: 2021-某省\nname: 某省格式\n"}, ["「extends」", "缺少「extends」"]),
    Case("broken-parent", {"v.yaml": 'extends: 省.yaml\nid: 市\n', "省.yaml": 'extends: "2021"\nfirst_year: 二〇二一\n'},
         ["省.yaml:2:", "「first_year」", "四位数的年份"]),
    Case("every-problem-at-once", {"v.yaml": 'extends: "2021"\nid: [x]\nfirst_year: abc\nlast_year: 2000\n'
                                             "sections:\n  foo: x\nrequests:\n  columns: [a, a]\n"
                                             "labels:\n  表三/没有这一行: x\n"},
         ["7 处错误", "「id」", "「first_year」", "「sections.foo」", "「requests.columns[2]」",
          "「requests.columns」：申请人的各列中缺少合计一列", "「labels.表三/没有这一行」", "「last_year」"]),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_broken_variant_file(case: Case, published, tmp_path):
    folder = tmp_path / "work"
    folder.mkdir()
    for name, text in case.files.items():
        (folder / name).write_text(text, encoding="utf-8")
    before = snapshot(folder)
    for command, argv in commands(published).items():
        code, out, memory = run(*argv, cwd=folder)
        assert code == 1, (command, out)
        # check and render list each problem at its line; the other commands say
        # 「格式文件 … 有 N 处错误」 first.
        assert ".yaml:" in out or "格式文件" in out, (command, out)
        for words in case.says:
            assert words in out, (command, words, out)
        assert_plain_chinese(out)
        assert memory < MEMORY_LIMIT_KB, (command, memory)
        assert snapshot(folder) == before, command  # nothing written, nothing touched


ODD_IDS = ["2021-浙江", "浙江 2021 版", "浙江#2", "浙江/温州", "#/definitions/x", "%2F~1 ~0"]


@pytest.mark.parametrize("variant_id", ODD_IDS)
def test_any_id_works(variant_id: str, published, tmp_path):
    """A province writes its id as it likes: every command works with it."""
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "v.yaml").write_text(f'extends: "2021"\nid: {json.dumps(variant_id, ensure_ascii=False)}\n'
                                   "name: 2021年版格式（某省）\nlabels:\n  表二/第二十条第（一）项/行政规范性文件: 规范性文件\n",
                                   encoding="utf-8")
    for command, argv in commands(published).items():
        code, out, _ = run(*argv, cwd=folder)
        assert "内部错误" not in out and "格式文件" not in out, (command, out)
        if command != "audit":  # audit also reports what it finds in the report itself
            assert code == 0, (command, out)
    assert (folder / "报告.docx").is_file() and (folder / "导入.yaml").is_file()
    assert "格式文件: v.yaml" in (folder / "导入.yaml").read_text(encoding="utf-8")


def labels_of(folder: Path, variant: str) -> tuple[int, str]:
    (folder / "v.yaml").write_text(variant, encoding="utf-8")
    code, out, _ = run("labels", "--format-file", "v.yaml", cwd=folder)
    return code, out


def test_false_is_false(tmp_path):
    """`fee_statement: false` turns the fee statement off; it was read as the text "false", which is true."""
    code, out = labels_of(tmp_path, 'extends: "2021"\nfee_statement: false\n')
    assert code == 0, out
    assert "其他需要报告的事项/信息处理费" not in out
    code, out = labels_of(tmp_path, 'extends: "2021"\nfee_statement: true\n')
    assert code == 0 and "其他需要报告的事项/信息处理费: 收取信息处理费情况" in out


def test_total_false_is_not_a_total(tmp_path):
    """A row written with `total: false` is an ordinary row the clerk fills in."""
    (tmp_path / "v.yaml").write_text('extends: "2021"\nreplace:\n'
                                     "  表三/上年结转: {key: 上年结转, role: carried_in, total: false}\n",
                                     encoding="utf-8")
    code, out, _ = run("check", FULL, "--format-file", "v.yaml", cwd=tmp_path)
    assert code == 0, out
    assert "检查通过" in out


def test_heading_without_its_number_keeps_the_number(tmp_path):
    """「政府信息公开行政复议、行政诉讼情况」 is a title whose 「、」 is not a number's."""
    code, out = labels_of(tmp_path, 'extends: "2021"\nsections:\n  appeals: 政府信息公开行政复议、行政诉讼情况\n'
                                    "  problems: 五、存在的主要问题及整改措施\n")
    assert code == 0, out
    assert "章节/政府信息公开行政复议、行政诉讼情况: 四、政府信息公开行政复议、行政诉讼情况" in out
    assert "章节/存在的主要问题及改进情况: 五、存在的主要问题及整改措施" in out


# -- Mutations of valid variant files ---------------------------------------------------

MINIMAL = "机关名称: 某县商务局\n年度: 2023\n"
PROVINCE = {
    "extends": "2021", "id": "2021-某省", "name": "2021年版格式（某省）",
    "sections": {"problems": "五、存在的主要问题及整改措施"},
    "labels": {"表二/第二十条第（一）项/行政规范性文件": "规范性文件",
               "表二/第二十条第（八）项/本年收费金额": "本年收费金额（单位：万元，保留4位小数）"},
    "replace": {"表三/本年度办理结果/其他处理": {"key": "其他处理", "label": "（六）其他处理"}},
}
# The whole official format written out as a variant of its own (no extends).
WHOLE = {**json.loads(json.dumps(yaml.safe_load(OFFICIAL_2021.read_text(encoding="utf-8")))),
         "id": "某省完整格式"}
ODD_VALUES = [None, 0, 7, -1, "2.5", "", "x", "总计", "true", "false", "null", "2021", "../v.yaml", [], ["x"],
              [1, 2], {}, {"key": "x"}, {"key": "总计", "total": True}, {"a": {"b": 1}}, [{"key": "y"}, "y"]]


@st.composite
def mutated(draw) -> dict:
    """A valid variant file with one to three places deleted, replaced or doubled."""
    data = copy.deepcopy(draw(st.sampled_from([PROVINCE, WHOLE])))
    for _ in range(draw(st.integers(1, 3))):
        parent, key = None, None
        node = data
        while isinstance(node, (dict, list)) and node:
            keys = list(node) if isinstance(node, dict) else list(range(len(node)))
            parent, key = node, draw(st.sampled_from(keys))
            node = parent[key]
            if draw(st.integers(0, 3)) == 0:
                break
        if parent is None:
            break
        action = draw(st.sampled_from(["delete", "replace", "double"]))
        if action == "delete":
            del parent[key]
        elif action == "replace":
            parent[key] = copy.deepcopy(draw(st.sampled_from(ODD_VALUES)))
        elif isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
        else:
            parent[f"{key}2"] = copy.deepcopy(parent[key])
    return data


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutated())
def test_mutated_variant_never_breaks_a_command(tmp_path, variant):
    """Keys deleted, values of another kind, rows doubled: the CLI answers in Chinese
    (invoke() itself fails on 「内部错误」), and a report is built whenever the
    variant is accepted."""
    (tmp_path / "v.yaml").write_text(yaml.safe_dump(variant, allow_unicode=True, sort_keys=False),
                                     encoding="utf-8")
    (tmp_path / "单位.yaml").write_text(MINIMAL, encoding="utf-8")
    output = tmp_path / "单位.docx"
    output.unlink(missing_ok=True)
    code, out, err = invoke("labels", "--format-file", tmp_path / "v.yaml")
    assert code in (0, 1)
    assert_plain_chinese(out + err)
    accepted = code == 0
    code, out, err = invoke(tmp_path / "单位.yaml", "-o", output, "--format-file", tmp_path / "v.yaml")
    assert_plain_chinese(out + err)
    assert code == (0 if accepted else 1), err
    assert output.exists() == accepted
