"""Hostile and Windows-made files: every one ends quickly with exit 0 or 1, a
Chinese message, no internal error, and no existing output touched.

Each case runs the real command in a subprocess (a hang or a runaway cannot
take the test run with it) under a wrapper that reports the peak memory of
the command. The time limit is a guard against hangs, not a speed measure;
``benchmarks/run.py`` measures speed.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from helpers import EXAMPLES, ROOT, WRAPPER

SMALL = EXAMPLES / "mouxian-commerce-2021.yaml"
FULL = EXAMPLES / "shili-county-2023.yaml"
REFERENCE = ROOT / "templates" / "reference.docx"
SENTINEL = b"an earlier report that must survive"
HANG_GUARD = 60  # seconds; a case that is still running then is hung
MEMORY_LIMIT_KB = 200 * 1024


def run(*argv: object, cwd: Path) -> tuple[int, str, int]:
    """(exit code, stderr + stdout, peak memory in KB) of ``mkreport argv``."""
    memory = cwd / ".peak"
    result = subprocess.run(
        [sys.executable, "-c", WRAPPER, str(memory), sys.executable, "-m", "generator.cli",
         *map(str, argv)],
        cwd=cwd, capture_output=True, text=True, timeout=HANG_GUARD,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )
    return result.returncode, result.stderr + result.stdout, int(memory.read_text())


def text_of(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def with_line(source: Path, after: str, line: str) -> str:
    """``source`` with ``line`` inserted after the first line starting with ``after``."""
    out = []
    done = False
    for old in text_of(source).split("\n"):
        out.append(old)
        if not done and old.startswith(after):
            out.append(line)
            done = True
    assert done
    return "\n".join(out)


def replaced(source: Path, old: str, new: str) -> str:
    text = text_of(source)
    assert old in text
    return text.replace(old, new, 1)


def alias_bomb() -> str:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ", ".join(f"*{prev}" for _ in range(9)) + "]")
    return "\n".join(lines) + "\n"


def docx_with(changes: dict[str, bytes], drop: tuple[str, ...] = ()) -> bytes:
    """The reference document with some parts replaced."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(REFERENCE) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for name in src.namelist():
            if name not in changes and name not in drop:
                out.writestr(name, src.read(name))
        for name, data in changes.items():
            out.writestr(name, data)
    return buffer.getvalue()


def reference_part(name: str) -> bytes:
    with zipfile.ZipFile(REFERENCE) as z:
        return z.read(name)


def zip_bomb(path: Path) -> None:
    """A 2 MB .docx holding one part that unpacks to 2 GiB."""
    with zipfile.ZipFile(REFERENCE) as src, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for name in src.namelist():
            out.writestr(name, src.read(name))
        info = zipfile.ZipInfo("word/media/huge.bin")
        info.compress_type = zipfile.ZIP_DEFLATED
        with out.open(info, "w", force_zip64=True) as handle:
            block = b"\0" * (1 << 24)
            for _ in range(128):
                handle.write(block)
    assert path.stat().st_size < 3 * 1024 * 1024


def _document_bomb(path: Path) -> None:
    """A .docx whose body unpacks to 1 GiB."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        info = zipfile.ZipInfo("word/document.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with out.open(info, "w", force_zip64=True) as handle:
            for _ in range(64):
                handle.write(b" " * (1 << 24))


ENTITY_BOMB = (b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
               + b"".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode()
                          for i in range(8))
               + b']><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
               + b"&i;</w:styles>")


@dataclass
class Case:
    id: str
    files: dict[str, str | bytes | Callable[[Path], None]]
    argv: list[str]
    code: int
    says: list[str] = field(default_factory=list)
    never: list[str] = field(default_factory=list)


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _symlink_to(target: str) -> Callable[[Path], None]:
    return lambda path: path.symlink_to(target)


CASES = [
    # Windows-made files are read.
    Case("crlf", {"in.yaml": text_of(FULL).replace("\n", "\r\n")}, ["in.yaml", "-o", "out.docx"], 0),
    Case("cr-only", {"in.yaml": text_of(SMALL).replace("\n", "\r")}, ["in.yaml", "-o", "out.docx"], 0),
    Case("bom", {"in.yaml": b"\xef\xbb\xbf" + FULL.read_bytes()}, ["in.yaml", "-o", "out.docx"], 0),
    Case("gb18030", {"in.yaml": text_of(FULL).encode("gb18030")}, ["in.yaml", "-o", "out.docx"], 0,
         ["GBK（GB18030）编码"]),
    Case("utf16", {"in.yaml": text_of(SMALL).encode("utf-16")}, ["in.yaml", "-o", "out.docx"], 0),
    Case("broken-utf8", {"in.yaml": text_of(FULL).encode() + "机关".encode()[:-1] + b"\n"},
         ["in.yaml", "-o", "out.docx"], 1, ["不是 UTF-8 编码"]),
    # Scalars as written.
    Case("postcode", {"in.yaml": replaced(FULL, "邮编: 310000", "邮编: 071000")},
         ["in.yaml", "-o", "out.html"], 0),
    Case("octal-count", {"in.yaml": replaced(FULL, "本年新收: 120", "本年新收: 010")},
         ["in.yaml", "-o", "out.docx"], 1, ["数字前面不要加 0，写成 10"]),
    Case("sexagesimal", {"in.yaml": replaced(FULL, "本年新收: 120", "本年新收: 1:30")},
         ["in.yaml", "-o", "out.docx"], 1, ["数字里不要有冒号"]),
    Case("hex", {"in.yaml": replaced(FULL, "本年新收: 120", "本年新收: 0x2")},
         ["in.yaml", "-o", "out.docx"], 1, ["只写十进制数字"]),
    Case("exponent", {"in.yaml": replaced(FULL, "本年新收: 120", "本年新收: 1e308")},
         ["in.yaml", "-o", "out.docx"], 1, ["不要用科学计数法"]),
    Case("yes", {"in.yaml": replaced(FULL, "本年新收: 120", "本年新收: yes")},
         ["in.yaml", "-o", "out.docx"], 1, ["「yes」不是数字"]),
    Case("huge-exponent-amount", {"in.yaml": with_line(SMALL, "年度", "其他需要报告的事项:\n  信息处理费:\n"
                                                        "    收费金额: 1.0e+999999999")},
         ["in.yaml", "-o", "out.html"], 1, ["不要用科学计数法"]),
    Case("long-integer", {"in.yaml": replaced(FULL, "本年新收: 120", "本年新收: " + "9" * 5000)},
         ["in.yaml", "-o", "out.docx"], 1, ["数字太长（5000 个字符）"]),
    Case("too-large-count", {"in.yaml": replaced(FULL, "本年新收: 120", "本年新收: 123456789012")},
         ["in.yaml", "-o", "out.docx"], 1, ["数字太大"]),
    Case("blank-figure", {"in.yaml": replaced(FULL, "本年新收: 120", "本年新收:")},
         ["in.yaml", "-o", "out.docx"], 1, ["「本年新收」还没有填写", "写上数字（没有就写 0），或者删去这一行"]),
    Case("explicit-int-tag", {"in.yaml": replaced(FULL, "本年新收: 120", "本年新收: !!int abc")},
         ["in.yaml", "-o", "out.docx"], 1, ["不支持类型标记"]),
    Case("python-tag", {"in.yaml": replaced(FULL, "本年新收: 120", "本年新收: !!python/name:os.system")},
         ["in.yaml", "-o", "out.docx"], 1, ["不支持类型标记"]),
    # Text that a Word file cannot hold, however typed.
    Case("fffe-raw", {"in.yaml": replaced(FULL, "机关名称: ", "机关名称: \ufffe")},
         ["in.yaml", "-o", "out.docx"], 1, ["控制字符"]),
    Case("fffe-escape", {"in.yaml": replaced(FULL, "机关名称: 示例县人民政府", '机关名称: "示例县\\uFFFE"')},
         ["in.yaml", "-o", "out.docx"], 1, ["控制字符"]),
    Case("c1-escape", {"in.yaml": replaced(FULL, "机关名称: 示例县人民政府", '机关名称: "示例县\\x85\\u0090"')},
         ["in.yaml", "-o", "out.docx"], 1, ["控制字符"]),
    Case("surrogate-escape", {"in.yaml": replaced(FULL, "机关名称: 示例县人民政府", '机关名称: "示例县\\ud800"')},
         ["in.yaml", "-o", "out.docx"], 1, ["转义写的不是有效的字符"]),
    Case("newline-in-name", {"in.yaml": replaced(FULL, "机关名称: 示例县人民政府", '机关名称: "示例县\\n开头: 注入"')},
         ["in.yaml", "-o", "out.docx"], 1, ["这一项只能写一行"]),
    Case("terminal-escape-key", {"in.yaml": with_line(SMALL, "年度", '"\\e[2J": 1')},
         ["in.yaml", "-o", "out.docx"], 1, ["<U+001B>"], ["\x1b"]),
    # Bounded work.
    Case("alias-bomb", {"in.yaml": alias_bomb()}, ["in.yaml", "-o", "out.docx"], 1, ["不支持锚点"]),
    Case("alias-bomb-format", {"v.yaml": 'extends: "2021"\n' + alias_bomb()},
         [str(SMALL), "-o", "out.docx", "--format-file", "v.yaml"], 1, ["不支持锚点"]),
    Case("merge-key", {"in.yaml": "base: &b {机关名称: x}\n<<: *b\n年度: 2021\n"},
         ["in.yaml", "-o", "out.docx"], 1, ["不支持"]),
    Case("deep-flow", {"in.yaml": "机关名称: " + "[" * 100000 + "]" * 100000 + "\n"},
         ["in.yaml", "-o", "out.docx"], 1, ["层级太深"]),
    Case("deep-block", {"in.yaml": "".join("  " * i + f"k{i}:\n" for i in range(60)) + "  " * 60 + "x: 1\n"},
         ["in.yaml", "-o", "out.docx"], 1, ["层级太深"]),
    Case("too-many-keys", {"in.yaml": "机关名称: x\n年度: 2021\n" + "".join(f"k{i}: 1\n" for i in range(150_000))},
         ["in.yaml", "-o", "out.docx"], 1, ["内容太多"]),
    Case("too-many-paragraphs", {"in.yaml": "机关名称: x\n年度: 2021\n总体情况:\n  概述:\n"
                                            + "".join(f"    - 第{i}段\n" for i in range(100_000))},
         ["in.yaml", "-o", "out.docx"], 1, ["内容太多"]),
    Case("input-too-large", {"in.yaml": text_of(SMALL) + "# " + "填" * 1_000_000 + "\n"},
         ["in.yaml", "-o", "out.docx"], 1, ["太大"]),
    Case("input-dev-zero", {"in.yaml": _symlink_to("/dev/zero")}, ["in.yaml", "-o", "out.docx"], 1,
         ["不是普通文件"]),
    Case("input-fifo", {"in.yaml": _fifo}, ["in.yaml", "-o", "out.docx"], 1, ["不是普通文件"]),
    Case("input-folder", {"in.yaml": lambda p: p.mkdir()}, ["in.yaml", "-o", "out.docx"], 1,
         ["文件夹"], ["Is a directory", "Invalid value"]),
    Case("previous-fifo", {"in.yaml": with_line(SMALL, "年度", "上年报告: prev.yaml"), "prev.yaml": _fifo},
         ["in.yaml", "-o", "out.docx"], 0, ["不是普通文件"]),
    Case("previous-dev-zero", {"in.yaml": with_line(SMALL, "年度", "上年报告: /dev/zero")},
         ["in.yaml", "-o", "out.docx"], 0, ["不是普通文件"]),
    Case("previous-foreign-file", {"in.yaml": with_line(SMALL, "年度", "上年报告: secret.txt"),
                                   "secret.txt": "root:x:0:0:root:/root:/bin/bash\npassword: hunter2\n"},
         ["in.yaml", "-o", "out.docx"], 0, ["上年报告"], ["root:x", "hunter2"]),
    Case("previous-is-self", {"in.yaml": with_line(SMALL, "年度", "上年报告: in.yaml")},
         ["in.yaml", "-o", "out.docx"], 1, ["上年报告指向本文件自己"]),
    Case("extends-dev-zero", {"v.yaml": "extends: /dev/zero\n"},
         [str(SMALL), "-o", "out.docx", "--format-file", "v.yaml"], 1, ["不是普通文件"]),
    Case("extends-cycle", {"sub/.keep": "", "v.yaml": "extends: ./sub/../v.yaml\n"},
         [str(SMALL), "-o", "out.docx", "--format-file", "v.yaml"], 1, ["循环引用"]),
    Case("reference-zip-bomb", {"ref.docx": zip_bomb},
         [str(SMALL), "-o", "out.docx", "--reference-doc", "ref.docx"], 1, ["参考文档"]),
    Case("reference-bad-xml", {"ref.docx": docx_with({"word/styles.xml": b"<w:styles><unclosed>"})},
         [str(SMALL), "-o", "out.docx", "--reference-doc", "ref.docx"], 1, ["不是有效的 XML"]),
    Case("reference-entity-bomb", {"ref.docx": docx_with({"word/styles.xml": ENTITY_BOMB})},
         [str(SMALL), "-o", "out.docx", "--reference-doc", "ref.docx"], 1, ["DOCTYPE"]),
    Case("reference-bad-margin", {"ref.docx": docx_with({"word/document.xml": reference_part(
        "word/document.xml").replace(b'w:left="', b'w:left="x', 1)})},
         [str(SMALL), "-o", "out.docx", "--reference-doc", "ref.docx"], 1, ["页边距"]),
    Case("reference-not-docx", {"ref.docx": b"PK\x03\x04 not really a zip"},
         [str(SMALL), "-o", "out.docx", "--reference-doc", "ref.docx"], 1, ["无法打开"]),
    # Documents to import or audit.
    Case("import-document-bomb", {"r.docx": lambda p: _document_bomb(p)}, ["import", "r.docx", "-o", "out.yaml", "--force"], 1,
         ["太大"]),
    Case("import-doctype", {"r.docx": docx_with({"word/document.xml": ENTITY_BOMB})},
         ["import", "r.docx", "-o", "out.yaml", "--force"], 1, ["DOCTYPE"]),
    Case("import-dev-zero", {"r.pdf": _symlink_to("/dev/zero")}, ["import", "r.pdf", "-o", "out.yaml", "--force"], 1,
         ["不是普通文件"]),
    Case("import-not-a-pdf", {"r.pdf": b"%PDF-1.4 broken"}, ["import", "r.pdf", "-o", "out.yaml", "--force"], 1, ["PDF"]),
    Case("audit-garbage", {"d/a.docx": b"PK\x03\x04junk", "d/b.txt": "随便写的文字\n"}, ["audit", "d"], 1,
         ["无法识别"]),
    # Messages in Chinese.
    Case("two-documents", {"in.yaml": text_of(SMALL) + "---\n机关名称: 另一个\n"},
         ["in.yaml", "-o", "out.docx"], 1, ["只能有一个文档"], ["another document"]),
    Case("unknown-escape", {"in.yaml": replaced(SMALL, "机关名称: 某县商务局", '机关名称: "某县\\q"')},
         ["in.yaml", "-o", "out.docx"], 1, ["转义"], ["unknown escape"]),
    Case("jobs-negative", {"d/a.yaml": text_of(SMALL)}, ["build", "d", "-o", "o", "-j", "-1"], 2,
         ["不在 1 到 64 之间"], ["Invalid value"]),
    Case("init-year-far", {}, ["init", "--year", "99999"], 2, ["不在"]),
    Case("init-year-future", {}, ["init", "--year", "2099", "-o", "out.yaml"], 1, ["还没有到"]),
    Case("missing-input", {}, ["nothing.yaml", "-o", "out.docx"], 1, ["文件不存在"], ["Errno"]),
    # Nothing overwritten, whatever is asked.
    Case("output-is-reference", {"ref.docx": REFERENCE.read_bytes()},
         [str(SMALL), "-o", "ref.docx", "--reference-doc", "ref.docx"], 1, ["拒绝覆盖"]),
    Case("output-is-previous", {"in.yaml": with_line(SMALL, "年度", "上年报告: last.docx"),
                                "last.docx": SENTINEL},
         ["in.yaml", "-o", "last.docx"], 1, ["拒绝覆盖"]),
    Case("output-is-variant", {"v.docx": 'extends: "2021"\n'},
         [str(SMALL), "-o", "v.docx", "--format-file", "v.docx"], 1, ["拒绝覆盖"]),
    Case("output-is-variant-named-in-file", {"v.docx": 'extends: "2021"\n',
                                            "in.yaml": with_line(SMALL, "年度", "格式文件: v.docx")},
         ["in.yaml", "-o", "v.docx"], 1, ["拒绝覆盖"]),
    Case("init-over-its-source", {"last.yaml": text_of(SMALL)},
         ["init", "--from", "last.yaml", "-o", "last.yaml", "--force"], 1, ["拒绝覆盖"]),
    Case("merge-over-a-unit", {"a.yaml": text_of(SMALL), "b.yaml": replaced(SMALL, "某县商务局", "某县财政局")},
         ["merge", "a.yaml", "b.yaml", "--name", "某县", "-o", "a.yaml", "--force"], 1, ["拒绝覆盖"]),
    Case("merge-same-unit-twice", {"a.yaml": text_of(SMALL)},
         ["merge", "a.yaml", "./a.yaml", "--name", "某县", "-o", "out.yaml"], 1, ["重复列出"]),
    Case("merge-same-agency-twice", {"a.yaml": text_of(SMALL), "b.yaml": text_of(SMALL)},
         ["merge", "a.yaml", "b.yaml", "--name", "某县", "-o", "out.yaml"], 1, ["同一个单位只能合并一次"]),
    Case("output-is-a-device", {"out.docx": _symlink_to("/dev/null")}, [str(SMALL), "-o", "out.docx"], 1,
         ["不是普通文件"]),
    Case("long-chinese-output-name", {}, [str(SMALL), "-o", "报" * 80 + ".docx"], 0),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_input(case: Case, tmp_path):
    for name, content in case.files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if callable(content):
            content(path)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
    # Outputs that already exist must come through a failed run byte for byte.
    for name in ("out.docx", "out.html", "out.yaml"):
        if name not in case.files and case.code != 0:
            (tmp_path / name).write_bytes(SENTINEL)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file() and p.name != ".peak"}

    code, output, peak_kb = run(*case.argv, cwd=tmp_path)

    assert code == case.code, output
    assert "内部错误" not in output and "Traceback" not in output, output
    for text in case.says:
        assert text in output, output
    for text in case.never:
        assert text not in output, output
    assert peak_kb < MEMORY_LIMIT_KB, f"{case.id}: {peak_kb // 1024} MB"
    if case.code != 0:
        after = {p: p.read_bytes() for p in before}
        assert after == before, "an existing file was changed"
        assert not [p for p in tmp_path.rglob("*") if p.name.startswith(".~mkreport")]
    else:
        assert ": 错误：" not in output, output


@pytest.mark.parametrize("encode", [
    lambda t: t.replace("\n", "\r\n").encode("utf-8"),
    lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
    lambda t: t.replace("\n", "\r\n").encode("gb18030"),
], ids=["crlf", "bom", "gb18030-crlf"])
@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_windows_saved_examples_build_identically(example, encode, tmp_path):
    from helpers import invoke

    saved = tmp_path / example.name
    shutil.copytree(EXAMPLES / "variants", tmp_path / "variants")  # named by 格式文件
    saved.write_bytes(encode(example.read_text(encoding="utf-8")))
    code, _, err = invoke(example, "-o", tmp_path / "a.docx")
    assert code == 0, err
    code, _, err = invoke(saved, "-o", tmp_path / "b.docx")
    assert code == 0, err
    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "b.docx").read_bytes()
