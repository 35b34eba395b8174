"""The top-level functions: :func:`load`, :func:`load_all`, :func:`iter_posts`, :func:`dumps`,
:func:`dump`."""

from __future__ import annotations

import gc
import io
import os
import warnings
import zipfile
from collections.abc import Callable, Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any, BinaryIO

from ._source import (
    Container,
    DirectoryContainer,
    FoundExport,
    Source,
    SourceLike,
    ZipContainer,
    find_exports,
    single_export,
)
from .errors import (
    MultipleExportsError,
    ParseIssue,
    ParseWarning,
    PluginError,
    SourceError,
)
from .models import Archive, Chat, Post
from .parsers import ParseContext, Parser, Registry, default_registry
from .writers import ItemStream, WriteData, WriterRegistry, WriteTarget, default_writers

__all__ = [
    "ExportStream",
    "convert",
    "detect_format",
    "dump",
    "dumps",
    "iter_posts",
    "load",
    "load_all",
    "sample_path",
    "stream",
]

_MIN_FOLDER_SCORE = 0.5


def _picker(named: Parser | None, reg: Registry) -> Callable[[Source], bool]:
    def pick(candidate: Source) -> bool:
        head = candidate.head()
        if named is not None:
            return named.detect(head, candidate.filename) > 0
        scores = reg.scores(head, candidate.filename)
        return bool(scores) and scores[0][0] >= _MIN_FOLDER_SCORE

    return pick


def _find(
    source: SourceLike, format: str | None, registry: Registry | None
) -> tuple[list[FoundExport], Parser | None, Registry]:
    reg = registry if registry is not None else default_registry()
    named = reg.get(format) if format is not None else None
    try:
        return find_exports(source, _picker(named, reg)), named, reg
    except SourceError as exc:
        if named is None or isinstance(exc, MultipleExportsError):
            raise
        # Nothing in the named format: say what is there, if anything.
        try:
            other = find_exports(source, _picker(None, reg))
        except SourceError:
            raise exc from None
        formats = []
        for found in other:
            with found.open() as src:
                name = reg.detect(src.head(), src.filename).name
            if name not in formats:
                formats.append(name)
        raise SourceError(
            f"{exc}: there is no {named.name} export there, but a {' and a '.join(formats)} "
            f"export ({other[0].name}); pass format={formats[0]!r}, or no format to detect it"
        ) from None


def _open(
    source: SourceLike, format: str | None, registry: Registry | None
) -> tuple[Source, Parser]:
    found, named, reg = _find(source, format, registry)
    src = single_export(found, source).open()
    parser = named if named is not None else reg.detect(src.head(), src.filename)
    return src, parser


def detect_format(source: SourceLike, *, registry: Registry | None = None) -> str:
    """The name of the format :func:`load` would read ``source`` with.

    >>> import tgarchive
    >>> tgarchive.detect_format(tgarchive.sample_path())
    'desktop-json'
    """
    src, parser = _open(source, None, registry)
    src.close()
    return parser.name


def _warn(ctx: ParseContext, hint: str, stacklevel: int) -> None:
    """The one :class:`ParseWarning` of a lenient call, pointing at the caller's line."""
    message = ctx.summary(hint=hint)
    if message is not None:
        warnings.warn(message, ParseWarning, stacklevel=stacklevel + 1)


def _read(src: Source, parser: Parser, strict: bool) -> tuple[Archive, ParseContext]:
    with ExportStream(src, parser, strict, count=False, warn=False) as export:
        return export.archive(), export._ctx


def load(
    source: SourceLike,
    *,
    format: str | None = None,
    strict: bool = False,
    registry: Registry | None = None,
) -> Archive:
    """Read a whole export into an :class:`Archive`.

    ``source`` is a path (an export folder, ``result.json``, ``messages.html``, a ``.zip`` of
    any of these, or ``archive.zip!Folder/result.json`` for one export of a zip), the bytes of
    an export file, or a binary file object (a ``str`` is always a path: pass content as
    bytes). The format is sniffed from the first 8 KiB unless ``format=`` names it (see
    :func:`available_formats`). A folder holding both ``result.json`` and ``messages.html``
    loads the JSON; a folder or zip holding several exports (``ChatExport_A/``,
    ``ChatExport_B/``) raises :class:`MultipleExportsError` naming them: pass one, or use
    :func:`load_all`.

    ``strict=False`` records problems on ``archive.issues``, keeps every other post, and
    emits one :class:`ParseWarning` (the count and the first problem); ``strict=True`` raises
    :class:`ParseError` at the first one.

    >>> import tgarchive
    >>> archive = tgarchive.load(tgarchive.sample_path())
    >>> archive.format, archive.chats[0].name, len(archive.chats[0].posts)
    ('desktop-json', 'Continuous Learning_Startup & Investment', 12)
    """
    src, parser = _open(source, format, registry)
    archive, ctx = _read(src, parser, strict)
    _warn(ctx, "archive.issues lists them all", stacklevel=2)
    return archive


def load_all(
    source: SourceLike,
    *,
    format: str | None = None,
    strict: bool = False,
    registry: Registry | None = None,
) -> list[Archive]:
    """Read every export found in ``source`` (a folder such as ``Telegram Desktop/`` holding
    ``ChatExport_A/`` and ``ChatExport_B/``, or a zip of several), one :class:`Archive` each,
    in path order. Takes the arguments of :func:`load`; one export gives a one-item list.

    >>> import tgarchive
    >>> [a.chats[0].name for a in tgarchive.load_all(tgarchive.sample_path())]
    ['Continuous Learning_Startup & Investment']
    """
    found, named, reg = _find(source, format, registry)
    archives = []
    contexts = []
    for export in found:
        src = export.open()
        parser = named if named is not None else reg.detect(src.head(), src.filename)
        archive, ctx = _read(src, parser, strict)
        archives.append(archive)
        contexts.append(ctx)
    where = os.fspath(source) if isinstance(source, str | os.PathLike) else "the input"
    total = ParseContext(file=where if len(found) > 1 else found[0].name)
    total.issues = [issue for ctx in contexts for issue in ctx.issues]
    _warn(total, "each archive's issues list its own", stacklevel=2)
    return archives


def iter_posts(
    source: SourceLike,
    *,
    format: str | None = None,
    strict: bool = False,
    registry: Registry | None = None,
) -> Iterator[Post]:
    """Yield the posts of an export one at a time, never holding the whole export.

    Takes the same arguments as :func:`load`. In lenient mode, the problems found are
    summarised in one :class:`ParseWarning` when the iteration ends (:func:`load` lists them
    on ``archive.issues``). The posts of every chat come chat after chat.

    >>> import tgarchive
    >>> sum(1 for post in tgarchive.iter_posts(tgarchive.sample_path()) if post.forward)
    3
    """
    src, parser = _open(source, format, registry)
    ctx = ParseContext(strict=strict, file=src.name)
    items = parser.parse(src, ctx)
    try:
        with src:
            for item in items:
                if isinstance(item, Post):
                    yield item
    finally:
        # stacklevel 2 is the frame that resumed this generator: the caller's loop.
        _warn(ctx, "tgarchive.load() lists them all on archive.issues", stacklevel=2)


def stream(
    source: SourceLike,
    *,
    format: str | None = None,
    strict: bool = False,
    registry: Registry | None = None,
) -> ExportStream:
    """The chats and posts of an export as its parser yields them (each chat before its
    posts), read once and never held whole; the archive-level data (``account``,
    ``source_keys``, ``issues``) is on the returned stream once it has been read, and how far
    the reading has got (``posts_read``, ``bytes_read`` of ``size``) at any time.

    Takes the same arguments as :func:`load`; detection happens here, so an unreadable input
    or an unknown format raises before the first item. Any writer takes the result. In lenient
    mode the problems are summarised in one :class:`ParseWarning` when the stream ends (its
    ``issues`` list them all). The input is released when the stream is exhausted; use it as
    a context manager (or call :meth:`ExportStream.close`) to release it earlier.

    >>> import tgarchive
    >>> items = tgarchive.stream(tgarchive.sample_path())
    >>> [type(item).__name__ for item in items][:3]
    ['Chat', 'Post', 'Post']
    """
    src, parser = _open(source, format, registry)
    return ExportStream(src, parser, strict)


def convert(
    source: SourceLike,
    target: WriteTarget,
    *,
    format: str | None = None,
    source_format: str | None = None,
    strict: bool = False,
    registry: Registry | None = None,
    writers: WriterRegistry | None = None,
) -> None:
    """Read ``source`` and write it to ``target`` in ``format``, streaming: the export is
    never held whole (only writers of formats that need the whole, such as
    ``desktop-json``, collect it).

    ``format`` names the output format (else the target's suffix decides, as in :func:`dump`);
    ``source_format`` and ``strict`` apply to reading, as ``format`` and ``strict`` do in
    :func:`load`.

    >>> import tgarchive, tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "copy.json"
    >>> tgarchive.convert(tgarchive.sample_path(), out)
    >>> len(tgarchive.load(out).posts)
    12
    """
    items = stream(source, format=source_format, strict=strict, registry=registry)
    dump(items, target, format=format, writers=writers)


def dumps(
    data: WriteData, *, format: str = "desktop-json", writers: WriterRegistry | None = None
) -> str:
    """Write an archive (or a stream of chats and posts) out as text in ``format``.

    An archive read from Desktop JSON comes out equal to its input (``json.loads`` of both
    compare equal), unknown fields included.
    """
    out = io.StringIO()
    (writers or default_writers()).get(format).write(data, out)
    return out.getvalue()


def dump(
    data: WriteData,
    target: WriteTarget,
    *,
    format: str | None = None,
    writers: WriterRegistry | None = None,
) -> None:
    """Write an archive (or a stream of chats and posts) to a path or a file object.

    The format is the one ``format=`` names, else the one the path's suffix calls for
    (``.json`` is ``desktop-json``), else ``desktop-json``; see :func:`dumps`.
    """
    registry = writers or default_writers()
    if format is not None:
        writer = registry.get(format)
    elif isinstance(target, str | os.PathLike):
        writer = registry.for_path(target)
    else:
        writer = registry.get("desktop-json")
    writer.write(data, target)


def sample_path() -> Path:
    """The bundled sample: a small Korean/English channel export in Desktop JSON.

    Made by the project (not a real channel's data); it has forwards, replies, reactions,
    links, hashtags, media placeholders and service messages.
    """
    return Path(str(files("tgarchive") / "data" / "sample" / "result.json"))


class _Progress:
    """Bytes read from the files of one export, each file counted once (the furthest point
    any stream of it reached), and the sizes of the files opened so far."""

    def __init__(self) -> None:
        self.read: dict[str, int] = {}
        self.sizes: dict[str, int | None] = {}

    def opened(self, key: str, size: int | None) -> None:
        self.read.setdefault(key, 0)
        self.sizes.setdefault(key, size)


class _CountingStream:
    """A binary stream that reports how far it has read (to :class:`_Progress`)."""

    def __init__(self, raw: BinaryIO, key: str, progress: _Progress) -> None:
        self._raw = raw
        self._key = key
        self._progress = progress
        self._pos = 0

    def _advance(self, n: int) -> None:
        self._pos += n
        if self._pos > self._progress.read[self._key]:
            self._progress.read[self._key] = self._pos

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        self._advance(len(data))
        return data

    def readinto(self, buffer: Any) -> int:
        n = self._raw.readinto(buffer)  # type: ignore[attr-defined]
        self._advance(n or 0)
        return int(n or 0)

    def readline(self, size: int = -1) -> bytes:
        data = self._raw.readline(size)
        self._advance(len(data))
        return data

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self._pos = self._raw.seek(offset, whence)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        self._raw.close()

    def __enter__(self) -> _CountingStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self._raw.close()

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.readline, b"")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


def _file_size(container: Container | None, member: str) -> int | None:
    try:
        if isinstance(container, DirectoryContainer):
            return os.path.getsize(container.path / member)
        if isinstance(container, ZipContainer):
            return container.zf.getinfo(container.prefix + member).file_size
    except (OSError, KeyError, zipfile.BadZipFile):
        pass
    return None


class _CountingContainer(Container):
    """The same files as ``inner``, read through counting streams."""

    def __init__(self, inner: Container, progress: _Progress) -> None:
        self._inner = inner
        self._progress = progress
        self.name = inner.name

    def list(self) -> list[str]:
        return self._inner.list()

    def exists(self, relative: str) -> bool:
        return self._inner.exists(relative)

    def display(self, relative: str) -> str:
        return self._inner.display(relative)

    def open(self, relative: str) -> BinaryIO:
        raw = self._inner.open(relative)
        key = self._inner.display(relative)
        self._progress.opened(key, _file_size(self._inner, relative))
        return _CountingStream(raw, key, self._progress)  # type: ignore[return-value]


def _counting(src: Source, progress: _Progress) -> Source:
    """``src`` with every stream a parser opens (the file itself, sibling pages) counted."""
    container = src.container
    counted = _CountingContainer(container, progress) if container is not None else None
    if container is not None and src.member is not None:
        # The same key as a sibling page opened through the container: counted once.
        key = container.display(src.member)
        size = _file_size(container, src.member)
    else:
        key, size = src.name, None
    opener = src.opener

    def reopen() -> BinaryIO:
        nonlocal size
        raw = opener()
        if size is None and isinstance(raw, io.BytesIO):
            size = len(raw.getbuffer())
        progress.opened(key, size)
        return _CountingStream(raw, key, progress)  # type: ignore[return-value]

    return Source(
        name=src.name,
        filename=src.filename,
        opener=reopen,
        container=counted,
        member=src.member,
        root=src.root,
        closers=src.closers,
        picked=src.picked,
    )


class ExportStream(ItemStream):
    """An export opened for streaming by :func:`stream`: an iterator (read once, like a file)
    of its chats and posts, each chat before its posts. The problems found so far, the posts
    yielded and the bytes read are readable at any time, so that a caller can show progress.

    >>> import tgarchive
    >>> with tgarchive.stream(tgarchive.sample_path()) as export:
    ...     kinds = [type(item).__name__ for item in export]
    >>> kinds[:3], export.posts_read, export.format
    (['Chat', 'Post', 'Post'], 12, 'desktop-json')
    >>> export.bytes_read == export.size == tgarchive.sample_path().stat().st_size
    True
    """

    def __init__(
        self, src: Source, parser: Parser, strict: bool, *, count: bool = True, warn: bool = True
    ) -> None:
        ctx = ParseContext(strict=strict, file=src.name)
        super().__init__((), format=parser.name, context=ctx)
        self._progress = _Progress()
        self._src = _counting(src, self._progress) if count else src
        self._ctx = ctx
        self._parser = parser
        self._warn = warn
        self._iterator: Iterator[Chat | Post] | None = None
        self.posts_read = 0
        """How many posts the iteration has yielded so far."""
        self.chats_read = 0
        """How many chats the iteration has yielded so far (a single-chat format may yield
        posts only: then 0)."""

    @property
    def name(self) -> str:
        """The file being read, as errors show it."""
        return self._src.name

    @property
    def root(self) -> str | None:
        """The export's root (see :attr:`tgarchive.Archive.root`)."""
        return self._src.root

    @property
    def issues(self) -> list[ParseIssue]:
        """The problems recorded so far (lenient mode), as on :attr:`tgarchive.Archive.issues`
        (the list itself, which grows as the reading goes on)."""
        return self._ctx.issues

    @property
    def bytes_read(self) -> int:
        """Bytes of the input read so far (each file counted once)."""
        return sum(self._progress.read.values())

    @property
    def size(self) -> int | None:
        """Total size in bytes of the input files opened so far (``None`` when one of them
        has no known size, such as a pipe). A multi-page HTML export grows it page by page."""
        sizes = self._progress.sizes.values()
        if not sizes or any(s is None for s in sizes):
            return None
        return sum(s for s in sizes if s is not None)

    def __iter__(self) -> ExportStream:
        return self

    def __next__(self) -> Chat | Post:
        if self._iterator is None:
            self._iterator = self._parser.parse(self._src, self._ctx)
        try:
            item = next(self._iterator)
        except StopIteration:
            self.close()
            if self._warn:
                self._warn = False
                # stacklevel 2 is the frame that called next(): the caller's loop.
                _warn(self._ctx, "the stream's issues list them all", stacklevel=2)
            raise
        except BaseException:  # a strict problem, or the caller's interruption
            self.close()
            raise
        if isinstance(item, Post):
            self.posts_read += 1
        elif isinstance(item, Chat):
            self.chats_read += 1
        else:
            self.close()
            raise PluginError(
                f"parser {self._parser.name!r} yielded a {type(item).__name__}; "
                "parsers yield Chat and Post objects"
            )
        return item

    def archive(self) -> Archive:
        """Read the whole export (what is left of it) into an :class:`Archive`, as
        :func:`load` does."""
        archive = Archive(format=self.format, root=self.root)
        chat: Chat | None = None
        # Many long-lived small objects: the cyclic GC would rescan them all again and again.
        gc_enabled = gc.isenabled()
        gc.disable()
        try:
            for item in self:
                if isinstance(item, Post):
                    if chat is None:
                        chat = Chat()
                        archive.chats.append(chat)
                    chat.posts.append(item)
                else:
                    chat = item
                    archive.chats.append(chat)
        finally:
            if gc_enabled:
                gc.enable()
        archive.issues = self.issues
        archive.account = self.account
        archive.source_keys = self.source_keys
        return archive

    def close(self) -> None:
        """Release the input (open files, an open zip, a spooled copy of a stream)."""
        close = getattr(self._iterator, "close", None)
        if close is not None:
            close()
        self._src.close()

    def __enter__(self) -> ExportStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
