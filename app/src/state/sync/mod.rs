//! The sync loop for the signed-in person, and what every screen shows of it.
//!
//! Each person has their own database on the device (`qingtuan-u-<user id>`): their base, their
//! outbox, their device id. The loop (`run.rs`) syncs on start, when the device comes back
//! online, when the tab becomes visible, after every local action, and every 30 s; after a
//! failure it backs off exponentially with jitter. Only one tab syncs at a time (Web Locks); the
//! others are told when the data changed (BroadcastChannel) and re-read it.
//!
//! [`SyncState`] is the loop's status and what every feature reads (the offerings and venues of
//! the person's store). Each feature's own data and actions are a small handle beside it, in a
//! file of its own: [`use_registrations`](super::registrations::use_registrations) (a young
//! person's sign-ups and notices), [`use_venue`](super::venue::use_venue) (venue mode) and
//! [`use_reviews`](super::reviews::use_reviews) (an admin's review decisions). They share the
//! running engine; the loop re-reads them all in one pass (`refresh_view`), so a local action
//! in one feature shows at once in the others (the pending count, the notices).

mod run;

use super::{
    action_error::ActionError,
    registrations::Registrations,
    reviews::{Reviews, local_reviews},
    set_if_changed,
    venue::VenueMode,
};
use crate::{
    format,
    state::{catalogue::CatalogueState, session::SessionState},
};
use domain::{Offering, Venue, sync::Op};
use engine::{HttpTransport, Store, SyncEngine, store::DeviceStore};
use futures::channel::mpsc;
use futures::future::LocalBoxFuture;
use leptos::prelude::*;
use std::rc::Rc;
use time::OffsetDateTime;

/// The engine the app runs for one person.
pub type AppEngine = SyncEngine<DeviceStore, HttpTransport>;

/// The app's own note in the person's store: when the last sync finished (Unix ms), so venue
/// mode can say when its roster was downloaded even after a reload in airplane mode.
const SYNCED_AT: &str = "app.synced_at";

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

/// Why [`SyncState::send_queued`] could not send everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsent {
    /// No network.
    Offline,
    /// The server did not answer every queued action in time.
    NotSent,
}

/// The loop of one signed-in person: their engine, and the channel that wakes the loop.
pub(crate) struct Running {
    user_id: String,
    pub(crate) engine: AppEngine,
    wake: mpsc::UnboundedSender<()>,
    sync: SyncState,
}

impl Running {
    /// Queues an action with the device's own note beside it (JSON: for venue mode, which
    /// offering and whose name), without refreshing the screen.
    pub(crate) async fn queue(&self, op: &Op, local: Option<String>) -> Result<(), ActionError> {
        self.engine
            .store()
            .enqueue(op.name(), op.args().to_string(), now_ms(), local)
            .await
            .map(|_| ())
            .map_err(ActionError::from)
    }

    /// After an action on this device: every screen shows it, other tabs are told, and the
    /// loop sends it as soon as it can.
    pub(crate) async fn after_local_write(self: &Rc<Self>) {
        let sync = self.sync;
        sync.refresh_view(self).await;
        #[cfg(target_arch = "wasm32")]
        run::glue::announce(&run::channel_name(&self.user_id));
        let _ = self.wake.unbounded_send(());
        if sync.persisted.get_untracked() != Some(true) {
            sync.request_persistence();
        }
    }
}

/// The running engine of the signed-in person, or none: what the loop and every feature's
/// handle share (a handle's actions run on it).
#[derive(Clone, Copy)]
pub(crate) struct EngineSlot {
    running: StoredValue<Option<Rc<Running>>, LocalStorage>,
}

impl EngineSlot {
    /// The running engine, if there is one.
    pub(crate) fn current(&self) -> Option<Rc<Running>> {
        self.running.get_value()
    }

    /// The running engine for an action, else why there is none.
    pub(crate) fn running(&self) -> Result<Rc<Running>, ActionError> {
        self.current().ok_or(ActionError::NotSignedIn)
    }
}

/// The staff build's part of every refresh ([`staff_pass`]). Only the staff build's root names
/// it, so the main build (every young person's phone) carries neither venue mode's row reading
/// nor the review queue's.
pub(crate) type StaffPass = for<'a> fn(&'a SyncState, &'a Running) -> LocalBoxFuture<'a, usize>;

/// Venue mode's rows and the admin's queued review decisions, re-read on every refresh.
pub(crate) fn staff_pass<'a>(state: &'a SyncState, r: &'a Running) -> LocalBoxFuture<'a, usize> {
    Box::pin(state.refresh_staff(r))
}

/// The sync loop's state for the screens, and the offerings and venues the person's store has.
#[derive(Clone, Copy)]
pub struct SyncState {
    /// What the indicator says.
    pub status: RwSignal<SyncStatus>,
    /// Actions on this device the server has not answered yet.
    pub pending: RwSignal<usize>,
    /// Whether the browser keeps this site's data under storage pressure (None: unknown).
    pub persisted: RwSignal<Option<bool>>,
    /// Whether the device store for the signed-in person is open.
    pub ready: RwSignal<bool>,
    /// Every offering the person's store has (ended and cancelled ones too), for titles, the
    /// hours ledger and venue mode.
    pub offerings: RwSignal<Vec<Offering>>,
    /// Every venue the person's store has.
    pub venues: RwSignal<Vec<Venue>>,
    /// When the last sync finished (kept on the device).
    pub synced_at: RwSignal<Option<OffsetDateTime>>,
    /// Rows on the device this build could not read (a time out of range, another version's
    /// shape): left out of every screen and said so, never fatal.
    pub unreadable: RwSignal<usize>,
    slot: EngineSlot,
    // Held here because async work runs outside the component tree, where contexts are gone.
    session: SessionState,
    catalogue: CatalogueState,
    // Each feature's handle, re-read on every refresh; screens take them with `use_x()`.
    pub(super) registrations: Registrations,
    pub(super) venue: VenueMode,
    pub(super) reviews: Reviews,
    staff: Option<StaffPass>,
}

pub(crate) fn now_ms() -> i64 {
    (format::now().unix_timestamp_nanos() / 1_000_000) as i64
}

pub(crate) fn uuid_v4() -> String {
    uuid::Uuid::new_v4().to_string()
}

impl SyncState {
    fn current(&self) -> Option<Rc<Running>> {
        self.slot.current()
    }

    /// Asks for a sync as soon as possible.
    pub fn sync_now(&self) {
        if let Some(r) = self.current() {
            let _ = r.wake.unbounded_send(());
        }
    }

    /// Whether the browser says it has a network.
    pub fn online(&self) -> bool {
        run::is_online()
    }

    /// Asks the loop to send everything queued on this device now and waits until the server
    /// has answered all of it: for what must come after them on the server (closing a mixer's
    /// picks after the check-ins and the open). Gives up after about 20 s.
    pub async fn send_queued(&self) -> Result<(), Unsent> {
        const STEP: std::time::Duration = std::time::Duration::from_millis(250);
        for step in 0..80 {
            if !run::is_online() {
                return Err(Unsent::Offline);
            }
            if self.pending.get_untracked() == 0 {
                return Ok(());
            }
            // Again every 2 s: a round that had begun before the last action may not carry it.
            if step % 8 == 0 {
                self.sync_now();
            }
            gloo_timers::future::sleep(STEP).await;
        }
        Err(Unsent::NotSent)
    }

    /// The offering with `id` from the person's store, else the public list.
    pub fn offering(&self, id: &str) -> Option<Offering> {
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

    /// Re-reads what the screen shows from the device store, every feature's handle included,
    /// in one pass (one future: a pass per feature would add its own state machine to the
    /// wasm). A signal is set only when its value changed: every view built from it is built
    /// again when it is set, and with it whatever the person had open there (a 取消报名 waiting
    /// for its confirmation, say).
    async fn refresh_view(&self, r: &Running) {
        let mut unreadable = 0;
        if let Ok((regs, n)) = r.engine.registrations_read().await {
            set_if_changed(self.registrations.list, regs);
            unreadable += n;
        }
        if let Ok(n) = r.engine.pending().await {
            set_if_changed(self.pending, n);
        }
        if let Ok(n) = r.engine.notices().await {
            set_if_changed(self.registrations.notices, n);
        }
        if let Ok(p) = r.engine.mixer_profile().await {
            set_if_changed(self.registrations.mixer_profile, p);
        }
        if let Ok((requests, n)) = r.engine.hours_requests().await {
            set_if_changed(self.registrations.hours_requests, requests);
            unreadable += n;
        }
        if let Ok((windows, n)) = r.engine.pick_windows().await {
            set_if_changed(self.registrations.pick_windows, windows);
            unreadable += n;
        }
        let store = r.engine.store();
        if let Ok((catalogue, _)) =
            crate::state::catalogue::load_cached(store, &mut unreadable).await
        {
            set_if_changed(self.offerings, catalogue.offerings);
            set_if_changed(self.venues, catalogue.venues);
        }
        if let Some(pass) = self.staff {
            unreadable += pass(self, r).await;
        }
        if unreadable != self.unreadable.get_untracked() {
            if unreadable > 0 {
                leptos::logging::warn!(
                    "{unreadable} rows on this device could not be read and are not shown"
                );
            }
            self.unreadable.set(unreadable);
        }
        if let Ok(at) = store.meta(SYNCED_AT).await {
            let at = at.and_then(|s| s.parse::<i64>().ok()).and_then(|ms| {
                OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok()
            });
            set_if_changed(self.synced_at, at);
        }
    }

    /// The staff build's part of a refresh: venue mode's rows and the admin's queued review
    /// decisions; returns how many rows could not be read.
    async fn refresh_staff(&self, r: &Running) -> usize {
        let mut unreadable = 0;
        let store = r.engine.store();
        match engine::venue::load(store).await {
            Ok(v) => {
                unreadable += v.unreadable;
                set_if_changed(self.venue.data, v);
            }
            Err(e) => leptos::logging::warn!("reading venue mode's rows failed: {e}"),
        }
        if let Ok(outbox) = store.outbox().await {
            set_if_changed(self.reviews.local, local_reviews(&outbox));
        }
        unreadable
    }

    fn request_persistence(&self) {
        #[cfg(target_arch = "wasm32")]
        {
            let persisted = self.persisted;
            leptos::task::spawn_local(async move {
                let answer =
                    wasm_bindgen_futures::JsFuture::from(run::glue::persist_storage()).await;
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
            sync: self,
        });
        // Someone else may have signed in while the store opened.
        let now_signed_in = self
            .session
            .session
            .with_untracked(|s| s.as_ref().map(|s| s.user.id.clone()));
        if now_signed_in.as_deref() != Some(user_id.as_str()) {
            return;
        }
        self.slot.running.set_value(Some(running.clone()));
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
            run::glue::listen(&run::channel_name(&user_id), &on_change);
            on_change.forget();
        }
        leptos::task::spawn_local(self.run(Rc::downgrade(&running), rx));
    }

    fn stop(&self) {
        // Dropping the last strong handle closes the wake channel: the loop ends.
        self.slot.running.set_value(None);
        self.ready.set(false);
        self.registrations.clear();
        self.pending.set(0);
        self.offerings.set(Vec::new());
        self.venues.set(Vec::new());
        self.venue.clear();
        self.reviews.clear();
        self.synced_at.set(None);
        self.status.set(SyncStatus::Idle);
    }
}

/// Provides the sync state and follows the session: a sign-in starts the loop for that person,
/// a new token (signed in again) resumes it, a sign-out stops it (the person's queue stays in
/// their database on the device).
///
/// The features' handles are provided with it, as its fields: one context, not one per
/// feature, because every context type adds its own copy of Leptos's generic context code to
/// the wasm everyone downloads.
pub(crate) fn provide_sync(
    session: SessionState,
    catalogue: CatalogueState,
    staff: Option<StaffPass>,
) -> SyncState {
    let slot = EngineSlot {
        running: StoredValue::new_local(None),
    };
    let state = SyncState {
        status: RwSignal::new(SyncStatus::Idle),
        pending: RwSignal::new(0),
        persisted: RwSignal::new(None),
        ready: RwSignal::new(false),
        offerings: RwSignal::new(Vec::new()),
        venues: RwSignal::new(Vec::new()),
        synced_at: RwSignal::new(None),
        unreadable: RwSignal::new(0),
        slot,
        session,
        catalogue,
        registrations: Registrations::new(slot),
        venue: VenueMode::new(slot),
        reviews: Reviews::new(slot),
        staff,
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
    // The browser's events (none natively, in the server's first render).
    #[cfg(target_arch = "wasm32")]
    {
        let _ = window_event_listener(leptos::ev::online, move |_| state.sync_now());
        let _ = window_event_listener(leptos::ev::visibilitychange, move |_| {
            if document().visibility_state() == web_sys::VisibilityState::Visible {
                state.sync_now();
            }
        });
    }
    state
}

/// The sync state.
pub fn use_sync() -> SyncState {
    expect_context::<SyncState>()
}
