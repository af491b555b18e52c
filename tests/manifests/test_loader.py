from __future__ import annotations

import textwrap

import pytest

from gitwarden.manifests import loader
from gitwarden.manifests.loader import load_manifest_text


def _load(text: str, file: str = "m.yaml"):
    return load_manifest_text(textwrap.dedent(text), file)


def test_multi_document_file_yields_each_object_with_its_line() -> None:
    result = _load(
        """\
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: a, namespace: ns}
        ---
        # comment
        apiVersion: v1
        kind: Service
        metadata:
          name: b
        """
    )
    assert [(o.resource, o.line) for o in result.objects] == [
        ("ConfigMap/ns/a", 1),
        ("Service/b", 6),
    ]


def test_field_positions_point_at_the_key_line() -> None:
    result = _load(
        """\
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          containers:
          - name: app
            image: nginx
          - name: side
            securityContext:
              privileged: true
        """
    )
    pod = result.objects[0]
    location = pod.location(("spec", "containers", 1, "securityContext", "privileged"))
    assert (location.line, location.column) == (11, 7)
    assert location.field_path == "spec.containers[1].securityContext.privileged"


def test_missing_field_falls_back_to_nearest_written_ancestor() -> None:
    result = _load(
        """\
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          containers:
          - name: app
        """
    )
    line = result.objects[0].position(("spec", "containers", 0, "securityContext", "runAsNonRoot"))
    assert line == (7, 5)


def test_list_kind_expands_items_with_their_own_lines() -> None:
    result = _load(
        """\
        apiVersion: v1
        kind: List
        items:
        - apiVersion: v1
          kind: ConfigMap
          metadata: {name: one}
        - apiVersion: v1
          kind: ConfigMap
          metadata: {name: two}
          data: {k: v}
        """
    )
    assert [o.name for o in result.objects] == ["one", "two"]
    assert result.objects[1].line == 7
    assert result.objects[1].position(("data", "k"))[0] == 10


def test_json_manifest_loads_with_positions() -> None:
    text = (
        '{\n  "apiVersion": "v1",\n  "kind": "Pod",\n'
        '  "metadata": {"name": "j"},\n  "spec": {}\n}\n'
    )
    result = load_manifest_text(text, "pod.json")
    assert result.objects[0].resource == "Pod/j"
    assert result.objects[0].position(("spec",))[0] == 5


def test_broken_document_is_a_finding_and_the_next_document_still_loads() -> None:
    result = _load(
        """\
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: broken
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: fine}
        """
    )
    assert [o.name for o in result.objects] == ["fine"]
    assert [(f.rule_id, f.location.line) for f in result.findings] == [("parse-error", 3)]
    assert "flow mapping starting here" in result.findings[0].message


def test_non_kubernetes_yaml_is_neither_object_nor_finding() -> None:
    result = _load(
        """\
        replicaCount: 1
        image: {repository: nginx}
        """
    )
    assert result.objects == [] and result.findings == []


def test_alias_bomb_is_refused_not_expanded() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n" + "\n".join(
        "  " + line for line in lines
    )
    result = load_manifest_text(text + "\n", "bomb.yaml")
    assert result.objects == []
    assert [f.rule_id for f in result.findings] == ["yaml-limit"]


def test_deep_flow_nesting_is_refused_without_crashing() -> None:
    result = load_manifest_text("[" * 100_000 + "]" * 100_000, "deep.yaml")
    assert [f.rule_id for f in result.findings] == ["yaml-limit"]


def test_recursive_alias_is_refused() -> None:
    result = load_manifest_text("apiVersion: v1\nkind: ConfigMap\ndata: &d [*d]\n", "r.yaml")
    assert [f.rule_id for f in result.findings] == ["yaml-limit"]


def test_merge_keys_are_applied() -> None:
    result = _load(
        """\
        apiVersion: v1
        kind: ConfigMap
        metadata:
          <<: {name: merged, namespace: ns}
        """
    )
    assert result.objects[0].resource == "ConfigMap/ns/merged"


def test_document_over_size_cap_is_reported_and_skipped() -> None:
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  k: " + "x" * 2000 + "\n"
    )
    result = load_manifest_text(text, "big.yaml", max_document_bytes=1000)
    assert result.objects == []
    assert [f.rule_id for f in result.findings] == ["document-too-large"]


def test_crd_header_loads_fast_and_body_on_demand() -> None:
    result = _load(
        """\
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.example.com
        spec:
          group: example.com
          scope: Namespaced
        """
    )
    crd = result.objects[0]
    assert crd.resource == "CustomResourceDefinition/widgets.example.com"
    assert crd.get(("spec", "scope")) == "Namespaced"
    assert crd.position(("spec", "scope"))[0] == 7


def test_kustomization_files_are_not_cluster_objects() -> None:
    result = _load(
        """\
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        resources: [a.yaml]
        """
    )
    assert result.objects == []


def test_scalars_invalid_for_their_tag_keep_their_text() -> None:
    result = _load(
        """\
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: odd}
        data:
          date: 2025-13-01
          custom: !custom value
          number: !!int abc
        """
    )
    # Issue 11.3: an explicit standard tag the text does not fit is a finding at its line
    # (it was silent before); a plain scalar that only looks typed, or an unknown tag, is not.
    assert [(f.rule_id, f.location.line) for f in result.findings] == [("invalid-value", 7)]
    assert result.objects[0].get(("data",)) == {
        "date": "2025-13-01",
        "custom": "value",
        "number": "abc",
    }


HUGE_HEX = "0x" + "f" * 4400


@pytest.mark.parametrize(
    ("field", "line"),
    [
        (f"hostPort: {HUGE_HEX}", 10),
        (f"runAsUser: {HUGE_HEX}", 10),
        ("runAsUser: !!int", 10),
        ("runAsUser: !!float", 10),
        ("runAsUser: !!timestamp x", 10),
        ("runAsUser: " + "9" * 5000, 10),
        (f"? {HUGE_HEX}\n                : key", 10),
    ],
    ids=[
        "hex-hostPort",
        "hex-runAsUser",
        "empty-int",
        "empty-float",
        "bad-timestamp",
        "decimal",
        "hex-key",
    ],
)
def test_broken_value_is_a_finding_at_its_line_and_the_file_goes_on(field: str, line: int) -> None:
    result = _load(
        f"""\
        apiVersion: v1
        kind: Pod
        metadata: {{name: broken}}
        spec:
          containers:
            - name: app
              image: app:1
              ports: [{{containerPort: 80}}]
              securityContext:
                {field}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {{name: after}}
        """
    )
    assert [(f.rule_id, f.location.line) for f in result.findings] == [("invalid-value", line)]
    assert [obj.name for obj in result.objects] == ["broken", "after"]


@pytest.mark.parametrize(
    ("value", "findings"),
    [
        ("9" * 5000, ["invalid-value"]),
        ("!!int abc", ["invalid-value"]),
        ("f" * 5000, []),
        ("9" * 2000, []),
    ],
    ids=["long-decimal", "explicit-tag", "long-text", "shorter-decimal"],
)
def test_a_crd_with_a_value_the_fast_path_cannot_judge_is_parsed_in_full(
    value: str, findings: list[str]
) -> None:
    crd = (
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
        "metadata: {name: widgets.example.com}\nspec:\n  group: example.com\n"
        f"  versions:\n    - name: v1\n      maxLength: {value}\n"
    )
    result = load_manifest_text(crd, "crd.yaml")
    assert [f.rule_id for f in result.findings] == findings
    assert result.objects[0].kind == "CustomResourceDefinition"


@pytest.mark.parametrize(
    ("value", "findings"),
    [("é" * 600, ["document-too-large"]), ("e" * 600, [])],
    ids=["non-ascii-over-in-bytes", "ascii-under"],
)
def test_document_size_cap_counts_utf8_bytes_not_characters(
    value: str, findings: list[str]
) -> None:
    text = f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c}}\ndata:\n  k: {value}\n"
    result = load_manifest_text(text, "c.yaml", max_document_bytes=1000)
    assert [f.rule_id for f in result.findings] == findings


def _crd(body: str) -> str:
    return (
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
        "metadata: {name: widgets.example.com}\nspec:\n  group: example.com\n"
        "  versions:\n"
        + "".join(f"    - name: v{i}\n      served: true\n" for i in range(300))
        + body
    )


@pytest.mark.parametrize(
    ("body", "findings"),
    [
        ("    - name: last\n      served: true\n", []),
        ("    - name: last\n      description: 'never closed\n", ["parse-error"]),
        ("    - name: last\n    bad indentation: [1, 2\n", ["parse-error"]),
    ],
    ids=["valid", "unclosed-quote", "unclosed-bracket"],
)
def test_a_crd_broken_far_down_its_body_is_a_parse_error_not_clean(
    body: str, findings: list[str]
) -> None:
    result = load_manifest_text(_crd(body), "crd.yaml")
    assert [f.rule_id for f in result.findings] == findings


@pytest.mark.parametrize(
    ("text", "findings"),
    [
        (
            '{"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",'
            ' "metadata": {"name": "w.example.com"}, "spec": {"group": "example.com"}}\n',
            [],
        ),
        (
            '{"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",'
            ' "metadata": {"name": "w.example.com"}, "spec": {"group": "example.com"\n',
            ["parse-error"],
        ),
    ],
    ids=["valid", "unclosed"],
)
def test_a_one_line_flow_style_crd_is_checked_like_a_block_one(
    text: str, findings: list[str]
) -> None:
    result = load_manifest_text(text, "crd.json")
    assert [f.rule_id for f in result.findings] == findings


@pytest.mark.parametrize(
    ("value", "lazy"),
    [
        ("9" * 2999, True),
        ("9" * 3000, False),
        ("a" * 1500 + "_" + "F" * 1500, False),
        ("9" * 2000 + "é" + "9" * 2000, True),
        ("9" * 2000 + " " + "9" * 2000, True),
        ("'wow!'", True),
        ("!!str wow", False),
    ],
    ids=[
        "number-just-short",
        "number-at-the-bound",
        "hex-run-at-the-bound",
        "run-broken-by-non-ascii",
        "run-broken-by-space",
        "one-exclamation-mark",
        "explicit-tag",
    ],
)
def test_a_crd_body_is_left_unparsed_only_when_the_fast_path_can_judge_it(
    value: str, lazy: bool
) -> None:
    crd = (
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
        "metadata: {name: widgets.example.com}\nspec:\n  group: example.com\n"
        f"  versions:\n    - name: v1\n      description: {value}\n"
    )
    result = load_manifest_text(crd, "crd.yaml")
    assert bool(result.lazy_documents) is lazy
    assert result.objects[0].get(("spec", "versions", 0, "name")) == "v1"


CRD_COPY = textwrap.dedent(
    """\
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata:
      name: widgets.example.com
    spec:
      group: example.com
      scope: Namespaced
      versions:
      - name: v1
        served: true
    """
)


def count_syntax_checks(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    checked: list[bytes] = []
    real = loader._fast_syntax_check

    def counting(data: bytes, newlines: int) -> bool | None:
        checked.append(data)
        return real(data, newlines)

    monkeypatch.setattr(loader, "_fast_syntax_check", counting)
    return checked


def test_a_crd_text_already_checked_in_this_scan_is_not_checked_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pytest.importorskip("ryml")
    checked = count_syntax_checks(monkeypatch)
    memo: set[str] = set()
    first = load_manifest_text(CRD_COPY, "a/crd.yaml", checked_crds=memo)
    second = load_manifest_text(CRD_COPY, "b/crd.yaml", checked_crds=memo)
    assert len(checked) == 1
    assert (second.objects[0].file, second.objects[0].get(("spec", "scope"))) == (
        "b/crd.yaml",
        "Namespaced",
    )
    assert first.lazy_documents.keys() == second.lazy_documents.keys() == {0}


@pytest.mark.parametrize("memo", [None, "separate"], ids=["no-memo", "separate-memos"])
def test_without_a_shared_memo_every_crd_copy_is_checked(
    monkeypatch: pytest.MonkeyPatch, memo: str | None
) -> None:
    pytest.importorskip("ryml")
    checked = count_syntax_checks(monkeypatch)
    for file in ("a/crd.yaml", "b/crd.yaml"):
        load_manifest_text(CRD_COPY, file, checked_crds=None if memo is None else set())
    assert len(checked) == 2


def test_a_crd_the_fast_check_refuses_is_not_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "_fast_syntax_check", lambda data, newlines: None)
    memo: set[str] = set()
    result = load_manifest_text(CRD_COPY, "crd.yaml", checked_crds=memo)
    assert memo == set()
    assert result.lazy_documents == {}  # parsed in full instead
