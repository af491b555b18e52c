"""Run one function over many items on a few threads, results in the items' order.

Renders wait on a subprocess (kubectl) or on Helm's Go code, so threads overlap them well.
At most ``ahead`` items (twice ``jobs`` by default) are taken ahead of the consumer: memory
stays bounded by that window, not by the number of render units, and the consumer sees the
order a serial run would produce. Within the window, a free thread takes the costliest item
not yet started when the caller says what each costs: the longest renders start first
instead of being left to finish alone at the end. While the next result is not ready, the
caller's thread may take steps of other work (``while_waiting``) instead of sleeping.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def map_in_order(
    function: Callable[[Item], Result],
    items: Iterable[Item],
    jobs: int,
    while_waiting: Iterator[object] | None = None,
    *,
    cost: Callable[[Item], float] | None = None,
    ahead: int | None = None,
) -> Iterator[Result]:
    """``map(function, items)``, computed by up to ``jobs`` threads.

    Each time the next result is not ready, one step of ``while_waiting`` runs on the
    caller's thread, until the result is ready or the steps run out (then it waits).
    ``cost`` ranks the items of the window: the costliest not yet started goes first, ties
    in the items' order. ``ahead`` bounds the items taken ahead of the consumer (default
    twice ``jobs``; at least ``jobs``).
    """
    pending = iter(items)
    first = list(islice(pending, 2))
    items = chain(first, pending)
    if jobs <= 1 or len(first) <= 1:  # for one item a thread would only add its start-up
        yield from map(function, items)
        return
    window = _Window(function, cost, max(jobs, ahead or 2 * jobs))
    threads = [
        threading.Thread(target=window.work, name=f"gitwarden-render-{n}", daemon=True)
        for n in range(jobs)
    ]
    for thread in threads:
        thread.start()
    steps = iter(()) if while_waiting is None else while_waiting
    try:
        while window.fill(items):
            while not window.head_done() and next(steps, _NO_STEP) is not _NO_STEP:
                pass
            yield window.take_head()
    finally:
        window.close()
        for thread in threads:
            thread.join()


@dataclass
class _Slot(Generic[Item, Result]):
    """One item of the window: taken by a thread, then done with a result or an error."""

    item: Item
    cost: float
    started: bool = False
    done: bool = False
    result: Result | None = None
    error: BaseException | None = None


@dataclass
class _Window(Generic[Item, Result]):
    """The items taken ahead of the consumer, shared by the threads under one condition.

    Only the consumer takes items from the iterable; threads only start slots of the
    window, so the iterable need not be thread-safe.
    """

    function: Callable[[Item], Result]
    cost: Callable[[Item], float] | None
    size: int
    slots: list[_Slot[Item, Result]] = field(default_factory=list)
    exhausted: bool = False
    closed: bool = False
    changed: threading.Condition = field(default_factory=threading.Condition)

    def fill(self, items: Iterator[Item]) -> bool:
        """Take items until the window is full; False when nothing is left to consume."""
        wanted = self.size - len(self.slots)  # only this thread adds or removes slots
        taken = list(islice(items, wanted)) if not self.exhausted else []
        cost = self.cost
        added = [_Slot[Item, Result](item, cost(item) if cost else 0.0) for item in taken]
        with self.changed:
            self.slots.extend(added)
            self.exhausted = self.exhausted or len(taken) < wanted
            self.changed.notify_all()  # new work, or the threads may end
            return bool(self.slots)

    def head_done(self) -> bool:
        with self.changed:
            return self.slots[0].done

    def take_head(self) -> Result:
        """The first item's result once it is done (its error raised here)."""
        with self.changed:
            while not self.slots[0].done:
                self.changed.wait()
            head = self.slots.pop(0)
        if head.error is not None:
            raise head.error
        return head.result  # type: ignore[return-value]

    def close(self) -> None:
        with self.changed:
            self.closed = True
            self.changed.notify_all()

    def work(self) -> None:
        """A thread's loop: start the costliest waiting slot, until the items run out."""
        while True:
            with self.changed:
                slot = self._next_slot()
                while slot is None:
                    if self.closed or (self.exhausted and all(s.started for s in self.slots)):
                        return
                    self.changed.wait()
                    slot = self._next_slot()
                slot.started = True
            try:
                slot.result = self.function(slot.item)
            except BaseException as error:  # handed to the consumer, raised in its thread
                slot.error = error
            with self.changed:
                slot.done = True
                self.changed.notify_all()

    def _next_slot(self) -> _Slot[Item, Result] | None:
        if self.closed:
            return None
        waiting = [slot for slot in self.slots if not slot.started]
        # max() keeps the first of equal costs: ties go in the items' order.
        return max(waiting, key=lambda slot: slot.cost, default=None)


_NO_STEP = object()
