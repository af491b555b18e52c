"""Kubernetes label selectors (matchLabels, matchExpressions), evaluated offline."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def label_selector_matches(selector: Any, labels: Mapping[str, Any]) -> bool:
    """Whether a Kubernetes LabelSelector selects an object with ``labels``.

    An empty (or missing) selector selects everything, as for ``podSelector: {}``. An
    operator the API does not know makes the selector invalid, so it selects nothing.
    """
    if selector is None:
        return True
    if not isinstance(selector, Mapping):
        return False
    match_labels = selector.get("matchLabels") or {}
    match_expressions = selector.get("matchExpressions") or []
    if not isinstance(match_labels, Mapping) or not isinstance(match_expressions, list):
        return False
    for key, value in match_labels.items():
        if key not in labels or str(labels[key]) != str(value):
            return False
    return all(_expression_matches(expr, labels) for expr in match_expressions)


def _expression_matches(expression: Any, labels: Mapping[str, Any]) -> bool:
    if not isinstance(expression, Mapping):
        return False
    key = str(expression.get("key"))
    operator = expression.get("operator")
    raw_values = expression.get("values") or []
    values = {str(v) for v in raw_values} if isinstance(raw_values, list) else set()
    present = key in labels
    if operator == "In":
        return present and str(labels[key]) in values
    if operator == "NotIn":
        return not present or str(labels[key]) not in values
    if operator == "Exists":
        return present
    if operator == "DoesNotExist":
        return not present
    return False
