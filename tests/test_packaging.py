"""What a release uploads is complete: one version, full metadata, and a guard for the name clash."""

from __future__ import annotations

import importlib.metadata as metadata
import os
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest

import _tgarchive_kit
import tgarchive

ROOT = Path(__file__).parents[1]
PYPROJECT = ROOT / "pyproject.toml"


def _pyproject() -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # tomli is in the dev group for Python 3.10
        tomllib = pytest.importorskip("tomli")
    with PYPROJECT.open("rb") as fh:
        data: dict[str, Any] = tomllib.load(fh)
    return data


def test_one_version_source():
    """pyproject's version, the installed metadata and tgarchive.__version__ agree."""
    declared = _pyproject()["project"]["version"]
    assert metadata.version("tgarchive-kit") == declared
    assert tgarchive.__version__ == declared
    assert re.fullmatch(r"\d+\.\d+\.\d+((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?", declared)


def test_metadata_is_complete():
    """The installed metadata has the readme, URLs, classifiers, license file and every extra."""
    meta = metadata.metadata("tgarchive-kit")
    project = _pyproject()["project"]
    assert meta["Summary"] == project["description"]
    assert meta["Description-Content-Type"] == "text/markdown"
    assert meta["Requires-Python"] == project["requires-python"]
    assert meta["License-Expression"] == "MIT"
    assert meta.get_all("License-File") == ["LICENSE"]
    urls = dict(entry.split(", ", 1) for entry in meta.get_all("Project-URL") or [])
    assert set(urls) >= {"Homepage", "Documentation", "Source", "Issues", "Changelog"}
    assert all(url.startswith("https://") for url in urls.values())
    classifiers = set(meta.get_all("Classifier") or [])
    assert "Typing :: Typed" in classifiers
    assert {
        f"Programming Language :: Python :: 3.{minor}" for minor in (10, 11, 12, 13)
    } <= classifiers
    assert set(meta.get_all("Provides-Extra") or []) == set(project["optional-dependencies"])


def test_all_extra_is_every_extra():
    """The `all` extra names every other extra, so `pip install tgarchive-kit[all]` gets them all."""
    extras = _pyproject()["project"]["optional-dependencies"]
    (requirement,) = extras["all"]
    match = re.fullmatch(r"tgarchive-kit\[([\w,\s-]+)\]", requirement)
    assert match, requirement
    named = {name.strip() for name in match.group(1).split(",")}
    assert named == set(extras) - {"all"}
    # The build flattens the self-reference: `all` requires exactly what the other extras do.
    requires = metadata.requires("tgarchive-kit") or []
    by_extra: dict[str, set[str]] = {}
    for line in requires:
        requirement, _, marker = line.partition(";")
        extra = re.search(r"""extra\s*==\s*['"]([\w-]+)['"]""", marker)
        if extra:
            by_extra.setdefault(extra.group(1), set()).add(requirement.strip())
    assert set(by_extra) == set(extras)
    assert by_extra["all"] == set().union(*(v for k, v in by_extra.items() if k != "all"))


def test_readme_links_are_absolute():
    """Links in README.md (the PyPI page) are absolute: PyPI cannot resolve relative ones."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)\s]+)\)", readme) + re.findall(
        r"^\[[^\]]+\]:\s*(\S+)", readme, re.M
    )
    assert targets
    relative = [t for t in targets if not t.startswith(("https://", "http://", "#", "mailto:"))]
    assert relative == []


def test_console_script_goes_through_the_clash_guard(capsys):
    """The `tgarchive` script is the guard's main, which runs the real CLI when all is well."""
    (script,) = [
        ep for ep in metadata.entry_points(group="console_scripts") if ep.name == "tgarchive"
    ]
    assert script.value == "_tgarchive_kit:main"
    assert _tgarchive_kit.find_clash() is None
    assert script.load()(["formats"]) == 0
    assert "desktop-json" in capsys.readouterr().out


# ---- the import-name clash with knadh's tg-archive -------------------------------------------

FOREIGN_INIT = '''"""A stand-in for knadh/tg-archive's tgarchive/__init__.py (a different tool)."""
__version__ = "1.1.5"


def main():
    print("tg-archive")
'''


def _fake_dist(site: Path, *, egg: bool = False) -> None:
    """Install the metadata of a fake tg-archive 1.1.5 that owns tgarchive/__init__.py."""
    if egg:
        info = site / "tg_archive-1.1.5-py3.11.egg-info"
        info.mkdir(parents=True)
        (info / "PKG-INFO").write_text("Metadata-Version: 1.1\nName: tg-archive\nVersion: 1.1.5\n")
        (info / "installed-files.txt").write_text(
            "../tgarchive/__init__.py\n../tgarchive/db.py\nPKG-INFO\n"
        )
        return
    info = site / "tg_archive-1.1.5.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: tg-archive\nVersion: 1.1.5\n")
    (info / "RECORD").write_text(
        "tgarchive/__init__.py,sha256=AAAA,120\ntgarchive/db.py,sha256=BBBB,80\n"
        "tg_archive-1.1.5.dist-info/METADATA,,\ntg_archive-1.1.5.dist-info/RECORD,,\n"
    )


def _run(code: list[str], site: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(site), *sys.path[1:]]))
    env.pop("PYTHONWARNINGS", None)
    return subprocess.run([sys.executable, *code], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=120)  # fmt: skip


def _says_both_and_the_fix(text: str) -> None:
    assert "tgarchive-kit" in text and "tg-archive 1.1.5" in text
    assert "separate virtual environments" in text
    assert "pip uninstall tgarchive-kit tg-archive" in text


@pytest.mark.parametrize("egg", [False, True], ids=["dist-info", "egg-info"])
def test_both_installed_is_found(tmp_path, monkeypatch, egg):
    """Another distribution owning tgarchive/__init__.py is named, whatever its metadata style."""
    site = tmp_path / "site"
    _fake_dist(site, egg=egg)
    monkeypatch.syspath_prepend(str(site))
    clash = _tgarchive_kit.find_clash()
    assert clash is not None and clash.ours_imported
    assert [(o.name, o.version) for o in clash.others] == [("tg-archive", "1.1.5")]
    assert clash.others[0].init == site / "tgarchive" / "__init__.py"
    _says_both_and_the_fix(clash.message)
    assert clash.message.startswith(f"tgarchive-kit {tgarchive.__version__} and tg-archive 1.1.5")


def test_both_installed_stops_the_cli_and_warns_on_import(tmp_path, monkeypatch, capsys):
    """With both installed the command exits 4 naming both; the library warns instead."""
    site = tmp_path / "site"
    _fake_dist(site)
    monkeypatch.syspath_prepend(str(site))
    assert _tgarchive_kit.main(["info", "--sample"]) == _tgarchive_kit.EXIT_CLASH == 4
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("tgarchive: ")
    _says_both_and_the_fix(captured.err)
    with pytest.warns(tgarchive.TgArchiveWarning, match="tg-archive 1.1.5"):
        _tgarchive_kit.warn_on_clash(tgarchive.TgArchiveWarning)
    out = _run(
        ["-c", "import warnings; warnings.simplefilter('always'); import tgarchive"], site, tmp_path
    )
    assert out.returncode == 0
    assert "TgArchiveWarning" in out.stderr
    _says_both_and_the_fix(out.stderr)


def test_foreign_package_overwriting_ours_is_reported_not_an_attribute_error(tmp_path):
    """tg-archive's __init__.py over ours: the command explains instead of failing obscurely."""
    site = tmp_path / "site"
    shutil.copytree(Path(tgarchive.__file__).parent, site / "tgarchive",
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    (site / "tgarchive" / "__init__.py").write_text(FOREIGN_INIT)
    _fake_dist(site)
    # What a user of the library meets, and cannot be spared: the other package is imported.
    plain = _run(["-c", "import tgarchive; tgarchive.load"], site, tmp_path)
    assert "AttributeError" in plain.stderr
    for command in (["-c", "import _tgarchive_kit as k; raise SystemExit(k.main(['formats']))"],
                    ["-m", "tgarchive", "info", "--sample"]):  # fmt: skip
        out = _run(command, site, tmp_path)
        assert out.returncode == 4, out.stderr
        assert "Traceback" not in out.stderr and "AttributeError" not in out.stderr
        assert f"'import tgarchive' finds {site / 'tgarchive' / '__init__.py'}" in out.stderr
        assert "which is not tgarchive-kit's package: it belongs to tg-archive 1.1.5" in out.stderr
        _says_both_and_the_fix(out.stderr)


def test_foreign_package_earlier_on_sys_path_is_reported(tmp_path):
    """A tgarchive package of another project that shadows ours from an earlier path entry."""
    site = tmp_path / "site"
    (site / "tgarchive").mkdir(parents=True)
    (site / "tgarchive" / "__init__.py").write_text(FOREIGN_INIT)
    _fake_dist(site)
    out = _run(
        ["-c", "import _tgarchive_kit as k; raise SystemExit(k.main(['formats']))"], site, tmp_path
    )
    assert out.returncode == 4, out.stderr
    assert "Packages named 'tgarchive' on sys.path, in import order:" in out.stderr
    lines = out.stderr.splitlines()
    first = lines.index("Packages named 'tgarchive' on sys.path, in import order:") + 1
    assert lines[first].strip() == str(site / "tgarchive" / "__init__.py")
    assert lines[first + 1].strip() == str(Path(tgarchive.__file__))
    _says_both_and_the_fix(out.stderr)


def test_a_second_copy_of_our_own_package_is_not_a_clash(tmp_path):
    """Our own package twice on sys.path (a source tree beside the wheel) runs normally."""
    site = tmp_path / "site"
    shutil.copytree(Path(tgarchive.__file__).parent, site / "tgarchive",
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    out = _run(
        ["-c", "import _tgarchive_kit as k; raise SystemExit(k.main(['formats']))"], site, tmp_path
    )
    assert out.returncode == 0, out.stderr
    assert "desktop-json" in out.stdout


def test_missing_package_files_say_how_to_repair(monkeypatch):
    """After the other distribution's uninstall deleted tgarchive/__init__.py: reinstall ours."""
    monkeypatch.setattr(_tgarchive_kit, "_imported_init", lambda: None)
    monkeypatch.setattr(_tgarchive_kit, "_packages_on_path", list)
    clash = _tgarchive_kit.find_clash()
    assert clash is not None and clash.imported is None
    assert "the Python package 'tgarchive' is missing" in clash.message
    assert "pip install --force-reinstall tgarchive-kit" in clash.message


def test_the_usual_environment_has_no_clash_and_warns_nothing():
    """Without another distribution, nothing is reported and importing tgarchive is silent."""
    assert _tgarchive_kit.find_clash() is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _tgarchive_kit.warn_on_clash(tgarchive.TgArchiveWarning)
