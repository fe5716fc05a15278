"""OParl 1.1 read API: the public council data (meetings, papers, files, …) as JSON."""
