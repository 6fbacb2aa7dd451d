"""The work that runs by itself, in rounds, beside the API or as its own process: it
reads the read models to find what is due and drives the use cases. Wired like the
bootstrap: it sees every area and the read models.
"""
