"""``lrkit.compat.pytorch_scheduler`` and ``lrkit.compat.lrsched`` against the real packages.

Each case builds the same schedule twice, once with the peer package and
once with the lrkit compat module and the same arguments. The
``pytorch-scheduler`` side is stepped on a one-group SGD optimizer and the
rate read after each ``scheduler.step()``; the lrsched side is called at
each step. Values agree within 1e-9 relative, with no absolute slack (the
largest difference seen is below 1e-14 relative; a rate of exactly 0 on one
side must be exactly 0 on the other).
"""

from __future__ import annotations

import math
import subprocess
import sys
import warnings
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

import lrkit
from lrkit.compat import lrsched as lrsched_compat
from lrkit.compat import pytorch_scheduler as ps_compat

torch = pytest.importorskip("torch")
pytorch_scheduler = pytest.importorskip("pytorch_scheduler")
lrsched = pytest.importorskip("lrsched")
experimental = pytest.importorskip("pytorch_scheduler.experimental")

PEER = SimpleNamespace(
    **{name: getattr(pytorch_scheduler, name) for name in pytorch_scheduler.__all__},
    SequentialComposer=experimental.SequentialComposer,
)

REL = 1e-9


def assert_close(got: list[float], expected: list[float], label: str) -> None:
    for step, (a, b) in enumerate(zip(got, expected, strict=True)):
        assert math.isclose(a, b, rel_tol=REL), f"{label} at step {step}: lrkit {a!r}, peer {b!r}"


# -- pytorch-scheduler ------------------------------------------------------------------


def stepped(build: Callable[[Any, Any], Any], base_lr: float, steps: int) -> list[float]:
    """The group's rate after 0, 1, ..., steps - 1 calls of ``scheduler.step()``."""
    parameter = torch.nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.SGD([parameter], lr=base_lr)
    scheduler = build(PEER, optimizer)
    rates = [float(optimizer.param_groups[0]["lr"])]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(steps - 1):
            optimizer.step()
            scheduler.step()
            rates.append(float(optimizer.param_groups[0]["lr"]))
    return rates


def case(name: str, *args: Any, **kwargs: Any) -> Callable[[Any, Any], Any]:
    return lambda module, first: getattr(module, name)(first, *args, **kwargs)


PS_CASES: dict[str, tuple[Callable[[Any, Any], Any], int]] = {
    "Rex": (case("RexScheduler", total_steps=100), 120),
    "Rex-short": (case("RexScheduler", total_steps=7), 12),
    "Hyperbolic": (case("HyperbolicLRScheduler", total_steps=100, upper_bound=150), 120),
    "Hyperbolic-tight-warmup": (
        case("HyperbolicLRScheduler", 60, upper_bound=60, min_lr=1e-4, warmup_steps=10),
        80,
    ),
    "ExpHyperbolic": (case("ExpHyperbolicLRScheduler", total_steps=100, upper_bound=200), 120),
    "ExpHyperbolic-warmup": (
        case("ExpHyperbolicLRScheduler", 50, upper_bound=50, min_lr=1e-3, warmup_steps=5),
        70,
    ),
    "PowerDecay": (case("PowerDecayScheduler", total_steps=100), 120),
    "PowerDecay-warmup": (
        case("PowerDecayScheduler", 100, warmup_steps=10, alpha=1.0, min_lr=0.004),
        150,
    ),
    "KDecay": (case("KDecayScheduler", total_steps=100, k=2.0), 110),
    "KDecay-floor": (case("KDecayScheduler", total_steps=40, k=0.5, min_lr=0.01), 50),
    "Chebyshev": (case("ChebyshevScheduler", total_steps=64), 80),
    "Chebyshev-floor": (case("ChebyshevScheduler", total_steps=9, min_lr=0.02), 15),
    "SlantedTriangular": (case("SlantedTriangularScheduler", total_steps=100), 120),
    "SlantedTriangular-odd": (
        case("SlantedTriangularScheduler", total_steps=37, cut_frac=0.3, ratio=5.0),
        50,
    ),
    "SlantedTriangular-ratio-below-1": (
        case("SlantedTriangularScheduler", total_steps=20, ratio=0.5),
        25,
    ),
    "TanhDecay": (case("TanhDecayScheduler", total_steps=100), 110),
    "TanhDecay-steep": (case("TanhDecayScheduler", 30, steepness=8.0, min_lr=0.001), 40),
    "InverseSqrt": (case("InverseSqrtScheduler", warmup_steps=10), 200),
    "Identity": (case("IdentityScheduler"), 5),
    "Polynomial": (case("PolynomialScheduler", total_steps=100, power=2.0), 120),
    "Polynomial-warmup-floor": (
        case("PolynomialScheduler", 50, power=0.5, min_lr=0.01, warmup_steps=5),
        60,
    ),
    "Polynomial-cycle": (case("PolynomialScheduler", 20, power=1.5, cycle=True), 75),
    "Polynomial-cycle-warmup": (
        case("PolynomialScheduler", 20, min_lr=0.002, warmup_steps=4, cycle=True),
        75,
    ),
    "CosineWithWarmup": (case("CosineWithWarmupScheduler", 100, warmup_steps=10), 120),
    "CosineWithWarmup-floor": (case("CosineWithWarmupScheduler", 30, min_lr=0.01), 40),
    "FlatCosine": (case("FlatCosineScheduler", total_steps=100), 120),
    "FlatCosine-zero": (case("FlatCosineScheduler", 30, flat_fraction=0.0, min_lr=0.01), 40),
    "LinearDecay": (case("LinearDecayScheduler", total_steps=100), 120),
    "LinearDecay-warmup": (case("LinearDecayScheduler", 50, warmup_steps=7, min_lr=0.01), 60),
    "Trapezoidal": (case("TrapezoidalScheduler", 100, warmup_steps=10, decay_steps=20), 120),
    "Trapezoidal-edges": (
        case("TrapezoidalScheduler", 30, warmup_steps=0, decay_steps=0, min_lr=0.02),
        40,
    ),
    "WarmupHoldCosine": (
        case("WarmupHoldCosineScheduler", 100, warmup_steps=10, hold_steps=30, min_lr=0.001),
        120,
    ),
    "WSD-cosine": (case("WSDScheduler", 100, warmup_steps=10, stable_steps=60), 120),
    "WSD-linear": (
        case("WSDScheduler", 50, warmup_steps=5, stable_steps=20, decay_type="linear"),
        60,
    ),
    "WSD-sqrt": (case("WSDScheduler", 50, 0, 30, min_lr=0.005, decay_type="sqrt"), 60),
    "CosineAnnealingWarmupRestarts": (case("CosineAnnealingWarmupRestarts", 10), 45),
    "CosineAnnealingWarmupRestarts-warmup-mult-gamma": (
        case(
            "CosineAnnealingWarmupRestarts",
            7,
            warmup_steps=3,
            max_lr=0.5,
            min_lr=0.01,
            cycle_mult=1.5,
            gamma=0.7,
        ),
        150,
    ),
    "CosineAnnealingWarmupRestarts-mult-2-floor-0": (
        case("CosineAnnealingWarmupRestarts", 5, 1, max_lr=1.0, min_lr=0.0, cycle_mult=2.0),
        100,
    ),
    "CosineAnnealingWarmupRestarts-peaks-below-floor": (
        case(
            "CosineAnnealingWarmupRestarts", 3, max_lr=0.2, min_lr=0.01, cycle_mult=1.3, gamma=0.5
        ),
        200,
    ),
    "CosineAnnealingWarmupRestarts-mult-1.01": (
        case("CosineAnnealingWarmupRestarts", 2, 1, max_lr=0.3, min_lr=0.003, cycle_mult=1.01),
        400,
    ),
    "CosineAnnealingWarmupRestarts-flat": (
        case("CosineAnnealingWarmupRestarts", 4, 2, max_lr=0.05, min_lr=0.05, gamma=1.5),
        20,
    ),
    "Warmup-linear": (
        lambda m, first: m.WarmupScheduler(first, m.RexScheduler(first, 100), warmup_steps=10),
        120,
    ),
    "Warmup-cosine": (
        lambda m, first: m.WarmupScheduler(
            first, m.KDecayScheduler(first, 50, k=2.0), warmup_steps=8, warmup_type="cosine"
        ),
        70,
    ),
    "Warmup-exponential": (
        lambda m, first: m.WarmupScheduler(
            first, m.TanhDecayScheduler(first, 50), warmup_steps=6, warmup_type="exponential"
        ),
        70,
    ),
    "SequentialComposer": (
        lambda m, first: m.SequentialComposer(
            first,
            [m.LinearDecayScheduler(first, 20), m.RexScheduler(first, 30)],
            milestones=[10],
        ),
        60,
    ),
    "SequentialComposer-repeated-milestone": (
        lambda m, first: m.SequentialComposer(
            first,
            [
                m.IdentityScheduler(first),
                m.ChebyshevScheduler(first, 8),
                m.CosineWithWarmupScheduler(first, 20, warmup_steps=5),
            ],
            milestones=[6, 6],
        ),
        40,
    ),
    "SequentialComposer-first-0": (
        lambda m, first: m.SequentialComposer(
            first, [m.IdentityScheduler(first), m.RexScheduler(first, 10)], milestones=[0]
        ),
        15,
    ),
}


@pytest.mark.parametrize("base_lr", [0.1, 3.0])
@pytest.mark.parametrize(("build", "steps"), PS_CASES.values(), ids=PS_CASES.keys())
def test_pytorch_scheduler_parity(
    build: Callable[[Any, Any], Any], steps: int, base_lr: float
) -> None:
    expected = stepped(build, base_lr, steps)
    schedule = build(ps_compat, base_lr)
    assert isinstance(schedule, lrkit.LearningRateSchedule)
    got = [schedule(step) for step in range(steps)]
    assert_close(got, expected, "python ints")
    # The same values from an array of steps, and the same after a round trip.
    array = schedule(np.arange(steps))
    assert_close(array.tolist(), expected, "numpy")
    copy = lrkit.deserialize(lrkit.serialize(schedule))
    assert [copy(step) for step in range(steps)] == got


class _Names:
    """Stands in for a module and records the names a case builder asks it for."""

    def __init__(self) -> None:
        self.asked: set[str] = set()

    def __getattr__(self, name: str) -> Any:
        self.asked.add(name)
        return lambda *args, **kwargs: None


def test_every_peer_scheduler_has_a_parity_case() -> None:
    names = _Names()
    for build, _ in PS_CASES.values():
        build(names, 0.1)
    peer = [cls.__name__ for cls in pytorch_scheduler.SCHEDULER_LIST]
    peer += ["WarmupScheduler", "SequentialComposer"]
    assert sorted(set(peer) - names.asked) == []
    assert sorted(set(peer) - set(ps_compat.__all__)) == []


def test_factories_match_the_peer_factories() -> None:
    base_lr = 0.1
    pairs = {
        "rex": {"total_steps": 40},
        "WSDScheduler": {"total_steps": 40, "warmup_steps": 4, "stable_steps": 20},
        "k_decay": {"total_steps": 40, "k": 3.0},
        "cosine_annealing": {"first_cycle_steps": 9, "warmup_steps": 2, "cycle_mult": 2.0},
        "CosineAnnealingWarmupRestarts": {"first_cycle_steps": 4, "gamma": 0.9},
    }
    for name, kwargs in pairs.items():
        build = lambda module, first, name=name, kwargs=kwargs: module.create_scheduler(  # noqa: E731
            first, name, **kwargs
        )
        expected = stepped(build, base_lr, 50)
        got = [ps_compat.create_scheduler(base_lr, name, **kwargs)(t) for t in range(50)]
        assert_close(got, expected, name)
    plan = {"epochs": 3, "steps_per_epoch": 20, "grad_accum_steps": 2}
    expected = stepped(
        lambda module, first: module.create_scheduler_from_plan(first, "linear_decay", **plan),
        base_lr,
        40,
    )
    schedule = ps_compat.create_scheduler_from_plan(base_lr, "linear_decay", **plan)
    assert_close([schedule(t) for t in range(40)], expected, "from_plan")


PS_REJECTED: dict[str, Callable[[Any, Any], Any]] = {
    "Rex-total-0": case("RexScheduler", total_steps=0),
    "Hyperbolic-upper-below-total": case("HyperbolicLRScheduler", 100, upper_bound=99),
    "Hyperbolic-warmup-at-total": case("HyperbolicLRScheduler", 10, 10, warmup_steps=10),
    "ExpHyperbolic-min-0": case("ExpHyperbolicLRScheduler", 10, 10, min_lr=0.0),
    "KDecay-k-0": case("KDecayScheduler", 10, k=0.0),
    "Slanted-cut-1": case("SlantedTriangularScheduler", 10, cut_frac=1.0),
    "Slanted-ratio-0": case("SlantedTriangularScheduler", 10, ratio=0.0),
    "Trapezoidal-too-long": case("TrapezoidalScheduler", 10, warmup_steps=6, decay_steps=5),
    "WSD-no-decay": case("WSDScheduler", 10, warmup_steps=5, stable_steps=5),
    "FlatCosine-1": case("FlatCosineScheduler", 10, flat_fraction=1.0),
    "Polynomial-power-0": case("PolynomialScheduler", 10, power=0.0),
    "PowerDecay-alpha-0": case("PowerDecayScheduler", 10, alpha=0.0),
    "Chebyshev-min-negative": case("ChebyshevScheduler", 10, min_lr=-0.1),
    "Restarts-first-0": case("CosineAnnealingWarmupRestarts", 0),
    "Restarts-warmup-at-first": case("CosineAnnealingWarmupRestarts", 10, warmup_steps=10),
    "Restarts-min-above-max": case("CosineAnnealingWarmupRestarts", 10, max_lr=0.01, min_lr=0.1),
    "Restarts-mult-0": case("CosineAnnealingWarmupRestarts", 10, cycle_mult=0.0),
    "Restarts-gamma-0": case("CosineAnnealingWarmupRestarts", 10, gamma=0.0),
}


#: The argument both sides name in their message.
PS_REJECTED_NAMES: dict[str, str] = {
    "Rex-total-0": "total_steps",
    "Hyperbolic-upper-below-total": "upper_bound",
    "Hyperbolic-warmup-at-total": "warmup_steps",
    "ExpHyperbolic-min-0": "min_lr",
    "KDecay-k-0": "k",
    "Slanted-cut-1": "cut_frac",
    "Slanted-ratio-0": "ratio",
    "Trapezoidal-too-long": "decay_steps",
    "WSD-no-decay": "stable_steps",
    "FlatCosine-1": "flat_fraction",
    "Polynomial-power-0": "power",
    "PowerDecay-alpha-0": "alpha",
    "Chebyshev-min-negative": "min_lr",
    "Restarts-first-0": "first_cycle_steps",
    "Restarts-warmup-at-first": "warmup_steps",
    "Restarts-min-above-max": "min_lr",
    "Restarts-mult-0": "cycle_mult",
    "Restarts-gamma-0": "gamma",
}


@pytest.mark.parametrize("key", PS_REJECTED)
def test_pytorch_scheduler_rejects_what_the_peer_rejects(key: str) -> None:
    build, named = PS_REJECTED[key], PS_REJECTED_NAMES[key]
    parameter = torch.nn.Parameter(torch.zeros(1))
    with pytest.raises(ValueError, match=named):
        build(PEER, torch.optim.SGD([parameter], lr=0.1))
    with pytest.raises(ValueError, match=named):
        build(ps_compat, 0.1)


def test_pytorch_scheduler_is_stricter_where_documented() -> None:
    with pytest.raises(ValueError, match="min_lr must be <= base_lr"):
        ps_compat.CosineWithWarmupScheduler(0.1, 10, min_lr=0.2)
    with pytest.raises(ValueError, match="cut_frac"):
        ps_compat.SlantedTriangularScheduler(0.1, 5, cut_frac=0.1)
    with pytest.raises(ValueError, match="decay_type"):
        ps_compat.WSDScheduler(0.1, 10, 2, 2, decay_type="cos")
    with pytest.raises(TypeError, match="total_steps"):
        ps_compat.RexScheduler(0.1, total_steps=10.5)  # type: ignore[arg-type]
    # Below 1 the package's cycles shrink to 0 steps and its step() loops forever.
    with pytest.raises(ValueError, match="cycle_mult must be >= 1"):
        ps_compat.CosineAnnealingWarmupRestarts(0.1, 4, cycle_mult=0.5)
    with pytest.raises(ValueError, match="cycle_mult must be 1, or large enough"):
        ps_compat.CosineAnnealingWarmupRestarts(0.1, 10, cycle_mult=1.001)


# -- lrsched -----------------------------------------------------------------------------


def lrs(name: str, **kwargs: Any) -> Callable[[Any], Any]:
    return lambda module: getattr(module, name)(**kwargs)


LRSCHED_CASES: dict[str, tuple[Callable[[Any], Any], int]] = {
    "constant": (lrs("constant", lr=0.1), 5),
    "step_decay": (lrs("step_decay", base_lr=0.1, drop=0.5, step_size=7), 40),
    "multi_step": (lrs("multi_step", base_lr=0.3, milestones=[30, 10, 10], gamma=0.2), 40),
    "exponential": (lrs("exponential", base_lr=0.1, gamma=0.97), 100),
    "exponential-growth": (lrs("exponential", base_lr=0.001, gamma=1.05), 100),
    "exponential-0": (lrs("exponential", base_lr=0.1, gamma=0.0), 5),
    "exponential_decay": (
        lrs("exponential_decay", base_lr=0.1, decay_rate=0.5, decay_steps=13),
        100,
    ),
    "polynomial": (lrs("polynomial", base_lr=0.1, end_lr=0.001, total_steps=50, power=2.0), 60),
    "polynomial-rising-0": (
        lrs("polynomial", base_lr=0.01, end_lr=0.1, total_steps=20, power=0.0),
        25,
    ),
    "polynomial_decay": (
        lrs("polynomial_decay", start_lr=0.1, end_lr=0.0, total_steps=30, power=0.5),
        40,
    ),
    "linear": (lrs("linear", base_lr=0.1, end_lr=0.0, total_steps=30), 40),
    "linear-rising": (lrs("linear", base_lr=0.0, end_lr=0.1, total_steps=7), 10),
    "cosine": (lrs("cosine", base_lr=0.1, min_lr=0.001, total_steps=50), 60),
    "cosine-rising": (lrs("cosine", base_lr=0.01, min_lr=0.1, total_steps=20), 30),
    "cosine_restarts": (lrs("cosine_restarts", base_lr=0.1, min_lr=0.0, period=10, t_mult=2), 200),
    "cosine_restarts-floor": (
        lrs("cosine_restarts", base_lr=0.1, min_lr=0.01, period=7, t_mult=1),
        60,
    ),
    "inverse_sqrt": (lrs("inverse_sqrt", base_lr=0.1, warmup_steps=16), 200),
    "one_cycle": (
        lrs(
            "one_cycle", max_lr=0.1, total_steps=100, pct_start=0.3, initial_div=25.0, final_div=1e4
        ),
        120,
    ),
    "one_cycle-short": (
        lrs(
            "one_cycle", max_lr=1.0, total_steps=5, pct_start=0.5, initial_div=10.0, final_div=100.0
        ),
        10,
    ),
    "warmup_stable_decay-linear": (
        lrs(
            "warmup_stable_decay",
            base_lr=0.1,
            warmup_steps=10,
            decay_steps=20,
            total_steps=100,
            final_lr=0.001,
            warmup_start=0.0,
            decay_shape="linear",
        ),
        120,
    ),
    "warmup_stable_decay-1-sqrt": (
        lrs(
            "warmup_stable_decay",
            base_lr=0.1,
            warmup_steps=0,
            decay_steps=30,
            total_steps=30,
            final_lr=0.0,
            warmup_start=0.0,
            decay_shape="1-sqrt",
        ),
        40,
    ),
    "warmup_stable_decay-no-decay": (
        lrs(
            "warmup_stable_decay",
            base_lr=0.1,
            warmup_steps=5,
            decay_steps=0,
            total_steps=20,
            final_lr=0.01,
            warmup_start=0.02,
            decay_shape="linear",
        ),
        30,
    ),
    "triangular": (lrs("triangular", min_lr=0.001, max_lr=0.1, step_size=10), 70),
    "triangular2": (lrs("triangular2", min_lr=0.001, max_lr=0.1, step_size=7), 70),
    "exp_range": (lrs("exp_range", min_lr=0.0, max_lr=0.1, step_size=5, gamma=0.99), 70),
    "with_warmup": (
        lambda m: m.with_warmup(
            m.cosine(base_lr=0.1, min_lr=0.0, total_steps=50), warmup_steps=10, start_lr=0.01
        ),
        70,
    ),
    "sequential": (
        lambda m: m.sequential(
            [
                (10, m.linear(base_lr=0.0, end_lr=0.1, total_steps=10)),
                (30, m.cosine(base_lr=0.1, min_lr=0.001, total_steps=30)),
            ]
        ),
        60,
    ),
    "sequential-one": (lambda m: m.sequential([(5, m.exponential(base_lr=0.1, gamma=0.5))]), 10),
}


@pytest.mark.parametrize(("build", "steps"), LRSCHED_CASES.values(), ids=LRSCHED_CASES.keys())
def test_lrsched_parity(build: Callable[[Any], Any], steps: int) -> None:
    peer = build(lrsched)
    expected = [peer(step) for step in range(steps)]
    schedule = build(lrsched_compat)
    assert isinstance(schedule, lrkit.LearningRateSchedule)
    got = [schedule(step) for step in range(steps)]
    assert_close(got, expected, "python ints")
    assert_close(schedule(np.arange(steps)).tolist(), expected, "numpy")


def test_lrsched_sample_and_scale_by_group() -> None:
    def base(module: Any) -> Any:
        return module.cosine(base_lr=0.1, min_lr=0.0, total_steps=20)

    assert_close(
        lrsched_compat.sample(base(lrsched_compat), num_steps=25),
        lrsched.sample(base(lrsched), num_steps=25),
        "sample",
    )
    multipliers = {"backbone": 0.1, "head": 1.0, "bias": 2.5}
    peer = lrsched.scale_by_group(base(lrsched), multipliers=multipliers)
    groups = lrsched_compat.scale_by_group(base(lrsched_compat), multipliers=multipliers)
    for step in range(25):
        expected, got = peer(step), groups(step)
        assert list(got) == list(expected)
        assert_close(list(got.values()), list(expected.values()), f"groups at {step}")


LRSCHED_REJECTED: dict[str, Callable[[Any], Any]] = {
    "step_decay-drop-0": lrs("step_decay", base_lr=0.1, drop=0.0, step_size=3),
    "step_decay-base-0": lrs("step_decay", base_lr=0.0, drop=0.5, step_size=3),
    "multi_step-milestone-0": lrs("multi_step", base_lr=0.1, milestones=[0], gamma=0.5),
    "polynomial-total-0": lrs("polynomial", base_lr=0.1, end_lr=0.0, total_steps=0, power=1.0),
    "polynomial_decay-power-0": lrs(
        "polynomial_decay", start_lr=0.1, end_lr=0.0, total_steps=5, power=0.0
    ),
    "cosine-nan": lrs("cosine", base_lr=math.nan, min_lr=0.0, total_steps=5),
    "one_cycle-pct-1": lrs(
        "one_cycle", max_lr=0.1, total_steps=10, pct_start=1.0, initial_div=2.0, final_div=2.0
    ),
    "one_cycle-total-1": lrs(
        "one_cycle", max_lr=0.1, total_steps=1, pct_start=0.5, initial_div=2.0, final_div=2.0
    ),
    "exponential_decay-rate-1": lrs(
        "exponential_decay", base_lr=0.1, decay_rate=1.0, decay_steps=5
    ),
    "warmup_stable_decay-shape": lrs(
        "warmup_stable_decay",
        base_lr=0.1,
        warmup_steps=1,
        decay_steps=1,
        total_steps=5,
        final_lr=0.0,
        warmup_start=0.0,
        decay_shape="cosine",
    ),
    "warmup_stable_decay-too-long": lrs(
        "warmup_stable_decay",
        base_lr=0.1,
        warmup_steps=3,
        decay_steps=3,
        total_steps=5,
        final_lr=0.0,
        warmup_start=0.0,
        decay_shape="linear",
    ),
    "triangular-step-size-0": lrs("triangular", min_lr=0.0, max_lr=0.1, step_size=0),
    "scale_by_group-empty": lambda m: m.scale_by_group(m.constant(lr=0.1), multipliers={}),
    "scale_by_group-zero": lambda m: m.scale_by_group(m.constant(lr=0.1), multipliers={"a": 0.0}),
    "sequential-empty": lambda m: m.sequential([]),
    "with_warmup-0": lambda m: m.with_warmup(m.constant(lr=0.1), warmup_steps=0, start_lr=0.0),
}


#: The argument both sides name in their message.
LRSCHED_REJECTED_NAMES: dict[str, str] = {
    "step_decay-drop-0": "drop",
    "step_decay-base-0": "base_lr",
    "multi_step-milestone-0": "milestone",
    "polynomial-total-0": "total_steps",
    "polynomial_decay-power-0": "power",
    "cosine-nan": "base_lr",
    "one_cycle-pct-1": "pct_start",
    "one_cycle-total-1": "total_steps",
    "exponential_decay-rate-1": "decay_rate",
    "warmup_stable_decay-shape": "decay_shape",
    "warmup_stable_decay-too-long": "decay_steps",
    "triangular-step-size-0": "step_size",
    "scale_by_group-empty": "multipliers",
    "scale_by_group-zero": "multiplier",
    "sequential-empty": "phase",
    "with_warmup-0": "warmup_steps",
}


@pytest.mark.parametrize("key", LRSCHED_REJECTED)
def test_lrsched_rejects_what_lrsched_rejects(key: str) -> None:
    build, named = LRSCHED_REJECTED[key], LRSCHED_REJECTED_NAMES[key]
    with pytest.raises(ValueError, match=named):
        build(lrsched)
    with pytest.raises(ValueError, match=named):
        build(lrsched_compat)


def test_importing_the_compat_modules_imports_no_peer_and_no_torch() -> None:
    code = (
        "import sys\n"
        "import lrkit.compat.lrsched, lrkit.compat.pytorch_scheduler\n"
        "loaded = {'torch', 'numpy', 'lrsched', 'pytorch_scheduler'} & set(sys.modules)\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
