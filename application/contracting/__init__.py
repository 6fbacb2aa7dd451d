"""Use cases for drafting, signing, amending and closing contracts, and the versions of
their terms.
"""
