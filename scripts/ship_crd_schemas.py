#!/usr/bin/env python3
"""Regenerate the CRD schemas gitwarden ships (src/gitwarden/checks/api_schema/crd_schemas/).

    python3 scripts/ship_crd_schemas.py

Fetches the npm packages named in ``PACKAGES`` with ``npm pack`` (the npm registry, nothing
else), reads the schema object each model module declares (``const schema = {...};``: the
CRD's openAPIV3Schema as kubernetes-models-ts' crd-generate wrote it) and writes one compact
gzipped JSON file, ``{"<apiVersion>/<Kind>": schema}``, plus the sources in ``sources.json``.
Only package versions whose modules still hold the schema as data are usable: later releases
ship compiled validator code instead. Update README.md beside the output when this changes.
"""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

OUTPUT = Path(__file__).resolve().parents[1] / "src/gitwarden/checks/api_schema/crd_schemas"
# (npm package, version): the newest versions that ship schemas as data.
PACKAGES = (
    ("@kubernetes-models/argo-cd", "2.5.0"),
    ("@kubernetes-models/flux-cd", "2.2.1"),
)
_MODULE = re.compile(r"^package/([a-z0-9.-]+)/(v[0-9a-z]+)/([A-Za-z]+)\.js$")
_SCHEMA = re.compile(r"\nconst schema = (\{.*?\n\});\n", re.DOTALL)


def package_schemas(tarball: Path) -> tuple[dict[str, object], list[str]]:
    """The schemas in one npm tarball by ``<apiVersion>/<Kind>``, and its CRD sources."""
    schemas: dict[str, object] = {}
    with tarfile.open(tarball) as archive:
        manifest = json.load(archive.extractfile("package/package.json"))  # type: ignore[arg-type]
        for member in sorted(archive.getmembers(), key=lambda m: m.name):
            found = _MODULE.match(member.name)
            if found is None or found.group(3) == "index":
                continue
            text = archive.extractfile(member).read().decode()  # type: ignore[union-attr]
            literal = _SCHEMA.search(text)
            if literal is None:
                raise SystemExit(f"{tarball.name}: {member.name} holds no schema literal")
            group, version, kind = found.groups()
            schemas[f"{group}/{version}/{kind}"] = json.loads(literal.group(1))
    return schemas, list(manifest.get("crd-generate", {}).get("input", []))


def main() -> int:
    shipped: dict[str, object] = {}
    sources: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as work:
        for name, version in PACKAGES:
            done = subprocess.run(
                ["npm", "pack", "--silent", f"{name}@{version}"],
                cwd=work,
                capture_output=True,
                text=True,
                check=True,
            )
            schemas, inputs = package_schemas(Path(work) / done.stdout.strip().splitlines()[-1])
            shipped.update(schemas)
            sources.append(
                {"package": name, "version": version, "crds": inputs, "kinds": sorted(schemas)}
            )
    OUTPUT.mkdir(parents=True, exist_ok=True)
    data = json.dumps(shipped, separators=(",", ":"), sort_keys=True).encode()
    # mtime=0: the same schemas give the same bytes, so a regeneration diffs only on change.
    (OUTPUT / "schemas.json.gz").write_bytes(gzip.compress(data, 9, mtime=0))
    (OUTPUT / "sources.json").write_text(json.dumps(sources, indent=2) + "\n")
    print(f"{len(shipped)} schemas, {len(data)} bytes of JSON", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
