"""`Figure`: what the model's formulas take and return, a float or a numpy array of floats (a sweep's
grid, a simulation's samples). The formulas broadcast, so one function serves both; numpy is named
here for type checkers only, so that the model imports it only where a caller brings arrays.

The model's results are named tuples (defined at every start-up and built for every option of every
order: a tuple costs a tenth of a frozen dataclass to define, two thirds to build); each field that
is shown states how, `Annotated[float, Kind.MONEY]`, and `shown_kinds` reads it back for
`chipcalc.kinds`, so every table, diff and plot shows the field the same way. A new field states
its kind where it is defined."""

from typing import TYPE_CHECKING, Annotated, Union, get_origin

from ..spec import Kind

if TYPE_CHECKING:
    import numpy as np

Figure = Union[float, "np.ndarray"]


def shown_kinds(result: type) -> dict[str, Kind]:
    """The fields of a model result (a NamedTuple) that state a display kind, with their kinds, in
    field order."""
    return {name: kind for name, hint in result.__annotations__.items() if get_origin(hint) is Annotated
            for kind in hint.__metadata__ if isinstance(kind, Kind)}
