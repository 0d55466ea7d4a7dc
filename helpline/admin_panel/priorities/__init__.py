"""Ticket priorities: their names, urgency (the queues' order), colour and the default."""
