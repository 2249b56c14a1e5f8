"""Time and discounting (MODEL.md): the present value of running costs paid through the life.

The one exponential of the model: `_exp`, `_expm1`, `_log1p` take numpy's functions for arrays,
so the same formulas evaluate one scenario or many sampled ones.
"""

from __future__ import annotations

import math

from ..scenario import Assumptions
from .figure import Figure

def _is_array(value: Figure) -> bool:
    return hasattr(value, "__array_ufunc__")


def _exp(value: Figure) -> Figure:
    if _is_array(value):
        import numpy as np  # already loaded: an array came in

        return np.exp(value)
    return math.exp(value)


def _expm1(value: Figure) -> Figure:
    if _is_array(value):
        import numpy as np

        return np.expm1(value)
    return math.expm1(value)


def _log1p(value: Figure) -> Figure:
    if _is_array(value):
        import numpy as np

        return np.log1p(value)
    return math.log1p(value)


def present_value_factor(start_years: Figure, end_years: Figure, discount_rate: Figure) -> Figure:
    """a(t0, t1): today's value of 1 USD a year paid evenly from year t0 to t1, discounted
    continuously at delta = ln(1 + d); t1 - t0 when d = 0."""
    length = end_years - start_years
    if not _is_array(discount_rate):
        if discount_rate == 0:
            return length
        delta = math.log1p(discount_rate)
        return -_expm1(-delta * length) / delta * _exp(-delta * start_years)
    import numpy as np

    delta = np.log1p(discount_rate)
    safe = np.where(delta > 0, delta, 1.0)  # d = 0 takes the limit t1 - t0, without dividing by 0
    discounted = -np.expm1(-safe * length) / safe * np.exp(-safe * start_years)
    return np.where(delta > 0, discounted, length)


def lifetime_factor(assumptions: Assumptions) -> Figure:
    """A = a(0, L): the present value of 1 USD a year over the whole life (A = L when d = 0)."""
    return present_value_factor(0.0, assumptions.lifetime_years, assumptions.discount_rate)
