"""Files made once and shared by this user's processes: their folder, atomic writes and the
child process that makes them (no Django here).

Under the temporary directory, one per user (``<name>-<uid>``), created private (0700) and
used only when it is this user's and nobody else can write to it: a file found there was made
by this user's processes, never planted by another.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable
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


def write_atomically(target: Path, write: Callable[[str], None]) -> None:
    """``write(name)`` fills a temporary file beside ``target``, which then replaces it: a
    reader (another process) never sees a partial file."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=target.name, suffix=".tmp")
    os.close(handle)
    try:
        write(temporary)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def run_module(module: str, *args: str, timeout: float) -> None:
    """``python -m module args`` in a child process, from the project's root (where the
    packages are importable); CalledProcessError or TimeoutExpired when it fails."""
    subprocess.run(
        [sys.executable, "-m", module, *args],
        check=True,
        timeout=timeout,
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
    )
