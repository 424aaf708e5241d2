"""The language switch: in the sidebar for everyone, and at the top of the public pages.

One language state, the session's (`ui.context.lang()`, first from `?lang=`, else the
browser's): every switch shows it and changes it. A switch's own widget value is set from it
before each render, so that the sidebar's and the page's switches never disagree; a choice
lands in a callback, before the run, so the whole run (the shell's sidebar too) is in the new
language. Widgets keep their values across a switch: their identity is their key, not their
(translated) label.

Choice widgets (radio, select boxes) are the exception: the browser matches their value by its
label, so after a switch it would show no choice, or a stale label that the server then takes
for a value of its own. A page names them (`keep`); a switch sends their values again, as the
server holds them. A value chosen inside a form that was never sent is not known to the
server: that choice is cleared, shown empty rather than wrong (text, dates and ticks stay).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from i18n import LANGUAGE_NAMES, LANGUAGES
from ui.context import LANG, lang, tr

SIDEBAR_KEY = "language-switch"
PAGE_KEY = "language-switch-page"
QUERY = "lang"
KEEP = "language-switch-keep"
"""Session key: the page's choice widgets whose values a switch sends again."""


def _chosen(key: str) -> None:
    choice = st.session_state.get(key)
    if choice in LANGUAGES and choice != st.session_state.get(LANG):
        st.session_state[LANG] = choice
        for kept in st.session_state.get(KEEP, ()):
            if kept in st.session_state:
                st.session_state[kept] = st.session_state[kept]
        if QUERY in st.query_params:  # a reload of this address stays in the chosen language
            st.query_params[QUERY] = choice


def language_switch(where: DeltaGenerator, key: str, *, compact: bool = False) -> None:
    """The three languages as a segmented control in `where`; `compact`: without its label
    (each option names its language in that language)."""
    st.session_state[key] = lang()
    where.segmented_control(
        tr("app.language"),
        LANGUAGES,
        format_func=LANGUAGE_NAMES.__getitem__,
        key=key,
        on_change=_chosen,
        args=(key,),
        label_visibility="collapsed" if compact else "visible",
    )


def page_language_switch(keep: Iterable[str] = ()) -> None:
    """The switch at the top of a public page, where a phone shows it (its sidebar is
    collapsed); `keep`: the keys of the page's choice widgets (see above)."""
    st.session_state[KEEP] = tuple(keep)
    language_switch(st.container(key="page-language"), PAGE_KEY, compact=True)


def document_language() -> None:
    """Tells the browser (screen readers, translation, hyphenation) the page's language:
    `<html lang>` is Streamlit's "en" otherwise. Put in the sidebar, where its empty
    element takes no room in the page."""
    script = f"document.documentElement.lang = {json.dumps(lang())};"
    st.sidebar.html(f"<script>{script}</script>", unsafe_allow_javascript=True)
