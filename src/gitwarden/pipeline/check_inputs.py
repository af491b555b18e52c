"""The files checks read that are not Kubernetes objects, read once per scan.

Checks never open files: this stage reads `.sops.yaml`, the files its creation rules cover
(and those that look SOPS-encrypted) and Dockerfiles through the bounded, link-refusing tree
reader, and hands them over as `RepositoryInputs`.
"""

from __future__ import annotations

from collections.abc import Sequence

from gitwarden.checks.check import FileText, RepositoryInputs
from gitwarden.checks.dockerfiles import MAX_DOCKERFILE_BYTES, is_dockerfile
from gitwarden.checks.sops import (
    MAX_SOPS_FILE_BYTES,
    SOPS_CONFIG_NAMES,
    SOPS_DOCUMENT_SUFFIXES,
    SopsConfig,
    SopsState,
    must_inspect,
    read_sops_config,
    sops_documents,
)
from gitwarden.findings import Finding
from gitwarden.manifests.yaml_nodes import ParsedDocument
from gitwarden.sources.tree import RepoFile, read_manifest_text


def read_check_inputs(files: Sequence[RepoFile]) -> RepositoryInputs:
    """Everything checks need from ``files`` (the tree walk's list) besides objects."""
    return RepositoryInputs(
        paths=tuple(f.path for f in files),
        sops=read_sops_state(files),
        dockerfiles=tuple(read_dockerfile(f) for f in files if is_dockerfile(f.name)),
    )


def read_dockerfile(repo_file: RepoFile) -> FileText:
    text, problem = read_manifest_text(repo_file, MAX_DOCKERFILE_BYTES)
    return FileText(repo_file.path, text, problem)


def read_sops_state(files: Sequence[RepoFile]) -> SopsState:
    """The `.sops.yaml` files and the documents of the files they (would) govern."""
    configs: list[SopsConfig] = []
    unreadable: list[Finding] = []
    for repo_file in files:
        if repo_file.name in SOPS_CONFIG_NAMES:
            text, problem = read_manifest_text(repo_file, MAX_SOPS_FILE_BYTES)
            if text is not None:
                configs.append(read_sops_config(repo_file.path, text))
            elif problem is not None:
                unreadable.append(problem)
    governing = SopsState(tuple(configs))
    documents: dict[str, tuple[ParsedDocument, ...]] = {}
    other_texts: dict[str, str] = {}
    for repo_file in files:
        if repo_file.name in SOPS_CONFIG_NAMES:
            continue
        must_encrypt = governing.governing_rule(repo_file.path) is not None
        if repo_file.name.lower().endswith(SOPS_DOCUMENT_SUFFIXES):
            text, _ = read_manifest_text(repo_file, MAX_SOPS_FILE_BYTES)
            if text is not None and must_inspect(text, must_encrypt):
                parsed = sops_documents(text)
                if parsed is not None:
                    documents[repo_file.path] = parsed
        elif must_encrypt:
            # dotenv and INI files: the secrets-management check looks for their mac line.
            text, _ = read_manifest_text(repo_file, MAX_SOPS_FILE_BYTES)
            if text is not None:
                other_texts[repo_file.path] = text
    return SopsState(tuple(configs), documents, tuple(unreadable), other_texts)
