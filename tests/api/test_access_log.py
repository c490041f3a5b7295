"""The access log keeps no doctor link and no query (privacy audit of 7 December 2026: 338 of 391
log lines held a working link, two a colleague's pregnancy carried in a refusal's query)."""

from __future__ import annotations

import logging

from api.access_log import RedactedAccessLog, redacted


def test_links_and_queries_are_left_out_of_the_access_log():
    assert redacted("/lege/AbC-123_x/kalender.ics") == "/lege/…/kalender.ics"
    assert redacted("/api/lege/AbC-123_x/swaps") == "/api/lege/…/swaps"
    assert redacted("/lege/AbC-123_x?feil=Kari+er+fritatt+%28graviditet%29&sig=ab") == "/lege/…?…"
    assert redacted("/vaktplaner/3?stasjon=BLV") == "/vaktplaner/3?…"
    assert redacted("/scenarier/2") == "/scenarier/2"
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1:5000", "GET", "/lege/AbC-123_x/kalender.ics?x=1", "1.1", 200), None)
    assert RedactedAccessLog().filter(record)
    assert record.getMessage() == '127.0.0.1:5000 - "GET /lege/…/kalender.ics?… HTTP/1.1" 200'
