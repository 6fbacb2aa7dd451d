"""Use cases for auditors: a contract family's trail, the event chain's checks, seals and
signed exports.
"""
