"""Drop platform duplicates: a Telegram update or Slack event delivered twice is handled once.

Telegram and Slack redeliver when they get no quick answer, and a captured request (with its
secret or signature) could be replayed: each copy used to be processed again (security review L2:
three sendMessage calls and three stored turns for one update). The ids seen in the last hour are
kept in memory per process (bounded); a duplicate gets 200 and is not processed. Several Rasa
instances or workers each keep their own set, so a copy that lands on another process is still
processed there once: put de-duplication in Redis if that matters for a deployment.
"""
from __future__ import annotations

import time
from collections import OrderedDict
from threading import Lock


class RecentIds:
    def __init__(self, ttl: float = 3600.0, max_size: int = 50_000) -> None:
        self.ttl, self.max_size = ttl, max_size
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = Lock()

    def seen_before(self, key: str, now: float | None = None) -> bool:
        """True if ``key`` was seen within the TTL; records it otherwise."""
        now = time.monotonic() if now is None else now
        with self._lock:
            while self._seen:
                oldest, at = next(iter(self._seen.items()))
                if at > now - self.ttl and len(self._seen) < self.max_size:
                    break
                self._seen.popitem(last=False)
            if key in self._seen:
                return True
            self._seen[key] = now
            return False
