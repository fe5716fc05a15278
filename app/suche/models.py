"""The search keeps no tables of its own: each source searches its owner's columns."""
