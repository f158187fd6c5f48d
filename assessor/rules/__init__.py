"""The rules of the summary: scoring, ranking, outcomes, flags, calibration, readiness, who sees what.

Pure functions of a campaign; may import `core` only.
"""
