"""One module per CLI command. Each defines NAME, HELP, EXAMPLE, add_arguments(parser) and run(args) -> int.

Command modules import their heavy dependencies inside run(), so `circuitsmith --help` stays fast.
"""
