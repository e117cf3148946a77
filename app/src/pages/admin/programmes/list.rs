//! The programmes tab: the list of every offering, keyed by offering, or the editor in its
//! place while one is being created or edited.

use super::{editor::OfferingEditor, row::OfferingRow};
use crate::{
    account::general_error_msg,
    api,
    components::field::FormMessage,
    i18n::{Msg, use_i18n},
    pages::admin::Load,
    state::session::use_session,
};
use domain::{Venue, admin::AdminOffering};
use leptos::prelude::*;

/// The list, or the editor.
#[component]
pub(in crate::pages::admin) fn OfferingsPanel(
    /// Opens the review queue for an offering.
    on_review: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let list = RwSignal::new(Load::<Vec<AdminOffering>>::Loading);
    let venues = RwSignal::new(Vec::<Venue>::new());
    // None: the list; Some(None): a new offering; Some(Some(o)): editing o.
    let editing = RwSignal::new(None::<Option<AdminOffering>>);
    let flash = RwSignal::new(None::<Msg>);

    let load = move || {
        let Some(token) = session.token() else {
            return;
        };
        list.set(Load::Loading);
        leptos::task::spawn_local(async move {
            let (offerings, vs) =
                futures::join!(api::admin_offerings(&token), api::admin_venues(&token));
            match session.guard(&token, offerings) {
                Ok(o) => list.set(Load::Ready(o)),
                Err(e) => list.set(Load::Failed(general_error_msg(
                    &e,
                    Msg::AdminNeedsNetworkOfferings,
                ))),
            }
            if let Ok(vs) = vs {
                venues.set(vs);
            }
        });
    };
    load();

    let replace = move |o: AdminOffering| {
        list.update(|l| {
            if let Load::Ready(items) = l {
                match items.iter_mut().find(|x| x.offering.id == o.offering.id) {
                    Some(x) => *x = o,
                    None => {
                        items.push(o);
                        domain::sort::sort_by_key(items, |x| x.offering.starts_at());
                    }
                }
            }
        });
    };
    let on_done = Callback::new(move |saved: Option<AdminOffering>| {
        if let Some(o) = saved {
            replace(o);
            flash.set(Some(Msg::Saved));
        }
        editing.set(None);
    });
    let on_changed = Callback::new(move |o: AdminOffering| replace(o));
    let on_edit = Callback::new(move |o: AdminOffering| {
        flash.set(None);
        editing.set(Some(Some(o)));
    });

    let venue_name =
        move |id: &str| venues.with(|vs| vs.iter().find(|v| v.id == id).map(|v| v.name.clone()));

    // Rows keyed by offering, each following its own: publishing or cancelling one offering
    // leaves another row's cancel form, with the reason being typed, as it is. (刷新, which the
    // admin presses, starts the list afresh.)
    let shape = Memo::new(move |_| {
        list.with(|l| match l {
            Load::Loading => Load::Loading,
            Load::Failed(msg) => Load::Failed(*msg),
            Load::Ready(items) => Load::Ready(items.is_empty()),
        })
    });
    let ids = Memo::new(move |_| {
        list.with(|l| match l {
            Load::Ready(items) => items.iter().map(|o| o.offering.id.clone()).collect(),
            _ => Vec::new(),
        })
    });
    let row = move |id: String| {
        let offering = Memo::new(move |_| {
            list.with(|l| match l {
                Load::Ready(items) => items.iter().find(|o| o.offering.id == id).cloned(),
                _ => None,
            })
        });
        let shown = Memo::new(move |_| {
            offering
                .get()
                .map(|o| (venue_name(&o.offering.plan.venue_id).unwrap_or_default(), o))
        });
        move || {
            shown.get().map(|(venue, o)| {
                view! { <OfferingRow offering=o venue=venue on_edit=on_edit on_changed=on_changed on_review=on_review /> }
            })
        }
    };
    let list_view = move || {
        match shape.get() {
        Load::Loading => view! { <p class="empty" aria-busy="true">{move || i18n.t(Msg::Loading)}</p> }.into_any(),
        Load::Failed(msg) => view! {
            <div class="banner banner-error" role="alert" data-testid="offerings-error">
                <span>{move || i18n.t(msg)}</span>
                <button type="button" class="button" on:click=move |_| load()>{move || i18n.t(Msg::Retry)}</button>
            </div>
        }
        .into_any(),
        Load::Ready(true) => view! {
            <p class="empty" data-testid="offerings-empty">{move || i18n.t(Msg::NoOfferingsYet)}</p>
        }
        .into_any(),
        Load::Ready(false) => view! {
            <ul class="admin-offerings">
                <For each=move || ids.get() key=|id| id.clone() children=row />
            </ul>
        }
        .into_any(),
    }
    };

    move || {
        match editing.get() {
        Some(initial) => view! { <OfferingEditor initial=initial venues=venues on_done=on_done /> }.into_any(),
        None => view! {
            <div class="toolbar">
                <button
                    type="button"
                    class="button button-primary"
                    data-testid="new-offering"
                    on:click=move |_| {
                        flash.set(None);
                        editing.set(Some(None));
                    }
                >
                    {move || i18n.t(Msg::NewOffering)}
                </button>
                <button type="button" class="button" on:click=move |_| load()>{move || i18n.t(Msg::Refresh)}</button>
            </div>
            <FormMessage message=flash error=false testid="offerings-flash" />
            {list_view}
        }
        .into_any(),
    }
    }
}
