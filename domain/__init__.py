"""kolpact's business rules: aggregates, value objects and domain errors (no I/O)."""
