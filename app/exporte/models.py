"""The exports keep no tables of their own."""
