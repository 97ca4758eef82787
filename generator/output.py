"""Writing a finished file without ever leaving a half-written one behind."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from .errors import OutputError


def same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def check_destination(output: Path, inputs: list[Path]) -> None:
    """Refuse destinations that would destroy an input or cannot be written."""
    for source in inputs:
        if same_file(source, output):
            raise OutputError(f"输出文件 {output} 就是输入文件，拒绝覆盖。请用 -o 指定另一个文件名")
    if output.is_dir():
        raise OutputError(f"输出位置 {output} 是一个文件夹，请写出完整的文件名，如 {output / '报告.docx'}")
    parent = output.parent if str(output.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"输出文件夹 {parent} 不存在，请先创建它")


def write_atomic(output: Path, data: bytes) -> None:
    """Write to a temporary file beside ``output``, then rename it into place.

    On any failure the previous ``output`` (if any) is left exactly as it was.
    """
    parent = output.parent if str(output.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise OutputError(f"无法在 {parent} 中写入文件：{_reason(exc)}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if output.exists():
            mode = output.stat().st_mode & 0o777
        else:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, output)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise OutputError(f"无法写入 {output}：{_reason(exc)}。"
                          "如果文件正在 Word/WPS 中打开，请先关闭它") from exc


def _reason(exc: OSError) -> str:
    return {
        errno.EACCES: "没有写入权限",
        errno.EPERM: "没有写入权限",
        errno.ENOSPC: "磁盘空间不足",
        errno.EROFS: "磁盘是只读的",
        errno.EBUSY: "文件被占用",
    }.get(exc.errno or 0, exc.strerror or str(exc))
