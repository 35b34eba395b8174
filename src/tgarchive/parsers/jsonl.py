"""Reading tgarchive's own JSON Lines files back (format ``jsonl``).

The layout is described in :mod:`tgarchive.writers.jsonl`. The header line
``{"tgarchive":"jsonl",...}`` makes detection certain; a file of post lines alone (say, one
filtered with ``grep``) is read too, as one chat of posts.

>>> import tgarchive, tempfile, pathlib
>>> archive = tgarchive.load(tgarchive.sample_path())
>>> path = pathlib.Path(tempfile.mkdtemp()) / "posts.jsonl"
>>> tgarchive.dump(archive, path)
>>> again = tgarchive.load(path)
>>> again.format, again.posts == archive.posts, again.chats[0].name == archive.chats[0].name
('jsonl', True, True)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson
import pydantic

from .._source import Source
from ..models import Chat, Post
from ..writers.jsonl import FORMAT_VERSION
from . import ParseContext

__all__ = ["JsonlParser"]

_HEADER = b'{"tgarchive":"jsonl"'


class JsonlParser:
    """Reads the JSON Lines files :class:`tgarchive.writers.jsonl.JsonlWriter` writes."""

    name = "jsonl"

    def detect(self, head: bytes, filename: str | None) -> float:
        stripped = head.lstrip(b"\xef\xbb\xbf")
        if stripped.startswith(_HEADER):
            return 1.0
        # Post lines without the header: a one-line JSON object that starts like a post dump.
        first = stripped.split(b"\n", 1)[0]
        if first.startswith((b'{"id":', b'{"chat":{')) and first.endswith(b"}"):
            if filename and filename.lower().endswith((".jsonl", ".ndjson")):
                return 0.8
            return 0.6
        return 0.0

    def parse(self, source: Source, ctx: ParseContext) -> Iterator[Chat | Post]:
        chat: Chat | None = None
        with source.open() as fh:
            for number, line in enumerate(fh, start=1):
                line = line.strip()
                if number == 1:
                    line = line.removeprefix(b"\xef\xbb\xbf")
                if not line:
                    continue
                if line.startswith(b'{"id":'):
                    post = self._post(line, number, ctx)
                    if post is not None:
                        yield post
                    continue
                try:
                    obj = orjson.loads(line)
                except orjson.JSONDecodeError as exc:
                    ctx.problem(f"line {number} is not JSON ({exc})", ctx.location(line=number))
                    continue
                if not isinstance(obj, dict):
                    ctx.problem(
                        f"line {number}: expected a JSON object, got {type(obj).__name__}",
                        ctx.location(line=number),
                    )
                elif "chat" in obj:
                    chat = self._chat(obj["chat"], number, ctx)
                    if chat is not None:
                        yield chat
                elif "chat_update" in obj:
                    update = self._chat(obj["chat_update"], number, ctx)
                    if update is not None and chat is not None:
                        for name in Chat.model_fields:
                            if name != "posts":
                                setattr(chat, name, getattr(update, name))
                elif "tgarchive" in obj:
                    self._header(obj, number, ctx)
                elif "archive" in obj and isinstance(obj["archive"], dict):
                    ctx.account = obj["archive"].get("account")
                    keys = obj["archive"].get("source_keys")
                    ctx.source_keys = tuple(keys) if keys is not None else None
                else:
                    post = self._post(line, number, ctx)
                    if post is not None:
                        yield post

    def _header(self, obj: dict[str, Any], number: int, ctx: ParseContext) -> None:
        version = obj.get("version")
        if obj.get("tgarchive") != "jsonl" or not isinstance(version, int):
            ctx.problem(f"line {number}: not a tgarchive jsonl header", ctx.location(line=number))
        elif version > FORMAT_VERSION:
            ctx.problem(
                f"line {number}: jsonl version {version} is newer than this tgarchive reads "
                f"({FORMAT_VERSION}); upgrade tgarchive",
                ctx.location(line=number),
            )

    def _post(self, line: bytes, number: int, ctx: ParseContext) -> Post | None:
        try:
            return Post.model_validate_json(line)
        except pydantic.ValidationError as exc:
            mid = _message_id(line)
            ctx.problem(
                f"line {number} is not a post: {_first_error(exc)}",
                ctx.location(line=number, message_id=mid),
            )
            return None

    def _chat(self, obj: Any, number: int, ctx: ParseContext) -> Chat | None:
        try:
            return Chat.model_validate(obj)
        except pydantic.ValidationError as exc:
            ctx.problem(
                f"line {number} is not a chat: {_first_error(exc)}", ctx.location(line=number)
            )
            return None


def _first_error(exc: pydantic.ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"]) or "value"
    more = exc.error_count() - 1
    return f"{where}: {error['msg']}" + (f" (and {more} more)" if more else "")


def _message_id(line: bytes) -> int | None:
    try:
        obj = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    mid = obj.get("id") if isinstance(obj, dict) else None
    return mid if isinstance(mid, int) else None
