"""Files that appear whole or not at all: every writer of ``geo`` goes through here.

A writer first checks the output folder (:func:`check_writable`, before any long read),
then writes into a ``<name>.<pid>.part`` file beside the target (:func:`atomic_path`), which
is flushed to disk and renamed over the target only once it is complete. An interrupted
or failed write removes its ``.part``; one left by a killed process (SIGKILL, power loss)
is removed by the next write to the same target. The previous file stays intact throughout.

A folder (a published site) is written the same way (:func:`atomic_folder`): into a
``<name>.<pid>.part`` folder beside it, swapped in whole at the end (one atomic exchange of
the two names where the kernel offers it), so readers see the old folder or the new one.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from geo.errors import InputError

PART_SUFFIX = ".part"


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists on this machine.

    Parameters
    ----------
    pid : int

    Returns
    -------
    bool
    """
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return True


def part_path(target: Path, pid: int | None = None) -> Path:
    """The temporary file beside ``target`` that this process writes into.

    Parameters
    ----------
    target : Path
    pid : int, optional
        The writing process (default: this one).

    Returns
    -------
    Path
    """
    return target.with_name(f"{target.name}.{os.getpid() if pid is None else pid}{PART_SUFFIX}")


def remove_stale_parts(target: Path) -> list[Path]:
    """Remove ``.part`` files of ``target`` left by processes that no longer run.

    Parameters
    ----------
    target : Path

    Returns
    -------
    list of Path
        The files removed.
    """
    pattern = re.compile(re.escape(target.name) + r"\.(\d+)" + re.escape(PART_SUFFIX))
    removed = []
    with contextlib.suppress(OSError):
        for candidate in target.parent.iterdir():
            match = pattern.fullmatch(candidate.name)
            if not match or pid_alive(int(match.group(1))):
                continue
            if candidate.is_dir() and not candidate.is_symlink():
                shutil.rmtree(candidate, ignore_errors=True)
                removed.append(candidate)
            elif candidate.is_file():
                with contextlib.suppress(FileNotFoundError):
                    candidate.unlink()
                    removed.append(candidate)
    return removed


def check_writable(target: str | Path) -> Path:
    """Make sure ``target`` can be written, before any slow work: the folder exists and is writable.

    A folder without any write permission counts as read-only even for the superuser. Stale
    ``.part`` files of the target are removed.

    Parameters
    ----------
    target : str or Path

    Returns
    -------
    Path
        The target.

    Raises
    ------
    InputError
        When the folder is missing, not a folder or read-only, or the target is a folder.
    """
    target = Path(target)
    folder = target.parent
    if not folder.exists():
        raise InputError.keyed("error.write.no_folder", target=str(target), folder=str(folder))
    if not folder.is_dir():
        raise InputError.keyed("error.write.not_folder", target=str(target), folder=str(folder))
    if target.is_dir():
        raise InputError.keyed("error.write.is_folder", target=str(target))
    read_only = not stat.S_IMODE(folder.stat().st_mode) & 0o222
    if read_only or not os.access(folder, os.W_OK | os.X_OK):
        raise InputError.keyed("error.write.read_only", target=str(target), folder=str(folder))
    remove_stale_parts(target)
    try:  # a read-only mount or a full quota shows here (the probe has no name on Linux)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise InputError.keyed(
            "error.write.failed", target=str(target), problem=str(exc.strerror)
        ) from None
    return target


def _fsync(path: Path, flags: int = os.O_RDONLY) -> None:
    descriptor = os.open(path, flags)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """A temporary path to write ``target`` into; renamed over it once the block succeeds.

    Parameters
    ----------
    target : str or Path

    Yields
    ------
    Path
        The ``.part`` file to write (beside the target, so the rename is atomic).

    Raises
    ------
    InputError
        When writing fails (full disk, read-only folder...): the target is left as it was.
    """
    target = Path(target)
    part = part_path(target)
    try:
        yield part
        _fsync(part)
        os.replace(part, target)
        with contextlib.suppress(OSError):  # not every file system syncs a folder
            _fsync(target.parent)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise InputError.keyed(
            "error.write.failed", target=str(target), problem=str(exc.strerror or exc)
        ) from None
    except BaseException:  # Ctrl-C, SIGTERM, any failure: no partial file stays
        part.unlink(missing_ok=True)
        raise


def write_bytes(target: str | Path, data: bytes) -> Path:
    """Write bytes to ``target`` atomically (see :func:`atomic_path`).

    Parameters
    ----------
    target : str or Path
    data : bytes

    Returns
    -------
    Path
    """
    with atomic_path(target) as part:
        part.write_bytes(data)
    return Path(target)


def write_text(target: str | Path, text: str) -> Path:
    """Write UTF-8 text to ``target`` atomically (see :func:`atomic_path`).

    Parameters
    ----------
    target : str or Path
    text : str

    Returns
    -------
    Path
    """
    return write_bytes(target, text.encode("utf-8"))


@contextlib.contextmanager
def atomic_folder(target: str | Path) -> Iterator[Path]:
    """An empty folder to fill; it replaces ``target`` whole once the block succeeds.

    Parameters
    ----------
    target : str or Path
        The folder to write (made, or replaced with everything in it).

    Yields
    ------
    Path
        The ``.part`` folder beside the target. On any failure it is removed and the target
        stays as it was.
    """
    target = Path(target)
    remove_stale_parts(target)
    staging = part_path(target)
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        yield staging
        _swap_in(staging, target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise InputError.keyed(
            "error.write.failed", target=str(target), problem=str(exc.strerror or exc)
        ) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


RENAME_EXCHANGE = 2  # renameat2(2): swap two names in one step
AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths' names atomically; False where the kernel or file system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    done = renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE)
    return int(done) == 0


def _swap_in(staging: Path, target: Path) -> None:
    """Put the staging folder where the target is; the old target is removed after."""
    if not target.exists():
        os.rename(staging, target)
        return
    if not target.is_dir() or target.is_symlink():
        raise InputError.keyed("error.write.not_folder", target=str(target), folder=str(target))
    if _exchange(staging, target):  # staging now holds the old folder
        shutil.rmtree(staging, ignore_errors=True)
        return
    old = target.with_name(f"{target.name}.{os.getpid()}.old")
    os.rename(target, old)  # a moment without the folder where the kernel cannot swap
    os.rename(staging, target)
    shutil.rmtree(old, ignore_errors=True)
