"""Writing a set of files all or nothing (roster.files): a failure leaves the files that were there
as they were and no temporary file behind, and says why in Norwegian."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from roster.files import WriteError, check_writable, reason, write_all


def _text(text: str):
    return lambda p: p.write_text(text, encoding="utf-8")


def _old_set(folder: Path) -> dict[str, bytes]:
    folder.mkdir()
    for name in ("a.json", "b.csv", "c.txt"):
        (folder / name).write_text(f"gammel {name}", encoding="utf-8")
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def test_every_file_is_replaced_and_missing_folders_are_made(tmp_path):
    written = write_all({tmp_path / "ny" / "mappe" / "a.json": _text("{}"), tmp_path / "b.csv": _text("x")})
    assert written == [tmp_path / "ny" / "mappe" / "a.json", tmp_path / "b.csv"]
    assert (tmp_path / "ny" / "mappe" / "a.json").read_text(encoding="utf-8") == "{}"
    assert sorted(p.name for p in (tmp_path / "ny" / "mappe").iterdir()) == ["a.json"]


def test_a_writer_that_fails_changes_nothing(tmp_path):
    folder = tmp_path / "ut"
    before = _old_set(folder)

    def disk_full(p: Path) -> None:
        p.write_text("halv", encoding="utf-8")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(WriteError) as info:
        write_all({folder / "a.json": _text("ny"), folder / "b.csv": disk_full, folder / "c.txt": _text("ny")})
    assert info.value.path == folder / "b.csv" and info.value.message == "kan ikke skrive filen: disken er full"
    assert _files(folder) == before


def test_a_rename_that_fails_puts_back_the_files_renamed_before_it(tmp_path, monkeypatch):
    """As when roster.xlsx is held open in Excel on Windows: the last file cannot be moved."""
    folder = tmp_path / "ut"
    before = _old_set(folder)
    real = os.replace

    def locked(src, dst):
        if Path(src) == folder / "c.txt":
            raise PermissionError(errno.EACCES, "Permission denied")
        real(src, dst)

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(WriteError) as info:
        write_all({folder / "a.json": _text("ny"), folder / "b.csv": _text("ny"), folder / "d.txt": _text("ny"),
                   folder / "c.txt": _text("ny")})
    assert info.value.path == folder / "c.txt" and "ingen skrivetilgang" in info.value.message
    assert _files(folder) == before  # d.txt, new, is gone again


def test_a_folder_in_the_place_of_a_file_is_named(tmp_path):
    folder = tmp_path / "ut"
    before = _old_set(folder)
    (folder / "d.xlsx").mkdir()
    with pytest.raises(WriteError) as info:
        write_all({folder / "a.json": _text("ny"), folder / "d.xlsx": _text("ny")})
    assert str(info.value) == f"{folder / 'd.xlsx'}: kan ikke skrive filen: er en mappe"
    assert {n: b for n, b in _files(folder).items() if n != "d.xlsx"} == before


@pytest.mark.parametrize(("code", "text"), [
    (errno.EISDIR, "er en mappe"), (errno.EACCES, "ingen skrivetilgang (eller filen er åpen i et annet program)"),
    (errno.ENOSPC, "disken er full"), (errno.EROFS, "filsystemet er skrivebeskyttet"), (errno.EIO, "systemfeil EIO"),
    (None, "ukjent systemfeil"),
])
def test_reasons_are_norwegian_or_the_errno_name(code, text):
    assert reason(OSError(code, "English text") if code else OSError("English text")) == text


def test_check_writable_sees_a_folder_or_a_file_in_the_way_without_writing(tmp_path):
    (tmp_path / "mappe.xlsx").mkdir()
    (tmp_path / "fil").write_text("", encoding="utf-8")
    with pytest.raises(WriteError) as info:
        check_writable([tmp_path / "ok.json", tmp_path / "mappe.xlsx"])
    assert str(info.value) == f"{tmp_path / 'mappe.xlsx'}: kan ikke skrive filen: er en mappe"
    with pytest.raises(WriteError) as info:
        check_writable([tmp_path / "fil" / "under" / "roster.json"])
    assert str(info.value) == f"{tmp_path / 'fil'}: kan ikke lage mappen: finnes fra før og er ikke en mappe"
    check_writable([tmp_path / "ny" / "mappe" / "roster.json", tmp_path / "fil"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fil", "mappe.xlsx"]
