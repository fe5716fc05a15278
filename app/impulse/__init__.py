"""Impulse: inputs to the planning process from Träger, Arbeitskreise, Vorstand and Politik."""
