"""Random and hostile input posted to every form of the app: never a 500, never a script rendered.

The forms are discovered, not listed: every page of the role × URL matrix that a role may
open is fetched as that role, and each ``<form method="post">`` it renders is posted with
values drawn by hypothesis (huge strings, control characters and NUL, HTML and script,
wrong types, missing fields, dates far out of range), to the address the form posts to.
"""

import os
from html.parser import HTMLParser
from urllib.parse import urljoin

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from integrapsy.tests.test_url_matrix import MATRIX, world  # noqa: F401 — the fixture is used by name

# Examples per form: a few, always the same ones, in every run (the suite stays fast and steady);
# HYPOTHESIS_EXAMPLES=50 explores more, and different ones each time.
EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", "6"))
EXPLORE = "HYPOTHESIS_EXAMPLES" in os.environ
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
# Roles tried in this order: the first one that may open the page posts its forms.
ROLE_ORDER = ["coordinator", "psychologist", "social_worker", "referrer", "interpreter", "ambassador", "admin"]
# Forms that only end the session or change the language: nothing to validate.
SKIPPED_ACTIONS = ("/accounts/logout/", "/i18n/setlang/")

HOSTILE = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=31), min_size=1, max_size=10),
    st.just("\x00"),
    st.just("Nom\x00caché"),
    st.just(SCRIPT),
    st.just(IMG),
    st.just("A" * 20_000),
    st.sampled_from(["-1", "0", "99999999999999999999", "1e309", "NaN", "true", "[]", "{}", "null", " "]),
    st.sampled_from(
        ["0001-01-01", "9999-12-31", "10000-01-01", "2026-02-30", "-2026-01-01", "31/12/9999", "9999-12-31T23:59"]
    ),
    st.sampled_from(["00000000-0000-0000-0000-000000000000", "not-a-uuid", "IP-9999-99999", "../../etc/passwd"]),
)


class _Forms(HTMLParser):
    """The post forms of a page: their action and the names of their fields."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._current = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._current = {"action": a.get("action") or "", "fields": []}
            self.forms.append(self._current)
        elif self._current is not None and tag in ("input", "select", "textarea") and a.get("name"):
            if a.get("type") in ("submit", "button", "file") or a["name"] == "csrfmiddlewaretoken":
                return
            if a["name"] not in self._current["fields"]:
                self._current["fields"].append(a["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def post_forms(html: str, page_url: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    forms = []
    for form in parser.forms:
        action = urljoin(page_url, form["action"]) if form["action"] else page_url
        action = action.replace("http://testserver", "")
        if action.split("?")[0].startswith(SKIPPED_ACTIONS):
            continue
        forms.append({"action": action, "fields": form["fields"]})
    return forms


def _first_role(statuses: dict) -> str | None:
    return next((r for r in ROLE_ORDER if statuses.get(r) == 200), None)


PAGES = [
    (name, _first_role(statuses))
    for name, (_kwargs, statuses) in MATRIX.items()
    if _first_role(statuses) and not name.startswith("admin:")
]


def _poster(client, form):
    @settings(
        max_examples=EXAMPLES,
        derandomize=not EXPLORE,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.data())
    def post(data):
        payload = {}
        for name in form["fields"]:
            shape = data.draw(st.sampled_from(["missing", "one", "two"]), label=f"{name} shape")
            if shape == "one":
                payload[name] = data.draw(HOSTILE, label=name)
            elif shape == "two":
                payload[name] = [data.draw(HOSTILE, label=name), data.draw(HOSTILE, label=name)]
        response = client.post(form["action"], payload)
        assert response.status_code < 500, (form["action"], payload)
        # Exports answer with a streamed file: read it whole (it holds no page markup).
        raw = b"".join(response.streaming_content) if response.streaming else response.content
        body = raw.decode(errors="replace")
        assert SCRIPT not in body and "<img src=x" not in body, (form["action"], "markup rendered unescaped")
        assert "Traceback" not in body

    return post


@pytest.mark.django_db
def test_hostile_input_never_breaks_a_form(client, world):  # noqa: F811
    """One world for every page (a world per page would take minutes): pages that earlier posts
    closed or removed answer 404 or a redirect, and are passed over."""
    posted = set()
    for url_name, role in PAGES:
        kwargs_builder, _statuses = MATRIX[url_name]
        url = reverse(url_name, kwargs=kwargs_builder(world) if kwargs_builder else {})
        client.force_login(world["users"][role])
        page = client.get(url)
        assert page.status_code in (200, 302, 404), (url, page.status_code)
        if page.status_code != 200 or page.streaming:  # downloads hold no form
            continue
        for form in post_forms(page.content.decode(), url):
            key = (form["action"].split("?")[0], tuple(form["fields"]))
            if key in posted:
                continue
            posted.add(key)
            _poster(client, form)()
    assert len(posted) >= 40, sorted(posted)


def test_the_forms_are_found():
    """The discovery finds forms (a parser bug must not make the test above pass vacuously)."""
    html = (
        '<form method="post" action="/x/"><input name="csrfmiddlewaretoken"><input name="a">'
        '<select name="b"></select><textarea name="c"></textarea><button type="submit">Go</button></form>'
        '<form method="get"><input name="q"></form><form method="post" action="/accounts/logout/"></form>'
    )
    assert post_forms(html, "/page/") == [{"action": "/x/", "fields": ["a", "b", "c"]}]
    assert len(PAGES) > 60


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "role"),
    [
        ("/cases/IP%00/", "coordinator"),
        ("/cases/IP%00/ambassadors/", "coordinator"),
        ("/language-support/?case=IP%00&activity=consultation", "coordinator"),
        ("/bookings/new/?case=IP%00", "coordinator"),
        ("/calendar/abc%00def.ics", "coordinator"),
    ],
)
def test_a_nul_in_an_address_is_a_plain_answer_not_a_crash(client, role_users, path, role):
    client.force_login(role_users[role])
    response = client.get(path)
    assert response.status_code in (200, 404)
