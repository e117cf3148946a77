//! The one way an Excel export is written (real .xlsx, by `rust_xlsxwriter`): every sheet has
//! a bold Chinese header row, frozen; columns as wide as their content (a CJK character counts
//! as two); moments as Excel dates in China time with a date format; phones, ids and every
//! other text as strings (never a number, so a leading digit or a `=` stays as typed); numbers
//! as numbers. Routes build a [`Book`] of [`Sheet`]s and answer with [`download`].

use axum::{
    http::header,
    response::{IntoResponse, Response},
};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

/// The content type of an .xlsx file.
pub const CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// China time, in seconds east of UTC: what every date in an export is written in.
const CHINA_OFFSET_S: i64 = 8 * 3600;

/// Excel's longest text in a cell.
const MAX_TEXT: usize = 32_767;

/// The widest a column is made, in characters.
const MAX_WIDTH: usize = 60;

/// One cell's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text, written as a string whatever it looks like (phones, ids, names).
    Text(String),
    /// A number.
    Number(f64),
    /// The day (China time) of a moment (Unix seconds), as an Excel date.
    Date(i64),
    /// A moment (Unix seconds), as an Excel date and time in China time.
    DateTime(i64),
    /// Nothing.
    Blank,
}

impl Cell {
    /// Text.
    pub fn text(s: impl Into<String>) -> Self {
        Self::Text(s.into())
    }

    /// A count.
    pub fn int(n: impl Into<i64>) -> Self {
        // Counts in exports stay far below 2^53.
        Self::Number(n.into() as f64)
    }

    /// A moment as a date and time, or blank.
    pub fn datetime(t: Option<i64>) -> Self {
        t.map_or(Self::Blank, Self::DateTime)
    }

    /// A number, or blank when there is none.
    pub fn maybe(x: Option<f64>) -> Self {
        x.filter(|x| x.is_finite())
            .map_or(Self::Blank, Self::Number)
    }

    /// How many characters wide it shows.
    fn width(&self) -> usize {
        match self {
            Self::Text(s) => width(s),
            Self::Number(x) => format!("{x}").len(),
            Self::Date(_) => 10,
            Self::DateTime(_) => 16,
            Self::Blank => 0,
        }
    }
}

/// How many characters wide `s` shows: wide (CJK and full-width) characters count as two.
pub fn width(s: &str) -> usize {
    s.lines()
        .map(|line| line.chars().map(|c| if wide(c) { 2 } else { 1 }).sum())
        .max()
        .unwrap_or(0)
}

/// Whether a character takes two columns (East Asian wide and full-width ranges).
fn wide(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x2FFFD
        | 0x30000..=0x3FFFD)
}

/// One sheet: its name, its header row and its rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    name: String,
    headers: Vec<String>,
    rows: Vec<Vec<Cell>>,
}

impl Sheet {
    /// A sheet called `name` (Excel allows 31 characters) with this header row.
    pub fn new(name: &str, headers: impl IntoIterator<Item = impl Into<String>>) -> Self {
        Self {
            name: name.chars().take(31).collect(),
            headers: headers.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row.
    pub fn row(&mut self, cells: Vec<Cell>) {
        self.rows.push(cells);
    }

    /// Each column's width: its widest cell, header included, plus a margin.
    fn widths(&self) -> Vec<usize> {
        let columns = self
            .rows
            .iter()
            .map(Vec::len)
            .chain([self.headers.len()])
            .max()
            .unwrap_or(0);
        (0..columns)
            .map(|c| {
                let header = self.headers.get(c).map_or(0, |h| width(h));
                let cells = self
                    .rows
                    .iter()
                    .filter_map(|r| r.get(c))
                    .map(Cell::width)
                    .max()
                    .unwrap_or(0);
                (header.max(cells) + 2).min(MAX_WIDTH)
            })
            .collect()
    }
}

/// A workbook of sheets, written in their order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Book {
    sheets: Vec<Sheet>,
}

impl Book {
    /// An empty workbook.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a sheet.
    pub fn push(&mut self, sheet: Sheet) {
        self.sheets.push(sheet);
    }

    /// The .xlsx file.
    pub fn to_bytes(&self) -> Result<Vec<u8>, XlsxError> {
        let mut book = Workbook::new();
        let bold = Format::new().set_bold();
        let date = Format::new().set_num_format("yyyy-mm-dd");
        let datetime = Format::new().set_num_format("yyyy-mm-dd hh:mm");
        for sheet in &self.sheets {
            let ws = book.add_worksheet();
            ws.set_name(&sheet.name)?;
            for (c, h) in sheet.headers.iter().enumerate() {
                ws.write_string_with_format(0, col(c)?, clipped(h), &bold)?;
            }
            for (r, cells) in sheet.rows.iter().enumerate() {
                let r = u32::try_from(r + 1)
                    .map_err(|_| XlsxError::ParameterError("too many rows".into()))?;
                for (c, cell) in cells.iter().enumerate() {
                    let c = col(c)?;
                    match cell {
                        Cell::Text(s) => {
                            ws.write_string(r, c, clipped(s))?;
                        }
                        Cell::Number(x) if x.is_finite() => {
                            ws.write_number(r, c, *x)?;
                        }
                        Cell::Date(t) => {
                            ws.write_datetime_with_format(r, c, china_day(*t)?, &date)?;
                        }
                        Cell::DateTime(t) => {
                            ws.write_datetime_with_format(r, c, china_moment(*t)?, &datetime)?;
                        }
                        Cell::Number(_) | Cell::Blank => {}
                    }
                }
            }
            for (c, w) in sheet.widths().into_iter().enumerate() {
                ws.set_column_width(col(c)?, w as f64)?;
            }
            ws.set_freeze_panes(1, 0)?;
        }
        if self.sheets.is_empty() {
            book.add_worksheet();
        }
        book.save_to_buffer()
    }
}

fn col(c: usize) -> Result<u16, XlsxError> {
    u16::try_from(c).map_err(|_| XlsxError::ParameterError("too many columns".into()))
}

/// Text cut to what a cell holds.
fn clipped(s: &str) -> &str {
    match s.char_indices().nth(MAX_TEXT) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// The moment `t` (Unix seconds) on China's clock, as Excel keeps dates (no zone).
fn china_moment(t: i64) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_timestamp(t.saturating_add(CHINA_OFFSET_S))
}

/// The day (China time) of the moment `t`.
fn china_day(t: i64) -> Result<ExcelDateTime, XlsxError> {
    let local = t.saturating_add(CHINA_OFFSET_S);
    ExcelDateTime::from_timestamp(local - local.rem_euclid(86_400))
}

/// `Content-Disposition` for a download called `name` (Chinese allowed): an ASCII fallback and
/// the UTF-8 name (RFC 6266 / RFC 5987).
pub fn disposition(name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'~') {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

/// The answer carrying an .xlsx file called `name`.
pub fn download(name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, CONTENT_TYPE.to_owned()),
            (header::CONTENT_DISPOSITION, disposition(name)),
        ],
        bytes,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_characters_count_as_two_columns() {
        assert_eq!(width("abc"), 3);
        assert_eq!(width("姓名"), 4);
        assert_eq!(width("志愿时长(小时)"), 14);
        assert_eq!(width("ＡＢ"), 4);
        assert_eq!(width("一行\n更长的一行"), 10);
        assert_eq!(width(""), 0);
    }

    #[test]
    fn columns_fit_their_widest_cell_within_a_limit() {
        let mut s = Sheet::new("表", ["姓名", "n"]);
        s.row(vec![Cell::text("欧阳青青青"), Cell::int(12345)]);
        s.row(vec![Cell::text("x".repeat(500)), Cell::DateTime(0)]);
        assert_eq!(s.widths(), [MAX_WIDTH, 18]);
        let mut s = Sheet::new("表", ["手机号"]);
        s.row(vec![Cell::text("13900000001")]);
        assert_eq!(s.widths(), [13]);
    }

    #[test]
    fn dates_are_china_days_and_moments() {
        // 2026-03-01 23:30 in China is 15:30 UTC the same day; 2026-03-02 00:30 in China is
        // 16:30 UTC on the 1st.
        let evening = 1_772_379_000; // 2026-03-01 15:30:00 UTC
        let after_midnight = evening + 3600;
        let day = |t| china_day(t).unwrap().to_excel();
        let moment = |t| china_moment(t).unwrap().to_excel();
        let march_1 = ExcelDateTime::from_ymd(2026, 3, 1).unwrap().to_excel();
        assert_eq!(day(evening), march_1);
        assert_eq!(day(after_midnight), march_1 + 1.0);
        let at = ExcelDateTime::from_ymd(2026, 3, 1)
            .unwrap()
            .and_hms(23, 30, 0)
            .unwrap()
            .to_excel();
        assert!((moment(evening) - at).abs() < 1e-9);
    }

    #[test]
    fn a_workbook_is_a_zip_and_nonsense_does_not_break_it() {
        let mut book = Book::new();
        let mut s = Sheet::new(
            "这是一个名字非常非常非常非常非常非常非常非常非常长的工作表",
            ["a"],
        );
        s.row(vec![
            Cell::text("=1+1"),
            Cell::Number(f64::NAN),
            Cell::maybe(None),
            Cell::text("长".repeat(40_000)),
        ]);
        book.push(s);
        book.push(Sheet::new("空", Vec::<String>::new()));
        let bytes = book.to_bytes().unwrap();
        assert_eq!(&bytes[..2], b"PK");
        // A moment outside what Excel can show is refused, never a panic.
        let mut book = Book::new();
        let mut s = Sheet::new("日期", ["日期"]);
        s.row(vec![Cell::DateTime(i64::MAX)]);
        book.push(s);
        assert!(book.to_bytes().is_err());
    }

    #[test]
    fn the_file_name_is_sent_in_utf8_with_an_ascii_fallback() {
        assert_eq!(
            disposition("报名-a1.xlsx"),
            "attachment; filename=\"__-a1.xlsx\"; filename*=UTF-8''%E6%8A%A5%E5%90%8D-a1.xlsx"
        );
        assert_eq!(
            disposition("a\"b c.xlsx"),
            "attachment; filename=\"a_b_c.xlsx\"; filename*=UTF-8''a%22b%20c.xlsx"
        );
    }
}
