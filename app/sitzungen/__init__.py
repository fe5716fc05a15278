"""Meetings of the Gremien: planning, agenda, invitations, replies, reminders and calendar feeds."""
