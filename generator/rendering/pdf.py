"""A .docx → PDF through LibreOffice, when it is installed.

Official fonts such as 仿宋_GB2312 are rarely installed on Linux; a fontconfig
file maps them to installed Simplified-Chinese faces (AR PL UMing CN for the
宋/仿宋 family, AR PL UKai CN for 楷体, WenQuanYi Zen Hei for 黑体, with Noto
CJK SC behind them), so the PDF keeps serif body text, 楷体 sub-headings and
黑体 headings distinct, as Word would print them. The Noto CJK collections are
second choice only: they share one CFF table across languages, so their
embedded names read 「CJKjp」 whatever the language of the glyphs.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

from generator.errors import OutputError, Problem
from generator.parallel import exit_on_signal, on_ending_signals

SUBSTITUTES = {
    "仿宋_GB2312": "AR PL UMing CN",
    "仿宋": "AR PL UMing CN",
    "宋体": "AR PL UMing CN",
    "方正小标宋简体": "AR PL UMing CN",
    "楷体_GB2312": "AR PL UKai CN",
    "楷体": "AR PL UKai CN",
    "黑体": "WenQuanYi Zen Hei",
}

TIMEOUT = 180.0  # seconds LibreOffice may take for one report (60 paragraphs at the limit: 14 s)
# The longest paragraph a PDF is made of. LibreOffice lays out one paragraph in
# time that grows faster than its length (150,000 characters: 11 s, 600,000:
# over 3 minutes); a real paragraph has a few hundred.
PARAGRAPH_LIMIT = 10_000

INSTALL_HINT = ("生成 PDF 需要 LibreOffice。安装方法：Debian/Ubuntu 运行 "
                "sudo apt-get install libreoffice-writer-nogui fonts-arphic-uming fonts-arphic-ukai fonts-wqy-zenhei；"
                "Windows/macOS 从 LibreOffice 官方网站下载安装。"
                "也可以先生成 .docx，再用 Word 或 WPS「另存为 PDF」")


def soffice() -> str | None:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    if os.name == "nt":  # the installer does not put LibreOffice on PATH
        for root in (os.environ.get("ProgramFiles"), os.environ.get("ProgramFiles(x86)"),
                     os.environ.get("ProgramW6432")):
            if root:
                candidate = Path(root) / "LibreOffice" / "program" / "soffice.exe"
                if candidate.is_file():
                    return str(candidate)
    elif sys.platform == "darwin":
        candidate = Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")
        if candidate.is_file():
            return str(candidate)
    return None


FALLBACK = {"WenQuanYi Zen Hei": "Noto Sans CJK SC"}


def fontconfig_file(directory: Path) -> Path:
    aliases = "\n".join(
        f'  <alias binding="same"><family>{name}</family>'
        f"<prefer><family>{face}</family><family>{FALLBACK.get(face, 'Noto Serif CJK SC')}</family>"
        "</prefer></alias>"
        for name, face in SUBSTITUTES.items())
    path = directory / "fonts.conf"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
                    '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
                    f"{aliases}\n</fontconfig>\n", encoding="utf-8")
    return path


OFFICIAL_FONTS = ("仿宋_GB2312", "楷体_GB2312", "黑体", "方正小标宋简体", "宋体")


def substitution_notice() -> str:
    """One line naming the official fonts this machine lacks, or "" when it has
    them all (or cannot tell: no fontconfig, as on Windows, where Word's fonts are)."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return ""
    missing = []
    for name in OFFICIAL_FONTS:
        try:
            found = subprocess.run([fc_match, "-f", "%{family}", name], capture_output=True, text=True,
                                   timeout=10, check=False).stdout
        except (OSError, subprocess.SubprocessError):
            return ""
        if name not in found.split(","):
            missing.append(name)
    if not missing:
        return ""
    used = "、".join(f"{name}→{SUBSTITUTES[name]}" for name in missing)
    return (f"本机没有安装公文字体 {'、'.join(missing)}，PDF 中用相近的字体代替（{used}）。"
            "要与 Word 中完全一致，请安装这些字体，或在 Word/WPS 中打开 .docx 另存为 PDF")


def end_group(process: subprocess.Popen) -> None:
    """End a process and everything it started (its process group), and wait a
    moment for the group to be gone (an ended process a slow init has not yet
    reaped still counts, hence only a moment)."""
    if os.name == "nt":
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(process.pid)], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)
    else:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass
    if os.name != "nt":
        deadline = time.monotonic() + 0.5
        while time.monotonic() < deadline:
            try:
                os.killpg(process.pid, 0)  # soffice.bin, started by the wrapper, may outlive it briefly
            except (ProcessLookupError, PermissionError):
                break
            time.sleep(0.02)


def _for_libreoffice(docx: bytes) -> bytes:
    """The document as LibreOffice should lay it out for print.

    LibreOffice drops a full-width 「；」 or 「，」 that ends a justified Chinese
    line filled to the last character (Word keeps it). Body paragraphs are
    therefore set flush left for the PDF: Chinese lines fill the measure
    anyway, and nothing is lost.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(docx)) as z:
            parts = [(info, z.read(info)) for info in z.infolist()]
    except zipfile.BadZipFile:
        return docx
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in parts:
            if info.filename in ("word/styles.xml", "word/document.xml"):
                data = data.replace(b'<w:jc w:val="both"/>', b'<w:jc w:val="left"/>')
            z.writestr(info, data)
    return out.getvalue()


def convert(docx: bytes, timeout: float = TIMEOUT) -> bytes:
    """PDF bytes of a .docx, converted by a private LibreOffice instance.

    LibreOffice ends with mkreport however mkreport ends: on a timeout or an
    error, on Ctrl+C, and on SIGTERM, SIGHUP (the terminal closed) or SIGBREAK
    (the console window closed on Windows): its process group is ended and
    its profile folder removed, then the signal goes on to what handled it
    before (ending mkreport with 128 + the signal's number when nothing did).
    """
    program = soffice()
    if program is None:
        raise OutputError(INSTALL_HINT)
    state: dict = {"work": None, "process": None, "starting": True, "pending": None}

    def ending(number: int, frame: Any) -> None:
        if state["starting"]:  # between mkdtemp or Popen and the name it is kept under
            state["pending"] = (number, frame)
            return
        _clean_up(state)
        handler = previous.get(number)
        if callable(handler):  # a pool worker's own ending, say
            handler(number, frame)
        else:
            exit_on_signal(number)

    with on_ending_signals(ending) as previous:
        try:
            try:
                state["work"] = work = Path(tempfile.mkdtemp(prefix="mkreport-"))
                source = work / "report.docx"
                source.write_bytes(_for_libreoffice(docx))
                env = dict(os.environ, FONTCONFIG_FILE=str(fontconfig_file(work)))
                # A private profile: runs in parallel do not fight over one user profile.
                command = [program, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
                           "--convert-to", "pdf", "--outdir", str(work), str(source)]
                # Its own process group (and session, away from the terminal): the wrapper
                # starts soffice.bin, and the whole group is ended with mkreport.
                group = ({"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP} if os.name == "nt"
                         else {"start_new_session": True})
                state["process"] = process = subprocess.Popen(
                    command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL, **group)
            finally:
                state["starting"] = False
                if state["pending"] is not None:
                    ending(*state["pending"])
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired as exc:
                raise OutputError(f"LibreOffice 转换 PDF 超过 {timeout:g} 秒没有完成") from exc
            end_group(process)
            state["process"] = None
            pdf = work / "report.pdf"
            if not pdf.exists():
                raise OutputError("LibreOffice 没能把报告转换成 PDF。请确认 LibreOffice 可以正常打开 .docx 文件")
            return pdf.read_bytes()
        finally:
            _clean_up(state)


def _clean_up(state: dict) -> None:
    """LibreOffice ended and its folder (profile, copy of the report) removed; twice is harmless."""
    if state["process"] is not None:
        end_group(state["process"])
    for attempt in range(3):  # a file LibreOffice was writing as it was killed may land late
        if state["work"] is None or not state["work"].exists():
            break
        if attempt:
            time.sleep(0.05)
        shutil.rmtree(state["work"], ignore_errors=True)


def long_paragraphs(checked: Any) -> list[Problem]:
    """Each text of a checked input too long for one paragraph of a PDF, named by
    file, line and key: refused before LibreOffice starts."""
    out: list[Problem] = []

    def walk(path: tuple, value: Any) -> None:
        if isinstance(value, str):
            if len(value) > PARAGRAPH_LIMIT:
                out.append(checked.source.problem(
                    path, f"这一段有 {len(value)} 个字，生成 PDF 时一段最多 {PARAGRAPH_LIMIT} 字",
                    "请把它分成几段（每段另起一行，以「- 」开头）；或者生成 .docx，用 Word 或 WPS 打开"))
        elif isinstance(value, dict):
            for key, item in value.items():
                walk((*path, key), item)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk((*path, i), item)

    walk((), checked.source.data)
    return out
