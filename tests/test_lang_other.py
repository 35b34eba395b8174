"""Latin-script languages other than English are ``other``; short English stays ``en``."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tgarchive
from tgarchive.text import detect_lang

from .conftest import corpus_dir

OTHER = [
    ("es", "Hoy lanzamos nuestra nueva plataforma de inteligencia artificial para startups."),
    ("es", "Gracias por compartir, muy interesante el artículo."),
    ("es", "La inversión en startups de IA creció un 40% este año."),
    ("es", "¿Alguien sabe cómo funciona esto?"),
    ("fr", "Nous avons levé 10 millions d'euros pour développer notre produit."),
    ("fr", "C'est une excellente nouvelle pour l'écosystème français."),
    ("fr", "Merci beaucoup pour le partage !"),
    ("de", "Wir haben heute unsere neue Plattform vorgestellt."),
    ("de", "Das ist eine sehr gute Idee, danke!"),
    ("de", "Die Finanzierungsrunde wurde erfolgreich abgeschlossen."),
    ("vi", "Hôm nay chúng tôi ra mắt sản phẩm mới."),
    ("vi", "Cảm ơn bạn đã chia sẻ bài viết này."),
    ("vi", "Rất hay, cảm ơn!"),
    ("id", "Kami sangat senang dengan hasil investasi ini."),
    ("id", "Terima kasih sudah berbagi informasi yang bermanfaat."),
    ("id", "Apakah ada yang tahu cara menggunakannya?"),
]

ENGLISH = [
    "Nice",
    "LGTM",
    "Thanks!",
    "Let's go",
    "Deadline is Friday",
    "Vamos",
    "Great read, thanks for sharing",
    "Interview with José García, CEO of Rappi",
    "Café culture in Seoul",
    "Pokémon Go launched in Zürich",
    "Le Monde reports that the deal is done",
    "The de facto standard for LLM serving",
    "It’s a déjà vu moment for the résumé crowd",
    "São Paulo fintech Nubank files for IPO",
    "SSC JE 2023 MAINS STATUS",  # acronyms that spell French words
    "BHEL ET EXAM POSTPONED",
    "Pitch deck review tomorrow",
]


@pytest.mark.parametrize(("language", "text"), OTHER)
def test_latin_script_languages_are_other(language, text):
    """Spanish, French, German, Vietnamese, Indonesian: ``other``, named by langdetect."""
    guess = detect_lang(text)
    assert guess.lang == "other"
    assert guess.language == language
    assert 0.0 < guess.confidence <= 1.0


@pytest.mark.parametrize("text", ENGLISH)
def test_english_stays_english(text):
    """Short English, and English with names or acronyms that look foreign, stays ``en``."""
    assert detect_lang(text).lang == "en"


def test_korean_and_mixed_are_untouched():
    """The Korean side of the detector does not change: ko and mixed stay."""
    assert detect_lang("GPT-4는 진짜 미쳤다").lang == "ko"
    assert detect_lang("We raised our Series A! 시리즈 A 투자 유치했습니다 🚀").lang == "mixed"


def test_post_lang_uses_the_same_rule():
    """A post in Spanish reports ``other`` through Post.lang."""
    post = tgarchive.Post(id=1, text="Gracias por compartir, muy interesante el artículo.")
    assert (post.lang.lang, post.lang.language) == ("other", "es")


def test_real_english_posts_stay_english(corpus_dir_cybersec):
    """Every English post of a real English channel page is still ``en`` or ``und``."""
    archive = corpus_dir_cybersec
    langs = {p.id: p.lang.lang for p in archive.posts if p.text.strip()}
    assert len(langs) > 100
    assert set(langs.values()) <= {"en", "und"}


@pytest.fixture
def corpus_dir_cybersec() -> tgarchive.Archive:
    page = corpus_dir("desktop-html", "cybersec") / "messages40.html"
    with pytest.warns(tgarchive.ParseWarning, match="only this page was read"):
        return tgarchive.load(page)


@settings(deadline=None)  # the first call loads langdetect's profiles
@given(st.text(alphabet=st.characters(codec="latin-1"), max_size=60))
def test_latin_text_never_breaks_the_detector(text):
    """Any Latin-1 text gets one of the five answers, deterministically."""
    first, second = detect_lang(text), detect_lang(text)
    assert first == second
    assert first.lang in ("ko", "en", "mixed", "und", "other")
