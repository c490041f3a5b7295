"""Writing a command's files all or nothing, and why writing failed, in Norwegian.

A solve writes five files; when one of them cannot be written (a folder in its place, a full disk,
a workbook held open in Excel) the folder must not be left with some files new and some old, nor
with half a file. So each file is written to a hidden temporary name beside it, and only when all
are complete are they renamed into place; a rename that fails puts back the files renamed before it.
"""

from __future__ import annotations

import errno
import os
import secrets
from collections.abc import Callable, Iterable, Mapping
from contextlib import suppress
from pathlib import Path

# The OS's own text (strerror) is English: the common causes in words, the rest by errno name.
REASONS = {
    errno.EISDIR: "er en mappe",
    errno.ENOTDIR: "en del av stien er en fil, ikke en mappe",
    errno.EEXIST: "finnes fra før og er ikke en mappe",
    errno.ENOENT: "mappen finnes ikke",
    errno.EACCES: "ingen skrivetilgang (eller filen er åpen i et annet program)",
    errno.EPERM: "ingen skrivetilgang",
    errno.ENOSPC: "disken er full",
    errno.EROFS: "filsystemet er skrivebeskyttet",
    errno.ENAMETOOLONG: "navnet er for langt",
}


def reason(exc: OSError) -> str:
    if exc.errno in REASONS:
        return REASONS[exc.errno]
    name = errno.errorcode.get(exc.errno) if exc.errno is not None else None
    return f"systemfeil {name}" if name else "ukjent systemfeil"


class WriteError(Exception):
    """A file or folder that could not be written; the files already there are as they were."""

    def __init__(self, path: Path, error: OSError, folder: bool = False):
        self.path = path
        self.message = f"kan ikke {'lage mappen' if folder else 'skrive filen'}: {reason(error)}"
        super().__init__(f"{path}: {self.message}")


def check_writable(paths: Iterable[Path]) -> None:
    """Raise the WriteError ``write_all`` would raise for a folder in the place of a file or a file
    in the place of a folder, so a command stops before a long solve rather than after it."""
    for path in paths:
        try:
            if path.is_dir():
                raise WriteError(path, IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR)))
            in_the_way = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
        except OSError as exc:
            raise WriteError(path, exc) from exc
        if in_the_way is not None:
            raise WriteError(in_the_way, FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST)), folder=True)


def write_all(writers: Mapping[Path, Callable[[Path], object]]) -> list[Path]:
    """Write every file with its writer, which is given the path to write to; missing folders are
    made. Raises WriteError for the first file that fails, and then no file has changed."""
    temps: dict[Path, Path] = {}
    try:
        for path, write in writers.items():
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise WriteError(path.parent, exc, folder=True) from exc
            # the suffix stays last: a writer may choose the format by it (dump_scenario)
            temps[path] = path.with_name(f".{path.stem}.{secrets.token_hex(4)}.tmp{path.suffix}")
            try:
                write(temps[path])
                with temps[path].open("rb+") as f:  # on disk before it replaces the old file
                    os.fsync(f.fileno())
            except OSError as exc:
                raise WriteError(path, exc) from exc
        _replace_all(temps)
    finally:
        for temp in temps.values():
            with suppress(OSError):
                temp.unlink(missing_ok=True)
    return list(writers)


def _replace_all(temps: dict[Path, Path]) -> None:
    """Rename each temporary file over its target. Each old file is first moved aside, so that
    when a rename fails the targets renamed before it get their old files back."""
    placed: list[Path] = []
    aside: dict[Path, Path] = {}
    try:
        for path, temp in temps.items():
            if path.is_file() or path.is_symlink():
                aside[path] = temp.with_name(f"{temp.name}.old")
                os.replace(path, aside[path])
            os.replace(temp, path)
            placed.append(path)
    except BaseException as exc:
        for new in placed:
            if new not in aside:
                with suppress(OSError):
                    new.unlink()
        for target, old in aside.items():
            with suppress(OSError):  # a failed restore leaves the old file under its .old name
                os.replace(old, target)
        if isinstance(exc, OSError):
            raise WriteError(path, exc) from exc
        raise
    for old in aside.values():
        with suppress(OSError):
            old.unlink()
