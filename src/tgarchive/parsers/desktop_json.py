"""Telegram Desktop's JSON export (``result.json``): reading, and writing back exactly.

Reads single-chat exports (the root is the chat) and whole-account exports (``chats.list``,
``left_chats.list`` and the account sections), from every writer generation: 2019-2021 files
without ``date_unixtime`` or ``text_entities``, and 2025-2026 files with fields no writer
source documents (kept verbatim).

Losslessness works like this: every key of a message is either understood, and then turned
into a typed field that the writer turns back into the very same JSON value, or not, and then
kept verbatim in ``extra``; a value whose typed form could not reproduce it exactly (an integer
``date_unixtime`` where the writer uses a string, say) is also kept verbatim in ``extra``,
which the writer prefers. ``source_keys`` keeps the key order, presence and duplicates.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timezone
from typing import Any, NamedTuple, TextIO

from .._build import EMPTY, MAKER, builder, exact_builder, template
from .._source import Source
from ..errors import SourceLocation
from ..models import (
    MISSING_FILE_REASONS,
    Archive,
    Button,
    Chat,
    Contact,
    Entity,
    Forward,
    Game,
    Invoice,
    Location,
    Media,
    MediaFile,
    OtherMedia,
    Poll,
    PollAnswer,
    Post,
    Reaction,
    RecentReaction,
    Venue,
)
from . import ParseContext
from . import _jsonscan as js

__all__ = ["DesktopJsonParser", "dump_desktop_json", "post_to_json_object"]

_UTC = timezone.utc
_fromtimestamp = datetime.fromtimestamp

_build_post = builder(Post)
_new_entity = exact_builder(Entity)
_ENTITY_MAKER = MAKER
_ENTITY_FIELDS = set(Entity.model_fields)
_ENTITY_TEMPLATE = template(Entity)
_new_reaction = exact_builder(Reaction)
_build_forward = builder(Forward)
_build_file = builder(MediaFile)

# Keys of a service message that are not the action's own fields.
_SERVICE_COMMON = frozenset(
    {"id", "type", "date", "date_unixtime", "edited", "edited_unixtime", "actor", "actor_id",
     "action", "text", "text_entities"}
)  # fmt: skip
_COMMON = frozenset({"id", "type", "date", "date_unixtime", "edited", "edited_unixtime"})
_MESSAGE_KEYS = _COMMON | {
    "from", "from_id", "author", "forwarded_from", "forwarded_from_id", "saved_from",
    "forwarded_date", "forwarded_date_unixtime",
    "reply_to_message_id", "reply_to_peer_id", "via_bot", "text", "text_entities",
    "inline_bot_buttons", "reactions",
}  # fmt: skip
_FORWARD_KEYS = ("forwarded_from", "forwarded_from_id", "saved_from", "forwarded_date",
                 "forwarded_date_unixtime")  # fmt: skip
# Keys the writer writes as null for a nameless peer.
_NULLABLE = frozenset({"from", "forwarded_from", "saved_from"})
_PHOTO_KEYS = ("photo", "photo_file_size", "width", "height", "media_spoiler",
               "self_destruct_period_seconds")  # fmt: skip
_FILE_KEYS = ("file", "file_name", "file_size", "thumbnail", "thumbnail_file_size", "media_type",
              "sticker_emoji", "performer", "title", "mime_type", "duration_seconds", "width",
              "height", "media_spoiler", "self_destruct_period_seconds")  # fmt: skip
_OTHER_MEDIA = {
    "contact_information": ("contact_information", "contact_vcard", "contact_vcard_file_size"),
    "place_name": ("place_name", "address", "location_information"),
    "location_information": ("location_information", "live_location_period_seconds"),
    "game_title": ("game_title", "game_description", "game_link"),
    "invoice_information": ("invoice_information",),
    "poll": ("poll",),
    "giveaway_information": ("giveaway_information",),
    "giveaway_results": ("giveaway_results",),
    "paid_stars_amount": ("paid_stars_amount",),
}
_MEDIA_TYPE_KIND = {
    "sticker": "sticker",
    "video_message": "video_message",
    "voice_message": "voice",
    "animation": "animation",
    "video_file": "video",
    "audio_file": "audio",
}
_KIND_MEDIA_TYPE = {v: k for k, v in _MEDIA_TYPE_KIND.items()}
_ENTITY_EXTRA = {
    "text_link": "href",
    "mention_name": "user_id",
    "pre": "language",
    "custom_emoji": "document_id",
    "blockquote": "collapsed",
}
_ENTITY_FIELD_TYPE: dict[str, type] = {
    "href": str, "user_id": int, "language": str, "document_id": str, "collapsed": bool,
}  # fmt: skip
_REACTION_KINDS = frozenset({"emoji", "custom_emoji", "paid"})

_int_tuple_cache: dict[tuple[int, ...], tuple[int, ...]] = {}


_intern = sys.intern  # names, ids, kinds and emoji repeat on every other post


def _utc(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, _UTC)


def _local(text: str) -> datetime:
    return datetime.fromisoformat(text)


class _BadValueError(Exception):
    """A value of the wrong shape; the caller keeps it verbatim and reports it."""


class _MessageReader:
    """Turns one raw message dict into a :class:`Post`, reporting problems with their place."""

    def __init__(self, ctx: ParseContext, located: js.Locator | None = None) -> None:
        self.ctx = ctx
        self.located = located

    def problem(self, reason: str, at: int | None, mid: int | None, index: int) -> None:
        """Report a problem of message ``index``, read at file offset ``at`` (``None``: read in
        the current batch)."""
        line = None
        if self.located is not None:
            line = self.located.line_of(index) if at is None else self.located.line_at(at)
        self.ctx.problem(reason, self.ctx.location(line=line, message_id=mid, message_index=index))

    def read(self, raw: Any, index: int, at: int | None) -> Post | None:
        if type(raw) is not dict and not isinstance(raw, dict):
            self.problem(f"a message must be a JSON object, got {_kind(raw)}", at, None, index)
            return None
        mid = raw.get("id")
        if type(mid) is not int:
            self.problem(f"message 'id' must be an integer, got {mid!r}", at, None, index)
            return None
        issues: list[str] = []
        try:
            post = self._read(raw, mid, issues)
        except _BadValueError as exc:  # the message as a whole is unusable: keep it verbatim
            issues.append(str(exc))
            post = _build_post(
                {
                    "id": mid,
                    "type": str(raw.get("type", "")),
                    "extra": dict(raw),
                    "source_keys": tuple(raw),
                }
            )
        for reason in issues:
            self.problem(reason, at, mid, index)
        return post

    def _read(self, raw: dict[str, Any], mid: int, issues: list[str]) -> Post:
        get = raw.get
        extra: dict[str, Any] = {}
        values: dict[str, Any] = {"id": mid, "extra": extra}
        mtype = get("type")
        if type(mtype) is not str:
            raise _BadValueError(f"message 'type' must be a string, got {mtype!r}")
        values["type"] = mtype
        dups = getattr(raw, "dups", None)
        if dups:
            # Keep each duplicate key where it stood, just before its last occurrence.
            keys: list[str] = []
            for key in raw:
                keys.extend(k for k, _ in dups if k == key)
                keys.append(key)
            values["source_keys"] = tuple(keys)
        else:
            values["source_keys"] = _key_layout(tuple(raw)).keys

        def bad(key: str, expected: str) -> None:
            extra[key] = raw[key]
            issues.append(f"{key!r} should be {expected}, got {raw[key]!r} (kept verbatim)")

        _instant(raw, "date", "date_unixtime", values, "date", "date_local", extra, bad)
        _instant(raw, "edited", "edited_unixtime", values, "edited", "edited_local", extra, bad)

        if mtype == "service":
            self._service(raw, values, extra, bad)
            known: frozenset[str] = _SERVICE_COMMON
        else:
            self._message(raw, values, extra, bad, issues)
            known = _MESSAGE_KEYS
        # The text is read for every type (services carry "" and []).
        if "text" in raw or "text_entities" in raw:
            _read_text(raw, values, extra, bad)
        if mtype != "service":
            media_keys = values.pop("_media_keys")
            for key, value in raw.items():
                if key not in known and key not in media_keys:
                    extra[key] = value  # a field the model does not know
                elif value is None and key not in _NULLABLE:
                    extra[key] = None  # null where the writer never writes null
        else:
            for key in ("date", "date_unixtime", "edited", "edited_unixtime", "actor_id"):
                if key in raw and raw[key] is None:
                    extra[key] = None
        if not extra:
            values["extra"] = EMPTY
        return _build_post(values)

    def _service(
        self,
        raw: dict[str, Any],
        values: dict[str, Any],
        extra: dict[str, Any],
        bad: Callable[[str, str], None],
    ) -> None:
        _author(raw, values, extra, bad, "actor", "actor_id")
        action = raw.get("action")
        if action is not None:
            if type(action) is str:
                values["action"] = action
            else:
                bad("action", "a string")
        data = {k: v for k, v in raw.items() if k not in _SERVICE_COMMON}
        dups = getattr(raw, "dups", None)
        if dups:
            # send_webview_data writes the button text under "text" before the message text.
            for key, value in dups:
                data.setdefault(key, value)
        values["action_data"] = data

    def _message(
        self,
        raw: dict[str, Any],
        values: dict[str, Any],
        extra: dict[str, Any],
        bad: Callable[[str, str], None],
        issues: list[str],
    ) -> None:
        get = raw.get
        _author(raw, values, extra, bad, "from", "from_id")
        sig = get("author")
        if sig is not None:
            if type(sig) is str:
                values["signature"] = sig
            else:
                bad("author", "a string")
        if any(key in raw for key in _FORWARD_KEYS):
            fwd: dict[str, Any] = {"extra": EMPTY}
            for key, name in (
                ("forwarded_from", "from_name"),
                ("forwarded_from_id", "from_id"),
                ("saved_from", "saved_from"),
            ):
                value = get(key)
                if value is None or type(value) is str:
                    fwd[name] = value if value is None else _intern(value)
                else:
                    bad(key, "a string")
            # tgarchive's own extension (Telegram's JSON has no forward date; its HTML does).
            _instant(
                raw, "forwarded_date", "forwarded_date_unixtime", fwd, "date", None, extra, bad
            )
            values["forward"] = _build_forward(fwd)
        reply = get("reply_to_message_id")
        if reply is not None:
            if type(reply) is int:
                values["reply_to_id"] = reply
            else:
                bad("reply_to_message_id", "an integer")
        for key, name in (("reply_to_peer_id", "reply_to_peer_id"), ("via_bot", "via_bot")):
            value = get(key)
            if value is not None:
                if type(value) is str:
                    values[name] = value
                else:
                    bad(key, "a string")
        media, media_keys = _read_media(raw, extra)
        values["_media_keys"] = media_keys
        if media is not None:
            values["media"] = media
        reactions = get("reactions")
        if reactions is not None:
            try:
                if type(reactions) is not list:
                    raise _BadValueError("expected an array")
                values["reactions"] = tuple(_reaction(r) for r in reactions)
            except (_BadValueError, TypeError) as exc:
                extra["reactions"] = reactions
                issues.append(f"'reactions' is malformed ({exc}); kept verbatim")
        buttons = get("inline_bot_buttons")
        if buttons is not None:
            try:
                values["inline_bot_buttons"] = tuple(_button_row(row) for row in _array(buttons))
            except (_BadValueError, TypeError) as exc:
                extra["inline_bot_buttons"] = buttons
                issues.append(f"'inline_bot_buttons' is malformed ({exc}); kept verbatim")


_ALL_MEDIA_KEYS = frozenset(_PHOTO_KEYS) | frozenset(_FILE_KEYS)
# Keys an ordinary modern message has; anything else goes through the general reader.
_FAST_KEYS = (
    frozenset({"id", "type", "date", "date_unixtime", "edited", "edited_unixtime", "from",
               "from_id", "author", "forwarded_from", "forwarded_from_id",
               "reply_to_message_id", "text", "text_entities", "reactions"})
    | _ALL_MEDIA_KEYS
)  # fmt: skip


class _Layout(NamedTuple):
    """What a message's keys say about it, worked out once per distinct key layout (a channel
    has a few dozen): the fast path reads these flags instead of testing keys one by one."""

    keys: tuple[str, ...]  # one shared tuple per layout, kept as Post.source_keys
    fast: bool  # only keys the fast path reads, with the ones it needs
    edited: bool
    from_id: bool
    signed: bool
    forwarded: bool
    forward_id: bool
    reply: bool
    text: bool
    reactions: bool
    media: tuple[str, ...]  # the media keys, all of one kind (photo or file)
    photo: bool

    @classmethod
    def of(cls, keys: tuple[str, ...]) -> _Layout:
        present = frozenset(keys)
        media = tuple(k for k in keys if k in _ALL_MEDIA_KEYS)
        photo = "photo" in present
        own = _PHOTO_KEY_SET if photo else _FILE_KEY_SET
        fast = (
            present <= _FAST_KEYS
            and {"id", "type", "date", "date_unixtime", "text_entities"} <= present
            and ("edited" in present) == ("edited_unixtime" in present)
            and (not media or (("photo" in present) != ("file" in present) and own.issuperset(media)))
        )  # fmt: skip
        return cls(keys, fast, "edited" in present, "from_id" in present, "author" in present,
                   "forwarded_from" in present or "forwarded_from_id" in present,
                   "forwarded_from_id" in present, "reply_to_message_id" in present,
                   "text" in present, "reactions" in present, media, photo)  # fmt: skip


_layouts: dict[tuple[str, ...], _Layout] = {}


def _key_layout(keys: tuple[str, ...]) -> _Layout:
    """The layout of a message with these keys (cached: most messages share a handful)."""
    found = _layouts.get(keys)
    if found is None:
        found = _Layout.of(keys)
        if len(_layouts) < 4096:
            _layouts[keys] = found
    return found


_new_forward = exact_builder(Forward)
_new_post = exact_builder(Post)
_REACTION_TEMPLATE = template(Reaction, kind="emoji")
_UNKNOWN_REACTION = template(Reaction, kind="unknown")
_new_media = exact_builder(MediaFile)
_MEDIA_TEMPLATE = template(MediaFile)
_PHOTO_KEY_SET = frozenset(_PHOTO_KEYS)
_FILE_KEY_SET = frozenset(_FILE_KEYS)
# media keys with a plain typed value: the MediaFile field and the type
_FILE_FIELD_TYPES: dict[str, tuple[str, type]] = {
    "photo_file_size": ("file_size", int), "file_size": ("file_size", int),
    "file_name": ("file_name", str), "thumbnail": ("thumbnail", str),
    "thumbnail_file_size": ("thumbnail_file_size", int), "sticker_emoji": ("sticker_emoji", str),
    "performer": ("performer", str), "title": ("title", str), "mime_type": ("mime_type", str),
    "duration_seconds": ("duration", int), "width": ("width", int), "height": ("height", int),
    "media_spoiler": ("spoiler", bool),
    "self_destruct_period_seconds": ("self_destruct_seconds", int),
}  # fmt: skip
_POST_TEMPLATE = template(Post)


def _fast_message(raw: Any) -> Post | None:
    """An ordinary message of a modern export, read in one flat pass; ``None`` as soon as
    anything is unusual (an unknown key, a null, an odd type, a non-canonical text), leaving
    the message to the general reader, which reports and keeps such things. Both give equal
    posts (tests/property/test_properties.py checks it)."""
    if type(raw) is not dict:
        return None
    (keys, fast, edited, from_id, signed, forwarded, forward_id, reply, has_text, reactions,
     media_keys, photo) = _key_layout(tuple(raw))  # fmt: skip
    if not fast:
        return None
    get = raw.get
    mid = raw["id"]
    unix = raw["date_unixtime"]
    local = raw["date"]
    if (
        type(mid) is not int
        or raw["type"] != "message"
        or type(unix) is not str
        or type(local) is not str
        or not unix.isdigit()
    ):
        return None
    d = _POST_TEMPLATE.copy()
    d["id"] = mid
    d["date"] = _fromtimestamp(int(unix), _UTC)
    d["date_local"] = local
    if edited:
        eunix = raw["edited_unixtime"]
        elocal = raw["edited"]
        if type(eunix) is not str or type(elocal) is not str or not eunix.isdigit():
            return None
        d["edited"] = _fromtimestamp(int(eunix), _UTC)
        d["edited_local"] = elocal
    name = get("from")
    if name is not None:
        if type(name) is not str:
            return None
        d["author"] = _intern(name)
    if from_id:
        pid = raw["from_id"]
        if type(pid) is not str:
            return None
        d["author_id"] = _intern(pid)
    if signed:
        signature = raw["author"]
        if type(signature) is not str:
            return None
        d["signature"] = signature
    if forwarded:
        origin = get("forwarded_from")
        origin_id = get("forwarded_from_id")
        if (origin is not None and type(origin) is not str) or (
            forward_id and type(origin_id) is not str
        ):
            return None
        d["forward"] = _new_forward(
            {
                "from_name": None if origin is None else _intern(origin),
                "from_id": None if origin_id is None else _intern(origin_id),
                "date": None,
                "saved_from": None,
                "extra": EMPTY,
            }
        )
    if reply:
        reply_id = raw["reply_to_message_id"]
        if type(reply_id) is not int:
            return None
        d["reply_to_id"] = reply_id
    parts = raw["text_entities"]
    if type(parts) is not list or not _read_modern_text(parts, get("text"), has_text, d):
        return None
    if "_text_verbatim" in d:
        return None
    if reactions:
        listed = raw["reactions"]
        if type(listed) is not list:
            return None
        made = []
        for r in listed:
            # the common {type: emoji, count, emoji}, built inline; anything else via _reaction
            if type(r) is dict and len(r) == 3 and r.get("type") == "emoji":
                count = r["count"]
                emoji = r.get("emoji")
                if type(count) is int and type(emoji) is str:
                    data = _REACTION_TEMPLATE.copy()
                    data["count"] = count
                    data["emoji"] = _intern(emoji)
                    made.append(_new_reaction(data))
                    continue
            try:
                made.append(_reaction(r))
            except (_BadValueError, TypeError):
                return None
        d["reactions"] = tuple(made)
    if media_keys:
        media = _fast_media(raw, media_keys, photo)
        if media is None:
            return None
        d["media"] = media
    d["source_keys"] = keys
    return _new_post(d)


def _fast_media(raw: dict[str, Any], keys: tuple[str, ...], photo: bool) -> MediaFile | None:
    """The photo or file of an ordinary message (its media ``keys`` all of one kind) when
    every one has its usual type; ``None`` otherwise (the general reader keeps what it cannot
    type)."""
    values = _MEDIA_TEMPLATE.copy()
    values["kind"] = "photo" if photo else "document"
    for key in keys:
        value = raw[key]
        if key == "photo" or key == "file":
            if type(value) is not str:
                return None
            values["missing" if _is_missing(value) else "path"] = value
        elif key == "media_type":
            kind = _MEDIA_TYPE_KIND.get(value) if type(value) is str else None
            if kind is None:
                return None
            values["kind"] = kind
        else:
            field, expected = _FILE_FIELD_TYPES[key]
            if type(value) is not expected:
                return None
            values[field] = value
    return _new_media(values)


def _instant(
    raw: dict[str, Any],
    local_key: str,
    unix_key: str,
    values: dict[str, Any],
    field: str,
    local_field: str | None,
    extra: dict[str, Any],
    bad: Callable[[str, str], None],
) -> None:
    """Read a local date string and its epoch-seconds twin into ``values[field]`` (aware UTC
    from the epoch when there is one, naive local time otherwise)."""
    local = raw.get(local_key)
    if local is not None:
        if type(local) is str:
            if local_field is not None:
                values[local_field] = local
        else:
            bad(local_key, "a date string")
            local = None
    unix = raw.get(unix_key)
    if unix is not None:
        if type(unix) is str and unix.isdigit():
            values[field] = _utc(int(unix))
        elif type(unix) is int:
            values[field] = _utc(unix)
            extra[unix_key] = unix  # the writer would write a string: keep the number
        else:
            bad(unix_key, "epoch seconds as a string")
    if field not in values and local:
        try:
            values[field] = _local(local)
        except ValueError:
            bad(local_key, "an ISO date-time")


def _kind(value: Any) -> str:
    names: dict[type, str] = {dict: "an object", list: "an array", str: "a string"}
    return names.get(type(value), repr(value))


def _author(
    raw: dict[str, Any],
    values: dict[str, Any],
    extra: dict[str, Any],
    bad: Callable[[str, str], None],
    name_key: str,
    id_key: str,
) -> None:
    name = raw.get(name_key)
    if name is not None:
        if type(name) is str:
            values["author"] = _intern(name)
        else:
            bad(name_key, "a string or null")
    pid = raw.get(id_key)
    if pid is not None:
        if type(pid) is str:
            values["author_id"] = _intern(pid)
        elif type(pid) is int:  # 2019-2020 writers: bare numbers
            values["author_id"] = str(pid)
            extra[id_key] = pid
        else:
            bad(id_key, "a prefixed id string")


def _read_modern_text(parts: list[Any], text: Any, has_text: bool, values: dict[str, Any]) -> bool:
    """The newest writers' shape in one pass: every part an object, plain parts ``{type,
    text}`` never adjacent; ``text`` checked against the parts on the way. Returns False
    (having set nothing) when the parts are not in that shape, so the general reader decides.

    This is the hottest loop of the library: entities are built inline, and type checks are
    left to the operations that fail on a wrong type (``str.join`` for texts, ``sys.intern``
    for kinds).
    """
    pieces: list[str] = []
    append = pieces.append
    entities: list[Entity] = []
    empties: list[int] | None = None
    text_list = text if type(text) is list and len(text) == len(parts) else None
    check = text_list is not None
    text_ok = check or not has_text or type(text) is str
    pos = 0
    prev_plain = False
    intern = _intern
    new, set_dict, set_fields, set_extra, set_private = _ENTITY_MAKER
    fields = _ENTITY_FIELDS
    template = _ENTITY_TEMPLATE
    try:
        # equal lengths: text_list is only used when it has one item per part
        for part, expected in zip(
            parts, text_list if text_list is not None else parts, strict=True
        ):
            if type(part) is not dict:  # also keeps DupDict parts for the general reader
                return False
            ptext = part["text"]
            if part["type"] == "plain":
                if len(part) != 2:
                    return False
                if check and expected != ptext:
                    text_ok = False
                if ptext == "":
                    # the part's index: every earlier part left a piece or an empty
                    if empties is None:
                        empties = [len(pieces)]
                    else:
                        empties.append(len(pieces) + len(empties))
                    continue
                if prev_plain:
                    return False
                prev_plain = True
                append(ptext)
                pos += len(ptext)
                continue
            if check and expected != part:
                text_ok = False
            prev_plain = False
            length = len(ptext)
            if len(part) == 2:
                entity = new(Entity)
                data = template.copy()
                data["kind"] = intern(part["type"])
                data["offset"] = pos
                data["length"] = length
                data["text"] = ptext
                set_dict(entity, data)
                set_fields(entity, fields)
                set_extra(entity, None)
                set_private(entity, None)
                entities.append(entity)
            else:
                entities.append(_entity(part["type"], ptext, pos, part))
            append(ptext)
            pos += length
        joined = "".join(pieces)
    except (KeyError, TypeError):
        return False
    if has_text and type(text) is str:
        n = len(parts)
        text_ok = (n == 0 and text == "") or (
            n == 1 and parts[0].get("type") == "plain" and parts[0]["text"] == text
        )
    elif has_text and text_list is not None:
        # A list is what the writer writes only for two or more parts, or one entity part.
        text_ok = text_ok and len(parts) > 0
        text_ok = text_ok and not (len(parts) == 1 and parts[0].get("type") == "plain")
    _store_text(values, joined, entities, empties)
    if not text_ok:
        values["_text_verbatim"] = True
    return True


def _store_text(
    values: dict[str, Any], text: str, entities: list[Entity], empties: list[int] | None
) -> None:
    values["text"] = text
    if entities:
        values["entities"] = tuple(entities)
    if empties:
        positions = tuple(empties)
        found = _int_tuple_cache.get(positions)
        if found is None and len(_int_tuple_cache) < 4096:
            _int_tuple_cache[positions] = positions
        values["text_empty_parts"] = found or positions


def _read_text(
    raw: dict[str, Any],
    values: dict[str, Any],
    extra: dict[str, Any],
    bad: Callable[[str, str], None],
) -> None:
    text = raw.get("text")
    modern = raw.get("text_entities")
    if type(modern) is list and _read_modern_text(modern, text, "text" in raw, values):
        if values.pop("_text_verbatim", False):
            extra["text"] = text
        return
    parts = raw.get("text_entities")
    from_entities = "text_entities" in raw
    if from_entities and type(parts) is not list:
        bad("text_entities", "an array")  # kept verbatim; the text is read from "text"
        from_entities = False
    if not from_entities:
        parts = None
        if type(text) is str:
            parts = [text] if text else []
        elif type(text) is list:
            parts = text
        else:
            if "text" in raw:
                bad("text", "a string or an array of parts")
            return
    assert parts is not None
    pieces: list[str] = []
    entities: list[Entity] = []
    empties: list[int] = []
    pos = 0
    prev_plain = False
    canonical = True
    kind: Any
    ptext: Any
    obj: dict[str, Any] | None
    for i, part in enumerate(parts):
        if type(part) is str:
            kind = "plain"
            ptext = part
            obj = None
            if from_entities:
                canonical = False  # "text_entities" holds plain parts as objects
        elif type(part) is dict:
            kind = part.get("type")
            ptext = part.get("text")
            obj = part
            if type(kind) is not str or type(ptext) is not str:
                canonical = False
                continue
            if kind == "plain" and not from_entities:
                canonical = False  # "text" lists hold plain parts as bare strings
        else:
            canonical = False
            continue
        if kind == "plain":
            if obj is not None and len(obj) != 2:
                canonical = False
            if not ptext:
                empties.append(i)
                continue
            if prev_plain:
                canonical = False
            prev_plain = True
            pieces.append(ptext)
            pos += len(ptext)
            continue
        prev_plain = False
        assert obj is not None
        entities.append(_entity(kind, ptext, pos, obj))
        pieces.append(ptext)
        pos += len(ptext)
    _store_text(values, "".join(pieces), entities, empties)
    if not canonical:
        # Parts the model cannot re-create (adjacent plain parts, odd shapes): keep them as read.
        for key in ("text", "text_entities"):
            if key in raw:
                extra[key] = raw[key]
        return
    # "text" must be what the writer makes of the parts; old files have only "text".
    if "text" in raw:
        expected: Any
        if from_entities:
            parts = [p["text"] if p.get("type") == "plain" else p for p in parts]
        if not parts:
            expected = ""
        elif len(parts) == 1 and type(parts[0]) is str:
            expected = parts[0]
        else:
            expected = parts
        if text != expected:
            extra["text"] = text


def _entity(kind: str, text: str, offset: int, obj: dict[str, Any]) -> Entity:
    data: dict[str, Any] = {
        "kind": _intern(kind),
        "offset": offset,
        "length": len(text),
        "text": text,
        "href": None,
        "user_id": None,
        "language": None,
        "document_id": None,
        "collapsed": None,
        "extra": EMPTY,
    }
    if len(obj) > 2:
        extra: dict[str, Any] = {}
        for key, value in obj.items():
            if key == "type" or key == "text":
                continue
            ftype = _ENTITY_FIELD_TYPE.get(key)
            if ftype is not None and type(value) is ftype:
                data[key] = value
            else:
                extra[key] = value
        if extra:
            data["extra"] = extra
    return _new_entity(data)


def _reaction(obj: Any) -> Reaction:
    if type(obj) is not dict:
        raise _BadValueError("a reaction must be an object")
    data = _UNKNOWN_REACTION.copy()
    extra: dict[str, Any] | None = None
    for key, value in obj.items():
        if key == "type" and value in _REACTION_KINDS:
            data["kind"] = value
        elif key == "count" and type(value) is int:
            data["count"] = value
        elif (key == "emoji" or key == "document_id") and type(value) is str:
            data[key] = _intern(value)
        elif key == "recent" and type(value) is list:
            data["recent"] = tuple(_recent(r) for r in value)
        else:
            if extra is None:
                extra = data["extra"] = {}
            extra[key] = value  # an unknown type stays in extra["type"]
    if data["count"] is None:
        raise _BadValueError("a reaction needs an integer 'count'")
    return _new_reaction(data)


def _recent(obj: Any) -> RecentReaction:
    if type(obj) is not dict:
        raise _BadValueError("a recent reactor must be an object")
    values: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in obj.items():
        name = {"from": "from_name", "from_id": "from_id", "date": "date_local"}.get(key)
        if name is not None and (value is None or type(value) is str):
            values[name] = value
        else:
            extra[key] = value
    values["extra"] = extra
    return RecentReaction.model_validate(values)


def _array(value: Any) -> list[Any]:
    if type(value) is not list:
        raise _BadValueError("expected an array")
    return value


def _button_row(row: Any) -> tuple[Button, ...]:
    return tuple(_button(b) for b in _array(row))


def _button(obj: Any) -> Button:
    if type(obj) is not dict or type(obj.get("type")) is not str:
        raise _BadValueError("a button must be an object with a string 'type'")
    values: dict[str, Any] = {"kind": obj["type"]}
    extra: dict[str, Any] = {}
    for key, value in obj.items():
        if key == "type":
            continue
        if key in ("text", "data") and type(value) is str:
            values[key] = value
        else:
            extra[key] = value
    values["extra"] = extra
    return Button.model_validate(values)


def _opt(value: Any, kind: type) -> Any:
    if value is None or type(value) is kind:
        return value
    raise _BadValueError("wrong type")


def _read_media(raw: dict[str, Any], extra: dict[str, Any]) -> tuple[Media | None, tuple[str, ...]]:
    """The post's media and the keys it was read from (their values re-created exactly)."""
    if "photo" in raw or "file" in raw:
        is_photo = "photo" in raw
        keys: tuple[str, ...] = _PHOTO_KEYS if is_photo else _FILE_KEYS
        values: dict[str, Any] = {}
        used: list[str] = []
        for key in keys:
            if key not in raw:
                continue
            value = raw[key]
            used.append(key)
            ok = _FILE_FIELDS[key](value, values)
            if not ok:
                extra[key] = value
        if is_photo:
            values["kind"] = "photo"
        else:
            media_type = raw.get("media_type")
            kind = _MEDIA_TYPE_KIND.get(media_type) if type(media_type) is str else None
            if kind is None:
                kind = "document"
                if media_type is not None:
                    extra["media_type"] = media_type
            values["kind"] = kind
        return _build_file(values), tuple(used)
    for trigger, keys in _OTHER_MEDIA.items():
        if trigger in raw:
            used_keys = tuple(k for k in keys if k in raw)
            media = _other_media(trigger, raw)
            # Nested objects may hold fields we do not know: keep any key whose value the
            # writer would not re-create exactly.
            for key in used_keys:
                if _media_value(media, key) != raw[key]:
                    extra[key] = raw[key]
            return media, used_keys
    return None, ()


def _is_missing(path: str) -> bool:
    """Whether a file path is one of the writer's "(File not included...)" placeholders."""
    return path in MISSING_FILE_REASONS or (path.startswith("(") and path.endswith(")"))


def _path_or_missing() -> Callable[[Any, dict[str, Any]], bool]:
    def read(value: Any, values: dict[str, Any]) -> bool:
        if type(value) is not str:
            return False
        values["missing" if _is_missing(value) else "path"] = value
        return True

    return read


def _typed(field: str, kind: type) -> Callable[[Any, dict[str, Any]], bool]:
    def read(value: Any, values: dict[str, Any]) -> bool:
        if type(value) is not kind:
            return False
        values[field] = value
        return True

    return read


def _media_type(value: Any, values: dict[str, Any]) -> bool:
    return type(value) is str and value in _MEDIA_TYPE_KIND


_FILE_FIELDS: dict[str, Callable[[Any, dict[str, Any]], bool]] = {
    "photo": _path_or_missing(),
    "file": _path_or_missing(),
    "media_type": _media_type,
    **{key: _typed(field, kind) for key, (field, kind) in _FILE_FIELD_TYPES.items()},
}


_new_poll = exact_builder(Poll)
_new_answer = exact_builder(PollAnswer)
_ANSWER_KEYS = frozenset(PollAnswer.model_fields)


def _plain_poll(poll: Any) -> Poll | None:
    """A poll whose values all have their plain types, built without validating again;
    ``None`` for anything else (validation then decides, and the caller compares)."""
    if type(poll) is not dict:
        return None
    question = poll.get("question", "")
    closed = poll.get("closed")
    total = poll.get("total_voters")
    listed = poll.get("answers", ())
    if (
        type(question) is not str
        or (closed is not None and type(closed) is not bool)
        or (total is not None and type(total) is not int)
        or type(listed) not in (list, tuple)
    ):
        return None
    answers = []
    for a in listed:
        if type(a) is not dict or not a.keys() <= _ANSWER_KEYS:
            return None
        text = a.get("text")
        voters = a.get("voters")
        chosen = a.get("chosen")
        if (
            type(text) is not str
            or (voters is not None and type(voters) is not int)
            or (chosen is not None and type(chosen) is not bool)
        ):
            return None
        answers.append(_new_answer({"text": text, "voters": voters, "chosen": chosen}))
    return _new_poll({"kind": "poll", "question": question, "closed": closed,
                      "total_voters": total, "answers": tuple(answers)})  # fmt: skip


def _other_media(trigger: str, raw: dict[str, Any]) -> Media:
    get = raw.get
    try:
        if trigger == "contact_information":
            info = get("contact_information") or {}
            return Contact(
                first_name=_opt(info.get("first_name"), str),
                last_name=_opt(info.get("last_name"), str),
                phone_number=_opt(info.get("phone_number"), str),
                vcard=_opt(get("contact_vcard"), str),
                vcard_file_size=_opt(get("contact_vcard_file_size"), int),
            )
        if trigger == "place_name":
            loc = get("location_information") or {}
            return Venue(
                title=_opt(get("place_name"), str),
                address=_opt(get("address"), str),
                latitude=loc.get("latitude"),
                longitude=loc.get("longitude"),
            )
        if trigger == "location_information":
            loc = get("location_information") or {}
            return Location(
                latitude=loc.get("latitude"),
                longitude=loc.get("longitude"),
                live_period=_opt(get("live_location_period_seconds"), int),
            )
        if trigger == "game_title":
            return Game(
                title=_opt(get("game_title"), str),
                description=_opt(get("game_description"), str),
                link=_opt(get("game_link"), str),
            )
        if trigger == "invoice_information":
            inv = get("invoice_information") or {}
            return Invoice(
                title=inv.get("title"),
                description=inv.get("description"),
                amount=inv.get("amount"),
                currency=inv.get("currency"),
                receipt_message_id=inv.get("receipt_message_id"),
            )
        if trigger == "poll":
            poll = get("poll") or {}
            typed = _plain_poll(poll)
            if typed is not None:
                return typed
            return Poll(
                question=poll.get("question", ""),
                closed=poll.get("closed"),
                total_voters=poll.get("total_voters"),
                answers=tuple(PollAnswer.model_validate(a) for a in poll.get("answers", ())),
            )
    except (_BadValueError, ValueError, TypeError, AttributeError):
        pass  # the values stay verbatim in extra (the caller compares)
    kind = {"giveaway_information": "giveaway", "giveaway_results": "giveaway_results",
            "paid_stars_amount": "paid"}.get(trigger, "other")  # fmt: skip
    keys = _OTHER_MEDIA.get(trigger, (trigger,))
    return OtherMedia.model_validate({"kind": kind, "data": {k: raw[k] for k in keys if k in raw}})


# -- writing -------------------------------------------------------------------------------


def _media_value(media: Media, key: str) -> Any:
    """The JSON value the writer gives ``key`` for this media."""
    if isinstance(media, MediaFile):
        if key in ("photo", "file"):
            return media.path if media.path is not None else media.missing
        if key == "media_type":
            return _KIND_MEDIA_TYPE.get(media.kind)
        name = _FILE_KEY_FIELD.get(key)
        return getattr(media, name) if name else None
    if isinstance(media, OtherMedia):
        return media.data.get(key)
    if isinstance(media, Contact):
        if key == "contact_information":
            return {"first_name": media.first_name, "last_name": media.last_name,
                    "phone_number": media.phone_number}  # fmt: skip
        return media.vcard if key == "contact_vcard" else media.vcard_file_size
    if isinstance(media, Location | Venue):
        if key == "location_information":
            if media.latitude is None and media.longitude is None:
                return None
            return {"latitude": media.latitude, "longitude": media.longitude}
        if isinstance(media, Location):
            return media.live_period
        return media.title if key == "place_name" else media.address
    if isinstance(media, Game):
        return {"game_title": media.title, "game_description": media.description,
                "game_link": media.link}.get(key)  # fmt: skip
    if isinstance(media, Invoice):
        inv: dict[str, Any] = {"title": media.title, "description": media.description,
                               "amount": media.amount, "currency": media.currency}  # fmt: skip
        if media.receipt_message_id is not None:
            inv["receipt_message_id"] = media.receipt_message_id
        return inv
    if isinstance(media, Poll):
        return {
            "question": media.question,
            "closed": media.closed,
            "total_voters": media.total_voters,
            "answers": [
                {"text": a.text, "voters": a.voters, "chosen": a.chosen} for a in media.answers
            ],
        }
    return None


_FILE_KEY_FIELD = {
    "photo_file_size": "file_size", "file_size": "file_size", "file_name": "file_name",
    "thumbnail": "thumbnail", "thumbnail_file_size": "thumbnail_file_size",
    "sticker_emoji": "sticker_emoji", "performer": "performer", "title": "title",
    "mime_type": "mime_type", "duration_seconds": "duration", "width": "width",
    "height": "height", "media_spoiler": "spoiler",
    "self_destruct_period_seconds": "self_destruct_seconds",
}  # fmt: skip


def _media_keys(media: Media) -> list[str]:
    """Canonical keys for media that did not come from Desktop JSON."""
    if isinstance(media, MediaFile):
        keys = _PHOTO_KEYS if media.kind == "photo" else _FILE_KEYS
        return [k for k in keys if _media_value(media, k) is not None]
    if isinstance(media, OtherMedia):
        return list(media.data)
    if isinstance(media, Contact):
        return ["contact_information"] + [
            k for k in ("contact_vcard", "contact_vcard_file_size") if _media_value(media, k)
        ]
    if isinstance(media, Venue):
        return ["place_name", "address", "location_information"]
    if isinstance(media, Location):
        live = ["live_location_period_seconds"] if media.live_period else []
        return ["location_information", *live]
    if isinstance(media, Game):
        return ["game_title", "game_description"] + (["game_link"] if media.link else [])
    if isinstance(media, Invoice):
        return ["invoice_information"]
    return ["poll"]


def _entity_object(e: Entity) -> dict[str, Any]:
    obj: dict[str, Any] = {"type": e.kind, "text": e.text}
    name = _ENTITY_EXTRA.get(e.kind)
    if name is not None:
        value = getattr(e, name)
        if value is not None:
            obj[name] = value
    for field in ("href", "user_id", "language", "document_id", "collapsed"):
        if field != name and getattr(e, field) is not None:
            obj[field] = getattr(e, field)
    obj.update(e.extra)
    return obj


def _text_parts(post: Post) -> list[Any]:
    """The text as Telegram's list of parts: plain strings and entity objects."""
    parts: list[Any] = []
    text = post.text
    pos = 0
    for e in post.entities:
        if e.offset > pos:
            parts.append(text[pos : e.offset])
        parts.append(_entity_object(e))
        pos = max(pos, e.offset + e.length)
    if pos < len(text):
        parts.append(text[pos:])
    for index in post.text_empty_parts:
        parts.insert(index, "")
    return parts


def _text_value(parts: list[Any]) -> Any:
    if not parts:
        return ""
    if len(parts) == 1 and type(parts[0]) is str:
        return parts[0]
    return parts


def _entities_value(parts: list[Any]) -> list[dict[str, Any]]:
    return [{"type": "plain", "text": p} if type(p) is str else p for p in parts]


def _reaction_object(r: Reaction) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    if r.kind != "unknown":
        obj["type"] = r.kind
    elif "type" in r.extra:
        obj["type"] = r.extra["type"]
    obj["count"] = r.count
    if r.emoji is not None:
        obj["emoji"] = r.emoji
    if r.document_id is not None:
        obj["document_id"] = r.document_id
    if r.recent is not None:
        obj["recent"] = [
            {"from": x.from_name, "from_id": x.from_id, "date": x.date_local, **x.extra}
            for x in r.recent
        ]
    obj.update(r.extra)
    return obj


def _button_object(b: Button) -> dict[str, Any]:
    obj: dict[str, Any] = {"type": b.kind}
    if b.text is not None:
        obj["text"] = b.text
    if b.data is not None:
        obj["data"] = b.data
    obj.update(b.extra)
    return obj


def _date_string(dt: datetime | None, local: str | None) -> str | None:
    if local is not None:
        return local
    if dt is None:
        return None
    return dt.replace(tzinfo=None).isoformat(timespec="seconds")


def _unix(dt: datetime | None) -> str | None:
    if dt is None or dt.tzinfo is None:
        return None
    return str(int(dt.timestamp()))


def _canonical_keys(post: Post) -> list[str]:
    keys = ["id", "type"]
    if post.type == "unsupported":
        return keys + list(post.extra)
    if post.date is not None or post.date_local is not None:
        keys.append("date")
        if _unix(post.date) is not None:
            keys.append("date_unixtime")
    if post.edited is not None or post.edited_local is not None:
        keys.append("edited")
        if _unix(post.edited) is not None:
            keys.append("edited_unixtime")
    if post.type == "service":
        if post.author is not None or post.author_id is not None:
            keys.append("actor")
        if post.author_id is not None:
            keys.append("actor_id")
        if post.action is not None:
            keys.append("action")
        keys.extend(post.action_data)
    else:
        if post.author is not None or post.author_id is not None:
            keys.append("from")
        if post.author_id is not None:
            keys.append("from_id")
        if post.signature is not None:
            keys.append("author")
        fwd = post.forward
        if fwd is not None:
            if fwd.from_name is not None or fwd.saved_from is None:
                keys.append("forwarded_from")
            if fwd.from_id is not None:
                keys.append("forwarded_from_id")
            if fwd.date is not None:  # tgarchive's extension: the HTML export shows it
                keys.append("forwarded_date_unixtime" if fwd.date.tzinfo else "forwarded_date")
            if fwd.saved_from is not None:
                keys.append("saved_from")
        for key, value in (
            ("reply_to_message_id", post.reply_to_id),
            ("reply_to_peer_id", post.reply_to_peer_id),
            ("via_bot", post.via_bot),
        ):
            if value is not None:
                keys.append(key)
        if post.media is not None:
            keys.extend(_media_keys(post.media))
    keys += ["text", "text_entities"]
    if post.inline_bot_buttons is not None:
        keys.append("inline_bot_buttons")
    if post.reactions:
        keys.append("reactions")
    keys.extend(k for k in post.extra if k not in keys)
    return keys


def post_to_json_object(post: Post) -> dict[str, Any]:
    """The Desktop JSON message object for ``post`` (exactly the source object, if it was read
    from Desktop JSON and not changed since).

    >>> import tgarchive
    >>> post = tgarchive.Post(id=7, text="hello")
    >>> post_to_json_object(post)
    {'id': 7, 'type': 'message', 'text': 'hello', 'text_entities': [{'type': 'plain', 'text': 'hello'}]}
    """
    keys, added = _layout(post)
    extra = post.extra
    service = post.type == "service"
    parts: list[Any] | None = None
    obj: dict[str, Any] = {}
    for key in keys:
        if key in extra:
            obj[key] = extra[key]
            continue
        if key == "id":
            obj[key] = post.id
        elif key == "type":
            obj[key] = post.type
        elif key == "date":
            obj[key] = _date_string(post.date, post.date_local)
        elif key == "date_unixtime":
            obj[key] = _unix(post.date)
        elif key == "edited":
            obj[key] = _date_string(post.edited, post.edited_local)
        elif key == "edited_unixtime":
            obj[key] = _unix(post.edited)
        elif key in ("from", "actor"):
            obj[key] = post.author
        elif key in ("from_id", "actor_id"):
            obj[key] = post.author_id
        elif key == "text" or key == "text_entities":
            if parts is None:
                parts = _text_parts(post)
            obj[key] = _text_value(parts) if key == "text" else _entities_value(parts)
        elif service and key == "action":
            obj[key] = post.action
        elif service:
            obj[key] = post.action_data.get(key)
        elif key == "author":
            obj[key] = post.signature
        elif key == "forwarded_from":
            obj[key] = post.forward.from_name if post.forward else None
        elif key == "forwarded_from_id":
            obj[key] = post.forward.from_id if post.forward else None
        elif key == "saved_from":
            obj[key] = post.forward.saved_from if post.forward else None
        elif key == "forwarded_date":
            fdate = post.forward.date if post.forward else None
            obj[key] = fdate.replace(tzinfo=None).isoformat() if fdate is not None else None
        elif key == "forwarded_date_unixtime":
            obj[key] = _unix(post.forward.date if post.forward else None)
        elif key == "reply_to_message_id":
            obj[key] = post.reply_to_id
        elif key == "reply_to_peer_id":
            obj[key] = post.reply_to_peer_id
        elif key == "via_bot":
            obj[key] = post.via_bot
        elif key == "reactions":
            obj[key] = [_reaction_object(r) for r in post.reactions]
        elif key == "inline_bot_buttons":
            rows = post.inline_bot_buttons or ()
            obj[key] = [[_button_object(b) for b in row] for row in rows]
        elif post.media is not None:
            obj[key] = _media_value(post.media, key)
        else:
            obj[key] = None
        if obj[key] is None and (
            key in added
            or (
                key in _DROPPABLE and key not in extra and not (service and key in post.action_data)
            )
        ):
            del obj[key]  # the model no longer has this value (a post changed in code)
    return obj


# Keys that exist only when they have a value: a model value of None means "absent".
_DROPPABLE = frozenset(
    {"date_unixtime", "edited", "edited_unixtime", "from_id", "actor_id", "author",
     "forwarded_from_id", "forwarded_date", "forwarded_date_unixtime", "reply_to_message_id",
     "reply_to_peer_id", "via_bot",
     "inline_bot_buttons", *_PHOTO_KEYS, *_FILE_KEYS, "contact_vcard",
     "contact_vcard_file_size", "live_location_period_seconds", "place_name", "address",
     "game_title", "game_description", "game_link", "invoice_information", "poll",
     "giveaway_information", "giveaway_results", "paid_stars_amount"}
)  # fmt: skip


_NOTHING: frozenset[str] = frozenset()


def _layout(post: Post) -> tuple[Sequence[str], frozenset[str]]:
    """The keys to write: the source's layout, plus keys for values the model gained since
    (returned as the second item: they are written only if they have a value)."""
    canonical = _canonical_keys(post)
    source = post.source_keys
    if source is None:
        return canonical, _NOTHING
    present = set(source)
    missing = [k for k in canonical if k not in present]
    if not missing or (missing == ["text_entities"] and "text" in present):
        return source, _NOTHING
    keys = list(source)
    for key in missing:
        if key == "text_entities" and "text" in present:
            continue  # an old writer's file: "text" alone carries the text
        at = canonical.index(key)
        before = next((k for k in reversed(canonical[:at]) if k in keys), None)
        keys.insert(keys.index(before) + 1 if before is not None else len(keys), key)
    return keys, frozenset(missing)


def _post_lines(post: Post, indent: int) -> str:
    obj = post_to_json_object(post)
    text = _dumps_object_with_dups(obj, post)
    return _indent(text, indent)


def _dumps_object_with_dups(obj: dict[str, Any], post: Post) -> str:
    keys = post.source_keys
    if keys is None or len(set(keys)) == len(keys):
        return json.dumps(obj, ensure_ascii=False, indent=1)
    # A source with duplicate keys: write each occurrence, as Telegram does.
    lines = []
    seen: set[str] = set()
    for key in keys:
        if key in seen or keys.count(key) == 1 or key not in post.action_data:
            value = obj[key]
        else:
            value = post.action_data[key]
        seen.add(key)
        lines.append(
            f" {json.dumps(key, ensure_ascii=False)}: "
            + _indent(json.dumps(value, ensure_ascii=False, indent=1), 1)
        )
    return "{\n" + ",\n".join(lines) + "\n}"


def _indent(text: str, indent: int) -> str:
    if indent == 0 or "\n" not in text:
        return text
    return text.replace("\n", "\n" + " " * indent)


def _dump_value(value: Any, indent: int) -> str:
    return _indent(json.dumps(value, ensure_ascii=False, indent=1), indent)


def _chat_value(chat: Chat, key: str) -> Any:
    if key in chat.extra:
        return chat.extra[key]
    return {"name": chat.name, "type": chat.type, "id": chat.id}.get(key)


def _write_chat(chat: Chat, write: Callable[[str], Any], indent: int) -> None:
    pad = " " * indent
    keys = chat.source_keys or (
        [k for k in ("name", "type", "id") if k == "name" or _chat_value(chat, k) is not None]
        + ["messages"]
        + [k for k in chat.extra if k not in ("name", "type", "id", "messages")]
    )
    write("{")
    for n, key in enumerate(keys):
        write(("," if n else "") + "\n" + pad + " " + json.dumps(key, ensure_ascii=False) + ": ")
        if key != "messages":
            write(_dump_value(_chat_value(chat, key), indent + 1))
            continue
        if not chat.posts:
            write("[]")
            continue
        write("[")
        for i, post in enumerate(chat.posts):
            write(("," if i else "") + "\n" + pad + "  " + _post_lines(post, indent + 2))
        write("\n" + pad + " ]")
    write("\n" + pad + "}")


def dump_desktop_json(archive: Archive, fh: TextIO) -> None:
    """Write ``archive`` as Telegram Desktop's ``result.json`` to a text stream, post by post."""
    write = fh.write
    if archive.account is None and len(archive.chats) == 1:
        _write_chat(archive.chats[0], write, 0)  # Telegram ends the file without a newline
        return
    account = archive.account or {}
    left = [c for c in archive.chats if c.left]
    joined = [c for c in archive.chats if not c.left]
    keys = list(archive.source_keys or [*account, "chats", "left_chats"])
    if not left and "left_chats" not in account and archive.source_keys is None:
        keys.remove("left_chats")
    write("{")
    for n, key in enumerate(keys):
        write(("," if n else "") + "\n " + json.dumps(key, ensure_ascii=False) + ": ")
        if key not in ("chats", "left_chats"):
            write(_dump_value(account.get(key), 1))
            continue
        section = dict(account.get(key) or {"about": "", "list": None})
        chats = joined if key == "chats" else left
        write("{")
        for m, skey in enumerate(section):
            write(("," if m else "") + "\n  " + json.dumps(skey, ensure_ascii=False) + ": ")
            if skey != "list":
                write(_dump_value(section[skey], 2))
            elif not chats:
                write("[]")
            else:
                write("[")
                for i, chat in enumerate(chats):
                    write(("," if i else "") + "\n   ")
                    _write_chat(chat, write, 3)
                write("\n  ]")
        write("\n }")
    write("\n}")


# -- the parser ----------------------------------------------------------------------------


class DesktopJsonParser:
    """Parser for Telegram Desktop's ``result.json`` (format name ``desktop-json``)."""

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
        reader = _MessageReader(ctx, located)
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
        fast = _fast_message
        for kind, scope, key, value, at in events:
            if kind == js.MESSAGE_BATCH:
                for i, raw in enumerate(value, key):
                    post = fast(raw)  # ordinary messages; the general reader does the rest
                    if post is None:
                        action = raw.get("action") if type(raw) is dict else None
                        if type(action) is str and action in js.DUPLICATE_KEY_ACTIONS:
                            raw = located.exact(i)  # with both "text" values
                        post = read(raw, i, None)
                    if post is not None:
                        yield post
            elif kind == js.MESSAGE:
                post = fast(value)
                if post is None:
                    post = read(value, key, at)
                if post is not None:
                    yield post
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
            account = {**{k: root[k] for k in root}, **account}
            ctx.account = {k: account[k] for k in root_keys if k in account}
        ctx.source_keys = tuple(root_keys)


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
