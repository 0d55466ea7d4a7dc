"""The staff navigation: one link per queue, in the order the queues are defined, for the signed-in agent."""

from django import template

from helpline.people.models import Agent
from helpline.security.second_factor import owes_second_factor
from helpline.staff.navigation import nav_queues
from helpline.staff.saved_queues import navigation
from helpline.tickets.queries import COUNT_CAP

register = template.Library()


@register.simple_tag
def blank_nav_queues() -> list[tuple[str, str, str]]:
    """The navigation's queue links without counts (htmx fills them in after the page loads)."""
    return nav_queues()


@register.simple_tag(takes_context=True)
def signed_in_agent(context: template.Context) -> Agent | None:
    """The agent the navigation is for: the one ``agent_required`` let in, or, on a page no staff view
    answered (the 404 page), the signed-in user's agent profile if it is active; none while the session
    owes its second factor."""
    request = context.get("request")
    if request is None or (request.user.is_authenticated and owes_second_factor(request)):
        return None  # nothing of the desk until the second sign-in step is done
    agent = getattr(request, "agent", None)
    if agent is None and request.user.is_authenticated:
        agent = getattr(request.user, "agent", None)
    return agent if agent is not None and agent.is_active else None


@register.simple_tag
def saved_queues_nav(agent: Agent) -> dict:
    """The agent's saved queues for the navigation (the first few, each with a bounded count), in two
    queries however many there are."""
    queues, more = navigation(agent)
    return {"queues": queues, "more": more, "cap": COUNT_CAP}
