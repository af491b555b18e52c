"""What Argo CD and Flux rules share: revisions that float, URLs without TLS, secret values.

Not a check family: the argocd and flux families read these facts about sources.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from gitwarden.manifests.yaml_nodes import FieldPath

_COMMIT_SHA = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$", re.IGNORECASE)
# A release tag: v1, 1.2, v1.2.3, 1.2.3-rc.1, 1.2.3+build (tags can be moved, but by
# convention are not; branches move by design).
_RELEASE_TAG = re.compile(r"^(refs/tags/)?v?\d+(\.\d+)*([-+][0-9A-Za-z.\-+]*)?$")
_VERSION_RANGE = re.compile(r"[*^~<>|]|(^|\.)[xX](\.|$)|\s-\s")
# Keys whose literal value is a secret; names of Secrets, files and references are not.
_SECRET_KEY = re.compile(
    r"(password|passwd|secret|token|api[_-]?key|private[_-]?key|credentials?|"
    r"access[_-]?key|client[_-]?secret|auth[_-]?key)",
    re.IGNORECASE,
)
_NOT_A_SECRET_VALUE_KEY = re.compile(
    r"(name|ref|file|path|enabled|existing.*|.*secretkey|.*keyref|mountpath|secrets?)$",
    re.IGNORECASE,
)
_PLACEHOLDER = re.compile(r"^(\$\{.*\}|\{\{.*\}\}|<.*>|changeme)?$", re.IGNORECASE | re.DOTALL)


def git_revision_floats(revision: object) -> bool:
    """True for HEAD, an empty revision or a branch name; False for a commit or a tag."""
    if not isinstance(revision, str | int | float) or isinstance(revision, bool):
        return True
    text = str(revision).strip()
    if text in ("", "HEAD") or text.startswith("refs/heads/"):
        return True
    return not (_COMMIT_SHA.match(text) or _RELEASE_TAG.match(text))


def chart_version_floats(version: object) -> bool:
    """True for an empty chart version or a range (``*``, ``1.x``, ``>=1.0``, ``^1.2``)."""
    if not isinstance(version, str | int | float) or isinstance(version, bool):
        return True
    text = str(version).strip()
    return not text or _VERSION_RANGE.search(text) is not None


def is_plain_http(url: object) -> bool:
    return isinstance(url, str) and url.strip().lower().startswith(("http://", "git://"))


def is_secret_key(key: str) -> bool:
    return bool(_SECRET_KEY.search(key)) and not _NOT_A_SECRET_VALUE_KEY.search(key)


def is_literal_secret(value: object) -> bool:
    """A value that holds a secret itself, not a placeholder or a reference to one."""
    if not isinstance(value, str):
        return False
    return not _PLACEHOLDER.match(value.strip()) and value.strip().lower() not in (
        "true",
        "false",
    )


def secret_values(value: Any, path: FieldPath = ()) -> Iterator[FieldPath]:
    """Paths under ``value`` whose key names a secret and whose value is a literal."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            here = (*path, str(key))
            if is_secret_key(str(key)) and is_literal_secret(item):
                yield here
            else:
                yield from secret_values(item, here)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from secret_values(item, (*path, index))
