"""lrkit: learning-rate schedules for every Python training stack.

One schedule object, ``schedule(step) -> learning rate``, that evaluates on
Python numbers and on NumPy, torch and JAX arrays, serializes to Keras-shaped
JSON, and drives torch, optax and Keras optimizers.

Example:
    >>> import lrkit
    >>> schedule = lrkit.CosineDecay(0.1, decay_steps=1000, warmup_target=0.5, warmup_steps=100)
    >>> schedule(100)
    0.5
    >>> lrkit.deserialize(lrkit.serialize(schedule)) == schedule
    True
"""

from lrkit._combinators import Clip, Join, Offset, Product, Scale, Shift, Sum, Warmup
from lrkit._cyclic import CosineCycles, CosineWave, CyclicDecay, OneCycle
from lrkit._decay import Constant, CosinePowerDecay, LinearDecay, MultiStepDecay, StepDecay
from lrkit._describe import Description, describe
from lrkit._keras_family import (
    CosineDecay,
    CosineDecayRestarts,
    ExponentialDecay,
    InverseTimeDecay,
    PiecewiseConstantDecay,
    PolynomialDecay,
)
from lrkit._modern import InverseSqrtDecay, TanhDecay, WarmupStableDecay
from lrkit._noise import TimmNoise
from lrkit._plateau import ReduceOnPlateau
from lrkit._plot import plot
from lrkit._research import ExpHyperbolicDecay, HyperbolicDecay, KDecay, PowerDecay, RexDecay
from lrkit._research_cycles import (
    ChebyshevDecay,
    GroupSchedules,
    Repeat,
    SlantedTriangular,
    scale_by_group,
)
from lrkit._restarts import CosineWarmupRestarts
from lrkit._schedule import LearningRateSchedule
from lrkit._serialization import (
    deserialize,
    from_json,
    register_serializable,
    registered_names,
    serialize,
    to_json,
)
from lrkit._tf_family import LinearCosineDecay, NoisyLinearCosineDecay
from lrkit._wsd_shapes import FlatCosineDecay, TrapezoidalDecay, WarmupHoldCosineDecay

__version__ = "0.1.0"

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
    "Description",
    "ExpHyperbolicDecay",
    "ExponentialDecay",
    "FlatCosineDecay",
    "GroupSchedules",
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
    "TimmNoise",
    "TrapezoidalDecay",
    "Warmup",
    "WarmupHoldCosineDecay",
    "WarmupStableDecay",
    "__version__",
    "describe",
    "deserialize",
    "from_json",
    "plot",
    "register_serializable",
    "registered_names",
    "scale_by_group",
    "serialize",
    "to_json",
]
