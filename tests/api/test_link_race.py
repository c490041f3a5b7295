"""Doctors' links are made on the first view of a scenario's page (or its link list); two first views
at once, in real threads against the database (SQLite and PostgreSQL), make each link once and
both answer with it, instead of one of them failing on the unique doctor id."""

from __future__ import annotations

import threading
import time

import httpx
from sqlalchemy import func, select
from test_publish_concurrency import tiny
from web_helpers import PASSWORD

from api.main import create_app
from api.orm import DoctorLinkRow
from api.services import links
from api.services.scenarios import store
from tests.browser.browser_helpers import live

DOCTORS = ["anne", "bjorn", "cecilie"]


def test_a_view_that_read_before_another_inserted_gets_the_other_ones_links(settings):
    """The interleaving that failed: the second view reads (nothing yet), the first one's insert is
    not committed, the second inserts the same doctors."""
    app = create_app(settings)
    inserted = threading.Event()
    answers: dict[str, dict[str, str]] = {}
    failures: list[BaseException] = []

    def first() -> None:
        with app.state.sessions() as s:
            answers["first"] = links.ensure(s, DOCTORS)
            inserted.set()
            time.sleep(0.5)  # the second view reads now, finds nothing, and its insert waits for ours
            s.commit()

    def second() -> None:
        inserted.wait()
        try:
            with app.state.sessions() as s:
                answers["second"] = links.ensure(s, DOCTORS)
                s.commit()
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            failures.append(exc)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert answers["first"] == answers["second"]
    with app.state.sessions() as s:
        assert s.scalar(select(func.count()).select_from(DoctorLinkRow)) == len(DOCTORS)


def test_six_first_views_of_a_new_scenario_at_once_all_answer_with_the_same_links(settings):
    app = create_app(settings)
    with app.state.sessions() as s:
        scenario_id = store(s, tiny(), "test", "leder").id
        s.commit()
    with live(app) as url:
        token = httpx.post(f"{url}/api/token", data={"username": "leder", "password": PASSWORD}).json()["access_token"]
        barrier = threading.Barrier(6)
        answers: list[httpx.Response] = []

        def view(i: int) -> None:
            with httpx.Client(base_url=url, timeout=60, headers={"Authorization": f"Bearer {token}"}) as c:
                barrier.wait()
                answers.append(c.get(f"/api/scenarios/{scenario_id}/doctors" + (".csv" if i % 2 else "")))

        threads = [threading.Thread(target=view, args=(i,)) for i in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert sorted(a.status_code for a in answers) == [200] * 6, [a.text[:200] for a in answers]
    pages = {link["doctor"]: link["page"] for a in answers if a.headers["content-type"].startswith("application/json")
             for link in a.json()}
    assert all(page in a.text for a in answers if a.headers["content-type"].startswith("text/csv")
               for page in pages.values())
    with app.state.sessions() as s:
        assert s.scalar(select(func.count()).select_from(DoctorLinkRow)) == len(DOCTORS)
