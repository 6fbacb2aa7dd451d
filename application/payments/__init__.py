"""Use cases for milestone payouts: release and approval, paying through the gateway port,
Stripe's events and reconciliation.
"""
