"""Entry-point discovery shared by the parser and the writer registries.

Both registries are fed the same way (Python-Markdown, pygments): every plugin, tgarchive's own
included, is declared under an entry-point group; loading one that fails becomes a
:class:`tgarchive.PluginWarning` and never breaks the others.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Any, TypeVar

from .errors import PluginWarning

__all__ = ["DeclaredPlugin", "PluginOrigin", "discover_entry_points", "load_entry_points"]

T = TypeVar("T")


@dataclass(frozen=True)
class PluginOrigin:
    """Where a registered plugin came from: its entry point and the distribution that declares
    it (``None`` for plugins registered at run time)."""

    entry_point: str | None = None
    """``module:Class``, as declared."""
    distribution: str | None = None
    version: str | None = None


@dataclass(frozen=True)
class DeclaredPlugin:
    """An entry point found in the metadata, not loaded yet (loading imports its module)."""

    name: str
    """The entry point's name: the plugin's format name."""
    origin: PluginOrigin
    load: Callable[[], Any]
    """Import the module and return the declared object."""


def discover_entry_points(group: str) -> list[DeclaredPlugin]:
    """Every entry point of ``group``, sorted by name, without importing anything."""
    found = []
    for ep in sorted(entry_points(group=group), key=lambda e: e.name):
        dist = getattr(ep, "dist", None)
        origin = PluginOrigin(
            entry_point=ep.value,
            distribution=dist.metadata["Name"] if dist is not None else None,
            version=dist.version if dist is not None else None,
        )
        found.append(DeclaredPlugin(ep.name, origin, ep.load))
    return found


def load_entry_points(group: str, check: Callable[[Any, str], T]) -> list[tuple[T, PluginOrigin]]:
    """Load every entry point of ``group`` (sorted by name), each through ``check(obj, origin)``,
    which returns the plugin or raises; failures are warned about and skipped."""
    loaded: list[tuple[T, PluginOrigin]] = []
    for declared in discover_entry_points(group):
        value = declared.origin.entry_point
        try:
            loaded.append(
                (
                    check(declared.load(), f"entry point {declared.name!r} ({value})"),
                    declared.origin,
                )
            )
        except Exception as exc:
            warnings.warn(
                f"could not load {group} plugin {declared.name!r} ({value}): {exc}",
                PluginWarning,
                stacklevel=3,
            )
    return loaded
