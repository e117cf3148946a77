//! The frame around every screen: header, banners, content, tab bar.

use super::{
    account_link::AccountLink, lang_switch::LangSwitch, notice_list::NoticeList,
    session_banner::SessionBanner, sync_indicator::SyncIndicator, tab_bar::TabBar,
    update_banner::UpdateBanner,
};
use crate::nav::use_location;
use crate::{
    account::sign_in_href,
    i18n::{Msg, use_i18n},
    state::{
        catalogue::use_catalogue,
        registrations::use_registrations,
        session::use_session,
        sync::{SyncStatus, use_sync},
        venue::use_venue,
    },
    status_text,
};
use leptos::prelude::*;

/// Header on top, the tab bar at the bottom on phones and at the side on wide screens.
#[component]
pub fn Shell(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let location = use_location();
    // Signing in brings the person back to the screen they were on.
    let here = Signal::derive(move || {
        let path = location.pathname.get();
        let search = location.search.get();
        let here = if search.is_empty() {
            path
        } else {
            format!("{path}?{}", search.trim_start_matches('?'))
        };
        sign_in_href(&here)
    });
    let name = Signal::derive(move || session.user().map(|u| u.display_name));
    let on_sign_in_screen = move || location.pathname.get() == "/signin";
    let show_banner = Signal::derive(move || session.needs_sign_in.get() && !on_sign_in_screen());
    let sync = use_sync();
    let registrations = use_registrations();
    let venue = use_venue();
    let catalogue = use_catalogue();
    let sync_text = Signal::derive(move || {
        let status = sync.status.get();
        // Signed in, the first sync is about to start: the line says so from the first frame,
        // instead of appearing a moment later and moving the whole page down.
        let status = match status {
            SyncStatus::Idle if session.session.with(Option::is_some) => SyncStatus::Syncing,
            status => status,
        };
        status_text::sync(i18n.lang.get(), &status, sync.pending.get())
    });
    let sync_warn = Signal::derive(move || {
        let pending = sync.pending.get() > 0;
        match sync.status.get() {
            SyncStatus::NeedsSignIn | SyncStatus::UpdateApp => true,
            SyncStatus::Offline | SyncStatus::Failed(_) => pending,
            _ => false,
        }
    });
    let notices = Signal::derive(move || {
        let lang = i18n.lang.get();
        registrations
            .notices
            .get()
            .iter()
            .map(|n| {
                let title = n
                    .offering_id
                    .as_deref()
                    .and_then(|id| {
                        catalogue
                            .title(id)
                            .or_else(|| sync.offering(id).map(|o| o.plan.title))
                    })
                    .or_else(|| {
                        // A cancel names the registration; find its programme.
                        let reg = n.registration_id.as_deref()?;
                        let offering = registrations.list.with(|rs| {
                            rs.iter()
                                .find(|r| r.id == reg)
                                .map(|r| r.offering_id.clone())
                        })?;
                        catalogue.title(&offering)
                    })
                    .or_else(|| {
                        // Organizers' and admins' actions: the person and the activity, when
                        // venue mode knows them, else what kind of action it was.
                        let reg = n.registration_id.as_deref()?;
                        let person = venue.data.with(|v| v.person(reg).cloned())?;
                        let title = sync.offering(&person.offering_id).map(|o| o.plan.title)?;
                        Some(format!("{title} · {}", person.display_name))
                    })
                    .or_else(|| status_text::action_title(lang, &n.name).map(str::to_owned));
                status_text::notice(lang, n, title.as_deref())
            })
            .collect::<Vec<_>>()
    });
    let dismiss = Callback::new(move |()| {
        leptos::task::spawn_local(async move { registrations.dismiss_notices().await });
    });
    view! {
        <div class="shell">
            <header class="app-header">
                <a class="brand" href="/">
                    <span class="brand-mark" aria-hidden="true">"青"</span>
                    <span class="brand-name">{move || i18n.t(Msg::AppName)}</span>
                </a>
                <div class="header-actions">
                    <AccountLink name=name sign_in_href=here />
                    <LangSwitch />
                </div>
            </header>
            <div class="banners">
                <UpdateBanner />
                <SessionBanner show=show_banner href=here />
                <SyncIndicator text=sync_text warn=sync_warn />
                <Show when=move || { sync.unreadable.get() > 0 }>
                    <p class="sync-status sync-warn" role="status" data-testid="unreadable-rows">
                        {move || i18n.f(Msg::UnreadableRows, &[&sync.unreadable.get().to_string()])}
                    </p>
                </Show>
                <NoticeList
                    items=notices
                    dismiss_label=Signal::derive(move || i18n.t(Msg::NoticeDismiss))
                    on_dismiss=dismiss
                />
            </div>
            <main class="content">{children()}</main>
            <TabBar />
        </div>
    }
}
