"""Coverage-guided fuzzing of ``lrkit.from_json`` and ``lrkit.deserialize`` with atheris.

Optional and not run by CI (the Hypothesis fuzz tests in
``tests/test_fuzz_configs.py`` are). It needs ``pip install atheris`` and
the test extras, and checks the same contract as those tests: reading any
bytes gives a schedule that evaluates and round-trips, or raises
``ValueError``/``TypeError`` with a clear message, and imports nothing.

Run from the repository root, for example::

    python fuzz/fuzz_configs.py fuzz/corpus -max_total_time=600 -max_len=4096

The corpus folder is created and seeded with the JSON of every example in
``tests/conftest.py`` when it is missing or empty; other arguments are
libFuzzer's (``-runs=N``, ``-max_total_time=S``, ``-jobs=N``...); a
crashing input is written to the temporary folder unless
``-artifact_prefix=`` says where.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
os.environ.setdefault("KERAS_BACKEND", "numpy")

with atheris.instrument_imports(include=["lrkit"]):
    import lrkit

from conftest import EXAMPLES
from test_fuzz_configs import read, read_every_way


def seed(corpus: Path) -> None:
    """Write every example's JSON (and its Keras-shaped variants) into ``corpus``."""
    corpus.mkdir(parents=True, exist_ok=True)
    if any(corpus.iterdir()):
        return
    for key, schedule in EXAMPLES.items():
        (corpus / f"{key}.json").write_text(lrkit.to_json(schedule))
        bare = {"class_name": type(schedule).__name__, "config": schedule.get_config()}
        (corpus / f"{key}-bare.json").write_text(json.dumps(bare))


def test_one_input(data: bytes) -> None:
    read(data, lrkit.from_json)
    try:
        config = json.loads(data)
    except (ValueError, RecursionError):
        return
    read_every_way(config)


def main() -> None:
    corpora = [arg for arg in sys.argv[1:] if not arg.startswith("-")]
    if corpora:
        seed(Path(corpora[0]))
    argv = list(sys.argv)
    if not any(arg.startswith("-artifact_prefix=") for arg in argv):
        # Crashing inputs go to the temporary folder, not the working tree.
        argv.append(f"-artifact_prefix={Path(tempfile.gettempdir()) / 'lrkit-fuzz-'}")
    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
