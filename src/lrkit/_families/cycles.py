"""Cyclic schedules: one cycle, cyclical rates, cosine cycles and a cosine wave.

``OneCycle`` is the 1cycle policy of torch's ``OneCycleLR``, ``CyclicDecay``
the cyclical rates of torch's ``CyclicLR``, ``CosineCycles`` the cosine
cycles of timm's ``CosineLRScheduler`` and ``CosineWave`` the unclamped,
periodic cosine of torch's ``CosineAnnealingLR``. The first two are
defined here, the cosine cycles in :mod:`lrkit._families.cosine_cycles` (and
re-exported here).
"""

from __future__ import annotations

import math

from lrkit._core import parameters as p
from lrkit._core.arrays import ScalarOps, keep_nan
from lrkit._core.pieces import Piecewise
from lrkit._core.serialization import builtin
from lrkit._core.validation import show

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["CosineCycles", "CosineWave", "CyclicDecay", "OneCycle"]


@builtin
class OneCycle(Piecewise):
    r"""The 1cycle policy: up to a peak, then down far below the start.

    With :math:`N` the total steps, :math:`p` = ``pct_start``, the start rate
    :math:`\eta_0 = \eta_{max} / d` and the final rate
    :math:`\eta_{min} = \eta_0 / d_f`, the rate anneals (cosine or linear,
    see below) through phases that end at these steps:

    * two phases: :math:`\eta_0 \to \eta_{max}` until :math:`pN - 1`, then
      :math:`\eta_{max} \to \eta_{min}` until :math:`N - 1`;
    * three phases: :math:`\eta_0 \to \eta_{max}` until :math:`pN - 1`,
      :math:`\eta_{max} \to \eta_0` until :math:`2pN - 2`, then
      :math:`\eta_0 \to \eta_{min}` until :math:`N - 1`.

    A phase from :math:`a` at step :math:`s` to :math:`b` at step :math:`e`
    gives, with :math:`f = (t - s) / (e - s)`, :math:`b + (a - b)\tfrac12(1 +
    \cos \pi f)` (``"cos"``) or :math:`a + (b - a) f` (``"linear"``). The
    rate at step :math:`N - 1` (:math:`\eta_{min}`) holds from then on.

    These are torch's ``OneCycleLR`` phases, quirks included: the first phase
    ends one step before :math:`pN`, a step belongs to the first phase whose
    end it has not passed, and a phase that ends before step 0 (:math:`pN <
    1`) is skipped. Where torch divides by zero (a phase of no length, as
    :math:`pN = 1`) the phase gives its end rate.

    Args:
        max_learning_rate: :math:`\eta_{max}`, the peak.
        total_steps: :math:`N \ge 1`, the length of the cycle.
        pct_start: :math:`p \in [0, 1]`, the fraction of the cycle spent rising.
        anneal_strategy: ``"cos"`` or ``"linear"``.
        div_factor: :math:`d > 0`, the start rate is :math:`\eta_{max} / d`.
        final_div_factor: :math:`d_f > 0`, the final rate is :math:`\eta_0 / d_f`.
        three_phase: come back down to :math:`\eta_0` before the final decay,
            as in the paper, instead of the two phases of fastai.

    Example:
        >>> schedule = OneCycle(1.0, total_steps=100)
        >>> round(schedule(0), 12), schedule(29), schedule(99), schedule(500)
        (0.04, 1.0, 4e-06, 4e-06)

    Reference: Smith & Topin, "Super-Convergence: Very Fast Training of Neural
    Networks Using Large Learning Rates", 2017; Smith, "A disciplined approach
    to neural network hyper-parameters: Part 1", 2018; torch's ``OneCycleLR``.
    """

    max_learning_rate: float = p.rate()
    total_steps: int | float = p.steps()
    pct_start: float = p.fraction(default=0.3)
    anneal_strategy: str = p.choice(("cos", "linear"), default="cos")
    div_factor: float = p.number(default=25.0, minimum=0.0, exclusive_minimum=True)
    final_div_factor: float = p.number(default=1e4, minimum=0.0, exclusive_minimum=True)
    three_phase: bool = p.flag(default=False)

    def _derive(self) -> None:
        owner = type(self).__name__
        if self.total_steps < 1:
            raise ValueError(
                f"{owner}: total_steps must be >= 1, got {show(self._given_value('total_steps'))}"
            )
        total, peak = float(self.total_steps), self.max_learning_rate
        start = peak / self.div_factor
        final = start / self.final_div_factor
        for name, rate in (("div_factor", start), ("final_div_factor", final)):
            if not math.isfinite(rate):
                raise ValueError(
                    f"{owner}: {name} must leave the rates it divides finite, "
                    f"got {show(self._given_value(name))}"
                )
        rise_end = self.pct_start * total - 1.0
        if self.three_phase:
            ends = [rise_end, 2.0 * self.pct_start * total - 2.0, total - 1.0]
            rates = [start, peak, start, final]
        else:
            ends, rates = [rise_end, total - 1.0], [start, peak, final]
        #: (start step, end step, start rate, end rate) of each phase.
        self._phases = list(zip([0.0, *ends[:-1]], ends, rates[:-1], rates[1:], strict=True))
        self._last_step = total - 1.0

    def _anneal(self, phase: tuple[float, float, float, float], t: Any, xp: Any) -> Any:
        begin, end, a, b = phase
        if end == begin:  # no length: torch divides by zero; the phase is over
            return keep_nan(t, b, xp)
        fraction = (t - begin) / (end - begin)
        if self.anneal_strategy == "cos":
            return b + (a - b) / 2.0 * (xp.cos(math.pi * fraction) + 1.0)
        return (b - a) * fraction + a

    def _cycle(self, t: Any, xp: Any) -> Any:
        phases = self._phases
        # The rate at the cycle's last step holds from then on; a step is in
        # the first phase whose end it has not passed.
        if xp is ScalarOps:  # a number is in one phase: anneal there only
            if t > self._last_step:
                t = self._last_step
            for phase in phases:
                if t <= phase[1]:
                    return self._anneal(phase, t, xp)
        t = xp.minimum(t, self._last_step)
        result = self._anneal(phases[-1], t, xp)
        for phase in reversed(phases[:-1]):
            result = xp.where(t <= phase[1], self._anneal(phase, t, xp), result)
        return result

    pieces = (_cycle,)

    def _phase_boundaries(self) -> list[float]:
        return [end for _, end, _, _ in self._phases if 0.0 < end <= self._last_step]

    def _horizon(self) -> float | None:
        """The whole cycle."""
        return self.total_steps


_CYCLIC_MODES = ("triangular", "triangular2", "exp_range")


@builtin
class CyclicDecay(Piecewise):
    r"""Cyclical learning rates: triangles between two rates.

    With :math:`u` = ``step_size_up``, :math:`d` = ``step_size_down``, cycles
    of :math:`u + d` steps, :math:`c = \lfloor t / (u + d) \rfloor + 1` the
    current cycle and :math:`p = t \bmod (u + d)` the steps into it:

    .. math::
        \eta(t) = \eta_0 + (\eta_1 - \eta_0)\, h\, s,\qquad
        h = \begin{cases} p / u & p \le u \\ (u + d - p) / d & p > u \end{cases}

    with the scale :math:`s = 1` (``"triangular"``), :math:`s = 2^{1 - c}`
    (``"triangular2"``: the height halves every cycle) or :math:`s =
    \gamma^{t}` (``"exp_range"``). The rate starts at :math:`\eta_0`, reaches
    :math:`\eta_1 s` after :math:`u` steps and is back at :math:`\eta_0` after
    :math:`u + d` (with :math:`d = 0`, a sawtooth, it drops back at once).
    This is torch's ``CyclicLR`` formula, with the position in the cycle
    taken as a remainder, which stays exact at large float32 steps.

    Args:
        initial_learning_rate: :math:`\eta_0`, the lower rate (torch's ``base_lr``).
        maximal_learning_rate: :math:`\eta_1`, the upper rate (torch's ``max_lr``).
        step_size_up: :math:`u > 0`, the steps of each rise.
        step_size_down: :math:`d \ge 0`, the steps of each fall; None means :math:`u`.
        mode: ``"triangular"``, ``"triangular2"`` or ``"exp_range"``.
        gamma: :math:`\gamma \in [0, 1]`, the factor per step of ``"exp_range"``.

    Example:
        >>> schedule = CyclicDecay(0.01, 0.1, step_size_up=10)
        >>> schedule(0), schedule(10), round(schedule(15), 12), schedule(20)
        (0.01, 0.1, 0.055, 0.01)

    Reference: Smith, "Cyclical Learning Rates for Training Neural Networks",
    WACV 2017; torch's ``CyclicLR``.
    """

    initial_learning_rate: float = p.rate()
    maximal_learning_rate: float = p.rate()
    step_size_up: int | float = p.steps(default=2000)
    step_size_down: int | float | None = p.steps(default=None, allow_zero=True)
    mode: str = p.choice(_CYCLIC_MODES, default="triangular")
    gamma: float = p.fraction(default=1.0)

    def _derive(self) -> None:
        self._up = float(self.step_size_up)
        self._down = self._up if self.step_size_down is None else float(self.step_size_down)
        self._total = self._up + self._down

    def _triangles(self, t: Any, xp: Any) -> Any:
        position = t % self._total
        if self._down > 0:
            ramp = xp.where(
                position <= self._up, position / self._up, (self._total - position) / self._down
            )
        else:  # no fall: a sawtooth
            ramp = position / self._up
        height = (self.maximal_learning_rate - self.initial_learning_rate) * ramp
        if self.mode == "triangular2":
            height = height * 0.5 ** xp.floor(t / self._total)
        elif self.mode == "exp_range":
            height = height * self.gamma**t
        return self.initial_learning_rate + height

    pieces = (_triangles,)

    def _horizon(self) -> float | None:
        """Three cycles."""
        return 3.0 * self._total


# The cosine cycles live in their own module; imported after the classes above
# so that the classes register in the order they always have.
from lrkit._families.cosine_cycles import CosineCycles, CosineWave  # noqa: E402
