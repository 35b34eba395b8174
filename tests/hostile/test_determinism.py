"""The same input gives the same output: across runs, processes and hash seeds."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

from ..conftest import FIXTURES

SCRIPT = """
import hashlib, sys, warnings
import tgarchive
warnings.simplefilter("ignore")
for path in sys.argv[1:]:
    archive = tgarchive.load(path)
    text = tgarchive.dumps(archive) + "".join(str(i) for i in archive.issues)
    print(hashlib.sha256(text.encode()).hexdigest())
"""


def test_output_is_identical_across_processes_and_hash_seeds():
    """Desktop JSON and HTML exports dump to the same bytes under different PYTHONHASHSEEDs."""
    inputs = [str(FIXTURES / "equivalence" / "generated" / "messages.html"),
              str(FIXTURES / "desktop-json" / "telegram_quirks.json"),
              str(FIXTURES / "desktop-html" / "edge_cases" / "messages.html")]  # fmt: skip
    runs = []
    for seed in ("1", "2", "random"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", SCRIPT, *inputs], env=env, check=True,
                             capture_output=True, text=True).stdout  # fmt: skip
        runs.append(out.split())
    assert len(runs[0]) == 3
    assert runs[0] == runs[1] == runs[2]
    # and in this process too
    import warnings

    import tgarchive

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        archive = tgarchive.load(inputs[0])
    text = tgarchive.dumps(archive) + "".join(str(i) for i in archive.issues)
    assert hashlib.sha256(text.encode()).hexdigest() == runs[0][0]
