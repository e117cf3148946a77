//! The editor's fields, one signal each, and the form they make.

use crate::offering_form::{OfferingForm, QuestionDraft};
use domain::{OfferingKind, registration::Allocation};
use leptos::prelude::*;

/// The editor fields, one signal each (so the shared field components can bind them).
#[derive(Clone, Copy)]
pub(super) struct Fields {
    pub(super) kind: RwSignal<String>,
    pub(super) title: RwSignal<String>,
    pub(super) summary: RwSignal<String>,
    pub(super) category: RwSignal<String>,
    pub(super) venue_id: RwSignal<String>,
    pub(super) starts_at: RwSignal<String>,
    pub(super) ends_at: RwSignal<String>,
    pub(super) signup_opens_at: RwSignal<String>,
    pub(super) signup_closes_at: RwSignal<String>,
    pub(super) sessions: RwSignal<String>,
    pub(super) capacity: RwSignal<String>,
    pub(super) capacity_female: RwSignal<String>,
    pub(super) min_age: RwSignal<String>,
    pub(super) max_age: RwSignal<String>,
    pub(super) picks: RwSignal<String>,
    pub(super) volunteer_hours: RwSignal<String>,
    pub(super) planned_hours: RwSignal<String>,
    pub(super) min_share_percent: RwSignal<String>,
    pub(super) requires_approval: RwSignal<bool>,
    pub(super) waitlist_enabled: RwSignal<bool>,
    pub(super) allocation: RwSignal<String>,
    pub(super) questions: RwSignal<Vec<QuestionDraft>>,
    pub(super) organizers: RwSignal<Vec<String>>,
    /// The programme of the offering being edited (what the form does not show is kept).
    pub(super) programme: StoredValue<Option<domain::Programme>>,
}

impl Fields {
    pub(super) fn new(f: OfferingForm) -> Self {
        Self {
            kind: RwSignal::new(f.kind.as_str().to_owned()),
            title: RwSignal::new(f.title),
            summary: RwSignal::new(f.summary),
            category: RwSignal::new(f.category),
            venue_id: RwSignal::new(f.venue_id),
            starts_at: RwSignal::new(f.starts_at),
            ends_at: RwSignal::new(f.ends_at),
            signup_opens_at: RwSignal::new(f.signup_opens_at),
            signup_closes_at: RwSignal::new(f.signup_closes_at),
            sessions: RwSignal::new(f.sessions),
            capacity: RwSignal::new(f.capacity),
            capacity_female: RwSignal::new(f.capacity_female),
            min_age: RwSignal::new(f.min_age),
            max_age: RwSignal::new(f.max_age),
            picks: RwSignal::new(f.picks),
            volunteer_hours: RwSignal::new(f.volunteer_hours),
            planned_hours: RwSignal::new(f.planned_hours),
            min_share_percent: RwSignal::new(f.min_share_percent),
            requires_approval: RwSignal::new(f.requires_approval),
            waitlist_enabled: RwSignal::new(f.waitlist_enabled),
            allocation: RwSignal::new(f.allocation.as_str().to_owned()),
            questions: RwSignal::new(f.questions),
            organizers: RwSignal::new(f.organizer_ids),
            programme: StoredValue::new(f.programme),
        }
    }

    pub(super) fn form(&self) -> OfferingForm {
        OfferingForm {
            kind: OfferingKind::parse(&self.kind.get_untracked()).unwrap_or(OfferingKind::Activity),
            title: self.title.get_untracked(),
            summary: self.summary.get_untracked(),
            category: self.category.get_untracked(),
            venue_id: self.venue_id.get_untracked(),
            starts_at: self.starts_at.get_untracked(),
            ends_at: self.ends_at.get_untracked(),
            signup_opens_at: self.signup_opens_at.get_untracked(),
            signup_closes_at: self.signup_closes_at.get_untracked(),
            sessions: self.sessions.get_untracked(),
            capacity: self.capacity.get_untracked(),
            capacity_female: self.capacity_female.get_untracked(),
            min_age: self.min_age.get_untracked(),
            max_age: self.max_age.get_untracked(),
            picks: self.picks.get_untracked(),
            volunteer_hours: self.volunteer_hours.get_untracked(),
            planned_hours: self.planned_hours.get_untracked(),
            min_share_percent: self.min_share_percent.get_untracked(),
            requires_approval: self.requires_approval.get_untracked(),
            waitlist_enabled: self.waitlist_enabled.get_untracked(),
            allocation: Allocation::parse(&self.allocation.get_untracked()).unwrap_or_default(),
            questions: self.questions.get_untracked(),
            organizer_ids: self.organizers.get_untracked(),
            programme: self.programme.get_value(),
        }
    }
}
