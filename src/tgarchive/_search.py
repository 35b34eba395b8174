"""Exact substring search over posts: :func:`search`.

A post matches when its text contains the query, comparing ASCII letters without regard to
case (``GPT`` finds ``gpt``) and every other character exactly (Hangul, Han, Arabic, accented
Latin letters, emoji): the rule of SQLite's ``LIKE``, and of :func:`fold`. There is no
tokenising, stemming or normalisation, so what you see in the text is what you can find, and
``투자`` finds ``투자를`` and ``벤처투자``.

On an SQLite archive written by tgarchive (format ``sqlite``), a query of three or more
characters goes through the FTS5 trigram index, whose candidates are then checked exactly;
shorter queries (one- and two-syllable Korean words such as ``투자``, which no trigram can
hold) scan the text column inside SQLite. Any other source is read post by post and checked
the same way (convert it to SQLite first to search it many times).

>>> import tgarchive
>>> [p.id for p in tgarchive.search(tgarchive.sample_path(), "모델")]
[2]
>>> [p.id for p in tgarchive.search(tgarchive.sample_path(), "llm")]
[7, 5, 4, 3]
>>> [p.id for p in tgarchive.search(tgarchive.sample_path(), "Llama 2", limit=1)]
[10]
"""

from __future__ import annotations

import os
import string
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pydantic

from ._source import SourceLike
from .errors import ParseError, SourceLocation
from .models import Post
from .tables import utc
from .writers import ItemStream

__all__ = ["fold", "search"]

_FOLD = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_MIN_TRIGRAM = 3


def fold(text: str) -> str:
    """``text`` with ASCII letters lower-cased and everything else unchanged: the rule by which
    :func:`search` compares.

    >>> from tgarchive._search import fold
    >>> fold("GPT-4는 ÉTÉ")
    'gpt-4는 ÉtÉ'
    """
    return text.translate(_FOLD)


def search(
    source: SourceLike | ItemStream,
    query: str,
    *,
    limit: int | None = None,
    format: str | None = None,
    strict: bool = False,
) -> list[Post]:
    """The posts of ``source`` whose text contains ``query`` (see the module docstring for
    the rule), newest first; at most ``limit`` of them.

    ``source`` is an SQLite archive written by tgarchive, or any export :func:`tgarchive.load`
    reads (``format`` and ``strict`` as there), or a stream already opened with
    :func:`tgarchive.stream` (to watch its progress, say). Posts without a date come last; posts with
    the same date come in reverse export order. An empty query matches every post.
    """
    if not isinstance(query, str):
        raise TypeError(f"the query must be a str, not {type(query).__name__}")
    if limit is not None and limit < 0:
        raise ValueError("limit must be None or a number >= 0")
    if limit == 0:
        return []
    path = _sqlite_path(source, format)
    if path is not None:
        return _search_sqlite(path, query, limit)
    return _search_stream(source, query, limit, format, strict)


def _sqlite_path(source: SourceLike | ItemStream, format: str | None) -> Path | None:
    if format not in (None, "sqlite") or not isinstance(source, str | os.PathLike):
        return None
    path = Path(os.fspath(source)).expanduser()
    if not path.is_file():
        return None
    from .parsers.sqlite import MAGIC

    with path.open("rb") as fh:
        return path if fh.read(len(MAGIC)) == MAGIC else None


_NEVER = datetime.min.replace(tzinfo=timezone.utc)
_ORDER = "ORDER BY p.date IS NULL, p.date DESC, p.post_seq DESC"


def _search_sqlite(path: Path, query: str, limit: int | None) -> list[Post]:
    from .parsers.sqlite import connect

    db = connect(path, str(path))
    try:
        # SQLite's lower() folds ASCII only, as fold() does, unless the ICU extension is in;
        # then fold in Python so that the rule stays the same.
        if db.execute("SELECT lower('É')").fetchone()[0] != "É":
            db.create_function("tg_fold", 1, fold, deterministic=True)
            lower = "tg_fold"
        else:
            lower = "lower"
        params: list[object] = []
        if len(query) >= _MIN_TRIGRAM:
            sql = (
                "SELECT p.post_seq, p.post_id, p.data FROM posts_fts f "
                "JOIN posts p ON p.post_seq = f.rowid "
                f"WHERE posts_fts MATCH ? AND instr({lower}(p.text), ?) > 0 {_ORDER} LIMIT ?"
            )
            params.append(_trigram_query(query))
        else:
            sql = (
                "SELECT p.post_seq, p.post_id, p.data FROM posts p "
                f"WHERE instr({lower}(p.text), ?) > 0 {_ORDER} LIMIT ?"
            )
        params += [fold(query), -1 if limit is None else limit]
        found = []
        for seq, post_id, data in db.execute(sql, params):
            try:
                found.append(Post.model_validate_json(data))
            except pydantic.ValidationError as exc:
                raise ParseError(
                    f"posts row {seq} does not hold a valid post ({exc.errors()[0]['msg']})",
                    _location(path, post_id),
                ) from exc
        return found
    finally:
        db.close()


def _trigram_query(query: str) -> str:
    """An FTS5 query for the posts holding every trigram of ``query``: a superset of the
    posts containing it (the index keeps no positions), narrowed by the exact check."""
    grams = dict.fromkeys(query[i : i + 3] for i in range(len(query) - 2))
    return " AND ".join('"' + gram.replace('"', '""') + '"' for gram in grams)


def _location(path: Path, post_id: int) -> SourceLocation:
    return SourceLocation(file=str(path), message_id=post_id)


def _search_stream(
    source: SourceLike | ItemStream,
    query: str,
    limit: int | None,
    format: str | None,
    strict: bool,
) -> list[Post]:
    from .api import iter_posts

    needle = fold(query)
    found: list[tuple[bool, datetime | None, int, Post]] = []
    if isinstance(source, ItemStream):
        posts: Iterator[Post] = (item for item in source if isinstance(item, Post))
    else:
        posts = iter_posts(source, format=format, strict=strict)
    for seq, post in enumerate(posts):
        if needle in fold(post.text):
            when = utc(post.date)
            found.append((when is not None, when, seq, post))
    found.sort(key=lambda item: (item[0], item[1] or _NEVER, item[2]), reverse=True)
    ordered = [item[3] for item in found]
    return ordered if limit is None else ordered[:limit]
