"""Make `import declutter` in a bench script load the checkout it sits in.

`python3 bench/x.py` puts bench/ first on sys.path, not the checkout, so an
installed declutter (site-packages) would be the one measured: a run from a
worktree or after an edit would time old code. Import this module before
declutter (`import checkout  # noqa: F401`).
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if sys.path[:1] != [str(ROOT)]:
    sys.path.insert(0, str(ROOT))
