"""The OParl API needs no permissions: it serves only what ``app.oeffentlich.sichtbarkeit``
calls public, to everybody, read-only."""
