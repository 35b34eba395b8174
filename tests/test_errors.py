"""Bad input: precise errors in strict mode, recorded issues and intact data in lenient mode."""

from __future__ import annotations

import pickle

import pytest

import tgarchive
from tgarchive import ParseError, ParseWarning

from .conftest import FIXTURES

GOOD = (FIXTURES / "desktop-json" / "channel_2026.json").read_bytes()


def test_bad_id_strict_raises_located_error():
    """A message without an integer id is reported with file, line and position."""
    data = GOOD.replace(b'"id": 5,', b'"id": "five",', 1)
    with pytest.raises(ParseError) as info:
        tgarchive.load(data, strict=True)
    exc = info.value
    assert exc.location.message_index == 4
    assert exc.location.line is not None
    assert data.split(b"\n")[exc.location.line - 1].strip() == b"{"
    assert "'id' must be an integer" in exc.reason
    assert str(exc).startswith("<bytes>:")
    assert isinstance(exc, tgarchive.TgArchiveError)
    assert isinstance(exc, ValueError)
    again = pickle.loads(pickle.dumps(exc))
    assert again.location == exc.location
    assert again.reason == exc.reason


def test_bad_id_lenient_records_issue_and_keeps_the_rest():
    """Lenient mode warns, records the problem and keeps every post, the bad one verbatim."""
    data = GOOD.replace(b'"id": 5,', b'"id": "five",', 1)
    with pytest.warns(ParseWarning, match="must be an integer"):
        archive = tgarchive.load(data)
    posts = archive.chats[0].posts
    assert [p.id for p in posts] == [1, 2, 3, 4, None, 6, 7, 8, 9, 10, 11, 12, 13, 14]
    assert posts[4].extra["id"] == "five"
    (issue,) = archive.issues
    assert issue.location.message_index == 4


def test_bad_field_is_kept_verbatim_and_reported():
    """A field of the wrong type is reported with the message id and written back unchanged."""
    data = GOOD.replace(b'"date_unixtime": "1767654000"', b'"date_unixtime": "soon"', 1)
    with pytest.raises(ParseError, match=r"\[message 4\].*date_unixtime"):
        tgarchive.load(data, strict=True)
    with pytest.warns(ParseWarning):
        archive = tgarchive.load(data)
    post = next(p for p in archive.chats[0].posts if p.id == 4)
    assert post.extra["date_unixtime"] == "soon"
    assert post.date is not None
    assert post.date.tzinfo is None
    import json

    assert json.loads(tgarchive.dumps(archive)) == json.loads(data)


def test_truncated_file_keeps_posts_read_so_far():
    """A file cut in the middle: strict raises with the line; lenient keeps earlier posts."""
    cut = GOOD[: GOOD.index(b'"id": 6,')]
    with pytest.raises(ParseError, match="ends inside"):
        tgarchive.load(cut, strict=True)
    with pytest.warns(ParseWarning, match="reading stopped"):
        archive = tgarchive.load(cut)
    assert [p.id for p in archive.chats[0].posts] == [1, 2, 3, 4, 5]
    assert len(archive.issues) == 1


def test_broken_json_inside_a_message_is_located():
    """Invalid JSON inside one message names that message's line."""
    data = GOOD.replace(b'"text": "Gangnam meetup', b'"text": Gangnam meetup', 1)
    with pytest.raises(ParseError) as info:
        tgarchive.load(data, strict=True)
    assert info.value.location.message_index == 5
    assert "invalid JSON" in info.value.reason


def test_malformed_reactions_kept_verbatim():
    """Reactions of an unexpected shape are kept as read and reported."""
    data = GOOD.replace(b'"count": 120,', b'"count": "many",', 1)
    with pytest.warns(ParseWarning, match="reactions"):
        archive = tgarchive.load(data)
    post = archive.chats[0].posts[1]
    assert post.reactions == ()
    assert post.extra["reactions"][0]["count"] == "many"


def test_not_an_export():
    """Input no parser claims raises UnknownFormatError with a hint."""
    with pytest.raises(tgarchive.UnknownFormatError, match="format="):
        tgarchive.load(b"\x89PNG\r\n\x1a\n not telegram")


def test_wrong_type_argument():
    """Passing something that is not a source is a TypeError that says what to pass."""
    with pytest.raises(TypeError, match="pass a path, bytes or a binary file object"):
        tgarchive.load(42)  # type: ignore[arg-type]


def test_unknown_format_name():
    """format= with an unknown name lists the known ones."""
    with pytest.raises(tgarchive.UnknownFormatError, match="desktop-json"):
        tgarchive.load(GOOD, format="whatsapp")
    with pytest.raises(tgarchive.UnknownFormatError, match="can write"):
        tgarchive.dumps(tgarchive.load(GOOD), format="xml")
