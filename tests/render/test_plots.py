"""Plots as a person reads them: where a change is marked, where the legend sits, what ticks say."""

from __future__ import annotations

import pytest

from chipcalc.analysis.sweep import grid_values, sweep
from chipcalc.loader import load_scenario
from chipcalc.render.plots import tick_labels

from ..conftest import SCENARIOS


@pytest.mark.parametrize(("values", "kind", "labels"), [
    ([-0.08, -2.7e-17, 0.08], "rate", ["-8%", "0%", "8%"]),  # a level a rounding below 0 is 0, not -0
    ([0.0, 0.001, 0.002], "rate", ["0.0%", "0.1%", "0.2%"]),   # as many decimals as the spacing needs
    ([36.10e9, 36.11e9, 36.12e9], "money", ["$36.10B", "$36.11B", "$36.12B"]),  # never $36.1B thrice
    ([28.5e9, 30e9, 31.5e9], "money", ["$28.5B", "$30.0B", "$31.5B"]),
    ([-2e9, 0.0, 2e9], "money", ["-$2B", "$0B", "$2B"]),
    ([0.0, 20.0, 40.0], "percent", ["0%", "20%", "40%"]),     # an axis already in percent
    ([1000.0, 1500.0], "number", ["1.0k", "1.5k"]),
])
def test_tick_labels_differ_and_never_read_minus_zero(values, kind, labels) -> None:
    assert tick_labels(values, kind) == labels


@pytest.fixture(scope="module")
def plt():
    pytest.importorskip("matplotlib")
    from chipcalc.render.plots import _pyplot

    return _pyplot()


def test_the_change_is_labelled_where_the_model_puts_it_and_the_legend_is_off_the_lines(plt) -> None:
    from chipcalc.render.plots import sweep_figure

    scenario = load_scenario(SCENARIOS / "h200-2026.yaml")
    result = sweep(scenario, [("chips.ascend_910c.utilization", grid_values(0.2, 0.6, 0.1))], metric="vs_order")
    figure = sweep_figure(result, scenario)
    axes = figure.axes[0]
    # the grid steps from 30% to 40%; the TCOs are equal at 37.4998% (the goal seek's answer)
    assert [text.get_text() for text in axes.texts] == ["h200 -> ascend_910c\nat 37.5%"]
    (line,) = [line for line in axes.lines if line.get_linestyle() == ":"]
    assert line.get_xdata()[0] == pytest.approx(100 * result.changes[0].value)
    figure.canvas.draw()
    legend, frame = axes.get_legend().get_window_extent(), axes.get_window_extent()
    assert legend.x0 >= frame.x1, "the legend is outside the axes, on no line"
    plt.close(figure)


def test_a_map_colour_bar_has_distinct_ticks_and_a_constant_panel_says_so(plt) -> None:
    from chipcalc.render.plots import sweep_figure

    scenario = load_scenario(SCENARIOS / "h200-2026.yaml")
    result = sweep(scenario, [("chips.h200.levy_rate", grid_values(0, 0.5, 0.25)),
                              ("assumptions.levy_pass_through", grid_values(0, 1, 0.5))], metric="vs_order")
    figure = sweep_figure(result, scenario)
    figure.canvas.draw()
    panels = {axes.get_title().split(":")[0]: axes for axes in figure.axes if axes.get_title()}
    # vs_order of the order's own chip is 0 everywhere: said in words, with no colour bar
    assert [text.get_text() for text in panels["h200"].texts] == ["0% everywhere"]
    bars = [axes for axes in figure.axes if not axes.get_title() and axes.get_visible()]
    assert len(bars) == len(result.chips) - 1
    for bar in bars:
        labels = [tick.get_text() for tick in bar.get_yticklabels() if tick.get_text()]
        assert len(labels) == len(set(labels)) > 1 and "-0%" not in labels
    plt.close(figure)
