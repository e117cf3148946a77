//! 交友联谊 at the door: each person's badge (男 03, 女 07), check-ins per gender, and the pick
//! window: 开始选择 queued like any action at the door (offline too), 结束选择 online only,
//! after the check-ins and the open have reached the server. After the close the screen shows
//! counts and nothing else: an organizer never sees a profile, a pick or a contact, because
//! nothing on their device has one (see `server::db::mixer`).

use crate::{
    account::general_error_msg,
    api,
    i18n::{AnyMsg, I18n, Lang, Msg, StaffMsg, use_i18n},
    state::{
        session::use_session,
        set_if_changed,
        sync::{Unsent, use_sync},
        venue::use_venue,
    },
};
use domain::{
    ErrorCode, Offering, OfferingKind,
    programme::mixer::{Badge, Gender, MixerCounts, PickWindow},
};
use engine::venue::{Attendance, OfferingVenue, Person, Source};
use leptos::prelude::*;

/// Whether the offering is a mixer.
pub(super) fn is_mixer(o: Option<&Offering>) -> bool {
    o.is_some_and(|o| o.kind() == OfferingKind::Mixer)
}

/// A badge in words: `男 03`, `F 07`.
pub fn badge_text(lang: Lang, badge: Badge) -> String {
    let number = format!("{:02}", badge.number);
    match badge.gender {
        Gender::Male => StaffMsg::BadgeMale.fill(lang, &[&number]),
        Gender::Female => StaffMsg::BadgeFemale.fill(lang, &[&number]),
    }
}

/// A person's badge as a mixer's roster shows it: the number, or `号码待同步` for someone with
/// a place whose number this device does not have yet (a walk-in registered here, a ticket
/// admitted after the download); nothing for someone without a place.
pub fn badge_line(lang: Lang, p: &Person) -> Option<String> {
    match p.badge {
        Some(b) => Some(badge_text(lang, b)),
        None if p.is_registered() => Some(StaffMsg::BadgePending.text(lang).to_owned()),
        None => None,
    }
}

/// A person's gender: from their badge, or as given at the door.
fn gender_of(p: &Person) -> Option<Gender> {
    p.badge.map(|b| b.gender).or(p.gender)
}

/// How many of one gender hold a place, and how many of those have checked in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GenderCount {
    /// Holding a place (confirmed, or a walk-in queued here).
    pub registered: usize,
    /// Of those, checked in at least once.
    pub checked_in: usize,
}

/// `[men, women]` at one mixer, as this device knows it (its own queued scans included).
pub fn by_gender(here: &OfferingVenue) -> [GenderCount; 2] {
    let mut counts = [GenderCount::default(); 2];
    for a in here.people.iter().filter(|a| a.person.is_registered()) {
        let i = match gender_of(&a.person) {
            Some(Gender::Male) => 0,
            Some(Gender::Female) => 1,
            None => continue,
        };
        counts[i].registered += 1;
        if a.first_in.is_some() {
            counts[i].checked_in += 1;
        }
    }
    counts
}

/// A mixer's roster in its order: men, then women, then anyone whose gender this device does
/// not know, each by badge number (those still without one last), then by name.
pub fn roster_order(people: &[Attendance]) -> Vec<String> {
    let mut ids: Vec<(u8, u16, &str, &str)> = people
        .iter()
        .map(|a| {
            let p = &a.person;
            let group = match gender_of(p) {
                Some(Gender::Male) => 0,
                Some(Gender::Female) => 1,
                None => 2,
            };
            let number = p.badge.map_or(u16::MAX, |b| b.number);
            (
                group,
                number,
                p.display_name.as_str(),
                p.registration_id.as_str(),
            )
        })
        .collect();
    domain::sort::sort(&mut ids);
    ids.into_iter().map(|(_, _, _, id)| id.to_owned()).collect()
}

/// Places a walk-in of `gender` may still take: the pool's free places as last synced, less the
/// walk-ins of that gender registered on this device and not yet counted by the server.
pub fn walk_in_left(offering: &Offering, here: &OfferingVenue, gender: Gender) -> u32 {
    let free = offering.pool(gender.pool()).map_or(0, |p| p.seats_left());
    let queued = here
        .people
        .iter()
        .filter(|a| {
            let p = &a.person;
            p.source == Source::LocalWalkIn && p.is_registered() && p.gender == Some(gender)
        })
        .count() as u32;
    free.saturating_sub(queued)
}

/// Where the pick window is, as this screen shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowShown {
    /// Not opened.
    NotOpen,
    /// Opened on this device, not yet confirmed by the server.
    Opening,
    /// Open.
    Open,
    /// Closed: only counts from here on.
    Closed,
}

impl WindowShown {
    /// From the window as last synced, whether an open is queued here, and whether this screen
    /// closed it (the server answered, before the next sync brings the row).
    pub fn of(synced: PickWindow, opening_here: bool, closed_here: bool) -> Self {
        match synced {
            _ if closed_here => Self::Closed,
            PickWindow::Closed => Self::Closed,
            PickWindow::Open => Self::Open,
            PickWindow::NotOpen if opening_here => Self::Opening,
            PickWindow::NotOpen => Self::NotOpen,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Self::NotOpen => "not-open",
            Self::Opening => "opening",
            Self::Open => "open",
            Self::Closed => "closed",
        }
    }

    fn says(self) -> StaffMsg {
        match self {
            Self::NotOpen => StaffMsg::PicksNotOpen,
            Self::Opening => StaffMsg::PicksOpening,
            Self::Open => StaffMsg::PicksOpen,
            Self::Closed => StaffMsg::PicksClosed,
        }
    }
}

/// What a refused close means, in words.
pub fn close_error(e: &api::ApiError) -> AnyMsg {
    match e {
        api::ApiError::Network(_) => StaffMsg::PicksCloseOffline.into(),
        _ if e.code() == Some(ErrorCode::Conflict) => StaffMsg::PicksNotOpenError.into(),
        _ => general_error_msg(e, Msg::ErrServer).into(),
    }
}

fn stat(value: String, label: String, testid: &'static str) -> impl IntoView {
    view! {
        <div class="stat">
            <span class="stat-value" data-testid=testid>{value}</span>
            <span class="stat-label">{label}</span>
        </div>
    }
}

/// 男生签到 / 女生签到: check-ins per gender, with how many hold a place.
#[component]
pub(super) fn GenderCounts(here: Memo<OfferingVenue>) -> impl IntoView {
    let i18n = use_i18n();
    let counts = Memo::new(move |_| here.with(by_gender));
    move || {
        let lang = i18n.lang.get();
        let [men, women] = counts.get();
        let of =
            |c: GenderCount| StaffMsg::CountOfRegistered.fill(lang, &[&c.registered.to_string()]);
        let label = |msg: StaffMsg, c: GenderCount| format!("{} · {}", msg.text(lang), of(c));
        view! {
            <div class="stats stats-two" role="group" aria-label=StaffMsg::MixerCounts.text(lang) aria-live="polite">
                {stat(men.checked_in.to_string(), label(StaffMsg::CountInMale, men), "count-in-male")}
                {stat(women.checked_in.to_string(), label(StaffMsg::CountInFemale, women), "count-in-female")}
            </div>
        }
    }
}

/// The counts after the close: checked in per gender, who picked, pairs matched.
fn results(i18n: I18n, c: &MixerCounts) -> impl IntoView + use<> {
    let lang = i18n.lang.get();
    let n = |v: Option<u32>| v.map(|v| v.to_string()).unwrap_or_else(|| "–".into());
    view! {
        <h3 class="section-title">{StaffMsg::PicksResults.text(lang)}</h3>
        <div class="stats stats-two" data-testid="picks-results">
            {stat(c.checked_in[0].to_string(), StaffMsg::CountInMale.text(lang).to_owned(), "result-in-male")}
            {stat(c.checked_in[1].to_string(), StaffMsg::CountInFemale.text(lang).to_owned(), "result-in-female")}
            {stat(n(c.pickers), StaffMsg::CountPickers.text(lang).to_owned(), "result-pickers")}
            {stat(n(c.pairs), StaffMsg::CountPairs.text(lang).to_owned(), "result-pairs")}
        </div>
    }
}

/// 现场互选: the pick window's state and its controls.
#[component]
pub(super) fn PickWindowCard(offering_id: StoredValue<String>) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let venue = use_venue();
    let session = use_session();
    let synced = RwSignal::new(PickWindow::NotOpen);
    let closed_here = RwSignal::new(false);
    let counts = RwSignal::new(None::<MixerCounts>);
    let busy = RwSignal::new(false);
    let message = RwSignal::new(None::<(bool, AnyMsg)>);
    // The window as last synced: read again after each sync and each action here.
    Effect::new(move |_| {
        sync.synced_at.track();
        venue.data.track();
        leptos::task::spawn_local(async move {
            let w = venue.pick_window(&offering_id.get_value()).await;
            set_if_changed(synced, w);
        });
    });
    let opening = Memo::new(move |_| {
        venue
            .data
            .with(|v| v.opening.contains(&offering_id.get_value()))
    });
    let shown = Memo::new(move |_| WindowShown::of(synced.get(), opening.get(), closed_here.get()));
    // Once closed, the counts from the server (when this screen did not close it itself).
    Effect::new(move |_| {
        if shown.get() != WindowShown::Closed || counts.with_untracked(Option::is_some) {
            return;
        }
        sync.synced_at.track();
        let Some(token) = session.token() else { return };
        leptos::task::spawn_local(async move {
            let result = api::mixer_counts(&token, &offering_id.get_value()).await;
            if let Ok(c) = session.guard(&token, result) {
                counts.set(Some(c));
            }
        });
    });

    let open = move |_| {
        message.set(None);
        leptos::task::spawn_local(async move {
            if let Err(e) = venue.open_picks(&offering_id.get_value()).await {
                message.set(Some((false, e.msg().into())));
            }
        });
    };
    let close = move |_| {
        if busy.get_untracked() {
            return;
        }
        if !sync.online() {
            message.set(Some((false, StaffMsg::PicksCloseOffline.into())));
            return;
        }
        let Some(token) = session.token() else { return };
        busy.set(true);
        message.set(None);
        leptos::task::spawn_local(async move {
            // The check-ins and the open queued here must reach the server first: the close
            // matches only people the server knows are present.
            let outcome = match sync.send_queued().await {
                Err(Unsent::Offline) => Err(StaffMsg::PicksCloseOffline.into()),
                Err(Unsent::NotSent) => Err(StaffMsg::PicksNotSent.into()),
                Ok(()) => {
                    let result = api::close_picks(&token, &offering_id.get_value()).await;
                    session.guard(&token, result).map_err(|e| close_error(&e))
                }
            };
            busy.set(false);
            match outcome {
                Ok(c) => {
                    counts.set(Some(c));
                    closed_here.set(true);
                    message.set(Some((true, StaffMsg::PicksClosedDone.into())));
                    // Every device learns of the close with its next sync; this one now.
                    sync.sync_now();
                }
                Err(msg) => message.set(Some((false, msg))),
            }
        });
    };

    view! {
        <section class="card picks" data-testid="picks">
            <h2 class="card-title">{move || i18n.s(StaffMsg::PicksTitle)}</h2>
            <p class="picks-state" data-testid="picks-state" data-window=move || shown.get().as_str()>
                {move || i18n.s(shown.get().says())}
            </p>
            {move || match shown.get() {
                WindowShown::NotOpen => view! {
                    <div class="actions">
                        <button type="button" class="button button-primary" data-testid="open-picks" on:click=open>
                            {move || i18n.s(StaffMsg::PicksOpenAction)}
                        </button>
                    </div>
                }
                .into_any(),
                WindowShown::Opening | WindowShown::Open => view! {
                    <p class="hint">{move || i18n.s(StaffMsg::PicksCloseHint)}</p>
                    <div class="actions">
                        <button
                            type="button"
                            class="button button-primary"
                            data-testid="close-picks"
                            aria-busy=move || busy.get().then_some("true")
                            disabled=move || busy.get()
                            on:click=close
                        >
                            {move || i18n.s(if busy.get() { StaffMsg::PicksClosing } else { StaffMsg::PicksCloseAction })}
                        </button>
                    </div>
                }
                .into_any(),
                WindowShown::Closed => view! {
                    {move || match counts.get() {
                        Some(c) => results(i18n, &c).into_any(),
                        None => view! { <p class="hint">{i18n.s(StaffMsg::PicksCountsOnline)}</p> }.into_any(),
                    }}
                }
                .into_any(),
            }}
            {move || message.get().map(|(ok, msg)| view! {
                <div
                    class=if ok { "form-message form-message-ok" } else { "form-message form-message-error" }
                    role=if ok { "status" } else { "alert" }
                    data-testid="picks-message"
                >
                    {msg.text(i18n.lang.get())}
                </div>
            })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::{hours::ScanKind, registration::RegistrationStatus};
    use engine::venue::Scan;

    fn person(id: &str, name: &str, badge: Option<&str>, status: RegistrationStatus) -> Person {
        let badge = badge.and_then(Badge::parse);
        Person {
            registration_id: id.into(),
            offering_id: "mixer".into(),
            display_name: name.into(),
            phone: None,
            phone_last4: None,
            status,
            walk_in: false,
            source: Source::Roster,
            gender: badge.map(|b| b.gender),
            badge,
        }
    }

    fn scan(id: &str) -> Scan {
        Scan {
            id: format!("s-{id}"),
            registration_id: id.into(),
            offering_id: "mixer".into(),
            kind: ScanKind::In,
            scanned_at: 1_000,
            at: 1,
            device_id: "d".into(),
            duplicate_of: None,
            pending: true,
            lesson: None,
        }
    }

    fn at(p: Person, inside: bool) -> Attendance {
        let s = inside.then(|| scan(&p.registration_id));
        Attendance {
            person: p,
            first_in: s.clone(),
            last: s,
        }
    }

    fn walk_in(id: &str, gender: Gender, status: RegistrationStatus) -> Person {
        Person {
            walk_in: true,
            source: Source::LocalWalkIn,
            gender: Some(gender),
            ..person(id, "路人", None, status)
        }
    }

    #[test]
    fn badges_read_as_the_gender_in_words_and_two_digits() {
        let b = |s| Badge::parse(s).unwrap();
        assert_eq!(badge_text(Lang::Zh, b("M3")), "男 03");
        assert_eq!(badge_text(Lang::Zh, b("F07")), "女 07");
        assert_eq!(badge_text(Lang::Zh, b("F120")), "女 120");
        assert_eq!(badge_text(Lang::En, b("M03")), "M 03");
        let confirmed = RegistrationStatus::Confirmed;
        assert_eq!(
            badge_line(Lang::Zh, &person("a", "甲", Some("M01"), confirmed)).as_deref(),
            Some("男 01")
        );
        // A walk-in registered here has no number until the server gives it.
        let queued = walk_in("w", Gender::Female, RegistrationStatus::PendingSync);
        assert_eq!(badge_line(Lang::Zh, &queued).as_deref(), Some("号码待同步"));
        // Someone without a place has no number to wait for.
        let waiting = person("b", "乙", None, RegistrationStatus::Waitlisted);
        assert_eq!(badge_line(Lang::Zh, &waiting), None);
    }

    #[test]
    fn check_ins_are_counted_per_gender_among_those_with_a_place() {
        let c = RegistrationStatus::Confirmed;
        let here = OfferingVenue {
            people: vec![
                at(person("1", "甲", Some("M01"), c), true),
                at(person("2", "乙", Some("M02"), c), false),
                at(person("3", "丙", Some("F01"), c), true),
                at(
                    walk_in("4", Gender::Female, RegistrationStatus::PendingSync),
                    true,
                ),
                // Refused at the server (over the quota): holds no place, whatever was scanned.
                at(
                    walk_in("5", Gender::Female, RegistrationStatus::Rejected),
                    true,
                ),
                // Admitted by ticket after the download: gender unknown here.
                at(person("6", "丁", None, c), true),
            ],
            ..Default::default()
        };
        assert_eq!(
            by_gender(&here),
            [
                GenderCount {
                    registered: 2,
                    checked_in: 1
                },
                GenderCount {
                    registered: 2,
                    checked_in: 2
                },
            ]
        );
    }

    #[test]
    fn the_roster_runs_men_then_women_by_number() {
        let c = RegistrationStatus::Confirmed;
        let people = vec![
            at(person("a", "阿", Some("F02"), c), false),
            at(person("b", "白", None, c), false),
            at(person("c", "陈", Some("M10"), c), false),
            at(
                walk_in("d", Gender::Male, RegistrationStatus::PendingSync),
                false,
            ),
            at(person("e", "鄂", Some("M02"), c), false),
            at(person("f", "方", Some("F01"), c), false),
        ];
        assert_eq!(roster_order(&people), ["e", "c", "d", "f", "a", "b"]);
    }

    #[test]
    fn walk_ins_take_only_their_own_genders_free_places() {
        let mut o = crate::test_offering::from_flat(serde_json::json!({
            "id": "mixer", "kind": "mixer", "title": "联谊", "summary": "", "category": "联谊",
            "venue_id": "v", "starts_at": "2026-12-02T19:00:00+08:00",
            "ends_at": "2026-12-02T21:00:00+08:00", "sessions": 1, "capacity": 0,
            "signup_closes_at": "2026-12-01T20:00:00+08:00"
        }));
        o.plan.quotas = vec![
            domain::Quota {
                pool: domain::PoolKey::Male,
                capacity: 3,
            },
            domain::Quota {
                pool: domain::PoolKey::Female,
                capacity: 2,
            },
        ];
        o.counts = vec![
            domain::PoolCount {
                pool: domain::PoolKey::Male,
                seats_taken: 1,
                waitlist_len: 0,
            },
            domain::PoolCount {
                pool: domain::PoolKey::Female,
                seats_taken: 2,
                waitlist_len: 4,
            },
        ];
        assert_eq!(o.kind(), OfferingKind::Mixer);
        let here = OfferingVenue {
            people: vec![
                at(
                    walk_in("w1", Gender::Male, RegistrationStatus::PendingSync),
                    true,
                ),
                at(
                    walk_in("w2", Gender::Male, RegistrationStatus::Rejected),
                    true,
                ),
            ],
            ..Default::default()
        };
        assert_eq!(walk_in_left(&o, &here, Gender::Male), 1);
        assert_eq!(walk_in_left(&o, &here, Gender::Female), 0);
    }

    #[test]
    fn the_window_shows_an_open_queued_here_and_a_close_answered_here() {
        use PickWindow as W;
        use WindowShown as S;
        assert_eq!(S::of(W::NotOpen, false, false), S::NotOpen);
        assert_eq!(S::of(W::NotOpen, true, false), S::Opening);
        assert_eq!(S::of(W::Open, true, false), S::Open);
        assert_eq!(S::of(W::Open, false, true), S::Closed);
        assert_eq!(S::of(W::NotOpen, true, true), S::Closed);
        assert_eq!(S::of(W::Closed, false, false), S::Closed);
    }

    #[test]
    fn a_refused_close_says_why() {
        use crate::api::tests::server;
        assert_eq!(
            close_error(&server(
                ErrorCode::Conflict,
                "the pick window is not open",
                None
            )),
            AnyMsg::Staff(StaffMsg::PicksNotOpenError)
        );
        assert_eq!(
            close_error(&api::ApiError::Network("offline".into())),
            AnyMsg::Staff(StaffMsg::PicksCloseOffline)
        );
        assert_eq!(
            close_error(&server(ErrorCode::Internal, "boom", None)),
            AnyMsg::Main(Msg::ErrServer)
        );
    }
}
