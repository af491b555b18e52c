"""Compiling and running a block of CEL validations (variables, match conditions,
validations with messages), as ValidatingAdmissionPolicies and Kyverno ``validate.cel``
rules write them. cel-python is the CEL implementation."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import celpy
from celpy import celtypes
from celpy.adapter import json_to_cel
from celpy.celparser import CELParseError
from celpy.evaluation import CELEvalError

from gitwarden.manifests.objects import K8sObject
from gitwarden.manifests.yaml_nodes import FieldPath
from gitwarden.policy.cel_library import KUBERNETES_FUNCTIONS
from gitwarden.policy.cel_optional import rewrite_optionals
from gitwarden.policy.results import PolicyResults
from gitwarden.policy.rules import POLICY_ERROR, POLICY_UNSUPPORTED

# cel-python logs every evaluation error (and can fail formatting the log): the errors are
# reported as findings, so its log stays silent unless the application configures it.
logging.getLogger("celpy").addHandler(logging.NullHandler())
# CEL optional types (Kubernetes 1.29+): valid CEL that cel-python's grammar lacks.
_OPTIONAL_SYNTAX = re.compile(r"\.\?[A-Za-z_]|\[\?|\borValue\(|\boptional\.")
# Variables that need a live API server.
_UNSUPPORTED_VARIABLES = ("authorizer",)


@dataclass(frozen=True)
class CelExpression:
    text: str
    path: FieldPath
    program: celpy.Runner


@dataclass(frozen=True)
class CelValidation:
    expression: CelExpression
    message: str | None
    message_expression: CelExpression | None


@dataclass
class CompiledCel:
    """A block's compiled expressions; ``broken`` when any of them could not be compiled
    (already reported), in which case the block must not be applied."""

    owner: K8sObject
    variables: list[tuple[str, CelExpression]] = field(default_factory=list)
    conditions: list[CelExpression] = field(default_factory=list)
    validations: list[CelValidation] = field(default_factory=list)
    broken: bool = False

    def expression_at(self, described: str) -> FieldPath:
        everything = [
            *(e for _, e in self.variables),
            *self.conditions,
            *(v.expression for v in self.validations),
        ]
        for expression in everything:
            if describe(expression.path) == described:
                return expression.path
        return ()


@dataclass
class CelOutcome:
    """What one object did to a block: failed validations (with their message), errors
    (``(expression path, text)``), or nothing when a match condition skipped it."""

    failures: list[tuple[CelValidation, str]] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    # A match condition was false: the block does not apply to the object.
    skipped: bool = False


@cache
def cel_environment() -> celpy.Environment:
    """The CEL environment, built once: its grammar takes ~0.3 s to build and it holds no
    state between programs."""
    return celpy.Environment()


def compile_cel(
    environment: celpy.Environment,
    owner: K8sObject,
    block: Mapping[str, Any],
    base: FieldPath,
    *,
    validations_key: str,
    label: str,
    results: PolicyResults,
    conditions_key: str = "matchConditions",
) -> CompiledCel:
    """Compile ``block`` (found at ``base`` in ``owner``); problems become findings there."""
    compiled = CompiledCel(owner)

    def compile_at(path: FieldPath, text: Any) -> CelExpression | None:
        if not isinstance(text, str) or not text.strip():
            _report_error(results, owner, label, path, "is not a CEL expression string")
            compiled.broken = True
            return None
        for name in _UNSUPPORTED_VARIABLES:
            if name in text:
                results.add(
                    POLICY_UNSUPPORTED,
                    f"{label} uses `{name}`, which needs a live API server; gitwarden cannot "
                    "evaluate it offline, so the policy was not applied.",
                    owner.location(path),
                )
                compiled.broken = True
                return None
        try:
            # Optional-type chains are rewritten into the plain CEL cel-python parses.
            source = rewrite_optionals(text) if _OPTIONAL_SYNTAX.search(text) else text
            program = environment.program(
                environment.compile(source), functions=KUBERNETES_FUNCTIONS
            )
        except CELParseError as error:
            if _OPTIONAL_SYNTAX.search(text):
                results.add(
                    POLICY_UNSUPPORTED,
                    f"{label}: {describe(path)} uses CEL optional types (`.?field`, "
                    "`[?key]`, `orValue`), which cel-python, gitwarden's CEL engine, does not "
                    "parse; the policy was not applied, so the objects it covers are unchecked "
                    "by it.",
                    owner.location(path),
                )
            else:
                _report_error(results, owner, label, path, f"does not compile: {first_line(error)}")
            compiled.broken = True
            return None
        return CelExpression(text, path, program)

    for index, variable in enumerate(_list(block.get("variables"))):
        name = variable.get("name") if isinstance(variable, Mapping) else None
        here: FieldPath = (*base, "variables", index, "expression")
        expression = compile_at(here, _get(variable, "expression"))
        if expression is not None and isinstance(name, str):
            compiled.variables.append((name, expression))
    for index, condition in enumerate(_list(block.get(conditions_key))):
        here = (*base, conditions_key, index, "expression")
        expression = compile_at(here, _get(condition, "expression"))
        if expression is not None:
            compiled.conditions.append(expression)
    for index, validation in enumerate(_list(block.get(validations_key))):
        here = (*base, validations_key, index)
        expression = compile_at((*here, "expression"), _get(validation, "expression"))
        message_text = _get(validation, "messageExpression")
        message_expression = (
            compile_at((*here, "messageExpression"), message_text) if message_text else None
        )
        message = _get(validation, "message")
        if expression is not None:
            compiled.validations.append(
                CelValidation(
                    expression, message if isinstance(message, str) else None, message_expression
                )
            )
    return compiled


def run_cel(compiled: CompiledCel, activation: Mapping[str, Any]) -> CelOutcome:
    """Evaluate the block for one object; ``activation`` holds plain JSON values."""
    outcome = CelOutcome()
    cel_activation: dict[str, Any] = {
        name: json_to_cel(value) for name, value in activation.items()
    }
    variables: dict[str, Any] = {}
    variable_errors: list[str] = []
    for name, expression in compiled.variables:
        cel_activation["variables"] = _cel_map(variables)
        value, problem = _run(expression, cel_activation)
        if problem is None:
            variables[name] = value
        else:
            variable_errors.append(f"variables.{name}: {problem}")
    cel_activation["variables"] = _cel_map(variables)
    for condition in compiled.conditions:
        value, problem = _run(condition, cel_activation)
        if problem is not None:
            outcome.errors.append((describe(condition.path), problem))
            return outcome
        if not (isinstance(value, celtypes.BoolType | bool) and bool(value)):
            outcome.skipped = True
            return outcome
    for validation in compiled.validations:
        value, problem = _run(validation.expression, cel_activation)
        where = describe(validation.expression.path)
        if problem is not None:
            outcome.errors.append((where, "; ".join([problem, *variable_errors])))
        elif not isinstance(value, celtypes.BoolType | bool):
            outcome.errors.append((where, "the expression is not a boolean"))
        elif not bool(value):
            outcome.failures.append((validation, _message(validation, cel_activation)))
    return outcome


def _cel_map(values: Mapping[str, Any]) -> celtypes.MapType:
    return celtypes.MapType({celtypes.StringType(k): v for k, v in values.items()})


def _message(validation: CelValidation, activation: Mapping[str, Any]) -> str:
    if validation.message_expression is not None:
        value, problem = _run(validation.message_expression, activation)
        if problem is None and isinstance(value, str) and value.strip():
            return str(value)
    if validation.message:
        return validation.message
    return f"failed expression: {validation.expression.text}"


def _run(expression: CelExpression, activation: Mapping[str, Any]) -> tuple[Any, str | None]:
    try:
        value = expression.program.evaluate(dict(activation))
    except CELEvalError as error:
        return None, first_line(error)
    except (
        TypeError,
        ValueError,
        KeyError,
        IndexError,
        AttributeError,
        ArithmeticError,
        RecursionError,
    ) as error:
        # cel-python lets Python errors of its own through; each is this object's error.
        return None, f"{type(error).__name__}: {error}"
    if isinstance(value, CELEvalError):
        return None, first_line(value)
    return value, None


def _report_error(
    results: PolicyResults, owner: K8sObject, label: str, path: FieldPath, text: str
) -> None:
    results.add(
        POLICY_ERROR,
        f"{label}: {describe(path)} {text}; the policy was not applied and the run fails "
        "until it is fixed.",
        owner.location(path),
    )


def report_evaluation_errors(
    results: PolicyResults,
    compiled: CompiledCel,
    label: str,
    errors: Mapping[tuple[str, str], list[K8sObject]],
    consequence: str,
) -> None:
    """One ``policy-error`` per failing expression and error text, naming the objects."""
    for (expression_path, text), failed in errors.items():
        results.add(
            POLICY_ERROR,
            f"{label} could not evaluate {expression_path} for {failed[0].resource} "
            f"({failed[0].file})"
            + (f" and {len(failed) - 1} more objects" if len(failed) > 1 else "")
            + f": {text}. {consequence} Guard the expression (has(), ?:) so that it "
            "evaluates for every object.",
            compiled.owner.location(compiled.expression_at(expression_path)),
            details={"resources": "\n".join(sorted({o.resource for o in failed}))},
        )


def describe(path: FieldPath) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def first_line(error: BaseException) -> str:
    text = str(error.args[0]) if error.args else str(error)
    return text.strip().splitlines()[0] if text.strip() else type(error).__name__


def _get(value: Any, key: str) -> Any:
    return value.get(key) if isinstance(value, Mapping) else None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
