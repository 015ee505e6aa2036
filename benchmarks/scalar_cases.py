"""The scalar cases: one lrkit schedule per family, its hand-written formula, its peers.

Every hand-written reference is the family's formula typed out with ``math``
in a plain closure, as a user would write it for one schedule: written from
the formula, not from lrkit's code. Other libraries appear where they have
the same schedule with the same values (checked before timing): lrsched's
closures, optax's schedules and Keras 3's ``LearningRateSchedule`` classes.
For combinators, ``parts`` builds the same schedule composed by hand in a
plain function from the lrkit schedules the combinator combines; the target is
the combinator's cost against that sum of the costs of its parts.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import lrkit

Schedule = Callable[[int], Any]


@dataclass
class ScalarCase:
    name: str
    make: Callable[[], lrkit.LearningRateSchedule]
    hand: Schedule
    end: int  # the horizon: steps are timed over [0, 1.25 * end]
    parts: Callable[[], Schedule] | None = None  # combinators: composed by hand from lrkit parts
    lrsched: Callable[[Any], Schedule] | None = None  # given the lrsched module
    optax: Callable[[Any], Schedule] | None = None  # given the optax module
    keras: Callable[[Any], Schedule] | None = None  # given keras.optimizers.schedules
    uncached: bool = False  # lrkit caches its results (timm noise): cleared before each call


# -- hand-written formulas ----------------------------------------------------------------


def exponential(lr: float, period: float, rate: float) -> Schedule:
    def f(t: int) -> float:
        return lr * rate ** (t / period)

    return f


def piecewise(boundaries: list[int], values: list[float]) -> Schedule:
    (b0, b1), (v0, v1, v2) = boundaries, values

    def f(t: int) -> float:
        if t <= b0:
            return v0
        if t <= b1:
            return v1
        return v2

    return f


def polynomial(lr: float, period: int, end: float, power: float) -> Schedule:
    def f(t: int) -> float:
        return (lr - end) * (1 - min(t, period) / period) ** power + end

    return f


def inverse_time(lr: float, period: float, rate: float) -> Schedule:
    def f(t: int) -> float:
        return lr / (1 + rate * t / period)

    return f


def cosine(lr: float, period: int, end: float = 0.0) -> Schedule:
    def f(t: int) -> float:
        return end + (lr - end) * 0.5 * (1 + math.cos(math.pi * min(t, period) / period))

    return f


def warmup_cosine(start: float, peak: float, warmup: int, period: int) -> Schedule:
    def f(t: int) -> float:
        if t < warmup:
            return start + (peak - start) * t / warmup
        t = min(t - warmup, period)
        return peak * 0.5 * (1 + math.cos(math.pi * t / period))

    return f


def cosine_restarts(lr: float, first: int, t_mul: float) -> Schedule:
    def f(t: int) -> float:
        start, length = 0, first
        while t >= start + length:
            start += length
            length *= t_mul
        return lr * 0.5 * (1 + math.cos(math.pi * (t - start) / length))

    return f


def linear_cosine(lr: float, period: int, periods: float, alpha: float, beta: float) -> Schedule:
    def f(t: int) -> float:
        t = min(t, period)
        linear = (period - t) / period
        wave = 0.5 * (1 + math.cos(2 * math.pi * periods * t / period))
        return lr * ((alpha + linear) * wave + beta)

    return f


def lowbias32(h: int) -> int:
    """A 32-bit integer hash (the "lowbias32" mixer)."""
    h ^= h >> 16
    h = (h * 0x7FEB352D) & 0xFFFFFFFF
    h ^= h >> 15
    h = (h * 0x846CA68B) & 0xFFFFFFFF
    return h ^ (h >> 16)


def noisy_linear_cosine(
    lr: float, period: int, variance: float, decay: float, periods: float, beta: float, seed: int
) -> Schedule:
    """TF's noisy linear cosine, with a counter-based normal draw per (seed, step)."""
    key = lowbias32(seed)

    def f(t: int) -> float:
        t = min(t, period)
        first = lowbias32(t ^ key)
        second = lowbias32(first ^ 0x9E3779B9)
        u1, u2 = (first + 0.5) / 2**32, (second + 0.5) / 2**32
        normal = math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * u2)
        noise = math.sqrt(variance / (1 + t) ** decay) * normal
        linear = (period - t) / period + noise
        wave = 0.5 * (1 + math.cos(2 * math.pi * periods * t / period))
        return lr * (linear * wave + beta)

    return f


def constant(lr: float) -> Schedule:
    def f(t: int) -> float:
        return lr

    return f


def linear(lr: float, period: int, end: float) -> Schedule:
    def f(t: int) -> float:
        return lr + (end - lr) * min(t, period) / period

    return f


def step_decay(lr: float, size: int, gamma: float) -> Schedule:
    def f(t: int) -> float:
        return lr * gamma ** (t // size)

    return f


def multi_step(lr: float, milestones: list[int], gamma: float) -> Schedule:
    def f(t: int) -> float:
        return lr * gamma ** bisect_right(milestones, t)

    return f


def inverse_sqrt(lr: float, warmup: int) -> Schedule:
    def f(t: int) -> float:
        if t < warmup:
            return lr * t / warmup
        return lr * math.sqrt(warmup / t)

    return f


def tanh_decay(lr: float, period: int, low: float, high: float) -> Schedule:
    def f(t: int) -> float:
        if t >= period:
            return 0.0
        x = t / period
        return 0.5 * lr * (1 - math.tanh(low * (1 - x) + high * x))

    return f


def warmup_stable_decay(peak: float, warmup: int, stable: int, decay: int) -> Schedule:
    def f(t: int) -> float:
        if t < warmup:
            return peak * t / warmup
        if t < warmup + stable:
            return peak
        if t < warmup + stable + decay:
            return peak * (1 - (t - warmup - stable) / decay)
        return 0.0

    return f


def one_cycle(peak: float, total: int, pct: float, div: float, final_div: float) -> Schedule:
    """torch's OneCycleLR phases: rise until pct * total - 1, fall until total - 1."""
    start = peak / div
    final = start / final_div
    rise_end = pct * total - 1
    last = total - 1

    def anneal(a: float, b: float, x: float) -> float:
        return b + (a - b) / 2 * (math.cos(math.pi * x) + 1)

    def f(t: int) -> float:
        t = min(t, last)
        if t <= rise_end:
            return anneal(start, peak, t / rise_end)
        return anneal(peak, final, (t - rise_end) / (last - rise_end))

    return f


def triangular(low: float, high: float, size: int) -> Schedule:
    def f(t: int) -> float:
        cycle = math.floor(1 + t / (2 * size))
        x = abs(t / size - 2 * cycle + 1)
        return low + (high - low) * max(0.0, 1 - x)

    return f


def cosine_cycles(lr: float, period: int, decay: float, limit: int, alpha: float) -> Schedule:
    floor = alpha * lr

    def f(t: int) -> float:
        cycle = t // period
        if cycle >= limit:
            return floor
        peak = lr * decay**cycle
        position = (t - cycle * period) / period
        return floor + 0.5 * (peak - floor) * (1 + math.cos(math.pi * position))

    return f


def cosine_wave(lr: float, period: int, end: float) -> Schedule:
    def f(t: int) -> float:
        return end + (lr - end) * (1 + math.cos(math.pi * t / period)) / 2

    return f


def rex(lr: float, period: int) -> Schedule:
    def f(t: int) -> float:
        z = min(t, period) / period
        return lr * (1 - z) / (1 - z / 2)

    return f


def hyperbolic(lr: float, n: int, u: int, alpha: float) -> Schedule:
    def f(t: int) -> float:
        x = min(t, n)
        h = math.sqrt((n - x) / u * (2 - (n + x) / u)) - math.sqrt(n / u * (2 - n / u))
        return lr + (lr - alpha * lr) * h

    return f


def exp_hyperbolic(lr: float, n: int, u: int, alpha: float) -> Schedule:
    def f(t: int) -> float:
        x = min(t, n)
        h = math.sqrt((n - x) / u * (2 - (n + x) / u)) - math.sqrt(n / u * (2 - n / u))
        return lr * (1 / alpha) ** h

    return f


def power_decay(lr: float, scale: int, power: float, alpha: float) -> Schedule:
    def f(t: int) -> float:
        return max(lr * ((t + scale) / scale) ** -power, alpha * lr)

    return f


def k_decay(lr: float, period: int, k: float) -> Schedule:
    def f(t: int) -> float:
        z = (min(t, period) / period) ** k
        return lr * 0.5 * (1 + math.cos(math.pi * z))

    return f


def chebyshev(lr: float, nodes: int) -> Schedule:
    def f(t: int) -> float:
        j = min(t, nodes - 1)
        return lr * 0.5 * (1 + math.cos(math.pi * (2 * j + 1) / (2 * nodes)))

    return f


def slanted_triangular(peak: float, total: int, cut_frac: float, ratio: float) -> Schedule:
    cut = math.floor(total * cut_frac)

    def f(t: int) -> float:
        t = min(t, total)
        p = t / cut if t < cut else 1 - (t - cut) / (total - cut)
        return peak * (1 + p * (ratio - 1)) / ratio

    return f


def warmup_hold_cosine(peak: float, warmup: int, hold: int, total: int) -> Schedule:
    def f(t: int) -> float:
        if t < warmup:
            return peak * t / warmup
        if t < warmup + hold:
            return peak
        if t < total:
            end = warmup + hold
            return peak * 0.5 * (1 + math.cos(math.pi * (t - end) / (total - end)))
        return 0.0

    return f


def warmup_cosine_restarts(peak: float, first: int, warmup: int, mul: float) -> Schedule:
    def f(t: int) -> float:
        start, length, cycle = 0, first, 0
        while start + length <= t:
            start += length
            cycle += 1
            length = int(first * mul**cycle)
        tau = t - start
        if tau == 0:
            return 0.0
        if tau < warmup:
            return peak * tau / warmup
        return peak * 0.5 * (1 + math.cos(math.pi * (tau - warmup) / (length - warmup)))

    return f


def clipped_exponential(lr: float, period: float, rate: float, low: float) -> Schedule:
    def f(t: int) -> float:
        return max(lr * rate ** (t / period), low)

    return f


def sawtooth(lr: float, period: int, repeat: int) -> Schedule:
    def f(t: int) -> float:
        return lr - lr * min(t % repeat, period) / period

    return f


def shifted_cosine(lr: float, period: int, shift: int) -> Schedule:
    def f(t: int) -> float:
        return lr * 0.5 * (1 + math.cos(math.pi * min(t + shift, period) / period))

    return f


def _cosine_sum(lr: float, period: int, lr2: float, period2: int, rate: float) -> Schedule:
    def f(t: int) -> float:
        c = lr * 0.5 * (1 + math.cos(math.pi * min(t, period) / period))
        return c + lr2 * rate ** (t / period2)

    return f


def _cosine_product(period: int, lr2: float, period2: int, rate: float) -> Schedule:
    def f(t: int) -> float:
        c = 0.5 * (1 + math.cos(math.pi * min(t, period) / period))
        return c * (lr2 * rate ** (t / period2))

    return f


def _cosine_scaled(lr: float, period: int, factor: float) -> Schedule:
    def f(t: int) -> float:
        return factor * (lr * 0.5 * (1 + math.cos(math.pi * min(t, period) / period)))

    return f


def _cosine_offset(lr: float, period: int, offset: float) -> Schedule:
    def f(t: int) -> float:
        return lr * 0.5 * (1 + math.cos(math.pi * min(t, period) / period)) + offset

    return f


def _linear_then_cosine(peak: float, warmup: int, period: int) -> Schedule:
    def f(t: int) -> float:
        if t < warmup:
            return peak * t / warmup
        return peak * 0.5 * (1 + math.cos(math.pi * min(t - warmup, period) / period))

    return f


# -- combinators composed by hand from lrkit schedules: the sum of their parts -------------


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
    schedule = C.ReduceOnPlateau(C.CosineDecay(0.1, 10_000), factor=0.5, patience=0, min_lr=1e-4)
    for metric in (1.0, 2.0, 2.0):
        schedule.update(metric)
    return schedule


def torch_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("torch") is not None


# -- the cases ----------------------------------------------------------------------------

C = lrkit  # brevity in the table below


def cases() -> list[ScalarCase]:
    """Every family once (two configurations of ``CosineDecay``), then the combinators."""
    return [
        ScalarCase(
            "ExponentialDecay",
            lambda: C.ExponentialDecay(0.1, 1000, 0.5),
            exponential(0.1, 1000, 0.5),
            10_000,
            lrsched=lambda m: m.exponential_decay(base_lr=0.1, decay_rate=0.5, decay_steps=1000),
            optax=lambda m: m.exponential_decay(0.1, 1000, 0.5),
            keras=lambda m: m.ExponentialDecay(0.1, 1000, 0.5),
        ),
        ScalarCase(
            "PiecewiseConstantDecay",
            lambda: C.PiecewiseConstantDecay([2000, 6000], [0.1, 0.01, 0.001]),
            piecewise([2000, 6000], [0.1, 0.01, 0.001]),
            8000,
            # optax changes value at the boundary step, Keras one step later.
            optax=lambda m: m.piecewise_constant_schedule(0.1, {2001: 0.1, 6001: 0.1}),
            keras=lambda m: m.PiecewiseConstantDecay([2000, 6000], [0.1, 0.01, 0.001]),
        ),
        ScalarCase(
            "PolynomialDecay",
            lambda: C.PolynomialDecay(0.1, 10_000, end_learning_rate=0.0001, power=2.0),
            polynomial(0.1, 10_000, 0.0001, 2.0),
            10_000,
            lrsched=lambda m: m.polynomial(
                base_lr=0.1, end_lr=0.0001, total_steps=10_000, power=2.0
            ),
            optax=lambda m: m.polynomial_schedule(0.1, 0.0001, 2.0, 10_000),
            keras=lambda m: m.PolynomialDecay(0.1, 10_000, end_learning_rate=0.0001, power=2.0),
        ),
        ScalarCase(
            "InverseTimeDecay",
            lambda: C.InverseTimeDecay(0.1, 1000, 0.5),
            inverse_time(0.1, 1000, 0.5),
            10_000,
            keras=lambda m: m.InverseTimeDecay(0.1, 1000, 0.5),
        ),
        ScalarCase(
            "CosineDecay",
            lambda: C.CosineDecay(0.1, 10_000),
            cosine(0.1, 10_000),
            10_000,
            lrsched=lambda m: m.cosine(base_lr=0.1, min_lr=0.0, total_steps=10_000),
            optax=lambda m: m.cosine_decay_schedule(0.1, 10_000),
            keras=lambda m: m.CosineDecay(0.1, 10_000),
        ),
        ScalarCase(
            "CosineDecay (warmup)",
            lambda: C.CosineDecay(0.0, 9000, warmup_target=0.1, warmup_steps=1000),
            warmup_cosine(0.0, 0.1, 1000, 9000),
            10_000,
            lrsched=lambda m: m.with_warmup(
                m.cosine(base_lr=0.1, min_lr=0.0, total_steps=9000), warmup_steps=1000, start_lr=0.0
            ),
            optax=lambda m: m.warmup_cosine_decay_schedule(0.0, 0.1, 1000, 10_000),
            keras=lambda m: m.CosineDecay(0.0, 9000, warmup_target=0.1, warmup_steps=1000),
        ),
        ScalarCase(
            "CosineDecayRestarts",
            lambda: C.CosineDecayRestarts(0.1, 1000, t_mul=2.0),
            cosine_restarts(0.1, 1000, 2.0),
            15_000,
            lrsched=lambda m: m.cosine_restarts(base_lr=0.1, min_lr=0.0, period=1000, t_mult=2),
            keras=lambda m: m.CosineDecayRestarts(0.1, 1000, t_mul=2.0),
        ),
        ScalarCase(
            "LinearCosineDecay",
            lambda: C.LinearCosineDecay(0.1, 10_000),
            linear_cosine(0.1, 10_000, 0.5, 0.0, 0.001),
            10_000,
        ),
        ScalarCase(
            "NoisyLinearCosineDecay",
            lambda: C.NoisyLinearCosineDecay(0.1, 10_000, seed=7),
            noisy_linear_cosine(0.1, 10_000, 1.0, 0.55, 0.5, 0.001, 7),
            10_000,
        ),
        ScalarCase(
            "Constant",
            lambda: C.Constant(0.01),
            constant(0.01),
            10_000,
            lrsched=lambda m: m.constant(lr=0.01),
            optax=lambda m: m.constant_schedule(0.01),
        ),
        ScalarCase(
            "LinearDecay",
            lambda: C.LinearDecay(0.1, 10_000),
            linear(0.1, 10_000, 0.0),
            10_000,
            lrsched=lambda m: m.linear(base_lr=0.1, end_lr=0.0, total_steps=10_000),
            optax=lambda m: m.linear_schedule(0.1, 0.0, 10_000),
        ),
        ScalarCase(
            "CosinePowerDecay",
            lambda: C.CosinePowerDecay(0.1, 10_000, end_learning_rate=0.001),
            cosine(0.1, 10_000, 0.001),
            10_000,
            lrsched=lambda m: m.cosine(base_lr=0.1, min_lr=0.001, total_steps=10_000),
            optax=lambda m: m.cosine_decay_schedule(0.1, 10_000, alpha=0.01),
        ),
        ScalarCase(
            "StepDecay",
            lambda: C.StepDecay(0.1, 1000, gamma=0.5),
            step_decay(0.1, 1000, 0.5),
            10_000,
            lrsched=lambda m: m.step_decay(base_lr=0.1, drop=0.5, step_size=1000),
            optax=lambda m: m.exponential_decay(0.1, 1000, 0.5, staircase=True),
        ),
        ScalarCase(
            "MultiStepDecay",
            lambda: C.MultiStepDecay(0.1, [3000, 6000, 8000], gamma=0.1),
            multi_step(0.1, [3000, 6000, 8000], 0.1),
            10_000,
            lrsched=lambda m: m.multi_step(base_lr=0.1, milestones=[3000, 6000, 8000], gamma=0.1),
            optax=lambda m: m.piecewise_constant_schedule(0.1, {3000: 0.1, 6000: 0.1, 8000: 0.1}),
        ),
        ScalarCase(
            "InverseSqrtDecay",
            lambda: C.InverseSqrtDecay(0.1, warmup_steps=1000),
            inverse_sqrt(0.1, 1000),
            10_000,
            lrsched=lambda m: m.inverse_sqrt(base_lr=0.1, warmup_steps=1000),
        ),
        ScalarCase(
            "TanhDecay",
            lambda: C.TanhDecay(0.1, 10_000),
            tanh_decay(0.1, 10_000, -7.0, 3.0),
            10_000,
        ),
        ScalarCase(
            "WarmupStableDecay",
            lambda: C.WarmupStableDecay(0.1, 1000, 7000, 2000, decay_shape="linear"),
            warmup_stable_decay(0.1, 1000, 7000, 2000),
            10_000,
            lrsched=lambda m: m.warmup_stable_decay(
                base_lr=0.1,
                warmup_steps=1000,
                decay_steps=2000,
                total_steps=10_000,
                final_lr=0.0,
                warmup_start=0.0,
                decay_shape="linear",
            ),
        ),
        ScalarCase(
            "OneCycle",
            lambda: C.OneCycle(0.1, 10_000),
            one_cycle(0.1, 10_000, 0.3, 25.0, 1e4),
            10_000,
        ),
        ScalarCase(
            "CyclicDecay",
            lambda: C.CyclicDecay(0.01, 0.1, step_size_up=500),
            triangular(0.01, 0.1, 500),
            10_000,
            lrsched=lambda m: m.triangular(min_lr=0.01, max_lr=0.1, step_size=500),
        ),
        ScalarCase(
            "CosineCycles",
            lambda: C.CosineCycles(0.1, 1000, cycle_decay=0.5, cycle_limit=5, alpha=0.01),
            cosine_cycles(0.1, 1000, 0.5, 5, 0.01),
            5000,
        ),
        ScalarCase(
            "CosineWave",
            lambda: C.CosineWave(0.1, 1000, end_learning_rate=0.001),
            cosine_wave(0.1, 1000, 0.001),
            4000,
        ),
        ScalarCase("RexDecay", lambda: C.RexDecay(0.1, 10_000), rex(0.1, 10_000), 10_000),
        ScalarCase(
            "HyperbolicDecay",
            lambda: C.HyperbolicDecay(0.1, 10_000, 12_000),
            hyperbolic(0.1, 10_000, 12_000, 0.0),
            10_000,
        ),
        ScalarCase(
            "ExpHyperbolicDecay",
            lambda: C.ExpHyperbolicDecay(0.1, 10_000, 12_000, alpha=0.01),
            exp_hyperbolic(0.1, 10_000, 12_000, 0.01),
            10_000,
        ),
        ScalarCase(
            "PowerDecay",
            lambda: C.PowerDecay(0.1, 1000, power=0.5, alpha=0.01),
            power_decay(0.1, 1000, 0.5, 0.01),
            10_000,
        ),
        ScalarCase(
            "KDecay", lambda: C.KDecay(0.1, 10_000, k=2.0), k_decay(0.1, 10_000, 2.0), 10_000
        ),
        ScalarCase(
            "ChebyshevDecay",
            lambda: C.ChebyshevDecay(0.1, 10_000),
            chebyshev(0.1, 10_000),
            10_000,
        ),
        ScalarCase(
            "SlantedTriangular",
            lambda: C.SlantedTriangular(0.01, 10_000),
            slanted_triangular(0.01, 10_000, 0.1, 32.0),
            10_000,
        ),
        ScalarCase(
            "TrapezoidalDecay",
            lambda: C.TrapezoidalDecay(0.1, 10_000, 1000, 2000),
            warmup_stable_decay(0.1, 1000, 7000, 2000),
            10_000,
            lrsched=lambda m: m.warmup_stable_decay(
                base_lr=0.1,
                warmup_steps=1000,
                decay_steps=2000,
                total_steps=10_000,
                final_lr=0.0,
                warmup_start=0.0,
                decay_shape="linear",
            ),
        ),
        ScalarCase(
            "FlatCosineDecay",
            lambda: C.FlatCosineDecay(0.1, 10_000, flat_fraction=0.7),
            warmup_hold_cosine(0.1, 0, 7000, 10_000),
            10_000,
        ),
        ScalarCase(
            "WarmupHoldCosineDecay",
            lambda: C.WarmupHoldCosineDecay(0.1, 10_000, 1000, 3000),
            warmup_hold_cosine(0.1, 1000, 3000, 10_000),
            10_000,
        ),
        ScalarCase(
            "CosineWarmupRestarts",
            lambda: C.CosineWarmupRestarts(0.1, 1000, 100, cycle_mul=2.0),
            warmup_cosine_restarts(0.1, 1000, 100, 2.0),
            15_000,
        ),
        # -- combinators: the target is the same composition by hand of their lrkit parts --
        ScalarCase(
            "Warmup",
            lambda: C.Warmup(C.CosinePowerDecay(0.1, 9000), 1000),
            _linear_then_cosine(0.1, 1000, 9000),
            10_000,
            parts=lambda: warmup_of(C.CosinePowerDecay(0.1, 9000), 1000, 0.0),
            lrsched=lambda m: m.with_warmup(
                m.cosine(base_lr=0.1, min_lr=0.0, total_steps=9000), warmup_steps=1000, start_lr=0.0
            ),
            optax=lambda m: m.warmup_cosine_decay_schedule(0.0, 0.1, 1000, 10_000),
        ),
        ScalarCase(
            "Join",
            lambda: C.Join(
                [C.LinearDecay(0.0, 1000, end_learning_rate=0.1), C.CosinePowerDecay(0.1, 9000)],
                [1000],
            ),
            _linear_then_cosine(0.1, 1000, 9000),
            10_000,
            parts=lambda: join_of(
                C.LinearDecay(0.0, 1000, end_learning_rate=0.1), C.CosinePowerDecay(0.1, 9000), 1000
            ),
            optax=lambda m: m.join_schedules(
                [m.linear_schedule(0.0, 0.1, 1000), m.cosine_decay_schedule(0.1, 9000)], [1000]
            ),
        ),
        ScalarCase(
            "Scale",
            lambda: C.Scale(C.CosinePowerDecay(0.1, 10_000), 0.5),
            _cosine_scaled(0.1, 10_000, 0.5),
            10_000,
            parts=lambda: scaled_of(C.CosinePowerDecay(0.1, 10_000), 0.5),
        ),
        ScalarCase(
            "Offset",
            lambda: C.Offset(C.CosinePowerDecay(0.1, 10_000), 0.001),
            _cosine_offset(0.1, 10_000, 0.001),
            10_000,
            parts=lambda: offset_of(C.CosinePowerDecay(0.1, 10_000), 0.001),
        ),
        ScalarCase(
            "Shift",
            lambda: C.Shift(C.CosinePowerDecay(0.1, 10_000), 500),
            shifted_cosine(0.1, 10_000, 500),
            10_000,
            parts=lambda: shifted_of(C.CosinePowerDecay(0.1, 10_000), 500),
        ),
        ScalarCase(
            "Clip",
            lambda: C.Clip(C.ExponentialDecay(0.1, 1000, 0.5), min_learning_rate=0.001),
            clipped_exponential(0.1, 1000, 0.5, 0.001),
            10_000,
            parts=lambda: clipped_of(C.ExponentialDecay(0.1, 1000, 0.5), 0.001),
        ),
        ScalarCase(
            "Sum",
            lambda: C.Sum([C.CosinePowerDecay(0.1, 10_000), C.ExponentialDecay(0.01, 1000, 0.5)]),
            _cosine_sum(0.1, 10_000, 0.01, 1000, 0.5),
            10_000,
            parts=lambda: sum_of(
                C.CosinePowerDecay(0.1, 10_000), C.ExponentialDecay(0.01, 1000, 0.5)
            ),
        ),
        ScalarCase(
            "Product",
            lambda: C.Product(
                [C.CosinePowerDecay(1.0, 10_000), C.ExponentialDecay(0.1, 1000, 0.5)]
            ),
            _cosine_product(10_000, 0.1, 1000, 0.5),
            10_000,
            parts=lambda: product_of(
                C.CosinePowerDecay(1.0, 10_000), C.ExponentialDecay(0.1, 1000, 0.5)
            ),
        ),
        ScalarCase(
            "Repeat",
            lambda: C.Repeat(C.LinearDecay(0.1, 1000), 1000),
            sawtooth(0.1, 1000, 1000),
            4000,
            parts=lambda: repeated_of(C.LinearDecay(0.1, 1000), 1000),
        ),
        ScalarCase(
            "ReduceOnPlateau",
            reduced_plateau,
            plateau_of(cosine(0.1, 10_000), 0.25, 1e-4),
            10_000,
            parts=lambda: plateau_of(C.CosineDecay(0.1, 10_000), 0.25, 1e-4),
        ),
        *(
            [
                ScalarCase(
                    "TimmNoise",
                    lambda: C.TimmNoise(C.CosineDecay(0.1, 10_000), seed=42),
                    timm_noise(cosine(0.1, 10_000), 42, 0.67, 1.0),
                    10_000,
                    parts=lambda: timm_noise(C.CosineDecay(0.1, 10_000), 42, 0.67, 1.0),
                    uncached=True,
                )
            ]
            if torch_installed()
            else []
        ),
    ]


def steps_for(case: ScalarCase) -> list[int]:
    """64 integer steps across the schedule and a quarter past its end."""
    return [round(i * 1.25 * case.end / 63) for i in range(64)]


def covered() -> set[str]:
    """The registered class names that the cases time."""
    return {type(case.make()).__name__ for case in cases()}
