"""Keras's own schedule tests, run on ``lrkit.keras`` and, for values, on plain ``lrkit``.

The test module that ships inside the installed Keras wheel
(``keras/src/optimizers/schedules/learning_rate_schedule_test.py``) is read
at test time, never copied into this repository. Its one import of Keras's
schedules is pointed at ``lrkit.keras`` and the module runs whole under
pytest, in a subprocess on the JAX backend (its model-fit test needs a
backend that trains; the test process runs Keras on NumPy), started when the
tests are collected: the fit with an ``ExponentialDecay``, every value test
and every serialization round trip.

A second copy imports plain ``lrkit`` as ``schedules`` and runs the value
tests: everything but the serialization tests (plain lrkit classes are not
Keras objects) and the fit (a Keras optimizer calls a plain lrkit schedule
without a step, which raises the TypeError that points to ``lrkit.keras``).
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

keras = pytest.importorskip("keras")
pytest.importorskip("jax")

SCHEDULES_IMPORT = "from keras.src.optimizers import schedules"
KERAS_TEST = Path(keras.__file__).parent / "src/optimizers/schedules/learning_rate_schedule_test.py"
#: Keras's tests that plain lrkit classes cannot pass, by design (see above).
NOT_FOR_PLAIN = ("test_config", "test_fit_lr_correctness")


def keras_test_source() -> str:
    if not KERAS_TEST.is_file():
        pytest.skip(f"this Keras ({keras.__version__}) ships no {KERAS_TEST.name}")
    source = KERAS_TEST.read_text()
    lines = [line for line in source.splitlines() if line.strip() == SCHEDULES_IMPORT]
    assert len(lines) == 1, f"Keras's test imports its schedules differently now: {KERAS_TEST}"
    assert "learning_rate_schedule import" not in source, "a second import of Keras's schedules"
    return source


def _plain_deselections(source: str) -> list[str]:
    return [
        f"--deselect=test_on_plain_lrkit.py::{name.replace('.', '::')}"
        for name in sorted(keras_test_names(source))
        if name.split(".")[1] in NOT_FOR_PLAIN
    ]


#: The pytest run of Keras's tests: its process, folder and output file.
_RUN: dict[str, Any] = {}


def _stop_run() -> None:
    process = _RUN.get("process")
    if process is not None and process.poll() is None:
        process.kill()
        process.wait()
    if "output" in _RUN:
        _RUN["output"].close()
    if "folder" in _RUN:
        shutil.rmtree(_RUN["folder"], ignore_errors=True)


def start_in_background() -> None:
    """Start Keras's tests on ``lrkit.keras`` and plain ``lrkit`` (once), at collection.

    One pytest subprocess on the JAX backend runs beside the rest of the
    suite (see ``conftest.py``); the test below waits for its JUnit XML report.
    """
    if _RUN or not KERAS_TEST.is_file():
        return
    source = KERAS_TEST.read_text()
    folder = Path(tempfile.mkdtemp(prefix="lrkit-keras-tests-"))
    files = {
        "test_on_lrkit_keras.py": source.replace(
            SCHEDULES_IMPORT, "from lrkit import keras as schedules"
        ),
        "test_on_plain_lrkit.py": source.replace(SCHEDULES_IMPORT, "import lrkit as schedules"),
    }
    for name, text in files.items():
        (folder / name).write_text(text)
    # Keras's test marker, registered in Keras's own conftest (not in the wheel).
    (folder / "pytest.ini").write_text(
        "[pytest]\nmarkers =\n    requires_trainable_backend: needs a backend with fit\n"
    )
    env = {
        **os.environ,
        "KERAS_BACKEND": "jax",
        "JAX_PLATFORMS": "cpu",
        "CUDA_VISIBLE_DEVICES": "",
        "TF_CPP_MIN_LOG_LEVEL": "3",
    }
    output = tempfile.TemporaryFile("w+")  # noqa: SIM115 (closed by _stop_run)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pytest",
            *files,
            "-q",
            "-p",
            "no:cacheprovider",
            f"--junitxml={folder / 'report.xml'}",
            *_plain_deselections(source),
        ],
        cwd=folder,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
        text=True,
    )
    _RUN.update(process=process, folder=folder, output=output)
    atexit.register(_stop_run)


def keras_test_report() -> ET.Element:
    """The JUnit XML report of Keras's tests, once their run (started early) ends."""
    start_in_background()
    process, output = _RUN["process"], _RUN["output"]
    try:
        process.wait(timeout=600)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    output.seek(0)
    assert process.returncode == 0, output.read()[-6000:]
    return ET.parse(_RUN["folder"] / "report.xml").getroot()


def outcomes(report: ET.Element, file_stem: str) -> dict[str, str]:
    """``Class.test`` -> ``passed``/``skipped``/``failed`` for the tests of one file."""
    found = {}
    for case in report.iter("testcase"):
        if case.get("classname", "").split(".")[0] != file_stem:
            continue
        name = f"{case.get('classname', '').split('.')[-1]}.{case.get('name')}"
        kinds = {child.tag for child in case}
        found[name] = next((k for k in ("failure", "error", "skipped") if k in kinds), "passed")
    return found


def keras_test_names(source: str) -> set[str]:
    """``Class.test`` for every test method in Keras's module, read from its source."""
    names, current = set(), None
    for line in source.splitlines():
        if match := re.match(r"class (\w+)\(", line):
            current = match[1]
        elif (match := re.match(r"    def (test_\w+)\(", line)) and current is not None:
            names.add(f"{current}.{match[1]}")
    return names


def test_keras_schedule_tests_pass_on_lrkit() -> None:
    source = keras_test_source()
    try:
        report = keras_test_report()
    finally:
        _stop_run()
    expected = keras_test_names(source)
    assert len(expected) > 30
    assert "TestFitLRSchedulesFlow.test_fit_lr_correctness" in expected

    on_native = outcomes(report, "test_on_lrkit_keras")
    assert set(on_native) == expected  # the whole module ran, fit and round trips included
    assert {name: kind for name, kind in on_native.items() if kind != "passed"} == {}

    on_plain = outcomes(report, "test_on_plain_lrkit")
    values = {name for name in expected if name.split(".")[1] not in NOT_FOR_PLAIN}
    assert len(values) > 20
    assert set(on_plain) == values
    assert {name: kind for name, kind in on_plain.items() if kind != "passed"} == {}
