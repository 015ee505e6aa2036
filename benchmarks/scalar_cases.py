"""The scalar cases: one lrkit schedule per family, its hand-written formula, its peers.

Every hand-written reference is the family's formula typed out with ``math``
as a minimal callable object, as a user would write one schedule: a small
class whose ``__call__(self, t)`` reads its parameters from ``self`` and
does not check the step (:mod:`benchmarks.hand_decays`,
:mod:`benchmarks.hand_phases`), written from the formula, not from lrkit's
code. Other libraries appear where they have the same schedule with the same
values (checked before timing): lrsched's closures, optax's schedules and
Keras 3's ``LearningRateSchedule`` classes. For combinators, ``parts`` builds
the same schedule composed by hand in a plain function from the lrkit
schedules the combinator combines (:mod:`benchmarks.scalar_parts`); the
target is the combinator's cost against that sum of the costs of its parts.

    >>> case = cases()[0]
    >>> case.name, case.make()(1000) == case.hand(1000)
    ('ExponentialDecay', True)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import lrkit
from benchmarks import hand_decays as H
from benchmarks import hand_phases as P
from benchmarks import scalar_parts as by_hand

Schedule = Callable[[int], Any]


@dataclass
class ScalarCase:
    name: str
    make: Callable[[], lrkit.LearningRateSchedule]
    hand: Schedule  # the formula written as a minimal callable object
    end: int  # the horizon: steps are timed over [0, 1.25 * end]
    parts: Callable[[], Schedule] | None = None  # combinators: composed by hand from lrkit parts
    lrsched: Callable[[Any], Schedule] | None = None  # given the lrsched module
    optax: Callable[[Any], Schedule] | None = None  # given the optax module
    keras: Callable[[Any], Schedule] | None = None  # given keras.optimizers.schedules
    uncached: bool = False  # lrkit caches its results (timm noise): cleared before each call


# -- the cases ----------------------------------------------------------------------------

# Brevity in the table below: C is lrkit, H and P hold the hand-written objects.
C = lrkit


def cases() -> list[ScalarCase]:
    """Every family once (two configurations of ``CosineDecay``), then the combinators."""
    return [
        ScalarCase(
            "ExponentialDecay",
            lambda: C.ExponentialDecay(0.1, 1000, 0.5),
            H.Exponential(0.1, 1000, 0.5),
            10_000,
            lrsched=lambda m: m.exponential_decay(base_lr=0.1, decay_rate=0.5, decay_steps=1000),
            optax=lambda m: m.exponential_decay(0.1, 1000, 0.5),
            keras=lambda m: m.ExponentialDecay(0.1, 1000, 0.5),
        ),
        ScalarCase(
            "PiecewiseConstantDecay",
            lambda: C.PiecewiseConstantDecay([2000, 6000], [0.1, 0.01, 0.001]),
            H.Piecewise([2000, 6000], [0.1, 0.01, 0.001]),
            8000,
            # optax changes value at the boundary step, Keras one step later.
            optax=lambda m: m.piecewise_constant_schedule(0.1, {2001: 0.1, 6001: 0.1}),
            keras=lambda m: m.PiecewiseConstantDecay([2000, 6000], [0.1, 0.01, 0.001]),
        ),
        ScalarCase(
            "PolynomialDecay",
            lambda: C.PolynomialDecay(0.1, 10_000, end_learning_rate=0.0001, power=2.0),
            H.Polynomial(0.1, 10_000, 0.0001, 2.0),
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
            H.InverseTime(0.1, 1000, 0.5),
            10_000,
            keras=lambda m: m.InverseTimeDecay(0.1, 1000, 0.5),
        ),
        ScalarCase(
            "CosineDecay",
            lambda: C.CosineDecay(0.1, 10_000),
            H.Cosine(0.1, 10_000),
            10_000,
            lrsched=lambda m: m.cosine(base_lr=0.1, min_lr=0.0, total_steps=10_000),
            optax=lambda m: m.cosine_decay_schedule(0.1, 10_000),
            keras=lambda m: m.CosineDecay(0.1, 10_000),
        ),
        ScalarCase(
            "CosineDecay (warmup)",
            lambda: C.CosineDecay(0.0, 9000, warmup_target=0.1, warmup_steps=1000),
            P.WarmupCosine(0.0, 0.1, 1000, 9000),
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
            P.CosineRestarts(0.1, 1000, 2.0),
            15_000,
            lrsched=lambda m: m.cosine_restarts(base_lr=0.1, min_lr=0.0, period=1000, t_mult=2),
            keras=lambda m: m.CosineDecayRestarts(0.1, 1000, t_mul=2.0),
        ),
        ScalarCase(
            "LinearCosineDecay",
            lambda: C.LinearCosineDecay(0.1, 10_000),
            H.LinearCosine(0.1, 10_000, 0.5, 0.0, 0.001),
            10_000,
        ),
        ScalarCase(
            "NoisyLinearCosineDecay",
            lambda: C.NoisyLinearCosineDecay(0.1, 10_000, seed=7),
            H.NoisyLinearCosine(0.1, 10_000, 1.0, 0.55, 0.5, 0.001, 7),
            10_000,
        ),
        ScalarCase(
            "Constant",
            lambda: C.Constant(0.01),
            H.Constant(0.01),
            10_000,
            lrsched=lambda m: m.constant(lr=0.01),
            optax=lambda m: m.constant_schedule(0.01),
        ),
        ScalarCase(
            "LinearDecay",
            lambda: C.LinearDecay(0.1, 10_000),
            H.Linear(0.1, 10_000, 0.0),
            10_000,
            lrsched=lambda m: m.linear(base_lr=0.1, end_lr=0.0, total_steps=10_000),
            optax=lambda m: m.linear_schedule(0.1, 0.0, 10_000),
        ),
        ScalarCase(
            "CosinePowerDecay",
            lambda: C.CosinePowerDecay(0.1, 10_000, end_learning_rate=0.001),
            H.Cosine(0.1, 10_000, 0.001),
            10_000,
            lrsched=lambda m: m.cosine(base_lr=0.1, min_lr=0.001, total_steps=10_000),
            optax=lambda m: m.cosine_decay_schedule(0.1, 10_000, alpha=0.01),
        ),
        ScalarCase(
            "StepDecay",
            lambda: C.StepDecay(0.1, 1000, gamma=0.5),
            H.Step(0.1, 1000, 0.5),
            10_000,
            lrsched=lambda m: m.step_decay(base_lr=0.1, drop=0.5, step_size=1000),
            optax=lambda m: m.exponential_decay(0.1, 1000, 0.5, staircase=True),
        ),
        ScalarCase(
            "MultiStepDecay",
            lambda: C.MultiStepDecay(0.1, [3000, 6000, 8000], gamma=0.1),
            H.MultiStep(0.1, [3000, 6000, 8000], 0.1),
            10_000,
            lrsched=lambda m: m.multi_step(base_lr=0.1, milestones=[3000, 6000, 8000], gamma=0.1),
            optax=lambda m: m.piecewise_constant_schedule(0.1, {3000: 0.1, 6000: 0.1, 8000: 0.1}),
        ),
        ScalarCase(
            "InverseSqrtDecay",
            lambda: C.InverseSqrtDecay(0.1, warmup_steps=1000),
            H.InverseSqrt(0.1, 1000),
            10_000,
            lrsched=lambda m: m.inverse_sqrt(base_lr=0.1, warmup_steps=1000),
        ),
        ScalarCase(
            "TanhDecay",
            lambda: C.TanhDecay(0.1, 10_000),
            H.Tanh(0.1, 10_000, -7.0, 3.0),
            10_000,
        ),
        ScalarCase(
            "WarmupStableDecay",
            lambda: C.WarmupStableDecay(0.1, 1000, 7000, 2000, decay_shape="linear"),
            P.WarmupStableDecay(0.1, 1000, 7000, 2000),
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
            P.OneCycle(0.1, 10_000, 0.3, 25.0, 1e4),
            10_000,
        ),
        ScalarCase(
            "CyclicDecay",
            lambda: C.CyclicDecay(0.01, 0.1, step_size_up=500),
            P.Triangular(0.01, 0.1, 500),
            10_000,
            lrsched=lambda m: m.triangular(min_lr=0.01, max_lr=0.1, step_size=500),
        ),
        ScalarCase(
            "CosineCycles",
            lambda: C.CosineCycles(0.1, 1000, cycle_decay=0.5, cycle_limit=5, alpha=0.01),
            P.CosineCycles(0.1, 1000, 0.5, 5, 0.01),
            5000,
        ),
        ScalarCase(
            "CosineWave",
            lambda: C.CosineWave(0.1, 1000, end_learning_rate=0.001),
            P.CosineWave(0.1, 1000, 0.001),
            4000,
        ),
        ScalarCase("RexDecay", lambda: C.RexDecay(0.1, 10_000), H.Rex(0.1, 10_000), 10_000),
        ScalarCase(
            "HyperbolicDecay",
            lambda: C.HyperbolicDecay(0.1, 10_000, 12_000),
            H.Hyperbolic(0.1, 10_000, 12_000, 0.0),
            10_000,
        ),
        ScalarCase(
            "ExpHyperbolicDecay",
            lambda: C.ExpHyperbolicDecay(0.1, 10_000, 12_000, alpha=0.01),
            H.ExpHyperbolic(0.1, 10_000, 12_000, 0.01),
            10_000,
        ),
        ScalarCase(
            "PowerDecay",
            lambda: C.PowerDecay(0.1, 1000, power=0.5, alpha=0.01),
            H.Power(0.1, 1000, 0.5, 0.01),
            10_000,
        ),
        ScalarCase(
            "KDecay", lambda: C.KDecay(0.1, 10_000, k=2.0), H.KDecay(0.1, 10_000, 2.0), 10_000
        ),
        ScalarCase(
            "ChebyshevDecay",
            lambda: C.ChebyshevDecay(0.1, 10_000),
            H.Chebyshev(0.1, 10_000),
            10_000,
        ),
        ScalarCase(
            "SlantedTriangular",
            lambda: C.SlantedTriangular(0.01, 10_000),
            P.SlantedTriangular(0.01, 10_000, 0.1, 32.0),
            10_000,
        ),
        ScalarCase(
            "TrapezoidalDecay",
            lambda: C.TrapezoidalDecay(0.1, 10_000, 1000, 2000),
            P.WarmupStableDecay(0.1, 1000, 7000, 2000),
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
            P.WarmupHoldCosine(0.1, 0, 7000, 10_000),
            10_000,
        ),
        ScalarCase(
            "WarmupHoldCosineDecay",
            lambda: C.WarmupHoldCosineDecay(0.1, 10_000, 1000, 3000),
            P.WarmupHoldCosine(0.1, 1000, 3000, 10_000),
            10_000,
        ),
        ScalarCase(
            "CosineWarmupRestarts",
            lambda: C.CosineWarmupRestarts(0.1, 1000, 100, cycle_mul=2.0),
            P.WarmupCosineRestarts(0.1, 1000, 100, 2.0),
            15_000,
        ),
        # -- combinators: the target is the same composition by hand of their lrkit parts --
        ScalarCase(
            "Warmup",
            lambda: C.Warmup(C.CosinePowerDecay(0.1, 9000), 1000),
            P.LinearThenCosine(0.1, 1000, 9000),
            10_000,
            parts=lambda: by_hand.warmup_of(C.CosinePowerDecay(0.1, 9000), 1000, 0.0),
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
            P.LinearThenCosine(0.1, 1000, 9000),
            10_000,
            parts=lambda: by_hand.join_of(
                C.LinearDecay(0.0, 1000, end_learning_rate=0.1), C.CosinePowerDecay(0.1, 9000), 1000
            ),
            optax=lambda m: m.join_schedules(
                [m.linear_schedule(0.0, 0.1, 1000), m.cosine_decay_schedule(0.1, 9000)], [1000]
            ),
        ),
        ScalarCase(
            "Scale",
            lambda: C.Scale(C.CosinePowerDecay(0.1, 10_000), 0.5),
            P.CosineScaled(0.1, 10_000, 0.5),
            10_000,
            parts=lambda: by_hand.scaled_of(C.CosinePowerDecay(0.1, 10_000), 0.5),
        ),
        ScalarCase(
            "Offset",
            lambda: C.Offset(C.CosinePowerDecay(0.1, 10_000), 0.001),
            P.CosineOffset(0.1, 10_000, 0.001),
            10_000,
            parts=lambda: by_hand.offset_of(C.CosinePowerDecay(0.1, 10_000), 0.001),
        ),
        ScalarCase(
            "Shift",
            lambda: C.Shift(C.CosinePowerDecay(0.1, 10_000), 500),
            P.ShiftedCosine(0.1, 10_000, 500),
            10_000,
            parts=lambda: by_hand.shifted_of(C.CosinePowerDecay(0.1, 10_000), 500),
        ),
        ScalarCase(
            "Clip",
            lambda: C.Clip(C.ExponentialDecay(0.1, 1000, 0.5), min_learning_rate=0.001),
            P.ClippedExponential(0.1, 1000, 0.5, 0.001),
            10_000,
            parts=lambda: by_hand.clipped_of(C.ExponentialDecay(0.1, 1000, 0.5), 0.001),
        ),
        ScalarCase(
            "Sum",
            lambda: C.Sum([C.CosinePowerDecay(0.1, 10_000), C.ExponentialDecay(0.01, 1000, 0.5)]),
            P.CosineSum(0.1, 10_000, 0.01, 1000, 0.5),
            10_000,
            parts=lambda: by_hand.sum_of(
                C.CosinePowerDecay(0.1, 10_000), C.ExponentialDecay(0.01, 1000, 0.5)
            ),
        ),
        ScalarCase(
            "Product",
            lambda: C.Product(
                [C.CosinePowerDecay(1.0, 10_000), C.ExponentialDecay(0.1, 1000, 0.5)]
            ),
            P.CosineProduct(10_000, 0.1, 1000, 0.5),
            10_000,
            parts=lambda: by_hand.product_of(
                C.CosinePowerDecay(1.0, 10_000), C.ExponentialDecay(0.1, 1000, 0.5)
            ),
        ),
        ScalarCase(
            "Repeat",
            lambda: C.Repeat(C.LinearDecay(0.1, 1000), 1000),
            P.Sawtooth(0.1, 1000, 1000),
            4000,
            parts=lambda: by_hand.repeated_of(C.LinearDecay(0.1, 1000), 1000),
        ),
        ScalarCase(
            "ReduceOnPlateau",
            by_hand.reduced_plateau,
            P.PlateauCut(H.Cosine(0.1, 10_000), 0.25, 1e-4),
            10_000,
            parts=lambda: by_hand.plateau_of(C.CosineDecay(0.1, 10_000), 0.25, 1e-4),
        ),
        *(
            [
                ScalarCase(
                    "TimmNoise",
                    lambda: C.TimmNoise(C.CosineDecay(0.1, 10_000), seed=42),
                    P.TimmNoiseDraw(H.Cosine(0.1, 10_000), 42, 0.67, 1.0),
                    10_000,
                    parts=lambda: by_hand.timm_noise(C.CosineDecay(0.1, 10_000), 42, 0.67, 1.0),
                    uncached=True,
                )
            ]
            if by_hand.torch_installed()
            else []
        ),
    ]


def steps_for(case: ScalarCase) -> list[int]:
    """64 integer steps across the schedule and a quarter past its end."""
    return [round(i * 1.25 * case.end / 63) for i in range(64)]


def covered() -> set[str]:
    """The registered class names that the cases time."""
    return {type(case.make()).__name__ for case in cases()}
