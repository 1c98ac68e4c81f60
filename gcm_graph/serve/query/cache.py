"""A bounded in-memory cache of query answers (least recently used out first, bounded in bytes).

A release never changes while it is served, so the same query on the same release in the same
format always has the same answer: the key is the answer's ETag, which is computed from the
release fingerprint, the normalised query text, the protocol dataset and the negotiated
formats (`answer_key`). Only complete 200 answers are stored; an answer larger than a quarter of
the cache is never stored (one answer cannot evict everything). Thread-safe.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass


@dataclass(frozen=True)
class CachedAnswer:
    body: bytes
    format: str


def normalise_query(text: str) -> str:
    """The query text with its line breaks unified and surrounding white space removed.

    Nothing inside the text is rewritten (white space inside a string literal is data), so two
    texts with the same normal form are the same query.
    """
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def answer_key(
    fingerprint: str,
    query: str,
    default_graphs: tuple[str, ...] | None,
    named_graphs: tuple[str, ...] | None,
    results_format: str | None,
    graph_format: str | None,
) -> str:
    """The ETag (and cache key) of an answer: same inputs, same bytes."""
    key = json.dumps(
        [
            fingerprint,
            normalise_query(query),
            default_graphs,
            named_graphs,
            results_format,
            graph_format,
        ]
    )
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


class AnswerCache:
    """LRU cache of answers, at most `max_bytes` of bodies in all (0: caches nothing)."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.size = 0
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[str, CachedAnswer] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> CachedAnswer | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return found

    def put(self, key: str, answer: CachedAnswer) -> None:
        size = len(answer.body)
        if size > self.max_bytes // 4:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.size -= len(old.body)
            self._entries[key] = answer
            self.size += size
            while self.size > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self.size -= len(evicted.body)

    def __len__(self) -> int:
        return len(self._entries)
