"""What the personal-link pages and their sections on staff pages share (meeting log, end
evaluation, follow-up): the public page's shell (the token from the address, the refusal,
the store unavailable, links switched off) and the display of the links to copy or open."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NoReturn, TypeVar
from urllib.parse import urlsplit

import streamlit as st

from links import InvalidLink
from services.link_access import TOKEN_PARAMETER
from services.meeting_links import secret_key
from sheets.store import StoreError
from ui import context as ui
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

    def opened(self, resolve: Callable[[], T]) -> T:
        """What the link opens (`resolve()`); any invalid link gets the refusal."""
        try:
            return resolve()
        except InvalidLink:
            self.refuse()
        except StoreError:
            self.unavailable()


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
