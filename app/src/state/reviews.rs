//! An admin's review decisions: approving or rejecting registrations through the sync queue like
//! every other action (so one made without a network is sent when it returns), and the decisions
//! made here that the server has not settled yet.

use super::{
    action_error::ActionError,
    sync::{EngineSlot, use_sync},
};
use domain::{
    registration::MutationError,
    sync::{Op, Outcome, ReviewArgs, ReviewDecision},
};
use engine::OutboxEntry;
use leptos::prelude::*;
use serde_json::Value;

/// A review decision made on this device that the server has not settled yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalReview {
    /// The registration.
    pub registration_id: String,
    /// Approve or reject.
    pub decision: ReviewDecision,
    /// The server refused it (the registration changed meanwhile …).
    pub refused: Option<MutationError>,
}

/// The review decisions in the outbox, in the order they were made.
pub fn local_reviews(outbox: &[OutboxEntry]) -> Vec<LocalReview> {
    outbox
        .iter()
        .filter(|e| e.name == Op::REVIEW_DECIDE)
        .filter_map(|e| {
            let args: Value = engine::from_json(&e.args).ok()?;
            let Op::ReviewDecide(a) = Op::parse(&e.name, &args).ok()? else {
                return None;
            };
            let refused = match e.outcome.as_deref().map(engine::from_json::<Outcome>) {
                Some(Ok(Outcome::Rejected { code })) => Some(code),
                _ => None,
            };
            Some(LocalReview {
                registration_id: a.registration_id,
                decision: a.decision,
                refused,
            })
        })
        .collect()
}

/// The review decisions made here, and the action that makes them.
#[derive(Clone, Copy)]
pub struct Reviews {
    /// Review decisions made here and not yet settled.
    pub local: RwSignal<Vec<LocalReview>>,
    slot: EngineSlot,
}

impl Reviews {
    pub(super) fn new(slot: EngineSlot) -> Self {
        Self {
            local: RwSignal::new(Vec::new()),
            slot,
        }
    }

    /// Approves or rejects registrations: one `review.decide` each, in one go.
    pub async fn decide(
        &self,
        registration_ids: &[String],
        decision: ReviewDecision,
        reason: &str,
    ) -> Result<(), ActionError> {
        let r = self.slot.running()?;
        let mut result = Ok(());
        for id in registration_ids {
            let op = Op::ReviewDecide(ReviewArgs {
                registration_id: id.clone(),
                decision,
                reason: reason.trim().to_owned(),
            });
            result = r.queue(&op, None).await;
            if result.is_err() {
                break;
            }
        }
        r.after_local_write().await;
        result
    }

    /// The latest decision made here about a registration, if any.
    pub fn for_registration(&self, registration_id: &str) -> Option<LocalReview> {
        self.local.with(|rs| {
            rs.iter()
                .rev()
                .find(|r| r.registration_id == registration_id)
                .cloned()
        })
    }

    /// Nobody signed in: nothing to show.
    pub(super) fn clear(&self) {
        self.local.set(Vec::new());
    }
}

/// The review decisions made on this device, and deciding.
pub fn use_reviews() -> Reviews {
    use_sync().reviews
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::sync::CancelArgs;

    const R1: &str = "00000000-0000-4000-8000-000000000001";
    const R2: &str = "00000000-0000-4000-8000-000000000002";

    fn entry(id: u64, op: &Op, outcome: Option<&str>) -> OutboxEntry {
        OutboxEntry {
            id,
            name: op.name().into(),
            args: op.args().to_string(),
            created_at: 0,
            local: None,
            outcome: outcome.map(str::to_owned),
        }
    }

    #[test]
    fn review_decisions_waiting_in_the_outbox_are_read_back() {
        let approve = Op::ReviewDecide(ReviewArgs {
            registration_id: R1.into(),
            decision: ReviewDecision::Approve,
            reason: String::new(),
        });
        let reject = Op::ReviewDecide(ReviewArgs {
            registration_id: R2.into(),
            decision: ReviewDecision::Reject,
            reason: "名额有限".into(),
        });
        let cancel = Op::RegistrationCancel(CancelArgs {
            registration_id: R1.into(),
        });
        let outbox = [
            entry(1, &approve, None),
            entry(2, &cancel, None),
            entry(
                3,
                &reject,
                Some(r#"{"outcome":"rejected","code":"wrong_status"}"#),
            ),
        ];
        assert_eq!(
            local_reviews(&outbox),
            [
                LocalReview {
                    registration_id: R1.into(),
                    decision: ReviewDecision::Approve,
                    refused: None
                },
                LocalReview {
                    registration_id: R2.into(),
                    decision: ReviewDecision::Reject,
                    refused: Some(MutationError::WrongStatus)
                },
            ]
        );
    }
}
