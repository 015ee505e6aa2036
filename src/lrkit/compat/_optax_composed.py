"""optax's composed schedules (one-cycle, warmups, SGDR, joins), as lrkit schedules.

Part of :mod:`lrkit.compat.optax`, where these functions are documented and
exported.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from lrkit._combinators.composition import Join
from lrkit._core.schedule import LearningRateSchedule
from lrkit._core.validation import check_steps, show
from lrkit.compat._optax_decays import (
    cosine_decay_schedule,
    exponential_decay,
    interpolated,
    linear_schedule,
)
from lrkit.compat._optax_parts import non_negative, positive, rate_value, real

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "cosine_onecycle_schedule",
    "join_schedules",
    "linear_onecycle_schedule",
    "sgdr_schedule",
    "warmup_constant_schedule",
    "warmup_cosine_decay_schedule",
    "warmup_exponential_decay_schedule",
]


def linear_onecycle_schedule(
    transition_steps: int,
    peak_value: float,
    pct_start: float = 0.3,
    pct_final: float = 0.85,
    div_factor: float = 25.0,
    final_div_factor: float = 1e4,
) -> LearningRateSchedule:
    """One cycle of three linear phases (Smith, "Super-Convergence", 2017).

    Up from ``peak_value / div_factor`` to ``peak_value`` until step
    ``int(pct_start * transition_steps)``, back down until
    ``int(pct_final * transition_steps)``, then down to
    ``peak_value / div_factor / final_div_factor`` at ``transition_steps``:
    :func:`piecewise_interpolate_schedule` with optax's boundaries.
    ``transition_steps`` must be positive.

    Example:
        >>> schedule = linear_onecycle_schedule(100, peak_value=1.0)
        >>> schedule(0), schedule(30), schedule(85)
        (0.04, 1.0, 0.04)
    """
    owner = "linear_onecycle_schedule"
    steps = check_steps(owner, "transition_steps", transition_steps)
    peak_value = rate_value(owner, "peak_value", peak_value)
    pct_start = non_negative(owner, "pct_start", pct_start)
    pct_final = non_negative(owner, "pct_final", pct_final)
    div_factor = positive(owner, "div_factor", div_factor)
    final_div_factor = positive(owner, "final_div_factor", final_div_factor)
    return interpolated(
        owner,
        "linear",
        peak_value / div_factor,
        {
            int(pct_start * steps): div_factor,
            int(pct_final * steps): 1.0 / div_factor,
            steps: 1.0 / final_div_factor,
        },
    )


def cosine_onecycle_schedule(
    transition_steps: int,
    peak_value: float,
    pct_start: float = 0.3,
    div_factor: float = 25.0,
    final_div_factor: float = 1e4,
) -> LearningRateSchedule:
    """One cycle of two cosine phases (Smith, "Super-Convergence", 2017).

    Up from ``peak_value / div_factor`` to ``peak_value`` until step
    ``int(pct_start * transition_steps)``, then down to
    ``peak_value / div_factor / final_div_factor`` at ``transition_steps``,
    each along a half cosine: :func:`piecewise_interpolate_schedule` with
    optax's boundaries. ``transition_steps`` must be positive.

    Example:
        >>> schedule = cosine_onecycle_schedule(100, peak_value=1.0)
        >>> round(schedule(0), 12), schedule(30)
        (0.04, 1.0)
    """
    owner = "cosine_onecycle_schedule"
    steps = check_steps(owner, "transition_steps", transition_steps)
    peak_value = rate_value(owner, "peak_value", peak_value)
    pct_start = non_negative(owner, "pct_start", pct_start)
    div_factor = positive(owner, "div_factor", div_factor)
    final_div_factor = positive(owner, "final_div_factor", final_div_factor)
    return interpolated(
        owner,
        "cosine",
        peak_value / div_factor,
        {
            int(pct_start * steps): div_factor,
            int(steps): 1.0 / (div_factor * final_div_factor),
        },
    )


def warmup_constant_schedule(
    init_value: float, peak_value: float, warmup_steps: int
) -> LearningRateSchedule:
    """A linear warmup from ``init_value`` to ``peak_value``, then ``peak_value``.

    :func:`linear_schedule` (a non-positive ``warmup_steps`` gives
    ``Constant(init_value)``, as optax's).

    Example:
        >>> warmup_constant_schedule(0.0, 1.0, warmup_steps=10)(5)
        0.5
    """
    owner = "warmup_constant_schedule"
    rate_value(owner, "init_value", init_value)
    rate_value(owner, "peak_value", peak_value)
    real(owner, "warmup_steps", warmup_steps)
    return linear_schedule(init_value, peak_value, warmup_steps)


def warmup_cosine_decay_schedule(
    init_value: float,
    peak_value: float,
    warmup_steps: int,
    decay_steps: int,
    end_value: float = 0.0,
    exponent: float = 1.0,
) -> LearningRateSchedule:
    """A linear warmup to ``peak_value``, then cosine decay to ``end_value``.

    :func:`linear_schedule` for ``warmup_steps``, then
    :func:`cosine_decay_schedule` over ``decay_steps - warmup_steps`` (optax's
    ``decay_steps`` includes the warmup) with ``alpha = end_value /
    peak_value`` (0 when ``peak_value`` is 0), joined by :class:`lrkit.Join`.
    ``decay_steps`` must exceed ``warmup_steps``.

    Example:
        >>> schedule = warmup_cosine_decay_schedule(0.0, 1.0, 10, 110, end_value=0.1)
        >>> schedule(5), schedule(10), schedule(110)
        (0.5, 1.0, 0.1)
    """
    owner = "warmup_cosine_decay_schedule"
    rate_value(owner, "init_value", init_value)
    warmup = non_negative(owner, "warmup_steps", warmup_steps)
    peak = rate_value(owner, "peak_value", peak_value)
    end = rate_value(owner, "end_value", end_value)
    non_negative(owner, "exponent", exponent)
    total = real(owner, "decay_steps", decay_steps)
    if not total - warmup > 0:
        raise ValueError(
            f"{owner}: decay_steps must be > warmup_steps ({show(warmup_steps)}), "
            f"got {show(decay_steps)}"
        )
    alpha = 0.0 if peak == 0.0 else end / peak
    decay = cosine_decay_schedule(peak, decay_steps - warmup_steps, alpha, exponent)
    if warmup == 0:
        return decay
    return Join([linear_schedule(init_value, peak, warmup_steps), decay], [warmup_steps])


def warmup_exponential_decay_schedule(
    init_value: float,
    peak_value: float,
    warmup_steps: int,
    transition_steps: int,
    decay_rate: float,
    transition_begin: int = 0,
    staircase: bool = False,
    end_value: float | None = None,
) -> LearningRateSchedule:
    """A linear warmup to ``peak_value``, then exponential decay.

    :func:`linear_schedule` for ``warmup_steps``, then
    :func:`exponential_decay` from ``peak_value``, joined by :class:`lrkit.Join`.

    Example:
        >>> schedule = warmup_exponential_decay_schedule(0.0, 1.0, 10, 10, decay_rate=0.5)
        >>> schedule(5), schedule(10), schedule(20)
        (0.5, 1.0, 0.5)
    """
    owner = "warmup_exponential_decay_schedule"
    rate_value(owner, "init_value", init_value)
    rate_value(owner, "peak_value", peak_value)
    warmup = non_negative(owner, "warmup_steps", warmup_steps)
    decay = exponential_decay(
        peak_value, transition_steps, decay_rate, transition_begin, staircase, end_value
    )
    if warmup == 0:
        return decay
    return Join([linear_schedule(init_value, peak_value, warmup_steps), decay], [warmup_steps])


def sgdr_schedule(cosine_kwargs: Iterable[dict[str, Any]]) -> LearningRateSchedule:
    """SGD with warm restarts: warmup-cosine cycles one after another.

    Each dict holds the arguments of one :func:`warmup_cosine_decay_schedule`
    cycle; a cycle lasts its ``decay_steps``. The cycles are joined by
    :class:`lrkit.Join`.

    Example:
        >>> cycle = {"init_value": 0.0, "peak_value": 1.0, "warmup_steps": 0, "decay_steps": 10}
        >>> schedule = sgdr_schedule([cycle, cycle])
        >>> schedule(5), schedule(10)
        (0.5, 1.0)

    Reference: Loshchilov & Hutter, "SGDR", ICLR 2017.
    """
    schedules: list[LearningRateSchedule] = []
    boundaries: list[Any] = []
    step: Any = 0
    for kwargs in cosine_kwargs:
        schedules.append(warmup_cosine_decay_schedule(**kwargs))
        step = step + kwargs["decay_steps"]
        boundaries.append(step)
    if not schedules:
        raise ValueError(
            f"sgdr_schedule: cosine_kwargs must not be empty, got {show(cosine_kwargs)}"
        )
    if len(schedules) == 1:
        return schedules[0]
    return Join(schedules, boundaries[:-1])


def join_schedules(
    schedules: Sequence[LearningRateSchedule], boundaries: Sequence[int]
) -> LearningRateSchedule:
    """Schedules one after another: :class:`lrkit.Join`.

    At ``t >= boundaries[i]`` schedule ``i + 1`` runs on ``t - boundaries[i]``.
    The schedules must be lrkit schedules; the boundaries, one fewer, must be
    strictly increasing and ``>= 0``.

    Example:
        >>> from lrkit.compat.optax import constant_schedule
        >>> schedule = join_schedules([constant_schedule(1.0), linear_schedule(1.0, 0.0, 10)], [5])
        >>> schedule(4), schedule(10)
        (1.0, 0.5)
    """
    return Join(list(schedules), list(boundaries))
