"""The client's booking pages (see funnel.py and appointments.py)."""
