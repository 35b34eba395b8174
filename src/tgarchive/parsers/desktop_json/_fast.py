"""The fast path: an ordinary message of a modern export, read in one flat pass.

Most messages of a modern export share a handful of key layouts and hold only values of their
usual types. For them, :func:`fast_message` reads the layout's flags (:class:`._fields.Layout`,
worked out once per layout) and builds the models directly. As soon as anything is unusual (an
unknown key, a null, an odd type, a non-canonical text) it returns ``None``, and the general
reader (:mod:`._reader`), which reports and keeps such things, reads the message instead. Both
give equal posts (tests/property/test_properties.py checks it).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from ..._build import EMPTY, MAKER, exact_builder, template
from ...models import Entity, Forward, MediaFile, Post
from ._fields import (
    ENTITY_TEMPLATE,
    REACTION_TEMPLATE,
    BadValueError,
    entity,
    file_value,
    intern,
    key_layout,
    key_sharing,
    new_reaction,
    reaction,
    store_text,
)

_UTC = timezone.utc
_fromtimestamp = datetime.fromtimestamp
_ENTITY_FIELDS = set(Entity.model_fields)
_new_forward = exact_builder(Forward)
_new_post = exact_builder(Post)
_new_media = exact_builder(MediaFile)
_MEDIA_TEMPLATE = template(MediaFile)
_POST_TEMPLATE = key_sharing(template(Post))  # millions of copies: see key_sharing()


def fast_message(raw: Any, chat_id: int | None = None) -> Post | None:
    """An ordinary message of a modern export (of the chat ``chat_id``), read in one flat
    pass; ``None`` as soon as anything is unusual, leaving the message to the general
    reader."""
    if type(raw) is not dict:
        return None
    (keys, fast, edited, from_id, scalars, forwarded, forward_id, has_text, reactions,
     media_keys, photo) = key_layout(tuple(raw))  # fmt: skip
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
    d["chat_id"] = chat_id
    try:
        d["date"] = _fromtimestamp(int(unix), _UTC)
    except (ValueError, OverflowError, OSError):
        return None  # beyond datetime's range: the general reader reports it
    d["date_local"] = local
    if edited:
        eunix = raw["edited_unixtime"]
        elocal = raw["edited"]
        if type(eunix) is not str or type(elocal) is not str or not eunix.isdigit():
            return None
        try:
            d["edited"] = _fromtimestamp(int(eunix), _UTC)
        except (ValueError, OverflowError, OSError):
            return None
        d["edited_local"] = elocal
    name = get("from")
    if name is not None:
        if type(name) is not str:
            return None
        d["author"] = intern(name)
    if from_id:
        pid = raw["from_id"]
        if type(pid) is not str:
            return None
        d["author_id"] = intern(pid)
    for key, field, expected in scalars:
        value = raw[key]
        if type(value) is not expected:
            return None
        d[field] = value
    if forwarded:
        origin = get("forwarded_from")
        origin_id = get("forwarded_from_id")
        if (origin is not None and type(origin) is not str) or (
            forward_id and type(origin_id) is not str
        ):
            return None
        d["forward"] = _new_forward(
            {
                "from_name": None if origin is None else intern(origin),
                "from_id": None if origin_id is None else intern(origin_id),
                "date": None,
                "saved_from": None,
                "extra": EMPTY,
            }
        )
    parts = raw["text_entities"]
    if type(parts) is not list or not read_modern_text(parts, get("text"), has_text, d):
        return None
    if "_text_verbatim" in d:
        return None
    if reactions:
        listed = raw["reactions"]
        if type(listed) is not list:
            return None
        made = []
        for r in listed:
            # the common {type: emoji, count, emoji}, built inline; anything else via reaction()
            if type(r) is dict and len(r) == 3 and r.get("type") == "emoji":
                count = r.get("count")
                emoji = r.get("emoji")
                if type(count) is int and type(emoji) is str:
                    data = REACTION_TEMPLATE.copy()
                    data["count"] = count
                    data["emoji"] = intern(emoji)
                    made.append(new_reaction(data))
                    continue
            try:
                made.append(reaction(r))
            except (BadValueError, TypeError):
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
        if not file_value(key, raw[key], values):
            return None
    return _new_media(values)


def read_modern_text(parts: list[Any], text: Any, has_text: bool, values: dict[str, Any]) -> bool:
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
    intern_ = intern
    new, set_dict, set_fields, set_extra, set_private = MAKER
    fields = _ENTITY_FIELDS
    template_ = ENTITY_TEMPLATE
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
                made = new(Entity)
                data = template_.copy()
                data["kind"] = intern_(part["type"])
                data["offset"] = pos
                data["length"] = length
                data["text"] = ptext
                set_dict(made, data)
                set_fields(made, fields)
                set_extra(made, None)
                set_private(made, None)
                entities.append(made)
            else:
                entities.append(entity(part["type"], ptext, pos, part))
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
    store_text(values, joined, entities, empties)
    if not text_ok:
        values["_text_verbatim"] = True
    return True
