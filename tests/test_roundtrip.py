"""Writing a Desktop JSON export back out gives the input back."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

import tgarchive
from tgarchive.parsers.desktop_json import _scan as js

from .conftest import corpus_dir, json_fixtures


def reference(path: Path) -> object:
    """What a JSON reader makes of the file, after Telegram's \\xHH escapes are repaired."""
    return json.loads(js.fix_escapes(path.read_bytes()))


@pytest.mark.parametrize("path", json_fixtures(), ids=lambda p: p.name)
def test_fixture_round_trip_is_exact(path):
    """json.loads(dumps(load(x))) == json.loads(x), unknown fields included."""
    archive = tgarchive.load(path, strict=True)
    assert json.loads(tgarchive.dumps(archive)) == reference(path)


@pytest.mark.parametrize(
    "path", [p for p in json_fixtures() if b"\\x" not in p.read_bytes()], ids=lambda p: p.name
)
def test_fixture_round_trip_is_byte_identical(path):
    """Files come back byte for byte (the writer's layout is Telegram's); only files with
    \\xHH escapes differ, since those are written back as valid \\u00HH escapes."""
    data = path.read_bytes()
    assert tgarchive.dumps(tgarchive.load(path)).encode() == data


def test_corpus_round_trip_is_byte_identical(tmp_path):
    """The real 2026 export is written back byte for byte, via dump() to a path too."""
    path = corpus_dir("desktop-json", "salaf") / "result.json"
    archive = tgarchive.load(path)
    out = tmp_path / "result.json"
    tgarchive.dump(archive, out)
    assert out.read_bytes() == path.read_bytes()


def _minified(data: bytes) -> bytes:
    # Telegram's strings hold no raw newline, so joining lines keeps every value intact.
    return b" ".join(line.strip() for line in data.split(b"\n"))


@pytest.mark.parametrize("path", json_fixtures(), ids=lambda p: p.name)
def test_any_layout_reads_the_same(path):
    """A re-formatted file (read by the ijson fallback) gives the same archive."""
    data = path.read_bytes()
    mini = _minified(data)
    assert not js.is_indented_layout(mini)
    fast, slow = tgarchive.load(data, strict=True), tgarchive.load(mini, strict=True)
    assert slow.chats == fast.chats
    assert slow.account == fast.account
    assert json.loads(tgarchive.dumps(slow)) == reference(path)


def test_corpus_any_layout_reads_the_same():
    """The fallback and the fast path agree on the real export too."""
    data = (corpus_dir("desktop-json", "salaf") / "result.json").read_bytes()
    assert tgarchive.load(_minified(data)).chats == tgarchive.load(data).chats


def test_escape_split_across_reads_is_repaired():
    r"""The fallback's stream repairs \xHH escapes even when a read splits them."""
    payload = b'{"a": "x\\x0By\\\\x41"}'

    class Trickle(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            return super().read(min(size, 3) if size and size > 0 else size)

    stream = js._FixingStream(Trickle(payload))
    out = b""
    while chunk := stream.read(3):
        out += chunk
    assert json.loads(out) == {"a": "x\x0by\\x41"}


def test_changed_post_is_written_from_the_model():
    """Editing a post through model_copy changes the written JSON accordingly."""
    archive = tgarchive.load(tgarchive.sample_path())
    chat = archive.chats[0]
    post = chat.posts[2]
    chat.posts[2] = post.model_copy(update={"reply_to_id": 1})
    obj = json.loads(tgarchive.dumps(archive))["messages"][2]
    assert obj["reply_to_message_id"] == 1
    # Keys the source did not have go after the known keys the writer emits anyway.
    chat.posts[2] = post.model_copy(update={"source_keys": None, "reply_to_id": 1})
    obj = json.loads(tgarchive.dumps(archive))["messages"][2]
    assert obj["reply_to_message_id"] == 1
    assert (
        obj["text"]
        == json.loads(tgarchive.sample_path().read_text(encoding="utf-8"))["messages"][2]["text"]
    )


def test_posts_built_by_hand_are_written_in_telegram_shape():
    """A Post made in code becomes a Desktop JSON message that reads back the same."""
    post = tgarchive.Post(
        id=1,
        date_local="2026-01-01T09:00:00",
        author="채널",
        author_id="channel1",
        text="GPT-4는 🚀 https://x.ai",
        entities=(tgarchive.Entity(kind="link", offset=9, length=12, text="https://x.ai"),),
        reactions=(tgarchive.Reaction(kind="emoji", emoji="👍", count=2),),
    )
    archive = tgarchive.Archive(format="code", chats=[tgarchive.Chat(name="c", id=1, posts=[post])])
    again = tgarchive.load(tgarchive.dumps(archive).encode(), strict=True).chats[0].posts[0]
    assert again.text == post.text
    assert again.entities[0].text == "https://x.ai"
    assert again.reactions == post.reactions
    assert again.author_id == "channel1"


def test_entities_must_match_the_text():
    """A hand-made Post whose entity does not cover its own text is refused."""
    import pydantic

    with pytest.raises(pydantic.ValidationError, match="does not match"):
        tgarchive.Post(id=1, text="hello", entities=(
            tgarchive.Entity(kind="bold", offset=1, length=2, text="he"),))  # fmt: skip


def test_escapes_and_duplicate_keys_deep_in_a_large_file():
    """Telegram's \\xHH escapes in every message and a duplicate-key message, across many
    reads and batches: every post read, the file written back equal, lines exact."""
    import re
    import sys

    sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
    from generate import write_export

    out = io.StringIO()
    write_export(out, 4000)
    # In a field without a twin ("text" and "text_entities" must agree, see tests/hostile).
    data = re.sub(rb'(\n   "from": ")', rb"\1\\x0B", out.getvalue().encode())
    assert data.count(b"\\x0B") > 3000 and len(data) > 4 * (1 << 20)
    # a send_webview_data service message (duplicate "text") far past the first read
    at = data.index(b'\n  {\n   "id": 3500,')
    webview = (b'\n  {\n   "id": 3500,\n   "type": "service",\n   "date": "2025-01-01T00:00:00",\n'
               b'   "date_unixtime": "1735657200",\n   "action": "send_webview_data",\n'
               b'   "text": "Open app",\n   "text": "",\n   "text_entities": []\n  },')  # fmt: skip
    end = data.index(b"\n  },", at + 5) + len(b"\n  },")
    data = data[:at] + webview + data[end:]
    archive = tgarchive.load(data, strict=True)
    assert [p.id for p in archive.posts] == list(range(1, 4001))
    assert archive.posts[3499].action_data == {"text": "Open app"}
    assert (archive.posts[1].author or "").startswith("\x0b")
    assert json.loads(tgarchive.dumps(archive)) == json.loads(js.fix_escapes(data))
    # an error deep inside such a stretch is located on its own line
    broken = data.replace(b'"id": 3700,', b'"id": 3700 oops,', 1)
    with pytest.raises(tgarchive.ParseError) as info:
        tgarchive.load(broken, strict=True)
    line = info.value.location.line
    assert line is not None and b'"id": 3700 oops' in broken.split(b"\n")[line]


def test_duplicate_keys_inside_a_clean_batch():
    """A send_webview_data message among ordinary ones (no escapes, so its batch parses in
    one go, which keeps only the last "text"): the consumer asks for its exact parse."""
    import sys

    sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
    from generate import write_export

    out = io.StringIO()
    write_export(out, 300)
    data = out.getvalue().encode()
    assert b"\\x" not in data
    at = data.index(b'\n  {\n   "id": 150,')
    end = data.index(b"\n  },", at + 5) + len(b"\n  },")
    webview = (b'\n  {\n   "id": 150,\n   "type": "service",\n   "date": "2025-01-01T00:00:00",\n'
               b'   "date_unixtime": "1735657200",\n   "action": "send_webview_data",\n'
               b'   "text": "Open app",\n   "text": "",\n   "text_entities": []\n  },')  # fmt: skip
    data = data[:at] + webview + data[end:]
    archive = tgarchive.load(data, strict=True)
    post = archive.posts[149]
    assert (post.id, post.action, post.action_data) == (
        150,
        "send_webview_data",
        {"text": "Open app"},
    )
    assert tgarchive.dumps(archive).encode() == data


def test_large_account_export_batches_stop_at_each_chat():
    """A whole-account export whose chats are each longer than many batches: windows that run
    past a chat's message array are cut there, every chat keeps exactly its own posts, the
    file comes back equal, and an error in the second chat is located on its own line."""
    import sys

    sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
    from generate import messages

    chats: list[dict[str, Any]] = [
        {"name": f"chat {n}", "type": "public_channel", "id": 100 + n,
         "messages": list(messages(700, seed=n))}
        for n in range(3)
    ]  # fmt: skip
    export = {"about": "account", "chats": {"about": "chats", "list": chats}}
    data = json.dumps(export, ensure_ascii=False, indent=1).encode()
    archive = tgarchive.load(data, strict=True)
    assert [c.name for c in archive.chats] == ["chat 0", "chat 1", "chat 2"]
    assert [len(c.posts) for c in archive.chats] == [700, 700, 700]
    assert [[p.id for p in c.posts] for c in archive.chats] == [
        [m["id"] for m in chat["messages"]] for chat in chats
    ]
    assert [{p.chat_id for p in c.posts} for c in archive.chats] == [{100}, {101}, {102}]
    assert json.loads(tgarchive.dumps(archive)) == export
    at = data.index(b'"name": "chat 1"')
    at = data.index(b'"id": 650,', at)
    broken = data[:at] + b'"id": 650 oops,' + data[at + len(b'"id": 650,') :]
    with pytest.raises(tgarchive.ParseError) as info:
        tgarchive.load(broken, strict=True)
    line = info.value.location.line
    lines = broken.split(b"\n")
    assert line is not None and lines[line - 1].strip() == b"{"  # the message's first line
    assert b'"id": 650 oops' in lines[line]
