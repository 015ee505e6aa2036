"""Each family's documented contract, checked across the whole registry with Hypothesis.

:data:`CONTRACTS` states, per registered class, what its docstring promises:
the range of its rates (from its parameters, and for combinators from the
schedules they combine), where it is non-increasing, whether it is
continuous where its phases meet (``lrkit._combinators.composition.phase_boundaries``),
and its period, if it repeats. Schedules are drawn from the ``EXAMPLES`` of
each class with their numeric parameters scaled (a draw the constructor
refuses is discarded), steps from the schedule's own boundaries and from
anywhere up to 10**12; every drawn schedule also round-trips through
``from_config(get_config())``. A class registered without a contract fails
:func:`test_every_class_has_a_contract`.
"""

from __future__ import annotations

import itertools
import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import lrkit
from conftest import EXAMPLES, property_examples, steps_for
from lrkit._core.shape import phase_boundaries

Schedule = lrkit.LearningRateSchedule
Bounds = tuple[float, float]  # (lowest, highest); -inf/inf where nothing is promised
UNBOUNDED: Bounds = (-math.inf, math.inf)


@dataclass(frozen=True)
class Contract:
    """What a family promises about its rates."""

    bounds: Callable[[Any], Bounds]
    #: The step from which the rate never rises, or None where it may rise again.
    falls_from: Callable[[Any], float | None] = lambda s: None
    #: Whether the rate has no jump where its phases meet.
    continuous: Callable[[Any], bool] = lambda s: True
    #: The period of a repeating schedule, or None.
    period: Callable[[Any], float | None] = lambda s: None


def span(*rates: float) -> Bounds:
    return (min(rates), max(rates))


def bounds_of(schedule: Schedule) -> Bounds:
    return CONTRACTS[type(schedule).__name__].bounds(schedule)


def _union(schedules: list[Schedule]) -> Bounds:
    parts = [bounds_of(s) for s in schedules]
    return (min(low for low, _ in parts), max(high for _, high in parts))


def _product(schedules: list[Schedule]) -> Bounds:
    low, high = 1.0, 1.0
    for part in map(bounds_of, schedules):  # every rate >= 0 here
        low, high = low * max(part[0], 0.0), high * part[1]
    return (low, high)


def _clip(s: lrkit.Clip) -> Bounds:
    low, high = bounds_of(s.schedule)
    floor = s.min_learning_rate if s.min_learning_rate is not None else -math.inf
    ceiling = s.max_learning_rate if s.max_learning_rate is not None else math.inf
    return (min(max(low, floor), ceiling), max(min(high, ceiling), floor))


def _decay(s: Any, floor: float = 0.0) -> Bounds:
    return span(s.initial_learning_rate * floor, s.initial_learning_rate)


def _growth_ok(rate: float) -> bool:
    return rate <= 1.0


def _one_cycle(s: lrkit.OneCycle) -> Bounds:
    start = s.max_learning_rate / s.div_factor
    return span(start, s.max_learning_rate, start / s.final_div_factor)


def _plateau(s: lrkit.ReduceOnPlateau) -> Bounds:
    rate = s.learning_rate
    high = bounds_of(rate)[1] if isinstance(rate, Schedule) else rate
    return (0.0, high)


def _wsd_falls_from(s: lrkit.WarmupStableDecay) -> float | None:
    if s.decay_shape == "cosine" and s.num_cycles > 0.5:
        return None  # more than half a cosine wave rises again
    return s.warmup_steps if s.alpha <= 1.0 else None


def _cosine_decay(s: lrkit.CosineDecay) -> Bounds:
    if s.warmup_target is None:
        return _decay(s, s.alpha)
    return span(s.initial_learning_rate, s.warmup_target, s.warmup_target * s.alpha)


CONTRACTS: dict[str, Contract] = {
    # -- Keras / TF (_keras_family, _keras_cosine, _tf_family) --
    "ExponentialDecay": Contract(
        lambda s: _decay(s) if _growth_ok(s.decay_rate) else (s.initial_learning_rate, math.inf),
        falls_from=lambda s: 0.0 if _growth_ok(s.decay_rate) else None,
        continuous=lambda s: not s.staircase,
    ),
    "InverseTimeDecay": Contract(
        _decay, falls_from=lambda s: 0.0, continuous=lambda s: not s.staircase
    ),
    "PiecewiseConstantDecay": Contract(
        lambda s: span(*s.values),
        falls_from=lambda s: 0.0 if s.values == sorted(s.values, reverse=True) else None,
        continuous=lambda s: len(set(s.values)) == 1,
    ),
    "PolynomialDecay": Contract(
        lambda s: span(s.initial_learning_rate, s.end_learning_rate),
        falls_from=lambda s: (
            0.0 if s.initial_learning_rate >= s.end_learning_rate and not s.cycle else None
        ),
        continuous=lambda s: not s.cycle,
    ),
    "CosineDecay": Contract(
        _cosine_decay,
        falls_from=lambda s: 0.0 if s.warmup_target is None else s.warmup_steps,
    ),
    "CosineDecayRestarts": Contract(
        lambda s: (0.0, math.inf) if s.m_mul > 1 else _decay(s),
        continuous=lambda s: False,
        period=lambda s: s.first_decay_steps if s.t_mul == 1.0 and s.m_mul == 1.0 else None,
    ),
    "LinearCosineDecay": Contract(
        lambda s: span(
            s.initial_learning_rate * s.beta, s.initial_learning_rate * (s.alpha + 1 + s.beta)
        ),
    ),
    "NoisyLinearCosineDecay": Contract(lambda s: UNBOUNDED, continuous=lambda s: False),
    # -- combinators (_combinators) --
    "Warmup": Contract(
        lambda s: span(s.initial_learning_rate, *bounds_of(s.schedule)),
        continuous=lambda s: CONTRACTS[type(s.schedule).__name__].continuous(s.schedule),
    ),
    "Join": Contract(lambda s: _union(list(s.schedules)), continuous=lambda s: False),
    "Scale": Contract(
        lambda s: tuple(s.factor * b for b in bounds_of(s.schedule)),  # type: ignore[misc]
        falls_from=lambda s: _falls_from(s.schedule),
        continuous=lambda s: _continuous(s.schedule),
        period=lambda s: _period(s.schedule),
    ),
    "Offset": Contract(
        lambda s: tuple(s.offset + b for b in bounds_of(s.schedule)),  # type: ignore[misc]
        falls_from=lambda s: _falls_from(s.schedule),
        continuous=lambda s: _continuous(s.schedule),
        period=lambda s: _period(s.schedule),
    ),
    "Clip": Contract(
        _clip,
        falls_from=lambda s: _falls_from(s.schedule),
        continuous=lambda s: _continuous(s.schedule),
        period=lambda s: _period(s.schedule),
    ),
    "Sum": Contract(
        lambda s: (
            sum(bounds_of(p)[0] for p in s.schedules),
            sum(bounds_of(p)[1] for p in s.schedules),
        ),
        continuous=lambda s: all(map(_continuous, s.schedules)),
    ),
    "Product": Contract(
        lambda s: _product(list(s.schedules)),
        continuous=lambda s: all(map(_continuous, s.schedules)),
    ),
    "Shift": Contract(
        lambda s: bounds_of(s.schedule),
        continuous=lambda s: _continuous(s.schedule),
    ),
    "Repeat": Contract(
        lambda s: bounds_of(s.schedule),
        continuous=lambda s: False,
        period=lambda s: s.period_steps,
    ),
    # -- simple decays (_decay) --
    "Constant": Contract(lambda s: span(s.learning_rate), falls_from=lambda s: 0.0),
    "LinearDecay": Contract(
        lambda s: span(s.initial_learning_rate, s.end_learning_rate),
        falls_from=lambda s: 0.0 if s.initial_learning_rate >= s.end_learning_rate else None,
    ),
    "CosinePowerDecay": Contract(
        lambda s: span(s.initial_learning_rate, s.end_learning_rate),
        falls_from=lambda s: 0.0 if s.initial_learning_rate >= s.end_learning_rate else None,
    ),
    "StepDecay": Contract(
        lambda s: _decay(s) if s.gamma <= 1 else (s.initial_learning_rate, math.inf),
        falls_from=lambda s: 0.0 if s.gamma <= 1 else None,
        continuous=lambda s: False,
    ),
    "MultiStepDecay": Contract(
        lambda s: _decay(s) if s.gamma <= 1 else (s.initial_learning_rate, math.inf),
        falls_from=lambda s: 0.0 if s.gamma <= 1 else None,
        continuous=lambda s: False,
    ),
    # -- recent practice (_modern) --
    "InverseSqrtDecay": Contract(
        lambda s: (0.0, s.initial_learning_rate / math.sqrt(s.d_model or 1.0)),
        falls_from=lambda s: s.warmup_steps,
    ),
    "TanhDecay": Contract(lambda s: _decay(s, s.alpha), falls_from=lambda s: 0.0),
    "WarmupStableDecay": Contract(
        lambda s: span(
            s.initial_learning_rate, s.peak_learning_rate, s.alpha * s.peak_learning_rate
        ),
        falls_from=_wsd_falls_from,
        # A decay of no length, or a cosine that stops above the floor, ends in a drop.
        continuous=lambda s: (
            s.decay_steps > 0 and (s.decay_shape != "cosine" or (s.num_cycles - 0.5) % 1.0 == 0.0)
        ),
    ),
    "TrapezoidalDecay": Contract(
        lambda s: span(
            s.initial_learning_rate, s.peak_learning_rate, s.alpha * s.peak_learning_rate
        ),
        falls_from=lambda s: s.warmup_steps if s.alpha <= 1 else None,
        continuous=lambda s: s.decay_steps > 0,  # else: a drop to the floor at T
    ),
    "FlatCosineDecay": Contract(lambda s: _decay(s, s.alpha), falls_from=lambda s: 0.0),
    "WarmupHoldCosineDecay": Contract(
        lambda s: span(
            s.initial_learning_rate, s.peak_learning_rate, s.alpha * s.peak_learning_rate
        ),
        falls_from=lambda s: s.warmup_steps if s.alpha <= 1 else None,
        continuous=lambda s: s.warmup_steps + s.hold_steps < s.total_steps,  # else: a drop at T
    ),
    # -- cyclic (_cyclic, _cosine_cycles, _restarts) --
    "OneCycle": Contract(_one_cycle),
    "CyclicDecay": Contract(
        lambda s: span(s.initial_learning_rate, s.maximal_learning_rate),
        period=lambda s: (
            s.step_size_up + (s.step_size_up if s.step_size_down is None else s.step_size_down)
            if s.mode == "triangular"
            else None
        ),
    ),
    "CosineCycles": Contract(
        lambda s: (
            0.0,
            s.initial_learning_rate * max(1.0, s.cycle_decay) ** max(s.cycle_limit - 1, 0),
        ),
        continuous=lambda s: False,
    ),
    "CosineWarmupRestarts": Contract(
        lambda s: (0.0, math.inf) if s.cycle_decay > 1 else (0.0, s.peak_learning_rate),
        continuous=lambda s: False,
        period=lambda s: s.cycle_steps if s.cycle_mul == 1.0 and s.cycle_decay == 1.0 else None,
    ),
    "CosineWave": Contract(
        lambda s: span(s.initial_learning_rate, s.end_learning_rate),
        period=lambda s: 2.0 * s.decay_steps,
    ),
    # -- research (_research, _research_cycles) --
    "RexDecay": Contract(lambda s: _decay(s, s.alpha), falls_from=lambda s: 0.0),
    "HyperbolicDecay": Contract(lambda s: _decay(s, s.alpha), falls_from=lambda s: 0.0),
    "ExpHyperbolicDecay": Contract(lambda s: _decay(s, s.alpha), falls_from=lambda s: 0.0),
    "PowerDecay": Contract(lambda s: _decay(s, s.alpha), falls_from=lambda s: 0.0),
    "KDecay": Contract(lambda s: _decay(s, s.alpha), falls_from=lambda s: 0.0),
    "ChebyshevDecay": Contract(
        lambda s: _decay(s, s.alpha),
        falls_from=lambda s: None if s.fractal else 0.0,
        continuous=lambda s: False,
    ),
    "SlantedTriangular": Contract(
        lambda s: span(s.max_learning_rate / s.ratio, s.max_learning_rate),
        falls_from=lambda s: math.floor(s.total_steps * s.cut_frac),
    ),
    # -- stateful and noisy --
    "ReduceOnPlateau": Contract(_plateau, continuous=lambda s: False),
    "TimmNoise": Contract(lambda s: UNBOUNDED, continuous=lambda s: False),
}


def _falls_from(schedule: Schedule) -> float | None:
    return CONTRACTS[type(schedule).__name__].falls_from(schedule)


def _continuous(schedule: Schedule) -> bool:
    return CONTRACTS[type(schedule).__name__].continuous(schedule)


def _period(schedule: Schedule) -> float | None:
    return CONTRACTS[type(schedule).__name__].period(schedule)


def builtin_classes() -> list[str]:
    return [name for name in lrkit.registered_names() if ">" not in name]


def test_every_class_has_a_contract() -> None:
    missing = sorted(set(builtin_classes()) - set(CONTRACTS))
    assert not missing, f"state the contracts of {missing} in CONTRACTS"
    assert set(CONTRACTS) <= set(builtin_classes())


# -- drawing schedules ------------------------------------------------------------------

FACTORS = [0.25, 0.5, 1.0, 1.0, 2.0, 3.75]
#: Parameters that are not sizes: left as the example has them.
KEEP = {"seed", "start_step", "noise_seed", "lower_bound", "upper_bound"}


@st.composite
def schedules_of(draw: st.DrawFn, class_name: str) -> Schedule:
    examples = [s for s in EXAMPLES.values() if type(s).__name__ == class_name]
    example = draw(st.sampled_from(examples))
    arguments = {key: getattr(example, key) for key in example.get_config()}
    for key, value in arguments.items():
        if key in KEEP or isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        factor = draw(st.sampled_from(FACTORS), label=key)
        arguments[key] = max(1, round(value * factor)) if isinstance(value, int) else value * factor
    try:
        schedule = type(example)(**arguments)
    except (ValueError, TypeError):
        assume(False)
        raise
    return schedule


CONTRACT_SETTINGS = settings(
    max_examples=int(os.environ.get("LRKIT_CONTRACT_EXAMPLES", "0")) or property_examples(10),
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much],
)


def _slack(*values: float) -> float:
    return 1e-9 * max([1e-300, *(abs(v) for v in values if math.isfinite(v))])


@pytest.mark.parametrize("class_name", sorted(CONTRACTS))
@CONTRACT_SETTINGS
@given(data=st.data())
def test_contract(class_name: str, data: st.DataObject) -> None:
    schedule = data.draw(schedules_of(class_name), label="schedule")
    contract = CONTRACTS[class_name]
    steps = sorted(data.draw(st.lists(steps_for(schedule), min_size=2, max_size=12)))
    values = [schedule(step) for step in steps]

    # from_config(get_config()) is an equal schedule with the same values.
    again = type(schedule).from_config(schedule.get_config())
    assert again == schedule
    assert repr([again(step) for step in steps]) == repr(values)

    # Bounds: every rate within the documented range.
    low, high = contract.bounds(schedule)
    slack = _slack(low, high, *values)
    for step, value in zip(steps, values, strict=True):
        assert low - slack <= value <= high + slack, (schedule, step, value, (low, high))

    # Monotone: non-increasing from the documented step on.
    start = contract.falls_from(schedule)
    if start is not None:
        later = [(t, v) for t, v in zip(steps, values, strict=True) if t >= start]
        for (t0, v0), (t1, v1) in itertools.pairwise(later):
            assert v1 <= v0 + _slack(v0, v1), (schedule, (t0, v0), (t1, v1))

    # Continuity where phases meet.
    if contract.continuous(schedule):
        for boundary in phase_boundaries(schedule):
            if not 0 < boundary < 1e9:
                continue
            before = schedule(math.nextafter(boundary, -math.inf))
            at = schedule(boundary)
            scale = max(abs(high) if math.isfinite(high) else 0.0, abs(before), abs(at))
            assert abs(before - at) <= 1e-6 * scale + 1e-300, (schedule, boundary, before, at)

    # Period: the same rate a whole number of periods later.
    period = contract.period(schedule)
    if period is not None:
        cycles = data.draw(st.integers(1, 1000), label="cycles")
        for step in steps:
            if step > 1e6:
                continue
            here, there = schedule(step), schedule(step + cycles * period)
            assert math.isclose(here, there, rel_tol=1e-9, abs_tol=_slack(high)), (
                schedule,
                step,
                cycles,
            )
