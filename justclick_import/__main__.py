"""``python -m justclick_import`` runs the command line."""

from justclick_import.cli.main import main

main()
