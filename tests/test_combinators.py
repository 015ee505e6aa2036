"""Combinators: Warmup, Join, Scale, Offset, Clip, Sum, Product and arithmetic.

Values are checked against optax's ``join_schedules`` and ``warmup_*``
schedules and Keras's warmup ``CosineDecay``, which implement the same rules.
"""

from __future__ import annotations

import itertools
import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lrkit
from conftest import property_examples

jnp = pytest.importorskip("jax.numpy")
optax = pytest.importorskip("optax")
jax = pytest.importorskip("jax")

STEPS = [0, 1, 5, 9, 10, 11, 50, 99, 100, 101, 500, 999, 1000, 1100, 5000]


def _optax_values(schedule, steps):
    # optax computes in float32 by default; evaluate on a float64-free path.
    return np.array([float(schedule(step)) for step in steps])


def _lrkit_values(schedule, steps):
    return np.array([schedule(step) for step in steps])


JOIN_CASES = {
    "linear-then-exponential": (
        lrkit.Join(
            [
                lrkit.PolynomialDecay(0.0, 10, end_learning_rate=0.1),
                lrkit.ExponentialDecay(0.1, 100, 0.5),
            ],
            boundaries=[10],
        ),
        lambda: optax.join_schedules(
            [optax.linear_schedule(0.0, 0.1, 10), optax.exponential_decay(0.1, 100, 0.5)], [10]
        ),
    ),
    "three-pieces": (
        lrkit.Join(
            [
                lrkit.PolynomialDecay(0.01, 100, end_learning_rate=0.2),
                lrkit.PiecewiseConstantDecay([], [0.2]),
                lrkit.CosineDecay(0.2, 900, alpha=0.1),
            ],
            boundaries=[100, 500],
        ),
        lambda: optax.join_schedules(
            [
                optax.linear_schedule(0.01, 0.2, 100),
                optax.constant_schedule(0.2),
                optax.cosine_decay_schedule(0.2, 900, alpha=0.1),
            ],
            [100, 500],
        ),
    ),
}


@pytest.mark.parametrize("name", sorted(JOIN_CASES))
def test_join_matches_optax_join_schedules(name):
    ours, make_reference = JOIN_CASES[name]
    reference = make_reference()
    np.testing.assert_allclose(
        _lrkit_values(ours, STEPS), _optax_values(reference, STEPS), rtol=2e-6, atol=1e-9
    )


@pytest.mark.parametrize(
    ("peak", "warmup_steps", "decay_steps", "end"),
    [(0.1, 100, 1000, 0.0), (0.5, 10, 90, 0.01), (1.0, 1, 5000, 0.001)],
)
def test_warmup_cosine_matches_optax(peak, warmup_steps, decay_steps, end):
    # optax's decay_steps counts the warmup too; its cosine ends at end_value.
    ours = lrkit.Warmup(
        lrkit.CosineDecay(peak, decay_steps - warmup_steps, alpha=end / peak), warmup_steps
    )
    reference = optax.warmup_cosine_decay_schedule(0.0, peak, warmup_steps, decay_steps, end)
    np.testing.assert_allclose(
        _lrkit_values(ours, STEPS), _optax_values(reference, STEPS), rtol=2e-6, atol=1e-9
    )


@pytest.mark.parametrize(("start", "target", "warmup_steps"), [(0.0, 0.1, 100), (0.01, 0.3, 7)])
def test_warmup_equals_keras_cosine_decay_warmup(start, target, warmup_steps):
    keras = pytest.importorskip("keras")
    reference = keras.optimizers.schedules.CosineDecay(
        start, 1000, alpha=0.1, warmup_target=target, warmup_steps=warmup_steps
    )
    ours = lrkit.Warmup(lrkit.CosineDecay(target, 1000, alpha=0.1), warmup_steps, start)
    expected = np.array([float(reference(step)) for step in STEPS])
    np.testing.assert_allclose(_lrkit_values(ours, STEPS), expected, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("shape", ["linear", "cosine", "exponential"])
def test_warmup_shapes_start_and_end_where_documented(shape):
    inner = lrkit.ExponentialDecay(0.2, 100, 0.5)
    schedule = lrkit.Warmup(inner, 50, initial_learning_rate=0.002, shape=shape)
    assert schedule(0) == pytest.approx(0.002)
    assert schedule(50) == pytest.approx(inner(0))
    assert schedule(150) == pytest.approx(inner(100))
    ramp = [schedule(step) for step in range(51)]
    assert all(b >= a for a, b in itertools.pairwise(ramp))


def test_warmup_geometric_midpoint():
    schedule = lrkit.Warmup(lrkit.PiecewiseConstantDecay([], [1.0]), 10, 0.01, "exponential")
    assert schedule(5) == pytest.approx(math.sqrt(0.01 * 1.0))


def test_scale_offset_clip_sum_product():
    base = lrkit.ExponentialDecay(0.1, 10, 0.5)
    other = lrkit.CosineDecay(1.0, 100)
    for step in (0, 3, 10, 77, 250):
        assert lrkit.Scale(base, 3.0)(step) == pytest.approx(3.0 * base(step))
        assert lrkit.Offset(base, 0.01)(step) == pytest.approx(base(step) + 0.01)
        assert lrkit.Clip(base, 0.02, 0.05)(step) == pytest.approx(min(max(base(step), 0.02), 0.05))
        assert lrkit.Sum([base, other])(step) == pytest.approx(base(step) + other(step))
        assert lrkit.Product([base, other])(step) == pytest.approx(base(step) * other(step))


def test_arithmetic_builds_serializable_schedules():
    base = lrkit.ExponentialDecay(0.1, 10, 0.5)
    other = lrkit.CosineDecay(1.0, 100)
    assert base * 0.5 == lrkit.Scale(base, 0.5)
    assert 0.5 * base == lrkit.Scale(base, 0.5)
    assert base + 0.01 == lrkit.Offset(base, 0.01)
    assert base + other == lrkit.Sum([base, other])
    assert base * other == lrkit.Product([base, other])
    for built in (base * 0.5, base + other, base * other, base + 0.01):
        assert lrkit.from_json(lrkit.to_json(built)) == built


COMBINED = [
    lrkit.Warmup(lrkit.CosineDecay(0.1, 1000, alpha=0.1), 100, shape="cosine"),
    lrkit.Join([lrkit.ExponentialDecay(0.1, 10, 0.9), lrkit.CosineDecayRestarts(0.05, 30)], [40]),
    lrkit.Clip(lrkit.InverseTimeDecay(1.0, 5, 1.0), min_learning_rate=0.01, max_learning_rate=0.5),
    lrkit.Scale(lrkit.Warmup(lrkit.PolynomialDecay(0.3, 200), 20), 0.5),
    lrkit.Offset(
        lrkit.Sum([lrkit.CosineDecay(0.1, 100), lrkit.LinearCosineDecay(0.1, 100)]), 0.001
    ),
    lrkit.Product([lrkit.CosineDecay(1.0, 100), lrkit.ExponentialDecay(0.1, 10, 0.5)]),
]


@pytest.mark.parametrize("schedule", COMBINED, ids=lambda s: type(s).__name__)
@settings(max_examples=property_examples(10), deadline=None)
@given(steps=st.lists(st.integers(0, 3000), min_size=1, max_size=20))
def test_combinators_agree_across_inputs_and_round_trip(schedule, steps):
    import torch

    scalar = np.array([schedule(step) for step in steps])
    np.testing.assert_allclose(schedule(np.array(steps)), scalar, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(
        schedule(torch.tensor(steps, dtype=torch.float64)).numpy(), scalar, rtol=1e-12
    )
    np.testing.assert_allclose(
        np.asarray(jax.jit(schedule)(jnp.array(steps))), scalar, rtol=2e-5, atol=1e-7
    )
    revived = lrkit.deserialize(lrkit.serialize(schedule))
    assert revived == schedule
    assert [revived(step) for step in steps] == scalar.tolist()


@pytest.mark.parametrize(
    ("build", "error", "words"),
    [
        (lambda: lrkit.Warmup(0.1, 10), TypeError, "schedule"),
        (lambda: lrkit.Warmup(lrkit.CosineDecay(0.1, 10), -1), ValueError, "warmup_steps"),
        (lambda: lrkit.Warmup(lrkit.CosineDecay(0.1, 10), 5, shape="square"), ValueError, "shape"),
        (
            lambda: lrkit.Warmup(lrkit.CosineDecay(0.1, 10), 5, 0.0, "exponential"),
            ValueError,
            "initial_learning_rate",
        ),
        (lambda: lrkit.Join([lrkit.CosineDecay(0.1, 10)], [5]), ValueError, "boundaries"),
        (lambda: lrkit.Join([lrkit.CosineDecay(0.1, 10)] * 3, [5, 5]), ValueError, "boundaries"),
        (lambda: lrkit.Join([], []), ValueError, "schedules"),
        (lambda: lrkit.Scale(lrkit.CosineDecay(0.1, 10), float("nan")), ValueError, "factor"),
        (lambda: lrkit.Offset(lrkit.CosineDecay(0.1, 10), "1"), TypeError, "offset"),
        (lambda: lrkit.Clip(lrkit.CosineDecay(0.1, 10)), ValueError, "min_learning_rate"),
        (lambda: lrkit.Clip(lrkit.CosineDecay(0.1, 10), 0.5, 0.1), ValueError, "min_learning_rate"),
        (lambda: lrkit.Sum([lrkit.CosineDecay(0.1, 10), 3]), TypeError, "schedules[1]"),
    ],
    ids=lambda value: getattr(value, "__name__", None) if isinstance(value, type) else None,
)
def test_bad_combinator_arguments(build, error, words):
    with pytest.raises(error, match=words.replace("[", r"\[").replace("]", r"\]")):
        build()


# -- cost: linear in the config's size ------------------------------------------------


class CountingDecay(lrkit.LinearDecay):
    """A leaf that counts its evaluations: array formulas and Python-number calls.

    It refuses to run past ``limit`` evaluations, so a combinator whose cost
    grows exponentially with the nesting fails at once instead of hanging.
    """

    evaluations = 0
    limit = 10**6

    @classmethod
    def count(cls) -> None:
        cls.evaluations += 1
        if cls.evaluations > cls.limit:
            raise AssertionError(f"more than {cls.limit} evaluations of a leaf")

    def _formula(self, step, xp):
        CountingDecay.count()
        return super()._formula(step, xp)

    def __call__(self, step=None):
        if type(step) in (int, float):
            CountingDecay.count()
        return super().__call__(step)


def _leaf():
    return CountingDecay(0.1, decay_steps=50)


#: Each level wraps the schedule below it; levels that combine add a fresh leaf.
LEVELS = {
    "Warmup": lambda inner: lrkit.Warmup(inner, warmup_steps=3),
    "Warmup-exponential": lambda inner: lrkit.Warmup(
        inner, 2, initial_learning_rate=0.01, shape="exponential"
    ),
    "Join": lambda inner: lrkit.Join([_leaf(), inner], boundaries=[2]),
    "Join-last": lambda inner: lrkit.Join([inner, _leaf()], boundaries=[40]),
    "Sum": lambda inner: lrkit.Sum([inner, _leaf()]),
    "Product": lambda inner: lrkit.Product([_leaf(), inner]),
    "Clip": lambda inner: lrkit.Clip(inner, min_learning_rate=0.001, max_learning_rate=1.0),
    "Scale": lambda inner: lrkit.Scale(inner, 0.9),
    "Offset": lambda inner: lrkit.Offset(inner, 0.001),
    "Shift": lambda inner: lrkit.Shift(inner, 1),
    "Repeat": lambda inner: lrkit.Repeat(inner, period_steps=37),
    "TimmNoise": lambda inner: lrkit.TimmNoise(inner, start_step=5, seed=1),
}
DEPTH = 30


def _nested(kinds, depth=DEPTH):
    schedule = _leaf()
    for level in range(depth):
        schedule = LEVELS[kinds[level % len(kinds)]](schedule)
    return schedule


def _leaves(schedule) -> int:
    return len(re.findall(r"CountingDecay\(", repr(schedule)))


NESTINGS = [[kind] for kind in LEVELS] + [list(LEVELS), list(LEVELS)[::-1]]


@pytest.mark.parametrize("kinds", NESTINGS, ids=lambda kinds: "+".join(kinds)[:40])
def test_nested_combinators_evaluate_each_leaf_once(kinds, monkeypatch):
    """Depth 30: one evaluation of each leaf per call, on Python numbers and on arrays."""
    import torch

    schedule = _nested(kinds)
    leaves = _leaves(schedule)
    assert leaves >= 1
    monkeypatch.setattr(CountingDecay, "limit", 10 * leaves)
    steps = [0, 1, 2.5, 3, 7, 40, 41, 100]
    calls = [
        *(lambda step=step: schedule(step) for step in steps),
        lambda: schedule(np.asarray(steps)),
        lambda: schedule(torch.tensor(steps)),
        lambda: jax.jit(schedule)(jnp.asarray(steps)),  # counted while tracing
    ]
    for call in calls:
        CountingDecay.evaluations = 0
        call()
        assert CountingDecay.evaluations <= leaves, (kinds, CountingDecay.evaluations, leaves)
