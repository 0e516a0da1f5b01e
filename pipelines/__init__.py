"""LangGraph pipelines (design, datasheet, sizing), their state, and the command-line entry points."""
