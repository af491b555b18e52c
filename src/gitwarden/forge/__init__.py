"""Forge posture: what the forge (GitHub, GitLab) enforces on the repository, read over its API.

One module per forge (`github`, `gitlab`) behind one interface (`interface.ForgeClient`), one
HTTP transport (`transport`, with saved responses in `saved_responses`), and one module per
posture concern (`branch_protection`, `access`, `keys`, `trust_drift`, `permissions`). The
checks judge a forge-neutral `posture.ForgePosture`, so both forges share them.
"""
