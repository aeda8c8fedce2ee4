//! `GET /privasi`: what "rahasia" (confidential) and "anonim" (anonymous)
//! guarantee, and what they do not.
//!
//! The table of who sees what is computed from `lapor_domain::privacy` (the
//! rules every surface obeys), so the page cannot drift from them; the prose
//! says what the rules cannot promise.

use lapor_domain::privacy::{Privacy, Viewer};
use maud::{html, Markup};
use spin_sdk::http::Response;

use crate::layout::{document, Ctx, Section};
use crate::page_response;

/// The agency a report in the table is assigned to.
const ASSIGNED: &str = "assigned";

/// What `viewer` sees of a report of `privacy`, in words.
fn sees(ctx: &Ctx, privacy: Privacy, viewer: &Viewer) -> String {
    if !privacy.report_visible_to(viewer, Some(ASSIGNED)) {
        return ctx.t("tidak ada (tidak ditemukan)", "nothing (not found)").to_string();
    }
    let report = ctx.t("laporan", "the report");
    let identity = match viewer {
        // The public (and any other agency) sees at most the name.
        Viewer::Public if privacy.name_is_public() => Some(ctx.t("nama pelapor", "the reporter's name")),
        Viewer::Public | Viewer::Reporter => None,
        Viewer::Agency(_) | Viewer::Admin if privacy.identity_visible_to(viewer) => Some(ctx.t(
            "nama, telepon, dan e-mail pelapor",
            "the reporter's name, phone and e-mail",
        )),
        Viewer::Agency(_) | Viewer::Admin => None,
    };
    let logged = privacy.identity_read_is_logged(viewer);
    match (identity, logged) {
        (Some(identity), true) => format!("{report}, {identity} {}", ctx.t("(setiap pembacaan dicatat)", "(every read is logged)")),
        (Some(identity), false) => format!("{report}, {identity}"),
        (None, _) => report.to_string(),
    }
}

fn table(ctx: &Ctx) -> Markup {
    let viewers = [
        (ctx.t("Siapa pun (tanpa kode), instansi lain", "Anyone (no code), other agencies"), Viewer::Public),
        (ctx.t("Anda, pelapor (dengan kode rahasia)", "You, the reporter (with your secret code)"), Viewer::Reporter),
        (ctx.t("Petugas instansi yang menangani", "Staff of the agency handling it"), Viewer::Agency(ASSIGNED.to_string())),
        (ctx.t("Admin platform", "Platform administrators"), Viewer::Admin),
    ];
    html! {
        div.scroll {
            table {
                caption.muted { (ctx.t("Siapa melihat apa, menurut pilihan Anda", "Who sees what, by your choices")) }
                thead {
                    tr {
                        th scope="col" { (ctx.t("Siapa", "Who")) }
                        @for privacy in Privacy::ALL { th scope="col" { (privacy.label(ctx.lang)) } }
                    }
                }
                tbody {
                    @for (who, viewer) in &viewers {
                        tr {
                            th scope="row" { (who) }
                            @for privacy in Privacy::ALL { td { (sees(ctx, privacy, viewer)) } }
                        }
                    }
                }
            }
        }
    }
}

pub fn privacy(ctx: &Ctx) -> Response {
    let title = ctx.t("Privasi: anonim dan rahasia", "Privacy: anonymous and confidential");
    let content = html! {
        h1 { (title) }
        p.lead { (ctx.t(
            "Saat melapor, Anda memilih dua hal secara terpisah: siapa yang boleh membaca laporan (rahasia), dan siapa yang boleh tahu siapa Anda (anonim).",
            "When you report, you make two separate choices: who may read the report (confidential), and who may know who you are (anonymous).",
        )) }
        h2 { (ctx.t("Rahasia: siapa yang boleh membaca", "Confidential: who may read it")) }
        p { (ctx.t(
            "Laporan rahasia hanya dapat dibaca oleh Anda (dengan kode rahasia yang diberikan saat melapor), admin platform, dan instansi yang menanganinya. Laporan itu tidak tampil di daftar atau pencarian; bagi orang lain, nomor pelacakannya seolah tidak ada.",
            "A confidential report can be read only by you (with the secret code you receive when reporting), the platform administrators and the agency handling it. It is never listed or searchable; to anyone else its tracking ID looks unknown.",
        )) }
        h2 { (ctx.t("Anonim: siapa yang boleh tahu siapa Anda", "Anonymous: who may know who you are")) }
        p { (ctx.t(
            "Jika anonim, instansi dan publik tidak pernah melihat nama atau kontak Anda. Hanya admin platform yang dapat melihatnya, dan setiap kali mereka melihatnya, hal itu dicatat. Jika tidak anonim, instansi yang menangani dapat menghubungi Anda, dan publik melihat nama Anda (tidak pernah kontak Anda) selama laporannya publik.",
            "If anonymous, the agency and the public never see your name or contact details. Only platform administrators can see them, and every time they do is logged. If not anonymous, the agency handling the report can contact you, and the public sees your name (never your contact details) while the report is public.",
        )) }
        p { (ctx.t(
            "Pelapor yang melaporkan instansi itu sendiri sebaiknya memilih keduanya: rahasia dan anonim. Membuat laporan rahasia saja tidak menyembunyikan Anda dari instansi yang menanganinya.",
            "If you are reporting the agency itself, choose both: confidential and anonymous. Making a report confidential alone does not hide you from the agency handling it.",
        )) }
        (table(ctx))
        h2 { (ctx.t("Yang dijamin", "What is guaranteed")) }
        ul {
            li { (ctx.t(
                "Kontak Anda (telepon, e-mail) tidak pernah tampil di permukaan publik mana pun: halaman laporan, daftar, komentar, atau notifikasi.",
                "Your contact details (phone, e-mail) never appear on any public surface: the report page, the list, comments or notifications.",
            )) }
            li { (ctx.t(
                "Pilihan Anda hanya dapat dinaikkan oleh admin (misalnya laporan publik dijadikan rahasia), tidak pernah diturunkan: laporan rahasia tidak akan dibuat publik, dan pelapor anonim tidak akan dibuka identitasnya.",
                "Your choices can only be raised by an administrator (a public report made confidential, for example), never lowered: a confidential report is never made public, and an anonymous reporter is never named.",
            )) }
            li { (ctx.t(
                "Data lokasi dan metadata lain dihapus dari foto yang Anda unggah. Berkas PDF, yang metadatanya dapat menyebut pembuatnya, ditolak pada laporan anonim.",
                "Location data and other metadata are removed from the photos you upload. PDFs, whose metadata can name their author, are refused on anonymous reports.",
            )) }
            li { (ctx.t(
                "Kode rahasia Anda disimpan hanya sebagai sidik (hash): kami sendiri tidak dapat membacanya kembali.",
                "Your secret code is stored only as a hash: we cannot read it back ourselves.",
            )) }
        }
        h2 { (ctx.t("Yang tidak dapat dijamin", "What cannot be guaranteed")) }
        ul {
            li { (ctx.t(
                "Isi laporan Anda sendiri dapat mengenali Anda: nama, alamat, atau rincian yang hanya Anda ketahui. Admin memeriksa data pribadi sebelum laporan diterbitkan, tetapi tulislah seperlunya.",
                "What you write can itself identify you: names, addresses or details only you would know. Administrators look for personal data before a report is published, but write only what is needed.",
            )) }
            li { (ctx.t(
                "Anonim tidak berarti tak terlacak bagi admin platform: jika Anda memberi kontak, admin dapat melihatnya (dan pembacaan itu dicatat). Jika Anda tidak ingin dihubungi sama sekali, jangan isi kontak.",
                "Anonymous does not mean untraceable to platform administrators: if you give contact details, they can see them (and that read is logged). If you do not want to be contacted at all, leave contact details out.",
            )) }
            li { (ctx.t(
                "Jika kode rahasia hilang, laporan rahasia tidak dapat Anda buka lagi dengan nomor pelacakan saja.",
                "If you lose your secret code, you cannot open a confidential report with the tracking ID alone.",
            )) }
            li { (ctx.t(
                "Komentar dan dukungan pada laporan publik dapat dilihat semua orang.",
                "Comments and support on public reports can be seen by everyone.",
            )) }
        }
    };
    let mut response = page_response(ctx, 200, document(ctx, title, Section::Privacy, content));
    response.set_header("cache-control", "public, max-age=300");
    response.set_header("vary", "accept-language");
    response
}
