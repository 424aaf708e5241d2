"""`python -m services reminders`: a dry run writes nothing; a run sends what is due through
the mail server; a second run sends nothing new."""

from __future__ import annotations

import pytest

from services.__main__ import main
from services.outbox import SENT, outbox_rows
from tests.apptest import store_of
from tests.smtp_server import SmtpServer, smtp_server

__all__ = ["smtp_server"]


@pytest.fixture
def configured(
    smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch, workbook: str
) -> SmtpServer:
    monkeypatch.setattr("services.__main__.load_secrets", lambda: smtp_server.secrets)
    return smtp_server


def test_the_reminders_command_twice_sends_once(
    configured: SmtpServer, workbook: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["reminders", "--dry-run"]) == 0
    dry = capsys.readouterr().out
    assert "dry run" in dry and configured.inbox.messages == []
    due = len(dry.strip().splitlines()) - 1
    assert due > 0
    assert main(["reminders"]) == 0
    assert len(configured.inbox.messages) == due
    assert f"{due} sent, 0 failed" in capsys.readouterr().out
    assert main(["reminders"]) == 0
    assert "0 queued, 0 sent, 0 failed" in capsys.readouterr().out
    assert len(configured.inbox.messages) == due
    store = store_of(workbook)
    rows = outbox_rows(store.read(["Outbox"], fresh=True)["Outbox"].frame)
    assert len(rows) == due and {row.status for row in rows} == {SENT}


def test_without_a_mail_server_the_reminders_wait_in_the_outbox(
    workbook: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("services.__main__.load_secrets", dict)
    assert main(["reminders"]) == 0
    assert "wait in the Outbox" in capsys.readouterr().out


def test_the_command_runs_as_a_module() -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "services", "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and "reminders" in done.stdout
