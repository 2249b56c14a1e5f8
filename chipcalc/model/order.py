"""Per order (MODEL.md): the order's demand, and every chip as an option for it; the totals per
scenario; `evaluate`, the model's entry point. Cases (breakeven reasons, sorting) are decided
here, at the edge, on floats; the formulas work on floats and numpy arrays alike."""

from typing import Annotated, Any, Mapping, NamedTuple

from ..scenario import Order, Scenario, Workload
from ..spec import Kind
from .breakeven import Breakevens, Switch, breakevens
from .chip import HOURS_PER_YEAR, ChipFigures, chip_figures
from .figure import Figure


def order_units(order: Order, figures: ChipFigures) -> Figure:
    """n_a: the units given, or the units the budget buys at the buyer price."""
    return order.units if order.units is not None else order.budget_usd / figures.buyer_price_usd


def order_demand(order: Order, own: ChipFigures) -> tuple[Figure, Figure]:
    """n_a and D = n_a * e_a: the units the order buys and the effective compute they give."""
    units = order_units(order, own)
    return units, units * own.effective_tflops_per_unit


def tco(demand: Figure, figures: ChipFigures) -> Figure:
    """T_c = n_c * k_c + M_c with n_c = D / e_c: the cost of meeting `demand` with this chip."""
    return demand / figures.effective_tflops_per_unit * figures.cost_per_unit_usd + figures.migration_usd


class Option(NamedTuple):
    """One chip as a way to meet an order's demand; money is present value."""

    chip: str
    is_order_chip: bool
    units: Annotated[float, Kind.NUMBER]
    buyer_price_usd: Annotated[float, Kind.MONEY]
    levy_per_unit_usd: Annotated[float, Kind.MONEY]
    capex_usd: Annotated[float, Kind.MONEY]
    levy_usd: Annotated[float, Kind.MONEY]
    energy_usd: Annotated[float, Kind.MONEY]
    facility_usd: Annotated[float, Kind.MONEY]
    maintenance_usd: Annotated[float, Kind.MONEY]
    operations_usd: Annotated[float, Kind.MONEY]
    migration_usd: Annotated[float, Kind.MONEY]
    tco_usd: Annotated[float, Kind.MONEY]
    attainable_tflops_per_unit: Annotated[float, Kind.NUMBER]
    effective_tflops_per_unit: Annotated[float, Kind.NUMBER]
    tflops_per_kusd: Annotated[float, Kind.NUMBER]
    usd_per_effective_pflops: Annotated[float, Kind.MONEY]
    usd_per_effective_pflops_hour: Annotated[float, Kind.MONEY]
    usd_per_million_tokens: Annotated[float | None, Kind.MONEY]
    vs_order: Annotated[float, Kind.RATE]
    supply_shortfall_units: Annotated[float, Kind.NUMBER]
    breakeven: Breakevens | None

    @property
    def feasible(self) -> bool:
        return self.supply_shortfall_units <= 0


class OrderResult(NamedTuple):
    """One order: the units it buys and the compute they give (its demand), what is paid for them
    and the levy on it, and every chip as an option for the same demand."""

    order: Order
    units: Annotated[float, Kind.NUMBER]
    demand_tflops: Annotated[float, Kind.NUMBER]
    spend_usd: Annotated[float, Kind.MONEY]
    levy_usd: Annotated[float, Kind.MONEY]
    vendor_net_usd: Annotated[float, Kind.MONEY]
    options: tuple[Option, ...]
    """Cheapest first by TCO."""

    @property
    def cheapest(self) -> Option:
        return self.options[0]

    @property
    def own(self) -> Option:
        return next(option for option in self.options if option.is_order_chip)


class LevyTotal(NamedTuple):
    """What the orders of one chip (or of the whole scenario) spend, and how the spend divides
    between the levy and the vendor."""

    chip: str | None
    """None for the scenario's total."""
    spend_usd: Annotated[float, Kind.MONEY]
    levy_usd: Annotated[float, Kind.MONEY]
    vendor_net_usd: Annotated[float, Kind.MONEY]
    units: Annotated[float | None, Kind.NUMBER] = None
    """Units of the chip bought; None for the total, where units of different chips do not add."""


class ScenarioResult(NamedTuple):
    """A scenario evaluated (`evaluate`): the figures of every chip, every order with its options,
    and the levy totals by chip and overall."""

    scenario: Scenario
    chips: Mapping[str, ChipFigures]
    orders: tuple[OrderResult, ...]
    totals_by_chip: tuple[LevyTotal, ...]
    total: LevyTotal


def evaluate_chips(scenario: Scenario) -> dict[str, ChipFigures]:
    return {key: chip_figures(chip, scenario.assumptions, scenario.platforms, scenario.workload)
            for key, chip in scenario.chips.items()}


def evaluate(scenario: Scenario) -> ScenarioResult:
    """Evaluate a scenario: every chip, every order with every option, the totals."""
    figures = evaluate_chips(scenario)
    orders = tuple(_order_result(order, figures, scenario) for order in scenario.orders)
    by_chip = []
    for key in scenario.chips:
        mine = [result for result in orders if result.order.chip == key]
        if mine:
            by_chip.append(_levy_total(key, mine))
    return ScenarioResult(scenario, figures, orders, tuple(by_chip), _levy_total(None, orders))


compare = evaluate
"""The name of `evaluate` in chipcalc 0.1."""


def _levy_total(chip: str | None, orders: Any) -> LevyTotal:
    return LevyTotal(
        chip,
        sum(o.spend_usd for o in orders),
        sum(o.levy_usd for o in orders),
        sum(o.vendor_net_usd for o in orders),
        None if chip is None else sum(o.units for o in orders),
    )


def order_figures(order: Order, figures: Mapping[str, ChipFigures], workload: Workload) -> dict[str, Any]:
    """An order and every chip as an option for its demand, as plain arithmetic.

    Returns the order's `units`, `demand_tflops`, `spend_usd`, `levy_usd`,
    `vendor_net_usd` and, under `options`, each chip's fields by key. Works
    on floats and on numpy arrays alike.
    """
    own = figures[order.chip]
    units, demand = order_demand(order, own)
    own_tco = tco(demand, own)
    return {
        "units": units,
        "demand_tflops": demand,
        "spend_usd": units * own.buyer_price_usd,
        "levy_usd": units * own.levy_per_unit_usd,
        "vendor_net_usd": units * own.vendor_net_per_unit_usd,
        "options": {key: option_figures(demand, fig, own_tco, workload.flops_per_token)
                    for key, fig in figures.items()},
    }


def option_figures(demand: Figure, fig: ChipFigures, own_tco: Figure,
                   flops_per_token: Any = None) -> dict[str, Any]:
    """One chip as a way to meet `demand` (MODEL.md, per order: every chip as an option): every
    figure field of `Option`, by name, its chip's own figures (price, compute per unit) included."""
    units = demand / fig.effective_tflops_per_unit
    total = tco(demand, fig)
    pflops = demand / 1000
    supply = fig.chip.supply_units
    excess = units - (units if supply is None else supply)
    factor = fig.lifetime_factor
    return {
        "units": units,
        "buyer_price_usd": fig.buyer_price_usd,
        "levy_per_unit_usd": fig.levy_per_unit_usd,
        "capex_usd": units * fig.hardware_cost_usd,
        "levy_usd": units * fig.levy_per_unit_usd,
        "energy_usd": units * fig.energy_per_unit_usd,
        "facility_usd": units * (factor * fig.facility_per_year_usd),
        "maintenance_usd": units * (factor * fig.maintenance_per_year_usd),
        "operations_usd": units * (factor * fig.operations_per_year_usd),
        "migration_usd": fig.migration_usd,
        "tco_usd": total,
        "attainable_tflops_per_unit": fig.attainable_tflops,
        "effective_tflops_per_unit": fig.effective_tflops_per_unit,
        "tflops_per_kusd": fig.tflops_per_kusd,
        "usd_per_effective_pflops": total / pflops,
        # levelised: over the discounted hours of the life, as a levelised cost of electricity is
        "usd_per_effective_pflops_hour": total / (pflops * HOURS_PER_YEAR * factor),
        # tokens of the life: D TFLOP/s * 1e12 / phi FLOP a token, 3600 s an hour
        "usd_per_million_tokens": None if flops_per_token is None else
        total / (demand * 1e12 / flops_per_token * 3600 * HOURS_PER_YEAR * factor / 1e6),
        "vs_order": total / own_tco - 1,
        "supply_shortfall_units": (excess + abs(excess)) / 2,  # max(0, excess), arrays too
    }


def _order_result(order: Order, figures: Mapping[str, ChipFigures], scenario: Scenario) -> OrderResult:
    values = order_figures(order, figures, scenario.workload)
    own = figures[order.chip]
    own_tco = values["options"][order.chip]["tco_usd"]
    options = []
    for key, fields in values["options"].items():
        fig = figures[key]
        is_own = key == order.chip
        options.append(Option(
            chip=key,
            is_order_chip=is_own,
            breakeven=None if is_own else breakevens(
                Switch(values["demand_tflops"], own, values["units"], own_tco, fig, fields["units"],
                       fields["tco_usd"]), scenario.assumptions),
            **fields,
        ))
    options.sort(key=lambda option: (option.tco_usd, option.chip))
    return OrderResult(
        order=order,
        units=values["units"],
        demand_tflops=values["demand_tflops"],
        spend_usd=values["spend_usd"],
        levy_usd=values["levy_usd"],
        vendor_net_usd=values["vendor_net_usd"],
        options=tuple(options),
    )
