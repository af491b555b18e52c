"""`gitwarden verify`: every commit and annotated tag reachable from the refs, judged by the
policy of its parent.

For each ref: the commits since the trust anchor are listed with their parents in one
``git rev-list``; the policy blob governing each (its first parent's
``.gitwarden/trust.yaml``) is resolved in one ``cat-file --batch-check``; commits already in
the cache are not read again; the rest are read in one ``cat-file --batch``, their changed
paths come from one ``diff-tree --stdin``, and their signatures are verified in-process.

Merge commits are judged on what they bring in: their diff against the first parent.
Paths no rule covers need a valid signature by any principal of the policy.

With an external trust root (keys or a whole policy given out of band, see external_trust)
that one policy judges every commit instead, and the history holds no root of trust.
This module returns findings and verdicts; the command above it builds the report.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from gitwarden.errors import ConfigError, UsageError
from gitwarden.findings import Finding, Location, Severity
from gitwarden.integrity import rules
from gitwarden.integrity.approvals import (
    NOTES_REF,
    CommitApproval,
    CommitApprovals,
    commit_approvals,
)
from gitwarden.integrity.external_trust import ExternalTrust
from gitwarden.integrity.local_state import state_file
from gitwarden.integrity.schemes import SchemeSet
from gitwarden.integrity.signature_verdict import SignatureStatus, SignatureVerdict, verdict_of
from gitwarden.integrity.signer_check import GIT_NAMESPACE, SignerCheck, check_signer
from gitwarden.integrity.trust_file import parse_trust_policy
from gitwarden.integrity.trust_policy import POLICY_PATH, TrustPolicy
from gitwarden.integrity.verify_cache import CachedFinding, VerifyCache, cache_key
from gitwarden.progress import SILENT, SILENT_STEP, Progress, ProgressStep, stage
from gitwarden.rules import Rule
from gitwarden.sources.git_commits import Commit, MalformedObjectError, parse_commit, parse_tag
from gitwarden.sources.git_repository import GitError, GitRepository

MAX_PATHS_IN_MESSAGE = 5
CACHE_FILE = "verify-cache.json"
RULES_BY_ID = {rule.id: rule for rule in rules.ALL_INTEGRITY_RULES}


@dataclass(frozen=True)
class HistoryRequest:
    """What to verify: the refs (default: the current branch), where to start, which root
    of trust (the history's own policies unless ``external`` is given)."""

    refs: tuple[str, ...] = ()
    trust_anchor: str | None = None
    policy_fingerprint: str | None = None
    external: ExternalTrust | None = None
    use_cache: bool = True
    now: datetime | None = None


@dataclass(frozen=True)
class HistoryVerification:
    """The findings of one verification and the verdict on each commit's own signature."""

    findings: tuple[Finding, ...]
    commits: int
    verdicts: tuple[SignatureVerdict, ...]


@dataclass
class _RefRun:
    ref: str
    findings: list[Finding] = field(default_factory=list)
    verdicts: list[SignatureVerdict] = field(default_factory=list)
    commits: int = 0


class _PolicyStore:
    """Policies by blob id, each parsed once; a broken one is remembered with its reason."""

    def __init__(self, repo: GitRepository) -> None:
        self.repo = repo
        self.policies: dict[str, TrustPolicy | ConfigError] = {}

    def load(self, blob_ids: Iterable[str]) -> None:
        wanted = sorted({b for b in blob_ids if b not in self.policies})
        for blob, obj in self.repo.read_objects(wanted).items():
            try:
                text = obj.data.decode("utf-8")
                self.policies[blob] = parse_trust_policy(text, f"{POLICY_PATH}@{blob[:12]}")
            except UnicodeDecodeError:
                self.policies[blob] = ConfigError("is not UTF-8", file=POLICY_PATH)
            except ConfigError as error:
                self.policies[blob] = error

    def get(self, blob: str) -> TrustPolicy | ConfigError:
        found = self.policies.get(blob)
        if found is None:
            self.load([blob])
            found = self.policies[blob]
        return found


def verify_history(
    repo: GitRepository, request: HistoryRequest, progress: Progress = SILENT
) -> HistoryVerification:
    """Verify the requested refs of ``repo``; the findings say what failed. ``progress``
    counts the commits judged (cached or not) against those the refs hold."""
    cache = VerifyCache(state_file(repo.git_dir, CACHE_FILE) if request.use_cache else None)
    refs = request.refs or (_current_ref(repo),)
    findings: list[Finding] = []
    if request.external is not None:
        findings.append(request.external.finding())
    verdicts: list[SignatureVerdict] = []
    commits = 0
    # Counting walks the commit graph once more: only when someone is watching.
    total = None if progress is SILENT else _commits_to_verify(repo, refs, request.trust_anchor)
    with stage(progress, "verifying commit signatures", total) as step:
        verifier = _Verifier(repo, request, cache, step)
        for ref in refs:
            run = verifier.verify_ref(ref)
            findings += _one_legacy_approval_finding(
                _one_absent_policy_finding(run.findings, ref), ref
            )
            verdicts += run.verdicts
            commits += run.commits
    cache.save()
    return HistoryVerification(tuple(findings), commits, tuple(verdicts))


def _commits_to_verify(
    repo: GitRepository, refs: Sequence[str], trust_anchor: str | None
) -> int | None:
    """The commits the refs hold since the anchor, counted up front for the bar (each ref
    is verified on its own, so a commit two refs share counts twice, as it is judged twice).
    None when git cannot count them: the verification then says what it could not read."""
    try:
        anchor = [f"^{repo.resolve(trust_anchor)}"] if trust_anchor else []
        return sum(
            int(repo.run("rev-list", "--count", _full_ref(repo, ref), *anchor, "--"))
            for ref in refs
        )
    except (GitError, ValueError):
        return None


def _one_absent_policy_finding(found: list[Finding], ref: str) -> list[Finding]:
    """The commits no trust policy governs, said once per ref with the way out.

    Still one high finding (nothing says who may sign, so nothing is reported clean), but
    not one per commit: a repository that never had a policy would otherwise bury every
    other finding under hundreds of identical ones.
    """
    absent = [f for f in found if f.details.get("policy") == "absent"]
    if len(absent) < 2:
        return found
    newest, oldest = absent[0].details["commit"], absent[-1].details["commit"]
    summary = _finding(
        rules.NO_TRUST_POLICY,
        absent[0].location.file,
        newest,
        f"{len(absent)} commits on {ref} (newest {newest[:12]}, oldest {oldest[:12]}) have no "
        f"{POLICY_PATH} governing them, so nothing says who may sign them. Create one with "
        "`gitwarden trust init`, commit it, and verify what follows with "
        "`gitwarden verify --trust-anchor <that commit>`.",
        {"policy": "absent", "commits": str(len(absent))},
    )
    rest = [f for f in found if f.details.get("policy") != "absent"]
    return [summary, *rest]


def _one_legacy_approval_finding(found: list[Finding], ref: str) -> list[Finding]:
    """Commits whose thresholds counted approvals from legacy git notes, said once per ref:
    the report marks them legacy without one more line per commit."""
    legacy = [f for f in found if f.rule_id == rules.LEGACY_APPROVAL.id]
    if not legacy:
        return found
    commits = [f.details["commit"] for f in legacy]
    approvers = sorted({n for f in legacy for n in f.details["approvers"].split(", ")})
    shown = ", ".join(c[:12] for c in commits[:MAX_PATHS_IN_MESSAGE])
    if len(commits) > MAX_PATHS_IN_MESSAGE:
        shown += f" and {len(commits) - MAX_PATHS_IN_MESSAGE} more"
    summary = rules.LEGACY_APPROVAL.finding(
        f"{len(commits)} commit(s) on {ref} ({shown}) count approvals by "
        f"{', '.join(approvers)} read from legacy git notes ({NOTES_REF}); record them again "
        "with `gitwarden trust approve`, which writes signed approval statements to "
        "refs/gitwarden/approvals",
        Location(file=ref),
        details={
            "ref": ref,
            "commits": ",".join(commits),
            "approvers": ", ".join(approvers),
            "source": NOTES_REF,
        },
    )
    return [*(f for f in found if f.rule_id != rules.LEGACY_APPROVAL.id), summary]


def verify_push(
    repo: GitRepository,
    ref: str,
    new: str,
    existing: Sequence[str],
    policy_fingerprint: str | None = None,
) -> list[Finding]:
    """Findings for the commits a push to ``ref`` brings in (those not reachable from
    ``existing``, the tips already in the repository); a new root commit's policy must
    have ``policy_fingerprint`` when one is pinned."""
    request = HistoryRequest(policy_fingerprint=policy_fingerprint)
    verifier = _Verifier(repo, request, VerifyCache(None))
    run = _RefRun(ref)
    try:
        if repo.read_object(new).kind == "tag":
            verifier.verify_tag(ref, new, repo.read_object(new).data, run)
            new = repo.resolve(new)
        verifier.verify_commits(ref, new, existing, run)
    except (GitError, MalformedObjectError) as error:
        run.findings.append(
            rules.HISTORY_UNAVAILABLE.finding(
                f"{ref}: cannot read the pushed history: {error}", Location(file=ref)
            )
        )
    return run.findings


def _current_ref(repo: GitRepository) -> str:
    name = repo.run("symbolic-ref", "-q", "HEAD", check=False).strip()
    if not name:
        raise UsageError("HEAD is detached: name the refs to verify (gitwarden verify main)")
    return name


def _full_ref(repo: GitRepository, ref: str) -> str:
    if ref.startswith("refs/"):
        return ref
    for candidate in (f"refs/heads/{ref}", f"refs/tags/{ref}", f"refs/remotes/{ref}"):
        if repo.object_ids([candidate]).get(candidate):
            return candidate
    raise UsageError(f"{ref}: no such branch or tag in {repo.path}")


def _finding(
    rule: Rule, ref: str, commit: str, message: str, details: dict[str, str] | None = None
) -> Finding:
    return rule.finding(
        message,
        Location(file=ref, resource=f"commit {commit[:12]}"),
        details={"commit": commit, "ref": ref, **(details or {})},
    )


class _Verifier:
    def __init__(
        self,
        repo: GitRepository,
        request: HistoryRequest,
        cache: VerifyCache,
        step: ProgressStep = SILENT_STEP,
    ) -> None:
        self.repo = repo
        self.step = step
        self.options = request
        self.cache = cache
        self.policies = _PolicyStore(repo)
        self.approvals: CommitApprovals = commit_approvals(repo)
        self.external = request.external
        # This run's verifiers: signatures checked ahead land here, never in module state.
        self.schemes = SchemeSet()

    def verify_ref(self, ref_name: str) -> _RefRun:
        """Verify one branch or tag since the trust anchor."""
        ref = _full_ref(self.repo, ref_name)
        run = _RefRun(ref)
        try:
            self._verify_ref(ref, run)
        except (GitError, MalformedObjectError) as error:
            partial = (
                "partial clone: objects are missing and gitwarden never fetches them; "
                if self.repo.is_partial()
                else ""
            )
            run.findings.append(
                rules.HISTORY_UNAVAILABLE.finding(
                    f"{ref}: cannot read the history to verify it: {partial}{error}",
                    Location(file=ref),
                    details={"ref": ref},
                )
            )
        return run

    def _verify_ref(self, ref: str, run: _RefRun) -> None:
        repo = self.repo
        if self.repo.is_shallow():
            shallow = (repo.git_dir / "shallow").read_text().split()
            raise GitError(
                f"the repository is a shallow clone; history before {len(shallow)} "
                f"grafted commit(s) ({shallow[0][:12]}...) is missing"
            )
        tip = repo.object_ids([ref])[ref]
        if tip is None:
            raise GitError(f"{ref} does not exist")
        tip_object = repo.read_object(tip)
        if tip_object.kind == "tag":
            self.verify_tag(ref, tip, tip_object.data, run)
            tip = repo.resolve(tip)
        anchor = repo.resolve(self.options.trust_anchor) if self.options.trust_anchor else None
        if anchor and not repo.is_ancestor(anchor, tip):
            raise UsageError(
                f"--trust-anchor {self.options.trust_anchor} is not in {ref}'s history"
            )
        self.verify_commits(ref, tip, [anchor] if anchor else [], run)

    def verify_commits(self, ref: str, tip: str, exclude: Sequence[str], run: _RefRun) -> None:
        """Verify the commits reachable from ``tip`` and from none of ``exclude``."""
        repo = self.repo
        lines = repo.run(
            "rev-list",
            "--topo-order",
            "--reverse",
            "--parents",
            tip,
            *(f"^{e}" for e in exclude),
            "--",
        ).splitlines()
        # Object ids are 40 (SHA-1) or 64 (SHA-256) hex digits: split, never slice.
        parents = {ids[0]: tuple(ids[1:]) for ids in (line.split() for line in lines) if ids}
        order = list(parents)
        run.commits += len(order)
        governing = {c: (ps[0] if ps else c) for c, ps in parents.items()}
        blobs: dict[str, str | None]
        tip_policy: TrustPolicy | None
        if self.external is not None:
            # One policy for every commit: its id stands where the policy blob would.
            fixed = self.external.policy
            blobs = {f"{g}:{POLICY_PATH}": fixed.policy_id for g in governing.values()}
            tip_policy = self._external_tip_policy(fixed, ref, run)
        else:
            policy_names = [f"{g}:{POLICY_PATH}" for g in governing.values()]
            blobs = repo.object_ids(sorted(set(policy_names)))
            tip_blob = repo.object_ids([f"{tip}:{POLICY_PATH}"])[f"{tip}:{POLICY_PATH}"]
            tip_policy = self._tip_policy(tip_blob, ref, run)
        # The root commit's verdict depends on the pinned fingerprint: it is part of the key.
        revocations = f"{_revocation_digest(tip_policy)}|{self.options.policy_fingerprint or ''}"
        todo: list[str] = []
        keys: dict[str, str] = {}
        for oid in order:
            blob = blobs[f"{governing[oid]}:{POLICY_PATH}"] or "-"
            key = cache_key(oid, blob, revocations, ref, self.approvals.digest(oid))
            keys[oid] = key
            cached = self.cache.get(key)
            if cached is None:
                todo.append(oid)
            else:
                (status, key_id, author), cached_findings = cached
                run.verdicts.append(
                    SignatureVerdict(oid, ref, SignatureStatus(status), key_id, author)
                )
                run.findings += [self._from_cache(ref, oid, c) for c in cached_findings]
        self.step.advance(len(order) - len(todo))
        if self.external is None:
            self.policies.load(b for b in blobs.values() if b)
        objects = repo.read_objects(todo)
        commits = {c: parse_commit(c, objects[c].data) for c in todo}
        del objects
        # Worker processes check signatures and git computes the changed paths while this
        # process judges the commits whose signatures are already checked. The workers are
        # forked first, while this process has no other thread.
        ahead = self.schemes.check_ahead(
            [
                (c, commits[c].signed.payload, signature, GIT_NAMESPACE)
                for c in todo
                if (signature := commits[c].signed.signature) is not None
            ]
        )
        with ThreadPoolExecutor(max_workers=1) as background:
            diff = background.submit(
                repo.changed_paths, [(c, commits[c].first_parent) for c in todo]
            )
            changed = diff.result()
            for commit_id in todo:
                ahead.wait_for(commit_id)
                commit = commits[commit_id]
                policy_blob = blobs[f"{governing[commit_id]}:{POLICY_PATH}"]
                approvals = self.approvals.of(commit_id)
                found, verdict = self._judge(
                    ref,
                    commit,
                    policy_blob,
                    not commit.parents,
                    changed[commit_id],
                    approvals,
                    tip_policy,
                )
                self.cache.put(
                    keys[commit_id],
                    (verdict.status, verdict.key, verdict.author),
                    [_to_cache(f) for f in found],
                )
                run.findings += found
                run.verdicts.append(verdict)
                self.step.advance()
            ahead.finish()
        # Outcomes not consumed (a signature by a key no policy holds) go with the batch.
        self.schemes = SchemeSet()

    def _external_tip_policy(self, policy: TrustPolicy, ref: str, run: _RefRun) -> TrustPolicy:
        run.findings += key_age_findings(policy, self.options.now or datetime.now(UTC), ref)
        return policy

    def _policy_for(self, blob: str) -> TrustPolicy | ConfigError:
        if self.external is not None:
            return self.external.policy
        return self.policies.get(blob)

    def _tip_policy(self, blob: str | None, ref: str, run: _RefRun) -> TrustPolicy | None:
        if blob is None:
            return None
        policy = self.policies.get(blob)
        if isinstance(policy, ConfigError):
            return None
        run.findings += key_age_findings(policy, self.options.now or datetime.now(UTC), ref)
        return policy

    def verify_tag(self, ref: str, oid: str, data: bytes, run: _RefRun) -> None:
        tag = parse_tag(oid, data)
        name = f"{tag.target}:{POLICY_PATH}"
        policy: TrustPolicy | ConfigError | None
        if self.external is not None:
            policy = self.external.policy
        else:
            blob = self.repo.object_ids([name])[name]
            policy = self.policies.get(blob) if blob else None
        if not isinstance(policy, TrustPolicy):
            run.findings.append(
                _finding(
                    rules.NO_TRUST_POLICY,
                    ref,
                    oid,
                    f"tag {tag.name}: its target holds no valid {POLICY_PATH}",
                    {"object": "tag"},
                )
            )
            return
        check = check_signer(
            tag.signed.payload,
            tag.signed.signature,
            policy,
            signed_at=tag.tagged_at,
            schemes=self.schemes,
        )
        if check.problem is not None:
            run.findings.append(
                _finding(
                    check.problem,
                    ref,
                    oid,
                    f"tag {tag.name}: {check.reason}",
                    {"object": "tag", **_signer_details(check)},
                )
            )

    def _judge(
        self,
        ref: str,
        commit: Commit,
        blob: str | None,
        is_root: bool,
        paths: Sequence[str],
        approvals: Sequence[CommitApproval],
        tip_policy: TrustPolicy | None,
    ) -> tuple[list[Finding], SignatureVerdict]:
        oid = commit.oid
        summary = commit.summary[:72]
        author = commit.author_identity
        if blob is None:
            where = "its own tree" if is_root else f"its parent {commit.first_parent or ''}"[:24]
            return [
                _finding(
                    rules.NO_TRUST_POLICY,
                    ref,
                    oid,
                    f"{summary!r}: {where} holds no {POLICY_PATH}",
                    {"policy": "absent"},
                )
            ], SignatureVerdict(oid, ref, SignatureStatus.UNCHECKED, None, author)
        policy = self._policy_for(blob)
        if isinstance(policy, ConfigError):
            return [
                _finding(
                    rules.NO_TRUST_POLICY,
                    ref,
                    oid,
                    f"{summary!r}: the governing policy is invalid: {policy.message}",
                )
            ], SignatureVerdict(oid, ref, SignatureStatus.UNCHECKED, None, author)
        found: list[Finding] = []
        if is_root and self.external is None:
            found += self._root_findings(ref, oid, policy)
        check = check_signer(
            commit.signed.payload,
            commit.signed.signature,
            policy,
            signed_at=commit.committed_at,
            revocations=tip_policy,
            schemes=self.schemes,
        )
        verdict = verdict_of(check, oid, ref, author)
        signers: set[str] = set()
        if check.problem is not None:
            found.append(
                _finding(
                    check.problem,
                    ref,
                    oid,
                    f"{summary!r}: {check.reason}",
                    {"author": author, **_signer_details(check)},
                )
            )
        elif check.principal:
            signers.add(check.principal)
        by_source: dict[bool, set[str]] = {True: set(), False: set()}
        for approval in approvals:
            # A DSSE approval binds the tree too: it approves this content, nothing else.
            if approval.tree is not None and approval.tree != commit.tree:
                continue
            approved = check_signer(
                approval.payload,
                approval.signature,
                policy,
                signed_at=commit.committed_at,
                revocations=tip_policy,
                namespace=approval.namespace,
                schemes=self.schemes,
            )
            if approved.problem is None and approved.principal:
                by_source[approval.legacy].add(approved.principal)
        signers |= by_source[False] | by_source[True]
        if not signers:
            return found, verdict
        found += _rule_findings(ref, commit, policy, paths, signers)
        # Counted only through a legacy note: said, so the approval is recorded again.
        legacy = by_source[True] - by_source[False] - {check.principal}
        if legacy:
            found.append(_legacy_approval_finding(ref, commit, legacy))
        return found, verdict

    def _root_findings(self, ref: str, oid: str, policy: TrustPolicy) -> list[Finding]:
        pinned = self.options.policy_fingerprint
        if pinned is None:
            return [
                _finding(
                    rules.TRUST_ON_FIRST_USE,
                    ref,
                    oid,
                    f"the root commit's own policy {policy.policy_id} is trusted on first "
                    "use; pin it with --policy-fingerprint or --trust-anchor",
                    {"policy": policy.policy_id},
                )
            ]
        if pinned != policy.policy_id:
            return [
                _finding(
                    rules.TRUST_ROOT_MISMATCH,
                    ref,
                    oid,
                    f"the root commit's policy is {policy.policy_id}, not the pinned {pinned}",
                    {"policy": policy.policy_id},
                )
            ]
        return []

    def _from_cache(self, ref: str, commit: str, cached: CachedFinding) -> Finding:
        rule_id, severity, message, details = cached
        finding = _finding(RULES_BY_ID[rule_id], ref, commit, message, details)
        return finding.with_severity(Severity(severity))


def _rule_findings(
    ref: str, commit: Commit, policy: TrustPolicy, paths: Sequence[str], signers: set[str]
) -> list[Finding]:
    found: list[Finding] = []
    summary = commit.summary[:72]
    # Paths no rule covers need only a valid signature by a principal, which ``signers``
    # already is.
    signer_text = ", ".join(sorted(signers))
    by_rule: dict[int, list[str]] = {}
    for path in paths:
        for rule in policy.rules_for(ref, path):
            by_rule.setdefault(policy.rules.index(rule), []).append(path)
    for index, rule_paths in sorted(by_rule.items()):
        rule = policy.rules[index]
        allowed = signers & set(rule.principals)
        if len(allowed) >= rule.threshold:
            continue
        shown = ", ".join(rule_paths[:MAX_PATHS_IN_MESSAGE])
        if len(rule_paths) > MAX_PATHS_IN_MESSAGE:
            shown += f" and {len(rule_paths) - MAX_PATHS_IN_MESSAGE} more"
        who = ", ".join(rule.principals)
        details = {"signers": signer_text, "rule": str(index), "paths": shown}
        if not allowed and rule.threshold == 1:
            found.append(
                _finding(
                    rules.SIGNER_NOT_ALLOWED,
                    ref,
                    commit.oid,
                    f"{summary!r}: signed by {signer_text}, but {shown} on {ref} "
                    f"may only be changed by {who}",
                    details,
                )
            )
        else:
            found.append(
                _finding(
                    rules.THRESHOLD_NOT_MET,
                    ref,
                    commit.oid,
                    f"{summary!r}: {shown} needs {rule.threshold} of {who}; "
                    f"allowed signers: {', '.join(sorted(allowed)) or 'none'}",
                    details,
                )
            )
    return found


def _legacy_approval_finding(ref: str, commit: Commit, approvers: set[str]) -> Finding:
    names = ", ".join(sorted(approvers))
    return _finding(
        rules.LEGACY_APPROVAL,
        ref,
        commit.oid,
        f"{commit.summary[:72]!r}: the approval by {names} counted from a legacy git note "
        f"({NOTES_REF}); record it again with `gitwarden trust approve`",
        {"approvers": names, "source": NOTES_REF},
    )


def key_age_findings(policy: TrustPolicy, now: datetime, ref: str) -> list[Finding]:
    """Keys of the newest policy past, or close to, the maximum key age."""
    found: list[Finding] = []
    for principal in policy.principals:
        for key in principal.keys:
            expiry = policy.key_expiry(key)
            if expiry is None or policy.revocation_of(principal.name, key):
                continue
            location = Location(file=POLICY_PATH, resource=f"principal {principal.name}")
            details = {"principal": principal.name, "key": key.fingerprint, "ref": ref}
            if now >= expiry:
                found.append(
                    rules.KEY_TOO_OLD.finding(
                        f"{principal.name}'s key {key.fingerprint} passed the maximum key age on "
                        f"{expiry.date().isoformat()}: commits it signs now fail",
                        location,
                        details=details,
                    )
                )
            elif now >= expiry - timedelta(days=policy.key_age_warning_days):
                found.append(
                    rules.KEY_AGE_WARNING.finding(
                        f"{principal.name}'s key {key.fingerprint} reaches the maximum key age on "
                        f"{expiry.date().isoformat()}: rotate it",
                        location,
                        details=details,
                    )
                )
    return found


def _signer_details(check: SignerCheck) -> dict[str, str]:
    details = {}
    if check.principal:
        details["signer"] = check.principal
    if check.key:
        details["key"] = check.key
    return details


def _revocation_digest(policy: TrustPolicy | None) -> str:
    if policy is None:
        return "-"
    text = "\n".join(f"{r.key}|{r.principal}" for r in policy.revoked)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _to_cache(finding: Finding) -> CachedFinding:
    details = {k: v for k, v in finding.details.items() if k not in ("commit", "ref")}
    return (finding.rule_id, finding.severity.value, finding.message, details)
