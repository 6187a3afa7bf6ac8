"""The Content-Security-Policy allows styles from our own files only: no ``style=`` in a template."""

import re
from dataclasses import dataclass
from pathlib import Path

from django.template.loader import render_to_string

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
STYLE_ATTRIBUTE = re.compile(r"<[a-zA-Z][^>]*\sstyle\s*=", re.DOTALL)


@dataclass
class _Progress:
    percent: int
    completed: int
    required: int
    hours: float
    certified: bool


def test_the_training_progress_bar_shows_its_value_without_an_inline_style():
    html = render_to_string("ambassadors/_progress_bar.html", {"p": _Progress(67, 2, 3, 5.5, False)})
    assert not STYLE_ATTRIBUTE.search(html)
    progress = re.search(r"<progress\b[^>]*>", html).group(0)
    assert 'value="67"' in progress and 'max="100"' in progress
    assert re.search(r'aria-label="[^"]+"', progress)  # its accessible name
    assert "67%" in html


def test_no_template_has_an_inline_style():
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in sorted([*TEMPLATES.rglob("*.html"), *TEMPLATES.rglob("*.jinja")])
        if STYLE_ATTRIBUTE.search(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, offenders
