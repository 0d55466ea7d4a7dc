"""Trying the rules: a sample ticket or message (subject, sender, body, channel, topic, mailbox, headers)
and what the active rules would do with it, rule by rule. Nothing is stored or sent."""

from dataclasses import dataclass

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from helpline.admin_panel.access import AdministratorRequest, administrator_required
from helpline.admin_panel.sections import SECTIONS
from helpline.inbound.models import Mailbox
from helpline.people.access import works_in
from helpline.routing.forms import TopicChoiceField
from helpline.routing.models import Channel, Event, FilterRule, HelpTopic
from helpline.routing.rules import Decision, Facts, RuleResult, active_rules, decide
from helpline.tickets.actions.base import MAX_BODY_CHARS

MAX_HEADER_LINES = 50


class RuleTestForm(forms.Form):
    channel = forms.ChoiceField(choices=Channel.choices, initial=Channel.EMAIL)
    event = forms.ChoiceField(
        label="It is", choices=Event.choices, initial=Event.TICKET, widget=forms.RadioSelect
    )
    sender_email = forms.CharField(label="Sender's email address", max_length=254, required=False)
    sender_name = forms.CharField(label="Sender's name", max_length=200, required=False)
    subject = forms.CharField(max_length=255, required=False)
    body = forms.CharField(
        label="Message", max_length=MAX_BODY_CHARS, required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    topic = TopicChoiceField(
        queryset=HelpTopic.objects.select_related("department"), required=False, empty_label="No help topic"
    )
    mailbox = forms.ModelChoiceField(
        queryset=Mailbox.objects.select_related("department"),
        required=False,
        empty_label="No mailbox",
        help_text="The mailbox the email reached (its address, and its department when no topic is chosen).",
    )
    headers = forms.CharField(
        label="Email headers",
        required=False,
        max_length=20000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text="Optional, one per line: Name: value (e.g. X-Priority: 1).",
    )

    def clean_headers(self) -> dict[str, tuple[str, ...]]:
        headers: dict[str, list[str]] = {}
        lines = [line for line in self.cleaned_data["headers"].splitlines() if line.strip()]
        if len(lines) > MAX_HEADER_LINES:
            raise forms.ValidationError(f"At most {MAX_HEADER_LINES} headers.")
        for number, line in enumerate(lines, start=1):
            name, colon, value = line.partition(":")
            if not colon or not name.strip() or " " in name.strip():
                raise forms.ValidationError(f"Line {number} is not “Name: value”.")
            headers.setdefault(name.strip().lower(), []).append(value.strip())
        return {name: tuple(values) for name, values in headers.items()}

    def facts(self) -> Facts:
        data = self.cleaned_data
        topic, mailbox = data["topic"], data["mailbox"]
        department = mailbox.department if mailbox else topic.department if topic else None
        return Facts(
            channel=data["channel"],
            sender_email=data["sender_email"].strip(),
            sender_name=data["sender_name"].strip(),
            subject=data["subject"],
            body=data["body"],
            topic_id=topic.pk if topic else None,
            mailbox_address=mailbox.address if mailbox else "",
            headers=data["headers"],
            department=department,
        )


@dataclass(frozen=True)
class Tried:
    """One active rule, as the sample met it: matched (with what it set), did not match, does not run on
    this channel or event, or was not reached because an earlier rule stopped the run."""

    rule: FilterRule
    outcome: str
    result: RuleResult | None = None


def tried(rules: list[FilterRule], facts: Facts, event: str, decision: Decision) -> list[Tried]:
    results = {result.rule_id: result for result in decision.matched}
    rows, stopped = [], False
    for rule in rules:
        if stopped:
            rows.append(Tried(rule, "not reached"))
        elif facts.channel not in rule.channels:
            rows.append(Tried(rule, "does not run on this channel"))
        elif not rule.runs_on(facts.channel, event):
            rows.append(Tried(rule, "does not run on messages"))
        elif rule.pk in results:
            rows.append(Tried(rule, "matched", results[rule.pk]))
            stopped = results[rule.pk].stopped
        else:
            rows.append(Tried(rule, "did not match"))
    return rows


@require_http_methods(["GET", "POST"])
@administrator_required
def rule_test(request: AdministratorRequest) -> HttpResponse:
    """GET shows the form; POST (too long for a query string: a whole message) shows the outcome. Neither
    changes anything."""
    form = RuleTestForm(request.POST or None)
    context: dict = {"form": form, "section": "filter_rules", "sections": SECTIONS}
    status = 200
    if form.is_bound and form.is_valid():
        facts, event = form.facts(), form.cleaned_data["event"]
        rules = active_rules()
        decision = decide(facts, event=event, works_in=works_in, rules=rules)
        context |= {"decision": decision, "tried": tried(rules, facts, event, decision), "facts": facts}
    elif form.is_bound:
        status = 400
    return render(request, "admin_panel/filter_rule_test.html", context, status=status)
