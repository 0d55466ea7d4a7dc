"""The page an invited agent's sign-up link opens: they choose their username and password, then sign in."""

from copy import copy

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from helpline.people import invitations
from helpline.people.models import Agent


class JoinForm(forms.Form):
    username = forms.CharField(
        label="Username",
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text="You sign in with it.",
    )
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="The password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, agent: Agent, **kwargs):
        super().__init__(*args, **kwargs)
        self.agent = agent
        self.fields["password1"].help_text = password_validation.password_validators_help_text_html()

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        taken = get_user_model().objects.filter(username__iexact=username).exclude(pk=self.agent.user_id)
        if taken.exists():
            raise forms.ValidationError("This username is taken: choose another.")
        return username

    def clean(self):
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords differ.")
        elif first:
            user = copy(self.agent.user)  # the validators compare with the new username; nothing is saved
            user.username = cleaned.get("username") or user.username
            try:
                password_validation.validate_password(first, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


@never_cache
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    agent = invitations.agent_of(token)
    if agent is None:
        return render(request, "staff/join_expired.html", status=404)
    if request.method != "POST":
        form = JoinForm(agent=agent, initial={"username": agent.user.get_username()})
        return render(request, "staff/join.html", {"form": form, "invited": agent})
    form = JoinForm(request.POST, agent=agent)
    if form.is_valid():
        try:
            invitations.accept(
                agent=agent, username=form.cleaned_data["username"], password=form.cleaned_data["password1"]
            )
        except IntegrityError:
            form.add_error("username", "This username was taken at the same moment: choose another.")
        else:
            messages.success(request, "Your account is ready: sign in with your username and password.")
            return redirect("staff:login")
    return render(request, "staff/join.html", {"form": form, "invited": agent}, status=400)
