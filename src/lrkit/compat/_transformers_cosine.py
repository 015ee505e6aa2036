"""transformers' cosine schedules, as lrkit schedules.

Part of :mod:`lrkit.compat.transformers`, where these functions are
documented and exported.
"""

from __future__ import annotations

from lrkit._combinators.composition import Join, Shift
from lrkit._core.schedule import LearningRateSchedule
from lrkit._families.decays import Constant
from lrkit._families.keras_decays import CosineDecayRestarts
from lrkit.compat._drive import drop_in
from lrkit.compat._toolkit import non_negative_argument, warmup_then
from lrkit.compat._transformers_drive import driver
from lrkit.compat._transformers_parts import (
    checked_run,
    cosine_wave,
    floor_rate,
    resumed,
    warmed,
)

__all__ = [
    "get_cosine_schedule_with_warmup",
    "get_cosine_with_hard_restarts_schedule_with_warmup",
    "get_cosine_with_min_lr_schedule_with_warmup",
    "get_cosine_with_min_lr_schedule_with_warmup_lr_rate",
]


@drop_in(driver, replaces="learning_rate")
def get_cosine_schedule_with_warmup(
    learning_rate: float,
    num_warmup_steps: int,
    num_training_steps: int,
    num_cycles: float = 0.5,
    last_epoch: int = -1,
) -> LearningRateSchedule:
    r"""transformers' ``get_cosine_schedule_with_warmup``: warmup, then a cosine wave.

    With :math:`D = \max(1, N - W)` and :math:`n` = ``num_cycles``:

    .. math:: \eta(t) = \eta\, t / W \ (t < W), \qquad
        \eta\,\tfrac12\bigl(1 + \cos(2\pi n (t - W) / D)\bigr) \ (t \ge W)

    The cosine is not clamped: past ``N`` it rises again (``n = 0.5`` reaches
    0 at ``N`` and ``lr`` at ``2N - W``), so it is a :class:`~lrkit.CosineWave`
    of half-period :math:`D / 2n` after a :class:`~lrkit.Warmup`.

    Example:
        >>> schedule = get_cosine_schedule_with_warmup(1e-3, 10, 110)
        >>> schedule(10), schedule(60), schedule(110), schedule(210)
        (0.001, 0.0005, 0.0, 0.001)
    """
    owner = "get_cosine_schedule_with_warmup"
    lr, warmup, total = checked_run(owner, learning_rate, num_warmup_steps, num_training_steps)
    after = cosine_wave(owner, lr, max(1, total - warmup), num_cycles)
    return resumed(owner, warmed(lr, warmup, after), last_epoch)


@drop_in(driver, replaces="learning_rate")
def get_cosine_with_hard_restarts_schedule_with_warmup(
    learning_rate: float,
    num_warmup_steps: int,
    num_training_steps: int,
    num_cycles: float = 1,
    last_epoch: int = -1,
) -> LearningRateSchedule:
    r"""transformers' ``get_cosine_with_hard_restarts_schedule_with_warmup``.

    With :math:`D = \max(1, N - W)`, :math:`p = (t - W) / D` and :math:`n` =
    ``num_cycles``, after the warmup:

    .. math:: \eta(t) = \eta\,\tfrac12\bigl(1 + \cos(\pi \operatorname{frac}(n p))\bigr)
        \ (p < 1), \qquad 0 \ (p \ge 1)

    :class:`~lrkit.CosineDecayRestarts` with periods of :math:`D / n` steps
    (``t_mul=1``), then 0 from ``N`` on (a :class:`~lrkit.Join`), after a
    :class:`~lrkit.Warmup`; ``n = 0`` holds ``lr`` until ``N``. At a restart
    step transformers' product :math:`n p` may round to just below a whole
    number for some non-integer ``n`` (3.3, for example), giving 0 where lrkit
    restarts at ``lr``.

    Example:
        >>> schedule = get_cosine_with_hard_restarts_schedule_with_warmup(1e-3, 0, 100, 2)
        >>> schedule(25), schedule(50), schedule(100)
        (0.0005, 0.001, 0.0)
    """
    owner = "get_cosine_with_hard_restarts_schedule_with_warmup"
    lr, warmup, total = checked_run(owner, learning_rate, num_warmup_steps, num_training_steps)
    cycles = non_negative_argument(owner, "num_cycles", num_cycles)
    span = max(1, total - warmup)
    if cycles == 0.0:
        cosine: LearningRateSchedule = Constant(lr)
    else:
        cosine = CosineDecayRestarts(lr, span / cycles, t_mul=1.0)
    after = Join([cosine, Constant(0.0)], [span])
    return resumed(owner, warmed(lr, warmup, after), last_epoch)


@drop_in(driver, replaces="learning_rate")
def get_cosine_with_min_lr_schedule_with_warmup(
    learning_rate: float,
    num_warmup_steps: int,
    num_training_steps: int,
    num_cycles: float = 0.5,
    last_epoch: int = -1,
    min_lr: float | None = None,
    min_lr_rate: float | None = None,
) -> LearningRateSchedule:
    r"""transformers' ``get_cosine_with_min_lr_schedule_with_warmup``: a cosine down to a floor.

    With :math:`D = \max(1, N - W)`, :math:`n` = ``num_cycles`` and the floor
    rate :math:`r` (``min_lr_rate``, or ``min_lr / learning_rate``; exactly
    one of the two must be given):

    .. math:: \eta(t) = \eta\, t / W \ (t < W), \qquad
        \eta\bigl(r + (1 - r)\tfrac12(1 + \cos(2\pi n (t - W) / D))\bigr) \ (t \ge W)

    A :class:`~lrkit.CosineWave` from ``lr`` to ``r * lr`` after a
    :class:`~lrkit.Warmup`; not clamped past ``N``, as in transformers.

    Example:
        >>> schedule = get_cosine_with_min_lr_schedule_with_warmup(1e-3, 0, 100, min_lr=1e-4)
        >>> round(schedule(50), 12), round(schedule(100), 12)
        (0.00055, 0.0001)
    """
    owner = "get_cosine_with_min_lr_schedule_with_warmup"
    lr, warmup, total = checked_run(owner, learning_rate, num_warmup_steps, num_training_steps)
    rate = floor_rate(owner, lr, min_lr, min_lr_rate)
    after = cosine_wave(owner, lr, max(1, total - warmup), num_cycles, rate)
    return resumed(owner, warmed(lr, warmup, after), last_epoch)


@drop_in(driver, replaces="learning_rate")
def get_cosine_with_min_lr_schedule_with_warmup_lr_rate(
    learning_rate: float,
    num_warmup_steps: int,
    num_training_steps: int,
    num_cycles: float = 0.5,
    last_epoch: int = -1,
    min_lr: float | None = None,
    min_lr_rate: float | None = None,
    warmup_lr_rate: float | None = None,
) -> LearningRateSchedule:
    r"""transformers' ``get_cosine_with_min_lr_schedule_with_warmup_lr_rate``.

    The ``"cosine_warmup_with_min_lr"`` of :func:`get_scheduler`.

    As :func:`get_cosine_with_min_lr_schedule_with_warmup`, one step ahead.
    With :math:`D = \max(1, N - W)`, the floor rate :math:`r` and
    :math:`c(u) = r + (1 - r)\tfrac12(1 + \cos(2\pi n u / D))`:

    .. math:: \eta(t) = \eta \frac{t + 1}{\max(1, W)} \ (t < W), \qquad
        \eta\, c(t - W + 1) \ (t \ge W)

    and with ``warmup_lr_rate`` :math:`w` the warmup is
    :math:`\eta\bigl(w + (1 - w)\, t / \max(1, W - 1)\bigr)` instead. The
    first case is the cosine schedule under a :class:`~lrkit.Shift` of one
    step; the second a :class:`~lrkit.Warmup` of ``W - 1`` steps from
    ``w * lr`` to the cosine (:class:`~lrkit.CosineWave`), which starts at
    step ``W - 1``.

    Example:
        >>> schedule = get_cosine_with_min_lr_schedule_with_warmup_lr_rate(
        ...     1e-3, 4, 104, min_lr_rate=0.1)
        >>> schedule(0), schedule(3), round(schedule(53), 12)
        (0.00025, 0.001, 0.00055)
    """
    owner = "get_cosine_with_min_lr_schedule_with_warmup_lr_rate"
    lr, warmup, total = checked_run(owner, learning_rate, num_warmup_steps, num_training_steps)
    rate = floor_rate(owner, lr, min_lr, min_lr_rate)
    cosine = cosine_wave(owner, lr, max(1, total - warmup), num_cycles, rate)
    if warmup_lr_rate is None or warmup == 0:
        if warmup_lr_rate is not None:
            non_negative_argument(owner, "warmup_lr_rate", warmup_lr_rate)
        schedule: LearningRateSchedule = Shift(warmed(lr, warmup, cosine), 1)
    else:
        start = lr * non_negative_argument(owner, "warmup_lr_rate", warmup_lr_rate)
        if warmup == 1:  # the warmup is step 0 alone; the cosine is at c(t) after it
            schedule = Join([Constant(start), Shift(cosine, 1)], [1])
        else:
            schedule = warmup_then(cosine, warmup - 1, start=start)
    return resumed(owner, schedule, last_epoch)
