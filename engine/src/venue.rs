//! Venue mode on an organizer's device: who is expected, who came and who left, from the rows the
//! last pull brought (`roster_entry`, `checkin`, `assignment`, `ticket_key`) with the device's own
//! queued scans and walk-ins replayed on top, so that a whole day in airplane mode still shows
//! true counts.
//!
//! Pure: it reads a store once ([`load`]) and computes everything else from plain data. The
//! server stays the authority: it keeps every scan, and flags a second check-in of the same person
//! from another device as a duplicate (`CheckinRow::duplicate_of`). The device only avoids
//! recording what it can already see is a repeat.

use crate::store::{OutboxEntry, Store, StoreError, read_rows};
use domain::{
    hours::ScanKind,
    registration::{Decision, RegistrationStatus},
    sync::{AssignmentRow, CheckinRow, Op, Outcome, RosterEntry},
    ticket::{self, TicketError, TicketKey},
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The row kinds venue mode reads.
pub mod kinds {
    /// People on the rosters of the offerings the organizer runs.
    pub const ROSTER: &str = "roster_entry";
    /// Every stored scan at those offerings.
    pub const CHECKIN: &str = "checkin";
    /// Which offerings the organizer runs (id = offering id).
    pub const ASSIGNMENT: &str = "assignment";
    /// Public keys tickets are verified with.
    pub const TICKET_KEY: &str = "ticket_key";
}

/// Most people a roster search returns.
pub const SEARCH_LIMIT: usize = 50;

/// What the device keeps beside a queued scan or walk-in (the outbox entry's `local`): the
/// arguments do not say which offering a registration belongs to, and a person admitted by ticket
/// is on no roster this device has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanNote {
    /// The offering the scan was made at.
    pub offering_id: String,
    /// The person's name as the device saw it (roster or ticket).
    pub name: String,
}

/// Where the device knows a person from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The downloaded roster.
    Roster,
    /// A walk-in registered on this device, not yet on the downloaded roster.
    LocalWalkIn,
    /// Only their ticket: they signed up after the roster was downloaded.
    Ticket,
}

/// One person expected (or admitted) at an offering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// The registration.
    pub registration_id: String,
    /// The offering.
    pub offering_id: String,
    /// Their name.
    pub display_name: String,
    /// Masked phone (`138****1234`).
    pub phone: Option<String>,
    /// The last four digits.
    pub phone_last4: Option<String>,
    /// The registration's status (`confirmed`, `pending_review` …; `pending_sync` for a walk-in
    /// the server has not answered yet).
    pub status: RegistrationStatus,
    /// Registered at the door.
    pub walk_in: bool,
    /// Where the device knows them from.
    pub source: Source,
    /// A mixer: their badge (a walk-in queued on this device has none until the server gives it).
    pub badge: Option<domain::programme::mixer::Badge>,
    /// A mixer: their gender (from the badge, or as given at the door).
    pub gender: Option<domain::programme::mixer::Gender>,
}

impl Person {
    /// Counts as registered: has a seat (or is a walk-in or ticket holder about to have one).
    pub fn is_registered(&self) -> bool {
        matches!(
            self.status,
            RegistrationStatus::Confirmed | RegistrationStatus::PendingSync
        )
    }

    /// The registration was given up or refused: a ticket for it no longer admits.
    pub fn is_void(&self) -> bool {
        !self.status.is_live()
    }
}

/// One scan at the door, stored on the server or queued on this device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scan {
    /// The scan's id.
    pub id: String,
    /// Whose.
    pub registration_id: String,
    /// The offering (empty when the device cannot tell).
    pub offering_id: String,
    /// In or out.
    pub kind: ScanKind,
    /// The scanning device's clock (Unix ms).
    pub scanned_at: i64,
    /// The best known time (Unix seconds): the server's corrected time once synced, the device's
    /// clock before.
    pub at: i64,
    /// The scanning device.
    pub device_id: String,
    /// The earlier check-in this one repeats (from another device), as the server flagged it.
    pub duplicate_of: Option<String>,
    /// Queued on this device, not yet stored by the server.
    pub pending: bool,
    /// A course's lesson the scan is for (1 = the first).
    pub lesson: Option<u32>,
}

/// Everything venue mode knows, for every offering the organizer runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VenueData {
    /// The offerings the organizer runs.
    pub assignments: Vec<String>,
    /// Ticket verification keys.
    pub keys: Vec<TicketKey>,
    /// Everyone expected or admitted, all offerings.
    pub people: Vec<Person>,
    /// Every scan, all offerings, oldest first.
    pub scans: Vec<Scan>,
    /// Rows on the device this build could not read, left out of the above.
    pub unreadable: usize,
    /// Mixers whose pick window this device opened and the server has not confirmed yet.
    pub opening: Vec<String>,
}

/// The counts at the top of the screen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// 已报名: people with a seat.
    pub registered: usize,
    /// 已签到: people checked in at least once.
    pub checked_in: usize,
    /// 已签退: people whose last scan is a check-out.
    pub checked_out: usize,
}

/// One person's scans at one offering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attendance {
    /// Who.
    pub person: Person,
    /// The earliest check-in (attendance).
    pub first_in: Option<Scan>,
    /// The latest scan, in or out.
    pub last: Option<Scan>,
}

impl Attendance {
    /// In the building now: the last scan is a check-in.
    pub fn inside(&self) -> bool {
        self.last.as_ref().is_some_and(|s| s.kind == ScanKind::In)
    }

    /// Left: the last scan is a check-out.
    pub fn left(&self) -> bool {
        self.last.as_ref().is_some_and(|s| s.kind == ScanKind::Out)
    }
}

/// A check-in the server flagged as a repeat, with the one it repeats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// Whose (name as the device knows it).
    pub name: String,
    /// The flagged scan.
    pub scan: Scan,
    /// The earlier check-in, when the device has it.
    pub original: Option<Scan>,
}

/// Venue mode for one offering.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfferingVenue {
    /// Everyone on the roster or admitted, by name.
    pub people: Vec<Attendance>,
    /// The counts.
    pub counts: Counts,
    /// Repeated check-ins flagged by the server.
    pub duplicates: Vec<Duplicate>,
    /// Walk-ins queued on this device that still hold a seat the server has not counted yet.
    pub local_walk_ins: usize,
}

impl OfferingVenue {
    /// Checked in and never checked out although the activity has ended (`now` and `ends_at` in
    /// Unix seconds): the server closes these at the end and flags the hours.
    pub fn not_checked_out(&self, ends_at: i64, now: i64) -> Vec<&Attendance> {
        if now < ends_at {
            return Vec::new();
        }
        self.people.iter().filter(|a| a.inside()).collect()
    }
}

/// Why a ticket does not admit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The device has no keys yet: download the roster first.
    NoKeys,
    /// Not a valid ticket: forged, altered, or not a ticket at all.
    Invalid,
    /// A real ticket, for another offering.
    WrongOffering,
    /// The registration was cancelled or refused.
    Void {
        /// Whose.
        name: String,
        /// Its status.
        status: RegistrationStatus,
    },
}

/// A ticket that admits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Admission {
    /// The registration.
    pub registration_id: String,
    /// The name (from the roster, else the ticket).
    pub name: String,
    /// On the downloaded roster (else admitted by the ticket's signature alone).
    pub on_roster: bool,
}

/// Whether recording a scan now makes sense.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanCheck {
    /// Record it.
    Record,
    /// A check-out for someone this device never saw checked in (another device may have):
    /// record it, but say so.
    OutWithoutIn,
    /// Already checked in and not out since: this is a repeat; not recorded again.
    AlreadyIn(Scan),
    /// Already checked out: not recorded again.
    AlreadyOut(Scan),
}

/// Reads venue mode's rows and the outbox from the store; rows it cannot read are left out
/// and counted in [`VenueData::unreadable`].
pub async fn load(store: &impl Store) -> Result<VenueData, StoreError> {
    let mut unreadable = 0;
    let roster: Vec<RosterEntry> = read_rows(&store.rows(kinds::ROSTER).await?, &mut unreadable);
    let checkins: Vec<CheckinRow> = read_rows(&store.rows(kinds::CHECKIN).await?, &mut unreadable);
    let assignments: Vec<AssignmentRow> =
        read_rows(&store.rows(kinds::ASSIGNMENT).await?, &mut unreadable);
    let keys: Vec<TicketKey> = read_rows(&store.rows(kinds::TICKET_KEY).await?, &mut unreadable);
    Ok(VenueData {
        unreadable,
        ..VenueData::replay(
            roster,
            checkins,
            assignments.into_iter().map(|a| a.offering_id).collect(),
            keys,
            &store.outbox().await?,
        )
    })
}

fn outcome(entry: &OutboxEntry) -> Option<Outcome> {
    entry
        .outcome
        .as_deref()
        .and_then(|o| crate::from_json(o).ok())
}

fn note(entry: &OutboxEntry) -> Option<ScanNote> {
    entry
        .local
        .as_deref()
        .and_then(|l| crate::from_json(l).ok())
}

impl VenueData {
    /// The base with the outbox replayed: queued walk-ins join the people, queued scans the
    /// scans; actions the server refused are left out.
    pub fn replay(
        roster: Vec<RosterEntry>,
        checkins: Vec<CheckinRow>,
        mut assignments: Vec<String>,
        keys: Vec<TicketKey>,
        outbox: &[OutboxEntry],
    ) -> Self {
        let mut people: Vec<Person> = roster
            .into_iter()
            .map(|r| Person {
                registration_id: r.registration_id,
                offering_id: r.offering_id,
                display_name: r.display_name,
                phone: r.phone,
                phone_last4: r.phone_last4,
                status: r.status,
                walk_in: r.walk_in,
                source: Source::Roster,
                gender: r.badge.map(|b| b.gender),
                badge: r.badge,
            })
            .collect();
        let mut opening = Vec::new();
        let mut scans: Vec<Scan> = checkins
            .into_iter()
            .map(|c| Scan {
                id: c.id,
                registration_id: c.registration_id,
                offering_id: c.offering_id,
                kind: c.kind,
                scanned_at: c.scanned_at,
                at: c.at,
                device_id: c.device_id,
                duplicate_of: c.duplicate_of,
                pending: false,
                lesson: c.lesson,
            })
            .collect();
        for entry in outbox {
            let Ok(args) = crate::from_json(&entry.args) else {
                continue;
            };
            let Ok(op) = Op::parse(&entry.name, &args) else {
                continue;
            };
            let outcome = outcome(entry);
            if matches!(outcome, Some(Outcome::Rejected { .. })) {
                continue;
            }
            match op {
                Op::WalkIn(a) => {
                    if people
                        .iter()
                        .any(|p| p.registration_id == a.registration_id)
                    {
                        continue;
                    }
                    let status = match outcome {
                        Some(Outcome::Applied {
                            decision: Some(Decision { status, .. }),
                        }) => status,
                        _ => RegistrationStatus::PendingSync,
                    };
                    people.push(Person {
                        registration_id: a.registration_id,
                        offering_id: a.offering_id,
                        display_name: a.display_name,
                        phone: None,
                        phone_last4: (!a.phone_last4.is_empty()).then_some(a.phone_last4),
                        status,
                        walk_in: true,
                        source: Source::LocalWalkIn,
                        badge: None,
                        gender: a.gender,
                    });
                }
                Op::CheckinRecord(a) => {
                    if scans.iter().any(|s| s.id == a.checkin_id) {
                        continue;
                    }
                    let note = note(entry);
                    let known = people
                        .iter_mut()
                        .find(|p| p.registration_id == a.registration_id)
                        .map(|p| {
                            // Only a valid ticket admits someone the roster had as not yet
                            // confirmed (approved after the download): their seat is certain.
                            if note.is_some() && !p.is_registered() && !p.is_void() {
                                p.status = RegistrationStatus::Confirmed;
                            }
                            p.offering_id.clone()
                        });
                    let offering_id = known
                        .clone()
                        .or_else(|| note.as_ref().map(|n| n.offering_id.clone()))
                        .unwrap_or_default();
                    if known.is_none()
                        && let Some(n) = &note
                    {
                        // Admitted by ticket: they signed up after the download.
                        people.push(Person {
                            registration_id: a.registration_id.clone(),
                            offering_id: n.offering_id.clone(),
                            display_name: n.name.clone(),
                            phone: None,
                            phone_last4: None,
                            status: RegistrationStatus::Confirmed,
                            walk_in: false,
                            source: Source::Ticket,
                            badge: None,
                            gender: None,
                        });
                    }
                    scans.push(Scan {
                        id: a.checkin_id,
                        registration_id: a.registration_id,
                        offering_id,
                        kind: a.kind,
                        scanned_at: a.scanned_at,
                        at: a.scanned_at.div_euclid(1000),
                        device_id: a.device_id,
                        duplicate_of: None,
                        pending: outcome.is_none(),
                        lesson: a.lesson,
                    });
                }
                Op::MixerOpen(a) => {
                    if outcome.is_none() {
                        opening.push(a.offering_id);
                    }
                }
                Op::RegistrationRequest(_)
                | Op::RegistrationCancel(_)
                | Op::ReviewDecide(_)
                | Op::HoursCorrect(_)
                | Op::CourseConfirm(_)
                | Op::CourseRate(_)
                | Op::MixerProfile(_)
                | Op::MixerPick(_)
                | Op::HoursRequest(_)
                | Op::HoursAnswer(_) => {}
            }
        }
        // A check-in and a check-out in the same second: the check-in first.
        domain::sort::sort_by(&mut scans, |a, b| {
            (a.at, a.kind == ScanKind::Out, a.scanned_at, &a.id).cmp(&(
                b.at,
                b.kind == ScanKind::Out,
                b.scanned_at,
                &b.id,
            ))
        });
        domain::sort::sort(&mut assignments);
        assignments.dedup();
        Self {
            assignments,
            keys,
            people,
            scans,
            unreadable: 0,
            opening,
        }
    }

    /// The person with this registration, if the device knows them.
    pub fn person(&self, registration_id: &str) -> Option<&Person> {
        self.people
            .iter()
            .find(|p| p.registration_id == registration_id)
    }

    /// Venue mode for one offering. A course's door is for one lesson (`lesson`, today's):
    /// who came, the counts and the repeats are that lesson's scans only, so a learner checked
    /// in last week is expected again. An activity's scans name no lesson (`None`).
    pub fn offering(&self, offering_id: &str, lesson: Option<u32>) -> OfferingVenue {
        let scans = || self.scans.iter().filter(move |s| s.lesson == lesson);
        // One pass over the scans (rosters run to thousands of people).
        let mut by_person: HashMap<&str, (Option<&Scan>, Option<&Scan>)> = HashMap::new();
        for s in scans() {
            let (first_in, last) = by_person.entry(s.registration_id.as_str()).or_default();
            if s.kind == ScanKind::In && first_in.is_none() {
                *first_in = Some(s);
            }
            *last = Some(s);
        }
        let mut people: Vec<Attendance> = self
            .people
            .iter()
            .filter(|p| p.offering_id == offering_id)
            .map(|p| {
                let (first_in, last) = by_person
                    .get(p.registration_id.as_str())
                    .copied()
                    .unwrap_or_default();
                Attendance {
                    person: p.clone(),
                    first_in: first_in.cloned(),
                    last: last.cloned(),
                }
            })
            .collect();
        domain::sort::sort_by(&mut people, |a, b| {
            a.person
                .display_name
                .cmp(&b.person.display_name)
                .then_with(|| a.person.registration_id.cmp(&b.person.registration_id))
        });
        let counts = Counts {
            registered: people.iter().filter(|a| a.person.is_registered()).count(),
            checked_in: people.iter().filter(|a| a.first_in.is_some()).count(),
            checked_out: people.iter().filter(|a| a.left()).count(),
        };
        let duplicates = scans()
            .filter(|s| s.offering_id == offering_id && s.duplicate_of.is_some())
            .map(|s| Duplicate {
                name: self
                    .person(&s.registration_id)
                    .map(|p| p.display_name.clone())
                    .unwrap_or_default(),
                scan: s.clone(),
                original: self
                    .scans
                    .iter()
                    .find(|o| Some(o.id.as_str()) == s.duplicate_of.as_deref())
                    .cloned(),
            })
            .collect();
        let local_walk_ins = people
            .iter()
            .filter(|a| a.person.source == Source::LocalWalkIn && a.person.is_registered())
            .count();
        OfferingVenue {
            people,
            counts,
            duplicates,
            local_walk_ins,
        }
    }

    /// Verifies a ticket on the device for `offering_id`: the signature against the downloaded
    /// keys, then the registration against the roster. A valid ticket for someone not on the
    /// roster admits them (they signed up after the download).
    pub fn admit(&self, ticket: &str, offering_id: &str) -> Result<Admission, Refusal> {
        if self.keys.is_empty() {
            return Err(Refusal::NoKeys);
        }
        let claims = ticket::verify(ticket, &self.keys, offering_id).map_err(|e| match e {
            TicketError::WrongOffering => Refusal::WrongOffering,
            TicketError::Malformed | TicketError::UnknownKey | TicketError::BadSignature => {
                Refusal::Invalid
            }
        })?;
        match self.person(&claims.registration_id) {
            Some(p) if p.is_void() => Err(Refusal::Void {
                name: p.display_name.clone(),
                status: p.status,
            }),
            Some(p) => Ok(Admission {
                registration_id: p.registration_id.clone(),
                name: p.display_name.clone(),
                on_roster: p.source == Source::Roster,
            }),
            None => Ok(Admission {
                registration_id: claims.registration_id,
                name: claims.name,
                on_roster: false,
            }),
        }
    }

    /// Whether a scan of `kind` for this registration is worth recording, from what this device
    /// has seen (its own scans and those the last pull brought).
    /// A course's scan is for `lesson`: one attendance per lesson, so an earlier check-in for
    /// the same lesson is a repeat.
    pub fn check_scan(
        &self,
        registration_id: &str,
        kind: ScanKind,
        lesson: Option<u32>,
    ) -> ScanCheck {
        if let Some(lesson) = lesson {
            return match self.scans.iter().find(|s| {
                s.registration_id == registration_id
                    && s.lesson == Some(lesson)
                    && s.kind == ScanKind::In
            }) {
                Some(s) => ScanCheck::AlreadyIn(s.clone()),
                None => ScanCheck::Record,
            };
        }
        let mine: Vec<&Scan> = self
            .scans
            .iter()
            .filter(|s| s.registration_id == registration_id)
            .collect();
        let last = mine.last().copied();
        match (kind, last) {
            (ScanKind::In, Some(s)) if s.kind == ScanKind::In => ScanCheck::AlreadyIn(s.clone()),
            (ScanKind::In, _) => ScanCheck::Record,
            (ScanKind::Out, Some(s)) if s.kind == ScanKind::Out => ScanCheck::AlreadyOut(s.clone()),
            (ScanKind::Out, Some(_)) => ScanCheck::Record,
            (ScanKind::Out, None) => ScanCheck::OutWithoutIn,
        }
    }

    /// The lessons a learner attended, by number, from every scan this device knows.
    pub fn lessons_attended(&self, registration_id: &str) -> Vec<u32> {
        let mut lessons: Vec<u32> = self
            .scans
            .iter()
            .filter(|s| s.registration_id == registration_id && s.kind == ScanKind::In)
            .filter_map(|s| s.lesson)
            .collect();
        lessons.sort_unstable();
        lessons.dedup();
        lessons
    }

    /// People at `offering_id` whose name contains `query`, or whose phone ends in it (the last
    /// four digits); everyone when the query is empty. At most [`SEARCH_LIMIT`].
    pub fn search<'a>(&self, venue: &'a OfferingVenue, query: &str) -> Vec<&'a Attendance> {
        let q = query.trim().to_lowercase();
        let digits = !q.is_empty() && q.bytes().all(|b| b.is_ascii_digit());
        venue
            .people
            .iter()
            .filter(|a| {
                let p = &a.person;
                q.is_empty()
                    || p.display_name.to_lowercase().contains(&q)
                    || (digits
                        && (p.phone_last4.as_deref().is_some_and(|l| l.ends_with(&q))
                            || p.phone.as_deref().is_some_and(|ph| ph.ends_with(&q))))
            })
            .take(SEARCH_LIMIT)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::memory::MemoryStore;
    use domain::{
        sync::{CheckinArgs, WalkInArgs},
        ticket::{TicketClaims, public_key, sign},
    };
    use futures::executor::block_on;

    const SECRET: [u8; 32] = [5; 32];
    const ACT: &str = "act-river";
    const R_WANG: &str = "00000000-0000-4000-8000-00000000000a";
    const R_LI: &str = "00000000-0000-4000-8000-00000000000b";
    const R_LATE: &str = "00000000-0000-4000-8000-00000000000c";
    const R_WALK: &str = "00000000-0000-4000-8000-00000000000d";

    fn keys() -> Vec<TicketKey> {
        vec![TicketKey {
            id: 1,
            public_key: public_key(&SECRET),
        }]
    }

    fn ticket(registration_id: &str, offering_id: &str, name: &str) -> String {
        sign(
            &SECRET,
            &TicketClaims {
                key_id: 1,
                registration_id: registration_id.into(),
                offering_id: offering_id.into(),
                name: name.into(),
            },
        )
    }

    fn entry(id: &str, name: &str, status: &str) -> RosterEntry {
        RosterEntry {
            registration_id: id.into(),
            offering_id: ACT.into(),
            display_name: name.into(),
            phone: Some("139****0003".into()),
            phone_last4: Some("0003".into()),
            status: RegistrationStatus::parse(status).expect("a status"),
            walk_in: false,
            badge: None,
        }
    }

    fn roster() -> Vec<RosterEntry> {
        vec![
            entry(R_WANG, "王青青", "confirmed"),
            RosterEntry {
                phone: Some("138****1234".into()),
                phone_last4: Some("1234".into()),
                ..entry(R_LI, "李明", "confirmed")
            },
        ]
    }

    fn stored(id: &str, reg: &str, kind: ScanKind, at: i64, device: &str) -> CheckinRow {
        CheckinRow {
            id: id.into(),
            registration_id: reg.into(),
            offering_id: ACT.into(),
            kind,
            scanned_at: at * 1000,
            at,
            device_id: device.into(),
            duplicate_of: None,
            lesson: None,
        }
    }

    fn queued(mid: u64, op: Op, local: Option<ScanNote>, outcome: Option<&str>) -> OutboxEntry {
        OutboxEntry {
            id: mid,
            name: op.name().into(),
            args: op.args().to_string(),
            created_at: 0,
            local: local.map(|l| serde_json::to_string(&l).unwrap()),
            outcome: outcome.map(str::to_owned),
        }
    }

    fn scan_op(id: &str, reg: &str, kind: ScanKind, at_ms: i64) -> Op {
        Op::CheckinRecord(CheckinArgs {
            checkin_id: id.into(),
            registration_id: reg.into(),
            kind,
            scanned_at: at_ms,
            device_id: "device-a".into(),
            lesson: None,
        })
    }

    fn uuid(n: u8) -> String {
        format!("00000000-0000-4000-8000-0000000001{n:02}")
    }

    #[test]
    fn counts_come_from_the_base_with_queued_scans_replayed() {
        let base = vec![stored(&uuid(1), R_WANG, ScanKind::In, 1_000, "device-b")];
        let outbox = [
            queued(
                1,
                scan_op(&uuid(2), R_LI, ScanKind::In, 1_100_000),
                None,
                None,
            ),
            queued(
                2,
                scan_op(&uuid(3), R_LI, ScanKind::Out, 1_200_000),
                None,
                None,
            ),
        ];
        let data = VenueData::replay(roster(), base, vec![ACT.into()], keys(), &outbox);
        let v = data.offering(ACT, None);
        assert_eq!(
            v.counts,
            Counts {
                registered: 2,
                checked_in: 2,
                checked_out: 1
            }
        );
        let li = v
            .people
            .iter()
            .find(|a| a.person.display_name == "李明")
            .unwrap();
        assert!(li.left() && li.last.as_ref().unwrap().pending);
        let wang = v
            .people
            .iter()
            .find(|a| a.person.display_name == "王青青")
            .unwrap();
        assert!(wang.inside() && !wang.first_in.as_ref().unwrap().pending);
    }

    #[test]
    fn refused_scans_and_walk_ins_are_left_out() {
        let rejected = r#"{"outcome":"rejected","code":"forbidden"}"#;
        let outbox = [
            queued(
                1,
                scan_op(&uuid(1), R_LI, ScanKind::In, 5_000),
                None,
                Some(rejected),
            ),
            queued(
                2,
                Op::WalkIn(WalkInArgs {
                    registration_id: R_WALK.into(),
                    offering_id: ACT.into(),
                    display_name: "路人甲".into(),
                    phone_last4: "8888".into(),
                    gender: None,
                }),
                None,
                Some(r#"{"outcome":"applied","decision":{"status":"rejected","reason":"full"}}"#),
            ),
        ];
        let data = VenueData::replay(roster(), vec![], vec![], keys(), &outbox);
        let v = data.offering(ACT, None);
        assert_eq!(v.counts.checked_in, 0);
        // The walk-in the server refused as full shows, but holds no seat.
        assert_eq!(v.counts.registered, 2);
        assert_eq!(v.local_walk_ins, 0);
    }

    #[test]
    fn a_queued_walk_in_holds_a_seat_and_can_be_found_by_its_last_digits() {
        let outbox = [queued(
            1,
            Op::WalkIn(WalkInArgs {
                registration_id: R_WALK.into(),
                offering_id: ACT.into(),
                display_name: "路人甲".into(),
                phone_last4: "8888".into(),
                gender: None,
            }),
            None,
            None,
        )];
        let data = VenueData::replay(roster(), vec![], vec![], keys(), &outbox);
        let v = data.offering(ACT, None);
        assert_eq!((v.counts.registered, v.local_walk_ins), (3, 1));
        let found = data.search(&v, "8888");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].person.status, RegistrationStatus::PendingSync);
        assert_eq!(data.search(&v, "1234")[0].person.display_name, "李明");
        assert_eq!(data.search(&v, "青青")[0].person.registration_id, R_WANG);
        assert_eq!(data.search(&v, "").len(), 3);
        assert!(data.search(&v, "nobody").is_empty());
    }

    #[test]
    fn tickets_are_verified_on_the_device() {
        let data = VenueData::replay(
            vec![
                entry(R_WANG, "王青青", "confirmed"),
                entry(R_LI, "李明", "cancelled"),
            ],
            vec![],
            vec![ACT.into()],
            keys(),
            &[],
        );
        assert_eq!(
            data.admit(&ticket(R_WANG, ACT, "王青青"), ACT),
            Ok(Admission {
                registration_id: R_WANG.into(),
                name: "王青青".into(),
                on_roster: true
            })
        );
        // Registered after the download: admitted by the signature.
        assert_eq!(
            data.admit(&ticket(R_LATE, ACT, "晚报名"), ACT),
            Ok(Admission {
                registration_id: R_LATE.into(),
                name: "晚报名".into(),
                on_roster: false
            })
        );
        assert_eq!(
            data.admit(&ticket(R_WANG, "act-other", "王青青"), ACT),
            Err(Refusal::WrongOffering)
        );
        let real = ticket(R_WANG, ACT, "王青青");
        let forged = format!("{}A", &real[..real.len() - 1]);
        let forged = if forged == real {
            format!("{}B", &real[..real.len() - 1])
        } else {
            forged
        };
        assert_eq!(data.admit(&forged, ACT), Err(Refusal::Invalid));
        assert_eq!(data.admit("hello", ACT), Err(Refusal::Invalid));
        let foreign = sign(
            &[9; 32],
            &TicketClaims {
                key_id: 1,
                registration_id: R_WANG.into(),
                offering_id: ACT.into(),
                name: "王青青".into(),
            },
        );
        assert_eq!(data.admit(&foreign, ACT), Err(Refusal::Invalid));
        assert_eq!(
            data.admit(&ticket(R_LI, ACT, "李明"), ACT),
            Err(Refusal::Void {
                name: "李明".into(),
                status: RegistrationStatus::Cancelled
            })
        );
        let no_keys = VenueData::default();
        assert_eq!(no_keys.admit(&real, ACT), Err(Refusal::NoKeys));
    }

    #[test]
    fn a_person_admitted_by_ticket_joins_the_people_with_their_scan() {
        let note = ScanNote {
            offering_id: ACT.into(),
            name: "晚报名".into(),
        };
        let outbox = [queued(
            1,
            scan_op(&uuid(1), R_LATE, ScanKind::In, 9_000_000),
            Some(note),
            None,
        )];
        let data = VenueData::replay(roster(), vec![], vec![], keys(), &outbox);
        let v = data.offering(ACT, None);
        assert_eq!(v.counts.registered, 3);
        assert_eq!(v.counts.checked_in, 1);
        let late = data.person(R_LATE).unwrap();
        assert_eq!(
            (late.source, late.display_name.as_str()),
            (Source::Ticket, "晚报名")
        );
        // On the roster as still awaiting review when it was downloaded, then approved: the
        // ticket admitted them, so they count as registered.
        let stale = vec![entry(R_LATE, "晚报名", "pending_review")];
        let data = VenueData::replay(stale.clone(), vec![], vec![], keys(), &[]);
        assert_eq!(data.offering(ACT, None).counts.registered, 0);
        let data = VenueData::replay(stale, vec![], vec![], keys(), &outbox);
        assert_eq!(data.offering(ACT, None).counts.registered, 1);
        assert_eq!(data.person(R_LATE).unwrap().source, Source::Roster);
        // Once the pull brings them on the roster, the roster is used.
        let mut with_late = roster();
        with_late.push(entry(R_LATE, "晚报名", "confirmed"));
        let data = VenueData::replay(with_late, vec![], vec![], keys(), &outbox);
        assert_eq!(data.person(R_LATE).unwrap().source, Source::Roster);
        assert_eq!(data.offering(ACT, None).counts.registered, 3);
    }

    #[test]
    fn repeats_are_recognised_before_they_are_recorded() {
        let base = vec![stored(&uuid(1), R_WANG, ScanKind::In, 1_000, "device-b")];
        let data = VenueData::replay(roster(), base, vec![], keys(), &[]);
        assert!(matches!(
            data.check_scan(R_WANG, ScanKind::In, None),
            ScanCheck::AlreadyIn(s) if s.device_id == "device-b"
        ));
        assert_eq!(
            data.check_scan(R_WANG, ScanKind::Out, None),
            ScanCheck::Record
        );
        assert_eq!(data.check_scan(R_LI, ScanKind::In, None), ScanCheck::Record);
        assert_eq!(
            data.check_scan(R_LI, ScanKind::Out, None),
            ScanCheck::OutWithoutIn
        );
        let outbox = [queued(
            1,
            scan_op(&uuid(2), R_WANG, ScanKind::Out, 2_000_000),
            None,
            None,
        )];
        let base = vec![stored(&uuid(1), R_WANG, ScanKind::In, 1_000, "device-b")];
        let data = VenueData::replay(roster(), base, vec![], keys(), &outbox);
        assert!(matches!(
            data.check_scan(R_WANG, ScanKind::Out, None),
            ScanCheck::AlreadyOut(_)
        ));
        // Back in after leaving: a new stay.
        assert_eq!(
            data.check_scan(R_WANG, ScanKind::In, None),
            ScanCheck::Record
        );
    }

    #[test]
    fn a_course_scan_repeats_only_within_its_lesson() {
        let lesson = |n: u32, id: u8, device: &str| CheckinRow {
            lesson: Some(n),
            ..stored(
                &uuid(id),
                R_WANG,
                ScanKind::In,
                1_000 + u64::from(id) as i64,
                device,
            )
        };
        let base = vec![lesson(1, 1, "device-b")];
        // Lesson 2 scanned on this device, still queued.
        let mut second = scan_op(&uuid(3), R_WANG, ScanKind::In, 2_000_000);
        if let Op::CheckinRecord(a) = &mut second {
            a.lesson = Some(2);
        }
        let outbox = [queued(1, second, None, None)];
        let data = VenueData::replay(roster(), base, vec![], keys(), &outbox);
        assert!(matches!(
            data.check_scan(R_WANG, ScanKind::In, Some(1)),
            ScanCheck::AlreadyIn(s) if s.device_id == "device-b"
        ));
        assert!(matches!(
            data.check_scan(R_WANG, ScanKind::In, Some(2)),
            ScanCheck::AlreadyIn(s) if s.pending
        ));
        assert_eq!(
            data.check_scan(R_WANG, ScanKind::In, Some(3)),
            ScanCheck::Record
        );
        assert_eq!(data.lessons_attended(R_WANG), vec![1, 2]);
        assert_eq!(data.lessons_attended(R_LI), Vec::<u32>::new());
    }

    #[test]
    fn a_course_door_shows_the_lesson_of_the_day_only() {
        let lesson = |n: u32, id: u8, reg: &str, device: &str| CheckinRow {
            lesson: Some(n),
            ..stored(&uuid(id), reg, ScanKind::In, 1_000 + i64::from(id), device)
        };
        // Lesson 1: 王青青 at two doors (the second flagged); lesson 2: 李明, queued here.
        let base = vec![
            lesson(1, 1, R_WANG, "device-b"),
            CheckinRow {
                duplicate_of: Some(uuid(1)),
                ..lesson(1, 2, R_WANG, "device-c")
            },
        ];
        let mut second = scan_op(&uuid(3), R_LI, ScanKind::In, 2_000_000);
        if let Op::CheckinRecord(a) = &mut second {
            a.lesson = Some(2);
        }
        let data = VenueData::replay(
            roster(),
            base,
            vec![],
            keys(),
            &[queued(1, second, None, None)],
        );
        let inside = |v: &OfferingVenue, reg: &str| {
            v.people
                .iter()
                .find(|a| a.person.registration_id == reg)
                .unwrap()
                .inside()
        };

        let first = data.offering(ACT, Some(1));
        assert_eq!(first.counts.checked_in, 1);
        assert!(inside(&first, R_WANG) && !inside(&first, R_LI));
        assert_eq!(first.duplicates.len(), 1);

        // A week on, 王青青 is expected again: her row offers 签到 for lesson 2.
        let second = data.offering(ACT, Some(2));
        assert_eq!(second.counts.checked_in, 1);
        assert!(!inside(&second, R_WANG) && inside(&second, R_LI));
        assert!(second.duplicates.is_empty());

        assert_eq!(data.offering(ACT, Some(3)).counts.checked_in, 0);
        assert_eq!(data.offering(ACT, Some(3)).counts.registered, 2);
    }

    #[test]
    fn duplicates_show_both_devices_and_times() {
        let first = stored(&uuid(1), R_WANG, ScanKind::In, 1_000, "device-a");
        let second = CheckinRow {
            duplicate_of: Some(uuid(1)),
            ..stored(&uuid(2), R_WANG, ScanKind::In, 1_300, "device-b")
        };
        let data = VenueData::replay(roster(), vec![second, first], vec![], keys(), &[]);
        let v = data.offering(ACT, None);
        assert_eq!(v.counts.checked_in, 1, "one attendance");
        assert_eq!(v.duplicates.len(), 1);
        let d = &v.duplicates[0];
        assert_eq!(d.name, "王青青");
        assert_eq!((d.scan.device_id.as_str(), d.scan.at), ("device-b", 1_300));
        let o = d.original.as_ref().unwrap();
        assert_eq!((o.device_id.as_str(), o.at), ("device-a", 1_000));
        assert_eq!(
            v.people
                .iter()
                .find(|a| a.person.registration_id == R_WANG)
                .unwrap()
                .first_in
                .as_ref()
                .unwrap()
                .id,
            uuid(1)
        );
    }

    #[test]
    fn check_ins_never_closed_show_after_the_end_only() {
        let base = vec![
            stored(&uuid(1), R_WANG, ScanKind::In, 1_000, "device-a"),
            stored(&uuid(2), R_LI, ScanKind::In, 1_000, "device-a"),
            stored(&uuid(3), R_LI, ScanKind::Out, 2_000, "device-a"),
        ];
        let data = VenueData::replay(roster(), base, vec![], keys(), &[]);
        let v = data.offering(ACT, None);
        assert!(v.not_checked_out(5_000, 4_999).is_empty());
        let open = v.not_checked_out(5_000, 5_000);
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].person.display_name, "王青青");
    }

    #[test]
    fn load_reads_the_rows_and_the_outbox() {
        block_on(async {
            let store = MemoryStore::new();
            let mut rows = vec![
                crate::store::Row::new(
                    kinds::ASSIGNMENT,
                    ACT,
                    &AssignmentRow {
                        offering_id: ACT.into(),
                    },
                )
                .unwrap(),
                crate::store::Row::new(kinds::TICKET_KEY, "1", &keys()[0]).unwrap(),
            ];
            for r in roster() {
                rows.push(
                    crate::store::Row::new(kinds::ROSTER, &r.registration_id.clone(), &r).unwrap(),
                );
            }
            store.put_rows(rows).await.unwrap();
            let op = scan_op(&uuid(1), R_WANG, ScanKind::In, 1_000_000);
            store
                .enqueue(op.name(), op.args().to_string(), 0, None)
                .await
                .unwrap();
            let data = load(&store).await.unwrap();
            assert_eq!(data.assignments, [ACT]);
            assert_eq!(data.keys.len(), 1);
            assert_eq!(data.offering(ACT, None).counts.checked_in, 1);
        });
    }
}
