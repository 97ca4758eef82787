"""From input bytes to a checked report model, collecting every problem.

Order: YAML (with line-level hints) → JSON Schema (types, unknown keys) →
domain rules (years, 勾稽关系). All problems are gathered and returned together;
the caller decides whether any of them stops the build.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema_rs

from generator import files, formats, model
from generator.checks import crossyear, evaluator, narrative, rules
from generator.errors import ERROR, WARNING, FormatError, Problem, ReadError
from generator.reading import schema as S
from generator.reading.source import (
    NOT_TEXT,
    SENTENCE_END,
    WRAPPED,
    Source,
    format_path,
    load,
    marker_slip,
    number_hint,
    short,
)
from generator.rendering.placement import fees_stated_elsewhere, summary_place


@dataclass
class Checked:
    """The outcome of checking one input file."""

    source: Source
    problems: list[Problem] = field(default_factory=list)
    report: model.Report | None = None  # set once the data is well-formed; see errors
    previous: Path | None = None  # last year's file, when one was named
    variant: Path | None = None  # the variant file named by 格式文件
    notices: list[str] = field(default_factory=list)  # for the user's information; not problems
    fmt: formats.Format | None = None  # the format the file was checked against, labels applied

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


def today() -> dt.date:
    return dt.date.today()


def check_file(path: Path | str, variant: Path | None = None, previous: Path | None = None,
               follow_previous: bool = True) -> Checked:
    """Check one input file; ``previous`` is last year's file for cross-year checks.

    Without ``previous``, the file's own 上年报告 key names it (unless
    ``follow_previous`` is off, as when checking that previous file itself).
    """
    path = Path(path)
    if path.suffix.lower() in DOCUMENTS:
        checked = _check_document(path, variant)
    else:
        try:
            raw = files.read_input(path, what="输入文件")
        except ReadError as exc:
            return Checked(Source(str(path), ""), [Problem(str(path), None, None, "", str(exc))])
        checked = check_bytes(str(path), raw, variant=variant)
    return _follow_previous(checked, path, previous, follow_previous)


def check_content(path: Path, raw: bytes, variant: Path | None = None) -> Checked:
    """Check ``raw`` as the content of the file at ``path``: names in it (上年报告,
    格式文件) are found beside that file. For content not yet saved."""
    return _follow_previous(check_bytes(str(path), raw, variant=variant), path, None, True)


def _follow_previous(checked: Checked, path: Path, previous: Path | None, follow_previous: bool) -> Checked:
    data = checked.source.data
    if previous is None and follow_previous and isinstance(data, dict) \
            and isinstance(data.get(S.PREVIOUS), str):
        previous = path.parent / data[S.PREVIOUS]
    if previous is not None:
        checked.previous = Path(previous)
        if files.same_file(path, checked.previous):
            checked.problems.append(checked.source.problem(
                (S.PREVIOUS,), "上年报告指向本文件自己", "请写上一年度报告的文件名", key=True))
        elif checked.report is not None:
            checked.problems += _cross_year(checked, Path(previous))
        checked.problems.sort(key=lambda p: (p.line or 0, p.column or 0))
    return checked


# Published reports are read through import: last year's report or a unit's
# report may be a Word file, a web page, a PDF or text.
DOCUMENTS = (".docx", ".html", ".htm", ".pdf", ".txt")


def _check_document(path: Path, variant: Path | None) -> Checked:
    from generator.errors import MkreportError
    from generator.importing import documents, recognize, write

    try:
        fmt = formats.load_file(variant) if variant is not None else None
        found = recognize.read_report(documents.lines_of(path), fmt)
    except (recognize.NotAReport, MkreportError) as exc:
        return Checked(Source(str(path), ""), [Problem(str(path), None, None, "",
                                                       f"无法识别为政府信息公开工作年度报告：{exc}")])
    checked = check_bytes(str(path), write.dump(found.data, []).encode("utf-8"), variant=variant)
    # Lines of the YAML made from the document mean nothing to the reader: the key names the place.
    checked.problems = [dataclasses.replace(p, line=None, column=None) for p in checked.problems]
    # Cells printed blank or 「/」 (EVAL-05), as audit names them.
    checked.problems += [Problem(str(path), None, None, ".".join(key), evaluator.blank_cell(printed), "",
                                 rules.severity("EVAL-05"), tuple(key), "EVAL-05", (printed or "空", "0"))
                         for key, printed in found.blank]
    return checked


_LAST_YEAR: dict[tuple, Checked] = {}


def _last_year(previous: Path) -> Checked:
    """Last year's report, checked once while the file stays the same: ``serve``
    checks on every change, and last year's PDF need not be read each time."""
    try:
        stat = previous.stat()
        key = (str(previous.resolve()), stat.st_mtime_ns, stat.st_size, stat.st_ino)
    except (OSError, RuntimeError):
        return check_file(previous, follow_previous=False)
    if key not in _LAST_YEAR:
        if len(_LAST_YEAR) >= 4:
            _LAST_YEAR.clear()
        _LAST_YEAR[key] = check_file(previous, follow_previous=False)
    return _LAST_YEAR[key]


def _cross_year(checked: Checked, previous: Path) -> list[Problem]:
    source, report = checked.source, checked.report
    assert report is not None
    where = (S.PREVIOUS,) if isinstance(source.data, dict) and S.PREVIOUS in source.data else ()
    last = _last_year(previous)
    if last.errors or last.report is None:
        # Never quote the other file: it may not be a report at all (/etc/passwd).
        unreadable = not last.source.text
        why = str(last.errors[0].message) if last.errors else ""
        reason = (f"无法读取（{why}）" if why else "无法读取") if unreadable else f"有 {len(last.errors)} 处错误"
        hint = "换一种形式的上年报告（Word、网页或复制出的文字），或先导入后核对" if unreadable \
            else f"先运行 mkreport check {previous}"
        return [source.problem(where, f"上年报告 {previous} {reason}，无法核对上年结转等数字",
                               hint, severity=WARNING)]
    keys = {name: report.fmt.section_key(name) for name in report.fmt.sections}
    return [source.problem(f.path or where, f.message, "核对本年与上年报告的数字", rule="YEAR-01")
            for f in crossyear.compare(report, last.report, keys)] + _jumps(source, report, last.report) \
        + _narrative_warnings(source, report, source.data, last.report)


JUMP = 10  # a figure ten times last year's, or a tenth of it: a digit typed twice or left out
JUMP_FLOOR = 50  # below this, small units' figures swing that much for real


def _jumps(source: Source, report: model.Report, last: model.Report) -> list[Problem]:
    """Figures ten times last year's (or a tenth): 本年新收 by applicant column, and
    the counts of table 二."""
    fmt = report.fmt
    pairs: list[tuple[tuple, str, int, int]] = []
    received = fmt.row_with_role("received")[0][-1]
    last_columns = {leaf.key for _, leaf in last.fmt.applicants.leaves() if not leaf.total}
    if report.requests is not None and last.requests is not None:
        for _, leaf in fmt.applicants.leaves():
            if not leaf.total and leaf.key in last_columns:
                pairs.append(((fmt.section_key("requests"), leaf.key, received), f"「{leaf.key}」{received}",
                              report.request_figure(received, leaf.key), last.request_figure(received, leaf.key)))
    for block in fmt.blocks:
        for row in block.rows:
            for column in block.columns:
                now, before = report.proactive.get((row, column.key)), last.proactive.get((row, column.key))
                if column.type == formats.COUNT and now is not None and before is not None \
                        and type(now.value) is int and type(before.value) is int:
                    pairs.append(((fmt.section_key("proactive"), row, column.key), f"「{row}」{column.key}",
                                  now.value, before.value))
    out = []
    for path, name, now, before in pairs:
        if min(now, before) >= 1 and max(now, before) >= JUMP_FLOOR and max(now, before) >= JUMP * min(now, before):
            out.append(source.problem(
                path, f"{name} {now}，上年报告为 {before}，相差 {JUMP} 倍以上",
                "请核对这个数字（是否多写或漏写了一位）；数字无误可不理会这条警告", rule="YEAR-02",
                values=(str(now), str(before))))
    return out


def check_bytes(name: str, raw: bytes, variant: Path | None = None) -> Checked:
    """Check a file's content; problems come sorted by line."""
    checked = _check(name, raw, variant)
    checked.problems.sort(key=lambda p: (p.line or 0, p.column or 0))
    return checked


def _check(name: str, raw: bytes, variant: Path | None) -> Checked:
    source, problems = load(name, raw, S.known_keys())
    checked = Checked(source, problems)
    data = _document(checked)
    if data is None:
        return checked
    fmt = checked.fmt = _schema_checks(checked, data, variant)
    if not checked.errors:
        _domain_checks(checked, fmt, data)
    return checked


def _document(checked: Checked) -> dict | None:
    """The parsed mapping with blank keys dropped, or None when there is none."""
    source = checked.source
    if source.data is None and checked.errors:
        return None
    if not isinstance(source.data, dict):
        found = "空文件" if source.data is None else _kind(source.data)
        checked.problems.append(Problem(source.name, 1, 1, "", f"文件内容应是一行行的「键: 值」，实际是{found}",
                                        "参考 examples/ 中的示例，或用 mkreport init 生成一份模板"))
        return None
    # A key left empty (「发布日期:」 with nothing after it) means "not given".
    data = source.data = _drop_blank(source.data, (), source.blank)
    for path in sorted(source.blank & {(S.AGENCY,), (S.YEAR,)}):
        checked.problems.append(source.problem(path, f"「{path[0]}」还没有填写", "在冒号后面填上内容",
                                               key=True))
    return data


def _schema_checks(checked: Checked, data: dict, variant: Path | None) -> formats.Format:
    """Types, keys and values against the format's schema; returns the format."""
    source = checked.source
    fmt, fmt_problems = _choose_format(source, data, variant)
    checked.problems += fmt_problems
    if variant is None and isinstance(data.get(S.VARIANT), str):
        checked.variant = Path(source.name).parent / data[S.VARIANT]
    schema = S.for_format(fmt.id) if fmt.source == fmt.id and not fmt.chapter_order else S.format_schema(fmt)
    _as_written(source, data, schema)
    checked.problems += _blank_figures(source, schema)
    # A line already reported for a typing slip is not reported again by the schema.
    slipped = {p.line for p in checked.problems}
    for error in _schema_errors(schema, data):
        checked.problems += [p for p in _translate(source, error, fmt) if p.line not in slipped]
    checked.problems += _text_slips(source, data, schema)
    checked.problems += _check_text(source, data)
    date = data.get(S.DATE)
    if isinstance(date, str) and _DATE.fullmatch(date) and model.parse_date(date) is None:
        checked.problems.append(source.problem((S.DATE,), f"日期「{date}」不存在", "请核对月份和日期"))
    return fmt


def _as_written(source: Source, data: Any, schema: dict) -> None:
    """Where the schema expects text, a plain scalar read as a number becomes the
    text the clerk typed: 「邮编: 071000」 stays 071000, 「电话: 0571.1234」 keeps its 0."""
    for path, text in source.raw.items():
        if S.kind_at(schema, path) not in S.TEXT_KINDS:
            continue
        parent = data
        for step in path[:-1]:
            try:
                parent = parent[step]
            except (KeyError, IndexError, TypeError):
                parent = None
                break
        if isinstance(parent, dict) and path[-1] in parent or \
                isinstance(parent, list) and isinstance(path[-1], int) and path[-1] < len(parent):
            parent[path[-1]] = text


def _blank_figures(source: Source, schema: dict) -> list[Problem]:
    """A figure key left with nothing after it: never silently 0."""
    out = []
    for path in sorted(source.blank, key=lambda p: source.where(p, key=True)):
        node = S.node_at(schema, path)
        if node is None or node.get("x-default-computed"):
            continue
        if S.is_figure(node):
            out.append(source.problem(path, f"「{path[-1]}」还没有填写",
                                      "写上数字（没有就写 0），或者删去这一行", key=True))
    return out


def _domain_checks(checked: Checked, fmt: formats.Format, data: dict) -> None:
    """勾稽关系 and what a reviewer would question.

    The report is kept even when the arithmetic fails, so that ``check`` can show
    the computed figures next to the problem; nothing is written from it then.
    """
    source = checked.source
    report, imbalances, negatives = model.build(fmt, data)
    section = fmt.section_key("requests")
    carried_out = fmt.row_with_role("carried_out")[1].key
    for imbalance in imbalances:
        where = (section, imbalance.column, carried_out) if imbalance.column in data[section] else (section,)
        balance = imbalance.received + imbalance.carried_in - imbalance.handled
        if balance >= 0:
            hint = (f"按本年新收、上年结转和办理结果，结转下年度应为 {balance}；"
                    f"也可以删去「{carried_out}」这一行，由程序计算。若结转数无误，请核对各项办理结果")
        else:
            hint = (f"办理结果总计 {imbalance.handled} 件，多于本年新收与上年结转之和 "
                    f"{imbalance.received + imbalance.carried_in} 件，请核对各项数字")
        checked.problems.append(source.problem(where, _imbalance_message(imbalance), hint, rule="ARITH-01",
                                               values=(str(imbalance.handled + imbalance.carried_out),
                                                       str(imbalance.received + imbalance.carried_in))))
    for column in negatives:
        received, carried_in, handled = _column_figures(report, column)
        checked.problems.append(source.problem(
            (section, column),
            f"「{column}」列的办理结果多于本年新收与上年结转之和，结转下年度会成为负数："
            f"办理结果总计 {handled}，本年新收 {received} + 上年结转 {carried_in} = {received + carried_in}",
            f"按这些数字，结转下年度是 {received + carried_in - handled}；"
            "请核对本年新收、上年结转和各项办理结果（是否多写了一位，或把两位数字写颠倒）", rule="ARITH-03"))
    checked.problems += _structure_checks(source, report)
    checked.problems += _warnings(source, report)
    checked.problems += _narrative_warnings(source, report, data)
    checked.report = report


def _column_figures(report: model.Report, column: str) -> tuple[int, int, int]:
    """本年新收, 上年结转 and 办理结果总计 of a column of table 三."""
    fmt = report.fmt
    assert report.requests is not None
    return (report.requests.get(fmt.row_with_role("received")[0], column),
            report.requests.get(fmt.row_with_role("carried_in")[0], column),
            report.requests.get(fmt.handled_total()[0], column))


def _imbalance_message(i: model.Imbalance) -> str:
    left, right = i.received + i.carried_in, i.handled + i.carried_out
    return (f"「{i.column}」列：本年新收 {i.received} + 上年结转 {i.carried_in} = {left}，"
            f"但办理结果总计 {i.handled} + 结转下年度 {i.carried_out} = {right}，两者不等")


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "列表（以「- 」开头）"
    if isinstance(value, dict):
        return "下一级的「键: 值」"
    if isinstance(value, bool):
        return f"真假值 {value}"
    if isinstance(value, (int, float)) or type(value).__name__ == "Decimal":
        return f"数字 {short(value)}"
    return f"文字「{short(value)}」"


def _choose_format(source: Source, data: dict, variant: Path | None
                   ) -> tuple[formats.Format, list[Problem]]:
    problems: list[Problem] = []
    year = data.get(S.YEAR)
    fmt = None
    if isinstance(year, int) and not isinstance(year, bool):
        refusal = formats.year_refusal(year, today().year)
        if refusal:
            problems.append(source.problem((S.YEAR,), *refusal))
        else:
            fmt = formats.for_year(year)
    named = data.get(S.FORMAT)
    if named in formats.official_ids():
        fmt = formats.load(named)
    if variant is None and isinstance(data.get(S.VARIANT), str):
        variant = Path(source.name).parent / data[S.VARIANT]
    if variant is not None:
        try:
            fmt = formats.load_file(variant)
        except FormatError as exc:
            problems += exc.problems or [Problem(str(variant), None, None, "", str(exc))]
    fmt = fmt or formats.load(formats.official_ids()[-1])
    labels = data.get(S.LABELS)
    if isinstance(labels, dict) and labels:
        overrides, label_problems = _resolve_labels(source, fmt, labels)
        problems += label_problems
        if overrides and not label_problems:
            fmt = formats.with_labels(fmt, overrides)
    fmt, found = formats.with_listed_chapters(fmt, data.get(S.CHAPTERS))
    problems += [source.problem((S.CHAPTERS,) if i is None else (S.CHAPTERS, i), message, hint)
                 for i, message, hint in found]
    return fmt, problems


def _resolve_labels(source: Source, fmt: formats.Format, labels: dict
                    ) -> tuple[dict[str, str], list[Problem]]:
    known = formats.label_paths(fmt)
    all_paths = {p for paths in known.values() for p in paths}
    resolved: dict[str, str] = {}
    problems = []
    for key, label in labels.items():
        if not isinstance(label, str):
            continue  # the schema reports it
        if key in all_paths:
            resolved[key] = label
        elif key in known and len(known[key]) == 1:
            resolved[known[key][0]] = label
        elif key in known:
            problems.append(source.problem((S.LABELS, key), f"「{key}」在表格中出现多次，不知道要改哪一个",
                                           "请写完整路径，可选：" + "、".join(known[key]), key=True))
        else:
            close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.5)
            hint = f"是不是「{close[0]}」？" if close else "只能调整表格中已有的表头或行名"
            problems.append(source.problem((S.LABELS, key), f"表格中没有「{key}」", hint, key=True))
    return resolved, problems


def _drop_blank(value: Any, path: tuple, blank: set[tuple]) -> Any:
    """Mappings without their empty keys; the empty keys' paths go to ``blank``."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if item is None:
                blank.add((*path, key))
            else:
                out[key] = _drop_blank(item, (*path, key), blank)
        return out
    if isinstance(value, list):
        return [_drop_blank(item, (*path, i), blank) for i, item in enumerate(value)]
    return value


def _typed_keys(schema: dict) -> list[str]:
    """The keys a clerk may type at a level: computed ones are not offered."""
    return [k for k, sub in schema.get("properties", {}).items()
            if not (isinstance(sub, dict) and sub.get("x-kind") == S.COMPUTED)]


def _other_format(fmt: formats.Format) -> formats.Format:
    return formats.load(next(i for i in formats.official_ids() if i != (fmt.base or fmt.id.split("-")[0])))


def _shape(schema: dict) -> str:
    """How a level with sub-keys is written, shown by example."""
    keys = _typed_keys(schema)
    return "、".join(f"「{k}: …」" for k in keys[:4]) + ("等" if len(keys) > 4 else "")


@dataclass(frozen=True)
class SchemaError:
    """One schema error: where in the data, which keyword failed, and the schema
    object that holds that keyword (whose x-kind tells what the value is)."""

    path: tuple
    instance: Any
    validator: str
    validator_value: Any
    schema: dict


_VALIDATORS: dict[int, tuple[dict, Any]] = {}  # the official schemas are built once


def _validator(schema: dict) -> Any:
    kept = _VALIDATORS.get(id(schema))
    if kept is None or kept[0] is not schema:
        if len(_VALIDATORS) > 8:
            _VALIDATORS.clear()
        kept = _VALIDATORS[id(schema)] = (schema, jsonschema_rs.Draft7Validator(schema))
    return kept[1]


def _schema_errors(schema: dict, data: Any) -> list[SchemaError]:
    """Every schema error in the data, read off jsonschema-rs's error paths."""
    out = []
    for error in _validator(schema).iter_errors(data):
        node: Any = schema
        *where, keyword = error.schema_path
        for step in where:
            node = node[step]
        value = node.get(keyword) if isinstance(node, dict) else None
        out.append(SchemaError(tuple(error.instance_path), error.instance, str(keyword), value, node))
    return out


def _translate(source: Source, error: SchemaError, fmt: formats.Format) -> list[Problem]:
    """One schema error as Chinese problems with positions and hints."""
    path = error.path
    value = error.instance
    kind = error.schema.get("x-kind", "") if isinstance(error.schema, dict) else ""
    v = error.validator
    other = _other_format(fmt)
    other_schema = S.for_format(other.id)

    if kind == S.OR_OFF and v in ("type", "anyOf"):
        if v == "type":
            return []  # the same mistake as the anyOf below it
        return [source.problem(path, f"应在下一行缩进分项填写，或者只写「{S.SUMMARY_OFF}」，实际填的是{_kind(value)}",
                               f"分项填写：{_shape(error.schema)}；不印这一项时写「{S.SUMMARY_OFF}」")]
    if v == "additionalProperties":
        allowed = _typed_keys(error.schema)
        out = []
        for key in value:
            if key in error.schema.get("properties", {}):
                continue
            close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.4)
            if S.node_at(other_schema, (*path, key)) is not None:
                hint = (f"「{short(key)}」是{other.name}的写法；本报告用{fmt.name}，这一层可以写："
                        + "、".join(allowed[:12]))
            elif close:
                hint = f"是不是「{close[0]}」？"
            else:
                hint = "这一层可以写：" + "、".join(allowed[:12])
                if isinstance(value[key], dict):
                    hint += "（也可能是缩进不对）"
            hidden = invisible(str(key))
            if hidden:  # 「机关名称」 with a zero-width space looks right and is not
                hint = f"键名里有看不见的字符 {'、'.join(hidden)}，请删除后重新输入这个键名。" + hint
            out.append(source.problem((*path, key), f"不认识的键「{short(key)}」", hint, key=True))
        return out
    if v == "type" and kind == "headed-item" and not isinstance(value, (dict, list)):
        text = str(value)
        cut = text.find("：")
        if 0 < cut <= 30:
            hint = f"小标题后面用英文冒号加一个空格：「- {short(text[:cut])}: {short(text[cut + 1:])}」"
        else:
            hint = "写成「- 小标题: 段落」，段落多时在小标题下再写以「- 」开头的列表"
        return [source.problem(path, "这里每一项都要有小标题，实际只写了一段文字", hint)]
    if v == "type" and error.validator_value == "object" and not isinstance(value, (dict, list)):
        hint = f"在它下面分项填写，每项一行：{_shape(error.schema)}"
        theirs = S.node_at(other_schema, path)
        if theirs is not None and theirs.get("type") != "object":
            hint = (f"{other.name}中「{path[-1]}」直接写数字；本报告用{fmt.name}，要分项填写：{_shape(error.schema)}")
        return [source.problem(path, f"「{path[-1] if path else '文件'}」下面应分项填写，不能直接写{_kind(value)}",
                               hint)]
    if v == "maxProperties" and kind == "headed-item":
        return [source.problem(path, "一项里写了不止一个小标题", "每个小标题单独写一项，以「- 」开头")]
    if v == "minProperties" and kind == "headed-item":
        return [source.problem(path, "小标题不能为空", "写成「- 小标题: 段落」")]
    if v == "required":
        missing = [k for k in error.validator_value if k not in value and (*path, k) not in source.blank]
        return [source.problem(path, f"缺少必填项「{k}」", f"请添加一行「{k}: …」") for k in missing]
    if v == "not" and kind == "computed":
        return [source.problem(path, "这一项由程序计算，不要填写",
                               "总计和（七）总计都由各项相加得出，请删除这一行", key=True)]
    if v == "minimum" and kind == "year":
        return []  # reported with its own message when the format is chosen
    if v == "minimum" and kind == SIGNED_KIND:
        return [source.problem(path, f"数字超出范围（填的是 {short(value)}）",
                               f"不能小于 {error.validator_value}，请核对这个数字")]
    if v == "minimum":
        return [source.problem(path, f"不能是负数（填的是 {short(value)}）", "件数和金额都应为 0 或正数")]
    if v == "maximum":
        return [source.problem(path, f"数字太大（填的是 {short(value)}）",
                               f"不能超过 {error.validator_value}，请核对这个数字")]
    if v == "maxLength":
        return [source.problem(path, f"内容太长（{len(value)} 个字）",
                               f"这一格最多 {error.validator_value} 个字，只写数字和单位")]
    if v == "minLength":
        return [source.problem(path, "不能为空", "请填写内容，或删除这一行")]
    if v == "maxItems" and isinstance(value, list):
        return [source.problem(path, f"项数太多：写了 {len(value)} 项，最多 {error.validator_value} 项",
                               "请核对这个列表")]
    if v == "pattern" and kind == "date":
        return [source.problem(path, f"日期「{short(value)}」的写法不对", "写成 2022-01-20 或 2022年1月20日")]
    if v == "enum":
        choices = "、".join(str(c) for c in error.validator_value)
        return [source.problem(path, f"「{short(value)}」不是可选的值", f"可选：{choices}")]

    if kind in _PARAGRAPH and isinstance(value, (list, dict)):
        found = _paragraph_shape(source, path, value)
        if found:
            return found
    expected = _EXPECTED.get(kind, "")
    if not expected:
        expected = {"object": "下一级的「键: 值」", "string": "文字", "integer": "整数",
                    "number": "数字", "array": "列表"}.get(str(error.validator_value), "")
    hint = ""
    theirs = S.node_at(other_schema, path) if path else None
    if isinstance(value, dict) and theirs is not None and theirs.get("type") == "object" \
            and kind in ("count", "signed", "amount"):
        hint = (f"{other.name}中「{path[-1]}」分项填写；本报告用{fmt.name}，"
                "这里直接写一个数字（各项之和）")
    elif kind in ("count", "signed", "amount", "count-noted", "year"):
        hint = number_hint(value)
        if not hint and type(value).__name__ == "Decimal":
            hint = "件数应为整数，不要带小数点"
    elif isinstance(value, list) and expected.endswith("「键: 值」"):
        hint = "这里应写成下一级的「键: 值」，不要以「- 」开头"
    elif kind in ("bullets", "bullet") and value is None:
        hint = "没有内容就删除这一行"
    elif kind in ("bullets", "bullet", "text") and not isinstance(value, (dict, list)):
        hint = "如果内容以数字开头或含有「: 」「#」，请用引号把整段括起来"
    return [source.problem(path, f"应填{expected or '其他类型'}，实际填的是{_kind(value)}", hint)]


_EXPECTED = {
    "count": "不小于 0 的整数",
    "signed": "整数（减少用负数，如 -167）",
    "amount": "数字",
    "text": "文字",
    "bullets": "文字或文字列表",
    "bullet": "一段文字",
    "count-noted": "不小于 0 的整数（或「数量/备注」）",
    "year": "四位数的年份",
    "date": "日期",
    "labels": "一行行的「原表头: 新表头」",
    "headed": "以「- 」开头的小标题列表",
}

_DATE = re.compile(S.DATE_PATTERN)
SIGNED_KIND = formats.SIGNED


# ---------------------------------------------------------------------------
# Text that YAML reads without complaint but not as the clerk wrote it.

_PARAGRAPH = ("bullet", "bullets")
_COMMENT_HINT = "要印出「#」，请用引号把整段括起来，或改用全角「＃」；写给自己的备注请另起一行，以「#」开头"


def _paragraph_shape(source: Source, path: tuple, value: Any) -> list[Problem]:
    """Paragraphs that YAML read as something else, each at its line: 「考核方式: 将…」
    as a key and its value, 「- #1号文件」 as an empty item, a key indented too far."""
    items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
    out = []
    for i, item in items:
        where = path if i is None else (*path, i)
        if item is None:
            out.append(_empty_item(source, where))
        elif isinstance(item, dict):
            for key, inner in [*item.items(), *((key, None) for key in source.blank_under(where))]:
                out.append(_colon_in_text(source, (*where, key), path, inner))
        elif isinstance(item, list):
            out.append(source.problem(where, "一段文字里又写了一层「- 」列表",
                                      "每段只写一个「- 」；要在本单位自己的小标题下分段，请写在「小标题」下"))
    return out


def _empty_item(source: Source, where: tuple) -> Problem:
    if where in source.comments:
        line, column, _, comment = source.comments[where]
        return Problem(source.name, line, column, format_path(where),
                       f"「#」及后面的文字被当作注释，这一项成了空的：「{short(comment)}」", _COMMENT_HINT,
                       ERROR, where)
    return source.problem(where, "这一项是空的", "在「- 」后面写上这一段，或者删去这一行")


def _colon_in_text(source: Source, where: tuple, parent: tuple, inner: Any) -> Problem:
    key = str(where[-1])
    if key in S.known_keys() and not isinstance(inner, str):
        return source.problem(where, f"「{short(key)}」缩进多了，成了「{parent[-1]}」下面的一项",
                              f"「{short(key)}:」要与「{parent[-1]}:」左端对齐", key=True)
    if isinstance(inner, (dict, list)):
        return source.problem(where, f"段落「{short(key)}」下面又分了一层",
                              f"要用本单位自己的小标题分段，请写在「{S.OWN}」下：「- {short(key)}:」，"
                              "下面再写以「- 」开头的段落", key=True)
    if inner is None:
        return source.problem(where, "段落末尾的英文冒号「:」把这一段变成了「键:」",
                              f"改用中文冒号：「{short(key)}：」，或用引号把整段括起来", key=True)
    text = source.raw.get(where, str(inner))
    return source.problem(where, "段落里的英文冒号加空格「: 」把这一段分成了「键: 值」",
                          f"改用中文冒号：「{short(key)}：{short(text)}」，或用引号把整段括起来", key=True)


def _strings(data: Any) -> list[tuple[tuple, str]]:
    """Every text value with its path."""
    out = []
    stack: list[tuple[tuple, Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            out.append((path, value))
        elif isinstance(value, dict):
            stack += [((*path, key), item) for key, item in value.items()]
        elif isinstance(value, list):
            stack += [((*path, i), item) for i, item in enumerate(value)]
    return out


def _text_slips(source: Source, data: Any, schema: dict) -> list[Problem]:
    """Text that YAML reads without complaint but the report would print otherwise
    than the clerk meant: cut off at 「 #」, a list mark typed as text, a
    paragraph wrapped onto further lines or split by a blank line."""
    out: list[Problem] = []
    for path, value in _strings(data):
        kind = S.kind_at(schema, path)
        if kind in S.TEXT_KINDS:
            paragraph = kind in _PARAGRAPH
            out += _comment_slip(source, path, paragraph, blank=False)
            if paragraph:
                out += _list_mark(source, path, value)
            out += _folded(source, path, paragraph)
    for path in source.blank:
        kind = S.kind_at(schema, path)
        if kind in S.TEXT_KINDS:
            out += _comment_slip(source, path, kind in _PARAGRAPH, blank=True)
    return out


def _comment_slip(source: Source, path: tuple, paragraph: bool, blank: bool) -> list[Problem]:
    """A comment on the line of a value that took part of the text with it.

    A note in the style `mkreport init` writes (two spaces, then 「# 」) after a
    short value, or 「# 」 after a key left empty, is the clerk's own; after a
    paragraph nothing is: 「考核 #重点，组织……」 lost the rest of its sentence.
    """
    if path not in source.comments:
        return []
    line, column, gap, comment = source.comments[path]
    if comment.startswith("# ") and (blank or (not paragraph and gap >= 2)):
        return []
    what = "这一项成了空的" if blank else "没有印进报告"
    return [Problem(source.name, line, column, format_path(path),
                    f"「#」及后面的文字被当作注释，{what}：「{short(comment)}」", _COMMENT_HINT, ERROR, path)]


def _list_mark(source: Source, path: tuple, value: str) -> list[Problem]:
    mark = marker_slip(value)
    if mark is None:
        return []
    rest = value[1:].lstrip(" \u3000")
    message = ("「-」后面缺少空格，「-」会当作文字印在段落开头" if mark == "-"
               else f"段落开头的「{mark}」会原样印进报告")
    return [source.problem(path, message, f"列表的每一段写成英文短横线加一个空格：「- {short(rest)}」")]


def _folded(source: Source, path: tuple, paragraph: bool) -> list[Problem]:
    """A value written over several lines: a list mark at the start of a later
    line is an error; a wrapped paragraph is joined and the clerk told; a blank
    line splits it in two, which is an error in the middle of a sentence."""
    folds = source.folds.get(path)
    if not folds:
        return []
    key = format_path(path)
    out = []
    wrapped = []
    for fold in folds:
        if fold.how == WRAPPED:
            mark = marker_slip(fold.start) if paragraph else None
            if paragraph and fold.start.startswith("- "):
                out.append(Problem(source.name, fold.line, fold.column, key,
                                   "这一行的「- 」被当作文字，接在了上一行后面",
                                   "键后面写了文字，下面就不能再写「- 」开头的段落：把键后面的文字也写成一项「- …」",
                                   ERROR, path))
            elif mark is not None:
                rest = fold.start[1:].lstrip(" \u3000")
                out.append(Problem(source.name, fold.line, fold.column, key,
                                   f"这一段开头的「{mark}」不是列表的「- 」，这一行被接在了上一段后面",
                                   f"写成「- {short(rest)}」（英文短横线加一个空格），与上一段的「- 」对齐",
                                   ERROR, path))
            else:
                wrapped.append(fold)
        elif paragraph:
            if fold.before.endswith(SENTENCE_END):
                out.append(Problem(source.name, fold.line, None, key, "空行把这段文字分成了两段",
                                   "分段请写成单独的一项「- …」；如果是一段，请删去空行", WARNING, path))
            else:
                out.append(Problem(source.name, fold.line, None, key,
                                   f"这段文字中间有空行，会被分成两段，前一段以「{fold.before}」结尾",
                                   "如果是一段，请删去空行；如果是两段，把第二段写成单独的一项「- …」", ERROR, path))
    if wrapped:
        if paragraph:
            message = f"这段文字分在 {len(wrapped) + 1} 行里写，已连成一段（汉字之间不加空格）"
            hint = "如果本想另起一段，请把它写成单独的一项「- …」；写在一行里就没有这条提示"
        else:
            message = f"这一项分在 {len(wrapped) + 1} 行里写，已连成一行（汉字之间不加空格）"
            hint = "请写在一行里"
        out.append(Problem(source.name, wrapped[0].line, wrapped[0].column, key, message, hint, WARNING, path))
    return out


# Printed in a title, a sentence or the closing: a line break would break them.
_ONE_LINE = {S.AGENCY, S.COMPILER, S.DATE, S.CONTACT, S.PORTAL, S.PREVIOUS, S.FORMAT}


def _check_text(source: Source, data: Any, path: tuple = ()) -> list[Problem]:
    """Characters a Word file cannot hold, reported where they stand."""
    problems = []
    if isinstance(data, dict):
        for key, value in data.items():
            problems += _check_text(source, value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            problems += _check_text(source, value, (*path, i))
    elif isinstance(data, str):
        if "\n" in data.strip() and len(path) <= 2 and path and path[0] in _ONE_LINE:
            problems.append(source.problem(path, "这一项只能写一行", "删去中间的换行"))
        bad = sorted({f"U+{ord(ch):04X}" for ch in NOT_TEXT.findall(data)})
        if bad:
            problems.append(source.problem(path, "含有 Word 文件不能保存的控制字符 " + " ".join(bad),
                                           "可能是从其他软件复制时带入的，请删除后重新输入这段文字"))
        hidden = invisible(data)
        if hidden:
            problems.append(source.problem(
                path, "含有看不见的字符 " + "、".join(hidden),
                "这些字符在编辑器里看不出来，却会印进报告、改变文字的显示顺序，或让同一个单位被当成两个；"
                "多是从网页或其他软件复制时带入的，请删除后重新输入这段文字"))
    return problems


# What a clerk cannot see: format characters (zero-width spaces, the byte-order
# mark, bidirectional overrides and isolates), and combining marks on a Chinese
# character, a Latin letter NFC could not compose, a space or nothing (marks on
# Tibetan or Mongolian letters are part of the word; variation selectors pick a
# glyph and are kept). Each is named once, with what it is.
_INVISIBLE_NAMES = {
    0x00AD: "软连字符", 0x061C: "阿拉伯字母标记", 0x180E: "蒙古文元音分隔符",
    0x200B: "零宽空格", 0x200C: "零宽不连字", 0x200D: "零宽连字", 0x200E: "从左到右标记",
    0x200F: "从右到左标记", 0x202A: "从左到右嵌入", 0x202B: "从右到左嵌入", 0x202C: "方向格式结束",
    0x202D: "从左到右覆盖", 0x202E: "从右到左覆盖", 0x2060: "字连接符", 0x2066: "从左到右隔离",
    0x2067: "从右到左隔离", 0x2068: "方向隔离", 0x2069: "方向隔离结束", 0xFEFF: "字节顺序标记 BOM",
}
_INVISIBLE_LIMIT = 5


def _stray_mark_base(ch: str) -> bool:
    """A base on which a combining mark is a slip: nothing, a space, ASCII or CJK."""
    code = ord(ch)
    return (code < 0x250 or ch.isspace() or 0x2E80 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF
            or 0xFF00 <= code <= 0xFFEF or 0x20000 <= code <= 0x3FFFF)


def _variation_selector(code: int) -> bool:
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


def invisible(text: str) -> list[str]:
    """The invisible characters in ``text``, each as 「U+200B（零宽空格）」, at most a few."""
    if text.isascii():
        return []
    found: dict[int, str] = {}
    marks = any(unicodedata.combining(ch) for ch in text)
    composed = unicodedata.normalize("NFC", text) if marks else text
    base = " "
    for ch in composed:
        kind = unicodedata.category(ch)
        code = ord(ch)
        if kind == "Cf":
            found.setdefault(code, _INVISIBLE_NAMES.get(code, "格式控制字符"))
        elif kind in ("Mn", "Me"):
            if _stray_mark_base(base) and not _variation_selector(code):
                found.setdefault(code, "组合附加符号")
            continue  # a mark after a stray mark is stray too
        else:
            base = ch
        if len(found) >= _INVISIBLE_LIMIT:
            break
    return [f"U+{code:04X}（{name}）" for code, name in sorted(found.items())]


def _warnings(source: Source, report: model.Report) -> list[Problem]:
    """Things a reviewer would question, which do not stop the build."""
    fmt = report.fmt
    out = []
    section = fmt.section_key("overview")
    # An agency with its own sub-headings or chapters covers the five aspects in its own words.
    if fmt.aspects_required and not report.own.get("overview") and not fmt.own_chapters:
        for aspect in fmt.overview_aspects:
            if not report.overview.get(aspect.key) and aspect.key != fmt.requests_summary_aspect:
                out.append(source.problem((section,), f"总体情况缺少「{aspect.key}」方面的内容",
                                          f"{fmt.name}要求总体情况写明五个方面；"
                                          f"也可以在「{S.OWN}」下用本单位自己的小标题来写", rule="EVAL-02"))
    out += _empty_parts(source, report)
    out += _title_warnings(source, report)
    if report.date is not None and report.date.year <= report.year:
        out.append(source.problem((S.DATE,), f"发布日期 {report.date} 早于报告年度结束",
                                  "年度报告应在次年 1 月 31 日（政府为 3 月 31 日）前发布", severity=WARNING))
    if fmt.fee_statement and report.fee_off and not fees_stated_elsewhere(report):
        out.append(source.problem((fmt.section_key("other"), S.FEE), "第六部分没有说明信息处理费的收取情况",
                                  f"{fmt.name}要求在第六部分报告信息处理费的收取情况；没有收取时可写一句"
                                  "「本年度未收取信息处理费。」", rule="EVAL-09"))
    elif fmt.fee_statement and report.requests is not None:
        out += _fee_warnings(source, report)
    if report.requests is not None:
        out += _carried_share(source, report)
    out += evaluator.findings(source, report)
    return out


# 结转下年度 are the applications received late in the year and not yet
# answered: with 20 working days to answer (40 when extended) a tenth or so of
# the year's work. More than a quarter, and at least CARRIED_FLOOR, is more
# likely a figure typed wrong (46 typed as 64) than a real backlog.
CARRIED_SHARE = 4
CARRIED_FLOOR = 10


def _carried_share(source: Source, report: model.Report) -> list[Problem]:
    fmt = report.fmt
    assert report.requests is not None
    section = fmt.section_key("requests")
    received_key = fmt.row_with_role("received")[0][-1]
    carried_out = fmt.row_with_role("carried_out")[0]
    out = []
    for _, leaf in fmt.applicants.leaves():
        if leaf.total:
            continue
        received, carried_in, handled = _column_figures(report, leaf.key)
        left = report.requests.get(carried_out, leaf.key)
        work = received + carried_in
        if left < CARRIED_FLOOR or left * CARRIED_SHARE <= work or not received or not handled:
            continue  # (nothing received or answered yet: a file still being filled in)
        hint = "结转下年度一般只是年底收到、尚未办结的少数申请；请核对本年新收和各项办理结果"
        digits = str(received)
        if len(digits) >= 2 and digits[-1] != digits[-2]:
            swapped = int(digits[:-2] + digits[-1] + digits[-2])
            if swapped < received and swapped + carried_in >= handled:
                hint += f"（本年新收 {received} 是否应为 {swapped}？）"
        out.append(source.problem(
            (section, leaf.key, received_key),
            f"「{leaf.key}」列结转下年度 {left} 件，占本年新收与上年结转之和 {work} 件的 "
            f"{round(100 * left / work)}%，多于四分之一",
            hint, key=True, severity=WARNING))
    return out


# What an evaluator calls empty: nothing, or only 「无」.
NOTHING = frozenset({"无", "无。", "暂无", "暂无。", "没有", "没有。", "无其他需要报告的事项", "无其他需要报告的事项。"})
EMPTY_SECTION = "这一部分没有内容（或只写了「无」）"


def empty_sections(report: model.Report) -> list[str]:
    """The narrative chapters with nothing (or only 「无」) in them, by input key:
    一, 五 and the office's own. The same words serve ``check`` and ``audit``."""
    fmt = report.fmt
    texts: dict[str, list[str]] = {
        fmt.section_key("overview"): [p for ps in report.overview.values() for p in ps]
        + [p for part in report.own.get("overview", []) for p in part.paragraphs],
        fmt.section_key("problems"): [p for ps in report.problems.values() for p in ps]
        + [p for part in report.own.get("problems", []) for p in part.paragraphs],
    }
    for key, chapter in report.chapters.items():
        texts[key] = chapter.intro + [p for part in chapter.parts for p in part.paragraphs]
    return [key for key, found in texts.items() if not [t for t in found if t.strip() not in NOTHING]]


def _empty_parts(source: Source, report: model.Report) -> list[Problem]:
    """Chapters and sub-headings with nothing under them: they are not printed."""
    fmt = report.fmt
    out = []
    summary_key, _ = summary_place(report)
    for key in empty_sections(report):
        if key == summary_key and not report.summary_off and key != fmt.section_key("problems"):
            continue  # the applications paragraph is printed there
        out.append(source.problem((key,), EMPTY_SECTION,
                                  "写上这一部分的内容；完全空着的部分不会印出，后面各部分的编号依次提前",
                                  rule="EVAL-01"))
    summary_heading = None if report.summary_off else summary_place(report)[1]
    for name in ("overview", "problems", "other"):
        for i, part in enumerate(report.own.get(name, [])):
            if part.heading and not part.paragraphs and part.heading != summary_heading:
                out.append(source.problem((fmt.section_key(name), S.OWN, i),
                                          f"小标题「{short(part.heading)}」下没有内容，不会印出",
                                          "在小标题后面写冒号和段落", severity=WARNING))
    for key, chapter in report.chapters.items():
        for i, part in enumerate(chapter.parts):
            if part.heading and not part.paragraphs and part.heading != summary_heading:
                out.append(source.problem((key, S.OWN, i), f"小标题「{short(part.heading)}」下没有内容，不会印出",
                                          "在小标题后面写冒号和段落", severity=WARNING))
    return out


def _title_warnings(source: Source, report: model.Report) -> list[Problem]:
    """An own title that lost the agency's name or the year."""
    if not report.title:
        return []
    title = "".join(report.title)
    out = []
    if report.agency not in title:
        out.append(source.problem((S.TITLE,), f"标题中没有机关名称「{short(report.agency)}」",
                                  "标题应写明机关全称，与「机关名称」一致", severity=WARNING))
    if f"{report.year}年" not in title:
        out.append(source.problem((S.TITLE,), f"标题中没有年度「{report.year}年」",
                                  "标题应写明报告年度", severity=WARNING))
    return out


def _unpaid(report: model.Report) -> int:
    row = next((path[-1] for path, leaf in report.fmt.request_rows.leaves() if leaf.role == "unpaid_fee"), None)
    return report.request_figure(row) if row else 0


def _fee_warnings(source: Source, report: model.Report) -> list[Problem]:
    """The fee statement of 六 against the fee figures and table 三's 逾期未缴费 row."""
    fmt = report.fmt
    other = fmt.section_key("other")
    fee_path = (other, S.FEE)
    unpaid = _unpaid(report)
    out = []
    if report.fee_notices == 0 and report.fee_amount:
        out.append(source.problem((*fee_path, S.FEE_NOTICES), "收取了信息处理费，收费通知件数却是 0",
                                  "请核对收费通知件数；没有统计时删去这一行", severity=WARNING))
    if unpaid and report.fee_notices is not None and report.fee_notices < unpaid:
        out.append(source.problem((*fee_path, S.FEE_NOTICES),
                                  f"表三有 {unpaid} 件因逾期未缴费不再处理，但只填了 {report.fee_notices} 件收费通知",
                                  "请核对「信息处理费」的收费通知件数", severity=WARNING))
    # The agency's own words: its 说明, or paragraphs of 事项 that speak of fees.
    own = [(fee_path + (S.FEE_TEXT,), report.fee_text)]
    own += [((other, S.ITEMS), [p]) for p in report.other_items if _mentions_fee(p)]
    own += [((other, S.OWN, i), part.paragraphs) for i, part in enumerate(report.own.get("other", []))
            if _mentions_fee(part.heading)]
    for path, texts in own:
        claim = narrative.fee_claim(texts)
        if claim is None:
            continue
        for reason in narrative.fee_contradictions(claim, report.fee_amount, report.fee_notices, unpaid):
            out.append(source.problem(path, f"信息处理费的说明与数字不一致：{reason}",
                                      "请核对说明文字和「信息处理费」下的数字", rule="TEXT-06"))
    if not report.fee_text and not report.fee_given and unpaid:
        out.append(source.problem((other,), f"表三有 {unpaid} 件因逾期未缴费不再处理，但没有填写信息处理费的情况",
                                  f"请在「{S.FEE}」下填写收费通知件数和收费金额", severity=WARNING))
    return out


def _mentions_fee(text: str) -> bool:
    return model.speaks_of_fees(text)


def _narrative_warnings(source: Source, report: model.Report, data: dict,
                        last: model.Report | None = None) -> list[Problem]:
    """Figures of the clerk's own text against the tables (TEXT-01 … TEXT-05).

    With ``last`` (last year's report), only the changes the text states against
    last year: the rest was said when the file itself was checked."""
    fmt = report.fmt
    texts: dict[tuple, str] = {}

    def collect(path: tuple, value: Any) -> None:
        if isinstance(value, str):
            texts[path] = value
        elif isinstance(value, list):
            for i, item in enumerate(value):
                collect((*path, i), item)
        elif isinstance(value, dict):
            for key, item in value.items():
                collect((*path, key), item)

    for key in [fmt.section_key(s) for s in ("overview", "problems", "other")] + [c.key for c in fmt.own_chapters]:
        collect((key,), data.get(key) or {})
    collect((S.OPENING,), data.get(S.OPENING))
    found = narrative.check(report, texts) if last is None else narrative.changes(report, last, texts)
    return [source.problem(f.path, f.message, f.hint, rule=f.rule, values=(f.stated, f.expected)) for f in found]


def _structure_checks(source: Source, report: model.Report) -> list[Problem]:
    """Own sub-headings: named once each; the applications sentence under one of them."""
    fmt = report.fmt
    out = []
    groups = [((fmt.section_key(name), S.OWN), report.own.get(name, [])) for name in ("overview", "problems", "other")]
    groups += [((key, S.OWN), chapter.parts) for key, chapter in report.chapters.items()]
    for where, own_parts in groups:
        seen: set[str] = set()
        for i, part in enumerate(own_parts):
            path = (*where, i)
            if not part.heading:
                out.append(source.problem(path, "小标题不能为空", "在「- 」后面写小标题，再写冒号和段落"))
            elif part.heading in seen:
                out.append(source.problem(path, f"小标题「{short(part.heading)}」重复出现", "合并成一个小标题"))
            seen.add(part.heading)
    if report.summary_under:
        headings = [a.label for a in fmt.overview_aspects] + [p.heading for p in report.own.get("overview", [])]
        headings += [h for key, chapter in report.chapters.items() for h in (key, *(p.heading for p in chapter.parts))]
        if report.summary_under not in headings:
            own = [p.heading for p in report.own.get("overview", [])]
            close = difflib.get_close_matches(report.summary_under, headings, n=1, cutoff=0.4)
            hint = f"是不是「{close[0]}」？" if close else ("可选：" + "、".join(own or headings))
            out.append(source.problem((fmt.section_key("overview"), S.SUMMARY_UNDER),
                                      f"没有叫「{short(report.summary_under)}」的小标题或部分", hint))
    return out


__all__ = ["Checked", "check_file", "check_bytes", "ERROR", "WARNING"]
