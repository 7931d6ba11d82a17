"""Staff sessions and rate limits; platform duplicates (security review L1, L2)."""
from __future__ import annotations

from bot.channels.replay import RecentIds
from bot.channels.staff import FailureLimiter, session_value, valid_session

TOKEN = "s" * 32


def test_session_cookie_is_signed_with_the_token_and_expires():
    value = session_value(TOKEN, 2_000)
    assert valid_session(value, TOKEN, now=1_000)
    assert not valid_session(value, TOKEN, now=2_001)  # expired
    assert not valid_session(value, "t" * 32, now=1_000)  # the token changed: sessions end
    assert not valid_session("3000." + value.split(".")[1], TOKEN, now=1_000)  # expiry edited
    assert not valid_session("", TOKEN) and not valid_session("garbage", TOKEN)


def test_failures_are_limited_per_client_in_a_window():
    limiter = FailureLimiter(limit=3, window=600)
    for t in range(3):
        assert limiter.retry_after("a", now=t) == 0
        limiter.failed("a", now=t)
    assert limiter.retry_after("a", now=10) > 0
    assert limiter.retry_after("b", now=10) == 0  # another client
    assert limiter.retry_after("a", now=700) == 0  # the window passed


def test_recent_ids_drop_duplicates_until_they_expire():
    recent = RecentIds(ttl=60, max_size=3)
    assert not recent.seen_before("1", now=0)
    assert recent.seen_before("1", now=1)
    assert not recent.seen_before("1", now=100)  # expired, seen anew
    for key in "234":
        recent.seen_before(key, now=101)
    assert len(recent._seen) <= 3  # bounded
