"""How the service refuses: in Norwegian, as an HTML page (the base template) to a browser and as
JSON with a ``detail`` to an API client, whatever raised the refusal (a route, a dependency, the
router, the form parser).

A page is for a request outside ``/api/`` or one whose ``Accept`` asks for HTML first (a link from
a page to a download). A browser that opens an address only a form posts to (where the login page
sends a manager whose session ran out during an upload) is sent to the nearest page above it.
"""

from __future__ import annotations

from http import HTTPStatus
from urllib.parse import quote

from fastapi import FastAPI, Request, Response, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException
from starlette.routing import Match

from api.deps import LoginRequired
from api.routers.pages import redirect
from api.services.replan_form import LABELS
from roster.input_errors import shown
from roster.scenario_io import InputError, validation_problems

# The framework's own refusals carry English details: these replace them.
FRAMEWORK_DETAILS = {
    400: "forespørselen kunne ikke leses (ugyldig skjema eller fil)",
    404: "siden finnes ikke",
    405: "adressen tar ikke imot denne typen forespørsel",
}
HEADINGS = {400: "Ugyldig forespørsel", 401: "Innlogging kreves", 403: "Avvist", 404: "Finnes ikke",
            405: "Ikke tillatt", 409: "Ikke mulig nå", 413: "For stor forespørsel", 422: "Ugyldig forespørsel",
            429: "For mange forespørsler"}
# A path parameter that does not parse as an id names nothing: «scenario abc finnes ikke».
ID_NAMES = {"scenario_id": "scenario", "roster_id": "vaktplan", "swap_id": "bytte", "round_id": "ønskerunde",
            "request_id": "ønske"}
WHERE = ("body", "query", "path", "header", "cookie")
NOT_SENT = "Skjemaet ble ikke sendt (kanskje var innloggingen utløpt); send det på nytt her."


def wants_html(request: Request) -> bool:
    return (not request.url.path.startswith("/api/")
            or request.headers.get("accept", "").lstrip().startswith("text/html"))


def norwegian_detail(exc: HTTPException) -> object:
    framework = exc.status_code in FRAMEWORK_DETAILS and (
        exc.status_code != 404 or exc.detail == HTTPStatus.NOT_FOUND.phrase)
    return FRAMEWORK_DETAILS[exc.status_code] if framework else exc.detail


def to_login(request: Request) -> RedirectResponse:
    """To the login page, and after it back to the address asked for."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/logg-inn?neste={quote(target)}", status_code=status.HTTP_303_SEE_OTHER)


def page_above(request: Request) -> str:
    """The nearest address above this one that a browser can open (``/`` at the latest)."""
    parts = request.url.path.rstrip("/").split("/")
    while len(parts) > 1:
        parts.pop()
        path = "/".join(parts) or "/"
        scope = {**request.scope, "path": path, "method": "GET"}
        if any(route.matches(scope)[0] == Match.FULL for route in request.app.router.routes):
            return path
    return "/"


def labelled(problems: list[str]) -> list[str]:
    """A page's problems with the form field's label where the API names its request path
    («body.tidsgrense: mangler» → «Tidsgrense: mangler»)."""
    out = []
    for p in problems:
        where, sep, what = p.partition(": ")
        head, _, rest = where.partition(".")
        if sep and head in WHERE:
            field = rest.split(".")[0].split("[")[0]
            label = LABELS.get(field, field.replace("_", " ").capitalize()) if field else "Skjemaet"
            out.append(f"{label}: {what}")
        else:
            out.append(p)
    return out


def install(app: FastAPI, templates: Jinja2Templates) -> None:
    def page(request: Request, code: int, text: str) -> Response:
        home = "/".join(request.url.path.split("/")[:3]) if request.url.path.startswith("/lege/") else "/"
        return templates.TemplateResponse(request, "error.html", {
            "heading": HEADINGS.get(code, "Noe gikk galt"), "text": text[:1].upper() + text[1:], "home": home},
            status_code=code)

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, _: LoginRequired) -> RedirectResponse:
        return to_login(request)

    @app.exception_handler(HTTPException)
    async def _refused(request: Request, exc: HTTPException) -> Response:
        if not wants_html(request):
            return JSONResponse({"detail": norwegian_detail(exc)}, status_code=exc.status_code, headers=exc.headers)
        if exc.status_code == status.HTTP_405_METHOD_NOT_ALLOWED and request.method == "GET":
            return redirect(page_above(request), NOT_SENT)  # not HEAD: its redirects would ask with HEAD again
        detail = norwegian_detail(exc)
        return page(request, exc.status_code, detail if isinstance(detail, str) else "; ".join(map(str, detail)))

    @app.exception_handler(RequestValidationError)
    async def _bad_request(request: Request, exc: RequestValidationError) -> Response:
        """Norwegian, like every other refusal: the field and what was wrong. An id in the address
        that is no id (``/scenarier/abc``, a number past the database's) names nothing: 404."""
        for err in exc.errors():
            if err["loc"][0] == "path":
                what = ID_NAMES.get(err["loc"][-1], err["loc"][-1])
                missing = HTTPException(status.HTTP_404_NOT_FOUND, f"{what} {shown(err['input'])} finnes ikke")
                return await _refused(request, missing)
        problems = validation_problems(exc)
        if not wants_html(request):
            return JSONResponse({"detail": "ugyldig forespørsel", "problems": problems},
                                status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)
        return templates.TemplateResponse(request, "bad_request.html", {"problems": labelled(problems)},
                                          status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)

    @app.exception_handler(InputError)
    async def _bad_input(request: Request, exc: InputError) -> Response:
        if wants_html(request):
            return templates.TemplateResponse(request, "bad_request.html", {"problems": exc.problems,
                                              "heading": "Dataene kunne ikke leses"},
                                              status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)
        return JSONResponse({"detail": "ugyldig scenario", "problems": exc.problems},
                            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)
