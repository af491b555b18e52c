"""The library API: one module per command, each `gitwarden.<command>(target, config, options)`.

Every command takes the repository (or file) it judges, an optional `Config` (by default the
target's `.gitwarden.yaml`) and a frozen options object of its own, and returns a `Report`
(or a typed result whose `.report` is one). The CLI is a thin shell over these functions; the
deploy gate calls them directly.
"""
