//! What belongs to one programme kind, with that kind: an activity's volunteer hours
//! ([`activity`], and the hours rules in [`crate::hours`]), a course's lessons and draw
//! settings ([`course`]), a mixer's age range and picks ([`mixer`]). What all kinds share is the
//! rest of the [`Plan`](crate::plan::Plan).
//!
//! On the wire a programme is one object tagged by `kind`:
//! `{"kind": "activity", "volunteer_hours": 2, …}`. It is read through [`ProgrammeFields`], a
//! flat struct of every kind's fields: serde's derive for a tagged enum first buffers the whole
//! object into a generic tree (a second deserializer for every field's type in the wasm client).

pub mod activity;
pub mod course;
pub mod mixer;

use crate::OfferingKind;
use serde::{Deserialize, Serialize};

/// The part of a plan that belongs to one kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "ProgrammeFields")]
pub enum Programme {
    /// 活动.
    Activity(activity::ActivityRules),
    /// 青年夜校.
    Course(course::CourseRules),
    /// 交友联谊.
    Mixer(mixer::MixerRules),
}

impl Programme {
    /// Which kind.
    pub fn kind(&self) -> OfferingKind {
        match self {
            Self::Activity(_) => OfferingKind::Activity,
            Self::Course(_) => OfferingKind::Course,
            Self::Mixer(_) => OfferingKind::Mixer,
        }
    }

    /// A kind's defaults (a new plan of that kind).
    pub fn new(kind: OfferingKind) -> Self {
        match kind {
            OfferingKind::Activity => Self::Activity(Default::default()),
            OfferingKind::Course => Self::Course(Default::default()),
            OfferingKind::Mixer => Self::Mixer(Default::default()),
        }
    }

    /// The activity's rules, if it is one.
    pub fn activity(&self) -> Option<&activity::ActivityRules> {
        match self {
            Self::Activity(a) => Some(a),
            _ => None,
        }
    }

    /// The course's rules, if it is one.
    pub fn course(&self) -> Option<&course::CourseRules> {
        match self {
            Self::Course(c) => Some(c),
            _ => None,
        }
    }

    /// The mixer's rules, if it is one.
    pub fn mixer(&self) -> Option<&mixer::MixerRules> {
        match self {
            Self::Mixer(m) => Some(m),
            _ => None,
        }
    }
}

/// How a [`Programme`] is read: the tag and every kind's fields, each with its kind's default.
#[derive(Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
struct ProgrammeFields {
    kind: OfferingKind,
    // activity
    #[serde(default)]
    volunteer_hours: Option<u32>,
    #[serde(default)]
    planned_hours: Option<u32>,
    #[serde(default = "activity::default_min_share")]
    min_share_percent: u8,
    // course
    #[serde(default)]
    term: String,
    #[serde(default)]
    teacher: String,
    #[serde(default)]
    lessons: Vec<course::Lesson>,
    #[serde(default = "course::default_confirm_hours")]
    confirm_hours: u32,
    #[serde(default = "course::default_completion_percent")]
    completion_percent: u8,
    #[serde(default = "course::default_per_term_limit")]
    per_term_limit: u8,
    #[serde(default)]
    priority: course::Priority,
    // mixer
    #[serde(default = "mixer::default_min_age")]
    min_age: u8,
    #[serde(default = "mixer::default_max_age")]
    max_age: u8,
    #[serde(default = "mixer::default_picks")]
    picks: u8,
}

impl TryFrom<ProgrammeFields> for Programme {
    type Error = &'static str;

    fn try_from(f: ProgrammeFields) -> Result<Self, Self::Error> {
        Ok(match f.kind {
            OfferingKind::Activity => Self::Activity(activity::ActivityRules {
                volunteer_hours: f.volunteer_hours,
                planned_hours: f.planned_hours,
                min_share_percent: f.min_share_percent,
            }),
            OfferingKind::Course => Self::Course(course::CourseRules {
                term: f.term,
                teacher: f.teacher,
                lessons: f.lessons,
                confirm_hours: f.confirm_hours,
                completion_percent: f.completion_percent,
                per_term_limit: f.per_term_limit,
                priority: f.priority,
            }),
            OfferingKind::Mixer => Self::Mixer(mixer::MixerRules {
                min_age: f.min_age,
                max_age: f.max_age,
                picks: f.picks,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_kind_round_trips_through_its_tagged_shape() {
        for kind in OfferingKind::ALL {
            let p = Programme::new(kind);
            let v = serde_json::to_value(&p).unwrap();
            assert_eq!(v["kind"], kind.as_str());
            assert_eq!(serde_json::from_value::<Programme>(v).unwrap(), p);
        }
        assert_eq!(
            serde_json::to_value(Programme::new(OfferingKind::Activity)).unwrap(),
            json!({ "kind": "activity", "volunteer_hours": null, "planned_hours": null,
                    "min_share_percent": 60 })
        );
    }

    #[test]
    fn a_kind_alone_reads_as_that_kinds_defaults_and_unknown_kinds_are_refused() {
        let p: Programme = serde_json::from_value(json!({ "kind": "course" })).unwrap();
        assert_eq!(p, Programme::new(OfferingKind::Course));
        assert!(serde_json::from_value::<Programme>(json!({ "kind": "party" })).is_err());
        assert!(serde_json::from_value::<Programme>(json!({ "volunteer_hours": 2 })).is_err());
    }
}
