"""Use cases: what the pages ask for, run against the store. No Streamlit here.

The layer between the thin pages and the rest, one idea a module:
- `snapshot`: what a page reads, in one store call, with derived figures kept per data
  version; `offices`: a coordinator sees and changes only their offices' records;
- `unit`: the write protocol, one use case one unit of work (`Store.write`);
- one module per part of the programme (`applications`, `people`, `sessions`, `duos`,
  `meeting_links`, `matching_session`, `reports`, `quality`, `privacy`, `settings`);
- the messages: `notify` (where they start), `outbox` (queue, send once), `mail` (SMTP).
"""
