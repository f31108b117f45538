"""Demo content for the embedded default: fictional practitioners, legal texts, generated images.

Everything here is deterministic (fixed random seeds) and made locally: nothing is downloaded.
Entry point: `cms.demo.seed.demo_site_seed`, run by `manage.py seed_demo`.
"""
