"""The one user-facing error type, shared by every layer."""


class InterviewError(Exception):
    """A problem the user can fix: the message says what was wrong and how to fix it.

    The CLI prints it as one line and exits 1; the web UI shows it as a message.
    """
