"""Gatekeeper ConstraintTemplates compiled once: their Rego (with ``libs``) or CEL, and the
schema their Constraints' parameters must fit.

Each template gets its own regorus engine, as each has its own package in Gatekeeper; Rego is
read as v0 (Gatekeeper's default) unless the template says ``version: v1``. A template that
uses what needs a cluster or the network (``http.send``, ``external_data``) is
``policy-unsupported``; one that does not compile is a ``policy-error``: both at its line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import celpy
import regorus

from gitwarden.manifests.objects import K8sObject
from gitwarden.manifests.yaml_nodes import FieldPath
from gitwarden.policy.cel_program import CompiledCel, compile_cel, run_cel
from gitwarden.policy.gatekeeper_inventory import INVENTORY_REFERENCE
from gitwarden.policy.rego import parse_failure
from gitwarden.policy.rego_sprintf import go_sprintf
from gitwarden.policy.results import PolicyResults
from gitwarden.policy.rules import POLICY_ERROR, POLICY_UNSUPPORTED
from gitwarden.rules import Rule

TEMPLATE_GROUP = "templates.gatekeeper.sh"
TEMPLATE_KIND = "ConstraintTemplate"
CONSTRAINT_GROUP = "constraints.gatekeeper.sh"
ADMISSION_TARGET = "admission.k8s.gatekeeper.sh"
REGO_ENGINE = "Rego"
CEL_ENGINE = "K8sNativeValidation"
_PACKAGE = re.compile(r"^\s*package\s+([A-Za-z_][\w.]*)", re.MULTILINE)
# regorus reads `a.b` followed by a line starting with `(` as the call `a.b(...)`; OPA ends the
# expression at the newline. A `;` (a literal separator in Rego) says what OPA reads.
_CALL_ACROSS_LINES = re.compile(r"([\w\]])[ \t]*\n(?=[ \t]*\()")
_OFFLINE_IMPOSSIBLE = re.compile(r"\b(http\.send|external_data)\s*\(")
# Gatekeeper's own variables in CEL templates: the Constraint's parameters, and the object.
_CEL_PRELUDE = (
    {"name": "anyObject", "expression": "object"},
    {
        "name": "params",
        "expression": "!has(params.spec) ? null : "
        "!has(params.spec.parameters) ? null : params.spec.parameters",
    },
)


class TemplateEvaluationError(Exception):
    """The template failed while evaluating one object (the text says why)."""


@dataclass(frozen=True)
class Violation:
    """One result of a template for one object: Gatekeeper's ``msg`` and ``details``."""

    message: str
    details: Mapping[str, Any]


@dataclass(frozen=True)
class _RegoProgram:
    engine: regorus.Engine
    package: str
    reads_inventory: bool


@dataclass(frozen=True)
class CompiledTemplate:
    """A template ready to evaluate: the kind it defines and exactly one program."""

    obj: K8sObject
    kind: str
    schema: Any
    rego: _RegoProgram | None = None
    cel: CompiledCel | None = None

    @property
    def reads_inventory(self) -> bool:
        return self.rego is not None and self.rego.reads_inventory

    def use_inventory(self, inventory: Mapping[str, Any]) -> None:
        """Make ``inventory`` the template's ``data.inventory`` (Rego only: CEL has none)."""
        self.use_inventory_json(json.dumps({"inventory": inventory}))

    def use_inventory_json(self, document: str) -> None:
        """The same from a ready ``{"inventory": ...}`` JSON text (shared by templates)."""
        if self.rego is not None and self.rego.reads_inventory:
            self.rego.engine.clear_data()
            self.rego.engine.add_data_json(document)

    def violations(
        self,
        review: Mapping[str, Any],
        constraint: Mapping[str, Any],
        namespace: Mapping[str, Any] | None,
    ) -> list[Violation]:
        """What the template says about ``review`` under ``constraint`` (a plain body)."""
        spec = constraint.get("spec")
        parameters = spec.get("parameters") if isinstance(spec, Mapping) else None
        if self.rego is not None:
            return _rego_violations(self.rego, review, parameters)
        assert self.cel is not None
        outcome = run_cel(
            self.cel,
            {
                "object": review.get("object"),
                "oldObject": None,
                "params": constraint,
                "request": review,
                "namespaceObject": namespace,
            },
        )
        if outcome.errors:
            where, text = outcome.errors[0]
            raise TemplateEvaluationError(f"{where}: {text}")
        return [Violation(message, {}) for _, message in outcome.failures]


def template_kind(obj: K8sObject) -> str | None:
    kind = obj.get(("spec", "crd", "spec", "names", "kind"))
    return kind if isinstance(kind, str) and kind else None


def compile_template(
    obj: K8sObject, cel_environment: Callable[[], celpy.Environment], results: PolicyResults
) -> CompiledTemplate | None:
    """The compiled template, or None when it cannot be evaluated (reported in ``results``)."""
    kind = template_kind(obj)
    if kind is None:
        _problem(
            results, POLICY_ERROR, obj, ("spec", "crd"), "names no kind (spec.crd.spec.names.kind)"
        )
        return None
    targets = obj.get(("spec", "targets"))
    if not isinstance(targets, list) or not targets:
        _problem(results, POLICY_ERROR, obj, ("spec",), "has no spec.targets")
        return None
    for index, target in enumerate(targets):
        if not isinstance(target, Mapping) or target.get("target") != ADMISSION_TARGET:
            _problem(
                results,
                POLICY_UNSUPPORTED,
                obj,
                ("spec", "targets", index),
                f"targets {_show(target)}, not {ADMISSION_TARGET}",
            )
            return None
    where: FieldPath = ("spec", "targets", 0)
    target = targets[0]
    schema = obj.get(("spec", "crd", "spec", "validation", "openAPIV3Schema"))
    rego = _rego_source(target, where)
    if rego is not None:
        text, libs, version, at = rego
        program = _compile_rego(obj, text, libs, version, at, results)
        return CompiledTemplate(obj, kind, schema, rego=program) if program else None
    cel = _cel_source(target, where)
    if cel is None:
        _problem(results, POLICY_UNSUPPORTED, obj, where, "has neither Rego nor CEL code")
        return None
    block, at = cel
    compiled = compile_cel(
        cel_environment(),
        obj,
        {**block, "variables": [*_CEL_PRELUDE, *_list(block.get("variables"))]},
        at,
        validations_key="validations",
        label=f"ConstraintTemplate '{obj.name}'",
        results=results,
    )
    return None if compiled.broken else CompiledTemplate(obj, kind, schema, cel=compiled)


def _rego_source(
    target: Mapping[str, Any], where: FieldPath
) -> tuple[str, list[str], str, FieldPath] | None:
    """The Rego of a target: ``rego``/``libs`` or a ``code`` entry of engine Rego."""
    if isinstance(target.get("rego"), str):
        return target["rego"], _strings(target.get("libs")), "v0", (*where, "rego")
    for index, code in enumerate(_list(target.get("code"))):
        if isinstance(code, Mapping) and code.get("engine") == REGO_ENGINE:
            source = code.get("source")
            if isinstance(source, Mapping) and isinstance(source.get("rego"), str):
                version = str(source.get("version") or "v0")
                at: FieldPath = (*where, "code", index, "source", "rego")
                return source["rego"], _strings(source.get("libs")), version, at
    return None


def _cel_source(
    target: Mapping[str, Any], where: FieldPath
) -> tuple[Mapping[str, Any], FieldPath] | None:
    for index, code in enumerate(_list(target.get("code"))):
        if isinstance(code, Mapping) and code.get("engine") == CEL_ENGINE:
            source = code.get("source")
            if isinstance(source, Mapping):
                return source, (*where, "code", index, "source")
    return None


def _compile_rego(
    obj: K8sObject,
    text: str,
    libs: Sequence[str],
    version: str,
    at: FieldPath,
    results: PolicyResults,
) -> _RegoProgram | None:
    for module in (text, *libs):
        found = _OFFLINE_IMPOSSIBLE.search(module)
        if found:
            _problem(
                results,
                POLICY_UNSUPPORTED,
                obj,
                at,
                f"calls {found.group(1)}, which needs the network or a provider; gitwarden "
                "never calls out while scanning",
            )
            return None
    package = _PACKAGE.search(re.sub(r"#[^\n]*", "", text))
    if package is None:
        _problem(results, POLICY_ERROR, obj, at, "Rego has no package declaration")
        return None
    engine = regorus.Engine()
    engine.set_rego_v0(version != "v1")
    # OPA's sprintf (missing arguments print %!v(MISSING)), which Gatekeeper templates rely on.
    engine.add_extension("sprintf", 2, go_sprintf)
    for index, module in enumerate((text, *libs)):
        name = f"{obj.file}#{obj.name}/{'rego' if index == 0 else f'libs[{index - 1}]'}"
        try:
            source = _CALL_ACROSS_LINES.sub(r"\1;\n", module)
            engine.add_policy(name, split_chained_bodies(source) if version != "v1" else source)
        except RuntimeError as error:
            failure = parse_failure(error)
            line = obj.position(at)[0] + (failure.line if index == 0 else 0)
            results.add(
                POLICY_ERROR,
                f"ConstraintTemplate '{obj.name}': Rego does not compile: {failure.text}. Its "
                "Constraints were not evaluated and the run fails until it is fixed.",
                replace(obj.location(at), line=line),
            )
            return None
    reads_inventory = any(INVENTORY_REFERENCE in module for module in (text, *libs))
    return _RegoProgram(engine, package.group(1), reads_inventory)


def split_chained_bodies(text: str) -> str:
    """``head { a } { b }`` (Rego v0's chained bodies, which regorus does not read) written
    as ``head { a }`` and ``head { b }``: the same rule, one body each, as OPA reads it."""
    out: list[str] = []
    depth = 0
    statement_start = 0
    last_head = ""
    after_body = False
    index = 0
    while index < len(text):
        char = text[index]
        if char == "#":
            end = text.find("\n", index)
            end = len(text) if end < 0 else end
            out.append(text[index:end])
            index = end
            continue
        if char in '"`':
            end = _literal_end(text, index)
            out.append(text[index:end])
            index = end
            after_body = after_body and depth > 0
            continue
        if depth == 0 and char == "{":
            head = text[statement_start:index].strip()
            if not head and after_body and last_head:
                out.append(f"\n{last_head} ")
            elif head:
                last_head = head
            after_body = False
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth == 0 and char == "}":
                statement_start = index + 1
                after_body = True
        elif depth == 0 and char == "\n":
            statement_start = index + 1
        elif depth == 0 and not char.isspace():
            after_body = False
        out.append(char)
        index += 1
    return "".join(out)


def _literal_end(text: str, start: int) -> int:
    quote = text[start]
    index = start + 1
    while index < len(text):
        if quote == '"' and text[index] == "\\":
            index += 2
            continue
        if text[index] == quote:
            return index + 1
        index += 1
    return len(text)


def _rego_violations(
    program: _RegoProgram, review: Mapping[str, Any], parameters: Any
) -> list[Violation]:
    program.engine.set_input_json(
        json.dumps({"review": review, "parameters": {} if parameters is None else parameters})
    )
    try:
        answer = json.loads(program.engine.eval_query_as_json(f"data.{program.package}.violation"))
    except RuntimeError as error:
        raise TemplateEvaluationError(parse_failure(error).text) from None
    found: list[Violation] = []
    for result in answer.get("result", []):
        for expression in result.get("expressions", []):
            values = expression.get("value")
            for value in values if isinstance(values, list) else []:
                found.append(_violation(value))
    return found


def _violation(value: Any) -> Violation:
    if not isinstance(value, Mapping):
        return Violation(json.dumps(value), {})
    details = value.get("details")
    return Violation(str(value.get("msg", "")), details if isinstance(details, Mapping) else {})


def _problem(results: PolicyResults, rule: Rule, obj: K8sObject, at: FieldPath, text: str) -> None:
    results.add(
        rule,
        f"ConstraintTemplate '{obj.name}' {text}; its Constraints were not evaluated, so the "
        "objects they cover are unchecked by them.",
        obj.location(at),
    )


def _show(value: Any) -> str:
    return repr(value.get("target")) if isinstance(value, Mapping) else "something"


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _strings(value: Any) -> list[str]:
    return [v for v in _list(value) if isinstance(v, str)]
