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
from dataclasses import dataclass
from pathlib import Path

OUTPUT = Path(__file__).resolve().parents[1] / "src/gitwarden/checks/api_schema/crd_schemas"
# (npm package, version): the newest versions that ship schemas as data.
PACKAGES = (
    ("@kubernetes-models/argo-cd", "2.5.0"),
    ("@kubernetes-models/flux-cd", "2.2.1"),
)
_MODULE = re.compile(r"^package/([a-z0-9.-]+)/(v[0-9a-z]+)/([A-Za-z]+)\.js$")
_SCHEMA = re.compile(r"\nconst schema = (\{.*?\n\});\n", re.DOTALL)

# Kyverno: @kubernetes-models/kyverno 2.x generates its models from the Go API types and ships
# compiled validators only (they check types and required fields, never unknown fields); its
# TypeScript declarations carry each struct's fields, so the schema is rebuilt from them.
DECLARED_PACKAGES = (("@kubernetes-models/kyverno", "2.0.0"),)
# The kinds a repository declares (lists, reports and controller state are written by Kyverno).
DECLARED_KINDS = re.compile(
    r"^kyverno\.io/(v1/(Cluster)?Policy|v2(beta1)?/(PolicyException|(Cluster)?CleanupPolicy)"
    r"|v2beta1/(Cluster)?Policy)$"
)
_DECLARATION = re.compile(r"^package/(kyverno\.io)/(v[0-9a-z]+)/([A-Za-z]+)\.d\.ts$")
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_INTERFACE = re.compile(r"^export interface (\w+)(?: extends ([\w, ]+))? \{\n(.*?)^\}", re.M | re.S)
_ALIAS = re.compile(r"^export type (\w+) = (.*?);\n(?=export|\Z|import)", re.M | re.S)
_EXPORTED_AS = re.compile(r"(\w+) as (\w+)")
_FIELD = re.compile(r'\s*"([^"]+)"(\?)?:\s*')
_MAP = re.compile(r"^\{\s*\[key: string\]: (.*);\s*\}$", re.S)
_STRING_LITERALS = re.compile(r'^"[^"]*"(\s*\|\s*"[^"]*")*$')
_SCALARS = {"string": "string", "boolean": "boolean", "number": "number"}
# A field typed any (apiextensions JSON, pattern bodies) takes any value, as in the CRD.
_ANY: dict[str, object] = {"x-kubernetes-preserve-unknown-fields": True}
_MAX_DEPTH = 24


@dataclass(frozen=True)
class Declarations:
    """The interfaces and type aliases of one package's ``.d.ts`` files, by every name."""

    interfaces: dict[str, tuple[tuple[str, ...], str]]
    aliases: dict[str, str]


def read_declarations(archive: tarfile.TarFile) -> tuple[Declarations, dict[str, str]]:
    """Every declaration under its package-wide name, and each file's main interface name."""
    interfaces: dict[str, tuple[tuple[str, ...], str]] = {}
    aliases: dict[str, str] = {}
    main: dict[str, str] = {}
    for member in archive.getmembers():
        if not member.name.endswith(".d.ts"):
            continue
        text = _COMMENT.sub("", archive.extractfile(member).read().decode())  # type: ignore[union-attr]
        # Local names (ISpec) repeat across versions: each is read under its exported one.
        exported = dict(_EXPORTED_AS.findall(" ".join(re.findall(r"export type \{(.*?)\}", text))))
        if exported:
            text = re.sub(r"\b(\w+)\b", lambda m: exported.get(m.group(1), m.group(1)), text)
        stem = "I" + member.name.rsplit("/", 1)[-1].removesuffix(".d.ts")
        main[member.name] = exported.get(stem, stem)
        for name, parents, body in _INTERFACE.findall(text):
            interfaces[name] = (tuple(p.strip() for p in parents.split(",") if p.strip()), body)
        for name, expression in _ALIAS.findall(text):
            if not name.startswith("I") or name in interfaces:
                continue
            aliases[name] = expression.strip()
    return Declarations(interfaces, aliases), main


def _fields(body: str) -> list[tuple[str, bool, str]]:
    """``(name, optional, type)`` of each field of an interface body."""
    out: list[tuple[str, bool, str]] = []
    position = 0
    while (found := _FIELD.match(body, position)) is not None:
        start = depth = found.end()
        depth = 0
        end = start
        while end < len(body) and not (body[end] == ";" and depth == 0):
            depth += {"{": 1, "<": 1, "}": -1, ">": -1}.get(body[end], 0)
            end += 1
        out.append((found.group(1), found.group(2) == "?", body[start:end].strip()))
        position = end + 1
    return out


def type_schema(expression: str, known: Declarations, seen: tuple[str, ...] = ()) -> object:
    """The structural schema of one TypeScript type expression; any value when unsure."""
    expression = expression.strip()
    if len(seen) > _MAX_DEPTH:
        return dict(_ANY)
    if expression in _SCALARS:
        return {"type": _SCALARS[expression]}
    if _STRING_LITERALS.match(expression):
        return {"type": "string"}  # enums are not enforced
    if expression.startswith("Array<") and expression.endswith(">"):
        return {"type": "array", "items": type_schema(expression[6:-1], known, seen)}
    if (mapped := _MAP.match(expression)) is not None:
        value = type_schema(mapped.group(1), known, seen)
        return {"type": "object", "additionalProperties": value}
    if expression.startswith("{") and expression.endswith("}"):
        return object_schema((), expression[1:-1], known, seen)  # an object literal type
    if expression in seen:
        return dict(_ANY)  # a recursive type: checked to the depth already unfolded
    if expression in known.aliases:
        return type_schema(known.aliases[expression], known, (*seen, expression))
    if expression in known.interfaces:
        return interface_schema(expression, known, (*seen, expression))
    # any, unknown, unions, and types of other packages (ObjectMeta, LabelSelector, ...).
    return dict(_ANY)


def interface_schema(name: str, known: Declarations, seen: tuple[str, ...]) -> dict[str, object]:
    return object_schema(*known.interfaces[name], known, seen)


def object_schema(
    parents: tuple[str, ...], body: str, known: Declarations, seen: tuple[str, ...]
) -> dict[str, object]:
    """An object type's fields, its own and those of the interfaces it extends."""
    properties: dict[str, object] = {}
    required: list[str] = []
    pending = [(parents, body)]
    while pending:
        parents, body = pending.pop()
        pending.extend(known.interfaces[p] for p in parents if p in known.interfaces)
        if any(p not in known.interfaces and p != "TypeMeta" for p in parents):
            return dict(_ANY)  # fields inherited from a type we cannot see
        for field, optional, expression in _fields(body):
            schema = type_schema(expression, known, seen)
            properties.setdefault(field, schema)
            if not optional and schema != _ANY and field not in ("apiVersion", "kind"):
                required.append(field)
    out: dict[str, object] = {"type": "object", "properties": properties}
    if required:
        out["required"] = sorted(set(required))
    return out


def declared_schemas(tarball: Path) -> dict[str, object]:
    """The schemas of ``DECLARED_KINDS`` rebuilt from one tarball's TypeScript declarations."""
    schemas: dict[str, object] = {}
    with tarfile.open(tarball) as archive:
        known, main = read_declarations(archive)
        for member in sorted(archive.getmembers(), key=lambda m: m.name):
            found = _DECLARATION.match(member.name)
            if found is None:
                continue
            group, version, kind = found.groups()
            name = f"{group}/{version}/{kind}"
            interface = main.get(member.name, "")
            if DECLARED_KINDS.match(name) and interface in known.interfaces:
                schema = interface_schema(interface, known, (interface,))
                properties = schema.get("properties")
                # Chainsaw asserts and partial objects omit spec: the root requires nothing.
                schema.pop("required", None)
                if isinstance(properties, dict):
                    for envelope in ("apiVersion", "kind", "metadata"):
                        properties.pop(envelope, None)
                schemas[name] = schema
    return schemas


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


def npm_pack(name: str, version: str, work: str) -> Path:
    done = subprocess.run(
        ["npm", "pack", "--silent", f"{name}@{version}"],
        cwd=work,
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(work) / done.stdout.strip().splitlines()[-1]


def main() -> int:
    shipped: dict[str, object] = {}
    sources: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as work:
        for name, version in PACKAGES:
            schemas, inputs = package_schemas(npm_pack(name, version, work))
            shipped.update(schemas)
            sources.append(
                {"package": name, "version": version, "crds": inputs, "kinds": sorted(schemas)}
            )
        for name, version in DECLARED_PACKAGES:
            tarball = npm_pack(name, version, work)
            with tarfile.open(tarball) as archive:
                manifest = json.load(archive.extractfile("package/package.json"))  # type: ignore[arg-type]
            schemas = declared_schemas(tarball)
            shipped.update(schemas)
            inputs = list(manifest.get("go-generate", {}).get("input", []))
            sources.append(
                {"package": name, "version": version, "go_types": inputs, "kinds": sorted(schemas)}
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
