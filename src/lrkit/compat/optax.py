"""optax's schedule functions, returning lrkit schedules.

Each function takes optax's parameters and defaults (``optax.schedules``,
optax 0.2) and returns an lrkit schedule, built from lrkit's families and
combinators, whose value at every step ``t >= 0`` is optax's (optax computes
in float32, lrkit in float64 for Python numbers). optax's own argument errors
are ``ValueError`` here too, under the same conditions, and its quirks are
kept: a non-positive ``transition_steps`` gives a constant ``init_value``, a
negative ``transition_begin`` counts as 0, a piecewise boundary applies from
its own step on, and the onecycle boundaries are ``int(pct * steps)``.

Where lrkit differs, it refuses at construction what optax would compute
without meaning: negative rates or scales, negative ``decay_rate``, negative
``exponent``, negative boundaries (and warmups) that would run a schedule
from before its start, and ``join_schedules`` boundaries that are not
increasing. A negative step is step 0, as everywhere in lrkit (optax
extrapolates some formulas there).

Importing this module imports neither optax nor JAX.

Example:
    >>> from lrkit.compat import optax
    >>> schedule = optax.warmup_cosine_decay_schedule(0.0, 1.0, warmup_steps=10, decay_steps=110)
    >>> schedule(5), schedule(10), schedule(60)
    (0.5, 1.0, 0.5)
"""

from __future__ import annotations

from lrkit.compat._optax_composed import (
    cosine_onecycle_schedule,
    join_schedules,
    linear_onecycle_schedule,
    sgdr_schedule,
    warmup_constant_schedule,
    warmup_cosine_decay_schedule,
    warmup_exponential_decay_schedule,
)
from lrkit.compat._optax_decays import (
    constant_schedule,
    cosine_decay_schedule,
    exponential_decay,
    linear_schedule,
    piecewise_constant_schedule,
    piecewise_interpolate_schedule,
    polynomial_schedule,
)

__all__ = [
    "constant_schedule",
    "cosine_decay_schedule",
    "cosine_onecycle_schedule",
    "exponential_decay",
    "join_schedules",
    "linear_onecycle_schedule",
    "linear_schedule",
    "piecewise_constant_schedule",
    "piecewise_interpolate_schedule",
    "polynomial_schedule",
    "sgdr_schedule",
    "warmup_constant_schedule",
    "warmup_cosine_decay_schedule",
    "warmup_exponential_decay_schedule",
]
