//! The sync engine: queue actions locally, push them, pull what changed.
//!
//! One `sync` call pushes every action the server has not answered yet (oldest first, in
//! batches), records each outcome, then pulls until the device has everything. Entries leave
//! the outbox only when they have an outcome *and* a pull has brought the rows they changed, so
//! the screen never flickers back to an older state. The caller decides *when* to sync
//! (start, `online`, visible again, after a write, every 30 s) and how to back off.

use crate::{
    store::{OutboxEntry, PullBatch, Store, StoreError, keys, parse_u64},
    transport::{Transport, TransportError},
    view::{self, RegistrationView},
};
use domain::{
    registration::{Decision, MutationError, RegistrationStatus},
    sync::{
        MAX_PULL, MAX_PUSH, MutationEnvelope, MutationOutcome, Op, Outcome, PushRequest,
        RegistrationRow, SCHEMA_VERSION,
    },
};
use serde::{Deserialize, Serialize};

const NOTICES: &str = "notices";
/// More resets than this in one sync means something is wrong on the server: stop and retry
/// later rather than loop.
const MAX_RESETS: u32 = 3;

/// Something the person should be told after a sync.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notice {
    /// The action it is about.
    pub mutation_id: u64,
    /// The mutation name.
    pub name: String,
    /// The registration, for registration actions.
    pub registration_id: Option<String>,
    /// The offering, for requests.
    pub offering_id: Option<String>,
    /// What happened.
    pub kind: NoticeKind,
}

/// What a notice says. Written internally tagged (`{"type": "rejected", "code": …}`); read
/// through [`NoticeKindFields`], the same shape as a plain struct.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", try_from = "NoticeKindFields")]
pub enum NoticeKind {
    /// The server refused the action; nothing changed.
    Rejected {
        /// Why.
        code: MutationError,
    },
    /// The server decided otherwise than the device showed.
    Decided {
        /// What the device showed.
        predicted: RegistrationStatus,
        /// What the server decided.
        actual: Decision,
    },
}

/// [`NoticeKind`]'s tag.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum NoticeTag {
    Rejected,
    Decided,
}

/// How a [`NoticeKind`] is read: the tag and every variant's fields as one flat struct. Serde's
/// derive for an internally tagged enum buffers the object into a generic tree and reads it
/// again from there, which cost ≈ 6 KB of wasm for this type alone; a struct reads the same
/// JSON directly. A variant's missing field is still an error.
#[derive(Deserialize)]
struct NoticeKindFields {
    #[serde(rename = "type")]
    tag: NoticeTag,
    #[serde(default)]
    code: Option<MutationError>,
    #[serde(default)]
    predicted: Option<RegistrationStatus>,
    #[serde(default)]
    actual: Option<Decision>,
}

impl TryFrom<NoticeKindFields> for NoticeKind {
    type Error = &'static str;

    fn try_from(f: NoticeKindFields) -> Result<Self, Self::Error> {
        Ok(match f.tag {
            NoticeTag::Rejected => NoticeKind::Rejected {
                code: f.code.ok_or("missing field `code`")?,
            },
            NoticeTag::Decided => NoticeKind::Decided {
                predicted: f.predicted.ok_or("missing field `predicted`")?,
                actual: f.actual.ok_or("missing field `actual`")?,
            },
        })
    }
}

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SyncReport {
    /// Mutations sent.
    pub pushed: usize,
    /// Changes received.
    pub pulled: usize,
    /// New notices.
    pub notices: Vec<Notice>,
    /// The server asked the device to download everything again.
    pub reset: bool,
    /// The server had lost this device's history; the outbox was renumbered under a new id.
    pub rebased: bool,
}

/// Why a sync stopped.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SyncError {
    /// The device's store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The server could not be reached or refused.
    #[error(transparent)]
    Transport(#[from] TransportError),
}

/// The engine for one user's store on one device.
pub struct SyncEngine<S, T> {
    store: S,
    transport: T,
}

fn new_client_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

impl<S: Store, T: Transport> SyncEngine<S, T> {
    /// An engine over a store and a transport.
    pub fn new(store: S, transport: T) -> Self {
        Self { store, transport }
    }

    /// The store.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// This device's id, made on first use.
    pub async fn client_id(&self) -> Result<String, StoreError> {
        if let Some(id) = self.store.meta(keys::CLIENT_ID).await? {
            return Ok(id);
        }
        let id = new_client_id();
        self.store.set_meta(keys::CLIENT_ID, id.clone()).await?;
        Ok(id)
    }

    /// Queues an action; it is on screen (the outbox is replayed over the base) as soon as this
    /// returns. `predicted` is what the screen shows until the server decides.
    pub async fn enqueue(
        &self,
        op: &Op,
        now_ms: i64,
        predicted: Option<Decision>,
    ) -> Result<u64, StoreError> {
        let local = predicted.and_then(|p| serde_json::to_string(&p).ok());
        self.store
            .enqueue(op.name(), op.args().to_string(), now_ms, local)
            .await
    }

    /// Actions the server has not answered yet.
    pub async fn pending(&self) -> Result<usize, StoreError> {
        Ok(self
            .store
            .outbox()
            .await?
            .iter()
            .filter(|e| e.outcome.is_none())
            .count())
    }

    /// The person's registrations as the screen shows them.
    pub async fn registrations(&self) -> Result<Vec<RegistrationView>, StoreError> {
        Ok(self.registrations_read().await?.0)
    }

    /// The person's registrations as the screen shows them, and how many registration rows on
    /// the device could not be read (left out, never fatal).
    pub async fn registrations_read(&self) -> Result<(Vec<RegistrationView>, usize), StoreError> {
        let mut unreadable = 0;
        let base: Vec<RegistrationRow> =
            crate::store::read_rows(&self.store.rows("registration").await?, &mut unreadable);
        Ok((
            view::registrations(base, &self.store.outbox().await?),
            unreadable,
        ))
    }

    /// The person's mixer profile, and whether a change of it is still waiting to be sent.
    pub async fn mixer_profile(
        &self,
    ) -> Result<Option<(domain::programme::mixer::MixerProfile, bool)>, StoreError> {
        let mut unreadable = 0;
        let base =
            crate::store::read_rows(&self.store.rows("mixer_profile").await?, &mut unreadable)
                .into_iter()
                .next();
        Ok(view::mixer_profile(base, &self.store.outbox().await?))
    }

    /// Correction requests as the screens show them (the person's own; for organizers and
    /// admins those they may answer), queued ones included, and how many rows could not be
    /// read.
    pub async fn hours_requests(&self) -> Result<(Vec<view::HoursRequestView>, usize), StoreError> {
        let mut unreadable = 0;
        let base =
            crate::store::read_rows(&self.store.rows("hours_request").await?, &mut unreadable);
        Ok((
            view::hours_requests(base, &self.store.outbox().await?),
            unreadable,
        ))
    }

    /// Every mixer's pick window as last synced, and how many rows could not be read.
    pub async fn pick_windows(
        &self,
    ) -> Result<(Vec<domain::sync::PickWindowRow>, usize), StoreError> {
        let mut unreadable = 0;
        let rows = crate::store::read_rows(&self.store.rows("pick_window").await?, &mut unreadable);
        Ok((rows, unreadable))
    }

    /// Where a mixer's pick window is, as last synced.
    pub async fn pick_window(
        &self,
        offering_id: &str,
    ) -> Result<domain::programme::mixer::PickWindow, StoreError> {
        Ok(domain::sync::PickWindowRow::state_of(
            &self.pick_windows().await?.0,
            offering_id,
        ))
    }

    /// Notices not yet dismissed, oldest first.
    pub async fn notices(&self) -> Result<Vec<Notice>, StoreError> {
        Ok(self
            .store
            .meta(NOTICES)
            .await?
            .and_then(|s| crate::from_json(&s).ok())
            .unwrap_or_default())
    }

    /// Forgets the notices shown.
    pub async fn dismiss_notices(&self) -> Result<(), StoreError> {
        self.store.set_meta(NOTICES, "[]".into()).await
    }

    async fn add_notices(&self, new: &[Notice]) -> Result<(), StoreError> {
        if new.is_empty() {
            return Ok(());
        }
        let mut all = self.notices().await?;
        all.extend_from_slice(new);
        // A device that never looks keeps the newest hundred.
        let skip = all.len().saturating_sub(100);
        let json =
            serde_json::to_string(&all[skip..]).map_err(|e| StoreError::Data(e.to_string()))?;
        self.store.set_meta(NOTICES, json).await
    }

    /// Pushes, then pulls until up to date.
    pub async fn sync(&self, now_ms: i64) -> Result<SyncReport, SyncError> {
        let mut report = SyncReport::default();
        self.push_all(now_ms, &mut report).await?;
        self.pull_all(&mut report).await?;
        Ok(report)
    }

    async fn push_all(&self, now_ms: i64, report: &mut SyncReport) -> Result<(), SyncError> {
        loop {
            let outbox = self.store.outbox().await?;
            // Entries get outcomes in order, so the unanswered ones are a consecutive suffix.
            let unsent: Vec<&OutboxEntry> = outbox
                .iter()
                .filter(|e| e.outcome.is_none())
                .take(MAX_PUSH)
                .collect();
            let Some(first) = unsent.first() else {
                return Ok(());
            };
            let request = PushRequest {
                schema_version: SCHEMA_VERSION,
                client_id: self.client_id().await?,
                client_time: now_ms,
                mutations: unsent
                    .iter()
                    .map(|e| MutationEnvelope {
                        id: e.id,
                        name: e.name.clone(),
                        args: crate::from_json(&e.args).unwrap_or(serde_json::Value::Null),
                        created_at: e.created_at,
                    })
                    .collect(),
            };
            match self.transport.push(&request).await {
                Ok(response) => {
                    report.pushed += request.mutations.len();
                    let notices = notices_for(&outbox, &response.outcomes);
                    self.store
                        .record_outcomes(
                            response
                                .outcomes
                                .iter()
                                .map(|o| {
                                    (o.id, serde_json::to_string(&o.outcome).unwrap_or_default())
                                })
                                .collect(),
                        )
                        .await?;
                    self.add_notices(&notices).await?;
                    report.notices.extend(notices);
                }
                Err(TransportError::Gap { expected }) if expected < first.id && !report.rebased => {
                    // The server no longer knows what this device sent (restored from a backup):
                    // start over under a new device id; every action carries its own UUIDs, so
                    // sending one again cannot apply it twice.
                    self.store.rebase_outbox(&new_client_id()).await?;
                    report.rebased = true;
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    async fn pull_all(&self, report: &mut SyncReport) -> Result<(), SyncError> {
        let client_id = self.client_id().await?;
        let mut resets = 0;
        loop {
            let cursor = parse_u64(self.store.meta(keys::CURSOR).await?);
            let response = self.transport.pull(&client_id, cursor, MAX_PULL).await?;
            if response.reset {
                resets += 1;
                if resets > MAX_RESETS {
                    return Err(TransportError::Server {
                        status: 500,
                        message: "the server keeps asking for a reset".into(),
                    }
                    .into());
                }
                self.store.reset_base().await?;
                report.reset = true;
                continue;
            }
            report.pulled += response.changes.len();
            self.store
                .apply_pull(PullBatch {
                    changes: response.changes,
                    cursor: response.cursor,
                    last_mutation_id: response.last_mutation_id,
                })
                .await?;
            if !response.has_more {
                return Ok(());
            }
        }
    }
}

/// Notices for refused actions and for decisions other than the one shown.
fn notices_for(outbox: &[OutboxEntry], outcomes: &[MutationOutcome]) -> Vec<Notice> {
    outcomes
        .iter()
        .filter_map(|o| {
            let entry = outbox
                .iter()
                .find(|e| e.id == o.id && e.outcome.is_none())?;
            let args: serde_json::Value = crate::from_json(&entry.args).ok()?;
            let registration_id = args["registration_id"].as_str().map(str::to_owned);
            let offering_id = args["offering_id"].as_str().map(str::to_owned);
            let kind = match &o.outcome {
                Outcome::Rejected { code } => NoticeKind::Rejected { code: *code },
                Outcome::Applied {
                    decision: Some(actual),
                } => {
                    let predicted: Decision = crate::from_json(entry.local.as_deref()?).ok()?;
                    if predicted.status == actual.status {
                        return None;
                    }
                    NoticeKind::Decided {
                        predicted: predicted.status,
                        actual: *actual,
                    }
                }
                Outcome::Applied { decision: None } => return None,
            };
            Some(Notice {
                mutation_id: o.id,
                name: entry.name.clone(),
                registration_id,
                offering_id,
                kind,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_read_back_what_they_write() {
        for kind in [
            NoticeKind::Rejected {
                code: MutationError::BadArgs,
            },
            NoticeKind::Decided {
                predicted: RegistrationStatus::Confirmed,
                actual: Decision {
                    status: RegistrationStatus::Waitlisted,
                    waitlist_position: Some(2),
                    reason: None,
                },
            },
        ] {
            let notice = Notice {
                mutation_id: 5,
                name: "registration.request".into(),
                registration_id: Some("r1".into()),
                offering_id: None,
                kind,
            };
            let text = serde_json::to_string(&notice).unwrap();
            assert_eq!(crate::from_json::<Notice>(&text).unwrap(), notice);
        }
        // The stored shape, tag anywhere among the fields.
        assert_eq!(
            serde_json::to_value(NoticeKind::Rejected {
                code: MutationError::BadArgs
            })
            .unwrap(),
            serde_json::json!({ "type": "rejected", "code": "bad_args" })
        );
        assert_eq!(
            crate::from_json::<NoticeKind>(
                r#"{"predicted":"confirmed","actual":{"status":"confirmed"},"type":"decided"}"#
            )
            .unwrap(),
            NoticeKind::Decided {
                predicted: RegistrationStatus::Confirmed,
                actual: Decision::status(RegistrationStatus::Confirmed),
            }
        );
        for bad in [
            r#"{"code":"bad_args"}"#,
            r#"{"type":"other"}"#,
            r#"{"type":"rejected"}"#,
            r#"{"type":"decided","predicted":"confirmed"}"#,
        ] {
            assert!(crate::from_json::<NoticeKind>(bad).is_err(), "{bad}");
        }
    }
}
