"""One unit is one unit however its name is typed; what the clerk cannot see is
refused; a write respects the file it replaces; and nothing from a unit's files
reaches the terminal as a control sequence or a line of its own.

Each case runs the real command in a subprocess and reads the exact bytes it
printed or wrote.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import EXAMPLES, ROOT

SMALL = EXAMPLES / "mouxian-commerce-2021.yaml"
FULL = EXAMPLES / "shili-county-2023.yaml"
AGENCY_LINE = "机关名称: 某县商务局"


def run(*argv: object, cwd: Path) -> tuple[int, bytes, bytes]:
    result = subprocess.run([sys.executable, "-m", "generator.cli", *map(str, argv)], cwd=cwd,
                            capture_output=True, timeout=120, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    return result.returncode, result.stdout, result.stderr


def unit(folder: Path, file: str, agency: str) -> Path:
    text = SMALL.read_text(encoding="utf-8")
    assert AGENCY_LINE in text
    path = folder / file
    path.write_text(text.replace(AGENCY_LINE, f"机关名称: {agency}"), encoding="utf-8")
    return path


# -- merge: one unit, two spellings ------------------------------------------------

@pytest.mark.parametrize("variant", [
    "某县 商务局",           # a space
    "某县\u3000商务局",      # a full-width space
    "某县商务局 ",            # a trailing space (YAML keeps it when quoted)
    "ＸＸ县商务局",          # full-width letters against half-width
    "某省某县商务局",         # the province written in front
], ids=["space", "ideographic-space", "trailing", "fullwidth", "place-prefix"])
def test_merge_refuses_one_unit_under_two_spellings(variant, tmp_path):
    first = "XX县商务局" if variant.startswith("Ｘ") else "某县商务局"
    a = unit(tmp_path, "a.yaml", first)
    b = unit(tmp_path, "b.yaml", f'"{variant}"')
    code, out, err = run("merge", a, b, "--name", "某县", "-o", "all.yaml", cwd=tmp_path)
    message = err.decode("utf-8")
    assert code == 1, message
    assert "同一个单位" in message and "机关名称" in message and "b.yaml" in message
    assert not (tmp_path / "all.yaml").exists()


def test_merge_still_adds_two_different_units(tmp_path):
    a = unit(tmp_path, "a.yaml", "某县商务局")
    b = unit(tmp_path, "b.yaml", "某县发展和改革局")
    code, out, err = run("merge", a, b, "--name", "某县", "-o", "all.yaml", cwd=tmp_path)
    assert code == 0, err.decode("utf-8")
    assert "某县发展和改革局" in (tmp_path / "all.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("char", ["\u200b", "\u0301", "\ufeff", "\u202e", "\u2066"],
                         ids=["zwsp", "combining", "bom", "rlo", "lri"])
def test_merge_refuses_a_name_with_an_invisible_character(char, tmp_path):
    a = unit(tmp_path, "a.yaml", "某县商务局")
    b = unit(tmp_path, "b.yaml", f"某县{char}商务局")
    code, out, err = run("merge", a, b, "--name", "某县", "-o", "all.yaml", cwd=tmp_path)
    assert code == 1
    assert f"U+{ord(char):04X}" in err.decode("utf-8")
    assert not (tmp_path / "all.yaml").exists()


# -- check: what the clerk cannot see ---------------------------------------------

@pytest.mark.parametrize(("char", "name"), [
    ("\u202e", "从右到左覆盖"), ("\u200b", "零宽空格"), ("\u2066", "从左到右隔离"),
    ("\ufeff", "BOM"), ("\u00ad", "软连字符"), ("\u0301", "组合附加符号"),
])
def test_check_names_an_invisible_character_at_its_line_and_key(char, name, tmp_path):
    path = unit(tmp_path, "a.yaml", f"某县商务{char}局")
    line = path.read_text(encoding="utf-8").splitlines().index(f"机关名称: 某县商务{char}局") + 1
    code, out, err = run("check", path, cwd=tmp_path)
    message = err.decode("utf-8")
    assert code == 1
    assert f"a.yaml:{line}:" in message and "「机关名称」" in message
    assert f"U+{ord(char):04X}" in message and name in message
    assert char not in message  # the message itself shows the code, not the character


def test_invisible_characters_in_a_paragraph_are_found_too(tmp_path):
    text = SMALL.read_text(encoding="utf-8").replace("扎实推进", "扎实\u200b推进")
    path = tmp_path / "a.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, err = run("check", path, cwd=tmp_path)
    assert code == 1 and "U+200B" in err.decode("utf-8") and "概述" in err.decode("utf-8")


def test_marks_that_belong_to_a_script_and_variation_selectors_pass(tmp_path):
    # A Tibetan name keeps its vowel signs; an ideographic variation selector picks a glyph.
    path = unit(tmp_path, "a.yaml", "某县商务局（བོད་）葛\U000E0100")
    code, out, err = run("check", path, cwd=tmp_path)
    assert code == 0, err.decode("utf-8")


# -- writes respect the file -------------------------------------------------------

def test_a_read_only_output_is_refused_and_left_alone(tmp_path):
    output = tmp_path / "report.docx"
    output.write_bytes(b"an earlier report that must survive")
    output.chmod(0o444)
    code, out, err = run(SMALL, "-o", output, cwd=tmp_path)
    assert code == 1 and "只读" in err.decode("utf-8")
    assert output.read_bytes() == b"an earlier report that must survive"
    assert stat.S_IMODE(output.stat().st_mode) == 0o444


def test_a_read_only_yaml_is_not_replaced_by_init_force(tmp_path):
    output = tmp_path / "unit.yaml"
    output.write_text("机关名称: 旧\n", encoding="utf-8")
    output.chmod(0o444)
    code, out, err = run("init", "--year", "2024", "-o", output, "--force", cwd=tmp_path)
    assert code == 1 and "只读" in err.decode("utf-8")
    assert output.read_text(encoding="utf-8") == "机关名称: 旧\n"


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_writing_to_a_symlink_updates_the_file_it_points_to(tmp_path):
    (tmp_path / "2024").mkdir()
    real = tmp_path / "2024" / "单位.yaml"
    real.write_text("机关名称: 旧\n", encoding="utf-8")
    link = tmp_path / "current.yaml"
    link.symlink_to(Path("2024") / "单位.yaml")
    code, out, err = run("init", "--year", "2024", "-o", link, "--force", cwd=tmp_path)
    assert code == 0, err.decode("utf-8")
    assert link.is_symlink() and os.readlink(link) == os.path.join("2024", "单位.yaml")
    assert "年度: 2024" in real.read_text(encoding="utf-8")
    assert not list((tmp_path / "2024").glob(".~mkreport-*"))  # nothing left behind

    report_link = tmp_path / "report.docx"
    (tmp_path / "out").mkdir()
    report_link.symlink_to(Path("out") / "报告.docx")  # dangling until written
    code, out, err = run(SMALL, "-o", report_link, cwd=tmp_path)
    assert code == 0, err.decode("utf-8")
    assert report_link.is_symlink() and (tmp_path / "out" / "报告.docx").stat().st_size > 1000


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_a_link_to_an_input_is_still_an_input(tmp_path):
    source = tmp_path / "a.yaml"
    shutil.copy(SMALL, source)
    link = tmp_path / "b.yaml"
    link.symlink_to("a.yaml")
    before = source.read_bytes()
    code, out, err = run("init", "--from", link, "-o", source, "--force", cwd=tmp_path)
    assert code == 1
    assert source.read_bytes() == before


# -- nothing from a unit's files drives the terminal --------------------------------

ESCAPES = "\x1b]0;pwned\x07\x1b[1A\x1b[2K"


def _no_control(data: bytes) -> None:
    text = data.decode("utf-8")
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text, text


@pytest.mark.skipif(os.name == "nt", reason="file names with control characters are not allowed on Windows")
def test_build_prints_a_unit_file_name_escaped_and_on_one_line(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SMALL, folder / "good.yaml")
    forged = f"bad{ESCAPES}\n  good.yaml：错误：伪造的一行\u202e.yaml"
    (folder / forged).write_text("机关名称: [\n", encoding="utf-8")
    code, out, err = run("build", folder, "-o", tmp_path / "out", "-j", "1", cwd=tmp_path)
    assert code == 1
    _no_control(out + err)
    lines = (out + err).decode("utf-8").splitlines()
    assert not any(line.startswith("  good.yaml") for line in lines), lines
    assert sum("bad<U+001B>" in line for line in lines) == 1


def test_check_prints_keys_and_text_from_the_file_escaped(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text(SMALL.read_text(encoding="utf-8").replace(
        AGENCY_LINE, f'{AGENCY_LINE}\n"未知{ESCAPES}\\n  a.yaml:1: 错误": 1'), encoding="utf-8")
    code, out, err = run("check", path, cwd=tmp_path)
    assert code == 1
    _no_control(out + err)
    assert not any(line.startswith("  a.yaml:1") for line in err.decode("utf-8").splitlines())


def test_import_prints_document_text_escaped(tmp_path):
    source = tmp_path / "a.yaml"
    shutil.copy(FULL, source)
    code, out, err = run(source, "-o", tmp_path / "a.html", cwd=tmp_path)
    assert code == 0, err
    html = (tmp_path / "a.html").read_text(encoding="utf-8")
    heading = "<h3>（一）存在的主要问题</h3>"
    assert heading in html  # local wording of a sub-heading is told, quoting it
    html = html.replace(heading, f"<h3>（一）存在的主要问题{ESCAPES}\u202e</h3>", 1)
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    code, out, err = run("import", page, "-o", tmp_path / "b.yaml", cwd=tmp_path)
    _no_control(out + err)
    assert "<U+001B>" in err.decode("utf-8")  # the text was printed, escaped


def test_a_key_with_an_invisible_character_is_told_why_it_is_unknown(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text(SMALL.read_text(encoding="utf-8").replace(AGENCY_LINE, AGENCY_LINE.replace(":", "\u200b:")),
                    encoding="utf-8")
    code, out, err = run("check", path, cwd=tmp_path)
    assert code == 1 and "键名里有看不见的字符 U+200B（零宽空格）" in err.decode("utf-8")
