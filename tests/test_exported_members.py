"""The public API is exactly what __all__ says."""

from __future__ import annotations

import tgarchive


def test_all_is_sorted_and_complete():
    """__all__ is sorted, and every public module-level name is in it."""
    assert list(tgarchive.__all__) == sorted(tgarchive.__all__)
    public = {
        name
        for name, value in vars(tgarchive).items()
        if not name.startswith("_") and getattr(value, "__module__", "").startswith("tgarchive")
    }
    assert public <= set(tgarchive.__all__)
    for name in tgarchive.__all__:
        assert hasattr(tgarchive, name), name


def test_issue_promises_exist():
    """Names the core issue promised users exist with the promised shape."""
    for name in ("load", "iter_posts", "dumps", "dump", "Archive", "Chat", "Post",
                 "TgArchiveError", "UnknownFormatError", "ParseError"):  # fmt: skip
        assert name in tgarchive.__all__
    # issue 11: what users annotate with, and the loading additions
    for name in ("load_all", "EntityKind", "PostType", "LangGuess", "ArchivePosts",
                 "SourceError", "MultipleExportsError"):  # fmt: skip
        assert name in tgarchive.__all__, name
    assert issubclass(tgarchive.SourceError, tgarchive.TgArchiveError)
    assert issubclass(tgarchive.MultipleExportsError, tgarchive.SourceError)
    fields = tgarchive.Post.model_fields
    for field in ("id", "chat_id", "date", "edited", "author", "author_id", "signature", "text", "entities",
                  "forward", "reply_to_id", "reactions", "media", "action", "views", "via_bot",
                  "inline_bot_buttons", "extra"):  # fmt: skip
        assert field in fields, field
    assert hasattr(tgarchive.Post, "links")
