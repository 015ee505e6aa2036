"""``lrsched``'s decays of one curve, as lrkit schedules.

``constant``, ``step_decay``, ``multi_step``, ``exponential``,
``exponential_decay``, ``polynomial``, ``polynomial_decay``, ``linear``,
``cosine``, ``cosine_restarts`` and ``inverse_sqrt``, with lrsched's
keyword-only parameters; :mod:`lrkit.compat.lrsched` re-exports them all.
"""

from __future__ import annotations

from collections.abc import Sequence

from lrkit._combinators.composition import Offset
from lrkit._core.schedule import LearningRateSchedule
from lrkit._core.validation import check_number, check_rate, check_rate_at_most, show
from lrkit._families.decays import (
    Constant,
    CosinePowerDecay,
    LinearDecay,
    MultiStepDecay,
    StepDecay,
)
from lrkit._families.inverse_decays import InverseSqrtDecay
from lrkit._families.keras_decays import CosineDecayRestarts, ExponentialDecay, PolynomialDecay
from lrkit.compat._toolkit import positive_argument, steps_argument

TYPE_CHECKING = False
if TYPE_CHECKING:
    pass

__all__ = [
    "constant",
    "cosine",
    "cosine_restarts",
    "exponential",
    "exponential_decay",
    "inverse_sqrt",
    "linear",
    "multi_step",
    "polynomial",
    "polynomial_decay",
    "step_decay",
]


def constant(*, lr: float) -> LearningRateSchedule:
    """A flat rate: :class:`~lrkit.Constant`.

    Example:
        >>> constant(lr=0.1)(100)
        0.1
    """
    return Constant(check_rate("constant", "lr", lr))


def step_decay(*, base_lr: float, drop: float, step_size: int) -> LearningRateSchedule:
    r""":math:`b \cdot \text{drop}^{\lfloor t / s \rfloor}`: :class:`~lrkit.StepDecay`.

    Example:
        >>> step_decay(base_lr=0.1, drop=0.5, step_size=10)(25)
        0.025
    """
    owner = "step_decay"
    base = positive_argument(owner, "base_lr", base_lr)
    drop = check_number(owner, "drop", drop, minimum=0.0, maximum=1.0, exclusive_minimum=True)
    return StepDecay(base, steps_argument(owner, "step_size", step_size, minimum=1), gamma=drop)


def multi_step(*, base_lr: float, milestones: Sequence[int], gamma: float) -> LearningRateSchedule:
    r""":math:`b\,\gamma^{k}`, :math:`k` the milestones :math:`\le t`.

    A :class:`~lrkit.MultiStepDecay`.

    Example:
        >>> multi_step(base_lr=1.0, milestones=[10, 5], gamma=0.5)(7)
        0.5
    """
    owner = "multi_step"
    base = check_rate(owner, "base_lr", base_lr)
    gamma = check_rate(owner, "gamma", gamma)
    if isinstance(milestones, (str, bytes)) or not isinstance(milestones, Sequence):
        raise TypeError(f"{owner}: milestones must be a list of integers, got {show(milestones)}")
    marks = [
        steps_argument(owner, f"milestones[{i}]", m, minimum=1) for i, m in enumerate(milestones)
    ]
    return MultiStepDecay(base, sorted(marks), gamma)


def exponential(*, base_lr: float, gamma: float) -> LearningRateSchedule:
    r""":math:`b\,\gamma^{t}`: :class:`~lrkit.ExponentialDecay` with ``decay_steps=1``.

    Example:
        >>> exponential(base_lr=1.0, gamma=0.5)(3)
        0.125
    """
    owner = "exponential"
    base = check_rate(owner, "base_lr", base_lr)
    gamma = check_rate(owner, "gamma", gamma)
    if gamma == 0.0:  # 0 ** 0 = 1 at step 0, then 0
        return StepDecay(base, 1, gamma=0.0)
    return ExponentialDecay(base, 1, gamma)


def exponential_decay(
    *, base_lr: float, decay_rate: float, decay_steps: int
) -> LearningRateSchedule:
    r""":math:`b\,r^{t / T}` with :math:`0 < r < 1`: :class:`~lrkit.ExponentialDecay`.

    Example:
        >>> exponential_decay(base_lr=1.0, decay_rate=0.5, decay_steps=10)(20)
        0.25
    """
    owner = "exponential_decay"
    base = positive_argument(owner, "base_lr", base_lr)
    rate = positive_argument(owner, "decay_rate", decay_rate)
    if rate >= 1.0:
        raise ValueError(f"{owner}: decay_rate must be < 1, got {show(decay_rate)}")
    return ExponentialDecay(
        base, steps_argument(owner, "decay_steps", decay_steps, minimum=1), rate
    )


def polynomial(
    *, base_lr: float, end_lr: float, total_steps: int, power: float
) -> LearningRateSchedule:
    r""":math:`e + (b - e)(1 - \min(t, T)/T)^{p}`: :class:`~lrkit.PolynomialDecay`.

    Example:
        >>> polynomial(base_lr=1.0, end_lr=0.0, total_steps=10, power=2.0)(5)
        0.25
    """
    owner = "polynomial"
    base = check_rate(owner, "base_lr", base_lr)
    end = check_rate(owner, "end_lr", end_lr)
    total = steps_argument(owner, "total_steps", total_steps, minimum=1)
    power = check_number(owner, "power", power, minimum=0.0)
    return PolynomialDecay(base, total, end_learning_rate=end, power=power)


def polynomial_decay(
    *, start_lr: float, end_lr: float, total_steps: int, power: float
) -> LearningRateSchedule:
    r""":math:`(s - e)(1 - \min(t, T)/T)^{p} + e`, :math:`p > 0`: :class:`~lrkit.PolynomialDecay`.

    Example:
        >>> polynomial_decay(start_lr=1.0, end_lr=0.0, total_steps=10, power=1.0)(5)
        0.5
    """
    owner = "polynomial_decay"
    start = check_rate(owner, "start_lr", start_lr)
    end = check_rate(owner, "end_lr", end_lr)
    total = steps_argument(owner, "total_steps", total_steps, minimum=1)
    power = positive_argument(owner, "power", power)
    return PolynomialDecay(start, total, end_learning_rate=end, power=power)


def linear(*, base_lr: float, end_lr: float, total_steps: int) -> LearningRateSchedule:
    """A line from ``base_lr`` to ``end_lr`` at ``total_steps``: :class:`~lrkit.LinearDecay`.

    Example:
        >>> linear(base_lr=1.0, end_lr=0.0, total_steps=10)(5)
        0.5
    """
    owner = "linear"
    base = check_rate(owner, "base_lr", base_lr)
    end = check_rate(owner, "end_lr", end_lr)
    return LinearDecay(
        base, steps_argument(owner, "total_steps", total_steps, minimum=1), end_learning_rate=end
    )


def cosine(*, base_lr: float, min_lr: float, total_steps: int) -> LearningRateSchedule:
    """A half cosine to ``min_lr`` at ``total_steps``: :class:`~lrkit.CosinePowerDecay`.

    Example:
        >>> cosine(base_lr=1.0, min_lr=0.0, total_steps=10)(5)
        0.5
    """
    owner = "cosine"
    base = check_rate(owner, "base_lr", base_lr)
    floor = check_rate(owner, "min_lr", min_lr)
    total = steps_argument(owner, "total_steps", total_steps, minimum=1)
    return CosinePowerDecay(base, total, end_learning_rate=floor)


def cosine_restarts(
    *, base_lr: float, min_lr: float, period: int, t_mult: int
) -> LearningRateSchedule:
    r"""SGDR: ``min_lr`` plus a :class:`~lrkit.CosineDecayRestarts` of height ``base_lr - min_lr``.

    Example:
        >>> schedule = cosine_restarts(base_lr=1.0, min_lr=0.0, period=10, t_mult=2)
        >>> schedule(5), schedule(10), schedule(20)
        (0.5, 1.0, 0.5)
    """
    owner = "cosine_restarts"
    base = check_rate(owner, "base_lr", base_lr)
    floor = check_rate_at_most(owner, "min_lr", min_lr, "base_lr", base)
    period = steps_argument(owner, "period", period, minimum=1)
    t_mult = steps_argument(owner, "t_mult", t_mult, minimum=1)
    restarts = CosineDecayRestarts(base - floor, period, t_mul=float(t_mult))
    return Offset(restarts, floor) if floor else restarts


def inverse_sqrt(*, base_lr: float, warmup_steps: int) -> LearningRateSchedule:
    r"""Linear warmup, then :math:`b\sqrt{W / t}`: :class:`~lrkit.InverseSqrtDecay`.

    Example:
        >>> inverse_sqrt(base_lr=1.0, warmup_steps=4)(16)
        0.5
    """
    owner = "inverse_sqrt"
    base = check_rate(owner, "base_lr", base_lr)
    return InverseSqrtDecay(
        base, warmup_steps=steps_argument(owner, "warmup_steps", warmup_steps, minimum=1)
    )
