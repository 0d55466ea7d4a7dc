"""The icon: an SVG linked from every page, and an answer at /favicon.ico for browsers that ask there."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from helpline.core.tests.helpers import failing_queries


@pytest.mark.parametrize("path", ["/portal/", "/staff/login/"])
def test_every_door_links_the_svg_icon(client, db, path):
    page = client.get(path).content.decode()

    assert '<link rel="icon" href="/static/helpline/favicon.svg" type="image/svg+xml">' in page
    icon = finders.find("helpline/favicon.svg")
    assert icon and Path(icon).read_text().startswith("<svg ")


def test_favicon_ico_is_an_icon_cached_for_a_day(client, db):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # the ICO header: reserved 0, type 1 (icon)
    assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=86400"}
    assert client.head("/favicon.ico").status_code == 200
    assert client.post("/favicon.ico").status_code == 405


def test_favicon_ico_needs_no_database(db):
    with failing_queries(RuntimeError("no query expected")):
        response = Client().get("/favicon.ico")

    assert response.status_code == 200
