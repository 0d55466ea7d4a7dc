"""find_or_create_requester: one requester per address, whatever its case; names are never overwritten."""

import pytest
from django.core.exceptions import ValidationError

from helpline.people.models import Requester
from helpline.people.requesters import Contact, find_or_create_requester, normalize_email


def test_a_new_address_creates_a_requester(db):
    requester = find_or_create_requester(
        Contact(email=" Rita@Example.TEST ", name="  Rita\n Requester ", phone="+1 555\t0100")
    )
    assert (requester.email, requester.name, requester.phone) == (
        "Rita@example.test",
        "Rita Requester",
        "+1 555 0100",
    )


def test_the_same_address_in_another_case_finds_the_same_requester(rita):
    assert find_or_create_requester(Contact(email="RITA@example.test")) == rita
    assert find_or_create_requester(Contact(email="rita@EXAMPLE.test")) == rita
    assert Requester.objects.count() == 1


def test_an_existing_name_and_phone_are_never_overwritten(rita):
    rita.phone = "+1 555 0100"
    rita.save()
    found = find_or_create_requester(Contact(email="rita@example.test", name="Mallory", phone="+1 555 9999"))
    found.refresh_from_db()
    assert (found.name, found.phone) == ("Rita Requester", "+1 555 0100")


def test_without_a_name_the_address_names_the_requester(db):
    assert (
        find_or_create_requester(Contact(email="bob.builder@example.test", name=" \x00 ")).name
        == "bob.builder"
    )


@pytest.mark.parametrize(
    "email",
    [
        "",
        "   ",
        "not-an-email",
        "rita@",
        "@example.test",
        "rita@example..test",
        "a b@example.test",
        "rita@example.test\nBcc: x@evil.test",
    ],
)
def test_an_invalid_address_is_refused(db, email):
    with pytest.raises(ValidationError):
        find_or_create_requester(Contact(email=email, name="Someone"))
    assert not Requester.objects.exists()


def test_the_domain_is_lowercased_and_the_local_part_kept():
    assert normalize_email("Rita.R@Example.TEST") == "Rita.R@example.test"


def test_the_database_refuses_a_second_requester_with_the_same_address_in_another_case(rita):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Requester.objects.create(name="Other Rita", email="RITA@EXAMPLE.TEST")


def test_losing_a_creation_race_returns_the_winner(db, monkeypatch):
    """Two first messages from one new address at once: the second insert hits the unique index, and the
    requester the first one created is returned instead of an error."""
    import helpline.people.requesters as requesters

    winner = Requester.objects.create(email="Race@Example.test", name="First")
    monkeypatch.setattr(
        requesters, "requesters_by_email", _found_only_on_second_look(requesters.requesters_by_email)
    )
    assert find_or_create_requester(Contact(email="race@example.test", name="Second")) == winner
    assert Requester.objects.count() == 1


def _found_only_on_second_look(lookup):
    calls = []

    def look(email):
        calls.append(email)
        return lookup(email) if len(calls) > 1 else Requester.objects.none()

    return look
