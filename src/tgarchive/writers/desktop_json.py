"""The Desktop JSON writer (format ``desktop-json``): ``result.json`` again, losing nothing.

Each post is written with the keys it was read with (``source_keys``: order, presence,
duplicates), each value either re-created from its typed field (the key table is
:mod:`tgarchive.parsers.desktop_json._fields`, which the readers use too) or taken verbatim
from ``extra``, which wins. A post made in code, or read from another format, gets the keys
Telegram Desktop would write for it. ``chat_id`` is not written: the chat's ``id`` says it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TextIO

from ..models import (
    Archive,
    Button,
    Chat,
    Contact,
    Entity,
    Game,
    Invoice,
    Location,
    Media,
    MediaFile,
    OtherMedia,
    Post,
    Reaction,
    Venue,
)
from ..parsers.desktop_json._fields import (
    DROPPABLE,
    ENTITY_FIELDS,
    ENTITY_KIND_FIELD,
    FILE_KEYS,
    PHOTO_KEYS,
    SCALARS,
    SCALARS_AFTER_FORWARD,
    SCALARS_BEFORE_FORWARD,
    media_value,
)
from . import WriteData, WriteTarget, as_archive, text_target

__all__ = ["DesktopJsonWriter", "dump_desktop_json", "post_to_json_object"]


class DesktopJsonWriter:
    """Writes Telegram Desktop's ``result.json``; an archive read from one comes out equal to
    it. A stream is collected first (an account export's sections come after its chats)."""

    name = "desktop-json"
    suffixes: tuple[str, ...] = (".json",)

    def write(self, data: WriteData, target: WriteTarget) -> None:
        archive = as_archive(data, format="desktop-json")
        with text_target(target) as fh:
            dump_desktop_json(archive, fh)


def _media_keys(media: Media) -> list[str]:
    """Canonical keys for media that did not come from Desktop JSON."""
    if isinstance(media, MediaFile):
        keys = PHOTO_KEYS if media.kind == "photo" else FILE_KEYS
        return [k for k in keys if media_value(media, k) is not None]
    if isinstance(media, OtherMedia):
        return list(media.data)
    if isinstance(media, Contact):
        return ["contact_information"] + [
            k for k in ("contact_vcard", "contact_vcard_file_size") if media_value(media, k)
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
    name = ENTITY_KIND_FIELD.get(e.kind)
    if name is not None:
        value = getattr(e, name)
        if value is not None:
            obj[name] = value
    for field in ENTITY_FIELDS:
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
        keys.extend(
            k
            for k, (field, _) in SCALARS_BEFORE_FORWARD.items()
            if getattr(post, field) is not None
        )
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
        keys.extend(
            k for k, (field, _) in SCALARS_AFTER_FORWARD.items() if getattr(post, field) is not None
        )
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
        elif key in SCALARS:
            obj[key] = getattr(post, SCALARS[key][0])
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
        elif key == "reactions":
            obj[key] = [_reaction_object(r) for r in post.reactions]
        elif key == "inline_bot_buttons":
            rows = post.inline_bot_buttons or ()
            obj[key] = [[_button_object(b) for b in row] for row in rows]
        elif post.media is not None:
            obj[key] = media_value(post.media, key)
        else:
            obj[key] = None
        if obj[key] is None and (
            key in added
            or (key in DROPPABLE and key not in extra and not (service and key in post.action_data))
        ):
            del obj[key]  # the model no longer has this value (a post changed in code)
    return obj


_NOTHING: frozenset[str] = frozenset()


#: Keys the source carried in another form: a value read from the second is not "gained".
_IMPLIED_BY = {
    "date": "date_unixtime", "date_unixtime": "date",
    "edited": "edited_unixtime", "edited_unixtime": "edited",
}  # fmt: skip


def _implied(key: str, present: set[str], post: Post) -> bool:
    """Whether a key the canonical layout has but the source lacked is absent on purpose:
    its value was read from the source in another form (a date from its twin), or it is
    structural (a source without ``id`` or ``type`` stays without), or it is an empty text."""
    if key in ("id", "type"):
        return True
    twin = _IMPLIED_BY.get(key)
    if twin is not None:
        return twin in present
    if key in ("text", "text_entities"):
        return (
            not post.text
            and not post.entities
            and not post.text_empty_parts
            and ("text" not in present and "text_entities" not in present)
        )
    return False


def _layout(post: Post) -> tuple[Sequence[str], frozenset[str]]:
    """The keys to write: the source's layout, plus keys for values the model gained since
    (returned as the second item: they are written only if they have a value)."""
    canonical = _canonical_keys(post)
    source = post.source_keys
    if source is None:
        return canonical, _NOTHING
    present = set(source)
    missing = [k for k in canonical if k not in present and not _implied(k, present, post)]
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
            # A "messages" that was not an array stays what it was.
            write(_dump_value(chat.extra["messages"], indent + 1) if "messages" in chat.extra
                  else "[]")  # fmt: skip
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
