"""The child process that builds Kustomize overlays with kustomize's Go API (pykustomize).

`gitwarden.sources.kustomize` starts it as ``python -I -S kustomize_worker.py FOLDER...``
(the folders holding pykustomize and cffi) under the renderer's sandbox, memory limit and
network isolation (see `worker_process`). It loads the library once, then answers one JSON
line per request, ``{"path": WRAPPER}``, with ``{"text": YAML}`` or ``{"error": "..."}``,
until its input ends. A request with ``"json_within": BYTES`` is answered with kustomize's
own JSON, ``{"json": {"resources": [...]}}``, spliced in unparsed, when that JSON provably
reads the same as the YAML would (see `json_reads_as_yaml`); otherwise with the YAML.
It imports only cffi, the library and the standard library: nothing of gitwarden. The
build options are fixed here, not taken from the request: files load from the overlay's
root only, no plugin, exec or container function, no Helm inflation.
"""

from __future__ import annotations

import contextlib
import json
import re
import sys
from pathlib import Path
from typing import Any

MAX_ERROR_CHARS = 4000
# pykustomize's BuildOptions as JSON: LoadRestrictions.ROOT_ONLY is 0.
BUILD_OPTIONS = json.dumps(
    {
        "load_restrictions": 0,
        "reorder": "unspecified",
        "add_managedby_label": False,
        "enable_plugins": False,
        "enable_helm": False,
        "helm_command": "",
    }
).encode("utf-8")
# The library says which call failed before kustomize's own message.
_LIBRARY_PREFIX = "kustomize build failed: "
# A JSON string (kustomize's output is valid JSON: every quote inside one is escaped).
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
# Numbers kustomize's YAML writes in a form PyYAML reads otherwise than JSON does: an
# exponent without a dot (`1e+20`, `5e-05` are strings to YAML 1.1), and integers past
# 2**53, which the JSON path rounds through a float and the YAML path does not.
_DIVERGENT_NUMBER = re.compile(r"[0-9.][eE]|[0-9]{16}|0\.0000")
# The YAML path refuses documents nested deeper than its parser allows (200); kept well
# below so that the JSON path never accepts what the YAML path would refuse.
MAX_JSON_DEPTH = 100
# A YAML document of the output is at most this many times the JSON per level of nesting
# (indentation of two per level, plus quoting and markers).
_YAML_BYTES_PER_JSON_BYTE_AND_LEVEL = 2


class Library:
    """libpykustomize loaded once, through cffi in ABI mode (as pykustomize does)."""

    def __init__(self) -> None:
        from cffi import FFI  # type: ignore[import-untyped]

        ffi = FFI()
        ffi.cdef(
            """
            char* pykustomize_last_error(void);
            void pykustomize_free(void *ptr);
            int pykustomize_build(const char *path, const char *options_json, char **result);
            int pykustomize_build_to_json(
                const char *path, const char *options_json, char **result);
            """
        )
        self.ffi = ffi
        self.lib: Any = ffi.dlopen(str(library_path()))

    def build(self, path: str) -> dict[str, str]:
        """The overlay at ``path`` built to YAML; an answer, never an exception."""
        return self._call(self.lib.pykustomize_build, path, "text")

    def build_json(self, path: str) -> dict[str, str]:
        """The overlay at ``path`` built to kustomize's JSON (as text); never an exception."""
        return self._call(self.lib.pykustomize_build_to_json, path, "json")

    def _call(self, function: Any, path: str, key: str) -> dict[str, str]:
        ffi, lib = self.ffi, self.lib
        result = ffi.new("char **")
        if function(path.encode("utf-8"), BUILD_OPTIONS, result) != 0:
            message = lib.pykustomize_last_error()
            text = ffi.string(message).decode("utf-8", "replace") if message != ffi.NULL else ""
            return {"error": text.removeprefix(_LIBRARY_PREFIX)[:MAX_ERROR_CHARS] or "failed"}
        try:
            return {key: ffi.string(result[0]).decode("utf-8", "replace")}
        finally:
            lib.pykustomize_free(result[0])


def json_reads_as_yaml(text: str, max_document_bytes: int) -> bool:
    """Whether kustomize's JSON ``text`` gives exactly the values, and the same size
    verdicts, that gitwarden's YAML path gives for the YAML of the same build.

    Both outputs are written from the same Go values; the YAML writer quotes every string
    YAML 1.1 would read as another type, so only numbers (`_DIVERGENT_NUMBER`), nesting and
    document sizes can differ. Checked on the text with strings removed, in C but for one
    step per bracket.
    """
    if "\n" in text:
        return False  # not one line: the answer could not be spliced in
    structure = _JSON_STRING.sub("", text)
    if _DIVERGENT_NUMBER.search(structure):
        return False
    depth = deepest = 0
    for bracket in structure.translate(_BRACKETS_ONLY):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    if deepest > MAX_JSON_DEPTH:
        return False
    # No document of the YAML can pass the bound when the whole JSON, grown by the most
    # the YAML writer adds per level, stays under it.
    size = len(text) if text.isascii() else len(text.encode("utf-8"))
    return size * (1 + _YAML_BYTES_PER_JSON_BYTE_AND_LEVEL * deepest) <= max_document_bytes


_BRACKETS_ONLY = {code: None for code in range(128) if chr(code) not in "[]{}"}


def answer_line(library: Library, request: dict[str, Any]) -> str:
    """The one-line answer to ``request``."""
    path = str(request["path"])
    within = request.get("json_within")
    if isinstance(within, int):
        text = library.build_json(path).get("json")
        # A failure is built again as YAML below, so that its message is the YAML build's.
        if text is not None and json_reads_as_yaml(text, within):
            # Spliced, not parsed and written again: the caller parses it once.
            return '{"json": ' + text + "}"
    return json.dumps(library.build(path))


def library_path() -> Path:
    """libpykustomize inside the pykustomize package found on ``sys.path``."""
    import importlib.util
    import platform

    spec = importlib.util.find_spec("pykustomize")
    if spec is None or spec.origin is None:
        raise ImportError("pykustomize is not installed")
    machine = {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())
    return Path(spec.origin).parent / "_lib" / f"linux-{machine}" / "libpykustomize.so"


def warm_up(library: Library) -> bool:
    """Build a small overlay of gitwarden's own before the first request; True if it built.

    kustomize loads its OpenAPI schema and transformer configurations on first use: about
    25 ms of the first build. A child started ahead (`WorkerPool.prestart`) pays it while
    the scan is still planning; the overlay's objects are discarded, and a failure only
    leaves that cost to the first real build.
    """
    import tempfile

    with tempfile.TemporaryDirectory(prefix="warm-up-", dir=".") as folder:
        overlay = Path(folder)
        (overlay / "deployment.yaml").write_text(_WARM_UP_DEPLOYMENT, encoding="utf-8")
        (overlay / "kustomization.yaml").write_text(_WARM_UP_KUSTOMIZATION, encoding="utf-8")
        return "json" in library.build_json(str(overlay.resolve()))


_WARM_UP_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: web, env: [{name: A, value: "1"}]}]
"""
# The transformers most overlays use: a namespace, labels, an image and a strategic merge.
_WARM_UP_KUSTOMIZATION = """\
namespace: warm-up
labels:
- pairs: {tier: web}
images:
- name: web
  newTag: "1"
resources: [deployment.yaml]
patches:
- patch: |-
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web}
    spec:
      template:
        spec:
          containers: [{name: web, env: [{name: B, value: "2"}]}]
"""


def main() -> int:
    # Started with -S: only the folders given are added, after the standard library.
    sys.path.extend(sys.argv[1:])
    library = Library()
    with contextlib.suppress(Exception):
        warm_up(library)
    for line in sys.stdin:
        answer = answer_line(library, json.loads(line))
        sys.stdout.buffer.write(answer.encode("utf-8") + b"\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
