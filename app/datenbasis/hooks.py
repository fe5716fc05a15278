"""What the Datenbasis registers with lower packages: its search sources."""

from app.datenbasis import suchquellen  # noqa: F401  (registers on import)
