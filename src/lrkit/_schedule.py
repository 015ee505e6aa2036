"""The schedule protocol: ``LearningRateSchedule``.

A schedule is a small immutable object: the constructor validates and stores
its parameters under their own names, ``get_config()`` returns exactly those
parameters, and ``__call__(step)`` evaluates one formula on whatever kind of
step arrives (see :mod:`lrkit._arrays`).
"""

from __future__ import annotations

from collections.abc import Mapping

from lrkit._arrays import NUMPY_SCALARS, ScalarOps, evaluate_array, numpy_scalar_result

TYPE_CHECKING = False
if TYPE_CHECKING:
    import inspect
    from typing import Any, ClassVar, TypeVar

    _S = TypeVar("_S", bound="LearningRateSchedule")


__all__ = ["LearningRateSchedule"]

INF, _NAN = float("inf"), float("nan")


class LearningRateSchedule:
    """Base class of every schedule: ``schedule(step) -> learning rate``.

    ``step`` counts updates already applied (0 before the first update, as
    Keras's ``optimizer.iterations``, optax's ``count`` and torch's
    ``last_epoch`` after construction). It may be a Python number (the result
    is a ``float``), a NumPy, torch or JAX array (the result is an array of
    the same library, shape and device; traced JAX values work inside
    ``jax.jit`` and ``vmap``), or any object with ``__array__`` or
    ``__float__``.

    Negative steps are treated as step 0; a NaN or ``+inf`` step gives NaN
    (no rate is defined after infinitely many updates). Bool and complex
    steps raise ``TypeError``.

    Subclasses implement ``_formula(step, xp)`` once, for a non-negative float
    step and an array namespace ``xp``. Where speed matters they may override
    ``__call__`` with the same formula written for Python numbers, behind the
    base class's first line, which sends every other step to
    ``_call_other`` (the test suite checks that the two formulas agree).
    Combinators evaluate their parts by ``part.__call__(t)``: a plain method
    call, cheaper than ``part(t)``. Constructor parameters are stored under
    their own names, which gives ``get_config``, ``from_config``, equality
    and ``repr`` for free.

    Example:
        >>> import lrkit
        >>> schedule = lrkit.CosineDecay(0.1, decay_steps=100)
        >>> round(schedule(50), 6)
        0.05
        >>> lrkit.CosineDecay.from_config(schedule.get_config()) == schedule
        True
    """

    #: The key of this class in lrkit's registry: the class name for lrkit's
    #: own schedules, ``"package>name"`` for classes registered by users.
    _registered_name: ClassVar[str | None] = None

    def __call__(self, step: Any) -> Any:
        # The generic scalar path; built-in schedules override ``__call__`` with
        # their formula written for Python numbers, behind this same first line.
        if not ((type(step) is int and step >= 0) or (type(step) is float and 0.0 <= step < INF)):
            return self._call_other(step)
        return float(self._formula(step, ScalarOps))

    def _call_other(self, step: Any) -> Any:
        """Every step but a non-negative finite Python ``int`` or ``float``."""
        kind = type(step)
        if kind is int:  # negative
            return self.__call__(0)
        if kind is float:
            return self.__call__(0.0) if step < 0 else _NAN  # NaN and +inf give NaN
        result_type = NUMPY_SCALARS.get(kind)
        if result_type is None and not NUMPY_SCALARS:
            result_type = numpy_scalar_result(kind)
        if result_type is not None:  # a NumPy integer or float64 scalar
            return result_type(self.__call__(float(step)))
        return evaluate_array(self._formula, step)

    # -- arithmetic: builds combinators (see lrkit._combinators) -----------

    def __mul__(self, other: object) -> LearningRateSchedule:
        from lrkit._combinators import Product, Scale

        if isinstance(other, LearningRateSchedule):
            return Product([self, other])
        if _is_real(other):
            return Scale(self, other)  # type: ignore[arg-type]
        return NotImplemented

    __rmul__ = __mul__

    def __truediv__(self, other: object) -> LearningRateSchedule:
        from lrkit._combinators import Scale

        if _is_real(other):
            if other == 0:
                raise ZeroDivisionError("a schedule divided by zero")
            return Scale(self, 1.0 / other)  # type: ignore[operator]
        return NotImplemented

    def __add__(self, other: object) -> LearningRateSchedule:
        from lrkit._combinators import Offset, Sum

        if isinstance(other, LearningRateSchedule):
            return Sum([self, other])
        if _is_real(other):
            return Offset(self, other)  # type: ignore[arg-type]
        return NotImplemented

    __radd__ = __add__

    def __sub__(self, other: object) -> LearningRateSchedule:
        from lrkit._combinators import Offset

        if _is_real(other):
            return Offset(self, -other)  # type: ignore[operator]
        return NotImplemented

    def _formula(self, step: Any, xp: Any) -> Any:
        raise NotImplementedError(
            f"{type(self).__name__} must implement _formula(step, xp) or override __call__"
        )

    # -- configuration -----------------------------------------------------

    def get_config(self) -> dict[str, Any]:
        """The constructor's arguments, JSON-ready (nested schedules serialized)."""
        from lrkit._serialization import to_config_value

        return {name: to_config_value(getattr(self, name)) for name in _parameters(type(self))}

    @classmethod
    def from_config(cls: type[_S], config: Mapping[str, Any]) -> _S:
        """Rebuild a schedule from the output of :meth:`get_config`."""
        from lrkit._serialization import from_config_value

        if not isinstance(config, Mapping):
            raise TypeError(
                f"{cls.__name__}.from_config expects a dict, got {type(config).__name__}"
            )
        known = _parameters(cls)
        unknown = sorted(str(key) for key in config if key not in known)
        if unknown:
            raise ValueError(
                f"{cls.__name__}: unknown config key(s) {unknown}; expected some of {list(known)}"
            )
        missing = [name for name in _required(cls) if name not in config]
        if missing:
            raise ValueError(f"{cls.__name__}: config is missing required key(s) {missing}")
        return cls(**{key: from_config_value(value) for key, value in config.items()})

    # -- value semantics -----------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, LearningRateSchedule)
        return self.get_config() == other.get_config()

    def __hash__(self) -> int:
        # Equal configs hash equal: ``10`` and ``10.0`` compare (and hash) alike.
        return hash((type(self), _frozen(self.get_config())))

    def __repr__(self) -> str:
        import inspect

        parameters = _signature(type(self)).parameters
        shown = []
        for name, config_value in self.get_config().items():
            value = getattr(self, name, config_value)
            default = parameters[name].default if name in parameters else inspect.Parameter.empty
            if default is inspect.Parameter.empty or value != default:
                shown.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(shown)})"

    # -- display ---------------------------------------------------------------

    def _repr_png_(self) -> bytes | None:
        """A small plot of the schedule, for Jupyter's rich display.

        Drawn over :func:`lrkit._describe.suggested_steps` steps; None (plain
        ``repr`` only) where matplotlib is not installed. matplotlib is
        imported here, on first display, never by ``import lrkit``.
        """
        from lrkit._describe import suggested_steps
        from lrkit._plot import render

        try:
            return render(self, suggested_steps(self), width=480, height=270, dpi=96)
        except ImportError:
            return None


_SIGNATURES: dict[type, inspect.Signature] = {}


def _signature(cls: type) -> inspect.Signature:
    """The constructor's named parameters (no ``self``, ``*args``, ``**kwargs``), cached."""
    signature = _SIGNATURES.get(cls)
    if signature is None:
        import inspect

        full = inspect.signature(cls)
        variadic = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
        signature = full.replace(
            parameters=[p for p in full.parameters.values() if p.kind not in variadic]
        )
        _SIGNATURES[cls] = signature
    return signature


def _parameters(cls: type) -> Mapping[str, inspect.Parameter]:
    return _signature(cls).parameters


def _required(cls: type) -> list[str]:
    """The constructor parameters without a default."""
    return [name for name, p in _parameters(cls).items() if p.default is p.empty]


def _frozen(value: Any) -> Any:
    """A config value as a hashable value that is equal where the configs are."""
    if isinstance(value, Mapping):
        return frozenset((key, _frozen(item)) for key, item in value.items())
    if isinstance(value, list):
        return tuple(_frozen(item) for item in value)
    return value


def _is_real(value: object) -> bool:
    import numbers

    return isinstance(value, numbers.Real) and not isinstance(value, bool)
