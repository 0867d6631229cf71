"""A real headless Chromium, driven over the DevTools protocol, for the tests
that must see a page as a browser renders it (computed styles, dialogs,
screenshots) and not as its markup reads.

The protocol runs over `--remote-debugging-pipe` (file descriptors 3 and 4,
one JSON message per NUL-terminated frame), the transport Puppeteer and
Playwright use: the standard library is enough (no websocket client) and no
port is opened, so parallel runs cannot collide."""
from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

# Debian's package is `chromium`; the other names are the same browser elsewhere.
NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    return next((found for name in NAMES if (found := shutil.which(name))), None)


class BrowserError(RuntimeError):
    pass


class Browser:
    """One headless Chromium; `open(url)` gives a Tab on a new target."""

    def __init__(self, executable: str, profile: Path, timeout: float = 20.0) -> None:
        self.timeout = timeout
        self.events: list[dict[str, Any]] = []
        self._next_id = 0
        self._buffer = b""
        to_read, self._to = os.pipe()       # we write commands, Chromium reads fd 3
        self._from, from_write = os.pipe()  # Chromium writes fd 4, we read
        self.process = subprocess.Popen(
            [executable, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             "--remote-debugging-pipe", f"--user-data-dir={profile}", "--no-first-run",
             "--disable-background-networking", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            # our own descriptors are close-on-exec already; fds 3 and 4 must survive the exec
            close_fds=False,
            preexec_fn=lambda: _as_fds_3_and_4(to_read, from_write))
        os.close(to_read)
        os.close(from_write)

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> Any:
        """Run one command and return its result; events met meanwhile are kept in `events`."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._receive()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, *methods: str, session: str | None = None) -> dict[str, Any]:
        """The first event (kept or to come) among METHODS on SESSION."""
        while True:
            for event in self.events:
                if event.get("method") in methods and event.get("sessionId") == session:
                    return event
            self.events.append(self._receive())

    def open(self, url: str, width: int = 1000, height: int = 800) -> Tab:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        tab = Tab(self, session)
        for method in ("Page.enable", "Runtime.enable"):
            tab.send(method)
        tab.send("Emulation.setDeviceMetricsOverride",
                 {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        tab.send("Page.navigate", {"url": url})
        # A dialog (alert) would hold the load event back: either ends the wait.
        tab.loaded = self.wait_for("Page.loadEventFired", "Page.javascriptDialogOpening",
                                   session=session)["method"] == "Page.loadEventFired"
        return tab

    def close(self) -> None:
        with contextlib.suppress(BrowserError, OSError):  # it may close the pipe before it answers
            self.send("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to)
        os.close(self._from)

    def _receive(self) -> dict[str, Any]:
        deadline = time.monotonic() + self.timeout
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from], [], [], left)[0]:
                raise BrowserError(f"no message from Chromium in {self.timeout:.0f} s")
            chunk = os.read(self._from, 1 << 16)
            if not chunk:
                raise BrowserError(f"Chromium closed the pipe (exit status {self.process.poll()})")
            self._buffer += chunk
        frame, _, self._buffer = self._buffer.partition(b"\0")
        return dict(json.loads(frame))


class Tab:
    """One page in the browser, attached as a flat session."""

    def __init__(self, browser: Browser, session: str) -> None:
        self.browser, self.session, self.loaded = browser, session, False

    def send(self, method: str, params: dict[str, Any] | None = None) -> Any:
        return self.browser.send(method, params, self.session)

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (JSON-able)."""
        reply = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in reply:
            raise BrowserError(f"evaluate: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def screenshot(self, path: Path) -> bytes:
        png = base64.b64decode(self.send("Page.captureScreenshot", {"format": "png"})["data"])
        path.write_bytes(png)
        return png

    def events(self, method: str) -> list[dict[str, Any]]:
        return [e for e in self.browser.events if e.get("method") == method and e.get("sessionId") == self.session]


def _as_fds_3_and_4(read_end: int, write_end: int) -> None:
    """In the child: the command pipe's read end as fd 3, the reply pipe's
    write end as fd 4 (duplicated first, should either already be 3 or 4)."""
    read_copy, write_copy = os.dup(read_end), os.dup(write_end)
    os.dup2(read_copy, 3)
    os.dup2(write_copy, 4)
