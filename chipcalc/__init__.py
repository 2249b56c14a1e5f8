"""chipcalc: what-if economics of AI accelerators under export levies.

The library API: `load_scenario` reads and validates a scenario file,
`compare` evaluates it by MODEL.md.
"""

__version__ = "0.1.0"

__all__ = ["ScenarioLoader", "__version__", "compare", "load_scenario"]

_API = {"ScenarioLoader": "loader", "load_scenario": "loader", "compare": "model"}


def __getattr__(name: str):
    """The API, imported on first use: `chipcalc --version` and `--help` need none of it."""
    if name not in _API:
        raise AttributeError(f"module 'chipcalc' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f".{_API[name]}", __name__), name)


def __dir__() -> list[str]:
    return sorted(__all__)
