"""Summary statistics of an export, gathered in one streaming pass: :func:`stats`.

The command line's ``info``, ``stats`` and ``report`` all print these figures, so a script gets
the same numbers as the terminal (``ArchiveStats.to_dict()`` is what ``tgarchive stats --json``
prints).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from ._source import SourceLike
from .errors import ParseIssue
from .models import Archive, Chat, Post
from .parsers import Registry
from .writers import ItemStream, iter_items

__all__ = ["ArchiveStats", "ChatStats", "stats"]

#: The ``ChatStats`` fields that count something by key, in the order reports show them.
COUNTERS = ("months", "forwards", "domains", "reactions", "languages", "hashtags", "media")


def _language(post: Post) -> str:
    guess = post.lang
    if guess.lang == "other":
        return guess.language or "other"
    return guess.lang


def _month(date: datetime) -> str:
    if date.tzinfo is not None:
        date = date.astimezone(timezone.utc)
    return f"{date:%Y-%m}"


@dataclass
class ChatStats:
    """Counts over the posts of one chat (or, for :attr:`ArchiveStats.total`, of them all).

    Every counter maps a key to a count: ``months`` (``2023-06``, UTC; service messages not
    counted), ``forwards`` (the forwarded-from name, ``(hidden)`` when the export hides it),
    ``domains`` (of every link, ``www.`` dropped), ``reactions`` (by
    :attr:`tgarchive.Reaction.label`, summing counts), ``languages`` (``ko``, ``en``,
    ``mixed``, ``und``, or the ISO 639-1 code of another language; posts with text only),
    ``hashtags`` and ``media`` (by kind).

    >>> import tgarchive
    >>> chat = tgarchive.stats(tgarchive.sample_path()).chats[0]
    >>> chat.posts, chat.service, chat.months.most_common(1), chat.reactions["🔥"]
    (12, 2, [('2023-07', 10)], 69)
    """

    id: int | None = None
    name: str | None = None
    type: str | None = None
    posts: int = 0
    """Every message, service messages included."""
    service: int = 0
    edited: int = 0
    replies: int = 0
    links: int = 0
    views: int = 0
    """The sum of the view counts the export gives."""
    first: datetime | None = None
    last: datetime | None = None
    months: Counter[str] = field(default_factory=Counter)
    forwards: Counter[str] = field(default_factory=Counter)
    domains: Counter[str] = field(default_factory=Counter)
    reactions: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    hashtags: Counter[str] = field(default_factory=Counter)
    media: Counter[str] = field(default_factory=Counter)

    def add(self, post: Post, *, languages: bool = True) -> None:
        """Count one post in (``languages=False`` skips language detection, the slow part)."""
        self.posts += 1
        if post.is_service:
            self.service += 1
        if post.date is not None:
            # A message without date_unixtime has a naive date, beside aware ones.
            if self.first is None or _before(post.date, self.first):
                self.first = post.date
            if self.last is None or _before(self.last, post.date):
                self.last = post.date
            if not post.is_service:
                self.months[_month(post.date)] += 1
        self.edited += post.edited is not None
        self.replies += post.reply_to_id is not None
        self.views += post.views or 0
        if post.forward is not None:
            self.forwards[post.forward.from_name or post.forward.saved_from or "(hidden)"] += 1
        for reaction in post.reactions:
            self.reactions[reaction.label] += reaction.count
        for link in post.links:
            self.links += 1
            self.domains[link.domain or "(none)"] += 1
        for tag in post.hashtags:
            self.hashtags[tag] += 1
        if post.media is not None:
            self.media[post.media.kind] += 1
        if languages and not post.is_service and post.text.strip():
            self.languages[_language(post)] += 1

    def per_month(self) -> list[tuple[str, int]]:
        """Posts per month from the first month to the last, months without posts included.

        >>> from collections import Counter
        >>> from tgarchive import ChatStats
        >>> ChatStats(months=Counter({"2023-11": 2, "2024-02": 1})).per_month()
        [('2023-11', 2), ('2023-12', 0), ('2024-01', 0), ('2024-02', 1)]
        """
        if not self.months:
            return []
        keys = sorted(self.months)
        year, month = (int(part) for part in keys[0].split("-"))
        filled: list[tuple[str, int]] = []
        while True:
            key = f"{year:04d}-{month:02d}"
            filled.append((key, self.months.get(key, 0)))
            if key >= keys[-1]:
                return filled
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)

    def update(self, other: ChatStats) -> None:
        """Add the counts of ``other`` to these (dates widen to cover both)."""
        for name in ("posts", "service", "edited", "replies", "links", "views"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in COUNTERS:
            getattr(self, name).update(getattr(other, name))
        if other.first is not None and (self.first is None or _before(other.first, self.first)):
            self.first = other.first
        if other.last is not None and (self.last is None or _before(self.last, other.last)):
            self.last = other.last

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: dates in ISO 8601, each counter as an object, largest count first
        (``months`` in date order)."""
        out: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "posts": self.posts,
            "service": self.service,
            "edited": self.edited,
            "replies": self.replies,
            "links": self.links,
            "views": self.views,
            "first": self.first.isoformat() if self.first else None,
            "last": self.last.isoformat() if self.last else None,
        }
        for name in COUNTERS:
            counter: Counter[str] = getattr(self, name)
            pairs = sorted(counter.items()) if name == "months" else counter.most_common()
            out[name] = dict(pairs)
        return out


def _before(a: datetime, b: datetime) -> bool:
    # Chats of different exports may mix aware and naive dates: naive ones are taken as UTC.
    if (a.tzinfo is None) != (b.tzinfo is None):
        a, b = (d if d.tzinfo else d.replace(tzinfo=timezone.utc) for d in (a, b))
    return a < b


@dataclass
class ArchiveStats:
    """The statistics of a whole export: one :class:`ChatStats` per chat, and the problems
    met while reading (lenient mode)."""

    chats: list[ChatStats] = field(default_factory=list)
    issues: list[ParseIssue] = field(default_factory=list)
    format: str | None = None
    source: str | None = None
    """The file read, as errors name it."""

    @classmethod
    def collect(
        cls, items: Iterable[Chat | Post] | Archive, *, languages: bool = True
    ) -> ArchiveStats:
        """Count a stream of chats and posts as a parser yields them (or an archive's).

        >>> import tgarchive
        >>> archive = tgarchive.load(tgarchive.sample_path())
        >>> tgarchive.ArchiveStats.collect(archive).total.forwards.most_common(1)
        [('GeekNews', 1)]
        """
        result = cls()
        if isinstance(items, Archive):
            result.format = items.format
            result.issues = list(items.issues)
            items = iter_items(items)
        current: ChatStats | None = None
        for item in items:
            if isinstance(item, Chat):
                current = ChatStats(id=item.id, name=item.name, type=item.type)
                result.chats.append(current)
            else:
                if current is None:
                    current = ChatStats()
                    result.chats.append(current)
                current.add(item, languages=languages)
        return result

    @property
    def total(self) -> ChatStats:
        """The counts of every chat added up (a single chat's own numbers for a channel)."""
        if len(self.chats) == 1:
            return self.chats[0]
        total = ChatStats(name=None, type=None)
        for chat in self.chats:
            total.update(chat)
        return total

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: source, format, ``total``, every chat, and the problems as text."""
        return {
            "source": self.source,
            "format": self.format,
            "total": self.total.to_dict(),
            "chats": [chat.to_dict() for chat in self.chats],
            "issues": [str(issue) for issue in self.issues],
        }


def stats(
    source: SourceLike | Archive | ItemStream,
    *,
    format: str | None = None,
    strict: bool = False,
    registry: Registry | None = None,
    languages: bool = True,
) -> ArchiveStats:
    """Posts per month, forward sources, linked domains, reactions per emoji, language mix...
    of an export, read in one streaming pass (or of an archive already loaded, or of a stream
    opened with :func:`tgarchive.stream`, to watch its progress).

    Takes the same arguments as :func:`tgarchive.load`; ``languages=False`` skips language
    detection, which is most of the time on a large export.

    >>> import tgarchive
    >>> result = tgarchive.stats(tgarchive.sample_path())
    >>> result.format, result.total.posts, result.total.domains.most_common(1)
    ('desktop-json', 12, [('huyenchip.com', 2)])
    >>> result.total.languages.most_common(2)
    [('ko', 5), ('en', 3)]
    """
    if isinstance(source, Archive):
        return ArchiveStats.collect(source, languages=languages)
    if isinstance(source, ItemStream):
        result = ArchiveStats.collect(source, languages=languages)
        result.issues = list(source.issues)
        result.format = source.format
        result.source = getattr(source, "name", None)
        return result
    from .api import stream

    with stream(source, format=format, strict=strict, registry=registry) as export:
        return stats(export, languages=languages)
