"""Hostile Desktop HTML: entities, remote references, pages cut short, BOMs, bad encodings."""

from __future__ import annotations

import socket
import threading
import warnings

import pytest

import tgarchive
from tgarchive.errors import ParseError

from ..conftest import FIXTURES, corpus_dir

TWIN = FIXTURES / "equivalence" / "generated"
PAGE = (TWIN / "messages.html").read_bytes()


def _load(data: bytes, **kwargs: object) -> tgarchive.Archive:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", tgarchive.ParseWarning)
        return tgarchive.load(data, format="desktop-html", **kwargs)  # type: ignore[arg-type]


def _inject(doctype: bytes, text: bytes) -> bytes:
    """The twin's first page with another doctype and ``text`` as message 1's text."""
    page = PAGE.replace(b"<!DOCTYPE html>", doctype, 1)
    start = page.index(b'<div class="text">', page.index(b'id="message1"')) + len(
        b'<div class="text">'
    )
    return page[:start] + text + page[page.index(b"</div>", start) :]


def test_external_file_entities_are_never_resolved(tmp_path):
    """A SYSTEM entity naming a local file stays unexpanded: the file's content never shows."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    doctype = f'<!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret}">]>'.encode()
    archive = _load(_inject(doctype, b"before &xxe; after"), strict=False)
    assert archive.posts[0].id == 1
    dumped = tgarchive.dumps(archive)
    assert "TOP-SECRET-VALUE" not in dumped
    assert "TOP-SECRET-VALUE" not in "".join(p.text for p in archive.posts)


def test_internal_entity_expansion_bombs_do_not_expand():
    """A billion-laughs internal subset is not expanded: the text stays small."""
    levels = [b'<!ENTITY l0 "lollollollollollollollollollol">']
    levels += [f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">'.encode() for i in range(1, 10)]
    doctype = b"<!DOCTYPE html [" + b"".join(levels) + b"]>"
    archive = _load(_inject(doctype, b"&l9;"))
    assert len(archive.posts) == 25
    assert len(archive.posts[0].text) < 100


class _Listener:
    """A local TCP server that counts the connections made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.sock.close()


def test_remote_references_are_never_fetched(tmp_path):
    """DTDs, entities, images, scripts, frames and XIncludes naming a server are never fetched."""
    server = _Listener()
    try:
        url = f"http://127.0.0.1:{server.port}"
        doctype = (f'<!DOCTYPE html PUBLIC "-//X//DTD X//EN" "{url}/x.dtd" '
                   f'[<!ENTITY remote SYSTEM "{url}/entity">]>').encode()  # fmt: skip
        text = (f'&remote;<img src="{url}/a.png"><script src="{url}/s.js"></script>'
                f'<iframe src="{url}/f"></iframe><link rel="stylesheet" href="{url}/c.css">'
                f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{url}/inc"/>'
                "remote").encode()  # fmt: skip
        page = _inject(doctype, text)
        archive = _load(page)
        assert "remote" in archive.posts[0].text
        (tmp_path / "messages.html").write_bytes(page)  # from a file, where a base URL exists
        assert len(tgarchive.load(tmp_path / "messages.html").posts) == 25
        assert server.connections == 0
        socket.create_connection(("127.0.0.1", server.port)).close()  # the listener does count
        for _ in range(100):
            if server.connections:
                break
            threading.Event().wait(0.02)
        assert server.connections == 1
    finally:
        server.close()


def _cuts(page: bytes) -> list[int]:
    """Cut points at every structural boundary of the first messages: before and after each
    tag, inside tags and attribute values, inside entities and inside UTF-8 sequences."""
    end = page.index(b'id="message4"')
    points: set[int] = set()
    for i in range(page.index(b'<div class="history">'), end):
        byte = page[i : i + 1]
        if byte in (b"<", b">", b'"', b"&", b";", b"=") or (page[i] & 0xC0) == 0x80:
            points.update((i, i + 1))
    return sorted(points)


def test_pages_cut_anywhere_keep_every_complete_message_and_say_so():
    """A page cut at any boundary keeps the messages before the cut and reports the cut."""
    full = _load(PAGE).posts
    cuts = _cuts(PAGE)
    assert len(cuts) > 300
    for at in cuts:
        archive = _load(PAGE[:at])
        posts = archive.posts
        # every message closed before the cut is intact; the last one may be incomplete
        assert posts[:-1] == full[: max(0, len(posts) - 1)], at
        assert any("cut short" in i.reason for i in archive.issues), at
    with pytest.raises(ParseError, match="cut short"):
        tgarchive.load(PAGE[: cuts[-1]], format="desktop-html", strict=True)


def test_a_cut_page_names_its_last_message():
    """The cut-short issue names the message that may be incomplete."""
    at = PAGE.index(b'<div class="text">', PAGE.index(b'id="message3"')) + 40
    issues = [i for i in _load(PAGE[:at]).issues if "cut short" in i.reason]
    assert [i.location.message_id for i in issues] == [3]


@pytest.mark.parametrize(("bom", "codec"), [(b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"),
                                        (b"\xfe\xff", "utf-16-be")])  # fmt: skip
def test_byte_order_marks_are_honoured(bom, codec):
    """A page with a BOM (UTF-8, or UTF-16 either way) reads as the same posts, sniffed too."""
    data = bom + PAGE.decode("utf-8").encode(codec)
    archive = tgarchive.load(data)
    assert archive.format == "desktop-html"
    assert archive.issues == []
    assert archive.posts == _load(PAGE).posts


def test_one_invalid_utf8_byte_costs_only_its_own_text():
    """Bad bytes in one message: every message is kept, the bad one's text has U+FFFD, one issue."""
    at = PAGE.index(b'<div class="text">', PAGE.index(b'id="message10"')) + 30
    data = PAGE[:at] + b"\xff\xc3(" + PAGE[at:]
    with pytest.warns(tgarchive.ParseWarning, match="invalid UTF-8"):
        archive = tgarchive.load(data, format="desktop-html")
    clean = _load(PAGE).posts
    assert [p.id for p in archive.posts] == [p.id for p in clean]
    assert [p for p in archive.posts if p.id != 10] == [p for p in clean if p.id != 10]
    assert "\ufffd" in next(p for p in archive.posts if p.id == 10).text
    (issue,) = archive.issues
    assert issue.location.message_id == 10
    assert issue.location.line == PAGE[:at].count(b"\n") + 1
    with pytest.raises(ParseError, match="invalid UTF-8"):
        tgarchive.load(data, format="desktop-html", strict=True)


def test_invalid_utf8_in_a_real_1000_message_page():
    """One bad byte among a real page's 1,000 messages loses none of them."""
    page = (corpus_dir("desktop-html", "civil") / "messages.html").read_bytes()
    at = page.index(b'<div class="text">', page.index(b'id="message500"')) + 25
    archive = _load(page[:at] + b"\x80" + page[at:])
    assert len(archive.posts) == 1000
    assert [(i.location.message_id, "invalid UTF-8" in i.reason) for i in archive.issues] == [
        (500, True)
    ]


def test_invalid_utf16_is_replaced_and_reported():
    """A UTF-16 page with a lone surrogate keeps its messages and reports the bad unit."""
    data = b"\xff\xfe" + PAGE.decode().encode("utf-16-le")
    at = (
        data.index("post".encode("utf-16-le"))
        if "post".encode("utf-16-le") in data
        else len(data) // 2
    )
    at -= at % 2
    bad = data[:at] + b"\x00\xd8" + data[at:]  # an unpaired high surrogate
    archive = _load(bad)
    assert len(archive.posts) == 25
    assert [i.reason.split(" at ")[0] for i in archive.issues] == ["invalid UTF-16"]


def _nest(where: bytes, depth: int) -> bytes:
    at = PAGE.index(where) + len(where)
    return PAGE[:at] + b"<span>" * depth + b"deep" + b"</span>" * depth + PAGE[at:]


def test_deep_formatting_in_one_message_costs_only_that_message():
    """Formatting nested 1,500 deep in message 1: it is reported; the other 24 are read."""
    archive = _load(_nest(b'<div class="text">', 1500))
    assert [p.id for p in archive.posts] == [p.id for p in _load(PAGE).posts][1:]
    (issue,) = archive.issues
    assert issue.location.message_id == 1 and "nested more than 256" in issue.reason


@pytest.mark.parametrize("where", [b'<div class="history">', b'<div class="page_header">'])
def test_nesting_past_the_parser_limit_is_reported_never_a_recursion_error(where):
    """100,000 nested elements: libxml2 stops at 2,048 levels and the page says where."""
    archive = _load(_nest(where, 100_000))
    reasons = [i.reason for i in archive.issues]
    assert any("could not be read past line" in r and "depth" in r for r in reasons)
    with pytest.raises(ParseError, match="could not be read past line"):
        tgarchive.load(_nest(where, 100_000), format="desktop-html", strict=True)


def test_only_sentences_of_telegram_size_are_matched_to_actions():
    """A service sentence over 8,192 characters is kept verbatim as an unknown one."""
    members = ", ".join(f"Member {i}" for i in range(900))

    def service(text: str) -> tgarchive.Post:
        head = PAGE[: PAGE.index(b'<div class="history">') + 21]
        page = head + (f'<div class="message service" id="message7"><div class="body details">'
                       f"{text}</div></div></div></div></div></body></html>").encode()  # fmt: skip
        (post,) = _load(page, strict=True).posts
        return post

    short = service("Kim invited " + members[:8000])
    assert short.action == "invite_members"
    long = service("Kim invited " + members)
    assert long.action is None and long.action_data == {
        "information_text": "Kim invited " + members
    }
