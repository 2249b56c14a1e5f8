"""What each command shows a person: `Section`s of `Table`s built from its typed result, by
command family (compare, chips, what-if, checks, mix). `SECTIONS` registers each `Command`'s."""

from __future__ import annotations

from typing import Any, Callable

from ...documents import Command
from ..layout import Section
from .cashflow import cashflow_sections
from .checks import diff_sections, explain_sections, validate_sections
from .chips import chips_sections, levy_sections
from .compare import breakevens_sections, compare_sections
from .mix import mix_sections
from .whatif import seek_sections, simulation_sections, sweep_sections, tornado_sections

SECTIONS: dict[Command, Callable[[Any], list[Section]]] = {
    Command.COMPARE: compare_sections,
    Command.BREAKEVENS: breakevens_sections,
    Command.CHIPS: chips_sections,
    Command.LEVY: levy_sections,
    Command.VALIDATE: validate_sections,
    Command.DIFF: diff_sections,
    Command.EXPLAIN: explain_sections,
    Command.SEEK: seek_sections,
    Command.SWEEP: sweep_sections,
    Command.TORNADO: tornado_sections,
    Command.SIMULATION: simulation_sections,
    Command.CASHFLOW: cashflow_sections,
    Command.MIX: mix_sections,
}
