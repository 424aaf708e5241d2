"""Staying signed in: a signed, expiring session cookie; deep links opened after sign-in."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import access
import clock
from access import SESSION_COOKIE, User, hash_password, session_email, sign_session
from sheets import memory
from tests.apptest import ANTWERP, BRUSSELS, ROOT, assert_no_exception

SECRET = "a session secret of some length"
PASSWORD = "a long enough secret"


def now() -> float:
    return clock.now().timestamp()


def token_for(user: User, *, seconds: float = 3600.0, secret: str = SECRET) -> str:
    return sign_session(user.email, now() + seconds, secret)


def app(
    monkeypatch: pytest.MonkeyPatch,
    cookie: str | None = None,
    secrets: dict[str, object] | None = None,
) -> AppTest:
    jar = {SESSION_COOKIE: cookie} if cookie else {}
    monkeypatch.setattr("ui.context.cookies", lambda: jar)
    test = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    test.session_state["lang"] = "en"
    test.secrets["links"] = {"secret_key": SECRET}
    for key, value in (secrets or {}).items():
        test.secrets[key] = value
    return test


def titles(test: AppTest) -> list[str]:
    return [t.value for t in test.title]


def test_a_token_names_its_email_until_it_expires() -> None:
    token = sign_session("Someone@Example.org", 2000.0, SECRET)
    assert session_email(token, SECRET, 1999.0) == "someone@example.org"
    assert session_email(token, SECRET, 2000.0) is None
    assert session_email(token, "another secret of some length", 1000.0) is None
    assert session_email(token, None, 1000.0) is None


@pytest.mark.parametrize("junk", ["", ".", "abc", "a.b.c", "é.é", "x" * 900, "eyJ9.AAAA"])
def test_junk_tokens_name_no_one(junk: str) -> None:
    assert session_email(junk, SECRET, 0.0) is None


def test_a_tampered_token_names_no_one() -> None:
    token = sign_session("a@example.org", 5000.0, SECRET)
    other = sign_session("b@example.org", 5000.0, SECRET)
    swapped = f"{other.split('.')[0]}.{token.split('.')[1]}"
    assert session_email(swapped, SECRET, 0.0) is None


def test_a_valid_cookie_signs_the_person_in(workbook: str, monkeypatch: pytest.MonkeyPatch) -> None:
    test = app(monkeypatch, token_for(BRUSSELS)).run()
    assert_no_exception(test)
    assert titles(test) == ["Today"]
    assert test.session_state["user"].email == BRUSSELS.email


def test_an_expired_cookie_does_not(workbook: str, monkeypatch: pytest.MonkeyPatch) -> None:
    test = app(monkeypatch, token_for(BRUSSELS, seconds=-1)).run()
    assert titles(test) == ["Sign in"]


def test_a_cookie_signed_with_another_key_does_not(
    workbook: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    forged = token_for(BRUSSELS, secret="not the app's secret key at all")
    test = app(monkeypatch, forged).run()
    assert titles(test) == ["Sign in"]


def test_a_deactivated_staff_member_is_signed_out(
    workbook: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    test = app(monkeypatch, token_for(BRUSSELS)).run()
    assert titles(test) == ["Today"]
    store = memory.named(workbook.removeprefix(memory.PREFIX))
    store.update("Staff", BRUSSELS.email, {"Active": False}, "tests")
    test.run()
    assert titles(test) == ["Sign in"]
    assert "user" not in test.session_state


def test_signing_out_ignores_the_cookie_the_browser_still_sends(
    workbook: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    test = app(monkeypatch, token_for(BRUSSELS)).run()
    next(b for b in test.sidebar.button if b.key == "sign-out").click().run()
    test.run()
    assert titles(test) == ["Sign in"]


def test_a_password_sign_in_hands_out_a_session_token(
    workbook: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(access, "THROTTLE", access.Throttle())
    test = app(monkeypatch, secrets={"passwords": {ANTWERP.email: hash_password(PASSWORD)}})
    test.run()
    test.text_input[0].input(ANTWERP.email)
    test.text_input[1].input(PASSWORD)
    test.button[0].click().run()
    assert_no_exception(test)
    token = test.session_state["session_token"]
    assert session_email(token, SECRET, now()) == ANTWERP.email


def test_a_deep_link_opens_its_record_after_sign_in(
    workbook: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(access, "THROTTLE", access.Throttle())
    test = app(monkeypatch, secrets={"passwords": {ANTWERP.email: hash_password(PASSWORD)}})
    test.session_state["deep_link"] = ("participants.py", {"id": "P-AAAAAA"})
    test.run()
    test.text_input[0].input(ANTWERP.email)
    test.text_input[1].input(PASSWORD)
    test.button[0].click().run()
    assert_no_exception(test)
    assert titles(test) == ["Participants"]
    assert test.query_params["id"] == "P-AAAAAA"


def test_the_readme_says_what_the_cookie_is() -> None:
    readme = (Path(ROOT) / "README.md").read_text()
    assert "duo_session" in readme
