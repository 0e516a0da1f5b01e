"""One pair of modules per CLI command. NAME.py is its interface: NAME, HELP, EXAMPLE and
add_arguments(parser), light to import, so `circuitsmith --help` stays fast. NAME_run.py holds
run(args) -> int with everything it needs imported at module level; pipelines/cli.py imports it only
for the command being run.
"""
