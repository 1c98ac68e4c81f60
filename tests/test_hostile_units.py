"""Fair admission, the answer cache and the redirect guard, as units (a fake clock, no server).
The same behaviour over a started server: tests/test_hostile_fairness.py and test_hostile_web.py."""

from __future__ import annotations

import threading

import pytest

from gcm_graph.serve.http.security import same_origin_location
from gcm_graph.serve.query.cache import AnswerCache, CachedAnswer, answer_key
from gcm_graph.serve.query.fairness import (
    FAST,
    GENERAL,
    FairnessSettings,
    NoSlot,
    OverBudget,
    Scheduler,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def scheduler(clock: Clock, **settings: object) -> Scheduler:
    values = {"general": 1, "fast": 1, "budget_s": 10.0, "window_s": 60.0, "light_s": 1.0}
    return Scheduler(FairnessSettings(**{**values, **settings}), clock=clock)


def test_over_budget_gets_retry_after_until_the_usage_ages_out() -> None:
    clock = Clock()
    fair = scheduler(clock)
    for seconds in (4.0, 4.0, 3.0):  # 11 s of query time within the window
        fair.release(fair.admit("heavy", 1.0), seconds)
        clock.now += 5
    with pytest.raises(OverBudget) as refused:
        fair.admit("heavy", 1.0)
    # the first charge (at 1000) leaves the window at 1060: then 7 s remain, under the budget
    assert refused.value.retry_after == 1060 - clock.now
    assert "10 s" in refused.value.message
    fair.release(fair.admit("other", 1.0), 0.1)  # another client is not affected
    clock.now = 1060.5
    fair.release(fair.admit("heavy", 1.0), 0.1)


def test_fast_lane_only_for_known_light_clients() -> None:
    clock = Clock()
    fair = scheduler(clock)
    fair.release(fair.admit("cheap", 1.0), 0.05)  # known, light
    fair.release(fair.admit("heavy", 1.0), 5.0)  # known, heavy
    running = fair.admit("heavy", 1.0)  # the general lane is now full
    assert running.lane == GENERAL
    with pytest.raises(NoSlot):
        fair.admit("heavy", 0.0)  # heavy: not the fast lane
    with pytest.raises(NoSlot):
        fair.admit("newcomer", 0.0)  # unknown: not the fast lane either
    assert fair.admit("cheap", 0.0).lane == FAST


def test_known_cheap_probe_may_use_the_fast_lane() -> None:
    clock = Clock()
    fair = scheduler(clock)
    fair.admit("heavy", 1.0)  # general lane full
    assert fair.admit("load-balancer", 0.0, known_cheap=True).lane == FAST


def test_a_running_long_query_makes_its_client_heavy() -> None:
    clock = Clock()
    fair = scheduler(clock, general=2)
    fair.release(fair.admit("sly", 1.0), 0.05)
    fair.admit("sly", 1.0)  # a long one starts...
    fair.admit("other", 1.0)  # ...the general lane is full
    clock.now += 2.0  # ...and runs past light_s
    with pytest.raises(NoSlot):
        fair.admit("sly", 0.0)


def test_too_many_parallel_queries_of_one_client() -> None:
    clock = Clock()
    fair = scheduler(clock, general=5, max_parallel=2)
    fair.admit("greedy", 1.0)
    fair.admit("greedy", 1.0)
    with pytest.raises(OverBudget):
        fair.admit("greedy", 1.0)


def test_a_freed_slot_wakes_a_waiting_client() -> None:
    fair = scheduler(Clock(), fast=0)
    first = fair.admit("a", 1.0)
    got: list[str] = []
    waiter = threading.Thread(target=lambda: got.append(fair.admit("b", 60.0).lane))
    waiter.start()
    fair.release(first, 0.1)
    waiter.join(timeout=60)
    assert got == [GENERAL]


def test_idle_clients_are_forgotten() -> None:
    clock = Clock()
    fair = scheduler(clock)
    for number in range(100):
        fair.release(fair.admit(f"10.0.0.{number}", 1.0), 0.01)
    clock.now += 120
    fair.release(fair.admit("last", 1.0), 0.01)
    assert set(fair._clients) == {"last"}


def test_cache_is_bounded_in_bytes_least_recently_used_out() -> None:
    cache = AnswerCache(400)
    for name in "abcd":
        cache.put(name, CachedAnswer(b"x" * 100, "json"))
    cache.get("a")  # a is used again: b is now the oldest
    cache.put("e", CachedAnswer(b"y" * 100, "json"))
    assert cache.get("b") is None
    assert cache.get("a") is not None and cache.get("e") is not None
    assert cache.size <= 400
    cache.put("huge", CachedAnswer(b"z" * 101, "json"))  # over a quarter: never stored
    assert cache.get("huge") is None


def test_answer_key_normalises_only_what_cannot_matter() -> None:
    key = answer_key("release", "ASK {}\r\n", None, None, "json", None)
    assert key == answer_key("release", "  ASK {}\n", None, None, "json", None)
    assert key != answer_key("release", "ASK {}", None, None, "xml", None)
    assert key != answer_key("other", "ASK {}", None, None, "json", None)
    assert answer_key("r", 'ASK { ?s ?p "a  b" }', None, None, "json", None) != answer_key(
        "r", 'ASK { ?s ?p "a b" }', None, None, "json", None
    )


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/objective/7", "/objective/7"),
        ("//evil.example/phish", "/%2Fevil.example/phish"),
        ("///evil.example", "/%2F%2Fevil.example"),
        ("/\\evil.example", "/%5Cevil.example"),
    ],
)
def test_redirects_stay_on_our_origin(path: str, expected: str) -> None:
    assert same_origin_location(path) == expected


def test_a_client_answered_from_the_cache_is_known() -> None:
    clock = Clock()
    fair = scheduler(clock)
    fair.admit("heavy", 1.0)  # general lane full
    fair.note_answered("reader")
    assert fair.admit("reader", 0.0).lane == FAST
