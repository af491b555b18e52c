"""The report layer: one module per output format behind one interface."""

from __future__ import annotations

import importlib

from gitwarden.report.interface import ReportFormat
from gitwarden.report.model import Report

# format name -> "module:Class"; modules load only when their format is asked for.
FORMATS: dict[str, str] = {
    "text": "gitwarden.report.text:TextFormat",
    "json": "gitwarden.report.json:JsonFormat",
    "sarif": "gitwarden.report.sarif:SarifFormat",
    "junit": "gitwarden.report.junit:JunitFormat",
    "markdown": "gitwarden.report.markdown:MarkdownFormat",
    "gitlab-codequality": "gitwarden.report.gitlab_codequality:GitlabCodeQualityFormat",
    "gitlab-sast": "gitwarden.report.gitlab_sast:GitlabSastFormat",
    "html": "gitwarden.report.html:HtmlFormat",
}


def get_format(name: str) -> ReportFormat:
    """The format called ``name``; raises KeyError for unknown names."""
    module_name, _, class_name = FORMATS[name].partition(":")
    module = importlib.import_module(module_name)
    format_class = getattr(module, class_name)
    instance: ReportFormat = format_class()
    return instance


__all__ = ["FORMATS", "Report", "ReportFormat", "get_format"]
