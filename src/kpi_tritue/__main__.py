"""`python -m kpi_tritue` runs the `kpi` command."""

from kpi_tritue.cli import main

main()
