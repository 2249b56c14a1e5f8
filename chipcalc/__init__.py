"""chipcalc: what-if economics of AI accelerators under export levies.

The library API: `load_scenario` reads and validates a scenario file,
`compare` evaluates it by MODEL.md.
"""

__version__ = "0.1.0"

from .loader import ScenarioLoader, load_scenario  # noqa: E402
from .model import compare  # noqa: E402

__all__ = ["ScenarioLoader", "__version__", "compare", "load_scenario"]
