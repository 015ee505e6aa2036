"""A JAX/optax training loop driven by an lrkit schedule.

The lrkit schedule is passed to optax as it is: ``optax.adamw(learning_rate=
schedule)``. ``optax.inject_hyperparams`` exposes the rate each update used,
which is checked against the schedule, and the jitted update step is traced
once for the whole run.

Run: ``python examples/jax_optax_loop.py`` (CPU, a few seconds).
"""

from __future__ import annotations

import os

os.environ.setdefault("JAX_PLATFORMS", "cpu")

import jax
import jax.numpy as jnp
import numpy as np
import optax

import lrkit

STEPS = 200
SCHEDULE = lrkit.Warmup(lrkit.CosineDecay(1e-2, STEPS - 20, alpha=0.05), warmup_steps=20)


def main() -> None:
    key_x, key_w = jax.random.split(jax.random.PRNGKey(0))
    x = jax.random.normal(key_x, (STEPS, 64, 4))
    y = jnp.sin(x @ jax.random.normal(key_w, (4, 1)))

    def init_params(key: jax.Array) -> dict[str, jax.Array]:
        k1, k2 = jax.random.split(key)
        return {
            "w1": 0.5 * jax.random.normal(k1, (4, 32)),
            "b1": jnp.zeros(32),
            "w2": 0.5 * jax.random.normal(k2, (32, 1)),
            "b2": jnp.zeros(1),
        }

    def loss_fn(params: dict[str, jax.Array], x: jax.Array, y: jax.Array) -> jax.Array:
        hidden = jnp.tanh(x @ params["w1"] + params["b1"])
        return jnp.mean((hidden @ params["w2"] + params["b2"] - y) ** 2)

    optimizer = optax.inject_hyperparams(optax.adamw)(learning_rate=SCHEDULE, weight_decay=1e-4)
    params = init_params(jax.random.PRNGKey(1))
    state = optimizer.init(params)
    traces = 0

    @jax.jit
    def update(
        params: dict[str, jax.Array], state: optax.OptState, x: jax.Array, y: jax.Array
    ) -> tuple[dict[str, jax.Array], optax.OptState, jax.Array]:
        nonlocal traces
        traces += 1  # runs only while JAX traces the function
        loss, grads = jax.value_and_grad(loss_fn)(params, x, y)
        updates, state = optimizer.update(grads, state, params)
        return optax.apply_updates(params, updates), state, loss

    rates, losses = [], []
    for t in range(STEPS):
        params, state, loss = update(params, state, x[t], y[t])
        rates.append(state.hyperparams["learning_rate"])  # the rate update t used
        losses.append(loss)

    np.testing.assert_allclose(rates, [SCHEDULE(t) for t in range(STEPS)], rtol=2e-6, atol=1e-10)
    assert traces == 1, f"the update step was traced {traces} times"
    print(
        f"{STEPS} steps, 1 trace; loss {float(losses[0]):.4f} -> {float(losses[-1]):.4f}; "
        f"lr peak {max(map(float, rates)):.4g}, final {float(rates[-1]):.3g}"
    )


if __name__ == "__main__":
    main()
