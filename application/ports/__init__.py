"""The interfaces use cases need from outside kolpact (a payment rail, read models):
infrastructure and projections implement them, the bootstrap plugs them in.
"""
