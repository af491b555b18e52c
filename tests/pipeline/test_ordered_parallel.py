from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from gitwarden.pipeline.ordered_parallel import map_in_order


@pytest.mark.parametrize("jobs", [1, 2, 4])
def test_results_come_in_the_order_of_the_items(jobs: int) -> None:
    def slow_for_small(n: int) -> int:
        time.sleep(0.002 * (10 - n))  # the first items finish last
        return n * n

    assert list(map_in_order(slow_for_small, range(10), jobs)) == [n * n for n in range(10)]


def test_items_run_on_several_threads_at_once() -> None:
    started = threading.Barrier(3, timeout=5)

    def meet(n: int) -> int:
        started.wait()  # raises BrokenBarrierError unless three run at the same time
        return n

    assert list(map_in_order(meet, range(3), 3)) == [0, 1, 2]


@pytest.mark.parametrize(
    ("cost", "ahead", "bound"),
    [(None, None, 2 * 2), (lambda n: -n, 5, 5)],
    ids=["twice-jobs-by-default", "ahead-with-costs"],
)
def test_no_more_items_than_the_window_are_taken_ahead_of_the_consumer(
    cost: Callable[[int], float] | None, ahead: int | None, bound: int
) -> None:
    pulled = 0

    def items() -> Iterator[int]:
        nonlocal pulled
        for n in range(40):
            pulled += 1
            yield n

    consumed = 0
    for _ in map_in_order(lambda n: n, items(), 2, cost=cost, ahead=ahead):
        consumed += 1
        assert pulled - consumed < bound
    assert consumed == 40


def test_an_error_in_one_item_reaches_the_caller() -> None:
    def fail_on_three(n: int) -> int:
        if n == 3:
            raise ValueError("three")
        return n

    with pytest.raises(ValueError, match="three"):
        list(map_in_order(fail_on_three, range(6), 2))


@pytest.mark.parametrize("count", [0, 1])
def test_fewer_than_two_items_run_on_the_callers_thread(count: int) -> None:
    caller = threading.get_ident()
    assert list(map_in_order(lambda n: threading.get_ident(), range(count), 4)) == [caller] * count


def test_importing_the_module_leaves_concurrent_futures_unimported() -> None:
    # concurrent.futures pulls in logging and traceback: only a pool of threads needs it.
    code = (
        "import sys, gitwarden.pipeline.ordered_parallel as m; "
        "list(m.map_in_order(str, [1], jobs=4)); "
        "print('concurrent.futures' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_the_caller_takes_steps_of_other_work_while_a_result_is_awaited() -> None:
    release = threading.Event()
    steps: list[int] = []

    def slow(n: int) -> int:
        release.wait(5)
        return n

    def other_work() -> Iterator[int]:
        for step in range(3):
            steps.append(step)
            yield step
        release.set()  # the results come once the other work is done
        yield from range(3, 1000)

    assert list(map_in_order(slow, range(6), 2, other_work())) == list(range(6))
    assert steps == [0, 1, 2]


def test_a_result_is_awaited_once_the_other_work_runs_out() -> None:
    def slow(n: int) -> int:
        time.sleep(0.05)
        return n

    assert list(map_in_order(slow, range(6), 2, iter(range(2)))) == list(range(6))


def test_the_costliest_items_of_the_window_start_first() -> None:
    started: list[int] = []
    lock = threading.Lock()

    def record(n: int) -> int:
        with lock:
            started.append(n)
        time.sleep(0.01)
        return n

    results = list(map_in_order(record, range(8), 2, cost=lambda n: n % 4, ahead=8))
    assert results == list(range(8))  # still in the items' order
    # Both threads start with the two items of the highest cost, ties in the items' order.
    assert sorted(started[:2]) == [3, 7]
    assert sorted(started[2:4]) == [2, 6]
    assert sorted(started[-2:]) == [0, 4]


def test_an_error_in_a_costly_item_reaches_the_caller_at_its_place() -> None:
    seen: list[int] = []

    def fail_on_five(n: int) -> int:
        if n == 5:
            raise ValueError("five")
        return n

    with pytest.raises(ValueError, match="five"):
        for result in map_in_order(fail_on_five, range(8), 2, cost=float, ahead=8):
            seen.append(result)
    assert seen == [0, 1, 2, 3, 4]  # the items before it came, in order, none after it


def test_stopping_early_waits_for_the_running_items_and_ends_the_threads() -> None:
    before = threading.active_count()
    results = map_in_order(lambda n: n, range(20), 2, cost=float, ahead=6)
    assert next(results) == 0
    results.close()
    assert threading.active_count() == before
