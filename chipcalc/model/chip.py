"""Per chip (MODEL.md): buyer price and levy, attainable throughput, running costs a year, the
per-unit cost of ownership k = H + A * R."""

from typing import Annotated, Mapping, NamedTuple

from ..scenario import PRECISION_BITS, Assumptions, Chip, Platform, Workload
from ..spec import Kind
from .discount import lifetime_factor
from .figure import Figure

HOURS_PER_YEAR = 8760
MONTHS_PER_YEAR = 12


def tpp(tflops: Mapping[str, float]) -> float:
    """Total processing performance: the largest peak TFLOP/s x bit length over precisions."""
    return max(value * PRECISION_BITS[precision] for precision, value in tflops.items())


def migration_cost(platform: Platform | None) -> Figure:
    """M = migration_cost + engineer_months * cost_per_engineer_month (0 on the incumbent)."""
    if platform is None:
        return 0.0
    return platform.migration_cost_usd + platform.engineer_months * platform.cost_per_engineer_month_usd


def levy_and_price(chip: Chip, pass_through: Figure) -> tuple[Figure, Figure]:
    """(L, b): levy per unit and buyer price, with b - p = t * L.

    Share base: rho = r * s, b = p / (1 - t * rho), L = rho * b. Money base (a customs value
    V per unit): L = r * V, b = p + t * L.
    """
    if chip.levy_base_is_money:
        levy = chip.levy_rate * chip.levy_base
        return levy, chip.price_usd + pass_through * levy
    rho = chip.levy_rate * chip.levy_base
    price = chip.price_usd / (1 - pass_through * rho)
    return rho * price, price


def attainable_tflops(chip: Chip, precision: str, workload: Workload) -> Figure:
    """F' = min(F, B * I): peak throughput capped by memory bandwidth (a roofline) when the workload
    gives an arithmetic intensity; TB/s times FLOP/byte is TFLOP/s."""
    peak = chip.tflops[precision]
    if workload.arithmetic_intensity is None:
        return peak
    bound = chip.bandwidth_tbps * workload.arithmetic_intensity
    return (peak + bound - abs(peak - bound)) / 2  # min(peak, bound), arrays too


class ChipFigures(NamedTuple):
    """Per-unit figures of one chip (MODEL.md, per chip); lifetime figures are present values."""

    chip: Chip
    tflops: Annotated[Figure, Kind.NUMBER]
    """F: dense peak TFLOP/s at the scenario's precision."""
    attainable_tflops: Annotated[Figure, Kind.NUMBER]
    """F' = min(F, B * I): the peak the workload can reach."""
    effective_levy_rate: Annotated[Figure, Kind.RATE]
    """L / b: the levy as a share of the buyer price."""
    buyer_price_usd: Annotated[Figure, Kind.MONEY]
    levy_per_unit_usd: Annotated[Figure, Kind.MONEY]
    vendor_net_per_unit_usd: Annotated[Figure, Kind.MONEY]
    effective_tflops_per_unit: Annotated[Figure, Kind.NUMBER]
    """e = F' * u."""
    hardware_cost_usd: Annotated[Figure, Kind.MONEY]
    """H = b + h: paid at time 0."""
    power_draw: Annotated[Figure, Kind.RATE]
    electricity_usd_per_kwh: Annotated[Figure, Kind.MONEY]
    energy_per_year_usd: Annotated[Figure, Kind.MONEY]
    facility_per_year_usd: Annotated[Figure, Kind.MONEY]
    maintenance_rate: Annotated[Figure, Kind.RATE]
    maintenance_per_year_usd: Annotated[Figure, Kind.MONEY]
    operations_per_year_usd: Annotated[Figure, Kind.MONEY]
    running_cost_per_year_usd: Annotated[Figure, Kind.MONEY]
    """R = energy + facility + maintenance + operations, a year."""
    lifetime_factor: Annotated[Figure, Kind.NUMBER]
    """A: the present value of 1 USD a year over the life."""
    energy_per_unit_usd: Annotated[Figure, Kind.MONEY]
    """A * Ey: lifetime energy of one unit, present value."""
    cost_per_unit_usd: Annotated[Figure, Kind.MONEY]
    """k = H + A * R: the per-unit cost of ownership."""
    tflops_per_kusd: Annotated[Figure, Kind.NUMBER]
    migration_usd: Annotated[Figure, Kind.MONEY]
    """M: the one-time cost of moving the buyer's software to this chip's platform."""

    @property
    def tpp(self) -> float:
        return tpp(self.chip.tflops)

    @property
    def hardware_factor(self) -> Figure:
        """q = 1 + A * m: what one dollar of hardware costs over the life, maintenance included."""
        return 1 + self.lifetime_factor * self.maintenance_rate

    @property
    def running_cost_without_maintenance_usd(self) -> Figure:
        """X = A * (Ey + Fy + Oy), so that k = q * (b + h) + X."""
        return self.energy_per_unit_usd + self.lifetime_factor * self.facility_per_year_usd \
            + self.lifetime_factor * self.operations_per_year_usd


def _own_or(own: Figure | None, scenario_wide: Figure) -> Figure:
    """A chip's own value of an input, else the scenario's."""
    return scenario_wide if own is None else own


def chip_figures(chip: Chip, assumptions: Assumptions, platforms: Mapping[str, Platform],
                 workload: Workload | None = None) -> ChipFigures:
    workload = workload or Workload()
    levy, price = levy_and_price(chip, assumptions.levy_pass_through)
    attainable = attainable_tflops(chip, assumptions.precision, workload)
    effective = attainable * chip.utilization
    hardware = price + chip.host_cost_usd
    draw = _own_or(chip.power_draw, assumptions.power_draw)
    usd_per_kwh = _own_or(chip.electricity_usd_per_kwh, assumptions.electricity_usd_per_kwh)
    kilowatts = chip.power_w / 1000
    drawn = kilowatts * draw * assumptions.pue * HOURS_PER_YEAR  # kWh a year
    energy = drawn * usd_per_kwh
    facility = kilowatts * MONTHS_PER_YEAR * _own_or(chip.facility_usd_per_kw_month,
                                                     assumptions.facility_usd_per_kw_month)
    maintenance_rate = _own_or(chip.maintenance_rate, assumptions.maintenance_rate)
    maintenance = maintenance_rate * hardware
    operations = _own_or(chip.operations_usd_per_year, assumptions.operations_usd_per_year)
    factor = lifetime_factor(assumptions)
    lifetime_energy = drawn * factor * usd_per_kwh  # in version 1's order: its numbers, to the last bit
    on_incumbent = chip.platform == assumptions.incumbent_platform
    return ChipFigures(
        chip=chip,
        tflops=chip.tflops[assumptions.precision],
        attainable_tflops=attainable,
        effective_levy_rate=levy / price if chip.levy_base_is_money else chip.levy_rate * chip.levy_base,
        buyer_price_usd=price,
        levy_per_unit_usd=levy,
        vendor_net_per_unit_usd=price - levy,
        effective_tflops_per_unit=effective,
        hardware_cost_usd=hardware,
        power_draw=draw,
        electricity_usd_per_kwh=usd_per_kwh,
        energy_per_year_usd=energy,
        facility_per_year_usd=facility,
        maintenance_rate=maintenance_rate,
        maintenance_per_year_usd=maintenance,
        operations_per_year_usd=operations,
        running_cost_per_year_usd=energy + facility + maintenance + operations,
        lifetime_factor=factor,
        energy_per_unit_usd=lifetime_energy,
        # k = H + A * R, added term by term so that with no new costs it is version 1's b + h + E
        cost_per_unit_usd=hardware + lifetime_energy + factor * facility + factor * maintenance
        + factor * operations,
        tflops_per_kusd=1000 * effective / price,
        migration_usd=migration_cost(None if on_incumbent else platforms[chip.platform]),
    )
