//! A person's roles as tags: 青年 / 组织者 / 管理员.

use crate::{account::role_msg, i18n::use_i18n};
use domain::Role;
use leptos::prelude::*;

/// One tag per role held.
#[component]
pub fn RoleTags(
    /// The roles, in any order (shown youth, organizer, admin).
    roles: Vec<Role>,
) -> impl IntoView {
    let i18n = use_i18n();
    let mut roles = roles;
    domain::sort::sort(&mut roles);
    roles.dedup();
    view! {
        <span class="role-tags" data-testid="role-tags">
            {roles
                .into_iter()
                .map(|r| view! { <span class="tag" data-role=r.as_str()>{move || i18n.t(role_msg(r))}</span> })
                .collect_view()}
        </span>
    }
}
