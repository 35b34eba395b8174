"""tgarchive.testing: the helpers plugin authors test their parsers with."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import tgarchive
from tgarchive import Chat, Post
from tgarchive.parsers import ParseContext, Source
from tgarchive.testing import (
    FOREIGN_SAMPLES,
    UPDATE_ENV,
    assert_golden,
    assert_never_crashes,
    builtin_samples,
    check_detection,
    snapshot,
    update_requested,
)


class LinesParser:
    """One post per line of a '#tglines' file; an empty line is a problem."""

    name = "tg-lines"

    def detect(self, head: bytes, filename: str | None) -> float:
        return 1.0 if head.startswith(b"#tglines") else 0.0

    def parse(self, source: Source, ctx: ParseContext) -> Iterator[Chat | Post]:
        with source.open() as fh:
            lines = fh.read().decode("utf-8", "replace").splitlines()[1:]
        yield Chat(name="lines")
        for number, line in enumerate(lines, start=2):
            if not line.strip():
                ctx.problem("empty line", ctx.location(line=number))
                continue
            yield Post(id=number - 1, text=line)


def _registry() -> tgarchive.parsers.Registry:
    return tgarchive.parsers.Registry([LinesParser()])


def test_a_golden_is_written_on_update_and_then_compared(tmp_path):
    """With update=True the golden is written; later runs compare against it."""
    golden = tmp_path / "case.posts.json"
    data = b"#tglines\nfirst\nsecond\n"
    assert_golden(data, golden, registry=_registry(), update=True)
    assert '"text": "second"' in golden.read_text(encoding="utf-8")
    archive = assert_golden(data, golden, registry=_registry(), update=False)
    assert [p.text for p in archive.posts] == ["first", "second"]


def test_a_changed_result_fails_with_a_diff_and_the_command_to_update(tmp_path):
    """A result that differs from its golden fails, showing the diff and how to regenerate."""
    golden = tmp_path / "case.posts.json"
    assert_golden(b"#tglines\nfirst\n", golden, registry=_registry(), update=True)
    with pytest.raises(AssertionError) as caught:
        assert_golden(b"#tglines\nchanged\n", golden, registry=_registry(), update=False)
    message = str(caught.value)
    assert '-     "text": "first"' in message and '+     "text": "changed"' in message
    assert "--update-goldens" in message


def test_a_missing_golden_fails_unless_updates_are_asked_for(tmp_path):
    """A golden is never created silently: without an update request a missing one fails."""
    with pytest.raises(AssertionError, match="does not exist"):
        assert_golden(b"#tglines\nx\n", tmp_path / "none.json", registry=_registry(), update=False)


def test_the_update_switch_reads_the_environment(monkeypatch):
    """TGARCHIVE_UPDATE_GOLDENS=1 asks for updates outside pytest's option."""
    monkeypatch.setenv(UPDATE_ENV, "1")
    assert update_requested()
    monkeypatch.setenv(UPDATE_ENV, "0")
    assert not update_requested()


def test_goldens_record_issues_by_file_name_and_line(tmp_path):
    """Lenient problems are part of the golden, located by file name and line only."""
    source = tmp_path / "lines.txt"
    source.write_bytes(b"#tglines\na\n\nb\n")
    archive = assert_golden(source, tmp_path / "g.json", registry=_registry(), update=True)
    assert snapshot(archive)["issues"] == [{"file": "lines.txt", "line": 3, "reason": "empty line"}]


def test_an_invalid_model_fails_even_when_updating(tmp_path):
    """A post that would not validate again is caught in an update run too."""

    class Invalid(LinesParser):
        def parse(self, source: Source, ctx: ParseContext) -> Iterator[Chat | Post]:
            post = Post(id=1, text="abc")
            object.__setattr__(post, "text", 5)  # what a careless fast builder could produce
            yield post

    registry = tgarchive.parsers.Registry([Invalid()])
    with pytest.raises(AssertionError, match=r"post 1 does not validate.*'text'"):
        assert_golden(b"#tglines\n", tmp_path / "g.json", registry=registry, update=True)


def test_detection_check_passes_a_careful_parser_and_fails_a_greedy_one():
    """A parser that only claims its own files passes; one that claims every HTML page fails."""
    check_detection(LinesParser(), [b"#tglines\nhello\n"])

    class Greedy(LinesParser):
        name = "greedy"

        def detect(self, head: bytes, filename: str | None) -> float:
            return 1.0 if b"<" in head or head.startswith(b"#tglines") else 0.0

    with pytest.raises(AssertionError) as caught:
        check_detection(Greedy(), [b"#tglines\nhello\n"])
    message = str(caught.value)
    assert "the desktop-html sample 'messages.html' scores 1.0" in message
    assert "the unrelated input 'page.html' scores 1.0" in message


def test_detection_check_fails_a_parser_that_loses_its_own_samples():
    """A sample of the parser's format that another format wins is reported."""
    with pytest.raises(AssertionError, match="its own sample"):
        check_detection(LinesParser(), [builtin_samples()["desktop-json"][0]])


def test_the_never_crash_property_passes_a_sound_parser_and_catches_a_crash():
    """The property holds for a parser that reports problems and fails one that raises."""
    assert_never_crashes(LinesParser(), [b"#tglines\na\n\nb\n"], max_examples=25)

    class Crashes(LinesParser):
        def parse(self, source: Source, ctx: ParseContext) -> Iterator[Chat | Post]:
            with source.open() as fh:
                data = fh.read()
            yield Post(id=1, text=data.decode("utf-8"))  # UnicodeDecodeError on bad bytes

    with pytest.raises(UnicodeDecodeError):
        assert_never_crashes(Crashes(), [b"#tglines\n\xff\xfe"], max_examples=50)


def test_foreign_samples_are_claimed_by_no_builtin_html_or_preview_parser():
    """The unrelated inputs score 0 for the HTML and web-preview parsers."""
    from tgarchive.parsers.desktop_html import DesktopHtmlParser
    from tgarchive.parsers.web_preview import WebPreviewParser

    for parser in (DesktopHtmlParser(), WebPreviewParser()):
        assert [parser.detect(data, name) for name, data in FOREIGN_SAMPLES] == [0.0] * len(
            FOREIGN_SAMPLES
        )
