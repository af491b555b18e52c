#!/usr/bin/env python3
"""Benchmark `gitwarden verify` against git's own signature verification.

Builds (once, cached under bench/results/signed-history) a real repository of N commits
(default 10,000), each SSH-signed with a real ed25519 key made by ``ssh-keygen`` or, with
``--scheme openpgp``, OpenPGP-signed (ed25519 signing subkey) with a certificate made by
Sequoia (pysequoia) and imported into a scratch GNUPGHOME for git. To build
it quickly the commits are signed in-process (SSHSIG over the exact commit payload, the
way ``git commit -S`` with gpg.format=ssh does) and written as ordinary loose objects,
then packed with ``git repack``. Verification reads only the real stored objects.

Then, in one run on the same machine and the same commits:

* ``git log --format=%H %G?`` with ``gpg.ssh.allowedSignersFile``: git verifies each
  commit by running ``ssh-keygen -Y verify`` once per commit (``gpg --verify`` for OpenPGP);
* ``gitwarden verify --no-cache`` (a cold run, every signature verified in-process);
* ``gitwarden verify`` after one more signed commit (incremental, with the cache).

Every run checks its verdicts: git must print ``G`` for every commit (``G`` or ``U``, a key
gpg does not yet trust, for OpenPGP), gitwarden must pass with only the trust-on-first-use
note. Results: a table on stdout and
bench/results/verify-signed-history.json.

Usage::

    .venv/bin/python bench/verify_signed_history.py [--commits N] [--runs R] [--rebuild]
        [--scheme ssh|openpgp]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
import zlib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from gitwarden.integrity.sshsig_signing import load_private_key, sign_in_process  # noqa: E402

RESULTS = ROOT / "bench" / "results"
GIT_ENV = {
    **os.environ,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "LC_ALL": "C",
}
IDENTITY = "Bench Signer <bench@example.com>"


def git(repo: Path, *args: str, data: bytes | None = None) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args], input=data, capture_output=True, env=GIT_ENV, check=True
    )
    return done.stdout.decode().strip()


def write_object(repo: Path, kind: str, body: bytes) -> str:
    raw = f"{kind} {len(body)}\0".encode() + body
    oid = hashlib.sha1(raw).hexdigest()
    path = repo / ".git" / "objects" / oid[:2] / oid[2:]
    if not path.exists():
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(zlib.compress(raw, 1))
    return oid


def tree_entry(mode: str, name: str, oid: str) -> bytes:
    return f"{mode} {name}".encode() + b"\0" + bytes.fromhex(oid)


def signed_commit(
    sign: Callable[[bytes], bytes], tree: str, parent: str | None, when: int, n: int
) -> bytes:
    head = f"tree {tree}\n" + (f"parent {parent}\n" if parent else "")
    head += f"author {IDENTITY} {when} +0000\ncommitter {IDENTITY} {when} +0000\n"
    message = f"\nchange {n}\n"
    payload = (head + message).encode()
    signature = sign(payload)
    lines = signature.decode().rstrip("\n").split("\n")
    gpgsig = "gpgsig " + "\n ".join(lines) + "\n"
    return (head + gpgsig + message).encode()


def ssh_signer(folder: Path) -> tuple[Callable[[bytes], bytes], bytes]:
    key = folder / "signer-key"
    for suffix in ("", ".pub"):
        Path(f"{key}{suffix}").unlink(missing_ok=True)
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "bench", "-f", str(key)], check=True
    )
    public = Path(f"{key}.pub").read_text().strip()
    private_key = load_private_key(key)
    (folder / "allowed_signers").write_text(f"bench@example.com {public}\n")
    policy = (
        "version: 1\nprincipals:\n  bench:\n    ssh_keys:\n"
        f"      - key: {public}\nrules:\n  - branches: [main]\n    principals: [bench]\n"
    ).encode()
    return lambda payload: sign_in_process(private_key, payload, "git"), policy  # type: ignore[arg-type]


def openpgp_signer(folder: Path) -> tuple[Callable[[bytes], bytes], bytes]:
    import pysequoia

    secret = pysequoia.Tsk.generate(IDENTITY)
    (folder / "signer-secret.asc").write_text(str(secret))  # bench-only throwaway key
    cert = str(secret.extract_certificate())
    (folder / "signer-cert.asc").write_text(cert)
    home = folder / "gnupg"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(mode=0o700)
    subprocess.run(
        ["gpg", "--batch", "--import", str(folder / "signer-cert.asc")],
        check=True,
        capture_output=True,
        env={**os.environ, "GNUPGHOME": str(home)},
    )
    indented = "\n".join(f"          {line}" for line in cert.strip().splitlines())
    policy = (
        "version: 1\nprincipals:\n  bench:\n    openpgp_certs:\n      - cert: |\n"
        f"{indented}\nrules:\n  - branches: [main]\n    principals: [bench]\n"
    ).encode()

    return openpgp_signing(folder / "signer-secret.asc"), policy


def openpgp_signing(secret_file: Path) -> Callable[[bytes], bytes]:
    import pysequoia

    signer = pysequoia.Tsk.from_file(str(secret_file)).signer()

    def sign(payload: bytes) -> bytes:
        return pysequoia.sign(signer, payload, mode=pysequoia.SignatureMode.DETACHED)

    return sign


def build(repo: Path, commits: int, scheme: str) -> None:
    if repo.exists():
        shutil.rmtree(repo)
    repo.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    sign, policy = (ssh_signer if scheme == "ssh" else openpgp_signer)(repo.parent)
    policy_tree = write_object(
        repo, "tree", tree_entry("100644", "trust.yaml", write_object(repo, "blob", policy))
    )
    parent = None
    start = 1_750_000_000
    for n in range(commits):
        blob = write_object(repo, "blob", f"replicas: {n}\n".encode())
        tree = write_object(
            repo,
            "tree",
            tree_entry("40000", ".gitwarden", policy_tree)
            + tree_entry("100644", "counter.yaml", blob),
        )
        parent = write_object(repo, "commit", signed_commit(sign, tree, parent, start + n, n))
    git(repo, "update-ref", "refs/heads/main", parent or "")
    git(repo, "repack", "-a", "-d", "-q")
    git(repo, "prune-packed")


CPU_SECONDS: dict[str, list[float]] = {}


def timed(
    command: list[str], label: str = "", env: dict[str, str] | None = None
) -> tuple[float, str]:
    """Wall time and stdout; the CPU time of the command and its children goes to CPU_SECONDS."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    begin = time.perf_counter()
    done = subprocess.run(command, capture_output=True, env=env or GIT_ENV, check=False)
    elapsed = time.perf_counter() - begin
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    CPU_SECONDS.setdefault(label, []).append(cpu)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{command[0]} failed: {done.stderr.decode()[:400]}")
    return elapsed, done.stdout.decode()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commits", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3, help="measured runs of gitwarden")
    parser.add_argument("--git-runs", type=int, default=1, help="measured runs of git")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--scheme", choices=("ssh", "openpgp"), default="ssh")
    args = parser.parse_args()
    openpgp = args.scheme == "openpgp"

    repo = RESULTS / ("signed-history-openpgp" if openpgp else "signed-history") / "repo"
    marker = repo.parent / f"built-{args.commits}"
    if args.rebuild or not marker.exists():
        print(f"building {args.commits} {args.scheme}-signed commits ...", flush=True)
        begin = time.perf_counter()
        build(repo, args.commits, args.scheme)
        marker.write_text("ok")
        print(f"built in {time.perf_counter() - begin:.1f} s", flush=True)
    key, allowed = repo.parent / "signer-key", repo.parent / "allowed_signers"
    git_env = {**GIT_ENV, "GNUPGHOME": str(repo.parent / "gnupg")} if openpgp else GIT_ENV
    git(
        repo,
        "update-ref",
        "refs/heads/main",
        git(repo, "rev-list", "--max-count=1", "--skip=0", "main"),
    )
    # Undo the extra commit of a previous incremental run.
    total = int(git(repo, "rev-list", "--count", "main"))
    if total != args.commits:
        git(repo, "update-ref", "refs/heads/main", f"main~{total - args.commits}")

    gitwarden = [sys.executable, "-m", "gitwarden"]
    verify = [*gitwarden, "verify", "--repo", str(repo), "--format", "json", "--no-cache"]
    git_log = [
        "git",
        "-C",
        str(repo),
        "-c",
        f"gpg.ssh.allowedSignersFile={allowed}",
        "log",
        "--format=%H %G?",
        "main",
    ]

    def check_git(out: str) -> None:
        verdicts = [line.split()[1] for line in out.splitlines()]
        good = {"G", "U"} if openpgp else {"G"}
        assert len(verdicts) == args.commits and set(verdicts) <= good, set(verdicts)

    def check_gitwarden(out: str) -> None:
        report = json.loads(out)
        assert report["summary"]["objects_scanned"] >= args.commits, report["summary"]
        assert report["summary"]["passed"], report["findings"][:3]
        assert {f["rule"] for f in report["findings"]} == {"trust-on-first-use"}

    timed(verify)  # warm-up: page cache, imports
    gw_times = []
    for _ in range(args.runs):
        elapsed, out = timed(verify, "gitwarden")
        check_gitwarden(out)
        gw_times.append(elapsed)
    git_times = []
    for _ in range(args.git_runs):
        elapsed, out = timed(git_log, "git", git_env)
        check_git(out)
        git_times.append(elapsed)

    # Incremental: a cached run, one more real `git commit -S`, then a run with the cache.
    cached = [*gitwarden, "verify", "--repo", str(repo), "--format", "json"]
    timed(cached)
    if openpgp:
        # One more commit signed in-process with the bench key (gpg holds no secret key).
        sign = openpgp_signing(repo.parent / "signer-secret.asc")
        tip, tree = git(repo, "rev-parse", "main"), git(repo, "rev-parse", "main^{tree}")
        extra = signed_commit(sign, tree, tip, 1_760_000_000, args.commits)
        new_tip = git(repo, "hash-object", "-w", "-t", "commit", "--stdin", data=extra)
        git(repo, "update-ref", "refs/heads/main", new_tip)
    else:
        git(
            repo,
            "-c",
            "gpg.format=ssh",
            "-c",
            f"user.signingkey={key}",
            "-c",
            "user.name=Bench",
            "-c",
            "user.email=bench@example.com",
            "commit",
            "-q",
            "--allow-empty",
            "-S",
            "-m",
            "one more",
        )
    incremental, out = timed(cached)
    assert json.loads(out)["summary"]["passed"]
    git(repo, "update-ref", "refs/heads/main", "main~1")

    gw, gl = statistics.median(gw_times), statistics.median(git_times)
    gw_cpu, gl_cpu = (
        statistics.median(CPU_SECONDS["gitwarden"]),
        statistics.median(CPU_SECONDS["git"]),
    )
    load = os.getloadavg()
    result = {
        "commits": args.commits,
        "scheme": args.scheme,
        "gitwarden_verify_cold_s": gw_times,
        "git_log_G_s": git_times,
        "gitwarden_incremental_one_commit_s": incremental,
        "speedup": gl / gw,
        "gitwarden_cpu_s": CPU_SECONDS["gitwarden"],
        "git_cpu_s": CPU_SECONDS["git"],
        "load_average_after": load,
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {git(repo, 'version')}",
    }
    RESULTS.mkdir(exist_ok=True)
    name = "verify-signed-history" + ("-openpgp" if openpgp else "") + ".json"
    (RESULTS / name).write_text(json.dumps(result, indent=2))
    print(f"| command | wall (median) | wall (min) | CPU (median) | {args.commits} commits |")
    print("| --- | --- | --- | --- | --- |")
    print(
        f"| `git log --format='%H %G?'` | {gl:.2f} s | {min(git_times):.2f} s | "
        f"{gl_cpu:.2f} s | all G |"
    )
    print(
        f"| `gitwarden verify --no-cache` | {gw:.2f} s | {min(gw_times):.2f} s | "
        f"{gw_cpu:.2f} s | pass |"
    )
    print(f"| `gitwarden verify` after 1 new commit (cache) | {incremental:.2f} s | | | pass |")
    print(
        f"speedup: {gl / gw:.1f}x wall (median), {min(git_times) / min(gw_times):.1f}x (min), "
        f"{gl_cpu / gw_cpu:.1f}x CPU; load average after: {load[0]:.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
