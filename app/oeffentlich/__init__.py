"""The public portal: what the Stabsstelle released, for everybody without login."""
