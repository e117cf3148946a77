//! Mixers (交友联谊, 望青团缘): places per gender, each pool with its own waitlist, an age
//! range, review, and private picks at the event (matches shown only to the two people).

use crate::PoolKey;
use crate::plan::{Plan, Problems};
use serde::{Deserialize, Serialize};

/// What only a mixer has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MixerRules {
    /// The youngest age (this year minus the birth year) that may sign up.
    pub min_age: u8,
    /// The oldest.
    pub max_age: u8,
    /// How many people each participant may pick at the event.
    pub picks: u8,
}

impl Default for MixerRules {
    fn default() -> Self {
        Self {
            min_age: default_min_age(),
            max_age: default_max_age(),
            picks: default_picks(),
        }
    }
}

pub(crate) fn default_min_age() -> u8 {
    18
}

pub(crate) fn default_max_age() -> u8 {
    35
}

pub(crate) fn default_picks() -> u8 {
    3
}

/// A participant's gender, which decides their pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    /// 男.
    Male,
    /// 女.
    Female,
}

impl Gender {
    /// The pool this gender's places are in.
    pub fn pool(self) -> PoolKey {
        match self {
            Self::Male => PoolKey::Male,
            Self::Female => PoolKey::Female,
        }
    }
}

impl MixerRules {
    /// Checks what only a mixer has: a quota per gender, an age range, picks.
    pub fn check(&self, plan: &Plan, problems: &mut Problems) {
        let mut pools: Vec<PoolKey> = plan.quotas.iter().map(|q| q.pool).collect();
        pools.sort();
        if pools != [PoolKey::Male, PoolKey::Female] {
            problems.push("quotas", "one_per_gender");
        }
        plan.check_one_day_or_a_week(problems);
        if !(16..=60).contains(&self.min_age) || !(self.min_age..=60).contains(&self.max_age) {
            problems.push("max_age", "out_of_range");
        }
        if !(1..=10).contains(&self.picks) {
            problems.push("picks", "out_of_range");
        }
    }
}
