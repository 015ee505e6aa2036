"""Combinators composed by hand from lrkit schedules: "the sum of their parts".

Each function builds, in a plain closure, what a combinator does with the
lrkit schedules it is given; a combinator's target is its cost against that
composition's (the summed cost of calling its parts, plus the glue).

    >>> import lrkit
    >>> scaled_of(lrkit.Constant(0.1), 0.5)(0)
    0.05
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import lrkit

Schedule = Callable[[int], Any]


def warmup_of(part: Schedule, warmup: int, start: float) -> Schedule:
    target = part(0)

    def f(t: int) -> float:
        return start + (target - start) * t / warmup if t < warmup else part(t - warmup)

    return f


def join_of(first: Schedule, second: Schedule, boundary: int) -> Schedule:
    def f(t: int) -> float:
        return first(t) if t < boundary else second(t - boundary)

    return f


def scaled_of(part: Schedule, factor: float) -> Schedule:
    return lambda t: factor * part(t)


def offset_of(part: Schedule, offset: float) -> Schedule:
    return lambda t: part(t) + offset


def shifted_of(part: Schedule, shift: int) -> Schedule:
    return lambda t: part(t + shift)


def clipped_of(part: Schedule, low: float) -> Schedule:
    return lambda t: max(part(t), low)


def sum_of(first: Schedule, second: Schedule) -> Schedule:
    return lambda t: first(t) + second(t)


def product_of(first: Schedule, second: Schedule) -> Schedule:
    return lambda t: first(t) * second(t)


def repeated_of(part: Schedule, period: int) -> Schedule:
    return lambda t: part(t % period)


def plateau_of(part: Schedule, multiplier: float, floor: float) -> Schedule:
    """A schedule cut by ``multiplier`` (factor ** reductions), never below ``floor``."""

    def f(t: int) -> float:
        value = part(t)
        return min(value, max(value * multiplier, floor))

    return f


def timm_noise(part: Schedule, seed: int, pct: float, std: float) -> Schedule:
    """timm's noise as timm draws it: a fresh torch generator seeded with ``seed + t``."""
    import torch

    def f(t: int) -> float:
        value = part(t)
        generator = torch.Generator()
        generator.manual_seed(seed + t)
        while True:
            noise = torch.randn(1, generator=generator).item() * std
            if abs(noise) < pct:
                return value + value * noise

    return f


def reduced_plateau() -> lrkit.ReduceOnPlateau:
    """A cosine cut twice by the plateau rule (two bad metrics, patience 0)."""
    cosine = lrkit.CosineDecay(0.1, 10_000)
    schedule = lrkit.ReduceOnPlateau(cosine, factor=0.5, patience=0, min_lr=1e-4)
    for metric in (1.0, 2.0, 2.0):
        schedule.update(metric)
    return schedule


def torch_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("torch") is not None
