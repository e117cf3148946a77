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

/// The end offsets of consecutive texts of these byte lengths (the catalog's table).
const fn ends<const N: usize>(lens: [usize; N]) -> [u16; N] {
    let mut out = [0u16; N];
    let mut end = 0;
    let mut i = 0;
    while i < N {
        end += lens[i];
        assert!(end <= u16::MAX as usize, "the catalog outgrew u16 offsets");
        out[i] = end as u16;
        i += 1;
    }
    out
}

macro_rules! catalog {
    ($(#[$meta:meta])* $name:ident; $($key:ident => $zh:literal, $en:literal;)*) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $(#[doc = $zh] $key,)* }

        impl $name {
            /// Every message, for tests.
            pub const ALL: &'static [$name] = &[$($name::$key,)*];

            /// The text in `lang`.
            pub fn text(self, lang: Lang) -> &'static str {
                // Every text of a language is one string; the table gives where each ends.
                // (A `match` returning the literals compiled to ≈ 15 KB of wasm code.)
                const ZH: &str = concat!($($zh),*);
                const EN: &str = concat!($($en),*);
                const ZH_ENDS: &[u16] = &ends([$($zh.len()),*]);
                const EN_ENDS: &[u16] = &ends([$($en.len()),*]);
                let (all, ends) = match lang {
                    Lang::Zh => (ZH, ZH_ENDS),
                    Lang::En => (EN, EN_ENDS),
                };
                let i = self as usize;
                let start = if i == 0 { 0 } else { usize::from(ends[i - 1]) };
                &all[start..usize::from(ends[i])]
            }
        }
    };
}

catalog! {
    /// A user-facing text.
    Msg;
    AppName => "青团", "Qingtuan";
    AppTagline => "青年活动·夜校·联谊，一键报名", "Volunteering, night school and mixers in one place";
    TabActivities => "活动", "Activities";
    TabCourses => "夜校", "Night school";
    TabMixers => "联谊", "Mixers";
    TabMe => "我的", "Me";
    AdminArea => "管理后台", "Admin";
    SwitchLanguage => "English", "中文";
    // The accessible name starts with the visible text (WCAG 2.5.3, label in name).
    SwitchLanguageLabel => "English：切换语言", "中文: switch language";
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
    UnreadableRows => "有 {0} 条记录数据有误，无法显示，已跳过", "{0} records hold data this app cannot show and are left out";
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
    ScreenNotDownloadedTitle => "这个页面还没有保存到本机", "This screen isn't saved on this device yet";
    ScreenNotDownloadedText => "签到和管理页面只在工作人员的设备上保存。请联网打开一次，之后离线也能用。", "Check-in and admin screens are saved only on staff devices. Open this once while online; after that it works offline too.";
    BackHome => "返回首页", "Back to the start";
    VenueUnknown => "地点待定", "Venue to be announced";
    FilterAll => "全部", "All";
    // Accounts: header, banner, shared form texts.
    SignIn => "登录", "Sign in";
    SignUp => "注册", "Sign up";
    AccountLinkLabel => "我的账号：", "My account: ";
    NeedsSignIn => "登录已过期，请重新登录", "Your sign-in has expired. Please sign in again.";
    SignInAgain => "重新登录", "Sign in again";
    PleaseWait => "请稍候…", "Please wait…";
    FormHasErrors => "请修改标出的内容后再提交", "Please correct the marked fields";
    FieldPhone => "手机号", "Mobile number";
    FieldPassword => "密码", "Password";
    FieldPasswordHint => "至少 8 位，不要使用手机号或常见密码", "At least 8 characters, not your phone number or a common password";
    FieldDisplayName => "姓名或昵称", "Name";
    FieldDisplayNameHint => "活动负责人签到时会看到这个名字", "Organizers see this name when they check you in";
    FieldBirthYear => "出生年份", "Year of birth";
    FieldBirthYearHint => "四位数字，例如 2001", "Four digits, for example 2001";
    ErrInvalidPhone => "请输入正确的 11 位手机号", "Enter a valid 11-digit mobile number";
    ErrPasswordTooShort => "密码至少 8 位", "Use at least 8 characters";
    ErrPasswordTooLong => "密码最多 128 位", "Use at most 128 characters";
    ErrNameTooLong => "最多 32 个字", "Use at most 32 characters";
    ErrTooCommon => "这个密码太常见，容易被猜到，请换一个", "This password is too common and easy to guess; choose another";
    ErrContainsPhone => "密码不能包含手机号", "The password must not contain the phone number";
    ErrRequired => "此项必填", "This is required";
    ErrBadCharacters => "包含不能使用的字符", "This contains characters that cannot be used";
    ErrBirthYear => "请输入正确的出生年份", "Enter a valid year of birth";
    ErrSameAsPhone => "监护人手机号不能与本人相同", "The guardian's number must differ from yours";
    ErrConsentRequired => "请阅读并同意隐私政策", "Please read and agree to the privacy notice";
    ErrGuardianRequired => "未满 14 周岁需要监护人同意", "Under 14, a guardian must agree";
    ErrGuardianConsentRequired => "需要监护人勾选同意", "The guardian must tick to agree";
    ErrPasswordMismatch => "两次输入的新密码不一致", "The two new passwords differ";
    ErrConfirmRequired => "请勾选确认", "Tick to confirm";
    ErrInvalidValue => "内容不正确", "This value is not valid";
    ErrOwnAdmin => "不能取消自己的管理员身份", "You cannot remove your own admin role";
    ErrNotOrganizer => "请先保存组织者身份", "Save the organizer role first";
    ErrServer => "服务器暂时出错，请稍后再试", "The server had a problem. Please try again later";
    ErrUnexpected => "出现意外错误，请稍后再试", "Something unexpected happened. Please try again later";
    NeedsNetwork => "需要联网才能完成此操作", "This needs a network connection";
    // Sign-up.
    SignupTitle => "注册青团账号", "Create a Qingtuan account";
    SignupIntro => "注册后即可报名活动、青年夜校和交友联谊。", "With an account you can sign up for activities, night school and mixers.";
    SignupSubmit => "同意并注册", "Agree and sign up";
    SignupNeedsNetwork => "需要联网才能注册", "You need a network connection to sign up";
    PhoneTaken => "该手机号已注册，请直接登录", "This number already has an account. Please sign in";
    HaveAccount => "已有账号？", "Already have an account?";
    PrivacyReadInFull => "阅读隐私政策全文", "Read the full privacy notice";
    ConsentLabel => "我已阅读并同意《青团隐私政策》", "I have read and agree to the Qingtuan privacy notice";
    GuardianTitle => "监护人同意", "Guardian's consent";
    GuardianIntro => "未满 14 周岁的用户，需要监护人阅读隐私政策并同意后才能注册。请监护人填写以下信息。", "Under 14, a guardian must read the privacy notice and agree before you can sign up. The guardian fills in the details below.";
    FieldGuardianName => "监护人姓名", "Guardian's name";
    FieldGuardianPhone => "监护人手机号", "Guardian's mobile number";
    GuardianConsentLabel => "我是该用户的监护人，已阅读隐私政策，同意其注册并使用青团", "I am this person's guardian, have read the privacy notice, and agree to their signing up for and using Qingtuan";
    // Sign-in.
    SigninTitle => "登录", "Sign in";
    SigninSubmit => "登录", "Sign in";
    SignInNeedsNetwork => "需要联网才能登录", "You need a network connection to sign in";
    WrongCredentials => "手机号或密码错误", "Wrong mobile number or password";
    TooManyAttempts => "尝试次数过多，请稍后再试", "Too many attempts. Please try again later";
    NoAccount => "还没有账号？", "No account yet?";
    SignInAgainAs => "请以 {0} 的身份重新登录，本机上尚未同步的内容会保留。", "Sign in again as {0}. Anything on this device that has not synced yet is kept.";
    AlreadySignedIn => "你已登录：{0}", "You are signed in as {0}";
    GoToMe => "前往「我的」", "Go to Me";
    // Me.
    MeSignedOutIntro => "登录后可以报名活动、查看自己的报名和志愿时长。", "Sign in to sign up for programmes and see your sign-ups and volunteer hours.";
    ProfileTitle => "个人信息", "Profile";
    ProfileName => "姓名", "Name";
    ProfilePhone => "手机号", "Mobile";
    ProfileBirthYear => "出生年份", "Born";
    ProfileRoles => "身份", "Roles";
    RoleYouth => "青年", "Youth";
    RoleOrganizer => "组织者", "Organizer";
    RoleAdmin => "管理员", "Admin";
    OpenAdmin => "进入管理后台", "Open the admin area";
    ChangePasswordTitle => "修改密码", "Change password";
    FieldCurrentPassword => "当前密码", "Current password";
    FieldNewPassword => "新密码", "New password";
    FieldRepeatPassword => "再次输入新密码", "New password again";
    ChangePasswordSubmit => "修改密码", "Change password";
    PasswordChanged => "密码已修改，其他设备上的登录已退出", "Password changed. Other devices have been signed out";
    WrongCurrentPassword => "当前密码不正确", "The current password is wrong";
    ExportTitle => "我的数据", "My data";
    ExportText => "下载一份青团保存的关于你的全部数据（JSON 文件）。", "Download a copy of everything Qingtuan keeps about you (a JSON file).";
    ExportButton => "下载我的数据", "Download my data";
    ExportDone => "已下载 {0}", "Downloaded {0}";
    SessionsTitle => "登录状态", "Signing out";
    SignOut => "退出登录", "Sign out";
    SignOutAll => "退出所有设备", "Sign out everywhere";
    SignOutAllHint => "在所有手机和电脑上退出青团，包括这台设备。", "Signs Qingtuan out on every phone and computer, this one included.";
    SignedOut => "已退出登录", "You have signed out";
    SignedOutAll => "已在所有设备上退出登录", "You have signed out on every device";
    DeleteTitle => "注销账号", "Delete account";
    DeleteWarning => "注销后，你的账号、个人信息和登录记录将被删除，无法恢复。过去的报名记录会去掉个人身份后保留，仅用于统计。", "Deleting removes your account, personal details and sign-ins for good. Past sign-ups are kept without your identity, for statistics only.";
    DeleteConfirmLabel => "我确认注销账号，并知道此操作无法撤销", "I want to delete my account and understand this cannot be undone";
    DeleteSubmit => "注销账号", "Delete account";
    WrongPassword => "密码不正确", "The password is wrong";
    AccountDeleted => "账号已注销，本机上的登录信息也已清除。", "Your account has been deleted, and this device has forgotten the sign-in.";
    PrivacyLink => "隐私政策", "Privacy notice";
    // Admin.
    AdminSignInPrompt => "请先登录管理员账号", "Sign in with an admin account first";
    AdminOnly => "需要管理员权限", "This needs admin rights";
    AdminTabUsers => "用户管理", "Users";
    AdminNeedsNetwork => "需要联网才能管理用户", "Managing users needs a network connection";
    UserSearchLabel => "按手机号或姓名搜索", "Search by phone or name";
    Search => "搜索", "Search";
    NoUsersFound => "没有找到符合条件的用户", "No users match";
    UsersFound => "共 {0} 位用户", "{0} users";
    BornIn => "{0} 年生", "born {0}";
    ThisIsYou => "（我）", "(you)";
    SaveRoles => "保存身份", "Save roles";
    Saved => "已保存", "Saved";
    AssignmentsTitle => "负责的项目（已选 {0} 个）", "Programmes they run ({0} chosen)";
    AssignmentsVenues => "另外负责 {0} 个场地的全部项目（保持不变）", "Also runs everything at {0} venues (unchanged)";
    AssignmentsLegend => "勾选此组织者负责的项目", "Tick the programmes this organizer runs";
    SaveAssignments => "保存负责项目", "Save programmes";
    UnknownOffering => "列表外的项目 {0}", "Programme {0} (not in the current list)";
    NoOfferingsKnown => "本机还没有项目列表，联网打开一次后再试", "This device has no programme list yet; open the app online once and try again";
    // The privacy notice.
    PrivacyTitle => "青团隐私政策", "Qingtuan privacy notice";
    PrivacyVersion => "版本 {0}", "Version {0}";
    PrivacyIntro => "青团是团区委为辖区青年提供的活动报名与签到工具。我们按照《中华人民共和国个人信息保护法》的要求，只收集提供服务所必需的最少信息。请在注册前完整阅读本政策。", "Qingtuan is the district Youth League committee's tool for signing up to and checking in at its programmes. Following China's Personal Information Protection Law, we collect only the least information the service needs. Please read this notice in full before you sign up.";
    PrivacyWhoTitle => "一、谁负责处理你的信息", "1. Who handles your information";
    PrivacyWhoBody => "共青团区委员会（团区委）运营青团并负责处理你的个人信息。各场馆的活动负责人受团区委委托组织活动和签到。", "The district committee of the Communist Youth League runs Qingtuan and is responsible for your personal information. The organizers at each venue run programmes and check-ins on its behalf.";
    PrivacyCollectTitle => "二、我们收集哪些信息", "2. What we collect";
    PrivacyCollectBody => "手机号（用于账号和登录）；密码（只保存无法还原的加密摘要，任何人都看不到原文）；姓名或昵称；出生年份（用于判断是否需要监护人同意，以及青年项目的年龄条件）；你同意的隐私政策版本和时间；未满 14 周岁时，监护人的姓名、手机号和同意时间；你的报名、签到和志愿时长记录；每次登录的开始时间、最近使用时间和到期时间。我们不收集身份证号、精确位置、通讯录或照片。", "Your mobile number (for your account and signing in); your password (kept only as a one-way hash that nobody can turn back into the password); your name; your year of birth (to know whether a guardian must agree, and for the age rules of youth programmes); the version of this notice you agreed to and when; under 14, your guardian's name, mobile number and when they agreed; your sign-ups, check-ins and volunteer hours; and for each sign-in, when it started, was last used and expires. We do not collect ID card numbers, precise location, contacts or photos.";
    PrivacyUseTitle => "三、我们如何使用这些信息", "3. How we use it";
    PrivacyUseBody => "用于创建账号和登录；处理你的报名、候补、摇号和签到；让活动负责人在现场核对身份；统计各类活动的参与人数和志愿时长，用于团区委的年度工作报告（报告中只有数字，不含个人信息）。我们不会把你的信息用于广告或与上述目的无关的用途。", "To create your account and sign you in; to handle your sign-ups, waitlists, lotteries and check-ins; to let organizers confirm who you are at the venue; and to count participants and volunteer hours for the committee's annual report (numbers only, nothing personal). We never use your information for advertising or anything unrelated to these purposes.";
    PrivacyShareTitle => "四、谁能看到你的信息", "4. Who can see it";
    PrivacyShareBody => "活动负责人只能看到自己负责的项目的报名名单，名单上的手机号会部分隐藏（如 138****1234）；团区委管理员可以查看和管理账号信息；联谊活动的资料只对管理员和互相选择的双方可见。除法律法规要求外，我们不会向任何第三方提供或出售你的信息。", "Organizers see only the lists of the programmes they run, with mobile numbers partly hidden (such as 138****1234); the committee's admins can see and manage account details; mixer profiles are visible only to admins and to two people who both chose each other. We never sell your information or give it to any third party, except where the law requires it.";
    PrivacyDeviceTitle => "五、保存在你手机上的信息", "5. What stays on your device";
    PrivacyDeviceBody => "为了没有网络时也能使用，青团会在你的浏览器里保存项目列表、语言设置和你的登录状态（包括一个登录凭证）。退出登录或注销账号时，本机上的登录状态会被清除。在公用设备上使用后请退出登录。", "So that it works without a network, Qingtuan keeps the programme list, your language setting and your sign-in (including a sign-in token) in your browser. Signing out or deleting your account removes the sign-in from the device. Sign out after using a shared device.";
    PrivacyKeepTitle => "六、保存多久", "6. How long we keep it";
    PrivacyKeepBody => "账号信息在你的账号存在期间保存。登录凭证 30 天未使用即失效。注销账号时，账号、个人信息、身份和登录记录立即删除；过去的报名记录去掉与你有关的身份信息后保留，仅用于统计。", "Account details are kept while your account exists. A sign-in expires after 30 days without use. When you delete your account, the account, personal details, roles and sign-ins are deleted at once; past sign-ups are kept without anything that identifies you, for statistics only.";
    PrivacyMinorsTitle => "七、未成年人", "7. Minors";
    PrivacyMinorsBody => "青团主要面向 14 至 35 周岁的青年。按出生年份计算未满 14 周岁的用户，需要监护人阅读本政策并同意后才能注册；监护人可以代为行使下面列出的各项权利。", "Qingtuan is mainly for young people aged 14 to 35. Anyone under 14 by year of birth can sign up only after a guardian has read this notice and agreed; the guardian may exercise the rights below on their behalf.";
    PrivacyRightsTitle => "八、你的权利", "8. Your rights";
    PrivacyRightsBody => "你可以随时在「我的」页面：下载一份我们保存的关于你的全部数据；修改密码；退出所有设备上的登录；注销账号（即撤回同意）。如需更正信息，请联系团区委工作人员。", "At any time, on the Me screen, you can: download a copy of everything we keep about you; change your password; sign out on every device; and delete your account (which withdraws your consent). To correct your details, contact the committee's staff.";
    PrivacySecurityTitle => "九、我们如何保护你的信息", "9. How we protect it";
    PrivacySecurityBody => "密码使用 Argon2 算法加密保存；登录凭证在服务器上只保存其摘要；连续输错密码会被暂时限制登录；每一次修改身份和权限都会记录在审计日志中。", "Passwords are stored with the Argon2 algorithm; the server keeps only a digest of each sign-in token; repeated wrong passwords temporarily block signing in; and every change of roles and rights is written to an audit log.";
    PrivacyContactTitle => "十、联系我们", "10. Contact";
    PrivacyContactBody => "对本政策或你的信息有任何疑问，请联系团区委工作人员，或你参加活动的场馆负责人。本政策更新时，我们会在青团中提示，并请你重新阅读和同意。", "For any question about this notice or your information, contact the committee's staff or the organizer at your venue. When this notice changes, Qingtuan will tell you and ask you to read and agree to it again.";
    SyncOffline => "离线", "Offline";
    SyncOfflinePending => "离线 · {0} 项待同步", "Offline · {0} waiting to sync";
    SyncPending => "{0} 项待同步", "{0} waiting to sync";
    SyncSyncing => "同步中…", "Syncing…";
    SyncSynced => "已同步 {0}", "Synced {0}";
    SyncNeedsSignIn => "请重新登录，未同步的操作会保留", "Sign in again; nothing waiting is lost";
    SyncUpdateApp => "请刷新页面以更新应用", "Reload to update the app";
    SyncFailed => "同步失败，稍后自动重试", "Sync failed; retrying shortly";
    SignUpAction => "报名", "Sign up";
    SignInToSignUp => "登录后报名", "Sign in to sign up";
    CancelAction => "取消报名", "Cancel";
    CancelConfirm => "确认取消", "Yes, cancel";
    CancelKeep => "不取消", "Keep it";
    StatusPendingSync => "待同步", "Waiting to sync";
    StatusExpected => "预计：{0}", "Expected: {0}";
    StatusConfirmed => "已报名", "Signed up";
    StatusWaitlisted => "候补第 {0} 位", "Waitlist #{0}";
    StatusPendingReview => "待审核", "Awaiting approval";
    StatusLotteryEntered => "已参加摇号", "In the lottery";
    StatusWon => "已中签", "Drawn";
    StatusNotDrawn => "未中签", "Not drawn";
    StatusRejected => "未报上：{0}", "Not signed up: {0}";
    StatusCancelled => "已取消", "Cancelled";
    ReasonFull => "名额已满", "full";
    ReasonClosed => "报名已截止", "sign-up closed";
    ReasonNotEligible => "不符合报名条件", "not eligible";
    ReasonDuplicate => "已报名过该项目", "already signed up";
    CourseManage => "抽签与学员", "draw and learners";
    CourseApplications => "报名 {0} 人", "{0} applications";
    CourseWon => "中签待确认 {0} 人", "{0} won, to confirm";
    CourseConfirmed => "已确认 {0} 人", "{0} confirmed";
    CourseWaitlisted => "候补 {0} 人", "{0} on the waitlist";
    CourseCompleted => "已结业 {0} 人", "{0} completed";
    CourseAttendanceTitle => "各课次出勤", "attendance per lesson";
    CourseLessonAttendance => "第 {0} 课：{1} 人", "lesson {0}: {1}";
    CourseRatingsTitle => "评价 {0} 分（{1} 条）", "rated {0} ({1} ratings)";
    DrawPublicValue => "公开随机数", "public value";
    DrawPublicValueHint => "抽签现场公开产生、截止时无人知道的数（如现场摇号、当日指数收盘价），可留空", "a value nobody knew at the close (numbers drawn in front of the audience, an index's close today); may be empty";
    RunDraw => "开始抽签", "run the draw";
    DrawNotYet => "报名截止、名单冻结后才能抽签", "the draw runs once the window has closed and the list is frozen";
    DrawAlreadyRun => "已抽签，不能重复抽签", "the draw has run already; it runs once";
    DrawPublicValueInvalid => "公开随机数不能含控制字符，最多 200 字", "the public value may not contain control characters (at most 200)";
    DrawDone => "抽签完成，结果已公示", "drawn; the results are published";
    DrawResultsLink => "查看公示结果", "see the published results";
    ReasonTermLimit => "本学期申请的课程已达上限", "you have applied for as many courses this term as allowed";
    NoticeDecided => "「{0}」：{1}（手机上曾显示为「{2}」）", "\"{0}\": {1} (the phone showed \"{2}\")";
    NoticeRejected => "「{0}」：操作未成功，{1}", "\"{0}\": not done: {1}";
    NoticeDismiss => "知道了", "Got it";
    MutUnknownOffering => "项目不存在或已下架", "the programme no longer exists";
    MutIdConflict => "编号冲突，请重新报名", "an id clash; please sign up again";
    MutUnknownRegistration => "找不到这条报名", "that sign-up was not found";
    MutNotCancellable => "当前状态不能取消", "it cannot be cancelled now";
    MutOutdated => "应用版本过旧，请刷新页面", "the app is out of date; reload it";
    MutForbidden => "没有权限", "not allowed";
    MutBadAnswers => "报名问题的回答不完整", "the answers to the questions are incomplete";
    MutWrongStatus => "该报名的状态已变化", "that sign-up has changed meanwhile";
    MutWrongOffering => "不是本活动的报名", "that sign-up is for another activity";
    MutTimeOutOfRange => "设备时间有误，请校准手机时间", "this device's clock is wrong: set the right time";
    MutDeadlinePassed => "确认期限已过，名额已顺延给候补", "the deadline to confirm has passed: the place went to the waitlist";
    MutNotAttended => "至少参加一次课后才能评价", "only those who attended a lesson can rate the course";
    MutNotOverYet => "课程结束后才能评价", "you can rate the course after its last lesson";
    MutRatingClosed => "评价已超过可修改期限", "this rating can no longer be changed";
    MutTooManyPicks => "选择人数超过本场上限", "more picks than this mixer allows";
    MutPickedSelf => "不能选择自己", "you cannot pick yourself";
    MutUnknownBadge => "该号码不在本场已签到的嘉宾中", "that number is nobody checked in at this mixer";
    MutPicksClosed => "选择已结束，本次选择未计入", "the picks had closed: these were not counted";
    MutNotCheckedIn => "签到后才能选择", "you can pick once you are checked in";
    MutReasonRequired => "请填写理由", "a reason is required";
    MutRequestOpen => "该活动已有一条待处理的时长修正申请", "a correction request for this activity is already open";
    MutNoHours => "该活动不记录志愿时长", "this activity does not credit volunteer hours";
    ReasonNoProfile => "需先填写联谊资料", "a mixer profile is needed first";
    ReasonNotDeclared => "需声明本人单身", "you need to declare that you are single";
    ReasonAgeRange => "年龄不在本场要求范围内", "your age is outside this mixer's range";
    SignupNotDeclared => "报名交友联谊需在联谊资料中声明本人单身。", "Signing up for a mixer needs the declaration that you are single, in your mixer profile.";
    SignupAgeRange => "你的年龄不在本场联谊的要求范围内。", "Your age is outside this mixer's range.";
    FactAgeRange => "年龄", "Ages";
    AgeRangeValue => "{0}–{1} 岁", "{0}–{1}";
    FactPicks => "心动选择", "Picks";
    PicksValue => "每人最多选 {0} 位，仅双向选择才会配对", "up to {0} each; a match only when both picked each other";
    BadgeMale => "男", "M";
    BadgeFemale => "女", "F";
    EducationHighSchool => "高中及以下", "high school or less";
    EducationAssociate => "大专", "associate degree";
    EducationBachelor => "本科", "bachelor's";
    EducationMaster => "硕士", "master's";
    EducationDoctorate => "博士", "doctorate";
    ErrHeight => "身高请填 120–230 之间的整数（厘米），或留空", "give a height of 120–230 (cm), or leave it empty";
    ErrWechatId => "微信号为 6–20 位字母、数字、下划线或减号，以字母开头", "a WeChat id is 6–20 letters, digits, _ or -, starting with a letter";
    ErrSingleRequired => "报名联谊需声明本人单身", "signing up for mixers needs this declaration";
    ChooseOne => "请选择", "Choose";
    ContactPhone => "手机号", "Phone";
    ContactWechat => "微信号", "WeChat";
    MixerProfileTitle => "联谊资料", "Mixer profile";
    MixerProfilePrivacy => "资料仅供团委审核报名，不会展示给其他参加者或组织者。", "Your profile is read only by the League committee to review sign-ups; other participants and organizers never see it.";
    FieldNickname => "昵称", "Nickname";
    NicknameHint => "现场其他嘉宾只能看到你的号码和昵称", "at the event others see only your number and nickname";
    FieldGender => "性别", "Gender";
    FieldEducation => "学历", "Education";
    FieldOccupation => "职业或行业", "Occupation or industry";
    FieldHeight => "身高（厘米，可不填）", "Height (cm, optional)";
    FieldIntro => "自我介绍（可不填）", "About you (optional)";
    FieldContact => "配对成功后交换的联系方式", "Contact shared with a match";
    FieldWechat => "微信号", "WeChat id";
    ContactSharedOnlyOnMatch => "联系方式只在双方互相选择后告诉对方。", "Your contact goes only to someone you both picked, after the picks close.";
    DeclareSingle => "我声明本人目前单身", "I declare that I am single";
    MixerProfileSave => "保存联谊资料", "Save the profile";
    MixerProfileSaved => "已保存，联网后同步", "Saved; it is sent when online";
    MixerProfileLink => "我的联谊资料", "My mixer profile";
    MeTitleBack => "返回我的", "Back to Me";
    NotYetSubmitted => "尚未提交：联网后自动提交", "Not yet submitted: it is sent when online";
    MixerAfterCheckin => "到场签到后会拿到号码，即可选择心动嘉宾。", "Check in at the door for your number; then you can pick.";
    MyBadge => "我的号码", "My number";
    MixerNoMatch => "本场没有双向选择的配对。", "No mutual pick this time.";
    MixerMatchesTitle => "配对成功", "Matches";
    TooManyPicks => "最多选择 {0} 位", "at most {0}";
    PickTitle => "选择心动嘉宾（最多 {0} 位）", "Pick people you liked (up to {0})";
    PickOpenHint => "选择开放中，结束前可随时修改。", "Picks are open; change them until they close.";
    PickNotOpenHint => "可先选好，主持人开始后也可修改；结束后才公布配对。", "You may pick now and change it later; matches come when picks close.";
    NobodyPresentYet => "暂无已签到的嘉宾，联网后会更新。", "Nobody checked in yet; this updates when online.";
    PresentPeople => "已签到的嘉宾", "Checked in";
    PicksNotYetSubmitted => "选择尚未提交：联网后自动提交，结束前送达才有效", "Picks not yet submitted: they are sent when online and count only if they arrive before the close";
    PickSubmit => "提交选择", "Submit picks";
    PickPrivacy => "你的选择只用于配对，任何人都不会知道谁选择了谁。", "Picks are used only for matching: nobody learns who picked whom.";
    MyRegistrations => "我的报名", "My sign-ups";
    NoRegistrations => "还没有报名，去「活动」「夜校」看看吧。", "No sign-ups yet. Have a look at Activities and Night school.";
    UnknownProgramme => "（项目信息未同步）", "(programme not synced yet)";
    StoragePersisted => "浏览器已同意长期保存本机数据。", "The browser keeps this device's data for good.";
    StorageNotPersisted => "浏览器未同意长期保存：存储空间紧张时，离线数据可能被清除。", "The browser did not agree to keep the data for good: under storage pressure, offline data may be cleared.";
    ActionFailed => "操作失败：{0}", "That did not work: {0}";
    ErrActionNotSignedIn => "请先登录", "sign in first";
    ErrActionDeviceStorage => "无法保存在本机，请刷新页面后再试", "it could not be saved on this device; reload the page and try again";
    // Lists: filters.
    FilterDates => "日期", "Dates";
    FilterAnyDay => "不限日期", "Any day";
    FilterToday => "今天", "Today";
    FilterThisWeek => "本周", "This week";
    FilterWeekend => "周末", "Weekend";
    FilterPickDates => "选择日期", "Pick dates";
    FilterFrom => "从", "From";
    FilterTo => "到", "To";
    FilterCategory => "类别", "Category";
    FilterVenue => "场地", "Venue";
    FilterAnyVenue => "全部场地", "All venues";
    FilterSeatsLeft => "只看有名额", "Places left only";
    FilterClear => "清除筛选", "Clear filters";
    NothingMatches => "没有符合筛选条件的项目，换个条件试试。", "Nothing matches these filters. Try others.";
    NeedsApproval => "需审核", "Needs approval";
    OfferingCancelledTag => "已取消", "Cancelled";
    // The home screen's reminders.
    UpcomingTitle => "近期活动（7 天内）", "Coming up (next 7 days)";
    AddToCalendar => "加入日历", "Add to calendar";
    CalendarHint => "加入手机日历，活动前一天会提醒你。", "Add it to your phone's calendar to be reminded the day before.";
    // An offering's details.
    OfferingTitle => "活动详情", "Details";
    OfferingMissing => "找不到这个项目：它可能已下架，或本机还没有同步到。", "This programme was not found: it may have been withdrawn, or this device has not synced it yet.";
    BackToList => "← 返回列表", "← Back to the list";
    FactWhen => "时间", "When";
    FactWhere => "地点", "Where";
    FactPlaces => "名额", "Places";
    FactSignup => "报名", "Sign-up";
    FactHours => "志愿时长", "Volunteer hours";
    FactSessions => "课时", "Lessons";
    FactApproval => "审核", "Approval";
    HoursValue => "{0} 小时", "{0} hours";
    WaitlistOpen => "可候补（已有 {0} 人）", "waitlist open ({0} waiting)";
    ApprovalExplained => "报名后需团区委审核，通过后才算报名成功。", "The committee reviews each sign-up; it counts once approved.";
    Description => "活动介绍", "About";
    SignInToSignUpHint => "登录后即可报名并获得电子票。", "Sign in to sign up and get your ticket.";
    MyRegistration => "我的报名", "My sign-up";
    SignupFormTitle => "报名", "Sign up";
    QuestionsIntro => "请回答组织方的问题，标有「必填」的必须回答。", "Please answer the organizer's questions; those marked Required must be answered.";
    Required => "必填", "Required";
    Yes => "是", "Yes";
    No => "否", "No";
    SubmitSignup => "提交报名", "Sign up";
    JoinWaitlist => "报名候补", "Join the waitlist";
    SignupOfflineHint => "没有网络也可以报名，联网后自动提交。", "You can sign up offline; it is sent when you are back online.";
    SignupCancelledOffering => "活动已取消，不能报名。", "This activity was cancelled.";
    SignupNotPublished => "项目尚未发布。", "Not published yet.";
    SignupNotOpenYet => "报名尚未开始。", "Sign-up has not opened yet.";
    ReasonClosedSentence => "报名已截止。", "Sign-up has closed.";
    SignupFull => "名额已满。", "It is full.";
    SignupNeedsMixerProfile => "交友联谊按性别分配名额，需先填写联谊资料后报名。", "Mixers give places by gender: a mixer profile is needed to sign up.";
    PoolMale => "男", "Men";
    PoolFemale => "女", "Women";
    ErrAnswerTooLong => "最多 500 字", "Use at most 500 characters";
    StatusOfferingCancelled => "活动已取消：{0}", "Activity cancelled: {0}";
    StatusReviewRejected => "审核未通过：{0}", "Not approved: {0}";
    NoteFromOrganizer => "备注：{0}", "Note: {0}";
    HasTicket => "电子票", "Ticket";
    // The ticket.
    TicketTitle => "电子票", "Ticket";
    TicketQrLabel => "签到二维码", "Check-in QR code";
    TicketNoQr => "二维码无法显示，请向组织者出示下方票码。", "The QR code cannot be shown; show the ticket code below instead.";
    TicketHint => "到场后向组织者出示此二维码签到、签退。没有网络也能显示。", "Show this QR code to the organizer to check in and out. It works without a network.";
    TicketShowCode => "显示票码", "Show the ticket code";
    TicketAfterSync => "报名已确认，电子票将在下次同步后显示。", "You are signed up; the ticket shows after the next sync.";
    // 我的志愿时长.
    HoursTitle => "我的志愿时长", "My volunteer hours";
    HoursYear => "年份", "Year";
    YearLabel => "{0} 年", "{0}";
    HoursTotalOf => "{0} 年累计", "Total in {0}";
    HoursGoal => "年度目标 20 小时", "Yearly goal: 20 hours";
    HoursGoalLeft => "距年度 20 小时目标还差 {0}", "{0} to go to the 20-hour yearly goal";
    HoursGoalReached => "已达到年度 20 小时目标", "The 20-hour yearly goal is reached";
    HoursExplained => "志愿时长以现场签到、签退记录为准，组织者的设备同步后显示。", "Hours come from check-in and check-out at the venue and show once the organizer's device has synced.";
    HoursThisYear => "{0} 年已累计 {1}", "{1} so far in {0}";
    OpenHours => "查看志愿时长", "See my hours";
    LedgerEmpty => "{0} 年还没有志愿时长记录。", "No volunteer hours recorded in {0} yet.";
    DurationHours => "{0} 小时", "{0} h";
    DurationMinutes => "{0} 分钟", "{0} min";
    DurationHoursMinutes => "{0} 小时 {1} 分钟", "{0} h {1} min";
    DateLong => "{0}年{1}月{2}日", "{2}/{1}/{0}";
    FlagAutoClosed => "未签退，按活动结束时间计", "no check-out: counted to the end";
    FlagBelowShare => "在场时间不足规定比例，未计时长", "present for too short a share: no hours";
    FlagOutWithoutIn => "有签退但无签到记录", "a check-out without a check-in";
    FlagCorrected => "组织者已修正", "corrected by the organizer";
    FlagOther => "有备注", "flagged";
    CertificateLink => "打印 {0} 年志愿服务证明", "Print the {0} certificate";
    CertificateTitle => "志愿服务时长证明", "Certificate of volunteer service";
    CertificateBody => "兹证明 {0}（手机尾号 {1}）于 {2} 年通过青团参加志愿服务活动 {3} 次，累计志愿服务时长 {4}。", "This certifies that {0} (phone ending {1}) took part in {3} volunteer activities through Qingtuan in {2}, serving {4} in total.";
    CertificateBasis => "本证明依据活动现场签到、签退记录生成（谁组织谁记录，谁记录谁证明）。", "Based on check-in and check-out records at each activity (whoever organises records; whoever records certifies).";
    CertificateIssuer => "共青团区委员会", "District Committee of the Communist Youth League";
    ColDate => "日期", "Date";
    ColHours => "时长", "Hours";
    Print => "打印", "Print";
    BackToHours => "返回志愿时长", "Back to my hours";
    // Venue mode.
    VenueTitle => "现场签到", "Venue check-in";
    VenueIntro => "下载负责活动的名单后，断网也能扫码签到、签退和现场报名。", "Download the rosters of your activities, then check people in and out and register walk-ins with no network.";
    OpenVenue => "进入现场签到", "Open venue mode";
    VenueSignIn => "请先登录组织者账号", "Sign in with an organizer account first";
    VenueOrganizersOnly => "需要组织者身份", "This needs the organizer role";
    VenueToday => "今天的活动", "Today";
    VenueNoneToday => "今天没有你负责的活动。", "You run no activity today.";
    VenueNoAssignments => "还没有分配给你的活动；下载名单后再看看。", "No activities are assigned to you yet; download the roster and look again.";
    VenueShowOthers => "查看其他负责的活动（{0}）", "Show my other activities ({0})";
    VenueHideOthers => "收起其他活动（{0}）", "Hide the other activities ({0})";
    VenuePickCounts => "已签到 {0} / 已报名 {1}", "{0} in / {1} signed up";
    VenueAllActivities => "← 全部活动", "← All my activities";
    VenueLessonToday => "今天是第 {0} 课", "Today: lesson {0}";
    VenueNoLessonToday => "这门课今天没有课次，不能签到。", "This course has no lesson today: there is nothing to check in to.";
    VenueOfferingUnknown => "本机还没有这个活动的信息，请联网下载名单。", "This device does not know this activity yet; download the roster online.";
    RosterDownloadedAt => "名单下载于 {0}", "Roster downloaded {0}";
    RosterNotDownloaded => "尚未下载名单", "The roster has not been downloaded yet";
    DownloadRoster => "下载名单", "Download roster";
    Downloading => "下载中…", "Downloading…";
    DownloadHint => "下载后断网也能签到，联网后自动上传签到记录。", "After downloading, check-in works offline; scans upload when back online.";
    VenueOfflineHint => "当前离线：使用已下载的名单签到，联网后自动上传。", "Offline: checking in from the downloaded roster; scans upload when back online.";
    ScansWaiting => "{0} 条记录待上传", "{0} records waiting to upload";
    VenueCounts => "现场人数", "Counts";
    CountRegistered => "已报名", "Signed up";
    CountCheckedIn => "已签到", "Checked in";
    CountCheckedOut => "已签退", "Checked out";
    ScanMode => "签到或签退", "Check in or out";
    ModeCheckIn => "签到", "Check in";
    ModeCheckOut => "签退", "Check out";
    TicketCodeLabel => "票码", "Ticket code";
    TicketCodePlaceholder => "扫码或粘贴电子票上的票码", "Scan, or paste the code from the ticket";
    VerifyAndCheckIn => "验票并签到", "Verify and check in";
    VerifyAndCheckOut => "验票并签退", "Verify and check out";
    ScanWithCamera => "用摄像头扫码", "Scan with the camera";
    StopCamera => "关闭摄像头", "Stop the camera";
    CameraFailed => "无法使用摄像头：{0}", "The camera cannot be used: {0}";
    ScanEnterCode => "请扫码或输入票码", "Scan or enter a ticket code";
    ScanInvalid => "无效票", "Invalid ticket";
    ScanWrongOffering => "不是本活动的票", "This ticket is for another activity";
    ScanNoKeys => "本机还没有验票密钥，请先联网下载名单", "This device has no ticket keys yet; download the roster online first";
    ScanVoid => "该报名已取消或未通过", "This sign-up was cancelled or refused";
    ScanCheckedIn => "签到成功：{0}（{1}）", "Checked in: {0} ({1})";
    ScanCheckedOut => "签退成功：{0}（{1}）", "Checked out: {0} ({1})";
    ScanRepeatIn => "{0} 已签到，无需重复签到", "{0} is already checked in";
    ScanRepeatOut => "{0} 已签退", "{0} has already checked out";
    ScanEarlier => "{0} 由设备 {1} 记录", "recorded at {0} by device {1}";
    ScanNotOnRoster => "不在已下载的名单中，凭有效电子票入场（名单下载后报名）。", "Not on the downloaded roster: admitted by a valid ticket (signed up after the download).";
    ScanOutWithoutIn => "本机没有此人的签到记录，签退已记录。", "This device has no check-in for them; the check-out is recorded.";
    FindPerson => "查找报名者", "Find someone";
    FindPersonLabel => "姓名或手机后四位", "Name or last 4 phone digits";
    SearchHint => "输入姓名或手机号后四位查找。", "Type a name or the last four digits of a phone number.";
    SearchNothing => "名单中没有找到", "Not on the roster";
    CheckInAction => "签到", "Check in";
    CheckOutAction => "签退", "Check out";
    StateExpected => "未签到", "Not checked in";
    StateIn => "{0} 签到", "In at {0}";
    StateOut => "{0} 签退", "Out at {0}";
    TagWalkIn => "现场报名", "Walk-in";
    TagByTicket => "凭票入场", "By ticket";
    WalkInTitle => "现场报名", "Walk-in";
    WalkInLeft => "剩余 {0} 个名额，登记后自动签到。", "{0} places left; registering also checks them in.";
    WalkInLast4 => "手机后四位（选填）", "Last 4 phone digits (optional)";
    WalkInSubmit => "登记并签到", "Register and check in";
    WalkInDone => "已登记并签到：{0}", "Registered and checked in: {0}";
    WalkInFull => "名额已满，不能现场报名", "Full: no walk-ins";
    WalkInNameNeeded => "请填写姓名（最多 32 个字）", "Enter a name (at most 32 characters)";
    WalkInLast4Invalid => "请填写 4 位数字，或留空", "Enter 4 digits, or leave it empty";
    DuplicatesTitle => "重复签到（{0}）", "Repeated check-ins ({0})";
    DuplicatesNone => "没有重复签到。", "No repeated check-ins.";
    DuplicatesHint => "同一张票在不同设备上都签到过：只算一次出勤，第二次记录保留备查。", "One ticket checked in on two devices: it counts as one attendance; the second scan is kept for review.";
    DuplicateFirst => "首次：设备 {0} · {1}", "First: device {0} at {1}";
    DuplicateSecond => "重复：设备 {0} · {1}", "Repeat: device {0} at {1}";
    NotCheckedOutTitle => "未签退（{0}）", "Not checked out ({0})";
    NotCheckedOutHint => "活动已结束仍未签退的人，按活动结束时间计算时长并标记。", "People still checked in after the end: their hours count to the end and are flagged.";
    RosterAll => "全部名单（{0}）", "Whole roster ({0})";
    RosterEmpty => "名单为空。", "The roster is empty.";
    FixHours => "修正时长", "Correct hours";
    FixMinutes => "修正后的志愿时长（分钟）", "Corrected volunteer minutes";
    FixReason => "修正原因（必填，会记入审计日志）", "Reason (required, kept in the audit log)";
    FixSubmit => "提交修正", "Submit the correction";
    FixSent => "修正已记录，联网后同步", "Correction recorded; it syncs when online";
    FixMinutesInvalid => "请输入 0 到 10080 之间的分钟数", "Enter minutes between 0 and 10080";
    FixReasonNeeded => "请填写修正原因（最多 200 字）", "Give a reason (at most 200 characters)";
    CancelKeepShort => "返回", "Back";
    ActionReview => "报名审核", "Review";
    ActionCheckin => "签到", "Check-in";
    ActionWalkIn => "现场报名", "Walk-in";
    ActionHoursCorrect => "时长修正", "Hours correction";
    HoursPendingUntil => "公示中，将于 {0} 生效", "On public notice: counts from {0}";
    HoursPendingTotal => "另有 {0} 公示中，公示期满后计入。", "{0} more on public notice, counted once the notice ends.";
    NoticesLink => "时长公示", "Hours on public notice";
    NoticesTitle => "志愿时长公示", "Volunteer hours on public notice";
    NoticesIntro => "活动结束后，所记志愿时长在此公示（工作日计），期满后生效；姓名部分隐去。如有异议，请在「我的志愿时长」中申请修正。", "After an activity, the hours credited are posted here for some working days and count once the notice ends; names are partly hidden. If something is wrong, ask for a correction from My volunteer hours.";
    LeagueName => "姓名", "Name";
    NoticesEmpty => "目前没有公示中的活动。", "No activity is on notice now.";
    NoticesError => "公示暂时无法加载，请联网后重试。", "The notice could not be loaded; try again online.";
    NoticeEffective => "{0} 生效", "Counts from {0}";
    RequestFix => "申请修正", "Ask for a correction";
    RequestMinutes => "应记时长（分钟）", "Minutes that should count";
    RequestReason => "理由（必填）", "Reason (required)";
    RequestSubmit => "提交申请", "Send the request";
    RequestSent => "申请已保存，联网后送达组织者。", "Request saved; it reaches the organizers once online.";
    RequestReasonNeeded => "请填写理由（不超过 200 字）", "Give a reason (at most 200 characters)";
    RequestMinutesInvalid => "请填写分钟数（0–10080）", "Enter the minutes (0–10080)";
    RequestsTitle => "我的时长修正申请", "My hours correction requests";
    RequestStatusOpen => "待处理", "Waiting for an answer";
    RequestStatusAccepted => "已通过，时长已修正", "Accepted: the hours were corrected";
    RequestStatusDeclined => "未通过：{0}", "Declined: {0}";
    RequestLine => "申请 {0}（原 {1}）：{2}", "Asked for {0} (was {1}): {2}";
    ChangesTitle => "时长变更记录", "Changes to my hours";
    ChangeLine => "{0} → {1}", "{0} → {1}";
    ChangeBySystem => "系统（扫码）", "The system (scans)";
    ChangeCauseScan => "扫码计时", "Scans";
    ChangeCauseAutoClosed => "未签退，按结束时间计", "No check-out: closed at the end";
    ChangeCauseCorrection => "组织者修正", "Corrected by an organizer";
    ChangeCauseRequest => "修正申请通过", "Correction request accepted";
    ChangesLoad => "查看变更记录", "Show the changes";
    ChangesError => "变更记录需联网查看。", "The changes can be seen online.";
    ChangesEmpty => "暂无变更。", "No changes yet.";
    LeagueTitle => "入团进度", "League admission progress";
    LeagueVolunteer => "{0} 年志愿时长：{1} / 20 小时", "Volunteer hours in {0}: {1} of 20 h";
    LeagueClass => "团课学时：{0} / 8", "League lesson class hours: {0} of 8";
    LeagueMissing => "还差：{0}", "Still missing: {0}";
    LeagueMissingHours => "志愿时长 {0}", "{0} of volunteer hours";
    LeagueMissingClass => "团课 {0} 学时", "{0} League lesson class hours";
    LeagueMet => "两项要求均已达到。", "Both requirements are met.";
    LeagueAgeOut => "入团年龄为 14–28 岁，按出生年份你今年不在此范围内，不显示进度。", "League admission is for ages 14–28; by your year of birth you are outside it this year, so no progress is shown.";
    LeagueExplained => "只计公示期满的志愿时长；团课学时按参加「团课」类活动或课程计，每 45 分钟 1 学时，每次至少 1 学时。", "Only hours past their public notice count; League lessons are activities or courses in the 团课 category, one class hour per 45 minutes, at least one each time.";
    ActionHoursAnswer => "时长修正申请的答复", "Answer to an hours correction request";
    // Admin: offerings.
    AdminTabOfferings => "活动管理", "Programmes";
    AdminTabReviews => "报名审核", "Reviews";
    AdminNeedsNetworkOfferings => "需要联网才能管理活动", "Managing programmes needs a network connection";
    AdminNeedsNetworkReviews => "需要联网才能查看审核队列", "The review queue needs a network connection";
    NewOffering => "新建活动", "New programme";
    EditOffering => "编辑活动", "Edit programme";
    Refresh => "刷新", "Refresh";
    NoOfferingsYet => "还没有任何活动。", "No programmes yet.";
    OfferingDraft => "草稿", "Draft";
    OfferingPublished => "已发布", "Published";
    SeatsTaken => "已报名 {0} / {1}", "{0} of {1} taken";
    WaitlistCount => "候补 {0} 人", "{0} waiting";
    PendingReviews => "待审核 {0}", "{0} to review";
    Edit => "编辑", "Edit";
    Publish => "发布", "Publish";
    ExportCsv => "导出报名表", "Export sign-ups";
    CsvSaved => "报名表已下载（CSV，可用 Excel 打开）", "Sign-ups downloaded (CSV, opens in Excel)";
    CancelOffering => "取消活动", "Cancel programme";
    CancelReason => "取消原因", "Reason";
    CancelReasonHint => "所有报名者都会在青团里看到这个原因。", "Everyone signed up sees this reason in the app.";
    CancelReasonNeeded => "请填写取消原因（最多 200 字）", "Give a reason (at most 200 characters)";
    ConfirmCancelOffering => "确认取消活动", "Cancel the programme";
    FieldKind => "类型", "Kind";
    FieldTitle => "名称", "Title";
    FieldCategory => "类别", "Category";
    FieldVenue => "场地", "Venue";
    FieldSummary => "活动介绍", "Description";
    FieldStartsAt => "开始时间", "Starts";
    FieldEndsAt => "结束时间", "Ends";
    FieldSignupOpens => "报名开始", "Sign-up opens";
    FieldSignupOpensHint => "留空表示发布后即可报名", "Leave empty to open at once";
    FieldSignupCloses => "报名截止", "Sign-up closes";
    FieldCapacity => "名额", "Places";
    FieldSessions => "课时数", "Lessons";
    FieldVolunteerHours => "志愿时长（小时）", "Volunteer hours";
    FieldVolunteerHoursHint => "全程参加可获得的时长上限；留空表示不计时长", "The most credited for full attendance; empty for none";
    FieldPlannedHours => "计划总服务时长（小时）", "Planned total service hours";
    FieldPlannedHoursHint => "用于统计，可留空", "For reports; may be empty";
    FieldMinShare => "最低在场比例（%）", "Minimum share present (%)";
    FieldMinShareHint => "低于此比例不计时长，留空为 60%", "Below this no hours are credited; empty means 60%";
    FieldAllocation => "名额分配", "Allocation";
    AllocationFirstCome => "先到先得", "First come";
    AllocationLottery => "报名后摇号", "Lottery";
    FieldRequiresApproval => "报名需要审核", "Sign-ups need approval";
    FieldWaitlist => "满员后允许候补", "Waitlist when full";
    QuestionsTitle => "报名问题", "Sign-up questions";
    QuestionsHint => "可添加文字、单选、多选或是否题，最多 20 个。", "Add text, single-choice, multiple-choice or yes/no questions, up to 20.";
    QuestionNumber => "问题 {0}", "Question {0}";
    QuestionKindLabel => "题型", "Kind";
    QuestionSingle => "单选", "Single choice";
    QuestionMultiple => "多选", "Multiple choice";
    QuestionText => "文字", "Text";
    QuestionYesNo => "是否", "Yes / no";
    QuestionOptions => "选项", "Options";
    QuestionOptionsHint => "每行一个选项，2 到 20 个", "One per line, 2 to 20";
    QuestionRequired => "必须回答", "Required";
    AddQuestion => "添加问题", "Add a question";
    MoveUp => "上移", "Up";
    MoveDown => "下移", "Down";
    RemoveQuestion => "删除", "Remove";
    AssignedOrganizers => "负责的组织者", "Assigned organizers";
    NoOrganizers => "还没有组织者：先在「用户管理」里给用户加上组织者身份。", "No organizers yet: give someone the organizer role under Users first.";
    SaveDraft => "保存草稿", "Save as draft";
    SaveAndPublish => "保存并发布", "Save and publish";
    SaveChanges => "保存修改", "Save changes";
    ErrTooLongText => "内容过长", "Too long";
    ErrTooLongEvent => "活动最长 7 天", "At most 7 days long";
    ErrNotANumber => "请输入数字", "Enter a number";
    ErrBeforeStart => "结束时间须晚于开始时间", "Must be after the start";
    ErrCloseAfterEnd => "报名截止不能晚于活动结束", "Must not be after the end";
    ErrOpenAfterClose => "报名开始须早于报名截止", "Must be before sign-up closes";
    ErrBelowTaken => "名额不能少于已报名人数", "Cannot be below the places already taken";
    ErrOutOfRange => "超出允许的范围", "Out of range";
    ErrLessons => "课程安排有误：1–50 节课，互不重叠，每节不超过 12 小时，且都在报名截止之后", "Check the lessons: 1–50, not overlapping, at most 12 hours each, all after sign-up closes";
    FieldCapacityFemale => "女生名额", "Places for women";
    ErrTooManyQuestions => "最多 20 个问题", "At most 20 questions";
    ErrQuestionLabel => "请填写题目（最多 100 字）", "Write the question (at most 100 characters)";
    ErrQuestionOptions => "选择题需要 2 到 20 个选项，每项最多 50 字", "Choice questions need 2 to 20 options of at most 50 characters";
    // Admin: reviews.
    FilterOffering => "活动", "Programme";
    FilterStatus => "状态", "Status";
    AllOfferings => "全部活动", "All programmes";
    ReviewsHint => "通过或拒绝会先记在本机，联网后提交；拒绝需填写原因，报名者会看到。", "Decisions are kept on this device and sent when online; a rejection needs a reason the person will read.";
    ReviewsEmpty => "没有符合条件的报名。", "No sign-ups match.";
    SelectAll => "全选（{0}）", "Select all ({0})";
    ApproveSelected => "批量通过（{0}）", "Approve selected ({0})";
    Approve => "通过", "Approve";
    Reject => "拒绝", "Reject";
    RejectReason => "拒绝原因", "Reason";
    RejectReasonHint => "报名者会看到这个原因。", "The person sees this reason.";
    RejectReasonNeeded => "请填写拒绝原因（最多 200 字）", "Give a reason (at most 200 characters)";
    ConfirmReject => "确认拒绝", "Reject";
    ReceivedAt => "报名于 {0}", "Signed up {0}";
    ReviewApprovedLocal => "已通过 · 待同步", "Approved · waiting to sync";
    ReviewRejectedLocal => "已拒绝 · 待同步", "Rejected · waiting to sync";
    ReviewRefused => "未能处理：{0}", "Not done: {0}";
    OfferingWithPending => "{0}（待审核 {1}）", "{0} ({1} to review)";
    ListJoin => "、", ", ";
    FactTeacher => "授课老师", "Teacher";
    FactTerm => "学期", "Term";
    FactLessons => "课程安排", "Lessons";
    LessonNumber => "第 {0} 课", "Lesson {0}";
    FactApplied => "已申请", "Applied";
    AppliedCount => "{0} 人已申请，共 {1} 个名额", "{0} applied for {1} places";
    LotteryPlaces => "{0} 个名额，申请截止后公开抽签", "{0} places, given by a public draw after applications close";
    FactApplications => "申请时间", "Applications";
    LotteryExplained => "申请截止后公开抽签，抽签结果人人可在公示页核验；先申请不会更容易中签。", "After applications close there is a public draw anyone can check on the results page; applying early does not help.";
    ApplyLottery => "申请参加抽签", "Apply for the draw";
    ApplicationQueued => "申请尚未提交：联网后自动提交，请在 {0} 申请截止前联网。", "Your application is not submitted yet: it is sent when you are online. Go online before applications close, {0}.";
    ResultsLink => "查看抽签公示", "See the draw results";
    ApplicationNo => "申请编号 {0}", "Application no. {0}";
    StatusWonConfirmBy => "已中签，请在 {0} 前确认", "Drawn: confirm by {0}";
    ConfirmPlace => "确认", "Confirm";
    DeclinePlace => "放弃", "Decline";
    DeclineSure => "确定放弃名额", "Yes, give up my place";
    WonHint => "确认后获得名额和电子票；逾期未确认，名额将顺延给候补。没有网络也可以确认，联网后自动提交。", "Confirm to get your place and ticket; if you do not confirm in time the place goes to the waitlist. You can confirm offline; it is sent when you are online.";
    LotteryEnteredHint => "已进入抽签名单，申请截止后公开抽签。", "You are on the list; the draw is after applications close.";
    NotDrawnHint => "本次未中签，感谢参与。", "Not drawn this time. Thank you for applying.";
    WaitlistDrawHint => "有人放弃或逾期未确认时，名额按抽签顺序递补。", "If someone declines or does not confirm, the place goes to the next in the draw order.";
    AttendanceTitle => "出勤记录", "Attendance";
    AttendanceCount => "已出勤 {0} / {1} 课", "{0} of {1} lessons attended";
    LessonAttended => "已出勤", "Attended";
    LessonMissed => "缺勤", "Absent";
    LessonUpcoming => "未开始", "Not yet";
    CourseCertificateTitle => "结业证书", "Certificate of completion";
    CourseCertificateOpen => "查看并打印结业证书", "View and print the certificate";
    CourseCertificateBody => "兹证明 {0} 参加青年夜校课程《{1}》（{2}），出勤 {3} / {4} 课，准予结业。", "This certifies that {0} took the night-school course “{1}” ({2}), attended {3} of {4} lessons and completed it.";
    CertificateCode => "证书编号", "Certificate code";
    CertificateCheckAt => "任何人可在此核验本证书：", "Anyone can check this certificate here:";
    CertificateCheckLink => "核验证书", "Check the certificate";
    RateTitle => "课程评价", "Rate the course";
    RateStars => "评分（1–5 星）", "Stars (1–5)";
    StarsN => "{0} 星", "{0} stars";
    RateComment => "留言（选填，300 字以内）", "Comment (optional, up to 300 characters)";
    RateSubmit => "提交评价", "Send the rating";
    RateUpdate => "修改评价", "Change the rating";
    RateShown => "你的评价：{0} 星", "Your rating: {0} stars";
    RateEditHint => "评价提交后 7 天内可以修改。", "You can change your rating for 7 days.";
    ErrStarsRequired => "请选择 1–5 星", "Choose 1 to 5 stars";
    ErrCommentTooLong => "留言不能超过 300 字", "At most 300 characters";
    ResultsTitle => "抽签公示", "Draw results";
    ResultsApplications => "申请人数", "Applications";
    ResultsPlaces => "名额", "Places";
    ResultsCloses => "申请截止", "Applications close";
    ResultsNotFrozen => "申请截止后公布冻结名单的哈希和种子承诺。", "When applications close, the frozen list's hash and the seed commitment are published here.";
    ResultsFrozenAt => "名单冻结", "List frozen";
    ResultsListHash => "名单哈希", "List hash";
    ResultsCommitment => "种子承诺", "Seed commitment";
    ResultsEntries => "冻结名单（{0} 份申请）", "Frozen list ({0} applications)";
    ResultsTier => "优先级 {0}", "Tier {0}";
    ResultsNotDrawnYet => "尚未抽签。", "Not drawn yet.";
    ResultsDrawnAt => "抽签时间", "Drawn";
    ResultsSeed => "公开的种子", "Revealed seed";
    ResultsPublicValue => "公开值", "Public value";
    ResultsNone => "（无）", "(none)";
    ResultsOrder => "抽签结果", "Results";
    ColPosition => "顺位", "#";
    ColNumber => "申请编号", "Number";
    ColName => "姓名", "Name";
    ColPhone => "手机尾号", "Phone";
    ColOutcome => "结果", "Outcome";
    OutcomeWon => "中签", "Won";
    OutcomeWaitlist => "候补", "Waitlist";
    OutcomeNotDrawn => "未中签", "Not drawn";
    Recompute => "重新计算", "Recompute";
    RecomputeHint => "在本机按公开的算法重新计算抽签顺序，并与本页显示的结果逐位比对。请另外核对名单哈希和种子承诺是否与截止时公布的一致。", "Redo the draw on this device with the published algorithm and compare it with the results shown, position by position. Also check that the list hash and seed commitment are the ones published at the close.";
    RecomputeMatches => "一致：重新计算的顺序与本页公示的结果相同。", "It matches: the recomputed order is the one shown.";
    RecomputeDiffers => "不一致：{0}", "It does not match: {0}";
    MismatchOrder => "第 {0} 位公示为 {1}，计算结果为 {2}", "at position {0} the page shows {1}, the draw gives {2}";
    MismatchListHash => "名单与名单哈希不符", "the list does not hash to the list hash";
    MismatchCommitment => "种子与种子承诺不符", "the seed does not match the commitment";
    MismatchBadEntry => "名单中有无效的申请编号 {0}", "the list has an invalid number {0}";
    MismatchDuplicate => "申请编号 {0} 出现了两次", "number {0} is listed twice";
    MismatchBadSeed => "种子格式有误", "the seed is not 64 hex digits";
    MismatchPublicValue => "公开值不符合规则", "the public value breaks the rules";
    ResultsMissing => "没有找到这门课程的抽签公示。", "There are no draw results for this course.";
    VerifyTitle => "结业证书核验", "Check a certificate";
    VerifyIntro => "粘贴结业证书上的证书编号，核验其真伪。", "Paste the code from a certificate of completion to check it.";
    VerifySubmit => "核验", "Check";
    VerifyValid => "证书有效", "This certificate is valid";
    VerifyInvalid => "证书无效：编号有误或已被改动。", "Not valid: the code is wrong or has been altered.";
    FactLearner => "学员", "Learner";
    FactCourse => "课程", "Course";
    FactAttended => "出勤", "Attended";
    AttendedOf => "{0} / {1} 课", "{0} of {1} lessons";
    CsvFileName => "{0}-报名表.csv", "{0}-sign-ups.csv";
}

catalog! {
    /// A text only the staff build shows (venue mode's and the admin's screens for mixers). A
    /// catalog of its own: the main build, which every young person's phone downloads, never
    /// names it, so its texts stay out of that build (the staff texts of [`Msg`] predate it).
    StaffMsg;
    GenderMale => "男", "Male";
    GenderFemale => "女", "Female";
    BadgeMale => "男 {0}", "M {0}";
    BadgeFemale => "女 {0}", "F {0}";
    BadgeLabel => "号码", "Number";
    BadgePending => "号码待同步", "Number after sync";
    MixerCounts => "分性别签到", "Checked in by gender";
    CountInMale => "男生签到", "Men in";
    CountInFemale => "女生签到", "Women in";
    CountOfRegistered => "共 {0} 人", "of {0}";
    WalkInGender => "性别（必选）", "Gender (required)";
    WalkInGenderNeeded => "请选择性别", "Choose a gender";
    WalkInLeftMixer => "剩余名额：男 {0} 个，女 {1} 个。登记后自动签到，号码在同步后由服务器分配。", "Places left: {0} for men, {1} for women. Registering also checks them in; the server gives the number when the device syncs.";
    WalkInGenderFull => "该性别名额已满，不能现场报名", "No places left for this gender: no walk-ins";
    WalkInDoneMixer => "已登记并签到：{0}（号码待同步）", "Registered and checked in: {0} (number after sync)";
    WalkInRefusedFull => "名额已满，未能登记", "Full: not registered";
    // The admin's numbers: the dashboard, the year-end report, the sign-in sheet.
    AdminTabNumbers => "数据", "Numbers";
    AdminTabRequests => "时长修正", "Hours requests";
    PeriodLabel => "统计时段", "Period";
    SpanYear => "年", "Year";
    SpanQuarter => "季度", "Quarter";
    SpanMonth => "月", "Month";
    YearLabel => "年份", "Year";
    QuarterN => "第 {0} 季度", "Q{0}";
    MonthShort => "{0}月", "M{0}";
    KindLabel => "类型", "Kind";
    AllKinds => "全部类型", "All kinds";
    VenueLabel => "场地", "Venue";
    AllVenues => "全部场地", "All venues";
    CategoryLabel => "类别", "Category";
    AllCategories => "全部类别", "All categories";
    ExportXlsx => "导出 Excel", "Export to Excel";
    XlsxSaved => "已开始下载 Excel 文件", "The Excel file is downloading";
    XlsxSaveFailed => "浏览器未能保存文件，请重试", "The browser could not save the file; try again";
    DashboardFileName => "数据统计-{0}至{1}.xlsx", "numbers-{0}-to-{1}.xlsx";
    ReportLink => "{0} 年度报告", "{0} year-end report";
    DashboardEmpty => "这段时间内没有举办的项目，暂无数据。", "Nothing took place in this period: no figures yet.";
    FigEvents => "场次", "Events";
    FigAttendances => "人次", "Attendances";
    FigPeople => "人数", "People";
    FigHours => "志愿时长（小时）", "Volunteer hours";
    FigNoShow => "缺席率", "No-show rate";
    FigApplicantsPerPlace => "夜校报名/名额", "Applicants per place";
    FigCompletion => "夜校结业率", "Course completion";
    FigPairs => "联谊配对（对）", "Pairs matched";
    FigRating => "夜校平均评分", "Average rating";
    ChartEvents => "每月场次", "Events by month";
    ChartAttendances => "每月人次", "Attendances by month";
    ChartHours => "每月志愿时长（小时）", "Volunteer hours by month";
    ByVenue => "按场地", "By venue";
    ByCategory => "按类别", "By category";
    ByKind => "按项目类型", "By kind";
    ColName => "名称", "Name";
    ColTitle => "项目", "Programme";
    ColDate => "时间", "When";
    CountedList => "统计范围内的项目", "The programmes counted";
    ReportTitle => "{0} 年度青年工作数据报告", "{0} year-end report";
    ReportMade => "生成时间：{0}", "Made {0}";
    ReportFigures => "一、年度概况", "1. The year in figures";
    ReportTrend => "二、月度趋势", "2. Month by month";
    TopAttendance => "热门项目（按人次）", "Top programmes by attendance";
    TopRating => "好评课程（按评分）", "Top courses by rating";
    ColRank => "排名", "Rank";
    NothingYet => "暂无", "None yet";
    PrintReport => "打印 / 存为 PDF", "Print / save as PDF";
    BackToAdmin => "返回管理后台", "Back to admin";
    ReportFileName => "{0}年度报告.xlsx", "year-end-report-{0}.xlsx";
    SheetTitle => "{0} 签到表", "{0}: sign-in sheet";
    SheetLink => "打印纸质签到表", "Print a paper sign-in sheet";
    SheetBack => "返回签到", "Back to check-in";
    SheetPrint => "打印签到表", "Print the sheet";
    SheetLessons => "选择课次", "Choose the lesson";
    SheetCount => "名单 {0} 人", "{0} on the list";
    SheetQr => "扫码查看活动", "Scan for the programme";
    SheetNo => "序号", "No.";
    SheetName => "姓名", "Name";
    SheetPhone => "手机号", "Phone";
    SheetTime => "签到时间", "Time";
    SheetSignature => "本人签名", "Signature";
    SheetLast4 => "尾号 {0}", "ending {0}";
    HoursXlsx => "{0} 年志愿时长 Excel", "{0} volunteer hours (Excel)";
    HoursFileName => "{0}年志愿时长.xlsx", "volunteer-hours-{0}.xlsx";
    RegistrationsXlsx => "报名表 Excel", "Sign-ups (Excel)";
    RegistrationsFileName => "{0}-报名表.xlsx", "{0}-sign-ups.xlsx";
    AttendanceXlsx => "出勤表 Excel", "Attendance (Excel)";
    AttendanceFileName => "{0}-出勤表.xlsx", "{0}-attendance.xlsx";
    DrawXlsx => "抽签结果 Excel", "Draw results (Excel)";
    DrawFileName => "{0}-抽签结果.xlsx", "{0}-draw.xlsx";
    LeagueFileName => "{0}年入团条件名单.xlsx", "league-admission-{0}.xlsx";
    ReportBadYear => "年份无效：请从管理后台的“数据”页打开年度报告。", "Not a valid year: open the report from the admin's Numbers tab.";
    // The pick window at the door.
    PicksTitle => "现场互选", "Picks at the event";
    PicksNotOpen => "互选尚未开始。开始后，已签到的参与者在自己的手机上选择。", "Picking has not started. Once it starts, the people checked in choose on their own phones.";
    PicksOpening => "已开始互选（待同步）：本机联网后送达服务器，在此期间的选择同样有效。", "Picking started (waiting to sync): it reaches the server when this device is online; picks made meanwhile count.";
    PicksOpen => "互选进行中。", "Picking is open.";
    PicksClosed => "互选已结束。", "Picking is closed.";
    PicksOpenAction => "开始选择", "Start picking";
    PicksCloseAction => "结束选择", "Close picking";
    PicksClosing => "正在上传签到记录并结束…", "Uploading check-ins and closing…";
    PicksCloseHint => "结束需要联网：会先上传本机的签到记录，再由服务器结束并配对。结束后只显示人数，谁选了谁任何人都看不到。", "Closing needs the network: this device's check-ins are uploaded first, then the server closes and matches. Afterwards only counts are shown; nobody sees who picked whom.";
    PicksCloseOffline => "当前离线：结束选择需要联网，现在没有做任何改动。请联网后再点「结束选择」。", "You are offline: closing needs the network, and nothing has changed. Go online and press “Close picking” again.";
    PicksNotOpenError => "互选不在进行中，无法结束（可能尚未开始，或已经结束）。", "Picking is not open, so it cannot be closed (it has not started, or has closed already).";
    PicksNotSent => "本机还有记录没能上传，暂未结束，请稍后再试。", "Some records on this device could not be uploaded yet, so nothing was closed; try again shortly.";
    PicksClosedDone => "已结束互选。", "Picking is closed.";
    PicksResults => "互选结果", "Results";
    CountPickers => "参与选择", "Picked";
    CountPairs => "配对成功", "Pairs";
    PicksCountsOnline => "联网后显示人数统计。", "The counts show when online.";
    // The admin: a mixer sign-up's profile in the review queue.
    ProfileTitle => "联谊资料", "Mixer profile";
    ProfileNickname => "昵称", "Nickname";
    ProfileGender => "性别", "Gender";
    ProfileAge => "年龄", "Age";
    AgeYears => "{0} 岁（{1} 年生）", "{0} (born {1})";
    ProfileEducation => "学历", "Education";
    EduHighSchool => "高中及以下", "High school or below";
    EduAssociate => "大专", "Associate degree";
    EduBachelor => "本科", "Bachelor's degree";
    EduMaster => "硕士", "Master's degree";
    EduDoctorate => "博士", "Doctorate";
    ProfileOccupation => "职业/行业", "Occupation";
    ProfileHeight => "身高", "Height";
    HeightCm => "{0} 厘米", "{0} cm";
    NotGiven => "未填写", "Not given";
    ProfileIntro => "自我介绍", "About";
    ProfileSingle => "单身声明", "Single";
    SingleDeclared => "已声明单身", "Declared single";
    SingleNotDeclared => "未声明单身", "Not declared";
    ProfileMissing => "没有联谊资料", "No mixer profile";
    // The admin: a mixer's numbers, and its editor.
    MixerManage => "联谊统计", "Mixer numbers";
    MixerSignedUp => "报名 {0} 人（待审核 {1}）", "{0} signed up ({1} to review)";
    MixerConfirmed => "已确认：男 {0} / {1}，女 {2} / {3}", "Confirmed: {0} of {1} men, {2} of {3} women";
    MixerWaitlisted => "候补：男 {0}，女 {1}", "Waiting: {0} men, {1} women";
    MixerCheckedIn => "已签到：男 {0}，女 {1}", "Checked in: {0} men, {1} women";
    MixerPickers => "参与选择 {0} 人", "{0} people picked";
    MixerPairs => "配对成功 {0} 对", "{0} pairs matched";
    MixerPairsLater => "互选结束后显示配对数。", "Pairs show once picking has closed.";
    FieldCapacityMale => "男生名额", "Places for men";
    FieldMinAge => "最小年龄", "Youngest age";
    FieldMaxAge => "最大年龄", "Oldest age";
    FieldAgeHint => "按出生年份计算：当年减出生年", "By birth year: this year minus the year of birth";
    FieldPicks => "每人最多可选", "Picks per person";
    FieldPicksHint => "1–10 人", "1 to 10 people";
    // Hours correction requests (venue mode) and the 入团 list (admin).
    RequestsStaffTitle => "时长修正申请", "Hours correction requests";
    RequestsStaffNone => "暂无待处理的申请。", "No request waits for an answer.";
    RequestStaffLine => "{0}：申请 {1}（现 {2}）", "{0}: asks for {1} (now {2})";
    RequestAccept => "通过", "Accept";
    RequestDecline => "不通过", "Decline";
    RequestDeclineReason => "答复理由（不通过时必填）", "Reason (required to decline)";
    RequestDeclineNeedsReason => "不通过须填写理由", "A reason is required to decline";
    RequestAnswered => "已答复，联网后同步。", "Answered; it syncs once online.";
    RequestWaitingSync => "待同步", "Waiting to sync";
    LeagueListTitle => "入团时长达标名单", "Meeting the League admission hours";
    LeagueListIntro => "14–28 岁、当年志愿时长满 20 小时（公示期满）且团课满 8 学时的青年。", "Aged 14–28, with 20 volunteer hours this year (past their notice) and 8 League lesson class hours.";
    LeagueListYear => "年份", "Year";
    LeagueListLoad => "查询", "Show";
    LeagueListEmpty => "该年暂无达标青年。", "Nobody meets both that year.";
    LeagueListError => "名单暂时无法加载，请联网后重试。", "The list could not be loaded; try again online.";
    LeagueColName => "姓名", "Name";
    LeagueColPhone => "手机", "Phone";
    LeagueColBirth => "出生年份", "Born";
    LeagueColHours => "志愿时长", "Volunteer hours";
    LeagueColClass => "团课学时", "Class hours";
    // Venue mode at a mixer: badges, walk-ins by gender, counts per gender.
    FieldMixerReviewHint => "联谊报名默认需要审核：管理员查看资料后通过。", "Mixer sign-ups need approval by default: an admin reads the profile first.";
}

/// The text with `{0}`, `{1}` … replaced by `args`.
fn fill_in(text: &str, args: &[&str]) -> String {
    let mut out = text.to_owned();
    for (i, arg) in args.iter().enumerate() {
        out = out.replace(&format!("{{{i}}}"), arg);
    }
    out
}

impl Msg {
    /// The text with `{0}`, `{1}` … replaced by `args`.
    pub fn fill(self, lang: Lang, args: &[&str]) -> String {
        fill_in(self.text(lang), args)
    }
}

impl StaffMsg {
    /// The text with `{0}`, `{1}` … replaced by `args`.
    pub fn fill(self, lang: Lang, args: &[&str]) -> String {
        fill_in(self.text(lang), args)
    }
}

/// A text from either catalog (for the staff screens' messages, which use both).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AnyMsg {
    /// Everyone's catalog.
    Main(Msg),
    /// The staff build's.
    Staff(StaffMsg),
}

impl AnyMsg {
    /// The text in `lang`.
    pub fn text(self, lang: Lang) -> &'static str {
        match self {
            Self::Main(m) => m.text(lang),
            Self::Staff(m) => m.text(lang),
        }
    }
}

impl From<Msg> for AnyMsg {
    fn from(m: Msg) -> Self {
        Self::Main(m)
    }
}

impl From<StaffMsg> for AnyMsg {
    fn from(m: StaffMsg) -> Self {
        Self::Staff(m)
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

    /// A staff build's text in the current language (reactive).
    pub fn s(&self, msg: StaffMsg) -> &'static str {
        msg.text(self.lang.get())
    }

    /// A staff build's filled text in the current language (reactive).
    pub fn sf(&self, msg: StaffMsg, args: &[&str]) -> String {
        msg.fill(self.lang.get(), args)
    }
}

const LANG_KEY: &str = "qingtuan.lang";

/// Provides the language from the saved setting (default Chinese) and keeps it saved.
pub fn provide_i18n() -> I18n {
    use gloo_storage::{LocalStorage, Storage};
    let saved: Lang = crate::dom::saved_setting(LANG_KEY).unwrap_or_default();
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
    fn every_staff_message_has_both_languages_and_the_same_placeholders() {
        for msg in StaffMsg::ALL {
            let zh = msg.text(Lang::Zh);
            let en = msg.text(Lang::En);
            assert!(!zh.trim().is_empty() && !en.trim().is_empty(), "{msg:?}");
            for i in 0..4 {
                let p = format!("{{{i}}}");
                assert_eq!(zh.contains(&p), en.contains(&p), "{msg:?} placeholder {p}");
            }
        }
        // Its own table: the first and the last entries, and a filled one.
        assert_eq!(StaffMsg::ALL[0].text(Lang::Zh), "男");
        assert_eq!(
            *StaffMsg::ALL.last().unwrap(),
            StaffMsg::FieldMixerReviewHint
        );
        assert_eq!(StaffMsg::BadgeFemale.fill(Lang::Zh, &["07"]), "女 07");
        assert_eq!(
            AnyMsg::from(StaffMsg::PicksOpen).text(Lang::En),
            "Picking is open."
        );
        assert_eq!(AnyMsg::from(Msg::AppName).text(Lang::Zh), "青团");
    }

    #[test]
    fn the_table_gives_each_message_its_own_text() {
        // The first, an early one, a middle one and the last entry of the catalog.
        assert_eq!(Msg::AppName.text(Lang::Zh), "青团");
        assert_eq!(Msg::AppName.text(Lang::En), "Qingtuan");
        assert_eq!(
            Msg::AppTagline.text(Lang::Zh),
            "青年活动·夜校·联谊，一键报名"
        );
        assert_eq!(
            Msg::AppTagline.text(Lang::En),
            "Volunteering, night school and mixers in one place"
        );
        assert_eq!(Msg::FactWhere.text(Lang::Zh), "地点");
        assert_eq!(Msg::FactWhere.text(Lang::En), "Where");
        assert_eq!(Msg::CsvFileName.text(Lang::Zh), "{0}-报名表.csv");
        assert_eq!(Msg::CsvFileName.text(Lang::En), "{0}-sign-ups.csv");
        assert_eq!(*Msg::ALL.last().unwrap(), Msg::CsvFileName);
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
