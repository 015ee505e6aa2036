"""Every script in ``examples/`` runs to completion (each checks its own results).

The scripts run as subprocesses, all at once, started when the tests are
collected (``start_in_background``, called by ``conftest.py``), so that they
run beside the rest of the suite.
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples"

#: Script -> the modules it needs.
SCRIPTS = {
    "torch_warmup_cosine_resume.py": ["torch"],
    "jax_optax_loop.py": ["jax", "optax"],
    "keras_fit.py": ["keras", "jax"],
}

#: Script -> its process and the files holding its stdout and stderr.
_STARTED: dict[str, tuple[subprocess.Popen[str], IO[str], IO[str]]] = {}


def _missing(modules: list[str]) -> list[str]:
    return [name for name in modules if importlib.util.find_spec(name) is None]


def _stop_all() -> None:
    for process, out, err in _STARTED.values():
        if process.poll() is None:
            process.kill()
            process.wait()
        out.close()
        err.close()


def start_in_background() -> None:
    """Start every example whose libraries are installed (once)."""
    if _STARTED:
        return
    env = {
        **os.environ,
        "KERAS_BACKEND": "jax",
        "JAX_PLATFORMS": "cpu",
        "CUDA_VISIBLE_DEVICES": "",
        "TF_CPP_MIN_LOG_LEVEL": "3",
    }
    for script, modules in SCRIPTS.items():
        if _missing(modules):
            continue
        # Files, not pipes: a chatty script cannot block on a full pipe while nobody reads.
        # They stay open while the script runs; _stop_all closes them.
        out = tempfile.TemporaryFile("w+")  # noqa: SIM115
        err = tempfile.TemporaryFile("w+")  # noqa: SIM115
        process = subprocess.Popen(
            [sys.executable, str(EXAMPLES_DIR / script)], env=env, stdout=out, stderr=err, text=True
        )
        _STARTED[script] = (process, out, err)
    atexit.register(_stop_all)


@pytest.fixture(scope="session")
def runs() -> Iterator[dict[str, tuple[subprocess.Popen[str], IO[str], IO[str]]]]:
    """Every example, started (if collection did not start them already); stopped at the end."""
    start_in_background()
    yield _STARTED
    _stop_all()


def test_every_example_is_listed() -> None:
    assert sorted(path.name for path in EXAMPLES_DIR.glob("*.py")) == sorted(SCRIPTS)


@pytest.mark.parametrize("script", list(SCRIPTS))
def test_example_runs(
    script: str, runs: dict[str, tuple[subprocess.Popen[str], IO[str], IO[str]]]
) -> None:
    if script not in runs:
        pytest.skip(f"needs {', '.join(_missing(SCRIPTS[script]))}")
    process, out, err = runs[script]
    try:
        process.wait(timeout=300)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    out.seek(0)
    err.seek(0)
    stdout, stderr = out.read(), err.read()
    assert process.returncode == 0, f"{script} failed:\n{stderr[-4000:]}"
    assert stdout.strip(), f"{script} printed nothing"
