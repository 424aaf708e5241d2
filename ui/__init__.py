"""Streamlit glue shared by the pages: session state, feedback, tables. No business rules."""
