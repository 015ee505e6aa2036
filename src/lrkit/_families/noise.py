"""timm's seeded learning-rate noise, drawn exactly as torch draws it, without torch.

timm's schedulers multiply the rate at step ``t`` by ``1 + noise``, where the
noise comes from a fresh ``torch.Generator`` seeded with ``seed + t``. A
fresh CPU generator is the Mersenne Twister MT19937 with the standard
``init_genrand`` seeding of the seed's low 32 bits, and the draws timm makes
from it are:

* ``torch.randn(1)``: a float64 normal from the Box-Muller transform of two
  53-bit uniforms, each built from two 32-bit outputs (the first one the high
  word); the cosine branch is returned (rounded to float32) and the sine
  branch is cached for the next call, which returns it without drawing;
* ``torch.rand(1)``: the low 24 bits of one 32-bit output, times ``2**-24``.

Python's :mod:`random` runs the same generator in C: seeded with the state
``init_genrand`` builds (computed here), ``getrandbits(32)`` gives MT19937's
outputs. Where torch is already imported, its own generator draws instead
(the same numbers, about 20 times sooner: the seeding loop is what costs in
Python). :class:`TimmNoise` applies the noise to any schedule.
"""

from __future__ import annotations

import functools
import math
import random
import struct
import sys

from lrkit._core import parameters as p
from lrkit._core.arrays import HUGE, is_scalar_ops
from lrkit._core.random import _Wrap32
from lrkit._core.schedule import INF, LearningRateSchedule
from lrkit._core.serialization import builtin
from lrkit._core.validation import show

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["MAX_STD_RATIO", "TimmNoise", "check_noise_ratio", "torch_noise"]

_MASK32 = 0xFFFFFFFF
_MASK53 = (1 << 53) - 1
_NOISE_TYPES = ("normal", "uniform")

# MT19937's constants: state size, shift, seeding multiplier, twist and tempering.
_N, _M = 624, 397
_SEED_MUL = 1812433253
_MATRIX_A, _UPPER, _LOWER = 0x9908B0DF, 0x80000000, 0x7FFFFFFF
_TEMPER_B, _TEMPER_C = 0x9D2C5680, 0xEFC60000


def _seeded_state(seed: int) -> list[int]:
    """MT19937's state after ``init_genrand(seed mod 2**32)`` (as torch seeds it)."""
    word = seed & _MASK32
    state = [word]
    for index in range(1, _N):
        word = (_SEED_MUL * (word ^ (word >> 30)) + index) & _MASK32
        state.append(word)
    return state


def _float32(value: float) -> float:
    """``value`` rounded to the nearest float32 (as a float32 tensor stores it)."""
    rounded: float = struct.unpack("f", struct.pack("f", value))[0]
    return rounded


class _TorchStream:
    """The draws of a fresh ``torch.Generator().manual_seed(seed)`` on the CPU."""

    def __init__(self, seed: int) -> None:
        self._random = random.Random()
        self._random.setstate((3, (*_seeded_state(seed), _N), None))
        self._cached: float | None = None

    def _uniform53(self) -> float:
        high = self._random.getrandbits(32)
        low = self._random.getrandbits(32)
        return (((high << 32) | low) & _MASK53) * 2.0**-53

    def randn(self) -> float:
        """``torch.randn(1, generator=g).item()``: a normal, rounded to float32."""
        if self._cached is not None:
            value, self._cached = self._cached, None
            return _float32(value)
        u1 = self._uniform53()
        u2 = self._uniform53()
        radius = math.sqrt(-2.0 * math.log1p(-u2))
        theta = 2.0 * math.pi * u1
        self._cached = radius * math.sin(theta)
        return _float32(radius * math.cos(theta))

    def rand(self) -> float:
        """``torch.rand(1, generator=g).item()``: a float32 uniform in ``[0, 1)``."""
        return (self._random.getrandbits(32) & 0xFFFFFF) * 2.0**-24


class _TorchGenerator:
    """The same draws as :class:`_TorchStream`, from torch's own generator."""

    def __init__(self, torch: Any, seed: int) -> None:
        self._torch = torch
        self._generator = torch.Generator().manual_seed(seed & _MASK32)

    def randn(self) -> float:
        torch = self._torch
        value: float = torch.randn(1, generator=self._generator, dtype=torch.float32).item()
        return value

    def rand(self) -> float:
        torch = self._torch
        value: float = torch.rand(1, generator=self._generator, dtype=torch.float32).item()
        return value


@functools.lru_cache(maxsize=4096)
def torch_noise(seed: int, noise_type: str, noise_pct: float, noise_std: float) -> float:
    """timm's ``Scheduler._calculate_noise`` for the generator seed ``seed``.

    ``"normal"``: ``randn * noise_std``, drawn again until its magnitude is
    below ``noise_pct``; ``"uniform"``: ``2 * (rand - 0.5) * noise_pct``.
    torch seeds with ``seed mod 2**64`` and the generator keeps its low 32
    bits, so any integer gives torch's draws (torch itself refuses seeds
    outside ``[-2**63, 2**64)``).
    """
    torch = sys.modules.get("torch")
    stream = _TorchStream(seed) if torch is None else _TorchGenerator(torch, seed)
    if noise_type == "uniform":
        return 2.0 * (stream.rand() - 0.5) * noise_pct
    while True:
        noise = stream.randn() * noise_std
        if abs(noise) < noise_pct:
            return noise


#: Normal noise is drawn again until it is below ``noise_pct``: this bounds the
#: expected number of draws (about 1250 at the bound).
MAX_STD_RATIO = 1000.0


def check_noise_ratio(owner: str, noise_pct: float, noise_std: float) -> None:
    """Refuse a ``noise_std`` so far above ``noise_pct`` that timm's redrawing would not end."""
    if noise_std > MAX_STD_RATIO * noise_pct:
        raise ValueError(
            f"{owner}: noise_std must be <= {MAX_STD_RATIO:g} * noise_pct ({show(noise_pct)}) "
            f"for normal noise (it is drawn again until below noise_pct), got {show(noise_std)}"
        )


@builtin
class TimmNoise(LearningRateSchedule):
    r"""timm's seeded noise on a schedule: the rate times :math:`1 + n_t` in a range of steps.

    .. math:: \eta(t) = s(t) + s(t)\, n_t \quad (a \le t < b), \qquad
        \eta(t) = s(t) \text{ elsewhere}

    where :math:`n_t` is the noise timm's schedulers draw at step :math:`t`
    (``noise_range_t``, ``noise_type``, ``noise_pct``, ``noise_std``,
    ``noise_seed``), reproduced bit for bit without torch: with
    :math:`g` a fresh ``torch.Generator`` seeded with ``seed + floor(t)``,

    * ``"normal"``: :math:`n_t = z\,\sigma`, with :math:`z` from
      ``torch.randn(1, generator=g)``, drawn again until
      :math:`|n_t| < p`;
    * ``"uniform"``: :math:`n_t = 2(u - \tfrac12)\,p`, with :math:`u` from
      ``torch.rand(1, generator=g)``.

    The same step always gives the same rate. The draws are computed in
    Python (see :mod:`lrkit._families.noise`), about 0.1 ms per noisy step, or by
    torch's own generator where torch is already imported (a few
    microseconds; the same numbers); the last 4096 are cached. NumPy and
    torch arrays are evaluated element by element on the host (a torch
    array's result goes back to its device), JAX arrays
    through ``jax.pure_callback`` (eagerly, under ``jax.jit`` and ``vmap``).
    Other array libraries (TensorFlow, through :mod:`lrkit.keras`) run the
    generator in integer array operations, which hold the first 112 normal
    draws (56 Box-Muller pairs): enough that a step needs more with
    probability below :math:`2^{-64}` (it would give NaN, never a wrong
    rate) where :math:`p / \sigma \ge 0.42`; smaller ratios raise
    ``ValueError`` there.

    Args:
        schedule: the schedule the noise multiplies.
        start_step: :math:`a \ge 0`, the first noisy step.
        end_step: :math:`b > a`, the first step past the noise, or None for no end.
        noise_type: ``"normal"`` or ``"uniform"``.
        noise_pct: :math:`p > 0`, the largest relative change of the rate.
        noise_std: :math:`\sigma \ge 0`, the standard deviation of normal noise
            (at most :math:`1000\,p`, so that the redrawing ends soon).
        seed: the generator seed at step 0 (an integer; torch and timm use
            ``seed + t`` modulo :math:`2^{32}`).

    Example:
        >>> from lrkit import Constant
        >>> schedule = TimmNoise(Constant(0.1), start_step=10)
        >>> schedule(9), round(schedule(10), 6), round(schedule(11), 6)
        (0.1, 0.085446, 0.082618)

    Reference: timm's ``timm.scheduler.scheduler.Scheduler`` (``_add_noise``).
    """

    #: Integers the array formula mixes by bit operations (see ``lrkit._core.arrays.for_arrays``).
    _integer_attributes = ("seed", "_mixed_seed")

    schedule: LearningRateSchedule = p.schedule()
    start_step: int | float = p.steps(default=0, allow_zero=True)
    end_step: int | float | None = p.steps(default=None)
    noise_type: str = p.choice(_NOISE_TYPES, default="normal")
    noise_pct: float = p.number(default=0.67, minimum=0.0, exclusive_minimum=True)
    noise_std: float = p.number(default=1.0, minimum=0.0)
    seed: int = p.integer(default=42)

    def _derive(self) -> None:
        owner = type(self).__name__
        start, end = self.start_step, self.end_step
        if end is not None and not end > start:
            raise ValueError(
                f"{owner}: end_step must be > start_step ({show(start)}), got {show(end)}"
            )
        if self.noise_type == "normal":
            check_noise_ratio(owner, self.noise_pct, self.noise_std)

    # -- the noise at a step -------------------------------------------------------

    def _noise(self, step: float) -> float:
        """:math:`n_t` at a non-negative step, 0.0 outside the noisy range (and at inf, NaN)."""
        end = self.end_step
        if not (self.start_step <= step < math.inf and (end is None or step < end)):
            return 0.0
        return torch_noise(
            self.seed + math.floor(step), self.noise_type, self.noise_pct, self.noise_std
        )

    def _host_noise(self, steps: Any) -> Any:
        """The noise at each step of a NumPy array, as an array of its dtype."""
        import numpy as np

        steps = np.asarray(steps)
        values = [self._noise(step) for step in steps.ravel().tolist()]
        return np.asarray(values, dtype=np.float64).reshape(steps.shape).astype(steps.dtype)

    def _noise_array(self, step: Any, xp: Any) -> Any:
        library = type(step).__module__.partition(".")[0]
        if library == "numpy":
            return self._host_noise(step)
        if library == "torch":
            import torch

            host = self._host_noise(step.detach().to("cpu", torch.float64).numpy())
            return torch.as_tensor(host, device=step.device).to(step.dtype)
        if library in ("jax", "jaxlib"):
            import jax

            result = jax.ShapeDtypeStruct(step.shape, step.dtype)  # type: ignore[no-untyped-call]
            return jax.pure_callback(self._host_noise, result, step, vmap_method="expand_dims")
        return _array_noise(self, step, xp)

    # -- the schedule ----------------------------------------------------------------

    def _formula(self, step: Any, xp: Any) -> Any:
        value = self.schedule._formula(step, xp)
        noise = self._noise(step) if is_scalar_ops(xp) else self._noise_array(step, xp)
        return value + value * noise

    def __call__(self, step: Any = None) -> Any:
        if not (
            (type(step) is int and 0 <= step < HUGE) or (type(step) is float and 0.0 <= step < INF)
        ):
            return self._call_other(step)
        value = self.schedule.__call__(step)
        return value + value * self._noise(step)


# -- the same draws in integer array operations (for TensorFlow under XLA) ---------

#: Box-Muller pairs the array path draws: the outputs MT19937 gives before
#: its state must be regenerated (227) hold 56 pairs of 4.
_MAX_PAIRS = 56


def _pairs_needed(noise_pct: float, noise_std: float) -> int:
    """Pairs enough that timm needs more with probability below ``2**-64``.

    Raises ``ValueError`` where that takes more than the 56 pairs the array
    path can draw (``noise_pct / noise_std`` below about 0.42).
    """
    accepted = math.erf(noise_pct / (noise_std * math.sqrt(2.0))) if noise_std > 0 else 1.0
    if accepted >= 1.0:
        return 1
    pairs = (math.ceil(64.0 * math.log(2.0) / -math.log1p(-accepted)) + 1) // 2
    if pairs > _MAX_PAIRS:
        raise ValueError(
            f"TimmNoise: noise_pct / noise_std must be >= 0.42 on this array library "
            f"(NumPy, torch and JAX take any ratio), got {show(noise_pct / noise_std)}"
        )
    return max(1, pairs)


def _next_word(word: Any, index: Any) -> Any:
    """``init_genrand``'s recurrence, on int64 arrays of words in [0, 2**32)."""
    return (_Wrap32.mul(word ^ (word // 2**30), _SEED_MUL) + index) & _MASK32


def _seeded_states(seeds: Any, size: int, xp: Any) -> Any:
    """The first ``size`` state words for each seed of a 1-D int64 array: shape (size, n).

    A namespace with ``fori_loop`` and ``slice_update`` (``keras.ops``, which
    runs TensorFlow under XLA) runs the recurrence as a loop, which compiles
    in a moment where hundreds of unrolled steps would take minutes.
    """
    loop = getattr(xp, "fori_loop", None)
    if loop is None:
        words = [seeds]
        for index in range(1, size):
            words.append(_next_word(words[-1], index))
        return xp.stack(words)
    int64 = seeds.dtype

    def body(index: Any, carry: tuple[Any, Any]) -> tuple[Any, Any]:
        word, state = carry
        word = _next_word(word, xp.astype(index, int64))
        return word, xp.slice_update(state, (index, 0), word[None, :])

    state = xp.zeros((size, seeds.shape[0]), dtype=int64)
    state = xp.slice_update(state, (0, 0), seeds[None, :])
    return loop(1, size, body, (seeds, state))[1]


def _mt_outputs(seeds: Any, count: int, xp: Any) -> Any:
    """MT19937's first ``count`` (<= 227) outputs per seed, shape (count, n).

    Output ``i`` twists state word ``i`` with words ``i + 1`` and ``i + 397``
    (none regenerated yet for ``i < 227``), then tempers it. Shifts are
    floor divisions and products, which every array library has.
    """
    state = _seeded_states(seeds, _M + count, xp)
    y = (state[:count] & _UPPER) + (state[1 : count + 1] & _LOWER)
    y = state[_M : _M + count] ^ (y // 2) ^ ((y & 1) * _MATRIX_A)
    y = y ^ (y // 2**11)
    y = y ^ ((y * 2**7) & _TEMPER_B)
    y = y ^ ((y * 2**15) & _TEMPER_C)
    return y ^ (y // 2**18)


def _array_noise(noise: TimmNoise, step: Any, xp: Any) -> Any:
    """:meth:`TimmNoise._noise` on an array of any library with int64 and float64."""
    info = xp.__array_namespace_info__()
    int64 = info.dtypes(kind="signed integer").get("int64")
    floats = info.dtypes(kind="real floating")
    float64, float32 = floats.get("float64"), floats.get("float32")
    if int64 is None or float64 is None or float32 is None:
        raise TypeError(f"TimmNoise needs int64, float32 and float64 arrays, not {xp.__name__}")
    x = xp.reshape(xp.astype(step, float64), (-1,))
    whole = xp.floor(x)
    finite = xp.isfinite(whole)
    noisy = finite & (x >= noise.start_step)
    if noise.end_step is not None:
        noisy = noisy & (x < noise.end_step)
    whole = xp.where(finite, whole, xp.zeros_like(whole)) + float(noise.seed & _MASK32)
    seeds = xp.astype(whole - xp.floor(whole / 4294967296.0) * 4294967296.0, int64)
    if noise.noise_type == "uniform":
        output = _mt_outputs(seeds, 1, xp)[0]
        drawn = 2.0 * (xp.astype(output & 0xFFFFFF, float64) * 2.0**-24 - 0.5) * noise.noise_pct
    else:
        pairs = _pairs_needed(noise.noise_pct, noise.noise_std)
        words = xp.reshape(_mt_outputs(seeds, 4 * pairs, xp), (pairs, 4, -1))
        # A uniform from two words: the low 53 bits of (first << 32 | second).
        top = xp.astype(words & 0x1FFFFF, float64) * 4294967296.0
        uniforms = (top[:, ::2] + xp.astype(words[:, 1::2], float64)) * 2.0**-53
        radius = xp.sqrt(-2.0 * xp.log1p(-uniforms[:, 1]))
        theta = 2.0 * math.pi * uniforms[:, 0]
        # The draws in torch's order: each pair's cosine branch, then its sine branch.
        normals = xp.reshape(
            xp.stack([radius * xp.cos(theta), radius * xp.sin(theta)], axis=1), (2 * pairs, -1)
        )
        values = xp.astype(xp.astype(normals, float32), float64) * noise.noise_std
        accepted = xp.abs(values) < noise.noise_pct
        first = xp.argmax(xp.astype(accepted, int64), axis=0)
        drawn = xp.take_along_axis(values, first[None, :], axis=0)[0]
        # Needing more draws has probability below 2**-64: NaN, never a silent wrong rate.
        drawn = xp.where(xp.any(accepted, axis=0), drawn, xp.full_like(drawn, math.nan))
    drawn = xp.where(noisy, drawn, xp.zeros_like(drawn))
    return xp.astype(xp.reshape(drawn, step.shape), step.dtype)
