//! What a message says: the grammar of the SMS and WhatsApp service.
//!
//! Bahasa Indonesia first, English synonyms; the keyword is case- and
//! spacing-insensitive and may be followed by `:` or `.`:
//!
//! | Indonesian | English | |
//! |---|---|---|
//! | `LAPOR [RAHASIA] [ANONIM] <isi>`, or any free text | `REPORT [SECRET] [ANONYMOUS] <text>` | a new report |
//! | `CEK <ID>` | `CHECK`, `STATUS` | status, deadline, latest follow-up |
//! | `BALAS <ID> <isi>` | `REPLY` | the reporter's reply |
//! | `NILAI <ID> <1-5> [komentar]` | `RATE` | the reporter's rating |
//! | `DUKUNG <ID>` | `SUPPORT` | support |
//! | `IKUTI <ID>` | `FOLLOW` | follow |
//! | `BERHENTI`, `STOP` | `UNSUBSCRIBE` | stop every message to this number |
//! | `BANTUAN`, `INFO` | `HELP` | usage |
//!
//! The answer comes in the keyword's language (free text: Indonesian). Free
//! text too short to be a report (fewer characters than a report's body
//! needs), and greetings or tests of any length ("halo", "tes", "p",
//! "selamat pagi min"), are answered with the usage text instead of becoming
//! reports: a public desk drowns in them otherwise.
//!
//! Reply and rating bodies are parsed by the API's own commands
//! ([`crate::command::Reply`], [`crate::command::Rate`]), so every rule of the
//! API holds here too.

use serde_json::{json, Map, Value};

use crate::command::{Rate, Reply};
use crate::invalid::Invalid;
use crate::lang::Lang;
use crate::text::Body;
use crate::tracking_id::{TrackingId, TrackingIdError};

/// The commands, by their Indonesian name (`inbound_messages.command`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::EnumIter, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum Keyword {
    Lapor,
    Cek,
    Balas,
    Nilai,
    Dukung,
    Ikuti,
    Berhenti,
    Bantuan,
}

impl Keyword {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn all() -> impl Iterator<Item = Self> {
        <Self as strum::IntoEnumIterator>::iter()
    }

    /// The keyword as the citizen types it, in `lang`.
    pub fn word(self, lang: Lang) -> &'static str {
        let (id, en) = match self {
            Keyword::Lapor => ("LAPOR", "REPORT"),
            Keyword::Cek => ("CEK", "CHECK"),
            Keyword::Balas => ("BALAS", "REPLY"),
            Keyword::Nilai => ("NILAI", "RATE"),
            Keyword::Dukung => ("DUKUNG", "SUPPORT"),
            Keyword::Ikuti => ("IKUTI", "FOLLOW"),
            Keyword::Berhenti => ("BERHENTI", "STOP"),
            Keyword::Bantuan => ("BANTUAN", "HELP"),
        };
        lang.pick(id, en)
    }
}

/// Every command as the how-it-works page lists it: (how it is written,
/// what it does), in `lang`.
pub fn guide(lang: Lang) -> Vec<(String, &'static str)> {
    let w = |k: Keyword| k.word(lang);
    let rows = [
        (format!("{} <isi laporan>", w(Keyword::Lapor)), "Laporan baru; balasannya nomor pelacakan. Pesan biasa tanpa kata kunci juga menjadi laporan.", format!("{} <your report>", w(Keyword::Lapor)), "A new report; the answer is its tracking ID. A plain message without a keyword is a report too."),
        (format!("{} RAHASIA <isi>", w(Keyword::Lapor)), "Laporan rahasia: tidak tampil untuk publik.", format!("{} SECRET <text>", w(Keyword::Lapor)), "A confidential report: hidden from the public."),
        (format!("{} ANONIM <isi>", w(Keyword::Lapor)), "Laporan anonim: instansi tidak tahu pelapornya. Bisa digabung: LAPOR RAHASIA ANONIM.", format!("{} ANONYMOUS <text>", w(Keyword::Lapor)), "An anonymous report: the agency does not learn who sent it. Both can be combined: REPORT SECRET ANONYMOUS."),
        (format!("{} <ID>", w(Keyword::Cek)), "Status, tenggat, dan tindak lanjut terakhir.", format!("{} <ID>", w(Keyword::Cek)), "Status, deadline and the latest follow-up."),
        (format!("{} <ID> <isi>", w(Keyword::Balas)), "Balasan pelapor, dari nomor yang mengirim laporan.", format!("{} <ID> <text>", w(Keyword::Balas)), "The reporter's reply, from the number that sent the report."),
        (format!("{} <ID> <1-5> [komentar]", w(Keyword::Nilai)), "Penilaian pelapor atas tindak lanjut.", format!("{} <ID> <1-5> [comment]", w(Keyword::Nilai)), "The reporter's rating of the follow-up."),
        (format!("{} <ID>", w(Keyword::Dukung)), "Dukung laporan (satu dukungan per nomor).", format!("{} <ID>", w(Keyword::Dukung)), "Support a report (one per number)."),
        (format!("{} <ID>", w(Keyword::Ikuti)), "Terima kabar laporan di nomor ini.", format!("{} <ID>", w(Keyword::Ikuti)), "Get a report's news at this number."),
        (w(Keyword::Berhenti).to_string(), "Berhenti menerima semua pesan.", w(Keyword::Berhenti).to_string(), "Stop every message."),
        (w(Keyword::Bantuan).to_string(), "Cara pakai.", w(Keyword::Bantuan).to_string(), "How to use it."),
    ];
    rows.into_iter().map(|(id, what_id, en, what_en)| match lang {
        Lang::Id => (id, what_id),
        Lang::En => (en, what_en),
    }).collect()
}

/// Every word that starts a command, with the language it answers in.
const KEYWORDS: &[(&str, Keyword, Lang)] = &[
    ("LAPOR", Keyword::Lapor, Lang::Id),
    ("REPORT", Keyword::Lapor, Lang::En),
    ("CEK", Keyword::Cek, Lang::Id),
    ("CHECK", Keyword::Cek, Lang::En),
    ("STATUS", Keyword::Cek, Lang::En),
    ("BALAS", Keyword::Balas, Lang::Id),
    ("REPLY", Keyword::Balas, Lang::En),
    ("NILAI", Keyword::Nilai, Lang::Id),
    ("RATE", Keyword::Nilai, Lang::En),
    ("DUKUNG", Keyword::Dukung, Lang::Id),
    ("SUPPORT", Keyword::Dukung, Lang::En),
    ("IKUTI", Keyword::Ikuti, Lang::Id),
    ("FOLLOW", Keyword::Ikuti, Lang::En),
    ("BERHENTI", Keyword::Berhenti, Lang::Id),
    // "Ketik STOP" is how Indonesian services say it too.
    ("STOP", Keyword::Berhenti, Lang::Id),
    ("UNSUBSCRIBE", Keyword::Berhenti, Lang::En),
    ("BANTUAN", Keyword::Bantuan, Lang::Id),
    ("INFO", Keyword::Bantuan, Lang::Id),
    ("HELP", Keyword::Bantuan, Lang::En),
];

/// Words after LAPOR that set privacy (any order, each at most once).
const CONFIDENTIAL_WORDS: &[&str] = &["RAHASIA", "SECRET", "CONFIDENTIAL"];
const ANONYMOUS_WORDS: &[&str] = &["ANONIM", "ANONYMOUS", "ANON"];

/// Words that make a message chatter when it has no others: greetings,
/// tests, thanks, forms of address. (Lower case; digits also count.)
const CHATTER: &[&str] = &[
    "halo", "hallo", "helo", "hello", "hai", "hi", "hey", "hei", "tes", "test", "testing", "coba", "p", "ping", "assalamualaikum",
    "assalamu", "alaikum", "salam", "selamat", "pagi", "siang", "sore", "malam", "min", "admin", "mimin", "mas", "mbak", "pak", "bu",
    "ibu", "bapak", "kak", "gan", "bro", "sis", "ok", "oke", "okay", "okey", "sip", "terima", "kasih", "makasih", "trims", "thanks",
    "thank", "you", "ya", "iya", "y", "good", "morning", "night", "wapres", "lapor", "apa", "kabar",
];

/// A new report from a message: its text and the privacy words it carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileReport {
    pub body: Body,
    pub confidential: bool,
    pub anonymous: bool,
}

/// Titles made from a message's first words.
const TITLE_CHARS: usize = 60;

impl FileReport {
    /// The report in the API's JSON shape (so intake applies every rule it
    /// applies to the API): a complaint, titled by its first words, the
    /// sender's number as the reporter's contact.
    pub fn to_json(&self, phone: &str) -> Value {
        let mut report = json!({
            "kind": "pengaduan",
            "title": title_of(self.body.as_str()),
            "body": self.body.as_str(),
            "reporter": { "phone": phone },
        });
        if self.confidential {
            report["visibility"] = json!("confidential");
        }
        if self.anonymous {
            report["reporter_identity"] = json!("anonymous");
        }
        report
    }
}

/// A title from the first line of `body`: cut at a word near
/// [`TITLE_CHARS`], with "..." when cut.
pub fn title_of(body: &str) -> String {
    let words = |line: &str| line.split_whitespace().collect::<Vec<_>>().join(" ");
    // The first line that can be a title ("Halo\n..." starts with a greeting);
    // else the body's first words.
    let line = body.lines().map(words).find(|l| crate::text::Title::parse("title", l).is_ok()).unwrap_or_else(|| words(body));
    if line.chars().count() <= TITLE_CHARS {
        return line;
    }
    let cut: String = line.chars().take(TITLE_CHARS).collect();
    let at_word = match cut.rfind(' ') {
        Some(space) if space >= 20 => &cut[..space],
        _ => cut.as_str(),
    };
    format!("{}...", at_word.trim_end_matches([',', '.', ';', ':', '-']))
}

/// A command, ready to apply.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    File(FileReport),
    Check(TrackingId),
    Reply(TrackingId, Reply),
    Rate(TrackingId, Rate),
    Support(TrackingId),
    Follow(TrackingId),
    Stop,
    Help,
}

/// A message that is not a command we can apply, and so is answered with help.
#[derive(Debug, Clone, PartialEq)]
pub enum Unclear {
    /// Too short for a report, or only greetings and tests: the usage text.
    NotAReport,
    /// A keyword without what it needs: that keyword's usage.
    Usage(Keyword),
    /// What stands where a tracking ID should is not one.
    BadTrackingId { keyword: Keyword, typed: String, error: TrackingIdError },
    /// The API's rules refused the rest (a reply too short, a score of 9).
    Invalid { keyword: Keyword, errors: Vec<Invalid> },
}

/// A message read: the language to answer in, the keyword it was taken as,
/// and the command or why there is none.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub lang: Lang,
    pub keyword: Keyword,
    pub outcome: Result<Command, Unclear>,
}

/// Reads a message's text.
pub fn parse(text: &str) -> Parsed {
    let text = text.trim();
    let Some((keyword, lang, rest)) = keyword_of(text) else {
        // "RAHASIA: pungli di ..." means a confidential report, LAPOR or not.
        if let Some(lang) = privacy_word_lang(text) {
            return Parsed { lang, keyword: Keyword::Lapor, outcome: file(text) };
        }
        return Parsed { lang: Lang::Id, keyword: Keyword::Lapor, outcome: free_text(text) };
    };
    let outcome = match keyword {
        Keyword::Lapor => file(rest),
        Keyword::Bantuan => Ok(Command::Help),
        Keyword::Berhenti => Ok(Command::Stop),
        Keyword::Cek => id_alone(keyword, rest).map(Command::Check),
        Keyword::Dukung => id_alone(keyword, rest).map(Command::Support),
        Keyword::Ikuti => id_alone(keyword, rest).map(Command::Follow),
        Keyword::Balas => with_id(keyword, rest).and_then(|(id, rest)| reply(id, rest)),
        Keyword::Nilai => with_id(keyword, rest).and_then(|(id, rest)| rate(id, rest)),
    };
    // A keyword is also an ordinary word: "Stop pembakaran sampah di RT 05",
    // "Info pohon tumbang ...", "Nilai rapor anak saya ...". A command word
    // followed by a report's worth of prose (and, for a command that takes an
    // ID, by no ID-like word) is that report.
    let prose = match (&outcome, keyword) {
        (_, Keyword::Lapor) => false,
        (Ok(Command::Stop | Command::Help), _) => !rest.trim_matches(|c: char| !c.is_alphanumeric()).is_empty(),
        // Prose: no digit, no dash, and not one word of ten symbols (an
        // all-letter ID mistyped is still answered as an ID).
        (Err(Unclear::BadTrackingId { typed, .. }), _) => {
            !typed.chars().any(|c| c.is_ascii_digit() || c == '-') && (typed.contains(char::is_whitespace) || typed.chars().count() != 10)
        }
        _ => false,
    };
    if prose {
        if let Ok(report) = free_text(text) {
            return Parsed { lang: Lang::Id, keyword: Keyword::Lapor, outcome: Ok(report) };
        }
    }
    Parsed { lang, keyword, outcome }
}

/// The language of a privacy word starting `text`, if one does.
fn privacy_word_lang(text: &str) -> Option<Lang> {
    let end = text.find(|c: char| !c.is_alphabetic()).unwrap_or(text.len());
    let word = text[..end].to_uppercase();
    match word.as_str() {
        "RAHASIA" | "ANONIM" => Some(Lang::Id),
        w if CONFIDENTIAL_WORDS.contains(&w) || ANONYMOUS_WORDS.contains(&w) => Some(Lang::En),
        _ => None,
    }
}

/// The leading keyword (letters, then anything but a letter), if it is one.
fn keyword_of(text: &str) -> Option<(Keyword, Lang, &str)> {
    let end = text.find(|c: char| !c.is_alphabetic()).unwrap_or(text.len());
    let word = text[..end].to_uppercase();
    let (_, keyword, lang) = KEYWORDS.iter().find(|(w, _, _)| *w == word)?;
    let rest = text[end..].trim_start_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '.' | ',' | '#' | '-'));
    Some((*keyword, *lang, rest))
}

fn is_chatter(text: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .all(|w| w.chars().all(|c| c.is_ascii_digit()) || CHATTER.contains(&w.to_lowercase().as_str()))
}

fn free_text(text: &str) -> Result<Command, Unclear> {
    if is_chatter(text) {
        return Err(Unclear::NotAReport);
    }
    match Body::parse("body", text) {
        Ok(body) => Ok(Command::File(FileReport { body, confidential: false, anonymous: false })),
        Err(_) if text.chars().count() < 2 * Body::MIN_CHARS => Err(Unclear::NotAReport),
        Err(e) => Err(Unclear::Invalid { keyword: Keyword::Lapor, errors: vec![e] }),
    }
}

fn file(rest: &str) -> Result<Command, Unclear> {
    let (mut confidential, mut anonymous) = (false, false);
    let mut rest = rest;
    loop {
        let end = rest.find(|c: char| !c.is_alphabetic()).unwrap_or(rest.len());
        let word = rest[..end].to_uppercase();
        if !confidential && CONFIDENTIAL_WORDS.contains(&word.as_str()) {
            confidential = true;
        } else if !anonymous && ANONYMOUS_WORDS.contains(&word.as_str()) {
            anonymous = true;
        } else {
            break;
        }
        rest = rest[end..].trim_start_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '.' | ',' | '-'));
    }
    if is_chatter(rest) {
        return Err(Unclear::Usage(Keyword::Lapor));
    }
    match Body::parse("body", rest) {
        Ok(body) => Ok(Command::File(FileReport { body, confidential, anonymous })),
        Err(_) if rest.chars().count() < Body::MIN_CHARS => Err(Unclear::Usage(Keyword::Lapor)),
        Err(e) => Err(Unclear::Invalid { keyword: Keyword::Lapor, errors: vec![e] }),
    }
}

/// The tracking ID at the start of `rest` and what follows it. An ID may be
/// typed as one word (`7K3QD-M2X91`, `7k3qdm2x91`) or as its two halves
/// (`7K3QD M2X91`); as typed, for the answer, when it is not one.
fn split_id(rest: &str) -> Option<(Result<TrackingId, TrackingIdError>, String, &str)> {
    let words: Vec<(usize, &str)> = rest.split_whitespace().map(|w| (w.as_ptr() as usize - rest.as_ptr() as usize, w)).collect();
    let symbols = |w: &str| w.chars().filter(|c| *c != '-').count();
    let (first_at, first) = *words.first()?;
    let end_of = |at: usize, w: &str| at + w.len();
    let end = match words.get(1) {
        Some(&(at, second)) if symbols(first) < 10 && symbols(first) + symbols(second) == 10 => end_of(at, second),
        _ => end_of(first_at, first),
    };
    // "CEK 7K3QD-M2X91." : a sentence's full stop is not part of the ID.
    let typed = rest[first_at..end].trim_end_matches(['.', ',', '!', '?', ';', ':']);
    Some((TrackingId::parse(typed), typed.to_string(), rest[end..].trim()))
}

fn with_id(keyword: Keyword, rest: &str) -> Result<(TrackingId, &str), Unclear> {
    let (id, typed, rest) = split_id(rest).ok_or(Unclear::Usage(keyword))?;
    match id {
        Ok(id) => Ok((id, rest)),
        Err(error) => Err(Unclear::BadTrackingId { keyword, typed, error }),
    }
}

/// A command that takes only an ID (anything after it is ignored: people sign their messages).
fn id_alone(keyword: Keyword, rest: &str) -> Result<TrackingId, Unclear> {
    with_id(keyword, rest).map(|(id, _)| id)
}

fn reply(id: TrackingId, rest: &str) -> Result<Command, Unclear> {
    if rest.is_empty() {
        return Err(Unclear::Usage(Keyword::Balas));
    }
    let body = Map::from_iter([("body".to_string(), json!(rest))]);
    Reply::parse(&body).map(|reply| Command::Reply(id, reply)).map_err(|errors| Unclear::Invalid { keyword: Keyword::Balas, errors })
}

fn rate(id: TrackingId, rest: &str) -> Result<Command, Unclear> {
    let (score, comment) = match rest.split_once(char::is_whitespace) {
        Some((score, comment)) => (score, comment.trim()),
        None => (rest, ""),
    };
    if score.is_empty() {
        return Err(Unclear::Usage(Keyword::Nilai));
    }
    // "4/5" and "4." are how people write a score.
    let score = score.trim_end_matches(['.', ',']).strip_suffix("/5").unwrap_or(score.trim_end_matches(['.', ',']));
    let mut body = Map::new();
    body.insert("score".into(), score.parse::<u64>().map(Value::from).unwrap_or_else(|_| json!(score)));
    if !comment.is_empty() {
        body.insert("comment".into(), json!(comment));
    }
    Rate::parse(&body).map(|rate| Command::Rate(id, rate)).map_err(|errors| Unclear::Invalid { keyword: Keyword::Nilai, errors })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "7K3QD-M2X91";

    fn command(text: &str) -> Command {
        match parse(text).outcome {
            Ok(command) => command,
            Err(e) => panic!("{text:?} did not parse: {e:?}"),
        }
    }

    fn unclear(text: &str) -> Unclear {
        match parse(text).outcome {
            Err(e) => e,
            Ok(command) => panic!("{text:?} parsed as {command:?}"),
        }
    }

    #[test]
    fn the_test_id_is_valid() {
        // The ID the tests type (the documentation's example) really is one.
        assert_eq!(TrackingId::parse(ID).map(|id| id.to_string()), Ok(ID.to_string()));
    }

    #[test]
    fn free_text_and_lapor_file_a_report() {
        let long = "Jalan di depan SDN 3 Cibinong berlubang besar sejak sebulan.";
        let Command::File(report) = command(long) else { panic!() };
        assert_eq!((report.body.as_str(), report.confidential, report.anonymous), (long, false, false));
        assert_eq!(parse(long).keyword, Keyword::Lapor);
        for text in [format!("LAPOR {long}"), format!("lapor: {long}"), format!("  Lapor   {long}"), format!("REPORT {long}")] {
            let Command::File(report) = command(&text) else { panic!() };
            assert_eq!(report.body.as_str(), long, "{text}");
        }
        assert_eq!(parse(&format!("REPORT {long}")).lang, Lang::En);
        assert_eq!(parse(&format!("LAPOR {long}")).lang, Lang::Id);
    }

    #[test]
    fn privacy_words_set_privacy_in_any_order_and_together() {
        let long = "Pungutan liar di kantor kelurahan untuk surat pindah.";
        let flags = |text: &str| match command(text) {
            Command::File(r) => (r.confidential, r.anonymous, r.body.as_str().to_string()),
            other => panic!("{other:?}"),
        };
        assert_eq!(flags(&format!("LAPOR RAHASIA {long}")), (true, false, long.to_string()));
        assert_eq!(flags(&format!("lapor anonim {long}")), (false, true, long.to_string()));
        assert_eq!(flags(&format!("LAPOR RAHASIA ANONIM {long}")), (true, true, long.to_string()));
        assert_eq!(flags(&format!("LAPOR anonim, rahasia: {long}")), (true, true, long.to_string()));
        assert_eq!(flags(&format!("REPORT SECRET ANONYMOUS {long}")), (true, true, long.to_string()));
        // Only at the start: a word in the text is just a word.
        assert_eq!(flags(&format!("LAPOR {long} rahasia")).0, false);
        let json = FileReport { body: Body::parse("body", long).unwrap(), confidential: true, anonymous: true }.to_json("+6281234567890");
        assert_eq!(json["visibility"], "confidential");
        assert_eq!(json["reporter_identity"], "anonymous");
        assert_eq!(json["reporter"]["phone"], "+6281234567890");
    }

    #[test]
    fn greetings_tests_and_short_texts_are_not_reports() {
        for text in ["halo", "Halo min", "tes", "TES TES 123", "p", "P", "Assalamualaikum", "selamat pagi min", "ok makasih", "🙏", "", "jalan rusak", "Halo halo halo halo halo halo halo"] {
            assert_eq!(unclear(text), Unclear::NotAReport, "{text:?}");
        }
        // A real report that happens to start with a greeting is one.
        assert!(matches!(command("Halo min, lampu jalan di Jl. Merdeka mati sejak seminggu."), Command::File(_)));
        assert_eq!(unclear("LAPOR"), Unclear::Usage(Keyword::Lapor));
        assert_eq!(unclear("LAPOR tes"), Unclear::Usage(Keyword::Lapor));
        assert_eq!(unclear("LAPOR RAHASIA halo"), Unclear::Usage(Keyword::Lapor));
    }

    #[test]
    fn commands_take_an_id_however_it_is_typed() {
        for text in ["CEK 7K3QD-M2X91", "cek 7k3qd-m2x91", "Cek 7K3QD M2X91", "CEK:7K3QDM2X91", "cek   7k3qd-m2x91 terima kasih", "CHECK 7K3QD-M2X91", "STATUS 7K3QD-M2X91", "CEK 7K3QD-M2X91."] {
            let Command::Check(found) = command(text) else { panic!("{text}") };
            assert_eq!(found.to_string(), ID, "{text}");
        }
        assert!(matches!(command("DUKUNG 7K3QD-M2X91"), Command::Support(_)));
        assert!(matches!(command("support 7k3qd m2x91"), Command::Support(_)));
        assert!(matches!(command("IKUTI 7K3QD-M2X91"), Command::Follow(_)));
        assert!(matches!(command("follow 7K3QD-M2X91"), Command::Follow(_)));
        // O for 0 and I or L for 1, as the domain reads IDs.
        assert!(matches!(command("CEK 7K3QD-M2X91".replace('0', "O").as_str()), Command::Check(_)));
    }

    #[test]
    fn a_typo_in_an_id_is_told_apart_from_a_malformed_one() {
        assert_eq!(
            unclear("CEK 7K3QD-M2X9D"),
            Unclear::BadTrackingId { keyword: Keyword::Cek, typed: "7K3QD-M2X9D".into(), error: TrackingIdError::ProbableTypo }
        );
        assert_eq!(
            unclear("cek 12345"),
            Unclear::BadTrackingId { keyword: Keyword::Cek, typed: "12345".into(), error: TrackingIdError::Malformed }
        );
        assert_eq!(unclear("CEK"), Unclear::Usage(Keyword::Cek));
        assert_eq!(unclear("DUKUNG   "), Unclear::Usage(Keyword::Dukung));
    }

    #[test]
    fn reply_and_rate_use_the_apis_rules() {
        let Command::Reply(found, reply) = command("BALAS 7K3QD-M2X91 Lubangnya ada di depan gerbang sekolah.") else { panic!() };
        assert_eq!((found.to_string().as_str(), reply.body.as_str()), (ID, "Lubangnya ada di depan gerbang sekolah."));
        assert_eq!(unclear("BALAS 7K3QD-M2X91"), Unclear::Usage(Keyword::Balas));
        // A reply is a Note: five characters at least, as on the API.
        assert!(matches!(unclear("BALAS 7K3QD-M2X91 ok"), Unclear::Invalid { keyword: Keyword::Balas, .. }));

        let Command::Rate(_, rate) = command("NILAI 7K3QD-M2X91 5 Cepat dan jelas, terima kasih") else { panic!() };
        assert_eq!((rate.score, rate.comment.as_ref().map(|c| c.as_str())), (5, Some("Cepat dan jelas, terima kasih")));
        for text in ["NILAI 7K3QD-M2X91 4", "rate 7k3qd-m2x91 4/5", "Nilai 7K3QD M2X91 4."] {
            let Command::Rate(_, rate) = command(text) else { panic!("{text}") };
            assert_eq!((rate.score, rate.comment), (4, None), "{text}");
        }
        for text in ["NILAI 7K3QD-M2X91 9", "NILAI 7K3QD-M2X91 0", "NILAI 7K3QD-M2X91 bagus", "NILAI 7K3QD-M2X91 3 ok"] {
            let Unclear::Invalid { keyword, errors } = unclear(text) else { panic!("{text}") };
            assert_eq!(keyword, Keyword::Nilai);
            assert!(!errors.is_empty());
        }
        assert_eq!(unclear("NILAI 7K3QD-M2X91"), Unclear::Usage(Keyword::Nilai));
    }

    #[test]
    fn stop_and_help_in_both_languages() {
        for (text, lang) in [("BERHENTI", Lang::Id), ("stop", Lang::Id), ("Unsubscribe", Lang::En)] {
            let parsed = parse(text);
            assert_eq!((parsed.outcome, parsed.lang, parsed.keyword), (Ok(Command::Stop), lang, Keyword::Berhenti), "{text}");
        }
        for (text, lang) in [("BANTUAN", Lang::Id), ("info", Lang::Id), ("HELP", Lang::En), ("help!", Lang::En)] {
            let parsed = parse(text);
            assert_eq!((parsed.outcome, parsed.lang), (Ok(Command::Help), lang), "{text}");
        }
        // A word that only starts like a keyword is not one.
        assert_eq!(parse("Stopan bus di Jl. Sudirman rusak parah sejak lama.").keyword, Keyword::Lapor);
        assert_eq!(parse("STOP.").outcome, Ok(Command::Stop));
        assert_eq!(parse("Bantuan?").outcome, Ok(Command::Help));
    }

    #[test]
    fn a_keyword_starting_a_report_is_just_a_word() {
        for text in [
            "Stop pembakaran sampah di RT 05, asapnya masuk ke rumah warga.",
            "Info pohon tumbang di Jl. Sudirman menutup jalan sejak pagi.",
            "Nilai rapor anak saya dipotong karena belum bayar uang komite.",
            "Status tanah warga di Desa Sukamaju tidak jelas sejak 2019.",
            "Dukung perbaikan jembatan gantung di Desa Cibuntu yang hampir putus.",
        ] {
            assert!(matches!(command(text), Command::File(_)), "{text:?} is a report: {:?}", parse(text).outcome);
            assert_eq!(parse(text).keyword, Keyword::Lapor, "{text}");
        }
        // With an ID, or too short for a report, it is the command.
        assert!(matches!(command("DUKUNG 7K3QD-M2X91 jembatan gantung itu"), Command::Support(_)));
        assert!(matches!(unclear("cek statusnya"), Unclear::BadTrackingId { .. }));
        assert!(matches!(unclear("BALAS ABCDEFGHJK Lubangnya masih ada di depan sekolah."), Unclear::BadTrackingId { .. }));
        assert_eq!(parse("stop kirim").outcome, Ok(Command::Stop));
    }

    #[test]
    fn a_privacy_word_alone_starts_a_private_report() {
        let Command::File(report) = command("Rahasia: pungli di kantor camat untuk surat keterangan usaha.") else { panic!() };
        assert!(report.confidential && !report.anonymous);
        assert_eq!(report.body.as_str(), "pungli di kantor camat untuk surat keterangan usaha.");
        let Command::File(report) = command("ANONIM RAHASIA kepala sekolah meminta uang untuk kelulusan siswa.") else { panic!() };
        assert!(report.confidential && report.anonymous);
    }

    #[test]
    fn the_guide_lists_every_command_in_words_the_grammar_reads() {
        for lang in [Lang::Id, Lang::En] {
            let guide = guide(lang);
            assert_eq!(guide.len(), 10);
            for (written, _) in &guide {
                let first = written.split_whitespace().next().unwrap();
                assert!(KEYWORDS.iter().any(|(w, _, _)| *w == first), "{first} is not a keyword");
            }
        }
    }

    #[test]
    fn titles_come_from_the_first_words() {
        assert_eq!(title_of("Jalan rusak di depan sekolah dasar negeri"), "Jalan rusak di depan sekolah dasar negeri");
        let long = "Lampu penerangan jalan umum di sepanjang Jalan Merdeka mati sejak dua minggu dan warga takut keluar malam";
        let title = title_of(long);
        assert!(title.ends_with("...") && title.chars().count() <= TITLE_CHARS + 3, "{title}");
        assert_eq!(title, "Lampu penerangan jalan umum di sepanjang Jalan Merdeka mati...");
        assert_eq!(title_of("\n  Baris   pertama  \nbaris kedua"), "Baris pertama");
        assert_eq!(title_of("Halo\nLampu jalan di Jl. Merdeka mati"), "Lampu jalan di Jl. Merdeka mati");
        assert_eq!(title_of("P\nok\nAda pungli"), "Ada pungli");
        assert_eq!(title_of("🙏\nok\nya"), "🙏 ok ya");
        assert!(crate::text::Title::parse("title", &title_of(&"x".repeat(200))).is_ok());
    }
}
