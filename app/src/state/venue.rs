//! Venue mode's data and actions (organizers): the rosters, scans, assignments and ticket keys
//! the person's store has, with queued actions replayed over them; scans at the door, walk-ins
//! and hours corrections, each recorded on this device first.

use super::{
    action_error::ActionError,
    sync::{EngineSlot, now_ms, use_sync, uuid_v4},
};
use domain::{
    hours::ScanKind,
    programme::mixer::{Gender, PickWindow},
    sync::{CheckinArgs, HoursCorrectArgs, Op, OpenPicksArgs, WalkInArgs},
};
use engine::venue::{ScanNote, VenueData};
use leptos::prelude::*;

/// Where this device's id for check-ins is kept (one per browser profile, not per person).
const DEVICE_KEY: &str = "qingtuan.device";

/// This device's id for scans: made once, kept in local storage.
pub fn device_id() -> String {
    use gloo_storage::{LocalStorage, Storage};
    if let Some(id) = crate::dom::saved_setting::<String>(DEVICE_KEY)
        && !id.is_empty()
        && id.len() <= 64
    {
        return id;
    }
    let id = uuid_v4();
    // Private mode: a new id per page load, which only makes duplicates easier to spot.
    let _ = LocalStorage::set(DEVICE_KEY, &id);
    id
}

/// A device id as people read it: its last four characters (`设备 9F2C`).
pub fn short_device(id: &str) -> String {
    let chars: Vec<char> = id.chars().filter(char::is_ascii_alphanumeric).collect();
    chars[chars.len().saturating_sub(4)..]
        .iter()
        .collect::<String>()
        .to_ascii_uppercase()
}

/// Venue mode's data, and the actions at the door.
#[derive(Clone, Copy)]
pub struct VenueMode {
    /// Rosters, scans, assignments and ticket keys, with queued actions replayed.
    pub data: RwSignal<VenueData>,
    slot: EngineSlot,
}

impl VenueMode {
    pub(super) fn new(slot: EngineSlot) -> Self {
        Self {
            data: RwSignal::new(VenueData::default()),
            slot,
        }
    }

    /// Records a scan at the door, on this device first.
    pub async fn scan(
        &self,
        offering_id: &str,
        registration_id: &str,
        name: &str,
        kind: ScanKind,
        lesson: Option<u32>,
    ) -> Result<(), ActionError> {
        let r = self.slot.running()?;
        let op = Op::CheckinRecord(CheckinArgs {
            checkin_id: uuid_v4(),
            registration_id: registration_id.to_owned(),
            kind,
            scanned_at: now_ms(),
            device_id: device_id(),
            lesson,
        });
        let note = ScanNote {
            offering_id: offering_id.to_owned(),
            name: name.to_owned(),
        };
        let result = r.queue(&op, note_json(&note)).await;
        r.after_local_write().await;
        result
    }

    /// Registers a walk-in at the door and checks them in; the server gives the seat if one is
    /// still free (at a mixer, in `gender`'s pool, with the badge that comes with it).
    pub async fn walk_in(
        &self,
        offering_id: &str,
        name: &str,
        last4: &str,
        gender: Option<Gender>,
        lesson: Option<u32>,
    ) -> Result<(), ActionError> {
        let r = self.slot.running()?;
        let registration_id = uuid_v4();
        let op = Op::WalkIn(WalkInArgs {
            registration_id: registration_id.clone(),
            offering_id: offering_id.to_owned(),
            display_name: name.trim().to_owned(),
            phone_last4: last4.trim().to_owned(),
            gender,
        });
        let note = ScanNote {
            offering_id: offering_id.to_owned(),
            name: name.trim().to_owned(),
        };
        let mut result = r.queue(&op, note_json(&note)).await;
        if result.is_ok() {
            let scan = Op::CheckinRecord(CheckinArgs {
                checkin_id: uuid_v4(),
                registration_id,
                kind: ScanKind::In,
                scanned_at: now_ms(),
                device_id: device_id(),
                // A course's walk-in comes to today's lesson (the server refuses a course's
                // scan without one).
                lesson,
            });
            result = r.queue(&scan, note_json(&note)).await;
        }
        r.after_local_write().await;
        result
    }

    /// Corrects someone's credited minutes, with the reason the audit log keeps.
    pub async fn correct_hours(
        &self,
        registration_id: &str,
        minutes: u32,
        reason: &str,
    ) -> Result<(), ActionError> {
        let r = self.slot.running()?;
        let op = Op::HoursCorrect(HoursCorrectArgs {
            registration_id: registration_id.to_owned(),
            minutes,
            reason: reason.trim().to_owned(),
        });
        let result = r.queue(&op, None).await;
        r.after_local_write().await;
        result
    }

    /// Opens a mixer's pick window (`mixer.open`), on this device first: it reaches the server
    /// with the next sync, and picks made meanwhile count.
    pub async fn open_picks(&self, offering_id: &str) -> Result<(), ActionError> {
        let r = self.slot.running()?;
        let op = Op::MixerOpen(OpenPicksArgs {
            offering_id: offering_id.to_owned(),
        });
        let result = r.queue(&op, None).await;
        r.after_local_write().await;
        result
    }

    /// Where a mixer's pick window is, as the device last synced it (not counting an open still
    /// queued here: [`VenueData::opening`]).
    pub async fn pick_window(&self, offering_id: &str) -> PickWindow {
        match self.slot.current() {
            Some(r) => r.engine.pick_window(offering_id).await.unwrap_or_default(),
            None => PickWindow::default(),
        }
    }

    /// Nobody signed in: nothing to show.
    pub(super) fn clear(&self) {
        self.data.set(VenueData::default());
    }
}

/// The device's own note beside a queued scan: which offering, and whose name.
fn note_json(note: &ScanNote) -> Option<String> {
    serde_json::to_string(note).ok()
}

/// Venue mode's data and actions.
pub fn use_venue() -> VenueMode {
    use_sync().venue
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_ids_are_shown_by_their_last_four_characters() {
        assert_eq!(short_device("6f1c3a52-8a8e-4f43-9c55-3f0f4c2f9b11"), "9B11");
        assert_eq!(short_device("ab"), "AB");
        assert_eq!(short_device(""), "");
    }
}
