//! The translation catalog: every user-facing string, in Simplified Chinese and English.
//!
//! The catalog is a Rust enum, so a missing translation is a compile error, not a blank screen.
//! `{0}`, `{1}` … in a text are filled by [`Msg::fill`].

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A display language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Lang {
    /// 简体中文, the default.
    #[default]
    #[serde(rename = "zh-CN")]
    Zh,
    /// English.
    #[serde(rename = "en")]
    En,
}

impl Lang {
    /// The BCP 47 tag, for `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Self::Zh => "zh-CN",
            Self::En => "en",
        }
    }

    /// The other language (the switch offers it).
    pub fn other(self) -> Self {
        match self {
            Self::Zh => Self::En,
            Self::En => Self::Zh,
        }
    }
}

macro_rules! catalog {
    ($($key:ident => $zh:literal, $en:literal;)*) => {
        /// A user-facing text.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Msg { $(#[doc = $zh] $key,)* }

        impl Msg {
            /// Every message, for tests.
            pub const ALL: &'static [Msg] = &[$(Msg::$key,)*];

            /// The text in `lang`.
            pub fn text(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Msg::$key, Lang::Zh) => $zh, (Msg::$key, Lang::En) => $en,)*
                }
            }
        }
    };
}

catalog! {
    AppName => "青团", "Qingtuan";
    AppTagline => "青年活动·夜校·联谊，一键报名", "Volunteering, night school and mixers in one place";
    TabActivities => "活动", "Activities";
    TabCourses => "夜校", "Night school";
    TabMixers => "联谊", "Mixers";
    TabMe => "我的", "Me";
    AdminArea => "管理后台", "Admin";
    SwitchLanguage => "English", "中文";
    SwitchLanguageLabel => "切换语言", "Switch language";
    KindActivity => "活动", "Activity";
    KindCourse => "青年夜校", "Night school";
    KindMixer => "交友联谊", "Mixer";
    ActivitiesTitle => "活动报名", "Activities";
    CoursesTitle => "青年夜校", "Night school";
    MixersTitle => "交友联谊", "Mixers";
    Loading => "正在加载…", "Loading…";
    EmptyList => "暂时没有可报名的项目，过几天再来看看吧。", "Nothing open for sign-up right now. Check back in a few days.";
    OfflineBanner => "当前离线，显示的是上次同步的内容", "You are offline. Showing what was last synced.";
    OfflineNoData => "当前离线，且本机还没有保存过项目列表。联网后打开一次即可离线浏览。", "You are offline and this device has no saved list yet. Open the app once while online to browse offline.";
    LoadFailed => "加载失败：{0}", "Could not load: {0}";
    Retry => "重试", "Retry";
    UpdatedAt => "更新于 {0}", "Updated {0}";
    SeatsLeft => "剩余 {0} / {1} 个名额", "{0} of {1} places left";
    SeatsFull => "名额已满（共 {0} 个）", "Full ({0} places)";
    Sessions => "共 {0} 节课", "{0} lessons";
    VolunteerHours => "志愿时长 {0} 小时", "{0} volunteer hours";
    SignupCloses => "报名截止 {0}", "Sign-up closes {0}";
    UpdateReady => "新版本已就绪", "A new version is ready";
    UpdateNow => "更新", "Update";
    MeTitle => "我的", "Me";
    Language => "语言", "Language";
    AboutTitle => "关于青团", "About Qingtuan";
    AboutText => "青团是团区委为青年提供的报名与签到工具：无网络时也能浏览、报名和签到，联网后自动同步。", "Qingtuan is the district Youth League's sign-up and check-in tool. Browse, sign up and check in even without a network; everything syncs when you are back online.";
    StorageTitle => "本机存储", "Storage on this device";
    StorageSaved => "已在本机保存 {0} 个项目，可离线浏览", "{0} programmes saved on this device for offline use";
    StorageUnavailable => "此浏览器不允许本地存储（可能是隐私模式），离线功能不可用", "This browser does not allow local storage (private mode?), so offline use is unavailable";
    AdminTitle => "项目总览", "Programmes overview";
    AdminWideOnly => "管理后台适合在电脑上使用。", "The admin area works best on a computer.";
    ColTitle => "名称", "Title";
    ColKind => "类型", "Kind";
    ColVenue => "地点", "Venue";
    ColStart => "开始时间", "Starts";
    ColSeats => "已报 / 名额", "Taken / places";
    NotFoundTitle => "页面不存在", "Page not found";
    BackHome => "返回首页", "Back to the start";
    VenueUnknown => "地点待定", "Venue to be announced";
    FilterAll => "全部", "All";
}

impl Msg {
    /// The text with `{0}`, `{1}` … replaced by `args`.
    pub fn fill(self, lang: Lang, args: &[&str]) -> String {
        let mut out = self.text(lang).to_owned();
        for (i, arg) in args.iter().enumerate() {
            out = out.replace(&format!("{{{i}}}"), arg);
        }
        out
    }
}

/// The current language, shared through context.
#[derive(Clone, Copy)]
pub struct I18n {
    /// The language in use.
    pub lang: RwSignal<Lang>,
}

impl I18n {
    /// A text in the current language (reactive).
    pub fn t(&self, msg: Msg) -> &'static str {
        msg.text(self.lang.get())
    }

    /// A filled text in the current language (reactive).
    pub fn f(&self, msg: Msg, args: &[&str]) -> String {
        msg.fill(self.lang.get(), args)
    }
}

const LANG_KEY: &str = "qingtuan.lang";

/// Provides the language from the saved setting (default Chinese) and keeps it saved.
pub fn provide_i18n() -> I18n {
    use gloo_storage::{LocalStorage, Storage};
    let saved: Lang = LocalStorage::get(LANG_KEY).unwrap_or_default();
    let i18n = I18n {
        lang: RwSignal::new(saved),
    };
    Effect::new(move |_| {
        let lang = i18n.lang.get();
        // Losing the setting (private mode) only means Chinese next time.
        let _ = LocalStorage::set(LANG_KEY, lang);
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", lang.tag());
        }
    });
    provide_context(i18n);
    i18n
}

/// The language context.
pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_has_both_languages_and_the_same_placeholders() {
        for msg in Msg::ALL {
            let zh = msg.text(Lang::Zh);
            let en = msg.text(Lang::En);
            assert!(!zh.trim().is_empty() && !en.trim().is_empty(), "{msg:?}");
            for i in 0..4 {
                let p = format!("{{{i}}}");
                assert_eq!(zh.contains(&p), en.contains(&p), "{msg:?} placeholder {p}");
            }
        }
    }

    #[test]
    fn chinese_is_the_default_and_texts_fill_in() {
        assert_eq!(Lang::default(), Lang::Zh);
        assert_eq!(
            Msg::SeatsLeft.fill(Lang::Zh, &["3", "20"]),
            "剩余 3 / 20 个名额"
        );
        assert_eq!(
            Msg::SeatsLeft.fill(Lang::En, &["3", "20"]),
            "3 of 20 places left"
        );
    }

    #[test]
    fn the_language_setting_round_trips() {
        let json = serde_json::to_string(&Lang::En).unwrap();
        assert_eq!(json, r#""en""#);
        assert_eq!(
            serde_json::from_str::<Lang>(r#""zh-CN""#).unwrap(),
            Lang::Zh
        );
    }
}
