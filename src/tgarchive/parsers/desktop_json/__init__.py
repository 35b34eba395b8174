"""Telegram Desktop's JSON export (``result.json``), read as a stream of chats and posts.

Reads single-chat exports (the root is the chat) and whole-account exports (``chats.list``,
``left_chats.list`` and the account sections), from every writer generation: 2019-2021 files
without ``date_unixtime`` or ``text_entities``, and 2025-2026 files with fields no writer
source documents (kept verbatim). The writer is :mod:`tgarchive.writers.desktop_json`.

The modules follow the data: :mod:`._scan` cuts the file into events and raw message dicts;
each message goes to the fast path (:mod:`._fast`) and, when that declines, to the general
reader (:mod:`._reader`); both take their key knowledge from one table (:mod:`._fields`), as
the writer does. Losslessness: every key of a message is either understood, and then turned
into a typed field that the writer turns back into the very same JSON value, or kept verbatim
in ``extra``. ``source_keys`` keeps the key order, presence and duplicates.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..._source import Source
from ...errors import SourceLocation, UnknownFormatError
from ...models import Chat, Post
from .. import ParseContext
from . import _scan as js
from ._fast import fast_message
from ._reader import MessageReader

__all__ = ["DesktopJsonParser"]

#: Top-level sections of a whole-account export besides ``chats`` and ``left_chats``: a JSON
#: object holding one of them (as an object or an array) is an account export.
ACCOUNT_SECTIONS = frozenset(
    {"personal_information", "profile_pictures", "stories", "contacts", "frequent_contacts",
     "sessions", "web_sessions", "other_data"}
)  # fmt: skip


class DesktopJsonParser:
    """Parser for Telegram Desktop's ``result.json`` (format name ``desktop-json``).

    >>> from tgarchive.parsers.desktop_json import DesktopJsonParser
    >>> DesktopJsonParser().detect(b'{"name": "c", "messages": []}', "result.json")
    1.0
    """

    name = "desktop-json"

    def detect(self, head: bytes, filename: str | None) -> float:
        stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        if not stripped.startswith(b"{"):
            return 0.0
        if b'"messages": [' in stripped or b'"messages":[' in stripped:
            return 1.0
        markers = (b'"personal_information"', b'"chats"', b'"frequent_contacts"', b'"type": "')
        hits = sum(marker in stripped for marker in markers)
        if hits and (b'"about"' in stripped or b'"name"' in stripped):
            return 0.9
        if filename and filename.lower().endswith(".json"):
            return 0.3
        return 0.1

    def parse(self, source: Source, ctx: ParseContext) -> Iterator[Chat | Post]:
        with source.open() as fh:
            head = fh.read(64)
        # The locator counts lines only when a problem needs one.
        with js.Locator(source.open) as located, source.open() as fh:
            if js.is_indented_layout(head):
                events = js.scan_indented(fh, located)
            else:
                events = js.scan_any(source.open)
            try:
                yield from self._consume(events, ctx, located)
            except js.JsonScanError as exc:
                # A broken structure cannot be stepped over: strict mode raises; lenient mode
                # records it and keeps every post read before it.
                line = located.line_at(exc.offset)
                where = SourceLocation(file=ctx.file, line=line, message_index=exc.index)
                ctx.problem(f"{exc.reason}; reading stopped here", where)

    def _consume(
        self, events: Iterator[js.Event], ctx: ParseContext, located: js.Locator
    ) -> Iterator[Chat | Post]:
        reader = MessageReader(ctx, located)
        root: dict[str, Any] = {}
        root_keys: list[str] = []
        chat: Chat | None = None
        chat_fields: dict[str, Any] = {}
        chat_keys: list[str] = []
        section: dict[str, Any] = {}
        account: dict[str, Any] = {}
        in_section: str | None = None
        root_chat: Chat | None = None
        read = reader.read
        fast = fast_message
        chat_id: int | None = None
        for kind, scope, key, value, at in events:
            if kind == js.MESSAGE_BATCH:
                for i, raw in enumerate(value, key):
                    post = fast(raw, chat_id)  # ordinary messages; the general reader does the rest
                    if post is None:
                        action = raw.get("action") if type(raw) is dict else None
                        if type(action) is str and action in js.DUPLICATE_KEY_ACTIONS:
                            raw = located.exact(i)  # with both "text" values
                        post = read(raw, i, None)
                    if post is not None:
                        yield post
            elif kind == js.MESSAGE:
                post = fast(value, chat_id)
                if post is None:
                    post = read(value, key, at)
                if post is not None:
                    yield post
            elif kind == js.PROBLEM:
                reason, mid = value
                reader.problem(reason, at, mid, key)
            elif kind == js.MEMBER and key == "messages" and scope in ("root", "chat"):
                # "messages" that is not an array: the chat is there, its messages are not.
                where = ctx.location(line=located.line_at(at))
                ctx.problem(f"'messages' should be an array, got {_kind(value)} (kept verbatim)",
                            where)  # fmt: skip
                if scope == "root":
                    root_keys.append(key)
                    root_chat = chat = _make_chat(root, tuple(root_keys), False, ctx)
                else:
                    chat_keys.append(key)
                    chat = _make_chat(chat_fields, tuple(chat_keys), in_section == "left_chats",
                                      ctx)  # fmt: skip
                chat.extra["messages"] = value
                chat_id = reader.chat_id = chat.id
                yield chat
            elif kind == js.MEMBER:
                if scope == "root":
                    root_keys.append(key)
                    if root_chat is not None:
                        root_chat.extra[key] = value
                        root_chat.source_keys = (*(root_chat.source_keys or ()), key)
                    else:
                        root[key] = value
                elif scope == "section":
                    section[key] = value
                else:
                    chat_keys.append(key)
                    if chat is not None:
                        chat.extra[key] = value
                        chat.source_keys = tuple(chat_keys)
                    else:
                        chat_fields[key] = value
            elif kind == js.MESSAGES_BEGIN:
                if scope == "root":
                    root_keys.append("messages")
                    root_chat = chat = _make_chat(root, tuple(root_keys), False, ctx)
                else:
                    chat_keys.append("messages")
                    chat = _make_chat(chat_fields, tuple(chat_keys), in_section == "left_chats",
                                      ctx)  # fmt: skip
                chat_id = reader.chat_id = chat.id
                yield chat
            elif kind == js.CHAT_BEGIN:
                chat, chat_fields, chat_keys = None, {}, []
            elif kind == js.CHAT_END:
                if chat is None:  # a chat without "messages"
                    yield _make_chat(chat_fields, tuple(chat_keys), in_section == "left_chats",
                                     ctx)  # fmt: skip
                chat = None
            elif kind == js.SECTION_BEGIN:
                root_keys.append(key)
                in_section, section = key, {}
            elif kind == js.SECTION_END:
                account[key] = section
                in_section = None
        if root_chat is None:
            if not account and not any(type(root.get(k)) in (dict, list) for k in ACCOUNT_SECTIONS):
                raise UnknownFormatError(
                    f"{ctx.file or 'the input'} is JSON but not a Telegram Desktop export: it has "
                    "neither a chat's 'messages' nor an account export's sections ('chats', "
                    "'personal_information', ...)"
                )
            account = {**{k: root[k] for k in root}, **account}
            ctx.account = {k: account[k] for k in root_keys if k in account}
        ctx.source_keys = tuple(root_keys)


def _kind(value: Any) -> str:
    names: dict[type, str] = {dict: "an object", str: "a string", bool: "a boolean"}
    return names.get(type(value), "null" if value is None else type(value).__name__)


def _make_chat(
    fields: dict[str, Any], keys: tuple[str, ...], left: bool, ctx: ParseContext
) -> Chat:
    extra = {k: v for k, v in fields.items() if k not in ("name", "type", "id")}
    values: dict[str, Any] = {"left": left, "extra": extra, "source_keys": keys}
    for key, kind in (("name", str), ("type", str), ("id", int)):
        value = fields.get(key)
        if value is None or type(value) is kind:
            values[key] = value
        else:
            extra[key] = value
            ctx.problem(f"chat {key!r} should be {kind.__name__}, got {value!r} (kept verbatim)")
    return Chat(**values)
