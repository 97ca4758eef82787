"""``mkreport serve``: one YAML file edited through a page in the browser.

The standard library's threading HTTP server is enough for one clerk on one
machine; the page is plain HTML, CSS and JavaScript from ``templates/serve``,
with nothing fetched from the network. Every figure the page shows comes from
the same check and model as the command line: the page sends the input data,
the server writes it as the YAML file would be written, checks it and answers
with the problems (by key path), the tables' figures and a preview.

Safety on a shared PC: the server listens on 127.0.0.1; every request must name
this server in Host (no DNS rebinding); the API also needs the session token,
which only the address printed and opened at start carries, and a foreign
Origin is refused. It reads and writes only the file it was opened with, the
schema file ``init`` puts beside it and the draft; and, when the clerk chooses
last year's report on the page, a copy of it beside the file, under a name not
yet taken (never over a file).

Unsaved changes are never lost silently: while the page's data differs from
the file, the server keeps it in a draft beside the file (「单位2024.草稿.yaml」,
written as the file would be), deletes the draft once the file holds the same,
and offers a draft left from before when the file is opened again; Ctrl+C says
where the draft is.

Several pages may edit the file at once (two tabs, later several clerks): each
page is given the file's version (the SHA-256 of its bytes) with its data, and
a save names the version it was based on; a save over any other version is
refused, whoever wrote it. What a page sends is written exactly: a value in a
place the format does not expect (a paragraph under a key with sub-keys, a
list where one figure belongs, an unknown key) is kept in the file and
reported there, and data that a file cannot hold is refused, never dropped.
"""

from __future__ import annotations

import errno
import hashlib
import hmac
import ipaddress
import json
import re
import secrets
import socket
import tempfile
import threading
import urllib.parse
from decimal import Decimal
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jinja2

from generator import api, files, formats, model
from generator.checks.validate import Checked, check_content, check_file
from generator.errors import InputError, MkreportError, Problem
from generator.reading import schema as S
from generator.reading.source import MAX_DEPTH, MAX_NODES, decode, format_path, load
from generator.reading.starter import filled
from generator.rendering.compose import templates_dir
from generator.serving import form as F

MAX_JSON = 4 * 1024 * 1024  # the page's data: a city-wide report is a few tens of kB
MAX_UPLOAD = 20 * 1024 * 1024  # last year's report dropped onto the page
REPORTS = (".docx", ".pdf", ".html", ".htm", ".txt", ".yaml", ".yml")  # what last year's report may be
DRAFT = ".草稿"  # 单位2024.yaml → 单位2024.草稿.yaml
STATIC = {"app.js": "text/javascript; charset=utf-8", "app.css": "text/css; charset=utf-8"}
PAGE_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
               "connect-src 'self'; frame-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
PREVIEW_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"
# Connections waiting to be accepted: a burst of checks from several pages must
# not be reset (the standard library's 5 drops them).
QUEUE = 128
METHODS = "GET, POST"
_UNSET = object()


class Refused(Exception):
    def __init__(self, status: HTTPStatus, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.message, self.extra = status, message, extra


class Session:
    """The one file being edited, the version this server last read or wrote,
    and the data a page last sent (for the preview)."""

    def __init__(self, path: Path, year: int | None = None) -> None:
        self.path = path
        self.year = year
        self.token = secrets.token_urlsafe(32)
        self.lock = threading.Lock()
        self.written: set[str] = set()  # versions this server saved
        self.draft_lock = threading.Lock()
        self.draft_held = False  # a draft from before is offered to a page and not yet answered
        self.draft_text: str | None = None  # what this server last wrote to the draft
        opened = self.open()
        self.data = opened["data"]
        self.version = opened["version"]
        self.hand_edited = opened["hand_edited"]
        self.saved = _copy(self.data)  # what the file holds (or a new file would)

    def open(self) -> dict:
        """The file as a page starts from: its data, its version (None while it
        does not exist) and whether it was written by hand (a save rewrites it)."""
        raw = self._disk()
        if raw is None:
            text, _ = api.starter(self.year, None, self.path)
            return {"data": self._readable(text.encode("utf-8")), "version": None, "hand_edited": False}
        data = self._readable(raw)
        return {"data": data, "version": _version(raw), "hand_edited": self._by_hand(raw, data)}

    def reopen(self) -> dict:
        """The file as it is now, for a page that loads or reloads."""
        opened = self.open()
        with self.lock:
            self.data, self.version, self.hand_edited = opened["data"], opened["version"], opened["hand_edited"]
            self.saved = _copy(self.data)
        return opened

    def _readable(self, raw: bytes) -> dict:
        """A file's data, exactly as written. Refused (with the check's messages)
        when reading it already loses something — a second value of a key, a
        「*引用」, a 「!标记」, a text mended from a slip: a save would drop it."""
        source, problems = load(str(self.path), raw, S.known_keys())
        errors = [p for p in problems if p.is_error]
        if errors:
            raise InputError(errors)
        if not isinstance(source.data, dict):
            raise InputError(check_content(self.path, raw).problems)
        return F.from_file(source)

    def _by_hand(self, raw: bytes, data: dict) -> bool:
        """Whether a save would change more than the values: comments or an order
        of the clerk's own would not survive it."""
        text, _ = decode(str(self.path), raw)
        return self.text(data) != (text or "")

    def _disk(self) -> bytes | None:
        """The file's bytes; None while there is no file."""
        if not self.path.exists() and not self.path.is_symlink():
            return None
        return files.read_input(self.path, what="输入文件")

    # -- the data as a file ----------------------------------------------------

    def format_of(self, data: dict) -> formats.Format:
        variant = data.get(S.VARIANT)
        if isinstance(variant, str):
            try:
                return with_own_chapters(formats.load_file(self.path.parent / variant), data)
            except MkreportError:
                pass
        named = data.get(S.FORMAT)
        if named in formats.official_ids():
            return formats.load(named)
        year = data.get(S.YEAR)
        fmt = formats.for_year(year) if isinstance(year, int) else None
        return with_own_chapters(fmt or formats.load(formats.official_ids()[-1]), data)

    def text(self, data: dict) -> str:
        return filled(self.format_of(data), data, api.SCHEMA_NAME)

    def check(self, data: dict) -> tuple[Checked, str]:
        """The data written as the file would be, and that text checked as
        ``mkreport check`` checks it. Where the text would not hold the data
        exactly, the check says so at that key."""
        text = self.text(data)
        checked = check_content(self.path, text.encode("utf-8"))
        lost = _lost(data, checked.source.data, checked.source.raw)
        if lost:
            said = {p.path for p in checked.errors}
            checked.problems += [_unwritable(checked.source.name, path) for path in lost
                                 if _place(path) not in said]
        return checked, text

    # -- what the page asks ----------------------------------------------------

    def state(self, data: dict) -> dict:
        return self._state(data)[0]

    def edited(self, data: dict) -> dict:
        """The state after an edit on the page, the draft kept up to date."""
        state, text = self._state(data)
        warning = self.keep_draft(data, text)
        return {**state, "draft_warning": warning} if warning else state

    def _state(self, data: dict) -> tuple[dict, str]:
        checked, text = self.check(data)
        fmt = checked.fmt or self.format_of(data)
        with self.lock:
            self.data = data
        if checked.report is not None:
            report, unknown = checked.report, {}
        else:
            report, unknown = self._tables_only(checked, fmt)
        return {
            "problems": [{"path": list(p.path), "severity": p.severity, "message": p.message,
                          "shown": F.shown_message(fmt, p.path, p.message),
                          "column": F.about_column(fmt, p.path, p.message),
                          "hint": F.form_hint(p.hint, p.message), "key": p.key, "line": p.line} for p in checked.problems],
            "cells": F.cells(report, set(F.TABLES) - set(unknown)),
            "totals": unknown,
            "saved": self.version is not None and not self.unsaved(),
            "errors": len(checked.errors),
            "warnings": len(checked.problems) - len(checked.errors),
            "signature": F.signature(fmt, data),
            "file": str(self.path),
        }, text

    def reformat(self, data: dict) -> dict:
        """After the year changes the format: figures of 0 that the new format has no
        place for are left out (they say nothing); any other figure stays, and the
        check tells the clerk where it belongs now."""
        fmt = self.format_of(data)
        root = S.format_schema(fmt)

        def prune(value: Any, path: tuple) -> Any:
            if not isinstance(value, dict):
                return value
            out = {}
            for key, item in value.items():
                here = (*path, key)
                node = S.node_at(root, here)
                # No place for it, or a place of another shape (2021's 其他处理 has three
                # rows, 2019's one): zeros are left out, anything else stays.
                misfit = node is None or isinstance(item, dict) and "properties" not in node
                if misfit and _zero(item):
                    continue
                out[key] = item if misfit else prune(item, here)
            return out

        return prune(data, ())

    def _tables_only(self, checked: Checked, fmt: formats.Format) -> tuple[model.Report | None, dict[str, str]]:
        """The tables' totals while something is still wrong: the same model, given
        only the tables without a slip (a missing 机关名称 or a 「2件」 in table 三
        must not hide the totals of the other tables); and, for each table whose
        totals cannot be computed, why."""
        data = checked.source.data
        if not isinstance(data, dict) or any(p.is_error and not p.path for p in checked.problems):
            why = "文件有错误，总计暂不能计算：改正页面上方列出的错误后自动算出"
            return None, {name: why for name in F.TABLES}  # the file as a whole is unreadable
        slips: dict[str, int] = {}
        for p in checked.errors:
            for name in F.TABLES:
                if p.path[:1] == (fmt.section_key(name),):
                    slips[name] = slips.get(name, 0) + 1
        unknown = {name: f"有格子填错（{count} 处，已标红），这张表的总计暂不能计算：改正后自动算出"
                   for name, count in slips.items()}
        tables = {fmt.section_key(name): data[fmt.section_key(name)] for name in F.TABLES
                  if name not in slips and isinstance(data.get(fmt.section_key(name)), dict)}
        return F.zero_report(fmt, fmt.first_year, tables), unknown

    def form_html(self, data: dict) -> str:
        checked, _ = self.check(data)
        fmt = checked.fmt or self.format_of(data)
        year = data.get(S.YEAR) if isinstance(data.get(S.YEAR), int) else fmt.first_year
        return _env().get_template("serve/form.html.j2").render(
            fields=F.form(fmt, year, data), years=_years(), fmt=fmt, signature=F.signature(fmt, data), kept=sorted(F.KEPT),
            year=year)

    def save(self, data: dict, confirmed: bool, version: Any = _UNSET) -> dict:
        """Write the data over the file, if the file is still the version the page
        was based on (without one: the version this server last read or wrote)."""
        with self.lock:
            raw = self._disk()
            current = None if raw is None else _version(raw)
            base = self.version if version is _UNSET else version
            if current != base:
                raise Refused(HTTPStatus.CONFLICT, self._stale(current), stale=True, version=current)
            if raw is not None and not confirmed and self._edited_by_hand(raw):
                raise Refused(HTTPStatus.CONFLICT, "这个文件是手工编辑过的：保存时会按 mkreport init 的格式重写，"
                              "文件中自己加的注释和排列不会保留。确定要保存吗？", confirm=True)
            checked, text = self.check(data)
            said = [_unwritable(self.path.name, path)
                    for path in _lost(data, checked.source.data, checked.source.raw)[:5]]
            if not said:  # what is saved must open here again: nothing in it that reading drops or mends
                said = [p for p in load(self.path.name, text.encode("utf-8"), S.known_keys())[1] if p.is_error][:5]
            if said:
                raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, "没有保存（错误已在页面上标出，改正后再保存）：\n" + "\n".join(
                    f"「{p.key or '整个文件'}」{p.message}" + (f"（{p.hint}）" if p.hint else "") for p in said),
                    paths=[list(p.path) for p in said])
            warning = api.write_starter(self.path, text, api.schema_text(), schema_optional=True)
            self.version = _version(text.encode("utf-8"))
            self.written.add(self.version)
            self.hand_edited = False
            self.data = data
            self.saved = _copy(data)
        self.keep_draft(data, text)  # the file now holds what the draft held
        answer = {"saved": str(self.path), "errors": len(checked.errors), "version": self.version}
        if warning:
            answer["warning"] = (f"编辑器提示文件 {api.SCHEMA_NAME} 没有更新（{warning}）。"
                                 "报告文件已经保存，不受影响。")
        return answer

    def _edited_by_hand(self, raw: bytes) -> bool:
        try:
            return self._by_hand(raw, self._readable(raw))
        except MkreportError:
            return True

    def _stale(self, current: str | None) -> str:
        name = self.path.name
        if current is None:
            why = f"{name} 在本页打开之后被删除或移走了"
        elif current in self.written:
            why = f"{name} 在本页打开之后，已经从另一个页面（另一个窗口或标签页）保存过"
        else:
            why = f"{name} 在本页打开之后被别的程序修改过"
        return (why + "。为避免覆盖，这次没有保存。可以「重新载入」文件现在的内容（本页上没有保存的改动会丢失），"
                "或「仍然保存（覆盖）」，用本页的内容替换文件现在的内容。")

    def unsaved(self) -> bool:
        """Whether the page's last data differs from what the file holds."""
        with self.lock:
            return self.data != self.saved

    def output(self, data: dict, kind: str) -> tuple[bytes, str]:
        checked, _ = self.check(data)
        if checked.errors or checked.report is None:
            raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY,
                          f"还有 {len(checked.errors)} 处错误，改正后才能生成报告（错误已在页面上标出）")
        if kind == ".pdf":
            from generator.rendering import pdf
            if pdf.soffice() is None:
                raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, pdf.INSTALL_HINT)
        report = checked.report
        name = f"{report.agency}{report.year}年政府信息公开工作年度报告"
        if kind in (".png", ".svg"):
            name += "图解"
        try:
            return api.render(checked, kind), name + kind
        except MkreportError as exc:
            raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, str(exc)) from exc

    def preview(self) -> bytes:
        with self.lock:
            data = self.data
        checked, _ = self.check(data)
        if checked.report is None:
            message = (f"还有 {len(checked.errors)} 处错误（已在「填写」中标红，页面上方列出了每一处），"
                       "改正后这里显示报告的样子。")
            return f"<!doctype html><meta charset=utf-8><p style='font:16px sans-serif;color:#666'>{message}</p>" \
                .encode()
        return api.render(checked, ".html")

    def start_from(self, name: str, raw: bytes) -> dict:
        """This year's data from last year's report dropped onto the page."""
        suffix = Path(name).suffix.lower()
        if suffix not in REPORTS:
            raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY,
                          "只能读取上年报告的 .docx、.pdf、.html、.txt 或 .yaml 文件")
        with tempfile.TemporaryDirectory() as folder:
            previous = Path(folder) / ("上年报告" + suffix)
            previous.write_bytes(raw)
            try:
                text, _ = api.starter(None, previous, self.path)
            except InputError as exc:
                raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, "上年报告读不出来：\n" + "\n".join(
                    str(p).replace(str(previous), name) for p in exc.problems[:10])) from exc
            except MkreportError as exc:
                raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, str(exc).replace(str(previous), name)) from exc
            data = self._readable(text.encode("utf-8"))
        data.pop(S.PREVIOUS, None)  # the dropped copy is gone; the page offers to keep it (keep_previous)
        return {"data": data}

    # -- last year's report beside the file ------------------------------------

    def keep_previous(self, name: str, raw: bytes) -> dict:
        """Last year's report chosen (or dropped) on the page, kept beside the file
        for the cross-year checks: its name to write as 上年报告. A file of that
        name with the same bytes is used as it is; otherwise a copy is written as
        「上年报告-原文件名」 (「上年报告-原文件名-2」… when that name is taken by
        another file). Nothing is ever written over a file, and nothing is
        written unless the report can be read."""
        name = Path(name.replace("\\", "/")).name
        suffix = Path(name).suffix.lower()
        if suffix not in REPORTS:
            raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY,
                          "上年报告只能是 .docx、.pdf、.html、.txt 或 .yaml 文件")
        if len(name) > 120 or _UNSAFE_NAME.search(name) or name.startswith("."):
            raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, "上年报告的文件名太长或含有不能用的字符：请改名后再选")
        stem = Path(name).stem
        mine = {self.path.name, self.draft_path.name, api.SCHEMA_NAME}
        free = None
        for candidate in [name, f"上年报告-{name}", *(f"上年报告-{stem}-{i}{suffix}" for i in range(2, 100))]:
            target = self.path.parent / candidate
            if candidate in mine or files.same_file(target, self.path):
                continue
            if target.exists() or target.is_symlink():
                if target.is_file() and target.stat().st_size == len(raw) and target.read_bytes() == raw:
                    # Already beside the file: named as it is (the checks say so if it is not a report).
                    return {"name": candidate, "copied": False}
            elif candidate != name and free is None:
                free = candidate  # the clerk's own name is used only for the very same file
        if free is None:
            raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, f"文件夹里已经有太多「上年报告-{stem}」开头的文件，请先整理")
        with tempfile.TemporaryDirectory() as folder:
            probe = Path(folder) / ("上年报告" + suffix)
            probe.write_bytes(raw)
            last = check_file(probe, follow_previous=False)
            why = (last.errors[0].message if last.errors else "不是年度报告").replace(str(probe), name)
        if last.errors or last.report is None:
            raise Refused(HTTPStatus.UNPROCESSABLE_ENTITY, f"{name} 读不出来，不能用来核对（{why}）。请选择上一年度的年度报告文件")
        files.write_atomic(self.path.parent / free, raw)
        return {"name": free, "copied": True}

    # -- the draft: unsaved changes never lost silently -------------------------

    @property
    def draft_path(self) -> Path:
        return self.path.with_name(self.path.stem + DRAFT + (self.path.suffix or ".yaml"))

    def keep_draft(self, data: dict, text: str | None = None) -> str | None:
        """Keep the page's data in the draft while it differs from the file, and
        remove the draft once the file holds the same. A warning when the draft
        cannot be written; nothing while a draft from before waits for the
        clerk's answer (it is never overwritten unseen)."""
        with self.draft_lock:
            if self.draft_held:
                return None
            with self.lock:
                unsaved = data != self.saved
            if not unsaved:
                self._drop_draft()
                return None
            text = self.text(data) if text is None else text
            if text == self.draft_text and self.draft_path.is_file():
                return None
            try:
                files.write_atomic(self.draft_path, text.encode("utf-8"))
            except MkreportError as exc:
                return (f"没有保存的改动无法存为草稿 {self.draft_path.name}（{exc}）。"
                        "请尽快点「保存」，关闭页面或命令窗口前不要忘记")
            self.draft_text = text
            return None

    def _drop_draft(self) -> None:
        if self.draft_path.is_file() and not self.draft_path.is_symlink():
            try:
                self.draft_path.unlink()
            except OSError:
                pass
        self.draft_text = None

    def draft_offer(self, opened: dict) -> dict | None:
        """A draft left beside the file (by a server stopped with unsaved changes):
        its data, for the page to offer 「恢复」 or 「丢弃」. A draft that holds
        nothing the file does not is removed."""
        with self.draft_lock:
            path = self.draft_path
            if not path.is_file():
                return None
            name = path.name
            try:
                data = self._readable(files.read_input(path, what="草稿"))
            except MkreportError:
                self.draft_held = True
                return {"name": name, "error": f"文件夹里有上次留下的草稿 {name}，但它读不出来。"
                        "可以在编辑器中打开它，把需要的内容抄到这里；不需要时点「丢弃草稿」"}
            if data == opened["data"]:
                self._drop_draft()
                return None
            self.draft_held = True
            import datetime as dt
            when = dt.datetime.fromtimestamp(path.stat().st_mtime).strftime("%m月%d日 %H:%M")
            return {"name": name, "data": data, "when": when}

    def answer_draft(self, restore: bool) -> None:
        """The clerk restored the draft (the page now holds it, and keeps it up to
        date) or discarded it."""
        with self.draft_lock:
            self.draft_held = False
            if not restore:
                self._drop_draft()

    def farewell(self) -> str:
        """What Ctrl+C adds to 「已结束。」: where unsaved changes are."""
        with self.draft_lock:
            if self.draft_text is not None and self.draft_path.is_file():
                return (f"注意：页面上最后的改动没有保存到 {self.path.name}，已存为草稿 {self.draft_path}。"
                        f"下次用 mkreport serve 打开 {self.path.name} 时，页面会提示恢复。")
            if self.unsaved() and self.draft_held:
                return (f"注意：页面上最后的改动没有保存。上次留下的草稿 {self.draft_path} 还在"
                        "（页面上没有选择恢复或丢弃），下次打开时会再提示。")
        return "注意：页面上最后的改动没有保存。" if self.unsaved() else ""


def with_own_chapters(fmt: formats.Format, data: dict) -> formats.Format:
    """``fmt`` with the chapters the file lists (章节), when they are written right;
    otherwise the check names what is wrong and the form shows the format's own."""
    return formats.with_listed_chapters(fmt, data.get(S.CHAPTERS))[0]


def _zero(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_zero(v) for v in value.values())
    return value in (0, "0", "", None) and not isinstance(value, bool)


def _version(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _copy(data: Any) -> Any:
    return json.loads(json.dumps(data))


_ABSENT = object()


def _lost(sent: Any, back: Any, raw: dict, path: tuple = ()) -> list[tuple]:
    """Where the file's data as read back (``back``, with ``raw``: numbers as
    written) does not hold what the page sent. Keys the file adds (the figures
    and headings of the starter's layout) are no loss; neither is an empty
    value read back as nothing."""
    if sent is None or sent == "" and back in (None, _ABSENT):
        return []
    if isinstance(sent, dict):
        if not isinstance(back, dict):
            return [path]
        # A key with no name is never read back, whatever its value (the file would
        # not even open again).
        return [lost for key, value in sent.items()
                for lost in ([(*path, key)] if key == "" else _lost(value, back.get(key, _ABSENT), raw, (*path, key)))]
    if isinstance(sent, list):
        if not isinstance(back, list) or len(back) != len(sent):
            return [path]
        return [lost for i, value in enumerate(sent) for lost in _lost(value, back[i], raw, (*path, i))]
    if back is None or back is _ABSENT or isinstance(back, (dict, list)):
        return [path]
    return [] if _as_text(sent) == raw.get(path, _as_text(back)) else [path]


def _as_text(value: Any) -> str:
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _place(path: tuple) -> tuple:
    """Where a value that cannot be written is shown: a key with no name at the
    item that holds it."""
    return path[:-1] if path and path[-1] == "" else path


def _unwritable(name: str, path: tuple) -> Problem:
    if path and path[-1] == "":
        return Problem(name, None, None, format_path(path[:-1]), "这里有一项没有名称（冒号前面是空的），文件中不能这样写",
                       "填上名称（如小标题），或者删去这一项", path=path[:-1])
    return Problem(name, None, None, format_path(path), "这项内容无法原样写入文件，保存时会被拒绝",
                   "删去这项内容，再重新填写", path=path)


def _refusal(body: Any) -> str | None:
    """What makes a request's data unusable: deeper or larger than an input file
    may be (see reading.source), or text that is not text (half a surrogate
    pair, which no file can hold). One pass over the data."""
    if not isinstance(body, dict) or not isinstance(body.get("data", {}), dict):
        return "内容不对"
    count, stack = 0, [(body, 0, ())]
    while stack:
        item, depth, path = stack.pop()
        count += 1
        if count > MAX_NODES:
            return f"内容太多（超过 {MAX_NODES} 项）"
        if isinstance(item, dict):
            if depth > MAX_DEPTH:
                return f"内容层级太深（超过 {MAX_DEPTH} 层）"
            for key, value in item.items():
                count += 1
                if _SURROGATE.search(key):
                    return f"「{format_path(path[1:])}」下有一个键含有无效的字符"
                stack.append((value, depth + 1, (*path, key)))
        elif isinstance(item, list):
            if depth > MAX_DEPTH:
                return f"内容层级太深（超过 {MAX_DEPTH} 层）"
            stack += [(value, depth + 1, (*path, i)) for i, value in enumerate(item)]
        elif isinstance(item, str) and _SURROGATE.search(item):
            return f"「{format_path(path[1:])}」含有无效的字符"
    return None


_SURROGATE = re.compile("[\ud800-\udfff]")
_UNSAFE_NAME = re.compile('[\x00-\x1f\x7f<>:"/\\\\|?*]')
_VERSION = re.compile("[0-9a-f]{64}")
_BASE_REFUSALS = {
    HTTPStatus.BAD_REQUEST: "请求的格式不对",
    HTTPStatus.REQUEST_URI_TOO_LONG: "请求的地址太长",
    HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE: "请求头太长或太多",
    HTTPStatus.NOT_IMPLEMENTED: "不支持这种请求",
    HTTPStatus.HTTP_VERSION_NOT_SUPPORTED: "不支持这个 HTTP 版本",
}


def _number(text: str) -> Any:
    """A JSON integer as a number while it is one a file reads as a number;
    longer digit strings stay text (as a file would read them), never a huge int."""
    return int(text) if len(text) <= 16 else text


def _constant(name: str) -> None:
    raise ValueError(name)  # NaN, Infinity: not JSON a page sends


def _years() -> list[int]:
    """The years the year list offers: those the command line accepts, latest first."""
    import datetime as dt
    this_year = dt.date.today().year
    return [y for y in range(this_year, formats.FIRST_YEAR - 1, -1) if formats.year_refusal(y, this_year) is None]


_ENV: jinja2.Environment | None = None


def _env() -> jinja2.Environment:
    global _ENV
    if _ENV is None:
        _ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates_dir())),
                                  autoescape=True, trim_blocks=True, lstrip_blocks=True)
        _ENV.filters["tojson_attr"] = lambda v: json.dumps(v, ensure_ascii=False, separators=(",", ":"))
        _ENV.globals.update(segments=F.segments, date_example=F.date_example)
    return _ENV


class Handler(BaseHTTPRequestHandler):
    session: Session
    hosts: frozenset[str]
    port: str
    server_version = "mkreport"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass  # the terminal is the clerk's; requests are not news

    # -- checks every request passes -------------------------------------------

    def _host_ok(self, host: str) -> bool:
        """This server by one of its own names, or (when told to listen on every
        address) by an IP address: a DNS name pointed here by another site never is."""
        if host in self.hosts:
            return True
        if "*" not in self.hosts:
            return False
        name, _, port = host.rpartition(":")
        try:
            ipaddress.ip_address(name.strip("[]"))
        except ValueError:
            return False
        return port == self.port

    def _guard(self, api_call: bool, query: dict | None = None) -> None:
        if not self._host_ok(self.headers.get("Host", "")):
            raise Refused(HTTPStatus.FORBIDDEN, "只接受本机地址的访问")
        origin = self.headers.get("Origin")
        if origin is not None and not self._host_ok(urllib.parse.urlsplit(origin).netloc):
            raise Refused(HTTPStatus.FORBIDDEN, "拒绝来自其他网页的请求")
        if self.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
            raise Refused(HTTPStatus.FORBIDDEN, "拒绝来自其他网页的请求")
        if api_call:
            token = self.headers.get("X-Mkreport-Token") or (query or {}).get("t", [""])[0]
            if not hmac.compare_digest(token.encode(), self.session.token.encode()):
                raise Refused(HTTPStatus.FORBIDDEN, "缺少或不对的会话令牌：请使用启动时打开的地址")

    def _body(self, limit: int) -> bytes:
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            raise Refused(HTTPStatus.LENGTH_REQUIRED, "请求没有长度") from None
        if length < 0 or length > limit:
            raise Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"内容太大（最多 {limit // 1024 // 1024} MB）")
        return self.rfile.read(length)

    def _json(self) -> dict:
        if self.headers.get_content_type() != "application/json":
            raise Refused(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "只接受 JSON")
        try:
            # Decimals stay the text sent; no huge integer is ever made.
            body = json.loads(self._body(MAX_JSON).decode("utf-8"), parse_float=str, parse_int=_number,
                              parse_constant=_constant)
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise Refused(HTTPStatus.BAD_REQUEST, "内容不是 JSON") from None
        refusal = _refusal(body)
        if refusal:
            raise Refused(HTTPStatus.BAD_REQUEST, refusal)
        return body

    def _send(self, status: HTTPStatus, body: bytes, content_type: str, policy: str = PAGE_POLICY,
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Security-Policy", policy)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cache-Control", "no-store")
        if "frame-ancestors 'none'" in policy:
            self.send_header("X-Frame-Options", "DENY")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _send_json(self, value: Any, status: HTTPStatus = HTTPStatus.OK, headers: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps(value, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8",
                   headers=headers)

    def _refuse(self, refused: Refused) -> None:
        headers = {"Allow": METHODS} if refused.status == HTTPStatus.METHOD_NOT_ALLOWED else None
        if self.command == "HEAD":  # the answer to HEAD has no body
            self.send_response(refused.status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self._send_json({"error": refused.message, **refused.extra}, refused.status, headers)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The base class's own refusals (a malformed request line, a header too
        long) as our JSON in Chinese, not its English page."""
        self.close_connection = True
        try:
            status = HTTPStatus(code)
        except ValueError:
            status = HTTPStatus.BAD_REQUEST
        if not getattr(self, "command", None):
            self.command = ""
        if getattr(self, "request_version", "HTTP/0.9") == "HTTP/0.9":
            self.request_version = "HTTP/1.0"  # an answer with its headers, whatever was asked
        self._send_json({"error": _BASE_REFUSALS.get(status, "请求的格式不对")}, status)

    # -- routes -------------------------------------------------------------------

    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        self._answer(self._get)

    def do_POST(self) -> None:  # noqa: N802 - the base class's name
        self._answer(self._post)

    def __getattr__(self, name: str) -> Any:
        """Every other method (OPTIONS, PUT, DELETE, PATCH, HEAD …): after the same
        checks as any request, a refusal in JSON naming the methods there are."""
        if name.startswith("do_"):
            return lambda: self._answer(self._other)
        raise AttributeError(name)

    def _other(self) -> None:
        self._guard(api_call=True, query=urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query))
        raise Refused(HTTPStatus.METHOD_NOT_ALLOWED, f"不支持 {self.command[:20]} 请求：这里只用 GET 和 POST")

    def _answer(self, route) -> None:
        try:
            route()
        except Refused as refused:
            self._refuse(refused)
        except InputError as exc:
            lines = [str(p).replace(str(self.session.path), self.session.path.name) for p in exc.problems[:10]]
            self._refuse(Refused(HTTPStatus.UNPROCESSABLE_ENTITY, "文件中有错误，页面无法读取，请先在编辑器中改正：\n"
                                 + "\n".join(lines)))
        except MkreportError as exc:
            self._refuse(Refused(HTTPStatus.UNPROCESSABLE_ENTITY, str(exc)))
        except (ConnectionError, TimeoutError):
            pass  # the browser went away
        except Exception as exc:  # a bug of ours: the page says so, the terminal shows no traceback
            self._refuse(Refused(HTTPStatus.INTERNAL_SERVER_ERROR,
                                 f"mkreport 内部错误（{type(exc).__name__}）。文件没有被修改。"))

    def _get(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        if url.path.startswith("/static/") and url.path[8:] in STATIC:
            self._guard(api_call=False)
            body = (templates_dir() / "serve" / url.path[8:]).read_bytes()
            self._send(HTTPStatus.OK, body, STATIC[url.path[8:]])
        elif url.path == "/":
            self._guard(api_call=True, query=query)
            page = _env().get_template("serve/page.html.j2").render(
                token=self.session.token, file=self.session.path.name)
            self._send(HTTPStatus.OK, page.encode("utf-8"), "text/html; charset=utf-8")
        elif url.path == "/preview":
            self._guard(api_call=True, query=query)
            self._send(HTTPStatus.OK, self.session.preview(), "text/html; charset=utf-8", PREVIEW_POLICY)
        else:
            raise Refused(HTTPStatus.NOT_FOUND, "没有这个页面")

    def _post(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        self._guard(api_call=True)
        if url.path in ("/api/start-from", "/api/previous"):
            name = urllib.parse.unquote(self.headers.get("X-Filename", ""))
            start = self.session.start_from if url.path == "/api/start-from" else self.session.keep_previous
            self._send_json(start(name, self._body(MAX_UPLOAD)))
            return
        body = self._json()
        data = body["data"] if "data" in body else self.session.data
        if url.path == "/api/state":
            opened = self.session.reopen()
            self._send_json({**opened, **self.session.state(opened["data"]), "draft": self.session.draft_offer(opened)})
        elif url.path == "/api/check":
            if body.get("reformat"):
                data = self.session.reformat(data)
            state = self.session.edited(data)
            self._send_json({"data": data, **state} if body.get("reformat") else state)
        elif url.path == "/api/draft":
            self.session.answer_draft(body.get("restore") is True)
            self._send_json({"ok": True})
        elif url.path == "/api/form":
            self._send(HTTPStatus.OK, self.session.form_html(data).encode("utf-8"), "text/html; charset=utf-8")
        elif url.path == "/api/save":
            if "data" not in body:
                raise Refused(HTTPStatus.BAD_REQUEST, "没有要保存的内容")
            version = body.get("version", _UNSET)
            if not (version is _UNSET or version is None or isinstance(version, str) and _VERSION.fullmatch(version)):
                raise Refused(HTTPStatus.BAD_REQUEST, "版本不对：请重新载入页面")
            self._send_json(self.session.save(data, body.get("confirmed") is True, version))
        elif url.path == "/api/output":
            kind = str(body.get("kind", ""))
            if kind not in (".docx", ".pdf", ".png", ".html"):
                raise Refused(HTTPStatus.BAD_REQUEST, "不支持的文件类型")
            content, name = self.session.output(data, kind)
            disposition = "attachment; filename*=UTF-8''" + urllib.parse.quote(name)
            self._send(HTTPStatus.OK, content, "application/octet-stream",
                       headers={"Content-Disposition": disposition})
        else:
            raise Refused(HTTPStatus.NOT_FOUND, "没有这个接口")


def make_server(session: Session, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    """The server for one session, listening on ``host``. MkreportError (in
    Chinese, with what to do) when it cannot listen there."""
    try:
        found = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (OSError, UnicodeError) as exc:
        raise MkreportError(bind_refusal(exc, host, port)) from None
    families = [info[0] for info in found]
    family = socket.AF_INET if socket.AF_INET in families else families[0]
    server_class = type("Server", (ThreadingHTTPServer,), {
        "address_family": family, "request_queue_size": QUEUE, "daemon_threads": True})
    try:
        server = server_class((host, port), Handler)
    except OSError as exc:
        raise MkreportError(bind_refusal(exc, host, port)) from None
    bound = server.server_address[1]
    names = {host, "127.0.0.1", "localhost"} if host in ("127.0.0.1", "localhost") else {host}
    hosts = {f"[{name}]:{bound}" if ":" in name else f"{name}:{bound}" for name in names}
    if host in ("0.0.0.0", "::", ""):
        hosts.add("*")  # every address: reached by IP only
    handler = type("SessionHandler", (Handler,), {"session": session, "hosts": frozenset(hosts),
                                                  "port": str(bound)})
    server.RequestHandlerClass = handler
    return server


def bind_refusal(exc: BaseException, host: str, port: int) -> str:
    """Why the server cannot listen at ``host``:``port``, and what to do, in Chinese."""
    choose = "--host 只能写本机的地址：127.0.0.1（只允许本机访问，默认）或 0.0.0.0（允许局域网中的其他电脑访问）"
    if isinstance(exc, (socket.gaierror, UnicodeError)):
        return f"无法识别地址「{host}」。{choose}"
    number = getattr(exc, "errno", None)
    if number == errno.EADDRINUSE:
        return (f"端口 {port} 已被别的程序占用（可能是另一个 mkreport serve）。"
                "换一个端口，或不写 --port，由程序自动选一个空闲端口")
    if number == errno.EADDRNOTAVAIL:
        return f"本机没有地址 {host}，无法在它上面启动。{choose}"
    if number in (errno.EACCES, errno.EPERM):
        return (f"没有权限使用端口 {port}（1024 以下的端口需要管理员权限）。"
                "换一个大于 1024 的端口，或不写 --port")
    if number == errno.EAFNOSUPPORT:
        return f"本机不支持地址 {host} 的类型。{choose}"
    return f"无法在 {host}:{port} 上启动（系统错误 {number}）。换一个端口或地址再试，或不写 --host 和 --port"


def exposure(server: ThreadingHTTPServer) -> str | None:
    """A warning when other computers can reach the page: any address but loopback."""
    bound = str(server.server_address[0])
    try:
        if ipaddress.ip_address(bound.split("%")[0]).is_loopback:
            return None
    except ValueError:
        pass
    return ("注意：--host " + (bound or "0.0.0.0") + " 让同一网络中的其他电脑也能打开这个页面（用带令牌的地址）。"
            "页面用的是不加密的 HTTP：令牌和填写的内容在网络上可能被别人看到。"
            "只在确有需要时这样用，用完按 Ctrl+C 结束；只在本机填写时不要写 --host。")


def address(server: ThreadingHTTPServer, session: Session) -> str:
    host, port = server.server_address[:2]
    host = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}.get(host, host)
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/?t={session.token}"
