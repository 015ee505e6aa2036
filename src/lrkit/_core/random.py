"""Counter-based noise: a standard-normal draw that is a pure function of (seed, step).

Integer steps are hashed with a 32-bit mixer (wrap-around exact on Python
ints, int64 arrays and, where there is no int64, uint32 arrays) into two
uniform numbers, turned into a normal by the Box-Muller transform, so the same
step gives the same number on every array library and under ``jax.jit``.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from lrkit._core.arrays import is_scalar_ops

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["mix_seed", "scalar_standard_normal", "standard_normal"]

_UINT32_MASK = 0xFFFFFFFF


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
