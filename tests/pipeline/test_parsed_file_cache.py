"""The parsed-file cache: a warm load gives the loader's objects, fields and positions
without parsing, and an entry that does not verify is refused, said and parsed again."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from gitwarden.commands.scan import ScanOptions, scan
from gitwarden.manifests import loader
from gitwarden.manifests.objects import K8sObject
from gitwarden.pipeline import kept_positions, parsed_file_cache, parsed_file_entries
from gitwarden.pipeline.kept_positions import encode
from gitwarden.pipeline.parsed_file_cache import FOLDER, ParsedFileCache
from gitwarden.pipeline.parsed_file_entries import file_to_json, parsed_file_of
from gitwarden.pipeline.render_cache import RenderCache
from gitwarden.report import get_format
from gitwarden.sources.kustomize import find_kustomize
from k8s_fixtures import CORPORA

BOUND = 1 << 20
POD = (
    "# the web pod\n"
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\nspec:\n"
    "  containers:\n    - name: app\n      image: nginx\n"
    "      securityContext: {privileged: true}\n"
)
LIST = (
    "apiVersion: v1\nkind: List\nitems:\n"
    "  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: a}\n    data: {k: v}\n"
    "  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: b}\n    data: {k: w}\n"
)
CRD = (
    "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
    "metadata: {name: widgets.example.com}\nspec:\n  group: example.com\n"
    "  names: {kind: Widget, plural: widgets}\n  scope: Namespaced\n  versions:\n"
    "    - name: v1\n      served: true\n      storage: true\n"
)
TEXTS = {
    "one-document": POD,
    "three-documents": f"---\n{POD}---\n{LIST}---\n{CRD}",
    "list": LIST,
    "directive": f"%YAML 1.1\n---\n{POD}",
    "document-end": f"{POD}...\n---\n{LIST}",
    "broken-second": f"{POD}---\na: [\n",
}


def open_cache(tmp_path: Path) -> ParsedFileCache:
    opened = RenderCache.open(tmp_path / "cache", tmp_path / "cache.key", BOUND)
    assert isinstance(opened, RenderCache)
    return ParsedFileCache(opened, tmp_path)


def described(obj: K8sObject) -> tuple[Any, ...]:
    """Everything a check or a finding reads of an object, positions included."""
    positions = obj.document().positions
    prefix = len(obj.path_prefix)
    paths = [path[prefix:] for path in positions if path[:prefix] == obj.path_prefix]
    return (
        obj.api_version,
        obj.kind,
        obj.name,
        obj.namespace,
        obj.file,
        obj.line,
        obj.path_prefix,
        dict(obj.body),
        obj.header,
        [obj.location(path) for path in paths],
    )


@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
def test_a_warm_load_gives_the_parsers_objects_fields_and_positions(
    tmp_path: Path, text: str
) -> None:
    parsed = loader.load_manifest_text(text, "app.yaml", max_document_bytes=BOUND)
    open_cache(tmp_path).load("app.yaml", text, BOUND)
    warm = open_cache(tmp_path).load("app.yaml", text, BOUND)
    assert [described(obj) for obj in warm.objects] == [described(o) for o in parsed.objects]
    assert warm.findings == parsed.findings


def test_a_warm_load_parses_no_yaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = f"---\n{POD}---\n{LIST}"
    open_cache(tmp_path).load("app.yaml", text, BOUND)
    calls: list[str] = []
    real = parsed_file_cache.load_manifest_text

    def recording(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(parsed_file_cache, "load_manifest_text", recording)
    warm = open_cache(tmp_path).load("app.yaml", text, BOUND)
    assert [obj.get(("data", "k")) for obj in warm.objects] == [None, "v", "w"]
    assert calls == []


def refuse_parsing_for_positions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every way the cache parses a file again (whole or one document) made to fail,
    and recorded: what the list holds was asked for after the patch."""
    asked: list[str] = []

    def refused(*args: Any, **kwargs: Any) -> Any:
        asked.append(repr(args)[:80])
        raise AssertionError("a document was parsed again")

    monkeypatch.setattr(parsed_file_cache, "load_manifest_text", refused)
    monkeypatch.setattr(parsed_file_cache, "lazy_document", refused)
    return asked


@pytest.mark.parametrize(
    "text",
    [
        TEXTS[name]
        for name in ("one-document", "list", "directive", "document-end", "broken-second")
    ],
    ids=["one-document", "list", "directive", "document-end", "broken-second"],
)
def test_a_warm_position_parses_no_yaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    parsed = loader.load_manifest_text(text, "app.yaml", max_document_bytes=BOUND)
    open_cache(tmp_path).load("app.yaml", text, BOUND)
    asked = refuse_parsing_for_positions(monkeypatch)
    warm = open_cache(tmp_path).load("app.yaml", text, BOUND)
    assert [described(obj) for obj in warm.objects] == [described(o) for o in parsed.objects]
    assert asked == []


def test_a_lazily_parsed_crd_is_still_parsed_when_its_positions_are_asked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_cache(tmp_path).load("crd.yaml", CRD, BOUND)
    asked = refuse_parsing_for_positions(monkeypatch)
    (crd,) = open_cache(tmp_path).load("crd.yaml", CRD, BOUND).objects
    with pytest.raises(AssertionError):
        crd.location(("spec", "versions", 0, "served"))
    assert len(asked) == 1


def test_a_position_parses_only_the_objects_own_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = f"---\n{LIST}---\n{POD}"
    open_cache(tmp_path).load("app.yaml", text, BOUND)
    warm = open_cache(tmp_path).load("app.yaml", text, BOUND)
    monkeypatch.setattr(parsed_file_cache, "load_manifest_text", None)  # a whole-file parse fails
    pod = warm.objects[-1]
    image_line = text[: text.index("image: nginx")].count("\n") + 1
    assert pod.location(("spec", "containers", 0, "image")).line == image_line


def test_a_changed_text_is_parsed_again(tmp_path: Path) -> None:
    open_cache(tmp_path).load("app.yaml", POD, BOUND)
    changed = POD.replace("nginx", "nginx:1.27")
    (pod,) = open_cache(tmp_path).load("app.yaml", changed, BOUND).objects
    assert pod.get(("spec", "containers", 0, "image")) == "nginx:1.27"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("app.yaml", BOUND), ("other.yaml", BOUND)),
        (("app.yaml", BOUND), ("app.yaml", 10)),
    ],
    ids=["another-path", "another-document-bound"],
)
def test_the_key_holds_the_path_and_the_document_bound(
    tmp_path: Path, first: tuple[str, int], second: tuple[str, int]
) -> None:
    cache = open_cache(tmp_path)
    assert cache.key(first[0], POD, first[1]) != cache.key(second[0], POD, second[1])


@pytest.mark.parametrize("module", [parsed_file_entries, kept_positions], ids=lambda m: m.__name__)
def test_the_entry_code_digest_covers_the_code_that_reads_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module: Any
) -> None:
    digest = parsed_file_cache._entry_code_digest.__wrapped__
    before = digest()
    other = tmp_path / "other.py"
    other.write_text("# another entry format\n")
    monkeypatch.setattr(module, "__file__", str(other))
    assert digest() != before


def test_a_tampered_entry_is_refused_said_and_parsed_again(tmp_path: Path) -> None:
    open_cache(tmp_path).load("app.yaml", POD, BOUND)
    (entry,) = (tmp_path / "cache" / FOLDER).glob("*/*.entry")
    original = entry.read_bytes()
    tampered = original.replace(b'"privileged":true', b'"privileged":false')
    assert tampered != original
    entry.write_bytes(tampered)
    loaded = open_cache(tmp_path).load("app.yaml", POD, BOUND)
    assert [f.rule_id for f in loaded.rejected] == ["render-cache-rejected"]
    assert loaded.rejected[0].location.file == "app.yaml"
    (pod,) = loaded.objects
    assert pod.get(("spec", "containers", 0, "securityContext", "privileged")) is True


def pod_positions_code() -> str:
    (document,) = loader.load_manifest_text(POD, "app.yaml").documents
    code = encode(document.positions, document.value)
    assert code is not None
    return code


IMAGE_LINE = POD[: POD.index("image: nginx")].count("\n") + 1
IMAGE = ("spec", "containers", 0, "image")


def test_a_tampered_positions_code_is_refused_said_and_parsed_again(tmp_path: Path) -> None:
    open_cache(tmp_path).load("app.yaml", POD, BOUND)
    (entry,) = (tmp_path / "cache" / FOLDER).glob("*/*.entry")
    original = entry.read_bytes()
    code = pod_positions_code()
    # Every field one line further down: a finding would point at the wrong line.
    shifted = code.replace("2,1,", "3,1,", 1)
    tampered = original.replace(f'"{code}"'.encode(), f'"{shifted}"'.encode())
    assert shifted != code and tampered != original
    entry.write_bytes(tampered)
    loaded = open_cache(tmp_path).load("app.yaml", POD, BOUND)
    assert [f.rule_id for f in loaded.rejected] == ["render-cache-rejected"]
    (pod,) = loaded.objects
    assert pod.location(IMAGE).line == IMAGE_LINE


@pytest.mark.parametrize(
    "code",
    ["1,1", "1,1,x", "2,1,0,0" + pod_positions_code()[7:]],
    ids=["too-few-numbers", "not-numbers", "column-zero"],
)
def test_a_sealed_code_that_does_not_fit_gives_the_parsers_positions(
    tmp_path: Path, code: str
) -> None:
    cache = open_cache(tmp_path)
    entry = parsed_file_of(loader.load_manifest_text(POD, "app.yaml"), POD)
    assert entry is not None
    payload = file_to_json(entry)
    payload["documents"][0][1] = code
    cache.store.store(cache.key("app.yaml", POD, BOUND), payload)
    loaded = open_cache(tmp_path).load("app.yaml", POD, BOUND)
    (pod,) = loaded.objects
    (parsed,) = loader.load_manifest_text(POD, "app.yaml").objects
    assert loaded.rejected == ()
    assert pod.document().positions == parsed.document().positions
    assert pod.location(IMAGE).line == IMAGE_LINE


def json_of(report: Any) -> str:
    text: str = get_format("json").render(report, color=False)
    return text


CORPUS_SCANS = (
    [
        *((folder.name, False) for folder in sorted(CORPORA.iterdir()) if folder.is_dir()),
        *((name, True) for name in ("argocd-example-apps", "microservices-demo")),
        ("flux2-kustomize-helm-example", True),
    ]
    if CORPORA.is_dir()
    else []
)


@pytest.mark.skipif(not CORPORA.is_dir(), reason="corpora not present")
@pytest.mark.parametrize(("folder", "render"), CORPUS_SCANS)
def test_a_warm_scan_of_a_corpus_parses_no_yaml_for_positions(
    folder: str, render: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if render and find_kustomize() is None:
        pytest.skip("no kustomize renderer")
    options = ScanOptions(render=render, today=date(2025, 1, 1))
    cold = scan(CORPORA / folder, options=options)
    asked = refuse_parsing_for_positions(monkeypatch)
    warm = scan(CORPORA / folder, options=options)
    assert asked == []
    assert any(finding.location.line > 1 for finding in warm.findings)
    assert json_of(warm) == json_of(cold)


def test_a_file_json_cannot_carry_is_parsed_every_time(tmp_path: Path) -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {when: 2025-01-01}\n"
    open_cache(tmp_path).load("c.yaml", text, BOUND)
    assert list((tmp_path / "cache").rglob("*.entry")) == []
