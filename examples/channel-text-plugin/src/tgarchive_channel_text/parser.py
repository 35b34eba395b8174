"""The ``channel-text`` parser: header, post boundaries, forwards, reactions and links."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from tgarchive import Chat, Entity, Forward, Post, Reaction
from tgarchive.parsers import ParseContext, Source
from tgarchive.text import parse_count

__all__ = ["ChannelTextParser"]

# "Continuous Learning_Startup & Investment – Telegram": the page title, first line of a copy.
_TITLE = re.compile(r"^(?P<title>.+?) [–-] Telegram$")
_COUNTER = re.compile(
    r"^(?P<value>\d[\d.,  ]*[KkMmBb]?) (?P<kind>subscribers?|members?|online|photos?|videos?|"
    r"files?|links?|audios?|voices?)$"
)
_HEADER_END = frozenset({"Download Telegram", "View in Telegram", "Preview channel", "Join"})
_FORWARDED = re.compile(r"^Forwarded from\s+(?P<name>.+)$")  # \s: the copy has a no-break space
# One or more reactions: an optional emoji (anything but letters and digits) and a count.
_REACTION = re.compile(r"(?P<emoji>[^\w\s.,:]+)?\s?(?P<count>\d+(?:[.,]\d+)?[KkMm]?)\s*")
_FOOTER = re.compile(r"^(?:(?P<views>\d[\d.]*[KkMm]?) views?\b.*|(?:edited\s+)?\d{1,2}:\d{2})$")
_URL = re.compile(
    r"(?:https?://|(?<![\w@/.])(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/)[^\s<>\[\]()]*",
    re.IGNORECASE,
)
_MARKDOWN_LINK = re.compile(r"\[(?P<text>[^\[\]\n]+)\]\((?P<url>https?://[^\s()]+)\)")
_LIST_ITEM = re.compile(r"^\s*(?:[-•*]|\d+[.)]|\(\d+\))\s")
_TRAILING = ".,;:!?\"'’”…"
_FIELDS = {"subscriber": "subscribers", "member": "members", "online": "online"}


def _count(text: str) -> tuple[int, str | None] | None:
    """'2.4K' → (2400, '2.4K'), '513' → (513, None); None when it is not a count."""
    shown = text.replace("\u00a0", " ").strip()
    value = parse_count(shown)
    if value is None:
        return None
    return value, (shown if shown[-1:].isalpha() else None)


def _reactions(line: str) -> list[Reaction] | None:
    """The reactions of a reaction line ("👍2", "👍 2 ❤ 5", "1"), or None if it is not one."""
    text = line.strip()
    if not text or any(ch.isalpha() for ch in text):
        return None
    found = []
    pos = 0
    for m in _REACTION.finditer(text):
        if m.start() != pos or not m.group(0):
            return None
        pos = m.end()
        parsed = _count(m.group("count"))
        if parsed is None:
            return None
        count, rounded = parsed
        emoji = m.group("emoji")
        extra: dict[str, Any] = {"count_rounded": rounded} if rounded else {}
        if emoji:
            found.append(Reaction(kind="emoji", emoji=emoji, count=count, count_rounded=rounded,
                                  extra=extra))  # fmt: skip
        else:  # custom emoji and paid stars are images: only their count is copied
            found.append(Reaction(kind="unknown", count=count, count_rounded=rounded,
                                  extra={"type": "not_copied", **extra}))  # fmt: skip
    return found if found and pos == len(text) else None


def _links(text: str) -> tuple[Entity, ...]:
    """``[text](url)`` as text links over their text, other URLs as links, in text order."""
    found: list[Entity] = []
    taken: list[tuple[int, int]] = []
    for m in _MARKDOWN_LINK.finditer(text):
        start, end = m.span("text")
        found.append(Entity(kind="text_link", offset=start, length=end - start,
                            text=m.group("text"), href=m.group("url")))  # fmt: skip
        taken.append(m.span())
    for m in _URL.finditer(text):
        start, end = m.start(), m.end()
        while end > start and text[end - 1] in _TRAILING:
            end -= 1
        if end - start < 8 or any(a <= start < b for a, b in taken):
            continue
        found.append(Entity(kind="link", offset=start, length=end - start, text=text[start:end]))
    return tuple(sorted(found, key=lambda e: e.offset))


def _is_link_line(line: str) -> bool:
    stripped = line.rstrip()
    ends = [m.end() for m in _URL.finditer(stripped)]
    return bool(ends) and ends[-1] == len(stripped) and not _LIST_ITEM.match(line)


@dataclass
class _Draft:
    lines: list[str] = field(default_factory=list)
    forward: str | None = None
    reactions: list[Reaction] = field(default_factory=list)
    views: tuple[int, str | None] | None = None
    line: int = 0
    """1-based line of the post's first line in the file."""
    closed: bool = False
    """A line that ends a post was seen: the next text line starts another."""

    def empty(self) -> bool:
        return not any(s.strip() for s in self.lines) and self.forward is None


class ChannelTextParser:
    """Parser for a channel page copied as text (format name ``channel-text``).

    How posts are split, in the order the rules apply to each line:

    1. a line equal to the channel title (the author row of a post) starts a post;
    2. ``Forwarded from NAME`` starts a post (or marks the one just started) as a forward;
    3. a reaction line (only emoji and counts) ends the post with its reactions, and so do
       ``1.2K views`` and time lines (``13:26``) where the copy kept them;
    4. a line ending in a URL (not a list item, not the post's first line) directly followed
       by a line that is neither blank, nor a list item, nor another such line ends the post:
       channels tend to close a post with its source link.

    A post with none of these after it runs into the next one: copied text has no other trace
    of the boundary. Blank lines at the edges of a post are dropped.

    >>> ChannelTextParser().detect("Demo – Telegram\\nDemo\\n2.4K subscribers\\n".encode(), None)
    0.9
    >>> ChannelTextParser().detect(b'{"name": "Demo"}', "result.json")
    0.0
    """

    name = "channel-text"

    def detect(self, head: bytes, filename: str | None) -> float:
        if head[:1] in (b"{", b"[", b"<") or b"<html" in head[:512].lower():
            return 0.0
        try:
            text = head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # not merely a character cut by the 8 KiB limit
                return 0.0
            text = head[: exc.start].decode("utf-8")
        lines = [line.strip() for line in text.splitlines()[:12] if line.strip()]
        if not lines or not any(_COUNTER.match(line) for line in lines[1:8]):
            return 0.0
        return 0.9 if _TITLE.match(lines[0]) else 0.6

    def parse(self, source: Source, ctx: ParseContext) -> Iterator[Chat | Post]:
        with source.open() as fh:
            data = fh.read()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            ctx.problem(f"not UTF-8 text (byte {exc.start}); undecodable bytes replaced")
            text = data.decode("utf-8-sig", "replace")
        lines = text.splitlines()
        chat, start = self._header(lines, ctx)
        yield chat
        yield from self._posts(lines, start, chat.name, ctx)

    def _header(self, lines: list[str], ctx: ParseContext) -> tuple[Chat, int]:
        pos = 0
        while pos < len(lines) and not lines[pos].strip():
            pos += 1
        title = None
        m = _TITLE.match(lines[pos].strip()) if pos < len(lines) else None
        if m:
            title = m.group("title")
            pos += 1
            if pos < len(lines) and lines[pos].strip() == title:
                pos += 1
        elif pos < len(lines):
            title = lines[pos].strip()
            pos += 1
        counts: dict[str, tuple[int, str | None]] = {}
        username = None
        while pos < len(lines):
            line = lines[pos].strip()
            counter = _COUNTER.match(line)
            if counter:
                parsed = _count(counter.group("value"))
                if parsed is None:
                    ctx.problem(f"unreadable counter {line!r}", ctx.location(line=pos + 1))
                else:
                    kind = counter.group("kind")
                    singular = kind.removesuffix("s")
                    counts[_FIELDS.get(singular, singular + "s")] = parsed
            elif line.startswith("@") and " " not in line and username is None:
                username = line[1:]
            elif line:
                break
            pos += 1
        description = []
        end = next((i for i in range(pos, min(len(lines), pos + 40))
                    if lines[i].strip() in _HEADER_END), None)  # fmt: skip
        if end is None:
            ctx.problem(
                "no 'Download Telegram' line after the header: the description cannot be told "
                "from the first post, so the text after the counters is read as posts",
                ctx.location(line=pos + 1),
            )
        else:
            description = lines[pos:end]
            pos = end + 1
        rounded = {k: r for k, (_v, r) in counts.items() if r is not None}
        fields: dict[str, int] = {
            k: counts.pop(k)[0] for k in ("subscribers", "members", "online") if k in counts
        }
        header: dict[str, Any] = {
            "username": username,
            "description": "\n".join(description).strip() or None,
            **fields,
            "counters": {k: v for k, (v, _r) in counts.items()},
            "counts_rounded": rounded,
        }
        chat = Chat(
            name=title,
            type="public_supergroup" if "members" in fields else "public_channel",
            # The Desktop JSON writer writes extra verbatim: the same extension keys as
            # tgarchive's web-preview parser, so a conversion keeps the header.
            extra={k: v for k, v in header.items() if v},
            **header,
        )
        return chat, pos

    def _posts(
        self, lines: list[str], start: int, title: str | None, ctx: ParseContext
    ) -> Iterator[Post]:
        number = 0
        draft = _Draft(line=start + 1)
        for pos in range(start, len(lines)):
            line = lines[pos]
            stripped = line.strip()
            forwarded = _FORWARDED.match(stripped)
            footer = _FOOTER.match(stripped)
            reactions = None if footer else _reactions(stripped)
            # A post ends at a boundary line; reactions, views and time lines close it (they
            # come after its text, in any order) and the next text line starts the next post.
            starts = (title is not None and stripped == title) or forwarded is not None
            if starts or (draft.closed and stripped and footer is None and reactions is None):
                if not draft.empty() or draft.reactions:
                    number += 1
                    yield self._post(number, draft, title)
                draft = _Draft(line=pos + 1)
            if title is not None and stripped == title:
                draft.line = pos + 2
            elif forwarded:
                draft.forward = forwarded.group("name")
            elif footer:
                if footer.group("views"):
                    draft.views = _count(footer.group("views"))
                draft.closed = True
            elif reactions is not None:
                draft.reactions = reactions
                draft.closed = True
            elif stripped or not draft.closed:
                draft.lines.append(line)
                following = lines[pos + 1].strip() if pos + 1 < len(lines) else ""
                draft.closed = (
                    len([s for s in draft.lines if s.strip()]) > 1
                    and _is_link_line(line)
                    and bool(following)
                    and not _LIST_ITEM.match(following)
                    and not _is_link_line(following)
                )
        if not draft.empty() or draft.reactions:
            yield self._post(number + 1, draft, title)

    @staticmethod
    def _post(number: int, draft: _Draft, title: str | None) -> Post:
        lines = draft.lines
        while lines and not lines[0].strip():
            lines = lines[1:]
        while lines and not lines[-1].strip():
            lines = lines[:-1]
        text = "\n".join(lines)
        extra: dict[str, Any] = {"source_line": draft.line}
        values: dict[str, Any] = {}
        if draft.views is not None:
            values["views"], values["views_rounded"] = draft.views
            extra["views"] = draft.views[0]
        return Post(
            id=number,
            author=title,
            text=text,
            entities=_links(text),
            forward=Forward(from_name=draft.forward) if draft.forward else None,
            reactions=tuple(draft.reactions),
            extra=extra,
            **values,
        )
