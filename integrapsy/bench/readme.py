"""The README's benchmark figures, rewritten by ``benchmark --write-readme`` from the last run."""

from __future__ import annotations

from pathlib import Path

START = "<!-- benchmark:start (written by manage.py benchmark --write-readme) -->"
END = "<!-- benchmark:end -->"


def _row(*cells) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def markdown(*, heading: str, results, bench_line: str, wire=None, shares=None) -> str:
    lines = [heading, "", _row("page", "median ms", "p95 ms", "queries", "ratio to empty page")]
    lines.append(_row(*["---"] * 5))
    for r in results:
        lines.append(_row(r.page, f"{r.median_ms:,.1f}", f"{r.p95_ms:,.1f}", r.queries, f"{r.ratio:,.2f}"))
    lines += ["", f"`{bench_line}`"]
    if wire:
        lines += [
            "",
            "Through gunicorn on loopback (2 workers), all users at once; load = the HTML, then each "
            "stylesheet and script it names, with an empty cache:",
            "",
            _row("page", "users", "first byte ms", "p95", "loaded ms", "p95", "assets", "ratio (first byte)"),
            _row(*["---"] * 8),
        ]
        for w in wire:
            lines.append(
                _row(
                    w.page,
                    w.users,
                    f"{w.ttfb_median_ms:,.1f}",
                    f"{w.ttfb_p95_ms:,.1f}",
                    f"{w.load_median_ms:,.1f}",
                    f"{w.load_p95_ms:,.1f}",
                    w.assets,
                    f"{w.ratio:,.2f}",
                )
            )
    if shares:
        lines += [
            "",
            "Where each page's time goes (`--profile`, cProfile; the templates' share includes the SQL "
            "of querysets first read while rendering, and the widgets):",
            "",
            _row("page", "SQL", "templates", "form widgets"),
            _row(*["---"] * 4),
        ]
        lines += [_row(s.page, f"{s.sql:.0%}", f"{s.templates:.0%}", f"{s.widgets:.0%}") for s in shares]
    return "\n".join(lines)


def write(path: Path, block: str) -> None:
    """Replace what stands between the two markers; the markers must be there, once each."""
    text = path.read_text()
    if text.count(START) != 1 or text.count(END) != 1 or text.index(START) > text.index(END):
        raise ValueError(f"{path.name} must hold the benchmark markers once, start before end.")
    before, rest = text.split(START)
    _, after = rest.split(END)
    path.write_text(f"{before}{START}\n{block}\n{END}{after}")
