"""Copying and pickling: every schedule and combinator survives copy, pickle and spawn.

Every ``EXAMPLES`` entry goes through ``copy.copy``, ``copy.deepcopy``,
``pickle`` at every protocol, and a ``multiprocessing`` pool started with
the ``spawn`` method (the schedules travel to fresh interpreters, are
evaluated there and travel back); each copy is equal, hashes alike and gives
the same values, bit for bit. ``ReduceOnPlateau`` carries state beyond its
config, which must travel too. The torch adapter's state dict survives
``torch.save``/``torch.load(weights_only=True)`` and resumes identically.
"""

from __future__ import annotations

import copy
import io
import multiprocessing
import pickle
from typing import Any

import numpy as np
import pytest

import lrkit
from conftest import EXAMPLES, interesting_steps

IDS = list(EXAMPLES)
SCHEDULES = list(EXAMPLES.values())


def steps_of(schedule: lrkit.LearningRateSchedule) -> list[float]:
    return [*interesting_steps(schedule)[:40], 17.25, 10**6]


def assert_same(copied: Any, original: lrkit.LearningRateSchedule) -> None:
    assert type(copied) is type(original)
    assert copied == original
    assert hash(copied) == hash(original)
    assert copied.get_config() == original.get_config()
    steps = steps_of(original)
    assert [copied(step) for step in steps] == [original(step) for step in steps]
    array = np.asarray(steps, dtype=np.float64)
    np.testing.assert_array_equal(copied(array), original(array))
    if isinstance(original, lrkit.ReduceOnPlateau):
        assert copied.state_dict() == original.state_dict()


@pytest.mark.parametrize("schedule", SCHEDULES, ids=IDS)
def test_copy_and_deepcopy(schedule: lrkit.LearningRateSchedule) -> None:
    assert_same(copy.copy(schedule), schedule)
    deep = copy.deepcopy(schedule)
    assert_same(deep, schedule)
    assert_same(copy.deepcopy([schedule, schedule])[1], schedule)


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
@pytest.mark.parametrize("schedule", SCHEDULES, ids=IDS)
def test_pickle_at_every_protocol(schedule: lrkit.LearningRateSchedule, protocol: int) -> None:
    data = pickle.dumps(schedule, protocol=protocol)
    assert_same(pickle.loads(data), schedule)
    assert b"lambda" not in data  # only lrkit classes and plain values are pickled


def _plateau_with_state() -> lrkit.ReduceOnPlateau:
    schedule = lrkit.ReduceOnPlateau(0.1, patience=1, cooldown=1)
    for metric in (1.0, 0.9, 0.95, 0.97, 0.99, 0.98, 1.2, 1.3):
        schedule.update(metric)
    assert schedule.reductions > 0
    return schedule


def test_plateau_state_travels_with_every_copy() -> None:
    schedule = _plateau_with_state()
    for copied in (
        copy.copy(schedule),
        copy.deepcopy(schedule),
        *(pickle.loads(pickle.dumps(schedule, protocol=p)) for p in (2, pickle.HIGHEST_PROTOCOL)),
    ):
        assert_same(copied, schedule)
        copied.update(5.0)  # the copy moves on by itself
        copied.update(5.0)
        assert copied.state_dict() != schedule.state_dict()


def test_multiprocessing_spawn_round_trip() -> None:
    """One spawn pool for every example: evaluated in a fresh interpreter, sent back."""
    schedules = [*SCHEDULES, _plateau_with_state()]
    calls = [(schedule, float(step)) for schedule in schedules for step in steps_of(schedule)]
    context = multiprocessing.get_context("spawn")
    with context.Pool(processes=2) as pool:
        values = pool.starmap(lrkit.LearningRateSchedule.__call__, calls, chunksize=64)
        returned = pool.map(copy.deepcopy, schedules, chunksize=16)
    assert values == [schedule(step) for schedule, step in calls]
    for back, schedule in zip(returned, schedules, strict=True):
        assert_same(back, schedule)


# -- the torch adapter ------------------------------------------------------------------


def _scheduler(schedule: lrkit.LearningRateSchedule) -> tuple[Any, Any]:
    torch = pytest.importorskip("torch")
    from lrkit.torch import LRScheduler

    model = torch.nn.Linear(2, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    return optimizer, LRScheduler(optimizer, schedule)


STEPPED = [s for s in SCHEDULES if not isinstance(s, lrkit.ReduceOnPlateau)]


@pytest.mark.parametrize(
    "schedule", STEPPED, ids=[key for key, s in EXAMPLES.items() if s in STEPPED]
)
def test_torch_adapter_state_survives_torch_save_and_load(
    schedule: lrkit.LearningRateSchedule,
) -> None:
    torch = pytest.importorskip("torch")
    if not all(schedule(t) >= 0 for t in range(17)):  # the adapter refuses negative rates
        schedule = lrkit.Clip(schedule, min_learning_rate=0.0)
    optimizer, scheduler = _scheduler(schedule)
    for _ in range(7):
        optimizer.step()
        scheduler.step()
    buffer = io.BytesIO()
    torch.save({"optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict()}, buffer)
    buffer.seek(0)
    checkpoint = torch.load(buffer, weights_only=True)  # plain data: the safe loader reads it

    resumed_optimizer, resumed = _scheduler(schedule)
    resumed_optimizer.load_state_dict(checkpoint["optimizer"])
    resumed.load_state_dict(checkpoint["scheduler"])
    assert resumed.state_dict() == scheduler.state_dict()
    assert resumed.get_last_lr() == scheduler.get_last_lr()
    for _ in range(9):
        for opt, sched in ((optimizer, scheduler), (resumed_optimizer, resumed)):
            opt.step()
            sched.step()
        assert resumed.get_last_lr() == scheduler.get_last_lr()
        assert resumed_optimizer.param_groups[0]["lr"] == optimizer.param_groups[0]["lr"]
    assert scheduler.get_last_lr() == [schedule(16)]


def test_torch_adapter_pickles_with_its_optimizer() -> None:
    """A whole adapter (as some trainers checkpoint it) pickles and deep-copies."""
    schedule = EXAMPLES["Warmup"]
    optimizer, scheduler = _scheduler(schedule)
    for _ in range(3):
        optimizer.step()
        scheduler.step()
    for copied in (copy.deepcopy(scheduler), pickle.loads(pickle.dumps(scheduler))):
        assert copied.state_dict() == scheduler.state_dict()
        assert copied.get_last_lr() == scheduler.get_last_lr()
        copied.optimizer.step()
        copied.step()
        assert copied.get_last_lr() == [schedule(4)]
