"""Domain errors. Services raise them; one handler in main.py turns each into a page or JSON."""

from __future__ import annotations


class DomainError(Exception):
    status_code = 400
    code = "error"

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


class NotAuthenticated(DomainError):
    status_code = 401
    code = "not_authenticated"


class SessionLocked(DomainError):
    """Quick hide locked the session: nothing is served but unlocking and signing out."""

    status_code = 423
    code = "locked"


class NotPermitted(DomainError):
    status_code = 403
    code = "not_permitted"


class NotFound(DomainError):
    status_code = 404
    code = "not_found"


class CsrfRefused(DomainError):
    status_code = 403
    code = "csrf"


class InvalidTransition(DomainError):
    status_code = 409
    code = "invalid_transition"


class StepRequired(DomainError):
    """The signed-in user must do something first (change a first password, set up a second
    factor) and may do nothing else until then: every other page sends them to `location`."""

    status_code = 403
    code = "step_required"

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location
