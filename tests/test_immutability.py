"""Schedules are immutable in fact: no attribute can be set or deleted after construction.

A schedule is a value: its constructor validates its parameters and derives
constants from them, and its hash depends on them. Assigning an attribute
used to bypass the validation, leave the derived constants stale
(``s.initial_learning_rate = 0.05`` left ``s(5)`` at the old rate) and move
the hash of a schedule already in a set.
"""

from __future__ import annotations

import copy
import inspect
import pickle
import sys
from typing import Any

import pytest

import lrkit
from conftest import EXAMPLES

IDS = list(EXAMPLES)
SCHEDULES = list(EXAMPLES.values())


def _first_parameter(schedule: lrkit.LearningRateSchedule) -> str:
    return next(iter(schedule.get_config()))


@pytest.mark.parametrize("schedule", SCHEDULES, ids=IDS)
def test_no_attribute_can_be_set_or_deleted(schedule: lrkit.LearningRateSchedule) -> None:
    config, value, hashed = schedule.get_config(), schedule(5), hash(schedule)
    names = [*config, *vars(schedule), "brand_new"]
    for name in names:
        with pytest.raises(AttributeError, match="immutable"):
            setattr(schedule, name, 0.5)
        with pytest.raises(AttributeError, match="immutable"):
            delattr(schedule, name)
    assert schedule.get_config() == config
    assert schedule(5) == value
    assert hash(schedule) == hashed


def test_the_message_says_how_to_make_a_changed_copy() -> None:
    schedule = lrkit.CosineDecay(0.5, 100)
    with pytest.raises(AttributeError) as raised:
        schedule.initial_learning_rate = 0.05  # type: ignore[misc]
    message = str(raised.value)
    assert "cannot set 'initial_learning_rate': CosineDecay is immutable" in message
    recipe = "type(schedule).from_config({**schedule.get_config(), 'initial_learning_rate': "
    assert recipe in message
    changed = type(schedule).from_config({**schedule.get_config(), "initial_learning_rate": 0.05})
    assert changed(0) == 0.05
    assert schedule(0) == 0.5
    with pytest.raises(AttributeError, match=r"cannot delete '_peak'.*get_config"):
        del schedule._peak


def test_the_hash_of_a_schedule_in_a_set_stays() -> None:
    schedule = lrkit.Warmup(lrkit.ExponentialDecay(0.1, 10, 0.5), 5)
    seen = {schedule}
    with pytest.raises(AttributeError):
        schedule.warmup_steps = 50  # type: ignore[misc]
    with pytest.raises(AttributeError):
        schedule.schedule.decay_rate = 0.9  # type: ignore[attr-defined]
    assert schedule in seen


@pytest.mark.parametrize("schedule", SCHEDULES, ids=IDS)
def test_copies_are_immutable_too(schedule: lrkit.LearningRateSchedule) -> None:
    name = _first_parameter(schedule)
    for copied in (
        copy.copy(schedule),
        copy.deepcopy(schedule),
        pickle.loads(pickle.dumps(schedule)),
        type(schedule).from_config(schedule.get_config()),
        lrkit.from_json(lrkit.to_json(schedule)),
    ):
        with pytest.raises(AttributeError, match="immutable"):
            setattr(copied, name, 1)


def test_plateau_state_still_moves() -> None:
    """ReduceOnPlateau's bookkeeping is state, held apart from its frozen configuration."""
    schedule = lrkit.ReduceOnPlateau(0.1, patience=0)
    schedule.update(1.0)
    schedule.update(2.0)
    assert schedule.reductions == 1
    assert schedule(0) == pytest.approx(0.01)
    with pytest.raises(AttributeError, match="immutable"):
        schedule.factor = 0.5  # type: ignore[misc]


# -- subclasses ----------------------------------------------------------------------


class Halving(lrkit.LearningRateSchedule):
    def __init__(self, initial_learning_rate: float, every: int) -> None:
        self.initial_learning_rate = initial_learning_rate
        self.every = every

    def _formula(self, step: Any, xp: Any) -> Any:
        return self.initial_learning_rate * 0.5 ** xp.floor(step / self.every)


class SlowHalving(Halving):
    """A constructor that sets attributes before and after its parent's."""

    def __init__(self, every: int) -> None:
        self.before = 1
        super().__init__(1.0, every)
        self.every = every * 2  # still constructing: allowed

    def get_config(self) -> dict[str, Any]:
        return {"every": self.every // 2}


class NoConstructor(lrkit.LearningRateSchedule):
    def _formula(self, step: Any, xp: Any) -> Any:
        return 0.1 + 0.0 * step


@pytest.mark.parametrize(
    "make",
    [lambda: Halving(1.0, 10), lambda: SlowHalving(5), NoConstructor],
    ids=["user-class", "subclass-calling-super", "no-constructor"],
)
def test_user_subclasses_construct_and_are_frozen_after(make: Any) -> None:
    schedule = make()
    assert schedule(25) in (0.25, 0.1)
    with pytest.raises(AttributeError, match="immutable"):
        schedule.every = 3
    assert type(schedule).from_config(schedule.get_config()) == schedule


def test_a_subclass_keeps_its_constructor_signature() -> None:
    assert list(inspect.signature(SlowHalving).parameters) == ["every"]
    assert list(inspect.signature(lrkit.CosineDecay).parameters)[:2] == [
        "initial_learning_rate",
        "decay_steps",
    ]


def test_a_class_mixing_in_another_base_works() -> None:
    """Keras's LearningRateSchedule (a plain class) mixes in, as lrkit.keras does."""
    keras = pytest.importorskip("keras")
    mixed = type(
        "MixedCosine", (lrkit.CosineDecay, keras.optimizers.schedules.LearningRateSchedule), {}
    )
    schedule = mixed(0.1, 100)
    assert schedule(50) == lrkit.CosineDecay(0.1, 100)(50)
    with pytest.raises(AttributeError, match="immutable"):
        schedule.alpha = 0.5


def test_the_scalar_path_does_no_extra_work() -> None:
    """Freezing costs nothing per call: a call runs ``__call__`` and the one piece that holds."""
    frames: list[str] = []

    def record(frame: Any, event: str, arg: Any) -> None:
        if event == "call":
            frames.append(frame.f_code.co_name)

    schedule = lrkit.CosineDecay(0.1, 100)
    schedule(3)
    sys.setprofile(record)
    try:
        schedule(5)
        schedule(7.5)
    finally:
        sys.setprofile(None)
    assert frames == ["__call__", "_decaying", "__call__", "_decaying"]
