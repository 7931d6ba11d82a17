"""Every YAML file of knowledge/ holds each mapping key once.

Why: PyYAML keeps the last of two equal keys without a word. A second ``unless:`` added under a
safety rule (round forty-seven: an editing slip under ``wont_wake``) would silently drop every
set-aside above it, or, the other way round, silently ignore the new one; a repeated FAQ or clinic
key would hide an answer or a phone number the same way.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"


class _StrictLoader(yaml.SafeLoader):
    """A SafeLoader that refuses a mapping key it has already seen in the same mapping."""


def _no_repeats(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_repeats)


@pytest.mark.parametrize("path", sorted(KNOWLEDGE.rglob("*.yml")), ids=lambda p: p.name)
def test_no_mapping_key_is_written_twice(path: Path) -> None:
    with path.open(encoding="utf-8") as handle:
        yaml.load(handle, Loader=_StrictLoader)


def test_the_strict_loader_does_refuse_a_repeated_key() -> None:
    with pytest.raises(yaml.constructor.ConstructorError, match="duplicate key 'unless'"):
        yaml.load("- id: r\n  unless: [a]\n  unless: [b]\n", Loader=_StrictLoader)
