"""The tgarchive command line, through main(argv) and as a real process."""

from __future__ import annotations

import contextlib
import io
import json
import os
import pty
import re
import select
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tgarchive
import tgarchive.cli as cli
from tgarchive.cli import build_parser, main, reference_markdown, subcommands
from tgarchive.writers import default_writers

from .conftest import FIXTURES, corpus_dir
from .property.strategies import chat_export

ACCOUNT = FIXTURES / "desktop-json" / "account_export.json"
DOCS = Path(__file__).parents[1] / "docs"
ENV = {**os.environ, "PYTHONIOENCODING": "utf-8"}


def big_export(tmp_path: Path, copies: int = 400) -> Path:
    """The sample channel with its messages repeated under new ids (12 x copies posts)."""
    data = json.loads(tgarchive.sample_path().read_text(encoding="utf-8"))
    messages = data["messages"]
    data["messages"] = [
        {**message, "id": copy * 100 + message["id"]}
        for copy in range(copies)
        for message in messages
    ]
    for message in data["messages"]:
        message.pop("reply_to_message_id", None)
    path = tmp_path / "result.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def run(*args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tgarchive", *args], capture_output=True,
                          text=True, env=ENV, timeout=300, check=False, **kwargs)  # fmt: skip


# -- info ---------------------------------------------------------------------------------


def test_info_on_the_bundled_sample(capsys):
    """info --sample summarises the sample channel: chat, counts, dates, forwards, reactions."""
    assert main(["info", "--sample"]) == 0
    out = capsys.readouterr().out
    assert "Continuous Learning_Startup & Investment [public_channel]" in out
    assert "Posts:      12 (2 service, 1 edited, 1 reply)" in out
    assert "2023-06-19 02:00 → 2023-07-19 03:00 UTC" in out
    assert "GeekNews (1)" in out
    assert "🔥 (69)" in out
    assert "👍 (66)" in out
    assert "arxiv.org (1)" in out
    assert "Total:" not in out  # one chat: its block is the total


def test_info_account_export_skips_empty_chats_and_prints_totals(capsys):
    """An account export lists the chats that have posts, then totals over every chat."""
    assert main(["info", str(ACCOUNT)]) == 0
    out = capsys.readouterr().out
    assert out.count("Chat:") == 3
    assert "saved_messages" not in out  # the chat without posts
    assert "Old Channel [public_channel]" in out
    assert "Total:      4 chats (1 without posts, not listed above)" in out
    total = out.split("Total:")[1]
    assert "Posts:      5 (1 service, 0 edited, 1 reply)" in total
    assert "Dates:      2019-12-31 14:59 → 2024-05-02 00:00 UTC" in total


def test_info_without_a_path_is_a_usage_error(capsys):
    """info with neither PATH nor --sample exits 2 (a usage error), not 1."""
    assert main(["info"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "tgarchive info: give an export PATH (a folder, result.json, messages.html or .zip), "
        "or --sample\n"
    )


def test_info_sample_and_path_is_a_usage_error(capsys):
    """info --sample PATH does not ignore PATH silently: it is a usage error."""
    assert main(["info", "--sample", str(ACCOUNT)]) == 2
    err = capsys.readouterr().err
    assert "not both" in err and "account_export.json" in err
    assert capsys.readouterr().out == ""


def test_problems_are_counted_in_words(tmp_path, capsys):
    """One problem is '1 problem', two are '2 problems'; --strict turns the first into status 1."""
    sample = tgarchive.sample_path().read_bytes()
    one = tmp_path / "one" / "result.json"
    two = tmp_path / "two" / "result.json"
    one.parent.mkdir()
    two.parent.mkdir()
    one.write_bytes(sample.replace(b'"id": 5,', b'"id": null,', 1))
    two.write_bytes(
        sample.replace(b'"id": 5,', b'"id": null,', 1).replace(b'"id": 7,', b'"id": "x",', 1)
    )
    assert main(["info", str(one)]) == 0
    out = capsys.readouterr().out
    assert "\n1 problem in the input:\n" in out
    assert "problem(s)" not in out
    assert main(["info", str(two)]) == 0
    assert "\n2 problems in the input:\n" in capsys.readouterr().out
    assert main(["info", "--strict", str(one)]) == 1
    err = capsys.readouterr().err
    assert "must be an integer" in err
    assert err.count("\n") == 1


def test_info_with_naive_and_aware_dates(tmp_path, capsys):
    """A message without date_unixtime (a naive date) beside aware ones does not crash info."""
    data = json.loads(tgarchive.sample_path().read_text(encoding="utf-8"))
    for message in data["messages"][:2]:
        message.pop("date_unixtime")
    path = tmp_path / "result.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    assert main(["info", str(path)]) == 0
    assert "Posts:      12 (2 service" in capsys.readouterr().out
    assert main(["stats", "--json", str(path)]) == 0
    assert json.loads(capsys.readouterr().out)["total"]["posts"] == 12


def test_unknown_format_says_dash_dash_format(tmp_path, capsys):
    """The library's 'pass format=' reads '--format' on the command line."""
    path = tmp_path / "notes.txt"
    path.write_text("just some notes\n", encoding="utf-8")
    assert main(["info", str(path)]) == 2
    err = capsys.readouterr().err
    assert "--format" in err
    assert "format=" not in err
    assert main(["info", "--format", "desktop-xml", str(path)]) == 2
    assert (
        "unknown format 'desktop-xml' (known: desktop-html, desktop-json" in capsys.readouterr().err
    )


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("x is not in any known format; pass format= if you know what it is",
         "x is not in any known format; pass --format if you know what it is"),
        ("found desktop-html here: pass format='desktop-html'",
         "found desktop-html here: pass --format desktop-html"),
        ('use format="desktop-json"', "use --format desktop-json"),
        ("the format is unknown", "the format is unknown"),
    ],
)  # fmt: skip
def test_cli_text_rewrites_keyword_hints(message, expected):
    """Every way the library spells the format= hint becomes the --format option."""
    assert cli._cli_text(message) == expected


def test_missing_input_exit_status(capsys):
    """An unreadable input exits with status 2 and a one-line message, no traceback."""
    assert main(["info", "/nonexistent/export"]) == 2
    err = capsys.readouterr().err
    assert err == "tgarchive: /nonexistent/export: no such file or folder\n"


def test_debug_shows_the_traceback():
    """--debug lets the exception through (its traceback is printed by Python)."""
    with pytest.raises(FileNotFoundError):
        main(["info", "--debug", "/nonexistent/export"])
    proc = run("info", "--debug", "/nonexistent/export")
    assert proc.returncode == 1  # Python's own status for an uncaught exception
    assert "Traceback (most recent call last)" in proc.stderr


def test_internal_error_is_one_line_and_status_3(monkeypatch, capsys):
    """A bug (an unexpected exception) is one line and status 3; --debug re-raises it."""

    def broken(args, out):
        raise RuntimeError("the stats went sideways")

    monkeypatch.setattr(cli, "_info", broken)
    assert main(["info", "--sample"]) == 3
    err = capsys.readouterr().err
    assert err.startswith("tgarchive: internal error: RuntimeError: the stats went sideways")
    assert "--debug" in err and err.count("\n") == 1
    with pytest.raises(RuntimeError):
        main(["info", "--sample", "--debug"])


def test_interrupt_is_status_130(monkeypatch, capsys):
    """Ctrl-C ends with status 130 and one line, not a KeyboardInterrupt traceback."""

    def interrupted(args, out):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_stats", interrupted)
    assert main(["stats", "--sample"]) == 130
    assert capsys.readouterr().err == "tgarchive: interrupted\n"


def test_help_and_bad_options_statuses(capsys):
    """--help exits 0; an unknown option or command exits 2 with argparse's usage line."""
    assert main(["--help"]) == 0
    assert "report" in capsys.readouterr().out
    assert main(["info", "--sample", "--nope"]) == 2
    assert "unrecognized arguments: --nope" in capsys.readouterr().err
    assert main(["frobnicate"]) == 2
    assert main([]) == 2


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip
@given(chat_export(), st.sampled_from(["info", "stats"]))
def test_reading_commands_never_crash(export, command):
    """On any generated export, info and stats exit 0 (problems listed) and never raise."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "result.json"
        path.write_text(json.dumps(export, ensure_ascii=False, indent=1), encoding="utf-8")
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main([command, str(path)])
    assert (status, err.getvalue()) == (0, "")
    assert out.getvalue().startswith("Source:")


# -- stats --------------------------------------------------------------------------------


def test_stats_text(capsys):
    """stats prints posts per month, sources, domains, reactions and the language mix."""
    assert main(["stats", "--sample"]) == 0
    out = capsys.readouterr().out
    sections = ["Posts per month", "Top forward sources", "Top linked domains",
                "Reactions per emoji", "Language mix"]  # fmt: skip
    assert [line for line in out.splitlines() if line in sections] == sections
    assert "  10  ████████████████████████  2023-07" in out
    assert "  2  ████████████████████████  huyenchip.com" in out
    assert "  5  50.0 %  ████████████████████████  ko" in out
    assert "  69  ████████████████████████  🔥" in out


def test_stats_json_is_the_library_figures(capsys):
    """stats --json prints tgarchive.stats(...).to_dict(), per chat and in total."""
    assert main(["stats", "--json", str(ACCOUNT)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == tgarchive.stats(ACCOUNT).to_dict()
    assert printed["total"]["posts"] == 5
    assert printed["chats"][0]["name"] == "Jihoon Kim"
    assert printed["total"]["months"]["2024-05"] == 2  # the service message is not counted


def test_stats_on_the_corpus(capsys):
    """stats reads a real Arabic/English channel: t.me dominates its links."""
    assert main(["stats", "--json", str(corpus_dir("desktop-json", "salaf"))]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["total"]["posts"] == 213
    assert next(iter(printed["total"]["domains"])) == "t.me"
    assert sum(printed["total"]["months"].values()) == 213 - 5


# -- convert ------------------------------------------------------------------------------


def test_convert_round_trips(tmp_path, capsys):
    """convert --to desktop-json writes a file that equals the input as JSON."""
    out = tmp_path / "out.json"
    assert (
        main(["convert", str(tgarchive.sample_path()), "--to", "desktop-json", "-o", str(out)]) == 0
    )
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(
        tgarchive.sample_path().read_text(encoding="utf-8"))  # fmt: skip
    assert capsys.readouterr().err == f"wrote 12 posts from 1 chat to {out} (desktop-json)\n"


def test_convert_account_export_keeps_account_sections(tmp_path):
    """An account export comes out whole, account-level sections included."""
    out = tmp_path / "copy.json"
    assert main(["convert", str(ACCOUNT), "-o", str(out), "-q"]) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(
        ACCOUNT.read_text(encoding="utf-8")
    )


def test_convert_to_stdout(capsys):
    """-o - writes the output to standard output and the notice to standard error."""
    assert main(["convert", str(tgarchive.sample_path()), "-o", "-"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["name"] == "Continuous Learning_Startup & Investment"
    assert "wrote 12 posts" in captured.err


def test_convert_output_format_errors(tmp_path, capsys):
    """An unknown --to or an unknown suffix is a usage error naming --to, before any reading."""
    assert main(["convert", "/nonexistent", "-o", str(tmp_path / "x.out")]) == 2
    err = capsys.readouterr().err
    assert "cannot tell the output format from" in err and "name it with --to" in err
    assert "format=" not in err
    assert main(["convert", "/nonexistent", "-o", str(tmp_path / "x.json"), "--to", "xml"]) == 2
    names = ", ".join(default_writers().names())
    assert f"cannot write format 'xml' (--to takes one of: {names})" in capsys.readouterr().err
    assert not (tmp_path / "x.out").exists()


def test_convert_requires_output(capsys):
    """convert without -o is a usage error."""
    assert main(["convert", str(tgarchive.sample_path())]) == 2
    assert "-o/--output" in capsys.readouterr().err


@pytest.mark.parametrize("suffix", [".jsonl", ".sqlite"])
def test_convert_to_readable_formats_round_trips(tmp_path, suffix, capsys):
    """Converting to jsonl or sqlite (by the suffix) gives posts that load back equal."""
    out = tmp_path / f"archive{suffix}"
    assert main(["convert", str(ACCOUNT), "-o", str(out)]) == 0
    assert f"wrote 5 posts from 4 chats to {out} ({suffix[1:]})" in capsys.readouterr().err
    assert tgarchive.load(out).posts == tgarchive.load(ACCOUNT).posts


def test_convert_several_sources_into_one(tmp_path, capsys):
    """Several sources are written one after the other, every chat with its posts."""
    out = tmp_path / "both.jsonl"
    sources = [str(tgarchive.sample_path()), str(ACCOUNT)]
    assert main(["convert", *sources, "-o", str(out)]) == 0
    assert "wrote 17 posts from 5 chats" in capsys.readouterr().err
    loaded = tgarchive.load(out)
    assert [len(c.posts) for c in loaded.chats] == [12, 2, 0, 2, 1]


def test_convert_csv_to_stdout(capsys):
    """--to csv with -o - writes the flat table to standard output."""
    assert main(["convert", str(tgarchive.sample_path()), "--to", "csv", "-o", "-", "-q"]) == 0
    captured = capsys.readouterr()
    lines = captured.out.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("chat_id,chat_name,post_id,date")
    assert captured.err == ""


# -- search -------------------------------------------------------------------------------


def test_search_an_export(capsys):
    """search prints the matching posts newest first, one line each, and counts them."""
    assert main(["search", str(tgarchive.sample_path()), "llm"]) == 0
    captured = capsys.readouterr()
    ids = [line.split()[2] for line in captured.out.splitlines()]
    assert ids == ["1739574530/7", "1739574530/5", "1739574530/4", "1739574530/3"]
    assert captured.out.startswith("2023-07-16 03:00  1739574530/7  2023 LLM landscape")
    assert captured.err == "4 posts found\n"


def test_search_sqlite_through_the_index(tmp_path, capsys):
    """On a tgarchive SQLite file, search answers from the index, Korean included."""
    db = tmp_path / "archive.sqlite"
    assert main(["convert", str(tgarchive.sample_path()), "-o", str(db), "-q"]) == 0
    assert main(["search", str(db), "모델", "--json"]) == 0
    captured = capsys.readouterr()
    posts = [tgarchive.Post.model_validate_json(line) for line in captured.out.splitlines()]
    assert [p.id for p in posts] == [
        p.id for p in tgarchive.search(tgarchive.sample_path(), "모델")
    ]
    assert captured.err == "1 post found\n"
    assert main(["search", str(db), "LLM", "--limit", "2"]) == 0
    assert capsys.readouterr().out.count("\n") == 2


def test_search_nothing_found_and_bad_limit(capsys):
    """No match is status 0 with a notice; a negative --limit is a usage error."""
    assert main(["search", str(tgarchive.sample_path()), "zzzz-nowhere"]) == 0
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "no post found\n")
    assert main(["search", str(tgarchive.sample_path()), "x", "--limit", "-1"]) == 2
    assert "--limit takes a number >= 0" in capsys.readouterr().err


def test_search_the_corpus_matches_a_plain_scan(capsys):
    """On a real Arabic/English channel, search finds exactly the posts a plain scan finds."""
    folder = corpus_dir("desktop-json", "salaf")
    assert main(["search", str(folder), "الله", "--json", "-q"]) == 0
    found = [
        tgarchive.Post.model_validate_json(line).id for line in capsys.readouterr().out.splitlines()
    ]
    expected = {p.id for p in tgarchive.iter_posts(folder) if "الله" in p.text}
    assert len(found) == len(expected) > 10
    assert set(found) == expected


# -- merge --------------------------------------------------------------------------------


def test_merge_two_exports(tmp_path, capsys):
    """Two exports of one channel merge into one set of posts; a later edit wins, and is listed."""
    data = json.loads(tgarchive.sample_path().read_text(encoding="utf-8"))
    later = tmp_path / "later" / "result.json"
    later.parent.mkdir()
    message = next(m for m in data["messages"] if m["id"] == 4)
    message["text"] = "corrected text"
    message["text_entities"] = [{"type": "plain", "text": "corrected text"}]
    message["edited"] = "2023-08-01T00:00:00"
    message["edited_unixtime"] = "1690848000"
    later.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    out = tmp_path / "merged.json"
    assert main(["merge", str(tgarchive.sample_path()), str(later), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "merged 2 exports into 12 posts in 1 chat (1 conflict)" in err
    assert "\n1 issue:\n" in err and "post 4" in err
    merged = tgarchive.load(out)
    assert next(p for p in merged.posts if p.id == 4).text == "corrected text"
    assert (
        main(["merge", "--strict", str(tgarchive.sample_path()), str(later), "-o", str(out)]) == 1
    )


def test_merge_json_with_its_html_twin(tmp_path, capsys):
    """The JSON and HTML exports of one real channel merge into the JSON's posts."""
    json_export = corpus_dir("desktop-json", "salaf")
    html_export = corpus_dir("desktop-html", "salaf")
    out = tmp_path / "merged.jsonl"
    assert main(["merge", str(html_export), str(json_export), "-o", str(out), "-q"]) == 0
    merged = tgarchive.load(out)
    assert {p.id for p in merged.posts} == {p.id for p in tgarchive.iter_posts(json_export)}


def test_merge_needs_two(capsys, tmp_path):
    """merge with one source is a usage error pointing at convert."""
    assert main(["merge", str(tgarchive.sample_path()), "-o", str(tmp_path / "x.json")]) == 2
    assert "use convert" in capsys.readouterr().err


# -- closed pipes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["convert", "{src}", "-o", "-"],
        ["convert", "{src}", "--to", "jsonl", "-o", "-"],
        ["stats", "--json", "{src}"],
        ["info", "{src}"],
        ["search", "{src}", "a"],
    ],
)
def test_closed_pipe_is_quiet(tmp_path, command):
    """`tgarchive ... | head` ends quietly with status 0: no 'Broken pipe', no traceback."""
    src = str(big_export(tmp_path, copies=60 if command[0] != "convert" else 400))
    args = [part.format(src=src) for part in command]
    with subprocess.Popen([sys.executable, "-m", "tgarchive", *args], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, env=ENV) as proc:  # fmt: skip
        assert proc.stdout is not None and proc.stderr is not None
        head = proc.stdout.read(20)  # what `head -c 20` would take
        proc.stdout.close()
        err = proc.stderr.read().decode()
        assert proc.wait(timeout=300) == 0
    assert head
    assert "Broken pipe" not in err and "Errno 32" not in err and "Traceback" not in err


def test_closed_pipe_through_a_shell(tmp_path):
    """The same through a real shell pipeline into head."""
    src = big_export(tmp_path)
    proc = subprocess.run(
        f'"{sys.executable}" -m tgarchive convert "{src}" -o - | head -n 3; exit "${{PIPESTATUS[0]}}"',
        shell=True, executable="/bin/bash", capture_output=True, text=True, env=ENV, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0
    assert proc.stdout.count("\n") == 3
    assert proc.stderr == ""


# -- progress -----------------------------------------------------------------------------


def _on_terminal(args: list[str], script: str = "") -> tuple[int, str]:
    """Run the CLI with standard error on a pseudo-terminal; returns its status and output."""
    code = (
        f"import sys, tgarchive.cli as c\n{script}\nc.PROGRESS_DELAY = 0\n"
        f"raise SystemExit(c.main({args!r}))\n"
    )
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL,
                            stderr=follower, env={**ENV, "TERM": "xterm", "COLUMNS": "120"})  # fmt: skip
    os.close(follower)
    chunks = []
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.5)
        if ready:
            try:
                data = os.read(leader, 65536)
            except OSError:  # the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    os.close(leader)
    return proc.wait(timeout=60), b"".join(chunks).decode("utf-8", "replace")


def test_progress_bar_on_a_terminal(tmp_path):
    """On a terminal, reading shows a bar with the posts and bytes read."""
    src = big_export(tmp_path, copies=600)
    status, shown = _on_terminal(["info", str(src)])
    assert status == 0
    assert "result.json" in shown
    assert " posts" in shown
    assert "MB" in shown  # bytes read, from rich's DownloadColumn
    assert "━" in shown  # the bar itself


def test_progress_bar_silenced(tmp_path, capsys):
    """--quiet on a terminal, or standard error not being a terminal, shows no bar."""
    src = big_export(tmp_path, copies=600)
    status, shown = _on_terminal(["info", "--quiet", str(src)])
    assert (status, shown) == (0, "")
    assert main(["info", str(src)]) == 0
    assert capsys.readouterr().err == ""


def test_works_without_rich(tmp_path):
    """Without rich installed, the commands work the same, with no bar."""
    src = big_export(tmp_path, copies=600)
    status, shown = _on_terminal(["info", str(src)], script="sys.modules['rich'] = None")
    assert (status, shown) == (0, "")


# -- formats, help, docs ------------------------------------------------------------------


def test_formats_lists_parsers_and_writers_with_their_origin(capsys):
    """formats lists every parser and writer with the distribution and version providing it."""
    assert main(["formats", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    own = f"tgarchive-kit {tgarchive.__version__}"
    by_key = {(row["direction"], row["name"]): row for row in rows}
    assert (
        by_key[("read", "desktop-json")]["class"]
        == "tgarchive.parsers.desktop_json.DesktopJsonParser"
    )
    assert (
        by_key[("read", "desktop-html")]["class"]
        == "tgarchive.parsers.desktop_html.DesktopHtmlParser"
    )
    assert by_key[("write", "desktop-json")]["origin"] == own
    assert main(["formats"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("write  desktop-json") and own in line for line in lines)


def test_every_subcommand_is_documented():
    """Each subcommand is in the help text, and docs/cli.md has a section for it."""
    parser = build_parser()
    text = parser.format_help()
    doc = (DOCS / "cli.md").read_text(encoding="utf-8")
    for command in ("info", "stats", "convert", "search", "merge", "report", "formats"):
        assert command in text
        assert re.search(rf"^## tgarchive {command}\b", doc, re.M), command


def test_cli_reference_is_current():
    """docs/cli.md holds the reference generated from the parser itself, as it is now."""
    doc = (DOCS / "cli.md").read_text(encoding="utf-8")
    start, end = "<!-- reference: start -->\n", "<!-- reference: end -->"
    current = doc.split(start)[1].split(end)[0]
    assert current == reference_markdown(), (
        'regenerate with: python -c "from tgarchive.cli import update_reference; '
        "update_reference('docs/cli.md')\""
    )


def test_every_reading_command_takes_format_and_strict():
    """--format and --strict are options of every command that reads an export."""
    for command in ("info", "stats", "convert", "search", "merge", "report"):
        help_text = subcommands(build_parser())[command].format_help()
        assert "--format NAME" in help_text and "--strict" in help_text, command


def test_console_script_runs():
    """python -m tgarchive works like the console script."""
    proc = run("formats")
    assert proc.returncode == 0
    assert "desktop-json" in proc.stdout
