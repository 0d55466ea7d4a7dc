"""The intake: what becomes of a stored raw message (a new ticket, a reply, a bounce report, or kept for
administrators with its reason).

For now every stored message is left as received; the pipeline that parses, classifies and matches it
takes this function's place."""

from helpline.inbound.models import RawMessage


def process_stored(raw: RawMessage) -> None:
    """Process a stored message that is still ``received``. Must not raise past its boundary: a failure is
    recorded on the row, which stays stored."""
