//! Demo data that looks like a real district's week, drawn from the committees' own reports.
//! Created once, on the first start with `--demo` against an empty database.

use crate::db::{
    catalogue::CHINA,
    pool::{Pool, Tx, args},
};
use argon2::{Argon2, PasswordHasher, password_hash::SaltString};
use domain::sample::Lcg;
use domain::{
    OfferingStatus, Plan, PoolKey, Programme, Quota,
    programme::{
        activity::ActivityRules,
        course::{self, CourseRules},
        mixer::MixerRules,
    },
    registration::Allocation,
};
use time::{Duration, OffsetDateTime, Time};

/// A demo account: id, phone, name, password hash, birth year, consent version and time,
/// creation time, version.
const INSERT_USER: &str = "INSERT INTO users (id, phone, display_name, password_hash, birth_year,
                                              consent_version, consent_at, created_at, version)
                           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "qingtuan-demo";

/// The demo accounts: (phone, display name, roles).
pub const DEMO_ACCOUNTS: [(&str, &str, &[&str]); 3] = [
    ("13900000001", "团区委管理员", &["admin"]),
    ("13900000002", "李组织", &["organizer", "youth"]),
    ("13900000003", "王青青", &["youth"]),
];

struct DemoVenue {
    id: &'static str,
    name: &'static str,
    address: &'static str,
}

const VENUES: [DemoVenue; 5] = [
    DemoVenue {
        id: "venue-binjiang",
        name: "滨江街道青年之家",
        address: "滨江路88号滨江街道党群服务中心二楼",
    },
    DemoVenue {
        id: "venue-chengnan",
        name: "城南青年之家",
        address: "城南大道126号城南文化站三楼",
    },
    DemoVenue {
        id: "venue-wangjiang",
        name: "望江社区“雷锋号”青少年关爱家园",
        address: "望江社区居委会一楼",
    },
    DemoVenue {
        id: "venue-station",
        name: "湘江风光带志愿服务站",
        address: "湘江风光带杜甫江阁北侧",
    },
    DemoVenue {
        id: "venue-center",
        name: "区青少年活动中心",
        address: "人民中路45号",
    },
];

/// One demo offering. Times are (days from today, start hh:mm, end hh:mm) in China time.
struct DemoOffering {
    id: &'static str,
    kind: &'static str,
    title: &'static str,
    summary: &'static str,
    category: &'static str,
    venue: &'static str,
    day: i64,
    start: (u8, u8),
    end: (u8, u8),
    sessions: i64,
    capacity: i64,
    hours: Option<i64>,
    organizer: bool,
}

const OFFERINGS: [DemoOffering; 17] = [
    DemoOffering {
        id: "act-river-patrol",
        kind: "activity",
        title: "河小青·湘江护河巡查",
        summary: "沿湘江风光带巡河，捡拾垃圾，劝导不文明行为，记录排污口情况。",
        category: "河小青",
        venue: "venue-station",
        day: 2,
        start: (9, 0),
        end: (11, 30),
        sessions: 1,
        capacity: 30,
        hours: Some(2),
        organizer: true,
    },
    DemoOffering {
        id: "act-waste-sorting",
        kind: "activity",
        title: "垃圾分类入户宣传",
        summary: "在滨江街道小区开展垃圾分类宣传和定时定点督导，发放宣传册。",
        category: "垃圾分类",
        venue: "venue-binjiang",
        day: 3,
        start: (14, 0),
        end: (17, 0),
        sessions: 1,
        capacity: 20,
        hours: Some(3),
        organizer: true,
    },
    DemoOffering {
        id: "act-hope-house",
        kind: "activity",
        title: "“雷锋号”希望小屋探访",
        summary: "探访困难家庭儿童的希望小屋，陪伴学习、整理房间，送去学习用品。",
        category: "希望小屋",
        venue: "venue-wangjiang",
        day: 4,
        start: (9, 30),
        end: (12, 0),
        sessions: 1,
        capacity: 12,
        hours: Some(2),
        organizer: true,
    },
    DemoOffering {
        id: "act-elderly-visit",
        kind: "activity",
        title: "望青暖心·社区敬老助餐",
        summary: "到望江社区长者食堂协助助餐服务，陪伴老人聊天，教老人使用智能手机。",
        category: "敬老助老",
        venue: "venue-wangjiang",
        day: 6,
        start: (10, 30),
        end: (13, 0),
        sessions: 1,
        capacity: 15,
        hours: Some(2),
        organizer: false,
    },
    DemoOffering {
        id: "act-youth-market",
        kind: "activity",
        title: "青春市集志愿者招募",
        summary: "协助青春市集摊位引导、秩序维护和垃圾清运，周末全天分两班。",
        category: "大型活动",
        venue: "venue-center",
        day: 9,
        start: (9, 0),
        end: (17, 0),
        sessions: 1,
        capacity: 40,
        hours: Some(6),
        organizer: false,
    },
    DemoOffering {
        id: "act-law-talk",
        kind: "activity",
        title: "12355青少年自护与法治讲座",
        summary: "检察官和心理咨询师讲解网络安全、防范电信诈骗和情绪管理。",
        category: "讲座",
        venue: "venue-center",
        day: 5,
        start: (19, 0),
        end: (20, 30),
        sessions: 1,
        capacity: 80,
        hours: None,
        organizer: false,
    },
    DemoOffering {
        id: "act-internship",
        kind: "activity",
        title: "展翅计划·寒假实习岗位对接会",
        summary: "区内企事业单位提供寒假实习岗位，现场面谈，需提前提交简历。",
        category: "实习",
        venue: "venue-center",
        day: 12,
        start: (14, 30),
        end: (17, 0),
        sessions: 1,
        capacity: 60,
        hours: None,
        organizer: false,
    },
    DemoOffering {
        id: "course-calligraphy",
        kind: "course",
        title: "青年夜校·书法入门",
        summary: "从握笔、笔画到临摹《多宝塔碑》，每周一次，共8课时，自备毛笔。",
        category: "书法",
        venue: "venue-binjiang",
        day: 8,
        start: (19, 0),
        end: (20, 30),
        sessions: 8,
        capacity: 20,
        hours: None,
        organizer: false,
    },
    DemoOffering {
        id: "course-painting",
        kind: "course",
        title: "青年夜校·水彩绘画",
        summary: "零基础水彩：色彩、构图与城市速写，材料由青年之家提供。",
        category: "绘画",
        venue: "venue-chengnan",
        day: 9,
        start: (19, 0),
        end: (20, 30),
        sessions: 8,
        capacity: 15,
        hours: None,
        organizer: false,
    },
    DemoOffering {
        id: "course-papercut",
        kind: "course",
        title: "青年夜校·非遗剪纸",
        summary: "非遗传承人授课，学习团花、窗花和生肖剪纸，结课作品参加展览。",
        category: "非遗剪纸",
        venue: "venue-chengnan",
        day: 10,
        start: (19, 0),
        end: (20, 30),
        sessions: 6,
        capacity: 12,
        hours: None,
        organizer: false,
    },
    DemoOffering {
        id: "course-tcm",
        kind: "course",
        title: "青年夜校·中医养生与八段锦",
        summary: "中医师讲解四季养生和穴位保健，每节课练习八段锦。",
        category: "中医养生",
        venue: "venue-binjiang",
        day: 11,
        start: (19, 30),
        end: (21, 0),
        sessions: 8,
        capacity: 30,
        hours: None,
        organizer: false,
    },
    DemoOffering {
        id: "course-badminton",
        kind: "course",
        title: "青年夜校·羽毛球提高班",
        summary: "专业教练指导步法、发球和双打配合，需自备球拍。",
        category: "羽毛球",
        venue: "venue-center",
        day: 8,
        start: (19, 30),
        end: (21, 0),
        sessions: 8,
        capacity: 16,
        hours: None,
        organizer: false,
    },
    DemoOffering {
        id: "course-short-video",
        kind: "course",
        title: "青年夜校·短视频拍摄与剪辑",
        summary: "用手机拍摄和剪辑短视频，学习脚本、运镜和剪映基础。",
        category: "短视频制作",
        venue: "venue-center",
        day: 10,
        start: (19, 0),
        end: (20, 30),
        sessions: 6,
        capacity: 25,
        hours: None,
        organizer: false,
    },
    DemoOffering {
        id: "course-ppt",
        kind: "course",
        title: "青年夜校·PPT制作与汇报技巧",
        summary: "从版式、配色到数据图表，做出清楚好看的工作汇报。",
        category: "PPT制作",
        venue: "venue-chengnan",
        day: 11,
        start: (19, 0),
        end: (20, 30),
        sessions: 4,
        capacity: 30,
        hours: None,
        organizer: false,
    },
    DemoOffering {
        id: "mixer-winter",
        kind: "mixer",
        title: "望青团缘·冬日围炉交友会",
        summary: "面向区内单身青年，围炉煮茶、破冰游戏和心动互选，报名需审核。",
        category: "望青团缘",
        venue: "venue-center",
        day: 13,
        start: (14, 0),
        end: (17, 30),
        sessions: 1,
        capacity: 40,
        hours: None,
        organizer: false,
    },
    DemoOffering {
        id: "mixer-hiking",
        kind: "mixer",
        title: "望青团缘·岳麓山徒步联谊",
        summary: "结伴登山，沿途任务打卡，山顶茶歇与互选环节，男女各20名。",
        category: "望青团缘",
        venue: "venue-station",
        day: 20,
        start: (8, 30),
        end: (12, 30),
        sessions: 1,
        capacity: 40,
        hours: None,
        organizer: false,
    },
    DemoOffering {
        id: "act-blood-drive",
        kind: "activity",
        title: "无偿献血志愿服务",
        summary: "在献血车旁协助引导、登记和献血后观察，需参加岗前培训。",
        category: "应急救护",
        venue: "venue-binjiang",
        day: 1,
        start: (9, 0),
        end: (12, 0),
        sessions: 1,
        capacity: 10,
        hours: Some(3),
        organizer: true,
    },
];

/// However late in the day the demo data is made, sign-up stays open at least this long
/// (seconds)…
const OPEN_AT_LEAST_S: i64 = 6 * 3600;
/// …and closes at the latest this long before the start (seconds).
const CLOSE_BEFORE_START_S: i64 = 3600;

/// The plan of a demo offering with its times (Unix seconds) worked out.
fn demo_plan(
    o: &DemoOffering,
    starts_at: i64,
    ends_at: i64,
    signup_closes_at: i64,
) -> anyhow::Result<Plan> {
    let t = |s: i64| -> anyhow::Result<OffsetDateTime> {
        Ok(OffsetDateTime::from_unix_timestamp(s)?.to_offset(CHINA))
    };
    let (starts_at, ends_at) = (t(starts_at)?, t(ends_at)?);
    let capacity = u32::try_from(o.capacity)?;
    let all = vec![Quota {
        pool: PoolKey::All,
        capacity,
    }];
    let (programme, quotas) = match o.kind {
        "course" => (
            Programme::Course(CourseRules {
                lessons: course::weekly(
                    starts_at,
                    ends_at - starts_at,
                    usize::try_from(o.sessions)?,
                ),
                ..CourseRules::default()
            }),
            all,
        ),
        "mixer" => (
            Programme::Mixer(MixerRules::default()),
            vec![
                Quota {
                    pool: PoolKey::Male,
                    capacity: capacity / 2,
                },
                Quota {
                    pool: PoolKey::Female,
                    capacity: capacity - capacity / 2,
                },
            ],
        ),
        _ => (
            Programme::Activity(ActivityRules {
                volunteer_hours: o.hours.map(u32::try_from).transpose()?,
                ..ActivityRules::default()
            }),
            all,
        ),
    };
    let plan = Plan {
        title: o.title.into(),
        summary: o.summary.into(),
        category: o.category.into(),
        venue_id: o.venue.into(),
        starts_at,
        ends_at,
        signup_opens_at: None,
        signup_closes_at: t(signup_closes_at)?,
        // Mixers and the internship fair are reviewed by the committee.
        requires_approval: o.kind == "mixer" || o.id == "act-internship",
        waitlist_enabled: true,
        // Popular courses are oversubscribed: a window, then a lottery.
        allocation: if o.kind == "course" {
            Allocation::Lottery
        } else {
            Allocation::FirstCome
        },
        questions: Vec::new(),
        quotas,
        programme,
    }
    .normalized();
    plan.validate()
        .map_err(|e| anyhow::anyhow!("demo offering {} is invalid: {e:?}", o.id))?;
    Ok(plan)
}

/// Counts of what the demo data creates, for logs and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoCounts {
    /// Venues created.
    pub venues: usize,
    /// Offerings created.
    pub offerings: usize,
    /// Accounts created.
    pub accounts: usize,
}

/// Creates the demo data if the database has no users and no offerings yet.
/// Returns what was created, or `None` when the database already had data.
pub async fn seed_if_empty(pool: &Pool, now: OffsetDateTime) -> anyhow::Result<Option<DemoCounts>> {
    let mut tx = pool.begin_write().await?;
    // Checked inside the write transaction so two servers starting at once cannot both seed.
    let existing: i64 = tx
        .fetch_one(
            "SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM offerings)",
            args![],
            |r| r.get(0),
        )
        .await?;
    if existing > 0 {
        return Ok(None);
    }
    let counts = seed(&mut tx, now).await?;
    tx.commit().await?;
    Ok(Some(counts))
}

async fn seed(conn: &mut Tx, now: OffsetDateTime) -> anyhow::Result<DemoCounts> {
    let today = domain::moment::in_china(now).date();
    let at = |day: i64, (h, m): (u8, u8)| -> anyhow::Result<i64> {
        let time = Time::from_hms(h, m, 0)?;
        Ok((today + Duration::days(day))
            .with_time(time)
            .assume_offset(CHINA)
            .unix_timestamp())
    };
    let created_at = now.unix_timestamp();

    // One salt per account, but the hash is slow by design: hash once per account here.
    let mut user_ids = Vec::new();
    for (phone, name, roles) in DEMO_ACCOUNTS {
        let version = conn.take_versions(1).await?;
        let id = format!("user-{phone}");
        let salt = SaltString::encode_b64(uuid::Uuid::new_v4().as_bytes())
            .map_err(|e| anyhow::anyhow!("encoding a salt: {e}"))?;
        let hash = Argon2::default()
            .hash_password(DEMO_PASSWORD.as_bytes(), &salt)
            .map_err(|e| anyhow::anyhow!("hashing the demo password: {e}"))?
            .to_string();
        conn.execute(
            INSERT_USER,
            args![
                id,
                phone,
                name,
                hash,
                1998_i64,
                domain::PRIVACY_NOTICE_VERSION,
                created_at,
                created_at,
                version
            ],
        )
        .await?;
        for role in roles {
            conn.execute(
                "INSERT INTO user_roles (user_id, role) VALUES (?1, ?2)",
                args![id, role],
            )
            .await?;
        }
        user_ids.push((id, roles));
    }
    let organizer_id = user_ids
        .iter()
        .find(|(_, roles)| roles.contains(&"organizer"))
        .map(|(id, _)| id.clone())
        .ok_or_else(|| anyhow::anyhow!("the demo accounts have no organizer"))?;

    for v in &VENUES {
        let version = conn.take_versions(1).await?;
        conn.execute(
            "INSERT INTO venues (id, name, address, version) VALUES (?1, ?2, ?3, ?4)",
            args![v.id, v.name, v.address, version],
        )
        .await?;
    }

    for o in &OFFERINGS {
        let starts_at = at(o.day, o.start)?;
        // Sign-up closes the evening before (courses: three days before, for the lottery), but
        // never within a few hours of the demo's creation: demo data made after 20:00 used to
        // open tomorrow's activities already closed.
        let close_days = if o.kind == "course" { 3 } else { 1 };
        let signup_closes_at = at(o.day - close_days, (20, 0))?
            .max(created_at + OPEN_AT_LEAST_S)
            .min(starts_at - CLOSE_BEFORE_START_S);
        let plan = demo_plan(o, starts_at, at(o.day, o.end)?, signup_closes_at)?;
        crate::db::offerings::insert(
            &mut *conn,
            o.id,
            &plan,
            OfferingStatus::Published,
            created_at,
        )
        .await?;
        if o.organizer {
            conn.execute(
                "INSERT INTO organizer_assignments (user_id, offering_id) VALUES (?1, ?2)",
                args![organizer_id, o.id],
            )
            .await?;
        }
    }

    let (past, people) = seed_history(conn, now, &user_ids[0].0).await?;

    Ok(DemoCounts {
        venues: VENUES.len(),
        offerings: OFFERINGS.len() + past,
        accounts: DEMO_ACCOUNTS.len() + people,
    })
}

/// The young people of the demo's past months (each signs in with the demo password too).
pub const HISTORY_PEOPLE: usize = 48;
const SURNAMES: [&str; 12] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙",
];
const GIVEN_NAMES: [&str; 12] = [
    "子涵", "雨桐", "浩然", "欣怡", "宇轩", "梓萱", "俊杰", "诗琪", "一诺", "思远", "佳怡", "明轩",
];

/// What the past months held, one template per kind, taken in turn: (title, category, venue,
/// hours or lessons, capacity).
const PAST_ACTIVITIES: [(&str, &str, &str, i64, i64); 6] = [
    ("湘江岸线清洁行动", "河小青", "venue-station", 2, 30),
    ("小区垃圾分类督导", "垃圾分类", "venue-binjiang", 3, 20),
    ("希望小屋课业陪伴", "希望小屋", "venue-wangjiang", 3, 10),
    ("助老智能手机教学", "助老", "venue-chengnan", 2, 16),
    ("文明交通志愿劝导", "文明实践", "venue-center", 2, 24),
    ("青少年阅读角整理", "希望小屋", "venue-wangjiang", 2, 12),
];
const PAST_COURSES: [(&str, &str, &str, i64, i64); 3] = [
    ("春季夜校·硬笔书法", "书法", "venue-center", 4, 20),
    ("青年团课·学习新思想", "团课", "venue-binjiang", 4, 30),
    ("春季夜校·手机摄影", "数字技能", "venue-chengnan", 4, 16),
];
/// Weeks of history before today.
const HISTORY_WEEKS: i64 = 20;

/// The demo's past twenty weeks, so the admin's numbers have something to count: an activity
/// a week, a four-lesson course every five weeks, a mixer every six, all ended, with sign-ups,
/// check-ins (and check-outs), hours, course ratings and mixer matches of the history's young
/// people (none of the demo accounts). Returns the offerings and accounts it made.
async fn seed_history(
    conn: &mut Tx,
    now: OffsetDateTime,
    hash_of: &str,
) -> anyhow::Result<(usize, usize)> {
    let mut rng = Lcg(2026);
    let today = domain::moment::in_china(now).date();
    let at = |day: i64, (h, m): (u8, u8)| -> anyhow::Result<i64> {
        Ok((today + Duration::days(day))
            .with_time(Time::from_hms(h, m, 0)?)
            .assume_offset(CHINA)
            .unix_timestamp())
    };
    let created_at = at(-HISTORY_WEEKS * 7 - 14, (9, 0))?;
    let hash: String = conn
        .fetch_one(
            "SELECT password_hash FROM users WHERE id = ?1",
            args![hash_of],
            |r| r.get(0),
        )
        .await?;
    // Even numbers are men, odd ones women (a mixer's pools).
    let mut people = Vec::new();
    for i in 0..HISTORY_PEOPLE {
        let id = format!("user-history-{i:02}");
        let name = format!(
            "{}{}",
            SURNAMES[i % SURNAMES.len()],
            GIVEN_NAMES[(i * 5 + i / 12) % GIVEN_NAMES.len()]
        );
        let version = conn.take_versions(1).await?;
        let birth_year = 1996 + i64::try_from(rng.below(13))?;
        conn.execute(
            INSERT_USER,
            args![
                id,
                format!("18800{i:06}"),
                name,
                hash,
                birth_year,
                domain::PRIVACY_NOTICE_VERSION,
                created_at,
                created_at,
                version
            ],
        )
        .await?;
        conn.execute(
            "INSERT INTO user_roles (user_id, role) VALUES (?1, 'youth')",
            args![id],
        )
        .await?;
        people.push(id);
    }
    let mut made = 0;
    for week in (1..=HISTORY_WEEKS).rev() {
        let w = usize::try_from(week)?;
        // Saturday-ish mornings, a different weekday each week.
        let day = -week * 7 + (week % 3);
        let (title, category, venue, hours, capacity) = PAST_ACTIVITIES[w % PAST_ACTIVITIES.len()];
        let mut plans = vec![(
            format!("past-act-{week:02}"),
            DemoOffering {
                id: "",
                kind: "activity",
                title,
                summary: "",
                category,
                venue,
                day,
                start: (9, 0),
                end: (9 + u8::try_from(hours)?, 0),
                sessions: 1,
                capacity,
                hours: Some(hours),
                organizer: false,
            },
        )];
        if week % 5 == 0 && week >= 4 {
            let (title, category, venue, lessons, capacity) =
                PAST_COURSES[(w / 5) % PAST_COURSES.len()];
            plans.push((
                format!("past-course-{week:02}"),
                DemoOffering {
                    id: "",
                    kind: "course",
                    title,
                    summary: "",
                    category,
                    venue,
                    day: -week * 7 + 2,
                    start: (19, 0),
                    end: (20, 30),
                    sessions: lessons,
                    capacity,
                    hours: None,
                    organizer: false,
                },
            ));
        }
        if week % 6 == 0 {
            plans.push((
                format!("past-mixer-{week:02}"),
                DemoOffering {
                    id: "",
                    kind: "mixer",
                    title: "青春有约·交友联谊会",
                    summary: "",
                    category: "望青团缘",
                    venue: "venue-center",
                    day: -week * 7 + 5,
                    start: (14, 0),
                    end: (17, 0),
                    sessions: 1,
                    capacity: 20,
                    hours: None,
                    organizer: false,
                },
            ));
        }
        for (id, o) in plans {
            let starts_at = at(o.day, o.start)?;
            let ends_at = at(o.day, o.end)?;
            let mut plan = demo_plan(&o, starts_at, ends_at, starts_at - 86_400)?;
            // The past's courses were given first come, first served (a draw has its own
            // records, which the demo does not invent).
            plan.allocation = Allocation::FirstCome;
            plan.requires_approval = false;
            crate::db::offerings::insert(
                &mut *conn,
                &id,
                &plan,
                OfferingStatus::Published,
                created_at,
            )
            .await?;
            history_sign_ups(conn, &mut rng, &id, &plan, &people).await?;
            made += 1;
        }
    }
    Ok((made, people.len()))
}

/// Sign-ups, scans and hours (and ratings, matches) of one past offering.
async fn history_sign_ups(
    conn: &mut Tx,
    rng: &mut Lcg,
    id: &str,
    plan: &Plan,
    people: &[String],
) -> anyhow::Result<()> {
    let kind = plan.kind().as_str();
    let starts_at = plan.starts_at.unix_timestamp();
    let ends_at = plan.ends_at.unix_timestamp();
    let lessons: Vec<(i64, i64)> = match &plan.programme {
        Programme::Course(c) => c
            .lessons
            .iter()
            .map(|l| (l.starts_at.unix_timestamp(), l.ends_at.unix_timestamp()))
            .collect(),
        _ => vec![(starts_at, ends_at)],
    };
    let minutes = match &plan.programme {
        Programme::Activity(a) => i64::from(a.volunteer_hours.unwrap_or(0)) * 60,
        _ => 0,
    };
    let mut present_by_pool: Vec<(String, &'static str)> = Vec::new();
    for quota in &plan.quotas {
        let pool = quota.pool.as_str();
        let wanted = u64::from(quota.capacity) * (60 + rng.below(36)) / 100;
        let start = usize::try_from(rng.below(people.len() as u64))?;
        let candidates = (0..people.len())
            .map(|k| (start + k) % people.len())
            .filter(|k| match quota.pool {
                PoolKey::Male => k % 2 == 0,
                PoolKey::Female => k % 2 == 1,
                PoolKey::All => true,
            })
            .take(usize::try_from(wanted)?);
        let mut taken = 0i64;
        for (n, who) in candidates.enumerate() {
            let reg = format!("{id}-{n:02}-{pool}");
            let version = conn.take_versions(1).await?;
            let signed_up = starts_at - 3 * 86_400 - i64::try_from(rng.below(86_400))?;
            let mut first_in = None;
            let mut present = 0;
            let mut scans = Vec::new();
            for (number, (from, to)) in lessons.iter().enumerate() {
                if !rng.chance(if kind == "course" { 80 } else { 88 }) {
                    continue;
                }
                let arrived = from - 600 + i64::try_from(rng.below(900))?;
                let left = to - i64::try_from(rng.below(600))?;
                first_in.get_or_insert(arrived);
                present += (left - arrived.max(*from)) / 60;
                let lesson = (kind == "course").then_some(i64::try_from(number)? + 1);
                scans.push((number + 1, "in", arrived, lesson));
                scans.push((number + 1, "out", left, lesson));
            }
            let credited = if first_in.is_some() { minutes } else { 0 };
            conn.execute(
                "INSERT INTO registrations (id, offering_id, user_id, pool, status, created_at,
                                            received_at, updated_at, version, checked_in_at,
                                            present_minutes, credited_minutes)
                 VALUES (?1, ?2, ?3, ?4, 'confirmed', ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                args![
                    reg,
                    id,
                    people[who],
                    pool,
                    signed_up,
                    signed_up,
                    ends_at,
                    version,
                    first_in,
                    present,
                    credited
                ],
            )
            .await?;
            for (number, scan, t, lesson) in scans {
                let version = conn.take_versions(1).await?;
                conn.execute(
                    "INSERT INTO checkins (id, registration_id, offering_id, kind, scanned_at, at,
                                           received_at, device_id, client_id, version, lesson)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'demo-door', 'demo', ?8, ?9)",
                    args![
                        format!("{reg}-{number}-{scan}"),
                        reg,
                        id,
                        scan,
                        t * 1000,
                        t,
                        t + 5,
                        version,
                        lesson
                    ],
                )
                .await?;
            }
            taken += 1;
            if first_in.is_some() {
                if kind == "course" && rng.chance(70) {
                    let stars = 3 + i64::try_from(rng.below(3))?;
                    conn.execute(
                        "INSERT INTO course_ratings (registration_id, offering_id, stars,
                                                     created_at, updated_at)
                         VALUES (?1, ?2, ?3, ?4, ?5)",
                        args![reg, id, stars, ends_at + 3600, ends_at + 3600],
                    )
                    .await?;
                }
                present_by_pool.push((reg, pool));
            }
        }
        let version = conn.take_versions(1).await?;
        conn.execute(
            "UPDATE offering_pools SET seats_taken = ?1, version = ?2
              WHERE offering_id = ?3 AND pool = ?4",
            args![taken, version, id, pool],
        )
        .await?;
    }
    if kind == "mixer" {
        let men: Vec<&String> = present_by_pool
            .iter()
            .filter(|(_, p)| *p == "male")
            .map(|(r, _)| r)
            .collect();
        let women: Vec<&String> = present_by_pool
            .iter()
            .filter(|(_, p)| *p == "female")
            .map(|(r, _)| r)
            .collect();
        for (m, w) in men.iter().zip(women.iter()).filter(|_| rng.chance(40)) {
            // A pair is kept once, the smaller id first.
            let (a, b) = if m < w { (m, w) } else { (w, m) };
            conn.execute(
                "INSERT INTO mixer_matches (offering_id, a_id, b_id) VALUES (?1, ?2, ?3)",
                args![id, a, b],
            )
            .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_covers_every_kind_with_realistic_sizes() {
        let count = |kind| OFFERINGS.iter().filter(|o| o.kind == kind).count();
        assert!(count("activity") >= 6);
        assert!(count("course") >= 6);
        assert_eq!(count("mixer"), 2);
        assert!(VENUES.len() >= 4);
        assert!(OFFERINGS.iter().any(|o| (10..=30).contains(&o.capacity)));
        for o in &OFFERINGS {
            assert!(
                VENUES.iter().any(|v| v.id == o.venue),
                "{} has no venue",
                o.id
            );
            assert!(o.end > o.start, "{} ends before it starts", o.id);
        }
        assert!(OFFERINGS.iter().any(|o| o.organizer));
    }

    /// (id, signup_closes_at, starts_at) of every upcoming demo offering seeded at `now` (not
    /// the history's).
    async fn seeded_at(now: OffsetDateTime) -> Vec<(String, i64, i64)> {
        let (_dir, db) = crate::db::test_database().await;
        seed_if_empty(&Pool::Sqlite(db.pool.clone()), now)
            .await
            .unwrap()
            .expect("seeded");
        sqlx::query_as(
            "SELECT id, signup_closes_at, starts_at FROM offerings WHERE id NOT LIKE 'past-%'
              ORDER BY id",
        )
        .fetch_all(&db.pool)
        .await
        .unwrap()
    }

    #[tokio::test]
    async fn demo_sign_up_is_open_whenever_the_demo_is_made() {
        use time::macros::datetime;
        // Late in the evening in China: tomorrow's activities used to close at creation.
        for now in [
            datetime!(2026-11-22 12:30 UTC), // 20:30 in China
            datetime!(2026-11-22 15:59 UTC), // 23:59
            datetime!(2026-11-22 16:00 UTC), // 00:00
            datetime!(2026-11-22 02:00 UTC), // 10:00
        ] {
            let at = now.unix_timestamp();
            for (id, closes, starts) in seeded_at(now).await {
                assert!(
                    closes > at + 3600,
                    "{id} closes too soon when made at {now}"
                );
                assert!(
                    closes < starts,
                    "{id} closes after it starts when made at {now}"
                );
            }
        }
        // Made in the morning: the evening before, as an organizer would set it.
        let morning = datetime!(2026-11-22 02:00 UTC);
        let blood = seeded_at(morning)
            .await
            .into_iter()
            .find(|(id, _, _)| id == "act-blood-drive")
            .unwrap();
        assert_eq!(blood.1, datetime!(2026-11-22 12:00 UTC).unix_timestamp());
    }

    #[tokio::test]
    async fn the_demo_has_a_past_for_the_numbers_of_people_who_are_not_the_demo_accounts() {
        use domain::numbers::{Filter, Period};
        let now = time::macros::datetime!(2026-11-22 02:00 UTC);
        let (_dir, db) = crate::db::test_database().await;
        let counts = seed_if_empty(&Pool::Sqlite(db.pool.clone()), now)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(counts.accounts, DEMO_ACCOUNTS.len() + HISTORY_PEOPLE);
        let past: Vec<(String, i64)> =
            sqlx::query_as("SELECT id, ends_at FROM offerings WHERE id LIKE 'past-%'")
                .fetch_all(&db.pool)
                .await
                .unwrap();
        assert_eq!(counts.offerings, OFFERINGS.len() + past.len());
        assert!(past.len() >= 20);
        for (id, ends) in &past {
            assert!(*ends < now.unix_timestamp(), "{id} has not ended");
        }
        let demo_people: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM registrations WHERE user_id IN ('user-13900000001',
                    'user-13900000002', 'user-13900000003')",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!(demo_people, 0);
        // The twenty weeks, read by the dashboard: every kind of figure has something.
        let from = domain::moment::in_china(now).date() - Duration::weeks(HISTORY_WEEKS + 1);
        let period = Period::new(from, domain::moment::in_china(now).date()).unwrap();
        let d = crate::db::numbers::dashboard(
            &Pool::Sqlite(db.pool.clone()),
            &period,
            &Filter::default(),
            now.unix_timestamp(),
            domain::hours::DEFAULT_NOTICE_DAYS,
        )
        .await
        .unwrap();
        let f = &d.total;
        assert!(f.events >= 30, "{f:?}");
        assert!(f.attendances > f.people && f.people > 20, "{f:?}");
        assert!(f.volunteer_minutes > 0 && f.pairs > 0, "{f:?}");
        assert!(f.no_show.num > 0 && f.no_show.den > f.no_show.num, "{f:?}");
        assert!(f.completion.den > 0 && f.rating.den > 0, "{f:?}");
        assert!(d.venues.len() >= 4 && d.categories.len() >= 6);
    }
}
