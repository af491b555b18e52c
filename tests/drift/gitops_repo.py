"""A GitOps repository in tmp_path, committed with real git, declaring the recorded cluster."""

from __future__ import annotations

import textwrap
from pathlib import Path

from secret_repos import commit, make_repo

SHOP = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2
          ports:
            - containerPort: 8080
          resources:
            limits: {memory: 256Mi}
            requests: {cpu: "0.1"}
          securityContext:
            runAsNonRoot: true
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
  labels: {app: web}
spec:
  selector: {app: web}
  ports:
    - name: http
      port: 80
      targetPort: 8080
"""
SECRET = """\
apiVersion: v1
kind: Secret
metadata:
  name: web-tls
  namespace: shop
  labels: {app: web}
type: kubernetes.io/tls
data: {}
"""


def gitops_repo(root: Path, files: dict[str, str] | None = None) -> Path:
    repo = make_repo(root)
    commit(repo, "declare the shop", {"apps/shop.yaml": SHOP, **(files or {})})
    return repo


def with_config(repo: Path, text: str) -> Path:
    commit(repo, "configure", {".gitwarden.yaml": textwrap.dedent(text)})
    return repo
