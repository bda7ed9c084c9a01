"""Progress display: a live bar with rate and ETA on a terminal, plain periodic lines otherwise."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import TextIO


@dataclass
class Progress:
    """Tracks records and bytes of one input and reports them at a bounded rate."""

    label: str
    total_bytes: int | None
    out: TextIO = sys.stderr
    interval: float | None = None
    records: int = 0
    bytes_read: int = 0
    started: float = field(default_factory=time.monotonic)
    _last: float = 0.0
    _drawn: int = -1

    @property
    def live(self) -> bool:
        """True on a terminal: redraw one line in place."""
        return self.out.isatty()

    def update(self, records: int, bytes_read: int, force: bool = False) -> None:
        """Record progress and redraw when it is time to."""
        self.records, self.bytes_read = records, bytes_read
        now = time.monotonic()
        every = self.interval if self.interval is not None else (0.2 if self.live else 5.0)
        if force or now - self._last >= every:
            self._last = now
            self._draw(now)

    def finish(self) -> None:
        """Draw the final state (unless just drawn) and end the line."""
        if self._drawn != self.records:
            self._draw(time.monotonic())
        if self.live:
            self.out.write("\n")
        self.out.flush()

    def _draw(self, now: float) -> None:
        self._drawn = self.records
        elapsed = max(now - self.started, 1e-6)
        rate = self.records / elapsed
        line = f"{self.label}: {self.records:,} records  {rate:,.0f}/s"
        if self.total_bytes:
            fraction = min(1.0, self.bytes_read / self.total_bytes)
            eta = elapsed * (1 - fraction) / fraction if fraction > 0 else 0.0
            if self.live:
                filled = int(fraction * 30)
                line = f"{self.label} [{'#' * filled}{'.' * (30 - filled)}] {fraction:6.1%}  " + line.split(": ", 1)[1]
            else:
                line += f"  {fraction:.1%}"
            line += f"  ETA {_clock(eta)}"
        line += f"  elapsed {_clock(elapsed)}"
        if self.live:
            self.out.write("\r\033[K" + line)
        else:
            self.out.write(line + "\n")
        self.out.flush()


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:d}:{minutes:02d}:{secs:02d}"
