"""`python -m gitwarden`."""

from __future__ import annotations

import sys

from gitwarden.cli import main

sys.exit(main())
