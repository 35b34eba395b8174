"""Property tests for tgarchive.text: never raises, idempotent, covering, invertible."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tgarchive.text import (
    compose,
    decompose,
    detect_lang,
    find_entities,
    normalize,
    parse_count,
    parse_korean_datetime,
    script_runs,
    strip_particle,
)

KOREANISH = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3),
        st.characters(min_codepoint=0x3131, max_codepoint=0x318E),
        st.sampled_from(list("GPT-4는 https://lu.ma/x에서 @ai #태그 1.2만 🚀❤️\u200b\u200dＡ\n")),
        st.characters(),
    ),
    max_size=60,
)
ANY_TEXT = st.one_of(st.text(), KOREANISH)


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_nothing_raises(text):
    """The text helpers never raise on any string."""
    guess = detect_lang(text)
    assert guess.lang in ("ko", "en", "mixed", "und", "other")
    assert 0.0 <= guess.confidence <= 1.0
    parse_count(text)
    parse_korean_datetime(text)
    strip_particle(text)
    find_entities(text)


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_normalize_is_idempotent(text):
    """normalize(normalize(s)) == normalize(s)."""
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_runs_cover_the_text_in_order(text):
    """Runs are in order, never overlap, and gaps hold no letters."""
    from tgarchive.text._chars import script_of

    runs = script_runs(text)
    pos = 0
    for run in runs:
        assert pos <= run.start < run.end <= len(text)
        assert text[run.start : run.end] == run.text
        assert all(script_of(ch) is None for ch in text[pos : run.start])
        pos = run.end
    assert all(script_of(ch) is None for ch in text[pos:])


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.one_of(st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3),
                                  st.characters(max_codepoint=0x10FF)), max_size=40))  # fmt: skip
def test_compose_inverts_decompose(text):
    """compose(decompose(s)) == s for text whose jamo all belong to syllables."""
    assert compose(decompose(text)) == text
    assert compose(decompose(text, compat=False)) == text
