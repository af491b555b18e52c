"""Run one function over many items on a few threads, results in the items' order.

Renders wait on a subprocess (kubectl) or on Helm's Go code, so threads overlap them well.
At most twice ``jobs`` results are held at once: memory stays bounded by the window, not by
the number of render units, and the consumer sees the order a serial run would produce.
While the next result is not ready, the caller's thread may take steps of other work
(``while_waiting``) instead of sleeping.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future

Item = TypeVar("Item")
Result = TypeVar("Result")


def map_in_order(
    function: Callable[[Item], Result],
    items: Iterable[Item],
    jobs: int,
    while_waiting: Iterator[object] | None = None,
) -> Iterator[Result]:
    """``map(function, items)``, computed by up to ``jobs`` threads.

    Each time the next result is not ready, one step of ``while_waiting`` runs on the
    caller's thread, until the result is ready or the steps run out (then it waits).
    """
    pending = iter(items)
    first = list(islice(pending, 2))
    items = chain(first, pending)
    if jobs <= 1 or len(first) <= 1:  # for one item a thread would only add its start-up
        yield from map(function, items)
        return
    # Imported here: concurrent.futures pulls in logging and traceback (~6 ms), which a
    # scan with at most one render never needs.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="gitwarden-render") as pool:
        window: deque[Future[Result]] = deque()
        steps = iter(()) if while_waiting is None else while_waiting

        def next_result() -> Result:
            head = window.popleft()
            while not head.done() and next(steps, _NO_STEP) is not _NO_STEP:
                pass
            return head.result()

        for item in items:
            window.append(pool.submit(function, item))
            if len(window) >= 2 * jobs:
                yield next_result()
        while window:
            yield next_result()


_NO_STEP = object()
