"""Use cases for the content owed under contracts: deliverables and their review, product
shipments, tracked links and content metrics.
"""
