"""Adapters to what lies outside the process: event stores (SQLite, PostgreSQL), plain SQL
tables, the Stripe adapter, the personal-data cipher vault, the audit signing key, the
idempotency store and settings. No business rules here; use cases receive these from the
bootstrap.
"""
