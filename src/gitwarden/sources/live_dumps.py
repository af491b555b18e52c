"""Live state from files: `kubectl get -o yaml|json` output, dump folders, Argo CD live manifests.

Accepted shapes: a `List` (or `<Kind>List`) with ``items``, a single object, and a stream of
YAML documents (`argocd app manifests --source live` prints one document per object). Nothing
in a dump is executed or followed; sizes are bounded. A file that cannot be read or parsed is
an error, never an empty cluster.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

from gitwarden.sources.live_state import LiveObject, LiveState, LiveStateError

DUMP_SUFFIXES = (".yaml", ".yml", ".json")
_ANCHOR = re.compile(r"(?:^|[\s\[{,:-])&[^\s]")
MAX_DUMP_BYTES = 256 * 1024 * 1024
MAX_DUMP_FILES = 10_000

# The C loader when PyYAML was built with it: dumps of thousands of objects parse in seconds.
_YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_live_dumps(path: Path, *, max_bytes: int = MAX_DUMP_BYTES) -> LiveState:
    """Every object in the dump file ``path``, or in the dump files of the folder ``path``."""
    files = _dump_files(path)
    objects: list[LiveObject] = []
    for file in files:
        objects.extend(_objects_of_file(file, max_bytes))
    return LiveState(objects=tuple(objects), listed=None, origin=str(path))


def _dump_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise LiveStateError(f"{path}: no such live dump file or folder")
    # Symbolic links are not followed: a dump folder cannot point the reader elsewhere.
    files = sorted(
        file
        for file in path.rglob("*")
        if file.suffix in DUMP_SUFFIXES and file.is_file() and not file.is_symlink()
    )
    if not files:
        raise LiveStateError(
            f"{path}: no live dump files (*.yaml, *.yml, *.json) in this folder",
            hint="write one with `kubectl get deploy,svc,... -A -o yaml > live.yaml`",
        )
    if len(files) > MAX_DUMP_FILES:
        raise LiveStateError(f"{path}: more than {MAX_DUMP_FILES} dump files")
    return files


def _objects_of_file(file: Path, max_bytes: int) -> list[LiveObject]:
    try:
        size = file.stat().st_size
        if size > max_bytes:
            raise LiveStateError(f"{file}: live dump of {size} bytes is over {max_bytes} bytes")
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise LiveStateError(f"{file}: cannot read live dump: {error}") from error
    documents = _documents(file, text)
    objects: list[LiveObject] = []
    for index, document in enumerate(documents):
        if document is None:
            continue
        if not isinstance(document, Mapping):
            raise LiveStateError(f"{file}: document {index + 1} is not a Kubernetes object")
        objects.extend(LiveObject(item, str(file)) for item in _items(file, document))
    return objects


def _documents(file: Path, text: str) -> list[Any]:
    try:
        if file.suffix == ".json":
            return [json.loads(text)]
        fast = _documents_through_json(text)
        return fast if fast is not None else list(yaml.load_all(text, Loader=_YAML_LOADER))
    except (ValueError, yaml.YAMLError) as error:
        raise LiveStateError(f"{file}: not valid {file.suffix[1:].upper()}: {error}") from error


def _documents_through_json(text: str) -> list[Any] | None:
    """rapidyaml re-emitting each document as JSON: 30x PyYAML on large `kubectl -o yaml` dumps.

    kubectl writes YAML converted from JSON (ambiguous strings quoted), which rapidyaml reads
    with the same types. None (PyYAML decides) when it is not installed, fails, or the text
    has anchors: re-emitting would expand aliases, and PyYAML keeps them shared.
    """
    if _ANCHOR.search(text):
        return None
    try:
        import ryml
    except ImportError:
        return None
    try:
        tree = ryml.parse_in_arena(text.encode("utf-8", "surrogatepass"))
        root = tree.root_id()
        if not tree.is_stream(root):
            return [json.loads(ryml.emit_json_malloc(tree, root))]
        documents = []
        child = tree.first_child(root)
        while child != ryml.NONE:
            documents.append(json.loads(ryml.emit_json_malloc(tree, child)))
            child = tree.next_sibling(child)
        return documents
    except Exception:  # rapidyaml raises its own types; PyYAML then reports the error
        return None


def _items(file: Path, document: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    kind = document.get("kind")
    if isinstance(kind, str) and kind.endswith("List") and "items" in document:
        items = document.get("items") or []
        if not isinstance(items, list):
            raise LiveStateError(f"{file}: {kind} items is not a list")
        for item in items:
            yield from _items(file, item) if isinstance(item, Mapping) else ()
        return
    if not isinstance(kind, str) or not isinstance(document.get("metadata"), Mapping):
        raise LiveStateError(
            f"{file}: an object without kind or metadata is not `kubectl get -o yaml` output"
        )
    yield document
