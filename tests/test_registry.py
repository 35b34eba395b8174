"""The parser registry: entry points, plugins, detection by score."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from importlib.metadata import entry_points

import pytest

import tgarchive
import tgarchive.parsers
from tgarchive import Chat, Post
from tgarchive._plugins import DeclaredPlugin, PluginOrigin
from tgarchive.parsers import ENTRY_POINT_GROUP, ParseContext, Parser, Registry, Source
from tgarchive.parsers.desktop_json import DesktopJsonParser


class LinesParser:
    """A minimal third-party parser: one post per line of a '#tglines' file."""

    name = "tg-lines"

    def detect(self, head: bytes, filename: str | None) -> float:
        return 1.0 if head.startswith(b"#tglines") else 0.0

    def parse(self, source: Source, ctx: ParseContext) -> Iterator[Chat | Post]:
        with source.open() as fh:
            lines = fh.read().decode("utf-8").splitlines()[1:]
        yield Chat(name="lines")
        for i, line in enumerate(lines, 1):
            if not line.strip():
                ctx.problem("empty line", ctx.location(line=i + 1))
                continue
            yield Post(id=i, text=line)


def test_builtin_parser_is_registered_through_the_entry_point_group():
    """The JSON parser is declared under tgarchive.parsers like any plugin."""
    eps = {ep.name: ep.value for ep in entry_points(group=ENTRY_POINT_GROUP)}
    assert eps["desktop-json"] == "tgarchive.parsers.desktop_json:DesktopJsonParser"
    assert "desktop-json" in tgarchive.available_formats()


def test_third_party_parser_through_a_registry():
    """A plugin parser is found by sniffing and its posts and problems come through."""
    registry = Registry([DesktopJsonParser(), LinesParser()])
    data = b"#tglines\nfirst post\n\nthird post\n"
    with pytest.warns(tgarchive.ParseWarning, match="empty line"):
        archive = tgarchive.load(data, registry=registry)
    assert archive.format == "tg-lines"
    assert [p.text for p in archive.chats[0].posts] == ["first post", "third post"]
    assert archive.issues[0].location.line == 3
    assert isinstance(LinesParser(), Parser)


def test_detection_prefers_the_highest_score():
    """The best score wins; ties go to the parser registered first."""

    class Weak(LinesParser):
        name = "weak"

        def detect(self, head: bytes, filename: str | None) -> float:
            return 0.2

    registry = Registry([Weak(), LinesParser()])
    assert registry.detect(b"#tglines\n", None).name == "tg-lines"
    assert registry.detect(b"other", None).name == "weak"
    with pytest.raises(tgarchive.UnknownFormatError):
        Registry([LinesParser()]).detect(b"other", None)


def test_registry_refuses_non_parsers_and_duplicates():
    """Objects that are not parsers, and duplicate names, raise PluginError."""
    registry = Registry([LinesParser()])
    with pytest.raises(tgarchive.PluginError):
        registry.register(object())  # type: ignore[arg-type]
    with pytest.raises(tgarchive.PluginError, match="already registered"):
        registry.register(LinesParser)
    registry.register(LinesParser, replace=True)
    assert registry.names() == ["tg-lines"]


def test_a_parser_yielding_garbage_is_a_plugin_error():
    """A parser that yields something other than Chat/Post is reported as a PluginError."""

    class Broken(LinesParser):
        def parse(self, source: Source, ctx: ParseContext) -> Iterator[Chat | Post]:
            yield "not a post"  # type: ignore[misc]

    with pytest.raises(tgarchive.PluginError, match="yielded a str"):
        tgarchive.load(b"#tglines\n", registry=Registry([Broken()]))


def _declared(
    name: str, load: Callable[[], object], dist: str = "acme-tg", version: str = "1.2.3"
) -> DeclaredPlugin:

    origin = PluginOrigin(entry_point=f"acme.{name}:P", distribution=dist, version=version)
    return DeclaredPlugin(name, origin, load)


def test_entry_points_are_imported_only_when_their_parser_is_needed():
    """Declared plugins are listed by name and origin without importing them; get() loads one."""
    calls = []

    def load():
        calls.append("tg-lines")
        return LinesParser

    registry = Registry()
    registry.declare(_declared("tg-lines", load))
    assert registry.names() == ["tg-lines"] and calls == []
    origin = registry.origin("tg-lines")
    assert (origin.distribution, origin.version, calls) == ("acme-tg", "1.2.3", [])
    assert registry.get("tg-lines").name == "tg-lines" and calls == ["tg-lines"]
    registry.get("tg-lines")
    assert calls == ["tg-lines"]  # loaded once


def test_a_plugin_that_fails_to_load_is_a_warning_and_the_others_still_work():
    """An entry point that raises on import, or names another parser, warns and is dropped."""

    def broken():
        raise ImportError("No module named 'acme'")

    registry = Registry([DesktopJsonParser()])
    registry.declare(_declared("broken", broken))
    registry.declare(_declared("misnamed", lambda: LinesParser))
    with pytest.warns(tgarchive.PluginWarning) as caught:
        parsers = [p.name for p in registry]
    assert parsers == ["desktop-json"]
    messages = " | ".join(str(w.message) for w in caught)
    assert "No module named 'acme'" in messages and "named 'tg-lines', not 'misnamed'" in messages
    assert registry.names() == ["desktop-json"]
    data = b'{\n "name": "x",\n "type": "public_channel",\n "id": 1,\n "messages": []\n}'
    assert tgarchive.load(data, registry=registry).format == "desktop-json"


def test_a_parser_failing_in_detect_is_a_warning_not_a_crash():
    """detect() raising or returning something other than a number in 0..1 warns and is skipped."""

    class Raises(LinesParser):
        name = "raises"

        def detect(self, head: bytes, filename: str | None) -> float:
            raise RuntimeError("boom")

    class Nan(LinesParser):
        name = "nan"

        def detect(self, head: bytes, filename: str | None) -> float:
            return float("nan")

    registry = Registry([Raises(), Nan(), LinesParser()])
    with pytest.warns(tgarchive.PluginWarning, match="failed in detect"):
        assert registry.detect(b"#tglines\nx", None).name == "tg-lines"


def test_runtime_registration_reaches_load_and_formats():
    """tgarchive.parsers.register() adds a parser (class, instance or module:Class path) for the process."""
    import tgarchive.parsers

    tgarchive.parsers.register("tests.test_registry:LinesParser")
    try:
        assert "tg-lines" in tgarchive.available_formats()
        assert tgarchive.load(b"#tglines\nhello").posts[0].text == "hello"
        assert tgarchive.parsers.default_registry().origin("tg-lines").distribution is None
        with pytest.raises(tgarchive.PluginError, match="already registered"):
            tgarchive.parsers.register(LinesParser)
    finally:
        tgarchive.parsers.unregister("tg-lines")
    assert "tg-lines" not in tgarchive.available_formats()
    with pytest.raises(tgarchive.PluginError, match="cannot import"):
        Registry().register("tests.test_registry:Nothing")


def test_installed_formats_have_their_distribution_and_version():
    """The built-in formats come from the tgarchive-kit distribution's entry points."""
    registry = tgarchive.parsers.default_registry()
    for name in ("desktop-json", "desktop-html", "web-preview"):
        origin = registry.origin(name)
        assert origin.distribution == "tgarchive-kit" and origin.version == tgarchive.__version__
        assert origin.entry_point is not None and origin.entry_point.startswith(
            "tgarchive.parsers."
        )
