"""A short deterministic run of the fuzzing oracle on every parser, and the campaign's finds."""

from __future__ import annotations

from pathlib import Path

import pytest
from fuzz import harness

import tgarchive

FOUND = Path(__file__).parent / "found"


@pytest.mark.parametrize("parser", tgarchive.available_formats())
def test_smoke_run_finds_nothing(parser):
    """300 mutated fixture inputs a parser (seeded: the same every run) give no finding."""
    findings = harness.smoke(parser, 300, seed=2026)
    assert [(f.kind, f.where, f.strict) for f in findings] == []


def _found() -> list[Path]:
    return sorted(FOUND.glob("*/*.bin"))


@pytest.mark.parametrize("path", _found(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_campaign_findings_stay_fixed(path):
    """Every input the campaign found (tests/hostile/found/<parser>/) now passes the oracle."""
    data, strict = harness.decode_input(path.read_bytes())
    for mode in (strict, not strict):
        assert harness.check(path.parent.name, data, strict=mode) is None


def test_the_oracle_flags_foreign_exceptions_and_slow_inputs(monkeypatch):
    """check() reports an exception that is not a TgArchiveError, and an input over 2 s."""

    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("count")

    monkeypatch.setattr(tgarchive, "load", broken)
    finding = harness.check("desktop-json", b"{}", strict=True)
    assert finding is not None and finding.kind == "KeyError"
    assert finding.where.startswith("test_fuzz_smoke.py:")

    clock = iter([0.0, harness.TIME_LIMIT + 1])
    monkeypatch.setattr("fuzz.harness.time.perf_counter", lambda: next(clock))
    monkeypatch.setattr(tgarchive, "load", lambda *a, **k: tgarchive.Archive(format="x"))
    slow = harness.check("desktop-json", b"{}", strict=False)
    assert slow is not None and slow.kind == "slow"


def test_seeds_cover_fixtures_and_one_message_documents():
    """Seeds are the fixtures plus one-message documents cut from them, in a stable order."""
    html = harness.seeds("desktop-html", corpus=False)
    assert html == harness.seeds("desktop-html", corpus=False)
    assert len(html) > 60
    one = [s for s in html if s.count(b'<div class="message ') == 1]
    assert one and all(s.rstrip().endswith(b"</html>") for s in one)
    assert len(harness.seeds("desktop-json", corpus=False)) > 50


def test_channel_text_seeds_are_the_text_copies_not_their_notes():
    """channel-text seeds are the .txt copies only: no README or expected-posts JSON."""
    fixtures = sorted((harness.FIXTURES / "channel-text").glob("**/*.txt"))
    assert fixtures
    assert harness.seeds("channel-text", corpus=False) == [p.read_bytes() for p in fixtures]
