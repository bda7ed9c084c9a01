"""Progress: plain lines when not on a terminal, with percent, rate and ETA."""

import io

from ingest.importer.progress import Progress


def test_plain_lines_off_terminal() -> None:
    out = io.StringIO()
    progress = Progress("works.jsonl", total_bytes=1000, out=out, interval=0)
    progress.update(50, 250)
    progress.update(100, 500)
    progress.finish()
    lines = out.getvalue().splitlines()
    assert len(lines) == 2  # finish() does not repeat a line it just drew
    assert "works.jsonl: 100 records" in lines[1]
    assert "50.0%" in lines[1]
    assert "ETA" in lines[1]
    assert "\r" not in out.getvalue()


def test_unknown_size_shows_no_eta() -> None:
    out = io.StringIO()
    progress = Progress("<stdin>", total_bytes=None, out=out, interval=0)
    progress.update(10, 10)
    assert "ETA" not in out.getvalue()
