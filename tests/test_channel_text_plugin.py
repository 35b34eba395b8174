"""The example plugin examples/channel-text-plugin, installed beside tgarchive as users install it."""

from __future__ import annotations

import doctest
import os
import re
from pathlib import Path

import pytest

import tgarchive
from tgarchive.testing import assert_golden, assert_never_crashes, check_detection

from .conftest import CORPUS, FIXTURES

try:
    import tgarchive_channel_text
    from tgarchive_channel_text import ChannelTextParser
except ImportError:  # README's test command installs it; in CI its absence is a failure
    _HINT = (
        "the example plugin is not installed: python -m pip install ./examples/channel-text-plugin"
    )
    if os.environ.get("TGARCHIVE_REQUIRE_CORPUS") == "1":
        pytest.fail(_HINT, pytrace=False)
    pytest.skip(_HINT, allow_module_level=True)

TEXT = FIXTURES / "channel-text"


def sample_text() -> Path:
    """../shared/samples/continuous-learning-channel.txt (required in CI, like the corpus)."""
    path = CORPUS.parent / "samples" / "continuous-learning-channel.txt"
    if not path.exists():
        if os.environ.get("TGARCHIVE_REQUIRE_CORPUS") == "1":
            pytest.fail(f"the shared sample is missing: {path}")
        pytest.skip(f"shared sample not present at {path}")
    return path


def test_the_installed_plugin_is_found_through_its_entry_point():
    """Installing the distribution is enough: the format is listed with its distribution and version."""
    registry = tgarchive.parsers.default_registry()
    origin = registry.origin("channel-text")
    assert (origin.distribution, origin.version) == ("tgarchive-channel-text", "0.1.0")
    assert origin.entry_point == "tgarchive_channel_text:ChannelTextParser"
    assert {"channel-text", "desktop-json", "desktop-html", "web-preview"} <= set(
        tgarchive.available_formats()
    )


def test_formats_command_lists_all_four(capsys):
    """tgarchive formats lists the three built-in formats and the plugin."""
    from tgarchive.cli import main

    assert main(["formats"]) == 0
    out = capsys.readouterr().out
    for name in ("channel-text", "desktop-json", "desktop-html", "web-preview"):
        assert re.search(rf"(?<![\w-]){name}(?![\w-])", out), name


def test_load_reads_the_copied_sample_page_with_no_other_change():
    """tgarchive.load on the copied channel page gives its header exactly as the text shows it."""
    path = sample_text()
    lines = path.read_text(encoding="utf-8").splitlines()
    archive = tgarchive.load(path, strict=True)
    assert archive.format == "channel-text" and archive.issues == []
    chat = archive.chats[0]
    assert chat.name == lines[1] == lines[0].removesuffix(" – Telegram")
    counters = [re.fullmatch(r"(\S+) (\w+)", line) for line in lines[2:7]]
    shown = {m.group(2): m.group(1) for m in counters if m is not None}
    assert shown == {
        "subscribers": "2.4K",
        "photos": "513",
        "videos": "5",
        "files": "16",
        "links": "2.72K",
    }
    assert chat.subscribers == 2400 and chat.counts_rounded == {
        "subscribers": "2.4K",
        "links": "2.72K",
    }
    assert chat.counters == {"photos": 513, "videos": 5, "files": 16, "links": 2720}
    assert chat.description == lines[7]
    assert chat.type == "public_channel" and chat.username is None and chat.id is None


def test_every_line_of_the_sample_is_accounted_for():
    """Each line after the header is post text, an author row, a forward line or a reaction line."""
    path = sample_text()
    lines = path.read_text(encoding="utf-8").splitlines()
    archive = tgarchive.load(path)
    title = archive.chats[0].name
    forwards = [line for line in lines[9:] if line.startswith("Forwarded from")]
    reaction_lines = [line for line in lines[9:] if re.fullmatch(r"[^\w\s]*\d+", line)]
    text_lines = [line for p in archive.posts for line in p.text.splitlines() if line.strip()]
    other = [line for line in lines[9:] if line != title and line not in forwards + reaction_lines]
    assert text_lines == [line for line in other if line.strip()]
    assert [p.forward.from_name for p in archive.posts if p.forward] == [
        f.removeprefix("Forwarded from").strip() for f in forwards
    ]
    got = [(r.label, r.count) for p in archive.posts for r in p.reactions]
    expected = []
    for line in reaction_lines:
        m = re.fullmatch(r"([^\w\s]*)(\d+)", line)
        assert m is not None
        expected.append((m.group(1) or "not_copied", int(m.group(2))))
    assert got == expected == [("not_copied", 1), ("not_copied", 2), ("not_copied", 1),
                               ("not_copied", 1), ("👍", 2), ("not_copied", 1)]  # fmt: skip


def test_sample_posts_are_split_as_documented():
    """The sample gives 13 posts; the two boundaries copied text hides are where the README says."""
    archive = tgarchive.load(sample_text())
    posts = archive.posts
    assert len(posts) == 13 and [p.id for p in posts] == list(range(1, 14))
    firsts = [p.text.splitlines()[0][:12] for p in posts]
    assert firsts[:4] == ["https://blog", "As startups ", "Yandex에서 LLM", "AI 제품을 만드시거나"]
    # Rule 4 splits "Paper: https://arxiv.org/..." from the next post, with no marker between.
    assert posts[1].text.endswith("Paper: https://arxiv.org/abs/2307.06865")
    # The known misses: the video post's link ends the post before it, and the GPT-4 notes run
    # into the video post's notes.
    assert posts[11].text.endswith("https://youtu.be/wxq1ZeAM9fc")
    assert (
        posts[12].text.startswith("영상에서 다룬 내용")
        and "GPT-4 Architecture Leak" in posts[12].text
    )
    assert all(p.date is None and p.author == archive.chats[0].name for p in posts)


def test_links_bare_and_markdown_style_become_entities():
    """Bare URLs, scheme-less domain paths and [text](url) become links over the copied text."""
    archive = tgarchive.load(sample_text())
    first = archive.posts[0]
    footnotes = [e for e in first.entities if e.kind == "text_link"]
    assert [e.text for e in footnotes] == ["1", "3", "4", "5", "6", "7", "8", "9"]
    assert footnotes[0].href == "https://blog.lablup.com/posts/#fn-1-7014be"
    assert first.links[0].url == "https://blog.lablup.com/posts/#fn-5-7014be"
    raw = sample_text().read_text(encoding="utf-8")
    urls = {u.rstrip(".,…") for u in re.findall(r"https?://[^\s()\[\]]+", raw)}
    # A URL is a link's target or, for [https://...](https://...?utm=...), the text linked.
    found = {u for p in archive.posts for link in p.links for u in (link.url, link.text)}
    assert urls <= found
    assert any(
        link.url.startswith("facebook.com/hunkims/") for p in archive.posts for link in p.links
    )


def test_a_copy_of_a_group_page_matches_its_golden():
    """Members, online, @username, views and time lines and several reactions on a line: the golden."""
    archive = assert_golden(
        TEXT / "group_copy.txt", TEXT / "group_copy.txt.posts.json", strict=True
    )
    chat = archive.chats[0]
    assert (chat.members, chat.online, chat.username, chat.type) == (
        1204,
        37,
        "aistudygroup",
        "public_supergroup",
    )
    assert [(p.views, p.views_rounded) for p in archive.posts] == [
        (1200, "1.2K"),
        (2490, "2.49K"),
        (None, None),
    ]
    assert [(r.label, r.count) for r in archive.posts[0].reactions] == [
        ("👍", 12),
        ("❤", 3),
        ("not_copied", 5),
    ]


def test_it_never_claims_other_inputs():
    """Score 0 on JSON, HTML, the web-preview pages and unrelated text; it wins its own copies."""
    check_detection(ChannelTextParser(), [sample_text(), TEXT / "group_copy.txt"])
    parser = ChannelTextParser()
    for page in sorted((FIXTURES).glob("**/*.html")) + sorted((FIXTURES).glob("**/*.json")):
        assert parser.detect(page.read_bytes()[:8192], page.name) == 0.0, page
    assert parser.detect(b"Meeting notes\n2 attendees\n", "notes.txt") == 0.0


@pytest.mark.property
def test_the_plugin_never_crashes():
    """Damaged copies and random bytes give posts or issues, never an exception (hypothesis)."""
    assert_never_crashes(
        ChannelTextParser(),
        [sample_text().read_bytes()[:6000], (TEXT / "group_copy.txt").read_bytes()],
        max_examples=40,
    )


def test_the_plugin_docs_examples_run():
    """The >>> examples of the plugin's module docs pass."""
    from tgarchive_channel_text import parser

    for module in (tgarchive_channel_text, parser):
        result = doctest.testmod(module)
        assert result.failed == 0
    assert doctest.testmod(tgarchive_channel_text).attempted > 0


def test_conversion_to_desktop_json_keeps_the_header(tmp_path):
    """The counters and description of a copied page survive tgarchive convert as chat keys."""
    target = tmp_path / "result.json"
    tgarchive.dump(tgarchive.load(sample_text()), target)
    import json

    data = json.loads(target.read_text(encoding="utf-8"))
    assert (data["subscribers"], data["counts_rounded"]) == (
        2400,
        {"subscribers": "2.4K", "links": "2.72K"},
    )
    assert data["counters"]["photos"] == 513 and data["description"].startswith("We journey")
    assert len(data["messages"]) == 13
