from __future__ import annotations

import pytest

from gitwarden.path_patterns import PathFilter, compile_glob, glob_match, name_glob_match

MATCHING = [
    pytest.param("deploy.yaml", "deploy.yaml", id="plain-name-at-root"),
    pytest.param("deploy.yaml", "apps/web/deploy.yaml", id="unanchored-name-at-any-depth"),
    pytest.param("*.yaml", "apps/web/deploy.yaml", id="unanchored-star-at-any-depth"),
    pytest.param("apps/*.yaml", "apps/deploy.yaml", id="anchored-star-in-one-folder"),
    pytest.param("apps/**/deploy.yaml", "apps/deploy.yaml", id="double-star-spans-zero-folders"),
    pytest.param("apps/**/deploy.yaml", "apps/a/b/c/deploy.yaml", id="double-star-spans-many"),
    pytest.param("**/deploy.yaml", "deploy.yaml", id="leading-double-star-at-root"),
    pytest.param("**/deploy.yaml", "a/b/deploy.yaml", id="leading-double-star-deep"),
    pytest.param("apps/**", "apps/a/b.yaml", id="trailing-double-star"),
    pytest.param("apps", "apps/web/deploy.yaml", id="folder-name-matches-below-it"),
    pytest.param("vendor/", "vendor/x.yaml", id="folder-pattern-matches-its-files"),
    pytest.param("vendor/", "third/vendor/x.yaml", id="folder-pattern-is-unanchored"),
    pytest.param("/apps", "apps/x.yaml", id="leading-slash-anchors"),
    pytest.param("./apps", "apps/x.yaml", id="leading-dot-slash-anchors"),
    pytest.param("apps/?.yaml", "apps/a.yaml", id="question-mark-one-character"),
    pytest.param("apps/[ab].yaml", "apps/b.yaml", id="character-class"),
    pytest.param("apps/[!ab].yaml", "apps/c.yaml", id="negated-character-class"),
    pytest.param("apps/[]]", "apps/]", id="bracket-first-in-class-is-a-member"),
    pytest.param("apps/a[", "apps/a[", id="unclosed-bracket-is-literal"),
    pytest.param("apps/a[]", "apps/a[]", id="empty-brackets-are-literal"),
    pytest.param("  apps/x.yaml  ", "apps/x.yaml", id="surrounding-blanks-ignored"),
]

NOT_MATCHING = [
    pytest.param("deploy.yaml", "deploy.yml", id="other-name"),
    pytest.param("apps/*.yaml", "apps/web/deploy.yaml", id="star-does-not-cross-slash"),
    pytest.param("apps/?", "apps//", id="question-mark-does-not-match-slash"),
    pytest.param("a[!x]b", "a/b", id="negated-class-does-not-match-slash"),
    pytest.param("a[/]b", "a/b", id="class-never-matches-slash"),
    pytest.param("apps/*.yaml", "other/apps/x.yaml", id="pattern-with-slash-is-anchored"),
    pytest.param("/apps", "other/apps/x.yaml", id="leading-slash-is-anchored"),
    pytest.param("./apps", "other/apps/x.yaml", id="leading-dot-slash-is-anchored"),
    pytest.param("apps/**", "apps", id="trailing-double-star-not-the-folder-itself"),
    pytest.param("vendor/", "vendor", id="folder-pattern-not-a-file-of-that-name"),
    pytest.param("app", "apps/x.yaml", id="name-is-not-a-prefix"),
    pytest.param("*.yaml", "deploy.yaml.bak", id="suffix-must-end-the-name"),
    pytest.param("apps/[ab].yaml", "apps/c.yaml", id="outside-character-class"),
    pytest.param("a.yaml", "aXyaml", id="dot-is-literal"),
    pytest.param("apps/(x)+", "apps/xx", id="regex-syntax-is-literal"),
]


@pytest.mark.parametrize(("pattern", "path"), MATCHING)
def test_glob_matches(pattern: str, path: str) -> None:
    assert glob_match(pattern, path)


@pytest.mark.parametrize(("pattern", "path"), NOT_MATCHING)
def test_glob_does_not_match(pattern: str, path: str) -> None:
    assert not glob_match(pattern, path)


@pytest.mark.parametrize("pattern", ["[z-a]", "", "  ", "/", "./"])
def test_invalid_glob_raises_value_error(pattern: str) -> None:
    with pytest.raises(ValueError, match="glob"):
        compile_glob(pattern)


NAME_MATCHING = [
    pytest.param("pss-*", "pss-privileged", id="rule-prefix"),
    pytest.param("Deployment/web", "Deployment/web", id="exact-resource"),
    pytest.param("Deployment/*/web", "Deployment/shop/web", id="any-namespace"),
    pytest.param("*/shop/*", "Service/shop/api", id="anything-in-a-namespace"),
    pytest.param("**/web", "Deployment/shop/web", id="double-star-spans-segments"),
    pytest.param("**/web", "web", id="double-star-spans-nothing"),
]

NAME_NOT_MATCHING = [
    pytest.param("pss-*", "rbac-wildcard-verbs", id="other-rule-family"),
    pytest.param("web", "Deployment/shop/web", id="name-alone-is-not-a-resource"),
    pytest.param("web", "Deployment/web/api", id="name-does-not-match-a-namespace"),
    pytest.param("Deployment/web", "Deployment/web/api", id="no-folder-semantics"),
    pytest.param("Deployment/*", "Deployment/shop/web", id="star-does-not-cross-slash"),
    pytest.param("pss-privileged", "pss-privileged-sidecar", id="whole-name-must-match"),
]


@pytest.mark.parametrize(("pattern", "name"), NAME_MATCHING)
def test_name_glob_matches(pattern: str, name: str) -> None:
    assert name_glob_match(pattern, name)


@pytest.mark.parametrize(("pattern", "name"), NAME_NOT_MATCHING)
def test_name_glob_does_not_match(pattern: str, name: str) -> None:
    assert not name_glob_match(pattern, name)


@pytest.mark.parametrize(
    ("path_filter", "path", "kept"),
    [
        pytest.param(PathFilter(), "apps/x.yaml", True, id="no-patterns-keep-all"),
        pytest.param(PathFilter(include=("apps/",)), "apps/x.yaml", True, id="included"),
        pytest.param(PathFilter(include=("apps/",)), "infra/x.yaml", False, id="not-included"),
        pytest.param(PathFilter(exclude=("*.json",)), "apps/x.json", False, id="excluded"),
        pytest.param(
            PathFilter(include=("apps/",), exclude=("apps/tmp/",)),
            "apps/tmp/x.yaml",
            False,
            id="exclude-beats-include",
        ),
    ],
)
def test_path_filter_keeps(path_filter: PathFilter, path: str, kept: bool) -> None:
    assert path_filter.keeps(path) is kept


@pytest.mark.parametrize(
    ("exclude", "folder"),
    [
        pytest.param("node_modules/", "node_modules", id="folder-pattern"),
        pytest.param("node_modules/", "web/node_modules", id="folder-pattern-nested"),
        pytest.param("build", "build", id="plain-name"),
        pytest.param("build/**", "build", id="everything-below"),
        pytest.param("build/*", "build", id="every-entry-below"),
    ],
)
def test_excludes_folder_when_everything_below_is_excluded(exclude: str, folder: str) -> None:
    assert PathFilter(exclude=(exclude,)).excludes_folder(folder)


@pytest.mark.parametrize(
    ("exclude", "folder"),
    [
        pytest.param("*.yaml", "apps", id="file-pattern"),
        pytest.param("build/*.yaml", "build", id="some-files-below"),
        pytest.param("build/", "builder", id="other-folder"),
    ],
)
def test_keeps_folder_when_something_below_may_be_kept(exclude: str, folder: str) -> None:
    assert not PathFilter(exclude=(exclude,)).excludes_folder(folder)
