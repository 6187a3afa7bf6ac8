"""The Jinja2 partials (``integrapsy.jinja``): escaped, translated, drawn from a Django template."""

import pytest
from django.template import TemplateDoesNotExist, engines
from django.test import RequestFactory
from django.utils import translation

JINJA = engines["jinja2"]


def _draw(source: str, **context) -> str:
    return JINJA.from_string(source).render(context)


def test_every_value_is_escaped_and_a_text_with_values_too(in_english):
    assert _draw("{{ name }}", name="<b>Amina</b>") == "&lt;b&gt;Amina&lt;/b&gt;"
    drawn = _draw('{{ _("Assign %(name)s")|format(name=name) }}', name="<script>")
    assert drawn == "Assign &lt;script&gt;"


def test_texts_come_from_the_catalogues_in_the_requests_language():
    with translation.override("fr"):
        assert _draw('{{ _("Free then") }}') == "Disponible à ce moment"
        assert _draw('{{ _("Assign %(name)s")|format(name="Amina") }}') == "Désigner Amina"
    with translation.override("nl"):
        assert _draw('{{ _("Assign %(name)s")|format(name="Amina") }}') == "Amina toewijzen"


def test_a_missing_value_draws_nothing_as_in_django_templates():
    assert _draw("[{{ card.s.interpreter.code }}]{% if card.knows %}x{% endif %}") == "[]"


def test_django_templates_are_never_read_as_jinja():
    with pytest.raises(TemplateDoesNotExist):
        JINJA.get_template("base.html")
    assert JINJA.get_template("ambassadors/_suggestions.jinja")


@pytest.mark.django_db
def test_the_tag_draws_with_the_django_context_and_the_values_given():
    from django.template import engines as all_engines

    page = all_engines["django"].from_string(
        '{% load jinja %}{% jinja "ambassadors/_suggestions.jinja" empty_text=nobody %}'
    )
    request = RequestFactory().get("/")
    drawn = page.render({"suggestions": [], "nobody": "Personne <ici>"}, request)
    assert drawn == '<li class="list-group-item">Personne &lt;ici&gt;</li>'


@pytest.mark.django_db
def test_the_forms_token_is_made_once_a_drawing_and_is_a_valid_one():
    from django.middleware.csrf import CsrfViewMiddleware
    from jinja2 import DictLoader

    page = engines["django"].from_string('{% load jinja %}{% jinja "tests_csrf.jinja" %}')
    request = RequestFactory().get("/")
    CsrfViewMiddleware(lambda r: None).process_request(request)
    jinja = engines["jinja2"]  # the engine the tag draws with (settings changed by a test make another)
    loader = jinja.env.loader  # the partial's source given here rather than on disk
    jinja.env.loader = DictLoader({"tests_csrf.jinja": "{{ csrf_input }}|{{ csrf_input }}|{{ csrf_token }}"})
    try:
        drawn = page.render({}, request)
    finally:
        jinja.env.loader = loader
    first, second, token = drawn.split("|")
    assert first == second and first.startswith('<input type="hidden" name="csrfmiddlewaretoken" value="')
    assert len(token) == 64


def test_numbers_and_times_are_drawn_as_django_draws_them():
    from datetime import UTC, datetime

    moment = datetime(2026, 1, 15, 23, 30, tzinfo=UTC)  # 00:30 the next day in Brussels
    source_dj = "{{ n }}|{{ moment|date:'d/m H:i' }}|{{ moment }}"
    source_jj = "{{ n }}|{{ moment|date('d/m H:i') }}|{{ moment }}"
    for language in ("fr", "nl", "en"):
        with translation.override(language):
            django_drawn = engines["django"].from_string(source_dj).render({"n": 2.5, "moment": moment})
            assert _draw(source_jj, n=2.5, moment=moment) == django_drawn
    with translation.override("fr"):
        assert _draw("{{ n }}", n=2.5) == "2,5"
        assert _draw("{{ moment|date('d/m H:i') }}", moment=moment) == "16/01 00:30"
