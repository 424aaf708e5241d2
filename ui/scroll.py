"""Bring an element into view: a confirmation where the person is looking, not below a form.

Streamlit keeps the page's scroll position across a run: after a long form is sent, what
replaces it (or a message under it) may lie outside the window, on a phone especially.
"""

from __future__ import annotations

import json

import streamlit as st

SCRIPT = """(function show(tries) {{
  const element = document.querySelector({selector});
  if (element) element.scrollIntoView({{block: "start"}});
  else if (tries) requestAnimationFrame(() => show(tries - 1));
}})(60);"""


def scroll_to(key: str) -> None:
    """Scroll the container made with `st.container(key=key)` to the top of the window (it
    may still be on its way to the page: tried for about a second)."""
    selector = json.dumps(f".st-key-{key}")
    st.html(f"<script>{SCRIPT.format(selector=selector)}</script>", unsafe_allow_javascript=True)
