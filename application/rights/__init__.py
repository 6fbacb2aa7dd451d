"""Use cases for usage rights and make-good rules."""
