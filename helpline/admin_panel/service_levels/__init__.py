"""Service levels in the administration area: schedules (spans, holidays) and SLA plans (targets, escalation
steps, a preview of the due times)."""
