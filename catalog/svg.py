"""Geometry helpers for the server-rendered SVG pictures (stack diagrams, neighbourhoods, charts).

The server cannot measure text, so widths are estimated: a CJK character is as wide as the
font size, a Latin one a little over half. Estimates err on the wide side, so text fits.
"""

from __future__ import annotations

import unicodedata


def char_width(char: str, *, size: float) -> float:
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return size
    if char in "il.,:;'|!()[] ":
        return size * 0.34
    if char.isupper() or char in "mwMW@%":
        return size * 0.7
    return size * 0.56


def text_width(text: str, *, size: float, bold: bool = False) -> float:
    width = sum(char_width(char, size=size) for char in text)
    return width * 1.05 if bold else width


def fit_text(text: str, *, size: float, max_width: float, bold: bool = False) -> str:
    """``text`` cut with an ellipsis so that it fits in ``max_width``."""
    if text_width(text, size=size, bold=bold) <= max_width:
        return text
    kept = ""
    for char in text:
        if text_width(kept + char + "…", size=size, bold=bold) > max_width:
            break
        kept += char
    return kept.rstrip() + "…"


def wrap_text(text: str, *, size: float, max_width: float, max_lines: int = 2) -> list[str]:
    """``text`` broken into at most ``max_lines`` lines (at spaces, or anywhere for CJK)."""
    words = text.split(" ") if " " in text else list(text)
    joiner = " " if " " in text else ""
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current}{joiner}{word}" if current else word
        if text_width(candidate, size=size) <= max_width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        rest = joiner.join(lines[max_lines - 1 :])
        lines = lines[: max_lines - 1] + [fit_text(rest, size=size, max_width=max_width)]
    return lines
