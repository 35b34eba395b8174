"""The general reader: any message of any writer generation, every problem reported.

:class:`MessageReader` turns one raw message dict into a :class:`Post`. Every key is either
understood (the key table is :mod:`._fields`), and then turned into a typed field that the
writer turns back into the very same JSON value, or not, and then kept verbatim in ``extra``;
a value whose typed form could not reproduce it exactly (an integer ``date_unixtime`` where
the writer uses a string, say) is also kept verbatim in ``extra``, which the writer prefers.
A value of the wrong type is reported (``ctx.problem``) and kept verbatim too.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import MAXYEAR, MINYEAR, datetime, timezone
from typing import Any

from ..._build import EMPTY, builder, exact_builder
from ...models import (
    Button,
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
    Venue,
)
from .. import ParseContext
from . import _scan as js
from ._fast import read_modern_text
from ._fields import (
    DATES,
    EXPECTED,
    FILE_KEYS,
    FORWARD_DATE,
    FORWARD_FIELDS,
    FORWARD_KEYS,
    MESSAGE_KEYS,
    NULLABLE,
    OTHER_MEDIA,
    OTHER_MEDIA_KIND,
    PHOTO_KEYS,
    SCALARS_AFTER_FORWARD,
    SCALARS_BEFORE_FORWARD,
    SERVICE_KEYS,
    BadValueError,
    entity,
    file_value,
    intern,
    key_layout,
    media_value,
    reaction,
    store_text,
)

_UTC = timezone.utc
_build_post = builder(Post)
_build_forward = builder(Forward)
_build_file = builder(MediaFile)


def _utc(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, _UTC)


def _local(text: str) -> datetime:
    return datetime.fromisoformat(text)


class MessageReader:
    """Turns one raw message dict into a :class:`Post`, reporting problems with their place."""

    def __init__(self, ctx: ParseContext, located: js.Locator | None = None) -> None:
        self.ctx = ctx
        self.located = located
        self.chat_id: int | None = None
        """The :attr:`Chat.id` of the chat being read, given to its posts."""

    def problem(self, reason: str, at: int | None, mid: int | None, index: int) -> None:
        """Report a problem of message ``index``, read at file offset ``at`` (``None``: read in
        the current batch)."""
        line = None
        if self.located is not None:
            line = self.located.line_of(index) if at is None else self.located.line_at(at)
        self.ctx.problem(reason, self.ctx.location(line=line, message_id=mid, message_index=index))

    def read(self, raw: Any, index: int, at: int | None) -> Post | None:
        """Message ``index`` (read at file offset ``at``) as a post; ``None``, reported, for
        what cannot be a message at all."""
        if type(raw) is not dict and not isinstance(raw, dict):
            self.problem(f"a message must be a JSON object, got {_kind(raw)}", at, None, index)
            return None
        mid = raw.get("id")
        issues: list[str] = []
        if type(mid) is not int:
            # Another tool's message without a usable id: read it all the same (the id, if
            # any, is kept verbatim for the writer) and report it.
            issues.append(f"message 'id' must be an integer, got {mid!r}")
            mid = None
        try:
            post = self._read(raw, mid, issues)
        except BadValueError as exc:  # the message as a whole is unusable: keep it verbatim
            issues.append(str(exc))
            post = _build_post(
                {
                    "id": mid,
                    "chat_id": self.chat_id,
                    "type": "message",
                    "extra": dict(raw),
                    "source_keys": tuple(raw),
                }
            )
        for reason in issues:
            self.problem(reason, at, mid, index)
        return post

    def _read(self, raw: dict[str, Any], mid: int | None, issues: list[str]) -> Post:
        get = raw.get
        extra: dict[str, Any] = {}
        values: dict[str, Any] = {"id": mid, "chat_id": self.chat_id, "extra": extra}
        if mid is None and "id" in raw:
            extra["id"] = raw["id"]
        mtype = get("type")
        if type(mtype) is not str:
            # Nothing else need be unusual: read it as an ordinary message.
            if "type" in raw:
                extra["type"] = mtype
                issues.append(f"message 'type' must be a string, got {mtype!r}; read as a message")
            else:
                issues.append("message 'type' is missing; read as a message")
            mtype = "message"
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
            values["source_keys"] = key_layout(tuple(raw)).keys

        def bad(key: str, expected: str) -> None:
            extra[key] = raw[key]
            issues.append(f"{key!r} should be {expected}, got {raw[key]!r} (kept verbatim)")

        for local_key, unix_key, field, local_field in DATES:
            _instant(raw, local_key, unix_key, values, field, local_field, extra, bad)

        if mtype == "service":
            self._service(raw, values, extra, bad)
            known: frozenset[str] = SERVICE_KEYS
        else:
            self._message(raw, values, extra, bad, issues)
            known = MESSAGE_KEYS
        # The text is read for every type (services carry "" and []).
        if "text" in raw or "text_entities" in raw:
            _read_text(raw, values, extra, bad, issues.append)
        if mtype != "service":
            media_keys = values.pop("_media_keys")
            for key, value in raw.items():
                if key not in known and key not in media_keys:
                    extra[key] = value  # a field the model does not know
                elif value is None and key not in NULLABLE:
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
        data = {k: v for k, v in raw.items() if k not in SERVICE_KEYS}
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
        _scalars(raw, values, bad, SCALARS_BEFORE_FORWARD)
        if any(key in raw for key in FORWARD_KEYS):
            fwd: dict[str, Any] = {"extra": EMPTY}
            for key, name in FORWARD_FIELDS:
                value = get(key)
                if value is None or type(value) is str:
                    fwd[name] = value if value is None else intern(value)
                else:
                    bad(key, "a string")
            _instant(raw, *FORWARD_DATE, fwd, "date", None, extra, bad)
            values["forward"] = _build_forward(fwd)
        _scalars(raw, values, bad, SCALARS_AFTER_FORWARD)
        media, media_keys = _read_media(raw, extra)
        values["_media_keys"] = media_keys
        if media is not None:
            values["media"] = media
        reactions = get("reactions")
        if reactions is not None:
            try:
                if type(reactions) is not list:
                    raise BadValueError("expected an array")
                values["reactions"] = tuple(reaction(r) for r in reactions)
            except (BadValueError, TypeError) as exc:
                extra["reactions"] = reactions
                issues.append(f"'reactions' is malformed ({exc}); kept verbatim")
        buttons = get("inline_bot_buttons")
        if buttons is not None:
            try:
                values["inline_bot_buttons"] = tuple(_button_row(row) for row in _array(buttons))
            except (BadValueError, TypeError) as exc:
                extra["inline_bot_buttons"] = buttons
                issues.append(f"'inline_bot_buttons' is malformed ({exc}); kept verbatim")


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
        seconds = int(unix) if type(unix) is str and unix.isdigit() else unix
        if type(seconds) is not int:
            bad(unix_key, "epoch seconds as a string")
        else:
            try:
                values[field] = _utc(seconds)
            except (ValueError, OverflowError, OSError):
                bad(unix_key, f"epoch seconds within years {MINYEAR}-{MAXYEAR}")
            else:
                if type(unix) is int:
                    extra[unix_key] = unix  # the writer would write a string: keep the number
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
            values["author"] = intern(name)
        else:
            bad(name_key, "a string or null")
    pid = raw.get(id_key)
    if pid is not None:
        if type(pid) is str:
            values["author_id"] = intern(pid)
        elif type(pid) is int:  # 2019-2020 writers: bare numbers
            values["author_id"] = str(pid)
            extra[id_key] = pid
        else:
            bad(id_key, "a prefixed id string")


def _scalars(
    raw: dict[str, Any],
    values: dict[str, Any],
    bad: Callable[[str, str], None],
    table: dict[str, tuple[str, type]],
) -> None:
    """Read the plain scalar keys of ``table`` (see :data:`._fields.SCALARS`)."""
    for key, (name, kind) in table.items():
        value = raw.get(key)
        if value is not None:
            if type(value) is kind:
                values[name] = value
            else:
                bad(key, EXPECTED[kind])


def _read_text(
    raw: dict[str, Any],
    values: dict[str, Any],
    extra: dict[str, Any],
    bad: Callable[[str, str], None],
    report: Callable[[str], None],
) -> None:
    text = raw.get("text")
    modern = raw.get("text_entities")
    if type(modern) is list and read_modern_text(modern, text, "text" in raw, values):
        if not values.pop("_text_verbatim", False):
            return
        if _visible(text) is None and "text" in raw:
            bad("text", "a string or an array of text parts")
            return
        if not _disagree(text, values["text"]):
            extra["text"] = text  # the same text, written in a shape the writer does not make
            return
    elif "text_entities" in raw and type(modern) is not list:
        bad("text_entities", "an array")  # kept verbatim; the text is read from "text"
    elif type(modern) is list:
        _read_parts(raw, modern, True, values, extra, report)
        if not _disagree(text, values["text"]):
            return
    if type(text) is str:
        parts: list[Any] = [text] if text else []
    elif type(text) is list:
        parts = text
    else:
        if "text" in raw:
            bad("text", "a string or an array of parts")
        return
    if type(modern) is list:
        # "text" is what every other reader uses and the writer's primary field: it wins.
        read_from_entities = values["text"]
        for key in ("entities", "text_empty_parts"):
            values.pop(key, None)  # what reading "text_entities" gave is read again
        extra.pop("text", None)
        extra.pop("text_entities", None)
        _read_parts(raw, parts, False, values, extra, report)
        extra["text_entities"] = modern
        report(
            "'text' and 'text_entities' disagree "
            f"({_preview(values['text'])} != {_preview(read_from_entities)}); "
            "read 'text', kept 'text_entities' verbatim"
        )
        return
    _read_parts(raw, parts, False, values, extra, report)


def _visible(text: Any) -> str | None:
    """The plain text a ``text`` value shows, or ``None`` when it is not of a text's shape."""
    if type(text) is str:
        return text
    if type(text) is not list:
        return None
    pieces = []
    for part in text:
        if type(part) is str:
            pieces.append(part)
        elif type(part) is dict and type(part.get("text")) is str:
            pieces.append(part["text"])
        else:
            return None
    return "".join(pieces)


def _disagree(text: Any, read: str) -> bool:
    """Whether a ``text`` value shows another text than the one read from ``text_entities``."""
    shown = _visible(text)
    return shown is not None and shown != read


def _preview(text: str, size: int = 40) -> str:
    return repr(text if len(text) <= size else text[:size] + "…")


def _read_parts(
    raw: dict[str, Any],
    parts: list[Any],
    from_entities: bool,
    values: dict[str, Any],
    extra: dict[str, Any],
    report: Callable[[str], None],
) -> None:
    """Read a list of text parts (from ``text_entities`` or from ``text``) into ``values``;
    what the writer could not re-create is kept verbatim in ``extra``, and parts that are no
    text at all are reported."""
    text = raw.get("text")
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
                report(
                    f"text part {i} needs a string 'type' and 'text', got {part!r} (kept verbatim)"
                )
                continue
            if kind == "plain" and not from_entities:
                canonical = False  # "text" lists hold plain parts as bare strings
        else:
            canonical = False
            report(f"text part {i} should be a string or an object, got {part!r} (kept verbatim)")
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
        entities.append(entity(kind, ptext, pos, obj))
        pieces.append(ptext)
        pos += len(ptext)
    store_text(values, "".join(pieces), entities, empties)
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


def _array(value: Any) -> list[Any]:
    if type(value) is not list:
        raise BadValueError("expected an array")
    return value


def _button_row(row: Any) -> tuple[Button, ...]:
    return tuple(_button(b) for b in _array(row))


def _button(obj: Any) -> Button:
    if type(obj) is not dict or type(obj.get("type")) is not str:
        raise BadValueError("a button must be an object with a string 'type'")
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
    raise BadValueError("wrong type")


def _read_media(raw: dict[str, Any], extra: dict[str, Any]) -> tuple[Media | None, tuple[str, ...]]:
    """The post's media and the keys it was read from (their values re-created exactly)."""
    if "photo" in raw or "file" in raw:
        is_photo = "photo" in raw
        keys: tuple[str, ...] = PHOTO_KEYS if is_photo else FILE_KEYS
        values: dict[str, Any] = {}
        used: list[str] = []
        for key in keys:
            if key in raw:
                value = raw[key]
                used.append(key)
                if not file_value(key, value, values):
                    extra[key] = value
        values["kind"] = "photo" if is_photo else values.get("kind", "document")
        return _build_file(values), tuple(used)
    for trigger, keys in OTHER_MEDIA.items():
        if trigger in raw:
            used_keys = tuple(k for k in keys if k in raw)
            media = _other_media(trigger, raw)
            # Nested objects may hold fields we do not know: keep any key whose value the
            # writer would not re-create exactly.
            for key in used_keys:
                if media_value(media, key) != raw[key]:
                    extra[key] = raw[key]
            return media, used_keys
    return None, ()


_new_poll = exact_builder(Poll)
_new_answer = exact_builder(PollAnswer)
_ANSWER_KEYS = frozenset(PollAnswer.model_fields)


def plain_poll(poll: Any) -> Poll | None:
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
            typed = plain_poll(poll)
            if typed is not None:
                return typed
            return Poll(
                question=poll.get("question", ""),
                closed=poll.get("closed"),
                total_voters=poll.get("total_voters"),
                answers=tuple(PollAnswer.model_validate(a) for a in poll.get("answers", ())),
            )
    except (BadValueError, ValueError, TypeError, AttributeError):
        pass  # the values stay verbatim in extra (the caller compares)
    kind = OTHER_MEDIA_KIND.get(trigger, "other")
    keys = OTHER_MEDIA.get(trigger, (trigger,))
    return OtherMedia.model_validate({"kind": kind, "data": {k: raw[k] for k in keys if k in raw}})
