"""Hostile and broken Desktop JSON: every case is a located problem, never a raw exception,
and in lenient mode one bad message costs only itself (issue: hardening)."""

from __future__ import annotations

import json
import warnings
from typing import Any

import pytest

import tgarchive
from tgarchive import ParseError, TgArchiveError, UnknownFormatError

GOOD: dict[str, Any] = {
    "id": 1,
    "type": "message",
    "date": "2024-01-01T09:00:00",
    "date_unixtime": "1704067200",
    "from": "Continuous Learning",
    "from_id": "channel1739574530",
    "text": "투자 시장 정리",
    "text_entities": [{"type": "plain", "text": "투자 시장 정리"}],
}


def export(*messages: dict[str, Any], indent: int | None = 1) -> bytes:
    """A single-chat export holding ``messages``, in Telegram's indented layout or minified."""
    doc = {"name": "Continuous Learning", "type": "public_channel", "id": 1739574530,
           "messages": list(messages)}  # fmt: skip
    return json.dumps(doc, ensure_ascii=False, indent=indent).encode()


def lenient(data: bytes) -> tgarchive.Archive:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", tgarchive.ParseWarning)
        return tgarchive.load(data)


def roundtrips(data: bytes) -> None:
    """The archive read leniently from ``data`` is written back meaning exactly the input."""
    assert json.loads(tgarchive.dumps(lenient(data))) == json.loads(data)


LAYOUTS = pytest.mark.parametrize("indent", [1, None], ids=["indented", "minified"])


@LAYOUTS
@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("date_unixtime", "5648484000000000"),  # year out of range: ValueError
        ("date_unixtime", "99999999999999999999"),  # OverflowError
        ("date_unixtime", "-99999999999"),  # negative epoch, out of range
        ("date", "99999-01-01T00:00:00"),
        ("edited_unixtime", "999999999999999"),
    ],
)
def test_dates_out_of_range_are_located_problems(indent, key, value):
    """A date no datetime can hold is reported at its message and kept verbatim."""
    msg = dict(GOOD, **{key: value})
    if key.startswith("edited"):
        msg["edited"] = "2024-01-02T00:00:00"
    if key == "date":
        del msg["date_unixtime"]
    data = export(GOOD | {"id": 2}, msg, GOOD | {"id": 3}, indent=indent)
    archive = lenient(data)
    assert [p.id for p in archive.posts] == [2, 1, 3]
    (issue,) = archive.issues
    assert issue.location.message_id == 1 and key in issue.reason
    roundtrips(data)
    with pytest.raises(ParseError, match=key) as exc:
        tgarchive.load(data, strict=True)
    assert exc.value.location.message_id == 1


@LAYOUTS
@pytest.mark.parametrize(
    "reaction",
    [
        {"type": "emoji", "emoji": "👍"},
        {"type": "emoji", "emoji": "👍", "recent": [{"from": "A", "from_id": "user1"}]},
        {"type": "paid"},
        {"type": "emoji", "emoji": "🔥", "count": "12"},
    ],
)
def test_reaction_without_a_count_is_kept_and_reported(indent, reaction):
    """A reaction object without an integer count is a located problem, kept verbatim."""
    data = export(dict(GOOD, reactions=[{"type": "emoji", "emoji": "❤", "count": 3}, reaction]),
                  indent=indent)  # fmt: skip
    archive = lenient(data)
    assert len(archive.posts) == 1
    assert "count" in archive.issues[0].reason
    roundtrips(data)
    with pytest.raises(ParseError, match="count"):
        tgarchive.load(data, strict=True)


@LAYOUTS
def test_deep_nesting_is_a_located_problem_not_a_recursion_error(indent):
    """An array nested 100,000 levels deep is refused with a clear error; the rest is kept."""
    body = export(GOOD, GOOD | {"id": 2}, indent=indent)
    deep = b"[" * 100_000 + b"]" * 100_000
    head, sep, tail = body.rpartition(b"\n}" if indent else b"}")
    data = head + b',\n "deep": ' + deep + sep + tail
    archive = lenient(data)
    assert [p.id for p in archive.posts] == [1, 2]
    assert any("nest" in i.reason for i in archive.issues)
    with pytest.raises(ParseError, match="nest"):
        tgarchive.load(data, strict=True)
    inside = export(GOOD, dict(GOOD, id=2, text="DEEP"), GOOD | {"id": 3}, indent=indent)
    deep_message = inside.replace(b'"DEEP"', deep)
    archive = lenient(deep_message)
    assert [p.id for p in archive.posts] == [1, 3]
    assert archive.issues[0].location.message_index == 1


def test_one_invalid_utf8_byte_costs_nothing_else():
    """One invalid UTF-8 byte in one message of 924: all 924 posts are read, one issue."""
    messages = [dict(GOOD, id=i, text=f"포스트 {i}", text_entities=[{"type": "plain",
                     "text": f"포스트 {i}"}]) for i in range(1, 925)]  # fmt: skip
    for indent in (1, None):
        data = export(*messages, indent=indent)
        at = data.index("포스트 461".encode())
        bad = data[:at] + b"\xff" + data[at:]
        archive = lenient(bad)
        assert len(archive.posts) == 924
        # The repair, then what it entails: "text" no longer shows what "text_entities" does.
        first, *rest = archive.issues
        assert "UTF-8" in first.reason and len(rest) <= 1
        assert all(i.location.message_id == 461 for i in archive.issues)
        post = archive.posts[460]
        assert post.id == 461 and post.text == "\ufffd포스트 461"
        with pytest.raises(ParseError, match="UTF-8"):
            tgarchive.load(bad, strict=True)


@pytest.mark.parametrize(
    "doc",
    [{}, {"hello": "world"}, {"chats": 5}, {"about": 1},
     {"_": "Message", "id": 1, "peer_id": {"_": "PeerChannel", "channel_id": 1}, "message": "hi"}],
    ids=["empty", "hello", "chats-5", "about", "telethon"],
)  # fmt: skip
@pytest.mark.parametrize("strict", [False, True])
def test_json_that_is_no_export_is_an_unknown_format(doc, strict):
    """A JSON object with neither a chat export's nor an account export's keys is refused."""
    for indent in (1, None):
        with pytest.raises(UnknownFormatError, match="Telegram Desktop export"):
            tgarchive.load(json.dumps(doc, indent=indent).encode(), strict=strict)


def test_an_export_with_a_broken_messages_member_is_a_located_problem():
    """``"messages": "oops"`` is an export with a broken member: reported and kept."""
    doc = {"name": "x", "type": "public_channel", "id": 1, "messages": "oops"}
    for indent in (1, None):
        data = json.dumps(doc, indent=indent).encode()
        archive = lenient(data)
        assert archive.chats[0].name == "x" and not archive.posts
        assert "'messages'" in archive.issues[0].reason
        roundtrips(data)
        with pytest.raises(ParseError, match="messages"):
            tgarchive.load(data, strict=True)


MINIMAL = {"type": "message", "date_unixtime": "1544006350", "from": "Author 1",
           "text": "Minimal Message"}  # fmt: skip


@LAYOUTS
def test_a_message_without_an_integer_id_is_kept_reported_and_written_back(indent):
    """Another tool's message without an id is read (text, author), reported, written back."""
    data = json.dumps({"messages": [MINIMAL, MINIMAL | {"id": "7"}]}, indent=indent).encode()
    archive = lenient(data)
    first, second = archive.posts
    assert first.id is None and first.text == "Minimal Message" and first.author == "Author 1"
    assert second.id is None and second.extra["id"] == "7"
    assert [i.location.message_index for i in archive.issues] == [0, 1]
    roundtrips(data)
    with pytest.raises(ParseError, match="'id'"):
        tgarchive.load(data, strict=True)


@pytest.mark.parametrize(
    "message",
    [
        {"id": 1, "type": "message", "date_unixtime": "1544006350", "text": "only unixtime"},
        {"id": 2, "type": "service", "date": "2024-01-01T00:00:00", "action": "pin_message"},
        {"id": 3, "type": "message", "date": "2024-01-01T09:00:00+09:00", "text": "offset"},
        {"id": 4, "type": "message", "edited": "2024-01-01T09:00:00+09:00", "text": "e"},
        {"id": 5, "date_unixtime": "1544006350", "text": "no type"},
    ],
    ids=["unixtime-only", "service-no-text", "date-offset", "edited-offset", "no-type"],
)
def test_dumps_adds_no_key_the_source_did_not_have(message):
    """Written back means exactly what was read, key for key."""
    data = json.dumps({"name": "x", "type": "public_channel", "id": 1, "messages": [message]},
                      indent=1).encode()  # fmt: skip
    written = json.loads(tgarchive.dumps(lenient(data)))["messages"][0]
    assert written == message
    assert list(written) == list(message)


def test_text_and_text_entities_that_disagree_are_reported_and_text_wins():
    """When ``text`` and ``text_entities`` disagree, ``text`` is read and the other kept."""
    message = dict(GOOD, text=["see ", {"type": "link", "text": "https://example.com/a"}, " now"],
                   text_entities=[{"type": "plain", "text": "..."}])  # fmt: skip
    data = export(message)
    archive = lenient(data)
    (post,) = archive.posts
    assert post.text == "see https://example.com/a now"
    assert [link.url for link in post.links] == ["https://example.com/a"]
    assert "disagree" in archive.issues[0].reason
    roundtrips(data)
    with pytest.raises(ParseError, match="disagree"):
        tgarchive.load(data, strict=True)


def test_a_message_without_type_is_read_as_a_message():
    """A message without ``type`` gets its text, author and forward, and the gap is reported."""
    message = {k: v for k, v in GOOD.items() if k != "type"} | {"forwarded_from": "Other"}
    data = export(message)
    archive = lenient(data)
    (post,) = archive.posts
    assert post.type == "message" and post.text == GOOD["text"]
    assert post.author == GOOD["from"] and post.forward is not None
    assert post.forward.from_name == "Other"
    assert "'type'" in archive.issues[0].reason
    roundtrips(data)


@pytest.mark.parametrize("indent", [1, None], ids=["indented", "minified"])
def test_every_problem_is_a_tgarchive_error_in_strict_mode(indent):
    """Strict mode raises only the library's own errors on each of the cases above."""
    cases = [
        export(dict(GOOD, date_unixtime="9" * 30), indent=indent),
        export(dict(GOOD, reactions=[{"type": "emoji"}]), indent=indent),
        export(dict(GOOD, text=["x", 5]), indent=indent),
    ]
    for data in cases:
        with pytest.raises(TgArchiveError):
            tgarchive.load(data, strict=True)
