"""Which canned responses an agent may use on a ticket, and what one gives the reply box."""

from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q, QuerySet

from helpline.core.whole_numbers import whole_number
from helpline.people.access import departments_with
from helpline.people.models import Agent
from helpline.people.permissions import Perm
from helpline.tickets.canned.variables import substitute, values_for
from helpline.tickets.models import CannedAttachment, CannedResponse, Ticket
from helpline.tickets.policy import NotAllowed, require


def usable_responses(agent: Agent) -> QuerySet[CannedResponse]:
    """The active responses the agent may use: their own, and those of the departments where they may reply
    (every department's for an administrator). Two index ranges, by title."""
    if not agent.is_active:
        return CannedResponse.objects.none()
    mine = Q(owner=agent)
    if agent.is_administrator:
        shared = Q(department__isnull=False)
    else:
        shared = Q(department_id__in=departments_with(agent, Perm.REPLY))
    return CannedResponse.objects.filter(mine | shared, is_active=True)


def usable_response(agent: Agent, ticket: Ticket, response_id: object) -> CannedResponse:
    """The response with this id, if the agent may use it in a reply on this ticket. Raises NotAllowed
    otherwise, the same for a response that does not exist, so ids reveal nothing."""
    require(agent, Perm.REPLY, ticket)
    pk = whole_number(response_id) or 0
    found = usable_responses(agent).filter(pk=pk).prefetch_related("attachments").first()
    if found is None:
        raise NotAllowed("You may not use this canned response (it is not yours or your department's).")
    return found


@dataclass(frozen=True)
class Inserted:
    """What inserting a response gives: the text for the reply box and the names of the files it sends."""

    response_id: int
    text: str
    filenames: list[str]


def insert(agent: Agent, ticket: Ticket, response: CannedResponse) -> Inserted:
    text = substitute(response.body, values_for(ticket, agent))
    return Inserted(response.pk, text, [attachment.filename for attachment in response.attachments.all()])


def attachment_uploads(response: CannedResponse) -> list[UploadedFile]:
    """The response's files, opened as uploads for ``post_reply``: they are then checked and stored as any
    attached file is, on the reply's entry. The caller closes them."""
    return [_upload(attachment) for attachment in response.attachments.all()]


def _upload(attachment: CannedAttachment) -> UploadedFile:
    handle = attachment.file.storage.open(str(attachment.file.name), "rb")
    return UploadedFile(
        file=handle, name=attachment.filename, content_type=attachment.content_type, size=attachment.size
    )
