//! The courses tab.

use super::programme_list::ProgrammeList;
use crate::i18n::Msg;
use domain::OfferingKind;
use leptos::prelude::*;

/// Every published courses programme.
#[component]
pub fn Courses() -> impl IntoView {
    view! { <ProgrammeList kind=OfferingKind::Course title=Msg::CoursesTitle /> }
}
