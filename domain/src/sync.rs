//! The sync protocol's wire types (see `docs/sync-protocol.md`) and the mutations.

use crate::programme::mixer::{Badge, Gender, MixerProfile};
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CancelArgs {
    /// The registration to cancel.
    pub registration_id: String,
}

/// `review.decide` arguments (admins).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReviewArgs {
    /// The registration under review.
    pub registration_id: String,
    /// Approve or reject.
    pub decision: ReviewDecision,
    /// Shown to the person (required to reject).
    #[serde(default)]
    pub reason: String,
}

/// An admin's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReviewDecision {
    /// Give a seat (or a waitlist place, or refuse as full).
    Approve,
    /// Refuse, with a reason.
    Reject,
}

/// `checkin.record` arguments (organizers of the offering).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CheckinArgs {
    /// A new UUID per scan: the scan is stored once however often it is sent.
    pub checkin_id: String,
    /// Whose.
    pub registration_id: String,
    /// In or out.
    pub kind: crate::hours::ScanKind,
    /// The device's clock at the scan (Unix ms).
    pub scanned_at: i64,
    /// The scanning device (shown with duplicates).
    pub device_id: String,
    /// A course's lesson the scan is for (1 = the first); none for other kinds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lesson: Option<u32>,
}

/// `walkin.register` arguments (organizers): a person who turns up without signing up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WalkInArgs {
    /// A new UUID for the registration.
    pub registration_id: String,
    /// The offering.
    pub offering_id: String,
    /// Their name.
    pub display_name: String,
    /// The last four digits of their phone, to find them again.
    #[serde(default)]
    pub phone_last4: String,
    /// A mixer's walk-in: their gender, which decides the pool (and the badge's numbering).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<Gender>,
}

/// `course.confirm` arguments: a winner of a course's draw accepts or declines the place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ConfirmArgs {
    /// The registration that won.
    pub registration_id: String,
    /// Take the place (`false`: give it to the next on the waitlist).
    pub accept: bool,
}

/// `course.rate` arguments: a learner rates a course after its last lesson.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RateArgs {
    /// The learner's registration.
    pub registration_id: String,
    /// 1–5.
    pub stars: u8,
    /// Optional, at most 300 characters.
    #[serde(default)]
    pub comment: String,
}

/// `mixer.profile` arguments: a person writes or rewrites their own mixer profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProfileArgs {
    /// The whole profile.
    pub profile: MixerProfile,
}

/// `mixer.pick` arguments: a participant's picks, replacing their earlier ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PickArgs {
    /// The participant's registration for the mixer.
    pub registration_id: String,
    /// The badges they pick (none: withdraw every pick).
    pub badges: Vec<Badge>,
}

/// `mixer.open` arguments (organizers): the pick window opens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OpenPicksArgs {
    /// The mixer.
    pub offering_id: String,
}

/// `hours.correct` arguments (organizers): a corrected total, with a reason, audited.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct HoursCorrectArgs {
    /// Whose.
    pub registration_id: String,
    /// The corrected credited minutes.
    pub minutes: u32,
    /// Why (required).
    pub reason: String,
}

/// `hours.request` arguments: a volunteer asks for their hours at an activity to be
/// corrected, with a reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct HoursRequestArgs {
    /// A new UUID for the request.
    pub request_id: String,
    /// Their registration for the activity.
    pub registration_id: String,
    /// The credited minutes they believe are right.
    pub minutes: u32,
    /// Why (required; one line, at most [`crate::admin::MAX_REASON`] characters).
    pub reason: String,
}

/// `hours.answer` arguments (organizers of the activity, admins): accept a correction request
/// (the hours become the minutes asked for) or decline it with a reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct HoursAnswerArgs {
    /// The request.
    pub request_id: String,
    /// Accept (`false`: decline).
    pub accept: bool,
    /// Shown to the volunteer (required to decline).
    #[serde(default)]
    pub reason: String,
}

/// Longest credited total anyone may ask or set, in minutes (a week).
pub const MAX_CORRECTED_MINUTES: u32 = 24 * 60 * 7;

/// A mutation, parsed.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    /// Ask for a place.
    RegistrationRequest(RequestArgs),
    /// Give a place up.
    RegistrationCancel(CancelArgs),
    /// Approve or reject a registration (admins).
    ReviewDecide(ReviewArgs),
    /// A scan at the door (organizers).
    CheckinRecord(CheckinArgs),
    /// Register someone at the door (organizers).
    WalkIn(WalkInArgs),
    /// Correct someone's hours (organizers), with a reason.
    HoursCorrect(HoursCorrectArgs),
    /// Accept or decline a place won in a course's draw.
    CourseConfirm(ConfirmArgs),
    /// Rate a course after its last lesson.
    CourseRate(RateArgs),
    /// Write one's mixer profile.
    MixerProfile(ProfileArgs),
    /// Pick people at a mixer.
    MixerPick(PickArgs),
    /// Open a mixer's pick window (organizers).
    MixerOpen(OpenPicksArgs),
    /// Ask for one's hours to be corrected.
    HoursRequest(HoursRequestArgs),
    /// Accept or decline a correction request (organizers, admins).
    HoursAnswer(HoursAnswerArgs),
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

/// A reason under the admin's reason rule, trimmed: empty where one is required is
/// `reason_required` (a person can fix that), anything else wrong is `bad_args`.
fn reason_of(raw: &str, required: bool) -> Result<String, MutationError> {
    if required && raw.trim().is_empty() {
        return Err(MutationError::ReasonRequired);
    }
    crate::admin::parse_reason(raw, required)
        .map(str::to_owned)
        .map_err(bad_args)
}

impl Op {
    /// `registration.request`: a person asks for a place.
    pub const REGISTRATION_REQUEST: &'static str = "registration.request";
    /// `registration.cancel`: a person gives up their registration.
    pub const REGISTRATION_CANCEL: &'static str = "registration.cancel";
    /// `review.decide`: an admin approves or rejects.
    pub const REVIEW_DECIDE: &'static str = "review.decide";
    /// `checkin.record`: a scan at the door.
    pub const CHECKIN_RECORD: &'static str = "checkin.record";
    /// `walkin.register`: a walk-in at the door.
    pub const WALKIN_REGISTER: &'static str = "walkin.register";
    /// `hours.correct`: an organizer corrects someone's hours.
    pub const HOURS_CORRECT: &'static str = "hours.correct";
    /// `course.confirm`: a winner accepts or declines a course's place.
    pub const COURSE_CONFIRM: &'static str = "course.confirm";
    /// `course.rate`: a learner rates a course.
    pub const COURSE_RATE: &'static str = "course.rate";
    /// `mixer.profile`: a person writes their mixer profile.
    pub const MIXER_PROFILE: &'static str = "mixer.profile";
    /// `mixer.pick`: a participant's picks at a mixer.
    pub const MIXER_PICK: &'static str = "mixer.pick";
    /// `mixer.open`: an organizer opens a mixer's pick window.
    pub const MIXER_OPEN: &'static str = "mixer.open";
    /// `hours.request`: a volunteer asks for a correction of their hours.
    pub const HOURS_REQUEST: &'static str = "hours.request";
    /// `hours.answer`: an organizer or admin accepts or declines a correction request.
    pub const HOURS_ANSWER: &'static str = "hours.answer";

    /// Every mutation's name on the wire.
    pub const NAMES: [&'static str; 13] = [
        Self::REGISTRATION_REQUEST,
        Self::REGISTRATION_CANCEL,
        Self::REVIEW_DECIDE,
        Self::CHECKIN_RECORD,
        Self::WALKIN_REGISTER,
        Self::HOURS_CORRECT,
        Self::COURSE_CONFIRM,
        Self::COURSE_RATE,
        Self::MIXER_PROFILE,
        Self::MIXER_PICK,
        Self::MIXER_OPEN,
        Self::HOURS_REQUEST,
        Self::HOURS_ANSWER,
    ];

    /// The mutation's name on the wire.
    pub fn name(&self) -> &'static str {
        match self {
            Self::RegistrationRequest(_) => Self::REGISTRATION_REQUEST,
            Self::RegistrationCancel(_) => Self::REGISTRATION_CANCEL,
            Self::ReviewDecide(_) => Self::REVIEW_DECIDE,
            Self::CheckinRecord(_) => Self::CHECKIN_RECORD,
            Self::WalkIn(_) => Self::WALKIN_REGISTER,
            Self::HoursCorrect(_) => Self::HOURS_CORRECT,
            Self::CourseConfirm(_) => Self::COURSE_CONFIRM,
            Self::CourseRate(_) => Self::COURSE_RATE,
            Self::MixerProfile(_) => Self::MIXER_PROFILE,
            Self::MixerPick(_) => Self::MIXER_PICK,
            Self::MixerOpen(_) => Self::MIXER_OPEN,
            Self::HoursRequest(_) => Self::HOURS_REQUEST,
            Self::HoursAnswer(_) => Self::HOURS_ANSWER,
        }
    }

    /// The arguments as JSON.
    pub fn args(&self) -> Value {
        match self {
            Self::RegistrationRequest(a) => serde_json::to_value(a),
            Self::RegistrationCancel(a) => serde_json::to_value(a),
            Self::ReviewDecide(a) => serde_json::to_value(a),
            Self::CheckinRecord(a) => serde_json::to_value(a),
            Self::WalkIn(a) => serde_json::to_value(a),
            Self::HoursCorrect(a) => serde_json::to_value(a),
            Self::CourseConfirm(a) => serde_json::to_value(a),
            Self::CourseRate(a) => serde_json::to_value(a),
            Self::MixerProfile(a) => serde_json::to_value(a),
            Self::MixerPick(a) => serde_json::to_value(a),
            Self::MixerOpen(a) => serde_json::to_value(a),
            Self::HoursRequest(a) => serde_json::to_value(a),
            Self::HoursAnswer(a) => serde_json::to_value(a),
        }
        .unwrap_or(Value::Null)
    }

    /// Parses and checks a mutation from the wire. Unknown names and bad arguments are errors
    /// the server answers as rejected outcomes (never a failure of the whole push).
    pub fn parse(name: &str, args: &Value) -> Result<Self, MutationError> {
        let op = match name {
            Self::REGISTRATION_REQUEST => {
                let a = RequestArgs::deserialize(args).map_err(bad_args)?;
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
            Self::REGISTRATION_CANCEL => {
                let a = CancelArgs::deserialize(args).map_err(bad_args)?;
                if !is_uuid(&a.registration_id) {
                    return Err(MutationError::BadArgs);
                }
                Self::RegistrationCancel(a)
            }
            Self::REVIEW_DECIDE => {
                let a = ReviewArgs::deserialize(args).map_err(bad_args)?;
                let required = a.decision == ReviewDecision::Reject;
                if !is_uuid(&a.registration_id)
                    || crate::admin::parse_reason(&a.reason, required).is_err()
                {
                    return Err(MutationError::BadArgs);
                }
                Self::ReviewDecide(a)
            }
            Self::CHECKIN_RECORD => {
                let a = CheckinArgs::deserialize(args).map_err(bad_args)?;
                if !crate::moment::is_unix_ms(a.scanned_at) {
                    return Err(MutationError::TimeOutOfRange);
                }
                if !is_uuid(&a.checkin_id)
                    || !is_uuid(&a.registration_id)
                    || a.device_id.is_empty()
                    || a.device_id.len() > 64
                    || a.lesson.is_some_and(|l| {
                        l == 0 || l as usize > crate::programme::course::MAX_LESSONS
                    })
                {
                    return Err(MutationError::BadArgs);
                }
                Self::CheckinRecord(a)
            }
            Self::WALKIN_REGISTER => {
                let a = WalkInArgs::deserialize(args).map_err(bad_args)?;
                let name_ok = crate::account::parse_display_name(&a.display_name).is_ok();
                let last4_ok = a.phone_last4.is_empty()
                    || (a.phone_last4.len() == 4
                        && a.phone_last4.bytes().all(|b| b.is_ascii_digit()));
                if !is_uuid(&a.registration_id)
                    || a.offering_id.is_empty()
                    || a.offering_id.len() > 64
                    || !name_ok
                    || !last4_ok
                {
                    return Err(MutationError::BadArgs);
                }
                Self::WalkIn(a)
            }
            Self::HOURS_CORRECT => {
                let a = HoursCorrectArgs::deserialize(args).map_err(bad_args)?;
                if !is_uuid(&a.registration_id)
                    || a.minutes > MAX_CORRECTED_MINUTES
                    || crate::admin::parse_reason(&a.reason, true).is_err()
                {
                    return Err(MutationError::BadArgs);
                }
                Self::HoursCorrect(a)
            }
            Self::COURSE_CONFIRM => {
                let a = ConfirmArgs::deserialize(args).map_err(bad_args)?;
                if !is_uuid(&a.registration_id) {
                    return Err(MutationError::BadArgs);
                }
                Self::CourseConfirm(a)
            }
            Self::COURSE_RATE => {
                let a = RateArgs::deserialize(args).map_err(bad_args)?;
                let comment = crate::text::check(
                    &a.comment,
                    crate::text::Field::Lines,
                    crate::programme::course::MAX_COMMENT,
                    false,
                );
                if !is_uuid(&a.registration_id) || !(1..=5).contains(&a.stars) || comment.is_err() {
                    return Err(MutationError::BadArgs);
                }
                Self::CourseRate(a)
            }
            Self::MIXER_PROFILE => {
                let a = ProfileArgs::deserialize(args).map_err(bad_args)?;
                let profile = a.profile.normalized();
                if profile.validate().is_err() {
                    return Err(MutationError::BadArgs);
                }
                Self::MixerProfile(ProfileArgs { profile })
            }
            Self::MIXER_PICK => {
                let a = PickArgs::deserialize(args).map_err(bad_args)?;
                let distinct: std::collections::BTreeSet<&Badge> = a.badges.iter().collect();
                if !is_uuid(&a.registration_id)
                    || a.badges.len() > crate::programme::mixer::MAX_PICKS
                    || distinct.len() != a.badges.len()
                {
                    return Err(MutationError::BadArgs);
                }
                Self::MixerPick(a)
            }
            Self::MIXER_OPEN => {
                let a = OpenPicksArgs::deserialize(args).map_err(bad_args)?;
                if a.offering_id.is_empty() || a.offering_id.len() > 64 {
                    return Err(MutationError::BadArgs);
                }
                Self::MixerOpen(a)
            }
            Self::HOURS_REQUEST => {
                let a = HoursRequestArgs::deserialize(args).map_err(bad_args)?;
                if !is_uuid(&a.request_id)
                    || !is_uuid(&a.registration_id)
                    || a.minutes > MAX_CORRECTED_MINUTES
                {
                    return Err(MutationError::BadArgs);
                }
                let reason = reason_of(&a.reason, true)?;
                Self::HoursRequest(HoursRequestArgs { reason, ..a })
            }
            Self::HOURS_ANSWER => {
                let a = HoursAnswerArgs::deserialize(args).map_err(bad_args)?;
                if !is_uuid(&a.request_id) {
                    return Err(MutationError::BadArgs);
                }
                let reason = reason_of(&a.reason, !a.accept)?;
                Self::HoursAnswer(HoursAnswerArgs { reason, ..a })
            }
            _ => return Err(MutationError::UnknownMutation),
        };
        Ok(op)
    }
}

/// `POST /api/v1/sync/push`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
///
/// Written internally tagged (`{"outcome": "rejected", "code": …}`); read through
/// [`OutcomeFields`], the same shape as a plain struct (see there).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "outcome", rename_all = "snake_case", try_from = "OutcomeFields")]
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

/// One mutation's outcome: its id beside the outcome's own fields (written flattened, read
/// through [`MutationOutcomeFields`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "MutationOutcomeFields")]
pub struct MutationOutcome {
    /// The mutation id.
    pub id: u64,
    /// What became of it.
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// [`Outcome`]'s tag.
#[derive(Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
enum OutcomeTag {
    Applied,
    Rejected,
}

/// How an [`Outcome`] is read: the tag and every variant's fields as one flat struct. Serde's
/// derive for an internally tagged or flattened type first buffers the whole object into a
/// generic tree and reads it again from there (a second deserializer for each field's type in
/// the wasm client); a struct reads the same JSON directly. A missing `code` on a rejection is
/// still an error; fields of the other variant are not expected (the writer never sets them).
#[derive(Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
struct OutcomeFields {
    outcome: OutcomeTag,
    #[serde(default)]
    decision: Option<Decision>,
    #[serde(default)]
    code: Option<MutationError>,
}

impl TryFrom<OutcomeFields> for Outcome {
    type Error = &'static str;

    fn try_from(f: OutcomeFields) -> Result<Self, Self::Error> {
        Ok(match f.outcome {
            OutcomeTag::Applied => Outcome::Applied {
                decision: f.decision,
            },
            OutcomeTag::Rejected => Outcome::Rejected {
                code: f.code.ok_or("missing field `code`")?,
            },
        })
    }
}

/// How a [`MutationOutcome`] is read (see [`OutcomeFields`]).
#[derive(Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
struct MutationOutcomeFields {
    id: u64,
    outcome: OutcomeTag,
    #[serde(default)]
    decision: Option<Decision>,
    #[serde(default)]
    code: Option<MutationError>,
}

impl TryFrom<MutationOutcomeFields> for MutationOutcome {
    type Error = &'static str;

    fn try_from(f: MutationOutcomeFields) -> Result<Self, Self::Error> {
        let outcome = Outcome::try_from(OutcomeFields {
            outcome: f.outcome,
            decision: f.decision,
            code: f.code,
        })?;
        Ok(Self { id: f.id, outcome })
    }
}

/// The answer to a push.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushResponse {
    /// The highest mutation id the server has applied (or rejected) for this client.
    pub last_mutation_id: u64,
    /// One per mutation sent, including ones applied by an earlier push (their outcome again).
    pub outcomes: Vec<MutationOutcome>,
}

/// One changed row. `data: null` is a tombstone: the row is gone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    #[serde(deserialize_with = "crate::moment::unix_ms")]
    pub created_at: i64,
    /// When the server received it (Unix seconds).
    #[serde(deserialize_with = "crate::moment::unix_s")]
    pub received_at: i64,
    /// The admin's note on an approval or rejection, or why the offering was cancelled.
    #[serde(default)]
    pub note: Option<String>,
    /// The signed ticket (confirmed registrations only), for the QR code.
    #[serde(default)]
    pub ticket: Option<String>,
    /// The first check-in (server clock, Unix seconds).
    #[serde(default, deserialize_with = "crate::moment::unix_s_option")]
    pub checked_in_at: Option<i64>,
    /// Minutes present inside the activity's window.
    #[serde(default)]
    pub present_minutes: u32,
    /// Volunteer minutes credited (from scans, or an organizer's correction).
    #[serde(default)]
    pub credited_minutes: u32,
    /// Flags on the hours (auto-closed check-out, below the minimum share, corrected …).
    #[serde(default)]
    pub hours_flags: Vec<String>,
    /// An activity's hours count from then, after its public notice (公示); before, they are
    /// pending (Unix seconds; none for other kinds).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::moment::unix_s_option"
    )]
    pub hours_effective_at: Option<i64>,
    /// A course application's public number (in the draw's published results).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_no: Option<String>,
    /// A place won in a draw (or passed on from the waitlist) must be confirmed by then
    /// (server clock, Unix seconds).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::moment::unix_s_option"
    )]
    pub confirm_by: Option<i64>,
    /// A course's lessons attended, by number (1 = the first).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lessons_attended: Vec<u32>,
    /// A course's completion certificate, signed, once attendance reaches the threshold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<String>,
    /// The learner's rating of the course: stars and comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<(u8, String)>,
    /// A mixer: the person's badge, once checked in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub badge: Option<Badge>,
    /// A mixer: their picks as the server has them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub picks: Vec<Badge>,
    /// A mixer: the others checked in (badge and nickname), while the pick window is not closed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub present: Vec<Present>,
    /// A mixer: their matches, once the window has closed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matches: Vec<MatchCard>,
}

/// Where a correction request is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HoursRequestStatus {
    /// Waiting for an organizer or an admin.
    Open,
    /// Accepted: the hours became the minutes asked for.
    Accepted,
    /// Declined, with a reason.
    Declined,
}

impl HoursRequestStatus {
    /// The name in the database and on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Accepted => "accepted",
            Self::Declined => "declined",
        }
    }

    /// From the database.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Open, Self::Accepted, Self::Declined]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

/// A correction request (`kind: "hours_request"`), as the volunteer's devices and the devices
/// of those who answer it (organizers of the activity, admins) see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HoursRequestRow {
    /// The request.
    pub id: String,
    /// The registration whose hours.
    pub registration_id: String,
    /// The activity.
    pub offering_id: String,
    /// The activity's title (for a list of requests across activities; empty from servers that
    /// predate it).
    #[serde(default)]
    pub offering_title: String,
    /// The volunteer's name (for those who answer).
    pub display_name: String,
    /// The credited minutes when the request was made.
    pub current_minutes: u32,
    /// The minutes asked for.
    pub minutes: u32,
    /// Why.
    pub reason: String,
    /// Where it is.
    pub status: HoursRequestStatus,
    /// The answer's reason (a decline's, or a note with an acceptance).
    #[serde(default)]
    pub answer: String,
    /// When the server received it (Unix seconds).
    #[serde(deserialize_with = "crate::moment::unix_s")]
    pub created_at: i64,
    /// When it was answered (Unix seconds).
    #[serde(default, deserialize_with = "crate::moment::unix_s_option")]
    pub answered_at: Option<i64>,
}

/// Someone checked in at a mixer, as other participants see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Present {
    /// Their badge.
    pub badge: Badge,
    /// Their nickname (empty for a walk-in without a profile).
    pub nickname: String,
}

/// A match, as the person matched sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MatchCard {
    /// The other person's badge.
    pub badge: Badge,
    /// Their nickname.
    pub nickname: String,
    /// What they share: a phone number or a WeChat id.
    pub contact_kind: crate::programme::mixer::ContactKind,
    /// The contact itself.
    pub contact: String,
}

/// A mixer's pick window (`pick_window` rows, everyone): where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PickWindowRow {
    /// The mixer.
    pub offering_id: String,
    /// Not open, open, closed.
    pub state: crate::programme::mixer::PickWindow,
}

impl PickWindowRow {
    /// Where `offering_id`'s window is among `rows` (not open if it has no row).
    pub fn state_of(rows: &[Self], offering_id: &str) -> crate::programme::mixer::PickWindow {
        rows.iter()
            .find(|r| r.offering_id == offering_id)
            .map(|r| r.state)
            .unwrap_or_default()
    }
}

/// One person on an organizer's roster (`kind: "roster_entry"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RosterEntry {
    /// The registration.
    pub registration_id: String,
    /// The offering.
    pub offering_id: String,
    /// Name ("已注销" after the account was deleted).
    pub display_name: String,
    /// `138****1234`.
    #[serde(default)]
    pub phone: Option<String>,
    /// The last four digits, to search by.
    #[serde(default)]
    pub phone_last4: Option<String>,
    /// Status.
    pub status: crate::registration::RegistrationStatus,
    /// A walk-in registered at the door.
    #[serde(default)]
    pub walk_in: bool,
    /// A mixer: the badge given with the confirmed place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub badge: Option<Badge>,
}

/// A stored scan, as organizers' devices see them (`kind: "checkin"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckinRow {
    /// The scan's id.
    pub id: String,
    /// Whose.
    pub registration_id: String,
    /// The offering.
    pub offering_id: String,
    /// In or out.
    pub kind: crate::hours::ScanKind,
    /// The device's clock at the scan (Unix ms).
    #[serde(deserialize_with = "crate::moment::unix_ms")]
    pub scanned_at: i64,
    /// The scan time corrected to the server's clock (Unix seconds).
    #[serde(deserialize_with = "crate::moment::unix_s")]
    pub at: i64,
    /// The scanning device.
    pub device_id: String,
    /// When this scan repeats an earlier check-in from another device: that scan's id.
    #[serde(default)]
    pub duplicate_of: Option<String>,
    /// A course's lesson the scan is for (1 = the first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lesson: Option<u32>,
}

/// Which offerings an organizer runs (`kind: "assignment"`, id = offering id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssignmentRow {
    /// The offering.
    pub offering_id: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ID: &str = "6f1c3a52-8a8e-4f43-9c55-3f0f4c2f9b11";

    #[test]
    fn correction_requests_need_a_reason_and_a_decline_too() {
        let req = |reason: &str, minutes: u32| {
            Op::parse(
                Op::HOURS_REQUEST,
                &json!({ "request_id": ID, "registration_id": ID, "minutes": minutes, "reason": reason }),
            )
        };
        match req("  提前到岗，签到漏扫  ", 180) {
            Ok(Op::HoursRequest(a)) => assert_eq!(a.reason, "提前到岗，签到漏扫"),
            other => panic!("{other:?}"),
        }
        assert_eq!(req("", 180), Err(MutationError::ReasonRequired));
        assert_eq!(req("   ", 180), Err(MutationError::ReasonRequired));
        assert_eq!(req(&"长".repeat(201), 180), Err(MutationError::BadArgs));
        assert_eq!(req("a\u{202e}b", 180), Err(MutationError::BadArgs));
        assert_eq!(
            req("ok", MAX_CORRECTED_MINUTES + 1),
            Err(MutationError::BadArgs)
        );
        assert_eq!(
            Op::parse(
                Op::HOURS_REQUEST,
                &json!({ "request_id": "x", "registration_id": ID, "minutes": 1, "reason": "r" })
            ),
            Err(MutationError::BadArgs)
        );
        let answer = |accept: bool, reason: &str| {
            Op::parse(
                Op::HOURS_ANSWER,
                &json!({ "request_id": ID, "accept": accept, "reason": reason }),
            )
        };
        assert!(matches!(answer(true, ""), Ok(Op::HoursAnswer(_))));
        assert_eq!(answer(false, " "), Err(MutationError::ReasonRequired));
        assert!(matches!(
            answer(false, "签退记录无误"),
            Ok(Op::HoursAnswer(_))
        ));
    }

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
    fn every_name_parses_as_a_mutation_and_nothing_else_does() {
        for name in Op::NAMES {
            assert_ne!(
                Op::parse(name, &json!({})),
                Err(MutationError::UnknownMutation),
                "{name}"
            );
        }
        assert_eq!(
            Op::parse("pick.submit", &json!({})),
            Err(MutationError::UnknownMutation)
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
    fn outcomes_read_back_in_every_shape_the_writer_makes() {
        let decision = Decision {
            status: crate::registration::RegistrationStatus::Waitlisted,
            waitlist_position: Some(4),
            reason: None,
        };
        for outcome in [
            Outcome::Applied { decision: None },
            Outcome::Applied {
                decision: Some(decision),
            },
            Outcome::Rejected {
                code: MutationError::BadArgs,
            },
        ] {
            let text = serde_json::to_string(&outcome).unwrap();
            assert_eq!(serde_json::from_str::<Outcome>(&text).unwrap(), outcome);
            let m = MutationOutcome { id: 9, outcome };
            let text = serde_json::to_string(&m).unwrap();
            assert_eq!(serde_json::from_str::<MutationOutcome>(&text).unwrap(), m);
        }
        // The field order does not matter, an explicit null decision is none, and unknown
        // fields are ignored, as with the derived reader.
        assert_eq!(
            serde_json::from_str::<Outcome>(r#"{"decision":null,"x":1,"outcome":"applied"}"#)
                .unwrap(),
            Outcome::Applied { decision: None }
        );
        assert_eq!(
            serde_json::from_str::<MutationOutcome>(
                r#"{"code":"bad_args","outcome":"rejected","id":2}"#
            )
            .unwrap(),
            MutationOutcome {
                id: 2,
                outcome: Outcome::Rejected {
                    code: MutationError::BadArgs
                }
            }
        );
        // Malformed: no tag, an unknown tag, a rejection without its code, no id.
        for bad in [
            r#"{"code":"bad_args"}"#,
            r#"{"outcome":"maybe"}"#,
            r#"{"outcome":"rejected"}"#,
        ] {
            assert!(serde_json::from_str::<Outcome>(bad).is_err(), "{bad}");
        }
        assert!(serde_json::from_str::<MutationOutcome>(r#"{"outcome":"applied"}"#).is_err());
        assert!(
            serde_json::from_str::<MutationOutcome>(r#"{"id":1,"outcome":"rejected"}"#).is_err()
        );
    }

    #[test]
    fn uuids_are_recognised() {
        assert!(is_uuid(ID));
        assert!(!is_uuid(&ID.replace('-', "x")));
        assert!(!is_uuid(&ID[1..]));
    }
}
