"""The portal has no tables of its own: it reads what the other features decided to publish."""
