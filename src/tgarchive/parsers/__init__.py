"""Parsers, their registry, and format detection.

A parser is any object with a ``name``, a ``detect(head, filename) -> float`` method and a
``parse(source, ctx)`` method (the :class:`Parser` protocol). Parsers are found through the
entry-point group ``tgarchive.parsers``; tgarchive's own parsers are declared in that same
group, so built-in and third-party formats take the same path.

A third-party package registers its parser in its ``pyproject.toml``::

    [project.entry-points."tgarchive.parsers"]
    my-format = "my_package.parser:MyFormatParser"

and ``tgarchive.load(path)`` then picks it whenever its ``detect`` gives the highest score.

``parse`` yields :class:`tgarchive.Chat` objects (with empty ``posts``), each followed by its
:class:`tgarchive.Post` objects; a parser of a single-chat format may yield posts only. The
loader appends posts to the chat yielded before them. A parser may still fill in a chat's
``extra`` after yielding it (fields that come after the messages).
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from .._plugins import load_entry_points
from .._source import Source
from ..errors import (
    ParseError,
    ParseIssue,
    PluginError,
    PluginWarning,
    SourceLocation,
    UnknownFormatError,
)
from ..models import Chat, Post

__all__ = [
    "ENTRY_POINT_GROUP",
    "ParseContext",
    "Parser",
    "Registry",
    "Source",
    "available_formats",
    "default_registry",
    "get_parser",
]

ENTRY_POINT_GROUP = "tgarchive.parsers"


@runtime_checkable
class Parser(Protocol):
    """What a format parser provides. See the module docstring for how to register one."""

    name: str
    """Stable kebab-case format name (``desktop-json``); also the ``format=`` value."""

    def detect(self, head: bytes, filename: str | None) -> float:
        """How sure the parser is, from 0.0 to 1.0, that it reads a file starting with ``head``.

        ``head`` is at most 8 KiB; ``filename`` is the base name, when there is one.
        """
        ...

    def parse(self, source: Source, ctx: ParseContext) -> Iterator[Chat | Post]:
        """Yield chats and posts, streaming: never hold the whole input."""
        ...


@dataclass
class ParseContext:
    """State shared between the loader and a parser during one parse.

    ``strict`` says whether a problem raises; :meth:`problem` is how a parser reports one.
    ``account`` and ``source_keys`` receive the archive-level data of account exports.
    """

    strict: bool = False
    file: str | None = None
    issues: list[ParseIssue] = field(default_factory=list)
    account: dict[str, Any] | None = None
    source_keys: tuple[str, ...] | None = None
    options: dict[str, Any] = field(default_factory=dict)

    def location(
        self,
        *,
        line: int | None = None,
        column: int | None = None,
        message_id: int | None = None,
        message_index: int | None = None,
        file: str | None = None,
    ) -> SourceLocation:
        return SourceLocation(
            file=file or self.file,
            line=line,
            column=column,
            message_id=message_id,
            message_index=message_index,
        )

    def problem(self, reason: str, location: SourceLocation | None = None) -> None:
        """Report a problem: raise :class:`ParseError` when strict, else record it on
        ``issues`` (the loader then emits one :class:`ParseWarning` for the whole call)."""
        loc = location or self.location()
        if self.strict:
            raise ParseError(reason, loc)
        self.issues.append(ParseIssue(loc, reason))

    def summary(self, *, hint: str = "archive.issues lists them all") -> str | None:
        """One sentence for the problems recorded so far (``None`` when there are none): the
        count and the first problem. This is the text of the loader's :class:`ParseWarning`."""
        if not self.issues:
            return None
        count = len(self.issues)
        where = self.file or "the input"
        if count == 1:
            return f"1 problem reading {where} (every other post kept): {self.issues[0]}; {hint}"
        return (
            f"{count} problems reading {where} (every other post kept); the first: "
            f"{self.issues[0]}; {hint}"
        )


def _check_parser(obj: Any, origin: str) -> Parser:
    if isinstance(obj, type):
        obj = obj()
    if not isinstance(obj, Parser) or not isinstance(getattr(obj, "name", None), str):
        raise PluginError(
            f"{origin}: {obj!r} is not a parser (it needs a str 'name', detect() and parse())"
        )
    return obj


class Registry:
    """An ordered set of parsers, by name. Earlier parsers win ties in detection.

    >>> from tgarchive.parsers import Registry
    >>> from tgarchive.parsers.desktop_json import DesktopJsonParser
    >>> registry = Registry([DesktopJsonParser()])
    >>> registry.names()
    ['desktop-json']
    >>> registry.detect(b'{\\n "name": "x",\\n "type": "public_channel"', "result.json").name
    'desktop-json'
    """

    def __init__(self, parsers: Iterable[Parser] = ()) -> None:
        self._parsers: dict[str, Parser] = {}
        for parser in parsers:
            self.register(parser)

    def register(self, parser: Parser | type[Parser], *, replace: bool = False) -> Parser:
        """Add a parser (an instance or a class to instantiate). Names must be unique."""
        checked = _check_parser(parser, "register()")
        if checked.name in self._parsers and not replace:
            raise PluginError(f"a parser named {checked.name!r} is already registered")
        self._parsers[checked.name] = checked
        return checked

    def names(self) -> list[str]:
        return list(self._parsers)

    def __iter__(self) -> Iterator[Parser]:
        return iter(self._parsers.values())

    def __contains__(self, name: object) -> bool:
        return name in self._parsers

    def get(self, name: str) -> Parser:
        """The parser called ``name``; :class:`UnknownFormatError` lists the known names."""
        try:
            return self._parsers[name]
        except KeyError:
            known = ", ".join(sorted(self._parsers)) or "none"
            raise UnknownFormatError(f"unknown format {name!r} (known: {known})") from None

    def scores(self, head: bytes, filename: str | None) -> list[tuple[float, Parser]]:
        """Every parser's detection score, best first (stable for ties)."""
        scored = []
        for parser in self._parsers.values():
            try:
                score = float(parser.detect(head, filename))
            except Exception as exc:  # a broken plugin must not break detection
                warnings.warn(
                    f"parser {parser.name!r} failed in detect(): {exc!r}", PluginWarning, 2
                )
                continue
            scored.append((score, parser))
        scored.sort(key=lambda item: -item[0])
        return scored

    def detect(self, head: bytes, filename: str | None) -> Parser:
        """The parser that claims ``head`` most confidently.

        Raises :class:`UnknownFormatError` when no parser gives a score above zero.
        """
        scored = self.scores(head, filename)
        if not scored or scored[0][0] <= 0.0:
            what = filename or "the input"
            raise UnknownFormatError(
                f"{what} is not in any known export format "
                f"(tried: {', '.join(self.names()) or 'no parsers'}); "
                "pass format= if you know what it is"
            )
        return scored[0][1]


@functools.cache
def default_registry() -> Registry:
    """The registry of every parser installed under the ``tgarchive.parsers`` entry point."""
    registry = Registry()
    for parser, _origin in load_entry_points(ENTRY_POINT_GROUP, _check_parser):
        if parser.name in registry:
            warnings.warn(
                f"format name {parser.name!r} is registered twice", PluginWarning, stacklevel=2
            )
            continue
        registry.register(parser)
    _ensure_builtins(registry)
    return registry


def _ensure_builtins(registry: Registry) -> None:
    # When tgarchive runs from a source tree that was never installed there is no entry-point
    # metadata; the built-ins must still work. Installed copies register them via pyproject.toml.
    from .desktop_html import DesktopHtmlParser
    from .desktop_json import DesktopJsonParser
    from .jsonl import JsonlParser
    from .sqlite import SqliteParser

    for cls in (DesktopJsonParser, DesktopHtmlParser, JsonlParser, SqliteParser):
        if cls.name not in registry:
            registry.register(cls())


def get_parser(name: str) -> Parser:
    """The installed parser called ``name`` (see :func:`available_formats`)."""
    return default_registry().get(name)


def available_formats() -> list[str]:
    """Names of every installed format, built-in and plugins."""
    return default_registry().names()
