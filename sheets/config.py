"""Which workbook the app and the admin commands use: one place, read lazily.

Order of precedence (first match wins):
1. `DUO_WORKBOOK=path.xlsx` in the environment: the local backend on that file
   (`DUO_WORKBOOK=memory:NAME`: an in-memory workbook of the process, for tests);
2. `DUO_SPREADSHEET=key-or-URL` in the environment: the Google backend;
3. `[sheets] workbook = "path.xlsx"` or `[sheets] spreadsheet = "key-or-URL"` in secrets;
4. nothing: the demo workbook at `DEMO_PATH`, created with synthetic data on first use.

Google credentials: the `[gcp_service_account]` table of secrets (the JSON key's fields), or
a key file named by `GOOGLE_APPLICATION_CREDENTIALS`. `DUO_SHEETS_API` (tests only) sends
the Sheets API calls to a local emulator instead of Google.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from i18n import Msg
from sheets.store import NoAccess, Store

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEMO_PATH = PROJECT_ROOT / "data" / "demo-workbook.xlsx"
MEMORY_PREFIX = "memory:"
SECRETS_PATHS = (
    PROJECT_ROOT / ".streamlit" / "secrets.toml",
    Path.home() / ".streamlit" / "secrets.toml",
)


@dataclass(frozen=True)
class StoreConfig:
    backend: str
    """"local", "google" or "memory"."""
    workbook: Path | None = None
    spreadsheet: str | None = None
    is_demo: bool = False
    cache_seconds: float = 15.0
    timeout_seconds: float = 30.0
    retry_seconds: float = 60.0
    api_base: str | None = None
    service_account: Mapping[str, Any] = field(default_factory=dict)
    credentials_file: str | None = None
    memory: str | None = None
    """The name of an in-memory workbook (`sheets.memory.named`)."""


def load_secrets(paths: tuple[Path, ...] = SECRETS_PATHS) -> dict[str, Any]:
    """Streamlit's secrets files read without Streamlit (for the command line)."""
    merged: dict[str, Any] = {}
    for path in reversed(paths):
        if path.is_file():
            with path.open("rb") as handle:
                merged.update(tomllib.load(handle))
    return merged


def config_from(env: Mapping[str, str], secrets: Mapping[str, Any]) -> StoreConfig:
    sheets = dict(secrets.get("sheets", {}))
    timing = StoreConfig(
        "local",
        cache_seconds=float(env.get("DUO_CACHE_SECONDS", sheets.get("cache_seconds", 15))),
        timeout_seconds=float(sheets.get("timeout_seconds", 30)),
        retry_seconds=float(env.get("DUO_RETRY_SECONDS", sheets.get("retry_seconds", 60))),
    )
    workbook = env.get("DUO_WORKBOOK", "")
    if workbook.startswith(MEMORY_PREFIX):
        return replace(timing, backend="memory", memory=workbook.removeprefix(MEMORY_PREFIX))
    if workbook:
        return replace(timing, workbook=Path(workbook))
    spreadsheet = env.get("DUO_SPREADSHEET") or sheets.get("spreadsheet")
    if spreadsheet:
        return replace(
            timing,
            backend="google",
            spreadsheet=str(spreadsheet),
            api_base=env.get("DUO_SHEETS_API") or None,
            service_account=dict(secrets.get("gcp_service_account", {})),
            credentials_file=env.get("GOOGLE_APPLICATION_CREDENTIALS") or None,
        )
    if sheets.get("workbook"):
        return replace(timing, workbook=Path(str(sheets["workbook"])))
    demo = Path(env.get("DUO_DEMO_PATH") or DEMO_PATH)
    return replace(timing, workbook=demo, is_demo=True)


def current_config() -> StoreConfig:
    return config_from(os.environ, load_secrets())


def open_store(config: StoreConfig) -> Store:
    """The store the configuration names; the demo workbook is generated if absent."""
    if config.backend == "google":
        return _google_store(config)
    if config.backend == "memory":
        from sheets.memory import named

        return named(config.memory or "")
    from sheets.local import LocalStore

    assert config.workbook is not None
    if config.is_demo and not config.workbook.exists():
        from demo.workbook import write_demo_workbook

        write_demo_workbook(config.workbook)
    return LocalStore(config.workbook, is_demo=config.is_demo)


def _google_store(config: StoreConfig) -> Store:
    from google.auth.credentials import AnonymousCredentials, Credentials
    from google.oauth2 import service_account

    from sheets.google import SCOPES, GoogleStore

    credentials: Credentials
    email = ""
    if config.service_account:
        info = dict(config.service_account)
        credentials = service_account.Credentials.from_service_account_info(info, scopes=SCOPES)
        email = str(info.get("client_email", ""))
    elif config.credentials_file:
        credentials = service_account.Credentials.from_service_account_file(
            config.credentials_file, scopes=SCOPES
        )
        email = _email_in(config.credentials_file)
    elif config.api_base:
        credentials = AnonymousCredentials()  # type: ignore[no-untyped-call]
        email = "emulator@example.org"
    else:
        raise NoAccess(Msg("store.google_no_credentials"))
    assert config.spreadsheet is not None
    return GoogleStore(
        config.spreadsheet,
        credentials,
        account_email=email,
        api_base=config.api_base,
        cache_seconds=config.cache_seconds,
        timeout=config.timeout_seconds,
        retry_seconds=config.retry_seconds,
    )


def _email_in(path: str) -> str:
    try:
        return str(json.loads(Path(path).read_text()).get("client_email", ""))
    except (OSError, ValueError):
        return ""
