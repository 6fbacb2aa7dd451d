"""`python -m web.cli` is `kolpact` (how `kolpact serve` starts its helper processes)."""

from web.cli import main

main()
