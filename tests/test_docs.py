"""The examples in docstrings and docs run and say what they claim."""

from __future__ import annotations

import doctest
import importlib
import re
from pathlib import Path

import pytest

import tgarchive

MODULES = ["tgarchive", "tgarchive.api", "tgarchive.models", "tgarchive.errors", "tgarchive.text",
           "tgarchive.parsers", "tgarchive.parsers.desktop_json", "tgarchive.writers",
           "tgarchive.writers.desktop_json", "tgarchive.tables", "tgarchive._search",
           "tgarchive._merge", "tgarchive.writers.sqlite", "tgarchive.writers.parquet",
           "tgarchive.parsers.jsonl", "tgarchive.parsers.sqlite", "tgarchive._stats",
           "tgarchive.report", "tgarchive.cli"]  # fmt: skip
DOCS = Path(__file__).parents[1] / "docs"


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    """Every >>> example in the public modules passes."""
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
    assert result.attempted > 0


def test_public_names_are_documented():
    """Every public name has a docstring and is mentioned in docs/api.md."""
    api = (DOCS / "api.md").read_text(encoding="utf-8")
    for name in tgarchive.__all__:
        if name == "__version__":
            continue
        obj = getattr(tgarchive, name)
        if callable(obj):
            assert obj.__doc__, name
        assert re.search(rf"\b{re.escape(name)}\b", api), f"{name} missing from docs/api.md"


def test_cli_doc_shows_real_output(capsys):
    """The sample output quoted in docs/cli.md is what the command prints."""
    from tgarchive.cli import main

    main(["info", "--sample"])
    out = capsys.readouterr().out.splitlines()
    doc = (DOCS / "cli.md").read_text(encoding="utf-8")
    for line in out[2:7]:
        assert line in doc


def test_bilingual_doc_examples():
    """Every >>> example in docs/bilingual.md passes."""
    from datetime import datetime

    import tgarchive.text as text

    globs = {name: getattr(text, name) for name in text.__all__} | {"datetime": datetime}
    result = doctest.testfile(str(DOCS / "bilingual.md"), module_relative=False, globs=globs,
                              optionflags=doctest.ELLIPSIS)  # fmt: skip
    assert result.failed == 0
    assert result.attempted >= 10


def test_examples_run(tmp_path):
    """Every script in examples/ runs on bundled data and prints what it promises."""
    import subprocess
    import sys

    examples = Path(__file__).parents[1] / "examples"
    twin = Path(__file__).parent / "fixtures" / "equivalence" / "generated" / "messages.html"

    def run(*args: str) -> str:
        return subprocess.run([sys.executable, *args], capture_output=True, text=True,
                              check=True).stdout  # fmt: skip

    out = run(str(examples / "korean_posts.py"))
    assert "5 of 10 posts are in Korean" in out
    out = run(str(examples / "reactions_and_links.py"))
    assert "most reacted:" in out and "most linked: huyenchip.com (2)" in out
    target = tmp_path / "result.json"
    out = run(str(examples / "html_to_json.py"), str(twin), str(target))
    assert "wrote 60 posts" in out
    assert tgarchive.load(target).format == "desktop-json"
    assert sorted(p.name for p in examples.glob("*.py")) == [
        "html_to_json.py", "korean_posts.py", "reactions_and_links.py"]  # fmt: skip


OUTPUT_PAGES = sorted((DOCS / "outputs").glob("*.md"))


@pytest.mark.parametrize("page", OUTPUT_PAGES, ids=lambda p: p.name)
def test_output_doc_examples(page, tmp_path, monkeypatch):
    """Every >>> example in the docs/outputs pages passes (run in a scratch folder)."""
    monkeypatch.chdir(tmp_path)
    result = doctest.testfile(str(page), module_relative=False,
                              optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)  # fmt: skip
    assert result.failed == 0
    assert result.attempted >= 3
