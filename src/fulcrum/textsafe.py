"""User text made safe for terminals: it is data, never escape sequences."""

from __future__ import annotations

import re

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """Replace control characters and bidi overrides by visible ``\\uXXXX`` escapes."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def one_line(text: str) -> str:
    """Terminal-safe text on one line (newlines and tabs shown as spaces)."""
    return terminal_safe(text.replace("\r\n", " ").replace("\n", " ").replace("\t", " "))
