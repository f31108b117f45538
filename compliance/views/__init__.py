"""Views of the compliance app: public documents, the re-acceptance gate, the user's consents."""
