//! Presentational components: they take props and fetch nothing.

pub mod account_link;
pub mod choice_list;
pub mod field;
pub mod filter_bar;
pub mod lang_switch;
pub mod notice_list;
pub mod offering_card;
pub mod privacy_notice;
pub mod question_form;
pub mod registration_bar;
pub mod role_tags;
pub mod session_banner;
pub mod shell;
pub mod sync_indicator;
pub mod tab_bar;
pub mod ticket_card;
pub mod upcoming_card;
pub mod update_banner;
pub mod venue_parts;
