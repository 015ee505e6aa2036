"""TensorFlow as the array namespace of lrkit's formulas, for ``lrkit.tf_keras``.

tf.keras 2.x (the ``tf_keras`` package) evaluates a schedule on
``optimizer.iterations``, a ``tf.Variable``, inside the ``tf.function`` of
its train step, where a tensor cannot be turned into NumPy, and
array-api-compat has no TensorFlow namespace. So the formula runs on
TensorFlow's NumPy API (``tf.experimental.numpy``) plus the few Array API
functions it lacks, in float64, with lrkit's rules for steps: negative steps
are step 0, ``+inf`` gives NaN, an integer step gives a ``float32`` rate (a
floating step keeps its dtype).

Imported by ``lrkit.tf_keras`` only; it imports TensorFlow.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import tensorflow as tf  # type: ignore[import-untyped,import-not-found,unused-ignore]
import tensorflow.experimental.numpy as tnp  # type: ignore[import-untyped,import-not-found,unused-ignore]

from lrkit._core.arrays import for_arrays
from lrkit._core.schedule import LearningRateSchedule

__all__ = ["evaluate_on_tensorflow"]


class _TensorFlowNamespace:
    """The Array API functions lrkit's formulas use, on TensorFlow tensors."""

    __name__ = "tensorflow"

    def __getattr__(self, name: str) -> Any:
        return getattr(tnp, name)

    @staticmethod
    def astype(x: Any, dtype: Any, copy: bool = True) -> Any:
        return tf.cast(x, dtype)

    @staticmethod
    def asarray(x: Any, dtype: Any = None, **_: Any) -> Any:
        return tnp.asarray(x, dtype=dtype)

    @staticmethod
    def clip(x: Any, min: Any = None, max: Any = None) -> Any:  # the Array API names
        if min is not None:
            x = tnp.maximum(x, min)
        if max is not None:
            x = tnp.minimum(x, max)
        return x

    @staticmethod
    def searchsorted(sorted_values: Any, values: Any, side: str = "left") -> Any:
        return tf.searchsorted(sorted_values, values, side=side, out_type=tf.int64)

    @staticmethod
    def slice_update(x: Any, start: Any, update: Any) -> Any:
        """``x`` with ``update`` written at offset ``start`` (as ``keras.ops.slice_update``)."""
        ranges = [tf.range(n, dtype=tf.int64) for n in tf.unstack(tf.shape(update, tf.int64))]
        grid = tf.stack(tf.meshgrid(*ranges, indexing="ij"), axis=-1)
        offset = tf.stack([tf.cast(s, tf.int64) for s in start])
        return tf.tensor_scatter_nd_update(x, grid + offset, update)

    @staticmethod
    def isdtype(dtype: Any, kind: str) -> bool:
        dtype = tf.as_dtype(dtype)
        if kind == "real floating":
            return bool(dtype.is_floating)
        if kind == "integral":
            return bool(dtype.is_integer)
        raise ValueError(f"unsupported dtype kind {kind!r}")

    @staticmethod
    def __array_namespace_info__() -> _TensorFlowInfo:
        return _TensorFlowInfo()


class _TensorFlowInfo:
    _DTYPES: Mapping[str, Mapping[str, Any]] = {
        "real floating": {"float32": tf.float32, "float64": tf.float64},
        "signed integer": {"int32": tf.int32, "int64": tf.int64},
        "unsigned integer": {"uint32": tf.uint32},
    }

    def dtypes(self, *, device: Any = None, kind: str) -> Mapping[str, Any]:
        return self._DTYPES[kind]

    def default_dtypes(self, *, device: Any = None) -> Mapping[str, Any]:
        return {"real floating": tf.float32, "integral": tf.int64}


_TF = _TensorFlowNamespace()


def evaluate_on_tensorflow(schedule: LearningRateSchedule, step: Any, floatx: str) -> Any:
    """``schedule(step)`` for a TensorFlow tensor or variable, eager or inside ``tf.function``.

    ``floatx`` is the dtype of the rate for an integer step (Keras's ``floatx()``).
    """
    # AutoGraph would rewrite lrkit's Python into graph code; it has nothing to do.
    return tf.autograph.experimental.do_not_convert(_evaluate)(schedule, step, floatx)


def _evaluate(schedule: LearningRateSchedule, step: Any, floatx: str) -> Any:
    step = tf.convert_to_tensor(step)
    if step.dtype.is_bool or step.dtype.is_complex:
        raise TypeError(f"step must be a real number or array, got a {step.dtype.name} tensor")
    result_dtype = step.dtype if step.dtype.is_floating else tf.as_dtype(floatx)
    x = tf.cast(step, tf.float64)
    x = tf.where(x < 0.0, tf.zeros_like(x), x)
    x = tf.where(x == math.inf, tf.fill(tf.shape(x), tf.constant(math.nan, tf.float64)), x)
    result = for_arrays(schedule)._formula(x, _TF)
    return tf.cast(tf.broadcast_to(result, tf.shape(x)), result_dtype)
