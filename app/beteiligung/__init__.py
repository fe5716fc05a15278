"""Beteiligung: Rückmeldebögen of the Stabsstelle to the Träger, their answers and results."""
