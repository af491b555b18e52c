"""The scan pipeline: stages with one job each and immutable data between them.

    scan_sources    what exists: the tree walk, the render units (overlays, charts and
                    their values variants, each with the reason it is refused, if any)
                    and the non-object inputs checks read (.sops.yaml, Dockerfiles)
    object_loading  the objects: rendered or loaded, parsed once, attributed to their files
    scan_pipeline   the orchestrator: sources -> objects -> scanners (secrets, checks,
                    policies) -> de-duplicated findings

`gitwarden.commands.scan` turns the pipeline's result into the command's `Report`.
"""
