"""A folder of files made once and shared by this user's processes (no Django here).

Under the temporary directory, one per user (``<name>-<uid>``), created private (0700) and
used only when it is this user's and nobody else can write to it: a file found there was made
by this user's processes, never planted by another.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def private_directory(name: str) -> Path:
    """``<temp dir>/<name>-<uid>``, made if missing; OSError when it is not safe to use."""
    uid = os.getuid() if hasattr(os, "getuid") else 0
    folder = Path(tempfile.gettempdir()) / f"{name}-{uid}"
    folder.mkdir(mode=0o700, exist_ok=True)
    found = os.lstat(folder)
    if not stat.S_ISDIR(found.st_mode):
        raise NotADirectoryError(f"{folder} is not a folder")
    if hasattr(os, "getuid") and found.st_uid != uid:
        raise PermissionError(f"{folder} belongs to another user")
    if found.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise PermissionError(f"{folder} is writable by others")
    return folder
