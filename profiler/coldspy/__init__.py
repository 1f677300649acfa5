"""ColdSpy profiler agent: measures what a Python serverless handler pays for its imports on a cold start.

This package must stay cheap to import and standard-library only: the agent is loaded into the profiled
interpreter before the handler, and every module it imports up front is one the handler then gets for free.
"""

__version__ = "0.1.0"
AGENT_NAME = "coldspy"
