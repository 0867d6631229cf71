"""Helpers for the one-line notes declutter prints on stderr."""
from __future__ import annotations

__all__ = ["first_few"]


def first_few(numbers: list[int], most: int = 5) -> str:
    """'3, 8, 12, …': the first `most` numbers of a list, for one-line notes."""
    return ", ".join(map(str, numbers[:most])) + (", …" if len(numbers) > most else "")
