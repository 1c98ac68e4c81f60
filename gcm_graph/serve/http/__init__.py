"""HTTP blueprints of the linked-data service (search.py: /search)."""
