"""What the personal-link pages and their sections on staff pages share (meeting log, end
evaluation, follow-up): the public page's shell (the token from the address, the refusal,
the store unavailable, links switched off) and the display of the links to copy or open."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import NoReturn, TypeVar
from urllib.parse import urlsplit

import streamlit as st

from access import User
from links import InvalidLink
from meetings import InputRefused
from services.link_access import TOKEN_PARAMETER
from services.meeting_links import revoke, secret_key
from services.unit import Outcome
from sheets.store import Store, StoreError
from ui import context as ui
from ui.feedback import attempt, succeed
from workflow import TransitionError

T = TypeVar("T")


def app_address() -> str:
    """Scheme and host of the app as the coordinator's browser reaches it."""
    url = st.context.url or ""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else url


@dataclass(frozen=True)
class PublicLinkPage:
    """A public page opened by a personal link; `messages` is its i18n file (refused,
    unavailable, disabled)."""

    messages: str

    def refuse(self) -> NoReturn:
        """The polite refusal, and nothing else, for any link that must not work."""
        st.warning(ui.tr(f"{self.messages}.refused"), icon=":material/link_off:")
        st.stop()

    def unavailable(self) -> NoReturn:
        st.error(ui.tr(f"{self.messages}.unavailable"))
        st.stop()

    def token(self) -> str:
        """The link's token from the address (the refusal without one)."""
        link = str(st.query_params.get(TOKEN_PARAMETER, "") or "")
        if not link:
            self.refuse()
        return link

    def secret(self, *, admin_hint: str = "") -> str:
        """The key that signs the links; the page stops when links are switched off."""
        try:
            secret = secret_key(ui.secrets(), ui.store())
        except StoreError:
            self.unavailable()
        if secret is None:
            st.warning(ui.tr(f"{self.messages}.disabled"))
            if admin_hint:
                st.caption(ui.tr(admin_hint))
            st.stop()
        return secret

    def sent(self, send: Callable[[], Outcome]) -> Outcome | None:
        """What `send()` wrote; a link that stopped working gets the refusal, and what the
        form lacks (or why it cannot be taken now) is said under it (None: nothing written)."""
        try:
            return send()
        except InvalidLink:
            self.refuse()
        except (InputRefused, TransitionError) as refused:
            problems = refused.problems if isinstance(refused, InputRefused) else [refused.msg]
            for problem in problems:
                st.error(ui.md_text(problem))
            return None
        except StoreError:
            self.unavailable()

    def start(
        self, resolve: Callable[[Store, str, str, dt.date], T], *, admin_hint: str = ""
    ) -> tuple[str, str, T]:
        """The page's title, then the link's token, the key and what the link opens
        (`resolve(store, token, key, today)`); the page stops on anything else."""
        st.title(ui.tr(f"{self.messages}.title"))
        link = self.token()
        secret = self.secret(admin_hint=admin_hint)
        return link, secret, self.opened(lambda: resolve(ui.store(), link, secret, ui.today()))

    def hello(self, mentor_first_name: str, mentee_first_name: str) -> None:
        """The pair's first names: all a link holder sees of them."""
        mentor, mentee = mentor_first_name or "…", mentee_first_name or "…"
        st.subheader(ui.md_tr(f"{self.messages}.hello", mentor=mentor, mentee=mentee))

    def opened(self, resolve: Callable[[], T]) -> T:
        """What the link opens (`resolve()`); any invalid link gets the refusal."""
        try:
            return resolve()
        except InvalidLink:
            self.refuse()
        except StoreError:
            self.unavailable()


@contextmanager
def links_section(title: str, icon: str, help_text: str) -> Iterator[str | None]:
    """The expander a staff page shows a duo's personal links in; yields the key that signs
    them (None when links are switched off: the section says so)."""
    with st.expander(ui.tr(title), icon=icon):
        secret = secret_key(ui.secrets(), ui.store())
        if secret is None:
            st.info(ui.tr("duo_links.disabled"))
        else:
            st.caption(ui.tr(help_text))
        yield secret


def revoke_button(duo_id: str, user: User, help_text: str, label: str, key: str) -> None:
    """The button that revokes every link of the duo given so far (all purposes at once)."""
    st.caption(ui.tr(help_text))
    if st.button(ui.tr(label), key=key):
        succeed(attempt(lambda: revoke(ui.store(), duo_id, ui.who(), user=user)))


def show_links(
    links: Sequence[tuple[str, Callable[[], str]]], *, open_button: bool = False
) -> bool:
    """Each link under its label (translated key), to copy (and open, with `open_button`);
    on a refusal, say why and stop there. True when every link was shown."""
    for label, make in links:
        try:
            link = make()
        except (StoreError, TransitionError) as error:
            st.error(ui.md_text(error.msg))
            return False
        st.markdown(f"**{ui.tr(label)}**")
        st.code(link, language=None, wrap_lines=True)
        if open_button:
            st.link_button(ui.tr("duo_links.open"), link, icon=":material/open_in_new:")
    return True
