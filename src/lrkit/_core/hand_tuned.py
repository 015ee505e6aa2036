"""The one place that lists the schedules whose Python-number path is written by hand.

Every other schedule's ``__call__`` is derived from its one description (its
pieces, or its ``_formula``). A class listed here also overrides ``__call__``
with the same formula written for Python numbers, because a row of
``python -m benchmarks --only scalar`` showed the derived path missing its
target; the reason names that row. The test suite checks that exactly these
classes override ``__call__`` and that both paths agree on every step it
tries.
"""

from __future__ import annotations

__all__ = ["HAND_TUNED_SCALAR"]

#: Class name -> why its scalar path is written by hand (the benchmark row).
HAND_TUNED_SCALAR: dict[str, str] = {
    # Schedules that wrap schedules call their parts' own scalar paths
    # (part.__call__); derived from _formula they would run the parts' array
    # formulas on Python numbers (every piece), which compounds when nested:
    # Scale(Warmup(WarmupStableDecay)) 1.9x. Ratios: derived / own, scalar rows.
    "Warmup": "wraps a schedule; derived 1.8x (scalar row Warmup)",
    "Join": "wraps schedules; derived 2.9x (scalar row Join)",
    "Shift": "wraps a schedule; derived 1.2x, nested 1.9x (scalar row Shift at 1.10x its parts)",
    "Scale": "wraps a schedule; derived 1.25x: 1.36x its parts, target 1.3 (scalar row Scale)",
    "Offset": "wraps a schedule; derived 1.2x, nested 1.9x (scalar row Offset at 1.07x its parts)",
    "Clip": "wraps a schedule; derived 1.35x (scalar row Clip)",
    "Sum": "wraps schedules; derived 1.3x: 1.6x its parts, target 1.3 (scalar row Sum)",
    "Product": "wraps schedules; derived 1.3x: 1.6x its parts, target 1.3 (scalar row Product)",
    "TimmNoise": "wraps a schedule; derived 1.2x: 1.4x its parts (scalar row TimmNoise)",
    "ReduceOnPlateau": "wraps a schedule; derived 1.2-1.3x, nested more (row ReduceOnPlateau)",
    "Constant": (
        "derived path 1.77x the hand-written object (floor 1.16x), scalar benchmark row Constant"
    ),
    "StepDecay": (
        "derived path 2.60x the hand-written object (floor 1.11x), scalar benchmark row StepDecay"
    ),
    "MultiStepDecay": (
        "derived path 1.56x the hand-written object (floor 1.10x), "
        "scalar benchmark row MultiStepDecay"
    ),
    "ExponentialDecay": (
        "derived path 1.63x the hand-written object (floor 1.11x), "
        "scalar benchmark row ExponentialDecay"
    ),
    "PiecewiseConstantDecay": (
        "derived path 1.61x the hand-written object (floor 1.14x), "
        "scalar benchmark row PiecewiseConstantDecay"
    ),
    "InverseSqrtDecay": (
        "derived path 1.96x the hand-written object (floor 1.12x), "
        "scalar benchmark row InverseSqrtDecay"
    ),
    "CosineCycles": (
        "derived path 2.44x the hand-written object (floor 1.06x), "
        "scalar benchmark row CosineCycles"
    ),
    "CosineWave": (
        "derived path 1.43x the hand-written object (floor 1.08x), scalar benchmark row CosineWave"
    ),
    "CosineWarmupRestarts": (
        "derived path 2.16x the hand-written object (floor 1.01x), "
        "scalar benchmark row CosineWarmupRestarts"
    ),
    "CosineDecayRestarts": (
        "derived path 1.92x lrsched's (floor 1.21x, target 1.0), "
        "scalar benchmark row CosineDecayRestarts"
    ),
    "WarmupStableDecay": (
        "derived path 1.49x the hand-written object (floor 1.11x), "
        "scalar benchmark row WarmupStableDecay"
    ),
    "TrapezoidalDecay": (
        "derived path 1.42x the hand-written object (floor 1.16x), "
        "scalar benchmark row TrapezoidalDecay"
    ),
    "FlatCosineDecay": (
        "derived path 1.48x the hand-written object (floor 1.12x), "
        "scalar benchmark row FlatCosineDecay"
    ),
    "WarmupHoldCosineDecay": (
        "derived path 1.41x the hand-written object (floor 1.07x), "
        "scalar benchmark row WarmupHoldCosineDecay"
    ),
}
