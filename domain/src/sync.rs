//! The sync protocol's wire types (see `docs/sync-protocol.md`) and the mutations.

use crate::registration::{Decision, MutationError};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The version of this protocol. Push and pull with another version get `version_not_supported`.
pub const SCHEMA_VERSION: u32 = 1;
/// The most mutations one push may carry.
pub const MAX_PUSH: usize = 500;
/// The most changes one pull returns.
pub const MAX_PULL: u32 = 1000;
/// Largest answers object, in bytes of JSON.
pub const MAX_ANSWERS_BYTES: usize = 8 * 1024;

/// One queued action: `{id, name, args, created_at}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MutationEnvelope {
    /// Per-client counter from 1, no gaps.
    pub id: u64,
    /// e.g. `registration.request`.
    pub name: String,
    /// Arguments; anything the mutation creates carries a client-generated UUID.
    pub args: Value,
    /// The device's clock when the action was taken (Unix milliseconds).
    pub created_at: i64,
}

/// `registration.request` arguments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestArgs {
    /// A new UUID made on the device.
    pub registration_id: String,
    /// What to sign up for.
    pub offering_id: String,
    /// Answers to the offering's questions.
    #[serde(default)]
    pub answers: Map<String, Value>,
}

/// `registration.cancel` arguments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CancelArgs {
    /// The registration to cancel.
    pub registration_id: String,
}

/// A mutation, parsed.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    /// Ask for a place.
    RegistrationRequest(RequestArgs),
    /// Give a place up.
    RegistrationCancel(CancelArgs),
}

/// Whether `s` is a UUID in its usual text form (any version).
pub fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

fn bad_args(_: impl std::fmt::Display) -> MutationError {
    MutationError::BadArgs
}

impl Op {
    /// The mutation's name on the wire.
    pub fn name(&self) -> &'static str {
        match self {
            Self::RegistrationRequest(_) => "registration.request",
            Self::RegistrationCancel(_) => "registration.cancel",
        }
    }

    /// The arguments as JSON.
    pub fn args(&self) -> Value {
        match self {
            Self::RegistrationRequest(a) => serde_json::to_value(a),
            Self::RegistrationCancel(a) => serde_json::to_value(a),
        }
        .unwrap_or(Value::Null)
    }

    /// Parses and checks a mutation from the wire. Unknown names and bad arguments are errors
    /// the server answers as rejected outcomes (never a failure of the whole push).
    pub fn parse(name: &str, args: &Value) -> Result<Self, MutationError> {
        let op = match name {
            "registration.request" => {
                let a: RequestArgs = serde_json::from_value(args.clone()).map_err(bad_args)?;
                if !is_uuid(&a.registration_id)
                    || a.offering_id.is_empty()
                    || a.offering_id.len() > 64
                {
                    return Err(MutationError::BadArgs);
                }
                if serde_json::to_vec(&a.answers).map_or(true, |v| v.len() > MAX_ANSWERS_BYTES) {
                    return Err(MutationError::BadArgs);
                }
                Self::RegistrationRequest(a)
            }
            "registration.cancel" => {
                let a: CancelArgs = serde_json::from_value(args.clone()).map_err(bad_args)?;
                if !is_uuid(&a.registration_id) {
                    return Err(MutationError::BadArgs);
                }
                Self::RegistrationCancel(a)
            }
            _ => return Err(MutationError::UnknownMutation),
        };
        Ok(op)
    }
}

/// `POST /api/v1/sync/push`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushRequest {
    /// Must equal [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The device's id (a UUID it made once).
    pub client_id: String,
    /// The device's clock now (Unix milliseconds), to correct skew for display and audit.
    pub client_time: i64,
    /// In id order.
    pub mutations: Vec<MutationEnvelope>,
}

/// What became of one mutation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// Applied; for registrations, the server's decision.
    Applied {
        /// The decision, for `registration.request`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        decision: Option<Decision>,
    },
    /// Refused; nothing changed, but the queue moves on.
    Rejected {
        /// Why.
        code: MutationError,
    },
}

/// One mutation's outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MutationOutcome {
    /// The mutation id.
    pub id: u64,
    /// What became of it.
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// The answer to a push.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushResponse {
    /// The highest mutation id the server has applied (or rejected) for this client.
    pub last_mutation_id: u64,
    /// One per mutation sent, including ones applied by an earlier push (their outcome again).
    pub outcomes: Vec<MutationOutcome>,
}

/// One changed row. `data: null` is a tombstone: the row is gone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// `venue`, `offering`, `registration`, `roster_entry`.
    pub kind: String,
    /// The row's id.
    pub id: String,
    /// The global version it was written at.
    pub version: u64,
    /// The row, or `None` when deleted or no longer visible.
    pub data: Option<Value>,
}

/// The answer to `GET /api/v1/sync/pull`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullResponse {
    /// Throw the base away and pull again from cursor 0 (keep the outbox).
    pub reset: bool,
    /// Changes in version order.
    pub changes: Vec<Change>,
    /// Pass this back as `cursor` next time.
    pub cursor: u64,
    /// More changes wait: pull again at once.
    pub has_more: bool,
    /// The highest mutation id applied for this client.
    pub last_mutation_id: u64,
}

/// A registration as its owner's devices see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationRow {
    /// Id (made on the device).
    pub id: String,
    /// The offering.
    pub offering_id: String,
    /// Status.
    pub status: crate::registration::RegistrationStatus,
    /// Place on the waitlist.
    #[serde(default)]
    pub waitlist_position: Option<u32>,
    /// Why refused.
    #[serde(default)]
    pub reject_reason: Option<String>,
    /// The device's clock when the person signed up (Unix ms).
    pub created_at: i64,
    /// When the server received it (Unix seconds).
    pub received_at: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ID: &str = "6f1c3a52-8a8e-4f43-9c55-3f0f4c2f9b11";

    #[test]
    fn mutations_parse_or_are_refused_with_a_code() {
        let ok = json!({ "registration_id": ID, "offering_id": "act-1" });
        assert!(matches!(
            Op::parse("registration.request", &ok),
            Ok(Op::RegistrationRequest(_))
        ));
        assert_eq!(
            Op::parse("registration.explode", &ok),
            Err(MutationError::UnknownMutation)
        );
        for bad in [
            json!(null),
            json!([]),
            json!({ "registration_id": "not-a-uuid", "offering_id": "act-1" }),
            json!({ "registration_id": ID, "offering_id": "" }),
            json!({ "registration_id": ID, "offering_id": "x".repeat(65) }),
            json!({ "registration_id": ID, "offering_id": 7 }),
            json!({ "registration_id": ID, "offering_id": "a", "sneaky": true }),
            json!({ "registration_id": ID, "offering_id": "a", "answers": { "q": "长".repeat(5000) } }),
        ] {
            assert_eq!(
                Op::parse("registration.request", &bad),
                Err(MutationError::BadArgs),
                "{bad}"
            );
        }
        assert_eq!(
            Op::parse("registration.cancel", &json!({})),
            Err(MutationError::BadArgs)
        );
    }

    #[test]
    fn an_op_round_trips_through_the_wire() {
        let op = Op::RegistrationCancel(CancelArgs {
            registration_id: ID.into(),
        });
        assert_eq!(Op::parse(op.name(), &op.args()), Ok(op));
    }

    #[test]
    fn outcomes_have_a_flat_tagged_shape() {
        let o = MutationOutcome {
            id: 3,
            outcome: Outcome::Rejected {
                code: MutationError::UnknownOffering,
            },
        };
        assert_eq!(
            serde_json::to_value(&o).unwrap(),
            json!({ "id": 3, "outcome": "rejected", "code": "unknown_offering" })
        );
        let back: MutationOutcome =
            serde_json::from_value(serde_json::to_value(&o).unwrap()).unwrap();
        assert_eq!(back, o);
    }

    #[test]
    fn uuids_are_recognised() {
        assert!(is_uuid(ID));
        assert!(!is_uuid(&ID.replace('-', "x")));
        assert!(!is_uuid(&ID[1..]));
    }
}
