"""Form posts in a charset other than UTF-8: a clear 400 on every door, logged in one line."""

import logging

import pytest
from django.test import Client

DOORS = ["/portal/", "/staff/login/", "/admin/login/"]
CHARSETS = ["utf-7", "latin-1", "utf-16"]


def post_in(client: Client, path: str, charset: str, body: str):
    return client.post(path, body, content_type=f"application/x-www-form-urlencoded; charset={charset}")


@pytest.fixture
def browser_like():
    """A client that runs the CSRF check as a browser's request meets it: the check reads the form."""
    return Client(enforce_csrf_checks=True)


@pytest.mark.parametrize("charset", CHARSETS)
@pytest.mark.parametrize("path", DOORS)
def test_a_form_in_another_charset_gets_a_clear_400_and_one_log_line(
    browser_like, path, charset, support_topic, caplog
):
    browser_like.get(path)
    token = browser_like.cookies["csrftoken"].value

    with caplog.at_level(logging.INFO):
        response = post_in(browser_like, path, charset, f"csrfmiddlewaretoken={token}&username=sam")

    assert response.status_code == 400
    page = response.content.decode()
    assert "This request could not be read" in page
    assert f"character encoding Helpline does not read ({charset})" in page
    assert "send the form again" in page
    logged = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert len(logged) == 1, [record.getMessage() for record in logged]
    assert logged[0].exc_info is None
    assert charset in logged[0].getMessage() and path in logged[0].getMessage()


@pytest.mark.parametrize("charset", ["utf-8", "UTF-8"])
def test_a_form_declared_as_utf8_is_read(client, sam, charset):
    response = post_in(client, "/staff/login/", charset, "username=sam&password=correct+horse+battery")

    assert response.status_code == 302


def test_a_multipart_form_with_a_charset_is_read(client, sam):
    # Multipart forms carry their own encoding per part; Django reads them whatever the charset says.
    parts = [("username", "sam"), ("password", "correct horse battery")]
    body = "".join(
        f'--XX\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n' for name, value in parts
    )
    response = client.post(
        "/staff/login/",
        (body + "--XX--\r\n").encode(),
        content_type="multipart/form-data; charset=utf-7; boundary=XX",
    )

    assert response.status_code == 302


@pytest.mark.parametrize(
    ("body", "host"),
    [("&".join(f"f{n}=x" for n in range(1001)), "127.0.0.1"), ("username=sam", "evil.example")],
    ids=["too many fields", "unknown host"],
)
def test_other_bad_requests_get_the_same_short_page(client, db, body, host):
    response = client.post(
        "/staff/login/", body, content_type="application/x-www-form-urlencoded", HTTP_HOST=host
    )

    assert response.status_code == 400
    assert (
        "The request could not be understood. Go back, reload the page and try again."
        in response.content.decode()
    )


@pytest.mark.parametrize("path", DOORS)
def test_a_form_over_the_size_limit_is_still_a_400(browser_like, path, support_topic, settings):
    browser_like.get(path)
    token = browser_like.cookies["csrftoken"].value
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = f"csrfmiddlewaretoken={token}&a=" + "x" * 2000
    response = browser_like.post(path, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
