"""Use cases for the creators a brand works with."""
