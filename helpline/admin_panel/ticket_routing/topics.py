"""Help topics: the tree of them with where each routes, the form that creates and edits one, deactivation."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpline.admin_panel.access import AdministratorRequest, administrator_required
from helpline.admin_panel.sections import SECTIONS
from helpline.admin_panel.ticket_routing.changes import Conflict, deactivate_topic, save_topic
from helpline.admin_panel.ticket_routing.topic_forms import HelpTopicForm
from helpline.core.whole_numbers import whole_number
from helpline.routing.models import HelpTopic
from helpline.routing.models.topics import SEPARATOR, in_tree_order

SECTION = "help_topics"
MAX_INDENT = 4
RELATIONS = ["department", "priority", "sla_plan", "status", "assign_to_agent__user", "assign_to_team"]


def page(request: AdministratorRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, template, context | {"section": SECTION, "sections": SECTIONS}, status=status)


@require_GET
@administrator_required
def topic_list(request: AdministratorRequest) -> HttpResponse:
    rows = [
        # Indented by depth (four steps at most, then it stays), with the parents' names beside it.
        (topic, min(topic.depth, MAX_INDENT), topic.full_name.rpartition(SEPARATOR)[0])
        for topic in in_tree_order(HelpTopic.objects.select_related(*RELATIONS))
    ]
    return page(request, "admin_panel/help_topics.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
@administrator_required
def topic_new(request: AdministratorRequest) -> HttpResponse:
    topic = HelpTopic()
    parent = whole_number(request.GET.get("parent", ""))
    if request.method == "GET" and parent is not None:
        topic.parent = HelpTopic.objects.filter(pk=parent).first()
        if topic.parent is not None:
            topic.department = topic.parent.department
    return _topic_form(request, topic)


@require_http_methods(["GET", "POST"])
@administrator_required
def topic_edit(request: AdministratorRequest, pk: int) -> HttpResponse:
    return _topic_form(request, get_object_or_404(HelpTopic.objects.select_related(*RELATIONS), pk=pk))


def _topic_form(request: AdministratorRequest, topic: HelpTopic) -> HttpResponse:
    creating = topic.pk is None
    # As stored: a refused form has already put the values it was sent on the instance.
    context = {"topic_pk": topic.pk, "topic_name": topic.full_name, "topic_active": topic.is_active}
    if request.method != "POST":
        initial = {"parent": topic.parent_id} if creating and topic.parent_id else None
        form = HelpTopicForm(instance=topic, initial=initial)
        return page(request, "admin_panel/help_topic_form.html", context | {"form": form})
    form = HelpTopicForm(request.POST, instance=topic)
    if form.is_valid():
        try:
            changed = save_topic(actor=request.agent, topic=form.instance)
        except Conflict:
            form.add_error("name", "Another topic with this name at this place was saved at the same moment.")
        else:
            done = "created" if creating else "saved" if changed else "unchanged: nothing to save"
            messages.success(request, f"Help topic “{form.instance.full_name}” {done}.")
            return redirect("admin_panel:help_topics")
    return page(request, "admin_panel/help_topic_form.html", context | {"form": form}, status=400)


@require_POST
@administrator_required
def topic_deactivate(request: AdministratorRequest, pk: int) -> HttpResponse:
    try:
        deactivated = deactivate_topic(actor=request.agent, topic_id=pk)
    except HelpTopic.DoesNotExist as missing:
        raise Http404("No such help topic") from missing
    name = HelpTopic.objects.values_list("full_name", flat=True).get(pk=pk)
    if deactivated:
        messages.success(request, f"Help topic “{name}” deactivated: it is offered nowhere now.")
    else:
        messages.info(request, f"Help topic “{name}” was inactive already.")
    return redirect("admin_panel:help_topics")
