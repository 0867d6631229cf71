"""The limits' defaults are written once, in rules/signals.toml: Limits()
and Limits.from_settings({}) both take them from there (the code used to
say a time budget of 0 where the TOML said 60)."""
from __future__ import annotations

import tomllib
from pathlib import Path

from declutter.limits import Limits

SHIPPED = tomllib.loads((Path(__file__).resolve().parent.parent / "rules" / "signals.toml").read_text())


def test_the_defaults_are_the_shipped_tomls() -> None:
    table = SHIPPED["signals"]["limits"]
    expected = Limits(table["max_bytes"], table["oversize"], table["time_budget_seconds"])
    assert Limits() == expected == Limits.from_settings({})
    assert Limits().time_budget == 60.0


def test_from_settings_fills_only_the_missing_keys() -> None:
    limits = Limits.from_settings({"limits": {"oversize": "flag"}})
    assert limits == Limits(oversize="flag")
    assert limits.max_bytes == SHIPPED["signals"]["limits"]["max_bytes"]
