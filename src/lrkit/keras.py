"""Keras 3: every lrkit schedule as a ``keras.optimizers.schedules.LearningRateSchedule``.

Keras optimizers evaluate a schedule on their iteration count only when it
is an instance of Keras's ``LearningRateSchedule`` (any other callable is
called without arguments). ``lrkit.keras`` has every lrkit schedule and
combinator under its lrkit name, each a class made from the lrkit class and
Keras's base class, so it goes straight into an optimizer:

    >>> import keras, lrkit, lrkit.keras
    >>> schedule = lrkit.keras.CosineDecay(0.0, 900, warmup_target=1e-3, warmup_steps=100)
    >>> optimizer = keras.optimizers.AdamW(learning_rate=schedule)
    >>> schedule == lrkit.CosineDecay(0.0, 900, warmup_target=1e-3, warmup_steps=100)
    True
    >>> lrkit.serialize(schedule)["module"]
    'lrkit'

Each class has the lrkit class's parameters, formula, config, equality and
``lrkit.serialize`` output (so ``lrkit.deserialize`` gives the plain lrkit
class), and is registered with Keras as ``"lrkit>Name"``: Keras's
``serialize``/``deserialize``, the optimizer's ``get_config``/``from_config``
and ``model.save()`` + ``keras.saving.load_model()`` bring it back without
``custom_objects`` in any program that has imported ``lrkit.keras``. Like
``keras.optimizers.schedules``, the module also has ``LearningRateSchedule``
(Keras's base class), :func:`serialize` and :func:`deserialize`.

A step that is a Python number gives a ``float`` (the lrkit fast path); a
Keras variable (such as ``optimizer.iterations``) or a tensor of the active
backend gives a tensor of that backend: a JAX array (traced inside the
jitted train step), a torch tensor on its device, a NumPy array, or a
TensorFlow tensor (inside ``tf.function`` and XLA, through ``keras.ops``).

:func:`to_keras` wraps any lrkit schedule, also of a class of your own, in
:class:`KerasSchedule`, the registered wrapper (``"lrkit>KerasSchedule"``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import keras  # type: ignore[import-untyped,unused-ignore]

import lrkit
from lrkit._core.schedule import LearningRateSchedule as _LrkitSchedule
from lrkit._core.serialization import deserialize as _lrkit_deserialize
from lrkit._core.serialization import serialize as _lrkit_serialize
from lrkit._integrations.keras_native import native_class
from lrkit._integrations.keras_ops import evaluate_on_tensorflow as _evaluate_on_tensorflow

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TypeVar

    _S = TypeVar("_S", bound=_LrkitSchedule)

__all__ = [
    "ChebyshevDecay",
    "Clip",
    "Constant",
    "CosineCycles",
    "CosineDecay",
    "CosineDecayRestarts",
    "CosinePowerDecay",
    "CosineWarmupRestarts",
    "CosineWave",
    "CyclicDecay",
    "ExpHyperbolicDecay",
    "ExponentialDecay",
    "FlatCosineDecay",
    "HyperbolicDecay",
    "InverseSqrtDecay",
    "InverseTimeDecay",
    "Join",
    "KDecay",
    "KerasNativeMixin",
    "KerasSchedule",
    "LearningRateSchedule",
    "LinearCosineDecay",
    "LinearDecay",
    "MultiStepDecay",
    "NoisyLinearCosineDecay",
    "Offset",
    "OneCycle",
    "PiecewiseConstantDecay",
    "PolynomialDecay",
    "PowerDecay",
    "Product",
    "ReduceOnPlateau",
    "Repeat",
    "RexDecay",
    "Scale",
    "Shift",
    "SlantedTriangular",
    "StepDecay",
    "Sum",
    "TanhDecay",
    "TimmNoise",
    "TrapezoidalDecay",
    "Warmup",
    "WarmupHoldCosineDecay",
    "WarmupStableDecay",
    "deserialize",
    "serialize",
    "to_keras",
]

#: Keras's base class, as ``keras.optimizers.schedules.LearningRateSchedule``.
LearningRateSchedule = keras.optimizers.schedules.LearningRateSchedule


class KerasNativeMixin:
    """Evaluates Keras variables and backend tensors; first base of every class here.

    It leaves ``__call__`` to the lrkit class (its Python-number path) and
    overrides ``_call_other``, where that path sends every other step.
    """

    def _call_other(self, step: Any) -> Any:
        if isinstance(step, keras.Variable) or keras.ops.is_tensor(step):
            step = keras.ops.convert_to_tensor(step)
            if keras.backend.backend() == "tensorflow":
                return _evaluate_on_tensorflow(self, step)  # type: ignore[arg-type]
        return super()._call_other(step)  # type: ignore[misc]


def _native(cls: type[_S]) -> type[_S]:
    return native_class(
        cls,
        mixin=KerasNativeMixin,
        keras_base=LearningRateSchedule,
        register=lambda name: keras.saving.register_keras_serializable(package="lrkit", name=name),
        module=__name__,
    )


ChebyshevDecay = _native(lrkit.ChebyshevDecay)
Clip = _native(lrkit.Clip)
Constant = _native(lrkit.Constant)
CosineCycles = _native(lrkit.CosineCycles)
CosineDecay = _native(lrkit.CosineDecay)
CosineDecayRestarts = _native(lrkit.CosineDecayRestarts)
CosinePowerDecay = _native(lrkit.CosinePowerDecay)
CosineWarmupRestarts = _native(lrkit.CosineWarmupRestarts)
CosineWave = _native(lrkit.CosineWave)
CyclicDecay = _native(lrkit.CyclicDecay)
ExpHyperbolicDecay = _native(lrkit.ExpHyperbolicDecay)
ExponentialDecay = _native(lrkit.ExponentialDecay)
FlatCosineDecay = _native(lrkit.FlatCosineDecay)
HyperbolicDecay = _native(lrkit.HyperbolicDecay)
InverseSqrtDecay = _native(lrkit.InverseSqrtDecay)
InverseTimeDecay = _native(lrkit.InverseTimeDecay)
Join = _native(lrkit.Join)
KDecay = _native(lrkit.KDecay)
LinearCosineDecay = _native(lrkit.LinearCosineDecay)
LinearDecay = _native(lrkit.LinearDecay)
MultiStepDecay = _native(lrkit.MultiStepDecay)
NoisyLinearCosineDecay = _native(lrkit.NoisyLinearCosineDecay)
Offset = _native(lrkit.Offset)
OneCycle = _native(lrkit.OneCycle)
PiecewiseConstantDecay = _native(lrkit.PiecewiseConstantDecay)
PolynomialDecay = _native(lrkit.PolynomialDecay)
PowerDecay = _native(lrkit.PowerDecay)
Product = _native(lrkit.Product)
ReduceOnPlateau = _native(lrkit.ReduceOnPlateau)
Repeat = _native(lrkit.Repeat)
RexDecay = _native(lrkit.RexDecay)
Scale = _native(lrkit.Scale)
Shift = _native(lrkit.Shift)
SlantedTriangular = _native(lrkit.SlantedTriangular)
StepDecay = _native(lrkit.StepDecay)
Sum = _native(lrkit.Sum)
TanhDecay = _native(lrkit.TanhDecay)
TimmNoise = _native(lrkit.TimmNoise)
TrapezoidalDecay = _native(lrkit.TrapezoidalDecay)
Warmup = _native(lrkit.Warmup)
WarmupHoldCosineDecay = _native(lrkit.WarmupHoldCosineDecay)
WarmupStableDecay = _native(lrkit.WarmupStableDecay)


def serialize(learning_rate_schedule: Any) -> dict[str, Any]:
    """Keras's serialized form of a schedule (``keras.optimizers.schedules.serialize``).

    Example:
        >>> import lrkit.keras
        >>> config = lrkit.keras.serialize(lrkit.keras.ExponentialDecay(0.1, 10, 0.5))
        >>> config["registered_name"], config["class_name"]
        ('lrkit>ExponentialDecay', 'ExponentialDecay')
        >>> lrkit.keras.deserialize(config)(20)
        0.025
    """
    result: dict[str, Any] = keras.optimizers.schedules.serialize(learning_rate_schedule)
    return result


def deserialize(config: Any, custom_objects: Mapping[str, Any] | None = None) -> Any:
    """A schedule back from :func:`serialize` (Keras's ``deserialize``, on this module).

    A bare ``class_name`` resolves to this module's classes, so a config that
    Keras's own schedules wrote (``"module": "keras.optimizers.schedules"``,
    ``"class_name": "CosineDecay"``) gives ``lrkit.keras.CosineDecay``.
    """
    return keras.saving.deserialize_keras_object(
        config,
        module_objects=_MODULE_OBJECTS,
        custom_objects=custom_objects,
        printable_module_name="decay",
    )


class KerasSchedule(keras.optimizers.schedules.LearningRateSchedule):  # type: ignore[misc]
    """A Keras ``LearningRateSchedule`` that evaluates any lrkit schedule.

    Args:
        schedule: an lrkit schedule, or its serialized dict (``lrkit.serialize``).

    For schedule classes of your own; lrkit's own schedules have their Keras
    classes in this module. ``__call__(step)`` returns a tensor of the active
    Keras backend, floating (``float32`` on JAX without x64 and on
    TensorFlow, the default float on torch, ``float64`` on NumPy); Keras
    casts it to each variable's dtype. ``get_config()`` is
    ``{"schedule": lrkit.serialize(schedule)}``. Two wrappers are equal when
    their lrkit schedules are.

    Example:
        >>> import keras, lrkit
        >>> from lrkit.keras import KerasSchedule
        >>> wrapped = KerasSchedule(lrkit.ExponentialDecay(0.1, 10, 0.5))
        >>> float(wrapped(20))
        0.025
        >>> KerasSchedule.from_config(wrapped.get_config()) == wrapped
        True
    """

    def __init__(self, schedule: _LrkitSchedule | Mapping[str, Any]) -> None:
        if isinstance(schedule, Mapping):
            schedule = _lrkit_deserialize(schedule)
        if not isinstance(schedule, _LrkitSchedule):
            raise TypeError(
                f"KerasSchedule wraps an lrkit schedule, got {type(schedule).__name__}"
                + (" (it is already a Keras schedule)" if _is_keras_schedule(schedule) else "")
            )
        self.schedule = schedule

    def __call__(self, step: Any) -> Any:
        step = keras.ops.convert_to_tensor(step)
        if keras.backend.backend() == "tensorflow":
            return _evaluate_on_tensorflow(self.schedule, step)
        return self.schedule(step)

    def get_config(self) -> dict[str, Any]:
        return {"schedule": _lrkit_serialize(self.schedule)}

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> KerasSchedule:
        if not isinstance(config, Mapping) or "schedule" not in config:
            missing = "config is missing required key(s) ['schedule']"
            raise ValueError(f"KerasSchedule: {missing}, got {config!r:.200}")
        return cls(_lrkit_deserialize(config["schedule"]))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, KerasSchedule):
            return NotImplemented
        return self.schedule == other.schedule

    def __hash__(self) -> int:
        return hash((KerasSchedule, self.schedule))

    def __repr__(self) -> str:
        return f"KerasSchedule({self.schedule!r})"


keras.saving.register_keras_serializable(package="lrkit", name="KerasSchedule")(KerasSchedule)


def to_keras(schedule: _LrkitSchedule | Any) -> Any:
    """``schedule`` as a Keras ``LearningRateSchedule``: in a :class:`KerasSchedule`.

    Any lrkit schedule, of lrkit's classes or of your own; a Keras schedule
    (this module's classes included) is returned as it is. For lrkit's own
    schedules, this module's class of the same name is the direct form.

    Example:
        >>> import keras, lrkit, lrkit.keras
        >>> optimizer = keras.optimizers.SGD(
        ...     learning_rate=lrkit.keras.to_keras(lrkit.CosineDecay(0.1, 1000)))
        >>> lrkit.keras.to_keras(lrkit.keras.CosineDecay(0.1, 1000))
        CosineDecay(initial_learning_rate=0.1, decay_steps=1000)
    """
    if _is_keras_schedule(schedule):
        return schedule
    return KerasSchedule(schedule)


def _is_keras_schedule(value: object) -> bool:
    return isinstance(value, LearningRateSchedule)


_MODULE_OBJECTS: dict[str, Any] = {
    name: value
    for name, value in globals().items()
    if isinstance(value, type) and issubclass(value, LearningRateSchedule)
}
