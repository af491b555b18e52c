"""Rego policies, conftest-compatible, evaluated with regorus (a Rust Rego engine).

As in conftest, each object is the ``input`` and the rules named ``deny``, ``violation`` and
``warn`` (or starting ``deny_``, ``violation_``, ``warn_``) of the chosen packages (default
``main``) say what is wrong: a message string, or an object with ``msg`` and metadata
(``severity``, ``id``, anything else goes to the finding's details). ``exception`` rules
suppress ``deny_<name>`` rules as conftest does.

Beyond conftest, every policy sees the whole scan: ``data.gitwarden.objects`` is the list of
all objects, and ``data.gitwarden.current`` says where the input is (``file``, ``line``,
``resource``, ``origin``). Both Rego v1 and v0 syntax load (per file).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import regorus

from gitwarden.findings import Location, Severity, Suppression
from gitwarden.manifests.objects import K8sObject
from gitwarden.policy.engine import PolicyInputs
from gitwarden.policy.object_view import ObjectBodies, as_json, plain_value, source_of
from gitwarden.policy.results import PolicyResults
from gitwarden.policy.rules import POLICY_ERROR, POLICY_UNSUPPORTED, policy_rule
from gitwarden.policy.sources import ALL_NAMESPACES, RegoModule

_DECISION = re.compile(r"^(deny|violation|warn)(_[A-Za-z0-9_]+)?$")
_PACKAGE = re.compile(r"^\s*package\s+([A-Za-z_][\w.]*)", re.MULTILINE)
_ERROR_AT = re.compile(r"-->\s*(.+):(\d+):(\d+)")
_ERROR_TEXT = re.compile(r"^error:\s*(.+)$", re.MULTILINE)
# Parse errors that mean "this is Rego v0 syntax", which OPA < 1.0 and older conftest accept.
_V0_SIGNS = ("`if` keyword is required", "`contains` keyword is required")
_V1_KEYWORDS = re.compile(r"\b(?:if|contains)\b")
_V1_IMPORT = re.compile(r"^\s*import\s+(?:rego\.v1|future\.keywords)", re.MULTILINE)
_NETWORK_CALL = re.compile(r"\bhttp\.send\s*\(")
_SEVERITY_OF = {"deny": Severity.HIGH, "violation": Severity.HIGH, "warn": Severity.MEDIUM}


@dataclass(frozen=True)
class RegoFailure:
    """An error regorus reported, split into where and what."""

    file: str | None
    line: int
    text: str


def parse_failure(error: BaseException) -> RegoFailure:
    """regorus errors carry ``--> file:line:col`` and ``error: text`` (and a backtrace)."""
    raw = str(error).split("Stack backtrace:")[0].strip()
    where = _ERROR_AT.search(raw)
    what = _ERROR_TEXT.search(raw)
    text = what.group(1).strip() if what else (raw.splitlines() or ["unknown error"])[-1]
    if where is None:
        return RegoFailure(None, 1, text)
    return RegoFailure(where.group(1).strip(), int(where.group(2)), text)


@dataclass
class RegoPackage:
    """One Rego package: its rules (name -> file and line) and the file that declares it."""

    name: str
    file: str
    rules: dict[str, tuple[str, int]] = field(default_factory=dict)
    queried: bool = False

    def decisions(self) -> list[str]:
        return sorted(name for name in self.rules if _DECISION.match(name))

    def tests(self) -> list[str]:
        return sorted(name for name in self.rules if name.startswith("test_"))


@dataclass
class RegoBundle:
    """The loaded policies: an engine with every module that parsed, and their packages."""

    engine: regorus.Engine
    packages: dict[str, RegoPackage]


def load_rego(modules: Sequence[RegoModule], results: PolicyResults) -> RegoBundle:
    """Load every module; a module that does not parse is a ``policy-error`` finding."""
    engine = regorus.Engine()
    packages: dict[str, RegoPackage] = {}
    for module in modules:
        outline = _load_module(engine, module, results)
        if outline is None:
            continue
        _report_network_calls(module, results)
        package_name, rules = outline
        package = packages.setdefault(package_name, RegoPackage(package_name, module.file))
        for name, line in rules.items():
            package.rules.setdefault(name, (module.file, line))
        if _selected(package_name, module.namespaces):
            package.queried = True
    return RegoBundle(engine, packages)


def _report_network_calls(module: RegoModule, results: PolicyResults) -> None:
    """``http.send`` is undefined offline: a rule built on it would silently never fire."""
    code = _code_only(module.text)
    for match in _NETWORK_CALL.finditer(code):
        results.add(
            POLICY_UNSUPPORTED,
            "Rego policy calls http.send, which gitwarden never runs (no network while "
            "scanning): the rule that uses it cannot fire. Put the data it fetches in the "
            "policy folder instead.",
            Location(file=module.file, line=code.count("\n", 0, match.start()) + 1),
        )


def _selected(package: str, namespaces: Sequence[str]) -> bool:
    return ALL_NAMESPACES in namespaces or package in namespaces


def _load_module(
    engine: regorus.Engine, module: RegoModule, results: PolicyResults
) -> tuple[str, dict[str, int]] | None:
    probe = regorus.Engine()
    v0 = False
    try:
        probe.add_policy(module.file, module.text)
    except RuntimeError as error:
        failure = parse_failure(error)
        if not any(sign in failure.text for sign in _V0_SIGNS):
            _report_load_error(results, module, failure)
            return None
        if _V1_KEYWORDS.search(_code_only(module.text)) and not _V1_IMPORT.search(module.text):
            # regorus's v0 mode reads a stray `if` as a name: that changes what rules mean.
            _report_load_error(results, module, failure)
            return None
        probe = regorus.Engine()
        probe.set_rego_v0(True)
        try:
            probe.add_policy(module.file, module.text)
        except RuntimeError:
            # The v1 error is the one to show: v1 is today's syntax.
            _report_load_error(results, module, failure)
            return None
        v0 = True
    engine.set_rego_v0(v0)
    try:
        engine.add_policy(module.file, module.text)
    except RuntimeError as error:
        _report_load_error(results, module, parse_failure(error))
        return None
    finally:
        engine.set_rego_v0(False)
    match = _PACKAGE.search(_without_comments(module.text))
    package = match.group(1) if match else "main"
    return package, _rule_lines(probe)


def _without_comments(text: str) -> str:
    return re.sub(r"#[^\n]*", "", text)


def _code_only(text: str) -> str:
    """The text without string literals and comments, for keyword sniffing."""
    blank = re.sub(
        r'"(?:[^"\\\n]|\\.)*"|`[^`]*`', lambda m: '""' + "\n" * m.group(0).count("\n"), text
    )
    return _without_comments(blank)


def _rule_lines(probe: regorus.Engine) -> dict[str, int]:
    rules: dict[str, int] = {}
    for module in json.loads(probe.get_ast_as_json()):
        for rule in module.get("ast", {}).get("rules", []):
            spec = rule.get("Spec") if isinstance(rule, dict) else None
            if not isinstance(spec, dict):
                continue
            head = spec.get("head", {})
            for shape in head.values():
                name = _head_name(shape.get("refr"))
                if name:
                    rules.setdefault(name, int(spec.get("span", {}).get("line", 1)))
    return rules


def _head_name(ref: Any) -> str | None:
    while isinstance(ref, dict):
        if "Var" in ref:
            value = ref["Var"].get("value")
            return value if isinstance(value, str) else None
        inner = next(iter(ref.values()), None)
        ref = inner.get("refr") if isinstance(inner, dict) else None
    return None


def _report_load_error(results: PolicyResults, module: RegoModule, failure: RegoFailure) -> None:
    results.add(
        POLICY_ERROR,
        f"Rego policy does not load: {failure.text}. Its rules were not evaluated and the "
        "run fails until it is fixed.",
        Location(file=failure.file or module.file, line=failure.line),
    )


def evaluate(inputs: PolicyInputs) -> PolicyResults:
    """This engine's entry for ``policy.engines`` (see ``policy.engine``)."""
    return evaluate_rego(inputs.rego, inputs.subjects, inputs.bodies)


def evaluate_rego(
    modules: Sequence[RegoModule],
    objects: Sequence[K8sObject],
    bodies: ObjectBodies,
) -> PolicyResults:
    """Evaluate the decision rules of the chosen packages for every object."""
    results = PolicyResults()
    if not modules:
        return results
    bundle = load_rego(modules, results)
    queried = [p for p in bundle.packages.values() if p.queried and p.decisions()]
    if not queried:
        return results
    engine = bundle.engine
    # CRD schemas are parsed only for policies that can be about CRDs.
    about_crds = any("CustomResourceDefinition" in module.text for module in modules)
    view = bodies.full if about_crds else bodies.cheap
    plain = [view(index) for index in range(len(objects))]
    engine.add_data({"gitwarden": {"objects": plain}})
    errors: dict[tuple[str, str], _ErrorTally] = {}
    for obj, body in zip(objects, plain, strict=True):
        engine.set_input_json(as_json(body))
        context = f" with data.gitwarden.current as {as_json(source_of(obj))}"
        for package in queried:
            exceptions = _query_set(engine, package, "exception", context, obj, errors)
            for rule in package.decisions():
                for value in _query_set(engine, package, rule, context, obj, errors):
                    _report_decision(results, package, rule, value, obj, exceptions)
    for (package_name, text), tally in errors.items():
        results.add(
            POLICY_ERROR,
            f"Rego package '{package_name}' failed while evaluating {tally.first}: {text}"
            + (f" (and {tally.count - 1} more objects)" if tally.count > 1 else "")
            + ". The objects it failed on were not checked by it; fix the policy.",
            Location(file=tally.file, line=tally.line),
        )
    return results


@dataclass
class _ErrorTally:
    file: str
    line: int
    first: str
    count: int = 0


def _query_set(
    engine: regorus.Engine,
    package: RegoPackage,
    rule: str,
    context: str,
    obj: K8sObject,
    errors: dict[tuple[str, str], _ErrorTally],
) -> list[Any]:
    """The values of ``rule`` for the current input: a set, a single value, or nothing."""
    if rule not in package.rules:
        return []
    try:
        answer = json.loads(engine.eval_query_as_json(f"data.{package.name}.{rule}{context}"))
    except RuntimeError as error:
        failure = parse_failure(error)
        tally = errors.setdefault(
            (package.name, failure.text),
            _ErrorTally(failure.file or package.file, failure.line, f"{obj.resource} ({obj.file})"),
        )
        tally.count += 1
        return []
    found: list[Any] = []
    for result in answer.get("result", []):
        for expression in result.get("expressions", []):
            found.extend(_as_messages(expression.get("value")))
    return found


def _as_messages(value: Any) -> Iterator[Any]:
    if isinstance(value, list):
        yield from value
    elif value is True:
        yield ""
    elif value not in (None, False, "", {}):
        yield value


def _report_decision(
    results: PolicyResults,
    package: RegoPackage,
    rule: str,
    value: Any,
    obj: K8sObject,
    exceptions: Sequence[Any],
) -> None:
    kind, _, suffix = rule.partition("_")
    message, metadata = _message_and_metadata(value)
    severity = _SEVERITY_OF[kind]
    declared = metadata.pop("severity", None)
    if declared is not None:
        try:
            severity = Severity.parse(str(declared))
        except ValueError:
            metadata["severity"] = str(declared)
    rule_name = str(metadata.pop("id", None) or metadata.pop("rule", None) or rule)
    rule_id = f"rego:{package.name}/{rule_name}"
    user_rule = policy_rule(
        rule_id,
        _SEVERITY_OF[kind],
        f"Rego rule {package.name}.{rule}",
        f"Organisation policy in {package.file} (package {package.name}).",
    )
    suppression = None
    excepted = {str(n) for e in exceptions for n in (e if isinstance(e, list) else [e])}
    if suffix and suffix in excepted:
        suppression = Suppression(
            source="inline", reason=f"exception rule in Rego package {package.name}"
        )
    results.add(
        user_rule,
        message or f"Denied by {package.name}.{rule}.",
        obj.location(),
        severity=severity,
        details={
            "policy": package.file,
            "engine": "rego",
            **{k: v if isinstance(v, str) else json.dumps(v) for k, v in metadata.items()},
        },
        suppression=suppression,
    )


def _message_and_metadata(value: Any) -> tuple[str, dict[str, Any]]:
    if isinstance(value, str):
        return value, {}
    if isinstance(value, dict):
        metadata = dict(plain_value(value))
        message = metadata.pop("msg", None)
        if message is None:
            message = metadata.pop("message", None)
        return ("" if message is None else str(message)), metadata
    return json.dumps(value), {}
