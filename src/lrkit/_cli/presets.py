"""Named schedules for ``lrkit show`` and the other commands.

Each preset is stored serialized (the dict :func:`lrkit.serialize` writes),
so a preset goes through exactly the same :func:`lrkit.deserialize` path as a
JSON file or JSON text given on the command line.
"""

from __future__ import annotations

from lrkit._core.serialization import serialize
from lrkit._families.keras_decays import (
    CosineDecay,
    CosineDecayRestarts,
    ExponentialDecay,
    PiecewiseConstantDecay,
    PolynomialDecay,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


__all__ = ["DEFAULT_PRESET", "DESCRIPTIONS", "PRESETS"]

#: The preset ``lrkit show`` displays when no SPEC is given.
DEFAULT_PRESET = "warmup-cosine"

#: Preset name -> serialized schedule.
PRESETS: dict[str, dict[str, Any]] = {
    "warmup-cosine": serialize(
        CosineDecay(0.0, decay_steps=9_000, warmup_target=1e-3, warmup_steps=1_000)
    ),
    "cosine": serialize(CosineDecay(0.1, decay_steps=10_000)),
    "linear": serialize(PolynomialDecay(1e-3, decay_steps=10_000, end_learning_rate=0.0)),
    "exponential": serialize(ExponentialDecay(0.1, decay_steps=1_000, decay_rate=0.5)),
    "step": serialize(PiecewiseConstantDecay([5_000, 7_500], [0.1, 0.01, 0.001])),
    "sgdr": serialize(
        CosineDecayRestarts(0.1, first_decay_steps=1_000, t_mul=2.0, m_mul=0.8, alpha=0.01)
    ),
}

#: Preset name -> one line for ``lrkit show --list-presets``.
DESCRIPTIONS: dict[str, str] = {
    "warmup-cosine": "linear warmup 0 -> 1e-3 over 1,000 steps, then cosine decay over 9,000",
    "cosine": "cosine decay from 0.1 to 0 over 10,000 steps",
    "linear": "linear decay from 1e-3 to 0 over 10,000 steps",
    "exponential": "0.1, halved every 1,000 steps (smoothly)",
    "step": "0.1, then 0.01 after step 5,000 and 0.001 after step 7,500",
    "sgdr": "cosine with warm restarts: periods of 1,000, 2,000, 4,000... steps, "
    "each restart at 0.8x the previous peak",
}
