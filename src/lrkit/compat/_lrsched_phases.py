"""``lrsched``'s schedules of several phases and its cyclical rates, as lrkit schedules.

``one_cycle``, ``warmup_stable_decay`` and the triangle waves
``triangular``, ``triangular2`` and ``exp_range``, with lrsched's
keyword-only parameters; :mod:`lrkit.compat.lrsched` re-exports them all.
"""

from __future__ import annotations

from lrkit._combinators.composition import Warmup
from lrkit._core.schedule import LearningRateSchedule
from lrkit._core.validation import (
    check_choice,
    check_fraction,
    check_number,
    check_rate,
    show,
)
from lrkit._families.cycles import CyclicDecay
from lrkit._families.decays import CosinePowerDecay
from lrkit._families.phases import TrapezoidalDecay, remaining_steps
from lrkit.compat._toolkit import positive_argument, steps_argument

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["exp_range", "one_cycle", "triangular", "triangular2", "warmup_stable_decay"]


def one_cycle(
    *,
    max_lr: float,
    total_steps: int,
    pct_start: float,
    initial_div: float,
    final_div: float,
) -> LearningRateSchedule:
    r"""A cosine rise from ``max_lr / initial_div``, then a cosine fall to ``max_lr / final_div``.

    The rise lasts :math:`w = \min(\max(1, \text{round}(p\,T)), T - 1)` steps
    (a cosine :class:`~lrkit.Warmup`), the fall the remaining :math:`T - w`
    (:class:`~lrkit.CosinePowerDecay`). Unlike torch's ``OneCycleLR``, the
    final rate is ``max_lr / final_div``.

    Example:
        >>> schedule = one_cycle(
        ...     max_lr=1.0, total_steps=100, pct_start=0.25, initial_div=10.0, final_div=100.0
        ... )
        >>> schedule(0), schedule(25), schedule(100)
        (0.1, 1.0, 0.01)
    """
    owner = "one_cycle"
    peak = check_rate(owner, "max_lr", max_lr)
    total = steps_argument(owner, "total_steps", total_steps, minimum=2)
    pct_start = check_number(owner, "pct_start", pct_start, minimum=0.0, exclusive_minimum=True)
    if pct_start >= 1.0:
        raise ValueError(f"{owner}: pct_start must be < 1, got {show(pct_start)}")
    start = peak / positive_argument(owner, "initial_div", initial_div)
    end = peak / positive_argument(owner, "final_div", final_div)
    rise = min(max(1, round(pct_start * total)), total - 1)
    fall = CosinePowerDecay(peak, total - rise, end_learning_rate=end)
    return Warmup(fall, rise, initial_learning_rate=start, shape="cosine")


_WSD_DECAY_SHAPES = ("linear", "1-sqrt")


def warmup_stable_decay(
    *,
    base_lr: float,
    warmup_steps: int,
    decay_steps: int,
    total_steps: int,
    final_lr: float,
    warmup_start: float,
    decay_shape: str,
) -> LearningRateSchedule:
    r"""Warmup, plateau, decay over the last ``decay_steps``: :class:`~lrkit.TrapezoidalDecay`.

    With ``decay_steps=0`` lrsched stays at ``base_lr`` for good, and so does this.

    Example:
        >>> schedule = warmup_stable_decay(
        ...     base_lr=0.1, warmup_steps=10, decay_steps=20, total_steps=100,
        ...     final_lr=0.0, warmup_start=0.0, decay_shape="linear",
        ... )
        >>> schedule(5), schedule(50), schedule(90)
        (0.05, 0.1, 0.05)
    """
    owner = "warmup_stable_decay"
    base = check_rate(owner, "base_lr", base_lr)
    final = check_rate(owner, "final_lr", final_lr)
    start = check_rate(owner, "warmup_start", warmup_start)
    total = steps_argument(owner, "total_steps", total_steps, minimum=1)
    warmup = steps_argument(owner, "warmup_steps", warmup_steps)
    decay = steps_argument(owner, "decay_steps", decay_steps)
    remaining_steps(owner, total, warmup, "decay_steps", decay)
    shape = check_choice(owner, "decay_shape", decay_shape, _WSD_DECAY_SHAPES)
    if final > base:
        raise ValueError(f"{owner}: final_lr must be <= base_lr ({show(base)}), got {show(final)}")
    # lrsched holds base_lr for good when there is no decay phase.
    alpha = 1.0 if decay == 0 else (final / base if base > 0 else 0.0)
    return TrapezoidalDecay(
        base, total, warmup, decay, initial_learning_rate=start, alpha=alpha, decay_shape=shape
    )


def _cyclic(
    owner: str, min_lr: Any, max_lr: Any, step_size: Any, mode: str, gamma: float = 1.0
) -> LearningRateSchedule:
    low = check_rate(owner, "min_lr", min_lr)
    high = check_rate(owner, "max_lr", max_lr)
    size = steps_argument(owner, "step_size", step_size, minimum=1)
    return CyclicDecay(low, high, step_size_up=size, mode=mode, gamma=gamma)


def triangular(*, min_lr: float, max_lr: float, step_size: int) -> LearningRateSchedule:
    """A triangle wave between ``min_lr`` and ``max_lr``: :class:`~lrkit.CyclicDecay`.

    Example:
        >>> triangular(min_lr=0.0, max_lr=1.0, step_size=10)(15)
        0.5
    """
    return _cyclic("triangular", min_lr, max_lr, step_size, "triangular")


def triangular2(*, min_lr: float, max_lr: float, step_size: int) -> LearningRateSchedule:
    """The triangle wave with its amplitude halved each cycle.

    Example:
        >>> triangular2(min_lr=0.0, max_lr=1.0, step_size=10)(30)
        0.5
    """
    return _cyclic("triangular2", min_lr, max_lr, step_size, "triangular2")


def exp_range(
    *, min_lr: float, max_lr: float, step_size: int, gamma: float
) -> LearningRateSchedule:
    r"""The triangle wave with its amplitude times :math:`\gamma^{t}`, :math:`\gamma \in [0, 1]`.

    Example:
        >>> exp_range(min_lr=0.0, max_lr=1.0, step_size=1, gamma=0.5)(1)
        0.5
    """
    owner = "exp_range"
    gamma = check_fraction(owner, "gamma", gamma)
    return _cyclic(owner, min_lr, max_lr, step_size, "exp_range", gamma)
