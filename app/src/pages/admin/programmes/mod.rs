//! 管理后台 · 活动管理: every offering (drafts, published, cancelled) with create, edit, publish,
//! cancel (with the reason every registrant is told), the sign-ups as CSV, and the editor for
//! every field including the custom questions and the assigned organizers. Needs the network:
//! these are the admin's own writes, answered at once by the server.
//!
//! `list.rs` is the tab (the list, or the editor in its place); `row.rs` one offering with its
//! actions; `editor.rs` the form, bound to `fields.rs`, with `questions.rs` for each question;
//! `course.rs` a lottery course's panel and `mixer.rs` a mixer's numbers.

mod course;
mod editor;
mod fields;
mod list;
mod mixer;
mod questions;
mod row;

use crate::i18n::Msg;
use domain::OfferingKind;
pub(super) use list::OfferingsPanel;

pub(super) fn kind_msg(kind: OfferingKind) -> Msg {
    match kind {
        OfferingKind::Activity => Msg::KindActivity,
        OfferingKind::Course => Msg::KindCourse,
        OfferingKind::Mixer => Msg::KindMixer,
    }
}
