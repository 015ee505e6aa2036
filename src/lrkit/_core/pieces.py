"""Schedules described as pieces: both evaluation paths derived from one description."""

from __future__ import annotations

from bisect import bisect_right

from lrkit._core.arrays import HUGE, ScalarOps
from lrkit._core.schedule import INF, LearningRateSchedule

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, ClassVar

    Piece = Callable[[Any, Any, Any], Any]


__all__ = ["Piecewise"]


class Piecewise(LearningRateSchedule):
    r"""A schedule given as pieces: the steps where its formula changes, one function per piece.

    Most schedules are a few formulas, each holding between two steps: a warmup
    line, then a cosine, then a constant floor. ``Piecewise`` takes exactly
    that description,

    * ``pieces``: one function per piece, ``piece(schedule, t, xp)``, written once
      over an array namespace ``xp`` for the step ``t`` (a non-negative number:
      a Python ``int`` or ``float``, or a float array);
    * ``_edges()``: the steps where each piece but the first begins
      (non-decreasing; an edge equal to the one before it skips a piece),

    and derives from it

    * the Python-number path: ``__call__`` checks the step's type, compares it
      with the edges and evaluates the one piece that holds there, with a
      namespace of ``math`` functions as ``xp``; a class with
      one to four pieces gets a ``__call__`` made for that many, with no loop;
    * the array path: ``_formula`` evaluates every piece on the whole array and
      keeps each piece's values from its edge on (``xp.where``), so it runs
      under ``jax.jit`` and ``vmap`` as well.

    A step equal to an edge belongs to the piece that begins there. The first
    piece must give NaN for a NaN step, as any formula of the step does; a first
    piece that is a constant (a Python ``float`` for an array of steps) has NaN
    put back where the steps are NaN.

    Example:
        >>> from lrkit import Piecewise, parameters as p
        >>> class Halving(Piecewise):
        ...     rate: float = p.rate()
        ...     every: int = p.steps()
        ...     def _halving(self, t, xp):
        ...         return self.rate * 0.5 ** xp.floor(t / self.every)
        ...     def _floor(self, t, xp):
        ...         return self.rate * 0.5**10
        ...     pieces = (_halving, _floor)
        ...     def _edges(self):
        ...         return (10 * self.every,)
        >>> Halving(1.0, every=10)(25), Halving(1.0, every=10)(10**6)
        (0.25, 0.0009765625)
    """

    #: The piece formulas, in the order of their steps: ``piece(schedule, t, xp)``.
    pieces: ClassVar[tuple[Piece, ...]] = ()

    def _edges(self) -> tuple[Any, ...]:
        """Where each piece but the first begins: ``len(pieces) - 1`` non-decreasing steps."""
        return ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "pieces" in cls.__dict__ and "__call__" not in cls.__dict__:
            type.__setattr__(cls, "__call__", _scalar_call(cls.pieces))

    def _finish(self) -> None:
        super()._finish()
        edges = tuple(self._edges())
        if len(edges) != len(type(self).pieces) - 1:
            raise TypeError(
                f"{type(self).__name__}._edges() gave {len(edges)} edges for "
                f"{len(type(self).pieces)} pieces; it must give one fewer than the pieces"
            )
        self._piece_edges = edges
        for index, edge in enumerate(edges[:3]):  # read by the __call__ made for 2 to 4 pieces
            setattr(self, f"_edge_{index}", edge)

    def _formula(self, step: Any, xp: Any) -> Any:
        pieces = type(self).pieces
        if xp is ScalarOps:  # one number (a step with __float__): only its piece runs
            if step != step:
                return step
            return pieces[bisect_right(self._piece_edges, step)](self, step, xp)
        # Each piece with the step where it begins; a piece that holds at no
        # step (it begins where the next one does) is not evaluated.
        begins = (0.0, *self._piece_edges)
        ends = (*self._piece_edges, INF)
        held = [
            (begin, piece)
            for begin, end, piece in zip(begins, ends, pieces, strict=True)
            if end > begin or end == INF
        ]
        result = held[0][1](self, step, xp)
        if not hasattr(result, "shape"):  # a constant: NaN steps give NaN
            result = xp.where(step == step, result, step)
        for begin, piece in held[1:]:
            result = xp.where(step >= begin, piece(self, step, xp), result)
        return result


def _scalar_call(pieces: tuple[Piece, ...]) -> Callable[..., Any]:
    """The Python-number ``__call__`` for a class with these pieces.

    Every step that is not a non-negative finite Python ``int`` or ``float``
    goes to ``_call_other`` (arrays, NumPy scalars, NaN, negative steps...),
    as in every schedule's first line.
    """
    ops = ScalarOps
    count = len(pieces)
    if count == 1:
        (only,) = pieces

        def __call__(self: Any, step: Any = None) -> Any:
            if not (
                (type(step) is int and 0 <= step < HUGE)
                or (type(step) is float and 0.0 <= step < INF)
            ):
                return self._call_other(step)
            return only(self, step, ops)

    elif count == 2:
        first, second = pieces

        def __call__(self: Any, step: Any = None) -> Any:
            if not (
                (type(step) is int and 0 <= step < HUGE)
                or (type(step) is float and 0.0 <= step < INF)
            ):
                return self._call_other(step)
            if step < self._edge_0:
                return first(self, step, ops)
            return second(self, step, ops)

    elif count == 3:
        first, second, third = pieces

        def __call__(self: Any, step: Any = None) -> Any:
            if not (
                (type(step) is int and 0 <= step < HUGE)
                or (type(step) is float and 0.0 <= step < INF)
            ):
                return self._call_other(step)
            if step < self._edge_0:
                return first(self, step, ops)
            if step < self._edge_1:
                return second(self, step, ops)
            return third(self, step, ops)

    elif count == 4:
        first, second, third, fourth = pieces

        def __call__(self: Any, step: Any = None) -> Any:
            if not (
                (type(step) is int and 0 <= step < HUGE)
                or (type(step) is float and 0.0 <= step < INF)
            ):
                return self._call_other(step)
            if step < self._edge_0:
                return first(self, step, ops)
            if step < self._edge_1:
                return second(self, step, ops)
            if step < self._edge_2:
                return third(self, step, ops)
            return fourth(self, step, ops)

    else:

        def __call__(self: Any, step: Any = None) -> Any:
            if not (
                (type(step) is int and 0 <= step < HUGE)
                or (type(step) is float and 0.0 <= step < INF)
            ):
                return self._call_other(step)
            return pieces[bisect_right(self._piece_edges, step)](self, step, ops)

    __call__._derived = True  # type: ignore[attr-defined]  # (see lrkit._core.hand_tuned)
    return __call__
