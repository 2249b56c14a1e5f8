"""`Figure`: what the model's formulas take and return, a float or a numpy array of floats (a sweep's
grid, a simulation's samples). The formulas broadcast, so one function serves both; numpy is named
here for type checkers only, so that the model imports it only where a caller brings arrays."""

from __future__ import annotations

from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:
    import numpy as np

Figure = Union[float, "np.ndarray"]
