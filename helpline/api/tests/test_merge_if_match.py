"""A merge through the API is conditional on ``If-Match`` as the other changes are: a stale version of the
ticket merged is 409 and merges nothing; the current one (its ETag or bare version) merges."""

import pytest

from helpline.api.tests.conftest import bearer
from helpline.tickets.actions import add_note
from helpline.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def merge(client, raw, source, target, **headers):
    return client.post(
        f"/api/v1/tickets/{source.number}/merge",
        {"into": target.number},
        content_type="application/json",
        headers=bearer(raw) | headers,
    )


@pytest.fixture
def pair(open_for, rita, support_topic):
    return open_for(rita, support_topic, subject="First"), open_for(rita, support_topic, subject="Again")


@pytest.mark.parametrize("credential", ["key", "token"])
def test_a_stale_if_match_is_409_and_merges_nothing(client, key_of, token_of, ada, sam, pair, credential):
    source, target = pair
    raw = key_of("read", "write") if credential == "key" else token_of(ada)
    etag = client.get(f"/api/v1/tickets/{source.number}", headers=bearer(raw))["ETag"]
    add_note(actor=sam, ticket=source, body="Checked the printer meanwhile.")  # the version moves on

    for stale in (etag, str(Ticket.objects.get(pk=source.pk).version - 1)):
        answer = merge(client, raw, source, target, **{"If-Match": stale})
        assert answer.status_code == 409, answer.content
    source.refresh_from_db()
    assert source.merged_into_id is None and source.state == "open"
    assert not target.entries.filter(event="merged_from").exists()


def test_the_current_if_match_merges(client, key_of, pair):
    source, target = pair
    raw = key_of("read", "write")
    etag = client.get(f"/api/v1/tickets/{source.number}", headers=bearer(raw))["ETag"]
    answer = merge(client, raw, source, target, **{"If-Match": etag})
    assert answer.status_code == 200, answer.content
    assert answer.json()["number"] == target.number
    assert Ticket.objects.get(pk=source.pk).merged_into_id == target.pk


def test_an_if_match_that_is_no_version_is_400(client, key_of, pair):
    source, target = pair
    answer = merge(client, key_of("write"), source, target, **{"If-Match": "soon"})
    assert answer.status_code == 400
    assert Ticket.objects.get(pk=source.pk).merged_into_id is None
