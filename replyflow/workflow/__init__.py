"""The handling workflow: states, who may do what, and the engine that applies it.

Plain Python over the model objects: no request, no session, no commit.
"""
