"""Reading an input YAML file while remembering where every key stood.

PyYAML's composer gives every node its line and column; we keep those in a
map from key path to position, so that any later problem (schema, arithmetic)
can name ``file:line:column``. Typical slips of clerks typing Chinese in a text
editor are recognised line by line and get a specific hint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import yaml

from generator.errors import WARNING, Problem

Path_ = tuple[Any, ...]

FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９．－", "0123456789.-")


@dataclass
class Source:
    """A parsed input file: its data and where each key path was written."""

    name: str
    text: str
    data: Any = None
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    blocks: set[Path_] = field(default_factory=set)  # paths whose value is a mapping or list
    blank: set[Path_] = field(default_factory=set)  # keys written with no value
    raw: dict[Path_, str] = field(default_factory=dict)  # plain scalars read as numbers, as written

    def where(self, path: Path_, key: bool = False) -> tuple[int | None, int | None]:
        """Line and column (1-based) of a path, or of its nearest ancestor.

        A mapping or list is placed at its key, where the clerk sees its name.
        """
        p = tuple(path)
        table = self.key_marks if key or p in self.blocks else self.marks
        while True:
            if p in table:
                return table[p]
            if p in self.marks:
                return self.marks[p]
            if not p:
                return (None, None)
            p = p[:-1]

    def problem(self, path: Path_, message: str, hint: str = "", *, key: bool = False,
                severity: str = "错误") -> Problem:
        line, col = self.where(path, key=key)
        return Problem(self.name, line, col, format_path(path), message, hint, severity, tuple(path))


def format_path(path: Path_) -> str:
    parts = []
    for p in path:
        parts.append(f"[{p + 1}]" if isinstance(p, int) else str(p))
    return ".".join(parts).replace(".[", "[")


# libyaml's parser when PyYAML was built with it: several times faster, same marks.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Only the parser is used: nodes are built from events by :class:`_Builder`."""


MAX_DEPTH = 24  # the deepest real input is 5 levels
MAX_NODES = 20_000  # keys, values and list items; a city-wide report has a few hundred
MAX_DIGITS = 15  # counts and amounts; more is a typing slip, never a real figure
MAX_DECIMALS = 6

# Plain scalars are read as written (YAML 1.2 spirit, stricter): an integer is
# decimal digits without a leading zero, a decimal has digits on both sides of
# the point. Everything else — 010, 0x2, 1:30, 1e3, yes, null — stays text, and
# the schema decides whether text is acceptable there.
_INT = re.compile(rf"[-+]?(?:0|[1-9][0-9]{{0,{MAX_DIGITS - 1}}})")
_DECIMAL = re.compile(rf"[-+]?(?:0|[1-9][0-9]{{0,{MAX_DIGITS - 1}}})\.[0-9]{{1,{MAX_DECIMALS}}}")
_YAML_TAGS = "tag:yaml.org,2002:"
_STR_TAG = _YAML_TAGS + "str"


def plain_value(text: str) -> Any:
    """What a plain (unquoted) scalar means: None, int, Decimal or the text itself."""
    if text == "":
        return None
    if _INT.fullmatch(text):
        return int(text)
    if _DECIMAL.fullmatch(text):
        return Decimal(text)
    return text


def decode(name: str, raw: bytes) -> tuple[str | None, list[Problem]]:
    """The text of a file as a Windows or Linux editor saves it.

    UTF-8 with or without BOM; UTF-16 with BOM (Notepad's 「Unicode」);
    GB18030/GBK (Notepad's 「ANSI」 on a Chinese system), with a warning. CRLF
    and lone CR line ends become LF.
    """
    problems: list[Problem] = []
    text = None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if text is None:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            loose = raw.decode("utf-8", errors="replace")
            damaged = loose.count("\ufffd")
            valid = sum(1 for ch in loose if ord(ch) > 0x7F and ch != "\ufffd")
            if valid > 10 * damaged:
                # Real UTF-8 with a damaged spot: say where, do not guess.
                line = raw[: exc.start].count(b"\n") + 1
                problems.append(Problem(name, line, None, "", "这一行有不是 UTF-8 编码的字符，无法读取",
                                        "可能是从其他软件复制时带入的乱码，请删除后重新输入这一行"))
                return None, problems
            try:
                text = raw.decode("gb18030")
            except UnicodeDecodeError:
                problems.append(Problem(name, None, None, "", "无法识别文件的编码（不是 UTF-8，也不是 GBK）",
                                        "请在编辑器中用「另存为」选择 UTF-8 编码后再试"))
                return None, problems
            problems.append(Problem(name, None, None, "", "文件是 GBK（GB18030）编码，已按此编码读取",
                                    "建议在记事本中用「另存为」把编码改成 UTF-8", severity=WARNING))
    return text.replace("\r\n", "\n").replace("\r", "\n"), problems


def load(name: str, raw: bytes, known_keys: frozenset[str] = frozenset()
         ) -> tuple[Source, list[Problem]]:
    """Parse ``raw``; return the source and every problem found on the way.

    ``known_keys`` are the keys the schema knows: a line that starts with one of
    them followed by a mistyped colon gets a specific hint.
    """
    text, problems = decode(name, raw)
    if text is None:
        return Source(name, ""), problems
    source = Source(name, text)
    controls, text = _control_characters(source)
    problems += controls
    slips, mended = _lint_lines(Source(name, text), known_keys)
    problems += slips
    bad_lines = {p.line for p in problems}
    builder = _Builder(source, problems)
    try:
        source.data = builder.run(mended)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        if line not in bad_lines and (line is None or line - 1 not in bad_lines):
            reason, hint = yaml_reason(exc)
            problems.append(Problem(name, line, col, "", "YAML 格式有误：" + reason, hint))
        source.data = None
    except yaml.YAMLError:  # errors without a position (reader errors)
        problems.append(Problem(name, None, None, "", "YAML 格式有误，无法读取",
                                "检查是否有不可见的特殊字符，或用 mkreport init 重新生成一份模板"))
        source.data = None
    return source, problems


_REASONS = {
    "mapping values are not allowed": "此处不能出现「键: 值」（常见原因：上一行缩进不对，或值里有未加引号的冒号）",
    "could not find expected ':'": "找不到键后面的英文冒号「:」",
    "did not find expected key": "缩进不一致，找不到预期的键",
    "did not find expected <document start>": "缩进不一致（这一行比文件开头的键缩进得少或多）",
    "expected <block end>": "缩进不一致（这一行与同级的行没有对齐）",
    "did not find expected '-' indicator": "列表项缩进不一致",
    "block sequence entries are not allowed": "此处不能出现以「- 」开头的列表项（检查缩进）",
    "did not find expected node content": "「- 」或冒号后面缺少内容",
    "found character '\\t' that cannot start any token": "出现了 Tab 字符",
    "found character that cannot start any token": "出现了不能作为开头的字符（如 Tab、@、`）",
    "found a tab character": "出现了 Tab 字符",
    "found unexpected end of stream": "文件意外结束（引号或括号没有配对）",
    "did not find expected ',' or": "括号没有配对",
    "did not find expected comment or line break": "「|」或「>」后面不能直接写文字",
    "did not find expected alphabetic or numeric character": "「&」「*」开头的内容请加引号",
    "found undefined alias": "「*」开头的内容请加引号",
    "did not find expected whitespace or line break": "「!」开头的内容请加引号",
    "could not determine a constructor": "「!」开头的内容请加引号",
    "found unexpected ':'": "值里有冒号，请给整段加引号",
    "found duplicate anchor": "「&」开头的内容请加引号",
    "expected a single document in the stream": "文件中只能有一个文档（不要用 --- 分隔多份内容）",
    "but found another document": "文件中只能有一个文档（不要用 --- 或 ... 分隔多份内容）",
    "found invalid Unicode character escape code": "双引号里的「\\u」转义写的不是有效的字符",
    "found unknown escape character": "双引号里的「\\」后面是不认识的转义字符",
    "found unknown escape": "双引号里的「\\」后面是不认识的转义字符",
    "expected escape sequence": "双引号里的「\\」转义写法不对",
    "found unexpected document": "文件中只能有一个文档（不要用 --- 分隔多份内容）",
    "found incompatible YAML document": "文件开头的「%YAML」声明不对，请删除这一行",
    "found duplicate YAML directive": "「%YAML」声明重复，请删除",
    "found unknown directive": "不认识的「%」声明，请删除这一行或给内容加引号",
    "while scanning a directive": "「%」开头的行不是有效的声明，请删除这一行或给内容加引号",
    "while scanning a quoted scalar": "引号没有配对",
    "while parsing a quoted scalar": "引号里的写法不对",
    "while scanning a simple key": "找不到键后面的英文冒号「:」",
    "while scanning a block scalar": "「|」或「>」后面的写法不对",
    "while parsing a flow": "括号没有配对",
    "while scanning an anchor": "「&」开头的内容请加引号",
    "while scanning an alias": "「*」开头的内容请加引号",
    "while scanning a tag": "「!」开头的内容请加引号",
    "control characters are not allowed": "含有不可见的控制字符",
    "exceeded maximum nesting depth": "层级太深（括号或缩进套了太多层）",
}

_HINTS = {
    "转义": "在双引号里，「\\」要写成「\\\\」；或者改用单引号把内容括起来",
    "引号": "引号要成对；内容里有引号时，外面改用另一种引号",
}


def yaml_reason(exc: yaml.MarkedYAMLError) -> tuple[str, str]:
    """The parser's complaint in Chinese, and a hint; the English never reaches the clerk."""
    for text in (exc.problem or "", exc.context or ""):
        for english, chinese in _REASONS.items():
            if english in text:
                hint = next((h for k, h in _HINTS.items() if k in chinese),
                            "检查这一行及上一行：缩进是否对齐，冒号后是否有空格")
                return chinese, hint
    return "无法识别的写法", "检查这一行及上一行：缩进是否对齐，冒号后是否有空格，引号和括号是否配对"


class _TooDeep(Exception):
    pass


class _Builder:
    """Python values from the parser's events, with the position of every key.

    Building from events (rather than PyYAML's composer) keeps the work
    bounded by the file's size: aliases are refused instead of expanded,
    nesting is limited, and only plain text, integers and decimals exist.
    """

    def __init__(self, source: Source, problems: list[Problem]):
        self.source = source
        self.problems = problems

    def _problem(self, mark: Any, path: Path_, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.source.name, mark.line + 1, mark.column + 1,
                                     format_path(path), message, hint))

    def run(self, text: str) -> Any:
        loader = _Loader(text)
        try:
            return self._document(loader)
        except _TooDeep:
            return None
        finally:
            loader.dispose()

    def _document(self, loader: Any) -> Any:
        root: Any = None
        documents = 0
        nodes = 0
        # Each frame: [container, path, pending key or None, key mark, skip next value]
        stack: list[list[Any]] = []
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    self._problem(event.start_mark, (), "文件中只能有一个文档",
                                  "不要用 --- 分隔多份内容；一个文件只写一份报告")
                    return root
                continue
            if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)):
                continue
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                frame = stack.pop()
                value = frame[0]
                if not stack:
                    root = value
                else:
                    self._deliver(stack, value, event, frame[1], container=True)
                continue
            nodes += 1
            if nodes > MAX_NODES:
                self._problem(event.start_mark, (), f"内容太多（超过 {MAX_NODES} 项）",
                              "一份年度报告的输入文件只有几百项，请检查是否把别的文件当成了输入文件")
                raise _TooDeep
            path = self._next_path(stack)
            if getattr(event, "anchor", None) is not None and not isinstance(event, yaml.AliasEvent):
                self._problem(event.start_mark, path or (), f"不支持锚点「&{event.anchor}」",
                              "请删除「&…」；如果这是内容的一部分，请用引号把整段括起来")
            if isinstance(event, yaml.AliasEvent):
                self._problem(event.start_mark, path or (), f"不支持引用「*{event.anchor}」",
                              "请把内容直接写出来；如果「*」是内容的一部分，请用引号把整段括起来")
                self._skip(stack)
                continue
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if len(stack) >= MAX_DEPTH:
                    self._problem(event.start_mark, path or (), f"层级太深（超过 {MAX_DEPTH} 层）",
                                  "报告的输入文件最多只有五六层，请检查缩进和括号")
                    raise _TooDeep
                self._tag_ok(event, path)
                if stack and stack[-1][2] is None and isinstance(stack[-1][0], dict) \
                        and not stack[-1][4]:
                    # A list or mapping used as a key: report and skip its value.
                    self._problem(event.start_mark, stack[-1][1], "键不能是列表，也不能带下一级内容")
                    stack.append([{} if isinstance(event, yaml.MappingStartEvent) else [],
                                  ("\x00refused",), None, None, False])
                    stack[-2][4] = "key"
                    continue
                container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
                where = path if path is not None else ()
                self.source.marks[where] = (event.start_mark.line + 1, event.start_mark.column + 1)
                self.source.blocks.add(where)
                stack.append([container, where, None, None, False])
                continue
            if isinstance(event, yaml.ScalarEvent):
                value, ok = self._scalar(event, path)
                if not stack:
                    root = value if ok else None
                    continue
                self._deliver(stack, value if ok else _SKIP, event, path, container=False)
        return root

    def _next_path(self, stack: list[list[Any]]) -> Path_ | None:
        """The path of the value about to arrive (None when it is a key)."""
        if not stack:
            return ()
        container, path, key = stack[-1][0], stack[-1][1], stack[-1][2]
        if isinstance(container, list):
            return (*path, len(container))
        return None if key is None else (*path, key)

    def _skip(self, stack: list[list[Any]]) -> None:
        if stack:
            self._deliver(stack, _SKIP, None, None, container=False)

    def _deliver(self, stack: list[list[Any]], value: Any, event: Any, path: Path_ | None,
                 container: bool) -> None:
        frame = stack[-1]
        parent = frame[0]
        if isinstance(parent, list):
            if value is not _SKIP:
                if not container and event is not None:
                    self.source.marks[(*frame[1], len(parent))] = (event.start_mark.line + 1,
                                                                   event.start_mark.column + 1)
                parent.append(value)
            return
        if frame[4] == "key":  # the value of a refused key
            frame[4] = "value"
            return
        if frame[4] == "value":
            frame[4] = False
            return
        if frame[2] is None:  # this is a key
            if value is _SKIP or container:
                frame[4] = "value"
                return
            key = event.value if isinstance(event, yaml.ScalarEvent) else str(value)
            if key == "":
                self._problem(event.start_mark, frame[1], "键不能为空")
                frame[4] = "value"
                return
            child = (*frame[1], key)
            if key in parent:
                first = self.source.key_marks[child][0]
                self._problem(event.start_mark, child, f"键重复出现（第 {first} 行已经写过）",
                              "同一层级的每个键只能写一次，请删除或合并其中一处")
                frame[4] = "value"
                return
            self.source.key_marks[child] = (event.start_mark.line + 1, event.start_mark.column + 1)
            frame[2] = key
            return
        key = frame[2]
        frame[2] = None
        if value is _SKIP:
            return
        if not container and event is not None:
            self.source.marks[(*frame[1], key)] = (event.start_mark.line + 1, event.start_mark.column + 1)
        parent[key] = value

    def _tag_ok(self, event: Any, path: Path_ | None) -> bool:
        tag = getattr(event, "tag", None)
        if tag in (None, "!") or (isinstance(event, yaml.ScalarEvent) and tag == _STR_TAG):
            return True
        if isinstance(event, yaml.CollectionStartEvent) and event.implicit:
            return True
        shown = "!!" + tag[len(_YAML_TAGS):] if tag.startswith(_YAML_TAGS) else tag  # as it was typed
        self._problem(event.start_mark, path or (), f"不支持类型标记「{short(shown)}」",
                      "请删除以「!」开头的标记；如果「!」是内容的一部分，请用引号把整段括起来")
        return False

    def _scalar(self, event: yaml.ScalarEvent, path: Path_ | None) -> tuple[Any, bool]:
        if not self._tag_ok(event, path):
            return None, False
        if not event.style and event.tag is None and event.implicit[0]:
            value = plain_value(event.value)
            if path is not None and not isinstance(value, str) and value is not None:
                self.source.raw[path] = event.value
            return value, True
        return event.value, True


_SKIP = object()


def short(text: Any, limit: int = 20) -> str:
    """A value as quoted in a message: never a whole foreign file."""
    text = str(text)
    return text if len(text) <= limit else text[:limit] + "…"


# ---------------------------------------------------------------------------
# Line-level slips, recognised before (and independently of) YAML parsing.

_KEY_FULLWIDTH_COLON = re.compile(r"^(\s*)([^\s:#：\-\"'][^:：#]{0,30}?)\s*：(.*)$")
_KEY_NO_SPACE = re.compile(r"^( *)([^\s:#\-\"'][^:#]{0,30}?):([^ \t/].*)$")
_BLOCK_SCALAR = re.compile(r":\s*[|>][+-]?\d*\s*(#.*)?$")


# Word cannot hold C0 control characters other than tab, newline and return;
# PyYAML refuses them too, without saying where.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")
# What no value may hold, however it was typed (a YAML escape such as "\x85" or
# "\ud800" gets past the line check): not storable in Word, or not text at all.
NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _control_characters(source: Source) -> tuple[list[Problem], str]:
    """Control characters, reported where they stand; and the text without them."""
    problems = []
    for number, line in enumerate(source.text.split("\n"), start=1):
        for m in CONTROL.finditer(line):
            problems.append(Problem(source.name, number, m.start() + 1, "",
                                    f"含有 Word 文件不能保存的控制字符 \\x{ord(m.group()):02x}",
                                    "可能是从其他软件复制时带入的，请删除后重新输入这段文字"))
    return problems, CONTROL.sub(" ", source.text)


def _lint_lines(source: Source, known_keys: frozenset[str]) -> tuple[list[Problem], str]:
    """Typing slips, each with a hint; and the text with those slips mended.

    The mended text has the same lines, so parsing it finds the file's other
    problems at their true positions: every error in one run.
    """
    problems = []
    mended = []
    block_indent: int | None = None
    for number, line in enumerate(source.text.split("\n"), start=1):
        mended.append(line)
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if block_indent is not None:
            if stripped.strip() == "" or indent > block_indent:
                continue
            block_indent = None
        if _BLOCK_SCALAR.search(line):
            block_indent = indent
        if stripped.startswith("#") or not stripped.strip():
            continue
        if "\t" in line[: indent + (len(stripped) - len(stripped.lstrip()))]:
            problems.append(Problem(source.name, number, line.index("\t") + 1, "",
                                    "缩进里有 Tab 字符",
                                    "YAML 只能用空格缩进：把 Tab 换成空格（建议每级两个空格）"))
            lead = len(line) - len(line.lstrip(" \t"))
            mended[-1] = line[:lead].replace("\t", "  ") + line[lead:]
            continue
        body = stripped[2:] if stripped.startswith("- ") else stripped
        offset = indent + (len(stripped) - len(body))
        m = _KEY_FULLWIDTH_COLON.match(body)
        if m and ":" not in body.split("：", 1)[0] and m.group(2).strip() in known_keys:
            key, value = m.group(2).strip(), m.group(3).strip()
            problems.append(Problem(source.name, number, offset + len(m.group(2)) + 1, key,
                                    "键后面用了中文全角冒号「：」",
                                    f"改成英文冒号加一个空格：「{key}: {value}」"))
            mended[-1] = line[:offset] + f"{key}: {value}"
            continue
        m = _KEY_NO_SPACE.match(body)
        if m and m.group(2).strip() in known_keys:
            key, value = m.group(2).strip(), m.group(3)
            if value.startswith("\u3000"):
                message, value = "冒号后面是全角空格", value.lstrip("\u3000")
            else:
                message = "冒号后面缺少空格"
            problems.append(Problem(source.name, number, offset + len(m.group(2)) + 1, key, message,
                                    f"英文冒号后要有一个半角空格：「{key}: {value.strip()}」"))
            mended[-1] = line[:offset] + f"{key}: {value}"
    return problems, "\n".join(mended)


# The longest a figure is ever written (15 digits, a sign, a point, 6 decimals,
# a unit, spaces): a longer value is named as too long and never matched, so
# no pattern below runs over more than this many characters of what was typed.
FIGURE_LENGTH = 40

# Ways a figure is typed that YAML or a spreadsheet would accept, each with its fix.
_NUMBER_SLIPS = [(re.compile(pattern), hint) for pattern, hint in (
    (r"[-+]?\d{16,}(\.\d*)?", "数字太大，请核对（件数和金额不会有这么多位）"),
    (r"[-+]?\d+\.\d{7,}", "小数位数太多，最多保留 6 位"),
    (r"[-+]?(\d+(\.\d*)?|\.\d+)[eE][-+]?\d+", "不要用科学计数法（如 1e3），直接写出数字，如 1000"),
    (r"[-+]?0[xXoObB][0-9a-fA-F_]+", "只写十进制数字，如 12"),
    (r"\d+(:\d+)+", "数字里不要有冒号，只写一个数字"),
    (r"[-+]?\.\d+|[-+]?\d+\.", "小数点前后都要有数字，如 0.5"),
    (r"[-+]?\.?(inf|nan|Inf|NaN|INF|NAN)", "应填一个具体的数字"),
)]


def number_hint(value: Any) -> str:
    """A specific hint for a value that should have been a plain number."""
    if not isinstance(value, str):
        if isinstance(value, list):
            return "这里应填一个数字，不是以「- 」开头的列表"
        if isinstance(value, dict):
            return "这里应填一个数字，不要在下面再写一层「键: 值」"
        return ""
    text = value.strip()
    if not text:
        return "没有数字就填 0，或者删掉这一行"
    if len(text) > FIGURE_LENGTH:
        if sum(ch.isdigit() for ch in text) * 2 > len(text):
            return f"数字太长（{len(text)} 个字符），件数和金额不会有这么多位，请核对"
        return f"内容太长（{len(text)} 个字符），这里只填一个数字，如 12，不要写文字"
    if any("０" <= ch <= "９" for ch in text):
        plain = text.translate(FULLWIDTH_DIGITS)
        return f"用了全角数字，请改成半角数字：{short(plain)}"
    if re.fullmatch(r"[-+]?0\d+(\.\d+)?", text):
        return f"数字前面不要加 0，写成 {short(text.lstrip('+-').lstrip('0') or '0')}"
    for pattern, hint in _NUMBER_SLIPS:
        if pattern.fullmatch(text):
            return hint
    if text.lower() in ("yes", "no", "true", "false", "on", "off", "y", "n", "null", "~"):
        return f"「{text}」不是数字，请填写数字，没有就填 0"
    m = re.fullmatch(r"([+-]?\d+(?:\.\d+)?)\s*([^\d\s]+)", text)
    if m:
        return f"数字后面不要写单位「{short(m.group(2), 6)}」，只写 {short(m.group(1))}"
    if re.fullmatch(r"[零〇一二两三四五六七八九十百千万亿]+[件个条项元]?", text):
        return "请用阿拉伯数字（如 12），不要用汉字数字"
    if re.fullmatch(r"\d{1,3}(,\d{3})+", text):
        return f"数字里不要加千位分隔符，写成 {text.replace(',', '')}"
    return ""
