"""What a repository's health suggests about its maintenance: a pure rule, free of Django.

The rule, applied to the values ``refresh_health`` read (as of the date they were read):

- the repository is archived: **unmaintained**;
- otherwise, with no known last commit: no suggestion (None);
- the last commit is 18 months old or more: **unmaintained**;
- the last commit is 6 months old or more: **low activity**;
- otherwise: **active**.

Ages are whole calendar months (2025-06-01 to 2026-12-01 is 18). The suggestion never replaces
the editor's label: where they differ, the admin and the detail page show both, and the label
stays the answer (an editor may know that a quiet project is finished rather than abandoned).
"""

from __future__ import annotations

import re
from datetime import date

# The values of ``catalog.models.Maintenance`` (tests check they agree).
ACTIVE = "active"
LOW_ACTIVITY = "low-activity"
UNMAINTAINED = "unmaintained"

# The history's change reason on values refresh_health saved (the changes feed skips them).
HEALTH_CHANGE_REASON = "refresh_health"

LOW_ACTIVITY_MONTHS = 6
UNMAINTAINED_MONTHS = 18

_GITHUB_REPO_URL = re.compile(
    r"^https?://(?:www\.)?github\.com/(?P<owner>[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)"
    r"/(?P<name>[A-Za-z0-9._-]+?)(?:\.git)?/?(?:[/?#].*)?$"
)


def github_repo(url: str) -> str | None:
    """``owner/name`` of a GitHub repository URL, or None when the URL is not one."""
    match = _GITHUB_REPO_URL.match(url.strip())
    if match is None or match["name"] in {".", ".."}:
        return None
    return f"{match['owner']}/{match['name']}"


def months_between(earlier: date, later: date) -> int:
    """Whole calendar months from ``earlier`` to ``later`` (0 when ``later`` is not later)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    return max(months, 0)


def suggest_maintenance(
    *, archived: bool | None, last_commit: date | None, as_of: date
) -> str | None:
    """The maintenance the health signals suggest, or None when they say too little."""
    if archived:
        return UNMAINTAINED
    if last_commit is None:
        return None
    age = months_between(last_commit, as_of)
    if age >= UNMAINTAINED_MONTHS:
        return UNMAINTAINED
    if age >= LOW_ACTIVITY_MONTHS:
        return LOW_ACTIVITY
    return ACTIVE


def compact_count(count: int) -> str:
    """A count as GitHub shows it: 987, 1.2k, 12k, 1.2M (rounded down, never overstated)."""
    if count < 1000:
        return str(count)
    for size, suffix in ((1_000_000, "M"), (1000, "k")):
        if count >= size:
            whole, rest = divmod(count, size)
            if whole >= 10:
                return f"{whole}{suffix}"
            tenth = rest * 10 // size
            return f"{whole}.{tenth}{suffix}" if tenth else f"{whole}{suffix}"
    return str(count)  # pragma: no cover
