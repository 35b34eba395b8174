"""The tgarchive command line."""

from __future__ import annotations

import json
import subprocess
import sys

import tgarchive
from tgarchive.cli import build_parser, main

from .conftest import FIXTURES


def test_info_on_the_bundled_sample(capsys):
    """info --sample summarises the sample channel: chat, counts, dates, forwards, reactions."""
    assert main(["info", "--sample"]) == 0
    out = capsys.readouterr().out
    assert "Continuous Learning_Startup & Investment [public_channel]" in out
    assert "Posts:      12 (2 service" in out
    assert "2023-06-19 02:00 → 2023-07-19 03:00 UTC" in out
    assert "GeekNews (1)" in out
    assert "🔥 (69)" in out
    assert "👍 (66)" in out
    assert "arxiv.org (1)" in out


def test_info_account_export_lists_every_chat(capsys):
    """Each chat of an account export gets its own block."""
    assert main(["info", str(FIXTURES / "desktop-json" / "account_export.json")]) == 0
    out = capsys.readouterr().out
    assert out.count("Chat:") == 4
    assert "Old Channel [public_channel]" in out


def test_info_reports_problems_and_strict_fails(tmp_path, capsys):
    """Problems are listed at the end; --strict turns the first into exit status 1."""
    bad = tmp_path / "result.json"
    bad.write_bytes(tgarchive.sample_path().read_bytes().replace(b'"id": 5,', b'"id": null,', 1))
    assert main(["info", str(bad)]) == 0
    assert "1 problem(s) in the input" in capsys.readouterr().out
    assert main(["info", "--strict", str(bad)]) == 1
    assert "must be an integer" in capsys.readouterr().err


def test_convert_round_trips(tmp_path, capsys):
    """convert --to desktop-json writes a file that equals the input as JSON."""
    out = tmp_path / "out.json"
    assert (
        main(["convert", str(tgarchive.sample_path()), "--to", "desktop-json", "-o", str(out)]) == 0
    )
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(
        tgarchive.sample_path().read_text(encoding="utf-8"))  # fmt: skip


def test_missing_input_exit_status(capsys):
    """An unreadable input exits with status 2 and a one-line message, no traceback."""
    assert main(["info", "/nonexistent/export"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("tgarchive: ")
    assert "Traceback" not in err


def test_every_subcommand_has_help():
    """Each subcommand is documented in the help text and in docs/cli.md."""
    parser = build_parser()
    text = parser.format_help()
    from pathlib import Path

    doc = (Path(__file__).parents[1] / "docs" / "cli.md").read_text(encoding="utf-8")
    for command in ("info", "convert", "formats"):
        assert command in text
        assert f"tgarchive {command}" in doc


def test_console_script_runs():
    """python -m tgarchive works like the console script."""
    proc = subprocess.run([sys.executable, "-m", "tgarchive", "formats"], capture_output=True,
                          text=True, check=True)  # fmt: skip
    assert "desktop-json" in proc.stdout
