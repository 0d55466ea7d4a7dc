"""Moving a row one place up or down its list (filter rules, statuses): the request read once, for both."""

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

STEPS = {"up": -1, "down": 1}


def move_one_place(
    request: HttpRequest,
    move: Callable[[int], bool],
    *,
    missing: type[Exception],
    noun: str,
    at_end: str,
    back: str,
) -> HttpResponse:
    """Call ``move(step)`` with the direction posted, and go back to the list (``back``) saying what came of
    it. ``move`` returns False when the row is at that end already and raises ``missing`` for no row."""
    step = STEPS.get(request.POST.get("direction", ""))
    if step is None:
        messages.error(request, f"Choose to move the {noun} up or down.")
        return redirect(back)
    try:
        moved = move(step)
    except missing as error:
        raise Http404(f"No such {noun}") from error
    if not moved:
        messages.info(request, at_end)
    return redirect(back)
