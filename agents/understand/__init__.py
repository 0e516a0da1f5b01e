"""Understanding: request text -> typed :class:`~agents.understand.requirements.Requirements`.

This is the only stage of the design pipeline that reads the request's words.
"""
