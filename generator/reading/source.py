"""Reading an input YAML file while remembering where every key stood.

PyYAML's composer gives every node its line and column; we keep those in a
map from key path to position, so that any later problem (schema, arithmetic)
can name ``file:line:column``. Typical slips of clerks typing Chinese in a text
editor are recognised line by line and get a specific hint; when the parser
stops a line or two after a slip (a key without its colon, three spaces among
fours), the slip's own line is named. Text wrapped over several lines is joined
as Chinese is written, without a space, and what YAML would drop or misread
(a comment cutting a paragraph short) is kept for the checks to report.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import yaml

from generator.errors import WARNING, Problem

Path_ = tuple[Any, ...]

FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９．－", "0123456789.-")


@dataclass(frozen=True)
class Fold:
    """A line break inside a value: the line after it, and how it was joined."""

    line: int  # the line that carries on the text (WRAPPED), or the first blank line (SPLIT)
    column: int  # where the text after the break starts on its line
    how: str  # WRAPPED: the next line carries on the text; SPLIT: blank lines in between
    start: str  # the first characters of the text after the break
    before: str  # the last character of the text before the break


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
    # A comment on the line of a plain value (or of a key with none), which YAML
    # drops: line and column of its 「#」, the spaces before it, and its text.
    comments: dict[Path_, tuple[int, int, int, str]] = field(default_factory=dict)
    # Values written over several lines: each fold, see :func:`unfold`.
    folds: dict[Path_, list[Fold]] = field(default_factory=dict)
    _blank_index: dict[Path_, list[Any]] | None = field(default=None, repr=False, compare=False)

    def blank_under(self, parent: Path_) -> list[Any]:
        """The keys written with no value directly under ``parent``."""
        if self._blank_index is None:
            index: dict[Path_, list[Any]] = {}
            for path in self.blank:
                index.setdefault(path[:-1], []).append(path[-1])
            self._blank_index = index
        return self._blank_index.get(tuple(parent), [])

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
                severity: str = "错误", rule: str = "", values: tuple[str, str] = ()) -> Problem:
        """A problem at ``path``; ``rule``: the id of the rule it breaks (its severity
        then comes from the rule), ``values``: what the text says and what the table says."""
        if rule:
            from generator.checks.rules import severity as of_rule

            severity = of_rule(rule)
        line, col = self.where(path, key=key)
        return Problem(self.name, line, col, format_path(path), message, hint, severity, tuple(path), rule,
                       tuple(values))


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
        # The parser stops where it can go no further, often a line or two after
        # the slip: the slip's own line is named when it can be told.
        found = explain(mended.split("\n"), line, f"{exc.problem or ''} {exc.context or ''}", known_keys)
        if found is not None:
            if found[0] not in bad_lines:
                problems.append(Problem(name, *found))
        elif line not in bad_lines and (line is None or line - 1 not in bad_lines):
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
    "开头的内容请加引号": "用引号把整段括起来；或者把这个符号换成全角的，如「＊」「＆」「！」",
    "引号没有配对": "引号要成对；内容里有引号时，外面改用另一种引号",
    "引号里": "引号要成对；内容里有引号时，外面改用另一种引号",
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
        self.text = ""  # the text being parsed

    def _problem(self, mark: Any, path: Path_, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.source.name, mark.line + 1, mark.column + 1,
                                     format_path(path), message, hint))

    def run(self, text: str) -> Any:
        self.text = text
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
        text = event.value
        if path is not None:
            if not event.style:
                self._comment_after(event, path)
            if event.end_mark.line > event.start_mark.line:
                joined = unfold(self.text, event)
                if joined is not None:
                    text, self.source.folds[path] = joined
        if not event.style and event.tag is None and event.implicit[0]:
            value = plain_value(text)
            if path is not None and not isinstance(value, str) and value is not None:
                self.source.raw[path] = event.value
            return value, True
        return text, True

    def _comment_after(self, event: yaml.ScalarEvent, path: Path_) -> None:
        """The comment that follows a plain value on its line, if any."""
        at = event.end_mark.index
        rest = self.text[at:at + _HEAD]
        rest = rest[:rest.find("\n")] if "\n" in rest else rest
        comment = rest.lstrip(" \t")
        if comment.startswith("#"):
            gap = len(rest) - len(comment)
            self.source.comments[path] = (event.end_mark.line + 1, event.end_mark.column + gap + 1, gap, comment)


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
        lead = len(line) - len(line.lstrip(" \t\u3000"))
        if "\u3000" in line[:lead]:
            # To YAML a full-width space is a character like any other, not indentation.
            alone = lead == len(line)
            problems.append(Problem(
                source.name, number, line.index("\u3000") + 1, "",
                "这一行只有全角空格「　」" if alone else "缩进里有全角空格「　」",
                "删去这些全角空格，让这一行成为空行" if alone
                else "缩进只能用半角空格：把行首的全角空格「　」换成半角空格（每深一层两个空格）"))
            mended[-1] = "" if alone else line[:lead].replace("\u3000", "  ").replace("\t", "  ") + line[lead:]
            continue
        if stripped.startswith("#") or not stripped.strip():
            continue
        if "\t" in line[: indent + (len(stripped) - len(stripped.lstrip()))]:
            problems.append(Problem(source.name, number, line.index("\t") + 1, "",
                                    "缩进里有 Tab 字符",
                                    "YAML 只能用空格缩进：把 Tab 换成空格（建议每级两个空格）"))
            lead = len(line) - len(line.lstrip(" \t"))
            mended[-1] = line[:lead].replace("\t", "  ") + line[lead:]
            continue
        if stripped.startswith("- "):
            # No list item has a known key: 「- 主动公开：全年……」 is a paragraph.
            continue
        body = stripped
        offset = indent
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
            shown = value.split(" #", 1)[0].strip()
            problems.append(Problem(source.name, number, offset + len(m.group(2)) + 1, key, message,
                                    f"英文冒号后要有一个半角空格：「{key}: {short(shown, 40)}」"))
            mended[-1] = line[:offset] + f"{key}: {value}"
    return problems, "\n".join(mended)


# ---------------------------------------------------------------------------
# Text written over several lines.

WRAPPED, SPLIT = "wrapped", "split"
MAX_FOLDED_LINES = 1000  # a value written over more lines is no paragraph: kept as YAML reads it
_START = 40  # characters kept of the start of each folded line


def wide(ch: str) -> bool:
    """A character set in a full-width cell: Chinese characters, full-width punctuation."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


def unfold(text: str, event: Any) -> tuple[str, list[Fold]] | None:
    """A plain or quoted value written over several lines, joined as its writer means it.

    YAML joins such lines with a space, and a blank line between them becomes a
    line break. Chinese has no spaces between words: where the break falls next
    to a Chinese character or full-width punctuation, the lines are joined
    without one (between two Latin words the space stays). Returns the text and
    each fold, so that the clerk can be told; None when the value is not simply
    its lines (escapes in double quotes) or is longer than any paragraph, which
    is then kept as YAML read it.
    """
    style = event.style or ""
    first, last = event.start_mark.line, event.end_mark.line
    if style not in ("", "'", '"') or last <= first or last - first > MAX_FOLDED_LINES:
        return None
    quote = 1 if style else 0
    written = text[event.start_mark.index + quote:event.end_mark.index - quote]
    if style == '"' and "\\" in written:
        return None
    rows = written.split("\n")
    if len(rows) != last - first + 1:
        return None  # broken by a character YAML also takes for a line end (U+0085, U+2028)
    pieces = [rows[0].rstrip(" \t"), *(row.strip(" \t") for row in rows[1:-1]), rows[-1].lstrip(" \t")]
    if style == "'":
        pieces = [piece.replace("''", "'") for piece in pieces]
    as_yaml, ours = [pieces[0]], [pieces[0]]
    folds: list[Fold] = []
    blank = 0
    for i, piece in enumerate(pieces[1:], start=1):
        if not piece:
            blank += 1
            continue
        before = ours[-1][-1:]
        column = len(rows[i]) - len(rows[i].lstrip(" \t")) + 1
        if blank:
            as_yaml.append("\n" * blank)
            ours.append("\n" * blank)
            folds.append(Fold(first + i + 1 - blank, column, SPLIT, piece[:_START], before))
        else:
            as_yaml.append(" ")
            ours.append("" if before and (wide(before) or wide(piece[0])) else " ")
            folds.append(Fold(first + i + 1, column, WRAPPED, piece[:_START], before))
        as_yaml.append(piece)
        ours.append(piece)
        blank = 0
    if blank or "".join(as_yaml) != event.value:
        return None
    return "".join(ours), folds


_LIST_MARKS = "—–－·•∙‧●"


def marker_slip(text: str) -> str | None:
    """The list mark a paragraph starts with by mistake, as it would be printed:
    「-将」 (no space after the dash), 「— 将」 or 「－ 将」 (a Chinese keyboard's
    dash), 「·」, 「•」. 「——」 opens a paragraph in some reports and is kept."""
    first, second = text[:1], text[1:2]
    if first == "-":
        return first if second and second not in "- " and not second.isdigit() else None
    if first == "—":
        return None if second == "—" else first
    return first if first and first in _LIST_MARKS else None


# ---------------------------------------------------------------------------
# The slip behind a parse error.

_HEAD = 200  # characters of a line read when looking for a key or a value's start
_LOOK_BACK = 40  # blank and comment lines looked over between two lines with content
_NEAR = 8  # lines with content looked back over for a key without its colon
# The parser's complaints that come from the shape of the lines (colons,
# indentation, dashes) rather than from quotes, escapes, tags or brackets.
_STRUCTURE = ("could not find expected ':'", "did not find expected key", "expected <document start>",
              "expected <block end>", "expected '-' indicator", "mapping values are not allowed",
              "block sequence entries are not allowed", "while scanning a simple key",
              "expected node content", "while parsing a block")
SENTENCE_END = tuple("。！？；…”’」』）)!?;.：:")


def _content(line: str) -> bool:
    text = line.lstrip(" ")
    return bool(text.strip()) and not text.startswith("#")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _head(line: str) -> str:
    indent = _indent(line)
    return line[indent:indent + _HEAD]


def _nearby(lines: list[str], at: int, step: int) -> int | None:
    """The nearest line with content before (step -1) or after (+1) line ``at``."""
    i = at + step
    while 0 <= i < len(lines) and abs(i - at) <= _LOOK_BACK:
        if _content(lines[i]):
            return i
        i += step
    return None


def _text_of(line: str) -> tuple[str, bool] | None:
    """The paragraph text a line holds, and whether it is a list item: 「- 文字」,
    「键: 文字」 or a line of text alone."""
    head = _head(line).rstrip()
    if head.startswith("- "):
        return head[2:].strip(), True
    cut = head.find(": ")
    if cut > 0:
        return head[cut + 2:].strip(), False
    if head.endswith(":") or head.startswith("#"):
        return None
    return head, False


def explain(lines: list[str], number: int | None, complaint: str,
            known_keys: frozenset[str]) -> tuple[int, int, str, str, str] | None:
    """The slip behind a parse error at line ``number``, in the clerk's words:
    line, column, key, message, hint. None when it cannot be told."""
    if number is None or number < 1 or not lines or not any(s in complaint for s in _STRUCTURE):
        return None
    at = min(number, len(lines)) - 1
    if _content(lines[at]):
        found = _on_line(lines[at], complaint)
        if found is not None:
            return (at + 1, *found)
    near = [at] if _content(lines[at]) else []
    i: int | None = at
    while len(near) < _NEAR and i is not None:
        i = _nearby(lines, i, -1)
        if i is not None:
            near.append(i)
    for i in near:
        before = _nearby(lines, i, -1)
        found = _missing_colon(lines[i], lines[before] if before is not None else "", known_keys)
        if found is not None:
            return (i + 1, *found)
    for i in near[:3]:
        before = _nearby(lines, i, -1)
        found = _continued(lines[before], lines[i]) if before is not None else None
        if found is not None:
            return (i + 1, *found)
    return _misaligned(lines, at)


def _on_line(line: str, complaint: str) -> tuple[int, str, str, str] | None:
    """A value that YAML reads as something else: 「- 」 after a key, a bracket or
    a quote that does not hold the whole text, 「: 」 inside the text."""
    indent = _indent(line)
    head = _head(line)
    key = ""
    if head.startswith("- "):
        value = head[2:].lstrip(" ")
    else:
        cut = head.find(": ")
        if cut <= 0:
            return None
        key, value = head[:cut], head[cut + 2:].lstrip(" ")
    at = indent + len(head) - len(value) + 1
    text = value.split(" #", 1)[0].rstrip()
    if text.startswith(("{", "[")) and text.endswith(("}", "]")):
        return None  # 「{数量: 3, 备注: …}」 is written so on purpose
    if "block sequence entries" in complaint and key and value.startswith("- "):
        return (at, key, "「- 」不能写在键的同一行",
                f"写成两行：先写「{short(key)}:」，下一行再多缩进两个空格写「- {short(value[2:])}」")
    if text[:1] in ("[", "{") and not text.endswith("]" if text[0] == "[" else "}"):
        return (at, key, f"以「{text[0]}」开头的文字会被当成 YAML 的括号",
                "用引号把整段括起来，或改用中文括号「【】」")
    if text[:1] in ("'", '"'):
        close = text.find(text[0], 1)
        if 0 < close < len(text) - 1:
            other = "'" if text[0] == '"' else '"'
            return (at, key, "以引号开头的文字，引号后面不能再有文字",
                    f"用另一种引号把整段括起来：{other}{short(text, 30)}{other}，或改用中文引号「“”」")
    if "mapping values are not allowed" in complaint and key:
        cut = text.find(": ")
        if cut > 0:
            return (at + cut, key, "这段文字里有英文冒号加空格「: 」",
                    f"改用中文冒号：「{short(text[:cut])}：{short(text[cut + 2:])}」，或用引号把整段括起来")
    return None


def _missing_colon(line: str, before: str, known_keys: frozenset[str]) -> tuple[int, str, str, str] | None:
    """A known key followed by a space and its value (or by nothing), without its colon."""
    head = _head(line).rstrip()
    if not head or head.startswith(("-", "#")):
        return None
    above = _text_of(before) if before else None
    if above is not None and above[0] and _indent(line) > _indent(before):
        return None  # the line carries on the text above it
    cut = len(head)
    for space in (" ", "\u3000", "\t"):
        k = head.find(space)
        if 0 <= k < cut:
            cut = k
    word = head[:cut]
    value = head[cut:].strip(" \t\u3000")
    value = "" if value.startswith("#") else value.split(" #", 1)[0].rstrip()
    if word not in known_keys or value.startswith((":", "：")) or ": " in value or value.endswith(":"):
        return None
    hint = f"写成「{word}: {short(value)}」（英文冒号后加一个空格）" if value else f"写成「{word}:」"
    return (_indent(line) + len(word) + 1, "", f"「{word}」后面缺少英文冒号「:」", hint)


def _continued(before: str, line: str) -> tuple[int, str, str, str] | None:
    """A paragraph that went on to a line of its own without indentation, or a
    new paragraph without its 「- 」."""
    head = _head(line).rstrip()
    if not head or head.startswith(("- ", "#")) or head == "-" or ": " in head or head.endswith(":"):
        return None
    indent = _indent(line)
    opener = _head(before).rstrip()
    if opener.endswith(":") and ": " not in opener and not opener.startswith(("- ", "#")) \
            and indent <= _indent(before) and any(wide(ch) for ch in head):
        key = opener[:-1]
        return (indent + 1, "", f"「{short(key)}:」下面的段落没有缩进",
                f"段落写在「{short(key)}:」的下一行，多缩进两个空格，以「- 」开头：「- {short(head)}」")
    above = _text_of(before)
    if above is None or not above[0] or not any(wide(ch) for ch in above[0]):
        return None
    text, item = above
    if indent > _indent(before) or (indent == _indent(before) and not item and ": " not in before):
        return None
    mark = marker_slip(head)
    if mark is not None:
        rest = head[1:].lstrip(" \u3000")
        return (indent + 1, "", f"这一段开头的「{mark}」不是列表的「- 」，会原样印进报告",
                f"写成「- {short(rest)}」（英文短横线加一个空格），与上一段的「- 」对齐")
    if item and indent == _indent(before) and text.endswith(SENTENCE_END):
        return (indent + 1, "", "这一段前面缺少「- 」",
                f"每段写成单独的一项，与上一段的「- 」对齐：「- {short(head)}」")
    return (indent + 1, "", "这段文字换了行：这一行接着上一行的文字，却没有缩进",
            "把这一行接到上一行的末尾（中间不要按回车）")


def _item(line: str) -> bool:
    head = _head(line)
    return head.startswith("- ") or head.rstrip() == "-"


def _opens(line: str) -> bool:
    """Whether a line is a key with nothing after it, whose block follows."""
    head = _head(line).split(" #", 1)[0].rstrip()
    return head.endswith(":") and not head.startswith("- ")


def _misaligned(lines: list[str], at: int) -> tuple[int, int, str, str, str] | None:
    """Of the error's line and the line before it, the one whose indentation no
    line of its kind around it shares: three spaces among fours is found where
    it was typed. A key is compared with keys and a list item with items; the
    lines under a key that opens a block are its own, not its siblings."""
    error = at if _content(lines[at]) else _nearby(lines, at, 1)
    if error is None:
        return None
    above = _nearby(lines, error, -1)
    if above is None:
        return None
    if _indent(lines[above]) == _indent(lines[error]):
        return None
    if _indent(lines[error]) < _indent(lines[above]):
        # Going back out of a block: its siblings are further up, past the children.
        return _sibling_misaligned(lines, error)
    first = _nearby(lines, above, -1)
    if first is not None and _opens(lines[first]) and _indent(lines[first]) == _indent(lines[above]) \
            and not _opens(lines[above]) and not _item(lines[above]):
        # 「信息处理费:」 then 「收费通知件数: 2」 beside it instead of under it.
        return (above + 1, _indent(lines[above]) + 1, "",
                f"缩进不对：这一行是 {_indent(lines[above])} 个空格，下一行是 {_indent(lines[error])} 个空格",
                f"「{short(_head(lines[first]).split(':', 1)[0])}:」下面的各行要比它多缩进两个空格，并且左端对齐")
    # Lines that could be siblings of the two: the line before, at the same
    # level as the line above (not the key that opens the block, nor children of
    # an earlier one); the line after, at the level of either.
    if first is not None and (_opens(lines[first]) or _indent(lines[first]) != _indent(lines[above])):
        first = None
    below = None if _opens(lines[error]) else _nearby(lines, error, 1)
    if below is not None and _indent(lines[below]) not in (_indent(lines[above]), _indent(lines[error])):
        below = None
    around = [i for i in (first, above, error, below) if i is not None]
    indents = {i: _indent(lines[i]) for i in around}
    alone = [i for i in (above, error)
             if all(indents[j] != indents[i] for j in around if j != i and _item(lines[j]) == _item(lines[i]))]
    if len(alone) == 2:
        # Neither has a line of its kind at its indentation: in a file indented by
        # twos, the one with an odd number of spaces.
        odd = [i for i in around if indents[i] % 2]
        alone = odd if len(odd) == 1 and odd[0] in alone else alone
    hint = "同一层的键左端要对齐（只用半角空格，每深一层多两个空格）"
    if len(alone) == 1:
        slip = alone[0]
        other, which = (error, "下一行") if slip == above else (above, "上一行")
        return (slip + 1, indents[slip] + 1, "",
                f"缩进不对：这一行是 {indents[slip]} 个空格，{which}是 {indents[other]} 个空格", hint)
    if _opens(lines[error]) or _item(lines[error]) != _item(lines[above]):
        return None
    # Several lines typed with three spaces, and more lines below them with four.
    run = _same_indent(lines, above, -1)
    if len(run) < 2 or len(_same_indent(lines, error, 1, len(run) + 1)) <= len(run):
        return None
    first = run[-1]
    return (first + 1, indents[above] + 1, "",
            f"缩进不对：从这一行起 {len(run)} 行是 {indents[above]} 个空格，下面同一层的行是 {indents[error]} 个空格",
            hint)


_BLOCK = 400  # lines with content looked over for a block's first line or a line's sibling


def _sibling_misaligned(lines: list[str], error: int) -> tuple[int, int, str, str, str] | None:
    """A line that goes back to a level no line above it stands at. Its sibling
    is a line above, one space off (found over the children between them); the
    lines that follow show which of the two the file keeps to, or else the one
    with an odd number of spaces is taken for the slip."""
    level = _indent(lines[error])
    lowest: int | None = None
    i: int | None = error
    siblings = []
    for _ in range(_BLOCK):
        i = _nearby(lines, i, -1) if i is not None else None
        if i is None:
            break
        indent = _indent(lines[i])
        if lowest is not None and indent >= lowest:
            continue  # a child of a line further up
        lowest = indent
        if indent == level or indent < level - 1:
            break
        if indent == level + 1 or indent == level - 1:
            siblings.append(i)
    if not siblings:
        return None
    widest = max(level, *(_indent(lines[s]) for s in siblings))
    agrees = None
    j: int | None = error
    for _ in range(_BLOCK):
        j = _nearby(lines, j, 1) if j is not None else None
        if j is None:
            break
        if _indent(lines[j]) <= widest:
            agrees = _indent(lines[j])
            break
    hint = "同一层的键左端要对齐（只用半角空格，每深一层多两个空格）"
    for sibling in siblings:
        if agrees == _indent(lines[sibling]):
            return (error + 1, level + 1, "", f"缩进不对：这一行是 {level} 个空格，"
                    f"{_which(lines, error, sibling)}是 {agrees} 个空格", hint)
    odd = [s for s in siblings if _indent(lines[s]) % 2]
    if len(odd) == 1 and (agrees == level or level % 2 == 0):
        sibling = odd[0]
        return (sibling + 1, _indent(lines[sibling]) + 1, "", f"缩进不对：这一行是 {_indent(lines[sibling])} 个空格，"
                f"{_which(lines, sibling, error)}是 {level} 个空格", hint)
    if agrees != level and level % 2 and not odd:
        return (error + 1, level + 1, "", f"缩进不对：这一行是 {level} 个空格，"
                f"{_which(lines, error, siblings[0])}是 {_indent(lines[siblings[0]])} 个空格", hint)
    return None


def _which(lines: list[str], line: int, other: int) -> str:
    """How a message about ``line`` names ``other``, a line at the same level."""
    if other == _nearby(lines, line, -1):
        return "上一行"
    if other == _nearby(lines, line, 1):
        return "下一行"
    return f"同一层的第 {other + 1} 行"


def _same_indent(lines: list[str], start: int, step: int, limit: int = _LOOK_BACK) -> list[int]:
    """Line ``start`` and the lines with content next to it (going by ``step``)
    indented as far as it is, up to ``limit`` of them."""
    indent = _indent(lines[start])
    run = [start]
    while len(run) < limit:
        i = _nearby(lines, run[-1], step)
        if i is None or _indent(lines[i]) != indent:
            break
        run.append(i)
    return run


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
    if re.fullmatch(r"\d+(?: +\d+)+", text):
        return "一格只写一个数字"
    if re.fullmatch(r"\d{1,3}(,\d{3})+", text):
        return f"数字里不要加千位分隔符，写成 {text.replace(',', '')}"
    return ""
