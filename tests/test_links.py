"""Meeting-log links: signing and checking tokens (pure), then against the Duos row."""

from __future__ import annotations

import base64
import datetime as dt
import json
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import clock
from access import User
from links import (
    InvalidLink,
    LinkClaims,
    Reason,
    default_expiry,
    sign,
    verify,
)
from meetings import InputRefused, MeetingEntry, meeting_problems
from services.meeting_links import (
    LOG_LIMIT,
    LinksDisabled,
    demo_secret,
    link_for,
    link_version,
    log_meeting,
    resolve,
    revoke,
    secret_key,
)
from sheets.local import LocalStore
from sheets.store import RecordNotFound, Store
from tests.apptest import store_of
from tests.test_services_duos import CountingStore
from workflow import TransitionError

SECRET = "a-test-secret-that-is-long-enough"
TODAY = clock.today()
CLAIMS = LinkClaims("D-M5FHZD", "P-SJDMS6", 1, "mentor", TODAY + dt.timedelta(days=63))


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def reason_of(token: str, secret: str = SECRET, now: dt.date = TODAY) -> Reason:
    with pytest.raises(InvalidLink) as refused:
        verify(token, secret, now)
    return refused.value.reason


# -- the token alone --------------------------------------------------------------------------


def test_a_signed_token_verifies_to_its_claims() -> None:
    token = sign(CLAIMS, SECRET)
    assert verify(token, SECRET, TODAY) == CLAIMS
    assert verify(token, SECRET.encode(), dt.datetime.combine(TODAY, dt.time(23, 59))) == CLAIMS


def test_a_token_is_url_safe_base64_payload_dot_mac() -> None:
    payload, mac = sign(CLAIMS, SECRET).split(".")
    assert json.loads(unb64(payload)) == {
        "d": "D-M5FHZD",
        "p": "P-SJDMS6",
        "v": 1,
        "r": "mentor",
        "e": CLAIMS.expires.isoformat(),
    }
    assert len(unb64(mac)) == 32
    assert set(payload + mac) <= set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    )


def test_a_changed_payload_is_refused_as_tampered() -> None:
    _, mac = sign(CLAIMS, SECRET).split(".")
    for change in ({"d": "D-99AB7Z"}, {"v": 2}, {"r": "mentee"}, {"e": "2099-01-01"}):
        data = {"d": "D-M5FHZD", "p": "P-SJDMS6", "v": 1, "r": "mentor"}
        data["e"] = CLAIMS.expires.isoformat()
        forged = b64(json.dumps({**data, **change}, separators=(",", ":")).encode())
        assert reason_of(f"{forged}.{mac}") is Reason.TAMPERED, change


def test_a_changed_mac_or_another_key_is_refused_as_tampered() -> None:
    payload, mac = sign(CLAIMS, SECRET).split(".")
    flipped = bytearray(unb64(mac))
    flipped[0] ^= 1
    assert reason_of(f"{payload}.{b64(bytes(flipped))}") is Reason.TAMPERED
    assert reason_of(sign(CLAIMS, "another-secret-key-of-the-same-size")) is Reason.TAMPERED


def test_a_token_works_through_its_expiry_day_and_not_after() -> None:
    token = sign(CLAIMS, SECRET)
    assert verify(token, SECRET, CLAIMS.expires) == CLAIMS
    assert reason_of(token, now=CLAIMS.expires + dt.timedelta(days=1)) is Reason.EXPIRED


@pytest.mark.parametrize(
    "token",
    [
        "",
        "no-dot-at-all",
        "a.b.c",
        ".abc",
        "abc.",
        "abc.!!!",
        "abc.def",
        "é." + "A" * 43,
        "A" * 2000,
        "abc=." + "A" * 43,
    ],
)
def test_a_malformed_token_is_refused_as_malformed(token: str) -> None:
    assert reason_of(token) is Reason.MALFORMED


def test_a_validly_signed_payload_that_is_not_a_link_is_malformed() -> None:
    from links import _encode, _mac

    payload = _encode(b'{"d":"D-1"}')
    assert reason_of(f"{payload}.{_encode(_mac(SECRET, payload))}") is Reason.MALFORMED


def test_expiry_defaults_to_planned_end_plus_60_days_else_240_days_from_issue() -> None:
    assert default_expiry(dt.date(2026, 12, 1), TODAY) == dt.date(2027, 1, 30)
    assert default_expiry(None, TODAY) == TODAY + dt.timedelta(days=240)


def test_signing_needs_a_key_and_a_known_role() -> None:
    with pytest.raises(ValueError):
        sign(CLAIMS, "")
    with pytest.raises(ValueError):
        sign(LinkClaims("D-1", "P-1", 1, "coordinator", TODAY), SECRET)


# -- against the Duos row ---------------------------------------------------------------------


def active_duo(store: Store) -> dict[str, Any]:
    duos = store.table("Duos").frame
    return {str(k): v for k, v in duos[duos["Status"] == "Active"].iloc[0].to_dict().items()}


def token_in(link: str) -> str:
    return link.split("?t=", 1)[1]


def test_link_for_gives_a_link_to_the_log_page_that_resolves_to_the_duo(workbook: Path) -> None:
    store = store_of(workbook)
    duo = active_duo(store)
    link = link_for(store, duo["ID"], "https://duo.example.org/", SECRET, today=TODAY)
    assert link.startswith("https://duo.example.org/log?t=")
    claims = verify(token_in(link), SECRET, TODAY)
    assert claims.person_id == duo["Mentor ID"]
    assert claims.expires == duo["Planned end"].date() + dt.timedelta(days=60)
    linked = resolve(store, token_in(link), SECRET, TODAY)
    assert linked.duo_id == duo["ID"] and linked.logged_by == "Mentor (link)"
    mentee_link = link_for(store, duo["ID"], "https://x", SECRET, "mentee", today=TODAY)
    assert resolve(store, token_in(mentee_link), SECRET, TODAY).logged_by == "Mentee (link)"


def test_the_log_form_starts_on_the_agreement_day_unless_it_lies_ahead(workbook: Path) -> None:
    store = store_of(workbook)
    token = token_in(link_for(store, active_duo(store)["ID"], "https://x", SECRET, today=TODAY))
    linked = resolve(store, token, SECRET, TODAY)
    assert linked.agreement_on is not None
    assert linked.earliest_day(TODAY) == linked.agreement_on
    assert linked.earliest_day(linked.agreement_on - dt.timedelta(days=1)) is None


def test_revoking_raises_the_link_version_audited_and_old_links_stop(workbook: Path) -> None:
    store = store_of(workbook)
    duo = active_duo(store)
    old = token_in(link_for(store, duo["ID"], "https://x", SECRET, today=TODAY))
    outcome = revoke(store, duo["ID"], "admin@example.org")
    assert outcome.ok
    assert link_version(active_row(store, duo["ID"])) == link_version(duo) + 1
    audit = store.table("Audit").frame
    assert ((audit["Action"] == "revoke_link") & (audit["Record ID"] == duo["ID"])).any()
    with pytest.raises(InvalidLink) as refused:
        resolve(store, old, SECRET, TODAY)
    assert refused.value.reason is Reason.REVOKED
    new = token_in(link_for(store, duo["ID"], "https://x", SECRET, today=TODAY))
    assert resolve(store, new, SECRET, TODAY).duo_id == duo["ID"]


def active_row(store: Store, duo_id: str) -> dict[str, Any]:
    duos = store.table("Duos").frame
    return {str(k): v for k, v in duos[duos["ID"] == duo_id].iloc[0].to_dict().items()}


def test_each_revocation_raises_the_version_from_what_the_sheet_holds(workbook: Path) -> None:
    store = store_of(workbook)
    duo_id = active_duo(store)["ID"]
    store_of(workbook).update("Duos", duo_id, {"Link version": ""}, "staff")
    assert revoke(store, duo_id, "a").ok
    assert link_version(active_row(store, duo_id)) == 2, "a blank version counts as 1"
    store_of(workbook).update("Duos", duo_id, {"Link version": 7}, "staff")
    assert revoke(store, duo_id, "a").ok
    assert link_version(active_row(store_of(workbook), duo_id)) == 8


def test_links_of_an_unknown_duo_or_another_person_are_wrong_duo(workbook: Path) -> None:
    store = store_of(workbook)
    duo = active_duo(store)
    unknown = sign(LinkClaims("D-NOSUCH", duo["Mentor ID"], 1, "mentor", TODAY), SECRET)
    stranger = sign(LinkClaims(duo["ID"], "P-STRANGER", link_version(duo), "mentor", TODAY), SECRET)
    mentee_as_mentor = sign(
        LinkClaims(duo["ID"], duo["Mentee ID"], link_version(duo), "mentor", TODAY), SECRET
    )
    for token in (unknown, stranger, mentee_as_mentor):
        with pytest.raises(InvalidLink) as refused:
            resolve(store, token, SECRET, TODAY)
        assert refused.value.reason is Reason.WRONG_DUO


def test_a_link_stops_when_the_duo_is_no_longer_active(workbook: Path) -> None:
    store = store_of(workbook)
    duo = active_duo(store)
    token = token_in(link_for(store, duo["ID"], "https://x", SECRET, today=TODAY))
    store.update("Duos", duo["ID"], {"Status": "Completed"}, "staff")
    with pytest.raises(InvalidLink) as refused:
        resolve(store, token, SECRET, TODAY)
    assert refused.value.reason is Reason.INACTIVE
    with pytest.raises(TransitionError):
        link_for(store, duo["ID"], "https://x", SECRET, today=TODAY)


def test_link_for_refuses_without_a_key_an_unknown_duo_and_another_office(workbook: Path) -> None:
    store = store_of(workbook)
    duo = active_duo(store)
    with pytest.raises(LinksDisabled):
        link_for(store, duo["ID"], "https://x", None)
    with pytest.raises(RecordNotFound):
        link_for(store, "D-NOSUCH", "https://x", SECRET)
    outsider = User("x@example.org", "X", "Coordinator", ("Nowhere",))
    with pytest.raises(RecordNotFound):
        link_for(store, duo["ID"], "https://x", SECRET, user=outsider)
    with pytest.raises(RecordNotFound):
        revoke(store, duo["ID"], "x@example.org", user=outsider)


def test_the_key_comes_from_secrets_and_a_short_one_disables_links(workbook: Path) -> None:
    store = store_of(workbook)
    assert secret_key({"links": {"secret_key": SECRET}}, store) == SECRET
    assert secret_key({"links": {"secret_key": "short"}}, store) is None
    assert secret_key({}, store) is None, "a real workbook gets no generated key"


def test_the_demo_workbook_gets_a_private_generated_key(tmp_path: Path) -> None:
    demo = LocalStore(tmp_path / "demo.xlsx", is_demo=True)
    key = secret_key({}, demo)
    path = tmp_path / ".link-secret"
    assert key and len(key) >= 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert secret_key({}, demo) == key == demo_secret(path), "the same key on every call"


# -- logging through a link -------------------------------------------------------------------


@pytest.fixture
def fresh_log_limit() -> Iterator[None]:
    LOG_LIMIT.reset()
    yield
    LOG_LIMIT.reset()


def test_log_meeting_refuses_with_every_problem_of_the_rules_and_writes_nothing(
    workbook: Path, fresh_log_limit: None
) -> None:
    """The rules themselves are `tests/test_meetings.py`'s; here: the link applies them all,
    against its duo's agreement date and the Lists tab's topics."""
    store = store_of(workbook)
    duo = active_duo(store)
    token = token_in(link_for(store, duo["ID"], "https://x", SECRET, today=TODAY))
    linked = resolve(store, token, SECRET, TODAY)
    before = len(store.table("Meetings").frame)
    agreement = duo["Agreement on"].date()
    for entry in (
        MeetingEntry(TODAY + dt.timedelta(days=1), 0.25, "Telepathy", ("Astrology",), "x" * 1001),
        MeetingEntry(agreement - dt.timedelta(days=1), 8.5, "", (), ""),
        MeetingEntry(None, None, "Video", (), ""),
    ):
        with pytest.raises(InputRefused) as refused:
            log_meeting(store, token, SECRET, entry, TODAY)
        assert list(refused.value.problems) == meeting_problems(entry, linked, TODAY) != []
    assert len(store.table("Meetings").frame) == before


def test_log_meeting_writes_a_row_logged_by_the_link_and_has_a_rate_limit(
    workbook: Path, fresh_log_limit: None
) -> None:
    store = store_of(workbook)
    duo = active_duo(store)
    token = token_in(link_for(store, duo["ID"], "https://x", SECRET, "mentee", today=TODAY))
    entry = MeetingEntry(TODAY, 0.5, "Phone", ("CV",), " Call\x00 before the interview. ")
    outcome = log_meeting(store, token, SECRET, entry, TODAY)
    row = store.table("Meetings").frame.set_index("ID").loc[outcome.ids[0]]
    assert (row["Duo ID"], row["Hours"], row["Mode"], row["Logged by"]) == (
        duo["ID"],
        0.5,
        "Phone",
        "Mentee (link)",
    )
    assert row["Summary"] == "Call  before the interview."
    for _ in range(LOG_LIMIT.limit - 1):
        LOG_LIMIT.hit(f"{duo['ID']}/mentee")
    with pytest.raises(InputRefused) as refused:
        log_meeting(store, token, SECRET, entry, TODAY)
    assert refused.value.msg.key == "meeting_log.too_many"


def test_log_meeting_refuses_a_link_revoked_since_it_was_opened(
    workbook: Path, fresh_log_limit: None
) -> None:
    store = store_of(workbook)
    duo = active_duo(store)
    token = token_in(link_for(store, duo["ID"], "https://x", SECRET, today=TODAY))
    revoke(store, duo["ID"], "admin@example.org")
    with pytest.raises(InvalidLink):
        log_meeting(store, token, SECRET, MeetingEntry(TODAY, 1, "Video", (), ""), TODAY)


def test_a_meeting_logged_through_a_link_is_one_write_and_once_only_when_written_again(
    demo_grids: dict[str, list[list[Any]]], fresh_log_limit: None
) -> None:
    store = CountingStore(demo_grids)
    duo = active_duo(store)
    token = token_in(link_for(store, duo["ID"], "https://x", SECRET, today=TODAY))
    before = len(store.table("Meetings").frame)
    entry = MeetingEntry(TODAY, 1, "Video", (), "")
    [meeting_id] = log_meeting(store, token, SECRET, entry, TODAY).ids
    assert len(store.units) == 1
    assert store.again().ids == ((meeting_id,),)
    again = log_meeting(store, token, SECRET, entry, TODAY, record_id=meeting_id)
    assert again.ids == [meeting_id]
    assert len(store.table("Meetings").frame) == before + 1
    audit = store.table("Audit").frame
    assert list(audit.loc[audit["Record ID"] == meeting_id, "Who"]) == ["Mentor (link)"]
