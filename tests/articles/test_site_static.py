"""The stylesheet's colours pass WCAG AA in both themes; the script stays CSP-friendly."""

import re
from pathlib import Path

import pytest
from django.conf import settings

CSS = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_text()
JS = (Path(settings.BASE_DIR) / "static" / "js" / "site.js").read_text()

# (foreground, background, minimum ratio): body text needs 4.5:1; the focus ring, a
# non-text indicator, 3:1.
PAIRS = [
    ("--text", "--bg", 4.5),
    ("--text", "--surface", 4.5),
    ("--muted", "--bg", 4.5),
    ("--muted", "--surface", 4.5),
    ("--accent", "--bg", 4.5),
    ("--accent", "--surface", 4.5),
    ("--accent", "--notice-bg", 4.5),
    ("--accent-text", "--accent", 4.5),
    ("--text", "--notice-bg", 4.5),
    ("--text", "--current-bg", 4.5),
    ("--muted", "--current-bg", 4.5),
    ("--accent", "--current-bg", 4.5),
    ("--danger", "--bg", 4.5),
    ("--danger", "--surface", 4.5),
    ("--focus", "--bg", 3.0),
    ("--focus", "--surface", 3.0),
]


def theme(selector: str) -> dict[str, str]:
    block = re.search(re.escape(selector) + r"\s*\{(.*?)\}", CSS, re.S).group(1)
    return dict(re.findall(r"(--[a-z-]+):\s*(#[0-9a-f]{6})", block))


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("selector", [":root", ':root[data-theme="dark"]'])
@pytest.mark.parametrize(("fg", "bg", "minimum"), PAIRS)
def test_colour_pairs_pass_wcag_aa(selector, fg, bg, minimum):
    colours = {**theme(":root"), **theme(selector)}
    ratio = contrast(colours[fg], colours[bg])
    assert ratio >= minimum, f"{selector} {fg} on {bg}: {ratio:.2f}"


def test_system_dark_theme_matches_the_toggle():
    system = re.search(r':root:not\(\[data-theme="light"\]\)\s*\{(.*?)\}', CSS, re.S).group(1)
    assert dict(re.findall(r"(--[a-z-]+):\s*(#[0-9a-f]{6})", system)) == theme(
        ':root[data-theme="dark"]'
    )


def test_script_needs_nothing_the_csp_forbids():
    for forbidden in ["eval(", "new Function", "innerHTML", ".style.", 'setAttribute("style"']:
        assert forbidden not in JS, forbidden
