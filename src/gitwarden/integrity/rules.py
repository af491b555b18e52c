"""The integrity rules: signed history under the trust policy, and the ref-state ledger."""

from __future__ import annotations

from gitwarden.findings import Severity
from gitwarden.rules import Rule

FAMILY = "integrity"
LEDGER_FAMILY = "ledger"
GIT_SIGNING_URL = "https://git-scm.com/book/en/v2/Git-Tools-Signing-Your-Work"
SSHSIG_URL = "https://github.com/openssh/openssh-portable/blob/master/PROTOCOL.sshsig"
SLSA_SOURCE_URL = "https://slsa.dev/spec/v1.1/source-requirements"
OPENPGP_URL = "https://www.rfc-editor.org/rfc/rfc4880#section-5.2.3.6"
ALLOWED_SIGNERS_URL = "https://man.openbsd.org/ssh-keygen#ALLOWED_SIGNERS"

UNSIGNED_COMMIT = Rule(
    id="unsigned-commit",
    family=FAMILY,
    severity=Severity.HIGH,
    title="Commit or tag is not signed",
    rationale=(
        "Anyone who can push can write any author name; only a signature ties a change to a "
        "key the trust policy names."
    ),
    remediation="Sign commits (git config commit.gpgsign true) and re-create the commit signed.",
    references=(GIT_SIGNING_URL,),
)
BAD_SIGNATURE = Rule(
    id="bad-signature",
    family=FAMILY,
    severity=Severity.CRITICAL,
    title="Signature does not verify or uses a refused algorithm",
    rationale=(
        "A signature that does not match the commit means the commit was altered after "
        "signing, or the signature was forged or copied; SHA-1 signatures can be forged."
    ),
    remediation="Find out who produced this commit; re-sign it with an allowed key (rsa-sha2-*, "
    "ed25519, ecdsa) if it is genuine.",
    references=(SSHSIG_URL,),
)
UNKNOWN_SIGNER = Rule(
    id="unknown-signer",
    family=FAMILY,
    severity=Severity.HIGH,
    title="Signed by a key the trust policy does not know",
    rationale="A valid signature by an unknown key proves nothing about who made the change.",
    remediation="Add the key with `gitwarden trust add NAME --key FILE` (in a commit that the "
    "current policy allows), or re-sign with a known key.",
)
REVOKED_KEY = Rule(
    id="revoked-key",
    family=FAMILY,
    severity=Severity.CRITICAL,
    title="Signed by a revoked key",
    rationale="Revoked keys may be in an attacker's hands; revocation applies to the whole "
    "history, since a stolen key can sign with any date.",
    remediation="Review the commit; if genuine, re-sign it with a current key.",
)
KEY_NOT_VALID = Rule(
    id="key-outside-validity",
    family=FAMILY,
    severity=Severity.HIGH,
    title="Signed outside the key's validity window",
    rationale="The policy limits when a key may sign (valid_after/valid_before), as git's "
    "allowed_signers does.",
    remediation="Re-sign with a key valid at the commit time, or correct the key's window.",
)
CERTIFICATE_EXPIRED = Rule(
    id="certificate-expired",
    family=FAMILY,
    severity=Severity.HIGH,
    title="Signed after the OpenPGP certificate (or its signing subkey) expired",
    rationale="An OpenPGP certificate states until when its key may sign; git shows such "
    "signatures as Y (expired key). A signature made before the expiry stays valid.",
    remediation="Extend the certificate's expiry and re-publish it, or re-sign with a key that "
    "is valid now.",
    references=(OPENPGP_URL,),
)
KEY_TOO_OLD = Rule(
    id="key-too-old",
    family=FAMILY,
    severity=Severity.HIGH,
    title="Key is past the policy's maximum key age",
    rationale="Long-lived keys accumulate exposure; the policy requires rotation.",
    remediation="Rotate: add a new key with `gitwarden trust add`, revoke the old one.",
)
KEY_AGE_WARNING = Rule(
    id="key-age-warning",
    family=FAMILY,
    severity=Severity.MEDIUM,
    title="Key will soon pass the policy's maximum key age",
    rationale="Rotating before the deadline avoids blocked deployments.",
    remediation="Add a new key with `gitwarden trust add` and revoke the old one.",
)
SIGNER_NOT_ALLOWED = Rule(
    id="signer-not-allowed",
    family=FAMILY,
    severity=Severity.HIGH,
    title="Signer is not allowed to change this branch or path",
    rationale="The trust policy limits who may change which branches and paths (production "
    "clusters, the policy itself).",
    remediation="Have an allowed principal sign or approve the change, or change the rule in "
    "a commit the current policy allows.",
)
THRESHOLD_NOT_MET = Rule(
    id="threshold-not-met",
    family=FAMILY,
    severity=Severity.HIGH,
    title="Fewer allowed signers than the rule's threshold",
    rationale="Some paths need k of n principals so that one stolen key cannot change them.",
    remediation="Collect approvals: `gitwarden trust approve COMMIT --signing-key FILE` by "
    "other allowed principals (stored in refs/notes/gitwarden-approvals).",
)
NO_TRUST_POLICY = Rule(
    id="no-trust-policy",
    family=FAMILY,
    severity=Severity.HIGH,
    title="No valid trust policy governs the commit",
    rationale="The parent commit holds no readable .gitwarden/trust.yaml, so nothing says "
    "who may sign; gitwarden fails closed.",
    remediation="Create one with `gitwarden trust init` and anchor verification after it.",
)
TRUST_ON_FIRST_USE = Rule(
    id="trust-on-first-use",
    family=FAMILY,
    severity=Severity.MEDIUM,
    title="Root of trust is only trusted on first use",
    rationale="Without --trust-anchor or --policy-fingerprint, the first policy in history is "
    "taken on faith: whoever wrote the repository's first commit chose it.",
    remediation="Pin the policy: `gitwarden verify --policy-fingerprint sha256:...` (from "
    "`gitwarden trust show`) or `--trust-anchor COMMIT`.",
)
TRUST_ROOT_MISMATCH = Rule(
    id="trust-root-mismatch",
    family=FAMILY,
    severity=Severity.CRITICAL,
    title="History starts from a policy other than the pinned one",
    rationale="The first policy in history is not the pinned policy: the root of trust was "
    "replaced, or the history is not the one expected.",
    remediation="Check where the history came from; pin the right policy fingerprint.",
)
TRUST_ROOT_OUT_OF_BAND = Rule(
    id="trust-root-out-of-band",
    family=FAMILY,
    severity=Severity.INFO,
    title="Root of trust supplied out of band",
    rationale="With --keys or --policy the keys or policy given on the command line judge "
    "every commit; the repository's own .gitwarden/trust.yaml is not consulted, so whoever "
    "controls that file or key list controls the verdict.",
    remediation="Keep the key list or policy where the repository's writers cannot change it, "
    "and pin its fingerprint in the deployment that runs the verification.",
    references=(ALLOWED_SIGNERS_URL,),
)
UNSUPPORTED_SIGNATURE_SCHEME = Rule(
    id="unsupported-signature-scheme",
    family=FAMILY,
    severity=Severity.HIGH,
    title="Signature made with a scheme gitwarden does not verify",
    rationale="A signature gitwarden cannot check proves nothing to it; it fails closed "
    "rather than calling the commit signed.",
    remediation="Sign with a supported key type (ed25519, ecdsa, rsa-sha2-*, the FIDO sk-* "
    "types, or OpenPGP).",
    references=(SSHSIG_URL,),
)
HISTORY_UNAVAILABLE = Rule(
    id="history-unavailable",
    family=FAMILY,
    severity=Severity.HIGH,
    title="History cannot be verified: objects missing (shallow or partial clone)",
    rationale="What cannot be read cannot be verified; gitwarden never passes it.",
    remediation="Fetch the full history (git fetch --unshallow; a clone without --filter), or "
    "anchor verification at a commit inside the available history.",
)
LEGACY_APPROVAL = Rule(
    id="legacy-approval-note",
    family=FAMILY,
    severity=Severity.INFO,
    title="A k-of-n approval was counted from a legacy git note",
    rationale="Approvals in refs/notes/gitwarden-approvals sign the commit id only, with no "
    "message, tree or target branch; they still count when their signature verifies, but "
    "new approvals are signed in-toto statements bound to the commit and its tree.",
    remediation="Have the approver run `gitwarden trust approve COMMIT --signing-key FILE` "
    "(or --gpg-key) and push refs/gitwarden/approvals.",
)
INTEGRITY_RULES = (
    UNSIGNED_COMMIT,
    BAD_SIGNATURE,
    UNKNOWN_SIGNER,
    REVOKED_KEY,
    KEY_NOT_VALID,
    CERTIFICATE_EXPIRED,
    KEY_TOO_OLD,
    KEY_AGE_WARNING,
    SIGNER_NOT_ALLOWED,
    THRESHOLD_NOT_MET,
    NO_TRUST_POLICY,
    TRUST_ON_FIRST_USE,
    TRUST_ROOT_MISMATCH,
    TRUST_ROOT_OUT_OF_BAND,
    UNSUPPORTED_SIGNATURE_SCHEME,
    HISTORY_UNAVAILABLE,
    LEGACY_APPROVAL,
)

FORCE_PUSH = Rule(
    id="ledger-force-push",
    family=LEDGER_FAMILY,
    severity=Severity.CRITICAL,
    title="Protected branch was force-pushed",
    rationale="The branch's tip no longer descends from the recorded tip: history was "
    "rewritten, and commits that were deployed may be gone.",
    remediation="Restore the recorded tip from a mirror, or record a signed "
    "`gitwarden ledger accept-rewrite REF` if the rewrite was intended.",
    references=(SLSA_SOURCE_URL,),
)
REF_DELETED = Rule(
    id="ledger-ref-deleted",
    family=LEDGER_FAMILY,
    severity=Severity.CRITICAL,
    title="Protected ref was deleted",
    rationale="A recorded protected branch or tag is gone.",
    remediation="Restore it from the recorded commit id, or record a signed accept-rewrite.",
)
TAG_MOVED = Rule(
    id="ledger-tag-moved",
    family=LEDGER_FAMILY,
    severity=Severity.CRITICAL,
    title="Tag points somewhere else than recorded",
    rationale="Tags name releases; a moved tag deploys different code under the same name.",
    remediation="Restore the tag to the recorded object, or record a signed accept-rewrite.",
)
HISTORY_LOST = Rule(
    id="ledger-history-lost",
    family=LEDGER_FAMILY,
    severity=Severity.CRITICAL,
    title="A recorded commit is no longer in the repository",
    rationale="The repository lost (or never had) a commit the ledger recorded.",
    remediation="Restore the objects from a mirror or backup.",
)
LEDGER_TAMPERED = Rule(
    id="ledger-tampered",
    family=LEDGER_FAMILY,
    severity=Severity.CRITICAL,
    title="Ledger chain broken: truncated, reordered, altered or badly signed",
    rationale="The ledger is append-only and hash-chained; any break means someone rewrote "
    "the record of what the refs were.",
    remediation="Compare with the exported ledger or a mirror; restore refs/gitwarden/ledger.",
)
UNKNOWN_RECORDER = Rule(
    id="ledger-unknown-recorder",
    family=LEDGER_FAMILY,
    severity=Severity.CRITICAL,
    title="Ledger entry signed by a key not allowed to record",
    rationale="Only the policy's ledger recorders may append entries.",
    remediation="Add the recorder to ledger_recorders, or find out who wrote the entry.",
)
MIRROR_DIVERGENCE = Rule(
    id="ledger-mirror-divergence",
    family=LEDGER_FAMILY,
    severity=Severity.HIGH,
    title="Repository and mirror disagree",
    rationale="The mirror holds commits the repository lost, or the repository holds refs the "
    "mirror never saw.",
    remediation="Find out which side was changed and restore it.",
)
LEDGER_MISSING = Rule(
    id="ledger-missing",
    family=LEDGER_FAMILY,
    severity=Severity.HIGH,
    title="No ref-state ledger",
    rationale="Without a ledger, force pushes, deletions and moved tags go unnoticed.",
    remediation="Record one: `gitwarden ledger record --signing-key FILE`.",
)
LEDGER_RULES = (
    FORCE_PUSH,
    REF_DELETED,
    TAG_MOVED,
    HISTORY_LOST,
    LEDGER_TAMPERED,
    UNKNOWN_RECORDER,
    MIRROR_DIVERGENCE,
    LEDGER_MISSING,
)
ALL_INTEGRITY_RULES = INTEGRITY_RULES + LEDGER_RULES
