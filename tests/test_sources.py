"""Where exports come from: folders, files, zips, bytes, file objects, and safe paths."""

from __future__ import annotations

import io
import shutil
import zipfile

import pytest

import tgarchive
from tgarchive import UnsafePathError

from .conftest import FIXTURES

SAMPLE = tgarchive.sample_path()


def test_folder_file_bytes_and_stream_agree(tmp_path):
    """A folder, its result.json, the bytes and a file object load the same posts."""
    folder = tmp_path / "ChatExport_2026-11-29"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "result.json")
    expected = tgarchive.load(SAMPLE).chats
    assert tgarchive.load(folder).chats == expected
    assert tgarchive.load(str(folder / "result.json")).chats == expected
    assert tgarchive.load(SAMPLE.read_bytes()).chats == expected
    with open(folder / "result.json", "rb") as fh:
        assert tgarchive.load(fh).chats == expected
        assert not fh.closed


class Pipe(io.RawIOBase):
    """A stream that cannot seek, like a pipe."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        return self._data.read(size)

    def seekable(self) -> bool:
        return False

    def tell(self) -> int:
        raise OSError("not seekable")


def test_unseekable_stream_is_spooled():
    """A stream that cannot seek (a pipe, say) is still read completely."""
    archive = tgarchive.load(Pipe(SAMPLE.read_bytes()))  # type: ignore[arg-type]
    assert len(archive.chats[0].posts) == 12


def test_problems_are_placed_alike_whatever_the_source(tmp_path):
    """Lines of problems are counted by reading the source again while it is being parsed:
    a caller's file object or a spooled pipe must not lose its place (every post is still
    read) and every kind of source names the same lines."""
    import json
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
    from generate import messages

    listed: list[object] = list(messages(400, seed=3))
    listed[100] = {**listed[100], "id": "x"}  # type: ignore[dict-item]
    listed[300] = 7
    data = json.dumps({"name": "c", "type": "public_channel", "id": 1, "messages": listed},
                      ensure_ascii=False, indent=1).encode()  # fmt: skip
    assert len(data) > 2 * 256 * 1024  # several reads
    lines = data.split(b"\n")
    path = tmp_path / "result.json"
    path.write_bytes(data)
    with zipfile.ZipFile(tmp_path / "export.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(path, "ChatExport/result.json")
    seen = []
    with open(path, "rb") as fh:
        for source in (path, data, fh, Pipe(data), tmp_path / "export.zip"):
            with pytest.warns(tgarchive.ParseWarning):
                archive = tgarchive.load(source)  # type: ignore[arg-type]
            assert len(archive.chats[0].posts) == 399  # the id-less message is kept
            seen.append([(i.location.message_index, i.location.line) for i in archive.issues])
    assert seen[0] == seen[1] == seen[2] == seen[3] == seen[4]
    (first, line1), (second, line2) = seen[0]
    assert (first, second) == (100, 300)
    assert line1 is not None and lines[line1 - 1].strip() == b"{"
    assert lines[line1].strip() == b'"id": "x",'
    assert line2 is not None and lines[line2 - 1].strip() == b"7,"


def test_folder_with_json_and_html_prefers_json(tmp_path):
    """A folder holding result.json and messages.html loads the JSON."""
    shutil.copy(SAMPLE, tmp_path / "result.json")
    (tmp_path / "messages.html").write_text("<!DOCTYPE html><html></html>", encoding="utf-8")
    assert tgarchive.load(tmp_path).format == "desktop-json"


def test_folder_holding_one_export_folder(tmp_path):
    """An unzipped download (a folder holding the export folder) is found."""
    inner = tmp_path / "Telegram Desktop" / "ChatExport_2026-11-29"
    inner.mkdir(parents=True)
    shutil.copy(SAMPLE, inner / "result.json")
    assert len(tgarchive.load(tmp_path / "Telegram Desktop").chats[0].posts) == 12


def test_empty_folder_is_a_clear_error(tmp_path):
    """A folder without an export says so."""
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    with pytest.raises(tgarchive.TgArchiveError, match="no file in this folder"):
        tgarchive.load(tmp_path)


def test_zip_of_folder_and_media_resolution(tmp_path):
    """A zip of an export folder loads without extracting; media paths resolve inside it."""
    zpath = tmp_path / "export.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        zf.write(FIXTURES / "desktop-json" / "channel_2026.json", "ChatExport/result.json")
        zf.writestr("ChatExport/photos/photo_1@05-01-2026_11-00-00.jpg", b"JPEG")
    archive = tgarchive.load(zpath)
    assert archive.chats[0].name == "AI 투자 노트 | AI Investing Notes"
    photo = archive.chats[0].posts[2].media
    assert photo is not None
    assert photo.files()
    assert archive.resolve(photo.files()[0]).read_bytes() == b"JPEG"
    with pytest.raises(UnsafePathError):
        archive.resolve("../../etc/passwd")


def test_zip_slip_member_names_are_refused(tmp_path):
    """A zip whose members would escape their folder is refused outright."""
    zpath = tmp_path / "evil.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        zf.writestr("result.json", SAMPLE.read_bytes())
        zf.writestr("../../escape.txt", b"x")
    with pytest.raises(UnsafePathError):
        tgarchive.load(zpath)


def test_resolve_refuses_paths_leaving_the_export(tmp_path):
    """Archive.resolve refuses .., absolute and drive paths, and symlinks that leave."""
    shutil.copy(SAMPLE, tmp_path / "result.json")
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "a.jpg").write_bytes(b"a")
    archive = tgarchive.load(tmp_path)
    assert archive.resolve("photos/a.jpg").read_bytes() == b"a"
    for bad in ("../secret", "/etc/passwd", "C:\\Windows\\x", "photos/../../x", ""):
        with pytest.raises(UnsafePathError):
            archive.resolve(bad)
    (tmp_path / "photos" / "link").symlink_to("/etc")
    with pytest.raises(UnsafePathError):
        archive.resolve("photos/link/passwd")


def test_detect_format():
    """detect_format names the parser load() would use."""
    assert tgarchive.detect_format(SAMPLE) == "desktop-json"
    assert tgarchive.detect_format(b'{\n "about": "x",\n "chats": {}}') == "desktop-json"
