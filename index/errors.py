"""The one user-facing error type, shared by every layer."""


class InterviewError(Exception):
    """A problem the user can fix: the message says what was wrong and how to fix it.

    The CLI prints it as one line and exits 1; the web UI shows it as a message. `code` (with
    `details`) names the problem for a shell that words it in the user's language; the message
    stays the English fallback.

    >>> e = InterviewError("x.wav is silent: record again", code="silent", seconds=3.0)
    >>> (str(e), e.code, e.details)
    ('x.wav is silent: record again', 'silent', {'seconds': 3.0})
    """

    def __init__(self, message: str, code: str | None = None, **details) -> None:
        super().__init__(message)
        self.code = code
        self.details = details
