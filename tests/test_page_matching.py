"""The matching session page, end to end on a copy of the demo workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Progress

from access import User
from tests.apptest import ADMIN, ANTWERP, assert_no_exception, open_page, store_of

PAGE = "matching_session.py"
Pair = tuple[str, str]


def matching(user: User = ADMIN, lang: str = "en", query: dict[str, str] | None = None) -> AppTest:
    app = open_page(PAGE, user=user, lang=lang, query=query)
    assert_no_exception(app)
    return app


def antwerp(user: User = ADMIN, **query: str) -> AppTest:
    app = matching(user, query=query or None)
    if app.selectbox(key="matching-office").value != "Antwerp":
        app.selectbox(key="matching-office").set_value("Antwerp").run()
    return app


def shown_text(app: AppTest) -> list[str]:
    elements: list[Any] = [
        *app.title,
        *app.subheader,
        *app.markdown,
        *app.caption,
        *app.info,
        *app.warning,
        *app.error,
        *app.success,
    ]
    return [str(element.value) for element in elements]


def suggested_mentors(app: AppTest) -> list[str]:
    prefix = "matching-propose-"
    return [b.key[len(prefix) :] for b in app.button if b.key and b.key.startswith(prefix)]


def blocked_mentors(app: AppTest) -> pd.DataFrame:
    """The table of mentors the rules keep off the list (with the Mentor and Why columns)."""
    return next(d.value for d in app.dataframe if {"Mentor", "Why"} <= set(d.value.columns))


def proposed_pairs(app: AppTest) -> list[Pair]:
    if not app.data_editor:
        return []
    frame = app.data_editor[0].value
    return list(zip(frame["mentee_id"], frame["mentor_id"], strict=True))


def tick(app: AppTest, ticks: dict[int, dict[str, bool]]) -> None:
    """Tick cells of the whole-pool proposal, as the coordinator would in the table."""
    key = app.data_editor[0].key
    assert key is not None
    app.session_state[key] = {"edited_rows": ticks, "added_rows": [], "deleted_rows": []}


def tables(workbook: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    read = store_of(workbook).read(["Participants", "Duos"])
    return read["Participants"].frame, read["Duos"].frame


def status_of(workbook: Path, person_id: str) -> str:
    people, _ = tables(workbook)
    return str(people.loc[people["ID"] == person_id, "Status"].iloc[0])


def new_duos(workbook: Path, before: int) -> list[tuple[str, str, str]]:
    duos = tables(workbook)[1].iloc[before:]
    return list(zip(duos["Mentee ID"], duos["Mentor ID"], duos["Status"], strict=True))


def duo_count(workbook: Path) -> int:
    return len(tables(workbook)[1])


@pytest.mark.parametrize(
    ("lang", "title"),
    [("fr", "Séance de matching"), ("nl", "Matchingsessie"), ("en", "Matching session")],
)
def test_the_page_opens_in_each_language_with_every_text_translated(
    workbook: Path, lang: str, title: str
) -> None:
    app = matching(lang=lang)
    assert [t.value for t in app.title] == [title]
    assert not [text for text in shown_text(app) if "matching_page." in text or "matching." in text]
    assert len(app.tabs) == 3 and suggested_mentors(app) and proposed_pairs(app)


def test_a_ready_mentee_gets_ranked_mentors_with_score_reasons_and_blockers(
    workbook: Path,
) -> None:
    app = antwerp()
    mentee = app.selectbox(key="matching-mentee").value
    people, _ = tables(workbook)
    name = people.loc[people["ID"] == mentee, ["First name", "Last name"]].iloc[0]
    assert f"Suggested mentors for {name['First name']} {name['Last name']}" in shown_text(app)
    assert suggested_mentors(app)
    bars = [bar for bar in app.get("progress") if isinstance(bar, Progress)]
    assert len(bars) == len(suggested_mentors(app))
    assert all(0 <= bar.value <= 100 for bar in bars)
    assert any(text.startswith("- ") for text in shown_text(app))
    blocked = blocked_mentors(app)
    assert len(blocked) > 0 and blocked["Why"].str.len().min() > 0


def test_proposing_one_duo_after_confirmation_writes_it_and_moves_both_people(
    workbook: Path,
) -> None:
    app = antwerp()
    mentee = str(app.selectbox(key="matching-mentee").value)
    mentor = suggested_mentors(app)[0]
    before = duo_count(workbook)
    app.button(key=f"matching-propose-{mentor}").click().run()
    assert duo_count(workbook) == before
    app.button(key=f"matching-confirm-{mentor}").click().run()
    assert_no_exception(app)
    assert new_duos(workbook, before) == [(mentee, mentor, "Proposed")]
    assert status_of(workbook, mentee) == status_of(workbook, mentor) == "In duo"
    assert any("Duo proposed" in s.value for s in app.success)
    chosen = app.selectbox(key="matching-mentee")
    assert chosen.value != mentee and chosen.index is not None


def test_a_suggestion_that_became_impossible_before_confirming_is_explained_not_written(
    workbook: Path,
) -> None:
    app = antwerp()
    mentor = suggested_mentors(app)[0]
    before = duo_count(workbook)
    app.button(key=f"matching-propose-{mentor}").click().run()
    store_of(workbook).update("Participants", mentor, {"Status": "On hold"}, "staff")
    app.button(key=f"matching-confirm-{mentor}").click().run()
    assert_no_exception(app)
    assert any("Mentor not ready (status: On hold)" in w.value for w in app.warning)
    assert duo_count(workbook) == before
    assert mentor not in suggested_mentors(app)


def test_accepting_pairs_of_the_whole_pool_creates_only_the_accepted_duos(
    workbook: Path,
) -> None:
    app = antwerp()
    pairs = proposed_pairs(app)
    assert len(pairs) >= 3
    before = duo_count(workbook)
    tick(app, {0: {"accept": True}, 2: {"accept": True}})
    app.button(key="matching-create").click().run()
    assert duo_count(workbook) == before
    app.button(key="matching-confirm-batch").click().run()
    assert_no_exception(app)
    assert new_duos(workbook, before) == [(*pairs[0], "Proposed"), (*pairs[2], "Proposed")]
    assert status_of(workbook, pairs[1][0]) == "Ready"
    assert any("Duos created: 2; refused: 0" in s.value for s in app.success)


def test_a_batch_refuses_a_pair_made_impossible_and_still_creates_the_others(
    workbook: Path,
) -> None:
    app = antwerp()
    pairs = proposed_pairs(app)
    before = duo_count(workbook)
    tick(app, {0: {"accept": True}, 1: {"accept": True}})
    app.button(key="matching-create").click().run()
    store_of(workbook).update("Participants", pairs[0][0], {"Status": "On hold"}, "staff")
    app.button(key="matching-confirm-batch").click().run()
    assert new_duos(workbook, before) == [(*pairs[1], "Proposed")]
    assert any("Duos created: 1; refused: 1" in s.value for s in app.success)
    assert any("is not ready for a duo" in e.value for e in app.error)


def test_an_excluded_pair_never_reappears_and_a_locked_pair_stays_after_rerun(
    workbook: Path,
) -> None:
    app = antwerp()
    pairs = proposed_pairs(app)
    excluded, locked = pairs[0], pairs[1]
    tick(app, {0: {"exclude": True}, 1: {"lock": True}})
    app.button(key="matching-rerun").click().run()
    assert_no_exception(app)
    assert excluded not in proposed_pairs(app) and locked in proposed_pairs(app)
    frame = app.data_editor[0].value
    assert frame.loc[frame["mentee_id"] == locked[0], "lock"].tolist() == [True]
    app.button(key="matching-rerun").click().run()
    assert excluded not in proposed_pairs(app)
    app.selectbox(key="matching-mentee").set_value(excluded[0]).run()
    assert excluded[1] not in suggested_mentors(app)


def test_a_declined_pair_is_never_proposed(workbook: Path) -> None:
    people, duos = tables(workbook)
    ready = set(people.loc[people["Status"] == "Ready", "ID"])
    declined = duos.loc[duos["Status"] == "Declined"]
    demo_pairs = {
        (mentee, mentor)
        for mentee, mentor in zip(declined["Mentee ID"], declined["Mentor ID"], strict=True)
        if {mentee, mentor} <= ready
    }
    first = proposed_pairs(antwerp())[0]
    store_of(workbook).append(
        "Duos",
        [{"Mentee ID": first[0], "Mentor ID": first[1], "Office": "Antwerp", "Status": "Declined"}],
        "tests",
    )
    app = antwerp(mentee=first[0])
    assert first not in proposed_pairs(app)
    assert not demo_pairs & set(proposed_pairs(app))
    assert first[1] not in suggested_mentors(app)
    blocked = blocked_mentors(app)
    assert any("declined" in why for why in blocked["Why"].tolist())


def test_an_antwerp_coordinator_is_offered_neither_brussels_nor_its_mentees(
    workbook: Path,
) -> None:
    people, _ = tables(workbook)
    brussels = people.loc[
        (people["Office"] == "Brussels")
        & (people["Role"] == "Mentee")
        & (people["Status"] == "Ready"),
        "ID",
    ].iloc[0]
    app = matching(ANTWERP, query={"mentee": brussels})
    assert app.selectbox(key="matching-office").options == ["Antwerp"]
    assert app.selectbox(key="matching-mentee").value != brussels
    assert brussels not in {mentee for mentee, _ in proposed_pairs(app)}
    assert any(brussels in w.value for w in app.warning)


def test_the_weights_start_from_the_saved_settings_and_change_only_this_session(
    workbook: Path,
) -> None:
    store_of(workbook).append("Settings", [{"Name": "matching.top_n", "Value": "2"}], "tests")
    app = antwerp()
    assert app.slider(key="matching-setting-top_n").value == 2
    assert len(suggested_mentors(app)) <= 2
    app.slider(key="matching-setting-top_n").set_value(1).run()
    assert len(suggested_mentors(app)) == 1
    settings = store_of(workbook).table("Settings").frame
    assert settings.loc[settings["Name"] == "matching.top_n", "Value"].tolist() == ["2"]


def test_a_link_to_a_mentee_already_in_a_duo_says_so_and_offers_the_waiting_ones(
    workbook: Path,
) -> None:
    people, _ = tables(workbook)
    in_duo = people.loc[
        (people["Office"] == "Antwerp")
        & (people["Role"] == "Mentee")
        & (people["Status"] == "In duo")
    ].iloc[0]
    app = matching(query={"mentee": str(in_duo["ID"])})
    assert app.selectbox(key="matching-office").value == "Antwerp"
    assert any("is not waiting for a mentor (status: In duo)" in i.value for i in app.info)
    mentee = app.selectbox(key="matching-mentee")
    assert mentee.value != in_duo["ID"] and mentee.index == 0
    assert not [label for label in mentee.options if str(in_duo["First name"]) in label]


def test_forgetting_the_choices_brings_back_an_excluded_pair_and_drops_the_locks(
    workbook: Path,
) -> None:
    app = antwerp()
    pairs = proposed_pairs(app)
    tick(app, {0: {"exclude": True}, 1: {"lock": True}})
    app.button(key="matching-rerun").click().run()
    assert pairs[0] not in proposed_pairs(app)
    assert any("locked pairs 1, excluded pairs 1" in e.label for e in app.expander)
    app.button(key="matching-forget").click().run()
    assert_no_exception(app)
    assert proposed_pairs(app) == pairs
    assert not app.data_editor[0].value["lock"].any()
