"""Property tests: round trips and never-crash guarantees on generated input."""

from __future__ import annotations

import contextlib
import json
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tgarchive
from tgarchive.text import from_utf16_offset, to_utf16_offset, utf16_len

from .strategies import chat_export, json_values

SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip


def _load(data: bytes) -> tgarchive.Archive:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", tgarchive.ParseWarning)
        return tgarchive.load(data)


@SETTINGS
@given(chat_export())
def test_desktop_json_round_trip_is_exact(export):
    """Any message, known fields or not, odd shapes or not, is written back unchanged."""
    data = json.dumps(export, ensure_ascii=False, indent=1).encode()
    archive = _load(data)
    assert json.loads(tgarchive.dumps(archive)) == export


@SETTINGS
@given(chat_export())
def test_minified_round_trip_is_exact(export):
    """The same holds for JSON in any layout (the ijson path)."""
    data = json.dumps(export, ensure_ascii=False, separators=(",", ":")).encode()
    assert json.loads(tgarchive.dumps(_load(data))) == export


@SETTINGS
@given(chat_export())
def test_model_json_round_trip(export):
    """Post -> JSON -> Post is the identity."""
    for post in _load(json.dumps(export, ensure_ascii=False, indent=1).encode()).posts:
        assert tgarchive.Post.model_validate_json(post.model_dump_json()) == post


@SETTINGS
@given(st.lists(json_values, max_size=5), st.sampled_from([True, False]))
def test_never_crashes_on_garbage_messages(messages, indented):
    """Garbage messages give issues (lenient) or ParseError (strict), never another exception."""
    export = {"name": "x", "type": "public_channel", "id": 1, "messages": messages}
    data = json.dumps(export, indent=1 if indented else None).encode()
    archive = _load(data)
    assert len(archive.chats[0].posts) + len(archive.issues) >= len(messages)
    bad = [m for m in messages if not isinstance(m, dict) or type(m.get("id")) is not int]
    if bad:
        with pytest.raises(tgarchive.ParseError) as info:
            tgarchive.load(data, strict=True)
        assert info.value.location.message_index is not None


@SETTINGS
@given(st.binary(max_size=300))
def test_never_crashes_on_arbitrary_bytes(data):
    """Arbitrary bytes raise only tgarchive's own errors."""
    with contextlib.suppress(tgarchive.TgArchiveError):
        _load(b"{\n " + data)


@SETTINGS
@given(st.text())
def test_utf16_offsets_invert(text):
    """UTF-16 offset conversion is invertible on any text (emoji, Hangul, jamo)."""
    assert utf16_len(text) == len(text.encode("utf-16-le")) // 2
    for i in range(len(text) + 1):
        assert from_utf16_offset(text, to_utf16_offset(text, i)) == i


@SETTINGS
@given(chat_export())
def test_fast_path_equals_the_general_reader(export):
    """Ordinary messages take a flat fast path; it must build exactly what the general reader
    builds (and decline everything unusual)."""
    from tgarchive.parsers import ParseContext
    from tgarchive.parsers.desktop_json._fast import fast_message as _fast_message
    from tgarchive.parsers.desktop_json._reader import MessageReader as _MessageReader

    reader = _MessageReader(ParseContext())
    for raw in export["messages"]:
        fast = _fast_message(raw)
        if fast is None:
            continue
        issues: list[str] = []
        assert fast == reader._read(raw, raw["id"], issues)
        assert issues == []


@pytest.mark.parametrize("where", ["fixtures", "corpus"])
def test_fast_path_equals_the_general_reader_on_real_and_fixture_messages(where):
    """The same on every message of the fixtures, and of the real corpus (skipped without it)."""
    from pathlib import Path

    from tgarchive.parsers import ParseContext
    from tgarchive.parsers.desktop_json._fast import fast_message as _fast_message
    from tgarchive.parsers.desktop_json._reader import MessageReader as _MessageReader

    from ..conftest import corpus_dir, json_fixtures

    if where == "corpus":
        files = [corpus_dir("desktop-json", "salaf") / "result.json"]
    else:
        twin = Path(__file__).parents[1] / "fixtures" / "equivalence" / "generated" / "result.json"
        files = [*json_fixtures(), twin]
    reader = _MessageReader(ParseContext())
    taken = total = 0
    for path in files:
        data = json.loads(path.read_bytes().replace(b"\\x0B", b"\\u000b"))
        chats = data["chats"]["list"] if "chats" in data else [data]
        for chat in chats:
            for raw in chat["messages"]:
                total += 1
                fast = _fast_message(raw)
                if fast is not None:
                    taken += 1
                    assert fast == reader._read(raw, raw["id"], [])
    assert taken * 2 > total  # the fast path is taken on most messages of each set


_poll_value = st.one_of(st.none(), st.booleans(), st.integers(-5, 10**12), st.text(max_size=8))
_polls = st.fixed_dictionaries(
    {"question": st.one_of(st.text(max_size=20), _poll_value)},
    optional={
        "closed": _poll_value,
        "total_voters": _poll_value,
        "answers": st.lists(
            st.fixed_dictionaries(
                {"text": st.one_of(st.text(max_size=10), _poll_value)},
                optional={"voters": _poll_value, "chosen": _poll_value, "extra": _poll_value},
            ),
            max_size=4,
        ),
    },
)


@SETTINGS
@given(_polls)
def test_plain_polls_equal_validated_ones_and_round_trip(poll):
    """Polls are built without validation when every value has its plain type: such a poll
    equals the validated one, and any poll, plain or odd, is written back unchanged."""
    from tgarchive.models import Poll, PollAnswer
    from tgarchive.parsers.desktop_json._reader import plain_poll as _plain_poll

    plain = _plain_poll(poll)
    if plain is not None:
        assert plain == Poll(
            question=poll.get("question", ""),
            closed=poll.get("closed"),
            total_voters=poll.get("total_voters"),
            answers=tuple(PollAnswer.model_validate(a) for a in poll.get("answers", ())),
        )
    message = {"id": 1, "type": "message", "date": "2026-01-01T00:00:00",
               "date_unixtime": "1767225600", "from": "c", "from_id": "channel1", "poll": poll,
               "text": "", "text_entities": []}  # fmt: skip
    export = {"name": "c", "type": "public_channel", "id": 1, "messages": [message]}
    archive = _load(json.dumps(export, ensure_ascii=False, indent=1).encode())
    assert json.loads(tgarchive.dumps(archive)) == export
