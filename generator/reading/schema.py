"""The input file's JSON Schema, derived from the format definitions.

One schema per format; ``combined()`` joins them by 年度 for editors. The
validator checks input against exactly these schemas, ``mkreport init`` writes
their descriptions as comments, and ``mkreport schema`` prints them, so the
three can never disagree.
"""

from __future__ import annotations

import functools
from typing import Any

from generator import formats
from generator.formats import AMOUNT, COUNT, SIGNED, TEXT, Format, Node

DRAFT = "http://json-schema.org/draft-07/schema#"
SCHEMA_ID = "https://mkreport.invalid/schema/report.json"

# Keys outside the tables, with their descriptions, in the order a file lists them.
AGENCY = "机关名称"
YEAR = "年度"
FORMAT = "格式"
LABELS = "表头调整"
DATE = "发布日期"
COMPILER = "编制单位"
CONTACT = "联系方式"
PORTAL = "门户网站"
OPENING = "开头"
PREVIOUS = "上年报告"
INTRO = "概述"
FEE = "信息处理费"
FEE_NOTICES = "收费通知件数"
FEE_AMOUNT = "收费金额"
ITEMS = "事项"
OWN = "小标题"  # the agency's own sub-headings, each with its paragraphs
SUMMARY_UNDER = "申请情况所在小标题"
FEE_TEXT = "说明"
VARIANT = "格式文件"
HEADING_STYLE = "小标题样式"
RUN_IN = "接排"  # the sub-heading starts its first paragraph: 「（一）主动公开情况。2024年，……」
UNNUMBERED = "不编号"
RUN_IN_UNNUMBERED = "接排不编号"
HEADING_STYLES = ("单独成行", UNNUMBERED, RUN_IN, RUN_IN_UNNUMBERED)
HEADING_FACE = "小标题字体"
BOLD = "加粗"
HEADING_FACES = ("楷体", BOLD)
TITLE = "标题"
CHAPTERS = "章节"  # the chapters in print order, the office's own among them
SUMMARY = "申请情况概述"  # under 总体情况: 自动 (default), 不写, or the office's own text
SUMMARY_AUTO, SUMMARY_OFF = "自动", "不写"
OR_OFF = "or-off"  # x-kind of a mapping that may instead be the word 不写
MAX_OWN_CHAPTERS = 14
AMOUNT_KEY, NOTE_KEY = "数量", "备注"
DATE_PATTERN = r"^\d{4}(-\d{1,2}-\d{1,2}|年\d{1,2}月\d{1,2}日)$"

CONTACT_FIELDS = {
    "办公室": "负责解答疑问的部门，如「某县商务局办公室」",
    "地址": "办公地址",
    "邮编": "邮政编码",
    "电话": "联系电话，如 0577-61882161",
    "电子邮件": "电子邮箱",
}
PORTAL_FIELDS = {
    "名称": "网站名称，如「某县人民政府门户网站」",
    "网址": "网址，如 http://www.example.gov.cn/",
}


def _text(description: str) -> dict:
    return {"type": "string", "minLength": 1, "description": description, "x-kind": "text"}


def _bullets(description: str) -> dict:
    return {
        "description": description + "。每条一段，写成以「- 」开头的列表",
        "x-kind": "bullets",
        "anyOf": [
            {"type": "string"},
            {"type": "array", "items": {"type": "string", "x-kind": "bullet"}},
        ],
    }


# No real figure comes near these; a larger one is a typing slip.
MAX_COUNT = 99_999_999
MAX_AMOUNT = 999_999_999_999


def _headed(description: str) -> dict:
    """The agency's own sub-headings: a list of 「小标题: 段落」 pairs, printed in order."""
    return {
        "description": description + "。每项写成「- 小标题: 段落」，多段时在小标题下再写以「- 」开头的列表",
        "x-kind": "headed",
        "type": "array",
        "items": {
            "type": "object", "x-kind": "headed-item", "minProperties": 1, "maxProperties": 1,
            "additionalProperties": _bullets("这个小标题下的段落"),
            "errorMessage": "每一项写一个小标题，后面是它的段落",
        },
    }


def _cell(node: Node, description: str = "") -> dict:
    kinds = {
        COUNT: {"type": "integer", "minimum": 0, "maximum": MAX_COUNT},
        SIGNED: {"type": "integer", "minimum": -MAX_COUNT, "maximum": MAX_COUNT},
        AMOUNT: {"type": "number", "minimum": 0, "maximum": MAX_AMOUNT},
        TEXT: {"type": ["string", "number"], "maxLength": 40},
    }
    schema = dict(kinds[node.type])
    schema["x-kind"] = node.type
    schema["x-cell"] = True  # a figure of a table: left blank is an error, not 0
    # Shown by editors (VS Code's YAML extension) in place of their English message.
    schema["errorMessage"] = _CELL_ERRORS[node.type]
    schema["description"] = description or _CELL_WORDS[node.type]
    return schema


_CELL_ERRORS = {
    COUNT: "应填不小于 0 的整数，只写数字，不要带单位或汉字",
    SIGNED: "应填整数：增加写正数，减少写负数（如 -167）",
    AMOUNT: "应填数字，不要带单位",
    TEXT: "应填文字或数字",
}

_CELL_WORDS = {
    COUNT: "整数，没有就填 0",
    SIGNED: "本年增减：增加填正数，减少填负数（如 -167），没有变化填 0",
    AMOUNT: "金额（数字，单位见表头）",
    TEXT: "照原样打印，可带单位，如「380000元」「179.8万元」",
}


def _noted_count(description: str) -> dict:
    """A count that may carry a note, as in 「3（市政府本级无纠错件……）」."""
    return {
        "description": description + "；需要加注时写成 {数量: 3, 备注: 说明文字}",
        "x-kind": "count-noted",
        "anyOf": [
            {"type": "integer", "minimum": 0, "maximum": MAX_COUNT},
            {
                "type": "object",
                "additionalProperties": False,
                "required": [AMOUNT_KEY],
                "properties": {
                    AMOUNT_KEY: {"type": "integer", "minimum": 0, "maximum": MAX_COUNT, "x-kind": COUNT},
                    NOTE_KEY: {"type": "string", "x-kind": "text"},
                },
            },
        ],
    }


def _computed(what: str) -> dict:
    return {"description": f"{what}由程序计算，不要填写", "x-kind": "computed", "not": {},
            "errorMessage": f"{what}由程序计算，请删除这一行"}


def _object(properties: dict, description: str, required: list[str] | None = None) -> dict:
    schema: dict[str, Any] = {
        "type": "object",
        "description": description,
        "additionalProperties": False,
        "properties": properties,
    }
    if required:
        schema["required"] = required
    return schema


def request_input_rows(fmt: Format) -> list[Node]:
    """Rows of table 三 as the clerk types them: the result group is flattened."""
    rows: list[Node] = []
    for node in fmt.request_rows.children:
        rows.extend(node.children if not node.is_leaf else [node])
    return rows


def applicant_keys(fmt: Format) -> list[str]:
    return [leaf.key for _, leaf in fmt.applicants.leaves() if not leaf.total]


def _request_row_schema(node: Node) -> dict:
    if node.total:
        return _computed(f"「{node.label}」")
    if node.is_leaf:
        if node.role == "carried_out":
            schema = _cell(node, "结转下年度继续办理的件数；不写时按「新收 + 上年结转 − 办理结果总计」计算")
            schema["x-default-computed"] = True
            return schema
        return _cell(node, f"{node.label}（件）")
    return _object({c.key: _request_row_schema(c) for c in node.children}, node.label)


def _appeals_schema(node: Node) -> dict:
    props = {}
    for child in node.children:
        if child.total:
            props[child.key] = _computed(f"「{child.label}」")
        elif child.is_leaf:
            props[child.key] = _noted_count(f"{child.label}（件）")
        else:
            props[child.key] = _appeals_schema(child)
    return _object(props, node.label or "行政复议、行政诉讼件数，没有的不写")


def _or_off(schema: dict, description: str) -> dict:
    """An object ``schema``, or the word 不写 (nothing is printed for it); its
    properties stay at the top, where ``init`` and the form look for them."""
    return {**schema, "type": ["object", "string"], "description": schema["description"] + "；" + description,
            "anyOf": [{"type": "object"}, {"const": SUMMARY_OFF}], "x-kind": OR_OFF,
            "errorMessage": f"在下一行缩进写各项，或者只写「{SUMMARY_OFF}」"}


def top_keys() -> frozenset[str]:
    """Top-level keys with a meaning of their own: no chapter or section may take them."""
    return frozenset({AGENCY, YEAR, FORMAT, LABELS, DATE, COMPILER, CONTACT, PORTAL, OPENING, PREVIOUS,
                      VARIANT, HEADING_STYLE, HEADING_FACE, TITLE, CHAPTERS, "表二", "表三", "表三表头", "表四"})


def _own_chapter(title: str = "") -> dict:
    """A narrative chapter of the office's own: paragraphs, or 概述 and 小标题."""
    name = f"「{title}」" if title else "（写在「章节」里的标题）"
    return {
        "description": f"本单位自己的一部分{name}：直接写段落（以「- 」开头的列表），"
                       f"或写「{INTRO}」和「{OWN}」",
        "x-kind": "chapter",
        "anyOf": [
            _bullets("这一部分的段落"),
            _object({INTRO: _bullets("这一部分开头的段落"),
                     OWN: _headed("这一部分的小标题，依次编号")}, name),
        ],
    }


def format_schema(fmt: Format) -> dict:
    """The schema of an input file in ``fmt``."""
    proactive = {}
    for block in fmt.blocks:
        for row in block.rows:
            proactive[row] = _object(
                {c.key: _cell(c, f"{c.label}：{_CELL_WORDS[c.type]}") for c in block.columns},
                f"{block.header}：{row}",
            )
    rows = {n.key: _request_row_schema(n) for n in request_input_rows(fmt)}
    # One definition shared by the six applicant columns keeps the schema small.
    # A variant's id is any text the province chose; a reference must stay a plain name.
    applicant_def = f"applicant-{fmt.id if fmt.source == fmt.id else 'variant'}"
    applicants = {key: {"$ref": f"#/definitions/{applicant_def}"} for key in applicant_keys(fmt)}
    applicants[fmt.total_applicant()] = _computed(f"「{fmt.total_applicant()}」列")

    overview = {INTRO: _bullets("总体情况开头的概括段落")}
    for aspect in fmt.overview_aspects:
        overview[aspect.key] = _bullets(f"「{aspect.label}」方面的工作")
    overview[OWN] = _headed("本单位自己的小标题（不用或不只用五个方面时），接在五个方面之后依次编号")
    overview[SUMMARY_UNDER] = _text("申请情况概述放在哪个小标题下（写小标题的文字，或本单位自己的一部分的标题）；"
                                    "不写时放在「依申请公开」下")
    overview[SUMMARY] = {
        "description": f"依申请公开情况的概述段落：{SUMMARY_AUTO}（默认，由表三、表四的数字生成）、"
                       f"{SUMMARY_OFF}（不印这一段），或自己写的段落（照印，并与表三核对数字）",
        "x-kind": "bullets",
        "anyOf": [{"type": "string", "minLength": 1},
                  {"type": "array", "minItems": 1, "items": {"type": "string", "x-kind": "bullet"}}],
    }

    problems = {INTRO: _bullets("本部分开头的概括段落")}
    for part in fmt.problem_parts:
        problems[part.key] = _bullets(part.label)
    problems[OWN] = _headed("本单位自己的小标题，如「下一步工作计划」，接在上面几项之后依次编号")

    other: dict[str, Any] = {ITEMS: _bullets("其他需要报告的事项；第六部分什么都没有时印「无其他需要报告的事项。」")}
    if fmt.fee_statement:
        other[FEE] = _or_off(_object(
            {
                FEE_NOTICES: {"type": "integer", "minimum": 0, "maximum": MAX_COUNT, "x-kind": COUNT,
                              "description": "本年度发出收费通知的件数（没有统计的不写）"},
                FEE_AMOUNT: {"type": "number", "minimum": 0, "maximum": MAX_AMOUNT, "x-kind": AMOUNT,
                             "description": "本年度实际收取的信息处理费（元）"},
                FEE_TEXT: _bullets("自己写的信息处理费说明，照印，不再自动生成；程序会与上面的数字和表三核对"),
            },
            "信息处理费的收取情况（《政府信息公开信息处理费管理办法》），没有收取的不写",
        ), f"写「{SUMMARY_OFF}」时不印信息处理费的说明")
    for part in fmt.other_parts:
        other[part.key] = _bullets(f"「{part.label}」，印为小标题")
    other[OWN] = _headed("本单位自己的小标题，接在上面几项之后依次编号")

    props = {
        AGENCY: _text("机关全称，如「某县商务局」；用于标题、开头和落款"),
        YEAR: {"type": "integer", "minimum": 2019, "x-kind": "year",
               "description": "报告年度，如 2021；2019、2020 年用 2019 年试行格式，2021 年起用 2021 年格式"},
        FORMAT: {"enum": formats.official_ids(), "x-kind": "enum",
                 "description": "指定格式（一般不写，按年度自动选择）"},
        LABELS: {"type": "object", "x-kind": "labels",
                 "additionalProperties": {"type": "string", "minLength": 1},
                 "description": "地方规定的表头措辞，如 本年收费金额: 本年收费金额（单位：万元，保留4位小数）"},
        DATE: {"type": "string", "x-kind": "date",
               "pattern": DATE_PATTERN,
               "patternErrorMessage": "日期写成 2022-01-20 或 2022年1月20日",
               "description": "发布日期，如 2022-01-20；填写后在文末右下角落款机关名称和日期"},
        HEADING_STYLE: {"enum": list(HEADING_STYLES), "x-kind": "enum",
                        "description": "小标题的印法：单独成行（默认，编号（一）（二）……）、不编号（单独成行，不加编号）、"
                                       "接排（小标题印在它第一段的开头，如「（一）主动公开情况。2024年，……」）、"
                                       "接排不编号"},
        HEADING_FACE: {"enum": list(HEADING_FACES), "x-kind": "enum",
                       "description": "小标题的字体：楷体（默认）或加粗（仿宋加粗）"},
        TITLE: {"description": "报告标题，不写时为「{机关名称}{年度}年政府信息公开工作年度报告」；"
                               "要在某处换行时写成两项的列表（第一行、第二行）",
                "x-kind": "bullets",
                "anyOf": [{"type": "string", "minLength": 1},
                          {"type": "array", "minItems": 1, "maxItems": 3,
                           "items": {"type": "string", "minLength": 1, "x-kind": "bullet"}}]},
        CHAPTERS: {"description": "各部分的顺序：官方的六部分写它们的键（如「总体情况」），本单位自己的部分写标题，"
                                  "编号按顺序自动加上；自己的部分的内容写在以标题为键的一项下",
                   "x-kind": "chapters", "type": "array", "minItems": 1, "maxItems": formats.MAX_CHAPTERS,
                   "items": {"type": "string", "minLength": 1, "x-kind": "bullet"}},
        COMPILER: _text("编制者（不写时为机关名称），如「某市人民政府办公室综合全市各单位的年度报告」"),
        CONTACT: _object({k: {"type": ["string", "integer"], "x-kind": "text", "description": v}
                          for k, v in CONTACT_FIELDS.items()},
                         "联系方式；填写后自动生成开头段落"),
        PORTAL: _object({k: _text(v) for k, v in PORTAL_FIELDS.items()},
                        "可下载本报告电子版的网站"),
        OPENING: _bullets("自己写的开头段落（不写时按联系方式自动生成）"),
        PREVIOUS: _text("上年度报告的路径（相对于本文件；YAML，或 Word、网页、PDF 版），用于核对上年结转等数字"),
        VARIANT: _text("地方格式变体文件的路径（相对于本文件），调整表头和标题措辞；也可以用 --format-file 指定"),
        fmt.section_key("overview"): _object(overview, fmt.sections["overview"]),
        fmt.section_key("proactive"): _object(proactive, fmt.sections["proactive"] + "：没有的数字不写"),
        fmt.section_key("requests"): _object(applicants, fmt.sections["requests"] + "：按申请人类型填写"),
        fmt.section_key("appeals"): _appeals_schema(fmt.appeals),
        fmt.section_key("problems"): _object(problems, fmt.sections["problems"]),
        fmt.section_key("other"): _object(other, fmt.sections["other"]),
    }
    for chapter in fmt.own_chapters:
        props[chapter.key] = _own_chapter(chapter.label)
    return {
        "$schema": DRAFT,
        "title": f"政府信息公开工作年度报告（{fmt.name}）",
        "type": "object",
        "additionalProperties": False,
        "required": [AGENCY, YEAR],
        "properties": props,
        "definitions": {applicant_def: _object(rows, "这一类申请人的各项件数，没有的不写")},
    }


@functools.cache
def for_format(format_id: str) -> dict:
    return format_schema(formats.load(format_id))


def combined() -> dict:
    """One schema for editors: the format follows 格式, or else 年度."""
    old, new = for_format("2019"), for_format("2021")

    def body(schema: dict) -> dict:
        return {k: v for k, v in schema.items() if k not in ("$schema", "title", "definitions")}

    is_old = {
        "anyOf": [
            {"required": [FORMAT], "properties": {FORMAT: {"const": "2019"}}},
            {"not": {"required": [FORMAT]}, "required": [YEAR],
             "properties": {YEAR: {"type": "integer", "maximum": 2020}}},
        ]
    }
    # A variant (格式文件) may reshape the tables, which an editor cannot know:
    # there only the tables' inner shape is left to `mkreport check`.
    fmt = formats.load("2021")
    tables = {fmt.section_key(n) for n in ("proactive", "requests", "appeals")}
    loose = body(new)
    loose["properties"] = {k: ({"type": "object", "description": v.get("description", "")} if k in tables else v)
                           for k, v in loose["properties"].items()}
    # Chapters of the office's own (章节, or a variant's chapters) are keys of their own.
    loose["additionalProperties"] = _own_chapter()
    return {
        "$schema": DRAFT,
        "$id": SCHEMA_ID,
        "title": "政府信息公开工作年度报告（mkreport 输入文件）",
        "type": "object",
        "definitions": {**old["definitions"], **new["definitions"]},
        "if": {"anyOf": [{"required": [VARIANT]}, {"required": [CHAPTERS]}]},
        "then": loose,
        "else": {"if": is_old, "then": body(old), "else": body(new)},
    }


FIGURE_KINDS = frozenset({COUNT, SIGNED, AMOUNT, "count-noted"})
TEXT_KINDS = frozenset({"text", "bullet", "bullets", "date", "enum", TEXT})
COMPUTED = "computed"


def node_at(root: dict, path: tuple) -> dict | None:
    """The sub-schema that describes the value at ``path`` (None if unknown)."""
    schema: Any = root
    for step in path:
        schema = deref(schema, root)
        if isinstance(step, int):
            options = [schema, *schema.get("anyOf", [])]
            schema = next((o.get("items") for o in options if "items" in o), None)
        else:
            options = [schema, *schema.get("anyOf", [])]
            found = None
            for option in options:
                if step in option.get("properties", {}):
                    found = option["properties"][step]
                    break
                if isinstance(option.get("additionalProperties"), dict):
                    found = option["additionalProperties"]
            schema = found
        if schema is None:
            return None
    return deref(schema, root)


def deref(schema: dict, root: dict) -> dict:
    """The schema a ``$ref`` points at (our refs are all ``#/definitions/…``)."""
    ref = schema.get("$ref")
    return root["definitions"][ref.rsplit("/", 1)[1]] if ref else schema


def is_figure(schema: dict) -> bool:
    return bool(schema.get("x-cell")) or schema.get("x-kind") in FIGURE_KINDS


def kind_at(root: dict, path: tuple) -> str:
    """The x-kind of the value at ``path``; labels' values count as text."""
    schema = node_at(root, path)
    if schema is None:
        return ""
    if path and path[0] == LABELS and len(path) == 2:
        return "text"
    return schema.get("x-kind", "")


@functools.cache
def known_keys() -> frozenset[str]:
    """Every key any format's schema knows: used to recognise mistyped colons."""
    keys: set[str] = set()

    def walk(schema: Any) -> None:
        if isinstance(schema, dict):
            keys.update(schema.get("properties", {}))
            for value in schema.values():
                walk(value)
        elif isinstance(schema, list):
            for value in schema:
                walk(value)

    walk(combined())
    return frozenset(keys)
