"""What the meetings register with lower packages: their search sources."""

from app.sitzungen import suchquellen  # noqa: F401  (registers on import)
