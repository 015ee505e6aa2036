"""Keras 3's ``keras.ops`` as the array namespace of lrkit's formulas (TensorFlow backend).

array-api-compat has no TensorFlow namespace, and a tensor inside
``tf.function`` (compiled by XLA, as Keras does by default) cannot be turned
into NumPy. So on Keras's TensorFlow backend a schedule's formula runs on
``keras.ops``, in float64, with lrkit's rules for steps (negative steps are
step 0).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import keras  # type: ignore[import-untyped,unused-ignore]

from lrkit._core.arrays import for_arrays
from lrkit._core.schedule import LearningRateSchedule

__all__ = ["evaluate_on_tensorflow"]
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


def evaluate_on_tensorflow(schedule: LearningRateSchedule, step: Any) -> Any:
    # AutoGraph would rewrite lrkit's Python into graph code; it has nothing to do.
    import tensorflow as tf  # type: ignore[import-untyped,import-not-found,unused-ignore]

    return tf.autograph.experimental.do_not_convert(_evaluate_with_keras_ops)(schedule, step)


def _evaluate_with_keras_ops(schedule: LearningRateSchedule, step: Any) -> Any:
    ops = keras.ops
    dtype = keras.backend.standardize_dtype(step.dtype)
    result_dtype = dtype if "float" in dtype else keras.backend.floatx()
    x = ops.cast(step, "float64")
    x = ops.where(x < 0, ops.zeros_like(x), x)
    result = for_arrays(schedule)._formula(x, _KERAS_OPS)
    return ops.cast(ops.broadcast_to(result, ops.shape(x)), result_dtype)
