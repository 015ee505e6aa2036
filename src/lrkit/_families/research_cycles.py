"""Step-indexed research schedules: Chebyshev step sizes and ULMFiT's slanted triangle.

``ChebyshevDecay`` visits the Chebyshev nodes of a step budget (in order or
in the fractal order of Agarwal et al.) and ``SlantedTriangular`` is
ULMFiT's schedule. Each class is its parameters and its pieces (see
:mod:`lrkit._core.pieces`). ``Repeat`` is in :mod:`lrkit._combinators.repeat`,
the per-group schedules in :mod:`lrkit._combinators.groups`.
"""

from __future__ import annotations

import math

from lrkit._core import parameters as p
from lrkit._core.arrays import ScalarOps
from lrkit._core.pieces import Piecewise
from lrkit._core.serialization import builtin
from lrkit._core.validation import check_fraction, show

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["ChebyshevDecay", "SlantedTriangular"]


@builtin
class ChebyshevDecay(Piecewise):
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

    initial_learning_rate: float = p.rate()
    decay_steps: int = p.integer(minimum=1)
    alpha: float = p.fraction(default=0.0)
    reciprocal: bool = p.flag(default=False)
    fractal: bool = p.flag(default=False)

    def _derive(self) -> None:
        owner, total = type(self).__name__, self.decay_steps
        if self.reciprocal and self.alpha == 0.0:
            raise ValueError(
                f"{owner}: alpha must be > 0 with reciprocal=True, "
                f"got {show(self._given_value('alpha'))}"
            )
        if self.reciprocal and self.initial_learning_rate == 0.0:
            raise ValueError(
                f"{owner}: initial_learning_rate must be > 0 with reciprocal=True, "
                f"got {show(self._given_value('initial_learning_rate'))}"
            )
        if self.fractal and total & (total - 1):
            raise ValueError(
                f"{owner}: decay_steps must be a power of two with fractal=True, got {show(total)}"
            )
        self._floor = self.alpha * self.initial_learning_rate
        self._height = self.initial_learning_rate - self._floor
        self._twice_total, last = 2.0 * total, total - 1.0
        self._last = last
        # The last node, from its index in Python: float32 rounds total - 1 up
        # to total from 2**24 on, which is no node.
        self._last_node = self._node(last, ScalarOps) if self.fractal else last

    def _node(self, j: Any, xp: Any) -> Any:
        """The node index (from 0) visited at position ``j`` of the fractal order."""
        total, value, size = self.decay_steps, 1.0 + 0.0 * j, 2
        while size <= total:
            position = xp.floor(j / (total // size))
            bit = position - 2.0 * xp.floor(position / 2.0)
            value = xp.where(bit > 0.5, (size + 1.0) - value, value)
            size *= 2
        return value - 1.0

    def _at_node(self, j: Any, xp: Any) -> Any:
        """The rate at node ``j`` (from 0)."""
        y = 0.5 * (1.0 + xp.cos(math.pi * (2.0 * j + 1.0) / self._twice_total))
        if self.reciprocal:
            # 1 / (H - (H - L) y) with H = 1 / (alpha start), L = 1 / start, written
            # without H (which overflows for a tiny alpha * start); the divisor is >= alpha.
            return self._floor / (1.0 - (1.0 - self.alpha) * y)
        return self._floor + self._height * y

    def _visiting(self, t: Any, xp: Any) -> Any:
        j = xp.floor(t)  # this piece holds below the last node only
        return self._at_node(self._node(j, xp) if self.fractal else j, xp)

    def _at_last(self, t: Any, xp: Any) -> Any:
        return self._at_node(self._last_node + 0.0 * t, xp)

    pieces = (_visiting, _at_last)

    def _edges(self) -> tuple[Any, ...]:
        return (self.decay_steps - 1,)

    def _horizon(self) -> float | None:
        return self.decay_steps  # the last node from step decay_steps - 1 on


def _cut_fraction(owner: str, name: str, value: Any) -> float:
    fraction = check_fraction(owner, name, value)
    if fraction == 1.0:
        raise ValueError(f"{owner}: {name} must be < 1, got {show(value)}")
    return fraction


@builtin
class SlantedTriangular(Piecewise):
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

    max_learning_rate: float = p.rate()
    total_steps: int | float = p.steps()
    cut_frac: float = p.parameter("fraction", _cut_fraction, default=0.1)
    ratio: float = p.number(default=32.0, minimum=1.0)

    def _derive(self) -> None:
        self._cut = float(math.floor(self.total_steps * self.cut_frac))
        # The rising piece never holds when the cut is 0 (its edge is then step 0);
        # 1.0 keeps it from dividing by zero where every piece is evaluated.
        self._rise = self._cut if self._cut > 0 else 1.0
        self._end = self._at(0.0)

    def _at(self, height: Any) -> Any:
        """The rate at the triangle's ``height`` :math:`p` (0 at the ends, 1 at the peak)."""
        return self.max_learning_rate * ((1.0 + height * (self.ratio - 1.0)) / self.ratio)

    def _rising(self, t: Any, xp: Any) -> Any:
        return self._at(t / self._rise)

    def _falling(self, t: Any, xp: Any) -> Any:
        cut = self._cut
        return self._at(1.0 - (t - cut) / (self.total_steps - cut))

    def _lowest(self, t: Any, xp: Any) -> Any:
        return self._end

    pieces = (_rising, _falling, _lowest)

    def _edges(self) -> tuple[Any, ...]:
        return (self._cut, self.total_steps)

    def _phase_boundaries(self) -> list[float]:
        return [self._cut] if self._cut > 0 else []

    def _horizon(self) -> float | None:
        return self.total_steps
