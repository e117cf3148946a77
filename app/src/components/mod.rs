//! Presentational components: they take props and fetch nothing.

pub mod lang_switch;
pub mod offering_card;
pub mod shell;
pub mod tab_bar;
pub mod update_banner;
