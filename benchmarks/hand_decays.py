"""Hand-written references of the decaying families: one minimal callable object each.

Each class is the family's formula typed out with ``math`` from its
definition (not from lrkit's code), the way a user would write one schedule
as an object: the parameters are attributes, read from ``self`` on every
call, and ``__call__(self, t)`` does not look at the type of the step.
``@dataclass`` only writes the ``__init__``; the instances are plain objects.
:mod:`benchmarks.hand_phases` holds the warmup, cyclic and combined ones.

    >>> Cosine(0.1, 10_000)(5000)
    0.05
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass


@dataclass
class Exponential:
    lr: float
    period: float
    rate: float

    def __call__(self, t: int) -> float:
        return self.lr * self.rate ** (t / self.period)


@dataclass
class Piecewise:
    """``values[i]`` for ``boundaries[i - 1] < t <= boundaries[i]``."""

    boundaries: list[int]
    values: list[float]

    def __call__(self, t: int) -> float:
        return self.values[bisect_left(self.boundaries, t)]


@dataclass
class Polynomial:
    lr: float
    period: int
    end: float
    power: float

    def __call__(self, t: int) -> float:
        fraction = 1 - min(t, self.period) / self.period
        return (self.lr - self.end) * fraction**self.power + self.end


@dataclass
class InverseTime:
    lr: float
    period: float
    rate: float

    def __call__(self, t: int) -> float:
        return self.lr / (1 + self.rate * t / self.period)


@dataclass
class Cosine:
    lr: float
    period: int
    end: float = 0.0

    def __call__(self, t: int) -> float:
        wave = 0.5 * (1 + math.cos(math.pi * min(t, self.period) / self.period))
        return self.end + (self.lr - self.end) * wave


@dataclass
class LinearCosine:
    lr: float
    period: int
    periods: float
    alpha: float
    beta: float

    def __call__(self, t: int) -> float:
        period = self.period
        t = min(t, period)
        linear = (period - t) / period
        wave = 0.5 * (1 + math.cos(2 * math.pi * self.periods * t / period))
        return self.lr * ((self.alpha + linear) * wave + self.beta)


def lowbias32(h: int) -> int:
    """A 32-bit integer hash (the "lowbias32" mixer)."""
    h ^= h >> 16
    h = (h * 0x7FEB352D) & 0xFFFFFFFF
    h ^= h >> 15
    h = (h * 0x846CA68B) & 0xFFFFFFFF
    return h ^ (h >> 16)


@dataclass
class NoisyLinearCosine:
    """TF's noisy linear cosine, with a counter-based normal draw per (seed, step)."""

    lr: float
    period: int
    variance: float
    decay: float
    periods: float
    beta: float
    seed: int

    def __post_init__(self) -> None:
        self.key = lowbias32(self.seed)

    def __call__(self, t: int) -> float:
        period = self.period
        t = min(t, period)
        first = lowbias32(t ^ self.key)
        second = lowbias32(first ^ 0x9E3779B9)
        u1, u2 = (first + 0.5) / 2**32, (second + 0.5) / 2**32
        normal = math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * u2)
        noise = math.sqrt(self.variance / (1 + t) ** self.decay) * normal
        linear = (period - t) / period + noise
        wave = 0.5 * (1 + math.cos(2 * math.pi * self.periods * t / period))
        return self.lr * (linear * wave + self.beta)


@dataclass
class Constant:
    lr: float

    def __call__(self, t: int) -> float:
        return self.lr


@dataclass
class Linear:
    lr: float
    period: int
    end: float

    def __call__(self, t: int) -> float:
        return self.lr + (self.end - self.lr) * min(t, self.period) / self.period


@dataclass
class Step:
    lr: float
    size: int
    gamma: float

    def __call__(self, t: int) -> float:
        return self.lr * self.gamma ** (t // self.size)


@dataclass
class MultiStep:
    lr: float
    milestones: list[int]
    gamma: float

    def __call__(self, t: int) -> float:
        return self.lr * self.gamma ** bisect_right(self.milestones, t)


@dataclass
class InverseSqrt:
    lr: float
    warmup: int

    def __call__(self, t: int) -> float:
        if t < self.warmup:
            return self.lr * t / self.warmup
        return self.lr * math.sqrt(self.warmup / t)


@dataclass
class Tanh:
    lr: float
    period: int
    low: float
    high: float

    def __call__(self, t: int) -> float:
        if t >= self.period:
            return 0.0
        x = t / self.period
        return 0.5 * self.lr * (1 - math.tanh(self.low * (1 - x) + self.high * x))


@dataclass
class Rex:
    lr: float
    period: int

    def __call__(self, t: int) -> float:
        z = min(t, self.period) / self.period
        return self.lr * (1 - z) / (1 - z / 2)


@dataclass
class Hyperbolic:
    lr: float
    n: int
    u: int
    alpha: float

    def __call__(self, t: int) -> float:
        n, u = self.n, self.u
        x = min(t, n)
        h = math.sqrt((n - x) / u * (2 - (n + x) / u)) - math.sqrt(n / u * (2 - n / u))
        return self.lr + (self.lr - self.alpha * self.lr) * h


@dataclass
class ExpHyperbolic:
    lr: float
    n: int
    u: int
    alpha: float

    def __call__(self, t: int) -> float:
        n, u = self.n, self.u
        x = min(t, n)
        h = math.sqrt((n - x) / u * (2 - (n + x) / u)) - math.sqrt(n / u * (2 - n / u))
        return self.lr * (1 / self.alpha) ** h


@dataclass
class Power:
    lr: float
    scale: int
    power: float
    alpha: float

    def __call__(self, t: int) -> float:
        decayed = self.lr * ((t + self.scale) / self.scale) ** -self.power
        return max(decayed, self.alpha * self.lr)


@dataclass
class KDecay:
    lr: float
    period: int
    k: float

    def __call__(self, t: int) -> float:
        z = (min(t, self.period) / self.period) ** self.k
        return self.lr * 0.5 * (1 + math.cos(math.pi * z))


@dataclass
class Chebyshev:
    lr: float
    nodes: int

    def __call__(self, t: int) -> float:
        j = min(t, self.nodes - 1)
        return self.lr * 0.5 * (1 + math.cos(math.pi * (2 * j + 1) / (2 * self.nodes)))
