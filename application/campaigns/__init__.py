"""Use cases for campaigns: their brief and four-week plan, check-ins and reviews."""
