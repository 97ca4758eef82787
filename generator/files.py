"""Reading inputs within bounds, and writing outputs without ever losing a file.

Every file mkreport reads goes through :func:`read_input`: only regular files
(a FIFO or a device such as /dev/zero would hang or eat memory), and never
more than a limit. Every file it writes goes through :func:`write_atomic`: a
short temporary name beside the destination, renamed into place.
"""

from __future__ import annotations

import errno
import os
import stat
import time
from pathlib import Path

from generator.errors import OutputError, ReadError

MB = 1024 * 1024
# Generous for any real report (the largest city example is 20 KB) and small
# enough that nothing read can exhaust memory.
INPUT_LIMIT = 2 * MB
FORMAT_LIMIT = 1 * MB
REFERENCE_LIMIT = 20 * MB

_TMP_PREFIX = ".~mkreport-"
_TMP_SUFFIX = ".tmp"
_STALE_SECONDS = 3600


def read_input(path: Path, limit: int = INPUT_LIMIT, what: str = "文件") -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, or ReadError."""
    path = Path(path)
    if path.is_dir():
        raise ReadError(f"{what} {path} 是一个文件夹，不是文件")
    # O_NONBLOCK: opening a FIFO for reading must not wait for a writer.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise ReadError(f"无法读取{what} {path}：{read_reason(exc)}") from exc
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise ReadError(f"{what} {path} 是一个文件夹，不是文件")
        if not stat.S_ISREG(info.st_mode):
            raise ReadError(f"{what} {path} 不是普通文件（可能是设备或管道），拒绝读取")
        if info.st_size > limit:
            raise ReadError(f"{what} {path} 太大（{_size(info.st_size)}），不应超过 {_size(limit)}")
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise ReadError(f"{what} {path} 太大，不应超过 {_size(limit)}")
        return b"".join(chunks)
    except OSError as exc:
        raise ReadError(f"无法读取{what} {path}：{read_reason(exc)}") from exc
    finally:
        os.close(fd)


def _size(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB else f"{n / 1024:.0f} KB"


def read_reason(exc: OSError) -> str:
    """An operating-system error on reading, as a short Chinese reason."""
    return _reason(exc, "读取")


_REASONS = {
    errno.ENOENT: "文件不存在",
    errno.EACCES: "没有{}权限",
    errno.EPERM: "没有{}权限",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.ENAMETOOLONG: "文件名太长",
    errno.ELOOP: "符号链接循环",
    errno.EIO: "{}时出现输入输出错误",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "磁盘是只读的",
    errno.EBUSY: "文件被占用",
}


def _reason(exc: OSError, action: str = "写入") -> str:
    return _REASONS.get(exc.errno or 0, "无法{}").format(action)


def same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (b.exists() and a.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def check_destination(output: Path, inputs: list[Path | None]) -> None:
    """Refuse destinations that would destroy an input or cannot be written."""
    for source in inputs:
        if source is not None and same_file(Path(source), output):
            raise OutputError(f"输出文件 {output} 是本次要读取的文件（{source}），拒绝覆盖。"
                              "请用 -o 指定另一个文件名")
    if output.is_dir():
        raise OutputError(f"输出位置 {output} 是一个文件夹，请写出完整的文件名，如 {output / '报告.docx'}")
    if output.exists() and not output.is_file():
        # Renaming over a device or a pipe (/dev/null) would replace it with a file.
        raise OutputError(f"输出位置 {output} 不是普通文件（可能是设备或管道），拒绝写入")
    target = destination(output)
    if read_only(target):
        raise OutputError(f"输出文件 {output} 是只读文件，拒绝覆盖。"
                          "如果确实要替换它，请先在文件属性中取消「只读」，或用 -o 指定另一个文件名")
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"输出文件夹 {parent} 不存在，请先创建它")


def destination(output: Path) -> Path:
    """The file a write to ``output`` must replace: the target of a symbolic link
    (so that ``current.yaml → 2024/单位.yaml`` updates the real file and the link
    stays a link), else ``output`` itself."""
    if not output.is_symlink():
        return output
    return Path(os.path.realpath(output))


def read_only(path: Path) -> bool:
    """A file marked read-only (no write permission bit for anyone; on Windows the
    read-only attribute). Root could replace it, but the mark says the owner does
    not want it replaced."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return stat.S_ISREG(mode) and not mode & 0o222


def write_atomic(output: Path, data: bytes) -> None:
    """Write to a temporary file beside ``output``, then rename it into place.

    On any failure the previous ``output`` (if any) is left exactly as it was.
    The temporary name is short and fixed in length, so any legal output name
    works; leftovers of killed runs are removed on the next write. A symbolic
    link is written through: its target is replaced and the link kept. A file
    marked read-only is never replaced.
    """
    shown = output
    output = destination(output)
    if read_only(output):
        raise OutputError(f"{shown} 是只读文件，拒绝覆盖。如果确实要替换它，请先在文件属性中取消「只读」")
    parent = output.parent if str(output.parent) else Path(".")
    clean_stale(parent)
    tmp = parent / f"{_TMP_PREFIX}{os.getpid()}-{os.urandom(4).hex()}{_TMP_SUFFIX}"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
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
        raise OutputError(f"无法写入 {shown}：{_reason(exc)}。"
                          "如果文件正在 Word/WPS 中打开，请先关闭它") from exc


def clean_stale(folder: Path) -> None:
    """Remove our temporary files left in ``folder`` by runs that were killed."""
    try:
        names = [e for e in os.scandir(folder) if e.name.startswith(_TMP_PREFIX)
                 and e.name.endswith(_TMP_SUFFIX)]
    except OSError:
        return
    now = time.time()
    for entry in names:
        pid_text = entry.name[len(_TMP_PREFIX):].split("-", 1)[0]
        try:
            old = now - entry.stat(follow_symlinks=False).st_mtime > _STALE_SECONDS
            if old or (pid_text.isdigit() and not _alive(int(pid_text))):
                os.unlink(entry.path)
        except OSError:
            pass


def _alive(pid: int) -> bool:
    if os.name == "nt":
        return True  # os.kill would terminate it on Windows; age alone decides there
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
