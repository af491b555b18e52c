"""The decision names every image the environment deploys at REV, pinned or not."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from gate_fixtures import (
    CLEAN_MANIFEST,
    DIGEST,
    PROD_ENVIRONMENT,
    TAG_ONLY,
    GitopsRepo,
    gitops_repo,
)

from gitwarden.attestation.decision_predicate import ImageRecord, decision_statement
from gitwarden.errors import GitwardenError

PINNED = f"ghcr.io/example/web@{DIGEST}"
# By module path: ``gitwarden.gate`` the attribute is the command function.
evaluation_module = importlib.import_module("gitwarden.gate.evaluation")


@pytest.mark.parametrize(
    ("manifest", "images"),
    [
        (CLEAN_MANIFEST, (ImageRecord(DIGEST, PINNED),)),
        (TAG_ONLY, (ImageRecord(None, "ghcr.io/example/web:1.2"),)),
    ],
    ids=["pinned", "tag-only"],
)
def test_the_decision_lists_the_environments_images_with_their_digest_when_pinned(
    repo: GitopsRepo, manifest: str, images: tuple[ImageRecord, ...]
) -> None:
    repo.commit({"clusters/prod/app.yaml": manifest})
    assert repo.gate().decision.images == images


def test_images_outside_the_environments_paths_are_not_listed(repo: GitopsRepo) -> None:
    repo.commit({"clusters/staging/app.yaml": TAG_ONLY})
    assert repo.gate().decision.images == (ImageRecord(DIGEST, PINNED),)


def test_an_image_run_by_two_workloads_is_listed_once(repo: GitopsRepo) -> None:
    twin = CLEAN_MANIFEST.split("---\n", 1)[1].replace(
        "name: web\n  namespace", "name: twin\n  namespace"
    )
    repo.commit({"clusters/prod/twin.yaml": twin})
    assert repo.gate().decision.images == (ImageRecord(DIGEST, PINNED),)


def test_each_pinned_image_is_a_subject_of_the_signed_statement(repo: GitopsRepo) -> None:
    statement = decision_statement(repo.gate().decision.predicate())
    assert {"sha256": DIGEST.removeprefix("sha256:")} in [
        dict(s.digest) for s in statement.subjects
    ]


def test_an_unpinned_image_is_no_subject(repo: GitopsRepo) -> None:
    repo.commit({"clusters/prod/app.yaml": TAG_ONLY})
    statement = decision_statement(repo.gate().decision.predicate())
    assert [list(s.digest) for s in statement.subjects] == [["gitCommit"]]


def test_images_that_cannot_be_listed_deny_as_an_error(
    repo: GitopsRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(context: object) -> tuple[ImageRecord, ...]:
        raise GitwardenError("renderer crashed")

    monkeypatch.setattr(evaluation_module, "deployed_images", crash)
    result = repo.gate()
    assert not result.allowed and result.errored
    assert "cannot list the deployed images: renderer crashed" in result.summary


def test_an_environment_without_the_images_requirement_still_records_its_images(
    tmp_path: Path,
) -> None:
    staging = gitops_repo(tmp_path, {**PROD_ENVIRONMENT, "require": ["manifests"]})
    staging.commit({"clusters/prod/app.yaml": TAG_ONLY})
    result = staging.gate()
    assert result.allowed
    assert result.decision.images == (ImageRecord(None, "ghcr.io/example/web:1.2"),)
