"""The drop-in form of ``lrkit.compat.timm`` against timm's own schedulers.

Each case is one set of keyword arguments, given to timm's scheduler class
and to the lrkit function of the same name with the same optimizer
argument. Both drive identical two-group SGD optimizers (one group with
timm's ``lr_scale``) through timm's calls, ``step_update(t)`` and
``step(epoch)`` in turn, and every group's rate must agree after each call
(and after a ``state_dict`` / ``load_state_dict`` resume) to 1e-12.

timm is imported as users import it.
"""

from __future__ import annotations

import math
import types
from typing import Any

import pytest

from lrkit.compat import timm as compat

torch = pytest.importorskip("torch")
import lrkit.torch  # noqa: E402

TOL = 1e-12


@pytest.fixture(scope="module")
def timm_scheduler() -> types.ModuleType:
    """``timm.scheduler``, with timm imported as users import it."""
    pytest.importorskip("timm")
    import timm.scheduler

    return timm.scheduler


def _optimizer() -> Any:
    groups = [
        {"params": [torch.nn.Parameter(torch.zeros(2))]},
        {"params": [torch.nn.Parameter(torch.zeros(2))], "lr": 0.05, "lr_scale": 0.5},
    ]
    return torch.optim.SGD(groups, lr=0.1)


def _rates(optimizer: Any) -> list[float]:
    return [float(group["lr"]) for group in optimizer.param_groups]


CASES: dict[str, tuple[str, dict[str, Any]]] = {
    "cosine, warmup, updates": (
        "CosineLRScheduler",
        {"t_initial": 20, "warmup_t": 3, "warmup_lr_init": 1e-4, "t_in_epochs": False},
    ),
    "cosine cycles, epochs": (
        "CosineLRScheduler",
        {"t_initial": 6, "cycle_mul": 2.0, "cycle_decay": 0.5, "cycle_limit": 3, "lr_min": 1e-3},
    ),
    "cosine noise": (
        "CosineLRScheduler",
        {"t_initial": 20, "noise_range_t": 5, "noise_pct": 0.2, "t_in_epochs": False},
    ),
    "tanh": ("TanhLRScheduler", {"t_initial": 15, "warmup_t": 2, "t_in_epochs": False}),
    "poly": ("PolyLRScheduler", {"t_initial": 15, "power": 2.0, "warmup_t": 2}),
    "step": ("StepLRScheduler", {"decay_t": 4, "decay_rate": 0.5, "warmup_t": 2}),
    "multistep": (
        "MultiStepLRScheduler",
        {"decay_t": [3, 7], "decay_rate": 0.3, "t_in_epochs": False},
    ),
}


def _drive(scheduler: Any, optimizer: Any, steps: range) -> list[list[float]]:
    """timm's training loop: step_update after every update, step at each epoch's end."""
    seen = [_rates(optimizer)]
    for t in steps:
        optimizer.step()
        scheduler.step_update(t)
        seen.append(_rates(optimizer))
        scheduler.step(t)
        seen.append(_rates(optimizer))
    return seen


def _assert_same(got: list[list[float]], expected: list[list[float]]) -> None:
    for i, (ours, theirs) in enumerate(zip(got, expected, strict=True)):
        for group, (a, b) in enumerate(zip(ours, theirs, strict=True)):
            assert math.isclose(a, b, rel_tol=TOL, abs_tol=TOL), (i, group, a, b)


@pytest.mark.parametrize("name", list(CASES))
def test_drop_in_drives_the_optimizer_as_timm_does(
    timm_scheduler: types.ModuleType, name: str
) -> None:
    cls, kwargs = CASES[name]
    theirs = _optimizer()
    expected = _drive(getattr(timm_scheduler, cls)(theirs, **kwargs), theirs, range(30))
    ours = _optimizer()
    scheduler = getattr(compat, cls)(ours, **kwargs)
    assert isinstance(scheduler, lrkit.torch.LRScheduler)
    assert isinstance(scheduler, compat.TimmScheduler)
    _assert_same(_drive(scheduler, ours, range(30)), expected)


def test_positional_optimizer_and_resume(timm_scheduler: types.ModuleType) -> None:
    theirs = _optimizer()
    expected = _drive(timm_scheduler.CosineLRScheduler(theirs, 12, 0.001), theirs, range(20))
    ours = _optimizer()
    scheduler = compat.CosineLRScheduler(ours, 12, 0.001)
    _drive(scheduler, ours, range(8))
    saved = (ours.state_dict(), scheduler.state_dict())
    ours = _optimizer()
    scheduler = compat.CosineLRScheduler(ours, 12, 0.001)
    ours.load_state_dict(saved[0])
    scheduler.load_state_dict(saved[1])
    _assert_same(_drive(scheduler, ours, range(8, 20))[1:], expected[17:])


def test_initialize_false_needs_initial_lr_as_timm() -> None:
    with pytest.raises(KeyError, match=r"initial_lr missing from param_groups\[0\]"):
        compat.StepLRScheduler(_optimizer(), decay_t=3, initialize=False)
    assert isinstance(compat.StepLRScheduler(0.1, decay_t=3), lrkit.LearningRateSchedule)


def test_docstring_examples_run() -> None:
    import doctest

    from lrkit.compat import _timm_scheduler

    for module in (compat, _timm_scheduler):
        assert doctest.testmod(module).failed == 0
