"""Every shell example of the README runs as written, in a temporary repository with real keys.

Each line of each ``sh`` block runs in bash, in order, in one sandbox: a Git repository with
the files the examples name, a HOME with SSH keys and git signing configured, tags and an
``origin/main``. A line passes when gitwarden decided (exit 0 or 1); a usage error (2), an
internal error (3) or a missing command fails the test, naming the line.

Two kinds of lines are not run verbatim, each listed below with its reason: placeholders
(a fingerprint the reader fills in, a server path) are replaced by the sandbox's real value,
and lines that need what this machine lacks (a container engine, a forge on the network, a
syslog socket) are skipped. Both lists must match the README, so they cannot go stale.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from gitwarden.attestation.signing_keys import load_signing_key
from gitwarden.audit.entries import EntryDraft, EntryKind
from gitwarden.commands.audit import record_audit_entry
from secrets_values import GITHUB_TOKEN

README = Path(__file__).resolve().parents[1] / "README.md"
VENV_BIN = Path(sys.executable).parent

# What the reader fills in -> what the sandbox has.
PLACEHOLDERS = {
    "sha256:…": '"$(gitwarden trust show --format json | python3 -c '
    '\'import json,sys; print(json.load(sys.stdin)["fingerprint"])\')"',
    "--trust-anchor 4f2a9c1": '--trust-anchor "$(git rev-list --max-parents=0 HEAD)"',
    "trace 3f2a1c9": 'trace "$(git rev-parse HEAD)"',
    "--rev 3f2a1c9": '--rev "$(git rev-parse HEAD)"',
    "/srv/git/gitops.git": "$SANDBOX/srv/gitops.git",
    "/backups/gitops.git": "$SANDBOX/backups/gitops.git",
    # The policy a reader keeps outside the repository: here, the one the examples wrote.
    "/etc/gitwarden/prod-trust.yaml": ".gitwarden/trust.yaml",
    "/etc/gitwarden/": "$SANDBOX/etc/",
    # A change to review: the sandbox's last commit.
    "main..feature": "HEAD~1..HEAD --branch main",
    "--signing-key KEY": "--signing-key ~/.ssh/id_ed25519",
    "--signing-key K": "--signing-key ~/.ssh/id_ed25519",
}
# Lines that cannot run here, by how they start.
NOT_RUN_HERE = {
    "python3 -m venv": "installs gitwarden and runs this test suite",
    "docker ": "no container engine on this machine",
    "GITHUB_TOKEN=... gitwarden forge audit": "needs a forge on the network and a token",
    "gitwarden forge audit --forge gitlab": "needs a forge on the network",
    "gitwarden forge audit --forge-data audit/": "replays what the line above saved",
    "gitwarden audit export --syslog": "no syslog socket (/dev/log) on this machine",
    "git push origin refs/gitwarden/approvals": "the sandbox has no remote to push to",
    "gitwarden gate --rev 3f2a1c9 --env prod --signing-key /etc/gitwarden/gate": (
        "records into /var/lib/gitwarden; the gate runs end to end in tests/gate"
    ),
    "--attest decision.intoto.json": "continues the gate line above",
    "gitwarden gate --rev HEAD --env prod": "needs a declared environment; see tests/gate",
    "gitwarden gate --rev v1.4.0": "needs a recorded deployment to roll back; see tests/gate",
    "gitwarden drift --repo . --context": "needs a Kubernetes API server",
    "gitwarden drift --repo . --kubeconfig": "needs a Kubernetes API server",
    "--resource=": "continues the `kubectl create clusterrole` line, which needs a cluster",
}

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: apps
spec:
  containers:
    - name: web
      image: nginx:1.27
"""
REGO_POLICY = """\
package main

import rego.v1

deny contains msg if {
  input.kind == "Pod"
  not input.metadata.labels.team
  msg := "every Pod needs a team label"
}
"""
REGO_TEST = """\
package main

import rego.v1

test_pod_without_team_is_denied if {
  count(deny) == 1 with input as {"kind": "Pod", "metadata": {}}
}
"""


def shell_lines() -> list[str]:
    """Every command line of the README's sh blocks, comments and blank lines dropped."""
    lines: list[str] = []
    for block in re.findall(r"^```sh\n(.*?)^```", README.read_text(), re.MULTILINE | re.DOTALL):
        for line in block.splitlines():
            command = re.sub(r"\s+#\s.*$", "", line).strip()
            if command and not command.startswith("#"):
                lines.append(command)
    return lines


def run(argv: list[str], cwd: Path, env: dict[str, str]) -> None:
    subprocess.run(argv, cwd=cwd, env=env, check=True, capture_output=True)


def keygen(path: Path) -> Path:
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", path.name, "-f", str(path)],
        check=True,
    )
    return path


def make_sandbox(root: Path) -> tuple[Path, dict[str, str]]:
    home = root / "home"
    ssh = home / ".ssh"
    ssh.mkdir(parents=True)
    alice = keygen(ssh / "id_ed25519")
    keygen(ssh / "bob")
    keygen(ssh / "recorder")
    for folder in (
        ".local/share/bash-completion/completions",
        ".zfunc",
        ".config/fish/completions",
    ):
        (home / folder).mkdir(parents=True)
    gitconfig = home / ".gitconfig"
    gitconfig.write_text(
        "[user]\n\tname = Alice\n\temail = alice@example.com\n"
        f"\tsigningkey = {alice}\n[gpg]\n\tformat = ssh\n[init]\n\tdefaultBranch = main\n"
    )
    env = {
        **os.environ,
        "HOME": str(home),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": str(gitconfig),
        "PATH": f"{VENV_BIN}:{os.environ['PATH']}",
        "GITWARDEN_STATE_DIR": str(root / "state"),
        "SANDBOX": str(root),
        "NO_COLOR": "1",
    }
    repo = root / "repo"
    files = {
        "clusters/prod/web.yaml": POD,
        "deploy/pod.yaml": POD,
        "apps/web/deployment.yaml": POD,
        "apps/db/pod.yaml": POD.replace("name: web", "name: db"),
        "app.env": f"TOKEN={GITHUB_TOKEN}\n",
    }
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    for folder in (root / "org-policies", repo / "p"):
        folder.mkdir()
        (folder / "pods.rego").write_text(REGO_POLICY)
        (folder / "pods_test.rego").write_text(REGO_TEST)
    run(["git", "init", "-q"], repo, env)
    run(["git", "add", "-A"], repo, env)
    for tag in ("v1.0.0", "v1.2.0", "v1.4.0"):
        run(["git", "commit", "-q", "-S", "--allow-empty", "-m", tag], repo, env)
        run(["git", "tag", tag], repo, env)
    run(["git", "update-ref", "refs/remotes/origin/main", "HEAD"], repo, env)
    (root / "srv").mkdir()
    run(["git", "clone", "-q", "--bare", str(repo), str(root / "srv" / "gitops.git")], root, env)
    (root / "backups").mkdir()
    run(["git", "clone", "-q", "--mirror", str(repo), str(root / "backups/gitops.git")], root, env)
    etc = root / "etc"
    etc.mkdir()
    (etc / "recorder").write_bytes((ssh / "recorder").read_bytes())
    (etc / "recorder").chmod(0o600)
    # The verify examples name key files and a policy a reader has; the sandbox has them too.
    (repo / "allowed_signers").write_text(
        f"alice@example.com {(ssh / 'id_ed25519.pub').read_text()}"
    )
    (repo / "github-web-flow.asc").write_text(armored_openpgp_key(root / "gnupg"))
    (repo / "argocd-gpg-keys-cm.yaml").write_text(argocd_keys_configmap(root / "gnupg"))
    gate = keygen(repo / "gate")
    decision = EntryDraft(
        kind=EntryKind.GATE_DECISION,
        repository="git@example.com:org/deploy.git",
        environment="prod",
        revision="a" * 40,
        payload={"decision": "allow"},
    )
    record_audit_entry(f"sqlite:///{root / 'state' / 'audit.db'}", decision, load_signing_key(gate))
    (repo / "decision.intoto.json").write_text("{}")
    return repo, env


def armored_openpgp_key(home: Path) -> str:
    home.mkdir(mode=0o700, exist_ok=True)
    env = {**os.environ, "GNUPGHOME": str(home)}
    if not list(home.glob("pubring.kbx")):
        subprocess.run(
            [
                "gpg",
                "--batch",
                "--passphrase",
                "",
                "--quick-gen-key",
                "web-flow@example.com",
                "ed25519",
                "sign",
                "never",
            ],
            env=env,
            check=True,
            capture_output=True,
        )
    done = subprocess.run(
        ["gpg", "--batch", "--armor", "--export", "web-flow@example.com"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def argocd_keys_configmap(home: Path) -> str:
    armored = armored_openpgp_key(home)
    indented = "".join(f"    {line}\n" for line in armored.splitlines())
    return (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-gpg-keys-cm\n"
        f"  namespace: argocd\ndata:\n  WEBFLOW: |\n{indented}"
    )


def as_run_here(line: str) -> str:
    for placeholder, value in PLACEHOLDERS.items():
        line = line.replace(placeholder, value)
    return line


def test_every_placeholder_and_exception_is_in_the_readme() -> None:
    lines = shell_lines()
    for placeholder in PLACEHOLDERS:
        assert any(placeholder in line for line in lines), placeholder
    for prefix in NOT_RUN_HERE:
        assert any(line.startswith(prefix) for line in lines), prefix


def test_every_shell_example_runs_as_written(tmp_path: Path) -> None:
    repo, env = make_sandbox(tmp_path)
    failures: list[str] = []
    for line in shell_lines():
        if any(line.startswith(prefix) for prefix in NOT_RUN_HERE):
            continue
        done = subprocess.run(
            ["bash", "-o", "pipefail", "-c", as_run_here(line)],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        if done.returncode not in (0, 1):
            failures.append(f"{line}\n  exit {done.returncode}: {done.stderr.strip()[-400:]}")
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize(
    ("line", "decided"),
    [("gitwarden scan .", True), ("gitwarden scan . --no-such-option", False)],
)
def test_the_runner_tells_a_decision_from_a_usage_error(
    tmp_path: Path, line: str, decided: bool
) -> None:
    repo = tmp_path / "repo"
    (repo / "deploy").mkdir(parents=True)
    (repo / "deploy" / "pod.yaml").write_text(POD)
    env = {**os.environ, "PATH": f"{VENV_BIN}:{os.environ['PATH']}", "NO_COLOR": "1"}
    env["GITWARDEN_STATE_DIR"] = str(tmp_path / "state")
    done = subprocess.run(["bash", "-c", line], cwd=repo, env=env, check=False, capture_output=True)
    assert (done.returncode in (0, 1)) is decided
