"""What the Vorlagen register with lower packages: their search source."""

from app.vorlagen import suchquellen  # noqa: F401  (registers on import)
