"""Hypothesis strategies shared by the property tests: random chips as scenario-file text."""

from __future__ import annotations

from hypothesis import strategies as st


def amount(low: float, high: float):
    """0, or a float in [low, high] (no subnormals: the loader refuses them)."""
    return st.one_of(st.just(0.0), st.floats(low, high))


rates = amount(1e-3, 0.6)
positive = st.floats(min_value=0.05, max_value=1)


@st.composite
def chip_text(draw, platform: str) -> str:
    """A chip on `platform`, as a YAML flow mapping."""
    return (
        f"{{platform: {platform}, price: {draw(st.floats(1e3, 1e5))!r}, levy_rate: {draw(rates)!r}, "
        f"levy_base: {draw(positive)!r}, tflops: {{bf16: {draw(st.floats(10, 5000))!r}}}, "
        f"utilization: {draw(positive)!r}, power_w: {draw(amount(1, 2000))!r}, "
        f"host_cost: {draw(amount(1, 3e4))!r}}}"
    )
