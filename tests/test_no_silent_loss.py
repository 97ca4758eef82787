"""Nothing is lost without a word: one output per name, notes numbered past ten,
temporary files cleaned, links in a reference document reported, LibreOffice
never left running."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import time
import zipfile

import pytest
from helpers import EXAMPLES, ROOT, invoke, tables

from generator.rendering import pdf

SMALL = EXAMPLES / "mouxian-commerce-2021.yaml"


def test_build_refuses_two_inputs_with_one_output_name(tmp_path):
    folder = tmp_path / "各单位"
    folder.mkdir()
    shutil.copy(SMALL, folder / "dup.yaml")
    shutil.copy(SMALL, folder / "dup.yml")
    shutil.copy(EXAMPLES / "shili-county-2023.yaml", folder / "ok.yaml")
    code, out, err = invoke("build", folder, "-o", tmp_path / "报告")
    assert code == 1
    assert sorted(p.name for p in (tmp_path / "报告").iterdir()) == ["ok.docx"]
    assert "共 3 个文件：成功 1 个，失败 2 个。" in err
    assert "dup.yaml、dup.yml 会生成同名的报告" in err


def test_more_than_ten_notes_keep_distinct_markers(tmp_path):
    kinds = ["结果维持", "结果纠正", "其他结果", "尚未审结"]
    lines = ["政府信息公开行政复议、行政诉讼情况:"]
    for group in ("行政复议", "行政诉讼"):
        lines.append(f"  {group}:")
        subs = [""] if group == "行政复议" else ["未经复议直接起诉", "复议后起诉"]
        for sub in subs:
            pad = "    "
            if sub:
                lines.append(f"    {sub}:")
                pad = "      "
            for kind in kinds:
                lines.append(f"{pad}{kind}: {{数量: 1, 备注: {group}{sub}{kind}的说明}}")
    source = tmp_path / "十二注.yaml"
    source.write_text(SMALL.read_text(encoding="utf-8") + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    output = tmp_path / "r.docx"
    code, out, err = invoke(source, "-o", output)
    assert code == 0, err
    cells = [c.text for row in tables(output)[2].rows for c in row.cells]
    marks = [c[1:] for c in cells if c.startswith("1") and len(c) > 1]
    assert len(set(marks)) == 12, marks
    assert "⑪" in marks and "⑫" in marks
    import docx

    notes = [p.text for p in docx.Document(str(output)).paragraphs if p.text.startswith("注")]
    assert len(notes) == 12 and notes[11].startswith("注⑫：")


def test_stale_temporary_files_are_removed(tmp_path):
    # Left by a run that was killed: its process no longer exists.
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = tmp_path / f".~mkreport-{dead.pid}-0000.tmp"
    stale.write_bytes(b"x" * 1000)
    mine = tmp_path / f".~mkreport-{os.getpid()}-1111.tmp"  # a live process's: kept
    mine.write_bytes(b"y")
    code, out, err = invoke(SMALL, "-o", tmp_path / "r.docx")
    assert code == 0, err
    assert not stale.exists() and mine.exists()


def test_reference_document_links_are_dropped_and_reported(tmp_path):
    reference = ROOT / "templates" / "reference.docx"
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/attachedTemplate" Target="http://example.invalid/template.dotm" '
            'TargetMode="External"/></Relationships>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(reference) as src, zipfile.ZipFile(buffer, "w") as out:
        for name in src.namelist():
            data = src.read(name)
            if name == "word/settings.xml":
                data = data.replace(b"<w:zoom", b'<w:attachedTemplate r:id="rIdT" xmlns:r="http://schemas.'
                                    b'openxmlformats.org/officeDocument/2006/relationships"/><w:zoom', 1)
            out.writestr(name, data)
        out.writestr("word/_rels/settings.xml.rels", rels)
    linked = tmp_path / "带模板.docx"
    linked.write_bytes(buffer.getvalue())
    output = tmp_path / "r.docx"
    code, out, err = invoke(SMALL, "-o", output, "--reference-doc", linked)
    assert code == 0, err
    assert "1 个外部链接（http://example.invalid/template.dotm），没有带入报告" in err
    with zipfile.ZipFile(output) as z:
        assert not any(b"example.invalid" in z.read(n) or b"attachedTemplate" in z.read(n)
                       for n in z.namelist())


@pytest.mark.skipif(pdf.soffice() is None and not os.environ.get("CI"),
                    reason="LibreOffice not installed")
def test_libreoffice_never_outlives_a_timeout(tmp_path):
    document = tmp_path / "r.docx"
    code, out, err = invoke(SMALL, "-o", document)
    assert code == 0, err
    before = _office_processes()
    with pytest.raises(Exception, match="没有完成"):
        pdf.convert(document.read_bytes(), timeout=0.3)
    time.sleep(0.5)
    assert _office_processes() - before == set()


def _office_processes() -> set[int]:
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as handle:
                    command = handle.read()
            except OSError:
                continue
            if b"soffice" in command and b"mkreport-" in command:
                found.add(int(entry))
    return found
