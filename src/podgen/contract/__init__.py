"""Contract tests: does the pod honour the spec, and does the generated client handle everything it allows?

``target`` picks a live pod or starts the mock; ``server`` runs schemathesis's checks against it; ``client``
drives schemathesis-generated cases through the generated client, sync and async; ``bodies`` checks decoding of
bodies generated from every response schema; ``report`` writes JUnit XML and the summary, never the token.
"""
