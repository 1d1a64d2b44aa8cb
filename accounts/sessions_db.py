"""SESSION_ENGINE for a server whose cache is not shared between processes (see accounts.sessions)."""

from accounts.sessions import DatabaseSessionStore as SessionStore

__all__ = ["SessionStore"]
