"""Vorlagen: the Planungsrunde's priorities as a versioned paper with its Beratungsfolge."""
