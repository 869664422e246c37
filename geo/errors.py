"""The one error type users see: a clear sentence about their input."""


class InputError(ValueError):
    """Bad input (a file, a setting, a query), with a message that says what to do.

    The command line prints it as ``error: <message>`` and exits with status 2; the app
    shows the message and keeps the data it had.
    """
