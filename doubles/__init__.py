"""Test doubles of the systems kolpact talks to, shipped with it: `make run` pays through
the Stripe test server for its demo, and the tests use both.
"""
