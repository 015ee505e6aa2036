"""Array dispatch: run one schedule formula on whatever kind of step arrives.

A schedule's formula is written once as ``formula(step, xp)``, where ``step``
is already a non-negative float (scalar or array) and ``xp`` is an array
namespace. Python numbers take :class:`ScalarOps`, a namespace of ``math``
functions; arrays take their library's Array API namespace, found by
``array-api-compat``. No array library (not even ``array-api-compat``) is
imported until a step of its kind arrives.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


__all__ = [
    "ScalarOps",
    "evaluate_array",
    "is_scalar_ops",
    "mix_seed",
    "power",
    "scalar_standard_normal",
    "standard_normal",
]


_UINT32_MASK = 0xFFFFFFFF


class ScalarOps:
    """The subset of the Array API the formulas use, on Python floats.

    NaN propagates as it does in NumPy: ``minimum(nan, 1.0)`` is ``nan``.
    """

    cos = staticmethod(math.cos)
    exp = staticmethod(math.exp)
    log = staticmethod(math.log)
    sqrt = staticmethod(math.sqrt)
    tanh = staticmethod(math.tanh)

    @staticmethod
    def minimum(a: float, b: float) -> float:
        return b if b < a else a

    @staticmethod
    def maximum(a: float, b: float) -> float:
        return b if b > a else a

    @staticmethod
    def where(condition: bool, a: float, b: float) -> float:
        return a if condition else b

    @staticmethod
    def floor(x: float) -> float:
        return float(math.floor(x)) if math.isfinite(x) else x

    @staticmethod
    def ceil(x: float) -> float:
        return float(math.ceil(x)) if math.isfinite(x) else x


def is_scalar_ops(xp: Any) -> bool:
    """Whether a formula is running on Python floats."""
    return xp is ScalarOps


def power(base: Any, exponent: Any, xp: Any) -> Any:
    """``base ** exponent`` for a positive ``base``, giving ``inf`` on overflow.

    Python floats raise ``OverflowError`` where arrays (and Keras) give
    ``inf``, e.g. a growth rate ``decay_rate > 1`` at a very large step.
    """
    if is_scalar_ops(xp):
        try:
            return base**exponent
        except OverflowError:
            return math.inf
    return base**exponent


def powers(base: float, count: int) -> list[float]:
    """``[base ** 0.0, base ** 1.0, ...]``, ``count`` of them, each as :func:`power` gives it.

    Scalar fast paths look these up where the formula raises ``base`` to a
    small whole exponent, with the same value bit for bit.
    """
    return [power(base, float(k), ScalarOps) for k in range(count)]


class _Wrap32:
    """32-bit wrap-around arithmetic on Python ints and int64 arrays (masked).

    Products are formed from 16-bit halves of the constant, so no intermediate
    leaves int64's range (NumPy warns when a scalar product overflows). Shifts
    of arrays are written as products and floor divisions, which every array
    type has (TensorFlow tensors, used by ``lrkit.keras``, have no ``<<``/``>>``).
    """

    @staticmethod
    def constant(c: int) -> Any:
        return c

    @staticmethod
    def mul(h: Any, c: int) -> Any:
        """``h * c mod 2**32`` for ``0 <= h, c < 2**32``."""
        high = (h * (c >> 16)) & 0xFFFF
        return (h * (c & 0xFFFF) + high * 0x10000) & _UINT32_MASK


class _Native32:
    """The same on uint32 arrays, which wrap by themselves (JAX without x64)."""

    def __init__(self, xp: Any, dtype: Any) -> None:
        self.xp, self.dtype = xp, dtype

    def constant(self, c: int) -> Any:
        return self.xp.asarray(c, dtype=self.dtype)

    def mul(self, h: Any, c: int) -> Any:
        return h * self.constant(c)


def _hash_uint32(h: Any, ops: Any) -> Any:
    """A 32-bit integer mixer (the "lowbias32" constants), wrap-around exact.

    ``h // 0x10000`` is ``h >> 16`` for the non-negative ``h`` it gets.
    """
    h = h ^ (h // 0x10000)
    h = ops.mul(h, 0x7FEB352D)
    h = h ^ (h // 0x8000)
    h = ops.mul(h, 0x846CA68B)
    return h ^ (h // 0x10000)


def mix_seed(seed: int) -> int:
    """A 32-bit hash of an integer seed of any size and sign; every bit counts.

    :func:`standard_normal` mixes its seed with it; scalar paths mix once per schedule.

    Seeds in ``[0, 2**32)`` hash their one word; each further 32-bit word is
    folded in, and a negative seed adds a final sign mark.
    """
    mixed: int = _hash_uint32(seed & _UINT32_MASK, _Wrap32)
    rest = seed >> 32
    while rest not in (0, -1):
        mixed = _hash_uint32(mixed ^ _hash_uint32(rest & _UINT32_MASK, _Wrap32), _Wrap32)
        rest >>= 32
    if rest == -1:
        mixed = _hash_uint32(mixed ^ 0x85EBCA6B, _Wrap32)
    return mixed


def standard_normal(step: Any, seed: int, xp: Any) -> Any:
    """A standard-normal draw that is a pure function of ``(seed, floor(step))``.

    Counter-based: the integer step is hashed with the seed into two uniform
    numbers, turned into a normal by the Box-Muller transform. The same step
    gives the same number on every array library and under ``jax.jit``.
    """
    mixed_seed = mix_seed(seed)
    ops: Any = _Wrap32
    if is_scalar_ops(xp):
        counter = math.floor(step) & _UINT32_MASK if math.isfinite(step) else 0
        to_float: Callable[[Any], Any] = float
    else:
        counter, ops = _to_counter(step, xp)
        dtype = step.dtype

        def to_float(h: Any) -> Any:
            return xp.astype(h, dtype)

    first = _hash_uint32(counter ^ ops.constant(mixed_seed), ops)
    second = _hash_uint32(first ^ ops.constant(0x9E3779B9), ops)
    u1 = (to_float(first) + 0.5) / 4294967296.0
    u2 = (to_float(second) + 0.5) / 4294967296.0
    return xp.sqrt(-2.0 * xp.log(u1)) * xp.cos(2.0 * math.pi * u2)


def scalar_standard_normal(step: float, mixed_seed: int) -> float:
    """:func:`standard_normal` on a Python number, with the seed already mixed.

    The same hash and Box-Muller transform on Python ints (which need no
    masking of intermediate products), so the same value as the array path.
    """
    counter = math.floor(step) & _UINT32_MASK if math.isfinite(step) else 0
    first = _hash_int(counter ^ mixed_seed)
    second = _hash_int(first ^ 0x9E3779B9)
    u1 = (float(first) + 0.5) / 4294967296.0
    u2 = (float(second) + 0.5) / 4294967296.0
    return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)


def _hash_int(h: int) -> int:
    """:func:`_hash_uint32` on a Python int in ``[0, 2**32)``."""
    h ^= h >> 16
    h = (h * 0x7FEB352D) & _UINT32_MASK
    h ^= h >> 15
    h = (h * 0x846CA68B) & _UINT32_MASK
    return h ^ (h >> 16)


def _to_counter(step: Any, xp: Any) -> tuple[Any, Any]:
    """``floor(step) mod 2**32`` as int64 or, where there is none, uint32."""
    info = xp.__array_namespace_info__()
    int64 = info.dtypes(kind="signed integer").get("int64")
    whole = xp.floor(step)
    whole = xp.where(xp.isfinite(whole), whole, 0.0)
    whole = whole - xp.floor(whole / 4294967296.0) * 4294967296.0
    if int64 is not None:
        return xp.astype(whole, int64), _Wrap32
    uint32 = info.dtypes(kind="unsigned integer")["uint32"]
    return xp.astype(whole, uint32), _Native32(xp, uint32)


_ARRAY_MODULES = ("numpy", "torch", "jax", "jaxlib", "cupy", "dask", "sparse", "ndonnx")

#: NumPy scalar type -> its result type, for the scalars that the Python-number
#: path computes exactly as the array path does (integers and float64, both
#: computed in float64): ``schedule(np.int64(5))`` is ``np.float64(schedule(5.0))``.
#: Filled when the first NumPy scalar arrives (``import lrkit`` imports no NumPy).
NUMPY_SCALARS: dict[type, Callable[[float], Any]] = {}


def numpy_scalar_result(kind: type) -> Callable[[float], Any] | None:
    """The result type for a NumPy scalar step of type ``kind``, or None."""
    if not NUMPY_SCALARS and kind.__module__ == "numpy":
        import numpy as np

        for code in "bBhHiIlLqQpP":
            NUMPY_SCALARS[np.dtype(code).type] = np.float64
        NUMPY_SCALARS[np.float64] = np.float64
    return NUMPY_SCALARS.get(kind)


def _library_of(step: Any) -> str:
    return type(step).__module__.partition(".")[0]


def evaluate_array(formula: Callable[[Any, Any], Any], step: Any) -> Any:
    """Evaluate ``formula`` on a non-Python-number ``step``.

    Arrays keep their library, shape and device. The result is floating: a
    floating step keeps its dtype, any other real step gives the library's
    default float (computed in float64 where the library has it, so integer
    steps lose no precision before the final cast).
    """
    if isinstance(step, (bool, complex)):
        raise TypeError(f"step must be a real number or array, got {step!r}")
    if _library_of(step) not in _ARRAY_MODULES:
        if hasattr(step, "__array__"):
            import numpy as np

            step = np.asarray(step)
        elif hasattr(step, "__float__"):
            value = float(step)
            return formula(0.0 if value < 0 else value if value < math.inf else math.nan, ScalarOps)
        else:
            raise TypeError(
                f"step must be a number or an array, got {type(step).__name__}: {step!r}"
            )
    from array_api_compat import array_namespace

    xp = array_namespace(step)
    compute_dtype, result_dtype = _float_dtypes(step, xp)
    if _is_numpy_array(step):
        x, result = _evaluate_numpy(formula, step, compute_dtype, xp)
    else:
        # A new array, negative steps at 0 (NaN stays NaN): one pass, no copy first.
        x = xp.clip(xp.astype(step, compute_dtype, copy=False), min=0)
        if compute_dtype == step.dtype and _may_hold_inf(x):  # a floating step: +inf gives NaN
            x = xp.where(x == math.inf, xp.full_like(x, math.nan), x)
        result = formula(x, xp)
    if not hasattr(result, "dtype"):
        result = xp.full_like(x, result)
    if result.dtype != result_dtype:
        result = xp.astype(result, result_dtype)
    return result


def _may_hold_inf(x: Any) -> bool:
    """False where a CPU torch array surely holds no ``+inf`` (one reduction, no new array).

    Arrays of other libraries, and torch arrays on an accelerator (where
    reading the answer would wait for the device), are assumed to.
    """
    if _library_of(x) != "torch" or x.device.type != "cpu" or x.numel() == 0:
        return True
    return not bool(x.max() < math.inf)  # a NaN maximum may hide a +inf


def _is_numpy_array(x: Any) -> bool:
    kind = type(x)
    return kind.__module__ == "numpy" and kind.__name__ == "ndarray"


#: NumPy steps beyond two blocks are evaluated one block at a time.
_BLOCK = 1 << 15


def _evaluate_numpy(
    formula: Callable[[Any, Any], Any], step: Any, dtype: Any, xp: Any
) -> tuple[Any, Any]:
    """(the steps as ``dtype``, the rates) for a NumPy array of steps.

    The steps are copied to ``dtype`` with negative steps set to 0 (NaN stays
    NaN, ``+inf`` becomes NaN). A long array is converted and evaluated a block at a time, each
    block's rates overwriting its steps: the formula's temporaries stay small
    enough for the CPU cache, and the peak memory is about the result's.
    Formulas are elementwise (each rate depends on its own step only), so the
    rates are those of one call on the whole array.
    """
    import numpy as np

    x = np.empty(step.shape, dtype)
    if step.dtype.kind == "f" and step.size and np.fmax.reduce(step, axis=None) == np.inf:
        step = np.where(step == np.inf, np.nan, step)  # +inf gives NaN
    if x.size <= 2 * _BLOCK:
        _at_least_zero(x, step)
        return x, formula(x, xp)
    # Integer steps, none negative (one cheap pass tells): a plain cast, which
    # costs half what casting inside np.maximum does.
    convert = np.copyto if step.dtype.kind in "iu" and step.min() >= 0 else _at_least_zero
    flat = x.reshape(-1)
    if step.flags.c_contiguous:
        source = step.reshape(-1)
    else:
        source = flat
        convert(x, step)
    for start in range(0, flat.size, _BLOCK):
        block = flat[start : start + _BLOCK]
        if source is not flat:
            convert(block, source[start : start + _BLOCK])
        rates = formula(block, xp)
        if start == 0 and getattr(rates, "dtype", dtype) != dtype:
            convert(x, step)  # rates of another dtype: evaluate the whole array
            return x, formula(x, xp)
        block[...] = rates
    return x, x


def _at_least_zero(out: Any, step: Any) -> None:
    import numpy as np

    np.maximum(step, 0, out=out)


def _float_dtypes(step: Any, xp: Any) -> tuple[Any, Any]:
    """(dtype to compute in, dtype to return) for a step array."""
    dtype = step.dtype
    if xp.isdtype(dtype, "real floating"):
        return dtype, dtype
    if not xp.isdtype(dtype, "integral"):
        raise TypeError(f"step must have a real integer or floating dtype, got {dtype}")
    device = _device_for_dtypes(step, xp)
    info = xp.__array_namespace_info__()
    default = info.default_dtypes(device=device)["real floating"]
    wide = info.dtypes(device=device, kind="real floating").get("float64", default)
    return wide, default


def _device_for_dtypes(step: Any, xp: Any) -> Any:
    # Only torch's dtype support depends on the device (MPS has no float64);
    # asking a JAX tracer for its device fails, so ask no one else.
    if "torch" in sys.modules and xp.__name__.endswith("torch"):
        return step.device
    return None
