"""The fuzzing oracle, its seeds and a deterministic mutator, shared by the campaign and the tests.

One input is one file handed to :func:`tgarchive.load` with ``format=`` naming the parser, in
lenient or strict mode. The oracle (:func:`check`) accepts exactly three outcomes: an archive
(a lenient one must then be writable by :func:`tgarchive.dumps`), or a :class:`tgarchive.TgArchiveError`
subclass. Anything else that escapes, and any input taking more than :data:`TIME_LIMIT`
seconds, is a :class:`Finding`.

The campaign (``fuzz/campaign.py``) drives :func:`check` with atheris (coverage-guided) when
it is installed; :func:`smoke` drives it with :func:`mutate`, a seeded byte mutator, for the
short deterministic run in the test suite and for machines without atheris.

    >>> finding = check("desktop-html", b"<html><body>no export here</body></html>", strict=True)
    >>> finding is None
    True
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import time
import traceback
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import tgarchive
from tgarchive.errors import TgArchiveError

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
CORPUS = ROOT.parent / "shared" / "corpus"
SAMPLES = ROOT.parent / "shared" / "samples"

TIME_LIMIT = 2.0
"""Seconds one input may take (load and dumps together) before it counts as a finding."""

MAX_SEED = 64 * 1024
"""Seeds longer than this are cut into smaller documents (one message each) as well."""

#: Where each parser's seeds come from, relative to tests/fixtures and to the shared corpus
#: and samples.
SEED_GLOBS: dict[str, tuple[str, ...]] = {
    "desktop-json": ("desktop-json/**/*.json", "equivalence/**/*.json"),
    "desktop-html": ("desktop-html/**/*.html", "equivalence/**/*.html"),
    "web-preview": ("web-preview/**/*.html",),
    "jsonl": (),
    "sqlite": (),
    "channel-text": ("channel-text/**/*.txt", "*.txt"),
}

#: Byte strings the mutator splices in: the structure of both formats and classic trouble.
TOKENS = (
    b'<div class="message default clearfix" id="message7">',
    b'<div class="message service" id="message8">',
    b'<div class="body">',
    b'<span class="reactions"><span class="reaction"><span class="emoji">',
    b'<span class="count">',
    b'<div class="media_wrap clearfix">',
    b'<div class="pull_right date details" title="31.12.9999 23:59:59 UTC+14:00">',
    b"</div>",
    b"</span>",
    b'<!DOCTYPE html [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    b"&e;",
    b"&#0;",
    b"&#x110000;",
    b'"id": ',
    b'"type": "message", ',
    b'"text": ',
    b'"date_unixtime": "99999999999999999"',
    b'"reactions": [{"type": "emoji"}]',
    b'"messages": [',
    b"\\x0B",
    b"\\ud800",
    b"[[[[[[[[[[[[[[[[",
    b"{",
    b"}",
    b"]",
    b'"',
    b"\x00",
    b"\xff",
    b"\xc3",
    b"\xef\xbb\xbf",
    b"9" * 40,
    b"-1",
    b"../../etc/passwd",
    b"/etc/passwd",
)


@dataclass(frozen=True)
class Finding:
    """An input the oracle rejects: an exception that is not a TgArchiveError, or a slow input."""

    parser: str
    strict: bool
    kind: str
    """The exception's type name, or ``slow`` for an input over :data:`TIME_LIMIT`."""
    where: str
    """The innermost tgarchive frame (``module.py:123``), so one bug is one signature."""
    detail: str
    """The traceback (or the time taken)."""
    seconds: float

    @property
    def signature(self) -> str:
        """A short stable name for the bug: parser, kind and place."""
        digest = hashlib.sha1(f"{self.parser}|{self.kind}|{self.where}".encode()).hexdigest()
        return f"{self.parser}-{self.kind}-{digest[:10]}"


def _innermost(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    own = [f for f in frames if "tgarchive" in f.filename] or list(frames)
    if not own:
        return "?"
    return f"{Path(own[-1].filename).name}:{own[-1].lineno}"


def check(parser: str, data: bytes, *, strict: bool) -> Finding | None:
    """Load ``data`` as ``parser`` (and, in lenient mode, write the archive back with
    :func:`tgarchive.dumps`); a :class:`Finding` if that raises anything but a
    :class:`TgArchiveError` or takes longer than :data:`TIME_LIMIT`."""
    start = time.perf_counter()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            archive = tgarchive.load(data, format=parser, strict=strict)
            if not strict:  # what lenient mode kept must be writable (strict keeps a subset)
                tgarchive.dumps(archive)
    except TgArchiveError:
        pass
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # the point of the oracle: everything else is a bug
        return Finding(
            parser=parser,
            strict=strict,
            kind=type(exc).__name__,
            where=_innermost(exc),
            detail="".join(traceback.format_exception(exc))[-4000:],
            seconds=time.perf_counter() - start,
        )
    seconds = time.perf_counter() - start
    if seconds > TIME_LIMIT:
        return Finding(parser, strict, "slow", "-", f"{seconds:.2f} s", seconds)
    return None


def encode_input(data: bytes, *, strict: bool) -> bytes:
    """The campaign's input form: one mode byte (odd: strict), then the file."""
    return (b"\x01" if strict else b"\x00") + data


def decode_input(raw: bytes) -> tuple[bytes, bool]:
    """The file and the mode of a campaign input (see :func:`encode_input`)."""
    if not raw:
        return b"", False
    return raw[1:], bool(raw[0] & 1)


def _seed_files(parser: str, *, corpus: bool) -> list[Path]:
    globs = SEED_GLOBS.get(parser, (f"{parser}/**/*",))
    roots = [FIXTURES, *([CORPUS, SAMPLES] if corpus else [])]
    files = {p for root in roots for pattern in globs for p in root.glob(pattern) if p.is_file()}
    return sorted(files)


_HTML_MESSAGE = re.compile(rb'<div class="message [^"]*" id="message-?\d+">')


def _html_pieces(page: bytes) -> Iterator[bytes]:
    """Small pages: the original skeleton around one message element at a time."""
    starts = [m.start() for m in _HTML_MESSAGE.finditer(page)]
    if len(starts) < 2:
        return
    end_tag = page.rfind(b"</div>", 0, page.rfind(b"</body>"))
    head, tail = page[: starts[0]], page[end_tag if end_tag > starts[-1] else len(page) :]
    for a, b in zip(starts, [*starts[1:], len(page)], strict=True):
        yield head + page[a:b][:MAX_SEED] + tail


def _json_pieces(doc: bytes) -> Iterator[bytes]:
    """Small exports: the chat's own keys around one message at a time."""
    try:
        data = json.loads(doc.replace(b"\\x", b"\\u00"))
    except ValueError:
        return
    section = data.get("chats") if isinstance(data, dict) else None
    chats = section.get("list") if isinstance(section, dict) else None
    chats = chats if isinstance(chats, list) else []
    for chat in [data, *chats]:
        if not isinstance(chat, dict) or not isinstance(chat.get("messages"), list):
            continue
        head = {k: v for k, v in chat.items() if k != "messages"}
        for message in chat["messages"][:200]:
            yield json.dumps({**head, "messages": [message]}, ensure_ascii=False, indent=1).encode()


def _written(parser: str) -> list[bytes]:
    """For a parser of tgarchive's own outputs (``jsonl``, ``sqlite``): the Desktop JSON
    fixtures written in that format by its writer."""
    import tempfile

    from tgarchive.errors import UnknownFormatError
    from tgarchive.writers import default_writers

    try:
        default_writers().get(parser)
    except UnknownFormatError:
        return []
    out = []
    sources = [tgarchive.sample_path(), *sorted((FIXTURES / "desktop-json").glob("*.json"))]
    with tempfile.TemporaryDirectory() as folder, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for i, path in enumerate(sources):
            target = Path(folder) / f"seed{i}"
            tgarchive.dump(tgarchive.load(path), target, format=parser)
            out.append(target.read_bytes())
    return out


def seeds(parser: str, *, corpus: bool = True) -> list[bytes]:
    """Seed files for ``parser``: whole fixtures (and corpus files, when present), plus
    one-message documents cut from them, plus (for readers of tgarchive's own outputs) the
    fixtures written in that format; deterministic order."""
    out: list[bytes] = _written(parser)
    for path in _seed_files(parser, corpus=corpus):
        data = path.read_bytes()
        if len(data) <= MAX_SEED:
            out.append(data)
        pieces = _json_pieces(data) if path.suffix == ".json" else _html_pieces(data)
        out.extend(piece for piece in pieces if len(piece) <= MAX_SEED)
    return out


def mutate(rng: random.Random, data: bytes, others: list[bytes]) -> bytes:
    """One to four random byte-level edits of ``data``: flips, cuts, repeats, splices of
    :data:`TOKENS` and of other seeds, truncation."""
    buf = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(7)
        pos = rng.randint(0, len(buf))
        if op == 0 and buf:
            buf[min(pos, len(buf) - 1)] = rng.randrange(256)
        elif op == 1:
            del buf[pos : pos + rng.randint(1, 64)]
        elif op == 2:
            piece = bytes(buf[pos : pos + rng.randint(1, 64)])
            buf[pos:pos] = piece * rng.randint(1, 8)
        elif op == 3:
            buf[pos:pos] = rng.choice(TOKENS)
        elif op == 4 and others:
            other = rng.choice(others)
            at = rng.randint(0, len(other))
            buf[pos:pos] = other[at : at + rng.randint(1, 256)]
        elif op == 5:
            del buf[pos:]
        else:
            buf[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    return bytes(buf)


def smoke(parser: str, runs: int, *, seed: int = 0, corpus: bool = False) -> list[Finding]:
    """``runs`` mutated inputs for ``parser`` from a fixed seed, alternating lenient and strict;
    the findings (the same for the same arguments)."""
    rng = random.Random(seed)
    pool = seeds(parser, corpus=corpus)
    findings: list[Finding] = []
    if not pool:
        return findings
    for i in range(runs):
        data = mutate(rng, rng.choice(pool), pool)
        finding = check(parser, data, strict=bool(i & 1))
        if finding is not None:
            findings.append(finding)
    return findings
