"""A local HTTPS Kubernetes API that replays recorded responses, behind a real kubeconfig.

The CA and the server certificate are made here with `cryptography`; the kubeconfig carries
the CA as ``certificate-authority-data`` and a bearer token, as `kind` or a cloud would.
"""

from __future__ import annotations

import base64
import datetime
import ipaddress
import json
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pytest_httpserver import HTTPServer

RESPONSES = Path(__file__).parent / "responses"
TOKEN = "drift-reader-token"
# Written out, not imported: the test pins the header a real API server understands.
METADATA_ONLY = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json"


def recorded(name: str) -> Any:
    return json.loads((RESPONSES / name).read_text())


@dataclass(frozen=True)
class Certificates:
    ca_pem: bytes
    cert_file: Path
    key_file: Path


def make_certificates(folder: Path) -> Certificates:
    """A self-signed CA and a certificate for localhost/127.0.0.1 that it signed."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "drift-test-ca")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kube-apiserver")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .add_extension(x509.ExtendedKeyUsage([x509.OID_SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    cert_file, key_file = folder / "apiserver.crt", folder / "apiserver.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return Certificates(ca.public_bytes(serialization.Encoding.PEM), cert_file, key_file)


def start_server(certificates: Certificates) -> HTTPServer:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificates.cert_file, certificates.key_file)
    server = HTTPServer(host="localhost", port=0, ssl_context=context)
    server.start()
    return server


def write_kubeconfig(path: Path, server_url: str, ca_pem: bytes, context: str = "prod") -> Path:
    """A kubeconfig with a decoy current context and the test server under ``context``."""
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "current-context": "decoy",
        "clusters": [
            {
                "name": "prod-cluster",
                "cluster": {
                    "server": server_url,
                    "certificate-authority-data": base64.b64encode(ca_pem).decode(),
                },
            },
            {"name": "decoy-cluster", "cluster": {"server": "https://127.0.0.1:1"}},
        ],
        "users": [{"name": "drift-reader", "user": {"token": TOKEN}}],
        "contexts": [
            {"name": context, "context": {"cluster": "prod-cluster", "user": "drift-reader"}},
            {"name": "decoy", "context": {"cluster": "decoy-cluster", "user": "drift-reader"}},
        ],
    }
    path.write_text(yaml.safe_dump(config))
    return path


def serve_recorded_cluster(server: HTTPServer, page_size: int = 500) -> None:
    """Discovery, a paginated Deployment list, metadata-only Secrets, Pods, and a 403."""
    auth = {"Authorization": f"Bearer {TOKEN}"}
    for path, name in (
        ("/api", "api.json"),
        ("/api/v1", "api_v1.json"),
        ("/apis", "apis.json"),
        ("/apis/apps/v1", "apis_apps_v1.json"),
        ("/apis/rbac.authorization.k8s.io/v1", "apis_rbac_v1.json"),
    ):
        server.expect_request(path, headers=auth).respond_with_json(recorded(name))
    limit = str(page_size)
    deployments = "/apis/apps/v1/namespaces/shop/deployments"
    first_page = recorded("deployments_shop_page1.json")
    server.expect_request(
        deployments, query_string={"limit": limit}, headers=auth
    ).respond_with_json(first_page)
    server.expect_request(
        deployments,
        query_string={"limit": limit, "continue": first_page["metadata"]["continue"]},
        headers=auth,
    ).respond_with_json(recorded("deployments_shop_page2.json"))
    server.expect_request(
        "/api/v1/namespaces/shop/secrets",
        query_string={"limit": limit},
        headers={
            **auth,
            "Accept": METADATA_ONLY,
        },
    ).respond_with_json(recorded("secrets_shop_metadata.json"))
    server.expect_request(
        "/api/v1/namespaces/shop/pods", query_string={"limit": limit}, headers=auth
    ).respond_with_json(recorded("pods_shop.json"))
    server.expect_request(
        "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", headers=auth
    ).respond_with_json(recorded("forbidden_clusterrolebindings.json"), status=403)
    for plural in ("configmaps", "serviceaccounts"):
        server.expect_request(f"/api/v1/namespaces/shop/{plural}").respond_with_json(
            recorded("empty_list.json")
        )
    server.expect_request("/api/v1/namespaces").respond_with_json(recorded("empty_list.json"))
    server.expect_request(
        "/apis/rbac.authorization.k8s.io/v1/namespaces/shop/rolebindings"
    ).respond_with_json(recorded("empty_list.json"))
