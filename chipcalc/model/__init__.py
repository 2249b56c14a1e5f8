"""The formulas of MODEL.md (version 2), and nothing else.

The formula functions use plain arithmetic, so the same code evaluates one scenario (floats) or
many sampled ones (numpy arrays broadcast through `+ - * /`); the one exponential, discounting,
goes through `discount`, which takes numpy's functions for arrays. Choices between cases
(breakeven reasons, sorting) are made at the edges, in `evaluate`, on floats.

    discount.py   time value: a(t0, t1) and the lifetime factor A
    chip.py       per chip: levy and buyer price, attainable throughput, running costs, k
    breakeven.py  the six breakevens of switching from the order's chip to an option
    order.py      per order: demand, every chip as an option, totals; `evaluate`
"""

from .breakeven import (EDGE_TOLERANCE, ZERO_TOLERANCE, Breakeven, Breakevens, Switch, breakevens,
                        difference)
from .chip import (HOURS_PER_YEAR, MONTHS_PER_YEAR, ChipFigures, attainable_tflops, chip_figures,
                   levy_and_price, migration_cost, tpp)
from .discount import lifetime_factor, present_value_factor
from .figure import Figure, shown_kinds
from .order import (LevyTotal, Option, OrderResult, ScenarioResult, compare, evaluate, evaluate_chips,
                    option_figures, order_demand, order_figures, order_units, tco)

__all__ = [
    "EDGE_TOLERANCE", "HOURS_PER_YEAR", "MONTHS_PER_YEAR", "ZERO_TOLERANCE", "Breakeven", "Breakevens",
    "ChipFigures", "Figure", "LevyTotal", "Option", "OrderResult", "ScenarioResult", "Switch",
    "attainable_tflops", "breakevens", "chip_figures", "compare", "difference", "evaluate",
    "evaluate_chips", "levy_and_price", "lifetime_factor", "migration_cost", "option_figures",
    "order_demand", "order_figures", "order_units", "present_value_factor", "shown_kinds", "tco", "tpp",
]
