"""Every script in ``examples/`` runs to completion (each checks its own results).

The scripts run as subprocesses, all at once.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples"

#: Script -> the modules it needs.
SCRIPTS = {
    "torch_warmup_cosine_resume.py": ["torch"],
    "jax_optax_loop.py": ["jax", "optax"],
    "keras_fit.py": ["keras", "jax"],
}


def _missing(modules: list[str]) -> list[str]:
    return [name for name in modules if importlib.util.find_spec(name) is None]


@pytest.fixture(scope="session")
def runs() -> Iterator[dict[str, subprocess.Popen[str]]]:
    """Every example, started together when the first one is needed; stopped at the end."""
    env = {
        **os.environ,
        "KERAS_BACKEND": "jax",
        "JAX_PLATFORMS": "cpu",
        "CUDA_VISIBLE_DEVICES": "",
        "TF_CPP_MIN_LOG_LEVEL": "3",
    }
    started = {
        script: subprocess.Popen(
            [sys.executable, str(EXAMPLES_DIR / script)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for script, modules in SCRIPTS.items()
        if not _missing(modules)
    }
    yield started
    for process in started.values():
        if process.poll() is None:
            process.kill()
            process.communicate()


def test_every_example_is_listed() -> None:
    assert sorted(path.name for path in EXAMPLES_DIR.glob("*.py")) == sorted(SCRIPTS)


@pytest.mark.parametrize("script", list(SCRIPTS))
def test_example_runs(script: str, runs: dict[str, subprocess.Popen[str]]) -> None:
    if script not in runs:
        pytest.skip(f"needs {', '.join(_missing(SCRIPTS[script]))}")
    process = runs[script]
    try:
        stdout, stderr = process.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    assert process.returncode == 0, f"{script} failed:\n{stderr[-4000:]}"
    assert stdout.strip(), f"{script} printed nothing"
