"""Cross-cutting pieces every feature package uses: types, permissions, after-commit hooks."""
