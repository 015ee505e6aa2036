"""tf.keras 2.x: every lrkit schedule as a ``tf_keras`` ``LearningRateSchedule``.

The same namespace as :mod:`lrkit.keras`, for Keras 2: the ``tf_keras``
package, which is ``tf.keras`` when ``TF_USE_LEGACY_KERAS=1`` (the tf.keras
of TensorFlow 2.x up to 2.15). Each lrkit schedule and combinator is here
under its lrkit name, a class made from the lrkit class and
``tf_keras.optimizers.schedules.LearningRateSchedule``, registered with
tf_keras as ``"lrkit>Name"``:

    >>> import tf_keras, lrkit, lrkit.tf_keras
    >>> schedule = lrkit.tf_keras.CosineDecay(0.0, 900, warmup_target=1e-3, warmup_steps=100)
    >>> optimizer = tf_keras.optimizers.AdamW(learning_rate=schedule)
    >>> schedule == lrkit.CosineDecay(0.0, 900, warmup_target=1e-3, warmup_steps=100)
    True

Same parameters, formula, config, equality and ``lrkit.serialize`` output as
the lrkit classes; tf_keras's ``serialize``/``deserialize``, the optimizer's
``get_config``/``from_config`` and saved models bring them back without
``custom_objects`` once ``lrkit.tf_keras`` is imported. A Python number step
gives a ``float``; a TensorFlow tensor or variable (``optimizer.iterations``,
inside the train step's ``tf.function`` too) gives a tensor, ``float32`` for
an integer step.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import tensorflow as tf  # type: ignore[import-untyped,import-not-found,unused-ignore]
import tf_keras  # type: ignore[import-untyped,import-not-found,unused-ignore]

import lrkit
from lrkit._core.schedule import LearningRateSchedule as _LrkitSchedule
from lrkit._integrations.keras_native import native_class, native_class_for
from lrkit._integrations.tensorflow_ops import evaluate_on_tensorflow

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
    "TfKerasNativeMixin",
    "TimmNoise",
    "TrapezoidalDecay",
    "Warmup",
    "WarmupHoldCosineDecay",
    "WarmupStableDecay",
    "deserialize",
    "serialize",
    "to_keras",
]

#: tf_keras's base class, as ``tf_keras.optimizers.schedules.LearningRateSchedule``.
LearningRateSchedule = tf_keras.optimizers.schedules.LearningRateSchedule


class TfKerasNativeMixin:
    """Evaluates TensorFlow tensors and variables; first base of every class here.

    It leaves ``__call__`` to the lrkit class (its Python-number path) and
    overrides ``_call_other``, where that path sends every other step.
    """

    def _call_other(self, step: Any) -> Any:
        if isinstance(step, tf.Variable) or tf.is_tensor(step):
            return evaluate_on_tensorflow(self, step, tf_keras.backend.floatx())  # type: ignore[arg-type]
        return super()._call_other(step)  # type: ignore[misc]


def _native(cls: type[_S]) -> type[_S]:
    return native_class(
        cls,
        mixin=TfKerasNativeMixin,
        keras_base=LearningRateSchedule,
        register=lambda name: tf_keras.saving.register_keras_serializable("lrkit", name),
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
    """tf_keras's serialized form of a schedule (``tf_keras.optimizers.schedules.serialize``).

    Example:
        >>> import lrkit.tf_keras
        >>> config = lrkit.tf_keras.serialize(lrkit.tf_keras.ExponentialDecay(0.1, 10, 0.5))
        >>> config["registered_name"]
        'lrkit>ExponentialDecay'
        >>> lrkit.tf_keras.deserialize(config)(20)
        0.025
    """
    result: dict[str, Any] = tf_keras.optimizers.schedules.serialize(learning_rate_schedule)
    return result


def deserialize(config: Any, custom_objects: Mapping[str, Any] | None = None) -> Any:
    """A schedule back from :func:`serialize`; a bare ``class_name`` resolves to this module."""
    return tf_keras.saving.deserialize_keras_object(
        config,
        module_objects=_MODULE_OBJECTS,
        custom_objects=custom_objects,
        printable_module_name="decay",
    )


def to_keras(schedule: Any) -> Any:
    """``schedule`` as a tf_keras ``LearningRateSchedule``: this module's class of its name.

    The result has ``schedule``'s config (and is equal to it); a tf_keras
    schedule is returned as it is. Schedule classes of your own have no
    class here and raise ``TypeError``: derive them from
    ``tf_keras.optimizers.schedules.LearningRateSchedule`` as well.

    Example:
        >>> import lrkit, lrkit.tf_keras
        >>> lrkit.tf_keras.to_keras(lrkit.CosineDecay(0.1, 1000)) == lrkit.CosineDecay(0.1, 1000)
        True
    """
    if isinstance(schedule, LearningRateSchedule):
        return schedule
    native = native_class_for(schedule, _MODULE_OBJECTS)
    if native is None:
        raise TypeError(
            f"lrkit.tf_keras.to_keras converts lrkit's own schedules, got "
            f"{type(schedule).__name__}; a schedule class of your own can derive from "
            "tf_keras.optimizers.schedules.LearningRateSchedule as well"
        )
    converted = native.from_config(schedule.get_config())
    if isinstance(schedule, lrkit.ReduceOnPlateau):  # its state, not in the config
        converted.load_state_dict(schedule.state_dict())  # type: ignore[attr-defined]
    return converted


_MODULE_OBJECTS: dict[str, Any] = {
    name: value
    for name, value in globals().items()
    if isinstance(value, type) and issubclass(value, LearningRateSchedule)
}
