//! 入团时长达标名单: the young people (14–28) who meet both the year's volunteer hours (after
//! their public notice) and the League-lesson class hours, from
//! `GET /api/v1/admin/league-progress?year=`, and the same list as a workbook
//! (`GET /api/v1/admin/league-progress.xlsx?year=`). Online only.

use crate::{
    api, format, hours,
    i18n::{StaffMsg, use_i18n},
    pages::workbook::WorkbookButton,
    state::session::use_session,
};
use domain::league::ProgressRow;
use leptos::prelude::*;

/// The list for a chosen year.
#[component]
pub(super) fn LeaguePanel() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let year = RwSignal::new(format::current_year().to_string());
    let shown = RwSignal::new(None::<Result<Vec<ProgressRow>, ()>>);
    let load = move || {
        let Some(token) = session.token() else {
            return;
        };
        let Some(y) = year
            .get_untracked()
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2099).contains(y))
        else {
            shown.set(Some(Err(())));
            return;
        };
        shown.set(None);
        leptos::task::spawn_local(async move {
            shown.set(Some(api::league_progress(&token, y).await.map_err(|_| ())));
        });
    };
    load();
    view! {
        <div class="card" data-testid="league-list">
            <h2 class="card-title">{move || i18n.s(StaffMsg::LeagueListTitle)}</h2>
            <p class="hint">{move || i18n.s(StaffMsg::LeagueListIntro)}</p>
            <form class="form" novalidate=true on:submit=move |ev| { ev.prevent_default(); load(); }>
                <div class="field">
                    <label class="field-label" for="league-year">{move || i18n.s(StaffMsg::LeagueListYear)}</label>
                    <input
                        class="input"
                        id="league-year"
                        inputmode="numeric"
                        maxlength="4"
                        prop:value=move || year.get()
                        on:input=move |ev| year.set(event_target_value(&ev))
                    />
                </div>
                <div class="actions">
                    <button type="submit" class="button">{move || i18n.s(StaffMsg::LeagueListLoad)}</button>
                    <WorkbookButton
                        label=Signal::derive(move || i18n.s(StaffMsg::ExportXlsx).to_owned())
                        path=Signal::derive(move || format!(
                            "/api/v1/admin/league-progress.xlsx?year={}",
                            crate::api::encode_query_value(year.get().trim())
                        ))
                        file_name=Signal::derive(move || StaffMsg::LeagueFileName.fill(i18n.lang.get(), &[year.get().trim()]))
                        testid="league-xlsx"
                    />
                </div>
            </form>
            {move || {
                let lang = i18n.lang.get();
                match shown.get() {
                    None => view! { <p class="empty" aria-busy="true">{crate::i18n::Msg::Loading.text(lang)}</p> }.into_any(),
                    Some(Err(())) => view! { <p class="hint" role="alert">{StaffMsg::LeagueListError.text(lang)}</p> }.into_any(),
                    Some(Ok(rows)) if rows.is_empty() => view! { <p class="hint" data-testid="league-empty">{StaffMsg::LeagueListEmpty.text(lang)}</p> }.into_any(),
                    Some(Ok(rows)) => view! {
                        // Scrolls sideways on a phone: focusable, so a keyboard can scroll it.
                        <div class="table-scroll" tabindex="0" role="region" aria-label=crate::i18n::Msg::LeagueTitle.text(lang)>
                            <table class="table">
                                <thead>
                                    <tr>
                                        <th>{StaffMsg::LeagueColName.text(lang)}</th>
                                        <th>{StaffMsg::LeagueColPhone.text(lang)}</th>
                                        <th class="num">{StaffMsg::LeagueColBirth.text(lang)}</th>
                                        <th class="num">{StaffMsg::LeagueColHours.text(lang)}</th>
                                        <th class="num">{StaffMsg::LeagueColClass.text(lang)}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {rows.into_iter().map(|r| view! {
                                        <tr data-testid="league-row">
                                            <td>{r.display_name}</td>
                                            <td>{r.phone}</td>
                                            <td class="num">{r.birth_year}</td>
                                            <td class="num">{hours::duration(lang, r.progress.volunteer_minutes)}</td>
                                            <td class="num">{r.progress.class_hours}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                }
            }}
        </div>
    }
}
