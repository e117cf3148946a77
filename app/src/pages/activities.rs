//! The activities tab.

use super::programme_list::ProgrammeList;
use crate::i18n::Msg;
use domain::OfferingKind;
use leptos::prelude::*;

/// Every published activities programme.
#[component]
pub fn Activities() -> impl IntoView {
    view! { <ProgrammeList kind=OfferingKind::Activity title=Msg::ActivitiesTitle /> }
}
