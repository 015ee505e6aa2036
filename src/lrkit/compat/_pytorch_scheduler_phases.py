"""``pytorch-scheduler``'s schedulers of several phases: warmup, plateau, decay, restarts.

Cosine with warmup, flat cosine, linear decay, trapezoidal,
warmup-hold-cosine, WSD and ``CosineAnnealingWarmupRestarts``: each
function has the name and parameters of one of the package's schedulers and
returns an lrkit schedule; :mod:`lrkit.compat.pytorch_scheduler` re-exports
them all.
"""

from __future__ import annotations

from lrkit._core.cycles import cycle_table
from lrkit._core.schedule import LearningRateSchedule
from lrkit._core.validation import (
    check_choice,
    check_number,
    check_rate,
    check_rate_at_most,
    show,
)
from lrkit._families.phases import (
    FlatCosineDecay,
    TrapezoidalDecay,
    WarmupHoldCosineDecay,
    WarmupStableDecay,
    remaining_steps,
)
from lrkit._families.restarts import CosineWarmupRestarts
from lrkit.compat._pytorch_scheduler_decays import _alpha, _warmup
from lrkit.compat._toolkit import steps_argument

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "CosineAnnealingWarmupRestarts",
    "CosineWithWarmupScheduler",
    "FlatCosineScheduler",
    "LinearDecayScheduler",
    "TrapezoidalScheduler",
    "WSDScheduler",
    "WarmupHoldCosineScheduler",
]


def _wsd(
    owner: str,
    base_lr: Any,
    warmup: int,
    stable: int,
    decay: int,
    min_lr: Any,
    shape: str,
) -> LearningRateSchedule:
    """A linear warmup from 0, a plateau at ``base_lr``, then a decay to ``min_lr``."""
    base = check_rate(owner, "base_lr", base_lr)
    alpha = _alpha(owner, base, min_lr)
    return WarmupStableDecay(base, warmup, stable, decay, alpha=alpha, decay_shape=shape)


# -- warmup, plateau, decay --------------------------------------------------------------


def CosineWithWarmupScheduler(
    base_lr: float, total_steps: int, warmup_steps: int = 0, min_lr: float = 0.0
) -> LearningRateSchedule:
    r"""Linear warmup from 0, cosine to ``min_lr``: a :class:`~lrkit.WarmupStableDecay`.

    Example:
        >>> CosineWithWarmupScheduler(0.1, total_steps=110, warmup_steps=10)(60)
        0.05
    """
    owner = "CosineWithWarmupScheduler"
    total = steps_argument(owner, "total_steps", total_steps, minimum=1)
    warmup = _warmup(owner, warmup_steps, total)
    return _wsd(owner, base_lr, warmup, 0, total - warmup, min_lr, "cosine")


def FlatCosineScheduler(
    base_lr: float, total_steps: int, flat_fraction: float = 0.7, min_lr: float = 0.0
) -> LearningRateSchedule:
    r"""``base_lr`` until ``floor(total_steps * flat_fraction)``, then cosine to ``min_lr``.

    A :class:`~lrkit.FlatCosineDecay`.

    Example:
        >>> schedule = FlatCosineScheduler(0.1, total_steps=100, flat_fraction=0.5)
        >>> schedule(50), schedule(75), schedule(100)
        (0.1, 0.05, 0.0)
    """
    owner = "FlatCosineScheduler"
    base = check_rate(owner, "base_lr", base_lr)
    total = steps_argument(owner, "total_steps", total_steps, minimum=1)
    fraction = check_number(owner, "flat_fraction", flat_fraction, minimum=0.0)
    if fraction >= 1.0:
        raise ValueError(f"{owner}: flat_fraction must be < 1, got {show(flat_fraction)}")
    return FlatCosineDecay(base, total, flat_fraction=fraction, alpha=_alpha(owner, base, min_lr))


def LinearDecayScheduler(
    base_lr: float, total_steps: int, warmup_steps: int = 0, min_lr: float = 0.0
) -> LearningRateSchedule:
    r"""Linear warmup from 0, then a line to ``min_lr`` at ``total_steps``.

    Example:
        >>> LinearDecayScheduler(0.1, total_steps=100)(50)
        0.05
    """
    owner = "LinearDecayScheduler"
    total = steps_argument(owner, "total_steps", total_steps, minimum=1)
    warmup = _warmup(owner, warmup_steps, total)
    return _wsd(owner, base_lr, warmup, 0, total - warmup, min_lr, "linear")


def TrapezoidalScheduler(
    base_lr: float,
    total_steps: int,
    warmup_steps: int,
    decay_steps: int,
    min_lr: float = 0.0,
) -> LearningRateSchedule:
    r"""Linear warmup from 0, a plateau, a linear cooldown over the last ``decay_steps``.

    A :class:`~lrkit.TrapezoidalDecay`.

    Example:
        >>> schedule = TrapezoidalScheduler(0.1, 100, warmup_steps=10, decay_steps=20)
        >>> schedule(5), schedule(50), schedule(90)
        (0.05, 0.1, 0.05)
    """
    owner = "TrapezoidalScheduler"
    base = check_rate(owner, "base_lr", base_lr)
    total = steps_argument(owner, "total_steps", total_steps, minimum=1)
    warmup = steps_argument(owner, "warmup_steps", warmup_steps)
    decay = steps_argument(owner, "decay_steps", decay_steps)
    remaining_steps(owner, total, warmup, "decay_steps", decay)
    return TrapezoidalDecay(base, total, warmup, decay, alpha=_alpha(owner, base, min_lr))


def _three_phases(
    owner: str, total_steps: Any, warmup_steps: Any, plateau_steps: Any, name: str
) -> tuple[int, int, int]:
    total = steps_argument(owner, "total_steps", total_steps, minimum=1)
    warmup = steps_argument(owner, "warmup_steps", warmup_steps)
    plateau = steps_argument(owner, name, plateau_steps)
    if warmup + plateau >= total:
        raise ValueError(
            f"{owner}: warmup_steps + {name} must be < total_steps ({total}), "
            f"got {show(warmup)} + {show(plateau)}"
        )
    return warmup, plateau, total - warmup - plateau


def WarmupHoldCosineScheduler(
    base_lr: float,
    total_steps: int,
    warmup_steps: int = 0,
    hold_steps: int = 0,
    min_lr: float = 0.0,
) -> LearningRateSchedule:
    r"""Linear warmup from 0, hold ``base_lr`` for ``hold_steps``, cosine to ``min_lr``.

    A :class:`~lrkit.WarmupHoldCosineDecay`.

    Example:
        >>> WarmupHoldCosineScheduler(0.1, 100, warmup_steps=10, hold_steps=40)(75)
        0.05
    """
    owner = "WarmupHoldCosineScheduler"
    base = check_rate(owner, "base_lr", base_lr)
    warmup, hold, decay = _three_phases(owner, total_steps, warmup_steps, hold_steps, "hold_steps")
    alpha = _alpha(owner, base, min_lr)
    return WarmupHoldCosineDecay(base, warmup + hold + decay, warmup, hold, alpha=alpha)


_WSD_SHAPES = {"cosine": "cosine", "linear": "linear", "sqrt": "1-sqrt"}


def WSDScheduler(
    base_lr: float,
    total_steps: int,
    warmup_steps: int,
    stable_steps: int,
    min_lr: float = 0.0,
    decay_type: str = "cosine",
) -> LearningRateSchedule:
    r"""Warmup-stable-decay: :class:`~lrkit.WarmupStableDecay` (``"sqrt"`` is ``"1-sqrt"``).

    lrkit refuses a ``decay_type`` other than ``"cosine"``, ``"linear"`` or
    ``"sqrt"`` (the package treats any other string as ``"sqrt"``).

    Example:
        >>> WSDScheduler(0.1, 100, warmup_steps=10, stable_steps=70, decay_type="linear")(90)
        0.05
    """
    owner = "WSDScheduler"
    shape = check_choice(owner, "decay_type", decay_type, tuple(_WSD_SHAPES))
    phases = _three_phases(owner, total_steps, warmup_steps, stable_steps, "stable_steps")
    return _wsd(owner, base_lr, *phases, min_lr, _WSD_SHAPES[shape])


# -- cosine restarts -----------------------------------------------------------------------


def CosineAnnealingWarmupRestarts(
    base_lr: float,
    first_cycle_steps: int,
    warmup_steps: int = 0,
    max_lr: float = 0.1,
    min_lr: float = 0.001,
    cycle_mult: float = 1.0,
    gamma: float = 1.0,
) -> LearningRateSchedule:
    r"""SGDR with a linear warmup from ``min_lr`` in every cycle.

    A :class:`~lrkit.CosineWarmupRestarts`. Cycle :math:`i` lasts
    ``int(first_cycle_steps * cycle_mult ** i)`` steps and peaks at
    ``max_lr * gamma ** i``; the rate is ``min_lr`` on the first step of
    every cycle (also without a warmup). As in the package, the rates come
    from ``max_lr`` and ``min_lr`` alone: ``base_lr`` is checked, not used.

    lrkit refuses ``cycle_mult < 1``: the package's cycle lengths then
    truncate to 0 after a while, and its ``step()`` never returns once the
    steps reach that point. It also refuses ``cycle_mult`` just above 1
    (below about 1.008; see :class:`~lrkit.CosineWarmupRestarts`).

    Example:
        >>> schedule = CosineAnnealingWarmupRestarts(
        ...     0.1, first_cycle_steps=10, warmup_steps=2, max_lr=1.0, min_lr=0.0, gamma=0.5
        ... )
        >>> schedule(0), schedule(2), schedule(6), schedule(10), schedule(12)
        (0.0, 1.0, 0.5, 0.0, 0.5)
    """
    owner = "CosineAnnealingWarmupRestarts"
    check_rate(owner, "base_lr", base_lr)
    first = steps_argument(owner, "first_cycle_steps", first_cycle_steps, minimum=1)
    warmup = steps_argument(owner, "warmup_steps", warmup_steps)
    if warmup >= first:
        raise ValueError(
            f"{owner}: warmup_steps must be < first_cycle_steps ({first}), got {show(warmup_steps)}"
        )
    peak = check_rate(owner, "max_lr", max_lr)
    floor = check_rate_at_most(owner, "min_lr", min_lr, "max_lr", peak)
    alpha = floor / peak if peak > 0 else 0.0
    mult = check_number(owner, "cycle_mult", cycle_mult, minimum=0.0, exclusive_minimum=True)
    if mult < 1.0:
        raise ValueError(
            f"{owner}: cycle_mult must be >= 1 (below 1 the package's cycles shrink to 0 "
            f"steps and its step() never returns), got {show(cycle_mult)}"
        )
    if mult != 1.0:
        cycle_table(owner, first, mult, name="cycle_mult")
    gamma = check_number(owner, "gamma", gamma, minimum=0.0, exclusive_minimum=True)
    return CosineWarmupRestarts(peak, first, warmup, cycle_mul=mult, cycle_decay=gamma, alpha=alpha)
