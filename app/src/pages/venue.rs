//! Venue mode for organizers (`/venue`, `/venue/{offering}`): pick today's activity, download its
//! roster and the ticket keys (a sync), then check people in and out all day with no network —
//! by camera where the browser reads QR codes, by pasting the ticket text, or by finding them by
//! name or the last four digits of their phone. Walk-ins, live counts, repeated scans flagged by
//! the server, people who never checked out, and corrections of hours.

use crate::nav::{A, use_params_map};
use crate::{
    account::sign_in_href,
    components::{
        field::OutcomeMessage,
        venue_parts::{CountsBar, PersonMain, ScanResultCard, ScanShown, Tone},
    },
    format,
    i18n::{Lang, Msg, use_i18n},
    state::{
        session::use_session,
        sync::{SyncStatus, use_sync},
        venue::{short_device, use_venue},
    },
    status_text,
};
use domain::{OfferingSummary, Role, hours::ScanKind};
use engine::venue::{Attendance, OfferingVenue, Refusal, ScanCheck, Source};
use leptos::{ev::SubmitEvent, prelude::*};
use time::OffsetDateTime;

#[cfg(target_arch = "wasm32")]
mod scanner {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen(module = "/src/scanner.js")]
    extern "C" {
        #[wasm_bindgen(js_name = canScan)]
        pub fn can_scan() -> bool;
        #[wasm_bindgen(js_name = startScan)]
        pub fn start_scan(video_id: &str, on_code: &js_sys::Function, on_error: &js_sys::Function);
        #[wasm_bindgen(js_name = stopScan)]
        pub fn stop_scan();
    }
}

fn can_scan() -> bool {
    #[cfg(target_arch = "wasm32")]
    {
        scanner::can_scan()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        false
    }
}

fn stop_scan() {
    #[cfg(target_arch = "wasm32")]
    scanner::stop_scan();
}

/// Starts the camera; `on_code` gets the first QR code read, `on_error` why it could not.
fn start_scan(on_code: impl FnOnce(String) + 'static, on_error: impl FnOnce(String) + 'static) {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::{JsCast, closure::Closure};
        let code = Closure::once_into_js(on_code);
        let error = Closure::once_into_js(on_error);
        scanner::start_scan(VIDEO_ID, code.unchecked_ref(), error.unchecked_ref());
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = on_code;
        on_error("no camera".into());
    }
}

const VIDEO_ID: &str = "scanner-video";

/// A time on the server's clock (Unix seconds) as `HH:MM` in China.
fn clock_at(at: i64) -> String {
    OffsetDateTime::from_unix_timestamp(at)
        .map(format::clock)
        .unwrap_or_default()
}

/// Whether the offering runs on `today` (China date).
pub fn runs_on(o: &OfferingSummary, today: time::Date) -> bool {
    let starts = format::in_china(o.starts_at).date();
    let ends = format::in_china(o.ends_at).date();
    starts <= today && today <= ends
}

/// The text for a refused ticket.
pub fn refusal_msg(r: &Refusal) -> (Msg, &'static str) {
    match r {
        Refusal::NoKeys => (Msg::ScanNoKeys, "no-keys"),
        Refusal::Invalid => (Msg::ScanInvalid, "invalid"),
        Refusal::WrongOffering => (Msg::ScanWrongOffering, "wrong-offering"),
        Refusal::Void { .. } => (Msg::ScanVoid, "void"),
    }
}

/// Signed in as an organizer (or admin), else why not.
#[component]
fn OrganizerOnly(here: String, children: ChildrenFn) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let sync = use_sync();
    let allowed = Memo::new(move |_| {
        session
            .user()
            .map(|u| u.has(Role::Organizer) || u.has(Role::Admin))
    });
    let here = StoredValue::new(here);
    move || {
        match allowed.get() {
        None => view! {
            <div class="card" data-testid="venue-sign-in">
                <p>{move || i18n.t(Msg::VenueSignIn)}</p>
                <div class="actions">
                    <A href=sign_in_href(&here.get_value()) attr:class="button button-primary">{move || i18n.t(Msg::SignIn)}</A>
                </div>
            </div>
        }
        .into_any(),
        Some(false) => view! {
            <div class="card" role="alert" data-testid="venue-only">
                <p>{move || i18n.t(Msg::VenueOrganizersOnly)}</p>
            </div>
        }
        .into_any(),
        // The person's store is still opening: nothing to show yet.
        Some(true) if !sync.ready.get() => view! {
            <p class="empty" aria-busy="true">{move || i18n.t(Msg::Loading)}</p>
        }
        .into_any(),
        Some(true) => children().into_any(),
    }
    }
}

/// 下载名单: a sync, with when the device last had one.
#[component]
fn DownloadCard() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let syncing = move || sync.status.get() == SyncStatus::Syncing;
    let offline = move || sync.status.get() == SyncStatus::Offline;
    view! {
        <div class="card venue-download">
            <p
                data-testid="roster-downloaded"
                data-synced-at=move || {
                    sync.synced_at.get().map(|t| (t.unix_timestamp_nanos() / 1_000_000).to_string())
                }
            >
                {move || match sync.synced_at.get() {
                    Some(t) => i18n.f(Msg::RosterDownloadedAt, &[&format::date_time(i18n.lang.get(), t)]),
                    None => i18n.t(Msg::RosterNotDownloaded).to_owned(),
                }}
            </p>
            <Show when=move || { sync.pending.get() > 0 }>
                <p class="hint hint-warn" data-testid="scans-waiting">
                    {move || i18n.f(Msg::ScansWaiting, &[&sync.pending.get().to_string()])}
                </p>
            </Show>
            <Show when=offline>
                <p class="hint" data-testid="venue-offline">{move || i18n.t(Msg::VenueOfflineHint)}</p>
            </Show>
            <div class="actions">
                <button
                    type="button"
                    class="button button-primary"
                    data-testid="download-roster"
                    aria-busy=move || syncing().then_some("true")
                    disabled=syncing
                    on:click=move |_| sync.sync_now()
                >
                    {move || i18n.t(if syncing() { Msg::Downloading } else { Msg::DownloadRoster })}
                </button>
            </div>
            <p class="hint">{move || i18n.t(Msg::DownloadHint)}</p>
        </div>
    }
}

/// `/venue`: the activities this organizer runs, today's first.
#[component]
pub fn VenuePicker() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page">
            <h1 class="page-title">{move || i18n.t(Msg::VenueTitle)}</h1>
            <OrganizerOnly here="/venue".to_owned()>
                <DownloadCard />
                <AssignedList />
            </OrganizerOnly>
        </section>
    }
}

#[component]
fn AssignedList() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let venue = use_venue();
    let show_all = RwSignal::new(false);
    // (offering id, the offering if synced), soonest first.
    let assigned = Memo::new(move |_| {
        let ids = venue.data.with(|v| v.assignments.clone());
        let mut list: Vec<(String, Option<OfferingSummary>)> = ids
            .into_iter()
            .map(|id| {
                let o = sync.offering(&id);
                (id, o)
            })
            .collect();
        domain::sort::sort_by_key(&mut list, |(id, o)| {
            (o.as_ref().map(|o| o.starts_at), id.clone())
        });
        list
    });
    let today = format::in_china(format::now()).date();
    let item = move |(id, o): (String, Option<OfferingSummary>)| {
        let lang = i18n.lang.get();
        let counts = venue.data.with(|v| v.offering(&id).counts);
        let href = format!("/venue/{}", crate::api::encode_query_value(&id));
        let (title, when, place) = match &o {
            Some(o) => (
                o.title.clone(),
                format::time_range(lang, o.starts_at, o.ends_at),
                sync.venue_of(&o.venue_id)
                    .map(|v| v.name)
                    .unwrap_or_default(),
            ),
            None => (
                Msg::UnknownProgramme.text(lang).to_owned(),
                String::new(),
                String::new(),
            ),
        };
        let cancelled = o.as_ref().is_some_and(|o| o.status == "cancelled");
        view! {
            <li>
                <A href=href attr:class="venue-pick card" attr:data-testid="venue-pick">
                    <span class="venue-pick-title">{title}</span>
                    {cancelled.then(|| view! { <span class="tag tag-warn">{Msg::OfferingCancelledTag.text(lang)}</span> })}
                    <span class="card-meta">{when}</span>
                    <span class="card-meta">{place}</span>
                    <span class="card-meta">
                        {Msg::VenuePickCounts.fill(lang, &[&counts.checked_in.to_string(), &counts.registered.to_string()])}
                    </span>
                </A>
            </li>
        }
    };
    let list = move || {
        let all = assigned.get();
        let (todays, others): (Vec<_>, Vec<_>) = all
            .into_iter()
            .partition(|(_, o)| o.as_ref().is_some_and(|o| runs_on(o, today)));
        let lang = i18n.lang.get();
        if todays.is_empty() && others.is_empty() {
            return view! {
                <p class="empty" data-testid="venue-none">{Msg::VenueNoAssignments.text(lang)}</p>
            }
            .into_any();
        }
        let others_count = others.len();
        view! {
            <h2 class="section-title">{Msg::VenueToday.text(lang)}</h2>
            {if todays.is_empty() {
                view! { <p class="hint" data-testid="venue-none-today">{Msg::VenueNoneToday.text(lang)}</p> }.into_any()
            } else {
                view! { <ul class="venue-picks" data-testid="venue-today">{todays.into_iter().map(item).collect_view()}</ul> }.into_any()
            }}
            {(others_count > 0).then(|| view! {
                <div class="actions">
                    <button
                        type="button"
                        class="button"
                        aria-expanded=move || show_all.get().to_string()
                        on:click=move |_| show_all.update(|s| *s = !*s)
                    >
                        {move || i18n.f(if show_all.get() { Msg::VenueHideOthers } else { Msg::VenueShowOthers }, &[&others_count.to_string()])}
                    </button>
                </div>
                <Show when=move || show_all.get()>
                    <ul class="venue-picks" data-testid="venue-others">{others.clone().into_iter().map(item).collect_view()}</ul>
                </Show>
            })}
        }
        .into_any()
    };
    view! { {list} }
}

/// `/venue/{offering}`: check-in and check-out at one activity.
#[component]
pub fn VenueCheckin() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = params.with_untracked(|p| p.get("id").unwrap_or_default());
    let here = format!("/venue/{}", crate::api::encode_query_value(&id));
    view! {
        <section class="page venue-page">
            <A href="/venue" attr:class="button button-quiet back-link">{move || i18n.t(Msg::VenueAllActivities)}</A>
            <OrganizerOnly here=here>
                <Checkin offering_id=id.clone() />
            </OrganizerOnly>
        </section>
    }
}

#[component]
fn Checkin(offering_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let venue = use_venue();
    let id = StoredValue::new(offering_id);
    let offering = Memo::new(move |_| sync.offering(&id.get_value()));
    let known = Memo::new(move |_| offering.with(Option::is_some));
    let here = Memo::new(move |_| venue.data.with(|v| v.offering(&id.get_value())));
    let mode = RwSignal::new(ScanKind::In);
    CorrectionDrafts::provide();
    let code = RwSignal::new(String::new());
    let result = RwSignal::new(None::<ScanShown>);
    let query = RwSignal::new(String::new());
    let scanning = RwSignal::new(false);
    on_cleanup(stop_scan);

    let shown = move |tone, outcome, title: String, detail: Option<String>| {
        result.set(Some(ScanShown {
            tone,
            outcome,
            title,
            detail,
        }));
    };

    // Records a scan unless the device can already see it is a repeat.
    let record = move |registration_id: String, name: String, kind: ScanKind, on_roster: bool| {
        let lang = i18n.lang.get_untracked();
        let check = venue
            .data
            .with_untracked(|v| v.check_scan(&registration_id, kind));
        let earlier = |s: &engine::venue::Scan| {
            Msg::ScanEarlier.fill(lang, &[&clock_at(s.at), &short_device(&s.device_id)])
        };
        match check {
            ScanCheck::AlreadyIn(s) => {
                return shown(
                    Tone::Warn,
                    "repeat",
                    Msg::ScanRepeatIn.fill(lang, &[&name]),
                    Some(earlier(&s)),
                );
            }
            ScanCheck::AlreadyOut(s) => {
                return shown(
                    Tone::Warn,
                    "repeat",
                    Msg::ScanRepeatOut.fill(lang, &[&name]),
                    Some(earlier(&s)),
                );
            }
            ScanCheck::Record | ScanCheck::OutWithoutIn => {}
        }
        let detail = if check == ScanCheck::OutWithoutIn {
            Some(Msg::ScanOutWithoutIn.text(lang).to_owned())
        } else if !on_roster {
            Some(Msg::ScanNotOnRoster.text(lang).to_owned())
        } else {
            None
        };
        leptos::task::spawn_local(async move {
            let offering_id = id.get_value();
            match venue
                .scan(&offering_id, &registration_id, &name, kind)
                .await
            {
                Ok(()) => {
                    let (msg, outcome) = match kind {
                        ScanKind::In => (Msg::ScanCheckedIn, "checked-in"),
                        ScanKind::Out => (Msg::ScanCheckedOut, "checked-out"),
                    };
                    let title = msg.fill(lang, &[&name, &format::clock(format::now())]);
                    shown(Tone::Ok, outcome, title, detail);
                }
                Err(e) => shown(Tone::Error, "failed", e.text(lang), None),
            }
        });
    };

    // A ticket typed, pasted or read by the camera.
    let check_code = move |text: String| {
        let lang = i18n.lang.get_untracked();
        let text = text.trim().to_owned();
        if text.is_empty() {
            return shown(
                Tone::Error,
                "empty",
                Msg::ScanEnterCode.text(lang).to_owned(),
                None,
            );
        }
        match venue
            .data
            .with_untracked(|v| v.admit(&text, &id.get_value()))
        {
            Ok(a) => {
                code.set(String::new());
                record(a.registration_id, a.name, mode.get_untracked(), a.on_roster);
            }
            Err(refusal) => {
                let (msg, outcome) = refusal_msg(&refusal);
                let detail = match &refusal {
                    Refusal::Void { name, status } => Some(format!(
                        "{name} · {}",
                        status_text::roster_status(lang, status)
                    )),
                    _ => None,
                };
                shown(Tone::Error, outcome, msg.text(lang).to_owned(), detail);
            }
        }
    };

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        check_code(code.get_untracked());
    };

    let start_camera = move |_| {
        scanning.set(true);
        result.set(None);
        start_scan(
            move |text| {
                scanning.set(false);
                check_code(text);
            },
            move |why| {
                scanning.set(false);
                let lang = i18n.lang.get_untracked();
                shown(
                    Tone::Error,
                    "camera",
                    Msg::CameraFailed.fill(lang, &[&why]),
                    None,
                );
            },
        );
    };

    let header = move || {
        let lang = i18n.lang.get();
        match offering.get() {
            Some(o) => {
                let place = sync.venue_of(&o.venue_id).map(|v| v.name).unwrap_or_default();
                view! {
                    <h1 class="page-title" data-testid="venue-title">{o.title.clone()}</h1>
                    <p class="card-meta venue-when">{format::time_range(lang, o.starts_at, o.ends_at)} " · " {place}</p>
                    {(o.status == "cancelled").then(|| view! {
                        <p class="banner banner-error" role="alert">
                            {Msg::StatusOfferingCancelled.fill(lang, &[&o.cancel_reason.clone().unwrap_or_default()])}
                        </p>
                    })}
                }
                .into_any()
            }
            None => view! {
                <h1 class="page-title">{Msg::VenueTitle.text(lang)}</h1>
                <p class="hint" data-testid="venue-unknown">{Msg::VenueOfferingUnknown.text(lang)}</p>
            }
            .into_any(),
        }
    };

    let mode_button = move |which: ScanKind, msg: Msg| {
        view! {
            <button
                type="button"
                role="tab"
                class="seg"
                aria-selected=move || (mode.get() == which).to_string()
                on:click=move |_| mode.set(which)
            >
                {move || i18n.t(msg)}
            </button>
        }
    };

    let submit_label = move || {
        i18n.t(match mode.get() {
            ScanKind::In => Msg::VerifyAndCheckIn,
            ScanKind::Out => Msg::VerifyAndCheckOut,
        })
    };

    // What a person's row says, and the action it offers.
    let person_main = move |a: Attendance, lang: Lang, with_action: bool| {
        let p = a.person.clone();
        let mut tags = Vec::new();
        if p.walk_in {
            tags.push(Msg::TagWalkIn.text(lang).to_owned());
        }
        if p.source == Source::Ticket {
            tags.push(Msg::TagByTicket.text(lang).to_owned());
        }
        let mut lines = Vec::new();
        if let Some(phone) = p
            .phone
            .clone()
            .or_else(|| p.phone_last4.clone().map(|l| format!("****{l}")))
        {
            lines.push(phone);
        }
        let state = match (&a.first_in, &a.last) {
            (_, Some(last)) if last.kind == ScanKind::Out => {
                Msg::StateOut.fill(lang, &[&clock_at(last.at)])
            }
            (Some(first), _) => Msg::StateIn.fill(lang, &[&clock_at(first.at)]),
            _ if p.is_registered() => Msg::StateExpected.text(lang).to_owned(),
            _ => status_text::roster_status(lang, &p.status),
        };
        let kind = mode.get_untracked();
        // Someone not (yet) confirmed on the downloaded roster is admitted by their ticket only.
        let can_act = with_action
            && p.is_registered()
            && match kind {
                ScanKind::In => !a.inside(),
                ScanKind::Out => a.inside(),
            };
        let action = can_act.then(|| {
            match kind {
                ScanKind::In => Msg::CheckInAction,
                ScanKind::Out => Msg::CheckOutAction,
            }
            .text(lang)
            .to_owned()
        });
        let (rid, name) = (p.registration_id.clone(), p.display_name.clone());
        let on_roster = p.source == Source::Roster;
        let on_action = Callback::new(move |()| record(rid.clone(), name.clone(), kind, on_roster));
        (p.display_name, lines, tags, state, action, on_action)
    };
    let person_row = move |a: Attendance, lang: Lang, with_action: bool| {
        let (name, lines, tags, state, action, on_action) = person_main(a, lang, with_action);
        let data = name.clone();
        view! {
            <li class="person" data-testid="person" data-name=data>
                <PersonMain name=name lines=lines tags=tags state=state action=action on_action=on_action />
            </li>
        }
    };

    let search_results = move || {
        let lang = i18n.lang.get();
        mode.track();
        let q = query.get();
        if q.trim().is_empty() {
            return view! { <p class="hint">{Msg::SearchHint.text(lang)}</p> }.into_any();
        }
        let found: Vec<Attendance> = here.with(|ov| {
            venue
                .data
                .with(|v| v.search(ov, &q).into_iter().cloned().collect())
        });
        if found.is_empty() {
            return view! { <p class="hint" data-testid="search-empty">{Msg::SearchNothing.text(lang)}</p> }.into_any();
        }
        view! {
            <ul class="people" data-testid="search-results">
                {found.into_iter().map(|a| person_row(a, lang, true)).collect_view()}
            </ul>
        }
        .into_any()
    };

    let now_secs = move || format::now().unix_timestamp();
    let open_after_end = move || {
        let ends = offering.get().map(|o| o.ends_at.unix_timestamp())?;
        let lang = i18n.lang.get();
        let open: Vec<Attendance> = here.with(|ov| {
            ov.not_checked_out(ends, now_secs())
                .into_iter()
                .cloned()
                .collect()
        });
        let count = open.len();
        Some(view! {
            <section class="card" data-testid="not-checked-out">
                <h2 class="card-title">{Msg::NotCheckedOutTitle.fill(lang, &[&count.to_string()])}</h2>
                <p class="hint">{Msg::NotCheckedOutHint.text(lang)}</p>
                <ul class="people">
                    {open.into_iter().map(|a| person_row(a, lang, false)).collect_view()}
                </ul>
            </section>
        })
        .filter(|_| count > 0)
    };

    let duplicates = move || {
        let lang = i18n.lang.get();
        let list = here.with(|ov| ov.duplicates.clone());
        let count = list.len();
        view! {
            <section class="card" data-testid="duplicates">
                <h2 class="card-title">{Msg::DuplicatesTitle.fill(lang, &[&count.to_string()])}</h2>
                {if list.is_empty() {
                    view! { <p class="hint">{Msg::DuplicatesNone.text(lang)}</p> }.into_any()
                } else {
                    view! {
                        <p class="hint">{Msg::DuplicatesHint.text(lang)}</p>
                        <ul class="duplicates">
                            {list.into_iter().map(|d| {
                                let first = d.original.as_ref().map(|o| {
                                    Msg::DuplicateFirst.fill(lang, &[&short_device(&o.device_id), &clock_at(o.at)])
                                });
                                view! {
                                    <li class="duplicate" data-testid="duplicate">
                                        <span class="person-name">{d.name.clone()}</span>
                                        {first.map(|f| view! { <span class="card-meta" data-testid="duplicate-first">{f}</span> })}
                                        <span class="card-meta" data-testid="duplicate-second">
                                            {Msg::DuplicateSecond.fill(lang, &[&short_device(&d.scan.device_id), &clock_at(d.scan.at)])}
                                        </span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }
                    .into_any()
                }}
            </section>
        }
    };

    // The whole roster is drawn only while it is open: rosters run to thousands of people. Its
    // rows are keyed by registration and each follows that person alone, so a scan (here or at
    // another door) draws again one row, not the list; and an hours correction being typed keeps
    // its draft even when its own row is drawn again (`CorrectionDrafts`).
    let roster_open = RwSignal::new(false);
    let roster_ids = Memo::new(move |_| {
        here.with(|ov| {
            ov.people
                .iter()
                .map(|a| a.person.registration_id.clone())
                .collect::<Vec<_>>()
        })
    });
    let roster_at = Memo::new(move |_| {
        here.with(|ov| {
            ov.people
                .iter()
                .enumerate()
                .map(|(i, a)| (a.person.registration_id.clone(), i))
                .collect::<std::collections::HashMap<_, _>>()
        })
    });
    let roster_empty = Memo::new(move |_| roster_ids.with(Vec::is_empty));
    // The row's own part is drawn again when the person's scans change (a check-out syncing,
    // say); the correction form under it is not, so an organizer typing in it keeps the focus.
    let roster_row = move |id: String| {
        let key = id.clone();
        let attendance = Memo::new(move |_| {
            roster_at
                .with(|at| at.get(&key).copied())
                .and_then(|i| here.with(|ov| ov.people.get(i).cloned()))
        });
        let name = Memo::new(move |_| {
            attendance.with(|a| {
                a.as_ref()
                    .map(|a| a.person.display_name.clone())
                    .unwrap_or_default()
            })
        });
        view! {
            <li class="person" data-testid="person" data-name=move || name.get()>
                {move || {
                    let lang = i18n.lang.get();
                    mode.track();
                    attendance.get().map(|a| {
                        let (name, lines, tags, state, action, on_action) = person_main(a, lang, true);
                        view! { <PersonMain name=name lines=lines tags=tags state=state action=action on_action=on_action /> }
                    })
                }}
                <HoursCorrection registration_id=id />
            </li>
        }
    };
    let roster_items = move || {
        if !roster_open.get() {
            return None;
        }
        Some(if roster_empty.get() {
            view! { <p class="hint">{move || i18n.t(Msg::RosterEmpty)}</p> }.into_any()
        } else {
            view! {
                <ul class="people">
                    <For each=move || roster_ids.get() key=|id| id.clone() children=roster_row />
                </ul>
            }
            .into_any()
        })
    };
    let roster = view! {
        <details
            class="card roster"
            data-testid="roster"
            prop:open=move || roster_open.get()
            on:toggle=move |ev| {
                let open = event_target::<web_sys::Element>(&ev).has_attribute("open");
                roster_open.set(open);
            }
        >
            <summary>
                {move || Msg::RosterAll.fill(i18n.lang.get(), &[&here.with(|ov| ov.people.len()).to_string()])}
            </summary>
            {roster_items}
        </details>
    };

    view! {
        {header}
        <DownloadCard />
        <CountsBar counts=Signal::derive(move || here.with(|h| h.counts)) />
        <div class="segmented" role="tablist" aria-label=move || i18n.t(Msg::ScanMode)>
            {mode_button(ScanKind::In, Msg::ModeCheckIn)}
            {mode_button(ScanKind::Out, Msg::ModeCheckOut)}
        </div>
        <form class="card form scan-form" novalidate=true on:submit=on_submit data-testid="scan-form">
            <div class="field">
                <label class="field-label" for="ticket-code">{move || i18n.t(Msg::TicketCodeLabel)}</label>
                <textarea
                    class="input textarea ticket-input"
                    id="ticket-code"
                    rows="2"
                    autocomplete="off"
                    spellcheck="false"
                    maxlength=domain::ticket::MAX_TICKET_LEN.to_string()
                    placeholder=move || i18n.t(Msg::TicketCodePlaceholder)
                    prop:value=move || code.get()
                    on:input=move |ev| code.set(event_target_value(&ev))
                ></textarea>
            </div>
            <div class="actions">
                <button type="submit" class="button button-primary" data-testid="verify-ticket">{submit_label}</button>
                <Show when=can_scan>
                    <button type="button" class="button" data-testid="camera" on:click=start_camera>
                        {move || i18n.t(Msg::ScanWithCamera)}
                    </button>
                </Show>
            </div>
            <Show when=move || scanning.get()>
                <div class="scanner">
                    <video id=VIDEO_ID class="scanner-video" muted=true playsinline=true></video>
                    <button
                        type="button"
                        class="button"
                        on:click=move |_| {
                            stop_scan();
                            scanning.set(false);
                        }
                    >
                        {move || i18n.t(Msg::StopCamera)}
                    </button>
                </div>
            </Show>
        </form>
        <ScanResultCard result=result />
        <section class="card">
            <h2 class="card-title">{move || i18n.t(Msg::FindPerson)}</h2>
            <div class="field">
                <label class="field-label" for="roster-search">{move || i18n.t(Msg::FindPersonLabel)}</label>
                <input
                    class="input"
                    id="roster-search"
                    type="search"
                    autocomplete="off"
                    maxlength="32"
                    prop:value=move || query.get()
                    on:input=move |ev| query.set(event_target_value(&ev))
                />
            </div>
            {search_results}
        </section>
        // Built once the offering is known, not again on each sync that changes it: what the
        // organizer is typing and the last message stay while the seats count moves.
        {move || known.get().then(|| view! { <WalkIn offering=offering here=here /> })}
        {open_after_end}
        {duplicates}
        {roster}
    }
}

/// 现场报名: someone who turns up without signing up, while places remain.
#[component]
fn WalkIn(offering: Memo<Option<OfferingSummary>>, here: Memo<OfferingVenue>) -> impl IntoView {
    let i18n = use_i18n();
    let venue = use_venue();
    let name = RwSignal::new(String::new());
    let last4 = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let offering_id = StoredValue::new(
        offering
            .with_untracked(|o| o.as_ref().map(|o| o.id.clone()))
            .unwrap_or_default(),
    );
    let left = Memo::new(move |_| {
        let local = here.with(|h| h.local_walk_ins) as u32;
        let seats = offering.with(|o| o.as_ref().map_or(0, OfferingSummary::seats_left));
        seats.saturating_sub(local)
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let lang = i18n.lang.get_untracked();
        let n = name.get_untracked();
        let digits = last4.get_untracked().trim().to_owned();
        if domain::account::parse_display_name(&n).is_err() {
            message.set(Some((false, Msg::WalkInNameNeeded.text(lang).to_owned())));
            crate::dom::focus("walkin-name");
            return;
        }
        if !(digits.is_empty() || (digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit())))
        {
            message.set(Some((false, Msg::WalkInLast4Invalid.text(lang).to_owned())));
            crate::dom::focus("walkin-last4");
            return;
        }
        if left.get_untracked() == 0 {
            message.set(Some((false, Msg::WalkInFull.text(lang).to_owned())));
            return;
        }
        leptos::task::spawn_local(async move {
            match venue.walk_in(&offering_id.get_value(), &n, &digits).await {
                Ok(()) => {
                    name.set(String::new());
                    last4.set(String::new());
                    message.set(Some((true, Msg::WalkInDone.fill(lang, &[n.trim()]))));
                }
                Err(e) => message.set(Some((false, e.text(lang)))),
            }
        });
    };
    view! {
        <form class="card form" novalidate=true on:submit=on_submit data-testid="walk-in">
            <h2 class="card-title">{move || i18n.t(Msg::WalkInTitle)}</h2>
            <p class="hint" data-testid="walk-in-left">{move || i18n.f(Msg::WalkInLeft, &[&left.get().to_string()])}</p>
            <div class="field">
                <label class="field-label" for="walkin-name">{move || i18n.t(Msg::FieldDisplayName)}</label>
                <input
                    class="input"
                    id="walkin-name"
                    autocomplete="off"
                    maxlength=domain::account::MAX_NAME_CHARS.to_string()
                    prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev))
                />
            </div>
            <div class="field">
                <label class="field-label" for="walkin-last4">{move || i18n.t(Msg::WalkInLast4)}</label>
                <input
                    class="input"
                    id="walkin-last4"
                    inputmode="numeric"
                    autocomplete="off"
                    maxlength="4"
                    prop:value=move || last4.get()
                    on:input=move |ev| last4.set(event_target_value(&ev))
                />
            </div>
            {move || message.get().map(|(ok, text)| view! {
                <div
                    class=if ok { "form-message form-message-ok" } else { "form-message form-message-error" }
                    role=if ok { "status" } else { "alert" }
                    data-testid="walk-in-message"
                >
                    {text}
                </div>
            })}
            <button type="submit" class="button button-primary" disabled=move || left.get() == 0>
                {move || i18n.t(Msg::WalkInSubmit)}
            </button>
        </form>
    }
}

/// 修正时长: an organizer's correction of someone's credited minutes, with a reason.
/// An hours correction as the organizer left it: open or not, what was typed, the last outcome.
#[derive(Clone, Copy)]
struct CorrectionDraft {
    open: RwSignal<bool>,
    minutes: RwSignal<String>,
    reason: RwSignal<String>,
    message: RwSignal<Option<(bool, Msg)>>,
}

/// The hours corrections of one venue screen, by registration. They belong to the screen, not
/// to a roster row: a row is drawn again when its person's scans change, and the correction
/// being typed in it must outlive that.
#[derive(Clone, Copy)]
struct CorrectionDrafts {
    owner: StoredValue<Owner>,
    drafts: StoredValue<std::collections::HashMap<String, CorrectionDraft>>,
}

impl CorrectionDrafts {
    fn provide() {
        let owner = Owner::current().unwrap_or_default();
        provide_context(CorrectionDrafts {
            owner: StoredValue::new(owner),
            drafts: StoredValue::new(Default::default()),
        });
    }

    /// The draft for a registration, made (empty, closed) the first time it is asked for.
    fn get(&self, registration_id: &str) -> CorrectionDraft {
        if let Some(d) = self.drafts.with_value(|m| m.get(registration_id).copied()) {
            return d;
        }
        let draft = self.owner.with_value(|owner| {
            owner.with(|| CorrectionDraft {
                open: RwSignal::new(false),
                minutes: RwSignal::new(String::new()),
                reason: RwSignal::new(String::new()),
                message: RwSignal::new(None),
            })
        });
        self.drafts
            .update_value(|m| _ = m.insert(registration_id.to_owned(), draft));
        draft
    }
}

#[component]
fn HoursCorrection(registration_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let venue = use_venue();
    let CorrectionDraft {
        open,
        minutes,
        reason,
        message,
    } = expect_context::<CorrectionDrafts>().get(&registration_id);
    let rid = StoredValue::new(registration_id.clone());
    let minutes_id = format!("fix-minutes-{registration_id}");
    let reason_id = format!("fix-reason-{registration_id}");
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let m = minutes
            .get_untracked()
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|m| *m <= 7 * 24 * 60);
        let r = reason.get_untracked();
        let Some(m) = m else {
            message.set(Some((false, Msg::FixMinutesInvalid)));
            return;
        };
        if domain::activity::parse_reason(&r, true).is_err() {
            message.set(Some((false, Msg::FixReasonNeeded)));
            return;
        }
        leptos::task::spawn_local(async move {
            match venue.correct_hours(&rid.get_value(), m, &r).await {
                Ok(()) => {
                    open.set(false);
                    minutes.set(String::new());
                    reason.set(String::new());
                    message.set(Some((true, Msg::FixSent)));
                }
                Err(e) => message.set(Some((false, e.msg()))),
            }
        });
    };
    view! {
        <div class="correction">
            <Show
                when=move || open.get()
                fallback=move || view! {
                    <button type="button" class="button button-quiet" on:click=move |_| { open.set(true); message.set(None); }>
                        {move || i18n.t(Msg::FixHours)}
                    </button>
                }
            >
                <form class="form correction-form" novalidate=true on:submit=on_submit>
                    <div class="field">
                        <label class="field-label" for=minutes_id.clone()>{move || i18n.t(Msg::FixMinutes)}</label>
                        <input
                            class="input"
                            id=minutes_id.clone()
                            inputmode="numeric"
                            maxlength="5"
                            prop:value=move || minutes.get()
                            on:input=move |ev| minutes.set(event_target_value(&ev))
                        />
                    </div>
                    <div class="field">
                        <label class="field-label" for=reason_id.clone()>{move || i18n.t(Msg::FixReason)}</label>
                        <input
                            class="input"
                            id=reason_id.clone()
                            maxlength="200"
                            prop:value=move || reason.get()
                            on:input=move |ev| reason.set(event_target_value(&ev))
                        />
                    </div>
                    <div class="actions">
                        <button type="submit" class="button button-primary">{move || i18n.t(Msg::FixSubmit)}</button>
                        <button type="button" class="button" on:click=move |_| open.set(false)>{move || i18n.t(Msg::CancelKeepShort)}</button>
                    </div>
                </form>
            </Show>
            <OutcomeMessage outcome=message />
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn an_activity_runs_on_every_china_day_it_touches() {
        let o: OfferingSummary = serde_json::from_value(serde_json::json!({
            "id": "a", "kind": "activity", "title": "t", "summary": "", "category": "c",
            "venue_id": "v", "starts_at": "2026-12-05T22:00:00+08:00",
            "ends_at": "2026-12-06T02:00:00+08:00", "sessions": 1, "capacity": 10,
            "seats_taken": 0, "signup_closes_at": "2026-12-04T20:00:00+08:00",
            "volunteer_hours": 2
        }))
        .unwrap();
        assert!(!runs_on(&o, date!(2026 - 12 - 04)));
        assert!(runs_on(&o, date!(2026 - 12 - 05)));
        assert!(runs_on(&o, date!(2026 - 12 - 06)));
        assert!(!runs_on(&o, date!(2026 - 12 - 07)));
    }

    #[test]
    fn refusals_have_their_own_words() {
        assert_eq!(refusal_msg(&Refusal::Invalid).0.text(Lang::Zh), "无效票");
        assert_eq!(
            refusal_msg(&Refusal::WrongOffering).0.text(Lang::Zh),
            "不是本活动的票"
        );
        assert_eq!(refusal_msg(&Refusal::NoKeys).1, "no-keys");
    }
}
