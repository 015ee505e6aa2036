"""The schedule protocol: ``LearningRateSchedule``.

A schedule is a small immutable object: the constructor validates and stores
its parameters under their own names, ``get_config()`` returns exactly those
parameters, and ``__call__(step)`` evaluates one formula on whatever kind of
step arrives (see :mod:`lrkit._core.arrays`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping

from lrkit._core import parameters as _kinds
from lrkit._core.arrays import (
    HUGE,
    LARGEST_FLOAT,
    NUMPY_SCALARS,
    ScalarOps,
    evaluate_array,
    numpy_scalar_result,
)
from lrkit._core.immutability import freezing, immutable_message
from lrkit._core.parameters import Parameter, make_init
from lrkit._core.shape import Shape

TYPE_CHECKING = False
if TYPE_CHECKING:
    import inspect
    from typing import Any, ClassVar, TypeVar

    from typing_extensions import dataclass_transform

    _S = TypeVar("_S", bound="LearningRateSchedule")
    _C = TypeVar("_C", bound=type)
else:

    def dataclass_transform(**_: object) -> Callable[[type], type]:
        # Type checkers read the parameters declared in a class body as its
        # constructor's; at run time LearningRateSchedule.__init_subclass__ does.
        return lambda cls: cls


__all__ = ["LearningRateSchedule"]

INF, _NAN = float("inf"), float("nan")


@dataclass_transform(
    eq_default=False,
    order_default=False,
    field_specifiers=(
        _kinds.parameter,
        _kinds.rate,
        _kinds.steps,
        _kinds.number,
        _kinds.fraction,
        _kinds.integer,
        _kinds.seed,
        _kinds.flag,
        _kinds.choice,
        _kinds.name,
        _kinds.boundaries,
        _kinds.schedule,
        _kinds.schedules,
    ),
)
class LearningRateSchedule(Shape):
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

    A subclass is described once. Its parameters are declared in its body
    with the kinds of ``lrkit.parameters`` (which give the
    constructor, the checks, ``get_config``, ``from_config``, equality and
    ``repr``); its formula is either pieces (:class:`Piecewise`:
    the steps where the formula changes and one function per piece, from
    which both the Python-number path and the array path are derived) or
    ``_formula(step, xp)``, written once for a non-negative float step and
    an array namespace ``xp`` (Python numbers run it with
    a namespace of ``math`` functions). Its shape is described by
    ``_children``, ``_phase_boundaries`` and ``_horizon``, which ``describe``,
    ``plot``, ``lrkit show`` and the compat layers read.
    Combinators evaluate their parts by ``part.__call__(t)``: a plain method
    call, cheaper than ``part(t)``.

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
    # attribute can be set or deleted (see lrkit._core.immutability). Reading attributes, and
    # so every call, costs what it did: only assignment goes through Python.
    # State that must change after construction (ReduceOnPlateau's plateau
    # bookkeeping) lives in one mutable object held in an attribute set by the
    # constructor, and is changed in place, never reassigned.

    def __init__(self) -> None:
        """A schedule without parameters (subclasses define their own)."""

    #: The parameters declared in the class body (and its bases'), in order.
    _parameter_specs: ClassVar[dict[str, Parameter]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = {key: value for key, value in cls.__dict__.items() if isinstance(value, Parameter)}
        if own:
            inherited = {}
            for base in reversed(cls.__mro__[1:]):
                inherited.update(base.__dict__.get("_parameter_specs", {}))
            cls._parameter_specs = {**inherited, **own}
            for key in own:
                # The instances store their values under these names; a class
                # attribute of the same name would make every read slower.
                type.__delattr__(cls, key)
            if "__init__" not in cls.__dict__:
                type.__setattr__(cls, "__init__", make_init(cls, cls._parameter_specs))
        init = cls.__init__
        if not getattr(init, "_freezes", False):  # a constructor of this class's own
            type.__setattr__(cls, "__init__", freezing(init))

    def _derive(self) -> None:
        """Rules between parameters and derived constants, once the parameters are stored.

        Called last by a constructor made from declared parameters; raises
        ``ValueError`` for a combination of values the schedule refuses.
        """

    def _given_value(self, name: str) -> Any:
        """A parameter as the caller wrote it (``3``, not the stored ``3.0``).

        For the messages of ``_derive``; once constructed, the stored value.
        """
        given: dict[str, Any] = getattr(self, "_given", {})
        return given.get(name, getattr(self, name))

    def _finish(self) -> None:
        """Called once the outermost constructor has returned, before the schedule freezes."""
        # The arguments as given (read by _derive's messages) go once constructed;
        # object.__delattr__, not __dict__, which would make attribute reads slower.
        with contextlib.suppress(AttributeError):  # (a constructor of the class's own)
            object.__delattr__(self, "_given")

    def __setattr__(self, name: str, value: Any) -> None:
        if self._lrkit_frozen:
            raise AttributeError(immutable_message(self, name, "set"))
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        if self._lrkit_frozen:
            raise AttributeError(immutable_message(self, name, "delete"))
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

    # -- arithmetic: builds combinators (see lrkit._combinators.composition) -----------

    def __mul__(self, other: object) -> LearningRateSchedule:
        from lrkit._combinators.composition import Product, Scale

        if isinstance(other, LearningRateSchedule):
            return Product([self, other])
        if _is_real(other):
            return Scale(self, other)  # type: ignore[arg-type]
        return NotImplemented

    __rmul__ = __mul__

    def __truediv__(self, other: object) -> LearningRateSchedule:
        from lrkit._combinators.composition import Scale

        if _is_real(other):
            if other == 0:
                raise ZeroDivisionError("a schedule divided by zero")
            return Scale(self, 1.0 / other)  # type: ignore[operator]
        return NotImplemented

    def __add__(self, other: object) -> LearningRateSchedule:
        from lrkit._combinators.composition import Offset, Sum

        if isinstance(other, LearningRateSchedule):
            return Sum([self, other])
        if _is_real(other):
            return Offset(self, other)  # type: ignore[arg-type]
        return NotImplemented

    __radd__ = __add__

    def __sub__(self, other: object) -> LearningRateSchedule:
        from lrkit._combinators.composition import Offset

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
        from lrkit._core.serialization import to_config_value

        return {name: to_config_value(getattr(self, name)) for name in _parameters(type(self))}

    @classmethod
    def from_config(cls: type[_S], config: Mapping[str, Any]) -> _S:
        """Rebuild a schedule from the output of :meth:`get_config`."""
        from lrkit._core.serialization import from_config_value

        if not isinstance(config, Mapping):
            raise TypeError(
                f"{cls.__name__}.from_config expects a dict, got {type(config).__name__}"
            )
        known = _parameters(cls)
        unknown = sorted(str(key) for key in config if key not in known)
        if unknown:
            from lrkit._core.config_hints import did_you_mean

            raise ValueError(
                f"{cls.__name__}: unknown config key(s) {show_keys(unknown)}"
                f"{did_you_mean(unknown[0], known)}; expected some of {list(known)}"
            )
        missing = [name for name in _required(cls) if name not in config]
        if missing:
            raise ValueError(f"{cls.__name__}: config is missing required key(s) {missing}")
        return cls(**{key: from_config_value(value) for key, value in config.items()})

    @classmethod
    def _read_keras_config(cls, config: dict[str, Any]) -> dict[str, Any]:
        """A config written by Keras, as Keras reads it (as is, unless a class says otherwise)."""
        return config

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
