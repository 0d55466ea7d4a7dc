"""The agent forms: who the agent is, the role they hold in each department (one select per department,
blank for none), their teams and the administrator flag."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator

from helpline.admin_panel.staff_accounts.changes import Account
from helpline.people.models import Agent, Department, Role, Team


class AgentSearchForm(forms.Form):
    q = forms.CharField(label="Search", max_length=100, required=False, help_text="Name, username or email.")
    status = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[("", "Active and invited"), ("inactive", "Deactivated"), ("all", "Everyone")],
    )


class AccountForm(forms.Form):
    """The account's settings. ``agent`` is the agent edited (None when inviting one)."""

    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150, required=False)
    email = forms.EmailField(label="Email", max_length=254)
    teams = forms.ModelMultipleChoiceField(
        queryset=Team.objects.filter(is_active=True), required=False, widget=forms.CheckboxSelectMultiple
    )
    is_admin = forms.BooleanField(
        label="Administrator",
        required=False,
        help_text="Enters this administration area and sees every ticket.",
    )

    def __init__(self, *args, agent: Agent | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.agent = agent
        self.roles = list(Role.objects.all())
        self.departments = list(Department.objects.filter(is_active=True))
        choices = [("", "Not a member"), *((str(role.pk), role.name) for role in self.roles)]
        for department in self.departments:
            self.fields[f"role_{department.pk}"] = forms.ChoiceField(
                label=department.name, choices=choices, required=False
            )
        self.fields["primary_department"] = forms.ChoiceField(
            label="Primary department",
            choices=[("", "None"), *((str(d.pk), d.name) for d in self.departments)],
            required=False,
            help_text="One of the agent's departments: their own, where the tickets they open go by default.",
        )
        if agent is not None and not self.is_bound:
            self.initial.update(
                {
                    "first_name": agent.user.first_name,
                    "last_name": agent.user.last_name,
                    "email": agent.user.email,
                    "is_admin": agent.is_admin,
                    "teams": list(agent.teams.values_list("pk", flat=True)),
                }
            )
            for membership in agent.memberships.all():
                self.initial[f"role_{membership.department_id}"] = str(membership.role_id)
                if membership.is_primary:
                    self.initial["primary_department"] = str(membership.department_id)

    def role_fields(self) -> list[forms.BoundField]:
        return [self[f"role_{department.pk}"] for department in self.departments]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        others = Agent.objects.filter(user__email__iexact=email)
        if self.agent is not None:
            others = others.exclude(pk=self.agent.pk)
        if others.exists():
            raise forms.ValidationError("Another agent already has this email address.")
        return email

    def clean_primary_department(self) -> str:
        chosen = self.cleaned_data["primary_department"]
        if chosen and not self.cleaned_data.get(f"role_{chosen}"):  # the role fields come first
            raise forms.ValidationError("Give the agent a role in their primary department.")
        return chosen

    def account(self) -> Account:
        data = self.cleaned_data
        by_pk = {str(role.pk): role for role in self.roles}
        roles = {d: by_pk[data[f"role_{d.pk}"]] for d in self.departments if data.get(f"role_{d.pk}")}
        primary = next((d for d in self.departments if str(d.pk) == data["primary_department"]), None)
        if self.agent is not None:  # memberships of inactive departments are not on the form: they stay
            for membership in self.agent.memberships.select_related("department", "role"):
                if not membership.department.is_active:
                    roles[membership.department] = membership.role
                    if membership.is_primary and primary is None:
                        primary = membership.department  # not offered on the form: it stays too
        return Account(
            primary=primary,
            first_name=data["first_name"].strip(),
            last_name=data["last_name"].strip(),
            email=data["email"],
            is_admin=data["is_admin"],
            roles=roles,
            teams=list(data["teams"]),
        )


def clean_new_username(value: str, *, exclude_user_id: int | None = None) -> str:
    username = value.strip()
    UnicodeUsernameValidator()(username)
    taken = get_user_model().objects.filter(username__iexact=username)
    if exclude_user_id is not None:
        taken = taken.exclude(pk=exclude_user_id)
    if taken.exists():
        raise forms.ValidationError("This username is taken: choose another.")
    return username


class InviteForm(AccountForm):
    username = forms.CharField(
        label="Username",
        max_length=150,
        required=False,
        help_text="Blank: the agent chooses one when they sign up (their email address is offered).",
    )

    field_order = ["first_name", "last_name", "email", "username"]

    def clean_username(self) -> str:
        return (
            clean_new_username(self.cleaned_data["username"]) if self.cleaned_data["username"].strip() else ""
        )

    def clean(self):
        cleaned = super().clean() or {}
        if not self.errors and not cleaned.get("username"):
            try:  # a placeholder the agent replaces on signing up
                cleaned["username"] = clean_new_username(cleaned["email"][:150])
            except forms.ValidationError:
                self.add_error(
                    "username", "The email address cannot be the username (taken, or unusable): give one."
                )
        return cleaned
