"""Policy as code: the organisation's own rules in Rego (conftest), CEL (ValidatingAdmissionPolicy)
and Kyverno, evaluated offline over the scanned objects, reported as ordinary findings.

One module per engine (``rego``, ``cel``, ``kyverno``); ``evaluate`` runs them all.
"""
