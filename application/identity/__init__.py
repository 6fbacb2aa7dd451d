"""Use cases for brands, users and API tokens."""
