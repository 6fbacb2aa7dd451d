"""What the use cases of every area share: the acting user, the base application, policies,
clocks, log positions and descriptions of records.
"""
