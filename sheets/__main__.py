"""Admin commands: `python -m sheets init | demo | check` (same configuration as the app)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from i18n import t
from sheets.config import StoreConfig, current_config, open_store
from sheets.store import Store, StoreError

LANG = "en"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sheets", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("init", help="create or repair the tabs, headers and sheet helpers")
    demo = commands.add_parser("demo", help="write synthetic demo data into the workbook")
    demo.add_argument("--scale", type=float, default=1.0, help="1 = demo size, 67 = national")
    demo.add_argument("--seed", type=int, default=2013)
    demo.add_argument("--force", action="store_true", help="replace an existing local file")
    check = commands.add_parser("check", help="list the cells the app cannot read (read-only)")
    check.add_argument("--strict", action="store_true", help="exit 1 when there are findings")
    args = parser.parse_args(argv)
    config = current_config()
    try:
        if args.command == "init":
            return init(config)
        if args.command == "demo":
            return load_demo(config, args.scale, args.seed, args.force)
        return check_workbook(open_store(config), args.strict)
    except StoreError as error:
        print(f"error: {error.msg.text(LANG)}", file=sys.stderr)
        return 2


def init(config: StoreConfig) -> int:
    if config.backend == "local" and config.workbook and not config.workbook.exists():
        from sheets.local import EMPTY_TABS, create_workbook

        create_workbook(config.workbook, EMPTY_TABS)
        print(f"created {config.workbook}")
    store = open_store(config)
    done = store.set_up()
    for line in done:
        print(line)
    print(f"{store.location}: set up ({len(done)} changes)")
    return 0


def load_demo(config: StoreConfig, scale: float, seed: int, force: bool) -> int:
    if config.backend == "local":
        from demo.workbook import write_demo_workbook

        assert config.workbook is not None
        if config.workbook.exists() and not force:
            print(f"error: {config.workbook} exists; add --force to replace it", file=sys.stderr)
            return 1
        counts = write_demo_workbook(config.workbook, seed=seed, scale=scale)
        print(f"wrote {config.workbook}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        return 0
    return _load_demo_into(open_store(config), scale, seed)


def _load_demo_into(store: Store, scale: float, seed: int) -> int:
    """Demo data into a Google spreadsheet: only into empty tabs, one bulk append per tab."""
    import demo
    from sheets.schema import TABS

    store.set_up()
    tables = store.read([tab.name for tab in TABS])
    filled = [name for name, table in tables.items() if name != "Audit" and len(table.frame)]
    if filled:
        print(f"error: these tabs already hold rows: {', '.join(filled)}", file=sys.stderr)
        return 1
    records = demo.generate(seed=seed, scale=scale)
    for tab in TABS:
        rows = records.get(tab.name, [])
        if rows and tab.name != "Audit":
            store.append(tab.name, rows, who="demo", action="demo", audit=False)
            print(f"{tab.name}: {len(rows)} rows")
    return 0


def check_workbook(store: Store, strict: bool) -> int:
    findings = store.findings()
    for finding in findings:
        problem = t(f"store.problem_{finding.problem}", LANG)
        print(f"{finding.tab}\trow {finding.row}\t{finding.column}\t{finding.raw!r}\t{problem}")
    print(f"{store.location}: {len(findings)} finding(s)")
    return 1 if strict and findings else 0


if __name__ == "__main__":
    raise SystemExit(main())
