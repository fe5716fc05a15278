"""What the impulse register registers with lower packages: its search source."""

from app.impulse import suchquellen  # noqa: F401  (registers on import)
