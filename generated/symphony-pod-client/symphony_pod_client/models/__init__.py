"""Contains all the data models used in inputs/outputs"""

from .error import Error
from .v1_session import V1Session
from .v1_user_sessions import V1UserSessions

__all__ = (
    "Error",
    "V1Session",
    "V1UserSessions",
)
