"""The schedule protocol: ``LearningRateSchedule``.

A schedule is a small immutable object: the constructor validates and stores
its parameters under their own names, ``get_config()`` returns exactly those
parameters, and ``__call__(step)`` evaluates one formula on whatever kind of
step arrives (see :mod:`lrkit._arrays`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping

from lrkit._arrays import (
    HUGE,
    LARGEST_FLOAT,
    NUMPY_SCALARS,
    ScalarOps,
    evaluate_array,
    numpy_scalar_result,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    import inspect
    from typing import Any, ClassVar, TypeVar

    _S = TypeVar("_S", bound="LearningRateSchedule")
    _C = TypeVar("_C", bound=type)


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
    #: Set on the instance (never in its class) once construction is done.
    _lrkit_frozen: ClassVar[bool] = False

    # -- immutability ------------------------------------------------------------
    # A schedule is a value: once its outermost constructor has returned, no
    # attribute can be set or deleted (see _freezing). Reading attributes, and
    # so every call, costs what it did: only assignment goes through Python.
    # State that must change after construction (ReduceOnPlateau's plateau
    # bookkeeping) lives in one mutable object held in an attribute set by the
    # constructor, and is changed in place, never reassigned.

    def __init__(self) -> None:
        """A schedule without parameters (subclasses define their own)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        init = cls.__init__
        if not getattr(init, "_freezes", False):  # a constructor of this class's own
            type.__setattr__(cls, "__init__", _freezing(init))

    def __setattr__(self, name: str, value: Any) -> None:
        if self._lrkit_frozen:
            raise AttributeError(_immutable_message(self, name, "set"))
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        if self._lrkit_frozen:
            raise AttributeError(_immutable_message(self, name, "delete"))
        object.__delattr__(self, name)

    def __call__(self, step: Any = None) -> Any:
        # The generic scalar path; built-in schedules override ``__call__`` with
        # their formula written for Python numbers, behind this same first line.
        # ``step`` defaults to None, which that line sends to ``_call_other``
        # (where it raises): a call without a step costs the fast path nothing.
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        return float(self._formula(step, ScalarOps))

    def _call_other(self, step: Any) -> Any:
        """Every step but a non-negative finite Python ``int`` or ``float``."""
        kind = type(step)
        if kind is int:  # negative, or beyond float's range (HUGE and more)
            return self.__call__(0 if step < 0 else LARGEST_FLOAT)
        if kind is float:
            return self.__call__(0.0) if step < 0 else _NAN  # NaN and +inf give NaN
        if step is None:
            raise TypeError(_no_step_message(type(self)))
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
            from lrkit._config_hints import did_you_mean

            raise ValueError(
                f"{cls.__name__}: unknown config key(s) {show_keys(unknown)}"
                f"{did_you_mean(unknown[0], known)}; expected some of {list(known)}"
            )
        missing = [name for name in _required(cls) if name not in config]
        if missing:
            raise ValueError(f"{cls.__name__}: config is missing required key(s) {missing}")
        return cls(**{key: from_config_value(value) for key, value in config.items()})

    # -- value semantics -----------------------------------------------------

    def __eq__(self, other: object) -> bool:
        # lrkit.keras.X and lrkit.X with the same config are the same schedule.
        if value_class(type(other)) is not value_class(type(self)):
            return NotImplemented
        assert isinstance(other, LearningRateSchedule)
        return self.get_config() == other.get_config()

    def __hash__(self) -> int:
        # Equal configs hash equal: ``10`` and ``10.0`` compare (and hash) alike.
        return hash((value_class(type(self)), _frozen(self.get_config())))

    def __repr__(self) -> str:
        import inspect

        parameters = _signature(type(self)).parameters
        # The stored parameters themselves (nested schedules show by their own
        # repr), not get_config(), which would serialize every nested level
        # again at each level: repr stays linear in the size of the config.
        if type(self).get_config is LearningRateSchedule.get_config:
            values = {name: getattr(self, name) for name in parameters}
        else:
            values = {name: getattr(self, name, value) for name, value in self.get_config().items()}
        shown = []
        for name, value in values.items():
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


def value_class(cls: _C) -> _C:
    """The class equality, hashing and ``serialize`` see for instances of ``cls``.

    ``cls`` itself, except for the Keras-native classes of :mod:`lrkit.keras`
    (and :mod:`lrkit.tf_keras`), which name the lrkit class they were made
    from in their own ``_lrkit_class`` attribute (subclasses of those are
    classes of their own again).
    """
    made_from: _C = cls.__dict__.get("_lrkit_class", cls)
    return made_from


def _no_step_message(cls: type) -> str:
    name = value_class(cls).__name__
    own = cls.__module__.startswith("lrkit.")
    instead = f"lrkit.keras.{name}(...) or " if own else ""
    return (
        f"{name} was called without a step. A Keras optimizer calls a learning rate "
        "that is not a keras.optimizers.schedules.LearningRateSchedule with no "
        f"argument: pass {instead}lrkit.keras.to_keras(schedule) as the optimizer's "
        "learning_rate (lrkit.tf_keras for tf.keras 2.x)."
    )


#: The instance-dict entry that marks a constructed, frozen schedule. It
#: travels with copy, deepcopy and pickle, which restore ``__dict__`` directly.
_FROZEN = "_lrkit_frozen"


def _freezing(init: Callable[..., None]) -> Callable[..., None]:
    """``init``, freezing the schedule once the outermost constructor returns.

    Every subclass's ``__init__`` is wrapped (by ``__init_subclass__``); a
    constructor that calls ``super().__init__`` runs the parent's wrapper
    first, which leaves the schedule open because the class's own
    constructor is not done yet.
    """

    @functools.wraps(init)
    def __init__(self: LearningRateSchedule, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        if type(self).__init__ is __init__:
            # object.__setattr__, not __dict__: touching __dict__ would give the
            # instance a materialized dict, which makes every attribute read slower.
            object.__setattr__(self, _FROZEN, True)

    __init__._freezes = True  # type: ignore[attr-defined]
    return __init__


def _immutable_message(schedule: LearningRateSchedule, name: str, action: str) -> str:
    cls = type(schedule).__name__
    if name in _parameters(type(schedule)):
        how = (
            f"make a changed copy from its config: "
            f"type(schedule).from_config({{**schedule.get_config(), {name!r}: new_value}})"
        )
    else:
        how = "build a new one from its config (get_config() and from_config()) instead"
    return (
        f"cannot {action} {name!r}: {cls} is immutable (a schedule is a value: its "
        f"parameters were validated at construction and its hash depends on them); {how}"
    )


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


def show_keys(keys: list[str]) -> str:
    """Keys for an error message: at most 10, each shortened."""
    shown = [key if len(key) <= 80 else key[:79] + "…" for key in keys[:10]]
    return str(shown) + (f" and {len(keys) - 10} more" if len(keys) > 10 else "")


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
