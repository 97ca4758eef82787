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

from .errors import Problem

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
        return Problem(self.name, line, col, format_path(path), message, hint, severity)


def format_path(path: Path_) -> str:
    parts = []
    for p in path:
        parts.append(f"[{p + 1}]" if isinstance(p, int) else str(p))
    return ".".join(parts).replace(".[", "[")


# libyaml's parser when PyYAML was built with it: several times faster, same marks.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """SafeLoader that keeps dates and decimals exactly as written."""


def _keep_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    return str(node.value)


def _decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    text = str(node.value).replace("_", "")
    try:
        return Decimal(text)
    except ArithmeticError:
        return text  # .inf / .nan: let the schema reject it as not a number


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _keep_text)
_Loader.add_constructor("tag:yaml.org,2002:float", _decimal)


def load(name: str, raw: bytes, known_keys: frozenset[str] = frozenset()
         ) -> tuple[Source, list[Problem]]:
    """Parse ``raw``; return the source and every problem found on the way.

    ``known_keys`` are the keys the schema knows: a line that starts with one of
    them followed by a mistyped colon gets a specific hint.
    """
    problems: list[Problem] = []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(Problem(name, line, None, "", "文件不是 UTF-8 编码，无法读取",
                                "请在编辑器中用「另存为」选择 UTF-8 编码后再试"))
        return Source(name, ""), problems
    source = Source(name, text)
    controls, text = _control_characters(source)
    problems += controls
    slips, mended = _lint_lines(Source(name, text), known_keys)
    problems += slips
    bad_lines = {p.line for p in problems}
    try:
        loader = _Loader(mended)
        try:
            node = loader.get_single_node()
            if node is not None:
                source.data = _walk(loader, node, (), source, problems)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        if line not in bad_lines and (line is None or line - 1 not in bad_lines):
            problems.append(Problem(name, line, col, "", "YAML 格式有误：" + _yaml_reason(exc),
                                    "检查这一行及上一行：缩进是否对齐，冒号后是否有空格"))
        source.data = None
    except yaml.YAMLError as exc:  # errors without a position (reader errors)
        problems.append(Problem(name, None, None, "", f"无法解析 YAML：{exc}"))
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
    "found character that cannot start any token": "出现了不能作为开头的字符（如 Tab、@、`）",
    "found character '\\t' that cannot start any token": "出现了 Tab 字符",
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
}


def _yaml_reason(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or ""
    for english, chinese in _REASONS.items():
        if english in problem:
            return chinese
    return problem or str(exc)


def _walk(loader: yaml.SafeLoader, node: yaml.Node, path: Path_, source: Source,
          problems: list[Problem]) -> Any:
    source.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        source.blocks.add(path)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if isinstance(key, (list, dict)) or key is None:
                problems.append(Problem(source.name, key_node.start_mark.line + 1,
                                        key_node.start_mark.column + 1, format_path(path),
                                        "键不能为空，也不能是列表或映射"))
                continue
            key = str(key)
            child = (*path, key)
            if key in result:
                first = source.key_marks[child][0]
                problems.append(Problem(source.name, key_node.start_mark.line + 1,
                                        key_node.start_mark.column + 1, format_path(child),
                                        f"键重复出现（第 {first} 行已经写过）",
                                        "同一层级的每个键只能写一次，请删除或合并其中一处"))
                continue
            source.key_marks[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = _walk(loader, value_node, child, source, problems)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_walk(loader, item, (*path, i), source, problems)
                for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


# ---------------------------------------------------------------------------
# Line-level slips, recognised before (and independently of) YAML parsing.

_KEY_FULLWIDTH_COLON = re.compile(r"^(\s*)([^\s:#：\-\"'][^:：#]{0,30}?)\s*：(.*)$")
_KEY_NO_SPACE = re.compile(r"^( *)([^\s:#\-\"'][^:#]{0,30}?):([^ \t/].*)$")
_BLOCK_SCALAR = re.compile(r":\s*[|>][+-]?\d*\s*(#.*)?$")


# Word cannot hold C0 control characters other than tab, newline and return;
# PyYAML refuses them too, without saying where.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")


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


def number_hint(value: Any) -> str:
    """A specific hint for a value that should have been a plain number."""
    if not isinstance(value, str):
        if isinstance(value, list):
            return "这里应填一个数字，不是列表"
        if isinstance(value, dict):
            return "这里应填一个数字，不是「键: 值」映射"
        return ""
    text = value.strip()
    if not text:
        return "没有数字就填 0，或者删掉这一行"
    if any("０" <= ch <= "９" for ch in text):
        plain = text.translate(FULLWIDTH_DIGITS)
        return f"用了全角数字，请改成半角数字：{plain}"
    m = re.fullmatch(r"([+-]?\d+(?:\.\d+)?)\s*([^\d\s]+)", text)
    if m:
        return f"数字后面不要写单位「{m.group(2)}」，只写 {m.group(1)}"
    if re.fullmatch(r"[零〇一二两三四五六七八九十百千万亿]+[件个条项元]?", text):
        return "请用阿拉伯数字（如 12），不要用汉字数字"
    if re.fullmatch(r"\d{1,3}(,\d{3})+", text):
        return f"数字里不要加千位分隔符，写成 {text.replace(',', '')}"
    return ""
