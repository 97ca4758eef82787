"""The ``mkreport`` command: a thin click shell over :mod:`generator.api`.

Exit codes: 0 success, 1 invalid input (or an output that cannot be
written), 2 usage error. Every message a user reads is Chinese; no traceback
reaches the user for anything they typed.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import sys
import unicodedata
from pathlib import Path

import click

from generator import __version__
from generator.errors import InputError, MkreportError, Problem, one_line, printable

# Each command imports what it needs: `mkreport check` starts fast enough for an
# editor to run it on every save.

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2


def _say(message: str, err: bool = False) -> None:
    """A message for the terminal: names and text from a unit's files are escaped."""
    click.echo(printable(message), err=err)


def _say_problems(problems: list[Problem], outcome: str = "未生成文件") -> None:
    """Each problem, then the count of errors and what that meant (``outcome``)."""
    errors = [p for p in problems if p.is_error]
    for problem in problems:
        click.echo(str(problem), err=True)
    if errors:
        click.echo(f"共 {len(errors)} 处错误，{outcome}。", err=True)


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


_NO_LINE_START = set("，。、；：）」』？！,.;:)]")


def _pieces(text: str) -> list[str]:
    """Words that a line may not break inside: a run of Latin letters, digits and
    marks (「LibreOffice」, 「.docx」), or one Chinese character with any closing
    punctuation after it."""
    pieces: list[str] = []
    for ch in text:
        if pieces and ((ch.isascii() and not ch.isspace() and pieces[-1][-1].isascii()
                        and not pieces[-1][-1].isspace()) or ch in _NO_LINE_START):
            pieces[-1] += ch
        else:
            pieces.append(ch)
    return pieces


def _wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` columns, broken between words."""
    lines, line, used = [], "", 0
    for piece in _pieces(text):
        w = _width(piece)
        if used + w > width and line:
            lines.append(line.rstrip())
            line, used = "", 0
            if piece.isspace():
                continue
        line += piece
        used += w
    lines.append(line.rstrip())
    return lines


class _Formatter(click.HelpFormatter):
    """Help text in Chinese, its columns aligned by how wide the characters print."""

    SECTIONS = {"Options": "选项", "Commands": "命令", "Arguments": "参数"}

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args.replace("[OPTIONS]", "[选项]").replace("COMMAND", "命令")
                            .replace("[ARGS]...", "[参数]..."), prefix="用法：")

    def section(self, name: str):  # noqa: ANN201 - click's context manager
        return super().section(self.SECTIONS.get(name, name))

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:  # noqa: ANN001
        rows = list(rows)
        first = min(max((_width(term) for term, _ in rows), default=0), col_max)
        text_width = max(self.width - self.current_indent - first - col_spacing, 20)
        for term, text in rows:
            self.write(" " * self.current_indent + term)
            if not text:
                self.write("\n")
                continue
            if _width(term) <= first:
                self.write(" " * (first - _width(term) + col_spacing))
            else:
                self.write("\n" + " " * (first + col_spacing + self.current_indent))
            lines = _wrap(" ".join(text.split()), text_width)
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(" " * (first + col_spacing + self.current_indent) + line + "\n")


# What a value is, as the help shows it after an option or in the usage line.
_ARGUMENT_NAMES = {"source": "输入文件", "units": "单位文件...", "folder": "文件夹"}


def _metavar(param_type: click.ParamType) -> str:
    if isinstance(param_type, click.Path):
        return "文件夹" if not param_type.file_okay else "文件" if not param_type.dir_okay else "路径"
    if isinstance(param_type, (click.IntRange, click.FloatRange)) or param_type in (click.INT, click.FLOAT):
        return "数字"
    if isinstance(param_type, click.Choice):
        return "[" + "|".join(map(str, param_type.choices)) + "]"
    return "文字"


class _Option(click.Option):
    """An option whose help is all Chinese: its value named in Chinese, 「必填」,
    and no English range (each help text says the range in words)."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        if self.metavar is None and not self.is_flag:
            self.metavar = _metavar(self.type)

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        record = super().get_help_record(ctx)
        if record is None:
            return None
        term, text = record
        text = re.sub(r"  \[([^\[\]]*)\]$", lambda m: _extra(m.group(1)), text)
        return term, text


def _extra(extra: str) -> str:
    parts = [p for p in extra.split("; ") if "<" not in p and ">" not in p]
    parts = ["必填" if p == "required" else p for p in parts]
    return f"  ［{'；'.join(parts)}］" if parts else ""


class _Argument(click.Argument):
    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        if self.metavar is None and self.name in _ARGUMENT_NAMES:
            self.metavar = _ARGUMENT_NAMES[self.name]


def _option(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
    return click.option(*args, cls=_Option, **kwargs)


def _argument(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
    return click.argument(*args, cls=_Argument, **kwargs)


class _Context(click.Context):
    formatter_class = _Formatter


class _Command(click.Command):
    context_class = _Context


class _DefaultGroup(click.Group):
    """``mkreport FILE ...`` means ``mkreport render FILE ...``."""

    context_class = _Context
    command_class = _Command

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            _mistyped_command(args[0], list(self.commands))
            args = ["render", *args]
        return super().parse_args(ctx, args)


def _mistyped_command(word: str, commands: list[str]) -> None:
    """``mkreport chek x.yaml``: a word close to a command that is no file is a slip."""
    if len(word) > 20 or "." in word or "/" in word or "\\" in word or Path(word).exists():
        return
    close = difflib.get_close_matches(word.lower(), commands, n=1, cutoff=0.6)
    if close:
        raise click.UsageError(f"没有「{word}」这个命令，是不是 {close[0]}？")
    if word.isascii() and word.isalpha():
        raise click.UsageError(f"没有「{word}」这个命令，也没有叫这个名字的文件。"
                               f"可用的命令：{'、'.join(sorted(commands))}")


_help = click.help_option("-h", "--help", help="显示本帮助并退出")


@click.group(cls=_DefaultGroup)
@_help
@click.version_option(__version__, "-V", "--version", message="mkreport %(version)s", help="显示版本号并退出")
def cli() -> None:
    """由 YAML 文件生成标准格式的政府信息公开工作年度报告。

    \b
    常用：
      mkreport 单位.yaml -o 报告.docx    生成报告
      mkreport check 单位.yaml           只检查，不生成
    """


REFERENCE_HELP = "参考文档（.docx），提供样式、页面设置和页码；默认用 mkreport 自带的参考文档"
DEADLINE_HELP = ("发布期限：报告年度次年的几月几日，如 01-31；发布日期晚于这一天时给出警告。"
                 "默认为 03-31，即次年 3 月 31 日")


def _deadline(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[int, int] | None:
    """「--deadline 01-31」 as (1, 31)."""
    if value is None:
        return None
    from generator.checks.evaluator import parse_deadline

    try:
        return parse_deadline(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx, param) from None


@cli.command("render")
@_help
@_argument("source", type=click.Path(path_type=Path))
@_option("-o", "--output", type=click.Path(path_type=Path),
              help="输出文件：.docx（Word）、.html（网页）、.pdf（需要 LibreOffice）、"
                   ".svg 或 .png（报告图解），按扩展名决定；不写时生成与输入文件同名的 .docx")
@_option("--reference-doc", "reference", type=click.Path(path_type=Path, dir_okay=False),
              help=REFERENCE_HELP)
@_option("--format-file", "variant", type=click.Path(path_type=Path, dir_okay=False),
              help="地方格式变体文件（YAML），可调整表头措辞")
@_option("--previous", type=click.Path(path_type=Path, dir_okay=False),
              help="上年度的报告（YAML，或 Word、网页、PDF 版），核对上年结转等数字（也可在文件中写「上年报告」）")
@_option("--strict", is_flag=True, help="把警告也当作错误")
@_option("--theme", type=click.Choice(["red", "blue"]), default="red",
              help="图解（.svg、.png）的配色：red 红金（默认），blue 政务蓝")
@_option("--scale", type=click.FloatRange(0.5, 4), default=1.0, metavar="倍数",
              help="图解 PNG 的放大倍数（0.5～4）：默认 1，为 750 像素宽（手机）；2 用于印刷")
def render_command(source: Path, output: Path | None, reference: Path | None,
                   variant: Path | None, previous: Path | None, strict: bool, theme: str, scale: float) -> None:
    """由输入文件（YAML）生成年度报告；输出为 .svg 或 .png 时生成报告图解。"""
    from generator import api

    output = output or source.with_suffix(".docx")
    try:
        checked = api.build(source, output, reference=reference, variant=variant,
                            previous=previous, strict=strict, theme=theme, scale=scale)
    except InputError as exc:
        _say_problems(exc.problems)
        sys.exit(EXIT_INPUT)
    _say_problems(checked.warnings)
    _say(f"已生成 {output}")
    for notice in checked.notices:
        _say(f"提示：{one_line(notice)}", err=True)


@cli.command("check")
@_help
@_argument("source", type=click.Path(path_type=Path))
@_option("--format-file", "variant", type=click.Path(path_type=Path, dir_okay=False),
              help="地方格式变体文件（YAML），可调整表头措辞")
@_option("--previous", type=click.Path(path_type=Path, dir_okay=False),
              help="上年度的报告（YAML，或 Word、网页、PDF 版），核对上年结转等数字（也可在文件中写「上年报告」）")
@_option("--strict", is_flag=True, help="把警告也当作错误")
@_option("--deadline", metavar="月-日", callback=_deadline, help=DEADLINE_HELP)
def check_command(source: Path, variant: Path | None, previous: Path | None, strict: bool,
                  deadline: tuple[int, int] | None) -> None:
    """只检查输入文件，不生成报告：列出计算出的表三、表四总数和所有问题。"""
    from generator.checks import evaluator
    from generator.checks.validate import check_file
    from generator.rendering import summary

    with evaluator.deadline(deadline):
        checked = check_file(source, variant=variant, previous=previous)
    if checked.report is not None:
        # The labels may be a province's wording from the input file.
        _say(summary.requests_table(checked.report) + "\n")
        _say(summary.appeals_table(checked.report) + "\n")
    _say_problems(checked.problems, "请改正后再生成报告")
    n = len(checked.warnings)
    if checked.errors:
        sys.exit(EXIT_INPUT)
    if strict and checked.warnings:
        click.echo(f"检查完毕：{n} 条警告（--strict 时警告也按错误处理）。", err=True)
        sys.exit(EXIT_INPUT)
    click.echo("检查通过" + (f"（{n} 条警告）。" if n else "。"))


@cli.command("init")
@_help
@_option("--year", type=click.IntRange(1900, 9999), help="报告年度；默认为上一年，或上年报告的下一年")
@_option("--from", "previous", type=click.Path(path_type=Path, dir_okay=False),
              help="上年度的报告（YAML，或 Word、网页、PDF 版）：带入机关名称、联系方式和上年结转等数字")
@_option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="写入的文件；不写时输出到屏幕")
@_option("--force", is_flag=True, help="覆盖已有的文件")
def init_command(year: int | None, previous: Path | None, output: Path | None, force: bool) -> None:
    """生成一份带中文注释的空白输入文件（每个键都列出，数字为 0）。"""
    from generator import api

    if output is not None:
        api.check_destination(output, [previous])
    text, schema_text = api.starter(year, previous, output)
    if output is None:
        click.echo(text, nl=False)
        return
    if output.exists() and not force:
        raise MkreportError(f"{output} 已经存在，为避免覆盖没有写入。换一个文件名，或加 --force")
    api.write_starter(output, text, schema_text, inputs=[previous])
    _say(f"已生成 {output}（编辑器提示文件：{output.parent / api.SCHEMA_NAME}）")


@cli.command("merge")
@_help
@_argument("units", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@_option("--name", required=True, help="合并后报告的机关名称，如「乐清市人民政府」")
@_option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="写入的 YAML 文件；不写时输出到屏幕")
@_option("--force", is_flag=True, help="覆盖已有的文件")
def merge_command(units: tuple[Path, ...], name: str, output: Path | None, force: bool) -> None:
    """把多个单位的报告（YAML，或 Word、网页、PDF 版）合并成一份输入文件（各表数字相加），再由您补写文字部分。"""
    from generator import api

    if output is not None:
        api.check_destination(output, list(units))
    try:
        text = api.merge(list(units), name, output)
    except InputError as exc:
        _say_problems(exc.problems, "没有合并")
        sys.exit(EXIT_INPUT)
    if output is None:
        click.echo(text, nl=False)
        return
    if output.exists() and not force:
        raise MkreportError(f"{output} 已经存在，为避免覆盖没有写入。换一个文件名，或加 --force")
    api.write_starter(output, text, api.schema_text(), inputs=list(units))
    _say(f"已合并 {len(units)} 个单位，写入 {output}")


@cli.command("build")
@_help
@_argument("folder", type=click.Path(path_type=Path, file_okay=False, exists=True))
@_option("-o", "--outdir", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="输出文件夹（不存在时自动创建）")
@_option("--to", "kind", type=click.Choice(["docx", "html", "pdf"]), default="docx",
              help="输出类型，默认 docx")
@_option("--reference-doc", "reference", type=click.Path(path_type=Path, dir_okay=False),
              help=REFERENCE_HELP)
@_option("-j", "--jobs", type=click.IntRange(1, 64), metavar="个数", help="同时生成的进程数（1～64），默认为 CPU 核数")
@_option("--graphic", is_flag=True, help="同时在每份报告旁边生成报告图解（「名称-图解.png」）")
def build_command(folder: Path, outdir: Path, kind: str, reference: Path | None, jobs: int | None,
                  graphic: bool) -> None:
    """生成文件夹中每个 YAML 的报告；有错的文件跳过，最后列出。"""
    from generator import batch

    outdir.mkdir(parents=True, exist_ok=True)
    if graphic:
        from generator.rendering import graphic as graphic_module

        graphic_module.require_renderer()
    outcomes = batch.build_all(folder, outdir, "." + kind, reference, workers=jobs, graphic=graphic)
    failed = [o for o in outcomes if not o.ok]
    click.echo(f"共 {len(outcomes)} 个文件：成功 {len(outcomes) - len(failed)} 个，失败 {len(failed)} 个。",
               err=bool(failed))
    for outcome in failed:
        _say(f"  {one_line(outcome.source.name)}：{one_line(outcome.error)}", err=True)
    if failed:
        sys.exit(EXIT_INPUT)


@cli.command("import")
@_help
@_argument("report", type=click.Path(path_type=Path), metavar="报告文件")
@_option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="写入的 YAML 文件；不写时输出到屏幕")
@_option("--format-file", "variant", type=click.Path(path_type=Path, dir_okay=False),
              help="报告按地方格式变体印刷时，指定该变体文件")
@_option("--force", is_flag=True, help="覆盖已有的文件")
def import_command(report: Path, output: Path | None, variant: Path | None, force: bool) -> None:
    """把已发布的年度报告（.docx、网页 .html、带文字层的 PDF 或文本）读成输入文件（YAML）。"""
    from generator import api

    if output is not None:
        api.check_destination(output, [report, variant])
        if output.exists() and not force:
            raise MkreportError(f"{output} 已经存在，为避免覆盖没有写入。换一个文件名，或加 --force")
    text, notes = api.import_report(report, variant, output)
    for note in notes:
        _say(f"提示：{one_line(note)}", err=True)
    if output is None:
        click.echo(text, nl=False)
        return
    api.write_starter(output, text, api.schema_text(), inputs=[report, variant])
    _say(f"已读取 {report}，写入 {output}（请核对后运行 mkreport check {output}）")


@cli.command("audit")
@_help
@_argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True), metavar="文件或文件夹...")
@_option("--previous", type=click.Path(path_type=Path, dir_okay=False),
              help="上年度的报告（任一种可读取的形式）：核对上年结转、现行有效件数、大幅变化和照抄的段落")
@_option("--format-file", "variant", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="报告按地方格式变体印刷时，指定该变体文件（用于识别和检查每一份报告）")
@_option("--format", "kind", type=click.Choice(["text", "json", "csv"]), default="text",
              help="输出格式：text（中文列表，默认）、json、csv（每个问题一行）。"
                   "同一单位有不止一年的报告时，json 和 csv 另为每个单位加一行汇总：位置为「历年」，"
                   "文件一栏是单位名称，问题一栏写有哪些年度、缺少哪些年度、前后年度接不上几处；"
                   "json 的这一行另有 body（单位）、names（各年写法）、years（年度）、missing_years（缺少的年度）、"
                   "duplicate_years（有不止一份报告的年度）、breaks（接不上的处数）、files（文件）")
@_option("-j", "--jobs", type=click.IntRange(1, 64), metavar="个数", help="同时检查的进程数（1～64），默认为 CPU 核数")
@_option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
         help="把结果写入这个文件（已有时覆盖）；不写时输出到屏幕。csv 文件带 BOM，Excel 直接打开不会乱码")
@_option("--deadline", metavar="月-日", callback=_deadline, help=DEADLINE_HELP)
def audit_command(paths: tuple[Path, ...], previous: Path | None, variant: Path | None, kind: str,
                  jobs: int | None, output: Path | None, deadline: tuple[int, int] | None) -> None:
    """检查已发布的年度报告（文件或文件夹；Word、网页、PDF、文本或 YAML），像评估人员一样列出问题。

    \b
    给出多个文件或文件夹时，同一单位（机关名称前加不加省、市名都算同一单位）的
    各年度报告按年度排好，每相邻两年像 --previous 一样核对：上年结转与上年的
    结转下年度、现行有效件数（2021 年格式）、上一年项目数量（2019 年格式）、
    大幅变化和照抄的段落；并列出中间缺少的年度，以及同一年度的多份报告。
    """
    from generator import api, formats
    from generator.checks import audit

    if variant is not None:
        formats.load_file(variant)  # a broken variant file is said once, not once per report
    if output is not None:
        # Never over one of the reports being audited, also inside a folder.
        api.check_destination(output, [*audit.expand(list(paths)), previous, variant])
    result = audit.audit(list(paths), previous, variant, workers=jobs, deadline=deadline)
    text = audit.render(result.findings, kind, result.files, result.chains)
    # Excel on a Chinese Windows reads a CSV without a byte-order mark as GBK.
    data = ("\ufeff" + text if kind == "csv" else text).encode("utf-8")
    if output is not None:
        from generator.files import write_atomic

        write_atomic(output, data)
    elif kind == "csv" and not sys.stdout.isatty():
        # Redirected to a file (`> 问题.csv`): the same bytes, whatever the console's code page.
        binary = getattr(sys.stdout, "buffer", None)
        if binary is None:
            click.echo(data.decode("utf-8"), nl=False)
        else:
            sys.stdout.flush()
            binary.write(data)
            binary.flush()
    else:
        click.echo(text, nl=False)
    if kind != "text" or output is not None:
        _say(audit.summary(result.findings, result.files) + (f"结果已写入 {output}。" if output else ""), err=True)
    if any(f.severity == audit.ERROR for f in result.findings):
        sys.exit(EXIT_INPUT)


@cli.command("labels")
@_help
@_option("--year", type=click.IntRange(1900, 9999), help="报告年度，决定格式；默认为上一年")
@_option("--format-file", "variant", type=click.Path(path_type=Path, dir_okay=False),
              help="地方格式变体文件：列出按它调整后的文字")
def labels_command(year: int | None, variant: Path | None) -> None:
    """列出「表头调整」可以改的每一处文字：完整路径和现在印出的文字。"""
    from generator import api

    for path, text in api.labels(year, variant):
        _say(f"{one_line(path)}: {one_line(text)}")


@cli.command("schema")
@_help
def schema_command() -> None:
    """输出输入文件的 JSON Schema（供编辑器补全和检查）。"""
    from generator.reading import schema as S

    click.echo(json.dumps(S.combined(), ensure_ascii=False, indent=2))


@cli.command("serve")
@_help
@_argument("source", required=False, type=click.Path(path_type=Path, dir_okay=False))
@_option("--year", type=click.IntRange(1900, 9999), help="新文件的报告年度；默认为上一年")
@_option("--port", type=click.IntRange(0, 65535), default=0, help="端口；默认自动选一个空闲端口")
@_option("--host", default="127.0.0.1", help="监听的地址；默认只允许本机访问（127.0.0.1）")
@_option("--no-browser", is_flag=True, help="不自动打开浏览器")
def serve_command(source: Path | None, year: int | None, port: int, host: str, no_browser: bool) -> None:
    """在浏览器中填写报告：打开输入文件（YAML），没有时新建 年度报告.yaml。"""
    import webbrowser

    from generator.serving import server

    source = source or Path("年度报告.yaml")
    if not source.parent.is_dir():
        raise MkreportError(f"文件夹 {source.parent} 不存在")
    if source.suffix.lower() not in (".yaml", ".yml"):
        raise MkreportError(f"{source} 不是 YAML 文件。要从上年的 Word、PDF 或网页版报告开始，"
                            "先打开一个新文件，再把上年报告拖到页面上")
    if year is not None and source.exists():
        raise MkreportError(f"{source} 已经存在：--year 只用于新建文件；已有文件的年度请在页面上选择")
    try:
        session = server.Session(source, year)
    except InputError as exc:
        _say_problems(exc.problems, "没有打开")
        click.echo("请先在编辑器中改正以上错误，再用 mkreport serve 打开。", err=True)
        sys.exit(EXIT_INPUT)
    httpd = server.make_server(session, host, port)  # MkreportError, in Chinese, when it cannot listen there
    warning = server.exposure(httpd)
    if warning:
        _say(warning, err=True)
    url = server.address(httpd, session)
    state = "打开" if source.exists() else "新建（保存时写入）"
    click.echo(f"{state} {source}\n请在浏览器中打开：{url}\n填写完毕后按 Ctrl+C 结束。")
    if not no_browser:
        webbrowser.open(url)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:  # Ctrl+C is how the clerk ends it
        click.echo("已结束。" + session.farewell())
    finally:
        httpd.server_close()


_CLICK_MESSAGES = [
    (r"Invalid value for '(.+?)': ", r"参数 \1 的值不对："),
    (r"Invalid value for (.+?): ", r"参数 \1 的值不对："),
    (r"'(.*)' is not a valid integer( range)?\.?", r"「\1」不是整数"),
    (r"(-?\d+) is not in the range (-?\d+)<=x<=(-?\d+)\.?", r"\1 不在 \2 到 \3 之间"),
    (r"(-?\d+) is not in the range x>=(-?\d+)\.?", r"\1 应不小于 \2"),
    (r"'(.*)' is not one of (.+)\.", r"「\1」不是可选的值，可选：\2"),
    (r"'(.*)' is not (.+)\.", r"「\1」不是可选的值，可选：\2"),
    (r"Path '(.+)' does not exist\.?", r"路径不存在：\1"),
    (r"File '(.+)' is not readable\.?", r"文件不可读：\1"),
    (r"Directory '(.+)' is a file\.?", r"这是一个文件，不是文件夹：\1"),
    (r"Option '(.+)' does not take a value\.?", r"选项 \1 后面不能写值"),
    (r"Did you mean (.+)\?", r"是不是 \1？"),
    (r"\(Possible options: (.+)\)", r"（可能是：\1）"),
    (r"Missing argument '(.+)'", r"缺少参数 \1"),
    (r"Missing option '(.+)'", r"缺少选项 \1"),
    (r"No such option:? '?([^'.]+)'?\.?", r"没有这个选项：\1"),
    (r"No such command '(.+)'", r"没有这个命令：\1"),
    (r"Option '(.+)' requires an argument", r"选项 \1 后面需要一个值"),
    (r"Got unexpected extra arguments? \((.+)\)", r"多余的参数：\1"),
    (r"File '(.+)' does not exist\.?", r"文件不存在：\1"),
    (r"Directory '(.+)' does not exist\.?", r"文件夹不存在：\1"),
    (r"File '(.+)' is a directory\.?", r"这是一个文件夹，不是文件：\1"),
    (r"Option '(.+)' requires (\d+) arguments\.?", r"选项 \1 后面需要 \2 个值"),
]


def _usage_message(message: str) -> str:
    for pattern, chinese in _CLICK_MESSAGES:
        message = re.sub(pattern, chinese, message)
    return message


def main(argv: list[str] | None = None) -> None:
    """Entry point: every failure becomes a Chinese message and an exit code."""
    if not (sys.argv[1:] if argv is None else argv):
        argv = ["--help"]  # a bare `mkreport` shows what it can do
    for stream in (sys.stdout, sys.stderr):
        # A Windows console or a redirected file in GBK must not fail on a rare character.
        if hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="replace")
            except (ValueError, OSError):
                pass
    try:
        cli.main(args=argv, prog_name="mkreport", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("已取消。", err=True)
        sys.exit(EXIT_INPUT)
    except click.UsageError as exc:
        _say(f"用法错误：{_usage_message(exc.format_message())}", err=True)
        click.echo("运行 mkreport --help 查看用法。", err=True)
        sys.exit(EXIT_USAGE)
    except click.ClickException as exc:
        _say(f"错误：{_usage_message(exc.format_message())}", err=True)
        sys.exit(EXIT_INPUT)
    except MkreportError as exc:
        _say(f"错误：{exc}", err=True)
        sys.exit(EXIT_INPUT)
    except KeyboardInterrupt:
        click.echo("已取消。", err=True)
        sys.exit(EXIT_INPUT)
    except Exception as exc:  # a bug of ours: say so plainly, never show a traceback
        if os.environ.get("MKREPORT_DEBUG"):
            raise
        _say(f"mkreport 内部错误（{type(exc).__name__}: {exc}）。输入文件没有被修改，"
             "也没有写出报告。请把输入文件和这条信息发给维护人员。", err=True)
        sys.exit(EXIT_INPUT)
    sys.exit(EXIT_OK)


if __name__ == "__main__":
    main()
