"""`chipcalc report`: the files of a report directory, as names and contents.

Pure: the CLI writes them (atomically) or checks them against the disk. The index is the
directory's manifest: the reports it lists are chipcalc's, and one that a later run no longer gives
is an orphan, which `report` removes; any other file in the directory (a README.md) is left alone.
"""

from __future__ import annotations

import json
import re
from typing import NamedTuple

from ..documents import SCHEMA_VERSION
from ..documents.chips import report_document
from ..loader import Named, check_report_names, named
from ..model import ScenarioResult
from ..safe import markdown_inline, stem_problem
from ..values import human_money, human_rate
from .json_csv import render_json
from .markdown import render_markdown
from .sections.chips import report_sections


class Report(NamedTuple):
    """One scenario's report and its line in the index: text only, so that a worker process hands it
    back cheaply (`batch`)."""

    scenario: Named
    title: str | None
    verdict: str
    text: str


def scenario_report(result: ScenarioResult, fmt: str) -> Report:
    """The report of one evaluated scenario; `fmt` is markdown or json."""
    scenario = result.scenario
    if fmt == "json":
        text = render_json(report_document(result))
    else:
        text = render_markdown(report_sections(result), title=scenario.title or scenario.name)
    return Report(named(scenario), scenario.title, verdict(result), text)


def report_files(reports: list[Report], fmt: str) -> dict[str, str]:
    """{file name: content} for every report and the index; `fmt` is markdown or json."""
    extension = "json" if fmt == "json" else "md"
    check_report_names([report.scenario for report in reports])  # each report's file name is its name
    files = {f"{report.scenario.name}.{extension}": report.text for report in reports}
    files[f"index.{extension}"] = _index(reports, extension)
    return files


def verdict(result: ScenarioResult) -> str:
    """A one-line summary for the index: the cheapest option of each order and the levy paid."""
    parts = [f"{o.order.name}: cheapest {o.cheapest.chip} ({human_money(o.cheapest.tco_usd)} TCO, "
             + ("the order's chip" if o.cheapest.is_order_chip else
                f"{human_rate(o.cheapest.vs_order)} vs {o.order.chip}") + ")" for o in result.orders]
    return "; ".join(parts + [f"levy paid {human_money(result.total.levy_usd)}"])


def _index(reports: list[Report], extension: str) -> str:
    if extension == "json":
        return render_json({"schema_version": SCHEMA_VERSION, "reports": [
            {"name": r.scenario.name, "title": r.title, "file": r.scenario.file,
             "report": f"{r.scenario.name}.json", "verdict": r.verdict} for r in reports]})
    lines = ["# chipcalc reports", "", "| scenario | title | verdict |", "|---|---|---|"]
    for r in reports:  # a name is a plain file stem (the loader checks it), so it needs no escaping as a link
        cells = (markdown_inline(r.title or ""), markdown_inline(r.verdict))
        lines.append(f"| [{r.scenario.name}]({r.scenario.name}.md) | {cells[0]} | {cells[1]} |")
    return "\n".join(lines) + "\n"


_INDEX_ROW = re.compile(r"\| \[(?P<name>[^\]]+)\]\((?P=name)\.md\) \|")
"""A report's row in index.md, as `_index` writes it."""


def listed_reports(index_text: str, extension: str) -> list[str]:
    """The report files an index written by `report` lists (none from text it did not write). Only
    plain names count, so an edited index cannot name a file outside the directory."""
    if extension == "json":
        try:
            reports = json.loads(index_text)["reports"]
            names = [entry["report"] for entry in reports]
        except (ValueError, TypeError, KeyError):
            return []
    else:
        names = [f"{m['name']}.md" for m in map(_INDEX_ROW.match, index_text.splitlines()) if m]
    suffix = f".{extension}"
    return [name for name in names if isinstance(name, str) and name.endswith(suffix)
            and stem_problem(name[:-len(suffix)]) is None]
