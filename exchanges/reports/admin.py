"""The Wagtail admin side of exchanges.reports (registered by exchanges/wagtail_hooks.py)."""
