"""Shared test helpers: where the fixtures and the real-world corpus live."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# tgarchive's own tests use the helpers plugin authors get: `pytest --update-goldens`.
pytest_plugins = ["tgarchive.testing"]

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def corpus_dir(*parts: str) -> Path:
    """A folder of the shared real-world corpus.

    The corpus lives beside the clone (../shared/corpus), where CI has it too. Outside CI a
    missing corpus skips its tests; with TGARCHIVE_REQUIRE_CORPUS=1 (set by .ci/run) a missing
    corpus is a failure, so the real-data tests can never be skipped silently there.
    """
    path = CORPUS.joinpath(*parts)
    if not path.exists():
        if os.environ.get("TGARCHIVE_REQUIRE_CORPUS") == "1":
            pytest.fail(f"the shared corpus is missing: {path}")
        pytest.skip(f"shared corpus not present at {path}")
    return path


def json_fixtures() -> list[Path]:
    return sorted((FIXTURES / "desktop-json").glob("*.json"))
