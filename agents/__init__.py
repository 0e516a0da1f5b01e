"""Single-purpose agents (identify, retrieve, plan, synthesize, judge, extract, size), each with an LLM and a rules implementation."""
