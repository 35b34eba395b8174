"""Posts as tables: one flat row per post, and long tables that join on ``(chat_id, post_id)``.

Every tabular output of tgarchive (CSV, Parquet, SQLite, pandas and polars DataFrames) is
built from the rows this module makes, so the same post gives the same values everywhere.

The ``posts`` table has one row per post (service messages included), with these columns
(:data:`COLUMNS` holds them as data; ``docs/outputs/dataframes.md`` shows the dtypes):

=================  ======  ============================================================
column             kind    value
=================  ======  ============================================================
chat_id            int     :attr:`Post.chat_id`, else the enclosing :attr:`Chat.id`
chat_name          name    the enclosing chat's :attr:`Chat.name`
post_id            int     :attr:`Post.id` (null only for a message without a usable id)
date               time    :attr:`Post.date` in UTC
author             name    :attr:`Post.author`
author_id          name    :attr:`Post.author_id` (``user123``, ``channel123``)
signature          name    :attr:`Post.signature`
text               text    :attr:`Post.text` (never null; ``""`` for no text)
lang               name    ``post.lang.lang``: ko, en, mixed, und, other (null if ``lang=False``)
type               name    :attr:`Post.type`: message, service, unsupported
action             name    :attr:`Post.action` (service messages)
forward_from_name  name    :attr:`Forward.from_name` of a forward
forward_from_id    name    :attr:`Forward.from_id` of a forward
reply_to_id        int     :attr:`Post.reply_to_id`
views              int     :attr:`Post.views`
edited             time    :attr:`Post.edited` in UTC
reactions_total    int     the sum of all reaction counts (0 when none; never null)
reactions          map     reaction label (:attr:`Reaction.label`) → count, in Telegram's order
link_count         int     ``len(post.links)`` (never null)
domains            list    distinct :attr:`Link.domain` of the links, in text order
hashtags           list    distinct :attr:`Post.hashtags`, in text order
media_kind         name    ``post.media.kind`` (photo, video, poll...)
=================  ======  ============================================================

Kinds: ``int`` is a 64-bit integer, ``name`` a short string repeated across rows (dictionary
encoded in Arrow, ``category`` in pandas, ``Categorical`` in polars), ``text`` a string,
``time`` a UTC instant, ``map`` a string → integer mapping, ``list`` a list of strings. Every
column but those marked "never null" may be null. A time the export gives only as the
exporting computer's local clock (older exports write no zone) is taken as UTC, unchanged.

The long tables, one row per item, in post order:

* ``reactions``: chat_id, post_id, kind (emoji, custom_emoji, paid, unknown), reaction
  (the label), count;
* ``links``: chat_id, post_id, kind (link, text_link), url, text, domain;
* ``entities``: chat_id, post_id, kind, offset, length, text, href (offsets and lengths in
  code points of the post's text, as :class:`tgarchive.Entity` has them).

Each function takes what a writer takes (an :class:`~tgarchive.Archive`, or any iterable of
the chats and posts a parser yields) or a source to read (a path, bytes or a binary file),
which is then streamed without building an archive:

>>> import tgarchive
>>> from tgarchive import tables
>>> row = next(tables.iter_rows(tgarchive.sample_path()))
>>> row["chat_id"], row["post_id"], row["date"].isoformat(), row["type"], row["action"]
(1739574530, 1, '2023-06-19T02:00:00+00:00', 'service', 'create_channel')
>>> rows = [r for r in tables.iter_rows(tgarchive.sample_path()) if r["reactions_total"]]
>>> rows[0]["post_id"], rows[0]["reactions"], rows[0]["domains"]
(3, {'👍': 34, '🔥': 12}, ['arxiv.org'])
>>> [(r["reaction"], r["count"]) for r in tables.iter_rows(tgarchive.sample_path(), "reactions")][:2]
[('👍', 34), ('🔥', 12)]

DataFrames (extras ``[pandas]``, ``[polars]``) come from :func:`to_pandas` and
:func:`to_polars`, or from the :class:`~tgarchive.Archive` methods of the same names; both
go through :func:`to_arrow`, so their dtypes follow one Arrow schema (:func:`arrow_schema`).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from .models import Archive, Chat, Link, Post

if TYPE_CHECKING:
    import pandas
    import polars
    import pyarrow

    from ._source import SourceLike
    from .writers import WriteData

__all__ = [
    "COLUMNS",
    "TABLES",
    "Column",
    "PostRecords",
    "TableName",
    "arrow_schema",
    "column_names",
    "iter_records",
    "iter_rows",
    "to_arrow",
    "to_pandas",
    "to_polars",
]

TableName = Literal["posts", "reactions", "links", "entities"]
TABLES: tuple[TableName, ...] = ("posts", "reactions", "links", "entities")
"""The table names, in the order the writers write them."""

Kind = Literal["int", "name", "text", "time", "map", "list"]


@dataclass(frozen=True)
class Column:
    """One column of a table: its name, its kind (see the module docstring), whether it can be
    null, and what it holds."""

    name: str
    kind: Kind
    nullable: bool
    doc: str


def _cols(*spec: tuple[str, Kind, bool, str]) -> tuple[Column, ...]:
    return tuple(Column(*s) for s in spec)


COLUMNS: dict[TableName, tuple[Column, ...]] = {
    "posts": _cols(
        ("chat_id", "int", True, "Post.chat_id, else the enclosing chat's id"),
        ("chat_name", "name", True, "the enclosing chat's name"),
        ("post_id", "int", True, "Post.id (null only for a message without a usable id)"),
        ("date", "time", True, "Post.date in UTC"),
        ("author", "name", True, "Post.author"),
        ("author_id", "name", True, "Post.author_id (user123, channel123)"),
        ("signature", "name", True, "Post.signature"),
        ("text", "text", False, "Post.text"),
        ("lang", "name", True, "post.lang.lang: ko, en, mixed, und, other"),
        ("type", "name", False, "Post.type: message, service, unsupported"),
        ("action", "name", True, "Post.action of a service message"),
        ("forward_from_name", "name", True, "Forward.from_name"),
        ("forward_from_id", "name", True, "Forward.from_id"),
        ("reply_to_id", "int", True, "Post.reply_to_id"),
        ("views", "int", True, "Post.views"),
        ("edited", "time", True, "Post.edited in UTC"),
        ("reactions_total", "int", False, "sum of reaction counts"),
        ("reactions", "map", True, "reaction label -> count"),
        ("link_count", "int", False, "len(post.links)"),
        ("domains", "list", True, "distinct link domains, in text order"),
        ("hashtags", "list", True, "distinct hashtags, in text order"),
        ("media_kind", "name", True, "post.media.kind"),
    ),
    "reactions": _cols(
        ("chat_id", "int", True, "as in posts"),
        ("post_id", "int", True, "as in posts"),
        ("kind", "name", False, "Reaction.kind: emoji, custom_emoji, paid, unknown"),
        ("reaction", "name", False, "Reaction.label: the emoji, custom:<id>, paid"),
        ("count", "int", False, "Reaction.count"),
    ),
    "links": _cols(
        ("chat_id", "int", True, "as in posts"),
        ("post_id", "int", True, "as in posts"),
        ("kind", "name", False, "Link.kind: link, text_link"),
        ("url", "text", False, "Link.url"),
        ("text", "text", False, "Link.text"),
        ("domain", "name", True, "Link.domain"),
    ),
    "entities": _cols(
        ("chat_id", "int", True, "as in posts"),
        ("post_id", "int", True, "as in posts"),
        ("kind", "name", False, "Entity.kind"),
        ("offset", "int", False, "Entity.offset (code points)"),
        ("length", "int", False, "Entity.length (code points)"),
        ("text", "text", False, "Entity.text"),
        ("href", "text", True, "Entity.href of a text_link"),
    ),
}
"""Every table's columns, in order."""


def column_names(table: TableName = "posts") -> list[str]:
    """The column names of ``table``, in order.

    >>> from tgarchive.tables import column_names
    >>> column_names("links")
    ['chat_id', 'post_id', 'kind', 'url', 'text', 'domain']
    """
    return [c.name for c in _columns(table)]


def _columns(table: str) -> tuple[Column, ...]:
    try:
        return COLUMNS[table]  # type: ignore[index]
    except KeyError:
        raise ValueError(f"unknown table {table!r} (tables: {', '.join(TABLES)})") from None


# --- rows ---------------------------------------------------------------------------------

_UTC = timezone.utc


def utc(value: datetime | None) -> datetime | None:
    """A post's time as a UTC instant (a time without a zone is taken as UTC, unchanged)."""
    if value is None:
        return None
    tz = value.tzinfo
    if tz is _UTC:
        return value
    if tz is None:
        return value.replace(tzinfo=_UTC)
    return value.astimezone(_UTC)


_SPLIT_CHARS = "/?#"


@functools.lru_cache(maxsize=8192)
def _head_domain(head: str) -> str | None:
    return Link(url=head, text=head, kind="link").domain


def link_domain(url: str) -> str | None:
    """:attr:`tgarchive.Link.domain` of ``url``, computed once per host.

    >>> from tgarchive.tables import link_domain
    >>> link_domain("https://WWW.Arxiv.org/abs/2307.06865"), link_domain("lu.ma/x")
    ('arxiv.org', 'lu.ma')
    """
    # The host depends only on what comes before the path, query or fragment, so the part
    # up to there is the cache key. URLs with characters urlsplit removes take the long way.
    if "\t" in url or "\n" in url or "\r" in url:
        return Link(url=url, text=url, kind="link").domain
    stripped = url.strip()
    at = stripped.find("://")
    start = at + 3 if at >= 0 else (2 if stripped.startswith("//") else 0)
    end = len(stripped)
    for ch in _SPLIT_CHARS:
        i = stripped.find(ch, start)
        if 0 <= i < end:
            end = i
    return _head_domain(stripped[:end])


class PostRecords(NamedTuple):
    """The rows one post contributes to each table (tuples in :data:`COLUMNS` order)."""

    post: tuple[Any, ...]
    reactions: list[tuple[Any, ...]]
    links: list[tuple[Any, ...]]
    entities: list[tuple[Any, ...]]
    source: Post
    """The post itself (writers of lossless formats use it)."""


_NO_ROWS: list[tuple[Any, ...]] = []


def _records(
    post: Post, chat_id: int | None, chat_name: str | None, lang: bool, long: bool = True
) -> PostRecords:
    # The hottest loop of every tabular writer: fields are read from the instance dict (no
    # attribute machinery), and the long tables' rows are made only when asked for.
    f = post.__dict__
    cid = f["chat_id"]
    if cid is None:
        cid = chat_id
    pid = f["id"]
    reactions: list[tuple[Any, ...]] = [] if long else _NO_ROWS
    rmap: dict[str, int] | None = None
    total = 0
    if f["reactions"]:
        rmap = {}
        for r in f["reactions"]:
            rd = r.__dict__
            kind = rd["kind"]
            label = rd["emoji"] if kind == "emoji" and rd["emoji"] is not None else r.label
            count = rd["count"]
            rmap[label] = rmap.get(label, 0) + count
            total += count
            if long:
                reactions.append((cid, pid, kind, label, count))
    links: list[tuple[Any, ...]] = []
    entities: list[tuple[Any, ...]] = [] if long else _NO_ROWS
    domains: list[str] = []
    hashtags: list[str] = []
    for e in f["entities"]:
        ed = e.__dict__
        kind = ed["kind"]
        if long:
            entities.append((cid, pid, kind, ed["offset"], ed["length"], ed["text"], ed["href"]))
        if kind == "link" or (kind == "text_link" and ed["href"] is not None):
            url = ed["text"] if kind == "link" else ed["href"]
            domain = link_domain(url)
            links.append((cid, pid, kind, url, ed["text"], domain))
            if domain is not None and domain not in domains:
                domains.append(domain)
        elif kind == "hashtag" and ed["text"] not in hashtags:
            hashtags.append(ed["text"])
    fwd = f["forward"]
    media = f["media"]
    date = f["date"]
    edited = f["edited"]
    row = (
        cid,
        chat_name,
        pid,
        date if date is None or date.tzinfo is _UTC else utc(date),
        f["author"],
        f["author_id"],
        f["signature"],
        f["text"],
        post.lang.lang if lang else None,
        f["type"],
        f["action"],
        fwd.from_name if fwd is not None else None,
        fwd.from_id if fwd is not None else None,
        f["reply_to_id"],
        f["views"],
        edited if edited is None or edited.tzinfo is _UTC else utc(edited),
        total,
        rmap,
        len(links),
        domains or None,
        hashtags or None,
        media.kind if media is not None else None,
    )
    return PostRecords(row, reactions, links if long else _NO_ROWS, entities, post)


def _is_source(data: object) -> bool:
    return isinstance(data, str | os.PathLike | bytes | bytearray | memoryview) or hasattr(
        data, "read"
    )


def _items(
    data: WriteData | SourceLike, format: str | None = None, strict: bool = False
) -> Iterator[Chat | Post]:
    if _is_source(data):
        from .api import stream

        yield from stream(data, format=format, strict=strict)  # type: ignore[arg-type]
    elif isinstance(data, Archive):
        for chat in data.chats:
            yield chat
            yield from chat.posts
    else:
        yield from data  # type: ignore[misc]


def iter_records(
    data: WriteData | SourceLike,
    *,
    lang: bool = True,
    long_tables: bool = True,
    format: str | None = None,
    strict: bool = False,
) -> Iterator[Chat | PostRecords]:
    """Each chat as it comes, and for each post its rows of every table, in one pass.

    This is what the tabular writers stream from; ``format`` and ``strict`` apply when
    ``data`` is a source to read (as in :func:`tgarchive.load`). ``lang=False`` leaves the
    ``lang`` column null and skips language detection, the costliest column by far;
    ``long_tables=False`` leaves the reactions, links and entities rows empty (for writers
    of the posts table alone).

    >>> import tgarchive
    >>> from tgarchive.tables import iter_records
    >>> records = [r for r in iter_records(tgarchive.sample_path()) if not isinstance(r, tgarchive.Chat)]
    >>> len(records), records[2].links
    (12, [(1739574530, 3, 'link', 'https://arxiv.org/abs/2307.06865', 'https://arxiv.org/abs/2307.06865', 'arxiv.org')])
    """
    chat_id: int | None = None
    chat_name: str | None = None
    for item in _items(data, format, strict):
        if isinstance(item, Post):
            yield _records(item, chat_id, chat_name, lang, long_tables)
        elif isinstance(item, Chat):
            chat_id, chat_name = item.id, item.name
            yield item
        else:
            raise TypeError(f"expected Chat and Post objects, got a {type(item).__name__}")


_TABLE_INDEX = {"posts": 0, "reactions": 1, "links": 2, "entities": 3}


def iter_rows(
    data: WriteData | SourceLike,
    table: TableName = "posts",
    *,
    lang: bool = True,
    format: str | None = None,
    strict: bool = False,
) -> Iterator[dict[str, Any]]:
    """The rows of one table as dicts (column → value), streaming.

    Values are Python values: ``int``, ``str``, timezone-aware UTC ``datetime``, ``dict``
    for ``reactions``, ``list`` for ``domains`` and ``hashtags``, ``None`` for null.
    """
    names = column_names(table)
    index = _TABLE_INDEX[table]
    for record in iter_records(data, lang=lang, format=format, strict=strict):
        if isinstance(record, Chat):
            continue
        if index == 0:
            yield dict(zip(names, record.post, strict=True))
        else:
            for row in record[index]:
                yield dict(zip(names, row, strict=True))


# --- Arrow, pandas, polars -----------------------------------------------------------------

_INSTALL = {
    "pyarrow": "pip install 'tgarchive-kit[parquet]'",
    "pandas": "pip install 'tgarchive-kit[pandas]'",
    "polars": "pip install 'tgarchive-kit[polars]'",
}


def require(module: str) -> Any:
    """Import an optional dependency, or fail with the command that installs it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ImportError(
            f"this needs {module}, which is not installed: {_INSTALL.get(module, 'pip install ' + module)}"
        ) from exc


def _arrow_type(kind: Kind) -> Any:
    pa = require("pyarrow")
    return {
        "int": pa.int64(),
        "name": pa.dictionary(pa.int32(), pa.string()),
        "text": pa.string(),
        "time": pa.timestamp("us", tz="UTC"),
        "map": pa.map_(pa.string(), pa.int64()),
        "list": pa.list_(pa.string()),
    }[kind]


@functools.cache
def arrow_schema(table: TableName = "posts") -> pyarrow.Schema:
    """The Arrow schema of ``table`` (extra ``[parquet]``): stable across versions.

    ``int`` → ``int64``, ``name`` → ``dictionary<values=string, indices=int32>``, ``text`` →
    ``string``, ``time`` → ``timestamp[us, tz=UTC]``, ``map`` → ``map<string, int64>``,
    ``list`` → ``list<string>``; non-null columns are declared ``not null``.

    >>> from tgarchive.tables import arrow_schema
    >>> arrow_schema("reactions").field("count").type
    DataType(int64)
    >>> str(arrow_schema("posts").field("date").type)
    'timestamp[us, tz=UTC]'
    """
    pa = require("pyarrow")
    return pa.schema(
        [pa.field(c.name, _arrow_type(c.kind), nullable=c.nullable) for c in _columns(table)],
        metadata={"tgarchive.table": table, "tgarchive.schema_version": "1"},
    )


def arrow_batch(table: TableName, rows: Sequence[tuple[Any, ...]]) -> pyarrow.RecordBatch:
    """A record batch of ``table`` from row tuples (in :data:`COLUMNS` order)."""
    pa = require("pyarrow")
    schema = arrow_schema(table)
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in schema]
    arrays = []
    for field, values in zip(schema, columns, strict=True):
        if pa.types.is_dictionary(field.type):
            arrays.append(pa.array(values, pa.string()).dictionary_encode())
        elif pa.types.is_map(field.type):
            arrays.append(
                pa.array([list(v.items()) if v is not None else None for v in values], field.type)
            )
        else:
            arrays.append(pa.array(values, field.type))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def iter_batches(
    data: WriteData | SourceLike,
    *,
    batch_size: int = 16384,
    lang: bool = True,
    format: str | None = None,
    strict: bool = False,
) -> Iterator[tuple[TableName, pyarrow.RecordBatch]]:
    """Record batches of every table while streaming: each table's batch comes when it holds
    ``batch_size`` rows, and the remainders at the end."""
    pending: dict[TableName, list[tuple[Any, ...]]] = {t: [] for t in TABLES}
    for record in iter_records(data, lang=lang, format=format, strict=strict):
        if isinstance(record, Chat):
            continue
        pending["posts"].append(record.post)
        pending["reactions"].extend(record.reactions)
        pending["links"].extend(record.links)
        pending["entities"].extend(record.entities)
        for table in TABLES:
            rows = pending[table]
            if len(rows) >= batch_size:
                yield table, arrow_batch(table, rows)
                pending[table] = []
    for table in TABLES:
        if pending[table]:
            yield table, arrow_batch(table, pending[table])


def to_arrow(
    data: WriteData | SourceLike,
    table: TableName = "posts",
    *,
    lang: bool = True,
    format: str | None = None,
    strict: bool = False,
) -> pyarrow.Table:
    """One table as a :class:`pyarrow.Table` with the schema :func:`arrow_schema` gives."""
    pa = require("pyarrow")
    _columns(table)
    batches = [
        batch
        for name, batch in iter_batches(data, lang=lang, format=format, strict=strict)
        if name == table
    ]
    if not batches:
        return arrow_schema(table).empty_table()
    result = pa.Table.from_batches(batches, schema=arrow_schema(table))
    # One dictionary per column (each batch brought its own).
    return result.unify_dictionaries().combine_chunks()


def to_pandas(
    data: WriteData | SourceLike,
    table: TableName = "posts",
    *,
    lang: bool = True,
    format: str | None = None,
    strict: bool = False,
) -> pandas.DataFrame:
    """One table as a pandas DataFrame (extra ``[pandas]``), from an archive, a stream of
    chats and posts, or a source read on the way (no archive is built).

    dtypes, by column kind: ``int`` → ``Int64``, ``name`` → ``category``, ``text`` →
    ``string``, ``time`` → ``datetime64[us, UTC]``, ``map`` → ``object`` holding ``dict``,
    ``list`` → ``object`` holding ``list`` (``None`` for null).

    >>> import tgarchive
    >>> from tgarchive import tables
    >>> df = tables.to_pandas(tgarchive.sample_path())
    >>> df.shape, str(df["date"].dtype), str(df["chat_name"].dtype), str(df["views"].dtype)
    ((12, 22), 'datetime64[us, UTC]', 'category', 'Int64')
    >>> df.loc[df["reactions_total"].idxmax(), ["post_id", "reactions_total"]].tolist()
    [9, 78]
    """
    pd = require("pandas")
    arrow = to_arrow(data, table, lang=lang, format=format, strict=strict)
    pa = require("pyarrow")
    mapping = {pa.int64(): pd.Int64Dtype(), pa.string(): pd.StringDtype()}
    frame: pandas.DataFrame = arrow.to_pandas(types_mapper=mapping.get, maps_as_pydicts="strict")
    for column in _columns(table):
        if column.kind == "list":
            frame[column.name] = pd.Series(
                arrow.column(column.name).to_pylist(), index=frame.index, dtype=object
            )
    return frame


def to_polars(
    data: WriteData | SourceLike,
    table: TableName = "posts",
    *,
    lang: bool = True,
    format: str | None = None,
    strict: bool = False,
) -> polars.DataFrame:
    """One table as a polars DataFrame (extra ``[polars]``), like :func:`to_pandas`.

    dtypes, by column kind: ``int`` → ``Int64``, ``name`` → ``Categorical``, ``text`` →
    ``String``, ``time`` → ``Datetime("us", "UTC")``, ``map`` → ``Map(String, Int64)``,
    ``list`` → ``List(String)``.

    >>> import tgarchive
    >>> from tgarchive import tables
    >>> df = tables.to_polars(tgarchive.sample_path(), "reactions")
    >>> df.columns, df["count"].sum()
    (['chat_id', 'post_id', 'kind', 'reaction', 'count'], 174)
    """
    pl = require("polars")
    frame: polars.DataFrame = pl.from_arrow(
        to_arrow(data, table, lang=lang, format=format, strict=strict)
    )
    return frame
