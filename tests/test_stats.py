"""tgarchive.stats(): the figures info, stats and report print, checked against the posts."""

from __future__ import annotations

import json
import warnings
from collections import Counter
from collections.abc import Iterable
from datetime import timezone

from hypothesis import HealthCheck, given, settings

import tgarchive
from tgarchive import ArchiveStats, ChatStats

from .conftest import FIXTURES, corpus_dir
from .property.strategies import chat_export

ACCOUNT = FIXTURES / "desktop-json" / "account_export.json"


def recount(posts: Iterable[tgarchive.Post]) -> dict[str, Counter[str]]:
    """The counters computed the plain way, one post at a time, for comparison."""
    out: dict[str, Counter[str]] = {
        "months": Counter(),
        "domains": Counter(),
        "reactions": Counter(),
    }
    for post in posts:
        if post.date is not None and not post.is_service:
            date = post.date.astimezone(timezone.utc) if post.date.tzinfo else post.date
            out["months"][date.strftime("%Y-%m")] += 1
        for link in post.links:
            out["domains"][link.domain or "(none)"] += 1
        for reaction in post.reactions:
            out["reactions"][reaction.label] += reaction.count
    return out


def test_sample_figures():
    """The sample's figures, as its posts give them."""
    result = tgarchive.stats(tgarchive.sample_path())
    total = result.total
    assert (total.posts, total.service, total.edited, total.replies, total.links) == (
        12,
        2,
        1,
        1,
        8,
    )
    assert total.forwards == Counter({"GeekNews": 1, "AI Korea Community": 1, "(hidden)": 1})
    assert total.languages == Counter({"ko": 5, "en": 3, "mixed": 2})
    assert total.media == Counter({"photo": 1, "document": 1, "video": 1})


def test_account_totals_add_up_the_chats():
    """The total of an account export is the sum of its chats; dates span them all."""
    result = tgarchive.stats(ACCOUNT)
    assert [c.posts for c in result.chats] == [2, 0, 2, 1]
    total = result.total
    assert total.posts == 5
    assert total.first is not None and total.first.year == 2019
    assert total.last is not None and total.last.isoformat() == "2024-05-02T00:00:00+00:00"
    assert total.months == sum((c.months for c in result.chats), Counter())


def test_stats_of_an_archive_equal_stats_of_its_source():
    """stats(archive) and stats(path) give the same figures."""
    from_path = tgarchive.stats(ACCOUNT).to_dict()
    from_archive = tgarchive.stats(tgarchive.load(ACCOUNT)).to_dict()
    assert from_archive.pop("source") is None
    assert from_path.pop("source").endswith("account_export.json")
    assert from_archive == from_path


def test_corpus_html_counters_match_a_plain_recount():
    """On a real HTML export, months, domains and reactions equal a plain recount."""
    folder = corpus_dir("desktop-html", "teleaudio")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", tgarchive.ParseWarning)
        posts = tgarchive.load(folder).posts
        total = tgarchive.stats(folder, languages=False).total
    expected = recount(posts)
    assert total.months == expected["months"]
    assert total.domains == expected["domains"]
    assert total.reactions == expected["reactions"]
    assert sum(total.domains.values()) == total.links > 1000
    assert total.languages == Counter()  # languages=False


def test_per_month_fills_gaps_across_years():
    """per_month runs from the first month to the last, December to January included."""
    chat = ChatStats(months=Counter({"2023-11": 2, "2024-02": 1}))
    assert chat.per_month() == [("2023-11", 2), ("2023-12", 0), ("2024-01", 0), ("2024-02", 1)]
    assert ChatStats().per_month() == []


def test_mixed_naive_and_aware_dates_across_chats():
    """Totals over chats with naive (HTML) and aware (JSON) dates do not raise."""
    json_chat = tgarchive.stats(tgarchive.sample_path()).chats[0]
    html_chat = tgarchive.stats(corpus_dir("desktop-html", "salaf"), languages=False).chats[0]
    combined = ArchiveStats(chats=[json_chat, html_chat]).total
    assert combined.posts == json_chat.posts + html_chat.posts
    assert combined.first is not None and combined.last is not None


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip
@given(chat_export())
def test_any_export_gives_json_ready_consistent_figures(export):
    """For any export: JSON-ready figures, months summing to the dated non-service posts."""
    data = json.dumps(export, ensure_ascii=False, indent=1).encode()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", tgarchive.ParseWarning)
        posts = tgarchive.load(data).posts
        result = tgarchive.stats(data)
    as_json = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    assert as_json["total"]["posts"] == len(posts)
    dated = [p for p in posts if p.date is not None and not p.is_service]
    assert sum(as_json["total"]["months"].values()) == len(dated)
    assert sum(as_json["total"]["languages"].values()) == sum(
        1 for p in posts if not p.is_service and p.text.strip()
    )
    assert result.total.domains == recount(posts)["domains"]
