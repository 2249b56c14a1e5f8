"""`chipcalc report`: the files of a report directory, as names and contents.

Pure: the CLI writes them (atomically) or checks them against the disk.
"""

from __future__ import annotations

from ..documents import SCHEMA_VERSION
from ..documents.chips import report_document
from ..loader import check_report_names
from ..model import ScenarioResult
from ..safe import markdown_inline
from ..values import human_money, human_rate
from .json_csv import render_json
from .markdown import render_markdown
from .sections.chips import report_sections


def report_files(results: list[ScenarioResult], fmt: str) -> dict[str, str]:
    """{file name: content} for every scenario and the index; `fmt` is markdown or json."""
    extension = "json" if fmt == "json" else "md"
    check_report_names([result.scenario for result in results])  # each report's file name is its name
    files = {}
    for result in results:
        if extension == "json":
            files[f"{result.scenario.name}.json"] = render_json(report_document(result))
        else:
            title = result.scenario.title or result.scenario.name
            files[f"{result.scenario.name}.md"] = render_markdown(report_sections(result), title=title)
    files[f"index.{extension}"] = _index(results, extension)
    return files


def verdict(result: ScenarioResult) -> str:
    """A one-line summary for the index: the cheapest option of each order and the levy paid."""
    parts = [f"{o.order.name}: cheapest {o.cheapest.chip} ({human_money(o.cheapest.tco_usd)} TCO, "
             + ("the order's chip" if o.cheapest.is_order_chip else
                f"{human_rate(o.cheapest.vs_order)} vs {o.order.chip}") + ")" for o in result.orders]
    return "; ".join(parts + [f"levy paid {human_money(result.total.levy_usd)}"])


def _index(results: list[ScenarioResult], extension: str) -> str:
    if extension == "json":
        return render_json({"schema_version": SCHEMA_VERSION, "reports": [
            {"name": r.scenario.name, "title": r.scenario.title, "file": r.scenario.file,
             "report": f"{r.scenario.name}.json", "verdict": verdict(r)} for r in results]})
    lines = ["# chipcalc reports", "", "| scenario | title | verdict |", "|---|---|---|"]
    for r in results:  # a name is a plain file stem (the loader checks it), so it needs no escaping as a link
        cells = (markdown_inline(r.scenario.title or ""), markdown_inline(verdict(r)))
        lines.append(f"| [{r.scenario.name}]({r.scenario.name}.md) | {cells[0]} | {cells[1]} |")
    return "\n".join(lines) + "\n"
