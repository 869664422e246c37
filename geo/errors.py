"""The one error type users see: a clear sentence about their input."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Self

Translate = Callable[..., str]


class Term(str):
    """A value that is itself a catalog key (a word such as *shapefile*), shown translated."""


class InputError(ValueError):
    """Bad input (a file, a setting, a query), with a message that says what to do.

    The command line prints it as ``error: <message>`` and exits with status 2; the app
    shows the message and keeps the data it had. Advice that differs between the two (a
    command-line option, a box in the app) is kept apart so each shows its own.

    A refusal made with :meth:`keyed` carries a catalog key and its values instead of a
    sentence: the sentence is made at the edge, in the reader's language, by
    :meth:`for_app` or :meth:`for_cli`; ``message`` and ``str()`` give it in English.

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
        self.key, self.values, self.file = "", dict[str, object](), ""
        self.cli_key = self.app_key = ""

    @classmethod
    def keyed(cls, key: str, *, cli_key: str = "", app_key: str = "", **values: object) -> Self:
        """A refusal as a catalog key and its values (values from a file stay values).

        Parameters
        ----------
        key : str
            The catalog key of what is wrong (``error.<module>.<what>``).
        cli_key, app_key : str
            Catalog keys of what to do on the command line and in the app.
        **values
            The key's ``{name}`` values; a :class:`Term` is itself a key, translated.

        Returns
        -------
        InputError
            Or the subclass it is called on (:class:`~geo.fetch.protocol.ServiceError`).
        """
        error = cls("")
        error.key, error.values, error.cli_key, error.app_key = key, values, cli_key, app_key
        return error._in_english()

    def __str__(self) -> str:
        return f"{self.message}; {self.cli_hint}" if self.cli_hint else self.message

    def for_app(self, t: Translate | None = None) -> str:
        """The message with the app's advice instead of the command line's, in ``t``'s
        language (English when ``t`` is omitted or the error has no key)."""
        if self.key and t is not None:
            return self._joined(t, self.app_key)
        return f"{self.message}; {self.app_hint}" if self.app_hint else self.message

    def for_cli(self, t: Translate | None = None) -> str:
        """The message with the command line's advice, in ``t``'s language."""
        if self.key and t is not None:
            return self._joined(t, self.cli_key)
        return str(self)

    def renamed(self, message: str) -> InputError:
        """The same error with a new message (e.g. naming the user's file), hints kept."""
        return InputError(message, self.cli_hint, self.app_hint)

    def in_file(self, name: str) -> InputError:
        """The same error said about a file: ``<name>: <message>``."""
        if not self.key:
            return self.renamed(f"{name}: {self.message}")
        error = copy.copy(self)
        error.file = name
        return error._in_english()

    def with_name(self, old: str, new: str) -> InputError:
        """The same error with ``old`` (a temporary copy's path or name) said as ``new``."""
        if not self.key:
            return self.renamed(self.message.replace(old, new))
        error = copy.copy(self)
        error.values = {
            k: v.replace(old, new) if isinstance(v, str) and not isinstance(v, Term) else v
            for k, v in self.values.items()
        }
        error.file = self.file.replace(old, new)
        return error._in_english()

    def _sentence(self, t: Translate) -> str:
        values = {k: t(v) if isinstance(v, Term) else v for k, v in self.values.items()}
        problem = t(self.key, **values)
        return t("error.in_file", name=self.file, problem=problem) if self.file else problem

    def _joined(self, t: Translate, hint_key: str) -> str:
        problem = self._sentence(t)
        return t("error.then", problem=problem, hint=t(hint_key)) if hint_key else problem

    def _in_english(self) -> Self:
        from geo.i18n import translator  # geo.i18n reads the profile module, which raises these

        english = translator("en")
        self.message = self._sentence(english)
        self.cli_hint = english(self.cli_key) if self.cli_key else ""
        self.app_hint = english(self.app_key) if self.app_key else ""
        self.args = (self.message,)
        return self


def refusal_text(exc: Exception | str, t: Translate, app: bool = True) -> str:
    """What an error says in ``t``'s language: an :class:`InputError`'s keyed sentence (with
    the app's or the command line's advice), any other error's own text (a text as it is)."""
    if isinstance(exc, InputError):
        return exc.for_app(t) if app else exc.for_cli(t)
    return str(exc)
