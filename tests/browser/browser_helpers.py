"""Shared by the browser tests: Chromium's arguments, a live uvicorn server for an app, screenshots
(Chromium itself: the ``chromium`` fixture, tests/conftest.py)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True}
PASSWORD = "nettleser-test-passord"  # the manager «leder» of ``service``


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def live(app) -> Iterator[str]:  # noqa: ANN001 - a FastAPI app
    """The app served by uvicorn on a free loopback port until the block ends."""
    import uvicorn

    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=30)


def service(data_dir: Path, **settings):  # noqa: ANN003, ANN201 - Settings fields; a FastAPI app
    """The web app on its own data folder, with the manager «leder» (``PASSWORD``) and no other."""
    from api.config import Settings
    from api.main import create_app
    from api.security import hash_password

    return create_app(Settings(data_dir=data_dir, managers=f"leder:{hash_password(PASSWORD)}",
                               bootstrap_manager=False, **settings))


def log_in(page, url: str) -> None:  # noqa: ANN001 - a Playwright page
    """As the manager, from the login page to the overview."""
    page.goto(url + "/logg-inn")
    page.fill("input[name=brukernavn]", "leder")
    page.fill("input[name=passord]", PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(url + "/")


def shot(page, name: str, full: bool = False) -> None:  # noqa: ANN001 - a Playwright page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full)


def wait_until(condition: Callable[[], bool], seconds: float) -> None:
    """Poll the page from Python: the service's Content-Security-Policy forbids the string
    evaluation Playwright's wait_for_function would need."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the page did not get there in time"
        time.sleep(0.2)
