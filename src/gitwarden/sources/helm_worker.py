"""The child process that renders one Helm chart, so that a hostile chart can be bounded.

`gitwarden.sources.helm` starts it as ``python -I -S helm_worker.py SDK_FOLDER`` under
resource limits and a wall-clock timeout, sends one request as JSON on standard input and
reads one answer as JSON on standard output: ``{"manifests": {...}}`` or
``{"error": "..."}``. It imports only helm-python-sdk and the standard library: nothing of
gitwarden, no plugin, no network.
"""

from __future__ import annotations

import json
import sys
from typing import Any

MAX_ERROR_CHARS = 2000


def render(request: dict[str, Any]) -> dict[str, Any]:
    """Render the chart the request names; an answer, never an exception."""
    import helm_python

    values: dict[str, Any] = {}
    try:
        if request.get("values_yaml") is not None:
            # Helm's own reader, as `helm -f` would use it: it refuses alias bombs, which a
            # Python loader would expand into memory when the values are handed over.
            try:
                values = helm_python.values_from_yaml(request["values_yaml"])
            except helm_python.HelmError as error:
                return {"error": f"values file {request['values_name']} invalid: {_text(error)}"}
        with helm_python.Chart.load(request["chart_dir"]) as chart:
            manifests = chart.render(
                values, name=request["release"], namespace=request["namespace"]
            )
    except helm_python.HelmError as error:
        return {"error": _text(error)}
    return {"manifests": dict(manifests)}


def _text(error: Exception) -> str:
    return str(error).strip()[:MAX_ERROR_CHARS] or type(error).__name__


def main() -> int:
    if len(sys.argv) > 1:
        # Started with -S: the SDK's folder is the only one added, after the standard library.
        sys.path.append(sys.argv[1])
    request = json.loads(sys.stdin.read())
    answer = render(request)
    sys.stdout.write(json.dumps(answer))
    return 0


if __name__ == "__main__":
    sys.exit(main())
