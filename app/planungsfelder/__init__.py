"""Planungsfelder: the planning fields one Stabsstelle joins (Sozialplanung, Jugendhilfeplanung,
Bildungskoordination and configurable further fields) as master data that tag other rows."""
