from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from drift.kube_api_server import (
    Certificates,
    make_certificates,
    start_server,
    write_kubeconfig,
)


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    return make_certificates(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def kube_api(certificates: Certificates) -> Iterator[HTTPServer]:
    server = start_server(certificates)
    yield server
    server.clear()
    if server.is_running():
        server.stop()


@pytest.fixture
def kubeconfig(tmp_path: Path, kube_api: HTTPServer, certificates: Certificates) -> Path:
    url = kube_api.url_for("/").rstrip("/")
    return write_kubeconfig(tmp_path / "kubeconfig", url, certificates.ca_pem)
