//! `/api/v1/auth/*`: sign up, sign in, sign out, change password.

use crate::{
    AppState,
    auth::{
        Caller, known_device, password,
        rate_limit::{self, Attempt},
        session,
    },
    db::{
        pool::args,
        users::{self, InsertUserError},
    },
    error::{ApiError, ApiJson},
};
use axum::{
    extract::{ConnectInfo, FromRequestParts, State},
    http::{StatusCode, request::Parts},
    response::{IntoResponse, Response},
};
use domain::{
    AuthResponse, ErrorCode, LoginRequest, PRIVACY_NOTICE_VERSION, PhoneNumber, SignupRequest,
    account::{PasswordChange, check_password},
};
use std::net::{IpAddr, SocketAddr};
use time::{OffsetDateTime, format_description::well_known::Rfc3339};

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

/// The client's IP address, for rate limits: the TCP peer's, or, when the peer is a trusted
/// proxy (`--trusted-proxies`), the address its `X-Forwarded-For` names.
pub struct ClientAddr(pub String);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(a)| a.ip());
        let forwarded = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join(",");
        Ok(Self(client_ip(
            peer,
            &forwarded,
            &state.config.trusted_proxies,
        )))
    }
}

/// The client behind `peer`: `peer` itself unless it is one of `trusted` proxies; then, reading
/// `forwarded` (X-Forwarded-For: each proxy appends the address it was reached from) from the
/// right, the first address that is not a trusted proxy. A value that is not an address stops
/// the reading there (it was written by the client, who could write anything): the last
/// trusted proxy's peer is used.
pub fn client_ip(peer: Option<IpAddr>, forwarded: &str, trusted: &[IpAddr]) -> String {
    let Some(mut client) = peer else {
        return "unknown".into();
    };
    if trusted.contains(&client) {
        for part in forwarded.rsplit(',') {
            match part.trim().parse::<IpAddr>() {
                Ok(ip) => {
                    client = ip;
                    if !trusted.contains(&ip) {
                        break;
                    }
                }
                Err(_) => break,
            }
        }
    }
    client.to_string()
}

/// A new session for `user_id`, and the known-device token the device should keep (the one it
/// presented, if the server issued it; else a new one).
async fn signed_in(
    state: &AppState,
    user_id: &str,
    device_token: Option<&str>,
    now: OffsetDateTime,
) -> Result<AuthResponse, ApiError> {
    let (token, expires_at) = session::create(&state.store, user_id, now).await?;
    let device_token = known_device::remember(&state.store, user_id, device_token, now).await?;
    let user = users::profile(&state.store, user_id)
        .await?
        .ok_or_else(|| ApiError::not_found("user"))?;
    Ok(AuthResponse {
        token,
        user,
        expires_at: rfc3339(expires_at),
        device_token: Some(device_token),
    })
}

/// `POST /api/v1/auth/signup`: a new youth account, signed in.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn signup(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    ApiJson(request): ApiJson<SignupRequest>,
) -> Result<Response, ApiError> {
    state
        .limits
        .sign_up(&addr, rate_limit::now_ms())
        .await?
        .map_err(|wait| ApiError::TooMany(wait.0))?;
    let now = OffsetDateTime::now_utc();
    let valid = request
        .validate(now.year())
        .map_err(|errors| match errors.first() {
            Some(e) => ApiError::field(e.field, e.code),
            None => ApiError::new(ErrorCode::BadRequest, "invalid sign-up"),
        })?;
    let hash = password::hash(valid.password.clone()).await?;
    let mut tx = state.store.begin_write().await?;
    let user_id = match users::insert(&mut tx, &valid, &hash, PRIVACY_NOTICE_VERSION, now).await {
        Ok(id) => id,
        Err(InsertUserError::PhoneTaken) => {
            return Err(ApiError::new(
                ErrorCode::PhoneTaken,
                "this phone number already has an account: sign in instead",
            ));
        }
        Err(InsertUserError::Db(e)) => return Err(e.into()),
    };
    tx.commit().await?;
    tracing::info!(user.id = %user_id, "signed up");
    let body = signed_in(&state, &user_id, None, now).await?;
    Ok((StatusCode::CREATED, ApiJson(body)).into_response())
}

/// `POST /api/v1/auth/login`. A wrong password and an unknown phone get the same answer.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn login(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    ApiJson(request): ApiJson<LoginRequest>,
) -> Result<Response, ApiError> {
    // An unparsable phone has no account; it is counted under what was typed (the start of
    // it: a megabyte of text is not kept as a key), so it cannot dodge the address's limit.
    let phone = PhoneNumber::parse(&request.phone).ok();
    let account = match &phone {
        Some(p) => p.as_str(),
        None => prefix(&request.phone, 32),
    };
    let found = match &phone {
        Some(p) => users::credentials(&state.store, p.as_str()).await?,
        None => None,
    };
    // A known device is one the server recognises for this very account: a token of another
    // account, or any made-up one, is no token.
    let now = OffsetDateTime::now_utc();
    let device = match (&found, request.device_token.as_deref()) {
        (Some((user_id, _)), Some(token)) => {
            known_device::recognise(&state.store, user_id, token, now).await?
        }
        _ => None,
    };
    let attempt = Attempt {
        account,
        addr: &addr,
        device: device.as_deref(),
    };
    state
        .limits
        .begin(&attempt, rate_limit::now_ms())
        .await?
        .map_err(|wait| ApiError::TooMany(wait.0))?;
    let password_ok = request.password.chars().count() <= domain::account::MAX_PASSWORD_CHARS
        && password::verify(
            request.password.clone(),
            found.as_ref().map(|(_, h)| h.clone()),
        )
        .await?;
    let Some((user_id, _)) = found.filter(|_| password_ok) else {
        return Err(ApiError::new(
            ErrorCode::InvalidCredentials,
            "wrong phone number or password",
        ));
    };
    state.limits.succeeded(&attempt).await?;
    tracing::info!(user.id = %user_id, known_device = device.is_some(), "signed in");
    let body = signed_in(&state, &user_id, request.device_token.as_deref(), now).await?;
    Ok(ApiJson(body).into_response())
}

/// The longest start of `s` of at most `max` bytes that ends on a character boundary.
fn prefix(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// `POST /api/v1/auth/logout`: ends this session.
pub async fn logout(State(state): State<AppState>, caller: Caller) -> Result<StatusCode, ApiError> {
    session::revoke(&state.store, &caller.session_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/v1/auth/logout-all`: ends every session of this person, this one included.
pub async fn logout_all(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<StatusCode, ApiError> {
    session::revoke_all(&state.store, &caller.user_id, None).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Checks a signed-in person's password under the sign-in limits: the same budget as signing
/// in to their account from this address, so a session is no way around them. Over a limit,
/// `TooMany` and the password is not checked.
pub async fn check_own_password(
    state: &AppState,
    user_id: &str,
    addr: &str,
    password: String,
) -> Result<bool, ApiError> {
    let Some((phone, stored)) = users::phone_and_password_hash(&state.store, user_id).await? else {
        return Err(ApiError::unauthenticated());
    };
    let attempt = Attempt {
        account: &phone,
        addr,
        device: None,
    };
    state
        .limits
        .begin(&attempt, rate_limit::now_ms())
        .await?
        .map_err(|wait| ApiError::TooMany(wait.0))?;
    let ok = password.chars().count() <= domain::account::MAX_PASSWORD_CHARS
        && password::verify(password, Some(stored)).await?;
    if ok {
        state.limits.succeeded(&attempt).await?;
    }
    Ok(ok)
}

/// `POST /api/v1/auth/password`: needs the current password; signs out every other session
/// and forgets the account's known devices (one that knew the old password is not to guess the
/// new one unslowed; this device becomes known again at its next sign-in).
pub async fn change_password(
    State(state): State<AppState>,
    caller: Caller,
    ClientAddr(addr): ClientAddr,
    ApiJson(change): ApiJson<PasswordChange>,
) -> Result<StatusCode, ApiError> {
    let profile = users::profile(&state.store, &caller.user_id)
        .await?
        .ok_or_else(ApiError::unauthenticated)?;
    if !check_own_password(&state, &caller.user_id, &addr, change.current_password).await? {
        return Err(ApiError::new(
            ErrorCode::InvalidCredentials,
            "the current password is wrong",
        ));
    }
    check_password(&change.new_password, Some(&profile.phone))
        .map_err(|code| ApiError::field("new_password", code))?;
    let hash = password::hash(change.new_password).await?;
    state
        .store
        .execute(
            "UPDATE users SET password_hash = ?1 WHERE id = ?2",
            args![hash, caller.user_id],
        )
        .await?;
    session::revoke_all(&state.store, &caller.user_id, Some(&caller.session_id)).await?;
    known_device::forget_all(&state.store, &caller.user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::client_ip;

    fn ip(s: &str) -> std::net::IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_client_address_is_read_from_a_trusted_proxys_header_only() {
        let proxies = [ip("10.0.0.2"), ip("10.0.0.3")];
        // Not behind a trusted proxy: the header is the client's own words, ignored.
        let direct = Some(ip("203.0.113.9"));
        assert_eq!(client_ip(direct, "198.51.100.1", &proxies), "203.0.113.9");
        assert_eq!(client_ip(direct, "198.51.100.1", &[]), "203.0.113.9");
        // Behind one proxy: the address it appended.
        let proxy = Some(ip("10.0.0.2"));
        assert_eq!(client_ip(proxy, "198.51.100.1", &proxies), "198.51.100.1");
        // A client's forged first entry is passed over: the rightmost untrusted one counts.
        let chain = "1.2.3.4, 198.51.100.1, 10.0.0.3";
        assert_eq!(client_ip(proxy, chain, &proxies), "198.51.100.1");
        // IPv6 and spaces.
        assert_eq!(client_ip(proxy, " 2001:db8::1 ", &proxies), "2001:db8::1");
        // Not an address where one should be: the last trusted hop's peer.
        assert_eq!(client_ip(proxy, "evil, 10.0.0.3", &proxies), "10.0.0.3");
        assert_eq!(client_ip(proxy, "", &proxies), "10.0.0.2");
        assert_eq!(client_ip(None, "198.51.100.1", &proxies), "unknown");
    }
}
