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

from lrkit._combinators.arithmetic import Clip, Offset, Product, Scale, Sum
from lrkit._combinators.composition import Join, Shift, Warmup
from lrkit._combinators.groups import GroupSchedules, scale_by_group
from lrkit._combinators.repeat import Repeat
from lrkit._core import parameters
from lrkit._core.pieces import Piecewise
from lrkit._core.schedule import LearningRateSchedule
from lrkit._core.serialization import (
    deserialize,
    from_json,
    register_serializable,
    registered_names,
    serialize,
    to_json,
)
from lrkit._families.cosine import CosineDecay, CosineDecayRestarts
from lrkit._families.cosine_cycles import CosineCycles, CosineWave
from lrkit._families.cycles import CyclicDecay, OneCycle
from lrkit._families.decays import (
    Constant,
    CosinePowerDecay,
    LinearDecay,
    MultiStepDecay,
    StepDecay,
)
from lrkit._families.inverse_decays import InverseSqrtDecay, TanhDecay
from lrkit._families.keras_decays import (
    ExponentialDecay,
    InverseTimeDecay,
    PiecewiseConstantDecay,
    PolynomialDecay,
)
from lrkit._families.linear_cosine import LinearCosineDecay, NoisyLinearCosineDecay
from lrkit._families.noise import TimmNoise
from lrkit._families.phases import (
    FlatCosineDecay,
    TrapezoidalDecay,
    WarmupHoldCosineDecay,
    WarmupStableDecay,
)
from lrkit._families.plateau import ReduceOnPlateau
from lrkit._families.research import (
    ExpHyperbolicDecay,
    HyperbolicDecay,
    KDecay,
    PowerDecay,
    RexDecay,
)
from lrkit._families.research_cycles import ChebyshevDecay, SlantedTriangular
from lrkit._families.restarts import CosineWarmupRestarts
from lrkit._seeing.describe import Description, describe
from lrkit._seeing.plot import plot

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
    "Piecewise",
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
    "parameters",
    "plot",
    "register_serializable",
    "registered_names",
    "scale_by_group",
    "serialize",
    "to_json",
]
