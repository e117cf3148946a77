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
    // Accounts: header, banner, shared form texts.
    SignIn => "登录", "Sign in";
    SignUp => "注册", "Sign up";
    AccountLinkLabel => "我的账号：{0}", "My account: {0}";
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
    NoticeDecided => "「{0}」：{1}（手机上曾显示为「{2}」）", "\"{0}\": {1} (the phone showed \"{2}\")";
    NoticeRejected => "「{0}」：操作未成功，{1}", "\"{0}\": not done: {1}";
    NoticeDismiss => "知道了", "Got it";
    MutUnknownOffering => "项目不存在或已下架", "the programme no longer exists";
    MutIdConflict => "编号冲突，请重新报名", "an id clash; please sign up again";
    MutUnknownRegistration => "找不到这条报名", "that sign-up was not found";
    MutNotCancellable => "当前状态不能取消", "it cannot be cancelled now";
    MutOutdated => "应用版本过旧，请刷新页面", "the app is out of date; reload it";
    MutForbidden => "没有权限", "not allowed";
    MyRegistrations => "我的报名", "My sign-ups";
    NoRegistrations => "还没有报名，去「活动」「夜校」看看吧。", "No sign-ups yet. Have a look at Activities and Night school.";
    UnknownProgramme => "（项目信息未同步）", "(programme not synced yet)";
    StoragePersisted => "浏览器已同意长期保存本机数据。", "The browser keeps this device's data for good.";
    StorageNotPersisted => "浏览器未同意长期保存：存储空间紧张时，离线数据可能被清除。", "The browser did not agree to keep the data for good: under storage pressure, offline data may be cleared.";
    ActionFailed => "操作失败：{0}", "That did not work: {0}";
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
