"""GitLab's report formats as JSON Schemas written from GitLab's documented field lists.

No PyPI package ships GitLab's ``security-report-schemas``, so these encode what the
documentation requires: for Code Quality, docs.gitlab.com "Code Quality report format"
(description, check_name, fingerprint, severity, location.path, location.lines.begin);
for SAST, the required keys and enums of ``sast-report-format.json`` v15.
"""

from __future__ import annotations

from typing import Any

CODEQUALITY_SCHEMA: dict[str, Any] = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "type": {"const": "issue"},
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "minLength": 1},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "categories": {"type": "array", "items": {"type": "string"}},
            "location": {
                "type": "object",
                "required": ["path", "lines"],
                "properties": {
                    "path": {"type": "string", "pattern": "^[^/]"},
                    "lines": {
                        "type": "object",
                        "required": ["begin"],
                        "properties": {"begin": {"type": "integer", "minimum": 1}},
                    },
                },
            },
        },
    },
}

_TIME = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$"}
_TOOL = {
    "type": "object",
    "required": ["id", "name", "version", "vendor"],
    "properties": {
        "id": {"type": "string", "pattern": "^[a-z0-9-_]+$"},
        "name": {"type": "string", "minLength": 1},
        "version": {"type": "string", "minLength": 1},
        "url": {"type": "string", "pattern": "^https?://.+"},
        "vendor": {
            "type": "object",
            "required": ["name"],
            "properties": {"name": {"type": "string", "minLength": 1}},
        },
    },
}
SAST_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["version", "vulnerabilities", "scan"],
    "properties": {
        "version": {"type": "string", "pattern": r"^15\.\d+\.\d+$"},
        "scan": {
            "type": "object",
            "required": ["analyzer", "end_time", "scanner", "start_time", "status", "type"],
            "properties": {
                "analyzer": _TOOL,
                "scanner": _TOOL,
                "type": {"const": "sast"},
                "start_time": _TIME,
                "end_time": _TIME,
                "status": {"enum": ["success", "failure"]},
            },
        },
        "vulnerabilities": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "identifiers", "location"],
                "properties": {
                    "id": {"type": "string", "minLength": 1},
                    "name": {"type": "string", "maxLength": 255},
                    "description": {"type": "string", "maxLength": 1048576},
                    "severity": {"enum": ["Info", "Unknown", "Low", "Medium", "High", "Critical"]},
                    "solution": {"type": "string"},
                    "identifiers": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "type": "object",
                            "required": ["type", "name", "value"],
                            "properties": {
                                "type": {"type": "string", "minLength": 1},
                                "name": {"type": "string", "minLength": 1},
                                "value": {"type": "string", "minLength": 1},
                                "url": {"type": "string", "pattern": "^https?://.+"},
                            },
                        },
                    },
                    "links": {
                        "type": "array",
                        "items": {"type": "object", "required": ["url"]},
                    },
                    "location": {
                        "type": "object",
                        "required": ["file", "start_line"],
                        "properties": {
                            "file": {"type": "string", "minLength": 1},
                            "start_line": {"type": "integer", "minimum": 1},
                            "end_line": {"type": "integer", "minimum": 1},
                        },
                    },
                },
            },
        },
    },
}
