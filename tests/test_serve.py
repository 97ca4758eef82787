"""mkreport serve over HTTP: who may ask, what is saved, and that the page is told
exactly what the command line says."""

from __future__ import annotations

import http.client
import json
import re
import shutil
import threading
import urllib.parse
from pathlib import Path

from helpers import EXAMPLES, invoke

from generator.checks.validate import check_file
from generator.serving import form, server


class Running:
    """A serve session on a real socket, as the browser meets it."""

    def __init__(self, path: Path, host: str = "127.0.0.1") -> None:
        self.session = server.Session(path)
        self.httpd = server.make_server(self.session, host)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def request(self, method: str, url: str, body: bytes | None = None, headers: dict | None = None,
                token: bool = True, json_body: dict | None = None) -> tuple[int, dict, bytes]:
        sent = {"Host": f"127.0.0.1:{self.port}"}
        if token:
            sent["X-Mkreport-Token"] = self.session.token
        if json_body is not None:
            body = json.dumps(json_body, ensure_ascii=False).encode("utf-8")
            sent["Content-Type"] = "application/json"
        sent.update(headers or {})
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        connection.request(method, url, body=body, headers=sent)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()

    def api(self, name: str, **body) -> tuple[int, dict]:
        status, _, content = self.request("POST", f"/api/{name}", json_body=body)
        return status, json.loads(content) if content.startswith(b"{") else {"raw": content}

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def example_data(name: str = "shili-county-2023.yaml") -> dict:
    return form.to_page(check_file(EXAMPLES / name).source.data)


# -- who may ask ------------------------------------------------------------------

def test_api_refuses_without_token_or_from_another_origin(running):
    body = {"data": example_data()}
    ok = running.request("POST", "/api/check", json_body=body)
    assert ok[0] == 200
    no_token = running.request("POST", "/api/check", json_body=body, token=False)
    assert no_token[0] == 403 and "令牌" in json.loads(no_token[2])["error"]
    wrong = running.request("POST", "/api/save", json_body=body, headers={"X-Mkreport-Token": "x" * 43})
    assert wrong[0] == 403
    foreign = running.request("POST", "/api/save", json_body=body, headers={"Origin": "http://evil.example"})
    assert foreign[0] == 403 and "其他网页" in json.loads(foreign[2])["error"]
    cross_site = running.request("POST", "/api/check", json_body=body, headers={"Sec-Fetch-Site": "cross-site"})
    assert cross_site[0] == 403
    rebinding = running.request("POST", "/api/check", json_body=body, headers={"Host": "evil.example:80"})
    assert rebinding[0] == 403
    # A form post from another page cannot even be JSON.
    form_post = running.request("POST", "/api/save", body=b"data=x",
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert form_post[0] == 415
    assert (running.session.path.read_bytes() == (EXAMPLES / "shili-county-2023.yaml").read_bytes())


def test_page_needs_the_address_printed_at_start(running):
    assert running.request("GET", "/", token=False)[0] == 403
    status, headers, page = running.request("GET", "/?t=" + urllib.parse.quote(running.session.token), token=False)
    assert status == 200
    assert "script-src 'self'" in headers["Content-Security-Policy"] and headers["X-Frame-Options"] == "DENY"
    assert b"<script src=\"/static/app.js\"" in page and b"http" not in page.replace(b"http-equiv", b"")
    assert running.request("GET", "/preview", token=False)[0] == 403


def test_nothing_of_the_file_reaches_the_page_as_markup(tmp_path):
    source = tmp_path / "x.yaml"
    text = (EXAMPLES / "shili-county-2023.yaml").read_text(encoding="utf-8")
    text = text.replace("机关名称: 示例县人民政府", "机关名称: <script>alert(1)</script>示例县")
    text += "表头调整:\n  规章: <img src=x onerror=alert(2)>\n"
    source.write_text(text, encoding="utf-8")
    served = Running(source)
    try:
        status, state = served.api("state")
        assert state["data"]["机关名称"] == "<script>alert(1)</script>示例县"
        status, _, html = served.request("POST", "/api/form", json_body={"data": state["data"]})
        assert status == 200
        assert b"<img src=x" not in html and b"&lt;img src=x onerror=alert(2)&gt;" in html
        assert b"<script>" not in html
        _, _, preview = served.request("GET", "/preview?t=" + served.session.token)
        assert b"<script>alert(1)" not in preview and b"&lt;script&gt;alert(1)" in preview
    finally:
        served.close()


# -- what the page is told -------------------------------------------------------------

def test_a_slip_gets_the_hint_the_command_line_gives(running, tmp_path):
    data = example_data()
    data["收到和处理政府信息公开申请情况"]["自然人"]["本年新收"] = "12件"
    status, state = running.api("check", data=data)
    assert status == 200
    [problem] = [p for p in state["problems"] if p["path"] == ["收到和处理政府信息公开申请情况", "自然人", "本年新收"]]
    # The same slip typed into the file by hand, checked by the command line.
    by_hand = tmp_path / "by-hand.yaml"
    text = (EXAMPLES / "shili-county-2023.yaml").read_text(encoding="utf-8")
    by_hand.write_text(text.replace("    本年新收: 120\n", "    本年新收: 12件\n", 1), encoding="utf-8")
    code, out, err = invoke("check", by_hand)
    assert code == 1
    assert problem["message"] in err and problem["hint"] and problem["hint"] in err
    assert state["cells"] == {} or state["errors"] >= 1


def test_totals_come_from_the_model(running):
    data = example_data()
    data["收到和处理政府信息公开申请情况"]["自然人"]["予以公开"] = "50"
    status, state = running.api("check", data=data)
    assert status == 200 and state["errors"] == 0
    # Table 三 of the example: 予以公开 row 48+15+2+1+2+3 = 71 → 73; 自然人 （七）总计 118 → 120.
    assert "73" in state["cells"].values() and "120" in state["cells"].values()


def test_unbalanced_column_is_reported_at_that_column(running):
    data = example_data()
    data["收到和处理政府信息公开申请情况"]["商业企业"]["结转下年度"] = "5"
    _, state = running.api("check", data=data)
    paths = [p["path"] for p in state["problems"] if p["severity"] == "错误"]
    assert paths == [["收到和处理政府信息公开申请情况", "商业企业", "结转下年度"]]


# -- saving and downloading ----------------------------------------------------------------

def test_saved_file_builds_the_same_report_as_the_hand_written_one(tmp_path):
    new = tmp_path / "新文件.yaml"
    served = Running(new)
    try:
        status, result = served.api("save", data=example_data())
        assert status == 200, result
    finally:
        served.close()
    assert new.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=report.schema.json")
    assert (tmp_path / "report.schema.json").is_file()
    ours, theirs = tmp_path / "ours.docx", tmp_path / "theirs.docx"
    assert invoke(new, "-o", ours)[0] == 0
    assert invoke(EXAMPLES / "shili-county-2023.yaml", "-o", theirs)[0] == 0
    assert ours.read_bytes() == theirs.read_bytes()


def test_download_is_the_command_line_report(running, tmp_path):
    status, headers, content = running.request("POST", "/api/output",
                                               json_body={"data": example_data(), "kind": ".docx"})
    assert status == 200
    assert "filename*=UTF-8''" in headers["Content-Disposition"]
    built = tmp_path / "built.docx"
    assert invoke(EXAMPLES / "shili-county-2023.yaml", "-o", built)[0] == 0
    assert content == built.read_bytes()
    data = example_data()
    data["收到和处理政府信息公开申请情况"]["商业企业"]["结转下年度"] = "5"
    status, headers, content = running.request("POST", "/api/output", json_body={"data": data, "kind": ".docx"})
    assert status == 422 and "1 处错误" in json.loads(content)["error"]


def test_hand_edited_file_is_not_rewritten_without_asking(running):
    before = running.session.path.read_bytes()
    assert running.session.hand_edited  # the example has comments of its own
    status, refusal = running.api("save", data=example_data())
    assert status == 409 and refusal["confirm"] and "注释" in refusal["error"]
    assert running.session.path.read_bytes() == before
    status, result = running.api("save", data=example_data(), confirmed=True)
    assert status == 200 and result["errors"] == 0
    assert running.session.path.read_bytes() != before


def test_file_changed_elsewhere_is_not_overwritten(running):
    changed = running.session.path.read_bytes() + b"# edited in Notepad meanwhile\n"
    running.session.path.write_bytes(changed)
    status, refusal = running.api("save", data=example_data(), confirmed=True)
    assert status == 409 and "被别的程序修改过" in refusal["error"]
    assert running.session.path.read_bytes() == changed


def test_last_years_report_starts_this_years_file(tmp_path):
    last = tmp_path / "last.docx"
    assert invoke(EXAMPLES / "shili-county-2023.yaml", "-o", last)[0] == 0
    folder = tmp_path / "this-year"
    folder.mkdir()
    served = Running(folder / "2024.yaml")
    try:
        status, _, content = served.request("POST", "/api/start-from", body=last.read_bytes(),
                                            headers={"X-Filename": urllib.parse.quote("2023年报告.docx"),
                                                     "Content-Type": "application/octet-stream"})
        assert status == 200, content
        data = json.loads(content)["data"]
        assert data["机关名称"] == "示例县人民政府" and data["年度"] == 2024
        assert data["联系方式"]["邮编"] == "310000"
        # 结转下年度 of 2023 (computed: 8 for 自然人) is 2024's 上年结转.
        assert data["收到和处理政府信息公开申请情况"]["自然人"]["上年结转"] == 8
        assert list(folder.iterdir()) == []  # nothing written until the clerk saves
    finally:
        served.close()


def test_serve_refuses_a_broken_file_with_the_check_messages(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("机关名称: 某县商务局\n年度: [2023\n", encoding="utf-8")
    code, out, err = invoke("serve", bad, "--no-browser")
    assert code == 1 and "bad.yaml:" in err and "括号没有配对" in err and "Traceback" not in err
    code, out, err = invoke("serve", tmp_path / "last.docx", "--no-browser")
    assert code == 1 and "拖到页面上" in err
    code, out, err = invoke("serve", bad, "--year", "2022", "--no-browser")
    assert code == 1 and "--year 只用于新建文件" in err
    code, out, err = invoke("serve", tmp_path / "nowhere" / "x.yaml", "--no-browser")
    assert code == 1 and "不存在" in err


def test_hostile_requests_are_refused_and_the_server_keeps_answering(running):
    deep = b'{"data": ' + b'{"a": ' * 100_000 + b"1" + b"}" * 100_001
    status, _, content = running.request("POST", "/api/check", body=deep, headers={"Content-Type": "application/json"})
    assert status in (400, 413) and b"Traceback" not in content
    wide = {"data": {f"k{i}": i for i in range(30_000)}}
    assert running.request("POST", "/api/check", json_body=wide)[0] == 400
    claimed = {"Content-Type": "application/json", "Content-Length": str(server.MAX_JSON + 1)}
    assert running.request("POST", "/api/check", body=b"{}", headers=claimed)[0] == 413
    odd = example_data()
    odd["机关名称"] = "某局\n恶意: 1\n# "
    odd["收到和处理政府信息公开申请情况"]["自然人"]["本年新收"] = True
    odd["新键\n: x"] = {"a": [1, {"b": None}]}
    status, state = running.api("check", data=odd)
    assert status == 200 and state["errors"] >= 2
    assert running.api("check", data=example_data())[1]["errors"] == 0
    assert running.session.path.read_bytes() == (EXAMPLES / "shili-county-2023.yaml").read_bytes()


def test_listening_on_every_address_answers_by_ip_only(tmp_path):
    shutil.copy(EXAMPLES / "shili-county-2023.yaml", tmp_path / "county.yaml")
    served = Running(tmp_path / "county.yaml", host="0.0.0.0")
    try:
        body = {"data": example_data()}
        port = served.port
        assert served.request("POST", "/api/check", json_body=body)[0] == 200
        assert served.request("POST", "/api/check", json_body=body, headers={"Host": f"192.168.1.5:{port}"})[0] == 200
        assert served.request("POST", "/api/check", json_body=body, headers={"Host": f"evil.example:{port}"})[0] == 403
        assert served.request("POST", "/api/check", json_body=body, token=False,
                              headers={"Host": f"192.168.1.5:{port}"})[0] == 403
    finally:
        served.close()


def test_the_page_works_offline(running):
    """Nothing is fetched from the network: no external address in the page or its files."""
    token = urllib.parse.quote(running.session.token)
    bodies = [running.request("GET", f"/?t={token}", token=False)[2]]
    for name in server.STATIC:
        status, headers, body = running.request("GET", f"/static/{name}", token=False)
        assert status == 200 and headers["Content-Type"] == server.STATIC[name]
        bodies.append(body)
    _, form_html = running.api("form", data=example_data())
    bodies.append(form_html["raw"])
    fetched = re.compile(rb"""(?:src|href|action)\s*=\s*["']?(?:https?:)?//|url\(\s*["']?(?:https?:)?//|@import|fetch\(\s*["'`]https?:""")
    for body in bodies:
        assert not fetched.search(body)
