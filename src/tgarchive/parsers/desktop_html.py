"""Telegram Desktop's HTML export: ``messages.html``, ``messages2.html``, ... as one chat.

One page is parsed at a time with lxml (no network, no entity resolution, huge pages allowed)
and its messages are read by walking element children directly, so ``iter_posts`` streams page
by page. What the HTML cannot carry (numeric ids, entity details such as ``pre`` languages,
exact file sizes, edit dates) is documented in ``docs/formats/desktop-html.md``.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

from lxml import etree

from .._build import EMPTY, builder, exact_builder, template
from .._source import Source, _check_relative
from ..errors import ParseError, SourceLocation, UnsafePathError
from ..models import (
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

__all__ = ["DesktopHtmlParser", "page_number"]

# One parser for every page: no network, ids not collected (every message has one), pages of
# any size. libxml2's HTML parser never loads DTDs or resolves external entities.
HTML_PARSER = etree.HTMLParser(
    encoding="utf-8",
    no_network=True,
    huge_tree=True,
    collect_ids=False,
    remove_comments=True,
    remove_pis=True,
)

_PAGE = re.compile(r"^(?:messages(\d*)|index)\.html$")
_TITLE = re.compile(
    r"^(\d{2})\.(\d{2})\.(\d{4}) (\d{2}):(\d{2}):(\d{2})(?: UTC([+-])(\d{2}):(\d{2}))?$"
)
_DATE_SEPARATOR = re.compile(r"^\d{1,2} [A-Z][a-z]+ \d{4}$")
_GO_TO = re.compile(r"go_to_message(-?\d{1,19})\b")
_SIZE = re.compile(r"^(\d{1,9})×(\d{1,9})")
_DURATION = re.compile(r"^(?:(\d{1,9}):)?(\d{1,2}):(\d{2})$")
_VOTES = re.compile(r"(?<!\d)(\d{1,18}) votes?")
_UTC = timezone.utc
# Values below are type-correct by construction: models are built without re-validation
# (tests compare them with validated ones).
_build_post = builder(Post)
_build_file = builder(MediaFile)
_build_forward = builder(Forward)
_new_entity = exact_builder(Entity)
_build_reaction = builder(Reaction)
_ZONES: dict[str, timezone] = {}

# HTML "description" sentences for files that were not exported → Desktop JSON's placeholders.
_MISSING = {
    "Not included, change data exporting settings to download.":
        "(File not included. Change data exporting settings to download.)",
    "Exceeds maximum size, change data exporting settings to download.":
        "(File exceeds maximum size. Change data exporting settings to download.)",
    "Unavailable, please try again later.": "(File unavailable, please try again later)",
}  # fmt: skip
_ENTITY_TAGS = {
    "strong": "bold",
    "b": "bold",
    "em": "italic",
    "i": "italic",
    "u": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
}
_ONCLICK_KINDS = {
    "ShowHashtag": "hashtag",
    "ShowCashtag": "cashtag",
    "ShowBotCommand": "bot_command",
    "ShowMentionName": "mention_name",
    "ShowNotLoadedEmoji": "custom_emoji",
    "ShowNotAvailableEmoji": "custom_emoji",
}

# Service sentences of the HTML writer → (action, actor group, data groups).
_SERVICE: list[tuple[re.Pattern[str], str, dict[str, str]]] = [
    (re.compile(r"^Channel «(?P<title>.*)» created$", re.S), "create_channel", {"title": "title"}),
    (
        re.compile(r"^(?P<actor>.*) created group «(?P<title>.*?)»(?: with members .*)?$", re.S),
        "create_group",
        {"title": "title"},
    ),
    (
        re.compile(r"^Channel title changed to «(?P<title>.*)»$", re.S),
        "edit_group_title",
        {"title": "title"},
    ),
    (
        re.compile(r"^(?P<actor>.*) changed group title to «(?P<title>.*)»$", re.S),
        "edit_group_title",
        {"title": "title"},
    ),
    (re.compile(r"^Channel photo changed$"), "edit_group_photo", {}),
    (re.compile(r"^(?P<actor>.*) changed group photo$", re.S), "edit_group_photo", {}),
    (re.compile(r"^Channel photo removed$"), "delete_group_photo", {}),
    (re.compile(r"^(?P<actor>.*) removed group photo$", re.S), "delete_group_photo", {}),
    (re.compile(r"^(?P<actor>.*) pinned this message$", re.S), "pin_message", {}),
    (
        re.compile(r"^(?P<actor>.*) joined group by link from (?P<inviter>.*)$", re.S),
        "join_group_by_link",
        {},
    ),
    (re.compile(r"^(?P<actor>.*) joined group by request$", re.S), "join_group_by_request", {}),
    (
        re.compile(r"^(?P<actor>.*) converted this group to a supergroup$", re.S),
        "migrate_to_supergroup",
        {},
    ),
    (
        re.compile(
            r"^(?P<actor>.*) converted a basic group to this supergroup «(?P<title>.*)»$", re.S
        ),
        "migrate_from_group",
        {"title": "title"},
    ),
    (re.compile(r"^History cleared$"), "clear_history", {}),
    (re.compile(r"^(?P<actor>.*) took a screenshot$", re.S), "take_screenshot", {}),
    (re.compile(r"^(?P<actor>.*) joined Telegram$", re.S), "joined_telegram", {}),
    (
        re.compile(r"^(?P<actor>.*) created topic «(?P<title>.*)»$", re.S),
        "topic_created",
        {"title": "title"},
    ),
    (re.compile(r"^(?P<actor>.*) invited (?P<members>.*)$", re.S), "invite_members", {}),
    (re.compile(r"^(?P<actor>.*) removed (?P<members>.*)$", re.S), "remove_members", {}),
]


_MAX_SERVICE_SENTENCE = 8192
"""Longest service sentence matched against the writer's sentences (an invitation of about
250 members); longer ones become ``action=None`` with the sentence as ``information_text``."""


def page_number(name: str) -> int | None:
    """The position of an export page in its chain: ``messages.html``, ``messages1.html`` and
    ``index.html`` are 1, ``messagesN.html`` is N; ``None`` for other names."""
    m = _PAGE.match(name)
    if m is None:
        return None
    digits = m.group(1)
    return int(digits) if digits else 1


def _classes(el: Any) -> list[str]:
    cls = el.get("class")
    return cls.split() if cls else []


def _text_of(el: Any) -> str:
    """Visible text with <br> as newlines (iterative: any nesting depth)."""
    if not len(el):
        return el.text or ""
    parts = []
    for event, node in etree.iterwalk(el, events=("start", "end")):
        if event == "start":
            if node.tag == "br":
                parts.append("\n")
            elif node.text:
                parts.append(node.text)
        elif node is not el and node.tail:
            parts.append(node.tail)
    return "".join(parts)


def _strip(text: str) -> str:
    return text.strip(" \n\t\r")


def _parse_title(title: str) -> tuple[datetime, str, bool] | None:
    """``DD.MM.YYYY HH:MM:SS[ UTC±hh:mm]`` → (instant, local ISO string, has a zone)."""
    m = _TITLE.match(title)
    if m is None:
        m = _TITLE.match(title.strip())
        if m is None:
            return None
    d, mo, y, h, mi, sec, sign, oh, om = m.groups()
    try:
        local = datetime(int(y), int(mo), int(d), int(h), int(mi), int(sec))
        text = local.isoformat()
        if sign is None:
            return local, text, False
        key = sign + oh + om
        zone = _ZONES.get(key)
        if zone is None:
            offset = timedelta(hours=int(oh), minutes=int(om))
            zone = timezone(offset if sign == "+" else -offset)
            _ZONES[key] = zone
        return local.replace(tzinfo=zone).astimezone(_UTC), text, True
    except (ValueError, OverflowError):  # 31.02., month 13, year 0, offsets of a day or more
        return None


_MAX_TEXT_DEPTH = 256
"""Deepest formatting a message text may nest (Telegram's own is flat: one level)."""


class _TextBuilder:
    """Plain text and flat entities from one ``div.text`` (or poll question) element."""

    __slots__ = ("entities", "parts", "pos")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.entities: list[tuple[str, int, int, dict[str, Any]]] = []
        self.pos = 0

    def add(self, text: str | None) -> None:
        if text:
            self.parts.append(text)
            self.pos += len(text)

    def walk(self, el: Any, inside: bool, depth: int = 0) -> None:
        if depth > _MAX_TEXT_DEPTH:
            raise ValueError(f"formatting nested more than {_MAX_TEXT_DEPTH} levels deep")
        parts = self.parts
        text = el.text
        if text:
            parts.append(text)
            self.pos += len(text)
        for child in el:
            tag = child.tag
            if tag == "br":
                parts.append("\n")
                self.pos += 1
            elif isinstance(tag, str):
                kind, extra = self.kind_of(child)
                start = self.pos
                if len(child) or inside or kind is None:
                    self.walk(child, inside or kind is not None, depth + 1)
                else:  # the common leaf: <strong>text</strong>, <a ...>text</a>
                    leaf = child.text
                    if leaf:
                        parts.append(leaf)
                        self.pos += len(leaf)
                # Telegram flattens entities: only the outermost one of nested tags counts.
                if kind is not None and not inside and self.pos > start:
                    self.entities.append((kind, start, self.pos, extra))
            tail = child.tail
            if tail:
                parts.append(tail)
                self.pos += len(tail)

    @staticmethod
    def kind_of(el: Any) -> tuple[str | None, dict[str, Any]]:
        tag = el.tag
        if tag in _ENTITY_TAGS:
            return _ENTITY_TAGS[tag], {}
        if tag == "span":
            return ("spoiler", {}) if "spoiler" in _classes(el) else (None, {})
        if tag != "a":
            return None, {}
        href = el.get("href", "") or ""
        onclick = el.get("onclick", "") or ""
        if onclick:
            for marker, kind in _ONCLICK_KINDS.items():
                if marker in onclick:
                    return kind, {}
        text = (el.text or "") if not len(el) else "".join(el.itertext())
        if href.startswith("mailto:"):
            return "email", {}
        if href.startswith("tel:"):
            return "phone", {}
        if text.startswith("@") and href.lower() == "https://t.me/" + text[1:].lower():
            return "mention", {}
        if href and (href == text or href in ("http://" + text, "https://" + text)):
            return "link", {}
        if href and "://" not in href and not href.startswith(("#", "?")):
            return "custom_emoji", {"document_id": href}  # a downloaded emoji image
        if href:
            return "text_link", {"href": href}
        return None, {}

    def result(self) -> tuple[str, tuple[Entity, ...]]:
        text = "".join(self.parts)
        # The writer puts the content on a line of its own, then the closing tag indented on
        # the next: drop that one leading newline and the trailing newline with its spaces.
        lead = 1 if text.startswith("\n") else 0
        tail = _LAYOUT_TAIL.search(text, lead)
        end = tail.start() if tail is not None else len(text)
        body = text[lead:end]
        entities = []
        size = len(body)
        # Entities were recorded in text order (only outermost tags count, so none overlap).
        for kind, start, stop, extra in self.entities:
            a = start - lead if start > lead else 0
            b = stop - lead if stop - lead < size else size
            if b <= a:
                continue
            data = _ENTITY_TEMPLATE.copy()
            data["kind"] = kind
            data["offset"] = a
            data["length"] = b - a
            data["text"] = body[a:b]
            if extra:
                data.update(extra)  # href or document_id
            entities.append(_new_entity(data))
        return body, tuple(entities)


_LAYOUT_TAIL = re.compile(r"\n[ \t]*\Z")
_ENTITY_TEMPLATE = template(Entity)


def _rich_text(el: Any) -> tuple[str, tuple[Entity, ...]]:
    builder = _TextBuilder()
    builder.walk(el, False)
    return builder.result()


def _duration(text: str) -> int | None:
    m = _DURATION.match(text.strip())
    if m is None:
        return None
    h, mi, s = m.groups()
    return int(h or 0) * 3600 + int(mi) * 60 + int(s)


def _generic_media(block: Any, kinds: list[str]) -> Media:
    title = description = status = None
    for part in block.iter("div"):
        cls = part.get("class", "")
        if cls == "title bold":
            title = _strip(_text_of(part))
        elif cls == "description":
            description = _strip(_text_of(part))
        elif cls == "status details":
            status = _strip(_text_of(part))
    href = block.get("href") if block.tag == "a" else None
    missing = _MISSING.get(description or "", description) if href is None else None
    kind_class = next((k for k in kinds if k.startswith("media_")), "media_file")
    if kind_class in ("media_location", "media_live_location", "media_venue"):
        lat = lon = None
        if status:
            try:
                lat_s, lon_s = status.split(",", 1)
                lat, lon = float(lat_s), float(lon_s)
            except ValueError:
                pass
        if kind_class == "media_venue":
            return Venue(title=title, address=description, latitude=lat, longitude=lon)
        return Location(latitude=lat, longitude=lon)
    if kind_class == "media_contact":
        first, _, last = (title or "").partition(" ")
        phone = (status or "").removesuffix(" - vCard") or None
        return Contact(first_name=first or None, last_name=last or None, phone_number=phone)
    if kind_class == "media_game":
        return Game(title=title, description=description, link=href)
    if kind_class == "media_invoice":
        return Invoice(title=title, description=description)
    if kind_class == "media_call":
        return OtherMedia(kind="other", data={"call": title, "status": status})
    values: dict[str, Any] = {"path": href, "missing": missing}
    if kind_class == "media_photo":
        values["kind"] = "sticker" if title == "Sticker" else "photo"
    elif kind_class == "media_video":
        values["kind"] = {"Video message": "video_message", "Animation": "animation"}.get(
            title or "", "video"
        )
    elif kind_class == "media_voice_message":
        values["kind"] = "voice"
    elif kind_class == "media_audio_file":
        values["kind"] = "audio"
        if title and " – " in title:
            performer, _, song = title.partition(" – ")
            values["performer"], values["title"] = performer, song
    else:
        values["kind"] = "document"
        if title and title != "File":
            values["file_name"] = title
    if status:
        size = _SIZE.match(status)
        if size:
            values["width"], values["height"] = int(size.group(1)), int(size.group(2))
        duration = _duration(status.split(",")[0])
        if duration is not None:
            values["duration"] = duration
    return _build_file(values)


def _poll(block: Any) -> Poll:
    question = ""
    closed = None
    answers = []
    total = None
    for part in block:
        cls = _classes(part)
        if "question" in cls:
            question = _strip(_text_of(part))
        elif "answer" in cls:
            raw = _strip(part.text or "").removeprefix("- ").strip()
            votes = chosen = None
            for span in part:
                info = _strip(_text_of(span))
                m = _VOTES.search(info)
                votes = int(m.group(1)) if m else votes
                chosen = "chosen vote" in info
            answers.append(PollAnswer(text=raw, voters=votes, chosen=chosen))
        elif "total" in cls:
            m = _VOTES.search(_text_of(part))
            total = int(m.group(1)) if m else None
        elif "details" in cls:
            closed = "Final results" in _text_of(part) or None
    return Poll(question=question, closed=closed, total_voters=total, answers=tuple(answers))


_KNOWN_MEDIA = frozenset(
    [
        "media_call",
        "media_photo",
        "media_video",
        "media_voice_message",
        "media_audio_file",
        "media_file",
        "media_contact",
        "media_location",
        "media_live_location",
        "media_venue",
        "media_game",
        "media_invoice",
    ]
)


def _media(wrap: Any, unread: _Unread, mid: int) -> Media | None:
    for block in wrap:
        if not isinstance(block.tag, str):
            continue
        kinds = _classes(block)
        if "media_poll" in kinds:
            return _poll(block)
        if "photo_wrap" in kinds or "sticker_wrap" in kinds or "animated_wrap" in kinds:
            kind = (
                "photo"
                if "photo_wrap" in kinds
                else "sticker"
                if "sticker_wrap" in kinds
                else "animation"
            )
            values: dict[str, Any] = {"kind": kind, "path": block.get("href")}
            img = block.find("img")
            if img is not None:
                style = img.get("style", "")
                m = re.search(r"width: (\d{1,9})px; height: (\d{1,9})px", style)
                if m and kind != "photo":
                    values["width"], values["height"] = int(m.group(1)), int(m.group(2))
            return _build_file(values)
        if "video_file_wrap" in kinds:
            duration = None
            for div in block.iter("div"):
                if "video_duration" in _classes(div):
                    duration = _duration(_text_of(div))
            return MediaFile(kind="video", path=block.get("href"), duration=duration)
        if "media" in kinds:
            unknown = [k for k in kinds if k.startswith("media_") and k not in _KNOWN_MEDIA]
            if unknown:
                # A new kind of block: keep what it shows, and say it was not understood.
                unread.add(f"media blocks of a kind this parser does not know ({unknown[0]})",
                           block, mid)  # fmt: skip
                return _other_media(block, unknown[0])
            return _generic_media(block, kinds)
    if any(isinstance(child.tag, str) for child in wrap):
        first = next(child for child in wrap if isinstance(child.tag, str))
        unread.add(f"media blocks this parser cannot read (<{first.tag} class={first.get('class')!r}>)",
                   wrap, mid)  # fmt: skip
    return None


def _other_media(block: Any, kind_class: str) -> OtherMedia:
    data: dict[str, Any] = {"html_class": kind_class}
    for part in block.iter("div"):
        cls = part.get("class", "")
        for key, wanted in (("title", "title bold"), ("description", "description"),
                            ("status", "status details")):  # fmt: skip
            if cls == wanted:
                data[key] = _strip(_text_of(part))
    if block.get("href"):
        data["href"] = block.get("href")
    return OtherMedia(kind="other", data=data)


_MAX_COUNT_DIGITS = 18


def _count(text: str) -> int | None:
    """A reaction count as the writer prints it (``25``; other writers: ``1.2K``)."""
    text = text.strip()
    if text.isascii() and text.isdigit():
        return int(text) if len(text) <= _MAX_COUNT_DIGITS else None
    from ..text import parse_count

    value = parse_count(text) if len(text) <= 32 else None
    return value if value is not None and 0 <= value < 10**_MAX_COUNT_DIGITS else None


def _reactions(container: Any, unread: _Unread, mid: int) -> tuple[Reaction, ...]:
    """``span.reactions > span.reaction`` (classes ``active``, ``paid``) holding ``span.emoji``,
    an optional ``span.userpics`` and an optional ``span.count`` (without it, the count is the
    number of userpics: every reactor is pictured). Reactions in any other layout are reported
    once per page (see :class:`_Unread`), never read as "no reactions"."""
    found = []
    for span in container:
        if not isinstance(span.tag, str):
            continue
        classes = _classes(span)
        if "reaction" not in classes:
            unread.add(_UNKNOWN_REACTIONS, span, mid)
            continue
        count: int | None = None
        has_count = False
        emoji = custom = None
        recent: list[RecentReaction] | None = None
        for inner in span:
            inner_cls = inner.get("class") if isinstance(inner.tag, str) else None
            if inner_cls == "count":
                has_count = True
                count = _count(_text_of(inner))
            elif inner_cls == "emoji":
                emoji = _strip(_text_of(inner)) or None
                for part in inner.iter() if len(inner) else ():
                    # A custom emoji: <tg-emoji emoji-id>, or its downloaded image or link.
                    if part.tag == "tg-emoji":
                        custom = part.get("emoji-id") or custom
                    elif part.tag == "img":
                        custom = part.get("src") or custom
                    elif part.tag == "a":
                        custom = part.get("href") or custom
            elif inner_cls == "userpics":
                recent = [_reactor(pic) for pic in inner if "userpic" in _classes(pic)]
        if not has_count and recent:
            count = len(recent)
        if "paid" in classes:
            kind, emoji = "paid", None
        elif custom is not None:
            kind, emoji = "custom_emoji", None
        elif emoji:
            kind = "emoji"
        else:
            count = None  # neither an emoji nor a custom emoji: not a layout this reads
        if count is None:
            unread.add(_UNKNOWN_REACTIONS, span, mid)
            continue
        found.append(
            _build_reaction(
                {
                    "kind": kind,
                    "count": count,
                    "emoji": emoji,
                    "document_id": custom,
                    "recent": tuple(recent) if recent else None,
                    "extra": {"active": True} if "active" in classes else EMPTY,
                    "count_rounded": None,
                }
            )
        )
    return tuple(found)


_UNKNOWN_REACTIONS = "reactions in a layout this parser does not know"


def _reactor(pic: Any) -> RecentReaction:
    """One pictured reactor: the name is the initials' ``title`` (or the image's ``alt``)."""
    name = None
    for inner in pic.iter():
        name = inner.get("title") or (inner.get("alt") if inner.tag == "img" else None)
        if name:
            break
    return RecentReaction(from_name=_strip(name) if name else None)


def _buttons(table: Any) -> tuple[tuple[Button, ...], ...]:
    rows = []
    for tr in table.iter("tr"):
        row = []
        for a in tr.iter("a"):
            href = a.get("href") or None
            row.append(
                Button(kind="url" if href else "callback", text=_strip(_text_of(a)), data=href)
            )
        if row:
            rows.append(tuple(row))
    return tuple(rows)


class _Unread:
    """Blocks a page holds that the parser recognises but cannot read, each reported once per
    file (:meth:`report`), with the first message that has one and how many do."""

    __slots__ = ("found",)

    def __init__(self) -> None:
        self.found: dict[str, list[Any]] = {}

    def add(self, what: str, el: Any, mid: int | None) -> None:
        entry = self.found.get(what)
        if entry is None:
            self.found[what] = [mid, el.sourceline, 1]
        else:
            entry[2] += 1

    def report(self, ctx: ParseContext, file: str) -> None:
        for what, (mid, line, count) in self.found.items():
            where = "a message" if count == 1 else f"{count} messages"
            ctx.problem(
                f"{what}: left unread on {where} of this page (the first is here)",
                SourceLocation(file=file, line=line, message_id=mid),
            )


_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_MESSAGE_ID = re.compile(rb'id="message(-?\d{1,19})"')


def _decoded(raw: bytes, ctx: ParseContext, file: str) -> bytes:
    """The page as UTF-8 for lxml. Telegram writes UTF-8 without a BOM; a BOM is honoured
    (UTF-16 pages are re-encoded) and undecodable bytes are replaced with U+FFFD and reported
    with the line and message they sit in, so that one bad byte costs only its own text."""
    encoding = "utf-8"
    for bom, name in _BOMS:
        if raw.startswith(bom):
            raw, encoding = raw[len(bom) :], name
            break
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        text = raw.decode(encoding, errors="replace")
        before = raw[: exc.start]
        found = _last_message_id(before) if encoding == "utf-8" else None
        line = before.count(b"\n") + 1 if encoding == "utf-8" else None
        ctx.problem(
            f"invalid {encoding.upper().removesuffix('-LE').removesuffix('-BE')} at byte "
            f"{exc.start}: undecodable bytes were replaced with U+FFFD",
            SourceLocation(file=file, line=line, message_id=found),
        )
        return text.encode("utf-8")
    return raw if encoding == "utf-8" else text.encode("utf-8")


def _line_offset(data: bytes, line: int) -> int:
    """The byte offset where 1-based ``line`` starts (the end, past the last line)."""
    at = 0
    for _ in range(max(0, line - 1)):
        at = data.find(b"\n", at) + 1
        if at == 0:
            return len(data)
    return at


def _last_message_id(data: bytes) -> int | None:
    at = data.rfind(b'id="message')
    m = _MESSAGE_ID.match(data, at) if at >= 0 else None
    return int(m.group(1)) if m else None


def _looks_like_message(el: Any) -> bool:
    """An element a reader would take for a message: class ``message`` or ``id="messageN"``."""
    cls = el.get("class")
    if cls and "message" in cls.split():
        return True
    return _ID.fullmatch(el.get("id") or "") is not None


_ID = re.compile(r"message-?[0-9]{1,19}")


class _Carry:
    """What a ``joined`` message inherits from the message before it."""

    __slots__ = ("author", "forward", "seen", "via_bot")

    def __init__(self) -> None:
        self.seen = False  # has a regular message been read yet?
        self.author: str | None = None
        self.via_bot: str | None = None
        self.forward: Forward | None = None


def _name_and_bot(text: str) -> tuple[str | None, str | None]:
    name = text.strip()
    bot = None
    if " via @" in name:
        name, _, bot_name = name.rpartition(" via @")
        bot = "@" + bot_name.strip()
        name = name.strip()  # the writer's "first last" has a trailing space before " via @"
    if name in ("", "Deleted Account", "Deleted"):
        return None, bot
    return name, bot


class DesktopHtmlParser:
    """Parser for Telegram Desktop's HTML export (format name ``desktop-html``)."""

    name = "desktop-html"

    def detect(self, head: bytes, filename: str | None) -> float:
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # a UTF-16 page (never Telegram's own)
            head = head.decode("utf-16", errors="replace").encode("utf-8")
        lowered = head[:4096].lower()
        if b"<html" not in lowered and b"<!doctype html" not in lowered:
            return 0.0
        score = 0.0
        if b'class="page_wrap"' in head or b"<title>Exported Data</title>" in head:
            score = 0.9
        if score and filename and page_number(filename) is not None:
            score = 1.0
        return score

    def parse(self, source: Source, ctx: ParseContext) -> Iterator[Chat | Post]:
        pages = self._chain(source, ctx)
        chat: Chat | None = None
        carry = _Carry()
        previous = 0
        for number, name in pages:
            if number != previous + 1:
                carry = _Carry()  # a gap: the sender of a joined message is not known
            previous = number
            container = source.container
            file = container.display(name) if container else source.name
            try:
                with container.open(name) if container else source.open() as fh:
                    raw = fh.read()
            except OSError as exc:
                ctx.problem(f"page could not be read ({exc})", SourceLocation(file=file))
                continue
            except ParseError as exc:  # a corrupt zip member
                ctx.problem(exc.reason, exc.location)
                continue
            except UnsafePathError as exc:  # a page that is a symlink out of the export
                ctx.problem(f"page not read: {exc}", SourceLocation(file=file))
                continue
            data = _decoded(raw, ctx, file)
            del raw
            unread = _Unread()
            try:
                root = etree.fromstring(data, HTML_PARSER) if data.strip() else None
            except etree.LxmlError as exc:
                ctx.problem(f"page could not be read ({exc})", SourceLocation(file=file))
                continue
            if root is None:
                ctx.problem("empty page", SourceLocation(file=file))
                continue
            fatal = [e for e in HTML_PARSER.error_log if e.level == etree.ErrorLevels.FATAL]
            if fatal:  # libxml2 stopped there (markup nested over 2048 levels): say so
                offset = _line_offset(data, fatal[0].line)
                ctx.problem(
                    f"the page could not be read past line {fatal[0].line} "
                    f"({fatal[0].message.strip()}): the messages after it are not in this archive",
                    SourceLocation(
                        file=file, line=fatal[0].line, message_id=_last_message_id(data[:offset])
                    ),
                )
            if not data[-64:].rstrip().lower().endswith(b"</html>"):
                # libxml2 recovers silently from a truncated page: say that it was.
                ctx.problem(
                    "the page is cut short (it does not end with </html>): its last message "
                    "may be incomplete",
                    SourceLocation(file=file, message_id=_last_message_id(data)),
                )
            if chat is None:
                chat = Chat(name=self._chat_name(root))
                yield chat
            history = next((el for el in root.iter("div") if el.get("class") == "history"), None)
            if history is None:
                ctx.problem("no div.history: not a message page", SourceLocation(file=file))
                continue
            yield from self._page(history, carry, ctx, file, chat.name, unread)
            unread.report(ctx, file)
            del root, history, data
        if chat is None:
            yield Chat()

    def _chain(self, source: Source, ctx: ParseContext) -> list[tuple[int, str]]:
        name = source.member or source.filename or ""
        number = page_number(posixpath.basename(name)) if name else None
        if source.container is None or number is None:
            return [(number or 1, name)]
        found: dict[int, str] = {}
        for other in source.container.list():
            n = page_number(other)
            if n is not None:
                found.setdefault(n, other)
        whole = number == 1 or source.picked
        if not whole:
            later = [n for n in found if n != number]
            if later:
                ctx.problem(
                    f"{name} is page {number} of a chain of pages (others here: "
                    f"{', '.join(found[n] for n in sorted(later)[:5])}); only this page was read: "
                    "load the folder or the first page to read them all",
                    SourceLocation(file=source.name),
                )
            elif number > 1:
                ctx.problem(
                    f"{name} is page {number}: pages 1 to {number - 1} are not here",
                    SourceLocation(file=source.name),
                )
            return [(number, name)]
        numbers = sorted(n for n in found if n >= number)
        missing = [n for n in range(1, numbers[-1] + 1) if n not in found] if numbers else []
        if missing:
            ctx.problem(
                f"pages missing from the chain: {_ranges(missing)} (messages on them are not in "
                "this archive)",
                SourceLocation(file=source.container.display(found[numbers[0]])),
            )
        return [(n, found[n]) for n in numbers]

    @staticmethod
    def _chat_name(root: Any) -> str | None:
        for el in root.iter("div"):
            if el.get("class") == "page_header":
                for inner in el.iter("div"):
                    if inner.get("class") == "text bold":
                        name, _ = _name_and_bot(_text_of(inner))
                        return name
        return None

    def _page(
        self,
        history: Any,
        carry: _Carry,
        ctx: ParseContext,
        file: str,
        chat_name: str | None,
        unread: _Unread,
    ) -> Iterator[Post]:
        index = 0
        for el in _message_elements(history, unread):
            cls = _classes(el)
            raw_id = el.get("id") or ""
            if _ID.fullmatch(raw_id) is None:
                ctx.problem(
                    f"message element without a numeric id ({raw_id!r})",
                    SourceLocation(file=file, line=el.sourceline, message_index=index),
                )
                index += 1
                continue
            mid = int(raw_id[7:])
            try:
                if "service" in cls:
                    post = self._service(el, mid, carry, chat_name)
                else:
                    post = self._message(el, mid, cls, carry, ctx, file, unread)
            except ParseError:
                raise  # strict mode: a problem already reported
            except Exception as exc:  # an unexpected shape: report it where it is, go on
                ctx.problem(
                    f"unreadable message ({type(exc).__name__}: {exc})",
                    SourceLocation(file=file, line=el.sourceline, message_id=mid),
                )
                post = None
            index += 1
            if post is not None:
                yield post

    def _service(self, el: Any, mid: int, carry: _Carry, chat_name: str | None) -> Post | None:
        body = next((c for c in el if c.tag == "div" and "body" in _classes(c)), None)
        if body is None:
            body = el  # flattened by a post-processing tool: the element is its own body
        text = _strip(_text_of(body))
        if mid < 0 and _DATE_SEPARATOR.match(text):
            return None  # a date separator, not a message
        carry.author = carry.via_bot = None
        carry.forward = None
        if text == "No exported messages":
            return None
        values: dict[str, Any] = {"id": mid, "type": "service"}
        # The sentences' patterns backtrack: on a hostile sentence their cost grows with the
        # square of its length. Telegram's are short (names and titles of at most 128 chars);
        # a longer one is kept verbatim, as an unknown sentence is.
        patterns = _SERVICE if len(text) <= _MAX_SERVICE_SENTENCE else ()
        for pattern, action, fields in patterns:
            m = pattern.match(text)
            if m is None:
                continue
            values["action"] = action
            groups = m.groupdict()
            data: dict[str, Any] = {key: groups[group] for key, group in fields.items()}
            data["service_text"] = text  # the sentence the HTML shows, kept
            if action == "pin_message":
                link = body.find(".//a")
                target = _GO_TO.search(link.get("href", "")) if link is not None else None
                if target:
                    data["message_id"] = int(target.group(1))
            if "actor" in groups:
                values["author"] = _name_and_bot(groups["actor"])[0]
            elif text.startswith("Channel "):
                values["author"] = chat_name  # channel actions are the channel's own
            values["action_data"] = data
            break
        else:
            values["action_data"] = {"information_text": text}
        date_div = next((c for c in el.iter("div") if "date" in _classes(c)), None)
        if date_div is not None:
            parsed = _parse_title(date_div.get("title", ""))
            if parsed:
                values["date"], values["date_local"], _aware = parsed
        return _build_post(values)

    def _message(
        self,
        el: Any,
        mid: int,
        cls: list[str],
        carry: _Carry,
        ctx: ParseContext,
        file: str,
        unread: _Unread,
    ) -> Post:
        body = None
        for child in el:
            if child.tag == "div" and child.get("class") == "body":
                body = child
                break
        if body is None:
            raise ValueError("no div.body")
        values: dict[str, Any] = {"id": mid}
        joined = "joined" in cls
        author = via_bot = None
        has_author = False
        forward: Forward | None = None
        for kind, child in self._fill(body, values, ctx, file, mid, unread):
            if kind == "from_name":
                author, via_bot = _name_and_bot(_text_of(child))
                has_author = True
            else:
                forward = self._forward(
                    child, values, ctx, file, mid, carry if joined else None, unread
                )
        if joined and not has_author:
            if not carry.seen:
                ctx.problem(
                    "joined message: its sender is named on an earlier page that was not read",
                    SourceLocation(file=file, line=el.sourceline, message_id=mid),
                )
            author, via_bot = carry.author, carry.via_bot
        if "date" not in values:
            ctx.problem(
                "message without a date (no div.date title)",
                SourceLocation(file=file, line=el.sourceline, message_id=mid),
            )
        carry.seen = True
        carry.author, carry.via_bot = author, via_bot
        carry.forward = forward
        values["author"] = author
        if via_bot:
            values["via_bot"] = via_bot
        if forward is not None:
            values["forward"] = forward
        return _build_post(values)

    def _fill(
        self,
        body: Any,
        values: dict[str, Any],
        ctx: ParseContext,
        file: str,
        mid: int,
        unread: _Unread,
    ) -> list[tuple[str, Any]]:
        """Read date, reply, media, text, buttons, signature and reactions of a body; return
        its sender and forwarded-body divs, in order, for the caller (one pass over it)."""
        senders: list[tuple[str, Any]] = []
        for child in body:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            cls = child.get("class", "")
            if tag == "div":
                if cls.startswith("pull_right date details"):
                    parsed = _parse_title(child.get("title", ""))
                    if parsed is None:
                        ctx.problem(
                            f"unreadable date title {child.get('title')!r}",
                            SourceLocation(file=file, line=child.sourceline, message_id=mid),
                        )
                    else:
                        values["date"], values["date_local"], _aware = parsed
                    continue
                if cls == "reply_to details":
                    link = child.find(".//a")
                    target = _GO_TO.search(link.get("href", "")) if link is not None else None
                    if target:
                        values["reply_to_id"] = int(target.group(1))
                    else:
                        values["extra"] = {**values.get("extra", {}), "reply_to_other_chat": True}
                    continue
                if cls == "media_wrap clearfix":
                    media = _media(child, unread, mid)
                    if media is not None:
                        values["media"] = media
                        path = getattr(media, "path", None)
                        if path is not None:
                            self._check_path(path, child, ctx, file, mid)
                    continue
                if cls == "text":
                    values["text"], values["entities"] = _rich_text(child)
                    continue
                if cls == "signature details":
                    values["signature"] = _strip(_text_of(child))
                    continue
                if cls == "from_name" or cls == "forwarded body":
                    senders.append((cls, child))
                    continue
                if cls == "pull_left forwarded userpic_wrap":
                    continue
            elif tag == "table" and "bot_button_table" in cls.split():
                values["inline_bot_buttons"] = _buttons(child)
                continue
            if "reactions" in cls.split():  # span.reactions (2024+ writers), div.reactions
                values["reactions"] = _reactions(child, unread, mid)
            elif _strip(_text_of(child)) or len(child):
                unread.add(f"blocks this parser does not know (<{tag} class={cls!r}>)", child, mid)
        return senders

    @staticmethod
    def _check_path(path: str, el: Any, ctx: ParseContext, file: str, mid: int) -> None:
        """A media path that would leave the export is kept as written (the post is the
        export's) but reported; :meth:`tgarchive.Archive.resolve` refuses to follow it."""
        if not path or (
            ".." not in path and "\x00" not in path and path[0] not in "/\\" and path[1:2] != ":"
        ):
            return  # the common case, without building a path object
        try:
            _check_relative(path)
        except UnsafePathError as exc:
            ctx.problem(
                f"media path outside the export, kept but never followed: {exc}",
                SourceLocation(file=file, line=el.sourceline, message_id=mid),
            )

    def _forward(
        self,
        div: Any,
        values: dict[str, Any],
        ctx: ParseContext,
        file: str,
        mid: int,
        carry: _Carry | None,
        unread: _Unread,
    ) -> Forward:
        name: str | None = None
        date: datetime | None = None
        found = False
        for kind, child in self._fill(div, values, ctx, file, mid, unread):
            if kind == "from_name":
                found = True
                name, bot = _name_and_bot(child.text or "")
                if bot:  # the original was sent via a bot: the writer says so here
                    values["via_bot"] = bot
                for span in child.iter("span"):
                    if "date" in _classes(span):
                        parsed = _parse_title(span.get("title", ""))
                        if parsed:
                            date = parsed[0]
        if not found and carry is not None and carry.forward is not None:
            return carry.forward  # a joined forward from the same origin
        return _build_forward({"from_name": name, "date": date})


def _message_elements(container: Any, unread: _Unread) -> Iterator[Any]:
    """The elements of ``div.history`` that look like messages, in order. Wrappers added by
    post-processing tools are looked into (iteratively: any depth); anything else that is
    neither a message, a pagination link nor empty is reported once per page."""
    stack = [iter(container)]
    while stack:
        el = next(stack[-1], None)
        if el is None:
            stack.pop()
            continue
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if _looks_like_message(el):
            yield el
            continue
        cls = el.get("class") or ""
        if tag == "a" and "pagination" in cls:
            continue
        if el.text and _strip(el.text):
            unread.add(f"elements of div.history that are not messages (<{tag} class={cls!r}>)",
                       el, None)  # fmt: skip
        if len(el):  # a wrapper, perhaps of messages: look inside (each element once)
            stack.append(iter(el))


def _ranges(numbers: list[int]) -> str:
    out = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        first = "messages.html" if start == 1 else f"messages{start}.html"
        out.append(first if start == prev else f"{first} to messages{prev}.html")
        if n is not None:
            start = prev = n
    return ", ".join(out)
