"""Who gets in: navigation per role, sign-in, demo mode, URLs of pages one may not use."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import access
from access import Throttle, User, hash_password
from tests.apptest import ADMIN, ANTWERP, BRUSSELS, ROOT, assert_no_exception
from tests.test_page_apply import from_address

PASSWORD = "a long enough secret"


def app(user: User | None = None, secrets: dict[str, object] | None = None) -> AppTest:
    test = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    test.session_state["lang"] = "en"
    if user is not None:
        test.session_state["user"] = user
    for key, value in (secrets or {}).items():
        test.secrets[key] = value
    return test.run()


def _registered(test: AppTest) -> set[str]:
    """The page files the navigation registered for this session (others are unreachable)."""
    names = set()
    for file in (ROOT / "pages").glob("*.py"):
        try:
            test.switch_page(str(file))
        except ValueError:
            continue
        names.add(file.name)
    return names


def test_a_signed_out_visitor_gets_only_the_public_pages(workbook: Path) -> None:
    test = app()
    assert_no_exception(test)
    assert [t.value for t in test.title] == ["Sign in"]
    public = {"sign_in.py", "apply.py", "meeting_log.py", "self_evaluation.py", "self_follow_up.py"}
    assert _registered(test) <= public


def test_a_signed_out_visitor_cannot_open_a_coordinator_page_by_its_url(workbook: Path) -> None:
    test = app()
    with pytest.raises(ValueError):
        test.switch_page(str(ROOT / "pages" / "today.py"))
    test.query_params["id"] = "P-AAAAAA"
    test.run()
    assert "Today" not in [t.value for t in test.title]


def test_coordinators_do_not_get_the_admin_pages(workbook: Path) -> None:
    pages = _registered(app(BRUSSELS))
    assert "today.py" in pages
    assert not {"settings.py", "privacy.py", "sign_in.py"} & pages


def test_admins_get_the_admin_pages(workbook: Path) -> None:
    pages = _registered(app(ADMIN))
    assert {"privacy.py", "today.py"} <= pages


def test_the_right_password_signs_a_staff_member_in(workbook: Path) -> None:
    test = app(secrets={"passwords": {ANTWERP.email: hash_password(PASSWORD)}})
    test.text_input[0].input(ANTWERP.email)
    test.text_input[1].input(PASSWORD)
    test.button[0].click().run()
    assert_no_exception(test)
    assert test.session_state["user"].offices == ("Antwerp",)
    assert [t.value for t in test.title] == ["Today"]


def test_wrong_passwords_are_refused_and_slow_down(workbook: Path) -> None:
    test = app(secrets={"passwords": {"slow@example.org": hash_password(PASSWORD)}})
    durations = []
    for _ in range(3):
        test.text_input[0].input("slow@example.org")
        test.text_input[1].input("not the password")
        started = time.monotonic()
        test.button[0].click().run()
        durations.append(time.monotonic() - started)
        assert "not recognised" in test.error[0].value
    assert durations[2] > durations[0] + 0.8


def test_a_right_password_for_someone_not_on_the_staff_list_is_refused(workbook: Path) -> None:
    test = app(secrets={"passwords": {"stranger@example.org": hash_password(PASSWORD)}})
    test.text_input[0].input("stranger@example.org")
    test.text_input[1].input(PASSWORD)
    test.button[0].click().run()
    assert "user" not in test.session_state
    assert test.error


def test_demo_mode_is_refused_on_a_real_workbook(workbook: Path) -> None:
    from ui.context import DEMO_ADMIN

    test = app(DEMO_ADMIN)
    assert [t.value for t in test.title] == ["Sign in"]
    assert not any("demo" in b.label.lower() for b in test.button)


def test_the_demo_workbook_offers_one_click_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, demo_template: Path
) -> None:
    import shutil

    demo = tmp_path / "demo.xlsx"
    shutil.copy(demo_template, demo)
    monkeypatch.delenv("DUO_WORKBOOK", raising=False)
    monkeypatch.setenv("DUO_DEMO_PATH", str(demo))
    test = app()
    coordinator = next(b for b in test.button if "coordinator" in b.label)
    coordinator.click().run()
    assert_no_exception(test)
    assert test.session_state["user"].offices == ("Brussels",)
    assert "Demo workbook" in test.info[0].value


# -- the wait is per account and per source, whatever the browser session -----------------------


def attempt(test: AppTest, email: str, password: str) -> AppTest:
    test.text_input[0].input(email)
    test.text_input[1].input(password)
    test.button[0].click().run()
    assert_no_exception(test)
    return test


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The waits the sign-in page asks for, noted instead of slept."""
    noted: list[float] = []
    monkeypatch.setattr(access, "THROTTLE", Throttle(sleep=noted.append))
    return noted


def test_guesses_on_an_account_slow_it_down_in_a_new_session_from_another_address(
    workbook: Path, waits: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    secrets: dict[str, object] = {"passwords": {"slow@example.org": hash_password(PASSWORD)}}
    from_address(monkeypatch, "203.0.113.7")
    guesser = app(secrets=secrets)
    for _ in range(2):
        attempt(guesser, "slow@example.org", "not the password")
    from_address(monkeypatch, "198.51.100.9")
    attempt(app(secrets=secrets), "slow@example.org", "not the password")
    assert waits == [0.0, 0.5, 1.0]


def test_a_reload_does_not_reset_the_wait_of_an_address_guessing_several_accounts(
    workbook: Path, waits: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    secrets: dict[str, object] = {"passwords": {"slow@example.org": hash_password(PASSWORD)}}
    from_address(monkeypatch, "203.0.113.7")
    for account in ("one@example.org", "two@example.org", "three@example.org"):
        attempt(app(secrets=secrets), account, "not the password")
    assert waits == [0.0, 0.5, 1.0]


def test_a_right_password_from_elsewhere_is_not_slowed_down_by_guesses_on_another_account(
    workbook: Path, waits: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    secrets: dict[str, object] = {
        "passwords": {
            "slow@example.org": hash_password(PASSWORD),
            ANTWERP.email: hash_password(PASSWORD),
        }
    }
    from_address(monkeypatch, "203.0.113.7")
    guesser = app(secrets=secrets)
    for _ in range(3):
        attempt(guesser, "slow@example.org", "not the password")
    from_address(monkeypatch, "198.51.100.9")
    colleague = attempt(app(secrets=secrets), ANTWERP.email, PASSWORD)
    assert waits[-1] == 0
    assert [t.value for t in colleague.title] == ["Today"]
