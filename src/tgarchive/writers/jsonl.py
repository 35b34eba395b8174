"""The JSON Lines writer (format ``jsonl``): one post a line, the lossless model dump.

The file is a stream of JSON objects, one a line, in the order a parser yields them::

    {"tgarchive":"jsonl","version":1,"source_format":"desktop-json"}
    {"chat":{"id":1739574530,"name":"Continuous Learning_Startup & Investment",...}}
    {"id":1,"chat_id":1739574530,"type":"service","date":"2023-06-19T02:00:00Z",...}
    {"id":2,...}
    {"chat_update":{...}}             (only if the chat changed after its posts were read)
    {"archive":{"account":{...},"source_keys":[...]}}   (the export's top-level data, if any)

A post line is exactly ``post.model_dump_json()``, so ``Post.model_validate_json(line)``
reads it back and ``pandas.read_json(path, lines=True)`` sees one record per post (filter the
lines that have an ``id`` to drop the header and chat lines). The first line makes the format
certain to detect; :func:`tgarchive.load` reads the file back into posts equal to the ones
written (see :mod:`tgarchive.parsers.jsonl`).
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
from typing import IO, Any

import orjson

from ..models import Archive, Chat, Post
from . import ItemStream, WriteData, WriteTarget, iter_items

__all__ = ["FORMAT_VERSION", "JsonlWriter"]

FORMAT_VERSION = 1
"""The version written in the header line; readers refuse newer versions."""

_CHAT_EXCLUDE = {"posts"}


def chat_json(chat: Chat) -> bytes:
    """A chat without its posts, as JSON."""
    return chat.__pydantic_serializer__.to_json(chat, exclude=_CHAT_EXCLUDE)


@contextlib.contextmanager
def binary_target(target: WriteTarget) -> Iterator[IO[bytes]]:
    """A binary stream onto ``target``: a path is opened (and closed), a binary stream used
    as it is, a text stream written through (UTF-8 text is what it receives)."""
    if isinstance(target, str | os.PathLike):
        with open(target, "wb", buffering=1 << 20) as fh:
            yield fh
    elif isinstance(target, io.TextIOBase) or hasattr(target, "encoding"):
        yield _TextSink(target)  # type: ignore[arg-type,misc]  # a text stream, written as str
    else:
        yield target  # type: ignore[misc]  # a binary stream


class _TextSink(io.RawIOBase):
    def __init__(self, text: IO[str]) -> None:
        self._text = text

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._text.write(bytes(data).decode("utf-8"))
        return len(data)


class JsonlWriter:
    """Writes JSON Lines, streaming: one line per chat and per post, nothing held."""

    name = "jsonl"
    suffixes: tuple[str, ...] = (".jsonl", ".ndjson")

    def write(self, data: WriteData, target: WriteTarget) -> None:
        source_format = data.format if isinstance(data, Archive | ItemStream) else None
        with binary_target(target) as fh:
            header = {"tgarchive": "jsonl", "version": FORMAT_VERSION}
            if source_format is not None:
                header["source_format"] = source_format
            fh.write(orjson.dumps(header) + b"\n")
            chat: Chat | None = None
            written = b""
            for item in iter_items(data):
                if isinstance(item, Post):
                    fh.write(item.__pydantic_serializer__.to_json(item) + b"\n")
                    continue
                if not isinstance(item, Chat):
                    raise TypeError(f"expected Chat and Post objects, got a {type(item).__name__}")
                _close_chat(fh, chat, written)
                chat, written = item, chat_json(item)
                fh.write(b'{"chat":' + written + b"}\n")
            _close_chat(fh, chat, written)
            if isinstance(data, Archive | ItemStream) and (
                data.account is not None or data.source_keys is not None
            ):
                trailer = {"account": data.account, "source_keys": data.source_keys}
                fh.write(b'{"archive":' + orjson.dumps(trailer) + b"}\n")


def _close_chat(fh: IO[bytes], chat: Chat | None, written: bytes) -> None:
    # A parser may fill in a chat's fields after its posts (an account export's chat keys
    # that come after "messages"): write the chat again when it changed.
    if chat is not None:
        now = chat_json(chat)
        if now != written:
            fh.write(b'{"chat_update":' + now + b"}\n")
