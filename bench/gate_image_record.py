#!/usr/bin/env python3
"""What listing the deployed images costs a gate decision (issue 17: the attested `images`).

The example repository of `gate_speed.py` is gated warm, its `prod` environment covering the
whole repository (``paths: ["**"]``, given out of band as the operator's config, so the
Kustomize overlay and the Helm chart are rendered and their images listed), alternately with
the image listing
(`gate.deployed_images`, which loads the environment's objects again through the render
cache the tree scan filled) and with it replaced by an empty listing, so both sides see the
same machine load. Reports the median wall and CPU time of each and the difference, and how
many images the decision names.

Usage::

    .venv/bin/python bench/gate_image_record.py [--runs N] [--json FILE]
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml
from gate_speed import build

from gitwarden.commands.gate import GateOptions, gate
from gitwarden.config import Config, parse_config

# By module path: the attribute ``gitwarden.gate`` is the command function.
EVALUATION = importlib.import_module("gitwarden.gate.evaluation")


def _whole_repository(repo: Path) -> Config:
    document = yaml.safe_load((repo / ".gitwarden.yaml").read_text())
    document["environments"]["prod"]["paths"] = ["**"]
    return parse_config(yaml.safe_dump(document), "bench: .gitwarden.yaml")


def _timed(repo: Path, config: Config, options: GateOptions) -> tuple[float, float, int]:
    started, before = time.perf_counter(), os.times()
    result = gate(repo, config, options)
    after = os.times()
    assert not result.errored, result.summary
    # Our CPU and that of the git processes we waited for: the machine is shared.
    return (
        time.perf_counter() - started,
        sum(after[:4]) - sum(before[:4]),
        len(result.decision.images),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    listing = EVALUATION.deployed_images
    with tempfile.TemporaryDirectory(prefix="gate-images-bench-") as scratch:
        folder = Path(scratch)
        os.environ["GITWARDEN_STATE_DIR"] = str(folder / "state")
        repo, key = build(folder)
        options = GateOptions(
            revision="HEAD",
            environment="prod",
            audit=f"sqlite:///{folder / 'audit.db'}",
            signing_key=key,
        )
        config = _whole_repository(repo)
        gate(repo, config, options)  # warm: imports, catalogue, render cache
        sides: dict[str, list[tuple[float, float, int]]] = {"with": [], "without": []}
        for _ in range(args.runs):
            EVALUATION.deployed_images = listing
            sides["with"].append(_timed(repo, config, options))
            EVALUATION.deployed_images = lambda context: ()
            sides["without"].append(_timed(repo, config, options))
        EVALUATION.deployed_images = listing
    medians = {
        side: (statistics.median(t for t, _, _ in runs), statistics.median(c for _, c, _ in runs))
        for side, runs in sides.items()
    }
    figures: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()}",
        "python": sys.version.split()[0],
        "load_average": round(os.getloadavg()[0], 1),
        "runs": args.runs,
        "images_listed": sides["with"][0][2],
        "with_median_s": round(medians["with"][0], 3),
        "without_median_s": round(medians["without"][0], 3),
        "with_cpu_median_s": round(medians["with"][1], 3),
        "without_cpu_median_s": round(medians["without"][1], 3),
        "listing_cpu_s": round(medians["with"][1] - medians["without"][1], 3),
    }
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
