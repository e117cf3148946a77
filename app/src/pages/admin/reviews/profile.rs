//! A mixer sign-up's profile in words, for the admin who reviews it: nickname, gender, age (by
//! birth year), education, occupation, height, introduction and the declaration of being
//! single. The contact the person shares with a match is not sent to admins at all.

use crate::i18n::{Lang, StaffMsg};
use domain::programme::mixer::{Education, Gender, ReviewProfile};

/// An education level in words.
pub fn education_msg(e: Education) -> StaffMsg {
    match e {
        Education::HighSchool => StaffMsg::EduHighSchool,
        Education::Associate => StaffMsg::EduAssociate,
        Education::Bachelor => StaffMsg::EduBachelor,
        Education::Master => StaffMsg::EduMaster,
        Education::Doctorate => StaffMsg::EduDoctorate,
    }
}

/// A gender in words.
pub fn gender_msg(g: Gender) -> StaffMsg {
    match g {
        Gender::Male => StaffMsg::GenderMale,
        Gender::Female => StaffMsg::GenderFemale,
    }
}

/// The profile as `(label, value)` lines; the age is `year` (this year, in China) minus the
/// birth year, as the mixer's age range counts it.
pub fn profile_lines(
    lang: Lang,
    p: &ReviewProfile,
    birth_year: i32,
    year: i32,
) -> Vec<(&'static str, String)> {
    let t = |m: StaffMsg| m.text(lang);
    let age = StaffMsg::AgeYears.fill(
        lang,
        &[&(year - birth_year).to_string(), &birth_year.to_string()],
    );
    let height = match p.height_cm {
        Some(cm) => StaffMsg::HeightCm.fill(lang, &[&cm.to_string()]),
        None => t(StaffMsg::NotGiven).to_owned(),
    };
    let intro = if p.intro.trim().is_empty() {
        t(StaffMsg::NotGiven).to_owned()
    } else {
        p.intro.clone()
    };
    let single = if p.single {
        StaffMsg::SingleDeclared
    } else {
        StaffMsg::SingleNotDeclared
    };
    vec![
        (t(StaffMsg::ProfileNickname), p.nickname.clone()),
        (
            t(StaffMsg::ProfileGender),
            t(gender_msg(p.gender)).to_owned(),
        ),
        (t(StaffMsg::ProfileAge), age),
        (
            t(StaffMsg::ProfileEducation),
            t(education_msg(p.education)).to_owned(),
        ),
        (t(StaffMsg::ProfileOccupation), p.occupation.clone()),
        (t(StaffMsg::ProfileHeight), height),
        (t(StaffMsg::ProfileIntro), intro),
        (t(StaffMsg::ProfileSingle), t(single).to_owned()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile() -> ReviewProfile {
        ReviewProfile {
            nickname: "小青".into(),
            gender: Gender::Female,
            education: Education::Master,
            occupation: "教师".into(),
            height_cm: Some(165),
            intro: "喜欢爬山".into(),
            single: true,
        }
    }

    #[test]
    fn a_profile_reads_field_by_field_with_the_age_from_the_birth_year() {
        let lines = profile_lines(Lang::Zh, &profile(), 1998, 2026);
        let values: Vec<(&str, &str)> = lines.iter().map(|(l, v)| (*l, v.as_str())).collect();
        assert_eq!(
            values,
            [
                ("昵称", "小青"),
                ("性别", "女"),
                ("年龄", "28 岁（1998 年生）"),
                ("学历", "硕士"),
                ("职业/行业", "教师"),
                ("身高", "165 厘米"),
                ("自我介绍", "喜欢爬山"),
                ("单身声明", "已声明单身"),
            ]
        );
    }

    #[test]
    fn what_was_left_out_says_so() {
        let p = ReviewProfile {
            height_cm: None,
            intro: " ".into(),
            single: false,
            gender: Gender::Male,
            education: Education::HighSchool,
            ..profile()
        };
        let lines = profile_lines(Lang::En, &p, 2000, 2026);
        let value = |label: &str| {
            lines
                .iter()
                .find(|(l, _)| *l == label)
                .map(|(_, v)| v.clone())
                .unwrap()
        };
        assert_eq!(value("Height"), "Not given");
        assert_eq!(value("About"), "Not given");
        assert_eq!(value("Single"), "Not declared");
        assert_eq!(value("Gender"), "Male");
        assert_eq!(value("Education"), "High school or below");
        assert_eq!(value("Age"), "26 (born 2000)");
    }
}
