"""Paths in an export that point outside it are kept as data, reported, and never followed."""

from __future__ import annotations

import shutil

import pytest

import tgarchive
from tgarchive.errors import ParseError, UnsafePathError

from ..conftest import FIXTURES

TWIN = FIXTURES / "equivalence" / "generated"


def _page_with_media(href: str) -> bytes:
    page = (TWIN / "messages.html").read_bytes()
    return page.replace(b'href="files/report_488.pdf"', f'href="{href}"'.encode(), 1)


@pytest.mark.parametrize(
    "href",
    ["../../../etc/passwd", "/etc/passwd", "files/../../outside.pdf", "C:\\Windows\\win.ini"],
)
def test_media_paths_leaving_the_export_are_reported_and_never_resolved(tmp_path, href):
    """The post keeps the path as written; an issue names it; Archive.resolve refuses it."""
    (tmp_path / "messages.html").write_bytes(_page_with_media(href))
    with pytest.warns(tgarchive.ParseWarning, match="media path outside the export"):
        archive = tgarchive.load(tmp_path / "messages.html")
    post = archive.posts[0]
    assert post.media is not None and getattr(post.media, "path", None) == href
    (issue,) = archive.issues
    assert issue.location.message_id == post.id == 1
    with pytest.raises(UnsafePathError):
        archive.resolve(href)
    with pytest.raises(ParseError, match="media path outside the export"):
        tgarchive.load(tmp_path / "messages.html", strict=True)


def test_a_page_that_is_a_symlink_out_of_the_export_is_not_read(tmp_path):
    """A chain page symlinked to a file outside the folder is reported, the others are read."""
    export = tmp_path / "export"
    export.mkdir()
    for page in TWIN.glob("messages*.html"):
        shutil.copy(page, export / page.name)
    outside = tmp_path / "outside.html"
    shutil.move(export / "messages2.html", outside)
    (export / "messages2.html").symlink_to(outside)
    with pytest.warns(tgarchive.ParseWarning):
        archive = tgarchive.load(export / "messages.html")
    assert [p.id for p in archive.posts] == [*range(1, 26), *range(51, 61)]
    assert any("page not read" in i.reason and "leaves" in i.reason for i in archive.issues)
