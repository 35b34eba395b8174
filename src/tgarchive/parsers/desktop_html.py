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
from .._source import Source
from ..errors import SourceLocation
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
_GO_TO = re.compile(r"go_to_message(-?\d+)")
_SIZE = re.compile(r"^(\d+)×(\d+)")
_DURATION = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})$")
_VOTES = re.compile(r"(\d+) votes?")
_UTC = timezone.utc
# Values below are type-correct by construction: models are built without re-validation
# (tests compare them with validated ones).
_build_post = builder(Post)
_build_file = builder(MediaFile)
_build_forward = builder(Forward)
_new_entity = exact_builder(Entity)
_new_reaction = exact_builder(Reaction)
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
    """Visible text with <br> as newlines, stripped of the writer's layout whitespace."""
    parts = [el.text or ""]
    for child in el:
        if child.tag == "br":
            parts.append("\n")
        else:
            parts.append(_text_of(child))
        parts.append(child.tail or "")
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
    local = datetime(int(y), int(mo), int(d), int(h), int(mi), int(sec))
    text = local.isoformat()
    if sign is None:
        return local, text, False
    key = sign + oh + om
    zone = _ZONES.get(key)
    if zone is None:
        offset = timedelta(hours=int(oh), minutes=int(om))
        zone = _ZONES[key] = timezone(offset if sign == "+" else -offset)
    return local.replace(tzinfo=zone).astimezone(_UTC), text, True


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

    def walk(self, el: Any, inside: bool) -> None:
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
                    self.walk(child, inside or kind is not None)
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


def _media(wrap: Any) -> Media | None:
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
                m = re.search(r"width: (\d+)px; height: (\d+)px", style)
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
            return _generic_media(block, kinds)
    return None


def _count(text: str) -> int:
    text = text.strip()
    if text.isdigit():
        return int(text)
    from ..text import parse_count

    return parse_count(text) or 0


def _reactions(div: Any) -> tuple[Reaction, ...]:
    found = []
    for span in div:
        if span.tag != "span":
            continue
        classes = (span.get("class") or "").split()
        if "reaction" not in classes:
            continue
        count = 0
        emoji = None
        custom = None
        for inner in span.iter():
            inner_cls = inner.get("class")
            if inner_cls == "count":
                count = _count(inner.text or "" if not len(inner) else _text_of(inner))
            elif inner_cls == "emoji":
                emoji = _strip(inner.text or "" if not len(inner) else _text_of(inner)) or None
            elif inner.tag == "tg-emoji":
                custom = inner.get("emoji-id")
        if "paid" in classes:
            kind, emoji = "paid", None
        elif emoji and custom is None:
            kind = "emoji"
        else:
            kind, emoji = "custom_emoji", None
        found.append(
            _new_reaction(
                {
                    "kind": kind,
                    "count": count,
                    "emoji": emoji,
                    "document_id": custom,
                    "recent": None,
                    "extra": EMPTY,
                    "count_rounded": None,
                }
            )
        )
    return tuple(found)


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
    if name in ("", "Deleted Account", "Deleted"):
        return None, bot
    return name, bot


class DesktopHtmlParser:
    """Parser for Telegram Desktop's HTML export (format name ``desktop-html``)."""

    name = "desktop-html"

    def detect(self, head: bytes, filename: str | None) -> float:
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
                    tree = etree.parse(fh, HTML_PARSER)
            except (OSError, etree.LxmlError) as exc:
                ctx.problem(f"page could not be read ({exc})", SourceLocation(file=file))
                continue
            root = tree.getroot()
            if root is None:
                ctx.problem("empty page", SourceLocation(file=file))
                continue
            if chat is None:
                chat = Chat(name=self._chat_name(root))
                yield chat
            history = next((el for el in root.iter("div") if el.get("class") == "history"), None)
            if history is None:
                ctx.problem("no div.history: not a message page", SourceLocation(file=file))
                continue
            yield from self._page(history, carry, ctx, file, chat.name)
            del tree, root, history
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
        self, history: Any, carry: _Carry, ctx: ParseContext, file: str, chat_name: str | None
    ) -> Iterator[Post]:
        index = 0
        for el in history:
            if el.tag != "div":
                continue
            cls = _classes(el)
            if "message" not in cls:
                continue
            raw_id = el.get("id", "")
            try:
                mid = int(raw_id.removeprefix("message"))
            except ValueError:
                ctx.problem(
                    f"message element without a numeric id ({raw_id!r})",
                    SourceLocation(file=file, line=el.sourceline, message_index=index),
                )
                index += 1
                continue
            try:
                if "service" in cls:
                    post = self._service(el, mid, carry, chat_name)
                else:
                    post = self._message(el, mid, cls, carry, ctx, file)
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
            return None
        text = _strip(_text_of(body))
        if mid < 0 and _DATE_SEPARATOR.match(text):
            return None  # a date separator, not a message
        carry.author = carry.via_bot = None
        carry.forward = None
        if text == "No exported messages":
            return None
        values: dict[str, Any] = {"id": mid, "type": "service"}
        for pattern, action, fields in _SERVICE:
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
        self, el: Any, mid: int, cls: list[str], carry: _Carry, ctx: ParseContext, file: str
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
        for kind, child in self._fill(body, values, ctx, file, mid):
            if kind == "from_name":
                author, via_bot = _name_and_bot(_text_of(child))
                has_author = True
            else:
                forward = self._forward(child, values, ctx, file, mid, carry if joined else None)
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
        self, body: Any, values: dict[str, Any], ctx: ParseContext, file: str, mid: int
    ) -> list[tuple[str, Any]]:
        """Read date, reply, media, text, buttons, signature and reactions of a body; return
        its sender and forwarded-body divs, in order, for the caller (one pass over it)."""
        senders: list[tuple[str, Any]] = []
        for child in body:
            tag = child.tag
            if tag == "table" and "bot_button_table" in _classes(child):
                values["inline_bot_buttons"] = _buttons(child)
                continue
            if tag != "div":
                continue
            cls = child.get("class", "")
            if cls.startswith("pull_right date details"):
                parsed = _parse_title(child.get("title", ""))
                if parsed is None:
                    ctx.problem(
                        f"unreadable date title {child.get('title')!r}",
                        SourceLocation(file=file, line=child.sourceline, message_id=mid),
                    )
                else:
                    values["date"], values["date_local"], _aware = parsed
            elif cls == "reply_to details":
                link = child.find(".//a")
                target = _GO_TO.search(link.get("href", "")) if link is not None else None
                if target:
                    values["reply_to_id"] = int(target.group(1))
                else:
                    values["extra"] = {**values.get("extra", {}), "reply_to_other_chat": True}
            elif cls == "media_wrap clearfix":
                media = _media(child)
                if media is not None:
                    values["media"] = media
            elif cls == "text":
                values["text"], values["entities"] = _rich_text(child)
            elif cls == "signature details":
                values["signature"] = _strip(_text_of(child))
            elif "reactions" in cls.split():
                values["reactions"] = _reactions(child)
            elif cls == "from_name" or cls == "forwarded body":
                senders.append((cls, child))
        return senders

    def _forward(
        self,
        div: Any,
        values: dict[str, Any],
        ctx: ParseContext,
        file: str,
        mid: int,
        carry: _Carry | None,
    ) -> Forward:
        name: str | None = None
        date: datetime | None = None
        found = False
        for kind, child in self._fill(div, values, ctx, file, mid):
            if kind == "from_name":
                found = True
                name, _bot = _name_and_bot(child.text or "")
                for span in child.iter("span"):
                    if "date" in _classes(span):
                        parsed = _parse_title(span.get("title", ""))
                        if parsed:
                            date = parsed[0]
        if not found and carry is not None and carry.forward is not None:
            return carry.forward  # a joined forward from the same origin
        return _build_forward({"from_name": name, "date": date})


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
