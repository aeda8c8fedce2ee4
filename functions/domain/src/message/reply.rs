//! What a citizen is answered by SMS or WhatsApp, and the rule that keeps it
//! to one SMS segment: 160 GSM-7 characters, or 70 once a character needs
//! UCS-2 ([`crate::notification::sms_segments`] counts). A text that does not
//! fit is shortened at a word and ends with the link to the tracking page,
//! where the rest can be read.
//!
//! Our own texts are GSM-7 and short; what can make one long is what we
//! quote (an agency's follow-up), and typographic punctuation in it is
//! written plainly first (`“` as `"`), so a curly quote does not cost
//! half the message.

use crate::invalid::Invalid;
use crate::lang::Lang;
use crate::lifecycle::Status;
use crate::notification::sms_segments;
use crate::sla::ClockKind;
use crate::tracking_id::TrackingIdError;

use super::grammar::Keyword;

fn pick(lang: Lang, id: String, en: String) -> String {
    match lang {
        Lang::Id => id,
        Lang::En => en,
    }
}

/// `text`, with `link` after it, in one SMS segment when that can be done:
/// whole if it fits; otherwise `text` cut at a word with "..." and the link.
pub fn fit(text: &str, link: Option<&str>) -> String {
    let text = plain_punctuation(text.trim());
    let whole = match link {
        Some(link) => format!("{text} {link}"),
        None => text.clone(),
    };
    if sms_segments(&whole) <= 1 {
        return whole;
    }
    let ending = match link {
        Some(link) => format!("... {link}"),
        None => "...".to_string(),
    };
    // Only the first 160 characters can be kept; then whole words go until it fits.
    let mut kept: String = text.chars().take(160).collect();
    loop {
        let candidate = format!("{}{ending}", kept.trim_end_matches([' ', ',', '.', ';', ':', '-']));
        if sms_segments(&candidate) <= 1 || kept.is_empty() {
            return candidate;
        }
        match kept.trim_end().rfind(char::is_whitespace) {
            Some(space) => kept.truncate(space),
            None => {
                kept.pop();
            }
        }
    }
}

/// Typographic punctuation as plain GSM-7 characters, so quoting a text does
/// not force UCS-2 for a quote mark.
fn plain_punctuation(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '‘' | '’' | '‚' | '′' => '\'',
            '“' | '”' | '„' | '″' => '"',
            '–' | '—' | '−' => '-',
            '\u{a0}' | '\t' => ' ',
            other => other,
        })
        .collect::<String>()
        .replace('…', "...")
}

/// The usage text (BANTUAN, greetings, anything unreadable): every command,
/// and the guide's link when it still fits (never a cut usage text).
pub fn help(lang: Lang, base: &str) -> String {
    let text = pick(
        lang,
        "LAPOR! Kirim: LAPOR <isi laporan>; CEK <ID>; BALAS <ID> <isi>; NILAI <ID> <1-5>; DUKUNG <ID>; IKUTI <ID>; BERHENTI".into(),
        "LAPOR! Send: REPORT <your report>; CHECK <ID>; REPLY <ID> <text>; RATE <ID> <1-5>; SUPPORT <ID>; FOLLOW <ID>; STOP".into(),
    );
    let with_link = format!("{text}. Info: {base}/cara-kerja");
    if sms_segments(&with_link) <= 1 {
        with_link
    } else {
        text
    }
}

/// How one keyword is used.
pub fn usage(keyword: Keyword, lang: Lang) -> String {
    let word = keyword.word(lang);
    let text = match keyword {
        Keyword::Lapor => pick(
            lang,
            format!("Tulis {word} lalu isi laporan (minimal 20 huruf): apa, di mana, sejak kapan. Contoh: {word} Jalan di depan SDN 3 berlubang besar."),
            format!("Write {word} and then your report (20 letters or more): what, where, since when."),
        ),
        Keyword::Balas => pick(lang, format!("Format: {word} <ID laporan> <isi balasan>"), format!("Format: {word} <report ID> <your reply>")),
        Keyword::Nilai => pick(
            lang,
            format!("Format: {word} <ID laporan> <1-5> [komentar], mis. {word} 7K3QD-M2X9C 5"),
            format!("Format: {word} <report ID> <1-5> [comment], e.g. {word} 7K3QD-M2X9C 5"),
        ),
        other => pick(lang, format!("Format: {} <ID laporan>, mis. {} 7K3QD-M2X9C", other.word(lang), other.word(lang)), format!("Format: {} <report ID>, e.g. {} 7K3QD-M2X9C", other.word(lang), other.word(lang))),
    };
    fit(&text, None)
}

/// What stood where an ID should is not one: a typo, or not an ID at all.
pub fn bad_tracking_id(typed: &str, error: TrackingIdError, lang: Lang) -> String {
    let typed: String = typed.chars().take(20).collect();
    let text = match error {
        TrackingIdError::ProbableTypo => pick(
            lang,
            format!("ID {typed} sepertinya salah ketik: huruf pemeriksanya tidak cocok. Periksa lagi ID laporan Anda."),
            format!("ID {typed} looks mistyped: its check letter does not match. Please check your report ID."),
        ),
        TrackingIdError::Malformed => pick(
            lang,
            format!("{typed} bukan ID laporan. ID laporan berisi 10 huruf dan angka, mis. 7K3QD-M2X9C."),
            format!("{typed} is not a report ID. Report IDs have 10 letters and digits, e.g. 7K3QD-M2X9C."),
        ),
    };
    fit(&text, None)
}

/// No report by that ID that this sender may see (the same words whether it
/// does not exist or is confidential).
pub fn not_found(id: &str, lang: Lang) -> String {
    pick(lang, format!("Laporan {id} tidak ditemukan. Periksa lagi ID-nya."), format!("Report {id} was not found. Please check the ID."))
}

/// The API's rules refused the command's text: the first reason.
pub fn invalid(keyword: Keyword, errors: &[Invalid], lang: Lang) -> String {
    let reason = errors.first().map(|e| lang.pick(&e.id, &e.en).to_string()).unwrap_or_default();
    let field = errors.first().map(|e| e.field.as_str()).unwrap_or_default();
    let what = match (keyword, field) {
        (Keyword::Nilai, "score") => lang.pick("Nilai", "Score"),
        (Keyword::Nilai, _) => lang.pick("Komentar", "Comment"),
        (Keyword::Balas, _) => lang.pick("Balasan", "Reply"),
        _ => lang.pick("Laporan", "Report"),
    };
    fit(&format!("{what}: {reason} {}", usage_hint(keyword, lang)), None)
}

fn usage_hint(keyword: Keyword, lang: Lang) -> String {
    pick(lang, format!("Ketik BANTUAN untuk format {}.", keyword.word(lang)), format!("Send HELP for how to use {}.", keyword.word(lang)))
}

/// A report filed: its ID, and how to follow it.
pub fn filed(id: &str, confidential: bool, anonymous: bool, lang: Lang, base: &str) -> String {
    let privacy = match (confidential, anonymous) {
        (true, true) => lang.pick(" rahasia & anonim", " confidential & anonymous"),
        (true, false) => lang.pick(" rahasia", " confidential"),
        (false, true) => lang.pick(" anonim", " anonymous"),
        (false, false) => "",
    };
    let check = Keyword::Cek.word(lang);
    let text = pick(
        lang,
        format!("LAPOR! Laporan{privacy} diterima. ID: {id}. Simpan ID ini. Kabar dikirim ke nomor ini; cek kapan saja: {check} {id}"),
        format!("LAPOR! Your{privacy} report is received. ID: {id}. Keep this ID. News comes to this number; check anytime: {check} {id}"),
    );
    // A confidential report's page is no one's but the reporter's: no link.
    let link = (!confidential).then(|| format!("{base}/lapor/{id}"));
    fit(&text, link.as_deref())
}

/// What `CEK` tells: the status in words, the running deadline, and the latest follow-up.
pub struct StatusFacts<'a> {
    pub id: &'a str,
    pub status: Status,
    pub agency: Option<&'a str>,
    /// The running deadline: its clock and its local RFC 3339 time.
    pub due: Option<(ClockKind, &'a str)>,
    pub latest_follow_up: Option<&'a str>,
    /// The tracking page's link, for a report the public may see.
    pub link: Option<String>,
}

pub fn status(facts: &StatusFacts<'_>, lang: Lang) -> String {
    let mut text = format!("{}: {}", facts.id, facts.status.label(lang));
    // The agency's name, unless its follow-up is quoted: then every
    // character left is better spent on the follow-up.
    let named = facts.latest_follow_up.is_none() && !matches!(facts.status, Status::Submitted | Status::OnHold);
    if let Some(agency) = facts.agency.filter(|_| named) {
        text.push_str(&format!(" ({agency})"));
    }
    text.push('.');
    if let Some((kind, due)) = facts.due {
        if let Some(date) = crate::when::short_date(due, lang) {
            let lead = match kind {
                ClockKind::Verification => lang.pick("Verifikasi paling lambat", "To be verified by"),
                ClockKind::Response => lang.pick("Tindak lanjut paling lambat", "Answer due by"),
                ClockKind::Completion => lang.pick("Selesai otomatis", "Completes on"),
            };
            text.push_str(&format!(" {lead} {date}."));
        }
    }
    if let Some(follow_up) = facts.latest_follow_up {
        let words: String = follow_up.split_whitespace().collect::<Vec<_>>().join(" ");
        text.push_str(&format!(" {}: {words}", lang.pick("Tindak lanjut", "Follow-up")));
    }
    fit(&text, facts.link.as_deref())
}

pub fn replied(id: &str, lang: Lang) -> String {
    pick(lang, format!("Balasan Anda untuk {id} diterima dan diteruskan. Terima kasih."), format!("Your reply to {id} is received and passed on. Thank you."))
}

pub fn rated(id: &str, score: u8, lang: Lang) -> String {
    pick(lang, format!("Terima kasih! Nilai {score} untuk {id} tercatat."), format!("Thank you! Your rating of {score} for {id} is recorded."))
}

pub fn supported(id: &str, added: bool, count: i64, lang: Lang) -> String {
    match added {
        true => pick(lang, format!("Dukungan Anda untuk {id} tercatat. Kini {count} dukungan."), format!("Your support for {id} is recorded. {count} supports now.")),
        false => pick(lang, format!("Anda sudah mendukung {id}. Kini {count} dukungan."), format!("You already support {id}. {count} supports now.")),
    }
}

pub fn followed(id: &str, already: bool, lang: Lang) -> String {
    let stop = Keyword::Berhenti.word(lang);
    match already {
        false => pick(lang, format!("Anda mengikuti {id}: kabar terbaru dikirim ke nomor ini. Berhenti: {stop}"), format!("You follow {id}: news comes to this number. To stop: {stop}")),
        true => pick(lang, format!("Anda sudah mengikuti {id}. Berhenti: {stop}"), format!("You already follow {id}. To stop: {stop}")),
    }
}

pub fn stopped(reports: u64, lang: Lang) -> String {
    let follow = Keyword::Ikuti.word(lang);
    match reports {
        0 => pick(lang, format!("Nomor ini tidak mengikuti laporan apa pun. Ikuti: {follow} <ID>"), format!("This number follows no report. To follow: {follow} <ID>")),
        n => pick(
            lang,
            format!("Berhasil: tidak ada lagi kabar dari {n} laporan ke nomor ini. Ikuti lagi: {follow} <ID>"),
            format!("Done: no more news from {n} report(s) to this number. Follow again: {follow} <ID>"),
        ),
    }
}

/// Only the reporter (the number that filed it) may reply to or rate a report.
pub fn only_the_reporter(id: &str, keyword: Keyword, lang: Lang) -> String {
    let (what_id, what_en) = match keyword {
        Keyword::Nilai => ("menilai", "rate"),
        _ => ("membalas", "reply to"),
    };
    pick(
        lang,
        format!("Hanya pelapor, dari nomor yang mengirim laporan {id}, yang bisa {what_id}nya."),
        format!("Only the reporter, from the number that sent report {id}, can {what_en} it."),
    )
}

/// A rule of the service refused the command (the API's words for it).
pub fn refused(detail: &str) -> String {
    fit(detail, None)
}

pub fn rate_limited(minutes: u64, lang: Lang) -> String {
    pick(
        lang,
        format!("Terlalu banyak pesan dari nomor ini dalam satu jam. Coba lagi dalam {minutes} menit. Pesan ini tidak diproses."),
        format!("Too many messages from this number in one hour. Try again in {minutes} minutes. This message was not processed."),
    )
}

/// An image, audio, a location...: only text is read (a report with photos
/// can be made on the web form).
pub fn text_only(lang: Lang, base: &str) -> String {
    let text = pick(
        lang,
        "Maaf, kami hanya bisa membaca pesan teks. Tulis laporan sebagai teks: LAPOR <isi laporan>. Dengan foto:".into(),
        "Sorry, we can only read text messages. Write your report as text: REPORT <your report>. With photos:".into(),
    );
    let link = format!("{base}/lapor/baru");
    fit(&text, Some(&link))
}

pub fn foreign_number(lang: Lang) -> String {
    pick(lang, "Maaf, layanan SMS LAPOR! hanya untuk nomor Indonesia (+62).".into(), "Sorry, the LAPOR! SMS service is for Indonesian numbers (+62) only.".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://lapor.go.id";

    fn one_segment(text: &str) {
        assert_eq!(sms_segments(text), 1, "{} characters: {text}", text.chars().count());
    }

    #[test]
    fn fitting_keeps_short_texts_and_cuts_long_ones_at_a_word() {
        assert_eq!(fit("Halo.", Some("https://x.id/lapor/A")), "Halo. https://x.id/lapor/A");
        let long = "kata ".repeat(60);
        let fitted = fit(&long, Some("https://lapor.go.id/lapor/7K3QD-M2X9C"));
        one_segment(&fitted);
        assert!(fitted.ends_with("kata... https://lapor.go.id/lapor/7K3QD-M2X9C"), "{fitted}");
        assert!(fitted.chars().count() > 150, "as much as fits is kept: {fitted}");
        let no_link = fit(&long, None);
        one_segment(&no_link);
        assert!(no_link.ends_with("kata..."));
        // One word longer than a segment is cut inside.
        one_segment(&fit(&"x".repeat(400), None));
    }

    #[test]
    fn a_character_outside_gsm7_shrinks_the_segment_to_70() {
        let text = "Jalan sudah diperbaiki oleh dinas 👍 silakan cek kembali di lokasi dan beri nilai, terima kasih banyak.";
        let fitted = fit(text, Some("https://x.id/l/7K3QD-M2X9C"));
        one_segment(&fitted);
        assert!(fitted.encode_utf16().count() <= 70, "{fitted}");
        assert!(fitted.ends_with("... https://x.id/l/7K3QD-M2X9C"));
        // Curly quotes and dashes are written plainly: still GSM-7, 160.
        let quoted = "Dinas menjawab: “Perbaikan dijadwalkan minggu depan” – terima kasih atas laporannya, kami akan segera menindaklanjuti.";
        let fitted = fit(quoted, None);
        assert_eq!(fitted, quoted.replace(['“', '”'], "\"").replace('–', "-"));
        one_segment(&fitted);
        assert!(fitted.chars().count() > 70);
    }

    #[test]
    fn every_fixed_text_fits_one_gsm7_segment() {
        let id = "7K3QD-M2X9C";
        for lang in [Lang::Id, Lang::En] {
            let mut texts = vec![
                help(lang, BASE),
                not_found(id, lang),
                replied(id, lang),
                rated(id, 5, lang),
                supported(id, true, 12345, lang),
                supported(id, false, 1, lang),
                followed(id, false, lang),
                followed(id, true, lang),
                stopped(0, lang),
                stopped(12, lang),
                only_the_reporter(id, Keyword::Nilai, lang),
                only_the_reporter(id, Keyword::Balas, lang),
                rate_limited(60, lang),
                text_only(lang, BASE),
                foreign_number(lang),
                bad_tracking_id("7K3QD-M2X9D", TrackingIdError::ProbableTypo, lang),
                bad_tracking_id(&"x".repeat(40), TrackingIdError::Malformed, lang),
            ];
            for keyword in [Keyword::Lapor, Keyword::Cek, Keyword::Balas, Keyword::Nilai, Keyword::Dukung, Keyword::Ikuti] {
                texts.push(usage(keyword, lang));
            }
            for (confidential, anonymous) in [(false, false), (true, false), (false, true), (true, true)] {
                texts.push(filed(id, confidential, anonymous, lang, BASE));
            }
            for text in texts {
                one_segment(&text);
                assert!(!text.ends_with("..."), "a fixed text is never cut: {text}");
            }
        }
        assert!(help(Lang::Id, BASE).ends_with("Info: https://lapor.go.id/cara-kerja"));
        let long_base = "https://lapor.pemerintah-provinsi-jawa-barat.go.id";
        assert!(help(Lang::Id, long_base).ends_with("; BERHENTI"), "without the link rather than cut");
        assert!(filed("7K3QD-M2X9C", false, false, Lang::Id, BASE).ends_with("https://lapor.go.id/lapor/7K3QD-M2X9C"));
        assert!(!filed("7K3QD-M2X9C", true, false, Lang::Id, BASE).contains("http"), "no link to a confidential report");
    }

    #[test]
    fn status_says_what_where_until_when_and_the_latest_follow_up() {
        let facts = StatusFacts {
            id: "7K3QD-M2X9C",
            status: Status::Responded,
            agency: Some("Dinas PUPR Kota Bogor"),
            due: Some((ClockKind::Completion, "2026-12-17T23:59:59+07:00")),
            latest_follow_up: Some("Lubang sudah ditambal pada 1 Desember.\nMohon dicek."),
            link: Some(format!("{BASE}/lapor/7K3QD-M2X9C")),
        };
        let text = status(&facts, Lang::Id);
        one_segment(&text);
        assert!(text.starts_with("7K3QD-M2X9C: Ditanggapi instansi. Selesai otomatis 17 Des 2026. Tindak lanjut: Lubang sudah ditambal"), "{text}");
        assert!(text.ends_with("... https://lapor.go.id/lapor/7K3QD-M2X9C"), "{text}");
        let dispatched = StatusFacts { status: Status::Dispatched, latest_follow_up: None, due: None, link: None, ..facts };
        assert_eq!(status(&dispatched, Lang::Id), "7K3QD-M2X9C: Diteruskan ke instansi (Dinas PUPR Kota Bogor).");
        let submitted = StatusFacts { status: Status::Submitted, agency: None, due: Some((ClockKind::Verification, "2026-12-07T23:59:59+07:00")), latest_follow_up: None, link: None, ..facts };
        assert_eq!(status(&submitted, Lang::En), "7K3QD-M2X9C: Received, awaiting verification. To be verified by 7 Dec 2026.");
    }
}
