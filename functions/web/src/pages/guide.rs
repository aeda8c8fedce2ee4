//! `GET /cara-kerja`: how a report is handled, with the service levels.
//!
//! Every number comes from `lapor_domain::sla` (the clocks the SLA sweep
//! enforces), never typed here, so the page cannot promise other deadlines
//! than the ones that run.

use lapor_domain::sla::{ClockKind, REMINDER_FRACTION};
use maud::html;
use spin_sdk::http::Response;

use crate::layout::{document, Ctx, Section};
use crate::page_response;

pub fn how_it_works(ctx: &Ctx) -> Response {
    let days = |kind: ClockKind| kind.working_days();
    let verification = days(ClockKind::Verification);
    let response = days(ClockKind::Response);
    let completion = days(ClockKind::Completion);
    let reminder_percent = (REMINDER_FRACTION * 100.0).round() as u32;
    let title = ctx.t("Cara kerja LAPOR!", "How LAPOR! works");
    let en = ctx.lang == lapor_domain::lang::Lang::En;
    let content = html! {
        h1 { (title) }
        p.lead { (ctx.t(
            "Setiap laporan melewati tiga tenggat, dihitung dalam hari kerja: hari Sabtu, Minggu, hari libur nasional, dan cuti bersama tidak dihitung.",
            "Every report passes three deadlines, counted in working days: Saturdays, Sundays, public holidays and collective leave days do not count.",
        )) }
        ol.steps {
            li {
                h2 { (ctx.t("Anda mengirim laporan", "You send a report")) }
                p { (ctx.t(
                    "Tulis apa yang terjadi, di mana, dan kapan. Anda menerima nomor pelacakan; simpan nomor itu untuk mengikuti laporan Anda.",
                    "Write what happened, where and when. You receive a tracking ID: keep it to follow your report.",
                )) }
            }
            li {
                h2 { @if en { "Verification within " (verification) " working days" } @else { "Verifikasi dalam " (verification) " hari kerja" } }
                p { (ctx.t(
                    "Admin memeriksa kejelasan laporan dan data pribadi di dalamnya, lalu meneruskannya ke instansi yang berwenang. Laporan yang ditunda untuk dilengkapi melanjutkan sisa waktunya setelah dilengkapi. Tenggat ini dihitung dalam WIB.",
                    "Administrators check that the report is clear and look for personal data in it, then dispatch it to the agency responsible. A report put on hold for more detail continues with the time it had left once completed. This deadline is counted in WIB.",
                )) }
                p { (ctx.t(
                    "Sampai diverifikasi, laporan belum tampil di daftar dan pencarian publik, tetapi halamannya tetap dapat dibuka dengan nomor pelacakan.",
                    "Until it is verified, the report is not in the public list or search, but its page opens with the tracking ID.",
                )) }
            }
            li {
                h2 { @if en { "The agency answers within " (response) " working days" } @else { "Instansi menanggapi dalam " (response) " hari kerja" } }
                p { (ctx.t(
                    "Tenggat dihitung dalam zona waktu instansi (WIB, WITA, atau WIT). Jika laporan diteruskan ke instansi lain, tenggat dimulai lagi untuk instansi itu; setiap balasan Anda atas tindak lanjut juga memulainya lagi.",
                    "The deadline is counted in the agency's time zone (WIB, WITA or WIT). If the report is forwarded to another agency, the deadline starts again for that agency; each of your replies to a follow-up starts it again too.",
                )) }
            }
            li {
                h2 { @if en { "You reply, or the report completes after " (completion) " working days" } @else { "Anda menanggapi, atau laporan selesai setelah " (completion) " hari kerja" } }
                p { (ctx.t(
                    "Setelah instansi menanggapi, Anda dapat membalas jika tanggapannya belum menyelesaikan masalah. Jika tidak ada balasan, laporan dianggap selesai dan Anda dapat memberi penilaian.",
                    "Once the agency has answered, you may reply if the answer did not solve the problem. Without a reply, the report is completed and you may rate the answer.",
                )) }
            }
        }
        h2 { (ctx.t("Jika tenggat terlewati", "When a deadline passes")) }
        p {
            @if en {
                "When " (reminder_percent) "% of a deadline's time has passed, the staff responsible are reminded. When the verification or response deadline passes, the report is escalated to the platform administrators and the agency's coordinator and leadership; each happens at most once per deadline."
            } @else {
                "Saat " (reminder_percent) "% waktu sebuah tenggat telah berlalu, petugas yang bertanggung jawab diingatkan. Jika tenggat verifikasi atau tanggapan terlewati, laporan dieskalasi kepada admin platform serta koordinator dan pimpinan instansi; masing-masing paling banyak sekali per tenggat."
            }
        }
        h2 { (ctx.t("Ikuti dan dukung", "Follow and support")) }
        p { (ctx.t(
            "Siapa pun dapat mengikuti laporan publik lewat halamannya, mendukungnya, dan berkomentar. Komentar yang dilaporkan warga diperiksa moderator.",
            "Anyone may follow a public report from its page, support it and comment on it. Comments that citizens flag are reviewed by moderators.",
        )) }
        h2 #sms { (ctx.t("Lewat SMS atau WhatsApp", "By SMS or WhatsApp")) }
        p { (ctx.t(
            "Tanpa internet pun bisa: kirim pesan ke nomor SMS atau WhatsApp layanan ini. Huruf besar atau kecil sama saja; ID boleh ditulis dengan atau tanpa tanda hubung. Setiap balasan muat dalam satu SMS.",
            "No internet needed: send a message to the service's SMS or WhatsApp number. Upper or lower case is the same; an ID may be written with or without its dash. Every answer fits in one SMS.",
        )) }
        dl.commands {
            @for (written, what) in lapor_domain::message::grammar::guide(ctx.lang) {
                dt { code { (written) } }
                dd { (what) }
            }
        }
        p { (ctx.t(
            "Nomor Anda menjadi identitas pelapor, tidak pernah isi laporan: nomor itu tidak ditampilkan kepada publik, dan instansi tidak melihatnya pada laporan anonim.",
            "Your number is the reporter's identity, never the report's content: it is never shown to the public, and an agency does not see it on an anonymous report.",
        )) }
        p { a.button href=(ctx.href("/lapor/baru")) { (ctx.t("Buat laporan", "File a report")) } }
    };
    let mut response = page_response(ctx, 200, document(ctx, title, Section::HowItWorks, content));
    response.set_header("cache-control", "public, max-age=300");
    response.set_header("vary", "accept-language");
    response
}
