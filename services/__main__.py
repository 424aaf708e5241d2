"""Scheduled use cases: `python -m services reminders [--dry-run]` (same configuration as the
app: the workbook from the environment or secrets, the mail server from `[smtp]`).

`reminders` computes what is due today from the workbook (quiet duos, planned ends coming
close, each coordinator's weekly digest), queues it in the Outbox and sends it. Run it once
a day; running it again sends nothing new (the Outbox's dedupe keys). `--dry-run` prints what
would go and writes nothing. Exit status: 0, or 1 when a message failed, 2 on a store error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import clock
from services.notify import run_reminders
from sheets.config import current_config, load_secrets, open_store
from sheets.store import StoreError

LANG = "en"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    reminders = commands.add_parser("reminders", help="queue and send the reminders due today")
    reminders.add_argument("--dry-run", action="store_true", help="print them, write nothing")
    args = parser.parse_args(argv)
    try:
        store = open_store(current_config())
        run = run_reminders(store, load_secrets(), clock.today(), dry_run=args.dry_run)
    except StoreError as error:
        print(f"error: {error.msg.text(LANG)}", file=sys.stderr)
        return 2
    for each in run.due:
        print(f"{each.kind}\t{each.to}\t{each.language}\t{each.subject}")
    if args.dry_run:
        print(f"{len(run.due)} reminder(s) due; dry run: nothing queued or sent")
        return 0
    report = run.report
    if report is None:
        print(f"{len(run.queued)} queued; no mail server ([smtp]): they wait in the Outbox")
        return 0
    for row_id, reason in report.failed:
        print(f"failed\t{row_id}\t{reason}", file=sys.stderr)
    print(f"{len(run.queued)} queued, {len(report.sent)} sent, {len(report.failed)} failed")
    return 1 if report.failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
