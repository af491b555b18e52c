"""Change review: who must approve a change, and whether they did (issue 15)."""
