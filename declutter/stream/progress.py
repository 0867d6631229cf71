"""A tiny progress line on stderr: records, MB/s, and ETA when the size is known.

Only shown when stderr is a terminal (the caller decides); redrawn at most
five times a second; erased when done.
"""
from __future__ import annotations

import sys
import time
from typing import TextIO


def _hms(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


class Progress:
    def __init__(self, total_bytes: int | None, stream: TextIO | None = None, interval: float = 0.2) -> None:
        self.total = total_bytes or None
        self.stream = stream or sys.stderr
        self.interval = interval
        self.t0 = time.monotonic()
        self.last = 0.0
        self.width = 0

    def render(self, records: int, consumed: int, now: float | None = None) -> str:
        now = time.monotonic() if now is None else now
        elapsed = max(now - self.t0, 1e-9)
        rate = consumed / elapsed
        text = f"{records:,} records  {rate / 1e6:,.1f} MB/s"
        if self.total:
            done = min(consumed / self.total, 1.0)
            text += f"  {done:6.1%}"
            if rate > 0 and consumed < self.total:
                text += f"  ETA {_hms((self.total - consumed) / rate)}"
        return text

    def update(self, records: int, consumed: int) -> None:
        now = time.monotonic()
        if now - self.last < self.interval:
            return
        self.last = now
        text = self.render(records, consumed, now)
        pad = max(0, self.width - len(text))
        self.width = len(text)
        try:
            self.stream.write("\r" + text + " " * pad)
            self.stream.flush()
        except (OSError, ValueError):
            pass

    def close(self) -> None:
        if self.width:
            try:
                self.stream.write("\r" + " " * self.width + "\r")
                self.stream.flush()
            except (OSError, ValueError):
                pass
