"""Docs stay inside the repository, and examples explain themselves when called wrong."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))


def _link_targets(text: str) -> list[str]:
    inline = re.findall(r"\]\(([^)\s]+)\)", text)
    reference = re.findall(r"^\[[^\]]+\]:\s*(\S+)", text, flags=re.MULTILINE)
    return inline + reference


def test_bilingual_doc_points_only_inside_the_repository():
    """docs/bilingual.md names no path outside the repository (links, quoted paths)."""
    doc = ROOT / "docs" / "bilingual.md"
    text = doc.read_text(encoding="utf-8")
    for target in _link_targets(text):
        if re.match(r"[a-z]+://", target):
            continue
        resolved = (doc.parent / target.split("#", 1)[0]).resolve()
        assert resolved.is_relative_to(ROOT), target
        assert resolved.exists(), target
    assert "../shared" not in text and "/work/" not in text


def test_examples_are_all_covered():
    """The examples this file checks are every script in examples/."""
    assert [p.name for p in EXAMPLES] == [
        "html_to_json.py",
        "korean_posts.py",
        "reactions_and_links.py",
    ]


@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.name)
def test_example_without_arguments_prints_usage(script):
    """Run with no argument, an example prints a usage line and exits 2, no traceback."""
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.startswith(f"usage: {script.name} ")
    assert "Traceback" not in done.stderr and done.stdout == ""


@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.name)
def test_example_on_a_missing_export_says_so(script, tmp_path):
    """A path that names nothing gives one error line and status 1, no traceback."""
    missing = tmp_path / "nothing-here"
    args = (
        [str(missing), str(tmp_path / "out.json")]
        if script.name == "html_to_json.py"
        else [str(missing)]
    )
    done = subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr == f"error: {missing}: no such file or folder\n"
