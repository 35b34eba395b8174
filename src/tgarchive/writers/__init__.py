"""Writers, their registry, and choosing one by name or file suffix.

A writer is any object with a ``name``, the file ``suffixes`` it is chosen for, and a
``write(data, target)`` method (the :class:`Writer` protocol): ``data`` is an
:class:`tgarchive.Archive` or any iterable of the :class:`tgarchive.Chat` and
:class:`tgarchive.Post` objects a parser yields (so that a conversion can stream), ``target`` a
path or a file object. Writers are found through the entry-point group ``tgarchive.writers``,
where tgarchive declares its own, the same way parsers are::

    [project.entry-points."tgarchive.writers"]
    my-format = "my_package.writer:MyFormatWriter"

>>> from tgarchive.writers import default_writers
>>> default_writers().for_path("copy.json").name
'desktop-json'
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
from collections.abc import Iterable, Iterator
from typing import IO, Any, Protocol, TextIO, runtime_checkable

from .._plugins import PluginOrigin, load_entry_points
from ..errors import PluginError, UnknownFormatError
from ..models import Archive, Chat, Post

__all__ = [
    "ENTRY_POINT_GROUP",
    "ItemStream",
    "WriteData",
    "WriteTarget",
    "Writer",
    "WriterRegistry",
    "as_archive",
    "default_writers",
    "iter_items",
    "text_target",
]

ENTRY_POINT_GROUP = "tgarchive.writers"

WriteData = Archive | Iterable[Chat | Post]
"""What a writer writes: a whole archive, or a stream of chats and posts as a parser yields
them (each chat before its posts; a stream of posts alone is one chat)."""

WriteTarget = str | os.PathLike[str] | IO[str] | IO[bytes]
"""Where a writer writes: a path, or a text or binary file object (writers that need a real
file, such as SQLite, take paths only and say so)."""


@runtime_checkable
class Writer(Protocol):
    """What an output format provides. See the module docstring for how to register one."""

    name: str
    """Stable kebab-case format name (``desktop-json``); also the ``format=`` value."""
    suffixes: tuple[str, ...]
    """File suffixes (``.json``) for which :func:`tgarchive.dump` picks this writer."""

    def write(self, data: WriteData, target: WriteTarget) -> None:
        """Write ``data`` to ``target``, streaming when ``data`` is a stream."""
        ...


class ItemStream(Iterable[Chat | Post]):
    """The chats and posts of a source as its parser yields them, read once, plus what the
    parser knows about the whole export once they are read: ``account`` sections and
    top-level ``source_keys`` (an account export writes them after its chats) and the
    ``issues`` of lenient mode. :func:`tgarchive.convert` hands writers one of these."""

    def __init__(self, items: Iterable[Chat | Post], *, format: str, context: Any = None) -> None:
        self._items = items
        self.format = format
        """The name of the parser reading the source."""
        self._context = context

    def __iter__(self) -> Iterator[Chat | Post]:
        return iter(self._items)

    @property
    def account(self) -> dict[str, Any] | None:
        """Account-level sections (complete once the stream has been read)."""
        return getattr(self._context, "account", None)

    @property
    def source_keys(self) -> tuple[str, ...] | None:
        """Top-level keys of the source (complete once the stream has been read)."""
        return getattr(self._context, "source_keys", None)

    @property
    def issues(self) -> list[Any]:
        """Problems recorded so far in lenient mode."""
        return list(getattr(self._context, "issues", []))


def iter_items(data: WriteData) -> Iterator[Chat | Post]:
    """The chats and posts of ``data`` in stream order: each chat, then its posts."""
    if isinstance(data, Archive):
        for chat in data.chats:
            yield chat
            yield from chat.posts
    else:
        yield from data


def as_archive(data: WriteData, *, format: str = "stream") -> Archive:
    """``data`` as an :class:`Archive` (collecting a stream), for writers that need the whole."""
    if isinstance(data, Archive):
        return data
    archive = Archive(format=format)
    chat: Chat | None = None
    for item in data:
        if isinstance(item, Chat):
            chat = item.model_copy(update={"posts": []})
            archive.chats.append(chat)
        else:
            if chat is None:
                chat = Chat()
                archive.chats.append(chat)
            chat.posts.append(item)
    if isinstance(data, ItemStream):
        archive.account = data.account
        archive.source_keys = data.source_keys
        archive.issues = data.issues
    return archive


@contextlib.contextmanager
def text_target(target: WriteTarget) -> Iterator[TextIO]:
    """A UTF-8 text stream onto ``target``: a path is opened (and closed), a text stream used
    as it is, a binary stream wrapped (and left open)."""
    if isinstance(target, str | os.PathLike):
        with open(target, "w", encoding="utf-8", newline="\n") as fh:
            yield fh
    elif isinstance(target, io.TextIOBase) or hasattr(target, "encoding"):
        yield target  # type: ignore[misc]  # a text stream
    else:
        wrapper = io.TextIOWrapper(target, encoding="utf-8", newline="\n")  # type: ignore[type-var]
        try:
            yield wrapper
            wrapper.flush()
        finally:
            wrapper.detach()


def _check_writer(obj: Any, origin: str) -> Writer:
    if isinstance(obj, type):
        obj = obj()
    if (
        not isinstance(obj, Writer)
        or not isinstance(getattr(obj, "name", None), str)
        or not isinstance(getattr(obj, "suffixes", None), tuple)
    ):
        raise PluginError(
            f"{origin}: {obj!r} is not a writer (it needs a str 'name', a tuple 'suffixes' "
            "and write())"
        )
    return obj


class WriterRegistry:
    """An ordered set of writers, by name; the first one registered for a suffix wins it.

    >>> from tgarchive.writers import WriterRegistry
    >>> from tgarchive.writers.desktop_json import DesktopJsonWriter
    >>> WriterRegistry([DesktopJsonWriter()]).names()
    ['desktop-json']
    """

    def __init__(self, writers: Iterable[Writer] = ()) -> None:
        self._writers: dict[str, Writer] = {}
        self._origins: dict[str, PluginOrigin] = {}
        for writer in writers:
            self.register(writer)

    def register(
        self,
        writer: Writer | type[Writer],
        *,
        replace: bool = False,
        origin: PluginOrigin | None = None,
    ) -> Writer:
        """Add a writer (an instance or a class to instantiate). Names must be unique."""
        checked = _check_writer(writer, "register()")
        if checked.name in self._writers and not replace:
            raise PluginError(f"a writer named {checked.name!r} is already registered")
        self._writers[checked.name] = checked
        self._origins[checked.name] = origin or PluginOrigin()
        return checked

    def names(self) -> list[str]:
        return list(self._writers)

    def __iter__(self) -> Iterator[Writer]:
        return iter(self._writers.values())

    def __contains__(self, name: object) -> bool:
        return name in self._writers

    def origin(self, name: str) -> PluginOrigin:
        """Where the writer called ``name`` came from (entry point, distribution, version)."""
        self.get(name)
        return self._origins[name]

    def get(self, name: str) -> Writer:
        """The writer called ``name``; :class:`UnknownFormatError` lists the known names."""
        try:
            return self._writers[name]
        except KeyError:
            known = ", ".join(sorted(self._writers)) or "none"
            raise UnknownFormatError(f"cannot write format {name!r} (can write: {known})") from None

    def for_path(self, path: str | os.PathLike[str]) -> Writer:
        """The writer for a file name's suffix (case-insensitive; ``.tar.gz``-style suffixes
        are matched whole)."""
        name = os.fspath(path).lower()
        for writer in self._writers.values():
            if any(name.endswith(suffix.lower()) for suffix in writer.suffixes):
                return writer
        known = ", ".join(s for w in self._writers.values() for s in w.suffixes)
        raise UnknownFormatError(
            f"cannot tell the output format from {os.fspath(path)!r} (known suffixes: {known}); "
            "name it with format="
        )


@functools.cache
def default_writers() -> WriterRegistry:
    """The registry of every writer installed under the ``tgarchive.writers`` entry point."""
    registry = WriterRegistry()
    for writer, origin in load_entry_points(ENTRY_POINT_GROUP, _check_writer):
        if writer.name not in registry:
            registry.register(writer, origin=origin)
    # A source tree that was never installed has no entry-point metadata; keep the built-ins.
    from .csv import CsvWriter
    from .desktop_json import DesktopJsonWriter
    from .jsonl import JsonlWriter
    from .parquet import ParquetWriter
    from .sqlite import SqliteWriter

    for cls in (DesktopJsonWriter, JsonlWriter, CsvWriter, ParquetWriter, SqliteWriter):
        if cls.name not in registry:
            registry.register(cls())
    return registry
