//! 志愿时长公示 (`/notices`, open without signing in): the activities whose credited hours are
//! in their public notice period, each person by masked name with their minutes, and when the
//! hours take effect. Fetched from the server (public, no personal data beyond masked names).

use crate::{
    api, hours,
    i18n::{Msg, use_i18n},
    pages::hours::day,
};
use domain::hours::Notice;
use leptos::prelude::*;

/// The public notice page.
#[component]
pub fn Notices() -> impl IntoView {
    let i18n = use_i18n();
    let shown = RwSignal::new(None::<Result<Vec<Notice>, ()>>);
    leptos::task::spawn_local(async move {
        shown.set(Some(api::hours_notices().await.map_err(|_| ())));
    });
    let body = move || {
        let lang = i18n.lang.get();
        match shown.get() {
            None => view! { <p class="empty" aria-busy="true">{Msg::Loading.text(lang)}</p> }.into_any(),
            Some(Err(())) => view! {
                <p class="card hint" role="alert" data-testid="notices-error">{Msg::NoticesError.text(lang)}</p>
            }
            .into_any(),
            Some(Ok(list)) if list.is_empty() => view! {
                <p class="empty" data-testid="notices-empty">{Msg::NoticesEmpty.text(lang)}</p>
            }
            .into_any(),
            Some(Ok(list)) => list
                .into_iter()
                .map(|n| {
                    let effective = time::OffsetDateTime::from_unix_timestamp(n.effective_at)
                        .map(|t| Msg::NoticeEffective.fill(lang, &[&day(lang, t)]))
                        .unwrap_or_default();
                    let ended = time::OffsetDateTime::from_unix_timestamp(n.ends_at)
                        .map(|t| day(lang, t))
                        .unwrap_or_default();
                    view! {
                        <div class="card" data-testid="notice" data-offering=n.offering_id.clone()>
                            <h2 class="card-title">{n.title.clone()}</h2>
                            <p class="card-meta">{format!("{ended} · {effective}")}</p>
                            <table class="table">
                                <thead>
                                    <tr>
                                        <th>{Msg::LeagueName.text(lang)}</th>
                                        <th class="num">{Msg::ColHours.text(lang)}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {n.people.into_iter().map(|p| view! {
                                        <tr data-testid="notice-person">
                                            <td>{p.name}</td>
                                            <td class="num">{hours::duration(lang, p.minutes)}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                })
                .collect_view()
                .into_any(),
        }
    };
    view! {
        <section class="page">
            <h1 class="page-title">{move || i18n.t(Msg::NoticesTitle)}</h1>
            <p class="hint">{move || i18n.t(Msg::NoticesIntro)}</p>
            {body}
        </section>
    }
}
