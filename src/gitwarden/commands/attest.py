"""`gitwarden.attest_verify(file, config, options)`: check a signed decision attestation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from gitwarden.attestation.decision_check import DecisionCheck, check_decision_attestation
from gitwarden.attestation.dsse import MAX_ENVELOPE_BYTES
from gitwarden.attestation.rules import ATTESTATION_RULES
from gitwarden.attestation.signing_keys import VerifyingKey, load_verifying_key
from gitwarden.commands.report_assembly import assemble_report, config_for
from gitwarden.config import Config
from gitwarden.errors import UsageError
from gitwarden.findings import Severity
from gitwarden.report.model import Report


@dataclass(frozen=True)
class AttestVerifyOptions:
    """Trusted keys (files or loaded), and the revision/environment the attestation must name."""

    key_files: tuple[Path, ...] = ()
    keys: tuple[VerifyingKey, ...] = ()
    revision: str | None = None
    environment: str | None = None
    fail_on: Severity | None = None
    today: date | None = None


@dataclass(frozen=True)
class AttestationVerification:
    check: DecisionCheck
    report: Report


def attest_verify(
    target: Path,
    config: Config | None = None,
    options: AttestVerifyOptions | None = None,
) -> AttestationVerification:
    """Verify the DSSE envelope in ``target``; any failure is a finding that fails the report."""
    options = options or AttestVerifyOptions()
    keys = options.keys + tuple(load_verifying_key(path) for path in options.key_files)
    if not keys:
        raise UsageError("no trusted key to verify the attestation with", hint="pass --key PUB")
    check = check_decision_attestation(
        _read(target),
        keys,
        source=str(target),
        revision=options.revision,
        environment=options.environment,
    )
    report = assemble_report(
        "attest verify",
        str(target),
        check.findings,
        config=config_for(Path.cwd(), config),
        rules=ATTESTATION_RULES,
        fail_on=options.fail_on,
        today=options.today,
        files_scanned=1,
    )
    return AttestationVerification(check, report)


def _read(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_ENVELOPE_BYTES:
            raise UsageError(f"{path}: larger than any attestation ({MAX_ENVELOPE_BYTES} bytes)")
        return path.read_bytes()
    except OSError as error:
        raise UsageError(f"{path}: cannot read ({error.strerror})") from None
