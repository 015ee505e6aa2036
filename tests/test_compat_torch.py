"""lrkit.compat.torch against the real torch schedulers, stepped as in training.

Each case builds a torch scheduler on a one-group SGD optimizer, then calls
``optimizer.step()`` and ``scheduler.step()`` in turn, reading the group's
rate after each call: the lrkit schedule must give that rate at every step,
from 0 to well past the schedule's end (and at fractional steps, through
torch's ``scheduler.step(epoch)``, for the schedulers that take them).

Most cases are written once, as ``build(lib, first)``: ``lib`` is torch's
``lr_scheduler`` module with ``first`` the optimizer, or ``lrkit.compat.torch``
with ``first`` the base rate, which is how the compat functions stand in for
torch's.

Tolerance: torch's recursive ("chainable") forms drift from the closed form
by float64 rounding only, at most about 2e-13 relative over the thousands of
steps measured here, so values must agree to ``RTOL`` = 1e-9 (and to
``ATOL`` = 1e-12 times the largest rate, for rates at or near 0).
"""

from __future__ import annotations

import math
import re
import subprocess
import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pytest

import lrkit
from lrkit.compat import torch as compat

torch = pytest.importorskip("torch")
lr_scheduler = torch.optim.lr_scheduler

RTOL, ATOL = 1e-9, 1e-12

#: torch's messages for ``scheduler.step(epoch)``, which the fractional-step cases use on purpose.
EPOCH_DEPRECATION = "The epoch parameter in `scheduler.step()`"

Build = Callable[[Any, Any], Any]


def _optimizer(base_lr: float) -> Any:
    parameter = torch.nn.Parameter(torch.zeros(2))
    return torch.optim.SGD([parameter], lr=base_lr, momentum=0.9)


@contextmanager
def _no_order_warnings() -> Iterator[None]:
    """Any warning torch gives for the way these tests step is an error, except the one chosen."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.filterwarnings(
            "ignore", message=re.escape(EPOCH_DEPRECATION), category=UserWarning
        )
        yield


def torch_rates(build: Build, base_lr: float, steps: int) -> list[float]:
    """The group's rate after construction and after each of ``steps`` training steps."""
    with _no_order_warnings():
        optimizer = _optimizer(base_lr)
        scheduler = build(lr_scheduler, optimizer)
        rates = [optimizer.param_groups[0]["lr"]]
        for _ in range(steps):
            optimizer.step()
            scheduler.step()
            rates.append(optimizer.param_groups[0]["lr"])
    return rates


def torch_rates_at(build: Build, base_lr: float, epochs: list[float]) -> list[float]:
    """The group's rate after ``scheduler.step(epoch)`` at each (fractional) epoch."""
    with _no_order_warnings():
        optimizer = _optimizer(base_lr)
        scheduler = build(lr_scheduler, optimizer)
        rates = []
        for epoch in epochs:
            optimizer.step()
            scheduler.step(epoch)
            rates.append(optimizer.param_groups[0]["lr"])
    return rates


def assert_rates_equal(schedule: lrkit.LearningRateSchedule, steps: Any, expected: Any) -> None:
    expected = np.asarray(expected, dtype=np.float64)
    scale = max(float(np.max(np.abs(expected))), 1e-300)
    scalars = np.array([schedule(step) for step in steps])
    np.testing.assert_allclose(scalars, expected, rtol=RTOL, atol=ATOL * scale)
    # The array path (one call over every step) gives the same rates.
    array = schedule(np.asarray(steps, dtype=np.float64))
    np.testing.assert_allclose(array, expected, rtol=RTOL, atol=ATOL * scale)


def cyclic(lib: Any, first: Any, **kwargs: Any) -> Any:
    """``CyclicLR``: torch's takes the optimizer, then its own ``base_lr``; lrkit's starts there."""
    return lib.CyclicLR(first, **kwargs) if lib is lr_scheduler else lib.CyclicLR(**kwargs)


# -- the cases: (build, base_lr, steps) by id ----------------------------------------

CASES: dict[str, tuple[Build, float, int]] = {
    "StepLR": (lambda lib, o: lib.StepLR(o, step_size=3, gamma=0.5), 0.1, 40),
    "StepLR-default-gamma": (lambda lib, o: lib.StepLR(o, 30), 1.0, 200),
    "StepLR-gamma-1": (lambda lib, o: lib.StepLR(o, step_size=1, gamma=1.0), 0.3, 10),
    "StepLR-growth": (lambda lib, o: lib.StepLR(o, step_size=4, gamma=1.5), 0.01, 60),
    "MultiStepLR": (lambda lib, o: lib.MultiStepLR(o, milestones=[30, 80]), 0.1, 150),
    "MultiStepLR-duplicates": (
        lambda lib, o: lib.MultiStepLR(o, milestones=[2, 2, 5], gamma=0.5),
        0.1,
        20,
    ),
    "MultiStepLR-unsorted-zero": (
        lambda lib, o: lib.MultiStepLR(o, milestones=[7, 0, 3], gamma=0.3),
        1.0,
        20,
    ),
    "MultiStepLR-none": (lambda lib, o: lib.MultiStepLR(o, milestones=[]), 0.1, 5),
    "ConstantLR": (lambda lib, o: lib.ConstantLR(o), 0.1, 20),
    "ConstantLR-factor-0.1": (
        lambda lib, o: lib.ConstantLR(o, factor=0.1, total_iters=2),
        0.05,
        10,
    ),
    "ConstantLR-factor-1": (lambda lib, o: lib.ConstantLR(o, factor=1.0, total_iters=3), 0.1, 8),
    "LinearLR": (lambda lib, o: lib.LinearLR(o), 0.1, 20),
    "LinearLR-decay-to-0": (
        lambda lib, o: lib.LinearLR(o, start_factor=1.0, end_factor=0.0, total_iters=10),
        0.1,
        30,
    ),
    "LinearLR-warmup": (
        lambda lib, o: lib.LinearLR(o, start_factor=0.01, end_factor=0.5, total_iters=100),
        0.3,
        300,
    ),
    "LinearLR-one-step": (lambda lib, o: lib.LinearLR(o, 0.25, total_iters=1), 0.1, 5),
    "ExponentialLR": (lambda lib, o: lib.ExponentialLR(o, gamma=0.9), 0.1, 100),
    "ExponentialLR-long": (lambda lib, o: lib.ExponentialLR(o, 0.999), 1.0, 3000),
    "ExponentialLR-growth": (lambda lib, o: lib.ExponentialLR(o, 1.01), 0.001, 300),
    "PolynomialLR": (lambda lib, o: lib.PolynomialLR(o), 0.1, 20),
    "PolynomialLR-square": (
        lambda lib, o: lib.PolynomialLR(o, total_iters=50, power=2.0),
        0.1,
        120,
    ),
    "PolynomialLR-sqrt": (lambda lib, o: lib.PolynomialLR(o, total_iters=7, power=0.5), 1.0, 20),
    "PolynomialLR-power-0": (lambda lib, o: lib.PolynomialLR(o, total_iters=4, power=0.0), 0.1, 10),
    "CosineAnnealingLR": (lambda lib, o: lib.CosineAnnealingLR(o, T_max=10), 0.1, 100),
    "CosineAnnealingLR-eta-min": (
        lambda lib, o: lib.CosineAnnealingLR(o, T_max=7, eta_min=0.001),
        0.1,
        200,
    ),
    "CosineAnnealingLR-long": (lambda lib, o: lib.CosineAnnealingLR(o, 100), 0.1, 2000),
    "CosineAnnealingLR-T-1": (lambda lib, o: lib.CosineAnnealingLR(o, 1, eta_min=0.01), 0.1, 10),
    "CosineAnnealingLR-fractional-T": (lambda lib, o: lib.CosineAnnealingLR(o, 7.5), 0.1, 100),
    "CosineAnnealingLR-eta-above-base": (
        lambda lib, o: lib.CosineAnnealingLR(o, 6, eta_min=0.2),
        0.1,
        40,
    ),
    "CosineAnnealingWarmRestarts": (
        lambda lib, o: lib.CosineAnnealingWarmRestarts(o, T_0=10),
        0.1,
        100,
    ),
    "CosineAnnealingWarmRestarts-mult-2": (
        lambda lib, o: lib.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2, eta_min=0.01),
        0.1,
        200,
    ),
    "CosineAnnealingWarmRestarts-mult-3": (
        lambda lib, o: lib.CosineAnnealingWarmRestarts(o, 1, 3, 0.05),
        0.1,
        400,
    ),
    "CyclicLR": (lambda lib, o: cyclic(lib, o, base_lr=0.01, max_lr=0.1, step_size_up=10), 0, 100),
    "CyclicLR-uneven": (
        lambda lib, o: cyclic(lib, o, base_lr=0.1, max_lr=1.0, step_size_up=3, step_size_down=7),
        0,
        60,
    ),
    "CyclicLR-triangular2": (
        lambda lib, o: cyclic(
            lib, o, base_lr=0.001, max_lr=0.006, step_size_up=5, mode="triangular2"
        ),
        0,
        80,
    ),
    "CyclicLR-exp-range": (
        lambda lib, o: cyclic(
            lib, o, base_lr=0.01, max_lr=0.1, step_size_up=4, mode="exp_range", gamma=0.97
        ),
        0,
        120,
    ),
    "CyclicLR-sawtooth": (
        lambda lib, o: cyclic(lib, o, base_lr=0.1, max_lr=0.02, step_size_up=5, step_size_down=0),
        0,
        30,
    ),
    "CyclicLR-default-steps": (lambda lib, o: cyclic(lib, o, base_lr=0.001, max_lr=0.01), 0, 4500),
    "CyclicLR-fractional-steps": (
        lambda lib, o: cyclic(lib, o, base_lr=0.01, max_lr=0.1, step_size_up=2.5),
        0,
        30,
    ),
}

#: OneCycleLR stops at its total steps N: (build, N).
ONE_CYCLE_CASES: dict[str, tuple[Build, int]] = {
    "default": (lambda lib, o: lib.OneCycleLR(o, max_lr=1.0, total_steps=10), 10),
    "linear": (lambda lib, o: lib.OneCycleLR(o, 1.0, 10, anneal_strategy="linear"), 10),
    "long": (lambda lib, o: lib.OneCycleLR(o, 0.1, total_steps=1000), 1000),
    "epochs": (lambda lib, o: lib.OneCycleLR(o, 0.5, epochs=4, steps_per_epoch=25), 100),
    "three-phase": (lambda lib, o: lib.OneCycleLR(o, 0.3, 50, three_phase=True), 50),
    "three-phase-linear": (
        lambda lib, o: lib.OneCycleLR(
            o,
            2.0,
            40,
            pct_start=0.2,
            anneal_strategy="linear",
            div_factor=4.0,
            final_div_factor=10.0,
            three_phase=True,
        ),
        40,
    ),
    "short-rise-skipped": (lambda lib, o: lib.OneCycleLR(o, 0.5, 20, pct_start=0.025), 20),
    "pct-0": (lambda lib, o: lib.OneCycleLR(o, 0.5, 20, pct_start=0.0), 20),
    "pct-1": (lambda lib, o: lib.OneCycleLR(o, 0.5, 20, pct_start=1.0), 20),
    "pct-0.95-short-fall": (lambda lib, o: lib.OneCycleLR(o, 0.5, 10, pct_start=0.95), 10),
    "three-phase-pct-0.55": (
        lambda lib, o: lib.OneCycleLR(o, 0.5, 20, pct_start=0.55, three_phase=True),
        20,
    ),
    "three-phase-pct-0.6-linear": (
        lambda lib, o: lib.OneCycleLR(
            o, 0.5, 20, pct_start=0.6, three_phase=True, anneal_strategy="linear"
        ),
        20,
    ),
    "three-phase-second-ends-at-last": (
        lambda lib, o: lib.OneCycleLR(o, 0.5, 8, pct_start=0.5625, three_phase=True),
        8,
    ),
    "one-step": (lambda lib, o: lib.OneCycleLR(o, 0.5, 1), 1),
    "div-below-1": (lambda lib, o: lib.OneCycleLR(o, 0.1, 30, div_factor=0.5), 30),
}

SEQUENTIAL_CASES: dict[str, tuple[Build, float, int]] = {
    "warmup-then-cosine": (
        lambda lib, o: lib.SequentialLR(
            o, [lib.LinearLR(o, 0.1, total_iters=3), lib.CosineAnnealingLR(o, 5)], [3]
        ),
        0.1,
        40,
    ),
    "three-children": (
        lambda lib, o: lib.SequentialLR(
            o,
            [
                lib.ConstantLR(o, 0.5, total_iters=10),
                lib.ExponentialLR(o, 0.8),
                lib.StepLR(o, 2, gamma=0.5),
            ],
            [4, 9],
        ),
        0.2,
        30,
    ),
    "milestone-0": (
        lambda lib, o: lib.SequentialLR(
            o, [lib.ExponentialLR(o, 0.5), lib.PolynomialLR(o, 6, 2.0)], milestones=[0]
        ),
        0.1,
        12,
    ),
    "shared-milestone": (
        lambda lib, o: lib.SequentialLR(
            o,
            [lib.LinearLR(o, 0.5, total_iters=4), lib.ExponentialLR(o, 0.5), lib.StepLR(o, 3)],
            [5, 5],
        ),
        0.1,
        20,
    ),
    "restarts-multistep-and-constant": (
        lambda lib, o: lib.SequentialLR(
            o,
            [lib.MultiStepLR(o, [0, 2], gamma=0.5), lib.ConstantLR(o, 0.25, 3)],
            [5],
        ),
        0.4,
        15,
    ),
    "warm-restarts-later": (
        lambda lib, o: lib.SequentialLR(
            o,
            [
                lib.LinearLR(o, 0.2, total_iters=5),
                lib.CosineAnnealingWarmRestarts(o, T_0=4, T_mult=2, eta_min=0.001),
            ],
            [5],
        ),
        0.1,
        60,
    ),
    "cyclic-later": (
        lambda lib, o: lib.SequentialLR(
            o,
            [lib.ConstantLR(o, 0.1, 3), cyclic(lib, o, base_lr=0.01, max_lr=0.05, step_size_up=4)],
            [6],
        ),
        0.1,
        40,
    ),
    "cosine-first-restarted-twice": (
        lambda lib, o: lib.SequentialLR(
            o,
            [
                lib.CosineAnnealingLR(o, 4, eta_min=0.01),
                lib.PolynomialLR(o, 5),
                lib.CosineAnnealingLR(o, 3),
            ],
            [9, 12],
        ),
        0.1,
        40,
    ),
    "single": (lambda lib, o: lib.SequentialLR(o, [lib.StepLR(o, 3)], []), 0.1, 10),
}

CHAINED_CASES: dict[str, tuple[Build, float, int]] = {
    "constant-exponential": (
        lambda lib, o: lib.ChainedScheduler(
            [lib.ConstantLR(o, factor=0.1, total_iters=2), lib.ExponentialLR(o, 0.9)], o
        ),
        0.1,
        30,
    ),
    "step-multistep-linear": (
        lambda lib, o: lib.ChainedScheduler(
            [
                lib.StepLR(o, 3, gamma=0.5),
                lib.MultiStepLR(o, [2, 5, 5], gamma=0.8),
                lib.LinearLR(o, 0.5, 1.0, total_iters=4),
            ],
            o,
        ),
        0.1,
        30,
    ),
    "polynomial-exponential": (
        lambda lib, o: lib.ChainedScheduler(
            [lib.PolynomialLR(o, 10, 2.0), lib.ExponentialLR(o, 0.95)], o
        ),
        1.0,
        20,
    ),
    "warmup-times-cosine": (
        lambda lib, o: lib.ChainedScheduler(
            [lib.LinearLR(o, 0.2, total_iters=4), lib.CosineAnnealingLR(o, 6)], o
        ),
        0.1,
        40,
    ),
    "cosine-times-constant": (
        lambda lib, o: lib.ChainedScheduler(
            [lib.CosineAnnealingLR(o, 6), lib.ConstantLR(o, 0.3, total_iters=6)], o
        ),
        0.1,
        40,
    ),
    "nested": (
        lambda lib, o: lib.ChainedScheduler(
            [
                lib.ChainedScheduler([lib.StepLR(o, 2, 0.5), lib.ExponentialLR(o, 0.9)], o),
                lib.ConstantLR(o, 0.5, total_iters=3),
            ],
            o,
        ),
        0.1,
        20,
    ),
    "single-closed-form": (
        lambda lib, o: lib.ChainedScheduler(
            [cyclic(lib, o, base_lr=0.01, max_lr=0.1, step_size_up=3)], o
        ),
        0.01,
        20,
    ),
}


def _params(cases: dict[str, Any]) -> list[Any]:
    return [pytest.param(*case, id=key) for key, case in cases.items()]


# -- parity at every step -----------------------------------------------------------


@pytest.mark.parametrize(("build", "base_lr", "steps"), _params(CASES))
def test_matches_stepped_torch(build: Build, base_lr: float, steps: int) -> None:
    expected = torch_rates(build, base_lr, steps)
    assert_rates_equal(build(compat, base_lr), range(steps + 1), expected)


@pytest.mark.parametrize(("build", "base_lr", "steps"), _params(SEQUENTIAL_CASES))
def test_sequential_lr_matches_stepped_torch(build: Build, base_lr: float, steps: int) -> None:
    expected = torch_rates(build, base_lr, steps)
    assert_rates_equal(build(compat, base_lr), range(steps + 1), expected)


@pytest.mark.parametrize(("build", "base_lr", "steps"), _params(CHAINED_CASES))
def test_chained_scheduler_matches_stepped_torch(build: Build, base_lr: float, steps: int) -> None:
    expected = torch_rates(build, base_lr, steps)
    assert_rates_equal(build(compat, base_lr), range(steps + 1), expected)


def torch_rates_until_error(build: Build, base_lr: float, steps: int) -> list[float]:
    """As :func:`torch_rates`, stopping where torch raises; it must raise."""
    with _no_order_warnings():
        optimizer = _optimizer(base_lr)
        scheduler = build(lr_scheduler, optimizer)
        rates = [optimizer.param_groups[0]["lr"]]
        for _ in range(steps):
            optimizer.step()
            try:
                scheduler.step()
            except (ValueError, ZeroDivisionError):
                return rates
            rates.append(optimizer.param_groups[0]["lr"])
    raise AssertionError(f"torch did not raise within {steps} steps")


@pytest.mark.parametrize(("build", "total"), _params(ONE_CYCLE_CASES))
def test_one_cycle_lr_matches_torch_until_it_raises_then_holds(build: Build, total: int) -> None:
    schedule = build(compat, None)
    expected = torch_rates_until_error(build, 0.1, total + 1)
    # torch gives step N (or, where it divides by zero there, stops at N - 1).
    assert len(expected) - 1 in (total, total - 1)
    assert_rates_equal(schedule, range(len(expected)), expected)
    last = len(expected) - 1
    after = [schedule(step) for step in (last + 0.5, last + 1, 10 * total, 10**9)]
    np.testing.assert_allclose(after, expected[-1], rtol=RTOL)


def test_one_cycle_lr_where_torch_fails_at_step_n_holds_the_final_rate() -> None:
    # pct_start=1: torch divides by zero at step N, so the rate of step N - 1 holds.
    schedule = compat.OneCycleLR(None, 0.5, 20, pct_start=1.0)
    assert isinstance(schedule, lrkit.OneCycle)
    assert schedule(20) == schedule(19) == schedule(1000)


def test_one_cycle_lr_goes_below_zero_at_step_n_like_torch() -> None:
    # The linear anneal extrapolates past the final rate: torch sets a negative rate.
    schedule = compat.OneCycleLR(None, max_lr=1.0, total_steps=10, anneal_strategy="linear")
    expected = torch_rates(
        lambda lib, o: lib.OneCycleLR(o, 1.0, 10, anneal_strategy="linear"), 0.1, 10
    )
    assert expected[-1] < 0
    assert schedule(10) == pytest.approx(expected[-1], rel=RTOL)
    assert schedule(11) == schedule(10)


# -- fractional steps: scheduler.step(epoch) ------------------------------------------

FRACTIONAL_CASES: dict[str, tuple[Build, list[float]]] = {
    "CyclicLR": (
        lambda lib, o: cyclic(lib, o, base_lr=0.01, max_lr=0.1, step_size_up=4, step_size_down=6),
        [k / 8 for k in range(0, 300)],
    ),
    "CyclicLR-exp-range": (
        lambda lib, o: cyclic(
            lib, o, base_lr=0.01, max_lr=0.1, step_size_up=3, mode="exp_range", gamma=0.9
        ),
        [k / 3 for k in range(0, 90)],
    ),
    "OneCycleLR": (
        lambda lib, o: lib.OneCycleLR(o, 1.0, 20),
        [k / 4 for k in range(0, 81)],
    ),
    "OneCycleLR-short-last-phase": (
        lambda lib, o: lib.OneCycleLR(o, 1.0, 10, pct_start=0.95),
        [k / 8 for k in range(0, 81)],
    ),
    "OneCycleLR-three-phase-linear": (
        lambda lib, o: lib.OneCycleLR(o, 1.0, 16, three_phase=True, anneal_strategy="linear"),
        [k / 5 for k in range(0, 81)],
    ),
    "CosineAnnealingWarmRestarts": (
        lambda lib, o: lib.CosineAnnealingWarmRestarts(o, T_0=5, eta_min=0.01),
        [k / 7 for k in range(0, 200)],
    ),
    "CosineAnnealingWarmRestarts-mult-2": (
        lambda lib, o: lib.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2),
        [k / 4 for k in range(0, 400)],
    ),
    "CosineAnnealingLR": (
        lambda lib, o: lib.CosineAnnealingLR(o, 10, 0.01),
        [k / 3 for k in range(0, 100)],
    ),
    "ExponentialLR": (lambda lib, o: lib.ExponentialLR(o, 0.8), [k / 4 for k in range(0, 60)]),
    "LinearLR": (lambda lib, o: lib.LinearLR(o, 0.2, 0.9, 6), [k / 4 for k in range(0, 40)]),
    "PolynomialLR": (lambda lib, o: lib.PolynomialLR(o, 6, 1.5), [k / 4 for k in range(0, 40)]),
}


@pytest.mark.parametrize(("build", "epochs"), _params(FRACTIONAL_CASES))
def test_fractional_steps_match_torch_step_epoch(build: Build, epochs: list[float]) -> None:
    expected = torch_rates_at(build, 0.1, epochs)
    assert_rates_equal(build(compat, 0.1), epochs, expected)


def test_warm_restarts_are_exact_where_torch_rounds_a_fractional_epoch() -> None:
    # torch finds the period of a fractional epoch with a logarithm, which puts the
    # restart at epoch 363 = 3 + 9 + 27 + 81 + 243 into the previous period (a trough).
    def build(lib: Any, first: Any) -> Any:
        return lib.CosineAnnealingWarmRestarts(first, T_0=3, T_mult=3)

    torch_at_363 = torch_rates_at(build, 0.1, [363.0])[0]
    stepped = torch_rates(build, 0.1, 363)[-1]  # stepping there one by one is exact
    schedule = build(compat, 0.1)
    assert torch_at_363 == pytest.approx(0.0, abs=1e-15)
    assert schedule(363.0) == pytest.approx(stepped, rel=RTOL) == 0.1


# -- construction: torch's checks, lrkit's stricter ones, the contracts ---------------

#: (function, arguments) that torch refuses too (with any exception).
REFUSED_LIKE_TORCH: list[tuple[str, dict[str, Any], str]] = [
    ("ConstantLR", {"factor": 1.5}, "factor"),
    ("ConstantLR", {"factor": -0.1}, "factor"),
    ("LinearLR", {"start_factor": 0.0}, "start_factor"),
    ("LinearLR", {"start_factor": 1.5}, "start_factor"),
    ("LinearLR", {"end_factor": 1.5}, "end_factor"),
    ("CosineAnnealingWarmRestarts", {"T_0": 0}, "T_0"),
    ("CosineAnnealingWarmRestarts", {"T_0": 2.5}, "T_0"),
    ("CosineAnnealingWarmRestarts", {"T_0": 5, "T_mult": 0}, "T_mult"),
    ("CosineAnnealingWarmRestarts", {"T_0": 5, "T_mult": 1.5}, "T_mult"),
    ("OneCycleLR", {"max_lr": 0.1, "total_steps": 0}, "total_steps"),
    ("OneCycleLR", {"max_lr": 0.1, "total_steps": 10.0}, "total_steps"),
    ("OneCycleLR", {"max_lr": 0.1}, "total_steps"),
    ("OneCycleLR", {"max_lr": 0.1, "epochs": 0, "steps_per_epoch": 5}, "epochs"),
    ("OneCycleLR", {"max_lr": 0.1, "total_steps": 10, "pct_start": 1.5}, "pct_start"),
    ("OneCycleLR", {"max_lr": 0.1, "total_steps": 10, "pct_start": 0.1}, "pct_start"),
    ("OneCycleLR", {"max_lr": 0.1, "total_steps": 10, "anneal_strategy": "cosine"}, "anneal"),
    ("CyclicLR", {"base_lr": 0.1, "max_lr": 1.0, "mode": "sine"}, "mode"),
]


@pytest.mark.parametrize(
    ("name", "kwargs", "word"),
    [pytest.param(*row, id=f"{row[0]}-{row[2]}-{i}") for i, row in enumerate(REFUSED_LIKE_TORCH)],
)
def test_refuses_what_torch_refuses(name: str, kwargs: dict[str, Any], word: str) -> None:
    torch_class = getattr(lr_scheduler, name)
    with pytest.raises((ValueError, TypeError, ZeroDivisionError)), _no_order_warnings():
        torch_class(_optimizer(0.1), **kwargs)
    function = getattr(compat, name)
    with pytest.raises((ValueError, TypeError), match=word) as raised:
        function(**kwargs) if name == "CyclicLR" else function(0.1, **kwargs)
    assert str(raised.value).startswith(f"{name}: ")
    assert "got " in str(raised.value)


#: What lrkit refuses although torch takes it (each documented in the function).
REFUSED_BY_LRKIT: list[tuple[Callable[[], Any], type[Exception], str]] = [
    (lambda: compat.StepLR(0.1, step_size=2.5), TypeError, "step_size"),
    (lambda: compat.StepLR(0.1, step_size=0), ValueError, "step_size"),
    (lambda: compat.StepLR(-0.1, step_size=3), ValueError, "base_lr"),
    (lambda: compat.MultiStepLR(0.1, milestones=[2, 4.5]), TypeError, r"milestones\[1\]"),
    (lambda: compat.MultiStepLR(0.1, milestones=[-1]), ValueError, r"milestones\[0\]"),
    (lambda: compat.MultiStepLR(0.1, milestones=3), TypeError, "milestones"),
    (lambda: compat.ConstantLR(0.1, total_iters=0), ValueError, "total_iters"),
    (lambda: compat.LinearLR(0.1, total_iters=0), ValueError, "total_iters"),
    (lambda: compat.PolynomialLR(0.1, total_iters=0), ValueError, "total_iters"),
    (lambda: compat.PolynomialLR(0.1, power=-1.0), ValueError, "power"),
    (lambda: compat.ExponentialLR(0.1, gamma=0.0), ValueError, "gamma"),
    (lambda: compat.CosineAnnealingLR(0.1, T_max=0), ValueError, "T_max"),
    (lambda: compat.CosineAnnealingWarmRestarts(0.1, 5, eta_min=0.2), ValueError, "eta_min"),
    (lambda: compat.CyclicLR(0.1, 1.0, scale_fn=lambda x: 1.0), TypeError, "scale_fn"),
    (lambda: compat.CyclicLR(0.1, 1.0, mode="exp_range", gamma=1.5), ValueError, "gamma"),
    (lambda: compat.CyclicLR(0.1, 1.0, cycle_momentum=1), TypeError, "cycle_momentum"),
    (lambda: compat.OneCycleLR(None, 0.1, 10, div_factor=0), ValueError, "div_factor"),
    (
        lambda: compat.SequentialLR(0.1, [compat.StepLR(0.1, 2)] * 3, [5, 2]),
        ValueError,
        "non-decreasing",
    ),
    (
        lambda: compat.SequentialLR(0.1, [compat.StepLR(0.1, 2)] * 2, [2, 3]),
        ValueError,
        "one entry fewer",
    ),
    (lambda: compat.SequentialLR(0.1, [], []), ValueError, "schedulers"),
    (lambda: compat.SequentialLR(0.1, [compat.StepLR(0.1, 2)] * 2, [1.5]), TypeError, "milestones"),
]


@pytest.mark.parametrize(("build", "error", "word"), REFUSED_BY_LRKIT)
def test_refuses_what_it_cannot_reproduce(
    build: Callable[[], Any], error: type[Exception], word: str
) -> None:
    with pytest.raises(error, match=word) as raised:
        build()
    assert "got " in str(raised.value)


def _sequential(*children: Any) -> Any:
    return compat.SequentialLR(0.1, list(children), [3] * (len(children) - 1))


def test_sequential_lr_refuses_nested_sequences_and_chains() -> None:
    # torch cannot restart these at a milestone (SequentialLR and ChainedScheduler
    # have no get_lr), so neither can be a child.
    inner = _sequential(compat.StepLR(0.1, 2), compat.ExponentialLR(0.1, 0.9))
    chained = compat.ChainedScheduler([compat.StepLR(0.1, 2), compat.ExponentialLR(0.1, 0.9)], 0.1)
    for child in (inner, chained):
        with pytest.raises(ValueError, match=r"schedulers\[1\] must not be a SequentialLR"):
            _sequential(compat.StepLR(0.1, 2), child)
    # ConstantLR and OneCycleLR are Joins too, and are accepted.
    _sequential(compat.ConstantLR(0.1), compat.OneCycleLR(None, 0.1, 10))


def test_chained_scheduler_refuses_closed_form_children() -> None:
    exponential = compat.ExponentialLR(0.1, 0.9)
    for child in (
        compat.CyclicLR(0.01, 0.1, 5),
        compat.OneCycleLR(None, 0.1, 20),
        compat.CosineAnnealingWarmRestarts(0.1, 5),
        _sequential(compat.StepLR(0.1, 2), exponential),
    ):
        with pytest.raises(ValueError, match="chainable"):
            compat.ChainedScheduler([exponential, child], 0.1)


@pytest.mark.parametrize(
    "children",
    [
        pytest.param(
            lambda lib, o: [lib.ExponentialLR(o, 0.9), lib.CosineAnnealingLR(o, 5)], id="exp"
        ),
        pytest.param(
            lambda lib, o: [lib.LinearLR(o, 0.5, total_iters=8), lib.CosineAnnealingLR(o, 5)],
            id="warmup-past-T_max",
        ),
        pytest.param(
            lambda lib, o: [lib.ConstantLR(o, 0.5, 2), lib.CosineAnnealingLR(o, 5, eta_min=0.01)],
            id="eta_min",
        ),
    ],
)
def test_chained_cosine_is_refused_where_torch_is_no_product(children: Build) -> None:
    # torch restarts the cosine from its own base rate after each trough (and steps an
    # eta_min > 0 affinely), so the rate is no product of the factors: refused.
    def build(lib: Any, first: Any) -> Any:
        return lib.ChainedScheduler(children(lib, first), first)

    stepped = torch_rates(build, 0.1, 30)
    factors = [child for child in children(compat, 0.1)]
    product = [
        math.prod(child(t) for child in factors) / 0.1 ** (len(factors) - 1) for t in range(31)
    ]
    assert not np.allclose(stepped, product, rtol=1e-6)
    with pytest.raises(ValueError, match=r"CosineAnnealingLR|chainable"):
        build(compat, 0.1)


def test_sequential_lr_child_rates_follow_the_group_initial_lr() -> None:
    # OneCycleLR rewrites the group's initial_lr to max_lr / div_factor when built, and
    # SequentialLR starts the first child from it: pass that rate as the child's base_lr.
    def build(lib: Any, first: Any) -> Any:
        children = [lib.LinearLR(first, 0.5, total_iters=4), lib.OneCycleLR(first, 1.0, 12)]
        return lib.SequentialLR(first, children, [6])

    expected = torch_rates(build, 0.1, 18)
    initial_lr = 1.0 / 25.0
    schedule = compat.SequentialLR(
        None,
        [compat.LinearLR(initial_lr, 0.5, total_iters=4), compat.OneCycleLR(None, 1.0, 12)],
        [6],
    )
    assert_rates_equal(schedule, range(19), expected)


def test_results_are_serializable_lrkit_schedules() -> None:
    every = [build(compat, base_lr) for build, base_lr, _ in CASES.values()]
    every += [build(compat, base_lr) for build, base_lr, _ in SEQUENTIAL_CASES.values()]
    every += [build(compat, base_lr) for build, base_lr, _ in CHAINED_CASES.values()]
    every += [build(compat, None) for build, _ in ONE_CYCLE_CASES.values()]
    for schedule in every:
        assert isinstance(schedule, lrkit.LearningRateSchedule)
        revived = lrkit.from_json(lrkit.to_json(schedule))
        assert revived == schedule
        steps = np.arange(0.0, 60.0, 0.5)
        np.testing.assert_array_equal(revived(steps), schedule(steps))


def test_import_does_not_import_torch(tmp_path: Any) -> None:
    code = "import sys, lrkit.compat.torch\nprint('torch' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True
    )
    assert out.stdout.strip() == "False"


def test_every_name_is_exported() -> None:
    names = {
        "StepLR", "MultiStepLR", "ConstantLR", "LinearLR", "ExponentialLR", "PolynomialLR",
        "CosineAnnealingLR", "CosineAnnealingWarmRestarts", "CyclicLR", "OneCycleLR",
        "SequentialLR", "ChainedScheduler",
    }  # fmt: skip
    assert set(compat.__all__) == names
    assert all(callable(getattr(compat, name)) for name in names)
