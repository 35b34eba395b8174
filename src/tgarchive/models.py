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

from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .errors import ParseIssue

if TYPE_CHECKING:
    import pandas
    import polars

    from .text import LangGuess

__all__ = [
    "Archive",
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

#: Placeholder sentences Telegram Desktop writes instead of a file path, by reason.
MISSING_FILE_REASONS: dict[str, Literal["not_included", "too_large", "unavailable"]] = {
    "(File not included. Change data exporting settings to download.)": "not_included",
    "(File exceeds maximum size. Change data exporting settings to download.)": "too_large",
    "(File unavailable, please try again later)": "unavailable",
    "(Photo not included. Change data exporting settings to download.)": "not_included",
    "(Photo exceeds maximum size. Change data exporting settings to download.)": "too_large",
    "(Photo unavailable, please try again later)": "unavailable",
}


class TgModel(BaseModel):
    """Base of all tgarchive models: frozen, strict about its own fields."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        use_attribute_docstrings=True,
        ser_json_inf_nan="constants",
    )


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

    kind: str
    """One of :data:`EntityKind` (``bold``, ``text_link``, ``hashtag``...); unknown kinds kept."""
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
    extra: dict[str, Any] = Field(default_factory=dict)
    """Source fields of this entity that the model does not know, verbatim."""

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
    extra: dict[str, Any] = Field(default_factory=dict)


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
    extra: dict[str, Any] = Field(default_factory=dict)

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
    extra: dict[str, Any] = Field(default_factory=dict)


class Button(TgModel):
    """An inline keyboard button under a bot's message."""

    kind: str
    """The button type (``url``, ``callback``, ``web_view``...)."""
    text: str | None = None
    data: str | None = None
    """URL for url buttons, ``""`` for callbacks (payload in ``extra['dataBase64']``)."""
    extra: dict[str, Any] = Field(default_factory=dict)


class _MediaBase(TgModel):
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
    data: dict[str, Any] = Field(default_factory=dict)


Media = MediaFile | Poll | Location | Venue | Contact | Game | Invoice | OtherMedia
"""Any kind of media; dispatch on ``media.kind``."""


class Post(TgModel):
    """A message of a chat or a channel post, including service messages.

    >>> import tgarchive
    >>> post = next(p for p in tgarchive.iter_posts(tgarchive.sample_path()) if p.reactions)
    >>> post.id, post.date.isoformat(), [(r.label, r.count) for r in post.reactions]
    (3, '2023-07-14T00:35:08+00:00', [('👍', 34), ('🔥', 12)])
    """

    id: int
    """The message id, unique within its chat (negative for migrated basic-group messages)."""
    chat_id: int | None = None
    """The :attr:`Chat.id` of the chat the post belongs to (``None`` when the export gives the
    chat no id). Post ids are unique only within a chat: ``(chat_id, id)`` names a post."""
    type: str = "message"
    """``message``, ``service`` or ``unsupported``."""
    date: datetime | None = None
    """When it was sent. Timezone-aware UTC when the export gives an exact instant
    (``date_unixtime``, HTML ``UTC+hh:mm`` titles); naive local time of the exporting computer
    otherwise. ``None`` only for ``unsupported`` messages."""
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
    action_data: dict[str, Any] = Field(default_factory=dict)
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
    extra: dict[str, Any] = Field(default_factory=dict)
    """Source fields the model does not know, and source values the typed fields cannot
    reproduce exactly, verbatim. The writer prefers these."""
    source_keys: tuple[str, ...] | None = Field(default=None, repr=False)
    """Keys of the source Desktop JSON object, in order (``None`` for other sources)."""

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

    @cached_property
    def lang(self) -> LangGuess:
        """The language of the text (``post.lang.lang``: ko, en, mixed, und, other), computed
        once. The post's own links, mentions, hashtags and code are dropped first.

        >>> import tgarchive
        >>> posts = tgarchive.load(tgarchive.sample_path()).posts
        >>> [p.id for p in posts if p.lang.lang == "en"]
        [3, 9, 11]
        """
        from .text import detect_lang

        return detect_lang(self.text, entities=self.entities)


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
    def posts(self) -> list[Post]:
        """All posts of all chats, chat after chat."""
        return [p for chat in self.chats for p in chat.posts]

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

    def resolve(self, relative: str) -> Any:
        """The file an export-relative path names, refusing paths that leave the export.

        Returns a :class:`pathlib.Path` for folders, a :class:`zipfile.Path` inside zips.
        Raises :class:`tgarchive.UnsafePathError` for ``..``, absolute or drive paths.
        """
        from ._source import resolve_inside

        if self.root is None:
            raise ValueError("this archive was not loaded from a path; nothing to resolve against")
        return resolve_inside(self.root, relative)
