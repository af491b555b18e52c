"""Package registries: npm, PyPI, RubyGems, NuGet, Docker Hub, JFrog, crates.io."""

from __future__ import annotations

from gitwarden.secrets.catalogue.builders import (
    C_ALNUM,
    C_BASE64URL,
    C_HEX,
    custom,
    prefixed,
)
from gitwarden.secrets.rule_spec import (
    HEX,
    LOWER_ALNUM,
    SecretRule,
    fill,
)


def rules() -> list[SecretRule]:
    return [
        prefixed(
            "npm-access-token",
            "npm access token",
            "npm",
            "npm_",
            C_ALNUM,
            36,
            references=("https://docs.npmjs.com/about-access-tokens",),
        ),
        prefixed(
            "pypi-upload-token",
            "PyPI upload token",
            "PyPI",
            "pypi-AgEIcHlwaS5vcmc",
            C_BASE64URL,
            (50, None),
            references=("https://pypi.org/help/#apitoken",),
        ),
        prefixed("rubygems-api-key", "RubyGems API key", "RubyGems", "rubygems_", C_HEX, 48),
        prefixed("nuget-api-key", "NuGet API key", "NuGet", "oy2", ("[a-z0-9]", LOWER_ALNUM), 43),
        prefixed(
            "docker-hub-personal-access-token",
            "Docker Hub personal access token",
            "Docker Hub",
            "dckr_pat_",
            C_BASE64URL,
            27,
        ),
        prefixed(
            "docker-hub-organization-access-token",
            "Docker Hub organization access token",
            "Docker Hub",
            "dckr_oat_",
            C_BASE64URL,
            32,
        ),
        prefixed("jfrog-api-key", "JFrog Artifactory API key", "JFrog", "AKCp", C_ALNUM, 69),
        prefixed(
            "jfrog-identity-token",
            "JFrog identity / reference token",
            "JFrog",
            "cmVmdGtu",
            C_ALNUM,
            56,
        ),
        prefixed(
            "clojars-deploy-token",
            "Clojars deploy token",
            "Clojars",
            "CLOJARS_",
            ("[a-z0-9]", LOWER_ALNUM),
            60,
        ),
        custom(
            "private-packagist-token",
            "Private Packagist token",
            "Private Packagist",
            r"\b(?P<secret>packagist_[ou][ru]t_[a-f0-9]{68})\b",
            ("packagist_",),
            (f"token: packagist_out_{fill('pp', 68, HEX)}",),
            (f"token: packagist_out_{fill('pp', 20, HEX)}",),
        ),
        prefixed(
            "cargo-registry-token",
            "crates.io API token",
            "crates.io",
            "cio",
            C_ALNUM,
            32,
            keyword="cio",
        ),
    ]
