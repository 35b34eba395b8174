"""The typed model: one shape for every export format.

An :class:`Archive` holds :class:`Chat` objects, each holding :class:`Post` objects in export
order (service messages included). Models are pydantic v2 models; posts and everything inside
them are frozen (use ``post.model_copy(update=...)`` to derive a changed post).

Nothing is lost: every source field the model does not understand is kept verbatim in the
``extra`` mapping of the object it belongs to, and ``source_keys`` records the order (and
presence) of the keys of a Desktop JSON object, so that :func:`tgarchive.dumps` writes back
exactly what was read.

Example::

    >>> import tgarchive
    >>> archive = tgarchive.load(tgarchive.sample_path())
    >>> post = archive.chats[0].posts[2]
    >>> post.author, [link.domain for link in post.links]
    ('Continuous Learning_Startup & Investment', ['arxiv.org'])
"""

from __future__ import annotations

import itertools
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ._build import EMPTY, ParsedModel, empty
from .errors import ParseIssue

if TYPE_CHECKING:
    import pandas
    import polars

    from .text import LangGuess

__all__ = [
    "Archive",
    "ArchivePosts",
    "Button",
    "Chat",
    "Contact",
    "Entity",
    "EntityKind",
    "Forward",
    "Game",
    "Invoice",
    "Link",
    "Location",
    "Media",
    "MediaFile",
    "OtherMedia",
    "Poll",
    "PollAnswer",
    "Post",
    "PostType",
    "Reaction",
    "RecentReaction",
    "Venue",
]

#: Entity kinds Telegram exports write. Kinds not listed here are kept as they are.
EntityKind = Literal[
    "mention",
    "mention_name",
    "hashtag",
    "cashtag",
    "bot_command",
    "link",
    "email",
    "phone",
    "bank_card",
    "text_link",
    "bold",
    "italic",
    "underline",
    "strikethrough",
    "code",
    "pre",
    "blockquote",
    "spoiler",
    "custom_emoji",
    "unknown",
]
EntityKind.__doc__ = """The entity kinds Telegram exports write (``Entity.kind``, for annotations:
``def f(kind: EntityKind) -> ...``). A kind not listed is kept as the string the export wrote."""

PostType = Literal["message", "service", "unsupported"]
PostType.__doc__ = """The message types Telegram exports write (``Post.type``); a type not listed
is kept as the string the export wrote."""

#: Placeholder sentences Telegram Desktop writes instead of a file path, by reason.
MISSING_FILE_REASONS: dict[str, Literal["not_included", "too_large", "unavailable"]] = {
    "(File not included. Change data exporting settings to download.)": "not_included",
    "(File exceeds maximum size. Change data exporting settings to download.)": "too_large",
    "(File unavailable, please try again later)": "unavailable",
    "(Photo not included. Change data exporting settings to download.)": "not_included",
    "(Photo exceeds maximum size. Change data exporting settings to download.)": "too_large",
    "(Photo unavailable, please try again later)": "unavailable",
}


_PLAIN = frozenset({str, int, float, bool, type(None), datetime})


def _hashable(value: Any) -> Any:
    """A hashable stand-in for a field value, equal values giving equal stand-ins."""
    if type(value) in _PLAIN:
        return value
    if isinstance(value, dict):
        return frozenset((k, _hashable(v)) for k, v in value.items())
    if isinstance(value, list | tuple):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, set | frozenset):
        return frozenset(_hashable(v) for v in value)
    try:
        hash(value)
    except TypeError:
        return type(value).__name__  # unequal values may share it: equality decides
    return value


class _Raw:
    """A repr fragment shown as is (``date=2023-07-14T00:35:08+00:00``)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _short(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, with ``…`` where it was cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


class TgModel(ParsedModel):
    """Base of all tgarchive models: frozen, strict about its own fields.

    Frozen models hash (consistently with ``==``), and their empty mappings are the shared
    read-only ``{}`` whichever way they were made.
    """

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        use_attribute_docstrings=True,
        ser_json_inf_nan="constants",
    )

    @field_validator("extra", "action_data", "data", mode="after", check_fields=False)
    @classmethod
    def _share_empty_mapping(cls, value: Any) -> Any:
        return EMPTY if type(value) is dict and not value else value

    def __hash__(self) -> int:
        cls = type(self)
        names = _FIELD_NAMES.get(cls)
        if names is None:
            names = _FIELD_NAMES[cls] = tuple(cls.model_fields)
        values = self.__dict__
        return hash((cls, *[_hashable(values[name]) for name in names]))


_FIELD_NAMES: dict[type[TgModel], tuple[str, ...]] = {}


class Entity(TgModel):
    """A formatted or linked span of a post's text.

    Offsets count Unicode code points of :attr:`Post.text` (Python string indices), so
    ``post.text[e.offset:e.offset + e.length] == e.text``. Telegram's own APIs count UTF-16
    code units: use :meth:`utf16_span`.

    >>> from tgarchive import Entity
    >>> e = Entity(kind="bold", offset=2, length=2, text="🚀x")
    >>> e.utf16_span("a 🚀x")
    (2, 3)
    """

    kind: EntityKind | str
    """One of :data:`EntityKind` (``bold``, ``text_link``, ``hashtag``...). A kind Telegram adds
    later is kept as the string the export wrote."""
    offset: int
    """Start, in code points, in the post's text."""
    length: int
    """Length in code points."""
    text: str
    """The text the entity covers."""
    href: str | None = None
    """The target URL of a ``text_link``."""
    user_id: int | None = None
    """The user a ``mention_name`` points to."""
    language: str | None = None
    """The language of a ``pre`` block (may be ``""``)."""
    document_id: str | None = None
    """A ``custom_emoji``'s document id (a number as a string, or a file path in newer exports)."""
    collapsed: bool | None = None
    """Whether a ``blockquote`` is collapsed (newer exports only)."""
    extra: dict[str, Any] = Field(default_factory=empty)
    """Source fields of this entity that the model does not know, verbatim."""

    def __hash__(self) -> int:
        # Equal entities agree on these; == tells apart the rare ones that differ elsewhere.
        return hash((Entity, self.kind, self.offset, self.length, self.text))

    @property
    def end(self) -> int:
        """The code-point offset just past the entity."""
        return self.offset + self.length

    def utf16_span(self, text: str) -> tuple[int, int]:
        """``(offset, length)`` in UTF-16 code units, as Telegram's APIs count them."""
        from .text import utf16_len

        start = utf16_len(text[: self.offset])
        return start, utf16_len(self.text)


class Link(TgModel):
    """A URL found in a post: a bare ``link`` entity or a ``text_link``'s target."""

    url: str
    """The URL as written (a bare link may have no scheme, e.g. ``example.com/x``)."""
    text: str
    """The visible text (equal to ``url`` for bare links)."""
    kind: Literal["link", "text_link"]
    """Which entity the link came from."""

    @property
    def domain(self) -> str | None:
        """Lower-case host name without a leading ``www.``, or ``None`` if there is none.

        >>> from tgarchive import Link
        >>> Link(url="https://WWW.Arxiv.org/abs/2307.06865", text="x", kind="text_link").domain
        'arxiv.org'
        """
        url = self.url.strip()
        if "://" not in url and not url.startswith("//"):
            url = "//" + url
        try:
            host = urlsplit(url).hostname
        except ValueError:
            return None
        if not host:
            return None
        return host[4:] if host.startswith("www.") else host


class RecentReaction(TgModel):
    """One recent reactor listed under a reaction (group chats only)."""

    from_name: str | None = None
    """The reactor's name (``None`` for a deleted account)."""
    from_id: str | None = None
    """The reactor's prefixed id (``user123``)."""
    date_local: str | None = None
    """When, in the exporting computer's local time (no zone is written)."""
    extra: dict[str, Any] = Field(default_factory=empty)


class Reaction(TgModel):
    """A reaction under a post and how many people chose it.

    >>> from tgarchive import Reaction
    >>> Reaction(kind="emoji", emoji="👍", count=34).label
    '👍'
    """

    kind: Literal["emoji", "custom_emoji", "paid", "unknown"]
    """``emoji``, ``custom_emoji``, ``paid`` (Telegram Stars) or ``unknown`` (type kept in extra)."""
    count: int
    """How many reacted this way."""
    emoji: str | None = None
    """The emoji, compared by exact string (variation selectors and ZWJ included)."""
    document_id: str | None = None
    """The custom emoji's document id (or its file path in newer exports)."""
    recent: tuple[RecentReaction, ...] | None = None
    """Recent reactors, when the export lists them."""
    extra: dict[str, Any] = Field(default_factory=empty)
    count_rounded: str | None = None
    """The count exactly as the page showed it when it was rounded (``"2.49K"``, with
    :attr:`count` 2490); ``None`` when :attr:`count` is exact (every export's counts are).

    >>> from tgarchive import Reaction
    >>> Reaction(kind="paid", count=2490, count_rounded="2.49K").count_rounded is not None
    True
    """

    @property
    def label(self) -> str:
        """A printable name: the emoji, ``custom:<id>``, ``paid`` or the unknown type."""
        if self.kind == "emoji" and self.emoji is not None:
            return self.emoji
        if self.kind == "custom_emoji":
            return f"custom:{self.document_id}"
        if self.kind == "unknown":
            return str(self.extra.get("type", "unknown"))
        return self.kind


class Forward(TgModel):
    """Where a forwarded (or saved) post came from."""

    from_name: str | None = None
    """The original sender's name (``None`` when nameless or not forwarded)."""
    from_id: str | None = None
    """The original sender's prefixed id (``channel123``) when the export gives it."""
    date: datetime | None = None
    """When the original was posted, where the format shows it (HTML exports)."""
    saved_from: str | None = None
    """For posts in Saved Messages: the name of the chat it was saved from."""
    extra: dict[str, Any] = Field(default_factory=empty)


class Button(TgModel):
    """An inline keyboard button under a bot's message."""

    kind: str
    """The button type (``url``, ``callback``, ``web_view``...)."""
    text: str | None = None
    data: str | None = None
    """URL for url buttons, ``""`` for callbacks (payload in ``extra['dataBase64']``)."""
    extra: dict[str, Any] = Field(default_factory=empty)


class _MediaBase(TgModel):
    def model_post_init(self, context: Any, /) -> None:
        # ``kind`` names the class in the Media union: it always counts as set, as it does for
        # parsed media, so that dumps leaving out unset fields can be validated back.
        self.__pydantic_fields_set__.add("kind")

    def files(self) -> tuple[str, ...]:
        """Relative paths of the files this media refers to inside the export."""
        return ()


class MediaFile(_MediaBase):
    """A photo, video, voice message, sticker or any other file attached to a post."""

    kind: Literal[
        "photo", "video", "video_message", "animation", "voice", "audio", "sticker", "document"
    ]
    """What the file is. ``document`` is any other file."""
    path: str | None = None
    """Path relative to the export folder; ``None`` when the file was not exported."""
    missing: str | None = None
    """Telegram's placeholder sentence when the file was not exported, verbatim."""
    file_name: str | None = None
    file_size: int | None = None
    mime_type: str | None = None
    width: int | None = None
    height: int | None = None
    duration: int | None = None
    """Seconds."""
    thumbnail: str | None = None
    """Path of the thumbnail (or its placeholder)."""
    thumbnail_file_size: int | None = None
    performer: str | None = None
    title: str | None = None
    sticker_emoji: str | None = None
    spoiler: bool | None = None
    """``True`` when the media is hidden behind a spoiler."""
    self_destruct_seconds: int | None = None

    @property
    def missing_reason(
        self,
    ) -> Literal["not_included", "too_large", "unavailable", "unknown"] | None:
        """Why the file is absent, or ``None`` when it is there."""
        if self.missing is None:
            return None
        return MISSING_FILE_REASONS.get(self.missing, "unknown")

    def files(self) -> tuple[str, ...]:
        found = [p for p in (self.path, self.thumbnail) if p and p not in MISSING_FILE_REASONS]
        return tuple(found)


class PollAnswer(TgModel):
    """One option of a poll and its votes."""

    text: str
    voters: int | None = None
    chosen: bool | None = None


class Poll(_MediaBase):
    """A poll (or quiz) and its results as exported."""

    kind: Literal["poll"] = "poll"
    question: str
    closed: bool | None = None
    total_voters: int | None = None
    answers: tuple[PollAnswer, ...] = ()


class Location(_MediaBase):
    """A point on the map; ``live_period`` is set for live locations."""

    kind: Literal["location"] = "location"
    latitude: float | None = None
    longitude: float | None = None
    live_period: int | None = None


class Venue(_MediaBase):
    """A named place."""

    kind: Literal["venue"] = "venue"
    title: str | None = None
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None


class Contact(_MediaBase):
    """A shared contact card."""

    kind: Literal["contact"] = "contact"
    first_name: str | None = None
    last_name: str | None = None
    phone_number: str | None = None
    vcard: str | None = None
    """Path of the exported vCard file."""
    vcard_file_size: int | None = None

    def files(self) -> tuple[str, ...]:
        return (self.vcard,) if self.vcard and self.vcard not in MISSING_FILE_REASONS else ()


class Game(_MediaBase):
    """A game shared by a bot."""

    kind: Literal["game"] = "game"
    title: str | None = None
    description: str | None = None
    link: str | None = None


class Invoice(_MediaBase):
    """A payment invoice."""

    kind: Literal["invoice"] = "invoice"
    title: str | None = None
    description: str | None = None
    amount: int | None = None
    """In the currency's minor units."""
    currency: str | None = None
    receipt_message_id: int | None = None


class OtherMedia(_MediaBase):
    """Media the model has no class for (giveaways, paid media...), its fields verbatim."""

    kind: Literal["giveaway", "giveaway_results", "paid", "other"]
    data: dict[str, Any] = Field(default_factory=empty)


Media = MediaFile | Poll | Location | Venue | Contact | Game | Invoice | OtherMedia
"""Any kind of media; dispatch on ``media.kind``."""


class Post(TgModel):
    """A message of a chat or a channel post, including service messages.

    >>> import tgarchive
    >>> post = next(p for p in tgarchive.iter_posts(tgarchive.sample_path()) if p.reactions)
    >>> post.id, post.date.isoformat(), [(r.label, r.count) for r in post.reactions]
    (3, '2023-07-14T00:35:08+00:00', [('👍', 34), ('🔥', 12)])
    """

    id: int | None
    """The message id, unique within its chat (negative for migrated basic-group messages).
    ``None`` only for a source message without a usable id (reported as an issue; the source
    value is kept in ``extra`` and written back)."""
    chat_id: int | None = None
    """The :attr:`Chat.id` of the chat the post belongs to (``None`` when the export gives the
    chat no id). Post ids are unique only within a chat: ``(chat_id, id)`` names a post."""
    type: PostType | str = "message"
    """``message``, ``service`` or ``unsupported`` (:data:`PostType`); a type Telegram adds
    later is kept as the string the export wrote."""
    date: datetime | None = None
    """When it was sent. Timezone-aware UTC when the export gives an exact instant
    (``date_unixtime``, HTML ``UTC+hh:mm`` titles); naive local time of the exporting computer
    otherwise. ``None`` when the source shows no date: ``unsupported`` messages, and formats
    without dates (a plugin's copied page text, say)."""
    date_local: str | None = None
    """The export's own local-time ``date`` string, verbatim."""
    edited: datetime | None = None
    """When it was last edited (same rules as ``date``)."""
    edited_local: str | None = None
    author: str | None = None
    """The sender (``from``) or, for service messages, the actor, as the export shows it.
    ``None`` for a deleted account or when the export names nobody."""
    author_id: str | None = None
    """The sender's prefixed id (``user123``, ``channel123``, ``chat123``)."""
    signature: str | None = None
    """The author signature of a signed channel post."""
    text: str = ""
    """Plain text: exactly the concatenation of the text parts."""
    entities: tuple[Entity, ...] = ()
    """Formatting and links, ordered by offset, never overlapping (Telegram flattens them)."""
    forward: Forward | None = None
    """Set when the post is a forward (or was saved from another chat)."""
    reply_to_id: int | None = None
    """The id of the message this one replies to."""
    reply_to_peer_id: str | None = None
    """The chat of the replied-to message, when the export names one."""
    via_bot: str | None = None
    """``@botname`` for messages sent through an inline bot."""
    media: Media | None = Field(default=None, discriminator="kind")
    """The attached media, if any."""
    action: str | None = None
    """The service action (``pin_message``, ``create_channel``...); ``None`` for ordinary posts."""
    action_data: dict[str, Any] = Field(default_factory=empty)
    """The service action's own fields (``title``, ``members``, ``message_id``...), verbatim."""
    views: int | None = None
    """View count, where the format has one (web previews)."""
    reactions: tuple[Reaction, ...] = ()
    """Reactions in the order Telegram lists them."""
    inline_bot_buttons: tuple[tuple[Button, ...], ...] | None = None
    """Rows of inline keyboard buttons."""
    text_empty_parts: tuple[int, ...] = ()
    """Positions of empty text parts in the source (Telegram writes them after non-ASCII
    text); kept only so that the Desktop JSON writer can put them back."""
    extra: dict[str, Any] = Field(default_factory=empty)
    """Source fields the model does not know, and source values the typed fields cannot
    reproduce exactly, verbatim. The writer prefers these."""
    source_keys: tuple[str, ...] | None = Field(default=None, repr=False)
    """Keys of the source Desktop JSON object, in order (``None`` for other sources)."""
    views_rounded: str | None = None
    """The view count exactly as the page showed it when it was rounded (``"3.12K"``, with
    :attr:`views` 3120); ``None`` when :attr:`views` is exact or absent. Web previews round
    every count of 10,000 and more, and many of 1,000 and more."""

    @model_validator(mode="after")
    def _entities_cover_their_text(self) -> Post:
        # Parsers build posts without this check (they guarantee it); hand-made posts get it.
        for e in self.entities:
            if self.text[e.offset : e.offset + e.length] != e.text or e.length != len(e.text):
                raise ValueError(
                    f"entity {e.kind!r} at {e.offset}+{e.length} does not match the text "
                    f"({self.text[e.offset : e.offset + e.length]!r} != {e.text!r})"
                )
        return self

    @property
    def is_service(self) -> bool:
        """``True`` for service messages (pins, joins, title changes...)."""
        return self.type == "service"

    @property
    def links(self) -> list[Link]:
        """Every URL of the post: ``link`` entities and ``text_link`` targets, in text order."""
        found: list[Link] = []
        for e in self.entities:
            if e.kind == "link":
                found.append(Link(url=e.text, text=e.text, kind="link"))
            elif e.kind == "text_link" and e.href is not None:
                found.append(Link(url=e.href, text=e.text, kind="text_link"))
        return found

    @property
    def hashtags(self) -> list[str]:
        """The post's hashtags as written (``#AI``)."""
        return [e.text for e in self.entities if e.kind == "hashtag"]

    @property
    def lang(self) -> LangGuess:
        """The language of the text (``post.lang.lang``: ko, en, mixed, und, other), computed
        once per text. The post's own links, mentions, hashtags and code are dropped first. A
        copy with another text (``model_copy(update={"text": ...})``) gets its own answer.

        >>> import tgarchive
        >>> posts = tgarchive.load(tgarchive.sample_path()).posts
        >>> [p.id for p in posts if p.lang.lang == "en"]
        [3, 9, 11]
        >>> posts[2].model_copy(update={"text": "오늘 발표 자료입니다", "entities": ()}).lang.lang
        'ko'
        """
        # Cached with the very objects it was computed from: any copy that changes the text
        # or the entities, by whatever path, misses the cache instead of inheriting it.
        values = self.__dict__
        text, entities = values["text"], values["entities"]
        cached = values.get("_lang")
        if cached is not None and cached[0] is text and cached[1] is entities:
            guess: LangGuess = cached[2]
            return guess
        from .text import detect_lang

        guess = detect_lang(text, entities=entities)
        values["_lang"] = (text, entities, guess)
        return guess

    def __hash__(self) -> int:
        # What names a post, and its text: equal posts agree on all of it, and posts that
        # agree on all of it but differ elsewhere (rare) are told apart by ==.
        return hash((Post, self.chat_id, self.id, self.type, self.date, self.text))

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        yield "id", self.id
        if self.chat_id is not None:
            yield "chat_id", self.chat_id
        if self.type != "message":
            yield "type", self.type
        if self.action is not None:
            yield "action", self.action
        if self.date is not None:
            yield "date", _Raw(self.date.isoformat())
        if self.author is not None:
            yield "author", _short(self.author, 60)
        if self.text:
            yield "text", _short(self.text, 80)
            if len(self.text) > 80:
                yield "text_len", len(self.text)
        if self.entities:
            yield "entities", len(self.entities)
        if self.media is not None:
            yield "media", self.media.kind
        if self.forward is not None:
            yield "forward", _short(self.forward.from_name or self.forward.from_id or "?", 40)
        if self.reply_to_id is not None:
            yield "reply_to_id", self.reply_to_id
        if self.reactions:
            yield "reactions", sum(r.count for r in self.reactions)
        if self.views is not None:
            yield "views", self.views
        if self.edited is not None:
            yield "edited", True
        if self.extra:
            yield "extra", _Raw("{" + ", ".join(_short(k, 30) for k in list(self.extra)[:5])
                                + (", …}" if len(self.extra) > 5 else "}"))  # fmt: skip


class Chat(BaseModel):
    """One chat (channel, group, private chat) and its posts in export order."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    id: int | None = None
    """The bare peer id (no ``-100`` or ``channel`` prefix)."""
    name: str | None = None
    """The chat's title or the peer's name; ``None`` when nameless (or not written)."""
    type: str | None = None
    """``public_channel``, ``private_supergroup``, ``personal_chat``, ``saved_messages``..."""
    posts: list[Post] = Field(default_factory=list)
    """Messages, oldest first, service messages included."""
    left: bool = False
    """``True`` for chats from an account export's ``left_chats`` section."""
    extra: dict[str, Any] = Field(default_factory=dict)
    """Chat fields the model does not know, verbatim."""
    source_keys: tuple[str, ...] | None = Field(default=None, repr=False)
    """Keys of the source chat object, in order."""
    username: str | None = None
    """The public username without ``@`` (``durov``), as the page writes it; web previews
    only (exports do not carry it)."""
    description: str | None = None
    """The channel's description (its "about" text), newlines kept; web previews only."""
    verified: bool | None = None
    """``True`` when the page shows the verified badge, ``False`` when it shows none;
    ``None`` when the source cannot tell (exports)."""
    avatar_url: str | None = None
    """The URL (or ``data:`` URI) of the channel photo the page shows."""
    subscribers: int | None = None
    """Subscribers of a channel, as the page shows them (``"2.4K"`` → 2400; see
    :attr:`counts_rounded`); ``None`` when not shown (groups have :attr:`members`)."""
    members: int | None = None
    """Members of a group, as the page shows them."""
    online: int | None = None
    """Members online when the page was saved (group profile pages only)."""
    counters: dict[str, int] = Field(default_factory=dict)
    """The other header counters by the page's own name, in page order:
    ``{"photos": 513, "videos": 5, "files": 16, "links": 2720}`` (singular names such as
    ``photo`` are made plural)."""
    counts_rounded: dict[str, str] = Field(default_factory=dict)
    """For each header count the page showed rounded, the text it showed, by field or counter
    name: ``{"subscribers": "2.4K", "links": "2.72K"}``. A count not listed here is exact.

    >>> from tgarchive import Chat
    >>> chat = Chat(subscribers=2400, counters={"photos": 513}, counts_rounded={"subscribers": "2.4K"})
    >>> sorted(name for name in ("subscribers", *chat.counters) if name not in chat.counts_rounded)
    ['photos']
    """

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        yield "id", self.id
        yield "name", None if self.name is None else _short(self.name, 60)
        yield "type", self.type
        yield "posts", len(self.posts)
        if self.left:
            yield "left", True


class Archive(BaseModel):
    """Everything read from one export.

    ``format`` names the parser that read it; ``chats`` holds one chat for a single-chat
    export and every chat of an account export; ``issues`` lists the problems recorded in
    lenient mode (empty when the input was clean).
    """

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    format: str
    """The parser that read it, e.g. ``desktop-json``."""
    chats: list[Chat] = Field(default_factory=list)
    issues: list[ParseIssue] = Field(default_factory=list)
    """Problems recorded in lenient mode."""
    account: dict[str, Any] | None = None
    """Account-level sections of a whole-account export (``personal_information``,
    ``contacts``, ``sessions``...), verbatim; ``None`` for a single-chat export."""
    source_keys: tuple[str, ...] | None = Field(default=None, repr=False)
    """Top-level keys of the source, in order."""
    root: str | None = Field(default=None, repr=False)
    """The export's folder (or zip file) when it was loaded from a path; media paths are
    resolved against it."""

    @property
    def posts(self) -> ArchivePosts:
        """All posts of all chats, chat after chat: a live, read-only view (``len``, indexing
        and iteration cost no copy; slicing gives a list). To add a post, append it to
        its chat's ``posts``.

        >>> import tgarchive
        >>> posts = tgarchive.load(tgarchive.sample_path()).posts
        >>> len(posts), posts[0].id, posts[-1].id
        (12, 1, 12)
        """
        return ArchivePosts(self.chats)

    def to_pandas(self, table: str = "posts", *, lang: bool = True) -> pandas.DataFrame:
        """A table of this archive (``posts``, ``reactions``, ``links``, ``entities``) as a
        pandas DataFrame (extra ``[pandas]``); see :mod:`tgarchive.tables` for the columns.

        >>> import tgarchive
        >>> df = tgarchive.load(tgarchive.sample_path()).to_pandas()
        >>> df[["post_id", "type", "reactions_total"]].head(3).values.tolist()
        [[1, 'service', 0], [2, 'message', 0], [3, 'message', 46]]
        """
        from .tables import to_pandas

        return to_pandas(self, table, lang=lang)  # type: ignore[arg-type]  # checked there

    def to_polars(self, table: str = "posts", *, lang: bool = True) -> polars.DataFrame:
        """A table of this archive as a polars DataFrame (extra ``[polars]``), with the same
        columns as :meth:`to_pandas`.

        >>> import tgarchive
        >>> tgarchive.load(tgarchive.sample_path()).to_polars("links")["domain"].to_list()[:2]
        ['blog.lablup.com', 'arxiv.org']
        """
        from .tables import to_polars

        return to_polars(self, table, lang=lang)  # type: ignore[arg-type]  # checked there

    def resolve(self, relative: str) -> Path | zipfile.Path:
        """The file an export-relative path names, refusing paths that leave the export.

        Returns a :class:`pathlib.Path` for folders, a :class:`zipfile.Path` inside zips.
        Raises :class:`tgarchive.UnsafePathError` for ``..``, absolute or drive paths.
        """
        from ._source import resolve_inside

        if self.root is None:
            raise ValueError("this archive was not loaded from a path; nothing to resolve against")
        return resolve_inside(self.root, relative)

    _REPR_CHATS = 30

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        yield "format", self.format
        yield "chats", len(self.chats)
        yield "posts", sum(len(chat.posts) for chat in self.chats)
        yield "issues", len(self.issues)

    def __repr__(self) -> str:
        head = "Archive(" + ", ".join(f"{k}={v!r}" for k, v in self.__repr_args__()) + ")"
        lines = [head, *(f"  {chat!r}" for chat in self.chats[: self._REPR_CHATS])]
        if len(self.chats) > self._REPR_CHATS:
            lines.append(f"  … {len(self.chats) - self._REPR_CHATS} more chats")
        return "\n".join(lines)

    __str__ = __repr__


class ArchivePosts(Sequence[Post]):
    """The posts of every chat of an archive, chat after chat, as a read-only sequence.

    It reads the chats' own lists each time, so it follows changes to them; indexing walks the
    chats, not the posts (one step for a single-chat export). Mutating methods raise
    :class:`TypeError` naming what to do instead.

    >>> import tgarchive
    >>> posts = tgarchive.load(tgarchive.sample_path()).posts
    >>> posts.append(posts[0])
    Traceback (most recent call last):
    TypeError: archive.posts is a read-only view of every chat's posts; add to archive.chats[i].posts instead
    """

    __slots__ = ("_chats",)

    def __init__(self, chats: list[Chat]) -> None:
        self._chats = chats

    def __len__(self) -> int:
        return sum(len(chat.posts) for chat in self._chats)

    def __iter__(self) -> Iterator[Post]:
        return itertools.chain.from_iterable(chat.posts for chat in self._chats)

    def __reversed__(self) -> Iterator[Post]:
        return itertools.chain.from_iterable(reversed(chat.posts) for chat in reversed(self._chats))

    @overload
    def __getitem__(self, index: int) -> Post: ...
    @overload
    def __getitem__(self, index: slice) -> list[Post]: ...
    def __getitem__(self, index: int | slice) -> Post | list[Post]:
        if isinstance(index, slice):
            return list(self)[index]
        if not isinstance(index, int):
            raise TypeError(f"archive.posts indices must be integers or slices, not {index!r}")
        chats = self._chats
        if len(chats) == 1:  # the usual case: no walk at all
            return chats[0].posts[index]
        position = index
        if position < 0:
            position += len(self)
        if position >= 0:
            for chat in chats:
                if position < len(chat.posts):
                    return chat.posts[position]
                position -= len(chat.posts)
        raise IndexError("archive.posts index out of range")

    def __contains__(self, value: object) -> bool:
        return any(value in chat.posts for chat in self._chats)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ArchivePosts | list | tuple):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # a live view of mutable lists

    def __add__(self, other: Iterable[Post]) -> list[Post]:
        return [*self, *other]

    def __radd__(self, other: Iterable[Post]) -> list[Post]:
        return [*other, *self]

    def _refuse(self, *args: object) -> None:
        raise TypeError(
            "archive.posts is a read-only view of every chat's posts; "
            "add to archive.chats[i].posts instead"
        )

    append = extend = insert = remove = pop = clear = sort = reverse = _refuse
    __setitem__ = __delitem__ = __iadd__ = _refuse

    def __repr__(self) -> str:
        count = len(self)
        shown = ", ".join(repr(p) for p in itertools.islice(self, 3))
        more = f", … {count - 3} more" if count > 3 else ""
        return f"ArchivePosts([{shown}{more}])"
