"""The child process that renders Helm charts, so that a hostile chart can be bounded.

`gitwarden.sources.helm` starts it as ``python -I -S helm_worker.py SDK_FOLDER`` under a
memory limit and network isolation (see `worker_process`) and sends one request a line as
JSON on standard input; it reads one answer a line on standard output:
``{"manifests": {...}}`` or ``{"error": "..."}``, until its input ends. The SDK is loaded
once for all the charts a worker renders. It imports only helm-python-sdk and the standard
library: nothing of gitwarden, no plugin, no network.

A request's ``cpu_seconds`` is that render's CPU-time budget: the soft ``RLIMIT_CPU`` is set
to what the worker has used so far plus the budget, so the sum of many small renders never
stops a long-lived worker while one long render still does (SIGXCPU).
"""

from __future__ import annotations

import json
import math
import resource
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


def limit_cpu(seconds: float) -> None:
    """Allow ``seconds`` more CPU time from now (within the hard limit, which stays)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = usage.ru_utime + usage.ru_stime
    _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = math.ceil(used + seconds)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _text(error: Exception) -> str:
    return str(error).strip()[:MAX_ERROR_CHARS] or type(error).__name__


def main() -> int:
    if len(sys.argv) > 1:
        # Started with -S: the SDK's folder is the only one added, after the standard library.
        sys.path.append(sys.argv[1])
    # Loaded before the first request, so that a worker started ahead of its first chart
    # (`WorkerPool.prestart`) loads the SDK while the scan goes on.
    import helm_python  # noqa: F401

    for line in sys.stdin:
        request = json.loads(line)
        if request.get("cpu_seconds"):
            limit_cpu(float(request["cpu_seconds"]))
        answer = render(request)
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
