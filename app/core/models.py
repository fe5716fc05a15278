"""The core package has no tables of its own; shared types live in ``types.py``."""
