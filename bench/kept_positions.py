#!/usr/bin/env python3
"""Field positions kept in the parsed-file cache (issue 19): before and after, interleaved.

Two parts, on the combined tree of ``render_speed.py`` (argocd-example-apps,
microservices-demo, flux2-kustomize-helm-example), 1x and 16x:

* ``scans``: the "before" source tree (``git archive REV src``, through ``PYTHONPATH``) and
  this checkout's ``src`` run the same ``gitwarden scan TREE --format json`` commands
  interleaved run by run (before, after, before, ...), each with its own state folder:
  ``cold`` (the render cache, parsed-file entries included, emptied before each run),
  then ``warm`` and ``no-render`` with every cache filled by one unmeasured run of each.
  Wall, CPU (user + system of the process tree) and peak RSS through ``compare_checkov``'s
  ``_measure``; the bytes of the ``parsed-files`` folder after a cold run; findings must
  be the same in both trees.
* ``forms``: in this process, the entries of the 16x after-tree's ``parsed-files`` folder
  read back with the positions as kept (a string of numbers, parsed on first use) and as a
  JSON list of integers inside the entry: bytes, CPU of loading every entry, memory held by
  the loaded entries, CPU of turning every document's positions into a dict; and, for the
  cold path, the CPU of parsing every plain file against that of encoding its positions.

Usage::

    git archive REV src | tar -x -C /tmp/before
    .venv/bin/python bench/kept_positions.py --before /tmp/before/src [--runs 3]
        [--scales 1,16] [--parts scans,forms]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from itertools import accumulate
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from render_speed import build_tree, gitwarden, measure  # noqa: E402

RESULTS = BENCH / "results" / "kept_positions.json"
TREES = ("before", "after")
ENV = {"GITWARDEN_KUSTOMIZE": "pykustomize"}


def folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def scans(base: Path, before: Path, scale: int, runs: int) -> dict[str, Any]:
    tree = build_tree(base / f"tree-{scale}x", scale)
    scan = [gitwarden(), "scan", str(tree), "--format", "json"]
    commands = {"cold": scan, "warm": scan, "no-render": [*scan, "--no-render"]}
    sources = {"before": str(before), "after": str(ROOT / "src")}
    states = {name: base / f"state-{scale}x-{name}" for name in TREES}
    work = base / f"work-{scale}x"
    work.mkdir()
    rows: dict[str, dict[str, list[dict[str, Any]]]] = {
        name: {row: [] for row in commands} for name in TREES
    }
    sizes: dict[str, list[int]] = {name: [] for name in TREES}

    def run(name: str, row: str) -> dict[str, Any]:
        env = {**ENV, "PYTHONPATH": sources[name], "GITWARDEN_STATE_DIR": str(states[name])}
        return measure(commands[row], work, env)

    for name in TREES:
        run(name, "cold")  # the Hyperscan database and bytecode, outside the render cache
    for _ in range(runs):
        for name in TREES:
            shutil.rmtree(states[name] / "render-cache", ignore_errors=True)
            rows[name]["cold"].append(run(name, "cold"))
            sizes[name].append(folder_bytes(states[name] / "render-cache" / "parsed-files"))
    for name in TREES:
        run(name, "warm")
        run(name, "no-render")
    for _ in range(runs):
        for row in ("warm", "no-render"):
            for name in TREES:
                rows[name][row].append(run(name, row))
    summary: dict[str, Any] = {"tree": str(tree), "trees": {}}
    for name in TREES:
        medians = {
            row: {
                "wall_median_s": statistics.median(r["wall_s"] for r in results),
                "cpu_median_s": statistics.median(r["cpu_s"] for r in results),
                "peak_rss_mb": max(r["max_rss_mb"] for r in results),
                "findings": sorted({r["findings"] for r in results}),
                "runs": results,
            }
            for row, results in rows[name].items()
        }
        summary["trees"][name] = {
            "rows": medians,
            "parsed_files_bytes_cold": max(sizes[name]),
            "parsed_files_bytes_both": folder_bytes(states[name] / "render-cache" / "parsed-files"),
            "warm_over_no_render_wall": medians["warm"]["wall_median_s"]
            / medians["no-render"]["wall_median_s"],
            "warm_over_no_render_cpu": medians["warm"]["cpu_median_s"]
            / medians["no-render"]["cpu_median_s"],
        }
    print_scans(scale, summary)
    return summary


def print_scans(scale: int, summary: dict[str, Any]) -> None:
    print(f"combined tree {scale}x", flush=True)
    for name in TREES:
        found = summary["trees"][name]
        for row, value in found["rows"].items():
            print(
                f"  {name:<6} {row:<10} wall {value['wall_median_s']:6.2f} s  "
                f"CPU {value['cpu_median_s']:6.2f} s  peak RSS {value['peak_rss_mb']:6.1f} MB  "
                f"findings {value['findings']}"
            )
        print(
            f"  {name:<6} warm / no-render: wall {found['warm_over_no_render_wall']:.2f}x, "
            f"CPU {found['warm_over_no_render_cpu']:.2f}x; parsed-files after a cold run "
            f"{found['parsed_files_bytes_cold'] / 1e6:.2f} MB "
            f"(after both scans {found['parsed_files_bytes_both'] / 1e6:.2f} MB)",
            flush=True,
        )


def cpu_of(work: Callable[[], object], repeat: int = 5) -> float:
    """The least CPU time of ``repeat`` runs of ``work``."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return best


def held_bytes(load: Callable[[], object]) -> int:
    """The memory the result of ``load`` holds."""
    gc.collect()
    tracemalloc.start()
    kept = load()
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del kept
    return held


def as_lists(body: bytes) -> bytes:
    """The entry with each document's positions as a JSON list of integers."""
    payload = json.loads(body)
    for document in payload["documents"]:
        document[1] = json.loads(f"[{document[1]}]")
    return json.dumps(payload, separators=(",", ":")).encode()


def forms(entries: Path, tree: Path) -> dict[str, Any]:
    from gitwarden.manifests.loader import load_manifest_text
    from gitwarden.pipeline.kept_positions import decode, encode, field_paths

    strings = [path.read_bytes().partition(b"\n")[2] for path in sorted(entries.rglob("*.entry"))]
    strings = [body for body in strings if b'"documents"' in body]
    lists = [as_lists(body) for body in strings]
    # Each document with the body of an object naming it (a List's value is its own).
    documents = []
    for payload in map(json.loads, strings):
        bodies = {obj[9]: obj[6] for obj in payload["objects"] if obj[9] is not None}
        for index, document in enumerate(payload["documents"]):
            documents.append((document[1], bodies[index] if document[2] is None else document[2]))
    numbers = [(json.loads(f"[{code}]"), value) for code, value in documents]

    def decode_strings() -> None:
        for code, value in documents:
            decode(code, value)

    def decode_lists() -> None:
        for kept, value in numbers:
            positions = zip(accumulate(kept[0::2]), kept[1::2], strict=True)
            dict(zip(field_paths(value), positions, strict=True))

    texts = [
        (str(path.relative_to(tree)), path.read_text(encoding="utf-8"))
        for path in sorted(tree.rglob("*"))
        if path.suffix in (".yaml", ".yml") and path.is_file()
    ]
    parsed = [load_manifest_text(text, name) for name, text in texts]

    def parse() -> None:
        for name, text in texts:
            load_manifest_text(text, name)

    def encode_all() -> None:
        for loaded in parsed:
            for document in loaded.documents:
                encode(document.positions, document.value)

    result: dict[str, Any] = {
        "entries": len(strings),
        "documents": len(documents),
        "string": {
            "bytes": sum(map(len, strings)),
            "load_cpu_s": cpu_of(lambda: [json.loads(body) for body in strings]),
            "held_bytes": held_bytes(lambda: [json.loads(body) for body in strings]),
            "positions_cpu_s": cpu_of(decode_strings),
        },
        "list": {
            "bytes": sum(map(len, lists)),
            "load_cpu_s": cpu_of(lambda: [json.loads(body) for body in lists]),
            "held_bytes": held_bytes(lambda: [json.loads(body) for body in lists]),
            "positions_cpu_s": cpu_of(decode_lists),
        },
        "cold": {
            "files": len(texts),
            "parse_cpu_s": cpu_of(parse, repeat=3),
            "encode_cpu_s": cpu_of(encode_all, repeat=3),
        },
    }
    print(f"entries of {tree} ({result['entries']} entries, {result['documents']} documents)")
    for form in ("string", "list"):
        found = result[form]
        print(
            f"  positions as a {form:<6} entries {found['bytes'] / 1e6:6.2f} MB  "
            f"load CPU {found['load_cpu_s'] * 1e3:6.1f} ms  "
            f"held {found['held_bytes'] / 1e6:6.2f} MB"
            f"  every document's positions {found['positions_cpu_s'] * 1e3:6.1f} ms"
        )
    cold = result["cold"]
    print(
        f"  cold: parsing {cold['files']} files {cold['parse_cpu_s'] * 1e3:.0f} ms CPU, "
        f"encoding their positions {cold['encode_cpu_s'] * 1e3:.0f} ms "
        f"({cold['encode_cpu_s'] / cold['parse_cpu_s']:.1%})",
        flush=True,
    )
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, help="the before tree's src folder (scans)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scales", default="1,16")
    parser.add_argument("--parts", default="scans,forms")
    args = parser.parse_args()
    parts = args.parts.split(",")
    report: dict[str, Any] = {
        "machine": {"cores": os.cpu_count(), "load_1m_start": os.getloadavg()[0]},
        "scans": {},
    }
    with tempfile.TemporaryDirectory(prefix="kept-positions-") as temporary:
        base = Path(temporary)
        if "scans" in parts:
            if args.before is None:
                parser.error("scans need --before")
            for scale in (int(s) for s in args.scales.split(",") if s):
                report["scans"][f"{scale}x"] = scans(base, args.before, scale, args.runs)
        if "forms" in parts:
            state = base / "state-forms"
            tree = (
                base / "tree-16x"
                if (base / "tree-16x").is_dir()
                else build_tree(base / "tree-forms", 16)
            )
            env = {**ENV, "GITWARDEN_STATE_DIR": str(state), "PYTHONPATH": str(ROOT / "src")}
            work = base / "work-forms"
            work.mkdir()
            measure([gitwarden(), "scan", str(tree), "--format", "json"], work, env)
            report["forms"] = forms(state / "render-cache" / "parsed-files", tree)
    report["machine"]["load_1m_end"] = os.getloadavg()[0]
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(f"results: {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
