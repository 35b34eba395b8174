"""The HTML report: self-contained, and drawn without errors in a real headless browser."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from lxml import html

import tgarchive
from tgarchive import ArchiveStats, ChatStats
from tgarchive.cli import main
from tgarchive.report import CHARTS, chart_data, render_report, write_report

from .conftest import FIXTURES, corpus_dir

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


@pytest.fixture(scope="module")
def browser() -> str:
    """The headless browser; CI must have it (.ci/run installs Chromium), elsewhere it may skip."""
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail("no Chromium on PATH: .ci/run installs it (apt-get install -y chromium)")
    pytest.skip("no Chromium on PATH (apt-get install -y chromium)")


def render(browser: str, page: Path, tmp_path: Path) -> tuple[html.HtmlElement, list[str]]:
    """The DOM after the page's scripts ran, and every console message the page produced."""
    proc = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",  # CI runs as root
            "--disable-gpu",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            # No network at all: any request the page tried would fail and show in the console.
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1280,1600",
            "--dump-dom",
            page.resolve().as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    console = [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]
    return html.fromstring(proc.stdout), console


def assert_drawn(dom: html.HtmlElement, console: list[str], stats: ArchiveStats) -> None:
    """No console message, no script error, and each chart has one mark per data row, in order."""
    assert console == []
    root = dom.getroottree().getroot()
    assert root.get("data-errors") == "0"
    assert root.get("data-ready") == "true"
    expected = chart_data(stats)
    figures = {f.get("data-chart"): f for f in dom.xpath("//figure[contains(@class, 'chart')]")}
    assert sorted(figures) == sorted(CHARTS)
    for name, rows in expected.items():
        marks = figures[name].xpath(".//*[local-name()='rect'][contains(@class, 'mark')]")
        assert figures[name].get("data-drawn") == str(len(rows)), name
        assert [(m.get("data-key"), int(m.get("data-value"))) for m in marks] == [
            (key, value) for key, value in rows
        ], name
        for mark, (_key, value) in zip(marks, rows, strict=True):
            size = float(mark.get("height")) if name == "months" else float(mark.get("width"))
            assert (size > 0) == (value > 0), (name, mark.get("data-key"))


def test_sample_report_draws_every_chart(browser, tmp_path):
    """The bundled sample's report loads without console errors and draws every data point."""
    page = tmp_path / "report.html"
    stats = write_report(tgarchive.sample_path(), page)
    dom, console = render(browser, page, tmp_path)
    assert_drawn(dom, console, stats)
    rows = chart_data(stats)
    assert rows["reactions"][:2] == [("🔥", 69), ("👍", 66)]
    assert sum(v for _k, v in rows["languages"]) == 10  # the posts with text
    assert dom.findtext(".//h1") == "Continuous Learning_Startup & Investment"


def test_bars_are_proportional(browser, tmp_path):
    """A bar's length is proportional to its count (the 2-link domain is twice a 1-link one)."""
    page = tmp_path / "report.html"
    write_report(tgarchive.sample_path(), page)
    dom, _console = render(browser, page, tmp_path)
    domains = dom.xpath("//figure[@data-chart='domains']//*[local-name()='rect']")
    widths = {m.get("data-key"): float(m.get("width")) for m in domains}
    assert widths["huyenchip.com"] == pytest.approx(2 * widths["arxiv.org"])


def test_account_export_report(browser, tmp_path):
    """A whole-account export's report adds up its chats and lists those with posts."""
    page = tmp_path / "report.html"
    stats = write_report(FIXTURES / "desktop-json" / "account_export.json", page)
    dom, console = render(browser, page, tmp_path)
    assert_drawn(dom, console, stats)
    chats = [td.text for td in dom.xpath("//section/table/tbody/tr/td[1]")]
    assert chats == ["Jihoon Kim", "Startup Founders KR", "Old Channel"]
    assert "1 more without posts." in dom.text_content()
    # Months without posts are drawn as zero-height bars between the first and the last.
    months = chart_data(stats)["months"]
    assert months[0][0] == "2019-12" and months[-1][0] == "2024-05"
    assert len(months) == 54


def test_corpus_html_export_report(browser, tmp_path):
    """The report of a real paginated HTML export (two pages, ~2,000 posts) draws in full."""
    page = tmp_path / "report.html"
    assert main(["report", str(corpus_dir("desktop-html", "civil")), "-o", str(page), "-q"]) == 0
    stats = tgarchive.stats(corpus_dir("desktop-html", "civil"))
    dom, console = render(browser, page, tmp_path)
    assert_drawn(dom, console, stats)
    assert stats.total.posts > 1900


def test_hostile_text_stays_text(browser, tmp_path):
    """Names that look like markup cannot end the data script or inject elements."""
    evil = '</script><script>window.tgarchiveErrors.push("injected")</script><b>x</b>'
    chat = ChatStats(name=evil, posts=2, months=Counter({"2024-01": 2}))
    chat.domains[evil] = 2
    chat.forwards["<!--"] = 1
    chat.reactions["&amp;"] = 3
    stats = ArchiveStats(chats=[chat], format="desktop-json")
    page = tmp_path / "report.html"
    page.write_text(render_report(stats), encoding="utf-8")
    dom, console = render(browser, page, tmp_path)
    assert_drawn(dom, console, stats)
    assert dom.findtext(".//h1") == evil
    assert not dom.xpath("//b[.='x']")


def test_empty_export_report(browser, tmp_path):
    """An export without posts gives a page that says so in each chart, with no errors."""
    page = tmp_path / "report.html"
    data = tgarchive.sample_path().read_bytes()
    empty = re.sub(rb'"messages": \[.*\]', b'"messages": []', data, flags=re.S)
    source = tmp_path / "result.json"
    source.write_bytes(empty)
    stats = write_report(source, page)
    dom, console = render(browser, page, tmp_path)
    assert_drawn(dom, console, stats)
    plots = dom.xpath("//figure/div[@class='plot']/text()")
    assert plots == ["Nothing to show: the export has none."] * len(CHARTS)


def test_harness_sees_script_errors(browser, tmp_path):
    """The browser check fails on a page whose script breaks (so a pass means something)."""
    page = tmp_path / "report.html"
    text = render_report(tgarchive.stats(tgarchive.sample_path()))
    page.write_text(
        text.replace("function draw() {", "function draw() { undefinedCall();"), "utf-8"
    )
    dom, console = render(browser, page, tmp_path)
    assert any("undefinedCall" in line for line in console)
    assert dom.getroottree().getroot().get("data-errors") == "1"
    with pytest.raises(AssertionError):
        assert_drawn(dom, console, tgarchive.stats(tgarchive.sample_path()))


def test_page_is_self_contained(tmp_path):
    """The page references no file or URL: no src, href, CSS url() or @import."""
    text = render_report(tgarchive.stats(FIXTURES / "desktop-json" / "account_export.json"))
    dom = html.fromstring(text)
    assert dom.xpath("//@src | //@href | //link | //iframe | //img") == []
    assert "url(" not in text
    assert "@import" not in text
    assert not re.search(r"\b(fetch|XMLHttpRequest|import|WebSocket|EventSource)\s*\(", text)
    data = json.loads(dom.findtext(".//script[@id='tgarchive-data']") or "")
    assert data["charts"]["months"][0] == ["2019-12", 1]


def test_report_command_usage(tmp_path, capsys):
    """report needs exactly one of SRC or --sample, like info."""
    assert main(["report", "-o", str(tmp_path / "r.html")]) == 2
    assert "give an export PATH" in capsys.readouterr().err
    assert main(["report", "--sample", "-q", "-o", str(tmp_path / "r.html")]) == 0
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
