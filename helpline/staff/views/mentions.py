"""What the author of an internal note is told about the agents it mentions."""

from django.contrib import messages
from django.http import HttpRequest

from helpline.tickets.mentions import resolve_mentions
from helpline.tickets.models import Mention, ThreadEntry, Ticket


def mention_report(request: HttpRequest, ticket: Ticket, entry: ThreadEntry) -> str:
    """ " Mentioned: ..." for the agents alerted; a warning naming those who may not see the ticket (nobody
    told them) or whose name is ambiguous."""
    resolution = resolve_mentions(ticket, entry.body_text)
    if resolution.unseen:
        messages.warning(
            request,
            f"Not mentioned: {', '.join(resolution.unseen)} may not see this ticket, so nobody told them.",
        )
    if resolution.ambiguous:
        names = ", ".join(resolution.ambiguous)
        messages.warning(request, f"Not mentioned: more than one agent is called {names}; use the username.")
    alerted = Mention.objects.filter(entry=entry).select_related("agent__user")
    alerted_names = [mention.agent.display_name for mention in alerted]
    return f" Mentioned: {', '.join(alerted_names)}." if alerted_names else ""
