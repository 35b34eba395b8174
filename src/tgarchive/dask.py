"""Dask DataFrames of exports and of converted datasets (extra ``[dask]``).

:func:`read_posts` reads exports themselves: one partition per export, large single-chat
JSON exports split into several (``blocksize`` bytes each), with the columns and dtypes of
:meth:`tgarchive.Archive.to_pandas`. :func:`read_parquet` reads a dataset written by
:func:`tgarchive.dataset.convert_many` (or ``tgarchive convert ... --to parquet --jobs N``)
with the same columns and dtypes. Both are lazy, and run on any scheduler, a
``dask.distributed`` cluster included (workers need tgarchive installed, and the exports or
the dataset at the same paths)::

    >>> import tgarchive, tgarchive.dask
    >>> posts = tgarchive.dask.read_posts([tgarchive.sample_path()])
    >>> posts.npartitions, int(posts.groupby("chat_id").size().compute().iloc[0])
    (1, 12)

.. versionadded:: 0.2
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._split import Piece, piece_stream, plan_pieces
from .dataset import expand_sources
from .errors import ParseWarning

if TYPE_CHECKING:
    import dask.dataframe as dd
    import pandas as pd

__all__ = ["DEFAULT_BLOCKSIZE", "read_parquet", "read_posts"]

DEFAULT_BLOCKSIZE = 64 * 1024 * 1024
"""Bytes of ``result.json`` per partition of :func:`read_posts` (a 64 MiB export holds
about 35,000 messages)."""

_HINT = "tgarchive.dask needs dask: pip install 'tgarchive-kit[dask]'"


def _dd() -> Any:
    try:
        import dask.dataframe as dd
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(_HINT) from exc
    return dd


PathsOrGlob = str | os.PathLike[str] | Iterable[str | os.PathLike[str]]


def _paths(paths_or_glob: PathsOrGlob) -> list[str | os.PathLike[str]]:
    if isinstance(paths_or_glob, str | os.PathLike):
        return [paths_or_glob]
    return list(paths_or_glob)


def read_posts(
    paths_or_glob: PathsOrGlob,
    *,
    table: str = "posts",
    format: str | None = None,
    strict: bool = False,
    blocksize: int | None = DEFAULT_BLOCKSIZE,
) -> dd.DataFrame:
    """A lazy dask DataFrame of ``table`` over many exports.

    ``paths_or_glob`` is one path or pattern, or a list of them: exports, folders of
    exports, globs (see :func:`tgarchive.dataset.expand_sources`). Building the frame only
    lists files and reads their sizes; each partition reads its export when computed, with
    ``format`` and ``strict`` as in :func:`tgarchive.load`. A single-chat ``result.json``
    larger than ``blocksize`` bytes is split into pieces read in parallel (``None``: one
    partition per export). The rows, their order and their dtypes are those of
    ``tgarchive.load(export).to_pandas(table=table)`` for each export in turn.
    """
    dd = _dd()
    sources = expand_sources(_paths(paths_or_glob))
    pieces: list[Piece] = []
    for source in sources:
        pieces.extend(plan_pieces(source, blocksize))
    meta = _meta(table)
    import dask

    # Keep to_pandas's dtypes: no conversion of object columns (dicts, lists) to strings.
    with dask.config.set({"dataframe.convert-string": False}):
        return dd.from_map(  # type: ignore[no-any-return]  # dask is untyped
            _read_piece,
            pieces,
            meta=meta,
            table=table,
            format=format,
            strict=strict,
            enforce_metadata=False,
            label=f"tgarchive-read-{table}",
        )


def _read_piece(piece: Piece, *, table: str, format: str | None, strict: bool) -> pd.DataFrame:
    """One partition: the rows of ``table`` of one export, or of one piece of it."""
    target, has_rows = piece_stream(piece)
    if not has_rows:
        return _meta(table)
    try:
        return _frame(target, table, format, strict)
    finally:
        if not isinstance(target, str):
            target.close()


def _meta(table: str) -> pd.DataFrame:
    """The empty frame of ``table`` with :func:`tgarchive.tables.to_pandas`'s dtypes."""

    from .tables import to_pandas

    return _string_categories(to_pandas([], table))  # type: ignore[arg-type]


def _string_categories(frame: pd.DataFrame) -> pd.DataFrame:
    """Give each category column without categories (all null) string categories, as the
    columns with values have, so that partitions concatenate."""
    import pandas as pd

    for name in frame.columns:
        dtype = frame[name].dtype
        if isinstance(dtype, pd.CategoricalDtype) and len(dtype.categories) == 0:
            frame[name] = frame[name].astype(pd.CategoricalDtype(pd.Index([], dtype="str")))
    return frame


def _frame(source: Any, table: str, format: str | None, strict: bool) -> pd.DataFrame:
    from .tables import to_pandas

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ParseWarning)
        frame = to_pandas(source, table, format=format, strict=strict)  # type: ignore[arg-type]
    return _string_categories(frame)


def read_parquet(
    path: str | os.PathLike[str],
    *,
    table: str = "posts",
    columns: Sequence[str] | None = None,
    filters: Any = None,
    **kwargs: Any,
) -> dd.DataFrame:
    """A lazy dask DataFrame of one table of a converted dataset.

    ``path`` is the dataset folder that :func:`tgarchive.dataset.convert_many` wrote (local,
    or any fsspec URL dask can read, such as ``s3://bucket/corpus``). The columns and dtypes
    are those of :func:`read_posts` (``columns=`` picks some of them, and may add ``month``);
    the chat id and month in the folder names prune whole folders through ``filters``
    (pyarrow's form: ``[("month", ">=", "2024-01"), ("chat_id", "==", 1739574530)]``). Rows
    come folder by folder (chat id, then month). Other keyword arguments go to
    :func:`dask.dataframe.read_parquet`.

    >>> import tempfile, tgarchive, tgarchive.dask
    >>> from tgarchive.dataset import convert_many
    >>> out = tempfile.mkdtemp()
    >>> _ = convert_many([tgarchive.sample_path()], out)
    >>> posts = tgarchive.dask.read_parquet(out, filters=[("month", "==", "2023-07")])
    >>> int(posts["reactions_total"].sum().compute())
    174
    """
    import dask
    import pandas as pd
    import pyarrow as pa

    from .dataset import PARTITION_COLUMNS, partitioning
    from .tables import column_names

    dd = _dd()
    names = column_names(table)  # type: ignore[arg-type]  # checked by tables
    wanted = list(columns) if columns is not None else names
    unknown = [c for c in wanted if c not in names and c != PARTITION_COLUMNS[1]]
    if unknown:
        raise ValueError(
            f"no column {unknown[0]!r} in table {table!r} (columns: {', '.join(names)})"
        )
    meta = _meta(table)
    meta[PARTITION_COLUMNS[1]] = pd.Series([], dtype=pd.StringDtype())
    meta = meta[wanted]
    root = str(path).rstrip("/")
    folder = f"{root}/{table}" if "://" in root or Path(root, table).is_dir() else root
    mapping = {pa.int64(): pd.Int64Dtype(), pa.string(): pd.StringDtype()}
    options = {"types_mapper": mapping.get, "maps_as_pydicts": "strict"}
    with dask.config.set({"dataframe.convert-string": False}):
        frame = dd.read_parquet(
            folder,
            columns=wanted,
            filters=filters,
            dataset={"partitioning": partitioning()},
            arrow_to_pandas=options,
            **kwargs,
        )
        lists = [c for c in wanted if c in _list_columns(table)]
        return frame.map_partitions(  # type: ignore[no-any-return]  # dask is untyped
            _as_to_pandas, wanted, lists, meta=meta
        )


def _list_columns(table: str) -> set[str]:
    from .tables import COLUMNS

    return {c.name for c in COLUMNS[table] if c.kind == "list"}  # type: ignore[index]


def _as_to_pandas(frame: pd.DataFrame, order: list[str], lists: list[str]) -> pd.DataFrame:
    """A partition read from Parquet in :func:`tgarchive.tables.to_pandas`'s form: columns
    in table order, list columns as Python lists (pyarrow gives numpy arrays)."""
    import pandas as pd

    frame = frame[order]
    for name in lists:
        values = [v.tolist() if v is not None else None for v in frame[name]]
        frame[name] = pd.Series(values, index=frame.index, dtype=object)
    return frame
