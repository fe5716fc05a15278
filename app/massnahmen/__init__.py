"""Planungsrunde outputs: Themen, Maßnahmen with funding and priority, Vorlage, Beschlüsse."""
