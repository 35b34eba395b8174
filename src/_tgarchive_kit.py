"""Guard against the import-name clash with knadh's tg-archive; the ``tgarchive`` command's entry.

Two distributions install a Python package named ``tgarchive``: ours (``tgarchive-kit``) and
knadh's **tg-archive** (a static-site generator for Telegram groups). Installed into one
environment they overwrite each other's ``tgarchive/__init__.py``, and whichever came second
wins: ``tgarchive.load`` then fails with ``AttributeError``, or the other tool's command stops
working, and uninstalling either one deletes files the other needs.

This module lives outside the ``tgarchive`` package on purpose: code inside the package cannot
run before ``tgarchive/__init__.py`` has been found and executed, and that file may be the other
project's. :func:`main` (the ``tgarchive`` console script) therefore locates the package without
importing it, and refuses to run, naming both distributions and the fix, when

- the ``tgarchive`` that ``import tgarchive`` finds is not ours, or
- another distribution installed files into our package folder, or
- another ``tgarchive`` package sits on ``sys.path`` beside ours.

``tgarchive/__init__.py`` calls :func:`warn_on_clash` so that library users are told too.
Only the standard library is used here, and the cheap checks (a few ``stat`` calls, one
metadata lookup) run on every start; the scan of every installed distribution runs only to
name the owners once a clash has been found.
"""

from __future__ import annotations

import importlib.metadata as metadata
import importlib.util
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Clash", "find_clash", "main", "warn_on_clash"]

#: Our distribution, and the line of ``tgarchive/__init__.py`` that tells our package from another.
DISTRIBUTION = "tgarchive-kit"
MARKER = f'_DISTRIBUTION = "{DISTRIBUTION}"'
#: Distributions known to install a package named ``tgarchive``; looked up by name on every start.
KNOWN_OTHERS = ("tg-archive",)
#: Exit status of the command line when the installation itself is broken (tgarchive.cli uses 0-3).
EXIT_CLASH = 4


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class Owner:
    """A distribution that installed ``tgarchive/__init__.py``, and where."""

    name: str
    version: str
    init: Path | None


@dataclass(frozen=True)
class Clash:
    """What is wrong with the ``tgarchive`` packages of this environment.

    ``imported`` is the ``__init__.py`` that ``import tgarchive`` finds (None when there is none),
    ``ours_imported`` says whether that file is tgarchive-kit's, ``packages`` lists every
    ``tgarchive/__init__.py`` on ``sys.path`` in import order, and ``others`` the distributions
    other than tgarchive-kit that installed one.
    """

    imported: Path | None
    ours_imported: bool
    packages: tuple[Path, ...]
    others: tuple[Owner, ...] = field(default=())

    @property
    def message(self) -> str:
        """The explanation shown to the user: both distributions, what broke, and the fix."""
        ours = _our_version()
        ours_text = f"{DISTRIBUTION} {ours}" if ours else DISTRIBUTION
        names = [f"{o.name} {o.version}" for o in self.others] or ["another distribution"]
        others = ", ".join(names)
        uninstall = [DISTRIBUTION, *(o.name for o in self.others)]
        if self.imported is None:
            return (
                "the Python package 'tgarchive' is missing from this environment, although "
                f"{ours_text} is installed: uninstalling a distribution that shares the package "
                "name 'tgarchive' (knadh's tg-archive installs one) deletes its files.\n"
                f"Fix: pip install --force-reinstall {DISTRIBUTION}; keep tg-archive in a "
                "separate virtual environment."
            )
        lines = []
        if not self.ours_imported:
            lines.append(
                f"'import tgarchive' finds {self.imported}, which is not {DISTRIBUTION}'s "
                f"package: it belongs to {others}."
            )
        else:
            lines.append(
                f"{ours_text} and {others} are both installed in this environment, and both "
                "install a Python package named 'tgarchive'."
            )
        if len(self.packages) > 1:
            lines.append("Packages named 'tgarchive' on sys.path, in import order:")
            lines.extend(f"    {path}" for path in self.packages)
        lines.append(
            "knadh's tg-archive (a static-site generator for Telegram groups) and tgarchive-kit "
            "(readers for Telegram exports) cannot share one environment: their files "
            "overwrite each other, and 'import tgarchive' finds only one of them."
        )
        lines.append(
            "Fix: use separate virtual environments, e.g.\n"
            "    python -m venv ~/.venvs/tgarchive-kit\n"
            "    ~/.venvs/tgarchive-kit/bin/pip install tgarchive-kit\n"
            f"and in this environment run 'pip uninstall {' '.join(uninstall)}', then "
            "reinstall only the one this environment should hold."
        )
        return "\n".join(lines)


def _our_version() -> str | None:
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return None


def _packages_on_path() -> list[Path]:
    """Every ``tgarchive/__init__.py`` on ``sys.path``, in import order, without importing."""
    found: list[Path] = []
    seen: set[str] = set()
    for entry in sys.path:
        init = Path(entry or os.curdir) / "tgarchive" / "__init__.py"
        try:
            real = os.path.realpath(init)
            if real in seen or not init.is_file():
                continue
        except (OSError, ValueError):  # unreadable or malformed sys.path entries
            continue
        seen.add(real)
        found.append(init)
    return found


def _imported_init() -> Path | None:
    """The ``__init__.py`` that ``import tgarchive`` gives (or gave): loaded module first."""
    module = sys.modules.get("tgarchive")
    origin = getattr(module, "__file__", None) if module is not None else None
    if origin is None:
        try:
            spec = importlib.util.find_spec("tgarchive")
        except (ImportError, ValueError):
            spec = None
        origin = spec.origin if spec is not None else None
    return Path(origin) if origin else None


def _is_ours(init: Path) -> bool:
    try:
        return MARKER in init.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def _installs_tgarchive(dist: metadata.Distribution) -> Path | None:
    """Where ``dist`` installed ``tgarchive/__init__.py``, or None if it did not.

    Reads the file list itself rather than ``dist.files``, which skips the
    ``installed-files.txt`` of setuptools installs before Python 3.12.
    """
    for listing_name in ("RECORD", "installed-files.txt", "SOURCES.txt"):
        listing = dist.read_text(listing_name)
        if listing is None:
            continue
        if "tgarchive/__init__.py" not in listing.replace("\\", "/"):
            return None  # the cheap test first: most file lists are long
        for line in listing.splitlines():
            path = line.split(",", 1)[0].strip().strip('"').replace("\\", "/")
            if listing_name == "installed-files.txt":  # relative to the .egg-info folder
                path = path.removeprefix("../")
            if path == "tgarchive/__init__.py" or (
                listing_name == "SOURCES.txt" and path.endswith("/tgarchive/__init__.py")
            ):
                return Path(str(dist.locate_file(path)))
        return None
    top_level = dist.read_text("top_level.txt")  # no file list: the top-level package names
    if top_level is not None and "tgarchive" in top_level.split():
        return Path(str(dist.locate_file("tgarchive/__init__.py")))
    return None


def _owner(dist: metadata.Distribution) -> Owner | None:
    name = dist.metadata["Name"] or "?"
    if _normalize(name) == DISTRIBUTION:
        return None
    init = _installs_tgarchive(dist)
    return Owner(name, dist.version, init) if init is not None else None


def _known_others() -> list[Owner]:
    """The cheap check: distributions of :data:`KNOWN_OTHERS` that install ``tgarchive``."""
    owners = []
    for name in KNOWN_OTHERS:
        try:
            owner = _owner(metadata.distribution(name))
        except metadata.PackageNotFoundError:
            continue
        if owner is not None:
            owners.append(owner)
    return owners


def _all_others() -> list[Owner]:
    """The thorough check: every other installed distribution that installs ``tgarchive``."""
    owners: dict[str, Owner] = {}
    for dist in metadata.distributions():
        owner = _owner(dist)
        if owner is not None:
            owners.setdefault(_normalize(owner.name), owner)
    return list(owners.values())


def _foreign_files(init: Path) -> bool:
    """Whether our package folder holds files that tgarchive-kit's RECORD does not list."""
    try:
        dist = metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return False
    record = dist.read_text("RECORD")
    if record is None:
        return False
    ours = {line.split(",", 1)[0] for line in record.splitlines()}
    if "tgarchive/__init__.py" not in ours:  # an editable install: its RECORD lists no sources
        return False
    folder = init.parent
    try:
        names = os.listdir(folder)
    except OSError:
        return False
    for name in names:
        if name == "__pycache__":
            continue
        rel = f"tgarchive/{name}"
        if rel not in ours and not any(path.startswith(rel + "/") for path in ours):
            return True
    return False


def find_clash() -> Clash | None:
    """Describe the clash of ``tgarchive`` packages in this environment, or None if there is none.

    Nothing is imported: the package is located through ``sys.path`` and the import machinery.
    Two copies of tgarchive-kit's own package (a source tree on ``PYTHONPATH`` beside an
    installed wheel, say) are not a clash.
    """
    packages = _packages_on_path()
    imported = _imported_init()
    if imported is not None and not any(_same(imported, p) for p in packages):
        packages.insert(0, imported)
    foreign = [p for p in packages if not _is_ours(p)]
    ours_imported = imported is not None and _is_ours(imported)
    if imported is not None and ours_imported and not foreign:
        if not _known_others() and not _foreign_files(imported):
            return None  # the usual case: only the cheap checks ran
    elif imported is None and _our_version() is None:
        return None  # neither package is here: nothing to compare
    others = _all_others()
    if ours_imported and not foreign and not others:
        return None  # stray files in our folder, but no distribution claims them
    return Clash(imported, ours_imported, tuple(packages), tuple(others))


def _same(a: Path, b: Path) -> bool:
    return os.path.realpath(a) == os.path.realpath(b)


def warn_on_clash(category: type[Warning]) -> None:
    """Warn (once per import of ``tgarchive``) when another distribution shares our package name.

    Called by ``tgarchive/__init__.py``; only the cheap checks run unless a clash is likely.
    """
    import warnings

    clash = find_clash()
    if clash is not None:
        warnings.warn(clash.message, category, stacklevel=2)


def main(argv: Sequence[str] | None = None) -> int:
    """The ``tgarchive`` console script: refuse to start on a clash, else run ``tgarchive.cli``."""
    clash = find_clash()
    if clash is not None:
        sys.stderr.write(f"tgarchive: {clash.message}\n")
        return EXIT_CLASH
    from tgarchive.cli import main as cli_main

    return cli_main(argv)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
