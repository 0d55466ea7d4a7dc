"""Filter rules: the ordered list (moved up and down), the form that creates and edits a rule with its
conditions and actions, deactivation."""

from typing import cast

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpline.admin_panel.access import AdministratorRequest, administrator_required
from helpline.admin_panel.sections import SECTIONS
from helpline.admin_panel.ticket_routing.changes import Conflict
from helpline.admin_panel.ticket_routing.ordering import move_one_place
from helpline.admin_panel.ticket_routing.rule_changes import (
    ACTION_ROWS,
    deactivate_rule,
    move_rule,
    save_rule,
)
from helpline.admin_panel.ticket_routing.rule_forms import (
    ActionFormSet,
    ConditionFormSet,
    FilterRuleForm,
    RuleRows,
    Targets,
)
from helpline.routing.models import Channel, FilterRule, RuleAction

SECTION = "filter_rules"
CHANNEL_NAMES = dict(Channel.choices)


def page(request: AdministratorRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, template, context | {"section": SECTION, "sections": SECTIONS}, status=status)


def rules_with_rows():
    actions = RuleAction.objects.select_related(*ACTION_ROWS)
    return FilterRule.objects.order_by("order", "id").prefetch_related(
        "conditions", Prefetch("actions", queryset=actions)
    )


@require_GET
@administrator_required
def rule_list(request: AdministratorRequest) -> HttpResponse:
    rules = list(rules_with_rows())
    rows = [
        {
            "rule": rule,
            "position": position,
            "channels": [CHANNEL_NAMES.get(code, code) for code in rule.channels],
            "first": position == 1,
            "last": position == len(rules),
        }
        for position, rule in enumerate(rules, start=1)
    ]
    return page(request, "admin_panel/filter_rules.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
@administrator_required
def rule_new(request: AdministratorRequest) -> HttpResponse:
    return _rule_form(request, FilterRule(channels=list(Channel.values)))


@require_http_methods(["GET", "POST"])
@administrator_required
def rule_edit(request: AdministratorRequest, pk: int) -> HttpResponse:
    return _rule_form(request, get_object_or_404(FilterRule, pk=pk))


def _forms(request: AdministratorRequest, rule: FilterRule) -> tuple[FilterRuleForm, RuleRows, RuleRows]:
    data = request.POST if request.method == "POST" else None
    targets = Targets.load()
    conditions = ConditionFormSet(data, instance=rule, prefix="conditions")
    actions = ActionFormSet(
        data,
        instance=rule,
        prefix="actions",
        form_kwargs={"targets": targets},
        queryset=RuleAction.objects.select_related(*ACTION_ROWS),
    )
    return FilterRuleForm(data, instance=rule), cast(RuleRows, conditions), cast(RuleRows, actions)


def _rule_form(request: AdministratorRequest, rule: FilterRule) -> HttpResponse:
    creating = rule.pk is None
    context = {"rule_pk": rule.pk, "rule_name": rule.name, "rule_active": rule.is_active}
    form, conditions, actions = _forms(request, rule)
    if request.method == "POST":
        valid = form.is_valid() & conditions.is_valid() & actions.is_valid()  # every error shown at once
        if valid:
            try:
                changed = save_rule(actor=request.agent, form=form, conditions=conditions, actions=actions)
            except Conflict:
                form.add_error("name", "Another rule with this name was saved at the same moment.")
            else:
                done = "created" if creating else "saved" if changed else "unchanged: nothing to save"
                messages.success(request, f"Filter rule “{form.instance.name}” {done}.")
                return redirect("admin_panel:filter_rule_edit", pk=form.instance.pk)
    # The rows' forms go in a dict of forms, where the page's error summary finds them.
    row_forms = {
        f"{formset.prefix}-{i}": row for formset in (conditions, actions) for i, row in enumerate(formset)
    }
    context |= {"form": form, "conditions": conditions, "actions": actions, "row_forms": row_forms}
    return page(
        request, "admin_panel/filter_rule_form.html", context, status=400 if request.method == "POST" else 200
    )


@require_POST
@administrator_required
def rule_move(request: AdministratorRequest, pk: int) -> HttpResponse:
    return move_one_place(
        request,
        lambda step: move_rule(actor=request.agent, rule_id=pk, step=step),
        missing=FilterRule.DoesNotExist,
        noun="rule",
        at_end="The rule is at that end of the list already.",
        back="admin_panel:filter_rules",
    )


@require_POST
@administrator_required
def rule_deactivate(request: AdministratorRequest, pk: int) -> HttpResponse:
    try:
        deactivated = deactivate_rule(actor=request.agent, rule_id=pk)
    except FilterRule.DoesNotExist as missing:
        raise Http404("No such filter rule") from missing
    name = FilterRule.objects.values_list("name", flat=True).get(pk=pk)
    if deactivated:
        messages.success(request, f"Filter rule “{name}” deactivated: it no longer runs.")
    else:
        messages.info(request, f"Filter rule “{name}” was inactive already.")
    return redirect("admin_panel:filter_rules")
