"""Matching session: per office, the waiting mentees, ranked mentors for one of them, a proposal
for the whole pool, and the pool's health. The tool suggests and explains; the coordinator
decides and creates Proposed duos.

Everything is computed once per run for the office shown (one pool, one ranking, one proposal,
one health check; all vectorised in matching.py); widgets only read and show the results.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from access import User
from matching import (
    PART_LABELS,
    MatchPool,
    MatchSettings,
    OfficeHealth,
    Proposal,
    Ranking,
    Suggestion,
    rank_mentors,
    setting_fields,
)
from services.matching_session import (
    BatchOutcome,
    OfficeSession,
    PairChoices,
    RowTicks,
    create_accepted,
    office_session,
    pair_of,
    pair_request,
    propose_pair,
    reason_messages,
    saved_settings,
    session_settings,
)
from services.snapshot import Snapshot
from services.unit import Outcome
from ui import context as ui
from ui.feedback import attempt
from ui.navigation import allowed_specs
from ui.once import Once
from ui.shell import require_shell
from ui.tables import defused
from workflow import person_name

require_shell()

OFFICE = "matching-office"
MENTEE = "matching-mentee"
QUERY_DONE = "matching-query-done"
TAB = "matching-tab"
"""The tab shown: kept in the session, so a rerun (a confirmed batch) stays on it."""
CHOICES = "matching-choices"
SETTING_PREFIX = "matching-setting-"
# The settings a coordinator may change for this session (the Settings page saves them).
ADJUSTABLE = (
    "weight_sector",
    "weight_topics",
    "weight_availability",
    "weight_languages",
    "weight_personality",
    "weight_postcode",
    "min_score",
    "top_n",
)
MAX_BLOCKED_SHOWN = 500
Names = Mapping[str, str]
EDITOR_COLUMNS = ("accept", "lock", "exclude", "mentee", "waiting", "mentor", "score", "reasons")
PROPOSE_ONCE = Once("matching-propose")
"""One proposed duo: the confirmation writes once however often it is clicked."""


def tr(key: str, /, **params: object) -> str:
    return ui.tr(f"matching_page.{key}", **params)


def md(key: str, /, **params: object) -> ui.Markdown:
    """`tr` for a Markdown element: names and other typed text in `params` escaped."""
    return ui.md_tr(f"matching_page.{key}", **params)


def choices() -> PairChoices:
    """The coordinator's choices about pairs in this browser session (see `PairChoices`)."""
    kept = st.session_state.get(CHOICES)
    return kept if isinstance(kept, PairChoices) else PairChoices()


def keep(new: PairChoices) -> None:
    st.session_state[CHOICES] = new


def person_page_exists(user: User) -> bool:
    return any(spec.file == "participants.py" for spec in allowed_specs(user))


# -- office, query and settings ---------------------------------------------------------------


def follow_query(data: Snapshot) -> dict[str, Any] | None:
    """`?mentee=<ID>` opens that mentee's office and suggestions, once per ID (the choices made
    afterwards are the coordinator's). A mentee out of view is as if the ID did not exist.
    Returns the mentee's record on the run that follows the link."""
    asked = st.query_params.get("mentee")
    if not asked or st.session_state.get(QUERY_DONE) == asked:
        return None
    st.session_state[QUERY_DONE] = asked
    person = data.person(asked)
    if person is None or person.get("Role") != "Mentee":
        st.warning(md("mentee_not_in_view", key=asked))
        return None
    st.session_state[OFFICE] = person["Office"]
    st.session_state[MENTEE] = asked
    return person


def choose_office(data: Snapshot) -> str:
    offices = list(data.offices)
    if not offices:
        st.info(tr("no_offices"))
        st.stop()
    choice = st.selectbox(tr("office"), offices, key=OFFICE, format_func=ui.label)
    return str(choice)


def forget_session_settings() -> None:
    for name in ADJUSTABLE:
        st.session_state.pop(SETTING_PREFIX + name, None)


def adjusted_settings(saved: MatchSettings) -> MatchSettings:
    """Sliders that start from the saved settings; their changes last for this session."""
    overrides: dict[str, float | int] = {}
    with st.expander(tr("settings"), icon=":material/tune:"):
        st.caption(tr("settings_caption"))
        left, right = st.columns(2)
        fields = [spec for spec in setting_fields() if spec.name in ADJUSTABLE]
        for index, spec in enumerate(fields):
            column = left if index % 2 == 0 else right
            saved_value = getattr(saved, spec.name)
            low, high = spec.minimum or 0, spec.maximum or 100
            if spec.kind == "integer":
                overrides[spec.name] = column.slider(
                    ui.text(spec.label),
                    int(low),
                    int(high),
                    int(saved_value),
                    step=1,
                    help=ui.text(spec.help),
                    key=SETTING_PREFIX + spec.name,
                )
            else:
                overrides[spec.name] = column.slider(
                    ui.text(spec.label),
                    float(low),
                    float(high),
                    float(saved_value),
                    step=1.0 if high > 1 else 0.05,
                    format="%.0f" if high > 1 else "%.2f",
                    help=ui.text(spec.help),
                    key=SETTING_PREFIX + spec.name,
                )
        st.button(
            tr("reset_settings"),
            icon=":material/restart_alt:",
            key="matching-reset-settings",
            on_click=forget_session_settings,
        )
    return session_settings(saved, overrides)


# -- one mentee -------------------------------------------------------------------------------


def show_waiting(waiting: pd.DataFrame) -> None:
    shown = waiting.rename(
        columns={
            "Name": tr("col_mentee"),
            "Waiting days": tr("col_waiting_days"),
            "Intake on": ui.tr("columns.intakeon"),
            "Languages": ui.tr("columns.languages"),
            "Sectors": ui.tr("columns.sectors"),
            "Topics": ui.tr("columns.topics"),
        }
    )
    for column in (ui.tr("columns.languages"), ui.tr("columns.sectors"), ui.tr("columns.topics")):
        if column in shown.columns:
            shown[column] = shown[column].map(
                lambda items: (
                    ", ".join(ui.label(i) for i in items) if isinstance(items, list) else ""
                )
            )
    st.dataframe(
        defused(shown),
        hide_index=True,
        width="stretch",
        key="matching-waiting",
        column_config={
            "ID": None,
            ui.tr("columns.intakeon"): st.column_config.DateColumn(format="DD/MM/YYYY"),
        },
        height=min(38 + 35 * len(shown), 300),
    )


def choose_mentee(waiting: pd.DataFrame) -> str:
    ids = waiting["ID"].tolist()
    labels = dict(
        zip(
            ids,
            [
                tr("mentee_option", name=name, days=days)
                for name, days in zip(waiting["Name"], waiting["Waiting days"], strict=True)
            ],
            strict=True,
        )
    )
    choice = st.selectbox(
        tr("mentee"), ids, key=MENTEE, format_func=lambda mentee: labels.get(mentee, mentee)
    )
    return str(choice)


def below_minimum(suggestion: Suggestion) -> bool:
    """Eligible, but scoring under the minimum: never proposed for the whole pool."""
    return suggestion.eligible and not suggestion.acceptable


def suggestion_title(rank: int, suggestion: Suggestion) -> str:
    """The mentor's rank and name, muted (grey) when the pair is below the minimum."""
    title = f"**{rank}. {ui.plain(suggestion.mentor_name or suggestion.mentor_id)}**"
    return f":gray[{title}]" if below_minimum(suggestion) else title


def show_shortfall(suggestion: Suggestion, minimum: float) -> None:
    """A pair below the minimum says so first, with by how much."""
    if below_minimum(suggestion):
        shortfall = round(minimum - suggestion.score, 1)
        st.caption(tr("below_minimum_by", shortfall=shortfall, minimum=minimum))


def show_suggestion(
    rank: int, suggestion: Suggestion, user: User, links: bool, minimum: float
) -> None:
    with st.container(border=True):
        show_shortfall(suggestion, minimum)
        name, bar, action = st.columns([3, 3, 2], vertical_alignment="center")
        name.markdown(suggestion_title(rank, suggestion))
        if links:
            name.page_link(
                "pages/participants.py",
                label=tr("open_record"),
                icon=":material/person:",
                query_params={"id": suggestion.mentor_id},
            )
        bar.progress(min(max(suggestion.score / 100, 0.0), 1.0), text=score_text(suggestion))
        if choices().is_pending(pair_of(suggestion)):
            confirm_proposal(suggestion, user)
        else:
            with action:
                propose_button(suggestion)
        st.markdown("\n".join(f"- {ui.md_text(reason)}" for reason in reason_messages(suggestion)))
        with st.expander(tr("score_details")):
            st.dataframe(defused(parts_frame(suggestion)), hide_index=True, width="stretch")


def score_text(suggestion: Suggestion) -> str:
    return tr("score_text", score=float(suggestion.score))


def parts_frame(suggestion: Suggestion) -> pd.DataFrame:
    return pd.DataFrame(
        {
            tr("col_part"): [ui.text(PART_LABELS[part.name]) for part in suggestion.parts],
            tr("col_points"): [part.points for part in suggestion.parts],
            tr("col_reason"): [ui.text(part.reason) for part in suggestion.parts],
        }
    )


def propose_button(suggestion: Suggestion) -> None:
    """The "Propose this duo" button: it asks for a confirmation, nothing is written yet."""
    if st.button(
        tr("propose"),
        icon=":material/handshake:",
        key=f"matching-propose-{suggestion.mentor_id}",
        type="primary",
    ):
        keep(choices().propose(pair_of(suggestion)))
        st.rerun()


def confirm_proposal(suggestion: Suggestion, user: User) -> None:
    st.warning(md("confirm_propose", mentor=suggestion.mentor_name, mentee=suggestion.mentee_name))
    token = PROPOSE_ONCE.field()
    confirm, cancel, _ = st.columns([1, 1, 4])
    if confirm.button(
        tr("confirm"), key=f"matching-confirm-{suggestion.mentor_id}", type="primary"
    ):
        request = pair_request(suggestion, ui.text)

        def proposed() -> Outcome | None:
            keep(choices().forget_proposal())
            made = PROPOSE_ONCE.record_id(token, "D")
            return attempt(
                lambda: propose_pair(ui.store(), user, request, on=ui.today(), duo_id=made)
            )

        PROPOSE_ONCE.submit(token, proposed)
    if cancel.button(tr("cancel"), key=f"matching-cancel-{suggestion.mentor_id}"):
        keep(choices().forget_proposal())
        st.rerun()


def show_blocked(ranking: Ranking) -> None:
    blocked = ranking.blocked
    with st.expander(tr("blocked_title", count=len(blocked)), icon=":material/block:"):
        st.caption(tr("blocked_caption"))
        shown = blocked[:MAX_BLOCKED_SHOWN]
        st.dataframe(
            defused_frame(
                {
                    tr("col_mentor"): [b.candidate_name or b.candidate_id for b in shown],
                    tr("col_score"): [b.score for b in shown],
                    tr("col_why"): ["; ".join(ui.text(r) for r in b.reasons) for b in shown],
                }
            ),
            hide_index=True,
            width="stretch",
            key="matching-blocked",
        )
        if len(blocked) > MAX_BLOCKED_SHOWN:
            st.caption(tr("more", count=len(blocked) - MAX_BLOCKED_SHOWN))


def one_mentee(
    pool: MatchPool,
    waiting: pd.DataFrame,
    settings: MatchSettings,
    user: User,
    asked: dict[str, Any] | None,
) -> None:
    PROPOSE_ONCE.show()
    st.subheader(tr("waiting_title", count=len(waiting)))
    if asked is not None and asked["ID"] not in set(waiting["ID"]):
        st.info(
            md("mentee_not_waiting", name=person_name(asked), status=ui.md_label(asked["Status"]))
        )
    if waiting.empty:
        st.info(tr("no_waiting"))
        return
    show_waiting(waiting)
    mentee_id = choose_mentee(waiting)
    links = person_page_exists(user)
    if links:
        st.page_link(
            "pages/participants.py",
            label=tr("open_mentee"),
            icon=":material/person:",
            query_params={"id": mentee_id},
        )
    ranking = rank_mentors(mentee_id, pool, settings=settings, excluded=choices().excluded)
    name = waiting.loc[waiting["ID"] == mentee_id, "Name"].iloc[0]
    st.subheader(md("ranking_title", name=name))
    st.caption(tr("ranking_counts", eligible=ranking.eligible_count, blocked=ranking.blocked_count))
    if not ranking.suggestions:
        st.info(tr("no_suggestions"))
    explain_vanished_pending(ranking, mentee_id)
    for rank, suggestion in enumerate(ranking.suggestions, start=1):
        show_suggestion(rank, suggestion, user, links, settings.min_score)
    show_blocked(ranking)


def explain_vanished_pending(ranking: Ranking, mentee_id: str) -> None:
    """A pair waiting for confirmation that the fresh data no longer suggests (someone changed
    the sheet meanwhile, or the weights moved it out of the list): say why, forget it."""
    pending = choices().vanished_proposal({pair_of(s) for s in ranking.suggestions})
    if pending is None:
        return
    keep(choices().forget_proposal())
    if pending[0] != mentee_id:
        return
    blocked = ranking.why_not(pending[1])
    why = "; ".join(ui.md_text(r) for r in blocked.reasons) if blocked else tr("out_of_top")
    name = blocked.candidate_name if blocked and blocked.candidate_name else pending[1]
    st.warning(md("pending_gone", mentor=name, why=ui.Markdown(why)))


# -- the whole pool ---------------------------------------------------------------------------


def proposal_rows(proposal: Proposal) -> list[Suggestion]:
    """The proposed pairs, locked ones first: the rows of the whole-pool table."""
    return [*proposal.locked, *proposal.pairs]


def proposal_frame(proposal: Proposal) -> pd.DataFrame:
    """One row per proposed pair (locked ones first), with the choices kept in this session."""
    rows = proposal_rows(proposal)
    ticks = [choices().ticks_for(pair_of(s)) for s in rows]
    pairs = [row.pair for row in ticks]
    return pd.DataFrame(
        {
            "accept": [row.accept for row in ticks],
            "lock": [row.lock for row in ticks],
            "exclude": [row.exclude for row in ticks],
            "mentee": [s.mentee_name or s.mentee_id for s in rows],
            "waiting": [s.waiting_days for s in rows],
            "mentor": [s.mentor_name or s.mentor_id for s in rows],
            "score": [s.score for s in rows],
            "reasons": ["; ".join(ui.text(m) for m in reason_messages(s)) for s in rows],
            "mentee_id": [pair[0] for pair in pairs],
            "mentor_id": [pair[1] for pair in pairs],
        }
    )


def editor_key(office: str, frame: pd.DataFrame) -> str:
    """A new editor whenever the proposal changes, so a tick never lands on another pair."""
    content = frame[["accept", "lock", "mentee_id", "mentor_id"]].to_csv(index=False)
    digest = hashlib.sha1(f"{office}\n{content}".encode()).hexdigest()[:12]
    return f"matching-proposal-{digest}"


def row_ticks(edited: pd.DataFrame) -> list[RowTicks]:
    """The boxes of each row of the submitted table."""
    columns = [edited[c] for c in ("mentee_id", "mentor_id", "accept", "lock", "exclude")]
    return [
        RowTicks((mentee, mentor), bool(accept), bool(lock), bool(exclude))
        for mentee, mentor, accept, lock, exclude in zip(*columns, strict=True)
    ]


def proposal_editor(office: str, proposal: Proposal) -> None:
    frame = proposal_frame(proposal)
    shown_columns = ["mentee", "mentor", "reasons"]
    frame[shown_columns] = defused(frame[shown_columns])
    if frame.empty:
        st.info(tr("no_pairs"))
        return
    with st.form("matching-proposal-form", clear_on_submit=False, border=False):
        edited = st.data_editor(
            frame,
            key=editor_key(office, frame),
            hide_index=True,
            width="stretch",
            column_order=EDITOR_COLUMNS,
            disabled=("mentee", "waiting", "mentor", "score", "reasons"),
            column_config={
                "accept": st.column_config.CheckboxColumn(tr("col_accept"), width="small"),
                "lock": st.column_config.CheckboxColumn(
                    tr("col_lock"), help=tr("lock_help"), width="small"
                ),
                "exclude": st.column_config.CheckboxColumn(
                    tr("col_exclude"), help=tr("exclude_help"), width="small"
                ),
                "mentee": st.column_config.TextColumn(tr("col_mentee")),
                "waiting": st.column_config.NumberColumn(tr("col_waiting_days"), width="small"),
                "mentor": st.column_config.TextColumn(tr("col_mentor")),
                "score": st.column_config.ProgressColumn(
                    tr("col_score"), min_value=0, max_value=100, format="%.1f"
                ),
                "reasons": st.column_config.TextColumn(tr("col_reasons"), width="large"),
            },
        )
        rerun, create = st.columns(2)
        again = rerun.form_submit_button(
            tr("rerun"), icon=":material/refresh:", key="matching-rerun"
        )
        make = create.form_submit_button(
            tr("create_accepted"), icon=":material/done_all:", type="primary", key="matching-create"
        )
    if not (again or make):
        return
    ticked = choices().apply_ticks(row_ticks(edited))
    keep(ticked)
    if make:
        requests = ticked.requests_to_create(proposal_rows(proposal), ui.text)
        if not requests:
            st.warning(tr("nothing_accepted"))
            return
        keep(ticked.ask_to_create(requests))
    st.rerun()


def confirm_batch(user: User, names: Names) -> None:
    """The accepted pairs, once confirmed, are created once however often it is clicked."""
    links = duo_page_exists(user)
    once = Once("matching-batch", render=lambda outcome: show_batch(outcome, names, links))
    once.show()
    requests = choices().to_create
    if not requests:
        return
    st.warning(tr("confirm_batch", count=len(requests)))
    token = once.field()
    confirm, cancel = st.columns(2)
    if confirm.button(tr("confirm"), key="matching-confirm-batch", type="primary"):

        def created() -> Outcome | None:
            keep(choices().forget_batch())
            outcome = attempt(lambda: create_accepted(ui.store(), user, requests, on=ui.today()))
            if isinstance(outcome, BatchOutcome):
                keep(choices().created(r.pair for r in outcome.created))
            return outcome

        once.submit(token, created)
    if cancel.button(tr("cancel"), key="matching-cancel-batch"):
        keep(choices().forget_batch())
        st.rerun()


def duo_page_exists(user: User) -> bool:
    return any(spec.file == "duos.py" for spec in allowed_specs(user))


def show_batch(outcome: object, names: Names, links: bool = False) -> None:
    """What a confirmed batch did: the new duos by name (with links to them), and why each
    refused pair was refused."""
    if not isinstance(outcome, BatchOutcome):
        return
    st.success(ui.md_text(outcome.message), icon=":material/check_circle:")
    show_created(outcome, names, links)
    if not outcome.refused:
        return
    lines = [
        md(
            "refused_line",
            mentee=names.get(r.request.mentee_id, r.request.mentee_id),
            mentor=names.get(r.request.mentor_id, r.request.mentor_id),
            reason=ui.md_text(r.reason),
        )
        for r in outcome.refused
    ]
    st.error("\n".join([tr("refused_title"), *(f"- {line}" for line in lines)]))


def show_created(outcome: BatchOutcome, names: Names, links: bool) -> None:
    """One line per new duo, its ID and both names; a link to the duo when the page exists."""
    if not outcome.created:
        return
    st.markdown(tr("created_title"))
    for duo_id, request in zip(outcome.ids, outcome.created, strict=False):
        line = md(
            "created_duo",
            id=duo_id,
            mentee=names.get(request.mentee_id, request.mentee_id),
            mentor=names.get(request.mentor_id, request.mentor_id),
        )
        if links:
            st.page_link(
                "pages/duos.py",
                label=line,
                icon=":material/handshake:",
                query_params={"id": duo_id},
            )
        else:
            st.markdown(f"- {line}")


def show_unmatched(proposal: Proposal) -> None:
    if not proposal.unmatched:
        return
    st.subheader(tr("unmatched_title", count=len(proposal.unmatched)))
    st.dataframe(
        defused_frame(
            {
                tr("col_mentee"): [u.mentee_name or u.mentee_id for u in proposal.unmatched],
                tr("col_waiting_days"): [u.waiting_days for u in proposal.unmatched],
                tr("col_why"): [
                    " ".join([ui.text(u.message), *(ui.text(d) for d in u.details)])
                    for u in proposal.unmatched
                ],
            }
        ),
        hide_index=True,
        width="stretch",
        key="matching-unmatched",
    )


def forget_choices() -> None:
    keep(choices().forget_choices())


def show_choices(names: Names) -> None:
    locked, excluded = choices().locked, choices().excluded
    if not locked and not excluded:
        return
    with st.expander(tr("choices_title", locked=len(locked), excluded=len(excluded))):
        for label, pairs in ((tr("col_lock"), locked), (tr("col_exclude"), excluded)):
            for mentee_id, mentor_id in sorted(pairs):
                mentee, mentor = names.get(mentee_id, mentee_id), names.get(mentor_id, mentor_id)
                st.markdown(f"- {label}: {ui.plain(mentee)} – {ui.plain(mentor)}")
        st.button(tr("forget_choices"), key="matching-forget", on_click=forget_choices)


def whole_pool(office: str, names: Names, proposal: Proposal, user: User) -> None:
    st.subheader(tr("pool_title"))
    st.caption(
        tr(
            "pool_caption",
            pairs=len(proposal.pairs) + len(proposal.locked),
            total=round(proposal.total_score),
            seconds=round(proposal.seconds, 2),
        )
    )
    confirm_batch(user, names)
    proposal_editor(office, proposal)
    show_choices(names)
    show_unmatched(proposal)


# -- pool health ------------------------------------------------------------------------------


def show_health(health: OfficeHealth | None, names: Names) -> None:
    st.subheader(tr("health_title"))
    if health is None:
        st.info(tr("no_waiting"))
        return
    st.markdown(ui.md_text(health.summary))
    if not health.shortages:
        st.success(tr("health_ok"))
    for shortage in health.shortages:
        with st.container(border=True):
            st.markdown(f"**{ui.md_text(shortage.message)}**")
            st.caption(
                ui.plain(", ".join(names.get(person, person) for person in shortage.mentees))
            )
    for title, people in (
        (tr("zero_title"), health.zero_eligible),
        (tr("one_title"), health.one_eligible),
    ):
        if people:
            st.markdown(f"**{title}**: " + ui.plain(", ".join(names.get(p, p) for p in people)))


# -- the page ---------------------------------------------------------------------------------


def metrics(session: OfficeSession) -> None:
    health, proposal = session.health, session.proposal
    columns = st.columns(4)
    columns[0].metric(tr("metric_waiting"), len(session.waiting))
    columns[1].metric(tr("metric_free_mentors"), health.free_mentors if health else 0)
    columns[2].metric(tr("metric_free_places"), health.free_places if health else 0)
    columns[3].metric(tr("metric_proposed"), len(proposal.pairs) + len(proposal.locked))


def defused_frame(columns: dict[str, Any]) -> pd.DataFrame:
    """A table built here, its text made safe for the toolbar's CSV download."""
    return defused(pd.DataFrame(columns))


def computed(data: Snapshot, office: str, settings: MatchSettings) -> OfficeSession:
    """The office's session, computed once per data version and choice of inputs.

    Most reruns of this page are a click that changes nothing the proposal depends on (another
    mentee, an expander, a tick); on a pool of thousands the proposal takes about a second, so
    it is kept (`Snapshot.memo`) until the data, the office, the settings, the locks or the
    exclusions change.
    """
    locked, excluded, today = choices().locked, choices().excluded, ui.today()
    return data.memo(
        "office_session",
        lambda: office_session(
            data.participants,
            data.duos,
            office,
            settings,
            locked=locked,
            excluded=excluded,
            today=today,
        ),
        office,
        settings,
        locked,
        excluded,
        today,
    )


def main() -> None:
    st.title(tr("title"))
    st.caption(tr("intro"))
    data = ui.snapshot()
    user = ui.signed_in()
    asked = follow_query(data)
    office = choose_office(data)
    settings = adjusted_settings(saved_settings(ui.store()))
    session = computed(data, office, settings)

    metrics(session)
    # Keyed tabs keep the one shown across reruns; every tab still runs (the tests read them).
    one, whole, checkup = st.tabs(
        [tr("tab_one"), tr("tab_pool"), tr("tab_health")], key=TAB, on_change="rerun"
    )
    with one:
        one_mentee(session.pool, session.waiting, settings, user, asked)
    with whole:
        whole_pool(office, session.names, session.proposal, user)
    with checkup:
        show_health(session.health, session.names)


main()
