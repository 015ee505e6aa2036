"""optax's single-formula schedules, as lrkit schedules.

Part of :mod:`lrkit.compat.optax`, where these functions are documented and
exported.
"""

from __future__ import annotations

from collections.abc import Mapping

from lrkit._combinators.composition import Clip, Join
from lrkit._core.schedule import LearningRateSchedule
from lrkit._core.validation import check_steps, show
from lrkit._families.decays import Constant, CosinePowerDecay, LinearDecay
from lrkit._families.keras_decays import CosineDecay, ExponentialDecay, PolynomialDecay
from lrkit.compat._optax_parts import (
    begin_step,
    delayed,
    non_negative,
    rate_value,
    real,
    scale_pairs,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "constant_schedule",
    "cosine_decay_schedule",
    "exponential_decay",
    "interpolated",
    "linear_schedule",
    "piecewise_constant_schedule",
    "piecewise_interpolate_schedule",
    "polynomial_schedule",
]


def constant_schedule(value: float) -> LearningRateSchedule:
    """``value`` at every step: :class:`lrkit.Constant`.

    Example:
        >>> constant_schedule(0.1)(1000)
        0.1
    """
    return Constant(rate_value("constant_schedule", "value", value))


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
    init_value = rate_value(owner, "init_value", init_value)
    if real(owner, "transition_steps", transition_steps) <= 0:
        return Constant(init_value)
    begin = begin_step(owner, "transition_begin", transition_begin)
    decay = PolynomialDecay(
        init_value,
        transition_steps,
        end_learning_rate=rate_value(owner, "end_value", end_value),
        power=real(owner, "power", power),
    )
    return delayed(decay, init_value, begin)


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
    init_value = rate_value(owner, "init_value", init_value)
    if real(owner, "transition_steps", transition_steps) <= 0:
        return Constant(init_value)
    begin = begin_step(owner, "transition_begin", transition_begin)
    line = LinearDecay(init_value, transition_steps, rate_value(owner, "end_value", end_value))
    return delayed(line, init_value, begin)


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
    value = rate_value(owner, "init_value", init_value)
    rates = [value]
    boundaries: list[float] = []
    for boundary, scale in scale_pairs(owner, boundaries_and_scales):
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
    init_value = rate_value(owner, "init_value", init_value)
    decay_rate = real(owner, "decay_rate", decay_rate)
    if real(owner, "transition_steps", transition_steps) <= 0 or decay_rate == 0:
        return Constant(init_value)
    if decay_rate < 0:
        raise ValueError(f"{owner}: decay_rate must be >= 0, got {show(decay_rate)}")
    begin = begin_step(owner, "transition_begin", transition_begin)
    decay = ExponentialDecay(init_value, transition_steps, decay_rate, staircase=bool(staircase))
    schedule = delayed(decay, init_value, begin)
    if end_value is None:
        return schedule
    end = real(owner, "end_value", end_value)
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
    init_value = rate_value(owner, "init_value", init_value)
    steps = check_steps(owner, "decay_steps", decay_steps)
    alpha = non_negative(owner, "alpha", alpha)
    exponent = non_negative(owner, "exponent", exponent)
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
    return interpolated(owner, interpolate_type, init_value, boundaries_and_scales)


def interpolated(
    owner: str, interpolate_type: str, init_value: Any, boundaries_and_scales: Any
) -> LearningRateSchedule:
    if interpolate_type not in ("linear", "cosine"):
        raise ValueError(
            f"{owner}: interpolate_type must be one of ['linear', 'cosine'], "
            f"got {show(interpolate_type)}"
        )
    value = rate_value(owner, "init_value", init_value)
    pairs = scale_pairs(owner, boundaries_and_scales)
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
