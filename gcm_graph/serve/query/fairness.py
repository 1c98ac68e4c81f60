"""Fair sharing of the query capacity among clients: a budget of query time, and a fast lane.

Like Wikidata's query service, each client (its address; see `client_address`) may use
`budget_s` seconds of query time in any `window_s` window; past it, its queries are refused with
429 and a Retry-After until enough of its recent usage has aged out of the window.

Heavy queries cannot be told from cheap ones before they run, so the capacity is split in two:

* the general lane: `general` slots, for every client;
* the fast lane: `fast` slots of its own (its own worker processes), only for *known light*
  clients: clients with a query answered in the window, none of whose queries in the window (nor
  one running now) took `light_s` seconds or more. A client that is unknown (nothing answered in
  the window) or heavy waits for the general lane. While heavy queries fill the general lane, the
  cheap queries of other clients keep running on the fast lane.

A heavy query on the fast lane (a client that sent cheap queries first) runs to its deadline
there, once: its client is heavy afterwards. Stopping it earlier would cost a worker restart
(loading the release), during which the fast lane would answer nobody.

A client may have at most `max_parallel` queries running or waiting at once (past it: 429), so
one client with many connections cannot hold every HTTP thread of the server.

The scheduler only admits and accounts; running a query is the pool's job (`FairPool.run` calls
`pool.run(job, deadline, queue_timeout)` with the lane's deadline). Thread-safe.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

GENERAL = "general"
FAST = "fast"


class OverBudget(Exception):
    """The client has used its query time, or has too many queries at once: 429."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


class NoSlot(Exception):
    """No slot of a lane the client may use became free in time: 503."""


@dataclass(frozen=True)
class FairnessSettings:
    general: int  # slots anyone may use (= the pool's workers, or backend connections)
    fast: int = 1  # extra slots for light clients
    budget_s: float = 60.0  # query seconds per client per window
    window_s: float = 60.0
    light_s: float = 1.0  # a client whose queries all took less is light
    max_parallel: int = 6  # queries running or waiting per client

    @classmethod
    def from_config(cls, config: dict, general: int) -> FairnessSettings:
        return cls(
            general=general,
            fast=int(config.get("FAST_LANE_SLOTS", 1)),
            budget_s=float(config.get("CLIENT_BUDGET_S", 60.0)),
            window_s=float(config.get("CLIENT_BUDGET_WINDOW_S", 60.0)),
            light_s=float(config.get("LIGHT_CLIENT_S", 1.0)),
            max_parallel=int(config.get("CLIENT_MAX_PARALLEL", 6)),
        )


@dataclass
class _Client:
    charges: deque[tuple[float, float]] = field(default_factory=deque)  # (when, seconds)
    used: float = 0.0  # sum of the charges inside the window
    active: int = 0  # queries running or waiting
    running: list[float] = field(default_factory=list)  # start times of its running queries


@dataclass(frozen=True)
class Ticket:
    client: str
    lane: str
    admitted: float


class Scheduler:
    """Admission (lane, budget, parallelism) and accounting of query time per client."""

    def __init__(self, settings: FairnessSettings, clock: Callable[[], float] = time.monotonic):
        self.settings = settings
        self.clock = clock
        self._free = {GENERAL: settings.general, FAST: settings.fast}
        self._clients: dict[str, _Client] = {}
        self._changed = threading.Condition()
        self._swept = clock()

    def admit(self, client: str, timeout: float, known_cheap: bool = False) -> Ticket:
        """A slot for `client`'s query: OverBudget (429) or NoSlot (503) if none is given.
        `known_cheap`: the query is known to be trivial (the health probe): the fast lane is
        open to it whoever sends it."""
        with self._changed:
            self._sweep()
            state = self._clients.setdefault(client, _Client())
            self._expire(state)
            self._check_budget(state)
            if state.active >= self.settings.max_parallel:
                raise OverBudget(
                    f"At most {self.settings.max_parallel} queries of one client may run or "
                    "wait at once; wait for your running queries before sending more.",
                    1,
                )
            state.active += 1
            try:
                lane = self._wait_for_lane(state, timeout, known_cheap)
            except BaseException:
                state.active -= 1
                self._forget_if_idle(client, state)
                raise
            self._free[lane] -= 1
            ticket = Ticket(client, lane, self.clock())
            state.running.append(ticket.admitted)
            return ticket

    def release(self, ticket: Ticket, seconds: float) -> None:
        """Give the slot back and charge the client `seconds` of query time."""
        with self._changed:
            self._free[ticket.lane] += 1
            state = self._clients[ticket.client]
            state.active -= 1
            state.running.remove(ticket.admitted)
            state.charges.append((self.clock(), max(0.0, seconds)))
            state.used += max(0.0, seconds)
            self._changed.notify_all()

    def note_answered(self, client: str) -> None:
        """`client` was answered without running a query (from the cache): it is known, at no
        cost (so a client whose first queries were cached may use the fast lane)."""
        with self._changed:
            self._sweep()
            state = self._clients.setdefault(client, _Client())
            self._expire(state)
            if not state.charges:  # one mark is enough (bounded, however many hits)
                state.charges.append((self.clock(), 0.0))

    def _wait_for_lane(self, state: _Client, timeout: float, known_cheap: bool) -> str:
        end = self.clock() + timeout
        while True:
            if self._free[GENERAL] > 0:
                return GENERAL
            if self._free[FAST] > 0 and (known_cheap or self._known_light(state)):
                return FAST
            remaining = end - self.clock()
            if remaining <= 0:
                raise NoSlot
            self._changed.wait(min(remaining, 1.0))  # the client may become light meanwhile

    def _known_light(self, state: _Client) -> bool:
        """Known (a query answered in the window), and none of its queries in the window, nor
        one running now, has taken `light_s` or longer."""
        self._expire(state)
        now = self.clock()
        longest = max((seconds for _, seconds in state.charges), default=None)
        if longest is None or longest >= self.settings.light_s:
            return False
        return all(now - started < self.settings.light_s for started in state.running)

    def _check_budget(self, state: _Client) -> None:
        budget = self.settings.budget_s
        if state.used < budget:
            return
        now, left = self.clock(), state.used
        retry_at = now
        for when, seconds in state.charges:  # oldest first: when is enough of it gone?
            left -= seconds
            retry_at = when + self.settings.window_s
            if left < budget:
                break
        retry_after = max(1, math.ceil(retry_at - now))
        raise OverBudget(
            f"You have used {state.used:.0f} s of query time in the last "
            f"{self.settings.window_s:g} s; each client may use {budget:g} s. "
            f"Retry in {retry_after} s, and make your queries cheaper (a LIMIT, more specific "
            "patterns).",
            retry_after,
        )

    def _expire(self, state: _Client) -> None:
        horizon = self.clock() - self.settings.window_s
        while state.charges and state.charges[0][0] <= horizon:
            _, seconds = state.charges.popleft()
            state.used -= seconds
        if not state.charges:
            state.used = 0.0  # no float drift

    def _sweep(self) -> None:
        """Forget clients with nothing running and nothing in the window (bounded memory)."""
        if self.clock() - self._swept < self.settings.window_s:
            return
        self._swept = self.clock()
        for client, state in list(self._clients.items()):
            self._expire(state)
            self._forget_if_idle(client, state)

    def _forget_if_idle(self, client: str, state: _Client) -> None:
        if state.active == 0 and not state.charges:
            del self._clients[client]


class FairPool:
    """Query pools behind the scheduler: `run` as a pool's, per client, on the right lane.

    The fast lane has pools of its own (`fast_pool`: its own worker processes), so a cheap query
    never waits behind a heavy one inside a pool, nor for a worker that is being replaced after
    a heavy query was stopped. With a remote backend both lanes share its connections."""

    def __init__(
        self,
        pool,
        scheduler: Scheduler,
        fast_pool=None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.pool = pool
        self.fast_pool = fast_pool if fast_pool is not None else pool
        self.scheduler = scheduler
        self.clock = clock

    def run(self, job, client: str, deadline: float, queue_timeout: float, known_cheap=False):
        """The pools' answer to `job`; OverBudget, NoSlot, or the pools' own exceptions."""
        ticket = self.scheduler.admit(client, queue_timeout, known_cheap)
        pool = self.fast_pool if ticket.lane == FAST else self.pool
        started = self.clock()
        try:
            return pool.run(job, deadline, queue_timeout)
        finally:
            self.scheduler.release(ticket, self.clock() - started)

    def close(self) -> None:
        if self.fast_pool is not self.pool:
            self.fast_pool.close()
