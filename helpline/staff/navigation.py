"""The queue links of the staff navigation, with or without their counts."""

from helpline.tickets.queries import COUNT_CAP, QUEUES


def nav_queues(counts: dict[str, int] | None = None) -> list[tuple[str, str, str]]:
    """(queue, title, count as shown) in the queues' order; the count is empty when not counted. Pages
    are served without counts (counting costs a query per queue); htmx fetches them after the page."""

    def shown(name: str) -> str:
        if counts is None:
            return ""
        return f"{COUNT_CAP}+" if counts[name] > COUNT_CAP else str(counts[name])

    return [(name, title, shown(name)) for name, title in QUEUES.items()]
