"""lrkit schedules as optax schedules: jitted training loops, inject_hyperparams, vmap.

The schedule object itself is the optax schedule (no wrapper). Each jitted
update step must be traced once, not once per step.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pytest

import lrkit

jax = pytest.importorskip("jax")
jnp = pytest.importorskip("jax.numpy")
optax = pytest.importorskip("optax")

N = 30
RTOL = 2e-6  # optax works in float32


@contextmanager
def no_warnings() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


class Counted:
    """A schedule wrapper counting its Python calls (one per trace under jit)."""

    def __init__(self, schedule: Callable[[Any], Any]) -> None:
        self.schedule = schedule
        self.calls = 0

    def __call__(self, step: Any) -> Any:
        self.calls += 1
        return self.schedule(step)


def make_data() -> tuple[Any, Any]:
    key_x, key_w = jax.random.split(jax.random.PRNGKey(0))
    x = jax.random.normal(key_x, (N, 8, 3))
    y = x @ jax.random.normal(key_w, (3, 1))
    return x, y


X, Y = make_data()
PARAMS = {"w": jnp.zeros((3, 1)), "b": jnp.zeros((1,))}


def loss_fn(params: dict[str, Any], x: Any, y: Any) -> Any:
    return jnp.mean((x @ params["w"] + params["b"] - y) ** 2)


def run(optimizer: Any, steps: int = N) -> tuple[Any, list[Any], int]:
    """A jitted training loop: final params, the optimizer state after each step, traces."""
    traces = 0

    @jax.jit
    def update(params: Any, state: Any, x: Any, y: Any) -> tuple[Any, Any]:
        nonlocal traces
        traces += 1
        grads = jax.grad(loss_fn)(params, x, y)
        updates, state = optimizer.update(grads, state, params)
        return optax.apply_updates(params, updates), state

    params, state = PARAMS, optimizer.init(PARAMS)
    states = []
    for t in range(steps):
        params, state = update(params, state, X[t], Y[t])
        states.append(state)
    return params, states, traces


LOOP_SCHEDULES = {
    "CosineDecay-warmup": lrkit.CosineDecay(0.0, 20, warmup_target=0.05, warmup_steps=10),
    "Join": lrkit.Join(
        [lrkit.Constant(0.01), lrkit.ExponentialDecay(0.05, 5, 0.5, staircase=True)], [8]
    ),
    "PiecewiseConstantDecay": lrkit.PiecewiseConstantDecay([5, 15], [0.05, 0.02, 0.005]),
    "NoisyLinearCosineDecay": lrkit.NoisyLinearCosineDecay(0.05, 25, seed=3),
}


@pytest.mark.parametrize("schedule", list(LOOP_SCHEDULES.values()), ids=list(LOOP_SCHEDULES))
def test_inject_hyperparams_reports_the_schedule(schedule: lrkit.LearningRateSchedule) -> None:
    counted = Counted(schedule)
    decay = lrkit.CosineDecay(1e-3, N)
    optimizer = optax.inject_hyperparams(optax.adamw)(learning_rate=counted, weight_decay=decay)
    with no_warnings():
        params, states, traces = run(optimizer)
    assert traces == 1
    assert counted.calls == 2  # once eagerly in init, once in the single trace
    # The state after update t holds the values that update t used, at count t.
    reported = np.array([s.hyperparams["learning_rate"] for s in states])
    expected = np.array([schedule(t) for t in range(N)])
    np.testing.assert_allclose(reported, expected, rtol=RTOL, atol=1e-9)
    assert len(set(expected.tolist())) > 2  # the rate did change
    np.testing.assert_allclose(
        [s.hyperparams["weight_decay"] for s in states],
        [decay(t) for t in range(N)],
        rtol=RTOL,
        atol=1e-6 * decay(0),
    )
    assert int(states[-1].count) == N
    assert float(loss_fn(params, X[0], Y[0])) < float(loss_fn(PARAMS, X[0], Y[0]))


def test_training_matches_optax_native_schedule() -> None:
    """The schedule passed straight to optax.adamw, against optax's own warmup cosine."""
    warmup, total, peak = 6, N, 0.05
    ours = lrkit.CosineDecay(0.0, total - warmup, warmup_target=peak, warmup_steps=warmup)
    theirs = optax.warmup_cosine_decay_schedule(0.0, peak, warmup, total)
    steps = jnp.arange(N + 5)
    np.testing.assert_allclose(jax.jit(ours)(steps), theirs(steps), rtol=RTOL, atol=1e-9)
    with no_warnings():
        ours_params, _, ours_traces = run(optax.adamw(learning_rate=ours, weight_decay=1e-3))
        theirs_params, _, _ = run(optax.adamw(learning_rate=theirs, weight_decay=1e-3))
    assert ours_traces == 1
    jax.tree.map(
        lambda a, b: np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7),
        ours_params,
        theirs_params,
    )
    assert not np.allclose(ours_params["w"], PARAMS["w"])  # it trained


def test_scan_loop_traces_once() -> None:
    """A whole training loop inside ``lax.scan`` under one jit."""
    schedule = Counted(lrkit.Warmup(lrkit.CosineDecay(0.05, N), 5))
    optimizer = optax.inject_hyperparams(optax.sgd)(learning_rate=schedule, momentum=0.9)

    @jax.jit
    def train(params: Any, state: Any) -> tuple[Any, Any]:
        def body(carry: Any, batch: Any) -> tuple[Any, Any]:
            params, state = carry
            updates, state = optimizer.update(jax.grad(loss_fn)(params, *batch), state, params)
            return (optax.apply_updates(params, updates), state), state.hyperparams["learning_rate"]

        return jax.lax.scan(body, (params, state), (X, Y))

    state = optimizer.init(PARAMS)
    with no_warnings():
        _, rates = train(PARAMS, state)
        train(PARAMS, state)  # cached: no new trace
    assert schedule.calls == 2  # init, then one trace of the scan body
    np.testing.assert_allclose(rates, [schedule.schedule(t) for t in range(N)], rtol=RTOL)


def test_vmap_over_steps() -> None:
    schedule = lrkit.Warmup(lrkit.CosineDecayRestarts(0.1, 7), 3)
    counted = Counted(schedule)
    vectorized = jax.jit(jax.vmap(counted))
    steps = jnp.arange(50, dtype=jnp.int32)
    with no_warnings():
        first = vectorized(steps)
        vectorized(steps + 50)
        weak = jax.jit(schedule)(5)  # a Python int becomes a weakly typed int32
    assert counted.calls == 1
    assert weak.dtype == jnp.float32
    np.testing.assert_allclose(weak, schedule(5), rtol=RTOL)
    np.testing.assert_allclose(first, [schedule(t) for t in range(50)], rtol=RTOL, atol=1e-9)

    # vmap over optimizer states at different counts (e.g. an ensemble).
    optimizer = optax.inject_hyperparams(optax.sgd)(learning_rate=schedule)
    states = jax.jit(jax.vmap(lambda _: optimizer.init(PARAMS)))(jnp.arange(4))
    counts = jnp.array([0, 3, 10, 40], dtype=jnp.int32)
    schedule_states = states.hyperparams_states
    schedule_states["learning_rate"] = schedule_states["learning_rate"]._replace(count=counts)
    states = states._replace(count=counts, hyperparams_states=schedule_states)
    grads = jax.tree.map(lambda p: jnp.ones((4, *p.shape)), PARAMS)
    params = jax.tree.map(lambda p: jnp.zeros((4, *p.shape)), PARAMS)
    _, new_states = jax.jit(jax.vmap(optimizer.update))(grads, states, params)
    np.testing.assert_allclose(
        new_states.hyperparams["learning_rate"], [schedule(t) for t in (0, 3, 10, 40)], rtol=RTOL
    )


def test_every_schedule_is_an_optax_schedule(
    examples: dict[str, lrkit.LearningRateSchedule],
) -> None:
    """Every example on optax's int32 count under jit: traced once, float32, no warnings.

    All of them in one jitted function, so there is one compilation.
    """
    counted = {name: Counted(schedule) for name, schedule in examples.items()}
    jitted = jax.jit(lambda count: {name: c(count) for name, c in counted.items()})
    steps = (0, 1, 7, 1000)
    with no_warnings():
        results = [jitted(jnp.asarray(t, dtype=jnp.int32)) for t in steps]
    for name, schedule in examples.items():
        assert counted[name].calls == 1, name
        values = [result[name] for result in results]
        assert all(v.dtype == jnp.float32 and v.shape == () for v in values), name
        expected = [schedule(t) for t in steps]
        scale = max(abs(e) for e in expected) or 1.0
        np.testing.assert_allclose(values, expected, rtol=1e-5, atol=1e-6 * scale, err_msg=name)
