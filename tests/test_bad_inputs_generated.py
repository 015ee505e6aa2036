"""Every bad input to every constructor, generated from the registry.

``tests/test_validation.py`` keeps hand-written rows per class; this file
derives its rows instead, so a class added to the registry is covered the
moment it has a ``VALID`` entry. For each registered class and each
constructor parameter, the parameter's *kind* is inferred from its
annotation and its valid value (a number, an integer count, an optional
integer, a bool, the ``name`` string, a choice string, a schedule, a list
of schedules, a list of numbers), and the kind gives the bad values:

* wrong types (text, ``None`` where the annotation has no ``None``, a bool
  for a number, a list, a dict, a complex number, an object, a class...);
* NaN, ``inf`` and ``-inf`` (also as NumPy scalars), and an integer beyond
  float's range;
* a negative value and zero (as ``0`` and ``0.0``);
* for lists of numbers: each of those in place of one entry, and the list
  reversed.

Each must raise ``ValueError``/``TypeError`` whose message names the class,
the parameter and the value, unless :data:`ACCEPTED` lists it as valid (the
documented exceptions: a zero rate, a negative offset...). Two probes have no
rule of their own, ``1.5`` (beyond a fraction) and ``1e300`` (beyond any
sensible size): each is refused with such a message or accepted, and an
accepted schedule must evaluate and round-trip.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

import lrkit
from conftest import EXAMPLES
from lrkit._core.validation import show
from test_validation import VALID

NAN, INF = math.nan, math.inf


class _Opaque:
    """An object no parameter accepts."""

    def __repr__(self) -> str:
        return "<opaque>"


OPAQUE = _Opaque()


@dataclass(frozen=True)
class Case:
    """One bad value for one parameter."""

    label: str  # what kind of bad value: "type", "nan", "negative", "zero", ...
    value: Any
    shown: str | None = None  # how the message shows it, if not show(value)
    probe: bool = False  # refused with a good message, or accepted and working


def builtin_classes() -> dict[str, type[lrkit.LearningRateSchedule]]:
    return {name: getattr(lrkit, name) for name in lrkit.registered_names() if ">" not in name}


def valid_arguments(name: str) -> dict[str, Any] | None:
    """Valid constructor arguments: ``VALID``, or an ``EXAMPLES`` instance's attributes."""
    if name in VALID:
        return dict(VALID[name])
    cls = getattr(lrkit, name, None)
    for example in EXAMPLES.values():
        if type(example) is cls:
            return {key: getattr(example, key) for key in example.get_config()}
    return None  # a class without VALID or EXAMPLES: test_validation.py asks for them


def annotation_text(cls: type, parameter: str) -> str:
    annotation = inspect.signature(cls).parameters[parameter].annotation
    return annotation if isinstance(annotation, str) else inspect.formatannotation(annotation)


#: A declared parameter's kind (lrkit._core.parameters) -> the kind of bad values it gets.
SPEC_KINDS = {
    "rate": "number",
    "steps": "number",
    "number": "number",
    "fraction": "number",
    "integer": "int",
    "seed": "optional-int",
    "flag": "bool",
    "name": "name",
    "choice": "choice",
    "boundaries": "numbers",
    "schedule": "schedule",
    "schedules": "schedules",
}


def spec_of(cls: type, parameter: str) -> Any:
    """The declared parameter (its kind, default and bounds), or None for an undeclared one."""
    return getattr(cls, "_parameter_specs", {}).get(parameter)


def kind_of(cls: type, parameter: str, valid: Any) -> str:
    """The kind of a parameter: its declared kind, else inferred from its annotation and value."""
    spec = spec_of(cls, parameter)
    if spec is not None and spec.kind in SPEC_KINDS:
        return SPEC_KINDS[spec.kind]
    text = annotation_text(cls, parameter)
    if "LearningRateSchedule" in text and "float" in text:
        return "number" if isinstance(valid, (int, float)) else "schedule"
    if "LearningRateSchedule" in text:
        return "schedules" if isinstance(valid, (list, tuple)) else "schedule"
    if parameter == "name":
        return "name"
    if text == "bool":
        return "bool"
    if "Literal" in text or (text == "str" and isinstance(valid, str)):
        return "choice"
    if isinstance(valid, (list, tuple)) or text.startswith(("list[", "Sequence[", "tuple[")):
        return "numbers"
    if "float" not in text and "int" in text:
        return "optional-int" if "None" in text else "int"
    return "number"


def _type_cases(optional: bool, valid: Any) -> list[Case]:
    cases = [
        Case("type", "0.5"),
        Case("type", [valid]),
        Case("type", {"value": valid}),
        Case("type", b"1"),
        Case("type", OPAQUE),
        Case("type", lrkit.Constant),
    ]
    return cases if optional else [*cases, Case("type", None)]


def number_cases(valid: Any, optional: bool) -> list[Case]:
    magnitude = abs(valid) if isinstance(valid, (int, float)) and valid else 1
    return [
        *_type_cases(optional, valid),
        Case("type", True),
        Case("type", False),
        Case("type", complex(magnitude, 0)),
        Case("type", np.complex128(magnitude)),
        Case("nan", NAN),
        Case("nan", np.float64(NAN), "nan"),
        Case("inf", INF),
        Case("inf", -INF),
        Case("inf", np.float32(INF), "inf"),
        Case("inf", 10**400),
        Case("negative", -magnitude),
        Case("negative", -1e-300),
        Case("zero", 0),
        Case("zero", 0.0),
        Case("out-of-range", 1.5, probe=True),
        Case("out-of-range", 1e300, probe=True),
    ]


def int_cases(valid: Any, optional: bool) -> list[Case]:
    return [
        *_type_cases(optional, valid),
        Case("type", True),
        Case("type", 1.5),
        Case("type", float(valid) if isinstance(valid, int) else 2.0),
        Case("type", NAN),
        Case("type", INF),
        Case("type", np.float64(2.0), "2.0"),
        Case("inf", 2**1024),
        Case("inf", -(2**1024)),
        *([] if optional else [Case("negative", -1), Case("zero", 0)]),
        Case("out-of-range", 2**60, probe=True),
    ]


def bool_cases() -> list[Case]:
    return [
        Case("type", 1),
        Case("type", 0),
        Case("type", "true"),
        Case("type", "False"),
        Case("type", None),
        Case("type", 1.0),
        Case("type", np.bool_(True), "True"),
        Case("type", [True]),
        Case("type", OPAQUE),
    ]


def name_cases() -> list[Case]:
    return [
        Case("type", 3),
        Case("type", b"name"),
        Case("type", ["name"]),
        Case("type", True),
        Case("type", OPAQUE),
    ]


def choice_cases(valid: str) -> list[Case]:
    cases = [
        Case("choice", ""),
        Case("choice", "no-such-choice"),
        Case("choice", valid + " "),
        Case("choice", valid.upper() if valid.upper() != valid else valid.lower()),
        Case("type", None),
        Case("type", 1),
        Case("type", [valid]),
        Case("type", valid.encode()),
        Case("type", OPAQUE),
    ]
    return cases


def schedule_cases() -> list[Case]:
    cosine = lrkit.CosineDecay(0.1, 10)
    return [
        Case("type", 0.1),
        Case("type", None),
        Case("type", "CosineDecay"),
        Case("type", lrkit.CosineDecay),
        Case("type", lrkit.serialize(cosine)),
        Case("type", [cosine]),
        Case("type", len),
        Case("type", OPAQUE),
    ]


def schedules_cases(valid: list[Any]) -> list[Case]:
    cosine = lrkit.CosineDecay(0.1, 10)
    return [
        Case("empty", []),
        Case("type", cosine),
        Case("type", "CosineDecay"),
        Case("type", None),
        Case("type", 0.1),
        Case("type", OPAQUE),
        Case("entry", [*valid[:-1], 0.1], "0.1"),
        Case("entry", [*valid[:-1], None], "None"),
        Case("entry", [*valid[:-1], lrkit.CosineDecay], "CosineDecay"),
        Case("entry", [*valid[:-1], lrkit.serialize(cosine)], "class_name"),
    ]


def numbers_cases(valid: list[Any]) -> list[Case]:
    cases = [
        Case("type", 10),
        Case("type", "10,20"),
        Case("type", None),
        Case("type", {"a": 1}),
        Case("type", OPAQUE),
    ]
    entries = [
        Case("entry-type", "1"),
        Case("entry-type", True),
        Case("entry-type", None),
        Case("entry-type", [1]),
        Case("entry-type", complex(1, 0)),
        Case("entry-nan", NAN),
        Case("entry-inf", INF),
        Case("entry-inf", -INF),
        Case("entry-inf", 10**400),
        Case("entry-negative", -1),
        Case("entry-negative", -0.5),
    ]
    for index in sorted({0, len(valid) - 1}) if valid else []:
        for entry in entries:
            spoiled = list(valid)
            spoiled[index] = entry.value
            cases.append(Case(f"{entry.label}[{index}]", spoiled, show(entry.value)))
    if len(valid) >= 2 and list(valid) == sorted(valid) and valid[0] != valid[-1]:
        cases.append(Case("order", list(reversed(valid))))
    return cases


def cases_for(cls: type, parameter: str, valid: Any) -> list[Case]:
    kind = kind_of(cls, parameter, valid)
    spec = spec_of(cls, parameter)
    if spec is not None:
        optional = spec.default is None
    else:
        optional = "None" in annotation_text(cls, parameter)
    if kind == "number":
        return number_cases(valid, optional)
    if kind in ("int", "optional-int"):
        return int_cases(valid, optional)
    if kind == "bool":
        return bool_cases()
    if kind == "name":
        return name_cases()
    if kind == "choice":
        return choice_cases(valid)
    if kind == "schedule":
        return schedule_cases()
    if kind == "schedules":
        return schedules_cases(list(valid))
    return numbers_cases(list(valid))


#: Parameters where zero is valid, by the library's naming convention: rates
#: (a rate is a finite number >= 0), floors and decay factors, optional phases
#: (no warmup, no hold, no stable phase), counters that may be 0.
ZERO_IS_VALID = {
    "learning_rate",
    "min_lr",
    "warmup_target",
    "alpha",
    "beta",
    "gamma",
    "m_mul",
    "cycle_decay",
    "initial_variance",
    "variance_decay",
    "num_periods",
    "num_cycles",
    "exponent",
    "factor",
    "offset",
    "pct_start",
    "cut_frac",
    "flat_fraction",
    "warmup_steps",
    "hold_steps",
    "stable_steps",
    "step_size_down",
    "steps",
    "patience",
    "cooldown",
    "threshold",
    "eps",
}

#: The documented exceptions to the rules, per class: (class, parameter) ->
#: the labels valid there ...
ACCEPTED: dict[tuple[str, str], set[str]] = {
    ("InverseTimeDecay", "decay_rate"): {"zero"},  # no decay, as in Keras
    ("PolynomialDecay", "power"): {"zero"},  # a constant, as in Keras
    ("PowerDecay", "power"): {"zero"},
    ("WarmupStableDecay", "decay_steps"): {"zero"},  # each phase may be skipped
    ("TrapezoidalDecay", "decay_steps"): {"zero"},
    ("Offset", "offset"): {"negative"},  # an offset may lower a schedule
    ("TanhDecay", "lower_bound"): {"zero", "negative"},  # the window is anywhere on the axis
    ("TanhDecay", "upper_bound"): {"zero", "negative"},
    ("NoisyLinearCosineDecay", "seed"): {"zero", "negative"},  # a seed is any integer
    ("TimmNoise", "seed"): {"zero", "negative"},
    ("TimmNoise", "start_step"): {"zero"},  # noise from the first step
    ("TimmNoise", "noise_std"): {"zero"},  # normal noise of zero width: none
}
#: ... and the labels refused there although the naming convention allows them.
REFUSED: dict[tuple[str, str], set[str]] = {
    ("ExpHyperbolicDecay", "alpha"): {"zero"},  # the floor is a ratio of logarithms
    ("ReduceOnPlateau", "factor"): {"zero"},  # a factor of 0 would stop training
}

#: Cases refused with a message that names another parameter (the rule that
#: relates the two): (class, parameter, label) -> the parameter named.
NAMES_OTHER: dict[tuple[str, str, str], str] = {
    ("Clip", "max_learning_rate", "zero"): "min_learning_rate",
}


def spec_accepts(spec: Any, label: str) -> bool | None:
    """Whether a declared parameter's kind accepts a bad-value label, or None if it has no rule."""
    if label not in ("zero", "negative"):
        return None
    if spec.kind in ("rate", "fraction"):
        return label == "zero"
    if spec.kind == "steps":
        return label == "zero" and spec.details["allow_zero"]
    if spec.kind == "number":
        minimum = spec.details["minimum"]
        if minimum is None:
            return True
        exclusive = spec.details["exclusive_minimum"]
        value = 0.0 if label == "zero" else -1e-300
        return value > minimum or (value == minimum and not exclusive)
    if spec.kind == "integer":
        minimum = spec.details["minimum"]
        return minimum is None or (label == "zero" and minimum <= 0)
    if spec.kind == "seed":
        return True
    return None


def accepted(class_name: str, parameter: str, label: str) -> bool:
    if label in ACCEPTED.get((class_name, parameter), set()):
        return True
    if label in REFUSED.get((class_name, parameter), set()):
        return False
    spec = spec_of(getattr(lrkit, class_name), parameter)
    if spec is not None and (found := spec_accepts(spec, label)) is not None:
        return found and (class_name, parameter, label) not in NAMES_OTHER
    zero_is_valid = parameter in ZERO_IS_VALID or parameter.endswith("learning_rate")
    return label == "zero" and zero_is_valid and (class_name, parameter, label) not in NAMES_OTHER


def _rows() -> Iterator[Any]:
    for class_name, cls in builtin_classes().items():
        arguments = valid_arguments(class_name)
        if arguments is None:
            continue
        for parameter in inspect.signature(cls).parameters:
            valid = arguments.get(parameter, inspect.signature(cls).parameters[parameter].default)
            for case in cases_for(cls, parameter, valid):
                label = f"{class_name}-{parameter}-{case.label}-{show(case.value)[:40]}"
                yield pytest.param(class_name, parameter, case, id=label)


ROWS = list(_rows())


def exercise(schedule: lrkit.LearningRateSchedule) -> None:
    for step in (0, 1, 2.5, 1000, 10**12):
        assert type(schedule(step)) is float
    assert lrkit.from_json(lrkit.to_json(schedule)) == schedule


@pytest.mark.parametrize(("class_name", "parameter", "case"), ROWS)
def test_bad_value_is_refused_with_a_named_error(
    class_name: str, parameter: str, case: Case
) -> None:
    cls = getattr(lrkit, class_name)
    arguments = {**(valid_arguments(class_name) or {}), parameter: case.value}
    base_label = case.label.split("[")[0].removeprefix("entry-")
    if accepted(class_name, parameter, base_label):
        exercise(cls(**arguments))
        return
    try:
        schedule = cls(**arguments)
    except (ValueError, TypeError) as error:
        message = str(error)
        assert message.startswith(f"{class_name}:"), message
        named = NAMES_OTHER.get((class_name, parameter, case.label), parameter)
        assert named in message, message
        if named == parameter:
            assert (case.shown or show(case.value)) in message, message
        return
    assert case.probe, f"{class_name}({parameter}={show(case.value)}) was accepted"
    exercise(schedule)


def test_every_class_has_rows_for_every_parameter() -> None:
    classes = {row.values[0] for row in ROWS}
    missing = sorted(set(builtin_classes()) - classes)
    assert not missing, f"add VALID entries (tests/test_validation.py) for {missing}"
    for class_name, cls in builtin_classes().items():
        parameters = {row.values[1] for row in ROWS if row.values[0] == class_name}
        assert parameters == set(inspect.signature(cls).parameters), class_name


def test_accepted_entries_name_real_parameters() -> None:
    """The allow-list stays in step with the constructors: no stale entries."""
    every = {
        (name, parameter)
        for name, cls in builtin_classes().items()
        for parameter in inspect.signature(cls).parameters
    }
    parameters = {parameter for _, parameter in every}
    for class_name, parameter in [*ACCEPTED, *REFUSED]:
        assert (class_name, parameter) in every, (class_name, parameter)
    assert parameters >= ZERO_IS_VALID, ZERO_IS_VALID - parameters


def test_kinds_are_inferred_for_every_parameter() -> None:
    kinds = {
        (name, parameter): kind_of(cls, parameter, arguments.get(parameter, p.default))
        for name, cls in builtin_classes().items()
        if (arguments := valid_arguments(name)) is not None
        for parameter, p in inspect.signature(cls).parameters.items()
    }
    assert kinds[("CosineDecay", "decay_steps")] == "number"
    assert kinds[("CosineCycles", "cycle_limit")] == "int"
    assert kinds[("NoisyLinearCosineDecay", "seed")] == "optional-int"
    assert kinds[("PolynomialDecay", "cycle")] == "bool"
    assert kinds[("OneCycle", "anneal_strategy")] == "choice"
    assert kinds[("Warmup", "schedule")] == "schedule"
    assert kinds[("Join", "schedules")] == "schedules"
    assert kinds[("PiecewiseConstantDecay", "boundaries")] == "numbers"
    assert kinds[("ExponentialDecay", "name")] == "name"


# -- call time: +inf steps on every kind of input ------------------------------------------
# (negative, NaN, bool and complex steps: tests/test_arrays.py)


def _infinite_steps() -> dict[str, Any]:
    torch = pytest.importorskip("torch")
    jax = pytest.importorskip("jax")
    jnp = jax.numpy

    class WithArray:
        def __init__(self, value: Any) -> None:
            self.value = value

        def __array__(self, dtype: Any = None, copy: Any = None) -> Any:
            return np.asarray(self.value, dtype=dtype)

    class WithFloat:
        def __float__(self) -> float:
            return INF

    row = [INF, 1.0, -INF]
    return {
        "python-float": INF,
        "numpy-float64-scalar": np.float64(INF),
        "numpy-float32-scalar": np.float32(INF),
        "numpy-float64": np.asarray(row),
        "numpy-float32": np.asarray(row, np.float32),
        "numpy-float64-long": np.asarray(row * 30_000),
        "numpy-float64-strided": np.asarray(row * 30_000)[::-1],
        "torch-float32": torch.tensor(row),
        "torch-float64": torch.tensor(row, dtype=torch.float64),
        "jax-float32": jnp.asarray(row, jnp.float32),
        "jax-jit": ("jit", jnp.asarray(row, jnp.float32)),
        "__array__": WithArray(row),
        "__float__": WithFloat(),
    }


INFINITE_KINDS = [
    "python-float",
    "numpy-float64-scalar",
    "numpy-float32-scalar",
    "numpy-float64",
    "numpy-float32",
    "numpy-float64-long",
    "numpy-float64-strided",
    "torch-float32",
    "torch-float64",
    "jax-float32",
    "jax-jit",
    "__array__",
    "__float__",
]


#: JAX compiles for every schedule, so its kinds run on the first example of each class;
#: every other kind runs on every example.
JAX_KINDS = ("jax-float32", "jax-jit")
FIRST_OF_CLASS = {type(s): key for key, s in reversed(EXAMPLES.items())}.values()
INFINITE_ROWS = [
    pytest.param(schedule, kind, id=f"{key}-{kind}")
    for key, schedule in EXAMPLES.items()
    for kind in INFINITE_KINDS
    if kind not in JAX_KINDS or key in FIRST_OF_CLASS
]


def test_jax_kinds_cover_every_class() -> None:
    covered = {type(row.values[0]) for row in INFINITE_ROWS if row.values[1] == "jax-jit"}
    assert covered == {type(schedule) for schedule in EXAMPLES.values()}


@pytest.fixture(scope="module")
def infinite_steps() -> dict[str, Any]:
    return _infinite_steps()


@pytest.mark.parametrize(("schedule", "kind"), INFINITE_ROWS)
def test_infinite_step_gives_nan(
    schedule: lrkit.LearningRateSchedule, kind: str, infinite_steps: dict[str, Any]
) -> None:
    """``+inf`` gives NaN (as NaN does) and ``-inf`` step 0's rate, on every kind of input."""
    step = infinite_steps[kind]
    if isinstance(step, tuple):
        import jax

        result = jax.jit(schedule)(step[1])
    else:
        result = schedule(step)
    if hasattr(result, "detach"):
        result = result.detach().numpy()
    values = np.asarray(result, dtype=np.float64).reshape(-1)
    if kind.endswith("strided"):
        values = values[::-1]
    assert math.isnan(values[0]), (kind, values[:3])
    if values.size > 1:
        expected = [schedule(1.0), schedule(0)]
        scale = max(map(abs, expected))  # float32 results (jit) are good to float32 rounding
        np.testing.assert_allclose(values[1:3], expected, rtol=1e-6, atol=1e-6 * scale)
        assert np.isnan(values).sum() == values.size // 3
