"""The one error type users see: a clear sentence about their input."""

from __future__ import annotations


class InputError(ValueError):
    """Bad input (a file, a setting, a query), with a message that says what to do.

    The command line prints it as ``error: <message>`` and exits with status 2; the app
    shows the message and keeps the data it had. Advice that differs between the two (a
    command-line option, a box in the app) is kept apart so each shows its own.

    Parameters
    ----------
    message : str
        What is wrong.
    cli_hint : str
        What to do on the command line.
    app_hint : str
        What to do in the app.
    """

    def __init__(self, message: str, cli_hint: str = "", app_hint: str = "") -> None:
        super().__init__(message)
        self.message, self.cli_hint, self.app_hint = message, cli_hint, app_hint

    def __str__(self) -> str:
        return f"{self.message}; {self.cli_hint}" if self.cli_hint else self.message

    def for_app(self) -> str:
        """The message with the app's advice instead of the command line's."""
        return f"{self.message}; {self.app_hint}" if self.app_hint else self.message

    def renamed(self, message: str) -> InputError:
        """The same error with a new message (e.g. naming the user's file), hints kept."""
        return InputError(message, self.cli_hint, self.app_hint)
