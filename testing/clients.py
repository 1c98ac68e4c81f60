"""Client threads for tests and benchmarks: each runs `client(number)` until the block ends, and
what they count can be waited for (a condition, never a time)."""

from __future__ import annotations

import threading
from collections.abc import Callable


class ClientThreads:
    """Subclasses implement `client(number)`, a loop until `self.stop` is set, and call
    `self.counted()` under `with self.changed:` after counting something."""

    guard_s = 120.0  # only ends a wait for something that never happens (a hung server)

    def __init__(self, clients: int):
        self.stop = threading.Event()
        self.changed = threading.Condition()
        self.threads = [
            threading.Thread(target=self.client, args=(number,), daemon=True)
            for number in range(clients)
        ]

    def client(self, number: int) -> None:
        raise NotImplementedError

    def counted(self) -> None:
        self.changed.notify_all()

    def wait_for(self, condition: Callable[[], bool], what: str) -> None:
        with self.changed:
            assert self.changed.wait_for(condition, timeout=self.guard_s), f"never {what}"

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=self.guard_s)
