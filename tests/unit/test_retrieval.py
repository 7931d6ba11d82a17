"""Staff FAQ search: the topic a support person looks for is among the first results."""
from __future__ import annotations

import pytest

from bot.retrieval import search


@pytest.mark.parametrize(
    "query, topic",
    [
        ("does it go away", "does_it_go_away"),
        ("addiction", "oih_vs_addiction"),
        ("clothes hurt", "allodynia"),
        ("ketamine", "nmda_antagonists"),
        ("is it my fault", "is_it_my_fault"),
        ("tolerence", "oih_vs_tolerance"),
    ],
)
def test_expected_topic_in_top_two(query, topic):
    assert topic in [h.topic for h in search(query, limit=2)]


def test_empty_query_finds_nothing():
    assert search("   ") == []
