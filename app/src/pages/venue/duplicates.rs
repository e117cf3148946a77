//! 重复扫码: tickets scanned twice (at two doors, say), as the server flagged them: one
//! attendance, and both scans with their device and time.

use super::clock_at;
use crate::{
    i18n::{Msg, use_i18n},
    state::venue::short_device,
};
use engine::venue::OfferingVenue;
use leptos::prelude::*;

#[component]
pub(super) fn Duplicates(here: Memo<OfferingVenue>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let lang = i18n.lang.get();
        let list = here.with(|ov| ov.duplicates.clone());
        let count = list.len();
        view! {
            <section class="card" data-testid="duplicates">
                <h2 class="card-title">{Msg::DuplicatesTitle.fill(lang, &[&count.to_string()])}</h2>
                {if list.is_empty() {
                    view! { <p class="hint">{Msg::DuplicatesNone.text(lang)}</p> }.into_any()
                } else {
                    view! {
                        <p class="hint">{Msg::DuplicatesHint.text(lang)}</p>
                        <ul class="duplicates">
                            {list.into_iter().map(|d| {
                                let first = d.original.as_ref().map(|o| {
                                    Msg::DuplicateFirst.fill(lang, &[&short_device(&o.device_id), &clock_at(o.at)])
                                });
                                view! {
                                    <li class="duplicate" data-testid="duplicate">
                                        <span class="person-name">{d.name.clone()}</span>
                                        {first.map(|f| view! { <span class="card-meta" data-testid="duplicate-first">{f}</span> })}
                                        <span class="card-meta" data-testid="duplicate-second">
                                            {Msg::DuplicateSecond.fill(lang, &[&short_device(&d.scan.device_id), &clock_at(d.scan.at)])}
                                        </span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }
                    .into_any()
                }}
            </section>
        }
    }
}
