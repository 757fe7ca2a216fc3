"""A mock Symphony pod: a real HTTP server on loopback that serves the spec's operations under ``/pod``.

``state`` holds users, sessions and tokens; ``faults`` the misbehaviours tests can ask for; ``app`` the ASGI
application; ``server`` the command line that runs it under uvicorn.
"""
