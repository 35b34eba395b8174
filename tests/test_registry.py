"""The parser registry: entry points, plugins, detection by score."""

from __future__ import annotations

from collections.abc import Iterator
from importlib.metadata import entry_points

import pytest

import tgarchive
from tgarchive import Chat, Post
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
