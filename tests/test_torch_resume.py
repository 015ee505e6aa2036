"""``lrkit.torch.LRScheduler``: what its state carries, how it is checked, and rates it refuses.

Plateau resumes are compared with torch's own ``ReduceLROnPlateau`` resumed
the same way, and every resumed run with the uninterrupted one.
"""

from __future__ import annotations

import copy
import io
import json
import math
import re
from collections.abc import Callable
from typing import Any

import pytest

import lrkit
from conftest import lrkit_lines

torch = pytest.importorskip("torch")
lrkit_torch = pytest.importorskip("lrkit.torch")
LRScheduler = lrkit_torch.LRScheduler
lr_scheduler = torch.optim.lr_scheduler

#: A validation loss per epoch: improving, then stalling twice (two cuts with patience 2).
METRICS = [1.0, 0.8, 0.7, 0.71, 0.72, 0.73, 0.69, 0.695, 0.7, 0.71, 0.5, 0.51, 0.52, 0.53, 0.54]
OPTIONS = {"factor": 0.5, "patience": 2, "cooldown": 1}
STEPS_PER_EPOCH = 3


def make_model() -> Any:
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))


DATA = [
    (torch.randn(8, 4, generator=g), torch.randn(8, 1, generator=g))
    for g in [torch.Generator().manual_seed(1)]
    for _ in range(STEPS_PER_EPOCH)
]


def run_epochs(
    model: Any, optimizer: Any, scheduler: Any, epochs: range, feed: Callable[[float], None]
) -> list[tuple[float, float]]:
    """A plain epoch loop; per step, the (lr, momentum) the optimizer step used."""
    used = []
    for epoch in epochs:
        for x, y in DATA:
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(x), y).backward()
            group = optimizer.param_groups[0]
            used.append((group["lr"], group.get("momentum", 0.0)))
            optimizer.step()
        feed(METRICS[epoch])
    return used


def round_trip(checkpoint: dict[str, Any]) -> dict[str, Any]:
    """Through torch.save and ``torch.load(weights_only=True)``: the state is plain data."""
    buffer = io.BytesIO()
    torch.save(checkpoint, buffer)
    buffer.seek(0)
    return torch.load(buffer, weights_only=True)  # type: ignore[no-any-return]


def resumed_run(build: Callable[[], tuple[Any, Any, Any, Callable[[float], None]]], at: int) -> Any:
    """``at`` epochs, a checkpoint, a fresh model, optimizer and scheduler, then the rest."""
    model, optimizer, scheduler, feed = build()
    first = run_epochs(model, optimizer, scheduler, range(at), feed)
    checkpoint = round_trip(
        {
            "model": model.state_dict(),
            "optimizer": optimizer.state_dict(),
            "scheduler": scheduler.state_dict(),
        }
    )
    model, optimizer, scheduler, feed = build()
    model.load_state_dict(checkpoint["model"])
    optimizer.load_state_dict(checkpoint["optimizer"])
    scheduler.load_state_dict(checkpoint["scheduler"])
    second = run_epochs(model, optimizer, scheduler, range(at, len(METRICS)), feed)
    return first + second, model


def torch_plateau() -> tuple[Any, Any, Any, Callable[[float], None]]:
    model = make_model()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    scheduler = lr_scheduler.ReduceLROnPlateau(optimizer, **OPTIONS)
    return model, optimizer, scheduler, scheduler.step


def lrkit_plateau(
    schedule: Callable[[lrkit.ReduceOnPlateau], Any], **kwargs: Any
) -> Callable[[], tuple[Any, Any, Any, Callable[[float], None]]]:
    def build() -> tuple[Any, Any, Any, Callable[[float], None]]:
        model = make_model()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        plateau = lrkit.ReduceOnPlateau(0.1, **OPTIONS)
        scheduler = LRScheduler(optimizer, schedule(plateau), **kwargs)

        def feed(metric: float) -> None:
            plateau.update(metric)
            scheduler.step()

        return model, optimizer, scheduler, feed

    return build


def uninterrupted(build: Callable[[], tuple[Any, Any, Any, Callable[[float], None]]]) -> Any:
    model, optimizer, scheduler, feed = build()
    return run_epochs(model, optimizer, scheduler, range(len(METRICS)), feed), model


# -- plateau state in the adapter's checkpoints (issue 15 item 6) --------------------


@pytest.mark.parametrize("at", [5, 11])
def test_plateau_resume_equals_torch_reduce_lr_on_plateau_resumed(at: int) -> None:
    theirs, theirs_model = resumed_run(torch_plateau, at)
    reference, _ = uninterrupted(torch_plateau)
    assert theirs == reference  # torch resumes exactly; so must lrkit
    assert len({lr for lr, _ in reference}) == 4  # the run does cut three times
    ours, ours_model = resumed_run(lrkit_plateau(lambda p: p), at)
    assert ours == theirs
    for a, b in zip(ours_model.parameters(), theirs_model.parameters(), strict=True):
        torch.testing.assert_close(a, b, rtol=0.0, atol=0.0)


#: Scheduler arguments (the schedule, then keywords) built around a fresh plateau.
NESTED: dict[str, Callable[[], tuple[Any, dict[str, Any]]]] = {
    "inside-a-join": lambda: (
        lrkit.Join([lrkit.Constant(0.1), lrkit.ReduceOnPlateau(0.1, **OPTIONS)], [4]),
        {},
    ),
    "over-a-schedule-relative": lambda: (
        lrkit.ReduceOnPlateau(lrkit.CosineDecay(1.0, 60), **OPTIONS),
        {"relative": True},
    ),
    "in-a-hyperparameter": lambda: (
        lrkit.Constant(0.05),
        {"hyperparameters": {"momentum": lrkit.ReduceOnPlateau(0.9, **OPTIONS)}},
    ),
}


@pytest.mark.parametrize("arguments", list(NESTED.values()), ids=list(NESTED))
def test_nested_plateaus_resume_exactly(arguments: Callable[[], tuple[Any, Any]]) -> None:
    def build() -> tuple[Any, Any, Any, Callable[[float], None]]:
        model = make_model()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        schedule, kwargs = arguments()
        scheduler = LRScheduler(optimizer, schedule, **kwargs)
        plateaus = list(scheduler._plateaus.values())
        assert len(plateaus) == 1

        def feed(metric: float) -> None:
            plateaus[0].update(metric)
            scheduler.step()

        return model, optimizer, scheduler, feed

    reference, _ = uninterrupted(build)
    assert len(set(reference)) > 3  # the values do change, cuts included
    assert resumed_run(build, 9)[0] == reference


def test_state_keys_plateaus_by_where_they_sit_and_saves_a_shared_one_once() -> None:
    model = make_model()
    optimizer = torch.optim.SGD(
        [{"params": model[0].parameters()}, {"params": model[2].parameters()}],
        lr=0.1,
        momentum=0.9,
    )
    shared = lrkit.ReduceOnPlateau(0.1)
    inner = lrkit.ReduceOnPlateau(lrkit.CosineDecay(0.9, 50), patience=0)
    momentum = lrkit.Join([lrkit.Constant(0.9), lrkit.Clip(inner, 0.5)], [3])
    scheduler = LRScheduler(optimizer, shared, hyperparameters={"momentum": [None, momentum]})
    inner.update(1.0)
    inner.update(1.0)
    state = scheduler.state_dict()
    assert state["plateaus"] == {
        "lr[0]": shared.state_dict(),
        "momentum[1].schedules[1].schedule": inner.state_dict(),
    }
    assert state["plateaus"]["momentum[1].schedules[1].schedule"]["reductions"] == 1
    assert json.loads(json.dumps(state, allow_nan=False)) == state
    assert round_trip(state) == state


def test_finding_plateaus_visits_each_schedule_once() -> None:
    """A schedule shared by many parts is walked once: work linear in distinct schedules."""
    from lrkit._integrations import torch_state as _torch_state

    deep: lrkit.LearningRateSchedule = lrkit.ReduceOnPlateau(lrkit.Constant(0.1))
    for _ in range(40):  # 2**40 paths, 42 distinct schedules
        deep = lrkit.Sum([deep, deep])
    calls = 0
    original = _torch_state._parameters

    def counting(cls: type) -> Any:
        nonlocal calls
        calls += 1
        return original(cls)

    _torch_state._parameters = counting  # type: ignore[assignment]
    try:
        found = _torch_state.find_plateaus({"lr": [deep, deep]})
    finally:
        _torch_state._parameters = original  # type: ignore[assignment]
    assert calls == 42
    assert list(found) == ["lr[0]" + ".schedules[0]" * 40]


def test_loading_without_the_plateau_or_with_a_bad_plateau_state_changes_nothing() -> None:
    model = make_model()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    plateau = lrkit.ReduceOnPlateau(0.1, patience=0)
    scheduler = LRScheduler(optimizer, plateau)
    for _ in range(3):
        optimizer.step()
        plateau.update(1.0)
        scheduler.step()
    saved = scheduler.state_dict()

    plain = LRScheduler(torch.optim.SGD(model.parameters(), lr=0.1), lrkit.Constant(0.1))
    with pytest.raises(ValueError, match=r"ReduceOnPlateau states for \['lr\[0\]'\], constructed"):
        plain.load_state_dict({**saved, "schedules": plain.state_dict()["schedules"]})

    fresh_plateau = lrkit.ReduceOnPlateau(0.1, patience=0)
    fresh = LRScheduler(torch.optim.SGD(model.parameters(), lr=0.1), fresh_plateau)
    bad = copy.deepcopy(saved)
    bad["plateaus"]["lr[0]"]["scale"] = 0.5
    with pytest.raises(ValueError, match=r"plateaus\['lr\[0\]'\]: scale 0.5 is not what 2"):
        fresh.load_state_dict(bad)
    assert fresh.last_epoch == 0
    assert fresh_plateau.reductions == 0
    fresh.load_state_dict(saved)
    assert fresh_plateau.state_dict() == plateau.state_dict()
    assert fresh.get_last_lr() == scheduler.get_last_lr() == [0.1 * 0.1 * 0.1]


# -- the optimizer gets the loaded step's values (issue 15 item 7) -------------------

WARM = lrkit.CosineDecay(0.0, 30, warmup_target=0.001, warmup_steps=10)
MOMENTUM = lrkit.CosineDecay(0.95, 40, alpha=0.85 / 0.95)


def train_steps(model: Any, optimizer: Any, scheduler: Any, steps: int) -> list[tuple[float, ...]]:
    used = []
    for x, y in (DATA * steps)[:steps]:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        group = optimizer.param_groups[0]
        used.append((group["lr"], group["momentum"]))
        optimizer.step()
        scheduler.step()
    return used


def test_building_after_loading_the_optimizer_applies_the_loaded_step_at_once() -> None:
    def fresh() -> tuple[Any, Any]:
        model = make_model()
        return model, torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)

    model, optimizer = fresh()
    scheduler = LRScheduler(optimizer, WARM, hyperparameters={"momentum": MOMENTUM})
    whole = train_steps(model, optimizer, scheduler, 20)

    model, optimizer = fresh()
    scheduler = LRScheduler(optimizer, WARM, hyperparameters={"momentum": MOMENTUM})
    first = train_steps(model, optimizer, scheduler, 9)
    checkpoint = round_trip({"optimizer": optimizer.state_dict(), "model": model.state_dict()})
    checkpoint["scheduler"] = copy.deepcopy(scheduler.state_dict())

    model, optimizer = fresh()
    model.load_state_dict(checkpoint["model"])
    optimizer.load_state_dict(checkpoint["optimizer"])  # before the scheduler is built
    resumed = LRScheduler(optimizer, WARM, hyperparameters={"momentum": MOMENTUM})
    assert optimizer.param_groups[0]["lr"] == WARM(0) == 0.0  # construction applies step 0
    resumed.load_state_dict(checkpoint["scheduler"])
    group = optimizer.param_groups[0]
    assert (group["lr"], group["momentum"]) == (WARM(9), MOMENTUM(9))
    assert group["lr"] == pytest.approx(0.0009)
    assert first + train_steps(model, optimizer, resumed, 11) == whole


def test_sequential_lr_children_leave_a_loaded_optimizer_alone() -> None:
    """A finished lrkit child must not overwrite the rate a torch child continues from."""

    def build() -> tuple[Any, Any, Any]:
        model = make_model()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        children = [
            LRScheduler(optimizer, lrkit.PolynomialDecay(0.01, 5, end_learning_rate=0.1)),
            lr_scheduler.CosineAnnealingLR(optimizer, T_max=20),
        ]
        return model, optimizer, lr_scheduler.SequentialLR(optimizer, children, milestones=[5])

    model, optimizer, scheduler = build()
    whole = train_steps(model, optimizer, scheduler, 16)
    model, optimizer, scheduler = build()
    first = train_steps(model, optimizer, scheduler, 9)
    checkpoint = copy.deepcopy(
        {"optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict()}
    )
    model_b, optimizer_b, scheduler_b = build()
    model_b.load_state_dict(model.state_dict())
    optimizer_b.load_state_dict(checkpoint["optimizer"])
    scheduler_b.load_state_dict(checkpoint["scheduler"])
    assert first + train_steps(model_b, optimizer_b, scheduler_b, 7) == whole


def test_sequential_lr_of_lrkit_children_built_after_loading_the_optimizer() -> None:
    def build(optimizer_state: Any = None) -> tuple[Any, Any, Any]:
        model = make_model()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        if optimizer_state is not None:
            optimizer.load_state_dict(optimizer_state)
        children = [
            LRScheduler(optimizer, lrkit.Constant(0.01)),
            LRScheduler(optimizer, lrkit.ExponentialDecay(0.1, 1, 0.9)),
            LRScheduler(optimizer, lrkit.Constant(0.001)),
        ]
        return model, optimizer, lr_scheduler.SequentialLR(optimizer, children, milestones=[4, 30])

    model, optimizer, scheduler = build()
    whole = train_steps(model, optimizer, scheduler, 12)
    model, optimizer, scheduler = build()
    first = train_steps(model, optimizer, scheduler, 7)
    saved_model, saved = model.state_dict(), copy.deepcopy(scheduler.state_dict())
    model_b, optimizer_b, scheduler_b = build(copy.deepcopy(optimizer.state_dict()))
    model_b.load_state_dict(saved_model)
    scheduler_b.load_state_dict(saved)
    assert optimizer_b.param_groups[0]["lr"] == lrkit.ExponentialDecay(0.1, 1, 0.9)(3)
    assert first + train_steps(model_b, optimizer_b, scheduler_b, 5) == whole


# -- states are checked like configs (issue 15 item 8) -------------------------------


def saved_state() -> tuple[Any, Any, dict[str, Any]]:
    model = make_model()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    plateau = lrkit.ReduceOnPlateau(lrkit.CosineDecay(0.1, 100), patience=0)
    scheduler = LRScheduler(optimizer, plateau)
    for _ in range(4):
        optimizer.step()
        plateau.update(1.0)
        scheduler.step()
    return optimizer, scheduler, scheduler.state_dict()


BAD_STATES: list[tuple[str, Any, type[Exception], str]] = [
    ("last_epoch", math.nan, TypeError, r"last_epoch must be an integer .*got nan of type float"),
    ("last_epoch", math.inf, TypeError, "last_epoch must be an integer"),
    ("last_epoch", 2.0, TypeError, r"last_epoch must be an integer .*got 2\.0"),
    ("last_epoch", "4", TypeError, "last_epoch must be an integer"),
    ("last_epoch", True, TypeError, "last_epoch must be an integer"),
    ("last_epoch", -2, ValueError, r"last_epoch must be an integer from -1 to 2\*\*53, got -2"),
    ("last_epoch", 2**53 + 1, ValueError, "last_epoch must be an integer from -1 to 2"),
    ("last_epoch", 10**400, ValueError, "last_epoch must be an integer from -1"),
    ("_step_count", -1, ValueError, "_step_count must be an integer from 0"),
    ("base_values", None, TypeError, "base_values must be a dict .* got None"),
    ("base_values", {"lr": 0.1}, TypeError, "base_values must be a dict"),
    ("base_values", {"lr": [math.nan]}, ValueError, r"base_values\['lr'\]\[0\] must be finite"),
    ("base_values", {"lr": ["0.1"]}, TypeError, r"base_values\['lr'\]\[0\] must be a real number"),
    ("base_values", {}, ValueError, r"does not match.*base_values for \[\], constructed"),
    ("schedules", None, TypeError, "schedules must be a dict"),
    ("relative", None, TypeError, "relative must be a list of scheduled names"),
    ("plateaus", None, TypeError, "plateaus must be a dict of path"),
    ("plateaus", {}, ValueError, r"does not match.*ReduceOnPlateau states for \[\]"),
    ("plateaus", {"lr[0]": None}, TypeError, r"plateaus\['lr\[0\]'\]: expected the dict"),
    ("kind", "lrkit.ReduceOnPlateau", ValueError, "not a state of lrkit.torch.LRScheduler"),
    ("extra", 1, ValueError, r"missing \[\], unknown \['extra'\]"),
]


@pytest.mark.parametrize(
    ("key", "value", "error", "pattern"),
    [pytest.param(*row, id=f"{row[0]}={row[1]!r}"[:40]) for row in BAD_STATES],
)
def test_bad_states_raise_naming_the_key_and_change_nothing(
    key: str, value: Any, error: type[Exception], pattern: str
) -> None:
    optimizer, scheduler, state = saved_state()
    before = (scheduler.state_dict(), [g["lr"] for g in optimizer.param_groups])
    fresh_optimizer = torch.optim.SGD(make_model().parameters(), lr=0.1)
    fresh = LRScheduler(fresh_optimizer, scheduler.schedules["lr"][0])
    with pytest.raises(error, match=pattern) as raised:
        fresh.load_state_dict({**state, key: value})
    assert str(raised.value).startswith("LRScheduler.load_state_dict: ")
    with pytest.raises(error, match=pattern):  # and the scheduler that saved it, loaded again
        scheduler.load_state_dict({**state, key: value})
    assert (scheduler.state_dict(), [g["lr"] for g in optimizer.param_groups]) == before


def test_missing_keys_and_non_dicts_are_named() -> None:
    _, scheduler, state = saved_state()
    partial = {k: v for k, v in state.items() if k not in ("plateaus", "_step_count")}
    with pytest.raises(ValueError, match=r"missing \['_step_count'\]"):
        scheduler.load_state_dict(partial)
    with pytest.raises(TypeError, match="expected a dict, got list"):
        scheduler.load_state_dict([("kind", "lrkit.torch.LRScheduler")])


def test_a_state_saved_without_plateau_states_loads_where_there_is_no_plateau() -> None:
    # lrkit 0.1.0 saved no "plateaus" key; such checkpoints keep loading.
    optimizer = torch.optim.SGD(make_model().parameters(), lr=0.1)
    scheduler = LRScheduler(optimizer, WARM)
    for _ in range(12):
        optimizer.step()
        scheduler.step()
    old = {k: v for k, v in scheduler.state_dict().items() if k != "plateaus"}
    resumed_optimizer = torch.optim.SGD(make_model().parameters(), lr=0.1)
    resumed = LRScheduler(resumed_optimizer, WARM)
    resumed.load_state_dict(old)
    assert resumed.last_epoch == 12
    assert resumed_optimizer.param_groups[0]["lr"] == WARM(12)

    with_plateau = LRScheduler(resumed_optimizer, lrkit.ReduceOnPlateau(0.1))
    old_plateau = {k: v for k, v in with_plateau.state_dict().items() if k != "plateaus"}
    with pytest.raises(ValueError, match=r"ReduceOnPlateau states for \[\], constructed"):
        with_plateau.load_state_dict(old_plateau)


def test_loading_takes_the_same_work_whatever_the_numbers() -> None:
    optimizer = torch.optim.SGD(make_model().parameters(), lr=0.1)
    plateau = lrkit.ReduceOnPlateau(1.0, factor=0.999999, eps=0.0)
    scheduler = LRScheduler(optimizer, plateau)

    def state(steps: int, reductions: int) -> dict[str, Any]:
        saved = scheduler.state_dict()
        saved["last_epoch"] = saved["_step_count"] = steps
        saved["plateaus"]["lr[0]"].update(
            last_epoch=steps, reductions=reductions, scale=0.999999**reductions
        )
        return saved

    small = lrkit_lines(lambda: scheduler.load_state_dict(state(10, 3)))
    large = lrkit_lines(lambda: scheduler.load_state_dict(state(10**15, 10**6)))
    assert small == large
    assert scheduler.last_epoch == 10**15
    assert scheduler.get_last_lr() == [0.999999**10**6]


# -- rates that cannot be applied are refused (issue 15 item 15) ---------------------


def test_a_negative_rate_raises_at_the_step_where_it_appears() -> None:
    schedule = lrkit.CosineDecay(0.1, 20) - 0.05  # below 0 from step 11 on
    first_negative = next(t for t in range(20) if schedule(t) < 0)
    model = make_model()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    scheduler = LRScheduler(optimizer, schedule)
    for _ in range(first_negative - 1):
        optimizer.step()
        scheduler.step()
    optimizer.step()
    with pytest.raises(ValueError, match="learning rate") as raised:
        scheduler.step()
    message = str(raised.value)
    for part in (
        "param group 0",
        f"at step {first_negative}",
        repr(schedule(first_negative)),
        "finite and >= 0",
        "lrkit.Clip(schedule, min_learning_rate=0.0)",
    ):
        assert part in message
    # Nothing was applied: the optimizer and the step count are where they were.
    assert scheduler.last_epoch == first_negative - 1
    assert optimizer.param_groups[0]["lr"] == schedule(first_negative - 1) >= 0
    # The remedy the message names trains on at 0.
    clipped = LRScheduler(optimizer, lrkit.Clip(schedule, min_learning_rate=0.0))
    for _ in range(first_negative + 2):
        optimizer.step()
        clipped.step()
    assert optimizer.param_groups[0]["lr"] == 0.0


@lrkit.register_serializable(package="tests_torch_resume")
class NanAfter(lrkit.LearningRateSchedule):
    """A user schedule that gives NaN from step ``after`` on."""

    def __init__(self, after: int) -> None:
        self.after = after

    def __call__(self, step: Any = None) -> Any:
        return math.nan if step >= self.after else 0.1


REFUSED: dict[str, tuple[Callable[[Any], Any], str]] = {
    "nan-rate": (lambda opt: LRScheduler(opt, NanAfter(2)), "learning rate nan at step 2"),
    "negative-at-construction": (
        lambda opt: LRScheduler(opt, lrkit.Constant(0.01) - 0.02),
        "learning rate -0.01 at step 0",
    ),
    "negative-relative-group-1": (
        lambda opt: LRScheduler(
            opt, [lrkit.Constant(1.0), lrkit.Constant(0.5) - 1.0], relative=True
        ),
        "param group 1 the learning rate -0.05 at step 0",
    ),
    "nan-momentum": (
        lambda opt: LRScheduler(
            opt, lrkit.Constant(0.1), hyperparameters={"momentum": NanAfter(1)}
        ),
        "hyperparameters['momentum'] gives param group 0 the value nan at step 1",
    ),
}


@pytest.mark.parametrize(("build", "message"), list(REFUSED.values()), ids=list(REFUSED))
def test_nan_and_negative_values_are_refused(build: Callable[[Any], Any], message: str) -> None:
    model = make_model()
    optimizer = torch.optim.SGD(
        [{"params": model[0].parameters()}, {"params": model[2].parameters(), "lr": 0.1}],
        lr=0.1,
        momentum=0.9,
    )

    def three_steps() -> None:
        scheduler = build(optimizer)
        for _ in range(3):
            optimizer.step()
            scheduler.step()

    with pytest.raises(ValueError, match=re.escape(message)):
        three_steps()


def test_loading_a_state_at_a_refused_step_loads_nothing() -> None:
    schedule = lrkit.CosineDecay(0.1, 20) - 0.05
    optimizer = torch.optim.SGD(make_model().parameters(), lr=0.1)
    scheduler = LRScheduler(optimizer, schedule)
    state = scheduler.state_dict()
    with pytest.raises(ValueError, match="at step 15"):
        scheduler.load_state_dict({**state, "last_epoch": 15})
    assert scheduler.last_epoch == 0
    assert optimizer.param_groups[0]["lr"] == schedule(0)
