"""Images: every image under the environment's paths pinned by digest, whatever its severity."""

from __future__ import annotations

from gate_fixtures import TAG_ONLY, GitopsRepo, failed_checks


def test_a_tag_only_image_in_the_environment_denies(repo: GitopsRepo) -> None:
    repo.commit({"clusters/prod/app.yaml": TAG_ONLY})
    assert "images-not-pinned-by-digest" in failed_checks(repo)["images"]


def test_a_tag_only_image_outside_the_environment_is_not_counted(repo: GitopsRepo) -> None:
    repo.commit({"clusters/staging/app.yaml": TAG_ONLY})
    assert repo.gate().allowed
