"""Use cases: load aggregates, call domain commands for an acting user, save."""
