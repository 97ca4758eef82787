"""A .docx → PDF through LibreOffice, when it is installed.

Official fonts such as 仿宋_GB2312 are rarely installed on Linux; a fontconfig
file maps them to the closest installed CJK face (Noto CJK, AR PL UKai), so
the PDF keeps serif body text and sans-serif headings as Word would print them.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from .errors import OutputError

SUBSTITUTES = {
    "仿宋_GB2312": "Noto Serif CJK SC",
    "仿宋": "Noto Serif CJK SC",
    "宋体": "Noto Serif CJK SC",
    "方正小标宋简体": "Noto Serif CJK SC",
    "楷体_GB2312": "AR PL UKai CN",
    "楷体": "AR PL UKai CN",
    "黑体": "Noto Sans CJK SC",
}

INSTALL_HINT = ("生成 PDF 需要 LibreOffice。安装方法：Debian/Ubuntu 运行 "
                "sudo apt-get install libreoffice-writer-nogui fonts-noto-cjk；"
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


def fontconfig_file(directory: Path) -> Path:
    aliases = "\n".join(
        f'  <alias binding="same"><family>{name}</family>'
        f"<prefer><family>{face}</family><family>Noto Serif CJK SC</family></prefer></alias>"
        for name, face in SUBSTITUTES.items())
    path = directory / "fonts.conf"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
                    '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
                    f"{aliases}\n</fontconfig>\n", encoding="utf-8")
    return path


def end_group(process: subprocess.Popen) -> None:
    """End a process and everything it started (its process group)."""
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


def convert(docx: bytes, timeout: float = 180) -> bytes:
    """PDF bytes of a .docx, converted by a private LibreOffice instance."""
    program = soffice()
    if program is None:
        raise OutputError(INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="mkreport-") as tmp:
        work = Path(tmp)
        source = work / "report.docx"
        source.write_bytes(docx)
        env = dict(os.environ, FONTCONFIG_FILE=str(fontconfig_file(work)))
        # A private profile: runs in parallel do not fight over one user profile.
        command = [program, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
                   "--convert-to", "pdf", "--outdir", str(work), str(source)]
        # Its own process group: the wrapper starts soffice.bin, and on a timeout or
        # Ctrl+C the whole group is ended, so no LibreOffice outlives mkreport.
        group = ({"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP} if os.name == "nt"
                 else {"start_new_session": True})
        process = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, **group)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise OutputError(f"LibreOffice 转换 PDF 超过 {timeout:g} 秒没有完成") from exc
        finally:
            end_group(process)
        pdf = work / "report.pdf"
        if not pdf.exists():
            raise OutputError("LibreOffice 没能把报告转换成 PDF。请确认 LibreOffice 可以正常打开 .docx 文件")
        return pdf.read_bytes()
