"""Public web previews of channels: saved ``https://t.me/s/<channel>`` pages (format ``web-preview``).

Reads one saved page, a folder or ``.zip`` of saved pages of one or more channels (overlapping
``?before=`` pages are merged by post id, the newest capture of a post winning, posts in id
order), and the channel profile pages ``https://t.me/<channel>`` (exact counts, no posts).
Elements are selected by class token, never by the whole ``class`` attribute, so that the
classes Telegram appends (``user-color-12``...) do not matter; an element the parser cannot
read becomes a located issue. What a web page carries and cannot carry, and the extension keys
that keep the rest in Desktop JSON, are described in ``docs/formats/web-preview.md``.

>>> import tgarchive
>>> page = b'''<html><head><meta property="al:ios:url" content="tg://resolve?domain=demo"></head>
... <body class="tgme_webpreview"><div class="tgme_channel_info">
... <div class="tgme_channel_info_header_title"><span>Demo</span></div>
... <div class="tgme_channel_info_counter"><span class="counter_value">2.4K</span>
... <span class="counter_type">subscribers</span></div></div>
... <div class="tgme_widget_message js-widget_message" data-post="demo/7">
... <div class="tgme_widget_message_text js-message_text">Hello <b>world</b></div>
... <span class="tgme_widget_message_views">3.12K</span>
... <a class="tgme_widget_message_date" href="https://t.me/demo/7">
... <time datetime="2026-05-20T15:38:10+00:00">15:38</time></a></div></body></html>'''
>>> archive = tgarchive.load(page)
>>> chat, post = archive.chats[0], archive.posts[0]
>>> chat.username, chat.subscribers, chat.counts_rounded
('demo', 2400, {'subscribers': '2.4K'})
>>> post.id, post.text, post.entities[0].kind, post.views, post.views_rounded
(7, 'Hello world', 'bold', 3120, '3.12K')
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson
from lxml import etree

from .._build import builder
from .._source import Source
from ..errors import ParseError, SourceLocation
from ..models import (
    Chat,
    Contact,
    Entity,
    Forward,
    Location,
    Media,
    MediaFile,
    Poll,
    PollAnswer,
    Post,
    Reaction,
    Venue,
)
from ..text._numbers import parse_count
from . import ParseContext
from .desktop_html import HTML_PARSER

__all__ = ["NOT_SAVED", "WebPreviewParser", "parse_shown_count"]

NOT_SAVED = "(File not saved: the web preview shows it by URL only)"
""":attr:`tgarchive.MediaFile.missing` of web-preview media: a page links its photos and videos
(``extra["media_url"]``) but holds no file. Written like Telegram Desktop's placeholders, so that
a conversion to Desktop JSON keeps the media's kind."""

_build_post = builder(Post)
_build_file = builder(MediaFile)
# Values below are type-correct by construction (tests validate every post of the goldens).
_build_entity = builder(Entity)
_build_reaction = builder(Reaction)
_build_forward = builder(Forward)


def _select(xpath: etree.XPath, node: Any) -> list[Any]:
    """The elements a compiled XPath selects (typed for mypy: our paths select elements)."""
    found = xpath(node)
    return found if isinstance(found, list) else []


def _has_class(token: str) -> str:
    return f'contains(concat(" ", normalize-space(@class), " "), " {token} ")'


# Compiled once; class tokens, never whole class attributes (t.me appends classes per post).
_X_MESSAGES = etree.XPath("//div[@data-post]")  # class tokens checked in Python
# A plain contains() first: it is cheap, and the token test runs only on what passes it.
_X_CHANNEL_INFO = etree.XPath(
    f".//div[contains(@class, 'tgme_channel_info')][{_has_class('tgme_channel_info')}]"
)
_X_PROFILE = etree.XPath(f"//div[contains(@class, 'tgme_page')][{_has_class('tgme_page')}]")

_DESKTOP_MARKERS = (b"<title>Exported Data</title>", b'class="page_wrap"')
_TME_MARKERS = (
    b"tgme_",
    b"telegram.org/css/widget-frame.css",
    b"telegram.org/css/telegram.css",
    b"<title>Telegram: ",
    b" \xe2\x80\x93 Telegram</title>",  # "NAME – Telegram" (en dash)
)
_POST_ID = re.compile(r"/(\d+)(?:[/?#\"'\s]|$)")
_DATA_POST = re.compile(r"^\s*([^/\s]+)/(\d+)\s*$")
_STYLE_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")
_DURATION = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})$")
_COUNTER = re.compile(r"^\s*([\d][\d .,]*\s?[KkMmBb]?)\s+(\S.*?)\s*$")
_COORDS = re.compile(r"(-?\d{1,3}\.\d+)\s*,\s*(-?\d{1,3}\.\d+)")
_RESOLVE = re.compile(r"tg://resolve\?domain=([A-Za-z0-9_]+)")
_TRAILING_COUNT = re.compile(r"\d[\d.,\s]*[KkMmBb]?$")
_SHOWN = re.compile(r"(\d{1,4})(?:\.(\d{1,3}))?([KkMmBb])")
_SUFFIXES = {"K": 1000, "M": 1_000_000, "B": 1_000_000_000}
_SPACES = str.maketrans({"\xa0": " ", "\u202f": " ", "\u2009": " "})

#: Counter names of the page → the :class:`Chat` field that holds them.
_COUNT_FIELDS = {"subscriber": "subscribers", "member": "members", "online": "online"}

#: The service sentences of t.me pages → (action, the sentence's captured data).
_SERVICE: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^Channel created$"), "create_channel"),
    (re.compile(r"^Channel «(?P<title>.*)» created$", re.S), "create_channel"),
    (re.compile(r"^Channel (?:name|title) (?:was )?changed to «(?P<title>.*)»$", re.S),
     "edit_group_title"),
    (re.compile(r"^Channel photo (?:updated|changed)$"), "edit_group_photo"),
    (re.compile(r"^Channel photo removed$"), "delete_group_photo"),
    (re.compile(r"^(?P<actor>.*?) pinned «(?P<pinned>.*)»$", re.S), "pin_message"),
    (re.compile(r"^(?P<actor>.*?) pinned (?:a |an )?(?P<pinned>.*)$", re.S), "pin_message"),
    (re.compile(r"^Live stream (?:started|scheduled)", re.S), "group_call"),
]  # fmt: skip

_ENTITY_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-spoiler": "spoiler",
}

# Class tokens of parts of a post that are read elsewhere or carry nothing (avatars, the
# bubble's tail, the "please open Telegram" fallback shown to browsers without JS...).
_SKIPPED = frozenset(
    {
        "tgme_widget_message_user",
        "tgme_widget_message_bubble_tail",
        "media_not_supported_cont",
        "message_media_not_supported_wrap",
        "tgme_widget_message_centered",
    }
)
# Wrappers whose children are read: anything else with a tgme_widget_message_* class is
# reported as an element the parser does not know.
_WRAPPERS = frozenset(
    {
        "tgme_widget_message_wrap",
        "tgme_widget_message_bubble",
        "media_supported_cont",
        "tgme_widget_message_footer",
        "tgme_widget_message_info",
        "tgme_widget_message_meta",
        "tgme_widget_message_grouped_wrap",
        "tgme_widget_message_grouped",
        "tgme_widget_message_grouped_layer",
        "tgme_widget_message_inline_keyboard",
    }
)


def parse_shown_count(text: str) -> tuple[int, str | None] | None:
    """A count as a t.me page shows it → ``(number, rounded)``.

    ``rounded`` is the text itself when the page abbreviated the count (``"2.49K"``), else
    ``None``; the number is what the text says (``"2.49K"`` → 2490). ``None`` when the text
    is not a count.

    >>> parse_shown_count("2.49K"), parse_shown_count("11 286 994"), parse_shown_count("34")
    ((2490, '2.49K'), (11286994, None), (34, None))
    >>> parse_shown_count("many") is None
    True
    """
    shown = text.strip()
    if shown.isdigit() and shown.isascii():
        return int(shown), None
    m = _SHOWN.fullmatch(shown)
    if m is not None:  # the common "2.49K": exact integer arithmetic, no Decimal
        whole, frac, suffix = m.groups()
        scale = _SUFFIXES[suffix.upper()]
        if len(frac or "") <= len(str(scale)) - 1:
            value = int(whole) * scale + (int(frac) * scale // 10 ** len(frac) if frac else 0)
            return value, shown
    shown = " ".join(shown.translate(_SPACES).split())
    parsed = parse_count(shown)
    if parsed is None or parsed < 0:
        return None
    return parsed, (shown if shown[-1:].isalpha() else None)


def _classes(el: Any) -> list[str]:
    cls = el.get("class")
    return cls.split() if cls else []


def _text(el: Any) -> str:
    """The visible text of an element, ``<br>`` as newlines."""
    parts = [el.text or ""]
    for child in el:
        if child.tag == "br":
            parts.append("\n")
        elif isinstance(child.tag, str):
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


# Parts of every post that carry nothing (read or skipped anyway), cut before parsing: the SVG
# bubble tail, the avatar, and the fallback shown to browsers without JavaScript.
_SVG = (b"<svg", b"</svg>")
_DEAD_DIVS = (b'<div class="tgme_widget_message_user">', b'<div class="media_not_supported_cont">')
_DEAD_START = re.compile(b"|".join(re.escape(m) for m in (_SVG[0], *_DEAD_DIVS)))


def _block_end(data: bytes, start: int, marker: bytes) -> int:
    """Where the block starting at ``start`` ends, or -1 when its end cannot be told."""
    if marker == _SVG[0]:
        end = data.find(_SVG[1], start)
        return end + len(_SVG[1]) if end >= 0 else -1
    depth, pos = 1, start + 4
    while depth:  # balanced <div>...</div>: message text is escaped, so these are tags
        close = data.find(b"</div>", pos)
        if close < 0:
            return -1
        opening = data.find(b"<div", pos, close)
        if opening >= 0:
            depth, pos = depth + 1, opening + 4
        else:
            depth, pos = depth - 1, close + 6
    return pos


def _without_dead_weight(data: bytes) -> bytes:
    """The page without the parts of each post that carry nothing, newlines kept (so that
    line numbers stay true).

    A t.me/s post carries a 2.7 KB SVG bubble tail, its author's avatar and a "please open
    Telegram" fallback: two thirds of a page's bytes. Cutting them (one regex pass finds the
    blocks' starts, byte searches their ends) before lxml parses the page halves the parse. A
    block whose end cannot be told is kept, and so are the later blocks of its kind.
    """
    parts = []
    done = pos = 0
    given_up: set[bytes] = set()  # a marker whose block had no end: keep its later ones too
    search = _DEAD_START.search
    while (m := search(data, pos)) is not None:
        start, marker = m.start(), m.group()
        end = -1 if marker in given_up else _block_end(data, start, marker)
        if end < 0:
            given_up.add(marker)  # unbalanced: keep it as it is
            pos = m.end()
            continue
        parts.append(data[done:start])
        parts.append(b"\n" * data.count(b"\n", start, end))
        done = pos = end
    if not parts:
        return data
    parts.append(data[done:])
    return b"".join(parts)


def _line(el: Any) -> int | None:
    line = el.sourceline
    return line if isinstance(line, int) else None


def _title(el: Any) -> str | None:
    """A header title: its ``span`` when there is one, never the verified badge's text."""
    span = el.find(".//span")
    if span is not None:
        return _text(span).strip() or None
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and "verified-icon" not in _classes(child):
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts).strip() or None


def _find(el: Any, token: str) -> Any:
    """The first descendant (or ``el`` itself) having class token ``token``."""
    for node in el.iter():
        cls = node.get("class") if isinstance(node.tag, str) else None
        if cls and token in cls.split():
            return node
    return None


def _style_url(el: Any) -> str | None:
    m = _STYLE_URL.search(el.get("style") or "")
    return m.group(1) if m else None


def _duration(text: str) -> int | None:
    m = _DURATION.match(text.strip())
    if m is None:
        return None
    h, mi, s = m.groups()
    return int(h or 0) * 3600 + int(mi) * 60 + int(s)


def _post_id(href: str | None) -> int | None:
    """The post id at the end of a ``https://t.me/<channel>/<id>`` link (``?single`` and a
    stray quote after it tolerated)."""
    if not href:
        return None
    m = _POST_ID.search(href.split("//", 1)[-1])
    return int(m.group(1)) if m else None


def _view_token(raw: str | None) -> dict[str, Any] | None:
    """The ``data-view`` attribute: base64url JSON ``{c: -channel id, p: post, t: time}``."""
    if not raw:
        return None
    try:
        data = orjson.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    except (binascii.Error, ValueError):  # orjson.JSONDecodeError is a ValueError
        return None
    return data if isinstance(data, dict) else None


class _Text:
    """Plain text and flat entities of a message text element, as the page shows them."""

    __slots__ = ("entities", "parts", "pos")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.entities: list[tuple[int, int, dict[str, Any]]] = []
        self.pos = 0

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
                start = self.pos
                data: dict[str, Any] | None
                if tag == "tg-emoji" or (
                    tag == "i" and "emoji" in (child.get("class") or "").split()
                ):
                    glyph = "".join(child.itertext())  # an emoji drawn as an image
                    parts.append(glyph)
                    self.pos += len(glyph)
                    data = {"kind": "custom_emoji", "document_id": child.get("emoji-id")} if (
                        tag == "tg-emoji") else None  # fmt: skip
                else:
                    data = _kind_of(child)
                    self.walk(child, inside or data is not None)
                # Telegram flattens entities: only the outermost of nested tags counts.
                if data is not None and not inside and self.pos > start:
                    self.entities.append((start, self.pos, data))
            tail = child.tail
            if tail:
                parts.append(tail)
                self.pos += len(tail)

    def result(self) -> tuple[str, tuple[Entity, ...]]:
        text = "".join(self.parts)
        entities = []
        for start, end, data in self.entities:
            data["offset"] = start
            data["length"] = end - start
            data["text"] = text[start:end]
            entities.append(_build_entity(data))
        return text, tuple(entities)


def _kind_of(el: Any) -> dict[str, Any] | None:
    """The entity a text tag makes (its ``kind`` and details), or ``None`` for plain tags."""
    tag = el.tag
    kind = _ENTITY_TAGS.get(tag)
    if kind is not None:
        if tag == "blockquote":
            cls = el.get("class") or ""
            if el.get("expandable") is not None or "expandable" in cls.split():
                return {"kind": kind, "collapsed": True}
        elif tag == "pre":
            code = el.find("code")
            lang = (code.get("class") or "").removeprefix("language-") if code is not None else ""
            if lang:
                return {"kind": kind, "language": lang}
        return {"kind": kind}
    if tag == "span":
        return {"kind": "spoiler"} if "tg-spoiler" in (el.get("class") or "").split() else None
    if tag != "a":
        return None
    href = (el.get("href") or "").strip()
    if not href:
        return None
    text = "".join(el.itertext())
    if href.startswith("mailto:"):
        return {"kind": "email"}
    if href.startswith("tel:"):
        return {"kind": "phone"}
    if href.startswith("?q=%23") and text.startswith("#"):
        return {"kind": "hashtag"}
    if href.startswith("?q=%24") and text.startswith("$"):
        return {"kind": "cashtag"}
    if text.startswith("@") and href.lower().rstrip("/") == "https://t.me/" + text[1:].lower():
        return {"kind": "mention"}
    if href == text or href in ("http://" + text, "https://" + text):
        return {"kind": "link"}
    return {"kind": "text_link", "href": href}


def _rich_text(el: Any) -> tuple[str, tuple[Entity, ...]]:
    builder = _Text()
    builder.walk(el, False)
    return builder.result()


@dataclass
class _Header:
    """The channel header of one page (each field ``None`` when the page does not show it)."""

    username: str | None = None
    name: str | None = None
    description: str | None = None
    verified: bool | None = None
    avatar_url: str | None = None
    counts: dict[str, tuple[int, str | None]] = field(default_factory=dict)
    """Every count shown, by Chat field or counter name, in page order."""
    kind: str | None = None
    """``s`` for a ``/s/`` page, ``profile`` for a ``t.me/<name>`` page."""

    def merge(self, older: _Header) -> None:
        """Fill what this (newer) header lacks from an older one; an exact count beats a
        rounded one."""
        for name in ("username", "name", "description", "verified", "avatar_url"):
            if getattr(self, name) is None:
                setattr(self, name, getattr(older, name))
        for key, (value, rounded) in older.counts.items():
            mine = self.counts.get(key)
            if mine is None or (mine[1] is not None and rounded is None):
                self.counts[key] = (value, rounded)


@dataclass
class _Page:
    file: str
    header: _Header
    posts: list[tuple[Post, int]]
    """Posts with the time of their capture (``data-view``'s ``t``; 0 when absent)."""
    chat_id: int | None = None


class WebPreviewParser:
    """Parser for saved t.me web previews (format name ``web-preview``).

    >>> WebPreviewParser().detect(b'<html><meta content="tg://resolve?domain=x">'
    ...                           b'<body class="tgme_webpreview">', "durov.html")
    1.0
    """

    name = "web-preview"

    def detect(self, head: bytes, filename: str | None) -> float:
        if any(marker in head for marker in _DESKTOP_MARKERS):
            return 0.0
        lowered = head[:4096].lower()
        if b"<html" not in lowered and b"<!doctype html" not in lowered and b"<div" not in lowered:
            return 0.0
        if not any(marker in head for marker in _TME_MARKERS):
            return 0.0
        return 1.0 if b"tg://resolve?domain=" in head else 0.9

    # -- pages ------------------------------------------------------------------------------

    def parse(self, source: Source, ctx: ParseContext) -> Iterator[Chat | Post]:
        pages: list[_Page] = []
        for file, data in self._files(source, ctx):
            page = self._read_page(file, data, ctx)
            if page is not None:
                pages.append(page)
        if not pages:
            yield Chat(type="public_channel")
            return
        # One chat per channel, in the order the channels first appear.
        channels: dict[str, list[_Page]] = {}
        for page in pages:
            key = (page.header.username or "").lower()
            channels.setdefault(key, []).append(page)
        for group in channels.values():
            yield from self._channel(group)

    def _files(self, source: Source, ctx: ParseContext) -> Iterator[tuple[str, bytes]]:
        """The pages to read, one at a time, each opened once: the file itself, or every
        saved t.me page beside it when it was picked inside a folder or zip the user passed."""
        container = source.container
        if container is None or not source.picked:
            try:
                with source.open() as fh:
                    data = fh.read()
            except OSError as exc:
                ctx.problem(f"page could not be read ({exc})", SourceLocation(file=source.name))
                return
            yield source.name, data
            return
        for name in container.list():
            if not name.lower().endswith((".html", ".htm")):
                continue
            file = container.display(name)
            try:
                with container.open(name) as fh:
                    data = fh.read()
            except OSError as exc:
                ctx.problem(f"page could not be read ({exc})", SourceLocation(file=file))
                continue
            if self.detect(data[:8192], name) >= 0.5:
                yield file, data
            else:
                ctx.problem("not a saved t.me page: skipped", SourceLocation(file=file))

    def _read_page(self, file: str, data: bytes, ctx: ParseContext) -> _Page | None:
        try:
            root = (
                etree.fromstring(_without_dead_weight(data), HTML_PARSER) if data.strip() else None
            )
        except etree.LxmlError as exc:
            ctx.problem(f"page could not be read ({exc})", SourceLocation(file=file))
            return None
        if root is None:
            ctx.problem("empty page", SourceLocation(file=file))
            return None
        header = _Header()
        head = root.find("head")
        for meta in head.iter("meta") if head is not None else ():
            m = _RESOLVE.search(meta.get("content") or "")
            if m:
                header.username = m.group(1)
                break
        # The header comes first on the page: look in <header> before searching it all.
        top = root.find(".//header")
        info = _select(_X_CHANNEL_INFO, top) if top is not None else []
        info = info or _select(_X_CHANNEL_INFO, root)
        if info:
            self._channel_info(info[0], header, ctx, file)
            header.kind = "s"
        else:
            profile = _select(_X_PROFILE, root)
            if profile:
                self._profile(profile[0], header, ctx, file)
                header.kind = "profile"
        messages = [
            el
            for el in _select(_X_MESSAGES, root)
            if "tgme_widget_message" in (el.get("class") or "").split()
        ]
        if header.kind is None and not messages:
            ctx.problem(
                "no channel header and no posts: not a t.me channel page",
                SourceLocation(file=file),
            )
            return None
        page = _Page(file=file, header=header, posts=[])
        for index, el in enumerate(messages):
            raw = el.get("data-post") or ""
            m = _DATA_POST.match(raw)
            if m is None:
                ctx.problem(
                    f"post without a usable data-post ({raw!r}; expected <channel>/<id>)",
                    SourceLocation(file=file, line=_line(el), message_index=index),
                )
                continue
            username, mid = m.group(1), int(m.group(2))
            if header.username is None:
                header.username = username
            token = _view_token(el.get("data-view"))
            captured = 0
            if token is not None:
                channel = token.get("c")
                if isinstance(channel, int) and page.chat_id is None:
                    page.chat_id = -channel if channel < 0 else channel
                stamp = token.get("t")
                captured = stamp if isinstance(stamp, int) else 0
            try:
                for post in self._post(el, mid, username, page, ctx, file):
                    page.posts.append((post, captured))
            except ParseError:
                raise  # strict mode: the first problem, as reported
            except Exception as exc:  # an unexpected shape: report it where it is, go on
                ctx.problem(
                    f"unreadable post ({type(exc).__name__}: {exc})",
                    SourceLocation(file=file, line=_line(el), message_id=mid),
                )
        del root, messages
        return page

    def _channel(self, pages: list[_Page]) -> Iterator[Chat | Post]:
        """Merge the pages of one channel: newest capture of each post wins, id order."""
        order = sorted(
            range(len(pages)),
            key=lambda i: (max((t for _p, t in pages[i].posts), default=0), i),
            reverse=True,
        )
        header = _Header()
        chat_id = None
        for i in order:  # newest first
            header.merge(pages[i].header)
            chat_id = chat_id if chat_id is not None else pages[i].chat_id
        posts: dict[int, tuple[Post, int, int]] = {}
        for number, page in enumerate(pages):
            for post, captured in page.posts:
                mid = post.id if post.id is not None else -1  # always set by this parser
                seen = posts.get(mid)
                if seen is None or (captured, number) >= (seen[1], seen[2]):
                    posts[mid] = (post, captured, number)
        yield _chat(header, chat_id)
        for mid in sorted(posts):
            post = posts[mid][0]
            if chat_id is not None and post.chat_id is None:  # a post without data-view
                post = post.model_copy(update={"chat_id": chat_id})
            yield post

    # -- header -----------------------------------------------------------------------------

    def _channel_info(self, info: Any, header: _Header, ctx: ParseContext, file: str) -> None:
        for el in info.iter():
            if not isinstance(el.tag, str):
                continue
            tokens = _classes(el)
            if "tgme_channel_info_header_title" in tokens:
                header.name = _title(el)
                if header.verified is None:
                    header.verified = False
            elif "verified-icon" in tokens:
                header.verified = True
            elif "tgme_channel_info_header_username" in tokens:
                name = _text(el).strip().removeprefix("@")
                if name and header.username is None:
                    header.username = name
            elif "tgme_page_photo_image" in tokens:
                img = el if el.tag == "img" else el.find(".//img")
                if img is not None and img.get("src"):
                    header.avatar_url = img.get("src")
            elif "tgme_channel_info_counter" in tokens:
                value = _find(el, "counter_value")
                kind = _find(el, "counter_type")
                if value is None or kind is None:
                    ctx.problem(
                        f"header counter without a value or a type: {_text(el).strip()!r}",
                        SourceLocation(file=file, line=_line(el)),
                    )
                    continue
                self._count(_text(value), _text(kind), header, ctx, file, _line(el))
            elif "tgme_channel_info_description" in tokens:
                header.description = _text(el)

    def _profile(self, page: Any, header: _Header, ctx: ParseContext, file: str) -> None:
        for el in page.iter():
            if not isinstance(el.tag, str):
                continue
            tokens = _classes(el)
            if "tgme_page_title" in tokens:
                header.name = _title(el)
                header.verified = _find(el, "verified-icon") is not None
            elif "tgme_page_photo_image" in tokens and el.get("src"):
                header.avatar_url = el.get("src")
            elif "tgme_page_extra" in tokens:
                for part in _text(el).split(","):
                    m = _COUNTER.match(part.translate(_SPACES))
                    if m is None:
                        ctx.problem(
                            f"unreadable count {part.strip()!r} in the profile header",
                            SourceLocation(file=file, line=_line(el)),
                        )
                        continue
                    self._count(m.group(1), m.group(2), header, ctx, file, _line(el))
            elif "tgme_page_description" in tokens:
                header.description = _text(el)

    @staticmethod
    def _count(
        value: str, kind: str, header: _Header, ctx: ParseContext, file: str, line: int | None
    ) -> None:
        parsed = parse_shown_count(value)
        name = " ".join(kind.split()).lower()
        if parsed is None or not name:
            ctx.problem(
                f"unreadable header count {value.strip()!r} {kind.strip()!r}",
                SourceLocation(file=file, line=line),
            )
            return
        singular = name[:-1] if name.endswith("s") else name
        key = _COUNT_FIELDS.get(singular) or _COUNT_FIELDS.get(name)
        if key is None:  # "1 photo" and "513 photos" are one counter
            key = name if name.endswith("s") else name + "s"
        header.counts[key] = parsed

    # -- posts ------------------------------------------------------------------------------

    def _post(
        self, el: Any, mid: int, username: str, page: _Page, ctx: ParseContext, file: str
    ) -> list[Post]:
        values: dict[str, Any] = {"id": mid}
        extra: dict[str, Any] = {"permalink": f"https://t.me/{username}/{mid}"}
        state = _PostState(values, extra, ctx, file, mid)
        service = "service_message" in _classes(el)
        state.walk(el)
        if "date" not in values:
            ctx.problem(
                "post without a date (no time[datetime] in its footer)",
                SourceLocation(file=file, line=_line(el), message_id=mid),
            )
        if service:
            values["type"] = "service"
            _service(values, extra, page.header.name)
        if page.chat_id is not None:
            values["chat_id"] = page.chat_id
        if state.owner is not None:
            values["author"] = state.owner[0]
            href = (state.owner[1] or "").lower().rstrip("/")
            if page.chat_id is not None and href == f"https://t.me/{username.lower()}":
                values["author_id"] = f"channel{page.chat_id}"  # the channel itself
        if values.get("views") is not None:
            extra["views"] = values["views"]  # Desktop JSON has no views: an extension key
            if values.get("views_rounded"):
                extra["views_rounded"] = values["views_rounded"]
        if values.get("forward") is not None and values["forward"].extra.get("url"):
            extra["forwarded_from_url"] = values["forward"].extra["url"]
        if state.voter_count is not None:
            if state.media is not None and isinstance(state.media[0], Poll):
                poll = state.media[0].model_copy(update={"total_voters": state.voter_count[0]})
                state.media = (poll, state.media[1])
                if state.voter_count[1] is not None:
                    extra["poll_voters_rounded"] = state.voter_count[1]
            else:
                ctx.problem(
                    "a voter count without a poll",
                    SourceLocation(file=file, line=_line(el), message_id=mid),
                )
        values["extra"] = extra
        if not state.album:
            if state.media is not None:
                values["media"] = state.media[0]
                extra.update(state.media[1])
            return [_build_post(values)]
        return self._album(values, state.album, ctx, file, mid)

    @staticmethod
    def _album(
        values: dict[str, Any],
        items: list[tuple[int | None, Media, dict[str, Any]]],
        ctx: ParseContext,
        file: str,
        mid: int,
    ) -> list[Post]:
        """An album is one post on the page and one message per item in Telegram (and in
        exports): each item becomes a post with its own id; the caption, views and reactions
        stay on the post of the album's own id (else the first item)."""
        ids = [item_id for item_id, _m, _e in items]
        main = mid if mid in ids else next((i for i in ids if i is not None), None)
        # Items the page gives no id cannot be posts of their own: the album's post lists them.
        unlinked = [{"kind": m.kind, **e} for i, m, e in items if i is None]
        album_extra: dict[str, Any] = {"album": mid}
        if unlinked:
            album_extra["album_unlinked"] = unlinked
        for n, item_id in enumerate(ids):
            if item_id is None:
                ctx.problem(
                    f"album item {n + 1} has no post id (no t.me/<channel>/<id> link): it is "
                    "listed in extra['album_unlinked'] of the album's post",
                    SourceLocation(file=file, message_id=mid),
                )
        if main is None:
            values["extra"] = {**values["extra"], **album_extra}
            return [_build_post(values)]
        posts = []
        for item_id, media, media_extra in items:
            if item_id is None:
                continue
            if item_id == main:
                item = dict(values)
                item["extra"] = {**values["extra"], **media_extra, **album_extra}
            else:
                item = {
                    k: values[k]
                    for k in ("chat_id", "date", "author", "author_id", "signature", "forward")
                    if k in values
                }
                permalink = values["extra"]["permalink"].rsplit("/", 1)[0] + f"/{item_id}"
                item["extra"] = {"permalink": permalink, **media_extra, "album": mid}
            item["id"] = item_id
            item["media"] = media
            posts.append(_build_post(item))
        return sorted(posts, key=lambda p: p.id or 0)  # every item here has its id


def _service(values: dict[str, Any], extra: dict[str, Any], channel: str | None) -> None:
    text = values.pop("text", "")
    values.pop("entities", None)
    values["author"] = values.get("author") or channel
    data: dict[str, Any] = {}
    for pattern, action in _SERVICE:
        m = pattern.match(text.strip())
        if m is None:
            continue
        values["action"] = action
        groups = m.groupdict()
        if groups.get("title") is not None:
            data["title"] = groups["title"]
        if groups.get("actor"):
            values["author"] = groups["actor"].strip()
        if groups.get("pinned") is not None:
            data["pinned_text"] = groups["pinned"]
        data["service_text"] = text
        break
    else:
        data["information_text"] = text
    if action_photo := extra.pop("service_photo", None):
        data["photo_url"] = action_photo
    values["action_data"] = data


def _chat(header: _Header, chat_id: int | None) -> Chat:
    counts = header.counts
    counters = {k: v for k, (v, _r) in counts.items() if k not in _COUNT_FIELDS.values()}
    rounded = {k: r for k, (_v, r) in counts.items() if r is not None}
    kind = "public_supergroup" if "members" in counts else "public_channel"
    fields: dict[str, Any] = {
        "username": header.username,
        "description": header.description,
        "verified": header.verified,
        "avatar_url": header.avatar_url,
        "subscribers": counts["subscribers"][0] if "subscribers" in counts else None,
        "members": counts["members"][0] if "members" in counts else None,
        "online": counts["online"][0] if "online" in counts else None,
    }
    # Desktop JSON has none of these: the writer keeps them as extension keys of the chat.
    extra = {k: v for k, v in fields.items() if v is not None}
    if counters:
        extra["counters"] = counters
    if rounded:
        extra["counts_rounded"] = rounded
    return Chat(
        id=chat_id,
        name=header.name,
        type=kind,
        counters=counters,
        counts_rounded=rounded,
        extra=extra,
        **fields,
    )


class _PostState:
    """Reads the parts of one post element in one walk over its tree."""

    def __init__(
        self, values: dict[str, Any], extra: dict[str, Any], ctx: ParseContext, file: str, mid: int
    ) -> None:
        self.values = values
        self.extra = extra
        self.ctx = ctx
        self.file = file
        self.mid = mid
        self.owner: tuple[str, str | None] | None = None
        self.media: tuple[Media, dict[str, Any]] | None = None
        self.album: list[tuple[int | None, Media, dict[str, Any]]] = []
        self.text_el: Any = None
        self.voter_count: tuple[int, str | None] | None = None

    def problem(self, reason: str, el: Any) -> None:
        self.ctx.problem(
            reason, SourceLocation(file=self.file, line=_line(el), message_id=self.mid)
        )

    def walk(self, el: Any) -> None:
        actions = _ACTIONS
        for child in el:
            cls = child.get("class")
            if cls is None:
                if child.tag not in _NO_CONTENT and isinstance(child.tag, str):
                    self.walk(child)
                continue
            action = actions.get(cls)
            if action is None:
                action = actions[cls] = _action(cls)
            kind, handler, name = action
            if kind is _HANDLE:
                handler(self, child)
            elif kind is _WALK:
                self.walk(child)
            elif kind is _UNKNOWN:
                self.problem(f"element the parser does not know: {child.tag}.{name}", child)

    def set_media(self, media: Media, extra: dict[str, Any], el: Any) -> None:
        if self.media is not None:
            self.problem(f"a second media element ({media.kind}) in one post", el)
            return
        self.media = (media, extra)

    # Handlers, by class token ----------------------------------------------------------------

    def owner_name(self, el: Any) -> None:
        self.owner = (_text(el).strip() or None, el.get("href"))  # type: ignore[assignment]

    def author(self, el: Any) -> None:
        self.walk(el)  # div.tgme_widget_message_author holds the owner_name link

    def text(self, el: Any) -> None:
        if "js-message_reply_text" in _classes(el):
            return  # the quoted start of the replied post, not this post's text
        if self.text_el is not None:
            if _text(el) != _text(self.text_el):
                self.problem("a second, different text block: only the first is kept", el)
            return
        self.text_el = el
        # A text div nested in a duplicate of itself (seen in re-saved pages): read the inner.
        while (
            len(el) == 1
            and not (el.text or "").strip()
            and not (el[0].tail or "").strip()
            and "tgme_widget_message_text" in _classes(el[0])
        ):
            el = el[0]
        self.values["text"], self.values["entities"] = _rich_text(el)

    def forwarded(self, el: Any) -> None:
        link = _find(el, "tgme_widget_message_forwarded_from_name")
        name_el = link if link is not None else el
        name = _text(name_el).strip()
        if link is None:
            name = name.removeprefix("Forwarded from").strip()
        href = link.get("href") if link is not None else None
        self.values["forward"] = _build_forward(
            {"from_name": name or None, "extra": {"url": href} if href else {}}
        )

    def reply(self, el: Any) -> None:
        href = el.get("href")
        if href is None:  # a malformed tag: look for the link in any attribute
            href = next((v for v in el.attrib.values() if "t.me/" in v), None)
        target = _post_id(href)
        if target is None:
            self.problem(f"reply without a readable target post (href={href!r})", el)
            return
        self.values["reply_to_id"] = target
        quoted = _find(el, "js-message_reply_text")
        name = _find(el, "tgme_widget_message_author_name")
        reply: dict[str, Any] = {}
        if name is not None:
            reply["author"] = _text(name).strip()
        if quoted is not None:
            reply["text"] = _text(quoted)
        if reply:
            self.extra["reply_preview"] = reply

    def photo(self, el: Any) -> None:
        media, extra = self._photo(el)
        self.set_media(media, extra, el)

    def _photo(self, el: Any) -> tuple[Media, dict[str, Any]]:
        media = _build_file({"kind": "photo", "missing": NOT_SAVED})
        extra: dict[str, Any] = {}
        url = _style_url(el)
        if url:
            extra["media_url"] = url
        return media, extra

    def video(self, el: Any) -> None:
        media, extra = self._video(el, "video")
        self.set_media(media, extra, el)

    def round_video(self, el: Any) -> None:
        media, extra = self._video(el, "video_message")
        self.set_media(media, extra, el)

    def _video(self, el: Any, kind: str) -> tuple[Media, dict[str, Any]]:
        values: dict[str, Any] = {"kind": kind, "missing": NOT_SAVED}
        extra: dict[str, Any] = {}
        video = el.find(".//video")
        for node in el.iter():
            if not isinstance(node.tag, str):
                continue
            tokens = _classes(node)
            if node.tag == "time" or "message_video_duration" in tokens:
                duration = _duration(_text(node))
                if duration is not None:
                    values["duration"] = duration
            elif "tgme_widget_message_video_thumb" in tokens or (
                "tgme_widget_message_roundvideo_thumb" in tokens
            ):
                url = _style_url(node)
                if url:
                    extra["thumbnail_url"] = url
        if video is not None and video.get("src"):
            extra["media_url"] = video.get("src")
        else:
            label = _find(el, "message_media_not_supported_label")
            shown = " ".join(_text(label).split()) if label is not None else None
            # The page's own sentence, in parentheses like Telegram Desktop's placeholders.
            values["missing"] = f"({shown or 'Media is not available on the page'})"
        return _build_file(values), extra

    def grouped(self, el: Any) -> None:
        for node in el.iter():
            if not isinstance(node.tag, str):
                continue
            tokens = _classes(node)
            if "tgme_widget_message_grouped_media_wrap" not in tokens and not (
                node.tag == "a"
                and (
                    "tgme_widget_message_photo_wrap" in tokens
                    or "tgme_widget_message_video_player" in tokens
                )
            ):
                continue
            if (
                "grouped_media_wrap" in tokens
                and node.getparent() is not None
                and any(
                    "tgme_widget_message_grouped_media_wrap" in _classes(a)
                    for a in node.iterancestors()
                )
            ):
                continue
            is_video = "tgme_widget_message_video_player" in tokens or (
                _find(node, "tgme_widget_message_video_player") is not None
                or node.find(".//video") is not None
            )
            media, extra = self._video(node, "video") if is_video else self._photo(node)
            self.album.append((_post_id(node.get("href")), media, extra))

    def document(self, el: Any) -> None:
        title = _find(el, "tgme_widget_message_document_title")
        size = _find(el, "tgme_widget_message_document_extra")
        values: dict[str, Any] = {"kind": "document", "missing": NOT_SAVED}
        extra: dict[str, Any] = {}
        if title is not None:
            values["file_name"] = _text(title).strip() or None
        if size is not None:
            extra["file_size_shown"] = _text(size).strip()
        self.set_media(_build_file(values), extra, el)

    def voice(self, el: Any) -> None:
        values: dict[str, Any] = {"kind": "voice", "missing": NOT_SAVED}
        extra: dict[str, Any] = {}
        audio = el.find(".//audio")
        if audio is not None and audio.get("src"):
            extra["media_url"] = audio.get("src")
        duration = _find(el, "tgme_widget_message_voice_duration")
        if duration is not None:
            values["duration"] = _duration(_text(duration))
        self.set_media(_build_file(values), extra, el)

    def sticker(self, el: Any) -> None:
        extra: dict[str, Any] = {}
        for node in el.iter():
            url = node.get("data-webp") or node.get("src") or _style_url(node)
            if url and isinstance(node.tag, str):
                extra["media_url"] = url
                break
        self.set_media(_build_file({"kind": "sticker", "missing": NOT_SAVED}), extra, el)

    def location(self, el: Any) -> None:
        where = _COORDS.search(el.get("href") or "") or _COORDS.search(
            " ".join(_style_url(n) or "" for n in el.iter() if isinstance(n.tag, str))
        )
        lat, lon = (float(where.group(1)), float(where.group(2))) if where else (None, None)
        title = _find(el, "tgme_widget_message_venue_title")
        media: Media
        if title is not None:
            address = _find(el, "tgme_widget_message_venue_address")
            media = Venue(
                title=_text(title).strip(),
                address=_text(address).strip() if address is not None else None,
                latitude=lat,
                longitude=lon,
            )
        else:
            media = Location(latitude=lat, longitude=lon)
        if where is None:
            self.problem("location without coordinates", el)
        self.set_media(media, {}, el)

    def contact(self, el: Any) -> None:
        name = _find(el, "tgme_widget_message_contact_name")
        phone = _find(el, "tgme_widget_message_contact_phone")
        first, _, last = (_text(name).strip() if name is not None else "").partition(" ")
        media = Contact(
            first_name=first or None,
            last_name=last or None,
            phone_number=_text(phone).strip() if phone is not None else None,
        )
        self.set_media(media, {}, el)

    def poll(self, el: Any) -> None:
        question = ""
        kind = None
        answers = []
        for node in el.iter():
            if not isinstance(node.tag, str):
                continue
            tokens = _classes(node)
            if "tgme_widget_message_poll_question" in tokens:
                question = _text(node).strip()
            elif "tgme_widget_message_poll_type" in tokens:
                kind = _text(node).strip()
            elif "tgme_widget_message_poll_option" in tokens:
                text_el = _find(node, "tgme_widget_message_poll_option_text")
                percent = _find(node, "tgme_widget_message_poll_option_percent")
                answer = PollAnswer(text=_text(text_el).strip() if text_el is not None else "")
                answers.append((answer, _text(percent).strip() if percent is not None else None))
        extra: dict[str, Any] = {}
        if kind:
            extra["poll_type"] = kind
        if any(p for _a, p in answers):
            extra["poll_percents"] = [p for _a, p in answers]
        poll = Poll(question=question, answers=tuple(a for a, _p in answers))
        self.set_media(poll, extra, el)

    def voters(self, el: Any) -> None:
        parsed = parse_shown_count(_text(el).replace("votes", "").replace("vote", ""))
        if parsed is None:
            self.problem(f"unreadable poll voters {_text(el).strip()!r}", el)
            return
        self.voter_count = parsed

    def link_preview(self, el: Any) -> None:
        preview: dict[str, Any] = {"url": el.get("href")}
        for node in el.iter():
            if not isinstance(node.tag, str):
                continue
            tokens = _classes(node)
            for token, key in (
                ("link_preview_site_name", "site_name"),
                ("link_preview_title", "title"),
                ("link_preview_description", "description"),
            ):
                if token in tokens:
                    preview[key] = _text(node).strip()
            if "link_preview_image" in tokens or "link_preview_right_image" in tokens:
                url = _style_url(node)
                if url:
                    preview["image"] = url
        self.extra["link_preview"] = preview

    def reactions(self, el: Any) -> None:
        found = []
        for span in el:
            cls = span.get("class")
            if not cls or "tgme_reaction" not in cls.split():
                continue
            shown = (span.text or "") + "".join(c.tail or "" for c in span)
            emoji = custom = None
            for node in span:
                if node.tag == "tg-emoji":
                    custom = node.get("emoji-id")
                elif node.tag == "i" and "emoji" in _classes(node):
                    emoji = "".join(node.itertext()).strip() or None
            text = shown.strip()
            m = _TRAILING_COUNT.search(text)
            if m is None:
                self.problem(f"reaction without a readable count: {text!r}", span)
                continue
            if emoji is None and custom is None and text[: m.start()].strip():
                emoji = text[: m.start()].strip()  # the emoji written as plain text
            parsed = parse_shown_count(m.group(0))
            if parsed is None:
                self.problem(f"reaction without a readable count: {text!r}", span)
                continue
            count, rounded = parsed
            if "tgme_reaction_paid" in cls:
                data: dict[str, Any] = {"kind": "paid"}
            elif custom is not None:
                data = {"kind": "custom_emoji", "document_id": custom}
            elif emoji is not None:
                data = {"kind": "emoji", "emoji": emoji}
            else:
                self.problem(f"reaction without an emoji: {text!r}", span)
                data = {"kind": "unknown", "extra": {"type": "unknown"}}
            if rounded is not None:
                data["count_rounded"] = rounded
                data["extra"] = {**data.get("extra", {}), "count_rounded": rounded}
            data["count"] = count
            found.append(_build_reaction(data))
        self.values["reactions"] = tuple(found)

    def views(self, el: Any) -> None:
        parsed = parse_shown_count(_text(el))
        if parsed is None:
            self.problem(f"unreadable view count {_text(el).strip()!r}", el)
            return
        self.values["views"], rounded = parsed
        if rounded is not None:
            self.values["views_rounded"] = rounded

    def meta(self, el: Any) -> None:
        texts = [el.text or ""] + [c.tail or "" for c in el]
        if any("edited" in t for t in texts):
            self.extra["edited_mark"] = True  # the page says "edited" but not when
        self.walk(el)

    def signature(self, el: Any) -> None:
        self.values["signature"] = _text(el).strip() or None

    def date(self, el: Any) -> None:
        time = el if el.tag == "time" else next(el.iter("time"), None)
        stamp = time.get("datetime") if time is not None else None
        if not stamp:
            self.problem("post date link without time[datetime]", el)
            return
        try:
            date = datetime.fromisoformat(stamp.strip().replace("Z", "+00:00"))
        except ValueError:
            self.problem(f"unreadable post date {stamp!r}", el)
            return
        if date.tzinfo is None:
            self.problem(f"post date without a time zone {stamp!r}", el)
            return
        self.values["date"] = date

    def service_photo(self, el: Any) -> None:
        img = el.find(".//img")
        if img is not None and img.get("src"):
            self.extra["service_photo"] = img.get("src")

    def ignore(self, el: Any) -> None:
        return


_NO_CONTENT = frozenset({"svg", "script", "style"})
_HANDLERS: dict[str, Callable[[_PostState, Any], None]] = {
    "tgme_widget_message_owner_name": _PostState.owner_name,
    "tgme_widget_message_author": _PostState.author,
    "tgme_widget_message_text": _PostState.text,
    "tgme_widget_message_forwarded_from": _PostState.forwarded,
    "tgme_widget_message_reply": _PostState.reply,
    "tgme_widget_message_photo_wrap": _PostState.photo,
    "tgme_widget_message_video_player": _PostState.video,
    "tgme_widget_message_roundvideo_player": _PostState.round_video,
    "tgme_widget_message_grouped_wrap": _PostState.grouped,
    "tgme_widget_message_document_wrap": _PostState.document,
    "tgme_widget_message_voice_player": _PostState.voice,
    "tgme_widget_message_sticker_wrap": _PostState.sticker,
    "tgme_widget_message_location_wrap": _PostState.location,
    "tgme_widget_message_contact_wrap": _PostState.contact,
    "tgme_widget_message_poll": _PostState.poll,
    "tgme_widget_message_voters": _PostState.voters,
    "tgme_widget_message_link_preview": _PostState.link_preview,
    "tgme_widget_message_reactions": _PostState.reactions,
    "tgme_widget_message_views": _PostState.views,
    "tgme_widget_message_meta": _PostState.meta,
    "tgme_widget_message_from_author": _PostState.signature,
    "tgme_widget_message_date": _PostState.date,
    "tgme_widget_message_service_photo": _PostState.service_photo,
    "copyonly": _PostState.ignore,
    "message_video_play": _PostState.ignore,
    "tgme_widget_message_service_date": _PostState.ignore,
}


_HANDLE, _WALK, _SKIP, _UNKNOWN = "handle", "walk", "skip", "unknown"
_Action = tuple[str, Callable[[_PostState, Any], None], str]
_ACTIONS: dict[str, _Action] = {}
"""What to do with an element, by its whole class attribute (t.me repeats the same few dozen
class strings on every post, so each is decided once): call a handler, walk into it, skip it,
or report the ``tgme_widget_message_*`` class the parser does not know."""


def _action(cls: str) -> _Action:
    tokens = cls.split()
    for token in tokens:
        handler = _HANDLERS.get(token)
        if handler is not None:
            return _HANDLE, handler, token
    if len(_ACTIONS) > 4096:  # class strings made up per post: do not grow without bound
        _ACTIONS.clear()
    if any(t in _SKIPPED for t in tokens):
        return _SKIP, _PostState.ignore, ""
    if any(t in _WRAPPERS for t in tokens):
        return _WALK, _PostState.ignore, ""
    unknown = next((t for t in tokens if t.startswith("tgme_widget_message_")), None)
    if unknown is not None:
        return _UNKNOWN, _PostState.ignore, unknown
    return _WALK, _PostState.ignore, ""
