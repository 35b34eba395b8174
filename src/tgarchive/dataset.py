"""Many exports into one Parquet dataset: :func:`convert_many`, its manifest and its progress.

A corpus of channels (a folder of exports, a glob, zips...) becomes one dataset, partitioned
the hive way by chat id and month, one folder per table of :mod:`tgarchive.tables`::

    corpus.parquet/
      manifest.jsonl                                      what was converted (see ManifestEntry)
      posts/chat_id=1739574530/month=2023-07/part-<key>-0.parquet
      posts/chat_id=1739574530/month=2023-08/part-<key>-0.parquet
      reactions/chat_id=1739574530/month=2023-07/part-<key>-0.parquet
      links/...   entities/...

Every file holds exactly the stable Arrow schema of its table (``chat_id`` included, so a file
taken out of the dataset still says which chat it is from); the folder names repeat the chat
id and add the month (UTC, ``YYYY-MM``) for partition pruning. A chat without an id, or a post
without a date, goes under ``__HIVE_DEFAULT_PARTITION__``, which DuckDB, Spark and pyarrow read
as null. ``<key>`` names the source, so each export owns its files.

The job runs on ``jobs`` worker processes (:class:`concurrent.futures.ProcessPoolExecutor`),
one export per task. It is resumable: each finished export is appended to ``manifest.jsonl``
at once, and a rerun skips exports already converted whose files are unchanged (same size and
modification time; when those differ, the same SHA-256). An export that fails, or even kills
its worker process, is recorded as failed and never stops the others; a rerun retries it.

>>> import tempfile, tgarchive
>>> from tgarchive.dataset import convert_many
>>> out = tempfile.mkdtemp()
>>> result = convert_many([tgarchive.sample_path()], out)
>>> [(e.status, e.posts) for e in result.converted], result.failed
([('converted', 12)], [])
>>> convert_many([tgarchive.sample_path()], out).skipped[0].posts   # a rerun skips it
12

.. versionadded:: 0.2
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import dataclasses
import glob
import hashlib
import json
import multiprocessing
import multiprocessing.context
import os
import queue
import shutil
import time
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ._source import PREFERRED_ENTRY_NAMES
from .errors import ParseWarning, TgArchiveError
from .models import Chat

if TYPE_CHECKING:
    import pyarrow as pa
    import pyarrow.dataset as pads
    import pyarrow.parquet as pq

    from .tables import PostRecords, TableName

__all__ = [
    "MANIFEST_NAME",
    "PARTITION_COLUMNS",
    "JobProgress",
    "JobResult",
    "ManifestEntry",
    "arrow_dataset",
    "convert_many",
    "dataset_schema",
    "expand_sources",
    "file_schema",
    "partitioning",
    "read_manifest",
]

MANIFEST_NAME = "manifest.jsonl"
"""The manifest's file name inside the dataset folder: one JSON object a line, one line per
finished export (the last line about a source wins)."""

PARTITION_COLUMNS = ("chat_id", "month")
"""The columns a dataset is partitioned on, in folder order."""

NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"
"""The folder value for a missing chat id or date (read back as null by hive readers)."""

_STAGING = "_staging"  # per-source scratch folders; readers skip names starting with "_"
_EXPORT_SUFFIXES = (".json", ".zip", ".html", ".htm")
_HASH_CHUNK = 1 << 20
_PROGRESS_EVERY = 1000  # posts between two progress reports of a running export
_MAX_ISSUES = 100  # issue texts kept per export in the manifest (all are counted)


# -- what the job reports ------------------------------------------------------------------


@dataclass(frozen=True)
class ManifestEntry:
    """One export of the job, as recorded in ``manifest.jsonl``.

    ``status`` is ``"converted"`` or ``"failed"`` (then ``error`` says why and ``files`` is
    empty). ``size``, ``mtime_ns`` and ``sha256`` fingerprint the export's own files (the
    JSON / HTML pages, or the zip), not its media; ``files`` are the Parquet files it wrote,
    relative to the dataset folder.
    """

    source: str
    """The export's path, absolute."""
    key: str
    """A short stable name derived from ``source``; part of every file name it writes."""
    status: Literal["converted", "failed"]
    size: int = 0
    mtime_ns: int = 0
    sha256: str = ""
    format: str | None = None
    posts: int = 0
    chats: list[dict[str, Any]] = field(default_factory=list)
    """``{"id": ..., "name": ..., "posts": ...}`` for each chat of the export."""
    issue_count: int = 0
    issues: list[str] = field(default_factory=list)
    """The problems recorded while reading (the first 100; ``issue_count`` counts them all)."""
    error: str | None = None
    files: list[str] = field(default_factory=list)
    converted_at: str = ""
    """When this entry was written (UTC, ISO 8601)."""
    seconds: float = 0.0

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ManifestEntry:
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass(frozen=True)
class JobProgress:
    """Where the whole job stands; passed to the ``progress`` callback of :func:`convert_many`.

    ``bytes_done`` counts the export bytes of finished exports (converted, skipped or failed)
    against ``bytes_total``; ``posts`` also counts the posts of exports still running.
    """

    sources: int
    done: int
    converted: int
    skipped: int
    failed: int
    bytes_total: int
    bytes_done: int
    posts: int
    source: str | None = None
    """The export this update is about."""


@dataclass
class JobResult:
    """What one run of :func:`convert_many` did, export by export."""

    out_dir: Path
    converted: list[ManifestEntry] = field(default_factory=list)
    skipped: list[ManifestEntry] = field(default_factory=list)
    """Exports already converted by an earlier run and unchanged since (their old entries)."""
    failed: list[ManifestEntry] = field(default_factory=list)

    @property
    def posts(self) -> int:
        """Posts written by this run."""
        return sum(e.posts for e in self.converted)


ProgressCallback = Callable[[JobProgress], None]


# -- finding the exports -------------------------------------------------------------------


def _is_export_dir(path: Path) -> bool:
    try:
        names = {p.name for p in path.iterdir() if p.is_file()}
    except OSError:
        return False
    return any(name in names for name in PREFERRED_ENTRY_NAMES) or any(
        n.startswith("messages") and n.endswith(".html") for n in names
    )


def _exports_in(path: Path) -> list[Path]:
    if not path.is_dir():
        return [path]
    if _is_export_dir(path):
        return [path]
    found: list[Path] = []
    for child in sorted(path.iterdir()):
        if child.name.startswith("."):
            continue
        if child.is_dir():
            found.extend(p for p in _exports_in(child) if p.is_dir() or p.suffix == ".zip")
        elif child.suffix.lower() in (".json", ".zip"):
            found.append(child)
    return found


def expand_sources(sources: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The exports that ``sources`` name, each once, in order, as absolute paths.

    Each item is an export (a ``result.json``, ``messages.html``, ``.zip`` or export folder),
    a folder of exports (searched recursively: export folders, ``.zip`` and ``.json`` files),
    or a glob pattern (``corpus/*/result.json``, ``**`` allowed) matching any of these.
    A pattern matching nothing, a missing path, or a folder without exports raises.

    >>> import tgarchive
    >>> from tgarchive.dataset import expand_sources
    >>> [p.name for p in expand_sources([tgarchive.sample_path().parent])]
    ['sample']
    """
    found: dict[Path, None] = {}
    for spec in sources:
        text = os.path.expanduser(os.fspath(spec))
        if glob.has_magic(text) and not os.path.exists(text):
            matches = sorted(glob.glob(text, recursive=True))
            if not matches:
                raise FileNotFoundError(f"{text}: no file or folder matches this pattern")
        else:
            if not os.path.exists(text):
                raise FileNotFoundError(f"{text}: no such file or folder")
            matches = [text]
        for match in matches:
            exports = _exports_in(Path(match))
            if not exports:
                raise TgArchiveError(f"{match}: no Telegram export in this folder")
            for export in exports:
                found.setdefault(export.resolve(), None)
    return list(found)


def _export_files(path: Path) -> list[Path]:
    """The files that make up an export's text (what is fingerprinted), not its media."""
    if path.is_dir():
        files = sorted(
            p for p in path.iterdir() if p.is_file() and p.suffix.lower() in _EXPORT_SUFFIXES
        )
        subdirs = [p for p in path.iterdir() if p.is_dir()]
        if not files and len(subdirs) == 1:  # an unzipped download: one export folder inside
            return _export_files(subdirs[0])
        return files
    if path.suffix.lower() in (".html", ".htm"):
        pages = sorted(path.parent.glob("messages*.html"))
        return pages if path in pages else [path, *pages]
    return [path]


def _stat(files: Sequence[Path]) -> tuple[int, int]:
    size = mtime = 0
    for f in files:
        st = f.stat()
        size += st.st_size
        mtime = max(mtime, st.st_mtime_ns)
    return size, mtime


def _sha256(files: Sequence[Path]) -> str:
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.name.encode() + b"\0")
        with f.open("rb") as fh:
            while chunk := fh.read(_HASH_CHUNK):
                digest.update(chunk)
    return digest.hexdigest()


def source_key(path: Path) -> str:
    """The short name of a source in the dataset's file names (from its absolute path)."""
    return hashlib.sha1(str(path).encode("utf-8")).hexdigest()[:16]


# -- the manifest ----------------------------------------------------------------------------


def read_manifest(out_dir: str | os.PathLike[str]) -> dict[str, ManifestEntry]:
    """The latest manifest entry of every source of a dataset, by source path.

    A line cut short (a job killed while writing it) is ignored, so that source is redone.

    >>> import tempfile, tgarchive
    >>> from tgarchive.dataset import convert_many, read_manifest
    >>> out = tempfile.mkdtemp()
    >>> _ = convert_many([tgarchive.sample_path()], out)
    >>> [(e.status, e.chats[0]["name"]) for e in read_manifest(out).values()]
    [('converted', 'Continuous Learning_Startup & Investment')]
    """
    path = Path(out_dir) / MANIFEST_NAME
    entries: dict[str, ManifestEntry] = {}
    if not path.exists():
        return entries
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            try:
                data = json.loads(line)
                entry = ManifestEntry.from_dict(data)
            except (ValueError, TypeError):
                continue
            entries[entry.source] = entry
    return entries


def _compact_manifest(out_dir: Path) -> None:
    """Rewrite the manifest with one line per source (atomically)."""
    entries = read_manifest(out_dir)
    tmp = out_dir / (MANIFEST_NAME + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="\n") as fh:
        for entry in entries.values():
            fh.write(entry.to_json() + "\n")
    os.replace(tmp, out_dir / MANIFEST_NAME)


# -- one export: the worker's task ---------------------------------------------------------


@dataclass(frozen=True)
class _Task:
    source: str
    key: str
    out_dir: str
    format: str | None
    strict: bool
    batch_rows: int
    previous: ManifestEntry | None


_progress_queue: Any = None  # set in each worker process by _init_worker


def _init_worker(progress_queue: Any) -> None:
    global _progress_queue
    _progress_queue = progress_queue
    warnings.simplefilter("ignore", ParseWarning)  # problems are recorded in the manifest


def _report_to_queue(key: str, posts: int) -> None:
    if _progress_queue is not None:
        _progress_queue.put((key, posts))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _month(when: datetime | None) -> str:
    """The month folder of a post's (UTC) date."""
    if when is None:
        return NULL_PARTITION
    return f"{when.year:04d}-{when.month:02d}"


def _partition_value(chat_id: int | None) -> str:
    return NULL_PARTITION if chat_id is None else str(chat_id)


class _PartitionedWriter:
    """Streams the rows of one export into ``<table>/chat_id=…/month=…/part-<key>-<n>.parquet``
    files under a staging folder, with bounded memory.

    Rows wait in per-partition buffers; when ``batch_rows`` posts wait in all, every buffer is
    written out as a row group. At most ``max_open`` partitions keep open files; one pushed
    out is closed, and coming back to it starts a new part file (``-1``, ``-2``...). Posts of
    a channel come in date order, so in practice each month is one file per table. A table
    gets a file in a partition only if it has rows there.
    """

    def __init__(self, root: Path, key: str, batch_rows: int, max_open: int = 8) -> None:
        self.root = root
        self.key = key
        self.batch_rows = batch_rows
        self.max_open = max_open
        self.pending: dict[tuple[str, str], tuple[list[Any], ...]] = {}
        self.waiting = 0
        self.open: OrderedDict[tuple[str, str], dict[str, pq.ParquetWriter]] = OrderedDict()
        self.parts: dict[tuple[str, str], int] = {}
        self.files: list[Path] = []

    def add(self, record: PostRecords) -> None:
        row = record.post
        where = (_partition_value(row[0]), _month(row[3]))  # chat_id, date (UTC)
        bucket = self.pending.get(where)
        if bucket is None:
            bucket = self.pending[where] = ([], [], [], [])
        bucket[0].append(row)
        bucket[1].extend(record.reactions)
        bucket[2].extend(record.links)
        bucket[3].extend(record.entities)
        self.waiting += 1
        if self.waiting >= self.batch_rows:
            self.flush()

    def flush(self) -> None:
        from .tables import TABLES, arrow_batch

        for where, bucket in self.pending.items():
            writers = self._writers(where)
            for table, rows in zip(TABLES, bucket, strict=True):
                if rows:
                    # The chat id is in the folder name (hive style), not in the file.
                    batch = arrow_batch(table, rows).drop_columns([PARTITION_COLUMNS[0]])
                    self._writer(writers, where, table).write_batch(batch)
        self.pending.clear()
        self.waiting = 0

    def _writers(self, where: tuple[str, str]) -> dict[str, pq.ParquetWriter]:
        if where in self.open:
            self.open.move_to_end(where)
            return self.open[where]
        if len(self.open) >= self.max_open:
            _, oldest = self.open.popitem(last=False)
            for writer in oldest.values():
                writer.close()
        self.parts[where] = self.parts.get(where, -1) + 1
        writers: dict[str, pq.ParquetWriter] = {}
        self.open[where] = writers
        return writers

    def _writer(
        self, writers: dict[str, pq.ParquetWriter], where: tuple[str, str], table: TableName
    ) -> pq.ParquetWriter:
        writer = writers.get(table)
        if writer is None:
            folder = self.root / table / f"chat_id={where[0]}" / f"month={where[1]}"
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"part-{self.key}-{self.parts[where]}.parquet"
            writer = writers[table] = _open_parquet(path, table)
            self.files.append(path)
        return writer

    def close(self) -> None:
        self.flush()
        for writers in self.open.values():
            for writer in writers.values():
                writer.close()
        self.open.clear()

    def abort(self) -> None:
        for writers in self.open.values():
            for writer in writers.values():
                with contextlib.suppress(Exception):  # the staging folder is removed anyway
                    writer.close()
        self.open.clear()


def _open_parquet(path: Path, table: TableName) -> pq.ParquetWriter:
    import pyarrow.parquet as pq

    return pq.ParquetWriter(path, file_schema(table), compression="zstd")


def file_schema(table: TableName = "posts") -> pa.Schema:
    """The Arrow schema of each Parquet file of ``table`` in a dataset: the table's schema
    (:func:`tgarchive.tables.arrow_schema`) without ``chat_id``, which the folder names hold.

    >>> from tgarchive.dataset import file_schema
    >>> file_schema("reactions").names
    ['post_id', 'kind', 'reaction', 'count']
    """
    from .tables import arrow_schema

    schema = arrow_schema(table)
    return schema.remove(schema.get_field_index(PARTITION_COLUMNS[0]))


def partitioning() -> pads.Partitioning:
    """The dataset's hive partitioning for pyarrow: ``chat_id`` (int64) and ``month``
    (string, ``YYYY-MM``); a ``__HIVE_DEFAULT_PARTITION__`` folder is null."""
    import pyarrow as pa
    import pyarrow.dataset as pads

    from .tables import arrow_schema

    chat_id = arrow_schema("posts").field(PARTITION_COLUMNS[0])
    schema = pa.schema([chat_id, pa.field(PARTITION_COLUMNS[1], pa.string())])
    return pads.partitioning(schema, flavor="hive")


def dataset_schema(table: TableName = "posts") -> pa.Schema:
    """The schema of a dataset's table as read with :func:`partitioning`: the table's
    Arrow schema, then ``month``."""
    import pyarrow as pa

    from .tables import arrow_schema

    return arrow_schema(table).append(pa.field(PARTITION_COLUMNS[1], pa.string()))


def arrow_dataset(out_dir: str | os.PathLike[str], table: TableName = "posts") -> pads.Dataset:
    """One table of a converted dataset as a :class:`pyarrow.dataset.Dataset`: lazy,
    filterable on ``chat_id`` and ``month`` without opening other folders' files, with the
    schema :func:`dataset_schema` gives (what DuckDB, polars and pandas can read from).

    >>> import tempfile, tgarchive
    >>> from tgarchive.dataset import arrow_dataset, convert_many
    >>> out = tempfile.mkdtemp()
    >>> _ = convert_many([tgarchive.sample_path()], out)
    >>> posts = arrow_dataset(out).to_table(columns=["chat_id", "month", "post_id"])
    >>> posts.num_rows, sorted(posts.column("month").unique().to_pylist())
    (12, ['2023-06', '2023-07'])
    """
    import pyarrow.dataset as pads

    folder = Path(out_dir) / table
    return pads.dataset(
        str(folder) if folder.is_dir() else [],
        schema=dataset_schema(table),
        format="parquet",
        partitioning=partitioning(),
    )


def _convert_source(task: _Task, report: Callable[[str, int], None]) -> tuple[ManifestEntry, bool]:
    """Convert one export into the dataset (in a worker process); never raises for bad input.

    Returns the manifest entry and whether the export was found unchanged (nothing redone)."""
    start = time.perf_counter()
    path = Path(task.source)
    out_dir = Path(task.out_dir)
    base: dict[str, Any] = {"source": task.source, "key": task.key}
    try:
        files = _export_files(path)
        size, mtime = _stat(files)
        sha = _sha256(files)
    except OSError as exc:
        failed = ManifestEntry(**base, status="failed", error=f"cannot read the export: {exc}",
                               converted_at=_now())  # fmt: skip
        return failed, False
    prev = task.previous
    if prev is not None and prev.status == "converted" and prev.sha256 == sha:
        # Touched but unchanged: keep the files, record the new modification time.
        return dataclasses.replace(prev, size=size, mtime_ns=mtime, converted_at=_now()), True
    fingerprint: dict[str, Any] = {"size": size, "mtime_ns": mtime, "sha256": sha}
    staging = out_dir / _STAGING / task.key
    shutil.rmtree(staging, ignore_errors=True)
    writer = _PartitionedWriter(staging, task.key, task.batch_rows)
    chats: list[dict[str, Any]] = []
    posts = 0
    try:
        from .api import stream
        from .tables import iter_records

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ParseWarning)
            export = stream(str(path), format=task.format, strict=task.strict)
            with export:
                for record in iter_records(export):
                    if isinstance(record, Chat):
                        chats.append({"id": record.id, "name": record.name, "posts": 0})
                        continue
                    if not chats:
                        chats.append({"id": None, "name": None, "posts": 0})
                    chats[-1]["posts"] += 1
                    writer.add(record)
                    posts += 1
                    if posts % _PROGRESS_EVERY == 0:
                        report(task.key, _PROGRESS_EVERY)
            writer.close()
    except Exception as exc:  # one broken export must never stop the job
        writer.abort()
        shutil.rmtree(staging, ignore_errors=True)
        report(task.key, -(posts - posts % _PROGRESS_EVERY))
        failed = ManifestEntry(**base, **fingerprint, status="failed", error=_describe(exc),
                               converted_at=_now(), seconds=time.perf_counter() - start)  # fmt: skip
        return failed, False
    report(task.key, posts % _PROGRESS_EVERY)
    written = _publish(staging, out_dir, writer.files, prev)
    entry = ManifestEntry(
        **base,
        **fingerprint,
        status="converted",
        format=export._parser.name,  # the format detected (or named)
        posts=posts,
        chats=chats,
        issue_count=len(export.issues),
        issues=[str(issue) for issue in export.issues[:_MAX_ISSUES]],
        files=written,
        converted_at=_now(),
        seconds=time.perf_counter() - start,
    )
    return entry, False


def _describe(exc: BaseException) -> str:
    if isinstance(exc, TgArchiveError | OSError | ValueError):
        return str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {exc}"


def _publish(
    staging: Path, out_dir: Path, files: list[Path], prev: ManifestEntry | None
) -> list[str]:
    """Move a finished export's files from staging into the dataset, replacing its old ones."""
    written = [f.relative_to(staging).as_posix() for f in files]
    if prev is not None:
        for old in set(prev.files) - set(written):
            (out_dir / old).unlink(missing_ok=True)
    for staged, rel in zip(files, written, strict=True):
        target = out_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged, target)
    shutil.rmtree(staging, ignore_errors=True)
    return written


def _run_task(task: _Task) -> tuple[ManifestEntry, bool]:
    """The function each worker process runs."""
    return _convert_source(task, _report_to_queue)


# -- the job ---------------------------------------------------------------------------------


class _Job:
    """The parent's bookkeeping: manifest lines, counters and progress updates."""

    def __init__(
        self,
        out_dir: Path,
        sizes: dict[str, int],
        progress: ProgressCallback | None,
    ) -> None:
        self.out_dir = out_dir
        self.result = JobResult(out_dir=out_dir)
        self.sizes = sizes
        self.progress = progress
        self.sources = len(sizes)
        self.bytes_total = sum(sizes.values())
        self.bytes_done = 0
        self.posts = 0
        self.manifest = (out_dir / MANIFEST_NAME).open("a", encoding="utf-8", newline="\n")

    def close(self) -> None:
        self.manifest.close()

    def _notify(self, source: str | None) -> None:
        if self.progress is None:
            return
        r = self.result
        self.progress(
            JobProgress(
                sources=self.sources,
                done=len(r.converted) + len(r.skipped) + len(r.failed),
                converted=len(r.converted),
                skipped=len(r.skipped),
                failed=len(r.failed),
                bytes_total=self.bytes_total,
                bytes_done=self.bytes_done,
                posts=self.posts,
                source=source,
            )
        )

    def running(self, source: str, posts: int) -> None:
        self.posts += posts
        self._notify(source)

    def skipped(self, entry: ManifestEntry) -> None:
        self.result.skipped.append(entry)
        self.bytes_done += self.sizes.get(entry.source, 0)
        self._notify(entry.source)

    def finished(self, task: _Task, entry: ManifestEntry, unchanged: bool) -> None:
        if entry.status == "failed":
            self.result.failed.append(entry)
        elif unchanged:
            self.result.skipped.append(entry)  # touched, same content: nothing redone
        else:
            self.result.converted.append(entry)
        self.manifest.write(entry.to_json() + "\n")
        self.manifest.flush()
        self.bytes_done += self.sizes.get(task.source, 0)
        self._notify(task.source)


def convert_many(
    sources: Iterable[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    *,
    jobs: int = 1,
    format: str | None = None,
    strict: bool = False,
    resume: bool = True,
    progress: ProgressCallback | None = None,
    batch_rows: int = 10_000,
    mp_context: multiprocessing.context.BaseContext | None = None,
) -> JobResult:
    """Convert many exports into one hive-partitioned Parquet dataset in ``out_dir``.

    ``sources`` are exports, folders of exports or glob patterns (see :func:`expand_sources`).
    Each export is read streaming and written under ``out_dir/<table>/chat_id=…/month=…/``
    (see the module docstring), ``batch_rows`` posts at most waiting in memory per worker.
    ``jobs`` worker processes convert exports side by side (``jobs=1`` works in this process;
    ``mp_context`` picks the :mod:`multiprocessing` start method of the pool).

    ``format`` and ``strict`` are those of :func:`tgarchive.load`; an export that cannot be
    read (or, with ``strict=True``, has any problem) is recorded as failed, and the other
    exports go on. With ``resume=True`` an export recorded as converted and unchanged since
    is skipped; ``resume=False`` converts everything again. ``progress`` is called in this
    process with a :class:`JobProgress` after each export and while long ones run.

    Needs pyarrow (``pip install 'tgarchive-kit[parquet]'``).
    """
    from .tables import require

    require("pyarrow")
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    paths = expand_sources(sources)
    root = Path(out_dir).resolve()
    root.mkdir(parents=True, exist_ok=True)
    previous = read_manifest(root) if resume else {}
    tasks: list[_Task] = []
    sizes: dict[str, int] = {}
    skip: list[ManifestEntry] = []
    for path in paths:
        name = str(path)
        prev = previous.get(name)
        try:
            size, mtime = _stat(_export_files(path))
        except OSError:
            size, mtime = 0, -1
        sizes[name] = size
        if (
            prev is not None
            and prev.status == "converted"
            and (prev.size, prev.mtime_ns) == (size, mtime)
            and all((root / f).exists() for f in prev.files)
        ):
            skip.append(prev)
            continue
        tasks.append(_Task(name, source_key(path), str(root), format, strict, batch_rows, prev))
    job = _Job(root, sizes, progress)
    try:
        for entry in skip:
            job.skipped(entry)
        if jobs == 1 or len(tasks) <= 1:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ParseWarning)
                for task in tasks:
                    job.finished(task, *_convert_source(task, job.running))
        else:
            _run_pool(tasks, jobs, job, mp_context or multiprocessing.get_context())
    finally:
        job.close()
        _compact_manifest(root)
        shutil.rmtree(root / _STAGING, ignore_errors=True)
    return job.result


def _run_pool(
    tasks: list[_Task], jobs: int, job: _Job, context: multiprocessing.context.BaseContext
) -> None:
    """Run ``tasks`` on ``jobs`` processes, at most ``jobs`` in flight, so that when a worker
    dies the exports it may have been converting are known; each of those is then retried
    alone, and recorded as failed if it kills its worker again."""
    todo: list[_Task] = list(reversed(tasks))
    suspects: list[_Task] = []
    progress_queue = context.Queue()
    try:
        while todo or suspects:
            alone = [suspects.pop()] if suspects else None
            width = 1 if alone else jobs
            with cf.ProcessPoolExecutor(
                max_workers=width,
                mp_context=context,
                initializer=_init_worker,
                initargs=(progress_queue,),
            ) as pool:
                lost = _drain(pool, alone or todo, width, job, progress_queue)
            if alone:
                for task in lost:
                    job.finished(task, _died(task), False)
            else:
                suspects.extend(lost)
    finally:
        progress_queue.close()
        progress_queue.join_thread()


def _drain(
    pool: cf.ProcessPoolExecutor,
    batch: list[_Task],
    width: int,
    job: _Job,
    progress_queue: Any,
) -> list[_Task]:
    """Feed ``batch`` (taking from its end) to ``pool``, ``width`` tasks in flight; returns the
    tasks that were in flight when the pool broke (none if it did not)."""
    inflight: dict[cf.Future[tuple[ManifestEntry, bool]], _Task] = {}
    by_key: dict[str, str] = {}
    try:
        while batch or inflight:
            while batch and len(inflight) < width:
                task = batch.pop()
                inflight[pool.submit(_run_task, task)] = task
                by_key[task.key] = task.source
            done, _ = cf.wait(inflight, timeout=0.2, return_when=cf.FIRST_COMPLETED)
            _pump(progress_queue, job, by_key)
            if any(isinstance(f.exception(), cf.process.BrokenProcessPool) for f in done):
                lost = []
                for future, task in inflight.items():
                    if future.done() and future.exception() is None:
                        job.finished(task, *future.result())
                    else:
                        lost.append(task)
                return lost
            for future in done:
                job.finished(inflight.pop(future), *future.result())
    finally:
        _pump(progress_queue, job, by_key)
    return []


def _died(task: _Task) -> ManifestEntry:
    return ManifestEntry(
        source=task.source,
        key=task.key,
        status="failed",
        error="the worker process converting this export died (out of memory, or a crash)",
        converted_at=_now(),
    )


def _pump(progress_queue: Any, job: _Job, by_key: dict[str, str]) -> None:
    while True:
        try:
            key, posts = progress_queue.get_nowait()
        except queue.Empty:
            return
        job.running(by_key.get(key, key), posts)


def iter_dataset_files(out_dir: str | os.PathLike[str], table: str = "posts") -> Iterator[Path]:
    """The Parquet files of one table of a converted dataset, in path order."""
    yield from sorted((Path(out_dir) / table).glob("chat_id=*/month=*/*.parquet"))
