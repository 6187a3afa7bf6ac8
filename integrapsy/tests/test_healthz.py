from unittest import mock

from django.db import OperationalError


def test_it_answers_ok_without_login(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_it_answers_503_when_the_database_does_not(client, db):
    with mock.patch("integrapsy.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
