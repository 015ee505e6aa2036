"""Step-indexed research schedules and helpers: Chebyshev, slanted triangular, repeat, groups.

``ChebyshevDecay`` visits the Chebyshev nodes of a step budget (in order or
in the fractal order of Agarwal et al.), ``SlantedTriangular`` is ULMFiT's
schedule, ``Repeat`` runs a schedule periodically, and ``scale_by_group``
gives each named parameter group a fixed multiple of one schedule.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterator, Mapping

from lrkit._arrays import HUGE, ScalarOps
from lrkit._schedule import INF, LearningRateSchedule
from lrkit._serialization import builtin
from lrkit._validation import (
    check_bool,
    check_fraction,
    check_int,
    check_number,
    check_schedule,
    check_steps,
    show,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["ChebyshevDecay", "GroupSchedules", "Repeat", "SlantedTriangular", "scale_by_group"]


@builtin
class ChebyshevDecay(LearningRateSchedule):
    r"""Step sizes at the Chebyshev nodes of the budget, sorted or in fractal order.

    Step :math:`t` uses node :math:`j = \lfloor \min(t, T - 1) \rfloor`
    (``fractal=True``: node :math:`\sigma_T(j)`) of
    :math:`y_j = \tfrac12\left(1 + \cos\frac{\pi (2j + 1)}{2T}\right)`, which
    falls from just below 1 to just above 0, and the rate is

    .. math:: \eta = \eta_{min} + (\eta_0 - \eta_{min})\, y_j
        \qquad\text{or, with } ``reciprocal``,\qquad
        \eta = \frac{1}{M - (M - m)\, y_j}

    where :math:`\eta_{min} = \alpha\,\eta_0`, :math:`m = 1/\eta_0` and
    :math:`M = 1/\eta_{min}`: the reciprocal form is the step size
    :math:`1/\lambda_j` at the Chebyshev nodes :math:`\lambda_j` of
    :math:`[m, M]`, the curvature range of a quadratic. The fractal order
    :math:`\sigma_1 = (1)`, :math:`\sigma_{2n} = \sigma_n \text{ interleaved with }
    2n + 1 - \sigma_n` spreads large and small steps evenly for stability.

    Args:
        initial_learning_rate: :math:`\eta_0`, the largest rate (``> 0`` for
            ``reciprocal``).
        decay_steps: :math:`T \ge 1`, the number of nodes (an integer; a
            power of two for ``fractal``).
        alpha: :math:`\alpha \in [0, 1]`, the smallest rate as a fraction of
            :math:`\eta_0` (``> 0`` for ``reciprocal``).
        reciprocal: rates :math:`1/\lambda_j` instead of the linear map.
        fractal: visit the nodes in the fractal order instead of sorted.

    Example:
        >>> schedule = ChebyshevDecay(1.0, decay_steps=4)
        >>> [round(schedule(t), 4) for t in range(5)]
        [0.9619, 0.6913, 0.3087, 0.0381, 0.0381]
        >>> fractal = ChebyshevDecay(1.0, decay_steps=4, fractal=True)
        >>> [round(fractal(t), 4) for t in range(4)]
        [0.9619, 0.0381, 0.6913, 0.3087]

    Reference: Agarwal, Goel & Zhang, "Acceleration via Fractal Learning Rate
    Schedules", ICML 2021 (arXiv:2103.01338).
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        alpha: float = 0.0,
        reciprocal: bool = False,
        fractal: bool = False,
    ) -> None:
        owner = type(self).__name__
        self.initial_learning_rate = check_number(
            owner, "initial_learning_rate", initial_learning_rate, minimum=0.0
        )
        self.decay_steps = check_int(owner, "decay_steps", decay_steps, minimum=1)
        self.alpha = check_fraction(owner, "alpha", alpha)
        self.reciprocal = check_bool(owner, "reciprocal", reciprocal)
        self.fractal = check_bool(owner, "fractal", fractal)
        if self.reciprocal and self.alpha == 0.0:
            raise ValueError(f"{owner}: alpha must be > 0 with reciprocal=True, got {show(alpha)}")
        if self.reciprocal and self.initial_learning_rate == 0.0:
            raise ValueError(
                f"{owner}: initial_learning_rate must be > 0 with reciprocal=True, "
                f"got {show(initial_learning_rate)}"
            )
        if self.fractal and self.decay_steps & (self.decay_steps - 1):
            raise ValueError(
                f"{owner}: decay_steps must be a power of two with fractal=True, "
                f"got {show(decay_steps)}"
            )
        # The scalar path's constants.
        self._last, self._twice_total = self.decay_steps - 1.0, 2.0 * self.decay_steps
        self._floor = self.alpha * self.initial_learning_rate
        self._height = self.initial_learning_rate - self._floor

    def _node(self, j: Any, xp: Any) -> Any:
        """The node index (from 0) visited at position ``j`` of the fractal order."""
        total, value, size = self.decay_steps, 1.0 + 0.0 * j, 2
        while size <= total:
            position = xp.floor(j / (total // size))
            bit = position - 2.0 * xp.floor(position / 2.0)
            value = xp.where(bit > 0.5, (size + 1.0) - value, value)
            size *= 2
        return value - 1.0

    def _formula(self, step: Any, xp: Any) -> Any:
        total = self.decay_steps
        j = xp.floor(xp.minimum(step, total - 1.0))
        if self.fractal:
            # The last node, from its index in Python: float32 rounds total - 1 up
            # to total from 2**24 on, which is no node.
            last = self._node(total - 1.0, ScalarOps)
            j = xp.where(j >= total - 1.0, last, self._node(j, xp))
        y = 0.5 * (1.0 + xp.cos(math.pi * (2.0 * j + 1.0) / (2.0 * total)))
        start = self.initial_learning_rate
        if self.reciprocal:
            # 1 / (H - (H - L) y) with H = 1 / (alpha start), L = 1 / start, written
            # without H (which overflows for a tiny alpha * start); the divisor is >= alpha.
            return (self.alpha * start) / (1.0 - (1.0 - self.alpha) * y)
        floor = self.alpha * start
        return floor + (start - floor) * y

    def __call__(self, step: Any = None) -> Any:
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        last = self._last
        j = last if last < step else step
        if j != j:
            return j
        j = float(math.floor(j))
        if self.fractal:
            j = self._node(j, ScalarOps)
        y = 0.5 * (1.0 + math.cos(math.pi * (2.0 * j + 1.0) / self._twice_total))
        if self.reciprocal:
            return self._floor / (1.0 - (1.0 - self.alpha) * y)
        return self._floor + self._height * y


@builtin
class SlantedTriangular(LearningRateSchedule):
    r"""ULMFiT's slanted triangular schedule: a short linear rise, a long linear fall.

    With :math:`T` the total steps, :math:`c = \lfloor T \cdot \text{cut\_frac} \rfloor`
    and :math:`t' = \min(t, T)`:

    .. math::
        p = \begin{cases} t'/c & t' < c \\ 1 - \frac{t' - c}{T - c} & t' \ge c \end{cases},
        \qquad \eta(t) = \eta_{max}\,\frac{1 + p\,(\text{ratio} - 1)}{\text{ratio}}

    The rate rises from :math:`\eta_{max}/\text{ratio}` to :math:`\eta_{max}`
    at step :math:`c` and falls back to :math:`\eta_{max}/\text{ratio}` at
    step :math:`T`, where it stays.

    Args:
        max_learning_rate: :math:`\eta_{max}`, the peak.
        total_steps: :math:`T > 0`.
        cut_frac: the fraction of :math:`T` spent rising, in ``[0, 1)``.
        ratio: :math:`\ge 1`, how much smaller the lowest rate is than the peak.

    Example:
        >>> schedule = SlantedTriangular(0.01, total_steps=100, cut_frac=0.1, ratio=32.0)
        >>> schedule(0), schedule(10), schedule(100)
        (0.0003125, 0.01, 0.0003125)

    Reference: Howard & Ruder, "Universal Language Model Fine-tuning for Text
    Classification", ACL 2018 (arXiv:1801.06146).
    """

    def __init__(
        self,
        max_learning_rate: float,
        total_steps: int | float,
        cut_frac: float = 0.1,
        ratio: float = 32.0,
    ) -> None:
        owner = type(self).__name__
        self.max_learning_rate = check_number(
            owner, "max_learning_rate", max_learning_rate, minimum=0.0
        )
        self.total_steps = check_steps(owner, "total_steps", total_steps)
        self.cut_frac = check_fraction(owner, "cut_frac", cut_frac)
        if self.cut_frac == 1.0:
            raise ValueError(f"{owner}: cut_frac must be < 1, got {show(cut_frac)}")
        self.ratio = check_number(owner, "ratio", ratio, minimum=1.0)
        self._cut = float(math.floor(self.total_steps * self.cut_frac))

    def _formula(self, step: Any, xp: Any) -> Any:
        total, cut = self.total_steps, self._cut
        step = xp.minimum(step, total)
        p = 1.0 - (step - cut) / (total - cut)
        if cut > 0:
            p = xp.where(step < cut, step / cut, p)
        return self.max_learning_rate * ((1.0 + p * (self.ratio - 1.0)) / self.ratio)

    def __call__(self, step: Any = None) -> Any:
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        total, cut = self.total_steps, self._cut
        if total < step:
            step = total
        p = step / cut if step < cut else 1.0 - (step - cut) / (total - cut)
        return self.max_learning_rate * ((1.0 + p * (self.ratio - 1.0)) / self.ratio)

    def _phase_boundaries(self) -> list[float]:
        return [self._cut] if self._cut > 0 else []


@builtin
class Repeat(LearningRateSchedule):
    r"""A schedule run over and over: :math:`\eta(t) = s(t \bmod P)`.

    Args:
        schedule: the schedule of one period; it sees steps in :math:`[0, P)`.
        period_steps: :math:`P > 0`.

    Example:
        >>> from lrkit import LinearDecay
        >>> schedule = Repeat(LinearDecay(0.1, decay_steps=10), period_steps=10)
        >>> schedule(5), schedule(10), schedule(25)
        (0.05, 0.1, 0.05)
    """

    def __init__(self, schedule: LearningRateSchedule, period_steps: int | float) -> None:
        owner = type(self).__name__
        self.schedule = check_schedule(owner, "schedule", schedule)
        self.period_steps = check_steps(owner, "period_steps", period_steps)

    def _formula(self, step: Any, xp: Any) -> Any:
        period = self.period_steps
        # The remainder is exact for floats (a float32 step keeps its phase).
        local = step % period
        local = xp.where(local >= period, local - period, local)
        return self.schedule._formula(xp.maximum(local, 0.0 * local), xp)

    def __call__(self, step: Any = None) -> Any:
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        period = self.period_steps
        local = step % period
        if local >= period:
            local -= period
        return self.schedule.__call__(local)


class GroupSchedules(Mapping[str, LearningRateSchedule]):
    """Named schedules, one per parameter group; calling it gives each group's rate.

    A read-only mapping of group name to schedule (each a serializable lrkit
    schedule), so ``list(groups.values())`` is one schedule per param group
    for :class:`lrkit.torch.LRScheduler`.

    Example:
        >>> from lrkit import CosineDecay
        >>> groups = scale_by_group(CosineDecay(0.1, 100), {"backbone": 0.1, "head": 1.0})
        >>> groups(0)
        {'backbone': 0.010000000000000002, 'head': 0.1}
    """

    def __init__(self, schedules: Mapping[str, LearningRateSchedule]) -> None:
        owner = type(self).__name__
        if not isinstance(schedules, Mapping):
            raise TypeError(
                f"{owner}: schedules must be a dict of name: schedule, got {show(schedules)}"
            )
        checked: dict[str, LearningRateSchedule] = {}
        for name, schedule in schedules.items():
            if not isinstance(name, str):
                raise TypeError(f"{owner}: group names must be strings, got {show(name)}")
            checked[name] = check_schedule(owner, f"schedules[{name!r}]", schedule)
        self._schedules = checked

    def __call__(self, step: Any) -> dict[str, Any]:
        return {name: schedule(step) for name, schedule in self._schedules.items()}

    def __getitem__(self, name: str) -> LearningRateSchedule:
        return self._schedules[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._schedules)

    def __len__(self) -> int:
        return len(self._schedules)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._schedules!r})"

    def get_config(self) -> dict[str, Any]:
        """Each group's schedule, serialized (as :func:`lrkit.serialize`)."""
        from lrkit._serialization import serialize

        return {name: serialize(schedule) for name, schedule in self._schedules.items()}

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> GroupSchedules:
        """The groups back from :meth:`get_config`."""
        from lrkit._serialization import deserialize

        return cls({name: deserialize(entry) for name, entry in config.items()})


def scale_by_group(
    schedule: LearningRateSchedule, multipliers: Mapping[str, float]
) -> GroupSchedules:
    r"""One schedule scaled per parameter group: group :math:`g` gets :math:`m_g\, s(t)`.

    Args:
        schedule: the base schedule.
        multipliers: group name to its multiplier :math:`m_g \ge 0` (not empty).

    Returns:
        A :class:`GroupSchedules` of :class:`lrkit.Scale` schedules, in the
        order of ``multipliers``.

    Example:
        >>> from lrkit import ExponentialDecay
        >>> groups = scale_by_group(ExponentialDecay(0.1, 10, 0.5), {"embed": 0.5, "head": 2.0})
        >>> groups(10)
        {'embed': 0.025, 'head': 0.1}
    """
    from lrkit._combinators import Scale

    owner = "scale_by_group"
    check_schedule(owner, "schedule", schedule)
    if not isinstance(multipliers, Mapping):
        raise TypeError(
            f"{owner}: multipliers must be a dict of group name: number, got {show(multipliers)}"
        )
    if not multipliers:
        raise ValueError(f"{owner}: multipliers must not be empty, got {show(multipliers)}")
    scaled: dict[str, LearningRateSchedule] = {}
    for name, factor in multipliers.items():
        if not isinstance(name, str):
            raise TypeError(f"{owner}: group names must be strings, got {show(name)}")
        if not isinstance(factor, numbers.Real):
            raise TypeError(
                f"{owner}: multipliers[{name!r}] must be a real number, got {show(factor)}"
            )
        value = check_number(owner, f"multipliers[{name!r}]", factor, minimum=0.0)
        scaled[name] = Scale(schedule, value)
    return GroupSchedules(scaled)
