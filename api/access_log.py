"""uvicorn's access log without what a request's address carries: a doctor's link token (it opens
their page, the whole roster and colleagues' phone numbers) and the query, where pages carry
their messages (a refusal may name a ground) and refused forms their values."""

from __future__ import annotations

import logging
import re

_DOCTOR_LINK = re.compile(r"^(/(?:api/)?lege/)[^/?]+")


def redacted(path: str) -> str:
    """``/lege/AbC…/kalender.ics?x=1`` → ``/lege/…/kalender.ics?…``."""
    bare, query, _ = path.partition("?")
    return _DOCTOR_LINK.sub(r"\1…", bare) + ("?…" if query else "")


class RedactedAccessLog(logging.Filter):
    """uvicorn logs (client, method, path with query, HTTP version, status) as the record's args."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], redacted(args[2]), *args[3:])
        return True


def install() -> None:
    """Once per process, however many apps it creates (the tests make many)."""
    log = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactedAccessLog) for f in log.filters):
        log.addFilter(RedactedAccessLog())
