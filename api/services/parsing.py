"""Uploads are parsed in a separate process with a time and a memory budget, never on the event loop.

Parsing a workbook is CPU work in pure Python (openpyxl, pydantic): done in a request handler it
held the event loop, and one 640 KB workbook that unpacked to 190 MB froze every page and calendar
feed for three minutes while the server grew to 2.5 GB. Here each upload is parsed by a child of a
fork server (the parsing modules preloaded, so a child starts in milliseconds), at most
``parse_workers`` at a time; the event loop only waits for the child's pipe to become readable. A
child past ``parse_seconds`` is killed; its address space is capped at ``parse_memory_mb``. Either
way the manager gets a Norwegian refusal and the service is untouched.
"""

from __future__ import annotations

import asyncio
import errno
import gc
import logging
import multiprocessing
import os
import resource
import signal
from multiprocessing.connection import Connection
from typing import Any

from api.config import Settings
from roster.models import Scenario
from roster.scenario_io import InputError
from roster.terms import number

log = logging.getLogger(__name__)

PRELOAD = ["api.services.scenarios", "roster.excel"]
EXIT_OUT_OF_MEMORY = 3


def _child(conn: Connection, filename: str, content: bytes, memory_bytes: int) -> None:
    """Runs in the child: parse under the memory cap, and send back the answer."""
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    answer = parse_answer(filename, content)
    gc.collect()  # the half-read workbook's cycles, before the answer needs memory
    try:
        conn.send(answer)
    except MemoryError:
        os._exit(EXIT_OUT_OF_MEMORY)
    conn.close()


def parse_answer(filename: str, content: bytes) -> tuple[str, Any]:
    """The scenario's JSON or the problems; running out of memory is told apart from a program error."""
    from api.services.scenarios import parse_upload

    try:
        return ("ok", parse_upload(filename, content).model_dump_json())
    except InputError as exc:
        return ("problems", exc.problems)
    except MemoryError:
        return ("memory", None)
    except OSError as exc:  # under the address-space cap a temporary file or mmap fails with ENOMEM
        return ("memory", None) if exc.errno == errno.ENOMEM else ("error", f"{type(exc).__name__}: {exc}")
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which logs it
        return ("error", f"{type(exc).__name__}: {exc}")


class UploadParser:
    """One per app: the fork server's context and the limit on parses running at once."""

    def __init__(self, settings: Settings):
        self.seconds = settings.parse_seconds
        self.memory_bytes = settings.parse_memory_mb * 2**20
        self.workers = settings.parse_workers
        self.context = multiprocessing.get_context("forkserver")
        self.context.set_forkserver_preload(PRELOAD)
        self._slots: asyncio.Semaphore | None = None

    async def parse(self, filename: str, content: bytes) -> Scenario:
        """The validated scenario of an upload, or InputError (Norwegian, naming cells and paths)."""
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.workers)
        async with self._slots:
            kind, value = await self._run(filename, content)
        if kind == "ok":
            return await asyncio.to_thread(Scenario.model_validate_json, value)
        if kind == "problems":
            raise InputError(value, filename)
        if kind == "memory":
            raise InputError([f"filen trenger mer enn {self.memory_bytes // 2**20} MB minne å lese; "
                              "del den opp eller fjern det som ikke hører til planen"], filename)
        if kind == "time":
            raise InputError([f"det tok mer enn {number(self.seconds)} s å lese filen; del den opp eller fjern det "
                              "som ikke hører til planen"], filename)
        log.error("parsing upload %s failed: %s", filename, value)
        raise InputError(["filen kunne ikke leses (programfeil; se tjenestens logg)"], filename)

    async def _run(self, filename: str, content: bytes) -> tuple[str, Any]:
        receive, send = self.context.Pipe(duplex=False)
        child = self.context.Process(target=_child, args=(send, filename, content, self.memory_bytes), daemon=True)
        await asyncio.to_thread(child.start)  # hands the upload to the fork server
        send.close()
        try:
            await asyncio.wait_for(_readable(receive), self.seconds)
            return receive.recv()
        except TimeoutError:
            return ("time", None)
        except EOFError:  # the child died without answering: killed for its memory, or crashed
            await asyncio.to_thread(child.join)
            killed = child.exitcode in (EXIT_OUT_OF_MEMORY, -signal.SIGKILL)
            return ("memory", None) if killed else ("error", f"exit code {child.exitcode}")
        finally:
            receive.close()
            if child.is_alive():
                child.kill()
            await asyncio.to_thread(child.join)


async def _readable(conn: Connection) -> None:
    """Wait, without a thread, until the child has written (or closed) its end of the pipe."""
    loop = asyncio.get_running_loop()
    ready = loop.create_future()
    loop.add_reader(conn.fileno(), lambda: ready.done() or ready.set_result(None))
    try:
        await ready
    finally:
        loop.remove_reader(conn.fileno())
