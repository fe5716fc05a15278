"""Master data: organisations, Sozialräume, Gremien, memberships and the Hilden demo data."""
