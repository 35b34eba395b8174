"""What tgarchive knows about the keys of a Desktop JSON message, in one place.

Both readers (:mod:`._fast` and :mod:`._reader`) and the writer
(:mod:`tgarchive.writers.desktop_json`) take their key knowledge from here: which keys a
message may have, the typed field each one fills and the JSON type it must have, the keys of
each kind of media, the entity extras, the keys written as ``null``, and how one value becomes
its typed field. A new field is added here (and to the model); the fast path and the writer
pick it up from the table.
"""

from __future__ import annotations

import sys
from typing import Any, NamedTuple

from ..._build import exact_builder, template
from ...models import (
    MISSING_FILE_REASONS,
    Contact,
    Entity,
    Game,
    Invoice,
    Location,
    Media,
    MediaFile,
    OtherMedia,
    Poll,
    Reaction,
    RecentReaction,
    Venue,
)

intern = sys.intern  # names, ids, kinds and emoji repeat on every other post

# -- the keys of a message -----------------------------------------------------------------

COMMON_KEYS = frozenset({"id", "type", "date", "date_unixtime", "edited", "edited_unixtime"})
DATES = (("date", "date_unixtime", "date", "date_local"),
         ("edited", "edited_unixtime", "edited", "edited_local"))  # fmt: skip
"""``(local key, epoch key, Post field, Post field of the local string)`` of each instant."""
SERVICE_KEYS = COMMON_KEYS | {"actor", "actor_id", "action", "text", "text_entities"}
"""Keys of a service message that are not the action's own fields (``action_data``)."""

SCALARS_BEFORE_FORWARD: dict[str, tuple[str, type]] = {"author": ("signature", str)}
SCALARS_AFTER_FORWARD: dict[str, tuple[str, type]] = {
    "reply_to_message_id": ("reply_to_id", int),
    "reply_to_peer_id": ("reply_to_peer_id", str),
    "via_bot": ("via_bot", str),
}
SCALARS = {**SCALARS_BEFORE_FORWARD, **SCALARS_AFTER_FORWARD}
"""Message keys whose value is a plain JSON scalar stored as is: the :class:`Post` field and
the JSON type, in the writer's key order (Telegram writes the signature with the sender, before
a forward's keys, and the others after them). Absent or ``null`` means ``None``."""
EXPECTED = {str: "a string", int: "an integer", bool: "a boolean"}
"""How a problem names a JSON type."""

FORWARD_FIELDS = (("forwarded_from", "from_name"), ("forwarded_from_id", "from_id"),
                  ("saved_from", "saved_from"))  # fmt: skip
"""Forward keys holding strings, and their :class:`Forward` field."""
FORWARD_DATE = ("forwarded_date", "forwarded_date_unixtime")
"""tgarchive's own extension (Telegram's JSON has no forward date; its HTML does)."""
FORWARD_KEYS = (*(key for key, _ in FORWARD_FIELDS), *FORWARD_DATE)

MESSAGE_KEYS = COMMON_KEYS | {
    "from", "from_id", *SCALARS, *FORWARD_KEYS, "text", "text_entities", "inline_bot_buttons",
    "reactions",
}  # fmt: skip
"""The keys of an ordinary message the model understands (media keys aside)."""
NULLABLE = frozenset({"from", "forwarded_from", "saved_from"})
"""Keys the writer writes as ``null`` (for a nameless peer)."""

# -- media ---------------------------------------------------------------------------------

PHOTO_KEYS = ("photo", "photo_file_size", "width", "height", "media_spoiler",
              "self_destruct_period_seconds")  # fmt: skip
FILE_KEYS = ("file", "file_name", "file_size", "thumbnail", "thumbnail_file_size", "media_type",
             "sticker_emoji", "performer", "title", "mime_type", "duration_seconds", "width",
             "height", "media_spoiler", "self_destruct_period_seconds")  # fmt: skip
PHOTO_KEY_SET = frozenset(PHOTO_KEYS)
FILE_KEY_SET = frozenset(FILE_KEYS)
ALL_MEDIA_KEYS = PHOTO_KEY_SET | FILE_KEY_SET
PATH_KEYS = frozenset({"photo", "file"})
"""A photo's or file's path, or Telegram's "(File not included...)" placeholder."""
FILE_FIELDS: dict[str, tuple[str, type]] = {
    "photo_file_size": ("file_size", int), "file_size": ("file_size", int),
    "file_name": ("file_name", str), "thumbnail": ("thumbnail", str),
    "thumbnail_file_size": ("thumbnail_file_size", int), "sticker_emoji": ("sticker_emoji", str),
    "performer": ("performer", str), "title": ("title", str), "mime_type": ("mime_type", str),
    "duration_seconds": ("duration", int), "width": ("width", int), "height": ("height", int),
    "media_spoiler": ("spoiler", bool),
    "self_destruct_period_seconds": ("self_destruct_seconds", int),
}  # fmt: skip
"""Photo and file keys with a plain typed value: the :class:`MediaFile` field and the type."""
MEDIA_TYPE_KIND = {
    "sticker": "sticker",
    "video_message": "video_message",
    "voice_message": "voice",
    "animation": "animation",
    "video_file": "video",
    "audio_file": "audio",
}
"""``media_type`` values and the :attr:`MediaFile.kind` they mean (none: ``document``)."""
KIND_MEDIA_TYPE = {v: k for k, v in MEDIA_TYPE_KIND.items()}

OTHER_MEDIA = {
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
"""Other media: the key that tells the kind (tried in this order), and all its keys."""
OTHER_MEDIA_KIND = {"giveaway_information": "giveaway", "giveaway_results": "giveaway_results",
                    "paid_stars_amount": "paid"}  # fmt: skip
"""The :attr:`OtherMedia.kind` of media kept verbatim (anything else: ``other``)."""
ALWAYS_WRITTEN = frozenset({"contact_information", "location_information"})
"""Media keys written even when the model has no value for them."""

DROPPABLE = frozenset(
    {"date_unixtime", "edited", "edited_unixtime", "from_id", "actor_id", *SCALARS,
     "forwarded_from_id", *FORWARD_DATE, "inline_bot_buttons", *ALL_MEDIA_KEYS,
     *(key for keys in OTHER_MEDIA.values() for key in keys if key not in ALWAYS_WRITTEN)}
)  # fmt: skip
"""Keys that exist only when they have a value: a model value of ``None`` means "absent"."""

# -- entities and reactions ----------------------------------------------------------------

ENTITY_FIELDS: dict[str, type] = {
    "href": str, "user_id": int, "language": str, "document_id": str, "collapsed": bool,
}  # fmt: skip
"""Keys an entity part may have beside ``type`` and ``text``: its field and JSON type (each
is also the :class:`Entity` field's name); other keys stay in ``Entity.extra``."""
ENTITY_KIND_FIELD = {
    "text_link": "href",
    "mention_name": "user_id",
    "pre": "language",
    "custom_emoji": "document_id",
    "blockquote": "collapsed",
}
"""The field each kind of entity carries (written right after ``text``)."""
REACTION_KINDS = frozenset({"emoji", "custom_emoji", "paid"})
RECENT_FIELDS = {"from": "from_name", "from_id": "from_id", "date": "date_local"}
"""A recent reactor's keys (strings or ``null``) and their :class:`RecentReaction` field."""

# -- the fast path: what a message's keys say about it -------------------------------------

FAST_KEYS = (
    frozenset({"id", "type", "date", "date_unixtime", "edited", "edited_unixtime", "from",
               "from_id", "forwarded_from", "forwarded_from_id", "text", "text_entities",
               "reactions"})
    | SCALARS.keys()
    | ALL_MEDIA_KEYS
)  # fmt: skip
"""Keys an ordinary modern message has; anything else goes through the general reader."""
FAST_REQUIRED = frozenset({"id", "type", "date", "date_unixtime", "text_entities"})


class Layout(NamedTuple):
    """What a message's keys say about it, worked out once per distinct key layout (a channel
    has a few dozen): the fast path reads these flags instead of testing keys one by one."""

    keys: tuple[str, ...]  # one shared tuple per layout, kept as Post.source_keys
    fast: bool  # only keys the fast path reads, with the ones it needs
    edited: bool
    from_id: bool
    scalars: tuple[tuple[str, str, type], ...]  # (key, field, type) of the SCALARS present
    forwarded: bool
    forward_id: bool
    text: bool
    reactions: bool
    media: tuple[str, ...]  # the media keys, all of one kind (photo or file)
    photo: bool

    @classmethod
    def of(cls, keys: tuple[str, ...]) -> Layout:
        present = frozenset(keys)
        media = tuple(k for k in keys if k in ALL_MEDIA_KEYS)
        photo = "photo" in present
        own = PHOTO_KEY_SET if photo else FILE_KEY_SET
        fast = (
            present <= FAST_KEYS
            and present >= FAST_REQUIRED
            and ("edited" in present) == ("edited_unixtime" in present)
            and (not media or (("photo" in present) != ("file" in present) and own.issuperset(media)))
        )  # fmt: skip
        scalars = tuple((key, *SCALARS[key]) for key in SCALARS if key in present)
        return cls(keys, fast, "edited" in present, "from_id" in present, scalars,
                   "forwarded_from" in present or "forwarded_from_id" in present,
                   "forwarded_from_id" in present, "text" in present, "reactions" in present,
                   media, photo)  # fmt: skip


_layouts: dict[tuple[str, ...], Layout] = {}


def key_layout(keys: tuple[str, ...]) -> Layout:
    """The layout of a message with these keys (cached: most messages share a handful)."""
    found = _layouts.get(keys)
    if found is None:
        found = Layout.of(keys)
        if len(_layouts) < 4096:
            _layouts[keys] = found
    return found


# -- one value, typed ----------------------------------------------------------------------


def key_sharing(values: dict[str, Any]) -> dict[str, Any]:
    """``values`` as a key-sharing dict (PEP 412): its copies share one key table and hold only
    their values, which takes a parsed post's 25-field ``__dict__`` from 840 bytes to 336 (for
    a dict of ten keys or fewer the shared table costs more than it saves). On an interpreter
    without key-sharing copies this is an ordinary dict, equal in every way."""
    holder = type("_KeySharing", (), {})()
    for key, value in values.items():
        setattr(holder, key, value)
    shared: dict[str, Any] = holder.__dict__
    return shared


class BadValueError(Exception):
    """A value of the wrong shape; the caller keeps it verbatim and reports it."""


def is_missing(path: str) -> bool:
    """Whether a file path is one of the writer's "(File not included...)" placeholders."""
    return path in MISSING_FILE_REASONS or (path.startswith("(") and path.endswith(")"))


def file_value(key: str, value: Any, values: dict[str, Any]) -> bool:
    """Put the value of a photo or file ``key`` into :class:`MediaFile` field ``values``;
    False (setting nothing) when it does not have its type."""
    if key in PATH_KEYS:
        if type(value) is not str:
            return False
        values["missing" if is_missing(value) else "path"] = value
        return True
    if key == "media_type":
        kind = MEDIA_TYPE_KIND.get(value) if type(value) is str else None
        if kind is None:
            return False
        values["kind"] = kind
        return True
    field, expected = FILE_FIELDS[key]
    if type(value) is not expected:
        return False
    values[field] = value
    return True


ENTITY_TEMPLATE = template(Entity)
new_entity = exact_builder(Entity)


def entity(kind: str, text: str, offset: int, obj: dict[str, Any]) -> Entity:
    """The entity of text part ``obj`` (of ``kind`` and ``text``) at ``offset``."""
    data = ENTITY_TEMPLATE.copy()
    data["kind"] = intern(kind)
    data["offset"] = offset
    data["length"] = len(text)
    data["text"] = text
    if len(obj) > 2:
        extra: dict[str, Any] = {}
        for key, value in obj.items():
            if key == "type" or key == "text":
                continue
            ftype = ENTITY_FIELDS.get(key)
            if ftype is not None and type(value) is ftype:
                data[key] = value
            else:
                extra[key] = value
        if extra:
            data["extra"] = extra
    return new_entity(data)


_int_tuple_cache: dict[tuple[int, ...], tuple[int, ...]] = {}


def store_text(
    values: dict[str, Any], text: str, entities: list[Entity], empties: list[int] | None
) -> None:
    """Set a post's text, entities and the places of its empty plain parts."""
    values["text"] = text
    if entities:
        values["entities"] = tuple(entities)
    if empties:
        positions = tuple(empties)
        found = _int_tuple_cache.get(positions)
        if found is None and len(_int_tuple_cache) < 4096:
            _int_tuple_cache[positions] = positions
        values["text_empty_parts"] = found or positions


new_reaction = exact_builder(Reaction)
REACTION_TEMPLATE = template(Reaction, kind="emoji")
_UNKNOWN_REACTION = template(Reaction, kind="unknown")


def reaction(obj: Any) -> Reaction:
    """A reaction object, any kind (unknown keys and kinds kept in ``extra``)."""
    if type(obj) is not dict:
        raise BadValueError("a reaction must be an object")
    data = _UNKNOWN_REACTION.copy()
    extra: dict[str, Any] | None = None
    for key, value in obj.items():
        if key == "type" and value in REACTION_KINDS:
            data["kind"] = value
        elif key == "count" and type(value) is int:
            data["count"] = value
        elif (key == "emoji" or key == "document_id") and type(value) is str:
            data[key] = intern(value)
        elif key == "recent" and type(value) is list:
            data["recent"] = tuple(_recent(r) for r in value)
        else:
            if extra is None:
                extra = data["extra"] = {}
            extra[key] = value  # an unknown type stays in extra["type"]
    if data["count"] is None:
        raise BadValueError("a reaction needs an integer 'count'")
    return new_reaction(data)


def _recent(obj: Any) -> RecentReaction:
    if type(obj) is not dict:
        raise BadValueError("a recent reactor must be an object")
    values: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in obj.items():
        name = RECENT_FIELDS.get(key)
        if name is not None and (value is None or type(value) is str):
            values[name] = value
        else:
            extra[key] = value
    values["extra"] = extra
    return RecentReaction.model_validate(values)


def media_value(media: Media, key: str) -> Any:
    """The JSON value the writer gives ``key`` for this media (the general reader compares
    with it, to keep verbatim what it cannot re-create)."""
    if isinstance(media, MediaFile):
        if key in PATH_KEYS:
            return media.path if media.path is not None else media.missing
        if key == "media_type":
            return KIND_MEDIA_TYPE.get(media.kind)
        typed = FILE_FIELDS.get(key)
        return getattr(media, typed[0]) if typed else None
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
