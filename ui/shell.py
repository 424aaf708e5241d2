"""Pages run only inside the shell (app.py's navigation), never on their own.

Streamlit still knows the old multipage mode of a `pages/` folder beside the main script:
on the first run of a fresh process, a deep link such as `/privacy` would run that page
file alone, without the shell that signs people in, checks roles and shows conflicts. The
shell's `st.navigation` switches that mode off for the whole process; a page that finds it
still on switches it off and reruns, so that the shell runs first and then opens the page.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def require_shell() -> None:
    """First line of every page script."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
