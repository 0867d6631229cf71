"""Where the shipped rule files are, and their settings read without
compiling any rule: the one place a default lives is the TOML."""
from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = ["default_rules_dir", "shipped_signals"]


def default_rules_dir() -> Path:
    """The folder of default rule files: inside the installed package, or the
    repository's rules/ folder when running from a source checkout."""
    packaged = resources.files("declutter") / "default_rules"
    if packaged.is_dir():
        path = Path(str(packaged))
        # in a checkout, a link to rules/ (for the wheel's layout): name rules/
        return path.resolve() if path.is_symlink() else path
    return Path(__file__).resolve().parent.parent / "rules"


@lru_cache(maxsize=8)
def shipped_signals(name: str) -> dict[str, Any]:
    """The `[signals.NAME]` table of the shipped signals.toml (read once)."""
    with open(default_rules_dir() / "signals.toml", "rb") as fh:
        table: dict[str, Any] = tomllib.load(fh)["signals"][name]
    return table
