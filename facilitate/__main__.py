from facilitate.cli import cli

cli()
