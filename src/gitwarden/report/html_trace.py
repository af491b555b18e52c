"""`audit trace --format html`: the trace as one self-contained page, readable offline.

The HTML report's pieces: its stylesheet, its Jinja2 environment (autoescaping, `printable`
for control and bidirectional characters), its Content Security Policy approach. The page
needs no script at all, so its policy admits none: every recorded string (commit subjects,
author names, reasons, approval messages came from scanned repositories and store writers)
can only ever be text.
"""

from __future__ import annotations

from gitwarden.audit.deployment_trace import DeploymentTrace
from gitwarden.report.escaping import valid_unicode
from gitwarden.report.html import asset_text, template_environment
from gitwarden.version import __version__

TEMPLATE = "trace_report.html.j2"


def render_trace_page(trace: DeploymentTrace) -> str:
    page = (
        template_environment()
        .get_template(TEMPLATE)
        .render(trace=trace, css=asset_text("report.css"), version=__version__)
    )
    # A lone surrogate in a recorded string must not make the page unwritable as UTF-8.
    safe_page: str = valid_unicode(page)
    return safe_page
