"""What the circulars register with lower packages: their search source."""

from app.rundschreiben import suchquellen  # noqa: F401  (registers on import)
