"""Which workbook the app opens: the environment over secrets over the demo (sheets/config.py).

`config_from` reads plain mappings, so each test hands it the environment and the secrets it
means: nothing here depends on the machine's variables or on a secrets file of the developer's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sheets.config import DEMO_PATH, StoreConfig, config_from, load_secrets

SPREADSHEET_KEY = "1AbCdEfGhIjKlMnOpQrStUvWxYz"
SECRETS_SPREADSHEET = "https://docs.google.com/spreadsheets/d/secrets-key/edit"
SERVICE_ACCOUNT = {"type": "service_account", "client_email": "duo@example.iam.gserviceaccount.com"}


def sheets_secrets(**sheets: Any) -> dict[str, Any]:
    return {"sheets": sheets}


def everything_set() -> tuple[dict[str, str], dict[str, Any]]:
    """An environment and secrets that name a workbook and a spreadsheet each."""
    env = {"DUO_WORKBOOK": "env.xlsx", "DUO_SPREADSHEET": SPREADSHEET_KEY}
    secrets = sheets_secrets(workbook="secrets.xlsx", spreadsheet=SECRETS_SPREADSHEET)
    return env, secrets


# -- which workbook ---------------------------------------------------------------------------


def test_duo_workbook_in_the_environment_wins_over_everything_else() -> None:
    env, secrets = everything_set()
    config = config_from(env, secrets)
    assert (config.backend, config.workbook, config.spreadsheet) == (
        "local",
        Path("env.xlsx"),
        None,
    )
    assert not config.is_demo


def test_duo_spreadsheet_in_the_environment_wins_over_the_secrets() -> None:
    env, secrets = everything_set()
    del env["DUO_WORKBOOK"]
    config = config_from(env, secrets)
    assert (config.backend, config.spreadsheet, config.workbook) == (
        "google",
        SPREADSHEET_KEY,
        None,
    )
    assert not config.is_demo


def test_duo_spreadsheet_in_the_environment_wins_over_a_workbook_in_the_secrets() -> None:
    config = config_from({"DUO_SPREADSHEET": SPREADSHEET_KEY}, sheets_secrets(workbook="s.xlsx"))
    assert (config.backend, config.spreadsheet) == ("google", SPREADSHEET_KEY)


def test_a_spreadsheet_in_the_secrets_opens_the_google_backend() -> None:
    config = config_from({}, sheets_secrets(spreadsheet=SECRETS_SPREADSHEET))
    assert (config.backend, config.spreadsheet, config.is_demo) == (
        "google",
        SECRETS_SPREADSHEET,
        False,
    )


def test_a_workbook_in_the_secrets_opens_the_local_backend_on_that_file() -> None:
    config = config_from({}, sheets_secrets(workbook="/srv/duo/workbook.xlsx"))
    assert (config.backend, config.workbook, config.is_demo) == (
        "local",
        Path("/srv/duo/workbook.xlsx"),
        False,
    )


def test_with_nothing_configured_the_app_opens_the_demo_workbook() -> None:
    config = config_from({}, {})
    assert config == StoreConfig("local", workbook=DEMO_PATH, is_demo=True)


def test_secrets_without_a_sheets_table_still_mean_the_demo() -> None:
    config = config_from({}, {"passwords": {"someone@example.org": "scrypt$..."}})
    assert (config.workbook, config.is_demo) == (DEMO_PATH, True)


def test_duo_demo_path_moves_the_demo_workbook_elsewhere() -> None:
    config = config_from({"DUO_DEMO_PATH": "/tmp/demo.xlsx"}, {})
    assert (config.workbook, config.is_demo) == (Path("/tmp/demo.xlsx"), True)


def test_empty_environment_variables_count_as_unset() -> None:
    env = {"DUO_WORKBOOK": "", "DUO_SPREADSHEET": "", "DUO_DEMO_PATH": ""}
    assert config_from(env, sheets_secrets(workbook="s.xlsx")).workbook == Path("s.xlsx")
    assert config_from(env, {}) == StoreConfig("local", workbook=DEMO_PATH, is_demo=True)


# -- the Google backend's access --------------------------------------------------------------


def test_the_google_backend_takes_its_service_account_from_the_secrets() -> None:
    secrets = {
        **sheets_secrets(spreadsheet=SECRETS_SPREADSHEET),
        "gcp_service_account": SERVICE_ACCOUNT,
    }
    config = config_from({}, secrets)
    assert config.service_account == SERVICE_ACCOUNT
    assert (config.credentials_file, config.api_base) == (None, None)


def test_the_google_backend_takes_a_key_file_and_an_emulator_from_the_environment() -> None:
    env = {
        "DUO_SPREADSHEET": SPREADSHEET_KEY,
        "GOOGLE_APPLICATION_CREDENTIALS": "/etc/duo/key.json",
        "DUO_SHEETS_API": "http://127.0.0.1:8085",
    }
    config = config_from(env, {})
    assert (config.credentials_file, config.api_base) == (
        "/etc/duo/key.json",
        "http://127.0.0.1:8085",
    )
    assert config.service_account == {}


def test_the_local_backend_ignores_google_credentials() -> None:
    env = {"DUO_WORKBOOK": "w.xlsx", "GOOGLE_APPLICATION_CREDENTIALS": "/etc/duo/key.json"}
    config = config_from(env, {"gcp_service_account": SERVICE_ACCOUNT})
    assert (config.backend, config.credentials_file, config.service_account) == ("local", None, {})


# -- timing -----------------------------------------------------------------------------------


def test_without_timing_settings_the_defaults_hold() -> None:
    config = config_from({}, {})
    assert (config.cache_seconds, config.timeout_seconds, config.retry_seconds) == (15, 30, 60)


def test_timing_in_the_secrets_is_used() -> None:
    secrets = sheets_secrets(cache_seconds=5, timeout_seconds=12, retry_seconds=90)
    config = config_from({}, secrets)
    assert (config.cache_seconds, config.timeout_seconds, config.retry_seconds) == (5, 12, 90)


def test_duo_cache_seconds_in_the_environment_wins_over_the_secrets() -> None:
    config = config_from({"DUO_CACHE_SECONDS": "0"}, sheets_secrets(cache_seconds=5))
    assert config.cache_seconds == 0.0


def test_duo_retry_seconds_in_the_environment_wins_over_the_secrets() -> None:
    config = config_from({"DUO_RETRY_SECONDS": "2.5"}, sheets_secrets(retry_seconds=90))
    assert config.retry_seconds == 2.5


def test_timing_applies_whichever_workbook_is_chosen() -> None:
    secrets = sheets_secrets(cache_seconds=5, timeout_seconds=12, retry_seconds=90)
    for env in ({"DUO_WORKBOOK": "w.xlsx"}, {"DUO_SPREADSHEET": SPREADSHEET_KEY}, {}):
        config = config_from(env, secrets)
        assert (config.cache_seconds, config.timeout_seconds, config.retry_seconds) == (5, 12, 90)


# -- reading the secrets files without Streamlit ----------------------------------------------


def test_the_projects_secrets_file_wins_over_the_home_one(tmp_path: Path) -> None:
    project, home = tmp_path / "project.toml", tmp_path / "home.toml"
    project.write_text('[sheets]\nworkbook = "project.xlsx"\n')
    home.write_text('[sheets]\nworkbook = "home.xlsx"\n\n[staff]\nadmins = ["a@example.org"]\n')
    secrets = load_secrets((project, home))
    assert secrets == {
        "sheets": {"workbook": "project.xlsx"},
        "staff": {"admins": ["a@example.org"]},
    }
    assert config_from({}, secrets).workbook == Path("project.xlsx")


def test_missing_secrets_files_mean_no_secrets(tmp_path: Path) -> None:
    assert load_secrets((tmp_path / "nowhere.toml", tmp_path / "neither.toml")) == {}
