"""Keras 3 integration: :class:`KerasSchedule`, an lrkit schedule as a Keras schedule.

Keras optimizers evaluate a schedule on their iteration count only when it is
an instance of ``keras.optimizers.schedules.LearningRateSchedule`` (any other
callable is called without arguments), and lrkit's classes cannot derive from
Keras's without ``import lrkit`` importing Keras. So an lrkit schedule goes to
Keras inside :class:`KerasSchedule`, made by :func:`to_keras`:

    >>> import keras, lrkit, lrkit.keras
    >>> schedule = lrkit.CosineDecay(0.0, 900, warmup_target=1e-3, warmup_steps=100)
    >>> optimizer = keras.optimizers.AdamW(learning_rate=lrkit.keras.to_keras(schedule))

``KerasSchedule`` is registered with Keras as ``"lrkit>KerasSchedule"``, so a
model saved with ``model.save()`` loads with ``keras.saving.load_model()``
and no ``custom_objects``, in any program that has imported ``lrkit.keras``
(as for every registered Keras object). The optimizer's ``get_config()``
holds lrkit's own config, ``lrkit.serialize(schedule)``, under
``learning_rate["config"]["schedule"]``.

The schedule is evaluated on the optimizer's iteration variable on every
backend: as a JAX array (traced inside the jitted train step), a torch tensor
on its device, a NumPy array, or a TensorFlow tensor (inside ``tf.function``
and XLA, through ``keras.ops``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import keras  # type: ignore[import-untyped,unused-ignore]

from lrkit._schedule import LearningRateSchedule
from lrkit._serialization import deserialize, serialize

__all__ = ["KerasSchedule", "to_keras"]


@keras.saving.register_keras_serializable(package="lrkit", name="KerasSchedule")
class KerasSchedule(keras.optimizers.schedules.LearningRateSchedule):  # type: ignore[misc]
    """A Keras ``LearningRateSchedule`` that evaluates an lrkit schedule.

    Args:
        schedule: an lrkit schedule, or its serialized dict (``lrkit.serialize``).

    ``__call__(step)`` returns a tensor of the active Keras backend, floating
    (``float32`` on JAX without x64 and on TensorFlow, the default float on
    torch, ``float64`` on NumPy); Keras casts it to each variable's dtype.
    ``get_config()`` is ``{"schedule": lrkit.serialize(schedule)}``. Two
    wrappers are equal when their lrkit schedules are.

    Example:
        >>> import keras, lrkit
        >>> from lrkit.keras import KerasSchedule
        >>> wrapped = KerasSchedule(lrkit.ExponentialDecay(0.1, 10, 0.5))
        >>> float(wrapped(20))
        0.025
        >>> KerasSchedule.from_config(wrapped.get_config()) == wrapped
        True
    """

    def __init__(self, schedule: LearningRateSchedule | Mapping[str, Any]) -> None:
        if isinstance(schedule, Mapping):
            schedule = deserialize(schedule)
        if not isinstance(schedule, LearningRateSchedule):
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
        return {"schedule": serialize(self.schedule)}

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> KerasSchedule:
        return cls(deserialize(config["schedule"]))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, KerasSchedule):
            return NotImplemented
        return self.schedule == other.schedule

    def __hash__(self) -> int:
        return hash((KerasSchedule, self.schedule))

    def __repr__(self) -> str:
        return f"KerasSchedule({self.schedule!r})"


def to_keras(schedule: LearningRateSchedule | KerasSchedule) -> KerasSchedule:
    """``schedule`` as a Keras ``LearningRateSchedule`` (a :class:`KerasSchedule`).

    A ``KerasSchedule`` is returned as it is.

    Example:
        >>> import keras, lrkit, lrkit.keras
        >>> optimizer = keras.optimizers.SGD(
        ...     learning_rate=lrkit.keras.to_keras(lrkit.CosineDecay(0.1, 1000)))
    """
    if isinstance(schedule, KerasSchedule):
        return schedule
    return KerasSchedule(schedule)


def _is_keras_schedule(value: object) -> bool:
    return isinstance(value, keras.optimizers.schedules.LearningRateSchedule)


# -- TensorFlow: the formula on keras.ops ---------------------------------------
# array-api-compat has no TensorFlow namespace, and a tensor inside tf.function
# (compiled by XLA, as Keras does by default) cannot be turned into NumPy. So
# on the TensorFlow backend the schedule's formula runs on ``keras.ops``, in
# float64, with lrkit's rules for steps (negative steps are step 0).


class _KerasOpsNamespace:
    """The Array API functions lrkit's formulas use, from ``keras.ops``."""

    __name__ = "keras.ops"

    def __getattr__(self, name: str) -> Any:
        return getattr(keras.ops, name)

    @staticmethod
    def astype(x: Any, dtype: Any) -> Any:
        return keras.ops.cast(x, dtype)

    @staticmethod
    def asarray(x: Any, dtype: Any = None) -> Any:
        return keras.ops.convert_to_tensor(x, dtype=dtype)

    @staticmethod
    def isdtype(dtype: Any, kind: str) -> bool:
        name = keras.backend.standardize_dtype(dtype)
        if kind == "real floating":
            return "float" in name
        if kind == "integral":
            return "int" in name
        raise ValueError(f"unsupported dtype kind {kind!r}")

    @staticmethod
    def __array_namespace_info__() -> _KerasOpsInfo:
        return _KerasOpsInfo()


class _KerasOpsInfo:
    _DTYPES: Mapping[str, Mapping[str, str]] = {
        "real floating": {"float32": "float32", "float64": "float64"},
        "signed integer": {"int32": "int32", "int64": "int64"},
        "unsigned integer": {"uint32": "uint32"},
    }

    def dtypes(self, *, device: Any = None, kind: str) -> Mapping[str, str]:
        return self._DTYPES[kind]

    def default_dtypes(self, *, device: Any = None) -> Mapping[str, str]:
        return {"real floating": keras.backend.floatx(), "integral": "int64"}


_KERAS_OPS = _KerasOpsNamespace()


def _evaluate_on_tensorflow(schedule: LearningRateSchedule, step: Any) -> Any:
    # AutoGraph would rewrite lrkit's Python into graph code; it has nothing to do.
    import tensorflow as tf  # type: ignore[import-untyped,import-not-found,unused-ignore]

    return tf.autograph.experimental.do_not_convert(_evaluate_with_keras_ops)(schedule, step)


def _evaluate_with_keras_ops(schedule: LearningRateSchedule, step: Any) -> Any:
    ops = keras.ops
    dtype = keras.backend.standardize_dtype(step.dtype)
    result_dtype = dtype if "float" in dtype else keras.backend.floatx()
    x = ops.cast(step, "float64")
    x = ops.where(x < 0, ops.zeros_like(x), x)
    result = schedule._formula(x, _KERAS_OPS)
    return ops.cast(ops.broadcast_to(result, ops.shape(x)), result_dtype)
