//! The electronic ticket: a QR code the organizer's device verifies offline, and the ticket text
//! for when a camera is not at hand.

use crate::i18n::{Msg, use_i18n};
use leptos::prelude::*;

/// The ticket with its QR code (an SVG made on the device), whose it is and for what.
#[component]
pub fn TicketCard(
    /// The signed ticket text.
    ticket: String,
    /// The QR code as SVG markup (made by `qr::svg` from the ticket, nothing else).
    qr_svg: Option<String>,
    /// The person's name.
    name: String,
    /// The offering's title.
    title: String,
    /// When, in words.
    when: String,
    /// Where.
    place: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let data = ticket.clone();
    view! {
        <section class="card ticket" data-testid="ticket" data-ticket=data>
            <h2 class="card-title">{move || i18n.t(Msg::TicketTitle)}</h2>
            {match qr_svg {
                Some(svg) => view! {
                    <div
                        class="ticket-qr"
                        role="img"
                        aria-label=move || i18n.t(Msg::TicketQrLabel)
                        inner_html=svg
                    ></div>
                }
                .into_any(),
                None => view! { <p class="hint">{move || i18n.t(Msg::TicketNoQr)}</p> }.into_any(),
            }}
            <p class="ticket-name">{name}</p>
            <p class="ticket-what">{title}</p>
            <p class="card-meta">{when}</p>
            <p class="card-meta">{place}</p>
            <p class="hint ticket-hint">{move || i18n.t(Msg::TicketHint)}</p>
            <details class="ticket-code">
                <summary>{move || i18n.t(Msg::TicketShowCode)}</summary>
                <code class="ticket-text" data-testid="ticket-text">{ticket}</code>
            </details>
        </section>
    }
}
