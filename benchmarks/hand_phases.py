"""Hand-written references with phases, cycles or parts: one minimal callable object each.

Written like :mod:`benchmarks.hand_decays`: the family's formula with
``math``, parameters read from ``self``, no look at the step's type. The
last classes are the references of the combinators' cases, each the combined
formula written out in one object (``PlateauCut`` and ``TimmNoiseDraw`` wrap
a hand-written part).

    >>> WarmupCosine(0.0, 0.1, 1000, 9000)(500)
    0.05
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


@dataclass
class WarmupCosine:
    start: float
    peak: float
    warmup: int
    period: int

    def __call__(self, t: int) -> float:
        if t < self.warmup:
            return self.start + (self.peak - self.start) * t / self.warmup
        t = min(t - self.warmup, self.period)
        return self.peak * 0.5 * (1 + math.cos(math.pi * t / self.period))


@dataclass
class CosineRestarts:
    lr: float
    first: int
    t_mul: float

    def __call__(self, t: int) -> float:
        start, length = 0, self.first
        while t >= start + length:
            start += length
            length *= self.t_mul
        return self.lr * 0.5 * (1 + math.cos(math.pi * (t - start) / length))


@dataclass
class WarmupStableDecay:
    peak: float
    warmup: int
    stable: int
    decay: int

    def __call__(self, t: int) -> float:
        warmup, held = self.warmup, self.warmup + self.stable
        if t < warmup:
            return self.peak * t / warmup
        if t < held:
            return self.peak
        if t < held + self.decay:
            return self.peak * (1 - (t - held) / self.decay)
        return 0.0


class OneCycle:
    """torch's OneCycleLR phases: rise until pct * total - 1, fall until total - 1."""

    def __init__(self, peak: float, total: int, pct: float, div: float, final_div: float) -> None:
        self.peak = peak
        self.start = peak / div
        self.final = self.start / final_div
        self.rise_end = pct * total - 1
        self.last = total - 1

    def __call__(self, t: int) -> float:
        t = min(t, self.last)
        rise_end = self.rise_end
        if t <= rise_end:
            a, b, x = self.start, self.peak, t / rise_end
        else:
            a, b, x = self.peak, self.final, (t - rise_end) / (self.last - rise_end)
        return b + (a - b) / 2 * (math.cos(math.pi * x) + 1)


@dataclass
class Triangular:
    low: float
    high: float
    size: int

    def __call__(self, t: int) -> float:
        cycle = math.floor(1 + t / (2 * self.size))
        x = abs(t / self.size - 2 * cycle + 1)
        return self.low + (self.high - self.low) * max(0.0, 1 - x)


class CosineCycles:
    def __init__(self, lr: float, period: int, decay: float, limit: int, alpha: float) -> None:
        self.lr, self.period, self.decay, self.limit = lr, period, decay, limit
        self.floor = alpha * lr

    def __call__(self, t: int) -> float:
        cycle = t // self.period
        if cycle >= self.limit:
            return self.floor
        peak = self.lr * self.decay**cycle
        position = (t - cycle * self.period) / self.period
        return self.floor + 0.5 * (peak - self.floor) * (1 + math.cos(math.pi * position))


@dataclass
class CosineWave:
    lr: float
    period: int
    end: float

    def __call__(self, t: int) -> float:
        return self.end + (self.lr - self.end) * (1 + math.cos(math.pi * t / self.period)) / 2


class SlantedTriangular:
    def __init__(self, peak: float, total: int, cut_frac: float, ratio: float) -> None:
        self.peak, self.total, self.ratio = peak, total, ratio
        self.cut = math.floor(total * cut_frac)

    def __call__(self, t: int) -> float:
        t, cut = min(t, self.total), self.cut
        p = t / cut if t < cut else 1 - (t - cut) / (self.total - cut)
        return self.peak * (1 + p * (self.ratio - 1)) / self.ratio


@dataclass
class WarmupHoldCosine:
    peak: float
    warmup: int
    hold: int
    total: int

    def __call__(self, t: int) -> float:
        end = self.warmup + self.hold
        if t < self.warmup:
            return self.peak * t / self.warmup
        if t < end:
            return self.peak
        if t < self.total:
            return self.peak * 0.5 * (1 + math.cos(math.pi * (t - end) / (self.total - end)))
        return 0.0


@dataclass
class WarmupCosineRestarts:
    peak: float
    first: int
    warmup: int
    mul: float

    def __call__(self, t: int) -> float:
        start, length, cycle = 0, self.first, 0
        while start + length <= t:
            start += length
            cycle += 1
            length = int(self.first * self.mul**cycle)
        tau = t - start
        if tau == 0:
            return 0.0
        if tau < self.warmup:
            return self.peak * tau / self.warmup
        z = (tau - self.warmup) / (length - self.warmup)
        return self.peak * 0.5 * (1 + math.cos(math.pi * z))


# -- the combinators' cases, each written out as one formula ------------------------------


@dataclass
class ClippedExponential:
    lr: float
    period: float
    rate: float
    low: float

    def __call__(self, t: int) -> float:
        return max(self.lr * self.rate ** (t / self.period), self.low)


@dataclass
class Sawtooth:
    lr: float
    period: int
    repeat: int

    def __call__(self, t: int) -> float:
        return self.lr - self.lr * min(t % self.repeat, self.period) / self.period


@dataclass
class ShiftedCosine:
    lr: float
    period: int
    shift: int

    def __call__(self, t: int) -> float:
        z = min(t + self.shift, self.period) / self.period
        return self.lr * 0.5 * (1 + math.cos(math.pi * z))


@dataclass
class CosineSum:
    lr: float
    period: int
    lr2: float
    period2: int
    rate: float

    def __call__(self, t: int) -> float:
        c = self.lr * 0.5 * (1 + math.cos(math.pi * min(t, self.period) / self.period))
        return c + self.lr2 * self.rate ** (t / self.period2)


@dataclass
class CosineProduct:
    period: int
    lr2: float
    period2: int
    rate: float

    def __call__(self, t: int) -> float:
        c = 0.5 * (1 + math.cos(math.pi * min(t, self.period) / self.period))
        return c * (self.lr2 * self.rate ** (t / self.period2))


@dataclass
class CosineScaled:
    lr: float
    period: int
    factor: float

    def __call__(self, t: int) -> float:
        c = self.lr * 0.5 * (1 + math.cos(math.pi * min(t, self.period) / self.period))
        return self.factor * c


@dataclass
class CosineOffset:
    lr: float
    period: int
    offset: float

    def __call__(self, t: int) -> float:
        c = self.lr * 0.5 * (1 + math.cos(math.pi * min(t, self.period) / self.period))
        return c + self.offset


@dataclass
class LinearThenCosine:
    peak: float
    warmup: int
    period: int

    def __call__(self, t: int) -> float:
        if t < self.warmup:
            return self.peak * t / self.warmup
        z = min(t - self.warmup, self.period) / self.period
        return self.peak * 0.5 * (1 + math.cos(math.pi * z))


@dataclass
class PlateauCut:
    """``part`` cut by ``multiplier`` (factor ** reductions), never below ``floor``."""

    part: Any
    multiplier: float
    floor: float

    def __call__(self, t: int) -> float:
        value: float = self.part(t)
        return min(value, max(value * self.multiplier, self.floor))


@dataclass
class TimmNoiseDraw:
    """timm's noise as timm draws it: a fresh torch generator seeded with ``seed + t``."""

    part: Any
    seed: int
    pct: float
    std: float

    def __post_init__(self) -> None:
        import torch

        self.torch = torch

    def __call__(self, t: int) -> float:
        value: float = self.part(t)
        generator = self.torch.Generator()
        generator.manual_seed(self.seed + t)
        while True:
            noise = self.torch.randn(1, generator=generator).item() * self.std
            if abs(noise) < self.pct:
                return value + value * noise
