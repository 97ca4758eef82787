"""mkreport serve as a server several pages (and later several clerks) use: nothing
the page sends or the file holds is dropped, one page's save never silently
undoes another's, a failing schema file does not wreck the session, and the
server answers every request it is sent, in Chinese.

Everything runs over real HTTP against the real server (in this process, as
tests/test_serve.py does, or as the real ``mkreport serve`` in a subprocess),
and saved files are read back by the real ``mkreport check``.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from helpers import EXAMPLES, ROOT, WRAPPER, invoke, post_to_served
from test_serve import Running, example_data

from generator.checks.validate import check_file

REQUESTS = "收到和处理政府信息公开申请情况"
PARAGRAPH = "我局高度重视政府信息公开工作，主要负责同志多次听取汇报。"
HANG_GUARD = 60  # seconds: a guard against hangs, not a speed measure


def without_overview(text: str, value: str) -> str:
    """The example with its 总体情况 block replaced by ``总体情况: <value>``."""
    lines = text.split("\n")
    start = lines.index("总体情况:")
    end = start + 1
    while lines[end].startswith((" ", "#")) or not lines[end]:
        end += 1
    return "\n".join([*lines[:start], f"总体情况: {value}", *lines[end:]])


def errors_at(path: Path) -> dict[tuple, str]:
    """``mkreport check`` of a saved file: its errors by key path."""
    checked = check_file(path)
    return {tuple(p.path): p.message for p in checked.errors}


def at(data: dict, path: tuple):
    for step in path:
        data = data[step]
    return data


def given(value):
    """A value as `mkreport check` reads it back: a key left empty is no key."""
    if isinstance(value, dict):
        return {k: given(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [given(v) for v in value]
    return value


def put(data: dict, path: tuple, value) -> dict:
    node = data
    for step in path[:-1]:
        node = node.setdefault(step, {})
    node[path[-1]] = value
    return data


@pytest.fixture
def served(tmp_path):
    opened = []

    def start(text: str, name: str = "report.yaml") -> Running:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        opened.append(Running(path))
        return opened[-1]

    yield start
    for running in opened:
        running.close()


# -- 1. nothing is dropped ---------------------------------------------------------------

def test_a_paragraph_written_under_a_block_key_survives_check_and_save(served):
    """「总体情况: 一段话」 instead of its sub-keys: shown as an error at 总体情况,
    saved as it is, and `mkreport check` of the saved file says the same."""
    text = (EXAMPLES / "shili-county-2023.yaml").read_text(encoding="utf-8")
    running = served(without_overview(text, PARAGRAPH))
    status, state = running.api("state")
    assert status == 200 and state["data"]["总体情况"] == PARAGRAPH
    status, checked = running.api("check", data=state["data"])
    [problem] = [p for p in checked["problems"] if p["path"] == ["总体情况"]]
    assert problem["severity"] == "错误" and PARAGRAPH[:10] in problem["message"] and problem["hint"]
    assert checked["errors"] >= 1
    status, saved = running.api("save", data=state["data"], confirmed=True, version=state.get("version"))
    assert status == 200 and saved["errors"] == checked["errors"]
    assert PARAGRAPH in running.session.path.read_text(encoding="utf-8")
    assert ("总体情况",) in errors_at(running.session.path)
    code, _, err = invoke("check", running.session.path)
    assert code == 1 and "总体情况" in err and PARAGRAPH[:10] in err


MISPLACED = [
    # (where, what the page sends there)
    (("主动公开政府信息情况",), "全年主动公开信息5620条。"),
    ((REQUESTS, "自然人"), ["120件"]),
    ((REQUESTS, "自然人", "本年新收"), {"数量": 120, "说明": None}),
    (("联系方式", "电话"), {"办公室": "0571-1234", "值班": None}),
    (("总体情况", "概述"), {"第一段": None, "第二段": ["内容", {"子": "x"}]}),
    ((REQUESTS, "自然人", "予以公开"), "48:"),
    (("总体情况", "未知的键"), [["嵌套", {"深": None}], "", "- 像列表的文字", "# 像注释"]),
]


@pytest.mark.parametrize(("path", "value"), MISPLACED, ids=[".".join(p) for p, _ in MISPLACED])
def test_a_value_of_the_wrong_kind_is_reported_and_kept(served, path, value):
    """Whatever the page sends where another kind of value belongs is checked and
    saved exactly as sent; the saved file reports the error at that key."""
    running = served((EXAMPLES / "shili-county-2023.yaml").read_text(encoding="utf-8"))
    _, state = running.api("state")
    data = put(state["data"], path, value)
    _, checked = running.api("check", data=data)
    flagged = [p for p in checked["problems"] if p["severity"] == "错误"
               and tuple(p["path"][:len(path)]) == path[:len(p["path"])]]
    assert flagged, checked["problems"]
    status, saved = running.api("save", data=data, confirmed=True, version=state.get("version"))
    assert status == 200, saved
    back = check_file(running.session.path)
    assert back.source.data is not None
    assert at(back.source.data, path) == given(value)
    assert any(tuple(p.path[:len(path)]) == path[:len(p.path)] for p in back.errors)
    assert {tuple(p["path"]) for p in checked["problems"] if p["severity"] == "错误"} == \
        {tuple(p.path) for p in back.errors}


def test_texts_that_look_like_keys_read_back_as_written(served):
    """A heading or a paragraph that starts like a key with a mistyped colon
    (「依申请公开：主要做法」) is written so that the reader does not mend it into
    a key; before, such a heading made the saved file unreadable."""
    running = served((EXAMPLES / "shili-county-2023.yaml").read_text(encoding="utf-8"))
    _, state = running.api("state")
    own = [{"依申请公开：主要做法": ["一是规范办理流程。"]}, {"主动公开:做法": "二是"}]
    data = put(state["data"], ("总体情况", "小标题"), own)
    data = put(data, ("总体情况", "概述"), ["机关名称：示例县人民政府。", "年度:2023"])
    _, checked = running.api("check", data=data)
    status, saved = running.api("save", data=data, confirmed=True, version=state.get("version"))
    assert status == 200 and saved["errors"] == checked["errors"] == 0
    back = check_file(running.session.path)
    assert not back.errors
    assert back.source.data["总体情况"]["小标题"] == own
    assert back.source.data["总体情况"]["概述"] == ["机关名称：示例县人民政府。", "年度:2023"]


def test_a_key_left_empty_stays_empty(served):
    """「本年新收:」 with nothing after it is an error; opening and saving the file
    must not turn it into 0."""
    text = (EXAMPLES / "shili-county-2023.yaml").read_text(encoding="utf-8")
    assert "    本年新收: 120\n" in text
    running = served(text.replace("    本年新收: 120\n", "    本年新收:\n", 1))
    _, state = running.api("state")
    _, checked = running.api("check", data=state["data"])
    assert [REQUESTS, "自然人", "本年新收"] in [p["path"] for p in checked["problems"] if p["severity"] == "错误"]
    status, _ = running.api("save", data=state["data"], confirmed=True, version=state.get("version"))
    assert status == 200
    assert errors_at(running.session.path).get((REQUESTS, "自然人", "本年新收"), "").endswith("还没有填写")


def test_a_heading_without_a_name_is_refused_not_dropped(served):
    running = served((EXAMPLES / "shili-county-2023.yaml").read_text(encoding="utf-8"))
    before = running.session.path.read_bytes()
    _, state = running.api("state")
    data = put(state["data"], ("总体情况", "小标题"), [{"": ["这一段的小标题还没写。"]}])
    _, checked = running.api("check", data=data)
    assert any(p["path"] == ["总体情况", "小标题", 0] and p["severity"] == "错误" for p in checked["problems"])
    status, refusal = running.api("save", data=data, confirmed=True, version=state.get("version"))
    assert status == 422 and "总体情况.小标题[1]" in refusal["error"] and "没有名称" in refusal["error"]
    assert running.session.path.read_bytes() == before


def test_a_file_that_reading_would_drop_part_of_is_not_opened(tmp_path):
    """A key written twice: the check reads only the first, so a save would drop
    the second. serve refuses to open it, with the check's message."""
    text = (EXAMPLES / "shili-county-2023.yaml").read_text(encoding="utf-8")
    source = tmp_path / "twice.yaml"
    source.write_text(text + "机关名称: 另一个名称\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "generator.cli", "serve", str(source), "--no-browser"],
                            capture_output=True, text=True, timeout=HANG_GUARD, cwd=tmp_path,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert result.returncode == 1
    assert "键重复出现" in result.stderr and "先在编辑器中改正" in result.stderr
    assert source.read_text(encoding="utf-8") == text + "机关名称: 另一个名称\n"


def test_a_huge_number_or_half_a_character_gets_a_chinese_answer(served):
    """A 50,000-digit integer in the JSON (not a figure any file reads as a number)
    is checked as the text it is; half a surrogate pair is refused by name."""
    running = served((EXAMPLES / "shili-county-2023.yaml").read_text(encoding="utf-8"))
    _, state = running.api("state")
    body = json.dumps({"data": state["data"]}, ensure_ascii=False)
    huge = body.replace('"本年新收": 120', '"本年新收": ' + "7" * 50_000, 1)
    assert huge != body
    status, _, content = running.request("POST", "/api/check", body=huge.encode("utf-8"),
                                         headers={"Content-Type": "application/json"})
    answer = json.loads(content)
    assert status == 200 and any(p["path"] == [REQUESTS, "自然人", "本年新收"] for p in answer["problems"])
    broken = body.replace('"机关名称": "示例县人民政府"', '"机关名称": "示例\\ud800县"', 1)
    assert broken != body
    status, _, content = running.request("POST", "/api/save", body=broken.encode("utf-8"),
                                         headers={"Content-Type": "application/json"})
    assert status == 400 and "机关名称" in json.loads(content)["error"]


# -- 2. two pages on one file ------------------------------------------------------------

def test_a_page_loaded_before_another_pages_save_cannot_undo_it(served):
    running = served((EXAMPLES / "shili-county-2023.yaml").read_text(encoding="utf-8"))
    _, tab_a = running.api("state")
    _, tab_b = running.api("state")
    assert tab_a["version"] == tab_b["version"] and re.fullmatch("[0-9a-f]{64}", tab_a["version"])
    a = put(tab_a["data"], ("编制单位",), "甲：县政府办公室")
    status, saved_a = running.api("save", data=a, confirmed=True, version=tab_a["version"])
    assert status == 200 and saved_a["version"] != tab_a["version"]
    b = put(tab_b["data"], ("发布日期",), "2024-01-21")
    status, refusal = running.api("save", data=b, confirmed=True, version=tab_b["version"])
    assert status == 409 and refusal["stale"] and refusal["version"] == saved_a["version"]
    assert "另一个页面" in refusal["error"] and "重新载入" in refusal["error"] and "覆盖" in refusal["error"]
    assert "甲：县政府办公室" in running.session.path.read_text(encoding="utf-8")
    # Tab B reloads: it gets tab A's change and the new version, and can save.
    _, reloaded = running.api("state")
    assert reloaded["data"]["编制单位"] == "甲：县政府办公室" and reloaded["version"] == saved_a["version"]
    b = put(reloaded["data"], ("发布日期",), "2024-01-21")
    status, saved_b = running.api("save", data=b, version=reloaded["version"])
    assert status == 200
    text = running.session.path.read_text(encoding="utf-8")
    assert "甲：县政府办公室" in text and "2024-01-21" in text
    # Tab A, now behind, is refused; told the version, it may choose to overwrite.
    status, refusal = running.api("save", data=a, version=saved_a["version"])
    assert status == 409 and refusal["version"] == saved_b["version"]
    status, _ = running.api("save", data=a, version=refusal["version"])
    assert status == 200 and "2024-01-21" not in running.session.path.read_text(encoding="utf-8")


def test_a_change_by_another_program_is_still_detected(served):
    running = served((EXAMPLES / "shili-county-2023.yaml").read_text(encoding="utf-8"))
    _, state = running.api("state")
    changed = running.session.path.read_bytes() + b"# edited in Notepad meanwhile\n"
    running.session.path.write_bytes(changed)
    status, refusal = running.api("save", data=state["data"], confirmed=True, version=state["version"])
    assert status == 409 and "别的程序" in refusal["error"] and refusal["stale"]
    assert running.session.path.read_bytes() == changed
    running.session.path.unlink()
    status, refusal = running.api("save", data=state["data"], confirmed=True, version=state["version"])
    assert status == 409 and "删除" in refusal["error"] and refusal["version"] is None
    assert not running.session.path.exists()


# -- 3. the schema beside the file --------------------------------------------------------

def read_only_schema(schema: Path) -> None:
    schema.write_text("{}", encoding="utf-8")
    schema.chmod(0o444)  # marked read-only: never replaced, by root either


@pytest.mark.parametrize("make", [os.mkfifo, read_only_schema], ids=["pipe", "read-only"])
def test_a_schema_that_cannot_be_replaced_is_a_warning_not_a_failed_save(served, tmp_path, make):
    """report.schema.json is a pipe or a file marked read-only (not to be replaced):
    the YAML is saved, the page is warned, the schema is left alone, and the next
    save works."""
    running = served((EXAMPLES / "shili-county-2023.yaml").read_text(encoding="utf-8"))
    schema = tmp_path / "report.schema.json"
    make(schema)
    before = schema.stat()
    _, state = running.api("state")
    data = put(state["data"], ("编制单位",), "第一次保存")
    status, saved = running.api("save", data=data, confirmed=True, version=state.get("version"))
    assert status == 200, saved
    assert "report.schema.json" in saved["warning"] and "已经保存" in saved["warning"]
    after = schema.stat()
    assert (after.st_ino, after.st_mode, after.st_size) == (before.st_ino, before.st_mode, before.st_size)
    assert "第一次保存" in running.session.path.read_text(encoding="utf-8")
    data = put(data, ("编制单位",), "第二次保存")
    status, saved = running.api("save", data=data, version=saved["version"])
    assert status == 200 and "第二次保存" in running.session.path.read_text(encoding="utf-8")


def serve_process(*argv: str, cwd: Path, preexec=None) -> tuple[subprocess.Popen, str, str]:
    """The real ``mkreport serve`` in a subprocess: (process, its address, what it
    said on stderr before printing the address)."""
    said = cwd / f".serve-stderr-{time.monotonic_ns()}"
    with open(said, "w") as stderr:
        process = subprocess.Popen([sys.executable, "-m", "generator.cli", "serve", *argv, "--no-browser"],
                                   cwd=cwd, stdout=subprocess.PIPE, stderr=stderr, text=True,
                                   env=dict(os.environ, PYTHONPATH=str(ROOT)), preexec_fn=preexec)
    timer = threading.Timer(HANG_GUARD, process.kill)  # a guard against a hang
    timer.start()
    lines = []
    try:
        for line in process.stdout:
            lines.append(line)
            found = re.search(r"http://\S+", line)
            if found:
                return process, found.group(), said.read_text()
    finally:
        timer.cancel()
    process.kill()
    raise AssertionError("mkreport serve did not start: " + "".join(lines) + said.read_text())


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=HANG_GUARD)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def post(url: str, api: str, body: dict) -> tuple[int, dict]:
    return post_to_served(url, api, body, HANG_GUARD)


def small_files() -> None:
    """The child may write no file over 64 KB: the YAML (about 15 KB) fits, the
    schema (over 120 KB) does not, as on a disk that is full. Works as root too."""
    import resource
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))


def test_schema_that_fails_half_way_leaves_a_saved_file_and_a_working_session(tmp_path):
    """The real server with a file-size limit: writing report.schema.json fails
    with EFBIG after the YAML could be written. The save succeeds with a warning,
    the YAML holds the change, and the page can save again afterwards."""
    source = tmp_path / "county.yaml"
    shutil.copy(EXAMPLES / "shili-county-2023.yaml", source)
    process, url, _ = serve_process(str(source), cwd=tmp_path, preexec=small_files)
    try:
        status, state = post(url, "state", {})
        assert status == 200
        data = put(state["data"], ("编制单位",), "第一次保存")
        status, saved = post(url, "save", {"data": data, "confirmed": True, "version": state.get("version")})
        assert status == 200, saved
        assert "report.schema.json" in saved["warning"]
        assert "第一次保存" in source.read_text(encoding="utf-8")
        assert not (tmp_path / "report.schema.json").exists()
        data = put(data, ("编制单位",), "第二次保存")
        status, saved = post(url, "save", {"data": data, "version": saved["version"]})
        assert status == 200, saved
        assert "第二次保存" in source.read_text(encoding="utf-8")
    finally:
        stop(process)
    assert invoke("check", source)[0] == 0
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".~mkreport-")]
    assert "Traceback" not in "".join(p.read_text() for p in tmp_path.glob(".serve-stderr-*"))


def test_init_with_a_schema_that_fails_writes_nothing(tmp_path):
    """On the command line the schema comes first: when it cannot be written, the
    new file is not written either (nothing written on error)."""
    result = subprocess.run([sys.executable, "-m", "generator.cli", "init", "-o", "new.yaml", "--year", "2023"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=HANG_GUARD,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)), preexec_fn=small_files)
    assert result.returncode != 0 and "report.schema.json" in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_huge_schema_file_beside_the_output_is_not_read_whole(tmp_path):
    """A 600 MB report.schema.json (sparse) beside the new file: it cannot be the
    current schema, so it is replaced without being read into memory."""
    with open(tmp_path / "report.schema.json", "wb") as handle:
        handle.truncate(600 * 1024 * 1024)
    memory = tmp_path / ".peak"
    result = subprocess.run([sys.executable, "-c", WRAPPER, str(memory), sys.executable, "-m", "generator.cli",
                             "init", "-o", "new.yaml", "--year", "2023"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=HANG_GUARD,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "report.schema.json").stat().st_size < 1024 * 1024
    assert int(memory.read_text()) < 200 * 1024  # KB; reading it whole took over 1 GB


# -- 4. how the server listens and answers -------------------------------------------------

def test_listening_beyond_this_computer_is_warned_about(tmp_path):
    source = tmp_path / "county.yaml"
    shutil.copy(EXAMPLES / "shili-county-2023.yaml", source)
    process, url, said = serve_process(str(source), "--host", "0.0.0.0", cwd=tmp_path)
    try:
        assert "其他电脑" in said and "HTTP" in said and "Ctrl+C" in said
        assert post(url, "check", {"data": example_data()})[0] == 200
    finally:
        stop(process)
    process, url, said = serve_process(str(source), cwd=tmp_path)
    stop(process)
    assert "其他电脑" not in said and url.startswith("http://127.0.0.1:")


def test_a_port_or_address_that_cannot_be_used_is_said_in_chinese(tmp_path):
    source = tmp_path / "county.yaml"
    shutil.copy(EXAMPLES / "shili-county-2023.yaml", source)
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    port = taken.getsockname()[1]
    try:
        cases = [
            (("--port", str(port)), f"端口 {port} 已被别的程序占用"),
            (("--host", "192.0.2.1"), "本机没有地址 192.0.2.1"),  # TEST-NET-1: never this computer's
            (("--host", "no-such-host.invalid"), "无法识别地址「no-such-host.invalid」"),
            (("--host", "exa mple"), "无法识别地址「exa mple」"),
        ]
        for argv, said in cases:
            result = subprocess.run([sys.executable, "-m", "generator.cli", "serve", str(source), *argv,
                                     "--no-browser"], cwd=tmp_path, capture_output=True, text=True,
                                    timeout=HANG_GUARD, env=dict(os.environ, PYTHONPATH=str(ROOT)))
            assert result.returncode != 0, argv
            assert said in result.stderr and "--" in result.stderr, result.stderr
            assert not re.search(r"[A-Za-z]{4,} [a-z]{2,} [a-z]{3,}", result.stderr), result.stderr  # no OS English
    finally:
        taken.close()


@pytest.mark.parametrize("method", ["OPTIONS", "PUT", "DELETE", "PATCH", "TRACE", "PROPFIND", "HEAD"])
def test_every_method_gets_a_chinese_json_answer(running, method):
    status, headers, content = running.request(method, "/api/save", json_body={"data": example_data()})
    assert status == 405 and headers["Allow"] == "GET, POST"
    if method != "HEAD":
        assert headers["Content-Type"].startswith("application/json")
        assert "不支持" in json.loads(content)["error"]
    # The same checks as any request come first.
    status, _, content = running.request(method, "/api/save", token=False)
    assert status == 403 and (method == "HEAD" or "令牌" in json.loads(content)["error"])
    status, _, _ = running.request(method, "/", headers={"Host": "evil.example"})
    assert status == 403
    assert running.session.path.read_bytes() == (EXAMPLES / "shili-county-2023.yaml").read_bytes()


def test_a_malformed_request_gets_chinese_json(running):
    with socket.create_connection(("127.0.0.1", running.port), timeout=HANG_GUARD) as raw:
        raw.sendall(b"GET / HTTP/9.9\r\nHost: x\r\n\r\n")
        answer = b""
        while chunk := raw.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert b"application/json" in head and "HTTP 版本" in json.loads(body)["error"]


def test_forty_simultaneous_checks_are_all_answered(running):
    """Forty pages checking at the same moment: none is reset for want of room
    in the queue of connections waiting to be accepted."""
    body = json.dumps({"data": example_data()}, ensure_ascii=False).encode("utf-8")
    start = threading.Barrier(40)
    answers: list[object] = []

    def check() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", running.port, timeout=HANG_GUARD)
        start.wait()
        try:
            connection.request("POST", "/api/check", body=body, headers={
                "Host": f"127.0.0.1:{running.port}", "X-Mkreport-Token": running.session.token,
                "Content-Type": "application/json"})
            response = connection.getresponse()
            answers.append(response.status if json.loads(response.read())["errors"] == 0 else "errors")
        except OSError as exc:
            answers.append(repr(exc))

    threads = [threading.Thread(target=check) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(HANG_GUARD)
    assert answers == [200] * 40
