"""Limits.from_settings reads its defaults from named constants: on a slots
dataclass the class attribute is the slot's descriptor, not the default."""
from __future__ import annotations

from declutter.limits import Limits


def test_from_settings_without_a_limits_table_gives_the_dataclass_defaults() -> None:
    assert Limits.from_settings({}) == Limits()


def test_from_settings_fills_only_the_missing_keys() -> None:
    limits = Limits.from_settings({"limits": {"oversize": "flag"}})
    assert limits == Limits(oversize="flag")
