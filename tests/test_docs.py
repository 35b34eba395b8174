"""The examples in docstrings and docs run and say what they claim."""

from __future__ import annotations

import doctest
import functools
import importlib
import importlib.util
import os
import re
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import tgarchive

MODULES = ["tgarchive", "tgarchive.api", "tgarchive.models", "tgarchive.errors", "tgarchive.text",
           "tgarchive.parsers", "tgarchive.parsers.desktop_json", "tgarchive.writers",
           "tgarchive.writers.desktop_json", "tgarchive.parsers.web_preview",
           "tgarchive.testing", "tgarchive.tables", "tgarchive._search",
           "tgarchive._merge", "tgarchive.writers.sqlite", "tgarchive.writers.parquet",
           "tgarchive.parsers.jsonl", "tgarchive.parsers.sqlite", "tgarchive._stats",
           "tgarchive.report", "tgarchive.cli"]  # fmt: skip
ROOT = Path(__file__).parents[1]
DOCS = ROOT / "docs"
FIXTURES = Path(__file__).parent / "fixtures"
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE

# The convention (CONTRIBUTING.md, "Every example on the site runs"): python/pycon fences run,
# a fence right after <!-- no-test --> does not, <!-- test-setup ... --> prepares the folder.
_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<lang>[\w+-]*)[^\n]*$")
_SETUP = re.compile(r"<!--\s*test-setup\s*\n(?P<code>.*?)-->", re.DOTALL)
_NO_TEST = "<!-- no-test -->"


@dataclass(frozen=True)
class Example:
    """One fenced code block of a docs page: where it is, and how it runs."""

    page: Path
    line: int  # 1-based line of the block's first code line
    kind: str  # "doctest" or "script"
    code: str

    @property
    def name(self) -> str:
        page = self.page.relative_to(ROOT) if self.page.is_relative_to(ROOT) else self.page
        return f"{page}:{self.line}"


def doc_pages() -> list[Path]:
    """Every page of the site: docs/**/*.md, the build hooks' folder excepted."""
    return sorted(p for p in DOCS.rglob("*.md") if "_hooks" not in p.parts)


def examples(page: Path) -> list[Example]:
    """The runnable examples of ``page``, in page order (see the convention above)."""
    lines = page.read_text(encoding="utf-8").splitlines()
    found: list[Example] = []
    i = 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if match is None:
            i += 1
            continue
        fence, indent, lang = match["fence"], len(match["indent"]), match["lang"].lower()
        start = i + 1
        end = start
        while end < len(lines) and not lines[end].strip().startswith(fence):
            end += 1
        body = [line[indent:] if line[:indent].strip() == "" else line for line in lines[start:end]]
        previous = next((lines[j].strip() for j in range(i - 1, -1, -1) if lines[j].strip()), "")
        code = "\n".join(body) + "\n"
        if lang in ("python", "py", "pycon") and previous != _NO_TEST and code.strip():
            first = code.lstrip().splitlines()[0]
            kind = "doctest" if first.startswith(">>>") else "script"
            if lang == "pycon" and kind == "script":
                raise AssertionError(f"{page}:{start + 1}: a pycon block must start with >>>")
            found.append(Example(page, start + 1, kind, code))
        i = end + 1
    return found


def setup_code(page: Path) -> str | None:
    """The page's hidden setup block, if it has one (at most one)."""
    blocks = _SETUP.findall(page.read_text(encoding="utf-8"))
    assert len(blocks) <= 1, f"{page}: more than one test-setup block"
    return blocks[0] if blocks else None


def run_page(page: Path, workdir: Path) -> int:
    """Run every example of ``page`` in ``workdir``; returns the number of examples run."""
    old = Path.cwd()
    os.chdir(workdir)
    try:
        with warnings.catch_warnings():
            # Lenient reading warns by design (what a user sees); any other warning still fails.
            warnings.simplefilter("ignore", tgarchive.TgArchiveWarning)
            return _run_examples(page)
    finally:
        os.chdir(old)


def _run_examples(page: Path) -> int:
    setup = setup_code(page)
    if setup is not None:
        env = {"FIXTURES": FIXTURES, "SAMPLE": tgarchive.sample_path(), "Path": Path}
        exec(compile(setup, f"{page}:test-setup", "exec"), env)
    namespace: dict[str, Any] = {"__name__": "__docs__"}
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    found = examples(page)
    for example in found:
        if example.kind == "script":
            exec(compile(example.code, example.name, "exec"), namespace)
            continue
        test = parser.get_doctest(
            example.code, namespace, example.name, str(page), example.line - 1
        )
        runner.run(test, clear_globs=False)
        assert runner.failures == 0, f"doctest failed at {example.name} (output above)"
    return len(found)


PAGES_WITH_EXAMPLES = [p for p in doc_pages() if examples(p)]


@pytest.mark.parametrize("page", PAGES_WITH_EXAMPLES, ids=lambda p: str(p.relative_to(DOCS)))
def test_doc_page_examples_run(page, tmp_path, capsys):
    """Every python/pycon example of a docs page runs, doctests with the output they show."""
    assert run_page(page, tmp_path) > 0


def test_examples_are_found_on_the_pages_that_have_them():
    """The collector finds the examples of the pages known to have them, of both kinds."""
    found = {p.relative_to(DOCS).as_posix(): examples(p) for p in PAGES_WITH_EXAMPLES}
    for page in ("quickstart.md", "bilingual.md", "errors.md", "faq.md"):
        assert page in found, page
    kinds = {e.kind for page in found.values() for e in page}
    assert kinds == {"doctest", "script"}
    assert len([e for e in found["bilingual.md"] if e.kind == "doctest"]) >= 7


def test_collector_convention(tmp_path):
    """Fences are sorted by language and marker: pycon doctests, python scripts, no-test skipped."""
    page = tmp_path / "page.md"
    page.write_text(
        "# t\n\n<!-- test-setup\nPath('x.txt').write_text('7')\n-->\n\n"
        "```python\nfrom pathlib import Path\nn = int(Path('x.txt').read_text())\n```\n\n"
        "<!-- no-test -->\n```python\nraise SystemExit('never run')\n```\n\n"
        "```bash\nexit 1\n```\n\n"
        "- a list item:\n\n  ```pycon\n  >>> n * 6\n  42\n  ```\n",
        encoding="utf-8",
    )
    found = examples(page)
    assert [(e.kind, e.line) for e in found] == [("script", 8), ("doctest", 24)]
    assert run_page(page, tmp_path) == 2
    page.write_text("```pycon\n>>> 1 + 1\n3\n```\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="doctest failed"):
        run_page(page, tmp_path)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    """Every >>> example in the public modules passes."""
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=FLAGS)
    assert result.failed == 0
    assert result.attempted > 0


def _exported_doctests(module: ModuleType) -> list[doctest.DocTest]:
    """The doctests of every object a module exports, wherever it is defined.

    ``doctest.testmod`` skips re-exported objects (``tgarchive.text``'s functions live in
    private modules) and ``cached_property`` members, yet the reference pages show them all.
    """
    finder = doctest.DocTestFinder()
    tests: dict[tuple[str | None, int | None, str], doctest.DocTest] = {}
    for name in getattr(module, "__all__", []):
        obj = getattr(module, name)
        if not (isinstance(obj, type) or callable(obj)):
            continue
        home = sys.modules[obj.__module__]  # examples see the globals of where they are written
        found = finder.find(obj, name, module=home, globs=dict(vars(home)))
        if isinstance(obj, type):
            for attr, value in vars(obj).items():
                if isinstance(value, functools.cached_property):
                    found += finder.find(value.func, f"{name}.{attr}", module=home,
                                         globs=dict(vars(home)))  # fmt: skip
        for test in found:
            if test.examples:
                tests.setdefault((test.filename, test.lineno, test.docstring or ""), test)
    return list(tests.values())


@pytest.mark.parametrize("name", MODULES)
def test_exported_docstring_examples(name):
    """Every >>> example of every exported object runs, re-exported ones included."""
    module = importlib.import_module(name)
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    for test in _exported_doctests(module):
        runner.run(test)
    assert runner.failures == 0


def test_exported_docstring_examples_reach_the_re_exported_helpers():
    """The re-exported text helpers and Post.lang are among the examples run."""
    names = {t.name for t in _exported_doctests(importlib.import_module("tgarchive.text"))}
    assert {"detect_lang", "normalize", "parse_count", "chosung"} <= names
    names = {t.name for t in _exported_doctests(tgarchive)}
    assert "Post.lang" in names


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


def _hook(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        f"docs_hooks_{name}", DOCS / "_hooks" / f"{name}.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_cli_reference_lists_every_command_and_option():
    """The generated CLI reference shows every subcommand and option of the real parser."""
    import argparse

    from tgarchive.cli import build_parser

    page = _hook("cli_reference").render()
    parser = build_parser()
    subparsers = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    assert subparsers
    for sub in subparsers:
        for name, child in sub.choices.items():
            assert f"## `tgarchive {name}`" in page, name
            for action in child._actions:
                if action.help == argparse.SUPPRESS or isinstance(action, argparse._HelpAction):
                    continue
                for option in action.option_strings:
                    assert f"`{option}" in page or f", {option}" in page, (name, option)
                if action.help and "%(" not in action.help:
                    assert " ".join(action.help.split()) in page, (name, action.help)
    assert "--version" in page


def test_cli_reference_renders_a_small_parser_exactly():
    """Choices, defaults, required options and optional positionals are spelled out."""
    import argparse

    parser = argparse.ArgumentParser(prog="demo", description="A demo.")
    sub = parser.add_subparsers(dest="command")
    run = sub.add_parser("run", help="run it")
    run.add_argument("path", nargs="?", help="what to run")
    run.add_argument("--mode", choices=["a", "b"], default="a", help="how")
    run.add_argument("-o", "--output", required=True, help="where to")
    run.add_argument("--top", type=int, default=10, help="rows per list (10)")
    page = _hook("cli_reference").render(parser)
    assert "## `demo`\n\nA demo." in page
    assert "### `demo run`\n\nrun it" in page
    assert "| `path` | what to run (optional) |" in page
    assert "| `--mode MODE` | how (one of `a`, `b`; default `a`) |" in page
    assert "| `-o OUTPUT, --output OUTPUT` | where to (required) |" in page
    assert "| `--top TOP` | rows per list (10) |" in page  # the default is not said twice
    assert "[`run`](#demo-run)" in page


def test_docstrings_become_markdown():
    """reST roles, literals, literal blocks and doctests in docstrings render as Markdown."""
    to_markdown = _hook("rst_docstrings").to_markdown
    text = (
        "Read :class:`~tgarchive.models.Post` with :func:`load` (``strict=True``).\n\n"
        "Example::\n\n    >>> 1 + 1\n    2\n\nA tree::\n\n    A\n    └── B\n\nEnd.\n"
    )
    assert to_markdown(text).splitlines() == [
        "Read `Post` with `load` (`strict=True`).", "", "Example:", "", "```pycon",
        ">>> 1 + 1", "2", "```", "", "A tree:", "", "```text", "A", "└── B", "```", "", "End.",
    ]  # fmt: skip
    assert (
        to_markdown(">>> x = 1\n>>> x\n1\n\nafter") == "```pycon\n>>> x = 1\n>>> x\n1\n```\n\nafter"
    )


def test_examples_run(tmp_path):
    """Every script in examples/ runs on bundled data and prints what it promises."""
    import subprocess

    examples_dir = ROOT / "examples"
    twin = FIXTURES / "equivalence" / "generated" / "messages.html"

    def run(*args: str) -> str:
        return subprocess.run([sys.executable, *args], capture_output=True, text=True,
                              check=True).stdout  # fmt: skip

    out = run(str(examples_dir / "korean_posts.py"), "--sample")
    assert "5 of 10 posts are in Korean" in out
    out = run(str(examples_dir / "reactions_and_links.py"), "--sample")
    assert "most reacted:" in out and "most linked: huyenchip.com (2)" in out
    target = tmp_path / "result.json"
    out = run(str(examples_dir / "html_to_json.py"), str(twin), str(target))
    assert "wrote 60 posts" in out
    assert tgarchive.load(target).format == "desktop-json"
    assert sorted(p.name for p in examples_dir.glob("*.py")) == [
        "html_to_json.py", "korean_posts.py", "reactions_and_links.py"]  # fmt: skip
