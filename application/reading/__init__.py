"""Lists, totals and reports for people to work from, read from read models within the
caller's brands.
"""
