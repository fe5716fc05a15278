"""The planning cycle as a state machine; public interface for other features: see ``guards.py``."""
