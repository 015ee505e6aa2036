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

import numbers
from collections.abc import Iterable, Mapping, Sequence

from lrkit import (
    Clip,
    Constant,
    CosineDecay,
    CosinePowerDecay,
    ExponentialDecay,
    Join,
    LearningRateSchedule,
    LinearDecay,
    PolynomialDecay,
)
from lrkit._validation import check_number, check_steps, show

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

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


def _plain(value: Any) -> Any:
    """A 0-d array (NumPy or JAX) as its Python value; anything else as it is."""
    if not isinstance(value, numbers.Real) and getattr(value, "ndim", None) == 0:
        return value.item()
    return value


def _number(owner: str, name: str, value: Any) -> float:
    """A finite real number, as a Python ``float``."""
    return check_number(owner, name, _plain(value))


def _step(owner: str, name: str, value: Any) -> int | float:
    """A finite step (an ``int`` stays an ``int``), negative ones as 0."""
    value = _plain(value)
    if _number(owner, name, value) <= 0:
        return 0
    return check_steps(owner, name, value)


def _non_negative(owner: str, name: str, value: Any) -> float:
    number = _number(owner, name, value)
    if number < 0:
        raise ValueError(f"{owner}: {name} must be >= 0, got {show(value)}")
    return number


def _delayed(
    schedule: LearningRateSchedule, init_value: float, begin: float
) -> LearningRateSchedule:
    """``init_value`` before step ``begin``, then ``schedule`` on ``step - begin``."""
    if begin <= 0:
        return schedule
    return Join([Constant(init_value), schedule], boundaries=[begin])


def _step_or_negative(owner: str, key: Any) -> int | float:
    """A boundary: a finite number, an ``int`` kept an ``int``."""
    key = _plain(key)
    number = _number(owner, "boundaries_and_scales", key)
    return int(key) if isinstance(key, numbers.Integral) else number


def _pairs(owner: str, boundaries_and_scales: Any) -> list[tuple[int | float, float]]:
    """The ``(boundary, scale)`` pairs in boundary order; every scale must be >= 0."""
    if not boundaries_and_scales:
        return []
    if not isinstance(boundaries_and_scales, Mapping):
        raise TypeError(
            f"{owner}: boundaries_and_scales must be a dict of step: scale or None, "
            f"got {show(boundaries_and_scales)}"
        )
    pairs = sorted(
        (_step_or_negative(owner, key), _number(owner, f"scale at {key}", scale))
        for key, scale in boundaries_and_scales.items()
    )
    for boundary, scale in pairs:
        if not scale >= 0.0:
            raise ValueError(
                f"{owner}: boundaries_and_scales must have non-negative scale factors, "
                f"got {show(scale)} at step {show(boundary)}"
            )
    return pairs


def constant_schedule(value: float) -> LearningRateSchedule:
    """``value`` at every step: :class:`lrkit.Constant`.

    Example:
        >>> constant_schedule(0.1)(1000)
        0.1
    """
    return Constant(_number("constant_schedule", "value", value))


def polynomial_schedule(
    init_value: float,
    end_value: float,
    power: float,
    transition_steps: int,
    transition_begin: int = 0,
) -> LearningRateSchedule:
    r"""``init_value`` until ``transition_begin``, then a polynomial to ``end_value``.

    .. math:: (I - E)\,\bigl(1 - \min(t - B, T) / T\bigr)^{p} + E \quad (t \ge B)

    :class:`lrkit.PolynomialDecay`, after a :class:`lrkit.Constant` for
    ``transition_begin`` steps (a :class:`lrkit.Join`). A non-positive
    ``transition_steps`` gives ``Constant(init_value)``.

    Example:
        >>> polynomial_schedule(1.0, 0.0, power=2, transition_steps=10, transition_begin=5)(10)
        0.25
    """
    owner = "polynomial_schedule"
    init_value = _number(owner, "init_value", init_value)
    if _number(owner, "transition_steps", transition_steps) <= 0:
        return Constant(init_value)
    begin = _step(owner, "transition_begin", transition_begin)
    decay = PolynomialDecay(
        init_value,
        transition_steps,
        end_learning_rate=_number(owner, "end_value", end_value),
        power=_number(owner, "power", power),
    )
    return _delayed(decay, init_value, begin)


def linear_schedule(
    init_value: float,
    end_value: float,
    transition_steps: int,
    transition_begin: int = 0,
) -> LearningRateSchedule:
    """``init_value`` until ``transition_begin``, then a line to ``end_value``.

    :class:`lrkit.LinearDecay` over ``transition_steps``, after a
    :class:`lrkit.Constant` for ``transition_begin`` steps. A non-positive
    ``transition_steps`` gives ``Constant(init_value)``.

    Example:
        >>> linear_schedule(1.0, 0.0, transition_steps=10)(5)
        0.5
    """
    owner = "linear_schedule"
    init_value = _number(owner, "init_value", init_value)
    if _number(owner, "transition_steps", transition_steps) <= 0:
        return Constant(init_value)
    begin = _step(owner, "transition_begin", transition_begin)
    line = LinearDecay(init_value, transition_steps, _number(owner, "end_value", end_value))
    return _delayed(line, init_value, begin)


def piecewise_constant_schedule(
    init_value: float, boundaries_and_scales: Mapping[Any, float] | None = None
) -> LearningRateSchedule:
    """``init_value`` times every scale whose boundary is ``<= t``.

    A :class:`lrkit.Join` of :class:`lrkit.Constant` rates that switches at
    the boundaries (inclusive, as optax's). Scales must be ``>= 0``.

    Example:
        >>> schedule = piecewise_constant_schedule(1.0, {10: 0.5, 20: 0.5})
        >>> schedule(9), schedule(10), schedule(20)
        (1.0, 0.5, 0.25)
    """
    owner = "piecewise_constant_schedule"
    value = _number(owner, "init_value", init_value)
    rates = [value]
    boundaries: list[float] = []
    for boundary, scale in _pairs(owner, boundaries_and_scales):
        value = value * scale
        if boundary <= 0:  # in force from step 0 on
            rates[0] = value
        else:
            rates.append(value)
            boundaries.append(boundary)
    if not boundaries:
        return Constant(rates[0])
    return Join([Constant(rate) for rate in rates], boundaries)


def exponential_decay(
    init_value: float,
    transition_steps: int,
    decay_rate: float,
    transition_begin: int = 0,
    staircase: bool = False,
    end_value: float | None = None,
) -> LearningRateSchedule:
    r"""``init_value`` until ``transition_begin``, then exponential decay.

    .. math:: I\, r^{(t - B) / T} \quad
        (t \ge B;\ \text{staircase: } r^{\lfloor (t - B) / T \rfloor})

    :class:`lrkit.ExponentialDecay` after a :class:`lrkit.Constant` for
    ``transition_begin`` steps; ``end_value`` bounds the whole schedule with
    :class:`lrkit.Clip` (from below when ``decay_rate < 1``, from above
    otherwise). A non-positive ``transition_steps`` or a zero ``decay_rate``
    gives ``Constant(init_value)``.

    Example:
        >>> schedule = exponential_decay(1.0, transition_steps=10, decay_rate=0.5, end_value=0.2)
        >>> schedule(10), schedule(100)
        (0.5, 0.2)
    """
    owner = "exponential_decay"
    init_value = _number(owner, "init_value", init_value)
    decay_rate = _number(owner, "decay_rate", decay_rate)
    if _number(owner, "transition_steps", transition_steps) <= 0 or decay_rate == 0:
        return Constant(init_value)
    if decay_rate < 0:
        raise ValueError(f"{owner}: decay_rate must be >= 0, got {show(decay_rate)}")
    begin = _step(owner, "transition_begin", transition_begin)
    decay = ExponentialDecay(init_value, transition_steps, decay_rate, staircase=bool(staircase))
    schedule = _delayed(decay, init_value, begin)
    if end_value is None:
        return schedule
    end = _number(owner, "end_value", end_value)
    if decay_rate < 1.0:
        # A negative lower bound bounds nothing: every rate is >= 0.
        return schedule if end < 0 else Clip(schedule, min_learning_rate=end)
    if end < 0:
        raise ValueError(
            f"{owner}: end_value must be >= 0 when decay_rate >= 1, got {show(end_value)}"
        )
    return Clip(schedule, max_learning_rate=end)


def cosine_decay_schedule(
    init_value: float,
    decay_steps: int,
    alpha: float = 0.0,
    exponent: float = 1.0,
) -> LearningRateSchedule:
    r"""Cosine decay from ``init_value`` to ``alpha * init_value`` over ``decay_steps``.

    .. math:: I\left[(1 - \alpha)\left(\tfrac12\left(1 + \cos\frac{\pi \min(t, T)}{T}\right)
        \right)^{p} + \alpha\right]

    :class:`lrkit.CosineDecay` (Keras's) where it applies (``exponent=1``,
    ``0 <= alpha <= 1``), :class:`lrkit.CosinePowerDecay` otherwise.
    ``decay_steps`` must be positive.

    Example:
        >>> cosine_decay_schedule(1.0, decay_steps=100, alpha=0.1)(100)
        0.1
    """
    owner = "cosine_decay_schedule"
    init_value = _number(owner, "init_value", init_value)
    steps = check_steps(owner, "decay_steps", decay_steps)
    alpha = _non_negative(owner, "alpha", alpha)
    exponent = _non_negative(owner, "exponent", exponent)
    if exponent == 1.0 and alpha <= 1.0:
        return CosineDecay(init_value, steps, alpha=alpha)
    return CosinePowerDecay(
        init_value, steps, end_learning_rate=alpha * init_value, exponent=exponent
    )


def piecewise_interpolate_schedule(
    interpolate_type: str,
    init_value: float,
    boundaries_and_scales: Mapping[Any, float] | None = None,
) -> LearningRateSchedule:
    """Linear or cosine interpolation between accumulated scales at boundaries.

    The rate at boundary :math:`b_k` is ``init_value`` times the first
    :math:`k` scales; between boundaries (and from step 0 to the first) the
    rate moves from one to the next along a line (:class:`lrkit.LinearDecay`)
    or a half cosine (:class:`lrkit.CosinePowerDecay`), over
    ``max(b_{k+1} - b_k, 1)`` steps as optax's; after the last boundary it
    stays there. The segments are joined with :class:`lrkit.Join`.
    Boundaries must be ``>= 0`` and scales ``>= 0``.

    Example:
        >>> schedule = piecewise_interpolate_schedule("linear", 1.0, {4: 0.1, 8: 0.01})
        >>> schedule(2), schedule(4), schedule(10)
        (0.55, 0.1, 0.001)
    """
    owner = "piecewise_interpolate_schedule"
    if interpolate_type not in ("linear", "cosine"):
        raise ValueError(
            f"{owner}: interpolate_type must be one of ['linear', 'cosine'], "
            f"got {show(interpolate_type)}"
        )
    value = _number(owner, "init_value", init_value)
    pairs = _pairs(owner, boundaries_and_scales)
    if pairs and pairs[0][0] < 0:
        raise ValueError(
            f"{owner}: boundaries_and_scales steps must be >= 0, got {show(pairs[0][0])}"
        )
    segment = LinearDecay if interpolate_type == "linear" else CosinePowerDecay
    schedules: list[LearningRateSchedule] = []
    boundaries: list[float] = []
    start: int | float = 0
    for boundary, scale in pairs:
        end_value = value * scale
        if boundary > start:
            size = max(boundary - start, 1)
            schedules.append(segment(value, size, end_value))
            boundaries.append(boundary)
        value, start = end_value, boundary
    schedules.append(Constant(value))
    if not boundaries:
        return schedules[0]
    return Join(schedules, boundaries)


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
    return piecewise_interpolate_schedule(
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
    return piecewise_interpolate_schedule(
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
    warmup = _non_negative(owner, "warmup_steps", warmup_steps)
    peak = _number(owner, "peak_value", peak_value)
    total = _number(owner, "decay_steps", decay_steps)
    if not total - warmup > 0:
        raise ValueError(
            f"{owner}: decay_steps must be > warmup_steps ({show(warmup_steps)}), "
            f"got {show(decay_steps)}"
        )
    alpha = 0.0 if peak == 0.0 else _number(owner, "end_value", end_value) / peak
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
    warmup = _non_negative(owner, "warmup_steps", warmup_steps)
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
        >>> schedule = join_schedules([constant_schedule(1.0), linear_schedule(1.0, 0.0, 10)], [5])
        >>> schedule(4), schedule(10)
        (1.0, 0.5)
    """
    return Join(list(schedules), list(boundaries))
