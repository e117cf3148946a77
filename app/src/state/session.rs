//! Who is signed in on this device, kept in local storage so the app opens signed in even
//! with no network.
//!
//! A session the server no longer accepts (expired, revoked, signed out elsewhere) is *not*
//! forgotten: `needs_sign_in` turns on, the app asks the person to sign in again, and
//! whatever the device still has to send stays theirs until they do. Only signing out or
//! deleting the account forgets the session.

use super::set_if_changed;
use crate::api::{self, ApiError};
use domain::{AuthResponse, UserProfile};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

const SESSION_KEY: &str = "qingtuan.session";
/// The known-device token, kept apart from the session: signing out forgets the session but not
/// this, so the device still counts as known (spared an attacked account's slow-down) when its
/// owner signs in again. (Not `qingtuan.device`: that is the scanning device's id.)
const DEVICE_KEY: &str = "qingtuan.known-device";

/// The known-device token the server gave this device at its last sign-in, if any.
pub fn device_token() -> Option<String> {
    use gloo_storage::{LocalStorage, Storage};
    LocalStorage::raw().get_item(DEVICE_KEY).ok().flatten()
}

/// A signed-in person on this device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// The bearer token.
    pub token: String,
    /// Who it is, as last seen from the server.
    pub user: UserProfile,
    /// When the server said the session expires unless used (RFC 3339). The server extends it
    /// on use without telling us, so this is informative only, never a reason to sign out.
    pub expires_at: String,
}

impl From<AuthResponse> for Session {
    fn from(auth: AuthResponse) -> Self {
        Self {
            token: auth.token,
            user: auth.user,
            expires_at: auth.expires_at,
        }
    }
}

/// What local storage holds: the session and whether the server has refused it, so a reload
/// still shows "sign in again". The session's fields are spelled out rather than
/// `#[serde(flatten)]`-ed: the same JSON, without serde's buffering of flattened fields (which
/// carried a second deserializer for the user profile into the wasm).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Saved {
    token: String,
    user: UserProfile,
    expires_at: String,
    #[serde(default)]
    needs_sign_in: bool,
}

fn encode(session: &Session, needs_sign_in: bool) -> Result<String, serde_json::Error> {
    serde_json::to_string(&Saved {
        token: session.token.clone(),
        user: session.user.clone(),
        expires_at: session.expires_at.clone(),
        needs_sign_in,
    })
}

/// Reads what [`encode`] wrote; anything unreadable (another build's shape, a hand edit) is
/// treated as signed out rather than breaking the app.
fn decode(raw: &str) -> Option<(Session, bool)> {
    engine::from_json::<Saved>(raw).ok().map(|s| {
        let session = Session {
            token: s.token,
            user: s.user,
            expires_at: s.expires_at,
        };
        (session, s.needs_sign_in)
    })
}

/// The session as the screens see it.
#[derive(Clone, Copy)]
pub struct SessionState {
    /// The signed-in person, if any (kept while `needs_sign_in`).
    pub session: RwSignal<Option<Session>>,
    /// The server refused the session: the person must sign in again.
    pub needs_sign_in: RwSignal<bool>,
}

impl SessionState {
    /// The signed-in person (reactive).
    pub fn user(&self) -> Option<UserProfile> {
        self.session.with(|s| s.as_ref().map(|s| s.user.clone()))
    }

    /// The bearer token for a request (not reactive: read when a request starts).
    pub fn token(&self) -> Option<String> {
        self.session
            .with_untracked(|s| s.as_ref().map(|s| s.token.clone()))
    }

    /// Records a successful sign-up or sign-in.
    pub fn signed_in(&self, auth: AuthResponse) {
        if let Some(token) = &auth.device_token {
            use gloo_storage::{LocalStorage, Storage};
            // Private mode may refuse: the device is then simply not known next time.
            let _ = LocalStorage::raw().set_item(DEVICE_KEY, token);
        }
        self.session.set(Some(auth.into()));
        self.needs_sign_in.set(false);
    }

    /// Forgets the session on this device.
    pub fn forget(&self) {
        self.session.set(None);
        self.needs_sign_in.set(false);
    }

    /// Passes a result through, noticing when the server no longer accepts `token`. A late
    /// answer for a token that has since been replaced says nothing about the new one.
    pub fn guard<T>(&self, token: &str, result: Result<T, ApiError>) -> Result<T, ApiError> {
        if let Err(e) = &result
            && e.is_unauthenticated()
            && self.token().as_deref() == Some(token)
        {
            set_if_changed(self.needs_sign_in, true);
        }
        result
    }

    /// Asks the server who this is now: roles change, and a session may have been revoked
    /// from another device. With no network nothing changes.
    pub async fn refresh(self) {
        let Some(token) = self.token() else {
            return;
        };
        match self.guard(&token, api::me(&token).await) {
            Ok(user) => {
                if self.token().as_deref() == Some(token.as_str()) {
                    // Nothing new is no change: every view that shows who this is (the ticket
                    // with its opened code, say) would be drawn again.
                    let changed = self
                        .session
                        .with_untracked(|s| s.as_ref().is_some_and(|s| s.user != user));
                    if changed {
                        self.session.update(|s| {
                            if let Some(s) = s {
                                s.user = user;
                            }
                        });
                    }
                    set_if_changed(self.needs_sign_in, false);
                }
            }
            Err(e) => leptos::logging::log!("session refresh: {e}"),
        }
    }

    /// Signs out: the device forgets the session at once, and the server is told when it can
    /// be reached (offline, the token simply expires unused).
    pub fn sign_out(&self) {
        let token = self.token();
        self.forget();
        if let Some(token) = token {
            leptos::task::spawn_local(async move {
                if let Err(e) = api::logout(&token).await {
                    leptos::logging::log!("sign-out not sent to the server: {e}");
                }
            });
        }
    }

    /// Refreshes now, whenever the device comes back online, and follows sign-ins and
    /// sign-outs made in other tabs.
    pub fn start(self) {
        leptos::task::spawn_local(self.refresh());
        let _ = window_event_listener(leptos::ev::online, move |_| {
            leptos::task::spawn_local(self.refresh());
        });
        let _ = window_event_listener(leptos::ev::storage, move |event| {
            if event.key().as_deref() == Some(SESSION_KEY) {
                let (session, needs) = load();
                set_if_changed(self.session, session);
                set_if_changed(self.needs_sign_in, needs);
            }
        });
    }
}

fn load() -> (Option<Session>, bool) {
    match crate::dom::saved_raw(SESSION_KEY)
        .as_deref()
        .and_then(decode)
    {
        Some((session, needs)) => (Some(session), needs),
        None => (None, false),
    }
}

/// Provides the session saved on this device and keeps the saved copy up to date.
pub fn provide_session() -> SessionState {
    use gloo_storage::{LocalStorage, Storage};
    let (session, needs) = load();
    let state = SessionState {
        session: RwSignal::new(session),
        needs_sign_in: RwSignal::new(needs),
    };
    Effect::new(move |_| {
        let needs = state.needs_sign_in.get();
        state.session.with(|s| match s {
            // Private mode may refuse to save: then the session lasts as long as the tab.
            Some(s) => match encode(s, needs) {
                Ok(json) => {
                    let _ = LocalStorage::raw().set_item(SESSION_KEY, &json);
                }
                Err(e) => leptos::logging::warn!("saving the session failed: {e}"),
            },
            None => LocalStorage::delete(SESSION_KEY),
        });
    });
    provide_context(state);
    state
}

/// The session state.
pub fn use_session() -> SessionState {
    expect_context::<SessionState>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::Role;

    fn session() -> Session {
        Session {
            token: "tok".into(),
            user: UserProfile {
                id: "u1".into(),
                phone: "13900000003".into(),
                display_name: "王青青".into(),
                birth_year: 2001,
                roles: vec![Role::Youth],
            },
            expires_at: "2026-12-22T10:00:00+08:00".into(),
        }
    }

    #[test]
    fn the_saved_session_round_trips_with_its_sign_in_flag() {
        let raw = encode(&session(), true).unwrap();
        assert_eq!(decode(&raw), Some((session(), true)));
        // The stored shape is the session's own fields, flat.
        let v: serde_json::Value = serde_json::from_str(&raw).unwrap();
        assert_eq!(v["token"], "tok");
        assert_eq!(v["user"]["display_name"], "王青青");
        // Exactly what the flattened shape wrote before, so saved sessions stay readable.
        assert_eq!(
            raw,
            r#"{"token":"tok","user":{"id":"u1","phone":"13900000003","display_name":"王青青","birth_year":2001,"roles":["youth"]},"expires_at":"2026-12-22T10:00:00+08:00","needs_sign_in":true}"#
        );
    }

    #[test]
    fn a_session_saved_without_the_flag_is_a_good_one() {
        let raw = r#"{"token":"tok","user":{"id":"u1","phone":"13900000003","display_name":"王青青","birth_year":2001,"roles":["youth"]},"expires_at":"2026-12-22T10:00:00+08:00"}"#;
        assert_eq!(decode(raw), Some((session(), false)));
    }

    #[test]
    fn an_unreadable_saved_session_counts_as_signed_out() {
        assert_eq!(decode("not json"), None);
        assert_eq!(decode(r#"{"token":"tok"}"#), None);
    }

    #[test]
    fn an_auth_response_becomes_the_session() {
        let s = session();
        let auth = AuthResponse {
            token: s.token.clone(),
            user: s.user.clone(),
            expires_at: s.expires_at.clone(),
            device_token: Some("device".into()),
        };
        assert_eq!(Session::from(auth), s);
    }
}
