"""Protokolle: minutes of a Sitzung (file revisions and structured results), approval, reminders."""
