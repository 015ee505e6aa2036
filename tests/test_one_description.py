"""Each schedule is described once: parameters declared, paths derived, shape self-described.

* The Python-number path of every built-in schedule is derived from its one
  description (its pieces or its ``_formula``), except for the classes listed
  in ``lrkit._core.hand_tuned.HAND_TUNED_SCALAR``, whose hand-written path
  must agree with the array path at every step tried.
* Parameters declared with the kinds of ``lrkit._core.parameters`` give the
  constructor (a real signature), the checks, the config and the shape's
  children, for lrkit's classes and for a user's.
* A user's class written as pieces gets the derived fast path, evaluates on
  arrays, and is previewed over its own ``_horizon`` without any edit to lrkit.
"""

from __future__ import annotations

import inspect
import math
from typing import Any

import numpy as np
import pytest

import lrkit
from conftest import EXAMPLES, interesting_steps
from lrkit._core import parameters as p
from lrkit._core.hand_tuned import HAND_TUNED_SCALAR
from lrkit._core.pieces import Piecewise
from lrkit._core.schedule import LearningRateSchedule
from lrkit._seeing.run_length import suggested_steps


def builtin_classes() -> dict[str, type[LearningRateSchedule]]:
    return {name: getattr(lrkit, name) for name in lrkit.registered_names() if ">" not in name}


def scalar_path_written_by_hand(cls: type[LearningRateSchedule]) -> bool:
    call = cls.__call__
    return call is not LearningRateSchedule.__call__ and not getattr(call, "_derived", False)


def test_hand_written_scalar_paths_are_exactly_the_declared_ones() -> None:
    by_hand = {name for name, cls in builtin_classes().items() if scalar_path_written_by_hand(cls)}
    assert by_hand == set(HAND_TUNED_SCALAR), (
        "a class overrides __call__ without a line in lrkit._core.hand_tuned "
        "(or is listed there without one)"
    )
    for reason in HAND_TUNED_SCALAR.values():
        assert reason.strip()


HAND_TUNED_EXAMPLES = [
    pytest.param(schedule, id=key)
    for key, schedule in EXAMPLES.items()
    if type(schedule).__name__ in HAND_TUNED_SCALAR
]


@pytest.mark.parametrize("schedule", HAND_TUNED_EXAMPLES)
def test_hand_written_scalar_path_agrees_with_the_array_path(
    schedule: LearningRateSchedule,
) -> None:
    steps = [*interesting_steps(schedule), *range(0, 200, 7), 12.25, 10**9]
    rates = np.asarray(schedule(np.asarray([float(t) for t in steps])))
    for step, rate in zip(steps, rates.tolist(), strict=True):
        value = schedule(step)
        assert type(value) is float
        assert value == pytest.approx(rate, rel=1e-13, abs=1e-300, nan_ok=True), step


def test_every_builtin_family_declares_its_parameters() -> None:
    for name, cls in builtin_classes().items():
        declared = list(cls._parameter_specs)
        signature = list(inspect.signature(cls).parameters)
        assert declared == signature, name


class Halving(Piecewise):
    """A user's schedule: halved every ``every`` steps for ten halvings, then constant."""

    rate: float = p.rate()
    every: int | float = p.steps()
    mode: str = p.choice(("floor", "exact"), default="floor")

    def _halving(self, t: Any, xp: Any) -> Any:
        periods = xp.floor(t / self.every) if self.mode == "floor" else t / self.every
        return self.rate * 0.5**periods

    def _floor(self, t: Any, xp: Any) -> Any:
        return self.rate * 0.5**10

    pieces = (_halving, _floor)

    def _edges(self) -> tuple[Any, ...]:
        return (10 * self.every,)

    def _horizon(self) -> float | None:
        return 12 * self.every


def test_a_users_pieces_give_both_paths() -> None:
    schedule = Halving(1.0, every=4)
    assert getattr(type(schedule).__call__, "_derived", False)
    assert [schedule(t) for t in (0, 3, 4, 8, 39, 40, 10**6)] == [
        1.0,
        1.0,
        0.5,
        0.25,
        0.5**9,
        0.5**10,
        0.5**10,
    ]
    steps = np.arange(0.0, 60.0, 0.5)
    assert np.array_equal(schedule(steps), [schedule(float(t)) for t in steps])
    assert math.isnan(schedule(math.nan))
    assert np.isnan(schedule(np.asarray([math.nan, 1.0])))[0]
    assert schedule(np.int64(4)) == 0.5


def test_a_users_declared_parameters_give_constructor_checks_and_config() -> None:
    expected = "(rate: 'float', every: 'int | float', mode: 'str' = 'floor')"
    assert str(inspect.signature(Halving)) == expected
    schedule = Halving(1.0, 4, mode="exact")
    assert schedule.get_config() == {"rate": 1.0, "every": 4, "mode": "exact"}
    assert Halving.from_config(schedule.get_config()) == schedule
    assert repr(schedule) == "Halving(rate=1.0, every=4, mode='exact')"
    with pytest.raises(ValueError, match=r"Halving: every must be > 0, got -2"):
        Halving(1.0, -2)
    with pytest.raises(ValueError, match=r"Halving: mode must be one of \['floor', 'exact'\]"):
        Halving(1.0, 2, mode="round")
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'every'"):
        Halving(1.0)  # type: ignore[call-arg]
    with pytest.raises(AttributeError, match="immutable"):
        schedule.rate = 2.0  # type: ignore[misc]
    assert "rate" not in vars(Halving)  # the values live on the instances only


def test_a_users_schedule_is_previewed_over_its_own_horizon() -> None:
    assert suggested_steps(Halving(1.0, every=4)) == 48
    assert suggested_steps(lrkit.Warmup(Halving(1.0, every=4), 10)) == 58


def test_children_come_from_schedule_parameters() -> None:
    inner = Halving(1.0, every=4)
    assert lrkit.Scale(inner, 0.5)._children() == (inner,)
    assert lrkit.Sum([inner, lrkit.Constant(0.1)])._children() == (inner, lrkit.Constant(0.1))
    assert Halving(1.0, 4)._children() == ()


def test_pieces_and_edges_must_match() -> None:
    class Broken(Piecewise):
        rate: float = p.rate()

        def _one(self, t: Any, xp: Any) -> Any:
            return self.rate

        pieces = (_one, _one)

    with pytest.raises(TypeError, match="gave 0 edges for 2 pieces"):
        Broken(0.1)
