"""transformers' constant, linear, polynomial, inverse-square-root and WSD schedules.

Part of :mod:`lrkit.compat.transformers`, where these functions are
documented and exported.
"""

from __future__ import annotations

import warnings

from lrkit._combinators.composition import Join, Shift
from lrkit._core.schedule import LearningRateSchedule
from lrkit._core.validation import (
    check_choice,
    check_fraction,
    check_int,
    check_rate,
    check_steps,
    show,
)
from lrkit._families.decays import Constant, LinearDecay
from lrkit._families.inverse_decays import InverseSqrtDecay
from lrkit._families.keras_decays import PolynomialDecay
from lrkit._families.phases import WarmupStableDecay
from lrkit.compat._drive import drop_in
from lrkit.compat._toolkit import non_negative_argument, rate_argument, steps_argument
from lrkit.compat._transformers_drive import driver
from lrkit.compat._transformers_parts import checked_run, resumed, warmed

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "get_constant_schedule",
    "get_constant_schedule_with_warmup",
    "get_inverse_sqrt_schedule",
    "get_linear_schedule_with_warmup",
    "get_polynomial_decay_schedule_with_warmup",
    "get_wsd_schedule",
]

_SHAPES = ("linear", "cosine", "1-sqrt")

# -- constant and linear ---------------------------------------------------------


@drop_in(driver, replaces="learning_rate")
def get_constant_schedule(learning_rate: float, last_epoch: int = -1) -> LearningRateSchedule:
    """transformers' ``get_constant_schedule``: ``learning_rate`` at every step.

    .. math:: \\eta(t) = \\eta

    Example:
        >>> get_constant_schedule(1e-3)(1000)
        0.001
    """
    owner = "get_constant_schedule"
    schedule = Constant(check_rate(owner, "learning_rate", learning_rate))
    resumed(owner, schedule, last_epoch)  # checks last_epoch; a constant needs no shift
    return schedule


@drop_in(driver, replaces="learning_rate")
def get_constant_schedule_with_warmup(
    learning_rate: float, num_warmup_steps: int, last_epoch: int = -1
) -> LearningRateSchedule:
    r"""transformers' ``get_constant_schedule_with_warmup``.

    .. math:: \eta(t) = \eta \min(t / W, 1)

    :class:`~lrkit.Warmup` of a :class:`~lrkit.Constant` (the constant alone
    for ``W = 0``).

    Example:
        >>> schedule = get_constant_schedule_with_warmup(1e-3, num_warmup_steps=4)
        >>> schedule(1), schedule(4), schedule(100)
        (0.00025, 0.001, 0.001)
    """
    owner = "get_constant_schedule_with_warmup"
    lr = check_rate(owner, "learning_rate", learning_rate)
    warmup = steps_argument(owner, "num_warmup_steps", num_warmup_steps)
    return resumed(owner, warmed(lr, warmup, Constant(lr)), last_epoch)


@drop_in(driver, replaces="learning_rate")
def get_linear_schedule_with_warmup(
    learning_rate: float, num_warmup_steps: int, num_training_steps: int, last_epoch: int = -1
) -> LearningRateSchedule:
    r"""transformers' ``get_linear_schedule_with_warmup``: warmup, then a line to 0 at ``N``.

    .. math:: \eta(t) = \eta\, t / W \ (t < W), \qquad
        \eta \max\Bigl(0, \frac{N - t}{\max(1, N - W)}\Bigr) \ (t \ge W)

    ``Warmup(LinearDecay(lr, N - W), W)``; with ``N <= W`` the rate drops to
    0 at the end of the warmup, as in transformers.

    Example:
        >>> schedule = get_linear_schedule_with_warmup(1e-3, 10, 110)
        >>> schedule(5), schedule(60), schedule(110)
        (0.0005, 0.0005, 0.0)
    """
    owner = "get_linear_schedule_with_warmup"
    lr, warmup, total = checked_run(owner, learning_rate, num_warmup_steps, num_training_steps)
    after = LinearDecay(lr, total - warmup) if total > warmup else Constant(0.0)
    return resumed(owner, warmed(lr, warmup, after), last_epoch)


# -- polynomial and inverse square root ------------------------------------------


@drop_in(driver, replaces="learning_rate")
def get_polynomial_decay_schedule_with_warmup(
    learning_rate: float,
    num_warmup_steps: int,
    num_training_steps: int,
    lr_end: float = 1e-7,
    power: float = 1.0,
    last_epoch: int = -1,
) -> LearningRateSchedule:
    r"""transformers' ``get_polynomial_decay_schedule_with_warmup``.

    With :math:`\eta_e` = ``lr_end`` and :math:`p` = ``power``:

    .. math:: \eta(t) = \eta\, t / W \ (t < W), \qquad
        (\eta - \eta_e)\Bigl(1 - \frac{t - W}{N - W}\Bigr)^{p} + \eta_e \ (W \le t \le N),
        \qquad \eta_e \ (t > N)

    ``Warmup(PolynomialDecay(lr, N - W, lr_end, power), W)``. ``lr_end`` must
    be below ``learning_rate`` (transformers raises ``ValueError`` too). With
    ``power=0`` the rate stays ``lr`` through step ``N`` and is ``lr_end``
    after it; with ``N < W`` it is ``lr_end`` from the end of the warmup on.
    ``N == W`` is refused: transformers divides by zero at step ``N``.

    Example:
        >>> schedule = get_polynomial_decay_schedule_with_warmup(1e-3, 0, 100, lr_end=0.0, power=2)
        >>> schedule(50), schedule(100)
        (0.00025, 0.0)
    """
    owner = "get_polynomial_decay_schedule_with_warmup"
    lr, warmup, total = checked_run(owner, learning_rate, num_warmup_steps, num_training_steps)
    end = rate_argument(owner, "lr_end", lr_end)
    exponent = non_negative_argument(owner, "power", power)
    if not lr > end:
        raise ValueError(
            f"{owner}: lr_end must be smaller than learning_rate ({show(lr)}), got {show(lr_end)}"
        )
    if total == warmup:
        raise ValueError(
            f"{owner}: num_training_steps must differ from num_warmup_steps ({show(warmup)}): "
            f"transformers divides by zero at step {total}, got {show(num_training_steps)}"
        )
    span = total - warmup
    if span < 0:
        after: LearningRateSchedule = Constant(end)
    elif exponent == 0.0:  # 0 ** 0 == 1: the rate is lr at step N too
        after = Join([Constant(lr), Constant(end)], [span + 1])
    else:
        after = PolynomialDecay(lr, span, end_learning_rate=end, power=exponent)
    return resumed(owner, warmed(lr, warmup, after), last_epoch)


@drop_in(driver, replaces="learning_rate")
def get_inverse_sqrt_schedule(
    learning_rate: float,
    num_warmup_steps: int,
    timescale: int | float | None = None,
    last_epoch: int = -1,
) -> LearningRateSchedule:
    r"""transformers' ``get_inverse_sqrt_schedule``: warmup, then :math:`1/\sqrt{t}` decay.

    With :math:`\tau` = ``timescale`` (default ``W``, or 10,000 when ``W = 0``):

    .. math:: \eta(t) = \eta\, t / W \ (t < W), \qquad
        \eta \Big/ \sqrt{(t - W + \tau) / \tau} \ (t \ge W)

    :class:`~lrkit.InverseSqrtDecay` ``(lr, warmup_steps=W, timescale=timescale)``.

    Example:
        >>> schedule = get_inverse_sqrt_schedule(1e-3, num_warmup_steps=100)
        >>> schedule(50), schedule(100), schedule(400)
        (0.0005, 0.001, 0.0005)
    """
    owner = "get_inverse_sqrt_schedule"
    lr = check_rate(owner, "learning_rate", learning_rate)
    warmup = steps_argument(owner, "num_warmup_steps", num_warmup_steps)
    scale = None if timescale is None else check_steps(owner, "timescale", timescale)
    schedule = InverseSqrtDecay(lr, warmup_steps=warmup, timescale=scale)
    return resumed(owner, schedule, last_epoch)


# -- warmup-stable-decay ---------------------------------------------------------


@drop_in(driver, replaces="learning_rate")
def get_wsd_schedule(
    learning_rate: float,
    num_warmup_steps: int,
    num_decay_steps: int,
    num_training_steps: int | None = None,
    num_stable_steps: int | None = None,
    warmup_type: str = "linear",
    decay_type: str = "cosine",
    min_lr_ratio: float = 0,
    num_cycles: float = 0.5,
    last_epoch: int = -1,
) -> LearningRateSchedule:
    r"""transformers' ``get_wsd_schedule``: warmup, a plateau, a decay, then the floor.

    With :math:`W`, :math:`S`, :math:`D` the warmup, stable and decay steps
    (:math:`S` = ``num_stable_steps``, or ``num_training_steps - W - D``) and
    :math:`r` = ``min_lr_ratio``: from :math:`r\eta` up to :math:`\eta` over
    :math:`W` steps (shape ``warmup_type``), :math:`\eta` for :math:`S`
    steps, down to :math:`r\eta` over :math:`D` steps (shape ``decay_type``,
    ``"cosine"`` with ``num_cycles``), then :math:`r\eta`:
    :class:`~lrkit.WarmupStableDecay` ``(lr, W, S, D, initial_learning_rate=r *
    lr, alpha=r, decay_shape=decay_type, warmup_shape=warmup_type,
    num_cycles=num_cycles)``.

    One of ``num_training_steps`` and ``num_stable_steps`` is required; with
    both, ``num_stable_steps`` wins and a ``UserWarning`` says so, as in
    transformers. A negative :math:`S` (``num_training_steps < W + D``) starts
    the decay :math:`-S` steps in at the end of the warmup, as transformers
    does (a :class:`~lrkit.Join` with a :class:`~lrkit.Shift`).

    Example:
        >>> schedule = get_wsd_schedule(1e-3, 10, 20, num_training_steps=100, decay_type="linear")
        >>> schedule(5), schedule(50), schedule(90), schedule(100)
        (0.0005, 0.001, 0.0005, 0.0)
    """
    owner = "get_wsd_schedule"
    lr = check_rate(owner, "learning_rate", learning_rate)
    warmup = steps_argument(owner, "num_warmup_steps", num_warmup_steps)
    decay = steps_argument(owner, "num_decay_steps", num_decay_steps)
    if num_training_steps is None and num_stable_steps is None:
        raise ValueError(
            f"{owner}: either num_training_steps or num_stable_steps must be specified, "
            "got None for both"
        )
    if num_stable_steps is None:
        stable = steps_argument(owner, "num_training_steps", num_training_steps) - warmup - decay
    else:
        stable = check_int(owner, "num_stable_steps", num_stable_steps)
        if num_training_steps is not None:
            steps_argument(owner, "num_training_steps", num_training_steps)
            warnings.warn(
                "Both num_training_steps and num_stable_steps are specified. "
                "num_stable_steps will be used.",
                UserWarning,
                stacklevel=3,  # the caller of the public function (through drop_in's wrapper)
            )
    shapes: dict[str, Any] = {
        "warmup_shape": check_choice(owner, "warmup_type", warmup_type, _SHAPES),
        "decay_shape": check_choice(owner, "decay_type", decay_type, _SHAPES),
        "alpha": check_fraction(owner, "min_lr_ratio", min_lr_ratio),
        "num_cycles": non_negative_argument(owner, "num_cycles", num_cycles),
    }
    start = shapes["alpha"] * lr
    if stable >= 0:
        schedule: LearningRateSchedule = WarmupStableDecay(
            lr, warmup, stable, decay, initial_learning_rate=start, **shapes
        )
    else:
        tail = Shift(WarmupStableDecay(lr, 0, 0, decay, **shapes), -stable)
        if warmup == 0:
            schedule = tail
        else:
            head = WarmupStableDecay(lr, warmup, 0, 0, initial_learning_rate=start, **shapes)
            schedule = Join([head, tail], [warmup])
    return resumed(owner, schedule, last_epoch)
