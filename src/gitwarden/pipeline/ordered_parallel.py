"""Run one function over many items on a few threads, results in the items' order.

Renders wait on a subprocess (kubectl) or on Helm's Go code, so threads overlap them well.
At most twice ``jobs`` results are held at once: memory stays bounded by the window, not by
the number of render units, and the consumer sees the order a serial run would produce.
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
    function: Callable[[Item], Result], items: Iterable[Item], jobs: int
) -> Iterator[Result]:
    """``map(function, items)``, computed by up to ``jobs`` threads."""
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
        for item in items:
            window.append(pool.submit(function, item))
            if len(window) >= 2 * jobs:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()
