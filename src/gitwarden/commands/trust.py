"""`gitwarden.trust_init`, `gitwarden.trust_show`: the trust policy in the working tree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from gitwarden.commands.report_assembly import assemble_report, config_for
from gitwarden.config import Config
from gitwarden.errors import UsageError
from gitwarden.integrity import rules, trust_authoring
from gitwarden.integrity.trust_policy import TrustPolicy
from gitwarden.report.model import Report


@dataclass(frozen=True)
class TrustInitOptions:
    """``force``: replace an existing policy (refused otherwise)."""

    max_key_age_days: int | None = None
    force: bool = False
    today: date | None = None


@dataclass(frozen=True)
class TrustShowOptions:
    today: date | None = None


@dataclass(frozen=True)
class TrustPolicyResult:
    """The policy (as written or read), where it lives, and the (empty) report."""

    policy: TrustPolicy
    path: Path
    report: Report

    def as_dict(self) -> dict[str, object]:
        policy = self.policy
        return {
            "fingerprint": policy.policy_id,
            "principals": {
                p.name: [
                    {
                        "scheme": k.scheme,
                        "fingerprint": k.fingerprint,
                        "revoked": policy.revocation_of(p.name, k) is not None,
                    }
                    for k in p.keys
                ]
                for p in policy.principals
            },
            "rules": [
                {
                    "branches": r.branches,
                    "paths": r.paths,
                    "principals": r.principals,
                    "threshold": r.threshold,
                }
                for r in policy.rules
            ],
        }

    def as_text(self) -> str:
        policy = self.policy
        revoked_keys = {r.key for r in policy.revoked if r.key}
        revoked_people = {r.principal for r in policy.revoked if r.principal}
        lines = [f"policy fingerprint: {policy.policy_id}", "principals:"]
        for principal in policy.principals:
            lines.append(
                f"  {principal.name}" + (" (revoked)" if principal.name in revoked_people else "")
            )
            for key in principal.keys:
                state = " revoked" if key.fingerprint in revoked_keys else ""
                lines.append(f"    {key.scheme} {key.fingerprint}{state}")
        lines.append("rules:")
        for rule in policy.rules:
            lines.append(
                f"  {', '.join(rule.branches)} {', '.join(rule.paths)}: {rule.threshold} of "
                f"{', '.join(rule.principals)}"
            )
        return "\n".join(lines) + "\n"


def trust_init(
    target: Path, config: Config | None = None, options: TrustInitOptions | None = None
) -> TrustPolicyResult:
    """Write an empty trust policy into the working tree at ``target``."""
    options = options or TrustInitOptions()
    path = trust_authoring.policy_file(target)
    if path.exists() and not options.force:
        raise UsageError(f"{path} exists", hint="use --force to replace it")
    policy = trust_authoring.init(options.max_key_age_days)
    written = trust_authoring.save(target, policy)
    return TrustPolicyResult(policy, written, _report("trust init", target, config, options.today))


def trust_show(
    target: Path, config: Config | None = None, options: TrustShowOptions | None = None
) -> TrustPolicyResult:
    """The working tree's trust policy and its fingerprint."""
    options = options or TrustShowOptions()
    policy = trust_authoring.load(target)
    path = trust_authoring.policy_file(target)
    return TrustPolicyResult(policy, path, _report("trust show", target, config, options.today))


def _report(command: str, target: Path, config: Config | None, today: date | None) -> Report:
    return assemble_report(
        command,
        str(target),
        (),
        config=config_for(target, config),
        rules=rules.INTEGRITY_RULES,
        today=today,
    )
