//! The privacy notice (隐私政策), in full, in the current language.

use crate::i18n::{Msg, use_i18n};
use domain::PRIVACY_NOTICE_VERSION;
use leptos::prelude::*;

/// The notice's sections, in order: heading and text.
pub const SECTIONS: &[(Msg, Msg)] = &[
    (Msg::PrivacyWhoTitle, Msg::PrivacyWhoBody),
    (Msg::PrivacyCollectTitle, Msg::PrivacyCollectBody),
    (Msg::PrivacyUseTitle, Msg::PrivacyUseBody),
    (Msg::PrivacyShareTitle, Msg::PrivacyShareBody),
    (Msg::PrivacyDeviceTitle, Msg::PrivacyDeviceBody),
    (Msg::PrivacyKeepTitle, Msg::PrivacyKeepBody),
    (Msg::PrivacyMinorsTitle, Msg::PrivacyMinorsBody),
    (Msg::PrivacyRightsTitle, Msg::PrivacyRightsBody),
    (Msg::PrivacySecurityTitle, Msg::PrivacySecurityBody),
    (Msg::PrivacyContactTitle, Msg::PrivacyContactBody),
];

/// Every section of the notice with its version. `heading_level` is 2 on its own page and 3
/// inside the sign-up form, so the page outline stays right.
#[component]
pub fn PrivacyNotice(#[prop(default = 2)] heading_level: u8) -> impl IntoView {
    let i18n = use_i18n();
    let sections = SECTIONS
        .iter()
        .map(|&(title, body)| {
            let heading = move || i18n.t(title);
            let heading = if heading_level <= 2 {
                view! { <h2 class="privacy-heading">{heading}</h2> }.into_any()
            } else {
                view! { <h3 class="privacy-heading">{heading}</h3> }.into_any()
            };
            view! {
                <section>
                    {heading}
                    <p>{move || i18n.t(body)}</p>
                </section>
            }
        })
        .collect_view();
    view! {
        <div class="privacy" data-testid="privacy-notice">
            <p class="privacy-version">
                {move || i18n.f(Msg::PrivacyVersion, &[PRIVACY_NOTICE_VERSION])}
            </p>
            <p>{move || i18n.t(Msg::PrivacyIntro)}</p>
            {sections}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::SECTIONS;
    use crate::i18n::{Lang, Msg};

    #[test]
    fn every_privacy_text_in_the_catalog_is_in_the_notice() {
        let in_notice: Vec<Msg> = SECTIONS.iter().flat_map(|&(t, b)| [t, b]).collect();
        for msg in Msg::ALL {
            let name = format!("{msg:?}");
            let section = name.starts_with("Privacy")
                && (name.ends_with("Title") || name.ends_with("Body"))
                && *msg != Msg::PrivacyTitle;
            if section {
                assert!(in_notice.contains(msg), "{name} is not shown");
            }
        }
        // Both languages carry the whole notice, not a summary.
        for lang in [Lang::Zh, Lang::En] {
            let len: usize = SECTIONS
                .iter()
                .map(|&(_, b)| b.text(lang).chars().count())
                .sum();
            assert!(len > 600, "{lang:?}: {len}");
        }
    }
}
