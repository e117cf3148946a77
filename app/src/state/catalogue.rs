//! The programme list: shown from the device's store at once, refreshed from the server when
//! there is a network, and kept for offline use.

use super::set_if_changed;
use domain::{Catalogue, Offering, Venue};
use engine::store::{DeviceStore, Row, Store, StoreError};
use leptos::prelude::*;
use std::rc::Rc;
use time::OffsetDateTime;

const OFFERING: &str = "offering";
const VENUE: &str = "venue";
const UPDATED_AT: &str = "catalogue.updated_at";

/// Where the list on screen came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatalogueStatus {
    /// Nothing known yet.
    Loading,
    /// From the device; a refresh is under way.
    Cached,
    /// Just fetched from the server.
    Fresh,
    /// No network; showing what the device has (maybe nothing).
    Offline,
    /// The server answered with an error.
    Failed(String),
}

/// The catalogue as the screens see it.
#[derive(Clone, Copy)]
pub struct CatalogueState {
    /// The offerings and venues.
    pub catalogue: RwSignal<Catalogue>,
    /// Where they came from.
    pub status: RwSignal<CatalogueStatus>,
    /// When the device last got the list from the server.
    pub updated_at: RwSignal<Option<OffsetDateTime>>,
    /// Whether the device's store keeps data across reloads.
    pub persistent: RwSignal<Option<bool>>,
    store: StoredValue<Option<Rc<DeviceStore>>, LocalStorage>,
    /// The catalogue the page came with and when, until [`CatalogueState::start`] saved it.
    from_page: StoredValue<Option<(Catalogue, OffsetDateTime)>, LocalStorage>,
}

impl CatalogueState {
    /// Asks for a refresh from the server (the retry button, the `online` event).
    pub fn request_refresh(&self) {
        let this = *self;
        if let Some(store) = self.store.get_value() {
            leptos::task::spawn_local(async move { this.refresh(&*store).await });
        }
    }

    /// Shows a catalogue a sync brought (fresher than the public list). An empty one (a first
    /// pull not done yet) changes nothing.
    pub fn show_synced(&self, fresh: Catalogue) {
        if self.show(fresh) {
            set_if_changed(self.status, CatalogueStatus::Fresh);
        }
    }

    /// Every catalogue reaches the screen here, whichever way it came (the device's saved copy,
    /// the public list, a person's sync): in one shape ([`Catalogue::upcoming`]), so the same
    /// data from two sources is equal and draws nothing again. Returns whether it had
    /// offerings; an empty one changes nothing.
    fn show(&self, catalogue: Catalogue) -> bool {
        let catalogue = catalogue.upcoming(crate::format::now());
        let has_any = !catalogue.offerings.is_empty();
        if has_any {
            set_if_changed(self.catalogue, catalogue);
        }
        has_any
    }

    /// The title of the offering with `id`, if the catalogue has it.
    pub fn title(&self, id: &str) -> Option<String> {
        self.catalogue.with(|c| {
            c.offerings
                .iter()
                .find(|o| o.id == id)
                .map(|o| o.plan.title.clone())
        })
    }

    /// The venue with `id`, if the catalogue has it.
    pub fn venue_name(&self, id: &str) -> Option<String> {
        self.catalogue
            .with(|c| c.venues.iter().find(|v| v.id == id).map(|v| v.name.clone()))
    }

    /// Opens the store, shows what it has, then refreshes from the server now and whenever a
    /// refresh is requested.
    pub async fn start(self) {
        let (store, refused) = DeviceStore::open("qingtuan").await;
        if let Some(e) = refused {
            leptos::logging::warn!("IndexedDB unavailable, keeping the list in memory: {e}");
        }
        let store = Rc::new(store);
        self.persistent.set(Some(store.is_persistent()));
        if let Some((catalogue, at)) = self.from_page.try_update_value(Option::take).flatten() {
            // The page's list is seconds old: kept for offline use, shown already, nothing to
            // ask the server again.
            if let Err(e) = save(&*store, &catalogue, at).await {
                leptos::logging::warn!("saving the list failed: {e}");
            }
            self.store.set_value(Some(store));
            let _ = window_event_listener(leptos::ev::online, move |_| self.request_refresh());
            return;
        }
        match load_cached(&*store, &mut 0).await {
            Ok((catalogue, updated_at)) => {
                self.updated_at.set(updated_at);
                if self.show(catalogue) {
                    self.status.set(CatalogueStatus::Cached);
                }
            }
            Err(e) => leptos::logging::warn!("reading the saved list failed: {e}"),
        }
        self.refresh(&*store).await;
        self.store.set_value(Some(store));
        let _ = window_event_listener(leptos::ev::online, move |_| self.request_refresh());
    }

    async fn refresh(&self, store: &impl Store) {
        match crate::api::catalogue().await {
            Ok(catalogue) => {
                let now = crate::format::now();
                if let Err(e) = save(store, &catalogue, now).await {
                    leptos::logging::warn!("saving the list failed: {e}");
                }
                if !self.show(catalogue) {
                    // Nothing upcoming at all: the list says so rather than keep old entries.
                    set_if_changed(self.catalogue, Catalogue::default());
                }
                self.updated_at.set(Some(now));
                set_if_changed(self.status, CatalogueStatus::Fresh);
            }
            Err(crate::api::ApiError::Network(_)) => self.status.set(CatalogueStatus::Offline),
            Err(e) => self.status.set(CatalogueStatus::Failed(e.to_string())),
        }
    }
}

/// Saves the catalogue: one transaction per kind, replacing what was there.
pub async fn save(
    store: &impl Store,
    catalogue: &Catalogue,
    at: OffsetDateTime,
) -> Result<(), StoreError> {
    let venues = catalogue
        .venues
        .iter()
        .map(|v| Row::new(VENUE, &v.id, v))
        .collect::<Result<Vec<_>, _>>()?;
    let offerings = catalogue
        .offerings
        .iter()
        .map(|o| Row::new(OFFERING, &o.id, o))
        .collect::<Result<Vec<_>, _>>()?;
    store.replace_kind(VENUE, venues).await?;
    store.replace_kind(OFFERING, offerings).await?;
    store
        .set_meta(UPDATED_AT, at.unix_timestamp().to_string())
        .await
}

/// The saved catalogue, soonest first; rows this build cannot read are left out and counted
/// in `unreadable`.
pub async fn load_cached(
    store: &impl Store,
    unreadable: &mut usize,
) -> Result<(Catalogue, Option<OffsetDateTime>), StoreError> {
    let venues: Vec<Venue> = engine::store::read_rows(&store.rows(VENUE).await?, unreadable);
    let mut offerings: Vec<Offering> =
        engine::store::read_rows(&store.rows(OFFERING).await?, unreadable);
    domain::sort::sort_by(&mut offerings, |a, b| {
        a.starts_at()
            .cmp(&b.starts_at())
            .then_with(|| a.id.cmp(&b.id))
    });
    let updated_at = store
        .meta(UPDATED_AT)
        .await?
        .and_then(|s| s.parse::<i64>().ok())
        .and_then(|t| OffsetDateTime::from_unix_timestamp(t).ok());
    Ok((Catalogue { venues, offerings }, updated_at))
}

/// Provides the catalogue state: the one the page came with ([`crate::first`], fresh), else
/// empty and loading.
pub fn provide_catalogue() -> CatalogueState {
    let state = CatalogueState {
        catalogue: RwSignal::new(Catalogue::default()),
        status: RwSignal::new(CatalogueStatus::Loading),
        updated_at: RwSignal::new(None),
        persistent: RwSignal::new(None),
        store: StoredValue::new_local(None),
        from_page: StoredValue::new_local(None),
    };
    if let Some(catalogue) = crate::first::take_catalogue() {
        let now = crate::format::now();
        // An empty list is as fresh as a full one: the page says there is nothing upcoming.
        state.show(catalogue.clone());
        state.status.set(CatalogueStatus::Fresh);
        state.updated_at.set(Some(now));
        state.from_page.set_value(Some((catalogue, now)));
    }
    provide_context(state);
    state
}

/// The catalogue state.
pub fn use_catalogue() -> CatalogueState {
    expect_context::<CatalogueState>()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use engine::store::memory::MemoryStore;
    use futures::executor::block_on;
    use time::macros::datetime;

    /// As the catalogue sends it (fields the server may add later take their defaults).
    fn offering(id: &str, day: u8) -> Offering {
        let mut o: Offering = crate::test_offering::from_flat(serde_json::json!({
            "id": id, "kind": "activity", "title": format!("活动 {id}"), "summary": "",
            "category": "河小青", "venue_id": "v1",
            "starts_at": "2026-12-01T09:00:00+08:00", "ends_at": "2026-12-01T11:00:00+08:00",
            "sessions": 1, "capacity": 20, "seats_taken": 3,
            "signup_closes_at": "2026-11-30T20:00:00+08:00", "volunteer_hours": 2
        }));
        o.plan.starts_at += time::Duration::days(day.into());
        o.plan.ends_at += time::Duration::days(day.into());
        o
    }

    #[test]
    fn a_saved_catalogue_comes_back_soonest_first_and_replaces_the_old_one() {
        block_on(async {
            let store = MemoryStore::new();
            let at = datetime!(2026-11-22 10:00 UTC);
            let venue = Venue {
                id: "v1".into(),
                name: "滨江街道青年之家".into(),
                address: "滨江路88号".into(),
            };
            let first = Catalogue {
                venues: vec![venue.clone()],
                offerings: vec![
                    offering("z-late", 5),
                    offering("a-early", 1),
                    offering("gone", 2),
                ],
            };
            save(&store, &first, at).await.unwrap();
            let second = Catalogue {
                venues: vec![venue],
                offerings: vec![offering("z-late", 5), offering("a-early", 1)],
            };
            save(&store, &second, at).await.unwrap();

            let (loaded, updated_at) = load_cached(&store, &mut 0).await.unwrap();
            let ids: Vec<_> = loaded.offerings.iter().map(|o| o.id.as_str()).collect();
            assert_eq!(ids, ["a-early", "z-late"]);
            assert_eq!(loaded.venues.len(), 1);
            assert_eq!(updated_at, Some(at));
        });
    }

    #[test]
    fn an_empty_device_loads_an_empty_catalogue() {
        block_on(async {
            let (loaded, updated_at) = load_cached(&MemoryStore::new(), &mut 0).await.unwrap();
            assert!(loaded.offerings.is_empty());
            assert_eq!(updated_at, None);
        });
    }
}
