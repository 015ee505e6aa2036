"""The terminal chart of ``lrkit show``: plotext when it works, the table's bars when not.

plotext is optional and its API changed between 5.x and 6.x; no version of
it, and nothing it raises, may break ``lrkit show``. The fakes below stand
for broken or unknown plotext installs (what is tested is lrkit's fallback);
the real plotext in the environment draws the chart.
"""

from __future__ import annotations

import sys
import types
from typing import Any

import pytest

from lrkit._cli.main import main
from lrkit._seeing import terminal as _terminal

STEPS = list(range(0, 1000, 10))
VALUES = [0.1 * (1.0 - step / 1000) for step in STEPS]
BRAILLE = range(0x2800, 0x2900)


def braille_count(text: str) -> int:
    return sum(1 for char in text if ord(char) in BRAILLE)


def show(capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["show", "sgdr", "--rows", "5"])
    out, err = capsys.readouterr()
    return code, out, err


def _raise(*args: Any, **kwargs: Any) -> None:
    raise RuntimeError("plotext broke")


def _empty() -> types.ModuleType:
    """A plotext of an unknown API: neither 5.x's functions nor 6.x's figure."""
    return types.ModuleType("plotext")


def _raising_on_every_name() -> types.ModuleType:
    """A plotext whose every attribute access raises (not AttributeError)."""
    module = types.ModuleType("plotext")
    module.__getattr__ = _raise  # type: ignore[method-assign]
    return module


def _broken_5x() -> types.ModuleType:
    """A 5.x-shaped plotext whose drawing functions raise."""
    module = types.ModuleType("plotext")
    for name in ("clear_figure", "plotsize", "theme", "plot", "build"):
        setattr(module, name, _raise if name != "clear_figure" else lambda: None)
    return module


def _broken_6x() -> types.ModuleType:
    """A 6.x-shaped plotext (``plt.figure.signal``) whose figure raises."""
    figure = types.SimpleNamespace(signal=_raise, clear=_raise, plot_size=_raise)
    module = types.ModuleType("plotext")
    module.figure = figure  # type: ignore[attr-defined]
    return module


FAKES = {
    "unknown-api": _empty,
    "every-name-raises": _raising_on_every_name,
    "5.x-raising": _broken_5x,
    "6.x-raising": _broken_6x,
    "missing": lambda: None,
}


@pytest.mark.parametrize("fake", FAKES.values(), ids=FAKES.keys())
def test_a_missing_or_broken_plotext_falls_back_to_the_table(
    fake: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "plotext", fake())
    assert _terminal.chart(STEPS, VALUES) is None
    code, out, err = show(capsys)
    assert (code, err) == (0, "")
    assert braille_count(out) == 0
    rows = out[out.index("learning rate") :].splitlines()[1:6]
    assert rows[0].split()[:2] == ["0", "0.1"]
    assert rows[0].endswith("|" + "#" * 40)  # the built-in chart: the table's bars


def test_the_installed_plotext_draws_the_chart() -> None:
    plotext = pytest.importorskip("plotext")
    text = _terminal.chart(STEPS, VALUES, boundaries=[500], width=60, height=12)
    assert text is not None, f"plotext {getattr(plotext, '__version__', '?')} drew nothing"
    lines = text.rstrip("\n").splitlines()
    assert len(lines) == 12
    assert braille_count(text) > 30
    assert "\x1b[" not in text
    assert lines[-1].strip() == "step"
    assert lines[-2].split() == ["0", "248", "496", "743", "990"]


def test_a_failure_inside_plotext_leaves_no_state_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    plotext = pytest.importorskip("plotext")
    before = _terminal.chart(STEPS, VALUES, width=60, height=12)
    assert before is not None
    # Fail halfway through drawing, after the rates are plotted.
    name = "xticks" if hasattr(plotext, "clear_figure") else "label"
    target = plotext if hasattr(plotext, "clear_figure") else plotext.figure
    with monkeypatch.context() as patch:
        patch.setattr(target, name, _raise)
        assert _terminal.chart(STEPS, VALUES, width=60, height=12) is None
    assert _terminal.chart(STEPS, VALUES, width=60, height=12) == before
