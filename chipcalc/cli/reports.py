"""Commands about scenario files as a whole: report, diff (a CI gate too), explain."""

import functools
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import ExitCode, UsageError
from ..fileio import holds, temporary_files, write_atomic
from ..render import OutputFormat
from ..safe import printable, quoted
from ..values import counted
from .common import (FormatOption, JobsOption, OrderOption, OutputOption, ScenarioArg, ScenarioArgs, SetOption,
                     command, emit, error_boundary, load_all, load_each, values)

if TYPE_CHECKING:
    from ..loader import ScenarioLoader
    from ..render.reports import Report
    from ..scenario import Scenario

app = typer.Typer()


@command(app)
def report(
    scenarios: ScenarioArgs = None,
    out: Annotated[Path, typer.Option("--out", metavar="DIR", help="The report directory.",
                                      show_default=False)] = ...,  # type: ignore[assignment]
    set_: SetOption = None,
    format_: Annotated[OutputFormat, typer.Option("--format", "-f", help="markdown or json reports.")]
    = OutputFormat.markdown,
    check: Annotated[bool, typer.Option("--check", help="Write nothing; exit 1 when a report on disk is "
                                        "missing, stale or orphaned (listed in index.md by an earlier run, "
                                        "given by no scenario now).")] = False,
    jobs: JobsOption = None,
) -> None:
    """Write one report per scenario and an index.md linking them, each with a one-line verdict.

    A report has the scenario's title and description, its assumptions, platforms and orders
    with their sources and dates, the chip tables, the comparison and breakevens of every
    order, the levy totals and any collapsed ranges. Files are written whole or not at all,
    and are byte-identical for identical input, so reports can be committed and checked in CI.
    The index is the directory's manifest: a report it lists that no scenario gives any more is
    removed; other files in DIR (a README.md) are left alone.

    Examples:

      chipcalc report scenarios/*.yaml --out reports

      chipcalc report scenarios/*.yaml --out reports --check
    """
    from ..loader import check_unique_names
    from ..render.reports import report_files  # before the files are shared out: no worker imports it

    with error_boundary():
        if format_ not in (OutputFormat.markdown, OutputFormat.json):
            raise UsageError(f"report --format takes markdown or json, not {format_.value}")
        reports = values(load_each(scenarios, set_, functools.partial(_report_of, format_.value), jobs))
        check_unique_names([report.scenario for report in reports])  # as load_all: before the stems
        files = report_files(reports, format_.value)
        leftovers = _leftovers(out, files, format_.value if format_ is OutputFormat.json else "md")
        if check:
            problems = _stale_reports(out, files) + [f"{path}: {why}" for path, why in leftovers]
            if problems:
                command = " ".join(["chipcalc report", *(scenarios or []), "--out", str(out)]
                                   + (["-f", "json"] if format_ is OutputFormat.json else []))
                sys.stderr.write("".join(f"{printable(line)}\n" for line in problems)
                                 + f"update them with: {command}\n")
                raise typer.Exit(ExitCode.CHECK_FAILED)
            verb = "is" if len(files) == 1 else "are"
            sys.stderr.write(f"{counted(len(files), 'report')} in {out} {verb} up to date\n")
            return
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise UsageError(f"cannot create {out}: {error.strerror or error}") from None
        _remove(leftovers)  # before the new index is written, which no longer lists the orphans
        written = sum(write_atomic(out / name, text) for name, text in files.items())
        sys.stderr.write(_written(written, len(files) - written, out))


def _report_of(fmt: str, scenario: "Scenario") -> "Report":
    """One scenario's report, in whichever process loaded it (`load_each`)."""
    from ..model import evaluate
    from ..render.reports import scenario_report

    return scenario_report(evaluate(scenario), fmt)


def _written(written: int, unchanged: int, out: Path) -> str:
    """What `report` says it did: the reports written, and those already up to date (left alone)."""
    if not unchanged:
        return f"wrote {counted(written, 'report')} to {out}\n"
    were = "was" if unchanged == 1 else "were"
    if not written:
        return f"{counted(unchanged, 'report')} in {out} {were} already up to date\n"
    return f"wrote {counted(written, 'report')} to {out}; {unchanged} {were} already up to date\n"


def _stale_reports(out: Path, files: dict[str, str]) -> list[str]:
    """What `report --check` finds of the reports the scenarios give: missing, or different."""
    problems = []
    for name, text in files.items():
        path = out / name
        if not path.is_file():
            problems.append(f"{path}: missing")
        elif not holds(path, text.encode("utf-8")):
            problems.append(f"{path}: stale (differs from what the scenarios give now)")
    return problems


def _leftovers(out: Path, files: dict[str, str], extension: str) -> list[tuple[Path, str]]:
    """The files of earlier runs that `report` removes, with why: reports the index on disk lists
    that no scenario gives now (the index is the manifest: other files in DIR are not chipcalc's),
    and temporary files left by an interrupted run."""
    from ..render.reports import listed_reports

    index = out / f"index.{extension}"
    try:
        listed = listed_reports(index.read_text(encoding="utf-8"), extension) if index.is_file() else []
    except (OSError, UnicodeDecodeError):
        listed = []  # an unreadable index is reported stale; it lists nothing chipcalc may remove
    found = [(out / name, "orphaned (listed in the index by an earlier run, given by no scenario now)")
             for name in listed if name not in files and (out / name).is_file()]
    if out.is_dir():  # what a killed write left: SIGKILL cannot be caught, so only a later run can find it
        found += [(path, "a temporary file left by an interrupted report")
                  for path in temporary_files(out, files)]
    return found


def _remove(leftovers: list[tuple[Path, str]]) -> None:
    for path, why in leftovers:
        try:
            path.unlink(missing_ok=True)
        except OSError as error:
            raise UsageError(f"cannot remove {printable(str(path))}: {error.strerror or error}") from None
        sys.stderr.write(f"removed {printable(str(path))}: {why}\n")


@command(app)
def diff(
    old: Annotated[str, typer.Argument(metavar="OLD", help="A scenario file, or REV:PATH at a git revision.",
                                       show_default=False)],
    new: Annotated[str, typer.Argument(metavar="NEW", help="A scenario file, or REV:PATH at a git revision.",
                                       show_default=False)],
    set_: SetOption = None,
    format_: FormatOption = None,
    output: OutputOption = None,
    fail_on_change: Annotated[bool, typer.Option("--fail-on-change",
                                                 help="Exit 1 when anything changed.")] = False,
    max_change: Annotated[str | None, typer.Option(
        "--max-change", metavar="RATE", show_default=False,
        help="Exit 1 when an outcome moves by more than RATE, a percentage (5%; exactly 5% passes): money "
             "and quantities relative to their old value, fractions in absolute points; or when the "
             "cheapest option or a breakeven's reason changes.")] = None,
) -> None:
    """What changed between two scenarios, inputs and outcomes; only what changed is listed.

    OLD and NEW are files or git revisions (`HEAD~1:scenarios/base.yaml`); a scenario read at a
    revision resolves its `extends` at that revision. As a CI gate, `--fail-on-change` or
    `--max-change 5%` exit 1 with a summary on stderr.

    Examples:

      chipcalc diff scenarios/h200-2026.yaml scenarios/subsidy-lapses.yaml

      chipcalc diff main:scenarios/h200-2026.yaml scenarios/h200-2026.yaml -f markdown

      chipcalc diff HEAD~1:scenarios/h200-2026.yaml scenarios/h200-2026.yaml --max-change 5%
    """
    from ..analysis.diff import diff_results
    from ..documents import Command
    from ..documents.compare import outcomes
    from ..model import evaluate
    from ..render.sections.checks import show_outcome

    with error_boundary():
        limit = None if max_change is None else _max_change(max_change)
        from ..loader import ScenarioLoader

        files = ScenarioLoader()  # one for both: `diff - -` reads standard input once
        before, after = (evaluate(load_reference(argument, set_, files)) for argument in (old, new))
        changes = diff_results(before, after, outcomes)
        emit(changes, format_, output, view=Command.DIFF)
        if fail_on_change and changes.changed:
            sys.stderr.write(f"changed: {counted(len(changes.inputs), 'input')}, "
                             f"{counted(len(changes.outcomes), 'outcome')}\n")
            raise typer.Exit(ExitCode.CHECK_FAILED)
        if limit is not None:
            breaking = [c for c in changes.outcomes if c.exceeds(limit)]
            if breaking:
                sys.stderr.write(f"{counted(len(breaking), 'outcome')} moved more than "
                                 f"{max_change}:\n")
                sys.stderr.write("".join(f"  {c.where}: {c.field} {show_outcome(c.old, c.field)} -> "
                                         f"{show_outcome(c.new, c.field)}\n" for c in breaking))
                raise typer.Exit(ExitCode.CHECK_FAILED)


def _max_change(text: str) -> float:
    """--max-change as a fraction: a percentage, 0% or more. A bare number is refused, as 5 could mean
    5% or 500% (0.05 is 5% as a rate in a file)."""
    from ..values import parse_rate

    try:
        limit = parse_rate(text)
    except ValueError:
        raise UsageError(f"--max-change must be a percentage such as 5% (got {quoted(text)})") from None
    if not text.strip().endswith("%"):
        raise UsageError(f"--max-change {quoted(text)}: write it as a percentage, such as 5%: a bare number "
                         "is ambiguous (is 5 five percent, or 500%?)")
    if limit < 0:
        raise UsageError(f"--max-change must be 0% or more (got {quoted(text)}): it bounds a move either way, "
                         "up or down")
    return limit


def load_reference(argument: str, sets: list[str] | None, files: "ScenarioLoader") -> "Scenario":
    """A scenario from a file (or `-`, standard input) read by `files`, or from `REV:PATH` at a git
    revision."""
    from ..loader.git import GitSource, split_revision
    from ..loader import ScenarioLoader

    at_revision = split_revision(argument)
    if at_revision is None:
        return files.load(argument, sets or ())
    source = GitSource.open(at_revision[0])
    return ScenarioLoader(source).load(source.path(at_revision[1]), sets or ())


@command(app)
def explain(
    context: typer.Context,
    scenario: ScenarioArg = None,
    metric: Annotated[str, typer.Argument(metavar="METRIC", help="A field of the compare JSON: tco_usd, "
                                          "buyer_price_usd, breakeven.levy_rate, ...")] = "tco_usd",
    order: OrderOption = None,
    chip: Annotated[str | None, typer.Option("--chip", metavar="CHIP", show_default=False,
                                             help="The option (default: the order's chip; for a breakeven, "
                                                  "the cheapest other option).")] = None,
    set_: SetOption = None,
    format_: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """How one number was computed: its formula, each term's value, and where each input came from.

    Every input is traced to the file and line that set it (or an inherited parent, `--set`, or a
    default) with its `source:`. METRIC is a field of the compare JSON; per-order fields (spend_usd,
    levy_usd, ...) are explained for the order unless --chip names an option. With METRIC alone
    (`chipcalc explain vs_order`), the built-in scenario's.

    Examples:

      chipcalc explain scenarios/h200-2026.yaml tco_usd --chip ascend_910c

      chipcalc explain scenarios/levy-passed-through.yaml breakeven.levy_rate

      chipcalc explain scenarios/article-check.yaml levy_usd --order h20-same-spend
    """
    from ..analysis.explain import explain as explain_metric
    from ..documents import Analysis, Command

    with error_boundary():
        # by name: Typer 0.28 brings a click of its own, whose enum is not click's
        given = getattr(context.get_parameter_source("metric"), "name", None) != "DEFAULT"
        scenario, metric = _scenario_and_metric(scenario, metric if given else None)
        (result,) = load_all([scenario] if scenario else None, set_)
        explanation = Analysis(explain_metric(result, metric, order, chip), result.scenario)
        emit(explanation, format_, output, view=Command.EXPLAIN)


def _scenario_and_metric(scenario: str | None, metric: str | None) -> tuple[str | None, str]:
    """SCENARIO and METRIC as `explain` reads them: a first argument that names no file but a metric is
    the metric, of the built-in scenario (as `compare` with no file compares the built-in one)."""
    import os

    from ..analysis.explain import METRICS
    from ..loader.sources import STDIN

    if scenario is None or scenario == STDIN or scenario not in METRICS or os.path.exists(scenario):
        return scenario, metric or "tco_usd"
    if metric is None:
        return None, scenario
    raise UsageError(f"{printable(scenario)} is a metric, not a scenario file: the file comes first, "
                     f"e.g. chipcalc explain {printable(metric)} {printable(scenario)}")
