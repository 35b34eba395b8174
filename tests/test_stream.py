"""stream(): streaming chats and posts with their problems, and the bytes read so far."""

from __future__ import annotations

import io
import warnings
import zipfile

import pytest

import tgarchive
from tgarchive import ExportStream, ParseError, stream

from .conftest import FIXTURES, corpus_dir
from .test_cli import big_export

SAMPLE = tgarchive.sample_path()


def test_stream_equals_load():
    """The items of stream are the chats and posts load() puts in the archive."""
    archive = tgarchive.load(FIXTURES / "desktop-json" / "account_export.json")
    with stream(FIXTURES / "desktop-json" / "account_export.json") as export:
        items = list(export)
    posts = [item for item in items if isinstance(item, tgarchive.Post)]
    assert posts == archive.posts
    assert [c.name for c in items if isinstance(c, tgarchive.Chat)] == [
        c.name for c in archive.chats
    ]
    assert export.account == archive.account
    assert export.source_keys == archive.source_keys
    assert export.posts_read == len(posts) == 5


def test_bytes_read_reach_the_size_of_a_file():
    """Reading a file to the end counts each of its bytes once (the line locator's reads too)."""
    with stream(SAMPLE) as export:
        assert export.bytes_read == 0
        next(export)
        assert export.size == SAMPLE.stat().st_size
        for _ in export:
            pass
    assert export.bytes_read == export.size


def test_bytes_read_grow_while_reading(tmp_path):
    """Part way through a large export, bytes_read is between 0 and the size."""
    path = big_export(tmp_path, copies=3000)  # 36,000 posts, far more than one read chunk
    seen = []
    with stream(path) as export:
        for n, _item in enumerate(export):
            if n % 5000 == 0:
                seen.append(export.bytes_read)
    assert seen[1] > 0
    assert any(0 < b < export.size for b in seen)  # type: ignore[operator]
    assert seen == sorted(seen)
    assert export.bytes_read == export.size == path.stat().st_size


def test_multi_page_html_counts_every_page():
    """A two-page HTML export counts both pages: size grows as pages open, and is reached."""
    folder = corpus_dir("desktop-html", "civil")
    pages = sorted(folder.glob("messages*.html"))
    with stream(folder) as export:
        sizes = set()
        for _item in export:
            sizes.add(export.size)
    assert export.format == "desktop-html"
    assert len(sizes) == 2  # page 1, then pages 1 + 2
    assert export.size == export.bytes_read == sum(p.stat().st_size for p in pages)
    assert export.posts_read == len(tgarchive.load(folder).posts)


def test_zip_member_sizes(tmp_path):
    """Inside a zip, the size is the member's uncompressed size."""
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.write(SAMPLE, "ChatExport/result.json")
    with stream(path) as export:
        n = sum(1 for _ in export)
    assert n == 13
    assert export.size == export.bytes_read == SAMPLE.stat().st_size


def test_bytes_and_stream_sources():
    """Bytes have a size; a pipe-like stream has none, but its bytes are still counted."""
    data = SAMPLE.read_bytes()
    with stream(data) as export:
        list(export)
    assert export.size == export.bytes_read == len(data)
    with stream(io.BytesIO(data)) as export:
        list(export)
    assert export.size is None
    assert export.bytes_read == len(data)


def test_issues_are_live_and_strict_raises(tmp_path):
    """Lenient problems show on issues as they are met; strict raises at the first."""
    bad = tmp_path / "result.json"
    bad.write_bytes(SAMPLE.read_bytes().replace(b'"id": 5,', b'"id": null,', 1))
    with warnings.catch_warnings(), stream(bad) as export:
        warnings.simplefilter("ignore")
        assert export.issues == []
        list(export)
    assert len(export.issues) == 1
    assert "must be an integer" in str(export.issues[0])
    with stream(bad, strict=True) as export, pytest.raises(ParseError):
        list(export)


def test_detection_happens_on_open(tmp_path):
    """An input that is not an export fails at stream, before any iteration."""
    path = tmp_path / "notes.txt"
    path.write_text("not an export", encoding="utf-8")
    with pytest.raises(tgarchive.UnknownFormatError):
        stream(path)


def test_an_iterator_read_once():
    """Like a file, the stream is its own iterator: a loop goes on where the last one stopped."""
    with stream(SAMPLE) as export:
        assert iter(export) is export
        first = next(export)
        rest = list(export)
        assert list(export) == []
    assert isinstance(first, tgarchive.Chat)
    assert len(rest) == 12


def test_archive_reads_the_rest():
    """archive() is what load() returns."""
    with stream(SAMPLE) as export:
        archive = export.archive()
    assert isinstance(export, ExportStream)
    assert archive == tgarchive.load(SAMPLE)
