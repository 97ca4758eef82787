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
Origin is refused. It reads and writes only the file it was opened with (and
the schema file ``init`` puts beside it).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import secrets
import tempfile
import threading
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jinja2

from generator import api, files, formats, model
from generator.checks.validate import Checked, check_content
from generator.errors import InputError, MkreportError
from generator.reading import schema as S
from generator.reading.source import decode
from generator.reading.starter import filled
from generator.rendering.compose import templates_dir
from generator.serving import form as F

MAX_JSON = 4 * 1024 * 1024  # the page's data: a city-wide report is a few tens of kB
MAX_UPLOAD = 20 * 1024 * 1024  # last year's report dropped onto the page
STATIC = {"app.js": "text/javascript; charset=utf-8", "app.css": "text/css; charset=utf-8"}
PAGE_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
               "connect-src 'self'; frame-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
PREVIEW_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"


class Refused(Exception):
    def __init__(self, status: HTTPStatus, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.message, self.extra = status, message, extra


class Session:
    """The one file being edited, and the data the page last sent."""

    def __init__(self, path: Path, year: int | None = None) -> None:
        self.path = path
        self.token = secrets.token_urlsafe(32)
        self.lock = threading.Lock()
        if path.exists():
            raw = files.read_input(path, what="输入文件")
            text, _ = decode(str(path), raw)
            text = text or ""
            checked = check_content(path, raw)
            if not isinstance(checked.source.data, dict):
                raise InputError(checked.problems)
            self.data = F.to_page(checked.source.data)
            self.disk = hashlib.sha256(raw).hexdigest()
            written = filled(self.format_of(self.data), self.data, api.SCHEMA_NAME)
            # Comments or an order of the clerk's own would not survive a save.
            self.hand_edited = written.replace("\r\n", "\n") != text.replace("\r\n", "\n")
        else:
            text, _ = api.starter(year, None, path)
            self.data = F.to_page(check_content(path, text.encode("utf-8")).source.data)
            self.disk = None
            self.hand_edited = False
        self.saved = json.loads(json.dumps(self.data))  # what the file holds (or a new file would)

    # -- the data as a file ----------------------------------------------------

    def format_of(self, data: dict) -> formats.Format:
        variant = data.get(S.VARIANT)
        if isinstance(variant, str):
            try:
                return formats.load_file(self.path.parent / variant)
            except MkreportError:
                pass
        named = data.get(S.FORMAT)
        if named in formats.official_ids():
            return formats.load(named)
        year = data.get(S.YEAR)
        fmt = formats.for_year(year) if isinstance(year, int) else None
        return fmt or formats.load(formats.official_ids()[-1])

    def text(self, data: dict) -> str:
        return filled(self.format_of(data), data, api.SCHEMA_NAME)

    def check(self, data: dict) -> tuple[Checked, str]:
        text = self.text(data)
        return check_content(self.path, text.encode("utf-8")), text

    # -- what the page asks ----------------------------------------------------

    def state(self, data: dict) -> dict:
        checked, _ = self.check(data)
        fmt = checked.fmt or self.format_of(data)
        with self.lock:
            self.data = data
        return {
            "problems": [{"path": list(p.path), "severity": p.severity, "message": p.message,
                          "hint": F.form_hint(p.hint), "key": p.key, "line": p.line} for p in checked.problems],
            "cells": F.cells(checked.report or self._tables_only(checked, fmt)),
            "saved": self.disk is not None and not self.unsaved(),
            "errors": len(checked.errors),
            "warnings": len(checked.problems) - len(checked.errors),
            "signature": F.signature(fmt, data),
            "file": str(self.path),
            "hand_edited": self.hand_edited,
        }

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

    def _tables_only(self, checked: Checked, fmt: formats.Format) -> model.Report | None:
        """The tables' totals while something outside them is still wrong (a missing
        机关名称 must not hide them): the same model, given only the tables."""
        data = checked.source.data
        sections = [fmt.section_key(name) for name in F.TABLES]
        if not isinstance(data, dict) or any(p.is_error and p.path[:1] and p.path[0] in sections
                                             for p in checked.problems):
            return None
        if any(p.is_error and not p.path for p in checked.problems):
            return None  # the file as a whole is unreadable
        tables = {key: data[key] for key in sections if isinstance(data.get(key), dict)}
        return F.zero_report(fmt, fmt.first_year, tables)

    def form_html(self, data: dict) -> str:
        checked, _ = self.check(data)
        fmt = checked.fmt or self.format_of(data)
        year = data.get(S.YEAR) if isinstance(data.get(S.YEAR), int) else fmt.first_year
        return _env().get_template("serve/form.html.j2").render(
            fields=F.form(fmt, year), years=_years(), fmt=fmt, signature=F.signature(fmt, data))

    def save(self, data: dict, confirmed: bool) -> dict:
        with self.lock:
            if self.hand_edited and not confirmed:
                raise Refused(HTTPStatus.CONFLICT, "这个文件是手工编辑过的：保存时会按 mkreport init 的格式重写，"
                              "文件中自己加的注释和排列不会保留。确定要保存吗？", confirm=True)
            current = self._disk_hash()
            if current != self.disk:
                raise Refused(HTTPStatus.CONFLICT, f"{self.path.name} 在打开之后被别的程序修改过。为避免覆盖，"
                              "没有保存。请关闭本页，重新运行 mkreport serve 打开它。")
            checked, text = self.check(data)
            api.write_starter(self.path, text, api.schema_text())
            self.disk = hashlib.sha256(text.encode("utf-8")).hexdigest()
            self.hand_edited = False
            self.data = data
            self.saved = json.loads(json.dumps(data))
        return {"saved": str(self.path), "errors": len(checked.errors)}

    def unsaved(self) -> bool:
        """Whether the page's last data differs from what the file holds."""
        with self.lock:
            return self.data != self.saved

    def _disk_hash(self) -> str | None:
        try:
            return hashlib.sha256(files.read_input(self.path, what="输入文件")).hexdigest()
        except MkreportError:
            return None

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
            message = "改正页面上标出的错误后，这里显示报告的样子。"
            return f"<!doctype html><meta charset=utf-8><p style='font:16px sans-serif;color:#666'>{message}</p>" \
                .encode()
        return api.render(checked, ".html")

    def start_from(self, name: str, raw: bytes) -> dict:
        """This year's data from last year's report dropped onto the page."""
        suffix = Path(name).suffix.lower()
        if suffix not in (".docx", ".pdf", ".html", ".htm", ".txt", ".yaml", ".yml"):
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
            data = F.to_page(check_content(self.path, text.encode("utf-8")).source.data)
        data.pop(S.PREVIOUS, None)  # the dropped copy is gone; the clerk may name the file
        return {"data": data}


def _zero(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_zero(v) for v in value.values())
    return value in (0, "0", "", None) and not isinstance(value, bool)


def _bounded(value: Any) -> bool:
    """No deeper and no larger than an input file may be (see reading.source)."""
    from generator.reading.source import MAX_DEPTH, MAX_NODES

    count, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        count += 1
        if depth > MAX_DEPTH + 2 or count > MAX_NODES:
            return False
        if isinstance(item, dict):
            stack += [(v, depth + 1) for v in item.values()]
        elif isinstance(item, list):
            stack += [(v, depth + 1) for v in item]
    return True


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
            body = json.loads(self._body(MAX_JSON).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            raise Refused(HTTPStatus.BAD_REQUEST, "内容不是 JSON") from None
        if not isinstance(body, dict) or not isinstance(body.get("data", {}), dict) or not _bounded(body):
            raise Refused(HTTPStatus.BAD_REQUEST, "内容不对")
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

    def _send_json(self, value: Any, status: HTTPStatus = HTTPStatus.OK) -> None:
        self._send(status, json.dumps(value, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    def _refuse(self, refused: Refused) -> None:
        self._send_json({"error": refused.message, **refused.extra}, refused.status)

    # -- routes -------------------------------------------------------------------

    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        self._answer(self._get)

    def do_POST(self) -> None:  # noqa: N802 - the base class's name
        self._answer(self._post)

    def _answer(self, route) -> None:
        try:
            route()
        except Refused as refused:
            self._refuse(refused)
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
        if url.path == "/api/start-from":
            name = urllib.parse.unquote(self.headers.get("X-Filename", ""))
            self._send_json(self.session.start_from(name, self._body(MAX_UPLOAD)))
            return
        body = self._json()
        data = body.get("data") or self.session.data
        if url.path == "/api/state":
            self._send_json({"data": self.session.data, **self.session.state(self.session.data)})
        elif url.path == "/api/check" and body.get("reformat"):
            data = self.session.reformat(data)
            self._send_json({"data": data, **self.session.state(data)})
        elif url.path == "/api/check":
            self._send_json(self.session.state(data))
        elif url.path == "/api/form":
            self._send(HTTPStatus.OK, self.session.form_html(data).encode("utf-8"), "text/html; charset=utf-8")
        elif url.path == "/api/save":
            self._send_json(self.session.save(data, bool(body.get("confirmed"))))
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
    server = ThreadingHTTPServer((host, port), Handler)
    bound = server.server_address[1]
    names = {host, "127.0.0.1", "localhost"} if host in ("127.0.0.1", "localhost") else {host}
    hosts = {f"{name}:{bound}" for name in names}
    if host in ("0.0.0.0", "::", ""):
        hosts.add("*")  # every address: reached by IP only
    handler = type("SessionHandler", (Handler,), {"session": session, "hosts": frozenset(hosts),
                                                  "port": str(bound)})
    server.RequestHandlerClass = handler
    server.daemon_threads = True
    return server


def address(server: ThreadingHTTPServer, session: Session) -> str:
    host, port = server.server_address[:2]
    host = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    return f"http://{host}:{port}/?t={session.token}"
