"""Policy as code: the organisation's own rules in Rego (conftest), CEL (ValidatingAdmissionPolicy),
Kyverno and OPA Gatekeeper, evaluated offline over the scanned objects, reported as ordinary
findings; and the originals' own test formats (gator suites, Kyverno CLI tests).

One module (or a few named after their part) per engine: ``rego``, ``cel``, ``kyverno*``,
``gatekeeper*``; ``evaluate`` runs them all; ``gator_suites``, ``kyverno_tests`` and
``rego_tests`` run the tests kept beside policies.
"""
