"""Constructor validation: every bad argument raises a named, readable error.

Each row builds one schedule with a single bad argument (the rest valid) and
checks the exception type and that the message names the class, the
parameter and the value it got.
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pytest

import lrkit
from conftest import sample_arguments

#: Valid arguments for each class; each row below spoils exactly one of them.
VALID: dict[str, dict[str, Any]] = {
    "ExponentialDecay": {"initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.5},
    "PiecewiseConstantDecay": {"boundaries": [10, 20], "values": [1.0, 0.5, 0.1]},
    "PolynomialDecay": {"initial_learning_rate": 0.1, "decay_steps": 10},
    "InverseTimeDecay": {"initial_learning_rate": 0.1, "decay_steps": 10, "decay_rate": 0.5},
    "CosineDecay": {"initial_learning_rate": 0.1, "decay_steps": 10},
    "CosineDecayRestarts": {"initial_learning_rate": 0.1, "first_decay_steps": 10},
    "LinearCosineDecay": {"initial_learning_rate": 0.1, "decay_steps": 10},
    "NoisyLinearCosineDecay": {"initial_learning_rate": 0.1, "decay_steps": 10},
    "Warmup": {"schedule": lrkit.CosineDecay(0.1, 10), "warmup_steps": 5},
    "Join": {"schedules": [lrkit.CosineDecay(0.1, 10)] * 2, "boundaries": [10]},
    "Scale": {"schedule": lrkit.CosineDecay(0.1, 10), "factor": 0.5},
    "Offset": {"schedule": lrkit.CosineDecay(0.1, 10), "offset": 0.01},
    "Shift": {"schedule": lrkit.CosineDecay(0.1, 10), "steps": 5},
    "TimmNoise": {"schedule": lrkit.CosineDecay(0.1, 10), "start_step": 2, "end_step": 8},
    "Clip": {
        "schedule": lrkit.CosineDecay(0.1, 10),
        "min_learning_rate": 0.01,
        "max_learning_rate": 1.0,
    },
    "Sum": {"schedules": [lrkit.CosineDecay(0.1, 10)] * 2},
    "Product": {"schedules": [lrkit.CosineDecay(0.1, 10)] * 2},
    "Constant": {"learning_rate": 0.1},
    "LinearDecay": {"initial_learning_rate": 0.1, "decay_steps": 10},
    "CosinePowerDecay": {"initial_learning_rate": 0.1, "decay_steps": 10},
    "StepDecay": {"initial_learning_rate": 0.1, "step_size": 10},
    "MultiStepDecay": {"initial_learning_rate": 0.1, "milestones": [10, 20]},
    "InverseSqrtDecay": {"initial_learning_rate": 0.1, "warmup_steps": 10},
    "TanhDecay": {"initial_learning_rate": 0.1, "decay_steps": 10},
    "WarmupStableDecay": {
        "peak_learning_rate": 0.1,
        "warmup_steps": 10,
        "stable_steps": 10,
        "decay_steps": 10,
        "alpha": 0.1,
    },
    "OneCycle": {"max_learning_rate": 0.1, "total_steps": 100},
    "CyclicDecay": {"initial_learning_rate": 0.01, "maximal_learning_rate": 0.1},
    "CosineCycles": {"initial_learning_rate": 0.1, "cycle_steps": 10},
    "CosineWave": {"initial_learning_rate": 0.1, "decay_steps": 10},
    "RexDecay": {"initial_learning_rate": 0.1, "decay_steps": 10},
    "HyperbolicDecay": {"initial_learning_rate": 0.1, "decay_steps": 10, "upper_bound_steps": 20},
    "ExpHyperbolicDecay": {
        "initial_learning_rate": 0.1,
        "decay_steps": 10,
        "upper_bound_steps": 20,
    },
    "PowerDecay": {"initial_learning_rate": 0.1, "decay_steps": 10},
    "KDecay": {"initial_learning_rate": 0.1, "decay_steps": 10},
    "ChebyshevDecay": {"initial_learning_rate": 0.1, "decay_steps": 10},
    "SlantedTriangular": {"max_learning_rate": 0.1, "total_steps": 100},
    "Repeat": {"schedule": lrkit.CosineDecay(0.1, 10), "period_steps": 10},
    "CosineWarmupRestarts": {"peak_learning_rate": 0.1, "cycle_steps": 10, "warmup_steps": 2},
    "TrapezoidalDecay": {
        "peak_learning_rate": 0.1,
        "total_steps": 100,
        "warmup_steps": 10,
        "decay_steps": 20,
    },
    "FlatCosineDecay": {"initial_learning_rate": 0.1, "total_steps": 100},
    "WarmupHoldCosineDecay": {
        "peak_learning_rate": 0.1,
        "total_steps": 100,
        "warmup_steps": 10,
        "hold_steps": 40,
    },
    "ReduceOnPlateau": {"learning_rate": 0.1, "patience": 2},
}
# A class declared after these tables were written is checked with its sample arguments.
for _name in lrkit.registered_names():
    if ">" not in _name and _name not in VALID and hasattr(lrkit, _name):
        VALID[_name] = sample_arguments(getattr(lrkit, _name))

NAN, INF = math.nan, math.inf
NOT_NUMBERS = [("0.1", TypeError), (True, TypeError), (None, TypeError), ([0.1], TypeError)]
NOT_FINITE = [(NAN, ValueError), (INF, ValueError), (-INF, ValueError)]

#: Bad values by parameter: a rate is a finite number >= 0, a length of steps is > 0, ...
RATE = [(-0.1, ValueError), (-1, ValueError), *NOT_FINITE, *NOT_NUMBERS]
POSITIVE_STEPS = [(0, ValueError), (-5, ValueError), (0.0, ValueError), *NOT_FINITE, *NOT_NUMBERS]
NON_NEGATIVE = [(-0.5, ValueError), (-1e-12, ValueError), *NOT_FINITE, *NOT_NUMBERS]
FRACTION = [
    (-0.1, ValueError),
    (1.5, ValueError),
    (1.0000001, ValueError),
    *NOT_FINITE,
    *NOT_NUMBERS,
]
BOOL = [
    (1, TypeError),
    (0, TypeError),
    ("false", TypeError),
    (None, TypeError),
    (np.float64(1.0), TypeError),
]
NAME = [(3, TypeError), (b"name", TypeError), (["name"], TypeError)]
SEED = [(1.5, TypeError), ("1", TypeError), (True, TypeError), (1.0, TypeError)]
SCHEDULE = [(0.1, TypeError), (None, TypeError), ("CosineDecay", TypeError), (len, TypeError)]
SCHEDULES = [
    ([], ValueError),
    (lrkit.CosineDecay(0.1, 10), TypeError),
    ("CosineDecay", TypeError),
    ([lrkit.CosineDecay(0.1, 10), 0.1], TypeError, "schedules[1]", "0.1"),
    (None, TypeError),
]

BAD_VALUES: dict[str, dict[str, list[tuple[Any, ...]]]] = {
    "ExponentialDecay": {
        "initial_learning_rate": RATE,
        "decay_steps": POSITIVE_STEPS,
        "decay_rate": [(0.0, ValueError), (0, ValueError), *RATE],
        "staircase": BOOL,
        "name": NAME,
    },
    "PolynomialDecay": {
        "initial_learning_rate": RATE,
        "decay_steps": POSITIVE_STEPS,
        "end_learning_rate": RATE,
        "power": NON_NEGATIVE,
        "cycle": BOOL,
        "name": NAME,
    },
    "InverseTimeDecay": {
        "initial_learning_rate": RATE,
        "decay_steps": POSITIVE_STEPS,
        "decay_rate": NON_NEGATIVE,
        "staircase": BOOL,
        "name": NAME,
    },
    "CosineDecay": {
        "initial_learning_rate": RATE,
        "decay_steps": POSITIVE_STEPS,
        "alpha": FRACTION,
        "name": NAME,
        "warmup_target": [(v, e) for v, e in RATE if v is not None],
        "warmup_steps": [(-1, ValueError), (-0.5, ValueError), *NOT_FINITE, *NOT_NUMBERS],
    },
    "CosineDecayRestarts": {
        "initial_learning_rate": RATE,
        "first_decay_steps": POSITIVE_STEPS,
        "t_mul": [(0.5, ValueError), (0.0, ValueError), (0.999, ValueError), *NON_NEGATIVE],
        "m_mul": NON_NEGATIVE,
        "alpha": FRACTION,
        "name": NAME,
    },
    "LinearCosineDecay": {
        "initial_learning_rate": RATE,
        "decay_steps": POSITIVE_STEPS,
        "num_periods": NON_NEGATIVE,
        "alpha": NON_NEGATIVE,
        "beta": NON_NEGATIVE,
        "name": NAME,
    },
    "NoisyLinearCosineDecay": {
        "initial_learning_rate": RATE,
        "decay_steps": POSITIVE_STEPS,
        "initial_variance": NON_NEGATIVE,
        "variance_decay": NON_NEGATIVE,
        "num_periods": NON_NEGATIVE,
        "alpha": NON_NEGATIVE,
        "beta": NON_NEGATIVE,
        "seed": SEED,
        "name": NAME,
    },
    "Warmup": {
        "schedule": SCHEDULE,
        "warmup_steps": [(-1, ValueError), *NOT_FINITE, *NOT_NUMBERS],
        "initial_learning_rate": RATE,
        "shape": [
            ("square", ValueError),
            ("Linear", ValueError),
            (1, TypeError),
            (None, TypeError),
        ],
    },
    "Join": {
        "schedules": [
            ([lrkit.CosineDecay(0.1, 10)], ValueError, "boundaries", "[10]"),
            *[row for row in SCHEDULES if row[0] != []],
        ],
        "boundaries": [
            ([], ValueError, "boundaries", "[]"),
            ([10, 20], ValueError, "boundaries", "[10, 20]"),
            ([-1], ValueError, "boundaries[0]", "-1"),
            ([NAN], ValueError, "boundaries[0]", "nan"),
            (["10"], TypeError, "boundaries[0]", "'10'"),
            (10, TypeError),
        ],
    },
    "Scale": {"schedule": SCHEDULE, "factor": [(-0.5, ValueError), *NOT_FINITE, *NOT_NUMBERS]},
    "Offset": {"schedule": SCHEDULE, "offset": [*NOT_FINITE, *NOT_NUMBERS]},
    "Shift": {"schedule": SCHEDULE, "steps": [(-1, ValueError), *NOT_FINITE, *NOT_NUMBERS]},
    "TimmNoise": {
        "schedule": SCHEDULE,
        "start_step": [(8, ValueError, "end_step", "8"), (-1, ValueError), *NON_NEGATIVE],
        "end_step": [
            (2, ValueError, "end_step", "2"),
            (0, ValueError),
            *[row for row in POSITIVE_STEPS if row[0] is not None],
        ],
        "noise_type": [("gaussian", ValueError), ("Normal", ValueError), (None, TypeError)],
        "noise_pct": [(0.0, ValueError), (0, ValueError), *NON_NEGATIVE],
        "noise_std": NON_NEGATIVE,
        "seed": [*SEED, (None, TypeError)],
    },
    "Clip": {
        "schedule": SCHEDULE,
        "min_learning_rate": [
            (2.0, ValueError, "min_learning_rate", "2.0"),
            *[row for row in RATE if row[0] is not None],
        ],
        "max_learning_rate": [
            (0.001, ValueError, "min_learning_rate", "0.01"),
            *[row for row in RATE if row[0] is not None],
        ],
    },
    "Sum": {"schedules": SCHEDULES},
    "Product": {"schedules": SCHEDULES},
    "OneCycle": {
        "max_learning_rate": RATE,
        "total_steps": [(0.5, ValueError), (0.999, ValueError), *POSITIVE_STEPS],
        "pct_start": FRACTION,
        "anneal_strategy": [("cosine", ValueError), ("Cos", ValueError), (None, TypeError)],
        "div_factor": [
            (0.0, ValueError),
            (-1, ValueError),
            (5e-324, ValueError),
            *NOT_FINITE,
            *NOT_NUMBERS,
        ],
        "final_div_factor": [
            (0, ValueError),
            (-1e4, ValueError),
            (1e-320, ValueError),
            *NOT_FINITE,
            *NOT_NUMBERS,
        ],
        "three_phase": BOOL,
    },
    "CyclicDecay": {
        "initial_learning_rate": RATE,
        "maximal_learning_rate": RATE,
        "step_size_up": POSITIVE_STEPS,
        "step_size_down": [
            (-1, ValueError),
            (-0.5, ValueError),
            *NOT_FINITE,
            *[row for row in NOT_NUMBERS if row[0] is not None],
        ],
        "mode": [("triangular3", ValueError), ("Triangular", ValueError), (2, TypeError)],
        "gamma": FRACTION,
    },
    "CosineCycles": {
        "initial_learning_rate": RATE,
        "cycle_steps": POSITIVE_STEPS,
        "cycle_mul": [(0.5, ValueError), (0.999, ValueError), *NON_NEGATIVE],
        "cycle_decay": NON_NEGATIVE,
        "cycle_limit": [
            (0, ValueError),
            (-1, ValueError),
            (1.5, TypeError),
            (2.0, TypeError),
            (True, TypeError),
            (None, TypeError),
            ("2", TypeError),
        ],
        "alpha": FRACTION,
        "k_decay": [(0.0, ValueError), (0, ValueError), *NON_NEGATIVE],
    },
    "CosineWave": {
        "initial_learning_rate": RATE,
        "decay_steps": POSITIVE_STEPS,
        "end_learning_rate": RATE,
    },
    "RexDecay": {"initial_learning_rate": RATE, "decay_steps": POSITIVE_STEPS, "alpha": FRACTION},
    "HyperbolicDecay": {
        "initial_learning_rate": RATE,
        "decay_steps": POSITIVE_STEPS,
        "upper_bound_steps": [(5, ValueError, "upper_bound_steps", "5"), *POSITIVE_STEPS],
        "alpha": FRACTION,
    },
    "ExpHyperbolicDecay": {
        "initial_learning_rate": RATE,
        "decay_steps": POSITIVE_STEPS,
        "upper_bound_steps": [(9.5, ValueError, "upper_bound_steps", "9.5"), *POSITIVE_STEPS],
        "alpha": [(0.0, ValueError), (0, ValueError), *FRACTION],
    },
    "PowerDecay": {
        "initial_learning_rate": RATE,
        "decay_steps": POSITIVE_STEPS,
        "power": NON_NEGATIVE,
        "alpha": FRACTION,
    },
    "KDecay": {
        "initial_learning_rate": RATE,
        "decay_steps": POSITIVE_STEPS,
        "k": [(0.0, ValueError), (0, ValueError), *NON_NEGATIVE],
        "alpha": FRACTION,
        "shape": [("exponential", ValueError), ("Cosine", ValueError), (None, TypeError)],
        "power": [(0.0, ValueError), *NON_NEGATIVE],
    },
    "ChebyshevDecay": {
        "initial_learning_rate": RATE,
        "decay_steps": [
            (0, ValueError),
            (-1, ValueError),
            (8.0, TypeError),
            (1.5, TypeError),
            (True, TypeError),
            (None, TypeError),
            ("8", TypeError),
        ],
        "alpha": FRACTION,
        "reciprocal": [(True, ValueError, "alpha", "0.0"), *BOOL],
        "fractal": [(True, ValueError, "decay_steps", "10"), *BOOL],
    },
    "SlantedTriangular": {
        "max_learning_rate": RATE,
        "total_steps": POSITIVE_STEPS,
        "cut_frac": [(1.0, ValueError), (1, ValueError), *FRACTION],
        "ratio": [(0.5, ValueError), (0.0, ValueError), *NON_NEGATIVE],
    },
    "Repeat": {"schedule": SCHEDULE, "period_steps": POSITIVE_STEPS},
    "CosineWarmupRestarts": {
        "peak_learning_rate": RATE,
        "cycle_steps": [
            (0, ValueError),
            (-1, ValueError),
            (10.0, TypeError),
            (2.5, TypeError),
            (True, TypeError),
            (None, TypeError),
            ("10", TypeError),
        ],
        "warmup_steps": [(10, ValueError), (12.5, ValueError), *NON_NEGATIVE],
        "cycle_mul": [(0.5, ValueError), (1.001, ValueError, "cycle_mul", "1.001"), *NON_NEGATIVE],
        "cycle_decay": NON_NEGATIVE,
        "alpha": FRACTION,
    },
    "TrapezoidalDecay": {
        "peak_learning_rate": RATE,
        "total_steps": [(29.5, ValueError, "decay_steps", "10 + 20"), *POSITIVE_STEPS],
        "warmup_steps": [(81, ValueError, "decay_steps", "81 + 20"), *NON_NEGATIVE],
        "decay_steps": [(91, ValueError, "decay_steps", "10 + 91"), *NON_NEGATIVE],
        "initial_learning_rate": RATE,
        "alpha": FRACTION,
        "decay_shape": [("cosine", ValueError), ("sqrt", ValueError), (None, TypeError)],
    },
    "FlatCosineDecay": {
        "initial_learning_rate": RATE,
        "total_steps": POSITIVE_STEPS,
        "flat_fraction": FRACTION,
        "alpha": FRACTION,
    },
    "WarmupHoldCosineDecay": {
        "peak_learning_rate": RATE,
        "total_steps": [(49, ValueError, "hold_steps", "10 + 40"), *POSITIVE_STEPS],
        "warmup_steps": [(60.5, ValueError, "hold_steps", "60.5 + 40"), *NON_NEGATIVE],
        "hold_steps": [(91, ValueError, "hold_steps", "10 + 91"), *NON_NEGATIVE],
        "initial_learning_rate": RATE,
        "alpha": FRACTION,
    },
    "ReduceOnPlateau": {
        "learning_rate": [
            *RATE,
            (lrkit.ReduceOnPlateau(0.1), TypeError),
            (len, TypeError),
        ],
        "mode": [("auto", ValueError), ("MIN", ValueError), (None, TypeError), (1, TypeError)],
        "factor": [
            (1.0, ValueError),
            (1, ValueError),
            (1.5, ValueError),
            (0.0, ValueError),
            (-0.1, ValueError),
            *NOT_FINITE,
            *NOT_NUMBERS,
        ],
        "patience": [
            (-1, ValueError),
            (1.5, TypeError),
            (2.0, TypeError),
            ("3", TypeError),
            (True, TypeError),
            (None, TypeError),
        ],
        "threshold": NON_NEGATIVE,
        "threshold_mode": [("relative", ValueError), ("REL", ValueError), (None, TypeError)],
        "cooldown": [(-1, ValueError), (0.5, TypeError), (True, TypeError), (None, TypeError)],
        "min_lr": RATE,
        "eps": NON_NEGATIVE,
        "name": NAME,
    },
    "Constant": {"learning_rate": RATE},
    "LinearDecay": {
        "initial_learning_rate": RATE,
        "decay_steps": POSITIVE_STEPS,
        "end_learning_rate": RATE,
    },
    "CosinePowerDecay": {
        "initial_learning_rate": RATE,
        "decay_steps": POSITIVE_STEPS,
        "end_learning_rate": RATE,
        "exponent": NON_NEGATIVE,
    },
    "InverseSqrtDecay": {
        "initial_learning_rate": RATE,
        "warmup_steps": [(-1, ValueError), *NOT_FINITE, *NOT_NUMBERS],
        "timescale": [row for row in POSITIVE_STEPS if row[0] is not None],
        "d_model": [row for row in POSITIVE_STEPS if row[0] is not None],
        "warmup_shape": [("cosine", ValueError), ("Linear", ValueError), (None, TypeError)],
    },
    "TanhDecay": {
        "initial_learning_rate": RATE,
        "decay_steps": POSITIVE_STEPS,
        "alpha": FRACTION,
        "lower_bound": [(3.0, ValueError, "lower_bound", "3.0"), *NOT_FINITE, *NOT_NUMBERS],
        "upper_bound": [(-7.5, ValueError, "upper_bound", "-7.5"), *NOT_FINITE, *NOT_NUMBERS],
    },
    "WarmupStableDecay": {
        "peak_learning_rate": RATE,
        "warmup_steps": [(-1, ValueError), *NOT_FINITE, *NOT_NUMBERS],
        "stable_steps": [(-0.5, ValueError), *NOT_FINITE, *NOT_NUMBERS],
        "decay_steps": [(-2, ValueError), *NOT_FINITE, *NOT_NUMBERS],
        "initial_learning_rate": RATE,
        "alpha": FRACTION,
        "decay_shape": [
            ("step", ValueError),
            ("sqrt", ValueError),
            ("Cosine", ValueError),
            (None, TypeError),
        ],
        "warmup_shape": [("exponential", ValueError), ("constant", ValueError), (1, TypeError)],
        "num_cycles": NON_NEGATIVE,
    },
    "StepDecay": {
        "initial_learning_rate": RATE,
        "step_size": POSITIVE_STEPS,
        "gamma": RATE,
    },
    "MultiStepDecay": {
        "initial_learning_rate": RATE,
        "milestones": [
            ([20, 10], ValueError, "milestones", "[20, 10]"),
            ([10, NAN], ValueError, "milestones[1]", "nan"),
            ([-1, 10], ValueError, "milestones[0]", "-1"),
            ([10, "20"], TypeError, "milestones[1]", "'20'"),
            ([True], TypeError, "milestones[0]", "True"),
            (10, TypeError),
            ("10,20", TypeError),
            (None, TypeError),
        ],
        "gamma": RATE,
    },
    "PiecewiseConstantDecay": {
        # (value, error, the entry the message names, how it shows the value)
        "boundaries": [
            ([20, 10], ValueError, "boundaries", "[20, 10]"),
            ([10, 10], ValueError, "boundaries", "[10, 10]"),
            ([10, NAN], ValueError, "boundaries[1]", "nan"),
            ([10, INF], ValueError, "boundaries[1]", "inf"),
            ([-1, 10], ValueError, "boundaries[0]", "-1"),
            ([10, "20"], TypeError, "boundaries[1]", "'20'"),
            ([10, True], TypeError, "boundaries[1]", "True"),
            ("10,20", TypeError),
            (10, TypeError),
            (None, TypeError),
        ],
        "values": [
            ([1.0, 0.5], ValueError, "values", "2 values"),
            ([1.0, 0.5, 0.1, 0.01], ValueError, "values", "4 values"),
            ([1.0, NAN, 0.1], ValueError, "values[1]", "nan"),
            ([1.0, -0.5, 0.1], ValueError, "values[1]", "-0.5"),
            ([1.0, "0.5", 0.1], TypeError, "values[1]", "'0.5'"),
            ([1.0, None, 0.1], TypeError, "values[1]", "None"),
            ("1.0, 0.5, 0.1", TypeError),
            (0.1, TypeError),
        ],
        "name": NAME,
    },
}


def _rows() -> list[Any]:
    rows = []
    for class_name, parameters in BAD_VALUES.items():
        for parameter, cases in parameters.items():
            for value, error, *shown in cases:
                named, value_text = shown or (parameter, repr(value))
                label = f"{class_name}-{parameter}={value!r}-{error.__name__}"
                rows.append(
                    pytest.param(class_name, parameter, value, error, named, value_text, id=label)
                )
    return rows


@pytest.mark.parametrize(
    ("class_name", "parameter", "value", "error", "named", "value_text"), _rows()
)
def test_bad_argument_is_named_with_its_value(
    class_name: str,
    parameter: str,
    value: Any,
    error: type[Exception],
    named: str,
    value_text: str,
) -> None:
    cls = getattr(lrkit, class_name)
    arguments = {**VALID[class_name], parameter: value}
    with pytest.raises(error) as raised:
        cls(**arguments)
    message = str(raised.value)
    assert f"{class_name}:" in message
    assert named in message
    # The value as given (-1 shows as -1, not -1.0), after "got".
    assert re.search(rf"got {re.escape(value_text)}(?![\w.])", message), message


def test_every_class_and_parameter_has_bad_inputs(
    builtin_classes: dict[str, type[lrkit.LearningRateSchedule]],
) -> None:
    assert set(builtin_classes) <= set(BAD_VALUES), "add rows for the new classes to BAD_VALUES"
    for name, cls in builtin_classes.items():
        parameters = set(cls(**VALID[name]).get_config())
        assert parameters == set(BAD_VALUES[name]), f"{name}: every parameter needs bad inputs"


ACCEPTED: dict[str, list[dict[str, Any]]] = {
    "ExponentialDecay": [
        {"initial_learning_rate": 0.0},
        {"decay_rate": 1.5},
        {"decay_steps": 0.5},
        {"staircase": True, "name": None},
        {"initial_learning_rate": np.float32(0.1), "decay_steps": np.int64(3)},
    ],
    "PiecewiseConstantDecay": [
        {"boundaries": [0], "values": [0.2, 0.0]},
        {"boundaries": [], "values": [0.3]},
        {"boundaries": (1.5, 2.5), "values": (3, 2, 1)},
        {"boundaries": np.asarray([10, 20]), "values": np.asarray([1.0, 0.5, 0.1])},
    ],
    "PolynomialDecay": [{"power": 0.0}, {"cycle": True}, {"end_learning_rate": 0.5}],
    "InverseTimeDecay": [{"decay_rate": 0.0}, {"decay_rate": 0}],
    "CosineDecay": [
        {"alpha": 0.0},
        {"alpha": 1.0},
        {"alpha": 1},
        {"warmup_target": 0.5, "warmup_steps": 0},
        {"warmup_target": None, "warmup_steps": 0.0},
    ],
    "CosineDecayRestarts": [{"t_mul": 1.0}, {"t_mul": 1}, {"m_mul": 0.0}, {"alpha": 1.0}],
    "LinearCosineDecay": [{"alpha": 2.0}, {"beta": 0.0}, {"num_periods": 0}],
    "NoisyLinearCosineDecay": [
        {"seed": -3},
        {"seed": np.int64(2**40)},
        {"initial_variance": 0.0},
        {"variance_decay": 0},
    ],
    "Constant": [{"learning_rate": 0}, {"learning_rate": np.float32(0.5)}],
    "LinearDecay": [{"end_learning_rate": 1.0}, {"decay_steps": 0.5}],
    "CosinePowerDecay": [{"exponent": 0}, {"end_learning_rate": 0.3}],
    "StepDecay": [{"gamma": 0.0}, {"gamma": 1}, {"step_size": np.int64(3)}],
    "MultiStepDecay": [
        {"milestones": []},
        {"milestones": [0, 0, 5]},
        {"milestones": np.asarray([3, 7])},
        {"milestones": (1.5, 2.5), "gamma": 0},
    ],
    "InverseSqrtDecay": [
        {"warmup_steps": 0},
        {"warmup_steps": 0, "timescale": 3.5},
        {"d_model": np.int64(512), "warmup_shape": "constant"},
    ],
    "TanhDecay": [{"lower_bound": -1e6, "upper_bound": 1e6}, {"alpha": 1}],
    "WarmupStableDecay": [
        {"warmup_steps": 0, "stable_steps": 0, "decay_steps": 0},
        {"alpha": 1.0, "decay_shape": "exponential"},
        {"decay_shape": "inverse-sqrt", "num_cycles": 0},
        {"warmup_shape": "1-sqrt", "initial_learning_rate": 0.1},
    ],
    "OneCycle": [
        {"total_steps": 1},
        {"total_steps": 12.5},
        {"pct_start": 0.0},
        {"pct_start": 1},
        {"pct_start": 0.01},  # the rise ends before step 0: skipped, as in torch
        {"div_factor": 0.5, "final_div_factor": 0.25, "three_phase": True},
        {"max_learning_rate": np.float32(0.5), "total_steps": np.int64(20)},
    ],
    "CyclicDecay": [
        {"step_size_down": 0},
        {"step_size_down": 2.5, "mode": "exp_range", "gamma": 0.0},
        {"maximal_learning_rate": 0.001},
        {"gamma": 1},
    ],
    "CosineCycles": [
        {"cycle_limit": np.int64(3)},
        {"cycle_mul": 1},
        {"cycle_decay": 1.5, "cycle_limit": 4},
        {"alpha": 1.0},
        {"k_decay": 0.5},
    ],
    "CosineWave": [{"end_learning_rate": 0.5}, {"decay_steps": 0.25}],
    "CosineWarmupRestarts": [
        {"warmup_steps": 0},
        {"warmup_steps": 9.5, "cycle_steps": np.int64(10)},
        {"cycle_mul": 1},
        {"cycle_mul": 1.01, "cycle_decay": 0},
        {"cycle_mul": 1e6, "cycle_decay": 1.5, "alpha": 1},
    ],
    "TrapezoidalDecay": [
        {"warmup_steps": 0, "decay_steps": 0},
        {"warmup_steps": 50, "decay_steps": 50},
        {"total_steps": 30.5, "decay_shape": "1-sqrt", "alpha": 1.0},
    ],
    "FlatCosineDecay": [{"flat_fraction": 0}, {"flat_fraction": 1.0}, {"total_steps": 0.5}],
    "WarmupHoldCosineDecay": [
        {"warmup_steps": 0, "hold_steps": 0},
        {"warmup_steps": 60, "hold_steps": 40},
        {"initial_learning_rate": 0.5, "alpha": 1},
    ],
    "ReduceOnPlateau": [
        {"learning_rate": 0, "min_lr": 0.5},
        {"learning_rate": np.float32(0.5), "factor": np.float64(0.5)},
        {"patience": 0, "cooldown": np.int64(3), "threshold": 0, "eps": 0},
        {"factor": 1e-12, "threshold": 2.0, "mode": "max", "threshold_mode": "abs"},
    ],
}


@pytest.mark.parametrize(
    ("class_name", "overrides"),
    [
        pytest.param(name, overrides, id=f"{name}-{'-'.join(map(str, overrides.items()))}")
        for name, cases in ACCEPTED.items()
        for overrides in cases
    ],
)
def test_edge_values_are_accepted_and_stored_as_python_numbers(
    class_name: str, overrides: dict[str, Any]
) -> None:
    schedule = getattr(lrkit, class_name)(**{**VALID[class_name], **overrides})
    for key, value in schedule.get_config().items():
        items = value if isinstance(value, list) else [value]
        for item in items:
            assert item is None or type(item) in (int, float, bool, str), (key, item)
    assert math.isfinite(schedule(5))


def test_validation_happens_at_construction_not_at_call() -> None:
    # A bad argument fails at once, before any step is evaluated.
    with pytest.raises(ValueError, match="decay_steps"):
        lrkit.CosineDecay(0.1, decay_steps=0)
    with pytest.raises(ValueError, match="decay_steps"):
        lrkit.CosineDecay.from_config({"initial_learning_rate": 0.1, "decay_steps": -1})


def test_messages_stay_short_for_huge_values() -> None:
    huge = list(range(100_000))
    with pytest.raises(TypeError) as raised:
        lrkit.CosineDecay(0.1, decay_steps=10, name=huge)  # type: ignore[arg-type]
    assert len(str(raised.value)) < 500
    assert "name" in str(raised.value)


@pytest.mark.parametrize("warmup_steps", [100, 0.5, np.int64(7)])
def test_cosine_decay_refuses_warmup_steps_without_a_target(warmup_steps: Any) -> None:
    """Keras ignores warmup_steps without warmup_target: a warmup that silently is not one."""
    message = "CosineDecay: warmup_steps needs a warmup_target"
    with pytest.raises(ValueError, match=message) as raised:
        lrkit.CosineDecay(1e-3, 1000, warmup_steps=warmup_steps)
    assert f"got warmup_steps={warmup_steps!r}" in str(raised.value)
    with pytest.raises(ValueError, match="warmup_target"):
        lrkit.CosineDecay.from_config(
            {"initial_learning_rate": 1e-3, "decay_steps": 1000, "warmup_steps": warmup_steps}
        )
    warm = lrkit.CosineDecay(0.0, 1000, warmup_target=1e-3, warmup_steps=warmup_steps)
    assert warm.warmup_steps == warmup_steps
