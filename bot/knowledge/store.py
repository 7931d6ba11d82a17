"""Every YAML file of ``knowledge/``, read once per process, with one ``reload`` for all of them.

Before this module seven places parsed ``clinic.yml`` on their own, and ``medications.yml`` and
``conversation.yml`` were each read by three: an edit could reach one reader and not another
within one process, and each reader had its own idea of defaults. Now every reader asks here,
and the typed models (``bot.knowledge.clinic``, ``bot.knowledge.medicines``, the FAQ's
``KnowledgeBase``) are built once from what is read here.

The cache holds parsed YAML and the models built from it, keyed by what was built and from which
folder (tests point loaders at a ``tmp_path`` copy). ``reload()`` forgets all of it: tests that
edit files and a running process after a content edit call it. Cached data is shared: callers
read it and never change it (the typed models are frozen).
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Callable, TypeVar

import yaml

from bot.paths import KNOWLEDGE_DIR

T = TypeVar("T")

_CACHE: dict[tuple[str, str], Any] = {}
# Re-entrant: a model's loader reads its files through ``once`` too (the FAQ reads sources.yml).
_LOCK = threading.RLock()


class KnowledgeError(ValueError):
    """Raised when knowledge/ does not follow the content rules' structure."""


def once(what: str, knowledge_dir: Path | str, build: Callable[[Path], T]) -> T:
    """``build(knowledge_dir)``, computed the first time ``what`` is asked for from that folder."""
    key = (what, str(knowledge_dir))
    with _LOCK:
        if key not in _CACHE:
            _CACHE[key] = build(Path(knowledge_dir))
        return _CACHE[key]  # type: ignore[no-any-return]


def parse_yaml(path: Path) -> Any:
    """One file's YAML, uncached (the cache's reader, and for files outside ``knowledge/``)."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{path}: not valid YAML: {exc}") from exc


def yaml_file(name: str, knowledge_dir: Path | str = KNOWLEDGE_DIR) -> Any:
    """``knowledge/<name>`` parsed (``None`` for an empty file), read once per process."""
    return once(f"yaml:{name}", knowledge_dir, lambda d: parse_yaml(d / name))


def texts(name: str, knowledge_dir: Path | str = KNOWLEDGE_DIR) -> dict[str, Any]:
    """A wording file of ``knowledge/`` (conversation.yml, callback.yml, privacy.yml...) as a
    mapping, ``{}`` when it is empty."""
    return yaml_file(name, knowledge_dir) or {}


def reload() -> None:
    """Forget every file and model read so far (after editing knowledge/ in a running process)."""
    with _LOCK:
        _CACHE.clear()
