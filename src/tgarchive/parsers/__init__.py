"""Parsers, their registry, and format detection: the stable extension API.

Everything a third-party format needs is here, and is kept stable across minor versions:

- :class:`Parser`: the protocol a parser follows (``name``, ``detect``, ``parse``);
- :class:`ParseContext`: what the loader passes to ``parse`` (strict mode, where problems go);
- :class:`Source`: the input, re-openable, with the folder or zip it sits in;
- :class:`Registry`: an ordered set of parsers, with detection by score;
- :func:`register`: add a parser to the installed set at run time;
- :mod:`tgarchive.testing`: the helpers tgarchive's own parser tests use.

Parsers are found through the entry-point group ``tgarchive.parsers``; tgarchive's own parsers
are declared in that same group, so built-in and third-party formats take the same path. A
package registers its parser in its ``pyproject.toml``::

    [project.entry-points."tgarchive.parsers"]
    my-format = "my_package.parser:MyFormatParser"

and ``tgarchive.load(path)`` then picks it whenever its ``detect`` gives the highest score.
The entry point's name must be the parser's ``name``. Discovery reads the installed metadata
once (cached) and imports a plugin's module only when the parser is first needed; a plugin that
fails to import, to build or to detect becomes a :class:`tgarchive.PluginWarning` and never
breaks the other formats. ``docs/plugins.md`` walks through writing one.

``parse`` yields :class:`tgarchive.Chat` objects (with empty ``posts``), each followed by its
:class:`tgarchive.Post` objects; a parser of a single-chat format may yield posts only. The
loader appends posts to the chat yielded before them. A parser may still fill in a chat's
``extra`` after yielding it (fields that come after the messages).

>>> import tgarchive.parsers
>>> {"desktop-json", "desktop-html", "web-preview"} <= set(tgarchive.parsers.available_formats())
True
"""

from __future__ import annotations

import functools
import importlib
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from .._plugins import DeclaredPlugin, PluginOrigin, discover_entry_points
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
    "PluginOrigin",
    "Registry",
    "Source",
    "available_formats",
    "default_registry",
    "get_parser",
    "register",
    "unregister",
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
    """State shared between the loader and a parser during one parse (stable API).

    ``strict`` says whether a problem raises; :meth:`problem` is how a parser reports one, and
    :meth:`location` builds the place to report (``file`` defaults to the input's name).
    ``issues`` collects what lenient mode recorded; ``options`` carries parser options, so
    that the context can grow without changing the :class:`Parser` protocol. ``account`` and
    ``source_keys`` receive the archive-level data of account exports.

    >>> ctx = ParseContext(file="page.html")
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     ctx.problem("reaction without a count", ctx.location(line=12, message_id=7))
    >>> str(ctx.issues[0])
    'page.html:12 [message 7]: reaction without a count'
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
    if isinstance(obj, str):
        obj = _import(obj, origin)
    if isinstance(obj, type):
        try:
            obj = obj()
        except Exception as exc:
            raise PluginError(f"{origin}: {obj.__name__}() failed: {exc!r}") from exc
    if not isinstance(obj, Parser) or not isinstance(getattr(obj, "name", None), str):
        raise PluginError(
            f"{origin}: {obj!r} is not a parser (it needs a str 'name', detect() and parse())"
        )
    return obj


def _import(path: str, origin: str) -> Any:
    """``package.module:Class`` → the class (for parsers that are not installed as plugins)."""
    module_name, sep, attr = path.partition(":")
    if not sep or not module_name or not attr:
        raise PluginError(f"{origin}: {path!r} is not a 'package.module:Class' path")
    try:
        obj: Any = importlib.import_module(module_name)
        for part in attr.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError) as exc:
        raise PluginError(f"{origin}: cannot import {path!r}: {exc}") from exc
    return obj


class Registry:
    """An ordered set of parsers, by name. Earlier parsers win ties in detection.

    Tests and applications build their own (``Registry([MyParser()])``) and pass it as
    ``registry=`` to :func:`tgarchive.load`; :func:`default_registry` is the installed set.

    >>> from tgarchive.parsers import Registry
    >>> from tgarchive.parsers.desktop_json import DesktopJsonParser
    >>> registry = Registry([DesktopJsonParser()])
    >>> registry.names()
    ['desktop-json']
    >>> registry.detect(b'{\\n "name": "x",\\n "type": "public_channel"', "result.json").name
    'desktop-json'
    >>> registry.origin("desktop-json").distribution is None  # not from an entry point
    True
    """

    def __init__(self, parsers: Iterable[Parser | type[Parser] | str] = ()) -> None:
        self._parsers: dict[str, Parser | None] = {}
        self._origins: dict[str, PluginOrigin] = {}
        self._loaders: dict[str, Callable[[], Any]] = {}
        for parser in parsers:
            self.register(parser)

    def register(
        self,
        parser: Parser | type[Parser] | str,
        *,
        replace: bool = False,
        origin: PluginOrigin | None = None,
    ) -> Parser:
        """Add a parser: an instance, a class to instantiate, or a ``"package.module:Class"``
        path to import. Names must be unique unless ``replace=True``.

        Raises :class:`tgarchive.PluginError` when ``parser`` is not a parser.
        """
        checked = _check_parser(parser, "register()")
        if checked.name in self._parsers and not replace:
            raise PluginError(f"a parser named {checked.name!r} is already registered")
        self._parsers[checked.name] = checked
        self._origins[checked.name] = origin or PluginOrigin()
        self._loaders.pop(checked.name, None)
        return checked

    def declare(self, plugin: DeclaredPlugin) -> None:
        """Add an entry point that is loaded only when its parser is first needed."""
        if plugin.name in self._parsers:
            warnings.warn(
                f"format name {plugin.name!r} is registered twice "
                f"({plugin.origin.entry_point} is ignored)",
                PluginWarning,
                stacklevel=2,
            )
            return
        self._parsers[plugin.name] = None
        self._origins[plugin.name] = plugin.origin
        self._loaders[plugin.name] = plugin.load

    def _load(self, name: str) -> Parser | None:
        parser = self._parsers.get(name)
        if parser is not None or name not in self._loaders:
            return parser
        loader = self._loaders.pop(name)
        where = f"entry point {name!r} ({self._origins[name].entry_point})"
        try:
            parser = _check_parser(loader(), where)
            if parser.name != name:
                raise PluginError(f"{where}: the parser is named {parser.name!r}, not {name!r}")
        except Exception as exc:
            del self._parsers[name], self._origins[name]
            warnings.warn(
                f"could not load {ENTRY_POINT_GROUP} plugin {name!r}: {exc}", PluginWarning, 3
            )
            return None
        self._parsers[name] = parser
        return parser

    def remove(self, name: str) -> None:
        """Take the parser called ``name`` out (:class:`UnknownFormatError` if absent)."""
        if name not in self._parsers:
            self.get(name)
        del self._parsers[name], self._origins[name]
        self._loaders.pop(name, None)

    def names(self) -> list[str]:
        """Every format name, in registration order (plugins are not imported for this)."""
        return list(self._parsers)

    def __iter__(self) -> Iterator[Parser]:
        for name in list(self._parsers):
            parser = self._load(name)
            if parser is not None:
                yield parser

    def __contains__(self, name: object) -> bool:
        return name in self._parsers

    def origin(self, name: str) -> PluginOrigin:
        """Where the parser called ``name`` came from: its entry point and the distribution
        (name and version) that declares it; empty for parsers registered at run time."""
        if name not in self._parsers:
            self.get(name)  # raises UnknownFormatError with the known names
        return self._origins[name]

    def get(self, name: str) -> Parser:
        """The parser called ``name``; :class:`UnknownFormatError` lists the known names."""
        parser = self._load(name) if name in self._parsers else None
        if parser is None:
            known = ", ".join(sorted(self._parsers)) or "none"
            raise UnknownFormatError(f"unknown format {name!r} (known: {known})")
        return parser

    def scores(self, head: bytes, filename: str | None) -> list[tuple[float, Parser]]:
        """Every parser's detection score, best first (stable for ties). A parser whose
        ``detect`` raises or returns something other than a number from 0 to 1 is left out
        with a :class:`tgarchive.PluginWarning`."""
        scored = []
        for parser in self:
            try:
                score = parser.detect(head, filename)
                if isinstance(score, bool) or not isinstance(score, int | float):
                    raise TypeError(f"detect() returned {score!r}, not a number")
                score = float(score)
                if not 0.0 <= score <= 1.0:  # also refuses NaN
                    raise ValueError(f"detect() returned {score!r}, outside 0..1")
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
    """The registry of every parser installed under the ``tgarchive.parsers`` entry point
    (found once, then cached), plus those added with :func:`register`."""
    registry = Registry()
    for plugin in discover_entry_points(ENTRY_POINT_GROUP):
        registry.declare(plugin)
    _ensure_builtins(registry)
    return registry


def _ensure_builtins(registry: Registry) -> None:
    # When tgarchive runs from a source tree that was never installed there is no entry-point
    # metadata; the built-ins must still work. Installed copies register them via pyproject.toml.
    from .desktop_html import DesktopHtmlParser
    from .desktop_json import DesktopJsonParser
    from .jsonl import JsonlParser
    from .sqlite import SqliteParser
    from .web_preview import WebPreviewParser

    for cls in (DesktopJsonParser, DesktopHtmlParser, WebPreviewParser, JsonlParser, SqliteParser):
        if cls.name not in registry:
            registry.register(cls())


def register(parser: Parser | type[Parser] | str, *, replace: bool = False) -> Parser:
    """Add a parser to the installed set for the rest of the process (no entry point needed):
    an instance, a class, or a ``"package.module:Class"`` path.

    >>> import tgarchive.parsers
    >>> class Lines:
    ...     name = "doc-lines"
    ...     def detect(self, head, filename): return 1.0 if head.startswith(b"#lines") else 0.0
    ...     def parse(self, source, ctx):
    ...         with source.open() as fh:
    ...             for n, line in enumerate(fh.read().decode().splitlines()[1:], 1):
    ...                 yield tgarchive.Post(id=n, text=line)
    >>> _ = tgarchive.parsers.register(Lines)
    >>> [p.text for p in tgarchive.load(b"#lines\\nhello\\nworld").posts]
    ['hello', 'world']
    >>> tgarchive.parsers.unregister("doc-lines")
    """
    return default_registry().register(parser, replace=replace)


def unregister(name: str) -> None:
    """Remove a format from the installed set for the rest of the process."""
    registry = default_registry()
    registry.remove(name)


def get_parser(name: str) -> Parser:
    """The installed parser called ``name`` (see :func:`available_formats`)."""
    return default_registry().get(name)


def available_formats() -> list[str]:
    """Names of every installed format, built-in and plugins."""
    return default_registry().names()
