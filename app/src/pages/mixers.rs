//! The mixers tab.

use super::programme_list::ProgrammeList;
use crate::i18n::Msg;
use domain::OfferingKind;
use leptos::prelude::*;

/// Every published mixers programme.
#[component]
pub fn Mixers() -> impl IntoView {
    view! { <ProgrammeList kind=OfferingKind::Mixer title=Msg::MixersTitle /> }
}
