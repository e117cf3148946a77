//! A young person's registrations on this device: signing up and cancelling, and for a course
//! confirming or declining a won place and rating it (queued here, the server decides when it
//! is reached), what they show as (base + outbox), and the notices about
//! what the server decided otherwise or refused.

use super::{
    action_error::ActionError,
    sync::{EngineSlot, now_ms, use_sync, uuid_v4},
};
use crate::format;
use domain::{
    Offering, PoolKey,
    programme::mixer::{Badge, MixerProfile, PickWindow},
    registration::{RegistrationStatus, RejectReason},
    signup::{Applicant, decide, pool_for},
    sync::{
        CancelArgs, ConfirmArgs, HoursAnswerArgs, HoursRequestArgs, Op, PickArgs, PickWindowRow,
        ProfileArgs, RateArgs, RequestArgs,
    },
};
use engine::{
    Notice,
    view::{HoursRequestView, RegistrationView},
};
use leptos::prelude::*;
use serde_json::{Map, Value};

/// The person's registrations and notices, and the actions on them.
#[derive(Clone, Copy)]
pub struct Registrations {
    /// The person's registrations, as the screen shows them (base + outbox).
    pub list: RwSignal<Vec<RegistrationView>>,
    /// Things the person should be told (the server decided otherwise, or refused).
    pub notices: RwSignal<Vec<Notice>>,
    /// The person's mixer profile, and whether a change of it waits to be sent.
    pub mixer_profile: RwSignal<Option<(MixerProfile, bool)>>,
    /// Where each mixer's pick window is, as last synced.
    pub pick_windows: RwSignal<Vec<PickWindowRow>>,
    /// Correction requests of hours: the person's own (and, on an organizer's or admin's
    /// device, those they may answer), queued ones included.
    pub hours_requests: RwSignal<Vec<HoursRequestView>>,
    slot: EngineSlot,
}

/// For a mixer: the pool the person's place would come from (their profile's gender) and why
/// they may not sign up, if they may not; for other kinds, the offering's one pool. The same
/// decision the server takes (`MixerRules::eligibility`), from what this device knows.
pub fn mixer_applicant(
    offering: &Offering,
    profile: Option<&MixerProfile>,
    birth_year: Option<i32>,
    year: i32,
) -> (Option<PoolKey>, Option<RejectReason>) {
    let Some(rules) = offering.plan.programme.mixer() else {
        return (pool_for(&offering.plan, None), None);
    };
    match birth_year.map(|b| rules.eligibility(profile, b, year)) {
        Some(Ok(gender)) => (pool_for(&offering.plan, Some(gender)), None),
        Some(Err(reason)) => (None, Some(reason)),
        None => (None, Some(RejectReason::NoProfile)),
    }
}

impl Registrations {
    pub(super) fn new(slot: EngineSlot) -> Self {
        Self {
            list: RwSignal::new(Vec::new()),
            notices: RwSignal::new(Vec::new()),
            mixer_profile: RwSignal::new(None),
            pick_windows: RwSignal::new(Vec::new()),
            hours_requests: RwSignal::new(Vec::new()),
            slot,
        }
    }

    /// Signs up for `offering` on this device with the answers to its questions (checked by the
    /// caller); the server decides when it is reached.
    pub async fn request(
        &self,
        offering: &Offering,
        answers: Map<String, Value>,
    ) -> Result<(), ActionError> {
        let r = self.slot.running()?;
        let (has_live, held) = self.list.with_untracked(|regs| {
            let live = regs.iter().filter(|g| g.status.is_live());
            let has_live = live.clone().any(|g| g.offering_id == offering.id);
            let held: Vec<String> = live.map(|g| g.offering_id.clone()).collect();
            (has_live, held)
        });
        let sync = use_context::<crate::state::sync::SyncState>();
        let term_full = sync.is_some_and(|s| {
            let held: Vec<Offering> = held.iter().filter_map(|id| s.offering(id)).collect();
            domain::signup::term_full(offering, &held)
        });
        // The server's decision, predicted with the counts this device last synced.
        let birth_year = use_context::<crate::state::session::SessionState>().and_then(|s| {
            s.session
                .with_untracked(|s| s.as_ref().map(|s| s.user.birth_year))
        });
        let (pool, ineligible) = self.mixer_profile.with_untracked(|p| {
            mixer_applicant(
                offering,
                p.as_ref().map(|(p, _)| p),
                birth_year,
                format::now().year(),
            )
        });
        let predicted = decide(
            &offering.rules(),
            &Applicant {
                has_live,
                pool,
                term_full,
                ineligible,
            },
            pool.and_then(|p| offering.pool(p)).unwrap_or_default(),
            format::now().unix_timestamp(),
        );
        let op = Op::RegistrationRequest(RequestArgs {
            registration_id: uuid_v4(),
            offering_id: offering.id.clone(),
            answers,
        });
        r.engine.enqueue(&op, now_ms(), Some(predicted)).await?;
        r.after_local_write().await;
        Ok(())
    }

    /// Cancels a registration on this device; the server applies it when reached.
    pub async fn cancel(&self, registration_id: &str) -> Result<(), ActionError> {
        let r = self.slot.running()?;
        let op = Op::RegistrationCancel(CancelArgs {
            registration_id: registration_id.to_owned(),
        });
        r.engine.enqueue(&op, now_ms(), None).await?;
        r.after_local_write().await;
        Ok(())
    }

    /// Takes (`accept`) or gives up a place won in a course's draw, on this device; the server
    /// applies it when reached (and refuses it after the deadline).
    pub async fn confirm(&self, registration_id: &str, accept: bool) -> Result<(), ActionError> {
        let r = self.slot.running()?;
        let op = Op::CourseConfirm(ConfirmArgs {
            registration_id: registration_id.to_owned(),
            accept,
        });
        r.engine.enqueue(&op, now_ms(), None).await?;
        r.after_local_write().await;
        Ok(())
    }

    /// Rates a course (1–5 stars and a comment, checked by the caller) on this device; a later
    /// rating replaces it while the server allows.
    pub async fn rate(
        &self,
        registration_id: &str,
        stars: u8,
        comment: &str,
    ) -> Result<(), ActionError> {
        let r = self.slot.running()?;
        let op = Op::CourseRate(RateArgs {
            registration_id: registration_id.to_owned(),
            stars,
            comment: comment.to_owned(),
        });
        r.engine.enqueue(&op, now_ms(), None).await?;
        r.after_local_write().await;
        Ok(())
    }

    /// Writes the person's mixer profile on this device (checked by the caller); the server
    /// keeps it when reached.
    pub async fn save_profile(&self, profile: MixerProfile) -> Result<(), ActionError> {
        let r = self.slot.running()?;
        let op = Op::MixerProfile(ProfileArgs { profile });
        r.engine.enqueue(&op, now_ms(), None).await?;
        r.after_local_write().await;
        Ok(())
    }

    /// Picks people at a mixer by badge, replacing the earlier picks; they count if the server
    /// receives them before the window closes.
    pub async fn pick(&self, registration_id: &str, badges: Vec<Badge>) -> Result<(), ActionError> {
        let r = self.slot.running()?;
        let op = Op::MixerPick(PickArgs {
            registration_id: registration_id.to_owned(),
            badges,
        });
        r.engine.enqueue(&op, now_ms(), None).await?;
        r.after_local_write().await;
        Ok(())
    }

    /// Asks for the hours of an activity to be corrected to `minutes`, with a reason (checked
    /// by the caller); organizers or admins answer once it reaches the server.
    pub async fn request_hours(
        &self,
        registration_id: &str,
        minutes: u32,
        reason: &str,
    ) -> Result<(), ActionError> {
        let r = self.slot.running()?;
        let op = Op::HoursRequest(HoursRequestArgs {
            request_id: uuid_v4(),
            registration_id: registration_id.to_owned(),
            minutes,
            reason: reason.trim().to_owned(),
        });
        r.engine.enqueue(&op, now_ms(), None).await?;
        r.after_local_write().await;
        Ok(())
    }

    /// Accepts or declines a correction request (organizers of the activity, admins; a
    /// reason is required to decline).
    pub async fn answer_hours(
        &self,
        request_id: &str,
        accept: bool,
        reason: &str,
    ) -> Result<(), ActionError> {
        let r = self.slot.running()?;
        let op = Op::HoursAnswer(HoursAnswerArgs {
            request_id: request_id.to_owned(),
            accept,
            reason: reason.trim().to_owned(),
        });
        r.engine.enqueue(&op, now_ms(), None).await?;
        r.after_local_write().await;
        Ok(())
    }

    /// Where a mixer's pick window is, as last synced.
    pub fn pick_window(&self, offering_id: &str) -> PickWindow {
        self.pick_windows
            .with(|ws| PickWindowRow::state_of(ws, offering_id))
    }

    /// The person's registration for an offering: the live one, else the last cancelled.
    pub fn for_offering(&self, offering_id: &str) -> Option<RegistrationView> {
        self.list.with(|regs| {
            regs.iter()
                .find(|g| g.offering_id == offering_id && g.status != RegistrationStatus::Cancelled)
                .or_else(|| regs.iter().find(|g| g.offering_id == offering_id))
                .cloned()
        })
    }

    /// Forgets the notices shown.
    pub async fn dismiss_notices(&self) {
        if let Some(r) = self.slot.current() {
            let _ = r.engine.dismiss_notices().await;
        }
        self.notices.set(Vec::new());
    }

    /// Nobody signed in: nothing to show.
    pub(super) fn clear(&self) {
        self.list.set(Vec::new());
        self.notices.set(Vec::new());
        self.mixer_profile.set(None);
        self.pick_windows.set(Vec::new());
        self.hours_requests.set(Vec::new());
    }
}

/// The signed-in person's registrations and notices.
pub fn use_registrations() -> Registrations {
    use_sync().registrations
}
