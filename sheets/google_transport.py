"""The HTTP session the Google adapter talks through: a default timeout, and an optional redirect.

Production sends every Sheets API call to https://sheets.googleapis.com. Tests (and local demos)
give an `api_base` such as the URL of `tests.sheets_emulator.SheetsEmulator`: the session then
sends those same calls, with the same paths and queries, to that address instead. Only the Sheets
host is redirected; anything else (token refresh, Drive) goes where it was addressed.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from google.auth.credentials import Credentials
from google.auth.transport.requests import AuthorizedSession
from requests import PreparedRequest, Response
from requests.adapters import HTTPAdapter

SHEETS_API_PREFIX = "https://sheets.googleapis.com/"


class _RedirectAdapter(HTTPAdapter):
    """Sends each request to `api_base`, keeping its path and query."""

    def __init__(self, api_base: str) -> None:
        super().__init__()
        base = urlsplit(api_base)
        self._scheme = base.scheme
        self._netloc = base.netloc
        self._path_prefix = base.path.rstrip("/")

    def send(self, request: PreparedRequest, *args: Any, **kwargs: Any) -> Response:
        original = urlsplit(request.url or "")
        request.url = urlunsplit(
            (
                self._scheme,
                self._netloc,
                self._path_prefix + original.path,
                original.query,
                "",
            )
        )
        return super().send(request, *args, **kwargs)


class _TimeoutSession(AuthorizedSession):
    """An AuthorizedSession that applies a default timeout when the caller gives none.

    gspread passes `timeout=None` explicitly unless told otherwise, which for requests means
    "wait forever": a stalled connection would hang a Streamlit page with no error to show.
    """

    def __init__(self, credentials: Credentials, timeout: float) -> None:
        super().__init__(credentials)  # type: ignore[no-untyped-call]
        self.default_timeout = timeout

    # Same parameters as AuthorizedSession.request, which already differs from Session.request.
    def request(  # type: ignore[override]
        self,
        method: str,
        url: str,
        data: Any = None,
        headers: Any = None,
        max_allowed_time: float | None = None,
        timeout: float | tuple[float, float] | None = None,
        **kwargs: Any,
    ) -> Response:
        """AuthorizedSession.request, with `default_timeout` when `timeout` is None."""
        response: Response = super().request(  # type: ignore[no-untyped-call]
            method,
            url,
            data=data,
            headers=headers,
            max_allowed_time=max_allowed_time,
            timeout=self.default_timeout if timeout is None else timeout,
            **kwargs,
        )
        return response


def routed_session(
    credentials: Credentials, api_base: str | None, timeout: float
) -> AuthorizedSession:
    """An authorized session for the Sheets API with `timeout` seconds as the default timeout.

    With `api_base` (e.g. "http://127.0.0.1:53211"), requests addressed to
    https://sheets.googleapis.com/ are sent to that base instead, path and query unchanged.
    """
    session = _TimeoutSession(credentials, timeout)
    if api_base is not None:
        session.mount(SHEETS_API_PREFIX, _RedirectAdapter(api_base))
    return session
