from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest

from gitwarden.config import (
    DEFAULT_EXCLUDE,
    Config,
    ConfigSuppression,
    SeverityOverride,
    find_config,
    load_config,
    parse_config,
)
from gitwarden.errors import ConfigError
from gitwarden.findings import Severity

NAME = ".gitwarden.yaml"


def parse(text: str) -> Config:
    return parse_config(textwrap.dedent(text), NAME)


def config_error(text: str) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        parse(text)
    return caught.value


def assert_names(error: ConfigError, line: int, key: str | None, *words: str) -> None:
    """The error names file and line, the offending key, and says the given words."""
    text = error.diagnostics()
    assert f"{NAME}:{line}:" in text, text
    assert (error.file, error.line, error.key) == (NAME, line, key)
    for word in words:
        assert word in text, text


# -- defaults --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("# only a comment\n", id="comment"),
        pytest.param("---\n", id="document-marker"),
        pytest.param("null\n", id="null"),
    ],
)
def test_empty_file_gives_defaults(text: str) -> None:
    assert parse(text) == Config(file=NAME)


def test_defaults_exclude_git_and_node_modules() -> None:
    assert parse("").exclude == (".git/", "node_modules/")


# -- each setting is read --------------------------------------------------------------


def test_include_is_read() -> None:
    assert parse("include: [apps/, infra/]").include == ("apps/", "infra/")


def test_exclude_is_added_to_the_default_excludes() -> None:
    assert parse("exclude: [vendor/]").exclude == (*DEFAULT_EXCLUDE, "vendor/")


def test_fail_on_is_read_case_insensitively() -> None:
    assert parse("fail_on: Medium").fail_on is Severity.MEDIUM


def test_severity_overrides_map_rule_to_severity() -> None:
    config = parse("severity_overrides: {pss-privileged: low, rbac-bind-verb: critical}")
    assert dict(config.severity_overrides) == {
        "pss-privileged": Severity.LOW,
        "rbac-bind-verb": Severity.CRITICAL,
    }


def test_disabled_rules_are_read() -> None:
    assert parse("disabled_rules: [images-latest-tag]").disabled_rules == ("images-latest-tag",)


def test_trusted_registries_reach_the_check_settings() -> None:
    config = parse("trusted_registries: [ghcr.io/example/, registry.k8s.io]")
    assert config.checks.trusted_registries == ("ghcr.io/example/", "registry.k8s.io")


def test_image_digest_severity_reaches_the_check_settings() -> None:
    config = parse(
        """\
        image_digest_severity:
          - path: "apps/*/overlays/prod/**"
            severity: high
        """
    )
    assert config.checks.digest_severity_by_path == (("apps/*/overlays/prod/**", Severity.HIGH),)


@pytest.mark.parametrize("level", ["privileged", "baseline", "restricted"])
def test_pod_security_level_reaches_the_check_settings(level: str) -> None:
    assert parse(f"pod_security_level: {level}").checks.pod_security_level == level


@pytest.mark.parametrize("key", ["max_document_bytes", "max_file_bytes"])
def test_size_caps_are_read(key: str) -> None:
    assert getattr(parse(f"{key}: 1024"), key) == 1024


def test_suppression_is_read_with_every_field_and_its_line() -> None:
    config = parse(
        """\
        fail_on: high
        suppressions:
          - rule: hardening-exposed-service
            path: "apps/**"
            resource: "Service/payments-prod/payments"
            reason: "TLS ends at the load balancer (SEC-142)."
            expires: 2025-06-30
        """
    )
    assert config.suppressions == (
        ConfigSuppression(
            rule="hardening-exposed-service",
            reason="TLS ends at the load balancer (SEC-142).",
            path="apps/**",
            resource="Service/payments-prod/payments",
            expires=date(2025, 6, 30),
            line=3,
        ),
    )


def test_suppression_without_expiry_never_expires() -> None:
    config = parse("suppressions: [{rule: pss-*, reason: legacy}]")
    assert config.suppressions[0].expires is None


def test_suppression_expiry_may_be_a_quoted_date() -> None:
    config = parse('suppressions: [{rule: x, reason: y, expires: "2025-06-30"}]')
    assert config.suppressions[0].expires == date(2025, 6, 30)


# -- unknown keys ----------------------------------------------------------------------


def test_misspelt_key_names_file_line_key_and_suggestion() -> None:
    error = config_error(
        """\
        fail_on: high
        include: [apps/]
        exlude: [vendor/]
        """
    )
    assert_names(error, 3, "exlude", "unknown key", "did you mean 'exclude'?")


def test_unknown_key_without_a_close_match_lists_the_known_keys() -> None:
    error = config_error("colour: blue\n")
    assert_names(error, 1, "colour", "unknown key", "known keys:", "suppressions")


def test_misspelt_suppression_field_names_its_place_and_suggestion() -> None:
    error = config_error(
        """\
        suppressions:
          - rule: pss-privileged
            reason: node agent
            resouce: DaemonSet/kube-system/agent
        """
    )
    assert_names(error, 4, "suppressions[0].resouce", "did you mean 'resource'?")


def test_misspelt_image_digest_severity_field_names_its_place() -> None:
    error = config_error(
        """\
        image_digest_severity:
          - path: "prod/**"
            sevrity: high
        """
    )
    assert_names(error, 3, "image_digest_severity[0].sevrity", "did you mean 'severity'?")


# -- suppressions ----------------------------------------------------------------------


def test_suppression_without_reason_is_refused_at_its_line() -> None:
    error = config_error(
        """\
        suppressions:
          - rule: pss-privileged
            reason: agent
          - rule: images-latest-tag
            path: legacy/**
        """
    )
    assert_names(error, 4, "suppressions[1]", "missing required key 'reason'")


def test_suppression_without_rule_is_refused_at_its_line() -> None:
    error = config_error("suppressions:\n  - reason: because\n")
    assert_names(error, 2, "suppressions[0]", "missing required key 'rule'")


@pytest.mark.parametrize("reason", ['""', "'   '", "null", "[a]"])
def test_suppression_with_blank_reason_is_refused(reason: str) -> None:
    error = config_error(f"suppressions:\n  - rule: x\n    reason: {reason}\n")
    assert_names(error, 3, "suppressions[0].reason", "must be a non-empty string")


def test_suppression_that_is_not_a_mapping_is_refused() -> None:
    error = config_error("suppressions:\n  - pss-privileged\n")
    assert_names(error, 2, "suppressions[0]", "must be a mapping")


@pytest.mark.parametrize(
    "expires",
    [
        pytest.param("2025-13-01", id="no-such-month"),
        pytest.param('"2025-02-30"', id="quoted-no-such-day"),
        pytest.param("next week", id="words"),
        pytest.param("2025-06-30T10:00:00", id="datetime"),
        pytest.param("", id="empty"),
        pytest.param("20250630", id="number"),
    ],
)
def test_suppression_with_bad_expiry_date_is_refused(expires: str) -> None:
    error = config_error(
        f"""\
        suppressions:
          - rule: x
            reason: y
            expires: {expires}
        """
    )
    assert_names(error, 4, "suppressions[0].expires", "must be a date (YYYY-MM-DD)")


@pytest.mark.parametrize("field", ["rule", "resource"])
def test_suppression_with_invalid_name_glob_is_refused(field: str) -> None:
    other = "resource: Pod/p" if field == "rule" else "rule: x"
    error = config_error(f"suppressions:\n  - {other}\n    reason: y\n    {field}: '[z-a]'\n")
    assert_names(error, 4, f"suppressions[0].{field}", "invalid glob")


# -- values of the wrong kind -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "key"),
    [
        pytest.param("fail_on: hgih\n", 1, "fail_on", id="fail-on"),
        pytest.param(
            "severity_overrides:\n  pss-privileged: severe\n",
            2,
            "severity_overrides.pss-privileged",
            id="override",
        ),
        pytest.param(
            "image_digest_severity:\n  - path: x\n    severity: urgent\n",
            3,
            "image_digest_severity[0].severity",
            id="digest-severity",
        ),
    ],
)
def test_unknown_severity_is_refused_with_the_choices(text: str, line: int, key: str) -> None:
    error = config_error(text)
    assert_names(error, line, key, "unknown severity", "critical")


@pytest.mark.parametrize(
    ("text", "line", "key", "words"),
    [
        pytest.param("exclude: vendor/\n", 1, "exclude", "must be a list", id="string-not-list"),
        pytest.param("include:\n  - apps/\n  - 3\n", 3, "include[1]", "non-empty", id="number"),
        pytest.param("exclude: ['[z-a]']\n", 1, "exclude[0]", "invalid glob", id="bad-glob"),
        pytest.param(
            "image_digest_severity:\n  - {path: '[z-a]', severity: high}\n",
            2,
            "image_digest_severity[0].path",
            "invalid glob",
            id="bad-digest-path-glob",
        ),
        pytest.param("severity_overrides: [x]\n", 1, "severity_overrides", "map", id="overrides"),
        pytest.param("pod_security_level: strict\n", 1, "pod_security_level", "one of"),
        pytest.param("max_file_bytes: 0\n", 1, "max_file_bytes", "positive", id="zero-bytes"),
        pytest.param("max_file_bytes: true\n", 1, "max_file_bytes", "positive", id="bool-bytes"),
        pytest.param("max_document_bytes: 1.5\n", 1, "max_document_bytes", "positive"),
        pytest.param("suppressions: {rule: x}\n", 1, "suppressions", "list", id="suppressions"),
    ],
)
def test_value_of_wrong_kind_is_refused_at_its_line(
    text: str, line: int, key: str, words: str
) -> None:
    assert_names(config_error(text), line, key, words)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("- exclude\n- vendor/\n", id="list"),
        pytest.param("exclude vendor\n", id="scalar"),
    ],
)
def test_non_mapping_file_is_refused(text: str) -> None:
    assert_names(config_error(text), 1, None, "must be a mapping of settings")


def test_invalid_yaml_is_refused_at_its_line() -> None:
    error = config_error("fail_on: high\nexclude: vendor: x\n")
    assert_names(error, 2, None, "invalid YAML")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        pytest.param("fail_on: high\n---\nfail_on: low\n", 3, id="two-documents"),
        pytest.param("---\n---\nfail_on: low\n", 3, id="empty-first-document"),
    ],
)
def test_more_than_one_document_is_refused(text: str, line: int) -> None:
    assert_names(config_error(text), line, None, "more than one YAML document")


# -- reading files -----------------------------------------------------------------------


def test_load_config_reads_the_file(tmp_path: Path) -> None:
    path = tmp_path / NAME
    path.write_text("fail_on: critical\n")
    assert load_config(path).fail_on is Severity.CRITICAL


def test_load_config_names_errors_by_the_display_name(tmp_path: Path) -> None:
    path = tmp_path / NAME
    path.write_text("exlude: []\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path, NAME)
    assert caught.value.message.startswith(f"{NAME}:1: exlude:")


def test_load_config_accepts_a_utf8_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / NAME
    path.write_bytes(b"\xef\xbb\xbffail_on: low\n")
    assert load_config(path).fail_on is Severity.LOW


def test_load_config_refuses_text_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / NAME
    path.write_bytes(b"fail_on: l\xf6w\n")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(path, NAME)


def test_load_config_reports_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / NAME, NAME)


# -- finding the file --------------------------------------------------------------------


@pytest.mark.parametrize("name", [".gitwarden.yaml", ".gitwarden.yml"])
def test_find_config_finds_either_name(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text("")
    assert find_config(tmp_path) == tmp_path / name


def test_find_config_prefers_the_yaml_extension(tmp_path: Path) -> None:
    (tmp_path / ".gitwarden.yml").write_text("")
    (tmp_path / ".gitwarden.yaml").write_text("")
    assert find_config(tmp_path) == tmp_path / ".gitwarden.yaml"


def test_find_config_does_not_follow_a_symbolic_link(tmp_path: Path) -> None:
    (tmp_path / ".gitwarden.yaml").symlink_to("/etc/hostname")
    assert find_config(tmp_path) is None


def test_find_config_returns_none_without_a_file(tmp_path: Path) -> None:
    assert find_config(tmp_path) is None


@pytest.mark.parametrize(
    ("text", "line", "key"),
    [
        ("disabled_rules:\n  - pss-privilegd\n", 2, "disabled_rules[0]"),
        ("severity_overrides:\n  images-latest: low\n", 2, "severity_overrides.images-latest"),
    ],
)
def test_unknown_rule_id_is_refused_with_the_closest_rule(text: str, line: int, key: str) -> None:
    error = config_error(text)
    assert_names(error, line, key, "unknown rule")
    assert error.hint is not None and "did you mean" in error.hint


# -- severity overrides scoped by path (list form) -----------------------------------------


def test_severity_override_list_form_is_read_with_path_reason_and_line() -> None:
    config = parse(
        """\
        severity_overrides:
          - rule: render-failed
            path: "legacy/**"
            severity: medium
            reason: "Legacy charts are rendered by the old pipeline (OPS-12)."
        """
    )
    assert config.scoped_severity_overrides == (
        SeverityOverride(
            rule="render-failed",
            severity=Severity.MEDIUM,
            reason="Legacy charts are rendered by the old pipeline (OPS-12).",
            path="legacy/**",
            line=2,
        ),
    )
    assert dict(config.severity_overrides) == {}


def test_severity_override_list_entry_without_path_applies_everywhere() -> None:
    config = parse("severity_overrides: [{rule: binary-file, severity: low, reason: fonts}]")
    assert config.scoped_severity_overrides[0].path is None


@pytest.mark.parametrize(
    ("entry", "key", "words"),
    [
        pytest.param(
            "{rule: render-failed, severity: low}",
            "severity_overrides[0]",
            "missing required key 'reason'",
            id="no-reason",
        ),
        pytest.param(
            "{rule: render-failed, severity: low, reason: '  '}",
            "severity_overrides[0].reason",
            "must be a non-empty string",
            id="blank-reason",
        ),
        pytest.param(
            "{rule: render-faild, severity: low, reason: r}",
            "severity_overrides[0].rule",
            "did you mean 'render-failed'?",
            id="misspelt-rule",
        ),
        pytest.param(
            "{rule: render-failed, severity: lowest, reason: r}",
            "severity_overrides[0].severity",
            "unknown severity",
            id="bad-severity",
        ),
        pytest.param(
            "{rule: render-failed, severity: low, reason: r, path: '[z-a]'}",
            "severity_overrides[0].path",
            "invalid glob",
            id="bad-path-glob",
        ),
        pytest.param(
            "{rule: render-failed, severity: low, reason: r, paths: x}",
            "severity_overrides[0].paths",
            "did you mean 'path'?",
            id="misspelt-key",
        ),
    ],
)
def test_invalid_severity_override_entry_is_refused_at_its_line(
    entry: str, key: str, words: str
) -> None:
    assert_names(config_error(f"fail_on: high\nseverity_overrides:\n  - {entry}\n"), 3, key, words)


# -- environments (the deploy gate) -----------------------------------------------------


def test_an_environment_is_read_as_the_issue_writes_it() -> None:
    config = parse(
        """\
        environments:
          prod:
            branches: [main]
            paths: ["clusters/prod/**"]
            fail_on: high
            require: [signatures, ledger, review, manifests, policy, secrets]
        """
    )
    prod = config.environments["prod"]
    assert prod.branches == ("main",)
    assert prod.paths == ("clusters/prod/**",)
    assert prod.fail_on is Severity.HIGH
    assert prod.require == ("signatures", "ledger", "review", "manifests", "policy", "secrets")
    assert prod.line == 2


def test_an_unknown_requirement_is_refused_with_the_one_meant() -> None:
    error = config_error(
        """\
        environments:
          prod:
            branches: [main]
            require: [signaturs]
        """
    )
    assert_names(error, 4, "environments.prod.require[0]", "signaturs", "'signatures'")


def test_an_environment_without_branches_is_refused() -> None:
    error = config_error(
        """\
        environments:
          prod:
            paths: ["clusters/**"]
        """
    )
    assert "branches" in error.diagnostics()
