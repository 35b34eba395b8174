"""Combining several exports of the same chats into one archive: :func:`merge`."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from pydantic import BaseModel

from .errors import ParseIssue, SourceLocation
from .models import Archive, Chat, Post

__all__ = ["merge"]

_NEVER = datetime.min.replace(tzinfo=timezone.utc)

# What a post says, as opposed to how its export wrote it down: two versions that agree on
# these fields are the same post, whatever else differs (a Desktop JSON export and its HTML
# twin record key order, local-time strings and unknown fields differently).
CONTENT_FIELDS = (
    "type", "date", "edited", "author", "author_id", "signature", "text", "entities",
    "forward", "reply_to_id", "via_bot", "media", "action", "action_data", "views",
    "reactions", "inline_bot_buttons",
)  # fmt: skip


def _when(value: datetime | None) -> datetime:
    if value is None:
        return _NEVER
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | tuple | list | dict) and not value)


def _compatible(x: Any, y: Any) -> bool:
    """Whether two versions of a value can be the same fact: equal, or one of them missing
    (``None``, empty), recursively (an HTML export has no ids, sizes or exact edit times)."""
    if _empty(x) or _empty(y):
        return True
    if isinstance(x, BaseModel) or isinstance(y, BaseModel):
        return type(x) is type(y) and all(
            _compatible(getattr(x, name), getattr(y, name)) for name in type(x).model_fields
        )
    if isinstance(x, tuple | list) and isinstance(y, tuple | list):
        return len(x) == len(y) and all(map(_compatible, x, y))
    if isinstance(x, dict) and isinstance(y, dict):
        return all(_compatible(x[k], y[k]) for k in x.keys() & y.keys())
    if (
        isinstance(x, datetime)
        and isinstance(y, datetime)
        and (x.tzinfo is None) != (y.tzinfo is None)
    ):
        return True  # a local time of unknown zone against an instant: cannot tell
    return bool(x == y)


def _conflicts(a: Post, b: Post) -> list[str]:
    """The content fields on which two versions of a post disagree (both give a value)."""
    return [name for name in CONTENT_FIELDS if not _compatible(getattr(a, name), getattr(b, name))]


def _richness(value: Any) -> int:
    """How many non-empty values a version carries, all the way down."""
    if isinstance(value, BaseModel):
        return sum(_richness(getattr(value, name)) for name in type(value).model_fields)
    if isinstance(value, tuple | list):
        return sum(_richness(v) for v in value)
    if isinstance(value, dict):
        return sum(_richness(v) for v in value.values())
    return 0 if _empty(value) else 1


def _chat_key(chat: Chat, known: list[tuple[Chat, int]]) -> int | None:
    """The index of the merged chat ``chat`` belongs to: the same id, or (when either side
    has no id, as HTML exports have none) the same name and type."""
    for merged, index in known:
        if chat.id is not None and merged.id is not None:
            if chat.id == merged.id:
                return index
        elif chat.name == merged.name and (
            chat.type is None or merged.type is None or chat.type == merged.type
        ):
            return index
    return None


def merge(*archives: Archive) -> Archive:
    """One archive from several exports of the same chats (taken at different times, or a
    Desktop JSON export and the HTML export of the same chat).

    Chats are matched by id (or, when an export has no ids, by name and type); posts by
    ``(chat, post id)``. When two exports hold the same post:

    * versions that disagree on content (text, entities, reactions, views, media... see
      ``CONTENT_FIELDS``; both giving a value, and different) are a conflict: the version
      edited most recently wins (never edited counts as oldest; at equal edit times the
      archive listed later wins, so list exports oldest first), and an issue on the merged
      archive names the post, the fields and the version kept;
    * versions that only differ in what one of them lacks (an HTML export has no sender ids,
      file sizes or exact edit times) are the same post: the one carrying more is kept
      (a Desktop JSON export over its HTML twin, whatever the order), no issue.

    The inputs' own issues are kept too. No post is dropped: every post of every input is in
    the result, once; posts of a chat come in id order (posts without an id, which cannot be
    matched, come last, all of them).

    >>> import tgarchive
    >>> old = tgarchive.load(tgarchive.sample_path())
    >>> new = tgarchive.load(tgarchive.sample_path())
    >>> post = new.chats[0].posts[2]
    >>> new.chats[0].posts[2] = post.model_copy(update={"text": "fixed", "edited": None})
    >>> merged = tgarchive.merge(old, new)
    >>> len(merged.posts), merged.posts[2].text[:12]
    (12, 'As startups ')
    >>> print(merged.issues[0].reason)
    post 3 of chat 1739574530 differs between archives 1 and 2 (text); kept archive 1's version (edited 2023-07-14 00:40:00+00:00)
    """
    if not archives:
        raise ValueError("merge() needs at least one archive")
    for i, archive in enumerate(archives, start=1):
        if not isinstance(archive, Archive):
            raise TypeError(f"argument {i} is a {type(archive).__name__}, not an Archive")
    chats: list[Chat] = []
    known: list[tuple[Chat, int]] = []
    # per merged chat: post id -> (post, number of the archive it came from)
    posts: list[dict[int, tuple[Post, int]]] = []
    unmatched: list[list[Post]] = []  # per merged chat: posts without an id
    issues: list[ParseIssue] = []
    for number, archive in enumerate(archives, start=1):
        issues.extend(archive.issues)
        for chat in archive.chats:
            index = _chat_key(chat, known)
            if index is None:
                index = len(chats)
                chats.append(chat.model_copy(update={"posts": []}, deep=True))
                known.append((chats[index], index))
                posts.append({})
                unmatched.append([])
            else:
                _fill_chat(chats[index], chat)
            table = posts[index]
            for post in chat.posts:
                if post.id is None:  # nothing to match it by: kept as it is
                    unmatched[index].append(post)
                    continue
                held = table.get(post.id)
                if held is None:
                    table[post.id] = (post, number)
                    continue
                kept, kept_from = held
                conflicts = _conflicts(kept, post)
                if conflicts:
                    newer = _when(post.edited) >= _when(kept.edited)
                else:
                    newer = _richness(post) >= _richness(kept)
                winner, won_from = (post, number) if newer else (kept, kept_from)
                if conflicts:
                    label = chats[index].id if chats[index].id is not None else chats[index].name
                    edited = f" (edited {winner.edited})" if winner.edited is not None else ""
                    issues.append(
                        ParseIssue(
                            SourceLocation(message_id=post.id),
                            f"post {post.id} of chat {label} differs between archives "
                            f"{kept_from} and {number} ({', '.join(conflicts)}); kept archive "
                            f"{won_from}'s version{edited}",
                        )
                    )
                table[post.id] = (winner, won_from)
    for chat, table, extra in zip(chats, posts, unmatched, strict=True):
        chat.posts = [table[key][0] for key in sorted(table)] + extra
    formats = {a.format for a in archives}
    roots = {a.root for a in archives}
    account = next((a.account for a in reversed(archives) if a.account is not None), None)
    return Archive(
        format=formats.pop() if len(formats) == 1 else "merged",
        chats=chats,
        issues=issues,
        account=account,
        root=roots.pop() if len(roots) == 1 else None,
    )


def _fill_chat(merged: Chat, other: Chat) -> None:
    """Fields one export of a chat lacks are taken from another (HTML exports have no id)."""
    for name in ("id", "name", "type"):
        if getattr(merged, name) is None and getattr(other, name) is not None:
            setattr(merged, name, getattr(other, name))
    for key, value in other.extra.items():
        merged.extra.setdefault(key, value)
