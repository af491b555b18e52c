from __future__ import annotations

import os
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from gitwarden.sources.worker_process import (
    WorkerAnswer,
    WorkerCommand,
    WorkerPool,
    WorkerProcess,
)

# A stand-in worker: answers each request line with its pid and the request, or misbehaves
# as the request asks (sleep, allocate, exit, say nonsense).
FAKE_WORKER = """\
import json, os, sys, time
for line in sys.stdin:
    request = json.loads(line)
    action = request.get("do")
    if action == "sleep":
        time.sleep(60)
    elif action == "nap":
        time.sleep(2)
    elif action == "allocate":
        data = bytearray(512 * 1024 * 1024)
    elif action == "exit":
        sys.stderr.write("renderer: panic: something broke\\n")
        sys.exit(3)
    elif action == "nonsense":
        sys.stdout.write("not json\\n")
        sys.stdout.flush()
        continue
    elif action == "warn":
        sys.stderr.write("warning\\n" * 20000)
    sys.stdout.write(json.dumps({"pid": os.getpid(), "echo": request}) + "\\n")
    sys.stdout.flush()
"""


@pytest.fixture
def command(tmp_path: Path) -> WorkerCommand:
    script = tmp_path / "worker.py"
    script.write_text(textwrap.dedent(FAKE_WORKER), encoding="utf-8")
    return WorkerCommand.of((sys.executable, "-I", str(script)), {}, 256 << 20)


def of_kind(command: WorkerCommand, kind: str) -> WorkerCommand:
    """The same child started another way: the pool tells the two kinds apart."""
    return WorkerCommand.of(command.argv, {"KIND": kind}, command.memory_bytes)


def two_naps_at_once(pool: WorkerPool, command: WorkerCommand) -> list[WorkerAnswer]:
    """Two slow requests of ``command``'s kind on two threads at once."""
    with ThreadPoolExecutor(max_workers=2) as threads:
        return list(threads.map(lambda _: pool.ask(command, {"do": "nap"}, 30), range(2)))


def is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_one_child_answers_many_requests(command: WorkerCommand) -> None:
    worker = WorkerProcess(command)
    try:
        answers = [worker.ask({"n": n}, timeout=30) for n in range(3)]
    finally:
        worker.close()
    assert [a.answer["echo"]["n"] for a in answers if a.answer] == [0, 1, 2]
    assert len({a.answer["pid"] for a in answers if a.answer}) == 1


def test_a_request_past_its_deadline_is_stopped_and_the_child_killed(
    command: WorkerCommand,
) -> None:
    worker = WorkerProcess(command)
    first = worker.ask({}, timeout=30)
    assert first.answer is not None
    stopped = worker.ask({"do": "sleep"}, timeout=0.5)
    assert (stopped.answer, stopped.stopped) == (None, "time")
    assert not is_running(first.answer["pid"])


def test_after_a_stopped_request_the_next_one_gets_a_fresh_child(command: WorkerCommand) -> None:
    worker = WorkerProcess(command)
    try:
        first = worker.ask({}, timeout=30)
        worker.ask({"do": "sleep"}, timeout=0.5)
        after = worker.ask({}, timeout=30)
    finally:
        worker.close()
    assert first.answer is not None and after.answer is not None
    assert after.answer["pid"] != first.answer["pid"]


def test_a_child_at_its_memory_limit_says_so(command: WorkerCommand) -> None:
    worker = WorkerProcess(command)
    answer = worker.ask({"do": "allocate"}, timeout=30)
    assert (answer.answer, answer.stopped) == (None, "memory")


def test_a_child_that_dies_is_a_crash_with_its_own_words(command: WorkerCommand) -> None:
    worker = WorkerProcess(command)
    answer = worker.ask({"do": "exit"}, timeout=30)
    assert (answer.answer, answer.stopped) == (None, "crash")
    assert answer.detail == "renderer: panic: something broke"


def test_a_child_that_answers_nonsense_is_a_crash(command: WorkerCommand) -> None:
    worker = WorkerProcess(command)
    answer = worker.ask({"do": "nonsense"}, timeout=30)
    assert (answer.answer, answer.stopped) == (None, "crash")
    assert not worker.alive


def test_a_child_that_writes_much_to_stderr_never_blocks(command: WorkerCommand) -> None:
    worker = WorkerProcess(command)
    try:
        answers = [worker.ask({"do": "warn"}, timeout=30) for _ in range(3)]
    finally:
        worker.close()
    assert all(a.answer is not None for a in answers)


def test_a_child_that_cannot_start_is_reported(tmp_path: Path) -> None:
    command = WorkerCommand.of((str(tmp_path / "absent"),), {}, 256 << 20)
    answer = WorkerProcess(command).ask({}, timeout=5)
    assert (answer.answer, answer.stopped) == (None, "start")
    assert answer.detail.startswith("could not start the renderer")


def test_the_child_sees_only_the_environment_it_is_given(tmp_path: Path) -> None:
    script = tmp_path / "env.py"
    script.write_text(
        "import json, os, sys\n"
        "for line in sys.stdin:\n"
        "    print(json.dumps(dict(os.environ)), flush=True)\n",
        encoding="utf-8",
    )
    command = WorkerCommand.of((sys.executable, "-I", str(script)), {"ONLY": "this"}, 256 << 20)
    worker = WorkerProcess(command)
    try:
        answer = worker.ask({}, timeout=30)
    finally:
        worker.close()
    assert answer.answer is not None
    assert {k: v for k, v in answer.answer.items() if k != "LC_CTYPE"} == {"ONLY": "this"}


def test_closing_a_pool_ends_its_children(command: WorkerCommand) -> None:
    pool = WorkerPool(2)
    answer = pool.ask(command, {}, timeout=30)
    assert answer.answer is not None and is_running(answer.answer["pid"])
    pool.close()
    assert not is_running(answer.answer["pid"])
    assert pool.pids == ()


def test_a_pool_reuses_an_idle_child_started_the_same_way(command: WorkerCommand) -> None:
    pool = WorkerPool(2)
    try:
        pids = {a.answer["pid"] for a in (pool.ask(command, {}, 30) for _ in range(3)) if a.answer}
    finally:
        pool.close()
    assert len(pids) == 1


def test_a_full_pool_ends_an_idle_child_of_another_kind_to_make_room(
    command: WorkerCommand,
) -> None:
    other = of_kind(command, "other")
    pool = WorkerPool(1)
    try:
        first = pool.ask(command, {}, 30)
        second = pool.ask(other, {}, 30)
        assert first.answer is not None and second.answer is not None
        assert not is_running(first.answer["pid"])
        assert pool.pids == (second.answer["pid"],)
    finally:
        pool.close()


def test_a_pool_does_not_keep_a_child_that_was_stopped(command: WorkerCommand) -> None:
    pool = WorkerPool(1)
    try:
        pool.ask(command, {"do": "sleep"}, timeout=0.5)
        assert pool.pids == ()
    finally:
        pool.close()


def test_a_child_that_fails_to_start_python_says_its_last_words(tmp_path: Path) -> None:
    script = tmp_path / "broken.py"
    script.write_text("import no_such_renderer_library\n", encoding="utf-8")
    command = WorkerCommand.of((sys.executable, "-I", str(script)), {}, 256 << 20)
    answer = WorkerProcess(command).ask({}, timeout=30)
    assert (answer.stopped, answer.detail) == (
        "crash",
        "ModuleNotFoundError: No module named 'no_such_renderer_library'",
    )


def test_the_words_of_an_earlier_request_are_not_blamed_on_a_later_one(
    command: WorkerCommand,
) -> None:
    worker = WorkerProcess(command)
    worker.ask({"do": "warn"}, timeout=30)
    answer = worker.ask({"do": "exit"}, timeout=30)
    assert answer.detail == "renderer: panic: something broke"


@pytest.mark.parametrize(("action", "children"), [("quick", 1), ("nap", 2)])
def test_short_requests_queue_for_one_child_and_long_ones_spread(
    command: WorkerCommand, action: str, children: int
) -> None:
    pool = WorkerPool(2, patience=1.0)
    try:
        with ThreadPoolExecutor(max_workers=2) as threads:
            answers = list(threads.map(lambda _: pool.ask(command, {"do": action}, 30), range(4)))
    finally:
        pool.close()
    assert len({a.answer["pid"] for a in answers if a.answer}) == children


def test_a_child_started_ahead_answers_the_first_request(command: WorkerCommand) -> None:
    pool = WorkerPool(2)
    try:
        pool.prestart(command)
        (ahead,) = pool.pids
        answer = pool.ask(command, {}, 30)
    finally:
        pool.close()
    assert answer.answer is not None and answer.answer["pid"] == ahead


@pytest.mark.parametrize("started", [0, 1])
def test_a_pool_starts_nothing_ahead_past_its_size_or_twice(
    command: WorkerCommand, started: int
) -> None:
    other = of_kind(command, "other")
    pool = WorkerPool(1)
    try:
        for _ in range(started):
            pool.ask(command, {}, 30)
        pool.prestart(other if started else command)
        pool.prestart(command)
        assert len(pool.pids) == 1
    finally:
        pool.close()


def test_a_child_started_ahead_is_not_ended_while_its_kind_can_wait_for_its_own(
    command: WorkerCommand,
) -> None:
    helm_like = of_kind(command, "other")
    pool = WorkerPool(2, patience=0.2, ahead_grace=60)
    try:
        warm = pool.ask(command, {}, 30)  # one child of the first kind lives
        pool.prestart(helm_like)  # the pool is full: one idle, one started ahead
        (ahead,) = set(pool.pids) - {warm.answer["pid"] if warm.answer else 0}
        answers = two_naps_at_once(pool, command)
        later = pool.ask(helm_like, {}, 30)
    finally:
        pool.close()
    # The second request of the first kind waited for the busy child instead of ending the
    # one started ahead, which then answered its own kind's request.
    assert {a.answer["pid"] for a in answers if a.answer} == {warm.answer["pid"]}
    assert later.answer is not None and later.answer["pid"] == ahead


def test_a_child_started_ahead_makes_room_when_no_child_of_the_asking_kind_lives(
    command: WorkerCommand,
) -> None:
    other = of_kind(command, "other")
    pool = WorkerPool(1)
    try:
        pool.prestart(other)
        answer = pool.ask(command, {}, 30)
    finally:
        pool.close()
    assert answer.answer is not None and answer.stopped is None


def test_past_its_grace_a_child_started_ahead_makes_room_for_long_work(
    command: WorkerCommand,
) -> None:
    helm_like = of_kind(command, "other")
    pool = WorkerPool(2, patience=0.2, ahead_grace=0.0)
    try:
        pool.ask(command, {}, 30)
        pool.prestart(helm_like)
        answers = two_naps_at_once(pool, command)
    finally:
        pool.close()
    assert len({a.answer["pid"] for a in answers if a.answer}) == 2


def test_a_pool_starts_as_many_children_ahead_as_asked_and_has_room_for(
    command: WorkerCommand,
) -> None:
    pool = WorkerPool(2)
    try:
        pool.prestart(command, count=3)
        ahead = set(pool.pids)
        answers = two_naps_at_once(pool, command)
    finally:
        pool.close()
    assert len(ahead) == 2
    assert {a.answer["pid"] for a in answers if a.answer} == ahead


def test_one_spare_child_may_be_started_ahead_past_the_pools_size(
    command: WorkerCommand,
) -> None:
    other = of_kind(command, "other")
    third = of_kind(command, "third")
    pool = WorkerPool(1)
    try:
        pool.prestart(command)
        pool.prestart(other, spare=True)
        pool.prestart(third, spare=True)  # one spare, not two
        started = pool.pids
        answer = pool.ask(other, {}, 30)
    finally:
        pool.close()
    assert len(started) == 2
    assert answer.answer is not None and answer.answer["pid"] in started


def test_a_spare_whose_work_did_not_come_within_its_grace_is_ended(
    command: WorkerCommand,
) -> None:
    other = of_kind(command, "other")
    pool = WorkerPool(1, ahead_grace=0.0)
    try:
        pool.prestart(command)
        pool.prestart(other, spare=True)
        spare = set(pool.pids)
        answer = pool.ask(command, {}, 30)
        left = pool.pids
    finally:
        pool.close()
    assert answer.answer is not None
    assert left == (answer.answer["pid"],)
    assert len(spare) == 2 and not is_running(next(iter(spare - set(left))))


@pytest.mark.parametrize(("own", "seen"), [({}, None), ({"GOMAXPROCS": "7"}, "7")])
def test_a_pools_children_run_on_their_share_of_the_cores(
    tmp_path: Path, own: dict[str, str], seen: str | None
) -> None:
    script = tmp_path / "env.py"
    script.write_text(
        "import json, os, sys\n"
        "for line in sys.stdin:\n"
        "    print(json.dumps(dict(os.environ)), flush=True)\n",
        encoding="utf-8",
    )
    command = WorkerCommand.of((sys.executable, "-I", str(script)), own, 256 << 20)
    pool = WorkerPool(2)
    try:
        answer = pool.ask(command, {}, 30)
    finally:
        pool.close()
    assert answer.answer is not None
    assert answer.answer["GOMAXPROCS"] == (seen or str(pool.cores_each))


def test_a_kind_limited_to_one_child_queues_its_requests_for_it(command: WorkerCommand) -> None:
    pool = WorkerPool(2, patience=0.0)
    pool.limit(command, 1)
    try:
        answers = two_naps_at_once(pool, command)
    finally:
        pool.close()
    assert len({a.answer["pid"] for a in answers if a.answer}) == 1
