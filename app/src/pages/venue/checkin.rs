//! `/venue/{offering}`'s screen: the activity, the download card and the counts, then the
//! parts an organizer works with at the door, each in its own file. They share a [`Desk`].

use super::{
    DownloadCard, clock_at,
    correction::CorrectionDrafts,
    duplicates::Duplicates,
    lesson_today,
    mixer::{self, GenderCounts, PickWindowCard},
    not_checked_out::NotCheckedOut,
    roster::Roster,
    scanner::Scanner,
    search::Search,
    walk_in::WalkIn,
};
use crate::{
    components::venue_parts::{CountsBar, ScanShown, Tone},
    format,
    i18n::{I18n, Lang, Msg, StaffMsg, use_i18n},
    nav::A,
    pages::workbook::{WorkbookButton, offering_file_name, offering_path},
    state::{
        sync::use_sync,
        venue::{VenueMode, short_device, use_venue},
    },
};
use domain::{Offering, hours::ScanKind};
use engine::venue::{OfferingVenue, ScanCheck};
use leptos::prelude::*;

/// What the parts of one activity's screen share: the activity, what the device knows of it,
/// the scan mode (签到 or 签退), and the last scan's result.
#[derive(Clone, Copy)]
pub(super) struct Desk {
    pub(super) i18n: I18n,
    pub(super) venue: VenueMode,
    /// The activity's id.
    pub(super) offering_id: StoredValue<String>,
    /// The activity, once the device has it.
    pub(super) offering: Memo<Option<Offering>>,
    /// Its roster, scans, counts and duplicates.
    pub(super) here: Memo<OfferingVenue>,
    pub(super) mode: RwSignal<ScanKind>,
    pub(super) result: RwSignal<Option<ScanShown>>,
}

impl Desk {
    /// Shows a scan's result under the scan form.
    pub(super) fn shown(
        &self,
        tone: Tone,
        outcome: &'static str,
        title: String,
        detail: Option<String>,
    ) {
        self.result.set(Some(ScanShown {
            tone,
            outcome,
            title,
            detail,
            badge: None,
        }));
    }

    /// At a mixer, the badge of the person with this registration as the result shows it:
    /// their number, or that it comes with the sync.
    fn badge(&self, registration_id: &str, lang: Lang) -> Option<String> {
        if !self
            .offering
            .with_untracked(|o| mixer::is_mixer(o.as_ref()))
        {
            return None;
        }
        let known = self.venue.data.with_untracked(|v| {
            v.person(registration_id)
                .map(|p| mixer::badge_line(lang, p))
        });
        Some(
            known
                .flatten()
                .unwrap_or_else(|| StaffMsg::BadgePending.text(lang).to_owned()),
        )
    }

    /// Shows a scan's result with the person's badge at a mixer.
    fn shown_for(
        &self,
        registration_id: &str,
        tone: Tone,
        outcome: &'static str,
        title: String,
        detail: Option<String>,
    ) {
        let badge = self.badge(registration_id, self.i18n.lang.get_untracked());
        self.result.set(Some(ScanShown {
            tone,
            outcome,
            title,
            detail,
            badge,
        }));
    }

    /// Records a scan unless the device can already see it is a repeat.
    pub(super) fn record(
        self,
        registration_id: String,
        name: String,
        kind: ScanKind,
        on_roster: bool,
    ) {
        let lang = self.i18n.lang.get_untracked();
        // A course's scan is for the lesson held today; on a day without one there is nothing
        // to check in to (the server would refuse the scan).
        let (course, lesson) = self.offering.with_untracked(|o| {
            let o = o.as_ref();
            (
                o.is_some_and(|o| o.kind() == domain::OfferingKind::Course),
                o.and_then(lesson_today),
            )
        });
        if course && lesson.is_none() {
            return self.shown(
                Tone::Error,
                "no-lesson",
                Msg::VenueNoLessonToday.text(lang).to_owned(),
                None,
            );
        }
        let check = self
            .venue
            .data
            .with_untracked(|v| v.check_scan(&registration_id, kind, lesson));
        let earlier = |s: &engine::venue::Scan| {
            Msg::ScanEarlier.fill(lang, &[&clock_at(s.at), &short_device(&s.device_id)])
        };
        match check {
            ScanCheck::AlreadyIn(s) => {
                return self.shown_for(
                    &registration_id,
                    Tone::Warn,
                    "repeat",
                    Msg::ScanRepeatIn.fill(lang, &[&name]),
                    Some(earlier(&s)),
                );
            }
            ScanCheck::AlreadyOut(s) => {
                return self.shown_for(
                    &registration_id,
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
            let offering_id = self.offering_id.get_value();
            match self
                .venue
                .scan(&offering_id, &registration_id, &name, kind, lesson)
                .await
            {
                Ok(()) => {
                    let (msg, outcome) = match kind {
                        ScanKind::In => (Msg::ScanCheckedIn, "checked-in"),
                        ScanKind::Out => (Msg::ScanCheckedOut, "checked-out"),
                    };
                    let title = msg.fill(lang, &[&name, &format::clock(format::now())]);
                    self.shown_for(&registration_id, Tone::Ok, outcome, title, detail);
                }
                Err(e) => self.shown(Tone::Error, "failed", e.text(lang), None),
            }
        });
    }
}

#[component]
pub(super) fn Checkin(offering_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let venue = use_venue();
    let id = StoredValue::new(offering_id);
    let offering = Memo::new(move |_| sync.offering(&id.get_value()));
    let known = Memo::new(move |_| offering.with(Option::is_some));
    let is_mixer = Memo::new(move |_| offering.with(|o| mixer::is_mixer(o.as_ref())));
    // A course's door is today's lesson's: who came to it, and its counts.
    let here = Memo::new(move |_| {
        let lesson = offering.with(|o| o.as_ref().and_then(lesson_today));
        venue.data.with(|v| v.offering(&id.get_value(), lesson))
    });
    let desk = Desk {
        i18n,
        venue,
        offering_id: id,
        offering,
        here,
        mode: RwSignal::new(ScanKind::In),
        result: RwSignal::new(None),
    };
    CorrectionDrafts::provide();

    let header = move || {
        let lang = i18n.lang.get();
        match offering.get() {
            Some(o) => {
                let place = sync.venue_of(&o.plan.venue_id).map(|v| v.name).unwrap_or_default();
                view! {
                    <h1 class="page-title" data-testid="venue-title">{o.plan.title.clone()}</h1>
                    <p class="card-meta venue-when">{format::time_range(lang, o.starts_at(), o.ends_at())} " · " {place}</p>
                    {(o.kind() == domain::OfferingKind::Course).then(|| {
                        let lesson = match lesson_today(&o) {
                            Some(n) => Msg::VenueLessonToday.fill(lang, &[&n.to_string()]),
                            None => Msg::VenueNoLessonToday.text(lang).to_owned(),
                        };
                        view! { <p class="venue-lesson" data-testid="venue-lesson">{lesson}</p> }
                    })}
                    {(o.status == domain::OfferingStatus::Cancelled).then(|| view! {
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

    view! {
        {header}
        <DownloadCard />
        {move || known.get().then(|| {
            let href = format!("/venue/{}/sheet", crate::api::encode_query_value(&id.get_value()));
            view! {
                <div class="toolbar sheet-link">
                    <A href=href attr:class="button button-quiet" attr:data-testid="sheet-link">{move || i18n.s(StaffMsg::SheetLink)}</A>
                    <WorkbookButton
                        label=Signal::derive(move || i18n.s(StaffMsg::RegistrationsXlsx).to_owned())
                        path=Signal::derive(move || offering_path(&id.get_value(), "registrations.xlsx"))
                        file_name=Signal::derive(move || {
                            let title = offering.with(|o| o.as_ref().map(|o| o.plan.title.clone()).unwrap_or_default());
                            offering_file_name(i18n.lang.get(), StaffMsg::RegistrationsFileName, &title)
                        })
                        testid="venue-export-xlsx"
                    />
                </div>
            }
        })}
        <CountsBar counts=Signal::derive(move || here.with(|h| h.counts)) />
        {move || is_mixer.get().then(|| view! { <GenderCounts here=here /> })}
        <Scanner desk=desk />
        <Search desk=desk />
        // Built once the offering is known, not again on each sync that changes it: what the
        // organizer is typing and the last message stay while the seats count moves.
        {move || known.get().then(|| view! { <WalkIn offering=offering here=here /> })}
        {move || is_mixer.get().then(|| view! { <PickWindowCard offering_id=id /> })}
        <super::requests::HoursRequests offering_id=id />
        <NotCheckedOut desk=desk />
        <Duplicates here=here />
        <Roster desk=desk />
    }
}
