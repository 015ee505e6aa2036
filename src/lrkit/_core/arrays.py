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
from bisect import bisect_left, bisect_right
from collections.abc import Callable

from lrkit._core import scalar_ops as _scalar_ops

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


__all__ = [
    "HUGE",
    "LARGEST_FLOAT",
    "ScalarOps",
    "evaluate_array",
    "for_arrays",
    "is_scalar_ops",
    "keep_nan",
    "lookup",
    "power",
]


#: Python int steps from this one on have no float (``float(step)`` raises
#: ``OverflowError``): the scalar paths send them to ``_call_other``, which
#: evaluates them as :data:`LARGEST_FLOAT`, the largest finite step a float
#: holds (so a decay gives its final rate, as at any step past its end).
HUGE = 2**1024 - 2**970  # from here on, float() rounds up to 2**1024
LARGEST_FLOAT = sys.float_info.max


#: The namespace formulas get for Python numbers (see :mod:`lrkit._core.scalar_ops`).
ScalarOps = _scalar_ops


def is_scalar_ops(xp: Any) -> bool:
    """Whether a formula is running on Python floats."""
    return xp is ScalarOps


def keep_nan(step: Any, value: Any, xp: Any) -> Any:
    """``value``, except NaN where the step is NaN.

    For a formula whose value may not carry a NaN step through (``1.0 ** nan``
    is 1).
    """
    if xp is ScalarOps:
        return value if step == step else step
    return xp.where(step == step, value, step)


def power(base: Any, exponent: Any, xp: Any) -> Any:
    """``base ** exponent`` for a positive ``base``, giving ``inf`` on overflow.

    Python floats raise ``OverflowError`` where arrays (and Keras) give
    ``inf``, e.g. a growth rate ``decay_rate > 1`` at a very large step.
    """
    if xp is ScalarOps:
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


def lookup(
    edges: list[float], values: list[float], step: Any, xp: Any, *, right: bool = False
) -> Any:
    """``values[i]`` at each step of an array, ``i`` the number of ``edges`` below it.

    ``edges`` is sorted; a step equal to an edge counts it as below with
    ``right=True`` (``bisect_right``) and not with ``right=False``
    (``bisect_left``, Keras's ``step <= boundary``). ``values`` has one more
    entry than ``edges``; a NaN step gives NaN.

    Work per step grows with the logarithm of the number of edges: the
    namespace's ``searchsorted`` on the edges as an array of the step's dtype
    (so each comparison is the one ``step > edge`` makes in that dtype). A
    namespace without ``searchsorted`` compares with each edge in turn.

    Example:
        >>> import numpy as np
        >>> from array_api_compat import array_namespace
        >>> steps = np.asarray([0.0, 10.0, 10.5, np.nan])
        >>> lookup([10.0], [1.0, 0.5], steps, array_namespace(steps)).tolist()
        [1.0, 1.0, 0.5, nan]
        >>> lookup([10.0], [1.0, 0.5], steps, array_namespace(steps), right=True).tolist()
        [1.0, 0.5, 0.5, nan]
    """
    if xp is ScalarOps:
        if step != step:
            return step
        return values[bisect_right(edges, step) if right else bisect_left(edges, step)]
    keep_nan = step == step
    if not edges:
        return xp.where(keep_nan, values[0], step)
    search = getattr(xp, "searchsorted", None)
    if search is None:
        result = xp.where(keep_nan, values[0], step)
        for edge, value in zip(edges, values[1:], strict=True):
            result = xp.where((step >= edge) if right else (step > edge), value, result)
        return result
    # One dimension, as the Array API's searchsorted and take expect (and torch's take needs).
    flat = xp.reshape(step, (-1,))
    index = search(_as_array(edges, flat, xp), flat, side="right" if right else "left")
    found = xp.reshape(xp.take(_as_array(values, flat, xp), index), tuple(step.shape))
    return xp.where(keep_nan, found, step)


def _as_array(numbers: list[float], like: Any, xp: Any) -> Any:
    """``numbers`` as a 1-D array of ``like``'s dtype, on its device."""
    if _library_of(like) == "torch":
        return xp.asarray(numbers, dtype=like.dtype, device=like.device)
    return xp.asarray(numbers, dtype=like.dtype)


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


# -- the schedule as the array formulas see it ----------------------------------------


def for_arrays(schedule: Any) -> Any:
    """A copy of ``schedule`` whose integer constants are floats, for array formulas.

    Step counts are stored as given (``decay_steps=10**10`` stays an ``int``
    in the config), but a Python ``int`` meeting an array converts to the
    array library's integer type first: JAX without x64 refuses ints from
    ``2**31`` (``OverflowError``, eager and under ``jit``), torch from
    ``2**63``. Every formula runs on arrays through this copy, in which each
    ``int`` attribute (not ``bool``), each ``int`` in a list or tuple, and
    each nested schedule is converted the same way, so a step count of any
    size meets an array as the float it equals (exactly, up to ``2**53``).

    A class lists the attributes that must stay integers (a seed mixed by
    bit operations) in ``_integer_attributes``. The copy is made per call and
    never stored: a schedule with state (``ReduceOnPlateau``) is copied as it
    is now. The cost is one pass over the schedule's attributes, the size of
    its config.

    Example:
        >>> import lrkit
        >>> schedule = lrkit.PiecewiseConstantDecay([10**10], [0.1, 0.01])
        >>> for_arrays(schedule).boundaries, schedule.boundaries
        ([10000000000.0], [10000000000])
    """
    kind = type(schedule)
    keep: Any = getattr(kind, "_integer_attributes", ())
    view = object.__new__(kind)
    view.__dict__.update(
        {
            name: value if name in keep else _float_constants(value)
            for name, value in schedule.__dict__.items()
        }
    )
    return view


def _float_constants(value: Any) -> Any:
    kind = type(value)
    if kind is int:
        return _int_to_float(value)
    if kind is list or kind is tuple:
        return kind(_float_constants(item) for item in value)
    if hasattr(kind, "_formula") and hasattr(value, "__dict__"):  # a nested schedule
        return for_arrays(value)
    return value


def _int_to_float(value: int) -> float:
    try:
        return float(value)
    except OverflowError:  # beyond float's range (validation allows up to 2**1024)
        return math.copysign(math.inf, value)


def evaluate_array(formula: Callable[[Any, Any], Any], step: Any) -> Any:
    """Evaluate ``formula`` on a non-Python-number ``step``.

    Arrays keep their library, shape and device. The result is floating: a
    floating step keeps its dtype, any other real step gives the library's
    default float (computed in float64 where the library has it, so integer
    steps lose no precision before the final cast). Half-precision steps
    (float16, bfloat16) are computed in float32 and the float32 rates are
    rounded to the step's dtype once, at the end. A schedule's formula runs
    on :func:`for_arrays`'s copy of it.
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

    owner = getattr(formula, "__self__", None)
    if owner is not None and hasattr(type(owner), "_formula"):  # a schedule's own formula
        formula = getattr(for_arrays(owner), formula.__name__)
    xp = array_namespace(step)
    if _library_of(step) == "numpy":
        import numpy as np

        # The formulas' IEEE results are the rates (a rate past float's range is
        # inf, as on every array library): NumPy, alone in warning about them,
        # is told not to. torch and JAX never warn.
        with np.errstate(all="ignore"):
            return _evaluate(formula, step, xp)
    return _evaluate(formula, step, xp)


def _evaluate(formula: Callable[[Any, Any], Any], step: Any, xp: Any) -> Any:
    compute_dtype, result_dtype = _float_dtypes(step, xp)
    if _is_numpy_array(step):
        x, result = _evaluate_numpy(formula, step, compute_dtype, xp)
    else:
        # A new array, negative steps at 0 (NaN stays NaN): one pass, no copy first.
        x = xp.clip(xp.astype(step, compute_dtype, copy=False), min=0)
        if result_dtype == step.dtype and _may_hold_inf(x):  # a floating step: +inf gives NaN
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
        if xp.finfo(dtype).bits < 32:  # float16, bfloat16: too coarse for the formulas
            return xp.float32, dtype
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
