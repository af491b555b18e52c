#!/usr/bin/env python3
"""Benchmark CODEOWNERS matching: `owners_of` over many paths and many rules.

A synthetic CODEOWNERS of ``--rules`` lines (default 1,000) in the mix large monorepos have
(anchored folders, extensions at any depth, file names, ``**`` globs, ``*`` levels; GitLab
with a section every 100 lines) is asked for the owners of ``--paths`` paths (default
1,000). For each flavour, median of ``--runs``:

* ``parse``: reading the file and compiling its patterns (RE2 sets);
* ``cold``: the first pass over all paths on a freshly parsed file (RE2 builds its DFA states
  lazily, so this is what one review pays);
* ``warm``: a second pass over the same paths.

Every answer is checked against matching the rules one by one with Python's ``re``. When the
``codeowners`` package (a pure-Python GitHub CODEOWNERS matcher on PyPI) is installed, it
runs on the same GitHub file and paths as the peer figure (``pip install codeowners``).

Usage::

    .venv/bin/python bench/codeowners.py [--rules N] [--paths N] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from gitwarden.review.codeowners import CodeOwners, Flavour, parse_codeowners
from gitwarden.review.codeowners_patterns import encodable


def codeowners_text(rules: int, flavour: Flavour, seed: int = 15) -> str:
    generator = random.Random(seed)
    lines = ["* @acme/platform"]
    for number in range(1, rules):
        if flavour == "gitlab" and number % 100 == 0:
            lines.append(f"[Section {number // 100}][2] @acme/section-{number // 100}")
            continue
        team = f"@acme/team-{number % 50}"
        kind = generator.random()
        if kind < 0.55:
            lines.append(f"/services/svc{number}/ {team}")
        elif kind < 0.70:
            lines.append(f"*.ext{number} {team} dev{number}@example.com")
        elif kind < 0.80:
            lines.append(f"name{number} @user{number}")
        elif kind < 0.90:
            lines.append(f"/services/**/config{number}.yaml {team}")
        else:
            lines.append(f"/apps/*/team{number}/ {team}")
    return "\n".join(lines) + "\n"


def sample_paths(rules: int, count: int, seed: int = 15) -> list[str]:
    generator = random.Random(seed + 1)
    paths = []
    for _ in range(count):
        number = generator.randrange(1, rules)
        paths.append(
            generator.choice(
                [
                    f"services/svc{number}/src/main.go",
                    f"lib/deep/nested/file.ext{number}",
                    f"some/where/name{number}",
                    f"services/a/b/config{number}.yaml",
                    f"apps/web/team{number}/index.html",
                    f"unowned/by/anything/{number}.txt",
                ]
            )
        )
    return paths


def reference(codeowners: CodeOwners, path: str) -> list[int]:
    """The owning lines, matching rule by rule with Python's re (slow, obviously right)."""
    last: dict[int, int] = {}
    excluded: set[int] = set()
    for rule in codeowners.rules:
        if re.fullmatch(rule.regex, encodable(path)):
            if rule.exclusion:
                excluded.add(rule.section)
            else:
                last[rule.section] = rule.line
    lines = [last[s] for s in sorted(last) if s not in excluded]
    owners = {rule.line: rule.owners for rule in codeowners.rules}
    if codeowners.flavour == "github" and lines and not owners[lines[0]]:
        return []
    return lines


def timed(action: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU seconds: on a shared machine the CPU time is the steadier one."""
    start, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - start, time.process_time() - cpu


def ms(samples: list[tuple[float, float]]) -> str:
    wall = statistics.median(s[0] for s in samples) * 1e3
    cpu = statistics.median(s[1] for s in samples) * 1e3
    return f"{wall:.1f} ({cpu:.1f})"


def measure(flavour: Flavour, rules: int, paths: list[str], runs: int) -> dict[str, object]:
    text = codeowners_text(rules, flavour)
    parse, cold, warm = [], [], []
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        codeowners = parse_codeowners(text, "CODEOWNERS", flavour)
        parse.append((time.perf_counter() - start, time.process_time() - cpu))
        ask = codeowners.owners_of
        cold.append(timed(lambda ask=ask: [ask(p) for p in paths]))  # type: ignore[misc]
        warm.append(timed(lambda ask=ask: [ask(p) for p in paths]))  # type: ignore[misc]
    assert codeowners.problems == (), codeowners.problems
    for path in paths:
        assert [m.line for m in codeowners.owners_of(path)] == reference(codeowners, path), path
    return {"parse": ms(parse), "cold": ms(cold), "warm": ms(warm), "rules": len(codeowners.rules)}


def measure_peer(rules: int, paths: list[str], runs: int) -> dict[str, object] | None:
    # This script's own name would shadow the peer package: import it without bench/.
    here = Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != here]
    try:
        from codeowners import CodeOwners as PeerCodeOwners  # type: ignore[import-not-found]
    except ImportError:
        return None
    text = codeowners_text(rules, "github")
    parse, cold = [], []
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        peer = PeerCodeOwners(text)
        parse.append((time.perf_counter() - start, time.process_time() - cpu))
        cold.append(timed(lambda of=peer.of: [of(p) for p in paths]))
    ours = parse_codeowners(text, "CODEOWNERS", "github")
    agree = sum(
        sorted(owner for _, owner in peer.of(path))
        == sorted(o.text for m in ours.owners_of(path) for o in m.owners)
        for path in paths
    )
    return {"parse": ms(parse), "cold": ms(cold), "agree": agree}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", type=int, default=1000)
    parser.add_argument("--paths", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    paths = sample_paths(args.rules, args.paths)
    print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"{args.rules:,} lines, {len(paths):,} paths, median of {args.runs} runs\n")
    print("wall-clock ms (CPU ms)\n")
    print("| matcher | rules | parse | owners_of, cold | owners_of, warm |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for flavour in ("github", "gitlab"):
        result = measure(flavour, args.rules, paths, args.runs)
        print(
            f"| gitwarden {flavour} | {result['rules']:,} | {result['parse']} | "
            f"{result['cold']} | {result['warm']} |"
        )
    peer = measure_peer(args.rules, paths, args.runs)
    if peer is None:
        print("\n(peer `codeowners` not installed: pip install codeowners)")
    else:
        row = f"| `codeowners` (PyPI), github | {args.rules:,} | {peer['parse']} | {peer['cold']}"
        print(row + " | - |")
        print(f"\npeer agrees with gitwarden's owners on {peer['agree']}/{len(paths)} paths")


if __name__ == "__main__":
    main()
