"""`chipcalc report`: the files of a report directory, as names and contents.

Pure: the CLI writes them (atomically) or checks them against the disk.
"""

from __future__ import annotations

from ..errors import UsageError
from ..model import ScenarioResult
from . import views
from .machine import render_json
from .markdown import render_markdown


def report_files(results: list[ScenarioResult], fmt: str) -> dict[str, str]:
    """{file name: content} for every scenario and the index; `fmt` is markdown or json."""
    extension = "json" if fmt == "json" else "md"
    names: dict[str, str] = {}
    for result in results:
        name = result.scenario.name
        if name in names:
            raise UsageError(f"two scenarios are named '{name}' ({names[name]} and {result.scenario.file}): "
                             "give one a different `name:`")
        names[name] = result.scenario.file
    files = {}
    for result in results:
        if extension == "json":
            files[f"{result.scenario.name}.json"] = render_json(views.report_document(result))
        else:
            title = result.scenario.title or result.scenario.name
            files[f"{result.scenario.name}.md"] = render_markdown(views.report_sections(result), title=title)
    files[f"index.{extension}"] = _index(results, extension)
    return files


def _index(results: list[ScenarioResult], extension: str) -> str:
    if extension == "json":
        return render_json({"schema_version": views.SCHEMA_VERSION, "reports": [
            {"name": r.scenario.name, "title": r.scenario.title, "file": r.scenario.file,
             "report": f"{r.scenario.name}.json", "verdict": views.verdict(r)} for r in results]})
    lines = ["# chipcalc reports", "", "| scenario | title | verdict |", "|---|---|---|"]
    for r in results:
        title = (r.scenario.title or "").replace("|", "\\|")
        lines.append(f"| [{r.scenario.name}]({r.scenario.name}.md) | {title} | {views.verdict(r)} |")
    return "\n".join(lines) + "\n"
