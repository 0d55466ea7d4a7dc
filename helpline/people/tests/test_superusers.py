"""Django superusers are Helpline administrators."""

from django.contrib.auth import get_user_model

from helpline.people.models import Agent


def test_a_superuser_gets_an_administrator_agent_profile(db):
    user = get_user_model().objects.create_superuser(
        "root", "root@staff.example.test", "correct horse battery"
    )
    agent = Agent.objects.get(user=user)
    assert agent.is_admin and agent.is_administrator and agent.is_active


def test_saving_a_superuser_again_keeps_one_profile(db):
    user = get_user_model().objects.create_superuser(
        "root", "root@staff.example.test", "correct horse battery"
    )
    user.first_name = "Root"
    user.save()
    assert Agent.objects.filter(user=user).count() == 1


def test_an_ordinary_user_gets_no_agent_profile(db):
    user = get_user_model().objects.create_user("someone", "someone@example.test", "correct horse battery")
    assert not Agent.objects.filter(user=user).exists()


def test_promoting_a_user_to_superuser_makes_them_an_administrator(db):
    user = get_user_model().objects.create_user("later", "later@example.test", "correct horse battery")
    user.is_superuser = True
    user.save()
    assert Agent.objects.get(user=user).is_administrator
