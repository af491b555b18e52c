"""The child process that builds Kustomize overlays with kustomize's Go API (pykustomize).

`gitwarden.sources.kustomize` starts it as ``python -I -S kustomize_worker.py FOLDER...``
(the folders holding pykustomize and cffi) under the renderer's sandbox, memory limit and
network isolation (see `worker_process`). It loads the library once, then answers one JSON
line per request, ``{"path": WRAPPER}``, with ``{"text": YAML}`` or ``{"error": "..."}``,
until its input ends. It imports only cffi, the library and the standard library: nothing of
gitwarden. The build options are fixed here, not taken from the request: files load from
the overlay's root only, no plugin, exec or container function, no Helm inflation.
"""

from __future__ import annotations

import json
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
            """
        )
        self.ffi = ffi
        self.lib: Any = ffi.dlopen(str(library_path()))

    def build(self, path: str) -> dict[str, str]:
        """The overlay at ``path`` built to YAML; an answer, never an exception."""
        ffi, lib = self.ffi, self.lib
        result = ffi.new("char **")
        if lib.pykustomize_build(path.encode("utf-8"), BUILD_OPTIONS, result) != 0:
            message = lib.pykustomize_last_error()
            text = ffi.string(message).decode("utf-8", "replace") if message != ffi.NULL else ""
            return {"error": text.removeprefix(_LIBRARY_PREFIX)[:MAX_ERROR_CHARS] or "failed"}
        try:
            return {"text": ffi.string(result[0]).decode("utf-8", "replace")}
        finally:
            lib.pykustomize_free(result[0])


def library_path() -> Path:
    """libpykustomize inside the pykustomize package found on ``sys.path``."""
    import importlib.util
    import platform

    spec = importlib.util.find_spec("pykustomize")
    if spec is None or spec.origin is None:
        raise ImportError("pykustomize is not installed")
    machine = {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())
    return Path(spec.origin).parent / "_lib" / f"linux-{machine}" / "libpykustomize.so"


def main() -> int:
    # Started with -S: only the folders given are added, after the standard library.
    sys.path.extend(sys.argv[1:])
    library = Library()
    for line in sys.stdin:
        request = json.loads(line)
        answer = library.build(str(request["path"]))
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
