"""A real Gatekeeper template (the library's k8srequiredlabels) and Constraints for it."""

from __future__ import annotations

REQUIRED_LABELS_TEMPLATE = """
    apiVersion: templates.gatekeeper.sh/v1
    kind: ConstraintTemplate
    metadata:
      name: k8srequiredlabels
    spec:
      crd:
        spec:
          names:
            kind: K8sRequiredLabels
          validation:
            openAPIV3Schema:
              type: object
              properties:
                labels:
                  type: array
                  items:
                    type: string
      targets:
        - target: admission.k8s.gatekeeper.sh
          rego: |
            package k8srequiredlabels

            violation[{"msg": msg, "details": {"missing_labels": missing}}] {
              provided := {label | input.review.object.metadata.labels[label]}
              required := {label | label := input.parameters.labels[_]}
              missing := required - provided
              count(missing) > 0
              msg := sprintf("you must provide labels: %v", [missing])
            }
"""


def constraint(
    name: str = "need-owner", action: str = "deny", match: str = "", labels: str = '["owner"]'
) -> str:
    """A K8sRequiredLabels Constraint (``match``: the indented body of spec.match)."""
    return f"""
    apiVersion: constraints.gatekeeper.sh/v1beta1
    kind: K8sRequiredLabels
    metadata:
      name: {name}
    spec:
      enforcementAction: {action}
      match:
        kinds:
          - apiGroups: ["apps"]
            kinds: ["Deployment"]
{match}
      parameters:
        labels: {labels}
"""


def deployment(name: str = "web", namespace: str = "shop", labels: str = "{}") -> str:
    return f"""
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: {name}
      namespace: {namespace}
      labels: {labels}
    spec:
      template:
        spec:
          containers: [{{name: app, image: nginx:1.27}}]
"""
