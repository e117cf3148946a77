//! The night-school draw: a seeded permutation that anyone can recompute.
//!
//! [docs/draw.md](../../docs/draw.md) is the specification, written so that someone can
//! re-implement the draw in another language from that page alone; this module is its reference
//! implementation, and a test checks the page's worked example against it. In short:
//!
//! 1. When a course's window closes, the server freezes the entries (public application number
//!    and priority tier) as a [`FrozenList`] and publishes its [`ListHash`]: the SHA-256 of the
//!    list's canonical text. At the same moment it generates a secret [`Seed`] and publishes its
//!    [`commitment`], so that neither the list nor the seed can change afterwards unseen.
//! 2. At the draw it reveals the seed; an admin may add a [`PublicValue`] nobody knew at the
//!    close. [`DrawSeed::derive`] binds the three together.
//! 3. A SHA-256 counter-mode [`Generator`] drives a Fisher–Yates shuffle of each tier, tier 0
//!    first ([`draw`]). The first `capacity` entries win; the rest is the waitlist, in order.
//! 4. The public results page carries a [`PublishedDraw`]; [`verify`] recomputes it in the
//!    browser and says what does not match.
//!
//! Pure: no IO, no clock, no randomness of its own (the server brings the seed's bytes).

use crate::programme::course::Priority;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt::{self, Write as _};

// ---------------------------------------------------------------------------------------------
// Application numbers and entries

/// The 32 symbols of an application number: Crockford's base 32 (digits and capital letters
/// without I, L, O and U), so a number read out at a counter or copied by hand is not mistaken
/// for another.
pub const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// How many applicants one draw can number: the applicant half is four symbols (20 bits).
pub const MAX_APPLICANTS: u32 = 1 << 20;

/// A public application number, `CCCC-AAAA`: the draw's code, a hyphen, the applicant's code,
/// each four symbols of [`ALPHABET`] (e.g. `K7Q2-0031`).
///
/// It is published next to the draw's results, so it is derived from nothing about the person
/// and nothing about when they applied: the server picks the draw's code at random when the
/// course opens and each applicant's code at random among those not yet taken in that draw
/// ([`ApplicationNumber::from_codes`]). A person finds themselves by their own number; nobody
/// else can tell whose it is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct ApplicationNumber(String);

/// Why an application number is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "an application number is four symbols, a hyphen and four symbols (0-9, A-Z without I, L, O, U)"
)]
pub struct BadApplicationNumber;

impl ApplicationNumber {
    /// Length in bytes (all ASCII).
    pub const LEN: usize = 9;

    /// `raw` if it is exactly `CCCC-AAAA` in [`ALPHABET`]. Nothing is trimmed or upper-cased:
    /// the bytes are hashed, so one number has one spelling.
    pub fn parse(raw: &str) -> Result<Self, BadApplicationNumber> {
        let b = raw.as_bytes();
        let well_formed = b.len() == Self::LEN
            && b.iter().enumerate().all(|(i, c)| {
                if i == 4 {
                    *c == b'-'
                } else {
                    ALPHABET.contains(c)
                }
            });
        if well_formed {
            Ok(Self(raw.to_owned()))
        } else {
            Err(BadApplicationNumber)
        }
    }

    /// The number for a draw's code and an applicant's code, each taken modulo 2^20 and written
    /// as four symbols, most significant five bits first. The server passes random bits for
    /// both (and draws the applicant's code again if it is taken in that draw).
    pub fn from_codes(draw: u32, applicant: u32) -> Self {
        let mut s = String::with_capacity(Self::LEN);
        push_code(&mut s, draw);
        s.push('-');
        push_code(&mut s, applicant);
        Self(s)
    }

    /// The number as published.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn push_code(s: &mut String, code: u32) {
    for shift in [15, 10, 5, 0] {
        s.push(char::from(ALPHABET[((code >> shift) & 31) as usize]));
    }
}

impl fmt::Display for ApplicationNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for ApplicationNumber {
    type Error = BadApplicationNumber;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<ApplicationNumber> for String {
    fn from(n: ApplicationNumber) -> Self {
        n.0
    }
}

/// One application in a draw.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Entry {
    /// The public application number.
    pub number: ApplicationNumber,
    /// The priority tier: every entry of tier 0 is placed before any of tier 1, and so on. The
    /// server computes it ([`tier`]); the draw only reads it.
    pub tier: u8,
}

impl Entry {
    /// An entry from a number as stored or published.
    pub fn new(number: &str, tier: u8) -> Result<Self, BadApplicationNumber> {
        Ok(Self {
            number: ApplicationNumber::parse(number)?,
            tier,
        })
    }
}

/// The tier the server gives an applicant under a course's [`Priority`]: with
/// `NewLearnersFirst` (the default), 0 for someone who took no course in the last term and 1
/// for everyone else; with `None`, 0 for all.
pub fn tier(priority: Priority, took_a_course_last_term: bool) -> u8 {
    match priority {
        Priority::NewLearnersFirst => u8::from(took_a_course_last_term),
        Priority::None => 0,
    }
}

// ---------------------------------------------------------------------------------------------
// The frozen list

/// The list hash: SHA-256 of a frozen list's canonical text.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ListHash([u8; 32]);

impl ListHash {
    /// The 32 bytes (these, not the hex text, go into the draw seed).
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Lowercase hex, as published.
    pub fn to_hex(&self) -> String {
        to_hex(&self.0)
    }

    /// From 64 hex digits (either case).
    pub fn from_hex(hex: &str) -> Option<Self> {
        parse_hex32(hex).map(Self)
    }
}

impl fmt::Display for ListHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for ListHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ListHash({})", self.to_hex())
    }
}

/// Why a list cannot be frozen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ListError {
    /// Not an application number (`index` from 0 in the pairs given).
    #[error("entry {index} ({number:?}) is not an application number")]
    BadNumber {
        /// Its place among the pairs given, from 0.
        index: usize,
        /// What was given.
        number: String,
    },
    /// One number twice (in the same tier or not): each application is drawn once.
    #[error("application number {0} is in the list twice")]
    Duplicate(ApplicationNumber),
}

/// The entries of one draw in canonical order (tier ascending, then application number by
/// bytes), with the hash of their canonical text. Built once when the window closes; the draw
/// and the published hash both come from it, so they cannot disagree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrozenList {
    entries: Vec<Entry>,
    hash: ListHash,
}

impl FrozenList {
    /// Sorts the entries into canonical order and hashes them. The order they come in does not
    /// matter (so neither does the order people applied in).
    pub fn new(entries: impl IntoIterator<Item = Entry>) -> Result<Self, ListError> {
        let mut entries: Vec<Entry> = entries.into_iter().collect();
        // By number first to find a number listed twice even under two tiers, then a stable
        // sort by tier keeps the numbers in order within each tier.
        entries.sort_unstable_by(|a, b| a.number.cmp(&b.number));
        if let Some(pair) = entries.windows(2).find(|w| w[0].number == w[1].number) {
            return Err(ListError::Duplicate(pair[0].number.clone()));
        }
        entries.sort_by_key(|e| e.tier);
        let mut hasher = Sha256::new();
        let mut line = String::with_capacity(16);
        for e in &entries {
            line.clear();
            write_line(&mut line, e);
            hasher.update(line.as_bytes());
        }
        Ok(Self {
            entries,
            hash: ListHash(hasher.finalize().into()),
        })
    }

    /// Freezes a list from `(application number, tier)` pairs as stored, in any order.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, u8)>,
    ) -> Result<Self, ListError> {
        let entries = pairs
            .into_iter()
            .enumerate()
            .map(|(index, (number, tier))| {
                Entry::new(number, tier).map_err(|_| ListError::BadNumber {
                    index,
                    number: number.to_owned(),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Self::new(entries)
    }

    /// The entries in canonical order; the draw's indices ([`draw_order`]) point into this.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// How many entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nobody applied.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The hash of [`FrozenList::canonical`], published when the window closes.
    pub fn hash(&self) -> &ListHash {
        &self.hash
    }

    /// The canonical text: one line per entry in canonical order, the tier in decimal (no
    /// leading zeros), one space, the application number, a line feed. `sha256sum` of this text
    /// saved as a file is the list hash.
    pub fn canonical(&self) -> String {
        let mut s = String::with_capacity(self.entries.len() * 13);
        for e in &self.entries {
            write_line(&mut s, e);
        }
        s
    }

    /// Each tier present, ascending, with its entries.
    pub fn tiers(&self) -> impl Iterator<Item = (u8, &[Entry])> {
        self.entries
            .chunk_by(|a, b| a.tier == b.tier)
            .map(|t| (t[0].tier, t))
    }
}

fn write_line(out: &mut String, e: &Entry) {
    // Writing to a String cannot fail.
    let _ = writeln!(out, "{} {}", e.tier, e.number);
}

// ---------------------------------------------------------------------------------------------
// Commit and reveal

/// The server's secret seed: 32 random bytes generated when the window closes, kept secret
/// until the draw, then published.
#[derive(Clone, PartialEq, Eq)]
pub struct Seed([u8; 32]);

impl Seed {
    /// The seed from 32 bytes of the operating system's randomness (the server brings them;
    /// this crate has no randomness of its own).
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// From 64 hex digits (either case), as stored or revealed.
    pub fn from_hex(hex: &str) -> Option<Self> {
        parse_hex32(hex).map(Self)
    }

    /// Lowercase hex, as stored and revealed.
    pub fn to_hex(&self) -> String {
        to_hex(&self.0)
    }

    /// The 32 bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// What is published at the close: [`commitment`].
    pub fn commitment(&self) -> String {
        commitment(self)
    }
}

/// Never printed: a seed in a log before the draw would let its reader predict the draw.
impl fmt::Debug for Seed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Seed(<secret>)")
    }
}

/// The commitment published at the close: SHA-256 of the seed's 32 bytes, lowercase hex.
pub fn commitment(seed: &Seed) -> String {
    to_hex(&Sha256::digest(seed.0))
}

/// Whether a revealed seed (64 hex digits) is the one committed to. Hex in either case is
/// accepted on both sides: the bytes are what count.
pub fn verify_commitment(seed_hex: &str, commitment: &str) -> bool {
    match (parse_hex32(seed_hex), parse_hex32(commitment)) {
        (Some(seed), Some(committed)) => <[u8; 32]>::from(Sha256::digest(seed)) == committed,
        _ => false,
    }
}

/// The most characters in a public value.
pub const MAX_PUBLIC_VALUE_CHARS: usize = 200;

/// A value made public at the draw and mixed into the draw seed: numbers drawn in front of the
/// audience, a stock index's close. Empty is allowed (then the draw rests on the seed alone).
///
/// Its UTF-8 bytes are hashed exactly as they are, so what the results page shows must be all
/// there is: no control characters (a line break or a tab does not show), no invisible
/// characters or direction controls (they would make two different values look the same, and
/// let someone try many values that all look like the one announced), no space at either end.
/// Refused rather than cleaned: a value changed after it was announced would not be the
/// announced value. A form trims it before sending.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct PublicValue(String);

/// Why a public value is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PublicValueError {
    /// More than [`MAX_PUBLIC_VALUE_CHARS`] characters.
    #[error("the public value is longer than 200 characters")]
    TooLong,
    /// A control, invisible or direction character.
    #[error("the public value has a character that does not show")]
    BadCharacters,
    /// White space at the start or the end.
    #[error("the public value starts or ends with white space")]
    SurroundingSpace,
}

impl PublicValue {
    /// `raw` if it may be a public value (see the type's rules); nothing is changed.
    pub fn parse(raw: &str) -> Result<Self, PublicValueError> {
        if raw.chars().count() > MAX_PUBLIC_VALUE_CHARS {
            return Err(PublicValueError::TooLong);
        }
        if raw.chars().any(|c| {
            c.is_control() || crate::text::is_bidi_control(c) || crate::text::is_invisible(c)
        }) {
            return Err(PublicValueError::BadCharacters);
        }
        if raw.trim() != raw {
            return Err(PublicValueError::SurroundingSpace);
        }
        Ok(Self(raw.to_owned()))
    }

    /// The value as announced.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PublicValue {
    type Error = PublicValueError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<PublicValue> for String {
    fn from(v: PublicValue) -> Self {
        v.0
    }
}

/// The first bytes of the draw seed's input: they name the algorithm and its version, so that
/// no other use of SHA-256 over a seed and a list can produce the same draw seed, and a later
/// version of the algorithm gets a tag of its own.
pub const DRAW_SEED_TAG: &[u8; 16] = b"qingtuan draw v1";

/// The seed the generator runs from: SHA-256 over
/// `DRAW_SEED_TAG (16 bytes) || seed (32) || list hash (32) || u32 big-endian byte length of the
/// public value || the public value's UTF-8 bytes`.
///
/// The list hash is bound in so that a seed revealed for one list cannot be replayed for
/// another; the public value so that a server that knew the seed (and the list) at the close
/// still could not know the order until the value was announced.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct DrawSeed([u8; 32]);

impl DrawSeed {
    /// The draw seed for a revealed seed, a frozen list's hash and the public value.
    pub fn derive(seed: &Seed, list_hash: &ListHash, public_value: &PublicValue) -> Self {
        Self(Sha256::digest(draw_seed_input(seed, list_hash, public_value)).into())
    }

    /// The 32 bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Lowercase hex.
    pub fn to_hex(&self) -> String {
        to_hex(&self.0)
    }

    /// From 64 hex digits (either case): to run the generator from a draw seed computed
    /// elsewhere.
    pub fn from_hex(hex: &str) -> Option<Self> {
        parse_hex32(hex).map(Self)
    }
}

impl fmt::Debug for DrawSeed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DrawSeed({})", self.to_hex())
    }
}

/// The exact bytes hashed into the draw seed (shown in full in the worked example).
fn draw_seed_input(seed: &Seed, list_hash: &ListHash, public_value: &PublicValue) -> Vec<u8> {
    let value = public_value.0.as_bytes();
    let mut input = Vec::with_capacity(16 + 32 + 32 + 4 + value.len());
    input.extend_from_slice(DRAW_SEED_TAG);
    input.extend_from_slice(&seed.0);
    input.extend_from_slice(&list_hash.0);
    // At most 200 characters of at most 4 bytes each: it fits in a u32.
    input.extend_from_slice(&(value.len() as u32).to_be_bytes());
    input.extend_from_slice(value);
    input
}

// ---------------------------------------------------------------------------------------------
// The generator and the shuffle

/// Words in one 32-byte block.
const WORDS_PER_BLOCK: usize = 4;

/// A deterministic stream of 64-bit words: block `i` (from 0) is
/// `SHA-256(draw seed's 32 bytes || i as u64 big-endian)`; each block gives four words, its
/// bytes 0–7, 8–15, 16–23 and 24–31 in that order, each read big-endian. Nothing else may be
/// used: SHA-256 is in every language's standard library, so anyone can recompute the stream.
#[derive(Clone)]
pub struct Generator {
    seed: [u8; 32],
    next_block: u64,
    block: [u8; 32],
    /// The next word of `block` to hand out; `WORDS_PER_BLOCK` when it is used up.
    next_in_block: usize,
    words_used: u64,
}

impl Generator {
    /// The stream for a draw seed, at its first word.
    pub fn new(seed: &DrawSeed) -> Self {
        Self {
            seed: seed.0,
            next_block: 0,
            block: [0; 32],
            next_in_block: WORDS_PER_BLOCK,
            words_used: 0,
        }
    }

    /// Block `index` of the stream for `seed`.
    pub fn block(seed: &DrawSeed, index: u64) -> [u8; 32] {
        Sha256::new()
            .chain_update(seed.0)
            .chain_update(index.to_be_bytes())
            .finalize()
            .into()
    }

    /// The next word.
    pub fn next_word(&mut self) -> u64 {
        if self.next_in_block == WORDS_PER_BLOCK {
            self.block = Self::block(&DrawSeed(self.seed), self.next_block);
            self.next_block += 1;
            self.next_in_block = 0;
        }
        let at = self.next_in_block * 8;
        let mut word = [0; 8];
        word.copy_from_slice(&self.block[at..at + 8]);
        self.next_in_block += 1;
        self.words_used += 1;
        u64::from_be_bytes(word)
    }

    /// How many words have been taken so far.
    pub fn words_used(&self) -> u64 {
        self.words_used
    }

    /// A uniform integer in `0..n` (`n` ≥ 1), by rejection: a word `w` is accepted when
    /// `w < limit(n)`, the largest multiple of `n` not above 2^64 ([`acceptance_limit`]), and
    /// gives `w mod n`; otherwise the next word is tried. Every value then has exactly
    /// `limit / n` accepted words, where plain `w mod n` would favour the small values (for an
    /// `n` near 2^63 by up to two to one). Always takes at least one word.
    ///
    /// # Panics
    /// If `n` is 0 (an empty range has no member to return).
    pub fn uniform(&mut self, n: u64) -> u64 {
        assert!(n > 0, "uniform(0): an empty range");
        // 2^64 mod n, in 64 bits: (2^64 - n) mod n. A word is accepted when it is below
        // 2^64 - that, i.e. at most u64::MAX - that.
        let excess = n.wrapping_neg() % n;
        loop {
            let w = self.next_word();
            if w <= u64::MAX - excess {
                return w % n;
            }
        }
    }
}

/// The rejection bound for `uniform(n)`: `2^64 − (2^64 mod n)`; a word is accepted when it is
/// below this. (A u128 because it is 2^64 when `n` is a power of two.)
pub fn acceptance_limit(n: u64) -> u128 {
    let two64 = 1u128 << 64;
    two64 - two64 % u128::from(n)
}

/// Fisher–Yates (Durstenfeld's form): for `i` from `len − 1` down to 1, `j = uniform(i + 1)`,
/// swap the items at `i` and `j`. Every order comes out with the same probability.
fn shuffle<T>(items: &mut [T], g: &mut Generator) {
    for i in (1..items.len()).rev() {
        let j = g.uniform(i as u64 + 1) as usize;
        items.swap(i, j);
    }
}

/// The draw order as indices into [`FrozenList::entries`]: each tier, lowest first, shuffled in
/// place starting from its canonical order, all tiers from one generator (tier 1's shuffle takes
/// the word after the last one tier 0 took, in the middle of a block or not).
pub fn draw_order(list: &FrozenList, seed: &DrawSeed) -> Vec<usize> {
    let mut order: Vec<usize> = (0..list.len()).collect();
    let mut g = Generator::new(seed);
    let mut start = 0;
    for (_, tier) in list.tiers() {
        shuffle(&mut order[start..start + tier.len()], &mut g);
        start += tier.len();
    }
    order
}

/// The draw order: every entry exactly once, all of tier 0 before any of tier 1, and so on.
/// The first `capacity` win; the rest, in order, are the waitlist ([`DrawResult`]).
pub fn draw<'a>(list: &'a FrozenList, seed: &DrawSeed) -> Vec<&'a Entry> {
    draw_order(list, seed)
        .into_iter()
        .map(|i| &list.entries[i])
        .collect()
}

/// A draw split at the course's capacity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawResult<'a> {
    /// Those who won a place, in draw order.
    pub winners: Vec<&'a Entry>,
    /// Everyone else, in draw order: the first is waitlist position 1.
    pub waitlist: Vec<&'a Entry>,
}

impl<'a> DrawResult<'a> {
    /// `order` (from [`draw`]) split after its first `capacity` entries.
    pub fn new(mut order: Vec<&'a Entry>, capacity: u32) -> Self {
        let waitlist = order.split_off(order.len().min(capacity as usize));
        Self {
            winners: order,
            waitlist,
        }
    }

    /// The draw of a frozen list with a revealed seed and public value, split at `capacity`.
    pub fn run(
        list: &'a FrozenList,
        seed: &Seed,
        public_value: &PublicValue,
        capacity: u32,
    ) -> Self {
        let draw_seed = DrawSeed::derive(seed, list.hash(), public_value);
        Self::new(draw(list, &draw_seed), capacity)
    }
}

// ---------------------------------------------------------------------------------------------
// The published draw and its verification

/// One entry as the results page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishedEntry {
    /// The application number.
    pub number: String,
    /// Its tier.
    pub tier: u8,
}

/// Everything the public results page shows, from which anyone can redo the draw. Plain text
/// and numbers, not checked types: a page with something wrong in it is exactly what
/// [`verify`] must describe rather than fail to read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishedDraw {
    /// The frozen list, in canonical order.
    pub entries: Vec<PublishedEntry>,
    /// The list hash published at the close (lowercase hex).
    pub list_hash: String,
    /// The commitment published at the close (lowercase hex).
    pub commitment: String,
    /// The seed revealed at the draw (lowercase hex).
    pub seed: String,
    /// The public value announced at the draw (may be empty).
    pub public_value: String,
    /// Places in the course.
    pub capacity: u32,
    /// The draw order: every application number once; the first `capacity` won.
    pub order: Vec<String>,
}

impl PublishedDraw {
    /// What the server publishes after a draw.
    pub fn new(list: &FrozenList, seed: &Seed, public_value: &PublicValue, capacity: u32) -> Self {
        let draw_seed = DrawSeed::derive(seed, list.hash(), public_value);
        Self {
            entries: list
                .entries()
                .iter()
                .map(|e| PublishedEntry {
                    number: e.number.0.clone(),
                    tier: e.tier,
                })
                .collect(),
            list_hash: list.hash().to_hex(),
            commitment: seed.commitment(),
            seed: seed.to_hex(),
            public_value: public_value.0.clone(),
            capacity,
            order: draw(list, &draw_seed)
                .into_iter()
                .map(|e| e.number.0.clone())
                .collect(),
        }
    }

    /// The winners as published: the first `capacity` of the order.
    pub fn winners(&self) -> &[String] {
        &self.order[..self.order.len().min(self.capacity as usize)]
    }

    /// The waitlist as published: the rest of the order (position 1 first).
    pub fn waitlist(&self) -> &[String] {
        &self.order[self.order.len().min(self.capacity as usize)..]
    }
}

/// What does not match when a published draw is recomputed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Mismatch {
    /// An entry's number is not an application number (`index` from 0 in the published list).
    #[error("entry {index} ({number:?}) is not an application number")]
    BadEntry {
        /// Its place in the published entries, from 0.
        index: usize,
        /// What the page shows.
        number: String,
    },
    /// A number listed twice.
    #[error("application number {0} is listed twice")]
    DuplicateEntry(String),
    /// The entries do not hash to the published list hash: the list shown is not the list
    /// frozen at the close.
    #[error("the entries hash to {computed}, not to the published list hash {published}")]
    ListHash {
        /// The published hash.
        published: String,
        /// The hash of the entries shown.
        computed: String,
    },
    /// The revealed seed is not 64 hex digits.
    #[error("the revealed seed is not 64 hexadecimal digits")]
    BadSeed,
    /// The revealed seed is not the one committed to at the close.
    #[error("SHA-256 of the revealed seed is {computed}, not the commitment {published}")]
    Commitment {
        /// The published commitment.
        published: String,
        /// SHA-256 of the revealed seed.
        computed: String,
    },
    /// The public value breaks the rules of [`PublicValue`].
    #[error("{0}")]
    BadPublicValue(PublicValueError),
    /// The published order differs from the recomputed one at `position` (from 1).
    #[error("at position {position} the page shows {published:?}, the draw gives {computed:?}")]
    Order {
        /// The rank where they first differ, from 1 (the first winner is position 1).
        position: usize,
        /// What the page shows there (empty past its end).
        published: String,
        /// What the draw gives there (empty past its end).
        computed: String,
    },
}

/// Checks the entries shown against the list hash published at the close; the list, frozen,
/// if they match. Usable before the draw too, when only the list and the commitment are public.
pub fn verify_list(entries: &[PublishedEntry], list_hash: &str) -> Result<FrozenList, Mismatch> {
    let list = FrozenList::from_pairs(entries.iter().map(|e| (e.number.as_str(), e.tier)))
        .map_err(|e| match e {
            ListError::BadNumber { index, number } => Mismatch::BadEntry { index, number },
            ListError::Duplicate(n) => Mismatch::DuplicateEntry(n.0),
        })?;
    let computed = list.hash().to_hex();
    if !computed.eq_ignore_ascii_case(list_hash) {
        return Err(Mismatch::ListHash {
            published: list_hash.to_owned(),
            computed,
        });
    }
    Ok(list)
}

/// Redoes a published draw: the entries against the list hash, the revealed seed against the
/// commitment, then the whole order. `Ok` means the page's order is the draw's, position by
/// position; the first thing that differs is the error.
pub fn verify(published: &PublishedDraw) -> Result<(), Mismatch> {
    let list = verify_list(&published.entries, &published.list_hash)?;
    let seed = Seed::from_hex(&published.seed).ok_or(Mismatch::BadSeed)?;
    if !verify_commitment(&published.seed, &published.commitment) {
        return Err(Mismatch::Commitment {
            published: published.commitment.clone(),
            computed: seed.commitment(),
        });
    }
    let public_value =
        PublicValue::parse(&published.public_value).map_err(Mismatch::BadPublicValue)?;
    let draw_seed = DrawSeed::derive(&seed, list.hash(), &public_value);
    let computed = draw(&list, &draw_seed);
    let len = computed.len().max(published.order.len());
    for position in 0..len {
        let ours = computed.get(position).map(|e| e.number.as_str());
        let theirs = published.order.get(position).map(String::as_str);
        if ours != theirs {
            return Err(Mismatch::Order {
                position: position + 1,
                published: theirs.unwrap_or_default().to_owned(),
                computed: ours.unwrap_or_default().to_owned(),
            });
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Hex

fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

fn parse_hex32(hex: &str) -> Option<[u8; 32]> {
    fn nibble(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    }
    let hex = hex.as_bytes();
    if hex.len() != 64 {
        return None;
    }
    let mut out = [0; 32];
    for (byte, pair) in out.iter_mut().zip(hex.chunks_exact(2)) {
        *byte = (nibble(pair[0])? << 4) | nibble(pair[1])?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(number: &str, tier: u8) -> Entry {
        Entry::new(number, tier).unwrap()
    }

    /// `n` entries with the numbers `K7Q2-0000`, `K7Q2-0001`, … in the order given, so that the
    /// list's canonical order is the order they applied in; tier from `tier_of(index)`.
    fn applicants(n: u32, tier_of: impl Fn(u32) -> u8) -> Vec<Entry> {
        (0..n)
            .map(|i| Entry {
                number: ApplicationNumber::from_codes(0x9_9EE2, i),
                tier: tier_of(i),
            })
            .collect()
    }

    fn seed_from(i: u64) -> Seed {
        Seed::from_bytes(Sha256::digest(i.to_be_bytes()).into())
    }

    fn draw_seed(list: &FrozenList, i: u64, value: &str) -> DrawSeed {
        DrawSeed::derive(
            &seed_from(i),
            list.hash(),
            &PublicValue::parse(value).unwrap(),
        )
    }

    fn numbers(order: &[&Entry]) -> Vec<String> {
        order.iter().map(|e| e.number.0.clone()).collect()
    }

    /// Pearson's statistic of `counts` against the same `expected` count in every cell.
    fn chi_square(counts: &[u64], expected: f64) -> f64 {
        counts
            .iter()
            .map(|&c| (c as f64 - expected).powi(2) / expected)
            .sum()
    }

    // Upper critical values of the chi-square distribution at significance 0.001. The tests'
    // seeds are fixed, so a test gives the same statistic on every run and cannot flake; the
    // level says how unlikely a fair draw is to be refused by the seeds chosen.
    const CHI2_0_001_DF2: f64 = 13.816;
    const CHI2_0_001_DF9: f64 = 27.877;
    const CHI2_0_001_DF19: f64 = 43.820;

    #[test]
    fn application_numbers_have_one_format() {
        for ok in [
            "K7Q2-0031",
            "0000-0000",
            "ZZZZ-ZZZZ",
            "ABCD-EFGH",
            "JKMN-PQRS",
        ] {
            assert_eq!(ApplicationNumber::parse(ok).unwrap().as_str(), ok);
        }
        for bad in [
            "",
            "k7q2-0031",
            "K7Q2-003I",
            "K7Q2-003L",
            "K7Q2-003O",
            "K7Q2-003U",
            "K7Q20031",
            "K7Q2_0031",
            "K7Q2-00311",
            "K7Q-20031",
            " K7Q2-0031",
            "K7Q2-0031\n",
            "Ｋ7Q2-0031",
            "K7Q2--031",
        ] {
            assert_eq!(
                ApplicationNumber::parse(bad),
                Err(BadApplicationNumber),
                "{bad:?}"
            );
        }
        let json = serde_json::to_string(&ApplicationNumber::parse("K7Q2-0031").unwrap()).unwrap();
        assert_eq!(json, r#""K7Q2-0031""#);
        assert!(serde_json::from_str::<ApplicationNumber>(r#""K7Q2-003O""#).is_err());
    }

    #[test]
    fn numbers_from_codes_use_twenty_bits_each_most_significant_first() {
        assert_eq!(ApplicationNumber::from_codes(0, 0).as_str(), "0000-0000");
        assert_eq!(
            ApplicationNumber::from_codes(MAX_APPLICANTS - 1, 31).as_str(),
            "ZZZZ-000Z"
        );
        assert_eq!(
            ApplicationNumber::from_codes(0x9_9EE2, 0x61).as_str(),
            "K7Q2-0031"
        );
        // Bits above the twentieth are dropped, so any random u32 makes a valid number.
        assert_eq!(
            ApplicationNumber::from_codes(u32::MAX, MAX_APPLICANTS + 5),
            ApplicationNumber::from_codes(MAX_APPLICANTS - 1, 5)
        );
        let mut seen = std::collections::HashSet::new();
        for code in (0..MAX_APPLICANTS).step_by(997) {
            let n = ApplicationNumber::from_codes(7, code);
            assert_eq!(ApplicationNumber::parse(n.as_str()).as_ref(), Ok(&n));
            assert!(seen.insert(n), "two codes, one number");
        }
    }

    #[test]
    fn the_default_tier_puts_new_learners_first() {
        assert_eq!(tier(Priority::NewLearnersFirst, false), 0);
        assert_eq!(tier(Priority::NewLearnersFirst, true), 1);
        assert_eq!(tier(Priority::None, false), 0);
        assert_eq!(tier(Priority::None, true), 0);
        assert_eq!(tier(Priority::default(), true), 1);
    }

    #[test]
    fn the_canonical_form_is_sorted_by_tier_then_number_one_line_each() {
        let list = FrozenList::new([
            entry("K7Q2-ZC4N", 1),
            entry("K7Q2-8XF3", 0),
            entry("K7Q2-0031", 1),
            entry("K7Q2-2M9D", 0),
            entry("A000-0001", 12),
        ])
        .unwrap();
        let text = "0 K7Q2-2M9D\n0 K7Q2-8XF3\n1 K7Q2-0031\n1 K7Q2-ZC4N\n12 A000-0001\n";
        assert_eq!(list.canonical(), text);
        assert_eq!(list.hash().to_hex(), to_hex(&Sha256::digest(text)));
        let tiers: Vec<(u8, usize)> = list.tiers().map(|(t, e)| (t, e.len())).collect();
        assert_eq!(tiers, [(0, 2), (1, 2), (12, 1)]);
        // The order they arrive in (the order people applied in) does not matter.
        let mut reversed = list.entries().to_vec();
        reversed.reverse();
        assert_eq!(FrozenList::new(reversed).unwrap(), list);
    }

    #[test]
    fn a_list_from_stored_pairs_says_which_number_is_bad() {
        let list = FrozenList::from_pairs([("K7Q2-ZC4N", 1), ("K7Q2-8XF3", 0)]).unwrap();
        assert_eq!(list.canonical(), "0 K7Q2-8XF3\n1 K7Q2-ZC4N\n");
        assert_eq!(
            FrozenList::from_pairs([("K7Q2-ZC4N", 1), ("K7Q2-8xf3", 0)]),
            Err(ListError::BadNumber {
                index: 1,
                number: "K7Q2-8xf3".into()
            })
        );
    }

    #[test]
    fn an_empty_list_hashes_the_empty_text() {
        let list = FrozenList::new([]).unwrap();
        assert!(list.is_empty());
        assert_eq!(list.canonical(), "");
        assert_eq!(
            list.hash().to_hex(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert!(draw(&list, &draw_seed(&list, 1, "")).is_empty());
    }

    #[test]
    fn a_number_listed_twice_is_refused_even_under_two_tiers() {
        for tiers in [(0, 0), (0, 1)] {
            let e = FrozenList::new([
                entry("K7Q2-0031", tiers.0),
                entry("K7Q2-8XF3", 0),
                entry("K7Q2-0031", tiers.1),
            ]);
            assert_eq!(
                e,
                Err(ListError::Duplicate(
                    ApplicationNumber::parse("K7Q2-0031").unwrap()
                ))
            );
        }
    }

    #[test]
    fn a_changed_entry_changes_the_list_hash() {
        let base = FrozenList::new(applicants(10, |i| u8::from(i % 3 == 0))).unwrap();
        let mut hashes = std::collections::HashSet::from([*base.hash()]);
        for i in 0..base.len() {
            let mut retiered = base.entries().to_vec();
            retiered[i].tier ^= 1;
            assert!(hashes.insert(*FrozenList::new(retiered).unwrap().hash()));
            let mut renumbered = base.entries().to_vec();
            renumbered[i].number = ApplicationNumber::parse("ZZZZ-ZZZZ").unwrap();
            assert!(hashes.insert(*FrozenList::new(renumbered).unwrap().hash()));
            let mut removed = base.entries().to_vec();
            removed.remove(i);
            assert!(hashes.insert(*FrozenList::new(removed).unwrap().hash()));
        }
    }

    #[test]
    fn the_commitment_is_sha256_of_the_seed_bytes() {
        // SHA-256 of 32 zero bytes, a published test value.
        let zero = Seed::from_bytes([0; 32]);
        let expected = "66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925";
        assert_eq!(commitment(&zero), expected);
        assert_eq!(zero.commitment(), expected);
        assert!(verify_commitment(&zero.to_hex(), expected));
        assert!(verify_commitment(
            &zero.to_hex().to_uppercase(),
            &expected.to_uppercase()
        ));
        let other = seed_from(1);
        assert!(!verify_commitment(&other.to_hex(), expected));
        assert!(!verify_commitment(&zero.to_hex()[1..], expected));
        assert!(!verify_commitment(&format!("{}0", zero.to_hex()), expected));
        assert!(!verify_commitment(&zero.to_hex(), &expected[1..]));
        assert!(!verify_commitment(&"g".repeat(64), expected));
        assert_eq!(Seed::from_hex(&other.to_hex()), Some(other));
    }

    #[test]
    fn a_seed_is_never_printed() {
        let seed = Seed::from_bytes([0xab; 32]);
        assert!(!format!("{seed:?}").contains("ab"));
    }

    #[test]
    fn a_public_value_is_what_it_shows() {
        for ok in [
            "",
            "7 3 9",
            "上证指数 2026-09-01 收盘 3245.67",
            &"九".repeat(200),
        ] {
            assert_eq!(PublicValue::parse(ok).unwrap().as_str(), ok);
        }
        assert_eq!(
            PublicValue::parse(&"九".repeat(201)),
            Err(PublicValueError::TooLong)
        );
        for bad in [
            "7\n3",
            "7\t3",
            "7\u{0}3",
            "7\u{200B}3",
            "7\u{202E}3",
            "7\u{FEFF}",
        ] {
            assert_eq!(
                PublicValue::parse(bad),
                Err(PublicValueError::BadCharacters),
                "{bad:?}"
            );
        }
        for bad in [" 7", "7 ", "\u{3000}7"] {
            assert_eq!(
                PublicValue::parse(bad),
                Err(PublicValueError::SurroundingSpace),
                "{bad:?}"
            );
        }
        assert!(serde_json::from_str::<PublicValue>(r#"" 7""#).is_err());
    }

    #[test]
    fn the_draw_seed_binds_the_seed_the_list_and_the_public_value() {
        let list = FrozenList::new(applicants(5, |_| 0)).unwrap();
        let other_list = FrozenList::new(applicants(6, |_| 0)).unwrap();
        let value = |v: &str| PublicValue::parse(v).unwrap();
        let seeds = [
            DrawSeed::derive(&seed_from(1), list.hash(), &value("")),
            DrawSeed::derive(&seed_from(2), list.hash(), &value("")),
            DrawSeed::derive(&seed_from(1), other_list.hash(), &value("")),
            DrawSeed::derive(&seed_from(1), list.hash(), &value("7")),
            DrawSeed::derive(&seed_from(1), list.hash(), &value("8")),
        ];
        for (i, a) in seeds.iter().enumerate() {
            for b in &seeds[i + 1..] {
                assert_ne!(a, b);
            }
        }
        // The input is exactly tag || seed || list hash || u32 length || value.
        let input = draw_seed_input(&seed_from(1), list.hash(), &value("抽签"));
        assert_eq!(&input[..16], b"qingtuan draw v1");
        assert_eq!(&input[16..48], seed_from(1).as_bytes());
        assert_eq!(&input[48..80], list.hash().as_bytes());
        assert_eq!(&input[80..84], &[0, 0, 0, 6]);
        assert_eq!(&input[84..], "抽签".as_bytes());
    }

    #[test]
    fn the_generator_reads_each_block_as_four_big_endian_words() {
        let seed = DrawSeed([7; 32]);
        let mut g = Generator::new(&seed);
        for block in 0..3u64 {
            let mut input = [7u8; 40];
            input[32..].copy_from_slice(&block.to_be_bytes());
            let bytes: [u8; 32] = Sha256::digest(input).into();
            assert_eq!(Generator::block(&seed, block), bytes);
            for word in bytes.chunks_exact(8) {
                assert_eq!(g.next_word(), u64::from_be_bytes(word.try_into().unwrap()));
            }
        }
        assert_eq!(g.words_used(), 12);
    }

    #[test]
    fn the_acceptance_limit_is_the_largest_multiple_of_n_up_to_two_to_the_64() {
        let two64 = 1u128 << 64;
        assert_eq!(acceptance_limit(1), two64);
        assert_eq!(acceptance_limit(8), two64);
        assert_eq!(acceptance_limit(1 << 63), two64);
        assert_eq!(acceptance_limit(3), two64 - 1);
        assert_eq!(acceptance_limit(10), two64 - 6);
        assert_eq!(acceptance_limit(3 << 62), 3 << 62);
        assert_eq!(acceptance_limit(u64::MAX), two64 - 1);
        for n in [1, 2, 3, 7, 10, 1000, 3 << 62, (1 << 63) + 1, u64::MAX] {
            let limit = acceptance_limit(n);
            assert_eq!(limit % u128::from(n), 0);
            assert!(two64 - limit < u128::from(n));
        }
    }

    #[test]
    fn uniform_skips_exactly_the_words_at_or_above_the_limit() {
        // For n = 3·2^62 a quarter of all words are rejected: enough to see several.
        let n = 3u64 << 62;
        let seed = DrawSeed([42; 32]);
        let mut words = Generator::new(&seed);
        let mut g = Generator::new(&seed);
        let mut rejected = 0;
        for _ in 0..200 {
            let expected = loop {
                let w = words.next_word();
                if u128::from(w) < acceptance_limit(n) {
                    break w % n;
                }
                rejected += 1;
            };
            assert_eq!(g.uniform(n), expected);
            assert_eq!(g.words_used(), words.words_used());
        }
        assert!(rejected > 20, "only {rejected} rejections");
    }

    #[test]
    #[should_panic(expected = "empty range")]
    fn uniform_of_nothing_panics() {
        Generator::new(&DrawSeed([0; 32])).uniform(0);
    }

    #[test]
    fn uniform_is_uniform_for_a_small_n_that_is_not_a_power_of_two() {
        let mut g = Generator::new(&DrawSeed([1; 32]));
        let mut counts = [0u64; 10];
        let samples = 100_000;
        for _ in 0..samples {
            counts[g.uniform(10) as usize] += 1;
        }
        let chi = chi_square(&counts, samples as f64 / 10.0);
        assert!(chi < CHI2_0_001_DF9, "chi-square {chi} over {counts:?}");
    }

    #[test]
    fn uniform_has_no_modulo_bias_where_plain_modulo_would_be_two_to_one() {
        // n = 3·2^62: w mod n without rejection gives [0, 2^62) twice the chance of each of the
        // other two thirds (50% / 25% / 25%). With rejection the thirds are even.
        let n = 3u64 << 62;
        let mut g = Generator::new(&DrawSeed([2; 32]));
        let mut counts = [0u64; 3];
        let mut modulo = [0u64; 3];
        let samples = 30_000;
        for _ in 0..samples {
            let v = g.uniform(n);
            assert!(v < n);
            counts[(v >> 62) as usize] += 1;
        }
        let mut raw = Generator::new(&DrawSeed([2; 32]));
        for _ in 0..samples {
            modulo[((raw.next_word() % n) >> 62) as usize] += 1;
        }
        let expected = samples as f64 / 3.0;
        let chi = chi_square(&counts, expected);
        assert!(chi < CHI2_0_001_DF2, "chi-square {chi} over {counts:?}");
        // The same statistic refuses the biased method: the test can tell.
        let biased = chi_square(&modulo, expected);
        assert!(
            biased > CHI2_0_001_DF2 * 10.0,
            "chi-square {biased} over {modulo:?}"
        );
    }

    #[test]
    fn a_draw_is_a_permutation_with_the_tiers_in_order() {
        let list = FrozenList::new(applicants(50, |i| (i % 3) as u8)).unwrap();
        let order = draw(&list, &draw_seed(&list, 9, "12 34"));
        let mut sorted = numbers(&order);
        sorted.sort();
        let mut all: Vec<String> = list.entries().iter().map(|e| e.number.0.clone()).collect();
        all.sort();
        assert_eq!(sorted, all);
        assert!(order.windows(2).all(|w| w[0].tier <= w[1].tier));
        // The same inputs, the same order.
        assert_eq!(order, draw(&list, &draw_seed(&list, 9, "12 34")));
        let indices = draw_order(&list, &draw_seed(&list, 9, "12 34"));
        assert_eq!(
            order,
            indices
                .iter()
                .map(|&i| &list.entries()[i])
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn another_seed_or_public_value_gives_another_order() {
        let list = FrozenList::new(applicants(30, |i| u8::from(i >= 20))).unwrap();
        let orders = [
            draw(&list, &draw_seed(&list, 1, "")),
            draw(&list, &draw_seed(&list, 2, "")),
            draw(&list, &draw_seed(&list, 1, "7 3 9")),
            draw(&list, &draw_seed(&list, 1, "7 3 8")),
        ];
        for (i, a) in orders.iter().enumerate() {
            for b in &orders[i + 1..] {
                // Both tiers move: 20! and 10! orders each.
                assert_ne!(a[..20], b[..20]);
                assert_ne!(a[20..], b[20..]);
            }
        }
    }

    #[test]
    fn the_result_splits_at_the_capacity() {
        let list = FrozenList::new(applicants(8, |_| 0)).unwrap();
        let seed = seed_from(3);
        let value = PublicValue::default();
        let order = draw(&list, &DrawSeed::derive(&seed, list.hash(), &value));
        for capacity in [0, 1, 5, 8, 9, 100] {
            let r = DrawResult::run(&list, &seed, &value, capacity);
            assert_eq!(r.winners.len(), (capacity as usize).min(8));
            assert_eq!([r.winners, r.waitlist].concat(), order);
        }
    }

    /// Over many seeds, each applicant wins with the same chance whatever their place in the
    /// order of application. (The US Diversity Visa lottery of 2011 was voided when 90% of its
    /// winners turned out to have applied in its first two days.)
    #[test]
    fn every_place_in_the_order_of_application_is_equally_likely_to_win() {
        const ENTRIES: u32 = 20;
        const PLACES: usize = 5;
        const DRAWS: u64 = 20_000;
        let list = FrozenList::new(applicants(ENTRIES, |_| 0)).unwrap();
        // Numbered in order of application, so the canonical order the shuffle starts from is
        // that order too: any leaning towards the start of the list would show here.
        assert!(list.entries().windows(2).all(|w| w[0].number < w[1].number));
        let mut wins = [0u64; ENTRIES as usize];
        let mut first = [0u64; ENTRIES as usize];
        for i in 0..DRAWS {
            let order = draw_order(&list, &draw_seed(&list, i, ""));
            for &winner in &order[..PLACES] {
                wins[winner] += 1;
            }
            first[order[0]] += 1;
        }
        let expected = (DRAWS * PLACES as u64) as f64 / f64::from(ENTRIES);
        let chi = chi_square(&wins, expected);
        assert!(chi < CHI2_0_001_DF19, "chi-square {chi} over {wins:?}");
        let chi = chi_square(&first, DRAWS as f64 / f64::from(ENTRIES));
        assert!(chi < CHI2_0_001_DF19, "chi-square {chi} over {first:?}");
    }

    /// The fairness test can fail: the naive shuffle (swap each item with any item, j drawn
    /// from the whole range) is a classic biased permutation, and the same statistic refuses it.
    #[test]
    fn the_fairness_test_refuses_a_naive_shuffle() {
        const ENTRIES: usize = 20;
        let list = FrozenList::new(applicants(ENTRIES as u32, |_| 0)).unwrap();
        let mut wins = [0u64; ENTRIES];
        for i in 0..20_000 {
            let mut g = Generator::new(&draw_seed(&list, i, ""));
            let mut order: Vec<usize> = (0..ENTRIES).collect();
            for k in 0..ENTRIES {
                let j = g.uniform(ENTRIES as u64) as usize;
                order.swap(k, j);
            }
            for &winner in &order[..5] {
                wins[winner] += 1;
            }
        }
        let chi = chi_square(&wins, 20_000.0 * 5.0 / ENTRIES as f64);
        assert!(chi > CHI2_0_001_DF19, "chi-square {chi} over {wins:?}");
    }

    fn published() -> PublishedDraw {
        let list = FrozenList::new(applicants(12, |i| u8::from(i % 4 == 0))).unwrap();
        PublishedDraw::new(
            &list,
            &seed_from(5),
            &PublicValue::parse("7 3 9").unwrap(),
            4,
        )
    }

    #[test]
    fn a_published_draw_verifies_and_splits_at_its_capacity() {
        let p = published();
        assert_eq!(verify(&p), Ok(()));
        assert_eq!(p.winners().len(), 4);
        assert_eq!([p.winners(), p.waitlist()].concat(), p.order);
        assert_eq!(p.commitment, seed_from(5).commitment());
        // Upper-case hex on the page is the same bytes.
        let mut upper = p.clone();
        upper.seed = upper.seed.to_uppercase();
        upper.list_hash = upper.list_hash.to_uppercase();
        assert_eq!(verify(&upper), Ok(()));
        // The page's JSON, field by field.
        let json = serde_json::to_value(&p).unwrap();
        let keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "capacity",
                "commitment",
                "entries",
                "list_hash",
                "order",
                "public_value",
                "seed"
            ]
        );
        assert_eq!(serde_json::from_value::<PublishedDraw>(json).unwrap(), p);
    }

    #[test]
    fn verify_says_what_does_not_match() {
        let p = published();

        let mut q = p.clone();
        q.entries[3].tier ^= 1;
        assert!(matches!(verify(&q), Err(Mismatch::ListHash { .. })));

        let mut q = p.clone();
        q.entries.pop();
        assert!(matches!(verify(&q), Err(Mismatch::ListHash { .. })));

        let mut q = p.clone();
        q.list_hash = "00".repeat(32);
        let Err(Mismatch::ListHash {
            published,
            computed,
        }) = verify(&q)
        else {
            panic!()
        };
        assert_eq!(
            (published, computed),
            ("00".repeat(32), p.list_hash.clone())
        );

        let mut q = p.clone();
        q.entries[2].number = "k7q2-0002".into();
        assert_eq!(
            verify(&q),
            Err(Mismatch::BadEntry {
                index: 2,
                number: "k7q2-0002".into()
            })
        );

        let mut q = p.clone();
        q.entries[2].number = q.entries[1].number.clone();
        assert_eq!(
            verify(&q),
            Err(Mismatch::DuplicateEntry(q.entries[1].number.clone()))
        );

        let mut q = p.clone();
        q.seed = "zz".repeat(32);
        assert_eq!(verify(&q), Err(Mismatch::BadSeed));

        let mut q = p.clone();
        q.seed = seed_from(6).to_hex();
        assert_eq!(
            verify(&q),
            Err(Mismatch::Commitment {
                published: p.commitment.clone(),
                computed: seed_from(6).commitment()
            })
        );

        let mut q = p.clone();
        q.public_value = "7 3 9 ".into();
        assert_eq!(
            verify(&q),
            Err(Mismatch::BadPublicValue(PublicValueError::SurroundingSpace))
        );

        // Another public value gives another order, so the order no longer matches.
        let mut q = p.clone();
        q.public_value = "7 3 8".into();
        assert!(matches!(verify(&q), Err(Mismatch::Order { .. })));

        let mut q = p.clone();
        q.order.swap(5, 8);
        assert_eq!(
            verify(&q),
            Err(Mismatch::Order {
                position: 6,
                published: p.order[8].clone(),
                computed: p.order[5].clone()
            })
        );

        let mut q = p.clone();
        q.order.pop();
        assert_eq!(
            verify(&q),
            Err(Mismatch::Order {
                position: 12,
                published: String::new(),
                computed: p.order[11].clone()
            })
        );

        let mut q = p.clone();
        q.order.push("K7Q2-ZZZZ".into());
        assert_eq!(
            verify(&q),
            Err(Mismatch::Order {
                position: 13,
                published: "K7Q2-ZZZZ".into(),
                computed: String::new()
            })
        );
        assert_eq!(
            Mismatch::Order {
                position: 6,
                published: "A".into(),
                computed: "B".into()
            }
            .to_string(),
            r#"at position 6 the page shows "A", the draw gives "B""#
        );
    }

    #[test]
    fn the_list_is_checked_on_its_own_before_the_draw() {
        let p = published();
        let list = verify_list(&p.entries, &p.list_hash).unwrap();
        assert_eq!(list.hash().to_hex(), p.list_hash);
        assert!(verify_list(&p.entries[1..], &p.list_hash).is_err());
    }

    /// Property tests: native only (proptest's randomness does not build for wasm32).
    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::*;
        use proptest::prelude::*;

        /// Up to 60 entries with distinct numbers in up to 4 tiers, in any order.
        fn entries() -> impl Strategy<Value = Vec<Entry>> {
            proptest::collection::btree_map(0..MAX_APPLICANTS, 0u8..4, 0..60).prop_map(|m| {
                m.into_iter()
                    .map(|(code, tier)| Entry {
                        number: ApplicationNumber::from_codes(0x9_9EE2, code),
                        tier,
                    })
                    .collect()
            })
        }

        fn public_value() -> impl Strategy<Value = PublicValue> {
            "[0-9A-Za-z 抽签现场🎲]{0,30}"
                .prop_filter_map("a public value", |v| PublicValue::parse(&v).ok())
        }

        proptest! {
            #[test]
            fn a_draw_is_a_deterministic_permutation_in_tier_order_within_capacity(
                entries in entries(),
                seed in any::<[u8; 32]>(),
                value in public_value(),
                capacity in 0u32..80,
            ) {
                let list = FrozenList::new(entries.clone()).unwrap();
                let seed = Seed::from_bytes(seed);
                let draw_seed = DrawSeed::derive(&seed, list.hash(), &value);
                let order = draw(&list, &draw_seed);
                prop_assert_eq!(&order, &draw(&list, &draw_seed));
                // Every entry exactly once.
                let mut drawn: Vec<Entry> = order.iter().map(|&e| e.clone()).collect();
                drawn.sort_by(|a, b| a.number.cmp(&b.number));
                let mut all = entries;
                all.sort_by(|a, b| a.number.cmp(&b.number));
                prop_assert_eq!(drawn, all);
                // All of a tier before any of the next.
                prop_assert!(order.windows(2).all(|w| w[0].tier <= w[1].tier));
                let result = DrawResult::run(&list, &seed, &value, capacity);
                prop_assert!(result.winners.len() <= capacity as usize);
                prop_assert_eq!(result.winners.len() + result.waitlist.len(), list.len());
                let published = PublishedDraw::new(&list, &seed, &value, capacity);
                prop_assert!(published.winners().len() <= capacity as usize);
                prop_assert_eq!(verify(&published), Ok(()));
            }

            #[test]
            fn the_list_hash_depends_on_the_entries_not_their_order(
                (entries, shuffled) in entries().prop_flat_map(|e| (Just(e.clone()), Just(e).prop_shuffle())),
                pick in any::<prop::sample::Index>(),
                tier in 4u8..,
            ) {
                let list = FrozenList::new(entries.clone()).unwrap();
                prop_assert_eq!(&list, &FrozenList::new(shuffled).unwrap());
                if !entries.is_empty() {
                    let mut changed = entries;
                    let i = pick.index(changed.len());
                    changed[i].tier = tier;
                    prop_assert_ne!(list.hash(), &FrozenList::new(changed).unwrap().hash);
                }
            }

            #[test]
            fn another_seed_or_public_value_gives_another_order(
                n in 20u32..60,
                seeds in any::<([u8; 32], [u8; 32])>(),
                (a, b) in (public_value(), public_value()),
            ) {
                // 20! orders and more: the same order twice would be a collision of SHA-256's
                // outputs in practice.
                let list = FrozenList::new(applicants(n, |_| 0)).unwrap();
                let (s0, s1) = (Seed::from_bytes(seeds.0), Seed::from_bytes(seeds.1));
                let order = |s: &Seed, v: &PublicValue| draw(&list, &DrawSeed::derive(s, list.hash(), v));
                if s0 != s1 {
                    prop_assert_ne!(order(&s0, &a), order(&s1, &a));
                }
                if a != b {
                    prop_assert_ne!(order(&s0, &a), order(&s0, &b));
                }
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // The worked example of docs/draw.md

    const DOC: &str = include_str!("../../docs/draw.md");

    /// The worked example, step by step, as docs/draw.md shows it. The page must contain this
    /// text exactly; so every number on it comes from this module.
    fn worked_example() -> String {
        let applied = [
            ("K7Q2-0031", 1),
            ("K7Q2-8XF3", 0),
            ("K7Q2-2M9D", 0),
            ("K7Q2-HB6W", 1),
            ("K7Q2-5T0R", 0),
            ("K7Q2-ZC4N", 1),
            ("K7Q2-A1PJ", 0),
            ("K7Q2-7GKE", 1),
        ];
        let list = FrozenList::new(applied.iter().map(|&(n, t)| entry(n, t))).unwrap();
        let seed = Seed::from_bytes(std::array::from_fn(|i| i as u8));
        let value = PublicValue::parse("抽签现场 7 3 9").unwrap();
        let capacity = 3;
        let draw_seed = DrawSeed::derive(&seed, list.hash(), &value);

        let mut out = String::new();
        let mut line = |s: String| {
            out.push_str(&s);
            out.push('\n');
        };
        line("entries, in the order they applied (tier, number):".into());
        for (n, t) in applied {
            line(format!("  {t} {n}"));
        }
        let canonical = list.canonical();
        line(format!("canonical text ({} bytes):", canonical.len()));
        for l in canonical.lines() {
            line(format!("  {l}"));
        }
        line(format!("list hash    {}", list.hash()));
        line(format!("seed         {}", seed.to_hex()));
        line(format!("commitment   {}", seed.commitment()));
        let bytes = value.as_str().as_bytes();
        line(format!(
            "public value {:?} = {} bytes {}",
            value.as_str(),
            bytes.len(),
            to_hex(bytes)
        ));
        let input = draw_seed_input(&seed, list.hash(), &value);
        line(format!("draw seed input ({} bytes):", input.len()));
        line(format!("  tag          {}", to_hex(&input[..16])));
        line(format!("  seed         {}", to_hex(&input[16..48])));
        line(format!("  list hash    {}", to_hex(&input[48..80])));
        line(format!("  length       {}", to_hex(&input[80..84])));
        line(format!("  public value {}", to_hex(&input[84..])));
        line(format!("draw seed    {}", draw_seed.to_hex()));
        line(format!(
            "block 0      {}",
            to_hex(&Generator::block(&draw_seed, 0))
        ));
        line(format!(
            "block 1      {}",
            to_hex(&Generator::block(&draw_seed, 1))
        ));
        // Rejection is too rare to happen in a shuffle this small (each uniform(n) here rejects
        // a word with a chance below 2^-61), so it is shown on the same stream with an n that
        // rejects a quarter of all words.
        let big = 3u64 << 62;
        line(format!(
            "rejection on this stream: uniform({big}), n = 3*2^62, limit 2^64 - (2^64 mod n) = {} = {:x}:",
            acceptance_limit(big),
            acceptance_limit(big)
        ));
        let (mut g, mut words) = (Generator::new(&draw_seed), Generator::new(&draw_seed));
        for _ in 0..2 {
            let (v, taken) = uniform_traced(&mut g, &mut words, big);
            line(format!("  {} -> {v}", taken.join(", ")));
        }
        let (mut g, mut words) = (Generator::new(&draw_seed), Generator::new(&draw_seed));
        let mut order: Vec<usize> = (0..list.len()).collect();
        let mut start = 0;
        for (t, entries) in list.tiers() {
            line(format!("tier {t}, starting from its canonical order:"));
            let slice = &mut order[start..start + entries.len()];
            let show = |slice: &[usize]| {
                slice
                    .iter()
                    .map(|&i| list.entries()[i].number.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            line(format!("  {}", show(slice)));
            for i in (1..slice.len()).rev() {
                let n = i as u64 + 1;
                let (j, taken) = uniform_traced(&mut g, &mut words, n);
                let j = j as usize;
                slice.swap(i, j);
                line(format!(
                    "  i={i}: {}, mod {n} = {j}: swap {i} and {j} -> {}",
                    taken.join(", "),
                    show(slice)
                ));
            }
            start += entries.len();
        }
        let result = DrawResult::new(
            order.iter().map(|&i| &list.entries()[i]).collect(),
            capacity,
        );
        line(format!("order, capacity {capacity}:"));
        for (k, e) in result.winners.iter().enumerate() {
            line(format!("  {} {} (tier {}) wins", k + 1, e.number, e.tier));
        }
        for (k, e) in result.waitlist.iter().enumerate() {
            line(format!(
                "  {} {} (tier {}) waitlist {}",
                capacity as usize + k + 1,
                e.number,
                e.tier,
                k + 1
            ));
        }
        assert_eq!(
            [result.winners, result.waitlist].concat(),
            draw(&list, &draw_seed),
            "the trace shuffles as draw() does"
        );
        out
    }

    /// `g.uniform(n)`, with the words it took (read again from `words`, a second generator on
    /// the same stream kept level with `g`) and whether each was rejected.
    fn uniform_traced(g: &mut Generator, words: &mut Generator, n: u64) -> (u64, Vec<String>) {
        let before = g.words_used();
        let v = g.uniform(n);
        let taken = (before..g.words_used())
            .map(|k| {
                let w = words.next_word();
                let verdict = if u128::from(w) < acceptance_limit(n) {
                    ""
                } else {
                    " rejected"
                };
                format!("word {k} = {w:016x}{verdict}")
            })
            .collect();
        (v, taken)
    }

    #[test]
    fn the_worked_example_in_the_document_is_what_the_code_computes() {
        let trace = worked_example();
        assert!(
            DOC.contains(&trace),
            "docs/draw.md's worked example differs from the code's; the code gives:\n{trace}"
        );
    }
}
