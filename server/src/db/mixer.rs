//! Mixers on the database: a person's private profile, eligibility at sign-up, badge numbers,
//! the pick window, picks and the matches made at the close. Like the rest of the registration
//! core, the writer's functions run on its connection inside its transaction and refuse before
//! their first write.
//!
//! What leaves the server: a person's own profile (to them, and to admins reviewing their
//! sign-up), the badge numbers and nicknames of those checked in (to others checked in, while the
//! window is not closed), and each person's own matches (to them, after the close, with the
//! contact the other chose to share). Picks never leave: [`close`] turns them into matches and
//! only counts come out otherwise.

use crate::db::pool::{Pool, args};
use crate::db::sql::{OptionalExtension, params};
use crate::db::{venue::Actor, writing::Writing};
use domain::{
    PoolKey,
    programme::mixer::{
        Badge, ContactKind, Gender, MixerCounts, MixerProfile, MixerRules, PickBook, PickWindow,
    },
    registration::{MutationError, RegistrationStatus, RejectReason},
    sync::{OpenPicksArgs, PickArgs, ProfileArgs},
};

/// `mixer.profile`: writes (or rewrites) the person's own profile. Checked already by
/// `Op::parse`; a profile that somehow is not checked is refused here too.
pub fn save_profile(
    w: &Writing<'_>,
    user_id: &str,
    args: &ProfileArgs,
    now: i64,
) -> crate::db::sql::Result<Result<(), MutationError>> {
    let profile = args.profile.clone().normalized();
    if profile.validate().is_err() {
        return Ok(Err(MutationError::BadArgs));
    }
    let json = serde_json::to_string(&profile).unwrap_or_default();
    let version = w.take_versions(1)?;
    w.prepare_cached(
        "INSERT INTO mixer_profiles (user_id, profile, gender, updated_at, version)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (user_id) DO UPDATE
            SET profile = ?2, gender = ?3, updated_at = ?4, version = ?5",
    )?
    .execute(params![
        user_id,
        json,
        profile.gender.as_str(),
        now,
        version
    ])?;
    Ok(Ok(()))
}

/// A person's profile, if they wrote one (a stored row that no longer reads is none).
pub fn profile_of(
    conn: &crate::db::sql::Conn,
    user_id: &str,
) -> crate::db::sql::Result<Option<MixerProfile>> {
    let json: Option<String> = conn
        .prepare_cached("SELECT profile FROM mixer_profiles WHERE user_id = ?1")?
        .query_row([user_id], |r| r.get(0))
        .optional()?;
    Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
}

/// A mixer's own rules.
pub fn rules_of(
    conn: &crate::db::sql::Conn,
    offering_id: &str,
) -> crate::db::sql::Result<Option<MixerRules>> {
    conn.prepare_cached(
        "SELECT min_age, max_age, picks FROM mixer_settings WHERE offering_id = ?1",
    )?
    .query_row([offering_id], |r| {
        Ok(MixerRules {
            min_age: r.get(0)?,
            max_age: r.get(1)?,
            picks: r.get(2)?,
        })
    })
    .optional()
}

/// Whether `user_id` may sign up for the mixer in `year` (by their profile and birth year), and
/// the pool their place comes from.
pub fn eligibility(
    w: &Writing<'_>,
    offering_id: &str,
    user_id: &str,
    year: i32,
) -> crate::db::sql::Result<Result<PoolKey, RejectReason>> {
    let Some(rules) = rules_of(w, offering_id)? else {
        return Ok(Err(RejectReason::NotEligible));
    };
    let birth_year: Option<i32> = w
        .prepare_cached("SELECT birth_year FROM users WHERE id = ?1")?
        .query_row([user_id], |r| r.get(0))
        .optional()?;
    let Some(birth_year) = birth_year else {
        return Ok(Err(RejectReason::NotEligible));
    };
    let profile = profile_of(w, user_id)?;
    Ok(rules
        .eligibility(profile.as_ref(), birth_year, year)
        .map(Gender::pool))
}

/// The badge of a registration's pool and number, if it has one.
pub fn badge(pool: &str, number: Option<i64>) -> Option<Badge> {
    let gender = Gender::of_pool(PoolKey::parse(pool)?)?;
    let number = u16::try_from(number?).ok()?;
    Some(Badge { gender, number })
}

/// The window's state: (opened_at, closed_at).
fn window(
    w: &Writing<'_>,
    offering_id: &str,
) -> crate::db::sql::Result<Option<(Option<i64>, Option<i64>)>> {
    w.prepare_cached(
        "SELECT picks_opened_at, picks_closed_at FROM mixer_settings WHERE offering_id = ?1",
    )?
    .query_row([offering_id], |r| r.tuple())
    .optional()
}

/// `mixer.pick` by a participant: their picks, by badge, replace their earlier ones. Taken until
/// the window closes (by the server's clock: picks that arrive after it are refused, and the
/// person is told), from someone checked in, of others checked in at the same mixer.
pub fn pick(
    w: &Writing<'_>,
    user_id: &str,
    args: &PickArgs,
    now: i64,
) -> crate::db::sql::Result<Result<(), MutationError>> {
    // (owner, offering, status, pool, badge number, checked in at)
    type Picker = (
        Option<String>,
        String,
        String,
        String,
        Option<i64>,
        Option<i64>,
    );
    let row: Option<Picker> = w
        .prepare_cached(
            "SELECT user_id, offering_id, status, pool, badge_no, checked_in_at
               FROM registrations WHERE id = ?1",
        )?
        .query_row([&args.registration_id], |r| r.tuple())
        .optional()?;
    let Some((_, offering_id, status, pool, badge_no, checked_in_at)) =
        row.filter(|r| r.0.as_deref() == Some(user_id))
    else {
        return Ok(Err(MutationError::UnknownRegistration));
    };
    let (Some(rules), Some((opened_at, closed_at))) =
        (rules_of(w, &offering_id)?, window(w, &offering_id)?)
    else {
        return Ok(Err(MutationError::WrongOffering));
    };
    if !PickWindow::of(opened_at, closed_at).takes_picks() {
        return Ok(Err(MutationError::PicksClosed));
    }
    if status != RegistrationStatus::Confirmed.as_str() {
        return Ok(Err(MutationError::WrongStatus));
    }
    let Some(own) = badge(&pool, badge_no) else {
        return Ok(Err(MutationError::WrongStatus));
    };
    if checked_in_at.is_none() {
        return Ok(Err(MutationError::NotCheckedIn));
    }
    if let Err(e) = rules.check_picks(own, &args.badges) {
        return Ok(Err(e));
    }
    let mut picked = Vec::with_capacity(args.badges.len());
    for b in &args.badges {
        let id: Option<String> = w
            .prepare_cached(
                "SELECT id FROM registrations
                  WHERE offering_id = ?1 AND pool = ?2 AND badge_no = ?3
                    AND status = 'confirmed' AND checked_in_at IS NOT NULL",
            )?
            .query_row(
                params![offering_id, b.gender.pool().as_str(), b.number],
                |r| r.get(0),
            )
            .optional()?;
        match id {
            Some(id) => picked.push(id),
            None => return Ok(Err(MutationError::UnknownBadge)),
        }
    }
    w.prepare_cached("DELETE FROM mixer_picks WHERE registration_id = ?1")?
        .execute([&args.registration_id])?;
    for id in &picked {
        w.prepare_cached(
            "INSERT INTO mixer_picks (registration_id, picked_id, offering_id) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![args.registration_id, id, offering_id])?;
    }
    // The person's own devices show their picks as the server has them.
    let version = w.take_versions(1)?;
    w.prepare_cached("UPDATE registrations SET version = ?1, updated_at = ?2 WHERE id = ?3")?
        .execute(params![version, now, args.registration_id])?;
    Ok(Ok(()))
}

/// `mixer.open` (organizers who run the mixer): the pick window opens. Opening an open window
/// changes nothing; a closed one stays closed.
pub fn open(
    w: &Writing<'_>,
    actor: &Actor,
    args: &OpenPicksArgs,
    now: i64,
) -> crate::db::sql::Result<Result<(), MutationError>> {
    if !super::users::runs(w, &actor.user_id, &actor.roles, &args.offering_id)? {
        return Ok(Err(MutationError::Forbidden));
    }
    match window(w, &args.offering_id)? {
        None => Ok(Err(MutationError::WrongOffering)),
        Some((_, Some(_))) => Ok(Err(MutationError::PicksClosed)),
        Some((Some(_), None)) => Ok(Ok(())),
        Some((None, None)) => {
            let version = w.take_versions(1)?;
            w.prepare_cached(
                "UPDATE mixer_settings SET picks_opened_at = ?1, version = ?2
                  WHERE offering_id = ?3",
            )?
            .execute(params![now, version, args.offering_id])?;
            Ok(Ok(()))
        }
    }
}

/// Why a window could not be closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseError {
    /// Not a mixer.
    NotAMixer,
    /// The window is not open (never opened, or closed already).
    NotOpen,
}

/// Closes the window (server clock) and makes the matches: the mutual picks between people
/// checked in. Every participant's devices are told (their rows change); the counts answer.
pub fn close(
    w: &Writing<'_>,
    offering_id: &str,
    now: i64,
) -> crate::db::sql::Result<Result<MixerCounts, CloseError>> {
    match window(w, offering_id)? {
        None => return Ok(Err(CloseError::NotAMixer)),
        Some((Some(_), None)) => {}
        Some(_) => return Ok(Err(CloseError::NotOpen)),
    }
    let picks: Vec<(String, String)> = w
        .prepare_cached(
            "SELECT k.registration_id, k.picked_id FROM mixer_picks k
               JOIN registrations a ON a.id = k.registration_id
               JOIN registrations b ON b.id = k.picked_id
              WHERE k.offering_id = ?1
                AND a.status = 'confirmed' AND a.checked_in_at IS NOT NULL
                AND b.status = 'confirmed' AND b.checked_in_at IS NOT NULL",
        )?
        .query_map([offering_id], |r| r.tuple())?
        .collect::<crate::db::sql::Result<_>>()?;
    let mut by_picker: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for (a, b) in picks {
        by_picker.entry(a).or_default().push(b);
    }
    let mut book = PickBook::new();
    for (who, picked) in by_picker {
        book.submit(who, picked);
    }
    for (a, b) in book.matches() {
        w.prepare_cached(
            "INSERT INTO mixer_matches (offering_id, a_id, b_id) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![offering_id, a, b])?;
    }
    let version = w.take_versions(1)?;
    w.prepare_cached(
        "UPDATE mixer_settings SET picks_closed_at = ?1, version = ?2 WHERE offering_id = ?3",
    )?
    .execute(params![now, version, offering_id])?;
    bump_participants(w, offering_id, now, false)?;
    Ok(Ok(counts(w, offering_id)?))
}

/// Gives every confirmed registration of the mixer (only those checked in, with
/// `checked_in_only`) a new version, each its own: their devices re-read who is present or
/// their matches.
pub fn bump_participants(
    w: &Writing<'_>,
    offering_id: &str,
    now: i64,
    checked_in_only: bool,
) -> crate::db::sql::Result<()> {
    let ids: Vec<String> = w
        .prepare_cached(
            "SELECT id FROM registrations
              WHERE offering_id = ?1 AND status = 'confirmed' AND user_id IS NOT NULL
                AND (?2 = 0 OR checked_in_at IS NOT NULL)
              ORDER BY id",
        )?
        .query_map(params![offering_id, checked_in_only], |r| r.get(0))?
        .collect::<crate::db::sql::Result<_>>()?;
    if ids.is_empty() {
        return Ok(());
    }
    let first = w.take_versions(ids.len() as i64)?;
    for (i, id) in ids.iter().enumerate() {
        w.prepare_cached("UPDATE registrations SET version = ?1, updated_at = ?2 WHERE id = ?3")?
            .execute(params![first + i as i64, now, id])?;
    }
    Ok(())
}

/// Whether the offering is a mixer.
pub fn is_mixer(conn: &crate::db::sql::Conn, offering_id: &str) -> crate::db::sql::Result<bool> {
    Ok(super::offerings::kind_of(conn, offering_id)? == Some(domain::OfferingKind::Mixer))
}

/// A mixer's counts (see [`MixerCounts`]); picks and matches only once the window has closed.
pub fn counts(
    conn: &crate::db::sql::Conn,
    offering_id: &str,
) -> crate::db::sql::Result<MixerCounts> {
    let (opened, closed): (Option<i64>, Option<i64>) = conn
        .prepare_cached(
            "SELECT picks_opened_at, picks_closed_at FROM mixer_settings WHERE offering_id = ?1",
        )?
        .query_row([offering_id], |r| r.tuple())
        .optional()?
        .unwrap_or((None, None));
    let window = PickWindow::of(opened, closed);
    let mut confirmed = [0u32; 2];
    let mut checked_in = [0u32; 2];
    let rows: Vec<(String, u32, u32)> = conn
        .prepare_cached(
            "SELECT pool, COUNT(*), COUNT(checked_in_at) FROM registrations
              WHERE offering_id = ?1 AND status = 'confirmed' GROUP BY pool",
        )?
        .query_map([offering_id], |r| r.tuple())?
        .collect::<crate::db::sql::Result<_>>()?;
    for (pool, n, present) in rows {
        let i = match PoolKey::parse(&pool) {
            Some(PoolKey::Male) => 0,
            Some(PoolKey::Female) => 1,
            _ => continue,
        };
        confirmed[i] = n;
        checked_in[i] = present;
    }
    let after = window == PickWindow::Closed;
    let (pickers, picks): (u32, u32) = conn
        .prepare_cached(
            "SELECT COUNT(DISTINCT registration_id), COUNT(*) FROM mixer_picks
              WHERE offering_id = ?1",
        )?
        .query_row([offering_id], |r| r.tuple())?;
    let pairs: u32 = conn
        .prepare_cached("SELECT COUNT(*) FROM mixer_matches WHERE offering_id = ?1")?
        .query_row([offering_id], |r| r.get(0))?;
    Ok(MixerCounts {
        window,
        confirmed,
        checked_in,
        pickers: after.then_some(pickers),
        picks: after.then_some(picks),
        pairs: after.then_some(pairs),
    })
}

/// What a participant's own registration row carries at a mixer (see `sync::pull`).
#[derive(Debug, Default)]
pub struct ParticipantView {
    /// Their badge, once checked in.
    pub badge: Option<Badge>,
    /// Their picks as the server has them.
    pub picks: Vec<Badge>,
    /// The others checked in (badge and nickname), while the window is not closed.
    pub present: Vec<domain::sync::Present>,
    /// Their matches, once it has closed.
    pub matches: Vec<domain::sync::MatchCard>,
}

/// `registration_id`'s view of its mixer (the caller has checked the registration is theirs).
pub async fn participant_view(
    db: &Pool,
    registration_id: &str,
) -> crate::db::sql::Result<ParticipantView> {
    // (offering, pool, badge number, checked in at, status, window closed at)
    type Own = (
        String,
        String,
        Option<i64>,
        Option<i64>,
        String,
        Option<i64>,
    );
    let row: Option<Own> = db
        .fetch_optional(
            "SELECT r.offering_id, r.pool, r.badge_no, r.checked_in_at, r.status,
                    s.picks_closed_at
               FROM registrations r JOIN mixer_settings s ON s.offering_id = r.offering_id
              WHERE r.id = ?1",
            args![registration_id],
            |r| r.tuple(),
        )
        .await?;
    let Some((offering_id, pool, badge_no, checked_in_at, status, closed_at)) = row else {
        return Ok(ParticipantView::default());
    };
    if status != RegistrationStatus::Confirmed.as_str() || checked_in_at.is_none() {
        return Ok(ParticipantView::default());
    }
    let picks: Vec<(String, Option<i64>)> = db
        .fetch_all(
            "SELECT p.pool, p.badge_no FROM mixer_picks k JOIN registrations p ON p.id = k.picked_id
              WHERE k.registration_id = ?1 ORDER BY p.pool, p.badge_no",
            args![registration_id],
            |r| r.tuple(),
        )
        .await?;
    let mut view = ParticipantView {
        badge: badge(&pool, badge_no),
        picks: picks.iter().filter_map(|(p, n)| badge(p, *n)).collect(),
        ..ParticipantView::default()
    };
    if closed_at.is_none() {
        // The nickname out of the profile's JSON text.
        let nickname = db.backend().pick(
            "json_extract(p.profile, '$.nickname')",
            "CAST(p.profile AS json) ->> 'nickname'",
        );
        let present: Vec<(String, Option<i64>, Option<String>)> = db
            .fetch_all(
                &format!(
                    "SELECT r.pool, r.badge_no, {nickname}
                       FROM registrations r LEFT JOIN mixer_profiles p ON p.user_id = r.user_id
                      WHERE r.offering_id = ?1 AND r.status = 'confirmed'
                        AND r.checked_in_at IS NOT NULL AND r.id <> ?2
                      ORDER BY r.pool, r.badge_no"
                ),
                args![offering_id, registration_id],
                |r| r.tuple(),
            )
            .await?;
        view.present = present
            .into_iter()
            .filter_map(|(p, n, nickname)| {
                Some(domain::sync::Present {
                    badge: badge(&p, n)?,
                    nickname: nickname.unwrap_or_default(),
                })
            })
            .collect();
    } else {
        // (pool, badge number, profile, phone) of each match
        type Other = (String, Option<i64>, Option<String>, Option<String>);
        let matches: Vec<Other> = db
            .fetch_all(
                "SELECT o.pool, o.badge_no, p.profile, u.phone
                   FROM mixer_matches m
                   JOIN registrations o
                     ON o.id = CASE WHEN m.a_id = ?1 THEN m.b_id ELSE m.a_id END
                   LEFT JOIN mixer_profiles p ON p.user_id = o.user_id
                   LEFT JOIN users u ON u.id = o.user_id
                  WHERE m.a_id = ?1 OR m.b_id = ?1
                  ORDER BY o.pool, o.badge_no",
                args![registration_id],
                |r| r.tuple(),
            )
            .await?;
        view.matches = matches
            .into_iter()
            .filter_map(|(p, n, profile, phone)| {
                let profile: Option<MixerProfile> =
                    profile.and_then(|j| serde_json::from_str(&j).ok());
                // The contact the other chose to share; none if their account is gone.
                let (contact_kind, contact) = match &profile {
                    Some(p) if p.contact_kind == ContactKind::Wechat => {
                        (ContactKind::Wechat, p.wechat_id.clone())
                    }
                    _ => (ContactKind::Phone, phone.unwrap_or_default()),
                };
                Some(domain::sync::MatchCard {
                    badge: badge(&p, n)?,
                    nickname: profile.map(|p| p.nickname).unwrap_or_default(),
                    contact_kind,
                    contact,
                })
            })
            .collect();
    }
    Ok(view)
}
