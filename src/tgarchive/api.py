"""The top-level functions: :func:`load`, :func:`load_all`, :func:`iter_posts`, :func:`dumps`,
:func:`dump`."""

from __future__ import annotations

import gc
import io
import os
import warnings
from collections.abc import Callable, Iterator
from importlib.resources import files
from pathlib import Path

from ._source import FoundExport, Source, SourceLike, find_exports, single_export
from .errors import MultipleExportsError, ParseWarning, PluginError, SourceError
from .models import Archive, Chat, Post
from .parsers import ParseContext, Parser, Registry, default_registry
from .writers import ItemStream, WriteData, WriterRegistry, WriteTarget, default_writers

__all__ = [
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
    ctx = ParseContext(strict=strict, file=src.name)
    items = parser.parse(src, ctx)
    archive = Archive(format=parser.name, root=src.root)
    chat: Chat | None = None
    # Many long-lived small objects: the cyclic GC would rescan them all again and again.
    gc_enabled = gc.isenabled()
    gc.disable()
    try:
        for item in items:
            if isinstance(item, Post):
                if chat is None:
                    chat = Chat()
                    archive.chats.append(chat)
                chat.posts.append(item)
            elif isinstance(item, Chat):
                chat = item
                archive.chats.append(chat)
            else:
                raise PluginError(
                    f"parser {parser.name!r} yielded a {type(item).__name__}; "
                    "parsers yield Chat and Post objects"
                )
    finally:
        src.close()
        if gc_enabled:
            gc.enable()
    archive.issues = ctx.issues
    archive.account = ctx.account
    archive.source_keys = ctx.source_keys
    return archive, ctx


def _items(
    source: SourceLike, format: str | None, strict: bool, registry: Registry | None
) -> tuple[Iterator[Chat | Post], ParseContext, Source, Parser]:
    # Kept for the command line until it moves to the public API.
    src, parser = _open(source, format, registry)
    ctx = ParseContext(strict=strict, file=src.name)
    return parser.parse(src, ctx), ctx, src, parser


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
) -> ItemStream:
    """The chats and posts of an export as its parser yields them (each chat before its
    posts), read once and never held whole; the archive-level data (``account``,
    ``source_keys``, ``issues``) is on the returned stream once it has been read.

    Takes the same arguments as :func:`load`; any writer takes the result.

    >>> import tgarchive
    >>> items = tgarchive.stream(tgarchive.sample_path())
    >>> [type(item).__name__ for item in items][:3]
    ['Chat', 'Post', 'Post']
    """
    items, ctx, src, parser = _items(source, format, strict, registry)

    def generate() -> Iterator[Chat | Post]:
        with src:
            for item in items:
                if not isinstance(item, Chat | Post):
                    raise PluginError(
                        f"parser {parser.name!r} yielded a {type(item).__name__}; "
                        "parsers yield Chat and Post objects"
                    )
                yield item

    return ItemStream(generate(), format=parser.name, context=ctx)


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
