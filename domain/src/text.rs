//! The one rule for text people type: names, titles, summaries, reasons, answers.
//!
//! Text shown to other people must say what it looks like it says. So no field takes control
//! characters (a NUL cut a summary short in some readers; only a multi-line field takes line
//! breaks and tabs), none takes the bidirectional overrides, embeddings, isolates or marks
//! that reorder what follows them on screen (U+202E made 李四 read backwards), and names take no
//! zero-width or invisible characters (which make one name look like another).

/// What kind of field the text is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// A person's name: one line, nothing invisible.
    Name,
    /// One line: a title, a category, a question, an option, a reason.
    Line,
    /// Several lines: a summary, a free-text answer.
    Lines,
}

/// Why text is refused; the same codes the forms show.
pub type TextError = &'static str;

/// Direction controls: the embeddings and overrides (U+202A–202E), the isolates (U+2066–2069)
/// and the marks (U+200E, U+200F, U+061C). Each can reorder what is shown around it.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Characters with no width or no glyph that make one name look like another: zero-width
/// space, joiners, word joiner and invisible operators, the byte order mark, the soft hyphen,
/// the Hangul and Khmer fillers.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200D}'
            | '\u{2060}'..='\u{2064}'
            | '\u{FEFF}'
            | '\u{00AD}'
            | '\u{034F}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{3164}'
            | '\u{FFA0}'
    )
}

/// Whether `c` may stand in a field of `kind`.
pub fn allowed(kind: Field, c: char) -> bool {
    if is_bidi_control(c) {
        return false;
    }
    match kind {
        Field::Name => !c.is_control() && !is_invisible(c),
        Field::Line => !c.is_control(),
        Field::Lines => !c.is_control() || c == '\n' || c == '\t' || c == '\r',
    }
}

/// `raw` trimmed, if it is at most `max` characters and every character is allowed in a
/// field of `kind`; `required` refuses it empty. Codes: `required`, `too_long`,
/// `bad_characters`.
pub fn check(raw: &str, kind: Field, max: usize, required: bool) -> Result<&str, TextError> {
    let s = raw.trim();
    if s.is_empty() {
        return if required { Err("required") } else { Ok(s) };
    }
    if s.chars().count() > max {
        return Err("too_long");
    }
    if !s.chars().all(|c| allowed(kind, c)) {
        return Err("bad_characters");
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_field_refuses_hidden_direction_changes() {
        for c in [
            '\u{202A}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
        ] {
            for kind in [Field::Name, Field::Line, Field::Lines] {
                let s = format!("李{c}四");
                assert_eq!(check(&s, kind, 50, true), Err("bad_characters"), "{c:?}");
            }
        }
        assert_eq!(
            check("a\u{200F}b", Field::Lines, 50, true),
            Err("bad_characters")
        );
    }

    #[test]
    fn control_characters_are_refused_but_a_summary_keeps_its_lines() {
        assert_eq!(
            check("摘\0要", Field::Lines, 50, true),
            Err("bad_characters")
        );
        assert_eq!(
            check("摘\u{7}要", Field::Line, 50, true),
            Err("bad_characters")
        );
        assert_eq!(
            check("一\n二", Field::Line, 50, true),
            Err("bad_characters")
        );
        assert_eq!(
            check("一\n\t二\r\n", Field::Lines, 50, true),
            Ok("一\n\t二")
        );
    }

    #[test]
    fn only_names_refuse_invisible_characters() {
        assert_eq!(
            check("李\u{200B}四", Field::Name, 50, true),
            Err("bad_characters")
        );
        assert_eq!(
            check("李\u{3164}四", Field::Name, 50, true),
            Err("bad_characters")
        );
        // A joiner is part of some emoji in a title.
        assert_eq!(
            check("👨\u{200D}👩", Field::Line, 50, true),
            Ok("👨\u{200D}👩")
        );
    }

    #[test]
    fn text_is_trimmed_counted_in_characters_and_may_be_required() {
        assert_eq!(check("  青年之家 ", Field::Line, 4, true), Ok("青年之家"));
        assert_eq!(check("青年之家啊", Field::Line, 4, true), Err("too_long"));
        assert_eq!(check("   ", Field::Line, 4, true), Err("required"));
        assert_eq!(check("", Field::Lines, 4, false), Ok(""));
    }
}
