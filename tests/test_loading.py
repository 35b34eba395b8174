"""Loading as a user meets it: content passed as str, folders and zips of several exports,
the wrong format= named, and one warning per lenient call."""

from __future__ import annotations

import inspect
import json
import shutil
import warnings
import zipfile
from pathlib import Path

import pytest

import tgarchive
from tgarchive import ParseWarning

from .conftest import FIXTURES

SAMPLE = tgarchive.sample_path()
TWIN = FIXTURES / "equivalence" / "generated"
HTML_PAGES = ("messages.html", "messages2.html", "messages3.html")


def _html_export(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for page in HTML_PAGES:
        shutil.copy(TWIN / page, folder / page)
    return folder


def _json_export(folder: Path) -> Path:
    folder.mkdir(parents=True)
    shutil.copy(SAMPLE, folder / "result.json")
    return folder


def _line_of(marker: str) -> int:
    """The line of this file that holds ``marker`` (a comment on the call under test)."""
    source = Path(__file__).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(source, 1) if marker in line and "_line_of" not in line)


# --- a str holding content -----------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        SAMPLE.read_text(encoding="utf-8"),  # JSON with newlines
        json.dumps(json.loads(SAMPLE.read_text(encoding="utf-8"))),  # one line, starts with {
        (TWIN / "messages.html").read_text(encoding="utf-8"),  # HTML
        "<!DOCTYPE html><html><body>one line</body></html>",
        "x" * 300,  # too long for a file name
    ],
)
@pytest.mark.parametrize("call", [tgarchive.load, tgarchive.iter_posts, tgarchive.detect_format])
def test_str_content_is_refused_with_advice(content, call):
    """A str holding an export is a SourceError telling to pass bytes or a path, not OSError."""

    def read() -> object:
        result = call(content)
        return next(result) if inspect.isgenerator(result) else result

    with pytest.raises(
        tgarchive.SourceError, match=r"pass the content as bytes .* or pass the path"
    ):
        read()


def test_the_same_content_as_bytes_loads():
    """The advice works: the content encoded loads."""
    archive = tgarchive.load(SAMPLE.read_text(encoding="utf-8").encode())
    assert len(archive.posts) == 12


def test_a_real_path_starting_with_a_brace_still_loads(tmp_path):
    """Only text that is not an existing path is taken for content."""
    odd = tmp_path / "{export}.json"
    shutil.copy(SAMPLE, odd)
    assert len(tgarchive.load(str(odd)).posts) == 12


def test_unusable_path_is_a_source_error():
    """A path with a NUL byte is reported by tgarchive, not as a raw ValueError."""
    with pytest.raises(tgarchive.SourceError, match="cannot be used as a path"):
        tgarchive.load("export\x00.json")


# --- several exports -----------------------------------------------------------------------


def test_folder_of_several_exports_names_them(tmp_path):
    """Telegram Desktop/ with ChatExport_A and ChatExport_B: load lists both and asks for one."""
    downloads = tmp_path / "Telegram Desktop"
    _json_export(downloads / "ChatExport_A")
    _html_export(downloads / "ChatExport_B")
    with pytest.raises(tgarchive.MultipleExportsError, match="holds 2 Telegram exports") as caught:
        tgarchive.load(downloads)
    message = str(caught.value)
    assert "ChatExport_A/result.json" in message and "ChatExport_B/messages.html" in message
    assert "load_all" in message
    assert caught.value.exports == [
        str(downloads / "ChatExport_A" / "result.json"),
        str(downloads / "ChatExport_B" / "messages.html"),
    ]
    # each listed export can be passed back
    assert [tgarchive.load(e).format for e in caught.value.exports] == [
        "desktop-json",
        "desktop-html",
    ]


def test_load_all_reads_every_export_of_a_folder(tmp_path):
    """load_all returns one archive per export, in path order, each complete."""
    downloads = tmp_path / "Telegram Desktop"
    _json_export(downloads / "ChatExport_A")
    _html_export(downloads / "ChatExport_B")
    archives = tgarchive.load_all(downloads)
    assert [a.format for a in archives] == ["desktop-json", "desktop-html"]
    assert len(archives[0].posts) == 12 and len(archives[1].posts) == 60
    assert archives[1].root == str((downloads / "ChatExport_B").resolve())


def test_load_all_of_one_export_is_a_list_of_one():
    """One export (a file, bytes) gives a one-item list equal to load's answer."""
    (archive,) = tgarchive.load_all(SAMPLE)
    assert archive.posts == tgarchive.load(SAMPLE).posts
    assert len(tgarchive.load_all(SAMPLE.read_bytes())) == 1


def test_an_export_with_subfolders_is_one_export(tmp_path):
    """An export folder's own subfolders (chats/, photos/) never count as more exports."""
    export = _json_export(tmp_path / "export")
    _html_export(export / "chats" / "chat_001")
    _html_export(export / "chats" / "chat_002")
    assert tgarchive.load(export).format == "desktop-json"
    assert len(tgarchive.load_all(export)) == 1


def test_export_two_levels_down_is_found(tmp_path):
    """Downloads/Telegram Desktop/ChatExport_A/result.json loads from Downloads."""
    _json_export(tmp_path / "Downloads" / "Telegram Desktop" / "ChatExport_A")
    (tmp_path / "Downloads" / "notes").mkdir()
    assert len(tgarchive.load(tmp_path / "Downloads").posts) == 12


def _zip_of_two(tmp_path: Path) -> Path:
    zpath = tmp_path / "exports.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        zf.write(SAMPLE, "ChatExport_A/result.json")
        zf.writestr("ChatExport_A/photos/x.jpg", b"JPEG")
        for page in HTML_PAGES:
            zf.write(TWIN / page, f"ChatExport_B/{page}")
    return zpath


def test_zip_of_several_exports_names_them(tmp_path):
    """A zip with two exports no longer loads one silently: it lists them."""
    zpath = _zip_of_two(tmp_path)
    with pytest.raises(tgarchive.MultipleExportsError, match="holds 2 Telegram exports") as caught:
        tgarchive.load(zpath)
    assert caught.value.exports == [
        f"{zpath}!ChatExport_A/result.json",
        f"{zpath}!ChatExport_B/messages.html",
    ]
    one = tgarchive.load(caught.value.exports[1])
    assert one.format == "desktop-html" and len(one.posts) == 60


def test_load_all_reads_every_export_of_a_zip(tmp_path):
    """load_all on the zip reads both, each resolving media inside its own folder."""
    zpath = _zip_of_two(tmp_path)
    first, second = tgarchive.load_all(zpath)
    assert (first.format, len(first.posts)) == ("desktop-json", 12)
    assert (second.format, len(second.posts)) == ("desktop-html", 60)
    assert first.resolve("photos/x.jpg").read_bytes() == b"JPEG"


def test_zip_member_that_does_not_exist(tmp_path):
    """zip!member naming nothing is a FileNotFoundError naming it."""
    zpath = _zip_of_two(tmp_path)
    with pytest.raises(FileNotFoundError, match=r"ChatExport_C/result\.json"):
        tgarchive.load(f"{zpath}!ChatExport_C/result.json")


# --- the wrong format= ---------------------------------------------------------------------


def test_wrong_format_says_which_format_is_there(tmp_path):
    """load(html_folder, format='desktop-json') names the desktop-html export it found."""
    folder = _html_export(tmp_path / "ChatExport_B")
    with pytest.raises(
        tgarchive.SourceError, match="no desktop-json export there, but a desktop-html"
    ) as e:
        tgarchive.load(folder, format="desktop-json")
    assert "format='desktop-html'" in str(e.value)
    assert "messages.html" in str(e.value)


def test_wrong_format_in_a_zip(tmp_path):
    """The same for a zip holding only a JSON export and format='desktop-html'."""
    zpath = tmp_path / "one.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        zf.write(SAMPLE, "ChatExport_A/result.json")
    with pytest.raises(tgarchive.SourceError, match="but a desktop-json export"):
        tgarchive.load(zpath, format="desktop-html")


def test_wrong_format_with_nothing_there(tmp_path):
    """When no format is there either, the message stays 'no file ... looks like'."""
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    with pytest.raises(
        tgarchive.SourceError, match="no file in this folder looks like a Telegram export"
    ):
        tgarchive.load(tmp_path, format="desktop-json")


# --- one warning per call ------------------------------------------------------------------


def _bad_dates(count: int) -> bytes:
    messages = [
        {"id": i, "type": "message", "date": "2023-07-14T09:35:08", "date_unixtime": "soon",
         "from": "A", "from_id": "channel1", "text": "x", "text_entities": [
             {"type": "plain", "text": "x"}]}
        for i in range(1, count + 1)
    ]  # fmt: skip
    export = {"name": "c", "type": "public_channel", "id": 1, "messages": messages}
    return json.dumps(export).encode()


def test_load_warns_once_at_the_callers_line():
    """50 bad dates: one ParseWarning with the count and the first problem, on this line."""
    data = _bad_dates(50)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        archive = tgarchive.load(data)  # the call under test: load
    assert len(archive.issues) == 50
    (warning,) = caught
    assert warning.category is ParseWarning
    assert warning.filename == __file__
    assert warning.lineno == _line_of("# the call under test: load")
    text = str(warning.message)
    assert text.startswith("50 problems reading <bytes>")
    assert str(archive.issues[0]) in text and "archive.issues" in text


def test_iter_posts_warns_once_at_the_loop():
    """iter_posts: one warning when the iteration ends, pointing at the caller's loop."""
    data = _bad_dates(7)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        posts = list(tgarchive.iter_posts(data))  # the call under test: iter_posts
    assert len(posts) == 7
    (warning,) = caught
    assert warning.filename == __file__
    assert warning.lineno == _line_of("# the call under test: iter_posts")
    assert str(warning.message).startswith("7 problems reading <bytes>")


def test_one_problem_reads_as_one():
    """A single problem is '1 problem', with the problem itself."""
    with pytest.warns(ParseWarning, match=r"^1 problem reading <bytes> .*: <bytes>"):
        tgarchive.load(_bad_dates(1))


def test_load_all_warns_once(tmp_path):
    """load_all over two exports with problems: still one warning, with the total."""
    for name in ("A", "B"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "result.json").write_bytes(_bad_dates(3))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        archives = tgarchive.load_all(tmp_path)
    (warning,) = caught
    assert str(warning.message).startswith(f"6 problems reading {tmp_path}")
    assert [len(a.issues) for a in archives] == [3, 3]


def test_clean_input_does_not_warn():
    """No problem, no warning (the suite turns warnings into errors)."""
    assert len(tgarchive.load(SAMPLE).issues) == 0
    assert sum(1 for _ in tgarchive.iter_posts(SAMPLE)) == 12
