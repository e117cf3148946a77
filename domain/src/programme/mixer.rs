//! Mixers (交友联谊, 望青团缘): places per gender, each pool with its own waitlist, an age
//! range, review, and private picks at the event (matches shown only to the two people).

use crate::PoolKey;
use crate::account::FieldError;
use crate::plan::{Plan, Problems};
use crate::registration::{MutationError, RejectReason};
use crate::text::Field;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// What only a mixer has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Gender {
    /// 男.
    Male,
    /// 女.
    Female,
}

crate::serde_by_name! {
    Gender => "a gender",
    Education => "an education level",
    ContactKind => "a contact kind",
}

impl Gender {
    /// Both.
    pub const ALL: [Self; 2] = [Self::Male, Self::Female];

    /// The stable string used in the database and on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Male => "male",
            Self::Female => "female",
        }
    }

    /// The gender of a mixer's pool.
    pub fn of_pool(pool: PoolKey) -> Option<Self> {
        match pool {
            PoolKey::Male => Some(Self::Male),
            PoolKey::Female => Some(Self::Female),
            PoolKey::All => None,
        }
    }

    /// The pool this gender's places are in.
    pub fn pool(self) -> PoolKey {
        match self {
            Self::Male => PoolKey::Male,
            Self::Female => PoolKey::Female,
        }
    }
}

impl MixerRules {
    /// Whether a person born in `birth_year` may sign up in `year`, with their profile
    /// (`None`: they have not written one). The gender of the profile is the pool.
    pub fn eligibility(
        &self,
        profile: Option<&MixerProfile>,
        birth_year: i32,
        year: i32,
    ) -> Result<Gender, RejectReason> {
        let profile = profile.ok_or(RejectReason::NoProfile)?;
        if !profile.single {
            return Err(RejectReason::NotDeclared);
        }
        let age = year - birth_year;
        if age < i32::from(self.min_age) || age > i32::from(self.max_age) {
            return Err(RejectReason::AgeRange);
        }
        Ok(profile.gender)
    }

    /// Checks one submission of picks by the holder of `own`: at most [`MixerRules::picks`],
    /// each once, never oneself. Whether each badge belongs to someone checked in at this
    /// mixer is the server's to check (it knows who is).
    pub fn check_picks(&self, own: Badge, picks: &[Badge]) -> Result<(), MutationError> {
        if picks.len() > usize::from(self.picks) {
            return Err(MutationError::TooManyPicks);
        }
        if picks.contains(&own) {
            return Err(MutationError::PickedSelf);
        }
        let distinct: BTreeSet<&Badge> = picks.iter().collect();
        if distinct.len() != picks.len() {
            return Err(MutationError::BadArgs);
        }
        Ok(())
    }

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
        if !(1..=MAX_PICKS as u8).contains(&self.picks) {
            problems.push("picks", "out_of_range");
        }
    }
}

/// The most picks a mixer may allow.
pub const MAX_PICKS: usize = 10;

/// The longest nickname (what other participants see beside the badge number).
pub const MAX_NICKNAME: usize = 12;
/// The longest occupation or industry.
pub const MAX_OCCUPATION: usize = 30;
/// The longest introduction.
pub const MAX_INTRO: usize = 300;
/// The shortest and longest WeChat id (WeChat's own rule: 6–20 letters, digits, `_` or `-`,
/// starting with a letter).
pub const WECHAT_ID_CHARS: std::ops::RangeInclusive<usize> = 6..=20;

/// Highest education completed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Education {
    /// 高中及以下.
    HighSchool,
    /// 大专.
    Associate,
    /// 本科.
    Bachelor,
    /// 硕士.
    Master,
    /// 博士.
    Doctorate,
}

impl Education {
    /// Every level, lowest first.
    pub const ALL: [Self; 5] = [
        Self::HighSchool,
        Self::Associate,
        Self::Bachelor,
        Self::Master,
        Self::Doctorate,
    ];

    /// The stable string used in the database and on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::HighSchool => "high_school",
            Self::Associate => "associate",
            Self::Bachelor => "bachelor",
            Self::Master => "master",
            Self::Doctorate => "doctorate",
        }
    }
}

/// Which contact a person shares with a match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContactKind {
    /// The account's phone number.
    Phone,
    /// A WeChat id given in the profile.
    Wechat,
}

impl ContactKind {
    /// Both.
    pub const ALL: [Self; 2] = [Self::Phone, Self::Wechat];

    /// The stable string used in the database and on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Phone => "phone",
            Self::Wechat => "wechat",
        }
    }
}

/// A person's mixer profile: asked only when they first sign up for a mixer, seen by admins
/// (to review) and by nobody else. The birth year is the account's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MixerProfile {
    /// What other participants see beside the badge number at the event.
    pub nickname: String,
    /// Decides the pool.
    pub gender: Gender,
    /// Highest education completed.
    pub education: Education,
    /// Occupation or industry.
    pub occupation: String,
    /// Height in centimetres, if they want to say.
    #[serde(default)]
    pub height_cm: Option<u16>,
    /// A short introduction.
    #[serde(default)]
    pub intro: String,
    /// What a match receives.
    pub contact_kind: ContactKind,
    /// The WeChat id, when that is what they share.
    #[serde(default)]
    pub wechat_id: String,
    /// They declare they are single.
    pub single: bool,
}

/// Whether `s` reads as a WeChat id.
pub fn is_wechat_id(s: &str) -> bool {
    WECHAT_ID_CHARS.contains(&s.chars().count())
        && s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

impl MixerProfile {
    /// The profile as it is stored: text trimmed, a WeChat id only when it is shared.
    pub fn normalized(mut self) -> Self {
        self.nickname = self.nickname.trim().to_owned();
        self.occupation = self.occupation.trim().to_owned();
        self.intro = self.intro.trim().to_owned();
        self.wechat_id = match self.contact_kind {
            ContactKind::Wechat => self.wechat_id.trim().to_owned(),
            ContactKind::Phone => String::new(),
        };
        self
    }

    /// Checks every field; all failures at once. The declaration is not a field error: a
    /// profile without it may be saved, and sign-up is then refused with its own reason.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut p = Problems::default();
        if let Err(code) = crate::text::check(&self.nickname, Field::Name, MAX_NICKNAME, true) {
            p.push("nickname", code);
        }
        if let Err(code) = crate::text::check(&self.occupation, Field::Line, MAX_OCCUPATION, true) {
            p.push("occupation", code);
        }
        if let Err(code) = crate::text::check(&self.intro, Field::Lines, MAX_INTRO, false) {
            p.push("intro", code);
        }
        if self.height_cm.is_some_and(|h| !(120..=230).contains(&h)) {
            p.push("height_cm", "out_of_range");
        }
        if self.contact_kind == ContactKind::Wechat && !is_wechat_id(self.wechat_id.trim()) {
            p.push("wechat_id", "invalid");
        }
        p.finish()
    }
}

/// A participant's number at an event: per gender, from 1 (`男 01`, `女 07`). Written `M01` /
/// `F07` on the wire; the app shows the gender in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Badge {
    /// Whose numbering.
    pub gender: Gender,
    /// From 1.
    pub number: u16,
}

/// The highest badge number (more than any quota: [`crate::plan::MAX_CAPACITY`] per gender
/// plus walk-ins).
pub const MAX_BADGE: u16 = 9999;

impl Badge {
    /// `M01`, `F07`: the letter and at least two digits.
    pub fn code(self) -> String {
        let letter = match self.gender {
            Gender::Male => 'M',
            Gender::Female => 'F',
        };
        format!("{letter}{:02}", self.number)
    }

    /// Reads [`Badge::code`] back (a lower-case letter too, and leading zeros or none).
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        let mut chars = s.chars();
        let gender = match chars.next()? {
            'M' | 'm' => Gender::Male,
            'F' | 'f' => Gender::Female,
            _ => return None,
        };
        let digits = chars.as_str();
        if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let number: u16 = digits.parse().ok()?;
        (1..=MAX_BADGE)
            .contains(&number)
            .then_some(Self { gender, number })
    }
}

impl Serialize for Badge {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.code())
    }
}

/// A badge on the wire: its code, `M01`, `F07`.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Badge {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some("a badge: M or F and 2 to 4 digits, 1 to 9999"))
            .pattern(Some("^\\s*[MmFf][0-9]{1,4}\\s*$"))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Badge {}

impl<'de> Deserialize<'de> for Badge {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Self::parse(&s).ok_or_else(|| {
            serde::de::Error::invalid_value(serde::de::Unexpected::Str(&s), &"a badge like M01")
        })
    }
}

/// Where a mixer's pick window is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PickWindow {
    /// The organizer has not opened it (as far as this copy knows).
    #[default]
    NotOpen,
    /// Picks are taken.
    Open,
    /// Closed: the matches are made and nothing changes any more.
    Closed,
}

impl PickWindow {
    /// Every state.
    pub const ALL: [Self; 3] = [Self::NotOpen, Self::Open, Self::Closed];

    /// The stable string used on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotOpen => "not_open",
            Self::Open => "open",
            Self::Closed => "closed",
        }
    }

    /// The window given when it was opened and closed (either may be missing).
    pub fn of(opened_at: Option<i64>, closed_at: Option<i64>) -> Self {
        match (opened_at, closed_at) {
            (_, Some(_)) => Self::Closed,
            (Some(_), None) => Self::Open,
            (None, None) => Self::NotOpen,
        }
    }

    /// Whether picks received now still count: until the close. (The organizer's "open" may
    /// still be queued on their device in a hall without network; picks made meanwhile count.)
    pub fn takes_picks(self) -> bool {
        self != Self::Closed
    }
}

crate::serde_by_name! {
    PickWindow => "a pick window state",
}

/// Everyone's latest picks, as the server keeps them: each submission replaces the person's
/// earlier ones. Generic over how people are named (registration ids on the server).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PickBook<K: Ord> {
    picks: BTreeMap<K, BTreeSet<K>>,
}

impl<K: Ord + Clone> PickBook<K> {
    /// No picks.
    pub fn new() -> Self {
        Self {
            picks: BTreeMap::new(),
        }
    }

    /// `who` now picks exactly `picked` (an empty list withdraws every pick).
    pub fn submit(&mut self, who: K, picked: impl IntoIterator<Item = K>) {
        let picked: BTreeSet<K> = picked.into_iter().filter(|p| *p != who).collect();
        if picked.is_empty() {
            self.picks.remove(&who);
        } else {
            self.picks.insert(who, picked);
        }
    }

    /// Whom `who` picks.
    pub fn of(&self, who: &K) -> impl Iterator<Item = &K> {
        self.picks.get(who).into_iter().flatten()
    }

    /// How many people picked anyone.
    pub fn pickers(&self) -> usize {
        self.picks.len()
    }

    /// How many picks in all.
    pub fn total(&self) -> usize {
        self.picks.values().map(BTreeSet::len).sum()
    }

    /// The mutual picks: each pair once, the smaller first, in order. Nothing else about the
    /// picks comes out of here.
    pub fn matches(&self) -> Vec<(K, K)> {
        let mut pairs = Vec::new();
        for (a, theirs) in &self.picks {
            for b in theirs.range(a..).filter(|b| *b != a) {
                if self.picks.get(b).is_some_and(|p| p.contains(a)) {
                    pairs.push((a.clone(), b.clone()));
                }
            }
        }
        pairs
    }
}

/// `who`'s matches among `pairs` (from [`PickBook::matches`]): the other of each pair they are
/// in. All a person learns about the picks.
pub fn matches_of<'a, K: Ord>(pairs: &'a [(K, K)], who: &'a K) -> impl Iterator<Item = &'a K> {
    pairs.iter().filter_map(move |(a, b)| {
        if a == who {
            Some(b)
        } else if b == who {
            Some(a)
        } else {
            None
        }
    })
}

/// What a mixer's organizers and admins may know about it: counts, never who.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MixerCounts {
    /// `not_open`, `open` or `closed`.
    pub window: PickWindow,
    /// Confirmed places, men and women.
    pub confirmed: [u32; 2],
    /// Checked in, men and women.
    pub checked_in: [u32; 2],
    /// People who picked anyone (once the window has closed).
    pub pickers: Option<u32>,
    /// Picks in all (once the window has closed).
    pub picks: Option<u32>,
    /// Mutual matches (once the window has closed).
    pub pairs: Option<u32>,
}

/// A profile as an admin reviewing a sign-up sees it: everything but the contact, which only a
/// match receives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewProfile {
    /// Nickname.
    pub nickname: String,
    /// Gender.
    pub gender: Gender,
    /// Education.
    pub education: Education,
    /// Occupation or industry.
    pub occupation: String,
    /// Height, if given.
    #[serde(default)]
    pub height_cm: Option<u16>,
    /// Introduction.
    #[serde(default)]
    pub intro: String,
    /// The declaration.
    pub single: bool,
}

impl From<&MixerProfile> for ReviewProfile {
    fn from(p: &MixerProfile) -> Self {
        Self {
            nickname: p.nickname.clone(),
            gender: p.gender,
            education: p.education,
            occupation: p.occupation.clone(),
            height_cm: p.height_cm,
            intro: p.intro.clone(),
            single: p.single,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile() -> MixerProfile {
        MixerProfile {
            nickname: "小青".into(),
            gender: Gender::Female,
            education: Education::Bachelor,
            occupation: "教师".into(),
            height_cm: Some(165),
            intro: "喜欢爬山".into(),
            contact_kind: ContactKind::Wechat,
            wechat_id: "qing_2026".into(),
            single: true,
        }
    }

    #[test]
    fn a_profile_is_checked_field_by_field() {
        assert_eq!(profile().validate(), Ok(()));
        let bad = MixerProfile {
            nickname: " ".into(),
            occupation: "长".repeat(MAX_OCCUPATION + 1),
            height_cm: Some(40),
            wechat_id: "1abc".into(),
            ..profile()
        };
        let fields: Vec<&str> = bad
            .validate()
            .unwrap_err()
            .iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["nickname", "occupation", "height_cm", "wechat_id"]);
        // Sharing the phone needs no WeChat id, and normalizing drops one that is not shared.
        let phone = MixerProfile {
            contact_kind: ContactKind::Phone,
            wechat_id: "not shared".into(),
            ..profile()
        }
        .normalized();
        assert_eq!(phone.validate(), Ok(()));
        assert_eq!(phone.wechat_id, "");
        // Unknown fields are refused (nothing extra is stored about a person).
        let mut json = serde_json::to_value(profile()).unwrap();
        json["religion"] = "x".into();
        assert!(serde_json::from_value::<MixerProfile>(json).is_err());
    }

    #[test]
    fn wechat_ids_follow_wechats_rule() {
        for ok in ["abcdef", "a_b-c1", "Z2345678901234567890"] {
            assert!(is_wechat_id(ok), "{ok}");
        }
        for bad in ["abcde", "1abcdef", "abc def", "abc.def", "微信号abcdef", ""] {
            assert!(!is_wechat_id(bad), "{bad}");
        }
    }

    #[test]
    fn eligibility_reads_the_profile_the_declaration_and_the_age() {
        let rules = MixerRules {
            min_age: 22,
            max_age: 35,
            picks: 3,
        };
        assert_eq!(
            rules.eligibility(None, 1998, 2026),
            Err(RejectReason::NoProfile)
        );
        let p = profile();
        assert_eq!(rules.eligibility(Some(&p), 1998, 2026), Ok(Gender::Female));
        assert_eq!(rules.eligibility(Some(&p), 2004, 2026), Ok(Gender::Female));
        assert_eq!(rules.eligibility(Some(&p), 1991, 2026), Ok(Gender::Female));
        assert_eq!(
            rules.eligibility(Some(&p), 2005, 2026),
            Err(RejectReason::AgeRange)
        );
        assert_eq!(
            rules.eligibility(Some(&p), 1990, 2026),
            Err(RejectReason::AgeRange)
        );
        let undeclared = MixerProfile { single: false, ..p };
        assert_eq!(
            rules.eligibility(Some(&undeclared), 1998, 2026),
            Err(RejectReason::NotDeclared)
        );
    }

    #[test]
    fn badges_read_and_write_as_a_letter_and_a_number() {
        let b = Badge {
            gender: Gender::Male,
            number: 3,
        };
        assert_eq!(b.code(), "M03");
        assert_eq!(Badge::parse("M03"), Some(b));
        assert_eq!(Badge::parse("m3"), Some(b));
        assert_eq!(
            Badge::parse(" F120 ").map(Badge::code).as_deref(),
            Some("F120")
        );
        for bad in ["", "M", "X01", "M0", "M-1", "M12345", "M1a", "男01"] {
            assert_eq!(Badge::parse(bad), None, "{bad}");
        }
        assert_eq!(serde_json::to_string(&b).unwrap(), "\"M03\"");
        assert!(serde_json::from_str::<Badge>("\"Q01\"").is_err());
    }

    #[test]
    fn picks_are_limited_distinct_and_never_oneself() {
        let rules = MixerRules::default();
        let me = Badge {
            gender: Gender::Male,
            number: 1,
        };
        let f = |n| Badge {
            gender: Gender::Female,
            number: n,
        };
        assert_eq!(rules.check_picks(me, &[]), Ok(()));
        assert_eq!(rules.check_picks(me, &[f(1), f(2), f(3)]), Ok(()));
        assert_eq!(
            rules.check_picks(me, &[f(1), f(2), f(3), f(4)]),
            Err(MutationError::TooManyPicks)
        );
        assert_eq!(
            rules.check_picks(me, &[f(1), me]),
            Err(MutationError::PickedSelf)
        );
        assert_eq!(
            rules.check_picks(me, &[f(1), f(1)]),
            Err(MutationError::BadArgs)
        );
    }

    #[test]
    fn the_window_takes_picks_until_it_closes() {
        assert_eq!(PickWindow::of(None, None), PickWindow::NotOpen);
        assert_eq!(PickWindow::of(Some(1), None), PickWindow::Open);
        assert_eq!(PickWindow::of(Some(1), Some(2)), PickWindow::Closed);
        assert!(PickWindow::NotOpen.takes_picks() && PickWindow::Open.takes_picks());
        assert!(!PickWindow::Closed.takes_picks());
    }

    /// Property tests: native only (proptest's randomness does not build for wasm32).
    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::*;
        use proptest::prelude::*;

        /// Submissions by up to 8 people, each picking a few of the 8, in order.
        fn submissions() -> impl Strategy<Value = Vec<(u8, Vec<u8>)>> {
            prop::collection::vec((0u8..8, prop::collection::vec(0u8..8, 0..4)), 0..40)
        }

        fn book(subs: &[(u8, Vec<u8>)]) -> PickBook<u8> {
            let mut b = PickBook::new();
            for (who, picked) in subs {
                b.submit(*who, picked.iter().copied());
            }
            b
        }

        proptest! {
            /// A match exactly when both picked each other (each pair once, never oneself).
            #[test]
            fn a_match_is_exactly_a_mutual_pick(subs in submissions()) {
                let b = book(&subs);
                let pairs = b.matches();
                for a in 0u8..8 {
                    for c in 0u8..8 {
                        let mutual = a != c && b.of(&a).any(|x| *x == c) && b.of(&c).any(|x| *x == a);
                        let listed = pairs.contains(&(a.min(c), a.max(c)));
                        prop_assert_eq!(mutual, listed, "{} {}", a, c);
                    }
                }
                let distinct: BTreeSet<_> = pairs.iter().collect();
                prop_assert_eq!(distinct.len(), pairs.len());
            }

            /// Symmetric: if b is among a's matches, a is among b's.
            #[test]
            fn matches_are_symmetric(subs in submissions()) {
                let pairs = book(&subs).matches();
                for a in 0u8..8 {
                    for m in matches_of(&pairs, &a) {
                        prop_assert!(matches_of(&pairs, m).any(|x| *x == a));
                    }
                }
            }

            /// One-sided picks leave no trace: taking away every pick that is not returned changes
            /// nobody's result.
            #[test]
            fn one_sided_picks_change_nobodys_result(subs in submissions()) {
                let b = book(&subs);
                let mut mutual_only = PickBook::new();
                for who in 0u8..8 {
                    let returned: Vec<u8> = b
                        .of(&who)
                        .filter(|p| b.of(p).any(|x| *x == who))
                        .copied()
                        .collect();
                    mutual_only.submit(who, returned);
                }
                let (full, bare) = (b.matches(), mutual_only.matches());
                for who in 0u8..8 {
                    let x: Vec<_> = matches_of(&full, &who).collect();
                    let y: Vec<_> = matches_of(&bare, &who).collect();
                    prop_assert_eq!(x, y);
                }
            }

            /// Changing picks before the close replaces the old ones: the result is that of each
            /// person's last submission alone.
            #[test]
            fn a_new_submission_replaces_the_old(subs in submissions()) {
                let mut last: BTreeMap<u8, Vec<u8>> = BTreeMap::new();
                for (who, picked) in &subs {
                    last.insert(*who, picked.clone());
                }
                let only_last: Vec<(u8, Vec<u8>)> = last.into_iter().collect();
                prop_assert_eq!(book(&subs).matches(), book(&only_last).matches());
                prop_assert_eq!(book(&subs), book(&only_last));
            }
        }
    }
}
