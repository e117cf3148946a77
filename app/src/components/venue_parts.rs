//! Pieces of venue mode: the live counts, the result of the last scan, one person.

use crate::i18n::{Msg, StaffMsg, use_i18n};
use engine::venue::Counts;
use leptos::prelude::*;

/// 已报名 / 已签到 / 已签退.
#[component]
pub fn CountsBar(
    /// The counts.
    #[prop(into)]
    counts: Signal<Counts>,
) -> impl IntoView {
    let i18n = use_i18n();
    let stat = move |msg: Msg, testid: &'static str, value: fn(&Counts) -> usize| {
        view! {
            <div class="stat">
                <span class="stat-value" data-testid=testid>{move || counts.with(value)}</span>
                <span class="stat-label">{move || i18n.t(msg)}</span>
            </div>
        }
    };
    view! {
        <div class="stats" role="group" aria-label=move || i18n.t(Msg::VenueCounts) aria-live="polite">
            {stat(Msg::CountRegistered, "count-registered", |c| c.registered)}
            {stat(Msg::CountCheckedIn, "count-in", |c| c.checked_in)}
            {stat(Msg::CountCheckedOut, "count-out", |c| c.checked_out)}
        </div>
    }
}

/// How the last scan went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Done.
    Ok,
    /// Done, or not needed, but look.
    Warn,
    /// Refused.
    Error,
}

/// The last scan's result, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanShown {
    /// Done, warning or refused.
    pub tone: Tone,
    /// For tests and styles: `checked-in`, `invalid`, `repeat` …
    pub outcome: &'static str,
    /// The big line.
    pub title: String,
    /// A second line.
    pub detail: Option<String>,
    /// At a mixer: the person's badge (`男 03`, or that it comes with the sync), shown large.
    pub badge: Option<String>,
}

/// The result card under the scan form (announced to screen readers).
#[component]
pub fn ScanResultCard(
    /// What to show (nothing before the first scan).
    #[prop(into)]
    result: Signal<Option<ScanShown>>,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        result.get().map(|r| {
            let class = match r.tone {
                Tone::Ok => "scan-result scan-ok",
                Tone::Warn => "scan-result scan-warn",
                Tone::Error => "scan-result scan-error",
            };
            view! {
                <div
                    class=class
                    role=if r.tone == Tone::Error { "alert" } else { "status" }
                    data-testid="scan-result"
                    data-outcome=r.outcome
                >
                    {r.badge.map(|b| view! {
                        <p class="scan-badge">
                            <span class="scan-badge-label">{i18n.s(StaffMsg::BadgeLabel)}</span>
                            <span class="scan-badge-number" data-testid="scan-badge">{b}</span>
                        </p>
                    })}
                    <p class="scan-title">{r.title}</p>
                    {r.detail.map(|d| view! { <p class="scan-detail">{d}</p> })}
                </div>
            }
        })
    }
}

/// What a person's row on the roster says: name, what the device knows, and an action. The
/// `<li class="person">` around it is the caller's, so that a row can hold more (a correction
/// form that must outlive this part being drawn again).
#[component]
pub fn PersonMain(
    /// The name.
    name: String,
    /// Quiet lines under the name (phone, times).
    lines: Vec<String>,
    /// Small tags (现场报名, 凭票入场 …).
    tags: Vec<String>,
    /// The state (已签到 09:01 …).
    state: String,
    /// At a mixer: the badge (`男 03`, `号码待同步`).
    badge: Option<String>,
    /// The action button's label, if any.
    action: Option<String>,
    /// The action.
    on_action: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="person-main">
            <div class="person-who">
                {badge.map(|b| view! { <span class="badge-no" data-testid="person-badge">{b}</span> })}
                <span class="person-name">{name}</span>
                {tags.into_iter().map(|t| view! { <span class="tag tag-soft">{t}</span> }).collect_view()}
                {lines.into_iter().map(|l| view! { <span class="card-meta">{l}</span> }).collect_view()}
                <span class="person-state" data-testid="person-state">{state}</span>
            </div>
            {action.map(|label| view! {
                <button type="button" class="button button-primary" on:click=move |_| on_action.run(())>
                    {label}
                </button>
            })}
        </div>
    }
}
