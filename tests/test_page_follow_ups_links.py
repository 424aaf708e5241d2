"""The Follow-ups page's side of self-filled follow-ups: the mentee's link to copy or open,
and what came in from it (the contact leaves the due list)."""

from __future__ import annotations

from pathlib import Path

import pytest

from i18n import t
from links import FOLLOW_UP, verify
from tests.apptest import ADMIN, assert_no_exception, open_page
from tests.test_page_self_follow_up import (  # noqa: F401 (fresh_limits: a fixture)
    SECRET,
    TODAY,
    answer,
    due_duo,
    fresh_limits,
    open_follow_up,
    send,
)

pytestmark = pytest.mark.usefixtures("fresh_limits")


def test_the_follow_ups_page_offers_the_mentees_link_and_counts_what_came_in(
    tmp_path: Path, workbook: Path
) -> None:
    duo = due_duo(workbook)
    query = {"duo": duo["ID"]}
    secrets = {"links": {"secret_key": SECRET}}
    coordinator = open_page("follow_ups.py", user=ADMIN, query=query, secrets=secrets)
    assert_no_exception(coordinator)
    [link] = [code.value for code in coordinator.code if "/follow-up?t=" in code.value]
    claims = verify(link.split("t=", 1)[1], SECRET, TODAY, FOLLOW_UP)
    assert (claims.duo_id, claims.person_id) == (duo["ID"], duo["Mentee ID"])
    counted = [c.value for c in coordinator.caption if c.value.startswith("Answered by")]
    before = int(counted[0].rsplit(" ", 1)[1].rstrip("."))
    send(answer(open_follow_up(tmp_path, link.split("t=", 1)[1])))
    after = open_page("follow_ups.py", user=ADMIN, query=query, secrets=secrets)
    assert t("self_follow_up.self_filled", "en", count=before + 1) in [
        c.value for c in after.caption
    ]
    contact = f"duo {duo['ID']} · {duo['due'].months} months"
    assert any(contact in option for option in coordinator.selectbox(key="follow-up-pick").options)
    due_after = after.selectbox(key="follow-up-pick").options if after.selectbox else []
    assert not any(contact in option for option in due_after), "it left the due list"
