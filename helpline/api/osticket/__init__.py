"""osTicket's ticket API, as Helpline answers it: ``POST /api/tickets.json``, ``/api/tickets.xml`` and
``/api/tickets.email``, so scripts and mail pipes written for osTicket 1.18 keep working unchanged.

A door like the others: requests are read into one ``TicketRequest`` (``fields``), whatever their format, and
the ticket opens through ``tickets.actions.receive_ticket`` as the API key's channel actor; a raw message
goes through the email intake (``inbound.intake.receive_email``), as the mail pipe's do. The README's
"Moving from osTicket" lists the fields and answers, and where Helpline answers differently."""
