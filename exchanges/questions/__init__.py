"""questions: see exchanges/models.py; filled by its own change."""
