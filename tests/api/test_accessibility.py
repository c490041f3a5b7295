"""Accessibility of the rendered pages (WCAG 2.1 AA, the parts a parser can see): every form
control has an accessible name, every table a name, every page its own title, and no link goes
nowhere. The pages are the manager's (overview, scenario, run, roster, swaps, publish
confirmation, wish round) and the doctor's (personal page, the swap's second step, the whole roster)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from web_helpers import login, publish_week, tiny_scenario_json, wait_for

# https://html.spec.whatwg.org/#category-label
LABELABLE = {"button", "input", "meter", "output", "progress", "select", "textarea"}
NAMED = {"input", "select", "textarea", "progress"}  # the controls checked here
UNNAMED_INPUTS = {"hidden", "submit", "button", "reset", "image"}  # named by their value, or not shown
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Page(HTMLParser):
    """The page's controls (with the label that wraps them, if they are its first labelable
    element), its labels' ``for`` and text, its tables and whether they have a caption, ids,
    titles and links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.controls: list[dict] = []
        self.labels: list[dict] = []  # {"for": id or None, "text": str}
        self.open_labels: list[dict] = []
        self.tables: list[dict] = []
        self.open_tables: list[dict] = []
        self.ids: dict[str, list[str]] = {}  # id → the text of the element (for aria-labelledby)
        self.open_ids: list[tuple[str, str]] = []  # (tag, id) of elements whose text is being read
        self.titles: list[str] = []
        self.in_title = False
        self.hrefs: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "title":
            self.in_title = True
            self.titles.append("")
        if tag == "a" and "href" in a:
            self.hrefs.append(a["href"])
        if "id" in a:
            self.ids.setdefault(a["id"], [])
            if tag not in VOID:
                self.open_ids.append((tag, a["id"]))
        if tag == "label":
            label = {"for": a.get("for"), "text": "", "first": None}
            self.labels.append(label)
            self.open_labels.append(label)
        if tag in LABELABLE and not (tag == "input" and a.get("type") == "hidden"):
            wrapping = None
            for label in reversed(self.open_labels):  # the nearest label without for= takes its first control
                if label["for"] is None and label["first"] is None:
                    label["first"] = a
                    wrapping = label
                break
            if tag in NAMED and not (tag == "input" and a.get("type", "text") in UNNAMED_INPUTS):
                self.controls.append({"tag": tag, "attrs": a, "wrapped": wrapping})
        if tag == "table":
            table = {"attrs": a, "caption": False}
            self.tables.append(table)
            self.open_tables.append(table)
        if tag == "caption" and self.open_tables:
            self.open_tables[-1]["caption"] = True
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag == "label" and self.open_labels:
            self.open_labels.pop()
        if tag == "table" and self.open_tables:
            self.open_tables.pop()
        while self.open_ids and self.open_ids[-1][0] == tag:
            self.open_ids.pop()
            break
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.titles[-1] += data
        for label in self.open_labels:
            label["text"] += data
        for _, ident in self.open_ids:
            self.ids[ident].append(data)

    def text_of(self, ident: str) -> str:
        return " ".join("".join(self.ids.get(ident, [])).split())

    def name_of(self, control: dict) -> str:
        """The control's accessible name as far as the markup gives it, or ''."""
        a = control["attrs"]
        if a.get("aria-labelledby"):
            return " ".join(self.text_of(i) for i in a["aria-labelledby"].split()).strip()
        if a.get("aria-label", "").strip():
            return a["aria-label"].strip()
        texts = [label["text"] for label in self.labels if label["for"] and label["for"] == a.get("id")]
        if control["wrapped"] is not None:
            texts.append(control["wrapped"]["text"])
        return " ".join(" ".join(texts).split())


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def problems_of(url: str, html: str) -> list[str]:
    page = parse(html)
    out = []
    for c in page.controls:
        if not page.name_of(c):
            a = c["attrs"]
            out.append(f"{url}: <{c['tag']} name={a.get('name')!r} id={a.get('id')!r}> has no accessible name")
    for c in page.controls:
        for ref in c["attrs"].get("aria-labelledby", "").split() + c["attrs"].get("aria-describedby", "").split() \
                + c["attrs"].get("aria-controls", "").split():
            if ref not in page.ids:
                out.append(f"{url}: <{c['tag']} name={c['attrs'].get('name')!r}> refers to a missing id {ref!r}")
    for label in page.labels:
        if label["for"] and label["for"] not in page.ids:
            out.append(f"{url}: <label for={label['for']!r}> names no element")
    for i, t in enumerate(page.tables):
        a = t["attrs"]
        named = t["caption"] or a.get("aria-label", "").strip() or (
            a.get("aria-labelledby") and all(page.text_of(r) for r in a["aria-labelledby"].split()))
        if not named:
            out.append(f"{url}: table {i + 1} (id={a.get('id')!r}, class={a.get('class')!r}) "
                       "has no caption or aria-label")
    if len(page.titles) != 1 or not page.titles[0].strip():
        out.append(f"{url}: {len(page.titles)} titles")
    if "#" in page.hrefs:
        out.append(f'{url}: a link with href="#"')
    return out


@pytest.fixture
def pages(client, auth) -> dict[str, str]:
    """Every main page of a published week, a draft, a waiting swap, an open wish round and a finished run."""
    sid, rid, tokens = publish_week(client)
    # a waiting swap (more than the fair share: a manager decides), a draft to publish, a wish round
    swap = client.post(f"/api/lege/{tokens['cecilie']}/swaps", json={"shift": "dag/2026-11-03", "taker": "anne"}).json()
    client.post(f"/api/lege/{tokens['anne']}/swaps/{swap['id']}/accept")
    draft = client.post(f"/api/rosters/{rid}/edits", headers=auth, json={
        "action": "assign", "doctor": "eva", "shift": "dag/2026-11-03", "replaces": "cecilie"}).json()["roster"]["id"]
    round_id = client.post("/api/request-rounds", headers=auth, json={
        "period_start": "2026-12-01", "period_end": "2026-12-31", "deadline": "2026-11-15T12:00"}).json()["id"]
    login(client)
    r = client.post("/scenarier", files={"fil": ("plan.json", tiny_scenario_json(), "application/json")})
    tiny = urlsplit(str(r.url)).path
    r = client.post(f"{tiny}/beregn", data={"tidsgrense": "1"}, follow_redirects=False)
    run_url = r.headers["location"]
    wait_for(client, run_url.rsplit("/", 1)[1], {})
    urls = {"oversikt": "/", "scenario": f"/scenarier/{sid}", "beregning": run_url, "vaktplan": f"/vaktplaner/{rid}",
            "utkast": f"/vaktplaner/{draft}", "bytter": "/bytter", "publiser": f"/vaktplaner/{draft}/publiser",
            "ønskerunde": f"/onskerunder/{round_id}"}
    out = {}
    for key, url in urls.items():
        r = client.get(url)
        assert r.status_code == 200, (url, r.status_code)
        out[key] = r.text
    assert 'name="grunn"' in out["bytter"]  # the swap waits, with its reason field
    client.cookies.clear()  # doctors are not logged in
    doctor = f"/lege/{tokens['anne']}"
    for key, url in {"lege": doctor, "lege-bytte": f"{doctor}?bytt=dag/2026-11-04&med=bjorn",
                     "lege-vaktplan": f"{doctor}/vaktplan", "logg-inn": "/logg-inn"}.items():
        r = client.get(url)
        assert r.status_code == 200, (url, r.status_code)
        out[key] = r.text
    assert 'id="swap-form"' in out["lege"] and 'id="request-form-' in out["lege"]
    assert 'id="swap-step2"' in out["lege-bytte"] and 'type="radio"' in out["lege-bytte"]
    return out


def test_every_control_and_table_is_named_and_every_page_titled(pages):
    found = [p for key, html in pages.items() for p in problems_of(key, html)]
    assert found == [], "\n".join(found)


def test_every_page_has_its_own_title(pages):
    titles = {key: parse(html).titles[0].strip() for key, html in pages.items() if key != "lege-bytte"}
    assert len(set(titles.values())) == len(titles), titles
    for key, title in titles.items():
        assert title.endswith(" – Legevakt vaktplan"), (key, title)


def test_the_parser_sees_what_a_browser_would():
    """The checker itself: a label wrapping two controls names only the first; for= names its target."""
    two = '<label>Lege <input type="search" aria-label="Søk"> <select name="lege"></select></label>'
    assert problems_of("x", f"<title>x</title>{two}") == ["x: <select name='lege' id=None> has no accessible name"]
    good = '<label for="s">Lege</label><input type="search" aria-label="Søk i lege"><select id="s"></select>'
    assert problems_of("x", f"<title>x</title>{good}") == []
    assert problems_of("x", '<title>x</title><table><tr><td>1</td></tr></table><a href="#">x</a>') == [
        "x: table 1 (id=None, class=None) has no caption or aria-label", 'x: a link with href="#"']
    assert problems_of("x", '<title>x</title><h2 id="h">Bergen</h2><table aria-labelledby="h"></table>') == []



def _element(html: str, pattern: str) -> str:
    """The start tag matching ``pattern`` (a regular expression inside the tag)."""
    found = re.search(rf"<[^<>]*{pattern}[^<>]*>", html)
    assert found, pattern
    return found.group(0)


def _section(html: str, ident: str) -> str:
    start = html.index(f'<section class="card" id="{ident}">')
    return html[start:html.index("</section>", start)]


def test_a_refused_wish_is_shown_in_its_section_with_the_fields_kept_and_marked(client, auth):
    _, _, tokens = publish_week(client)
    round_id = client.post("/api/request-rounds", headers=auth, json={
        "period_start": "2026-12-01", "period_end": "2026-12-31", "deadline": "2026-11-15T12:00"}).json()["id"]
    page = f"/lege/{tokens['anne']}"
    r = client.post(f"{page}/onsker/{round_id}", data={"hva": "fravær", "fra": "2026-12-10", "til": "2026-12-05",
                                                       "fravaer": "kurs", "merknad": "Kurs i Oslo"},
                    follow_redirects=False)
    assert r.status_code == 303 and urlsplit(r.headers["location"]).fragment == "onsker-feil"
    html = client.get(r.headers["location"]).text
    section = _section(html, "onsker")
    box = _element(section, 'id="onsker-feil"')
    assert 'tabindex="-1"' in box and "autofocus" in box and 'role="alert"' in box
    assert "Til dato: kan ikke være før fra dato" in section and 'id="doctor-errors"' not in html
    til = _element(section, 'name="til"')
    assert 'value="2026-12-05"' in til and 'aria-invalid="true"' in til and 'aria-describedby="onsker-feil"' in til
    fra = _element(section, 'name="fra"')
    assert 'value="2026-12-10"' in fra and "aria-invalid" not in fra
    assert 'value="Kurs i Oslo"' in _element(section, 'name="merknad"')
    assert '<option value="fravær" selected>' in section and '<option value="kurs" selected>' in section
    assert parse(html).titles[0].startswith("Feil: Mine vakter")
    assert problems_of("lege med feil", html) == []


def test_a_refused_swap_is_shown_in_its_section_with_the_form_kept(client):
    _, _, tokens = publish_week(client)
    page = f"/lege/{tokens['anne']}"
    offer = {"vakt": "dag/2026-11-05", "handling": "gi", "kollega": "", "merknad": ""}
    assert client.post(f"{page}/bytte", data=offer, follow_redirects=False).status_code == 303
    r = client.post(f"{page}/bytte", data={**offer, "kollega": "cecilie", "merknad": "Bursdag"}, follow_redirects=False)
    assert urlsplit(r.headers["location"]).fragment == "bytte-feil"
    assert parse_qs(urlsplit(r.headers["location"]).query)["feil"] == [
        "du har allerede tilbudt denne vakten; trekk tilbudet først"]
    html = client.get(r.headers["location"]).text
    section = _section(html, "bytte")
    assert 'id="bytte-feil"' in section and "du har allerede tilbudt denne vakten" in section
    assert '<option value="dag/2026-11-05" selected>' in section
    assert '<option value="cecilie" selected>' in section and 'value="Bursdag"' in section
    # the values come back only beside an error the service signed
    crafted = client.get(page, params={"skjema": "bytte", "kollega": "cecilie", "merknad": "Ring 815 00 000"}).text
    assert "815 00 000" not in crafted and '<option value="cecilie" selected>' not in crafted


def test_a_refused_wish_round_keeps_its_dates_and_marks_the_field(client):
    login(client)
    r = client.post("/onskerunder", data={"fra": "2027-01-31", "til": "2027-01-01", "frist": "2026-12-15T12:00"})
    assert r.status_code == 422
    box = _element(r.text, 'id="round-errors"')
    assert 'tabindex="-1"' in box and "autofocus" in box
    assert "Siste dag: kan ikke være før første dag" in r.text
    til = _element(r.text, 'name="til"')
    assert 'value="2027-01-01"' in til and 'aria-invalid="true"' in til and 'aria-describedby="round-errors"' in til
    assert 'value="2027-01-31"' in _element(r.text, 'name="fra"')
    assert 'value="2026-12-15T12:00"' in _element(r.text, 'name="frist"')
    assert parse(r.text).titles[0] == "Feil: Oversikt – Legevakt vaktplan"
