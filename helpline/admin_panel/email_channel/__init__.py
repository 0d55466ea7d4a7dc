"""The administration area's pages for the email channel: the mailboxes a desk reads, the senders it refuses,
and the mail it received and could not turn into a ticket or a reply."""
