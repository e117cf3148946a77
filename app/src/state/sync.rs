//! The sync loop for the signed-in person, and what the screens show of it.
//!
//! Each person has their own database on the device (`qingtuan-u-<user id>`): their base, their
//! outbox, their device id. The loop syncs on start, when the device comes back online, when the
//! tab becomes visible, after every local action, and every 30 s; after a failure it backs off
//! exponentially with jitter. Only one tab syncs at a time (Web Locks); the others are told when
//! the data changed (BroadcastChannel) and re-read it.

use super::set_if_changed;
use crate::{
    format,
    state::{catalogue::CatalogueState, session::SessionState},
};
use domain::{
    OfferingSummary, Venue,
    hours::ScanKind,
    registration::{MutationError, RegistrationStatus, predict},
    sync::{
        CancelArgs, CheckinArgs, HoursCorrectArgs, Op, Outcome, RequestArgs, ReviewArgs,
        ReviewDecision, WalkInArgs,
    },
};
use engine::{
    HttpTransport, Notice, OutboxEntry, Store, SyncEngine, SyncError, TransportError,
    backoff::sync_delay,
    store::DeviceStore,
    venue::{self, ScanNote, VenueData},
    view::RegistrationView,
};
use futures::{StreamExt, channel::mpsc};
use leptos::prelude::*;
use serde_json::{Map, Value};
use std::rc::Rc;
use time::OffsetDateTime;

/// The engine the app runs for one person.
pub type AppEngine = SyncEngine<DeviceStore, HttpTransport>;

/// How often to sync while nothing else asks for it.
const EVERY: std::time::Duration = std::time::Duration::from_secs(30);

/// The app's own note in the person's store: when the last sync finished (Unix ms), so venue
/// mode can say when its roster was downloaded even after a reload in airplane mode.
const SYNCED_AT: &str = "app.synced_at";

/// Where this device's id for check-ins is kept (one per browser profile, not per person).
const DEVICE_KEY: &str = "qingtuan.device";

/// This device's id for scans: made once, kept in local storage.
pub fn device_id() -> String {
    use gloo_storage::{LocalStorage, Storage};
    if let Some(id) = crate::dom::saved_setting::<String>(DEVICE_KEY)
        && !id.is_empty()
        && id.len() <= 64
    {
        return id;
    }
    let id = uuid_v4();
    // Private mode: a new id per page load, which only makes duplicates easier to spot.
    let _ = LocalStorage::set(DEVICE_KEY, &id);
    id
}

/// A device id as people read it: its last four characters (`设备 9F2C`).
pub fn short_device(id: &str) -> String {
    let chars: Vec<char> = id.chars().filter(char::is_ascii_alphanumeric).collect();
    chars[chars.len().saturating_sub(4)..]
        .iter()
        .collect::<String>()
        .to_ascii_uppercase()
}

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
        .filter(|e| e.name == "review.decide")
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

/// What the sync indicator says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncStatus {
    /// Nobody signed in, or not started yet.
    Idle,
    /// No network.
    Offline,
    /// A sync is under way.
    Syncing,
    /// Up to date as of this time.
    Synced(OffsetDateTime),
    /// The server no longer accepts the session: sign in again (nothing queued is lost).
    NeedsSignIn,
    /// The server speaks a newer protocol: reload the app.
    UpdateApp,
    /// Something else failed; it will be retried.
    Failed(String),
}

struct Running {
    user_id: String,
    engine: AppEngine,
    wake: mpsc::UnboundedSender<()>,
}

/// Sync state for the screens.
#[derive(Clone, Copy)]
pub struct SyncState {
    /// What the indicator says.
    pub status: RwSignal<SyncStatus>,
    /// Actions on this device the server has not answered yet.
    pub pending: RwSignal<usize>,
    /// The person's registrations, as the screen shows them (base + outbox).
    pub registrations: RwSignal<Vec<RegistrationView>>,
    /// Things the person should be told (the server decided otherwise, or refused).
    pub notices: RwSignal<Vec<Notice>>,
    /// Whether the browser keeps this site's data under storage pressure (None: unknown).
    pub persisted: RwSignal<Option<bool>>,
    /// Whether the device store for the signed-in person is open.
    pub ready: RwSignal<bool>,
    /// Every offering the person's store has (ended and cancelled ones too), for titles, the
    /// hours ledger and venue mode.
    pub offerings: RwSignal<Vec<OfferingSummary>>,
    /// Every venue the person's store has.
    pub venues: RwSignal<Vec<Venue>>,
    /// Venue mode: rosters, scans, assignments and ticket keys, with queued actions replayed.
    pub venue: RwSignal<VenueData>,
    /// Review decisions made here and not yet settled.
    pub reviews: RwSignal<Vec<LocalReview>>,
    /// When the last sync finished (kept on the device).
    pub synced_at: RwSignal<Option<OffsetDateTime>>,
    /// Rows on the device this build could not read (a time out of range, another version's
    /// shape): left out of every screen and said so, never fatal.
    pub unreadable: RwSignal<usize>,
    running: StoredValue<Option<Rc<Running>>, LocalStorage>,
    // Held here because async work runs outside the component tree, where contexts are gone.
    session: SessionState,
    catalogue: CatalogueState,
}

#[cfg(target_arch = "wasm32")]
mod glue {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen(module = "/src/sync_glue.js")]
    extern "C" {
        #[wasm_bindgen(js_name = tryLock)]
        pub fn try_lock(name: &str) -> js_sys::Promise;
        pub fn announce(name: &str);
        pub fn listen(name: &str, callback: &Closure<dyn FnMut()>);
        #[wasm_bindgen(js_name = persistStorage)]
        pub fn persist_storage() -> js_sys::Promise;
        #[wasm_bindgen(js_name = isOnline)]
        pub fn is_online() -> bool;
    }
}

#[cfg(target_arch = "wasm32")]
fn channel_name(user_id: &str) -> String {
    format!("qingtuan-sync-{user_id}")
}

fn is_online() -> bool {
    #[cfg(target_arch = "wasm32")]
    {
        glue::is_online()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        true
    }
}

fn now_ms() -> i64 {
    (format::now().unix_timestamp_nanos() / 1_000_000) as i64
}

impl SyncState {
    fn current(&self) -> Option<Rc<Running>> {
        self.running.get_value()
    }

    /// Asks for a sync as soon as possible.
    pub fn sync_now(&self) {
        if let Some(r) = self.current() {
            let _ = r.wake.unbounded_send(());
        }
    }

    /// Signs up for `offering` on this device with the answers to its questions (checked by the
    /// caller); the server decides when it is reached.
    pub async fn request(
        &self,
        offering: &OfferingSummary,
        answers: Map<String, Value>,
    ) -> Result<(), String> {
        let Some(r) = self.current() else {
            return Err("not signed in".into());
        };
        let has_live = self.registrations.with_untracked(|regs| {
            regs.iter()
                .any(|g| g.offering_id == offering.id && g.status.is_live())
        });
        let predicted = predict(
            &offering.rules(),
            offering.seats_left(),
            offering.waitlist_len,
            format::now().unix_timestamp(),
            has_live,
        );
        let op = Op::RegistrationRequest(RequestArgs {
            registration_id: uuid_v4(),
            offering_id: offering.id.clone(),
            answers,
        });
        r.engine
            .enqueue(&op, now_ms(), Some(predicted))
            .await
            .map_err(|e| e.to_string())?;
        self.after_local_write(&r).await;
        Ok(())
    }

    /// Cancels a registration on this device; the server applies it when reached.
    pub async fn cancel(&self, registration_id: &str) -> Result<(), String> {
        let Some(r) = self.current() else {
            return Err("not signed in".into());
        };
        let op = Op::RegistrationCancel(CancelArgs {
            registration_id: registration_id.to_owned(),
        });
        r.engine
            .enqueue(&op, now_ms(), None)
            .await
            .map_err(|e| e.to_string())?;
        self.after_local_write(&r).await;
        Ok(())
    }

    /// Queues an action with the device's own note beside it (for venue mode, which offering and
    /// whose name), without refreshing the screen.
    async fn queue(&self, r: &Running, op: &Op, note: Option<&ScanNote>) -> Result<(), String> {
        let local = note.and_then(|n| serde_json::to_string(n).ok());
        r.engine
            .store()
            .enqueue(op.name(), op.args().to_string(), now_ms(), local)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    /// Approves or rejects registrations (admins): one `review.decide` each, in one go.
    pub async fn decide(
        &self,
        registration_ids: &[String],
        decision: ReviewDecision,
        reason: &str,
    ) -> Result<(), String> {
        let Some(r) = self.current() else {
            return Err("not signed in".into());
        };
        let mut result = Ok(());
        for id in registration_ids {
            let op = Op::ReviewDecide(ReviewArgs {
                registration_id: id.clone(),
                decision,
                reason: reason.trim().to_owned(),
            });
            result = self.queue(&r, &op, None).await;
            if result.is_err() {
                break;
            }
        }
        self.after_local_write(&r).await;
        result
    }

    /// Records a scan at the door (organizers), on this device first.
    pub async fn scan(
        &self,
        offering_id: &str,
        registration_id: &str,
        name: &str,
        kind: ScanKind,
    ) -> Result<(), String> {
        let Some(r) = self.current() else {
            return Err("not signed in".into());
        };
        let op = Op::CheckinRecord(CheckinArgs {
            checkin_id: uuid_v4(),
            registration_id: registration_id.to_owned(),
            kind,
            scanned_at: now_ms(),
            device_id: device_id(),
        });
        let note = ScanNote {
            offering_id: offering_id.to_owned(),
            name: name.to_owned(),
        };
        let result = self.queue(&r, &op, Some(&note)).await;
        self.after_local_write(&r).await;
        result
    }

    /// Registers a walk-in at the door and checks them in (organizers); the server gives the
    /// seat if one is still free.
    pub async fn walk_in(&self, offering_id: &str, name: &str, last4: &str) -> Result<(), String> {
        let Some(r) = self.current() else {
            return Err("not signed in".into());
        };
        let registration_id = uuid_v4();
        let op = Op::WalkIn(WalkInArgs {
            registration_id: registration_id.clone(),
            offering_id: offering_id.to_owned(),
            display_name: name.trim().to_owned(),
            phone_last4: last4.trim().to_owned(),
        });
        let note = ScanNote {
            offering_id: offering_id.to_owned(),
            name: name.trim().to_owned(),
        };
        let mut result = self.queue(&r, &op, Some(&note)).await;
        if result.is_ok() {
            let scan = Op::CheckinRecord(CheckinArgs {
                checkin_id: uuid_v4(),
                registration_id,
                kind: ScanKind::In,
                scanned_at: now_ms(),
                device_id: device_id(),
            });
            result = self.queue(&r, &scan, Some(&note)).await;
        }
        self.after_local_write(&r).await;
        result
    }

    /// Corrects someone's credited minutes (organizers), with the reason the audit log keeps.
    pub async fn correct_hours(
        &self,
        registration_id: &str,
        minutes: u32,
        reason: &str,
    ) -> Result<(), String> {
        let Some(r) = self.current() else {
            return Err("not signed in".into());
        };
        let op = Op::HoursCorrect(HoursCorrectArgs {
            registration_id: registration_id.to_owned(),
            minutes,
            reason: reason.trim().to_owned(),
        });
        let result = self.queue(&r, &op, None).await;
        self.after_local_write(&r).await;
        result
    }

    /// The offering with `id` from the person's store, else the public list.
    pub fn offering(&self, id: &str) -> Option<OfferingSummary> {
        self.offerings
            .with(|os| os.iter().find(|o| o.id == id).cloned())
            .or_else(|| {
                self.catalogue
                    .catalogue
                    .with(|c| c.offerings.iter().find(|o| o.id == id).cloned())
            })
    }

    /// The venue with `id` from the person's store, else the public list.
    pub fn venue_of(&self, id: &str) -> Option<Venue> {
        self.venues
            .with(|vs| vs.iter().find(|v| v.id == id).cloned())
            .or_else(|| {
                self.catalogue
                    .catalogue
                    .with(|c| c.venues.iter().find(|v| v.id == id).cloned())
            })
    }

    /// Forgets the notices shown.
    pub async fn dismiss_notices(&self) {
        if let Some(r) = self.current() {
            let _ = r.engine.dismiss_notices().await;
        }
        self.notices.set(Vec::new());
    }

    async fn after_local_write(&self, r: &Rc<Running>) {
        self.refresh_view(r).await;
        #[cfg(target_arch = "wasm32")]
        glue::announce(&channel_name(&r.user_id));
        let _ = r.wake.unbounded_send(());
        if self.persisted.get_untracked() != Some(true) {
            self.request_persistence();
        }
    }

    /// Re-reads what the screen shows from the device store. A signal is set only when its value
    /// changed: every view built from it is built again when it is set, and with it whatever
    /// the person had open there (a 取消报名 waiting for its confirmation, say).
    async fn refresh_view(&self, r: &Running) {
        let mut unreadable = 0;
        if let Ok((regs, n)) = r.engine.registrations_read().await {
            set_if_changed(self.registrations, regs);
            unreadable += n;
        }
        if let Ok(n) = r.engine.pending().await {
            set_if_changed(self.pending, n);
        }
        if let Ok(n) = r.engine.notices().await {
            set_if_changed(self.notices, n);
        }
        let store = r.engine.store();
        if let Ok((catalogue, _)) =
            crate::state::catalogue::load_cached(store, &mut unreadable).await
        {
            set_if_changed(self.offerings, catalogue.offerings);
            set_if_changed(self.venues, catalogue.venues);
        }
        match venue::load(store).await {
            Ok(v) => {
                unreadable += v.unreadable;
                set_if_changed(self.venue, v);
            }
            Err(e) => leptos::logging::warn!("reading venue mode's rows failed: {e}"),
        }
        if unreadable != self.unreadable.get_untracked() {
            if unreadable > 0 {
                leptos::logging::warn!(
                    "{unreadable} rows on this device could not be read and are not shown"
                );
            }
            self.unreadable.set(unreadable);
        }
        if let Ok(outbox) = store.outbox().await {
            set_if_changed(self.reviews, local_reviews(&outbox));
        }
        if let Ok(at) = store.meta(SYNCED_AT).await {
            let at = at.and_then(|s| s.parse::<i64>().ok()).and_then(|ms| {
                OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok()
            });
            set_if_changed(self.synced_at, at);
        }
    }

    fn request_persistence(&self) {
        #[cfg(target_arch = "wasm32")]
        {
            let persisted = self.persisted;
            leptos::task::spawn_local(async move {
                let answer = wasm_bindgen_futures::JsFuture::from(glue::persist_storage()).await;
                persisted.set(answer.ok().and_then(|v| v.as_bool()));
            });
        }
    }

    /// Opens the person's store and starts the loop; a new person stops the old loop.
    async fn start_for(self, user_id: String, token: String) {
        let (store, refused) = DeviceStore::open(&format!("qingtuan-u-{user_id}")).await;
        if let Some(e) = refused {
            leptos::logging::warn!(
                "IndexedDB unavailable, this person's data stays in memory: {e}"
            );
        }
        let origin = crate::api::url("");
        let engine = SyncEngine::new(store, HttpTransport::new(origin, Some(token)));
        let (wake, rx) = mpsc::unbounded();
        let running = Rc::new(Running {
            user_id: user_id.clone(),
            engine,
            wake,
        });
        // Someone else may have signed in while the store opened.
        let now_signed_in = self
            .session
            .session
            .with_untracked(|s| s.as_ref().map(|s| s.user.id.clone()));
        if now_signed_in.as_deref() != Some(user_id.as_str()) {
            return;
        }
        self.running.set_value(Some(running.clone()));
        self.ready.set(true);
        self.refresh_view(&running).await;
        self.request_persistence();
        #[cfg(target_arch = "wasm32")]
        {
            let this = self;
            let weak = Rc::downgrade(&running);
            let on_change = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
                if let Some(r) = weak.upgrade() {
                    leptos::task::spawn_local(async move { this.refresh_view(&r).await });
                }
            });
            glue::listen(&channel_name(&user_id), &on_change);
            on_change.forget();
        }
        leptos::task::spawn_local(self.run(Rc::downgrade(&running), rx));
    }

    fn stop(&self) {
        // Dropping the last strong handle closes the wake channel: the loop ends.
        self.running.set_value(None);
        self.ready.set(false);
        self.registrations.set(Vec::new());
        self.pending.set(0);
        self.notices.set(Vec::new());
        self.offerings.set(Vec::new());
        self.venues.set(Vec::new());
        self.venue.set(VenueData::default());
        self.reviews.set(Vec::new());
        self.synced_at.set(None);
        self.status.set(SyncStatus::Idle);
    }

    async fn run(self, running: std::rc::Weak<Running>, mut wake: mpsc::UnboundedReceiver<()>) {
        let mut failures: u32 = 0;
        loop {
            let Some(r) = running.upgrade() else {
                return;
            };
            let retry = self.round(&r).await;
            drop(r);
            let delay = match retry {
                Round::Done => {
                    failures = 0;
                    EVERY
                }
                Round::Retry => {
                    failures = failures.saturating_add(1);
                    sync_delay(failures - 1, jitter())
                }
                // Only a new token (or a reload) helps: wait to be woken.
                Round::Wait => std::time::Duration::from_secs(3600),
            };
            let timer = gloo_timers::future::sleep(delay);
            futures::pin_mut!(timer);
            if let futures::future::Either::Left((None, _)) =
                futures::future::select(wake.next(), timer).await
            {
                return;
            }
            // Several wakes while busy mean one more round.
            while wake.try_recv().is_ok() {}
        }
    }

    async fn round(&self, r: &Running) -> Round {
        if !is_online() {
            self.status.set(SyncStatus::Offline);
            self.refresh_view(r).await;
            return Round::Retry;
        }
        #[cfg(target_arch = "wasm32")]
        let release = {
            let lock =
                wasm_bindgen_futures::JsFuture::from(glue::try_lock(&channel_name(&r.user_id)))
                    .await;
            match lock {
                Ok(f) if f.is_function() => Some(js_sys::Function::from(f)),
                // Another tab is syncing; it will announce the result.
                _ => {
                    self.refresh_view(r).await;
                    return Round::Done;
                }
            }
        };
        self.status.set(SyncStatus::Syncing);
        let result = r.engine.sync(now_ms()).await;
        if result.is_ok()
            && let Err(e) = r
                .engine
                .store()
                .set_meta(SYNCED_AT, now_ms().to_string())
                .await
        {
            leptos::logging::warn!("noting the sync time failed: {e}");
        }
        #[cfg(target_arch = "wasm32")]
        if let Some(release) = release {
            let _ = release.call0(&wasm_bindgen::JsValue::NULL);
        }
        self.refresh_view(r).await;
        match result {
            Ok(_) => {
                self.status.set(SyncStatus::Synced(format::now()));
                self.absorb_catalogue(r).await;
                #[cfg(target_arch = "wasm32")]
                glue::announce(&channel_name(&r.user_id));
                Round::Done
            }
            Err(SyncError::Transport(TransportError::Unauthenticated)) => {
                self.status.set(SyncStatus::NeedsSignIn);
                set_if_changed(self.session.needs_sign_in, true);
                Round::Wait
            }
            Err(SyncError::Transport(TransportError::VersionNotSupported)) => {
                self.status.set(SyncStatus::UpdateApp);
                Round::Wait
            }
            Err(SyncError::Transport(e)) if e.is_transient() => {
                self.status.set(if is_online() {
                    SyncStatus::Failed(e.to_string())
                } else {
                    SyncStatus::Offline
                });
                Round::Retry
            }
            Err(e) => {
                self.status.set(SyncStatus::Failed(e.to_string()));
                Round::Retry
            }
        }
    }

    /// The offerings the pull brought are fresher than the public list: show them.
    async fn absorb_catalogue(&self, r: &Running) {
        if let Ok((fresh, _)) = crate::state::catalogue::load_cached(r.engine.store(), &mut 0).await
        {
            self.catalogue.show_synced(fresh);
        }
    }

    /// A registration's view by id.
    pub fn registration_for(&self, offering_id: &str) -> Option<RegistrationView> {
        self.registrations.with(|regs| {
            regs.iter()
                .find(|g| g.offering_id == offering_id && g.status != RegistrationStatus::Cancelled)
                .or_else(|| regs.iter().find(|g| g.offering_id == offering_id))
                .cloned()
        })
    }
}

enum Round {
    Done,
    Retry,
    Wait,
}

fn jitter() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Math::random()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0.5
    }
}

fn uuid_v4() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Provides the sync state and follows the session: a sign-in starts the loop for that person,
/// a new token (signed in again) resumes it, a sign-out stops it (the person's queue stays in
/// their database on the device).
pub fn provide_sync(session: SessionState, catalogue: CatalogueState) -> SyncState {
    let state = SyncState {
        status: RwSignal::new(SyncStatus::Idle),
        pending: RwSignal::new(0),
        registrations: RwSignal::new(Vec::new()),
        notices: RwSignal::new(Vec::new()),
        persisted: RwSignal::new(None),
        ready: RwSignal::new(false),
        offerings: RwSignal::new(Vec::new()),
        venues: RwSignal::new(Vec::new()),
        venue: RwSignal::new(VenueData::default()),
        reviews: RwSignal::new(Vec::new()),
        synced_at: RwSignal::new(None),
        unreadable: RwSignal::new(0),
        running: StoredValue::new_local(None),
        session,
        catalogue,
    };
    provide_context(state);
    Effect::new(move |_| {
        let who = session
            .session
            .with(|s| s.as_ref().map(|s| (s.user.id.clone(), s.token.clone())));
        match (who, state.current()) {
            (None, Some(_)) => state.stop(),
            (None, None) => {}
            (Some((user, token)), Some(r)) if r.user_id == user => {
                r.engine.transport().set_token(Some(token));
                state.sync_now();
            }
            (Some((user, token)), _) => {
                state.stop();
                leptos::task::spawn_local(state.start_for(user, token));
            }
        }
    });
    let _ = window_event_listener(leptos::ev::online, move |_| state.sync_now());
    let _ = window_event_listener(leptos::ev::visibilitychange, move |_| {
        if document().visibility_state() == web_sys::VisibilityState::Visible {
            state.sync_now();
        }
    });
    state
}

/// The sync state.
pub fn use_sync() -> SyncState {
    expect_context::<SyncState>()
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn device_ids_are_shown_by_their_last_four_characters() {
        assert_eq!(short_device("6f1c3a52-8a8e-4f43-9c55-3f0f4c2f9b11"), "9B11");
        assert_eq!(short_device("ab"), "AB");
        assert_eq!(short_device(""), "");
    }
}
