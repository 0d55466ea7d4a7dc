"""Saved queues: an agent saves a list (its search words, filters, sort and columns) under a name, opens it
from the navigation, renames and deletes their own; administrators save shared ones and manage those."""

from typing import cast

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpline.people.models import Agent
from helpline.staff.filters import FilterForm, TicketFilters
from helpline.staff.models import SavedQueue
from helpline.staff.saved_queue_form import SavedQueueForm
from helpline.staff.saved_queues import BASES, SEARCH, can_manage, saved_tickets
from helpline.staff.sorting import DEFAULT_SORT, parse_sort
from helpline.staff.views.base import AgentRequest, agent_required, forbidden
from helpline.staff.views.lists import list_context
from helpline.staff.views.queues import QUEUE_DEFAULT_SORTS
from helpline.staff.views.search import SEARCH_SORT, search_words
from helpline.tickets.queries import queue_branches


def _default_sort(base: str) -> str:
    return SEARCH_SORT if base == SEARCH else QUEUE_DEFAULT_SORTS.get(base, DEFAULT_SORT)


def _list_url(saved: SavedQueue) -> str:
    """The list the queue was saved from, with its filters: where its filters are changed."""
    params = ({"q": saved.words} if saved.base == SEARCH else {}) | TicketFilters.from_json(
        saved.filters
    ).to_params()
    if saved.sort:
        params["sort"] = saved.sort
    path = reverse("staff:search") if saved.base == SEARCH else reverse("staff:queue", args=[saved.base])
    return f"{path}?{urlencode(params)}"


def _visible_queue_or_404(agent: Agent, pk: int) -> SavedQueue:
    """The saved queue if it is the agent's own or shared: another agent's is not found, not refused."""
    return get_object_or_404(SavedQueue.objects.for_agent(agent), pk=pk)


def _managed_queue(request: AgentRequest, pk: int) -> SavedQueue | HttpResponse:
    saved = _visible_queue_or_404(request.agent, pk)
    if not can_manage(request.agent, saved):
        return forbidden(request, "Only administrators change shared queues.")
    return saved


@require_POST
@agent_required
def saved_queue_new(request: AgentRequest) -> HttpResponse:
    """Save the list the form was posted from: its base list and its parameters (checked again here)."""
    agent = request.agent
    base = request.POST.get("base", "")
    params = QueryDict(request.POST.get("params", ""))
    words = search_words(params)
    filter_form = FilterForm(params)
    form = SavedQueueForm(request.POST, agent=agent)
    if base not in BASES or (base == SEARCH and not words) or not filter_form.is_valid():
        messages.error(request, "This list cannot be saved: open it again and check its filters.")
        return redirect("staff:queue_default")
    if not form.is_valid():
        context = {"form": form, "base": base, "params": request.POST.get("params", "")}
        return render(request, "staff/saved_queue_new.html", context, status=400)
    key, descending = parse_sort(params.get("sort"), _default_sort(base))
    saved = SavedQueue.objects.create(
        owner=agent,
        name=form.cleaned_data["name"],
        is_shared=bool(form.cleaned_data.get("shared")),
        base=base,
        words=words if base == SEARCH else "",
        filters=filter_form.filters().to_json(),
        sort=f"{'-' if descending else ''}{key}",
        columns=form.columns_in_order(),
    )
    messages.success(request, f"Saved the queue “{saved.name}”.")
    return redirect("staff:saved_queue", saved.pk)


@require_GET
@agent_required
def saved_queue(request: AgentRequest, pk: int) -> HttpResponse:
    agent = request.agent
    saved = _visible_queue_or_404(agent, pk)
    context = list_context(
        request,
        saved_tickets(saved, agent),
        keep={},
        default_sort=saved.sort or _default_sort(saved.base),
        columns=saved.columns,
        branches=queue_branches(agent, saved.base),
    )
    summary = _summary(TicketFilters.from_json(saved.filters), saved)
    context |= {
        "saved": saved,
        "base_title": BASES.get(saved.base, saved.base),
        "filter_summary": summary,
        "edit_filters_url": _list_url(saved),
        "manage": can_manage(agent, saved),
        "filtered": bool(summary),
    }
    return render(request, "staff/saved_queue.html", context)


def _summary(filters: TicketFilters, saved: SavedQueue) -> list[tuple[str, str]]:
    """The queue's filters as (label, value) pairs, in the filter panel's order and words."""
    form = FilterForm(initial=filters.to_params())
    pairs = [("Search words", saved.words)] if saved.words else []
    for name, value in filters.to_params().items():
        field = form.fields[name]
        shown = value
        if isinstance(field, forms.ModelChoiceField):
            found = cast(QuerySet, field.queryset).filter(pk=value).first()
            shown = field.label_from_instance(found) if found is not None else "(removed)"
        elif isinstance(field, forms.ChoiceField):
            shown = dict(cast(list, field.choices)).get(value, value)
        elif isinstance(field, forms.BooleanField):
            shown = "yes"
        pairs.append((str(field.label or name.capitalize()), str(shown)))
    return pairs


@require_GET
@agent_required
def saved_queue_list(request: AgentRequest) -> HttpResponse:
    agent = request.agent
    queues = [(saved, can_manage(agent, saved)) for saved in SavedQueue.objects.for_agent(agent)]
    return render(request, "staff/saved_queues.html", {"queues": queues})


@require_http_methods(["GET", "POST"])
@agent_required
def saved_queue_edit(request: AgentRequest, pk: int) -> HttpResponse:
    saved = _managed_queue(request, pk)
    if isinstance(saved, HttpResponse):
        return saved
    if request.method != "POST":
        form = SavedQueueForm(agent=request.agent, instance=saved)
        return render(request, "staff/saved_queue_edit.html", {"form": form, "saved": saved})
    form = SavedQueueForm(request.POST, agent=request.agent, instance=saved)
    if not form.is_valid():
        return render(request, "staff/saved_queue_edit.html", {"form": form, "saved": saved}, status=400)
    saved.name = form.cleaned_data["name"]
    saved.columns = form.columns_in_order()
    if "shared" in form.fields:
        saved.is_shared = bool(form.cleaned_data["shared"])
    saved.save(update_fields=["name", "columns", "is_shared"])
    messages.success(request, f"Saved the queue “{saved.name}”.")
    return redirect("staff:saved_queue", saved.pk)


@require_POST
@agent_required
def saved_queue_delete(request: AgentRequest, pk: int) -> HttpResponse:
    saved = _managed_queue(request, pk)
    if isinstance(saved, HttpResponse):
        return saved
    name = saved.name
    saved.delete()
    messages.success(request, f"Deleted the queue “{name}”.")
    return redirect("staff:saved_queues")
