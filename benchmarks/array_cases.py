"""The array cases: lrkit schedules over ``n`` steps and their hand-written array formulas.

Each case is sized to the number of steps ``n`` (the schedule spans about
``n`` steps). The hand-written references are the formula typed out with the
array library's own functions, as a user would write it for one schedule;
``numpy_formula`` gets int64 steps (computed in float64, as lrkit does) and
``torch_formula`` float32 steps. ``optax`` builds optax's schedule with the
same values, for the comparison under ``jax.jit``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import lrkit

Formula = Callable[[Any], Any]


@dataclass
class ArrayCase:
    name: str
    make: Callable[[int], lrkit.LearningRateSchedule]  # n -> schedule
    numpy_formula: Callable[[int], Formula]  # n -> f(int64 steps) -> float64 rates
    torch_formula: Callable[[int], Formula]  # n -> f(float32 steps) -> float32 rates
    optax: Callable[[Any, int], Any] | None = None  # (optax, n) -> schedule


def _warmup_cosine_numpy(n: int) -> Formula:
    import numpy as np

    warmup, decay, peak = n // 10, n - n // 10, 0.1

    def f(t: Any) -> Any:
        rising = peak * t / warmup
        after = np.clip(t - warmup, 0, decay)
        return np.where(t < warmup, rising, peak * 0.5 * (1 + np.cos(np.pi * after / decay)))

    return f


def _warmup_cosine_torch(n: int) -> Formula:
    import torch

    warmup, decay, peak = n // 10, n - n // 10, 0.1

    def f(t: Any) -> Any:
        rising = peak * t / warmup
        after = torch.clip(t - warmup, 0, decay)
        return torch.where(
            t < warmup, rising, peak * 0.5 * (1 + torch.cos(math.pi * after / decay))
        )

    return f


def _exponential(n: int) -> Formula:
    period = n // 10

    def f(t: Any) -> Any:
        return 0.1 * 0.5 ** (t / period)

    return f


def _piecewise_numpy(n: int) -> Formula:
    import numpy as np

    boundaries = np.asarray([3 * n // 10, 6 * n // 10, 8 * n // 10])
    values = np.asarray([0.1, 0.05, 0.01, 0.001])

    def f(t: Any) -> Any:
        return values[np.searchsorted(boundaries, t, side="left")]

    return f


def _piecewise_torch(n: int) -> Formula:
    import torch

    boundaries = torch.tensor([3 * n // 10, 6 * n // 10, 8 * n // 10], dtype=torch.float32)
    values = torch.tensor([0.1, 0.05, 0.01, 0.001])

    def f(t: Any) -> Any:
        return values[torch.bucketize(t, boundaries)]

    return f


def _linear_numpy(n: int) -> Formula:
    import numpy as np

    def f(t: Any) -> Any:
        return 0.1 - 0.1 * np.minimum(t, n) / n

    return f


def _linear_torch(n: int) -> Formula:
    import torch

    def f(t: Any) -> Any:
        return 0.1 - 0.1 * torch.clip(t, max=n) / n

    return f


def _wsd(xp_name: str, n: int) -> Formula:
    """Warmup 10%, plateau 70%, cosine decay over the last 20% to 0."""
    xp: Any = __import__(xp_name)
    warmup, stable, decay, peak = n // 10, 7 * n // 10, n - 8 * n // 10, 0.1
    pi = math.pi

    def f(t: Any) -> Any:
        progress = xp.clip((t - warmup - stable) / decay, 0, 1)
        falling = peak * 0.5 * (1 + xp.cos(pi * progress))
        result = xp.where(t < warmup + stable, peak, falling)
        return xp.where(t < warmup, peak * t / warmup, result)

    return f


def _one_cycle(xp_name: str, n: int) -> Formula:
    """torch's OneCycleLR, cosine, two phases."""
    xp: Any = __import__(xp_name)
    peak = 0.1
    start, rise_end, last = peak / 25, 0.3 * n - 1, n - 1
    final = start / 1e4
    pi = math.pi

    def f(t: Any) -> Any:
        t = xp.clip(t, 0, last)
        rising = peak + (start - peak) / 2 * (xp.cos(pi * t / rise_end) + 1)
        x = (t - rise_end) / (last - rise_end)
        falling = final + (peak - final) / 2 * (xp.cos(pi * x) + 1)
        return xp.where(t <= rise_end, rising, falling)

    return f


def cases() -> list[ArrayCase]:
    C = lrkit
    return [
        ArrayCase(
            "CosineDecay (warmup)",
            lambda n: C.CosineDecay(0.0, n - n // 10, warmup_target=0.1, warmup_steps=n // 10),
            _warmup_cosine_numpy,
            _warmup_cosine_torch,
            lambda optax, n: optax.warmup_cosine_decay_schedule(0.0, 0.1, n // 10, n),
        ),
        ArrayCase(
            "ExponentialDecay",
            lambda n: C.ExponentialDecay(0.1, n // 10, 0.5),
            _exponential,
            _exponential,
            lambda optax, n: optax.exponential_decay(0.1, n // 10, 0.5),
        ),
        ArrayCase(
            "PiecewiseConstantDecay",
            lambda n: C.PiecewiseConstantDecay(
                [3 * n // 10, 6 * n // 10, 8 * n // 10], [0.1, 0.05, 0.01, 0.001]
            ),
            _piecewise_numpy,
            _piecewise_torch,
            # optax changes value at the boundary step, Keras (and lrkit) one step later.
            lambda optax, n: optax.piecewise_constant_schedule(
                0.1, {3 * n // 10 + 1: 0.5, 6 * n // 10 + 1: 0.2, 8 * n // 10 + 1: 0.1}
            ),
        ),
        ArrayCase(
            "LinearDecay",
            lambda n: C.LinearDecay(0.1, n),
            _linear_numpy,
            _linear_torch,
            lambda optax, n: optax.linear_schedule(0.1, 0.0, n),
        ),
        ArrayCase(
            "WarmupStableDecay",
            lambda n: C.WarmupStableDecay(0.1, n // 10, 7 * n // 10, n - 8 * n // 10),
            lambda n: _wsd("numpy", n),
            lambda n: _wsd("torch", n),
        ),
        ArrayCase(
            "OneCycle",
            lambda n: C.OneCycle(0.1, n),
            lambda n: _one_cycle("numpy", n),
            lambda n: _one_cycle("torch", n),
        ),
    ]
