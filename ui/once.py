"""Exactly once from the forms: every render of a form carries a submission token.

Streamlit keeps no hidden fields: what the browser sends back with a submit is the value of
each widget. So each form holds one more widget, a hidden text field whose value is the
token of that render. A double tap, or a browser that sends the same render again after a
reconnect, sends the same token; the first submit that succeeds retires it and its result is
remembered (in the session and, for the public forms, in a bounded process-wide memo), so
the repeat writes nothing and shows the same result. After a success the form comes back
with its fields reset and a fresh token.

    ONCE = Once("log-form", defaults={"log-summary": "", "log-topics": []})

    with st.form("log-form"):
        token = ONCE.field()           # first thing in the form
        ...                            # the fields
        sent = st.form_submit_button(...)
        ONCE.show()                    # the confirmation, right under the button
    if sent:
        ONCE.submit(token, lambda: attempt(...))

No business rule here: which fields, defaults and messages is the page's choice.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any, NoReturn

import streamlit as st

from services.unit import Outcome
from sheets.ids import id_for
from ui.context import md_text

MEMO_SIZE = 1000
"""How many used tokens (and recent entries) the process remembers."""
SESSION_RESULTS = 20
"""How many results of one form a session remembers."""


class Memo:
    """A bounded, thread-safe memo of the most recent keys (oldest forgotten first)."""

    def __init__(self, size: int = MEMO_SIZE) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, key: Hashable, value: Any, now: float | None = None) -> None:
        with self._lock:
            self._items[key] = (time.monotonic() if now is None else now, value)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def get(self, key: Hashable, within: float | None = None, now: float | None = None) -> Any:
        """The value kept for `key` (None if unknown, or older than `within` seconds)."""
        with self._lock:
            found = self._items.get(key)
        if found is None:
            return None
        stamp, value = found
        if within is not None and (time.monotonic() if now is None else now) - stamp > within:
            return None
        return value

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._items

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


USED = Memo()
"""Tokens of the public forms' successful submits, process-wide, with their results."""
RECENT = Memo()
"""Recent entries of the public forms (`Once.remember_entry`), process-wide, time-stamped."""


def new_token() -> str:
    return secrets.token_urlsafe(16)


def show_outcome(outcome: Any) -> None:
    """The default confirmation: the outcome's message as a success."""
    if isinstance(outcome, Outcome):
        st.success(md_text(outcome.message), icon=":material/check_circle:")


def succeeded(result: Any) -> bool:
    """A result that retires the token: anything but an outcome with conflicts to settle."""
    return not isinstance(result, Outcome) or result.ok


@dataclass
class Once:
    """The exactly-once guard of one form (`form` is the prefix of its session keys)."""

    form: str
    defaults: Mapping[str, Any] = field(default_factory=dict)
    """Widget key -> the value the field gets back after a success."""
    shared: bool = False
    """Also remember used tokens process-wide (the public forms: a new session may resend)."""
    render: Callable[[Any], None] = show_outcome
    """How the remembered result is shown."""

    @property
    def token_key(self) -> str:
        return f"{self.form}-once"

    @property
    def _results_key(self) -> str:
        return f"{self.form}-once-results"

    @property
    def _reset_key(self) -> str:
        return f"{self.form}-once-reset"

    @property
    def _show_key(self) -> str:
        return f"{self.form}-once-show"

    @property
    def _reset_run_key(self) -> str:
        return f"{self.form}-once-reset-run"

    def field(self) -> str:
        """Inside the form, before its fields: the hidden token field; this render's token.

        After a success (or a repeat) the fields get their defaults back and a fresh token
        first, so that what the browser still holds of the old render is overwritten.
        """
        reset = bool(st.session_state.pop(self._reset_key, False))
        st.session_state[self._reset_run_key] = reset
        if reset:
            for key, value in self.defaults.items():
                st.session_state[key] = value
            st.session_state[self.token_key] = new_token()
        box = f"{self.token_key}-box"
        st.html(f"<style>.st-key-{box}{{display:none}}</style>")
        # A fresh token for a first render; a browser that resends a render sends its own.
        start = "" if self.token_key in st.session_state else new_token()
        with st.container(key=box):
            token = st.text_input(
                "token", value=start, key=self.token_key, label_visibility="collapsed"
            )
        return str(token or "")

    def record_id(self, token: str, prefix: str) -> str:
        """The ID of the record this render creates: the same for every submit of the render,
        so a retry after a save whose answer was lost finds it written and adds nothing."""
        return id_for(prefix, f"{self.form}:{token}")

    def remembered(self, token: str) -> Any:
        """The result of the successful submit with this token (None: not used yet)."""
        results: dict[str, Any] = st.session_state.get(self._results_key, {})
        if token in results:
            return results[token]
        return USED.get(token) if self.shared else None

    def submit(self, token: str, action: Callable[[], object | None]) -> None:
        """Run `action` once per token; a repeat shows the first result and writes nothing.

        `action` returns None when nothing was written (it has said why): the token stays and
        so does what was typed. Any other result retires the token (an `Outcome` with
        conflicts only once they are settled) and the page runs again, the form empty and
        the result under its button.
        """
        if st.session_state.get(self._reset_run_key) or not token:
            # The browser sent the render that succeeded together with the page's own rerun:
            # the form was just emptied and the result shown; nothing more to do.
            return
        if self.remembered(token) is not None:
            self._again(token)
        st.session_state.pop(self._show_key, None)
        result = action()
        if result is None:
            return
        if not succeeded(result):
            st.rerun()
        self._remember(token, result)
        self._again(token)

    def result(self) -> Any:
        """The result of the last successful submit, until the next submit (else None)."""
        token = st.session_state.get(self._show_key)
        return None if token is None else self.remembered(token)

    def show(self) -> None:
        """The result of the last successful submit; call it right after the form."""
        result = self.result()
        if result is not None:
            self.render(result)

    def remember_entry(self, entry: Hashable) -> None:
        """Note an entry just written (process-wide), for `entry_seen_within`."""
        RECENT.put((self.form, entry), True)

    def entry_seen_within(self, entry: Hashable, seconds: float) -> bool:
        """Whether the same entry was written from this form in the last `seconds`."""
        return RECENT.get((self.form, entry), within=seconds) is not None

    def restart(self) -> None:
        """Empty the form on the next run (fields to their defaults, a fresh token)."""
        st.session_state[self._reset_key] = True

    def _remember(self, token: str, result: Any) -> None:
        results: dict[str, Any] = dict(st.session_state.get(self._results_key, {}))
        results[token] = result
        st.session_state[self._results_key] = dict(list(results.items())[-SESSION_RESULTS:])
        if self.shared:
            USED.put(token, result)

    def _again(self, token: str) -> NoReturn:
        """Run the page again: the form empty, the result of `token` under its button."""
        self.restart()
        st.session_state[self._show_key] = token
        st.rerun()
