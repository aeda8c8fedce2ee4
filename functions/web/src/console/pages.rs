//! The console's layout and its shared pieces: the staff header and menu
//! (by role), the sign-in page, message pages, and a report as staff see it
//! (the same `StaffReportView` the API serializes).

use lapor_domain::agency::TimeZone;
use lapor_domain::when::rfc3339_in_words;
use lapor_domain::session::CSRF_FIELD;
use lapor_domain::staff::{Decision, Principal, Role, StaffAction};
use lapor_domain::view::{ReporterView, StaffReportView};
use maud::{html, Markup, DOCTYPE};
use spin_sdk::http::Response;

use super::{page, Flash, Staff};
use crate::layout::{language_switch, Ctx, Typed};

/// The console's screens, for the menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Dashboard,
    Intake,
    Inbox,
    Comments,
    Accounts,
    Calendar,
    Categories,
    Embeds,
    DeadLetter,
    None,
}

fn menu(ctx: &Ctx, principal: &Principal) -> Vec<(Screen, &'static str, &'static str)> {
    let admin = principal.may(StaffAction::Intake, None) == Decision::Allow;
    let mut items = vec![(Screen::Dashboard, "/staf/dasbor", ctx.t("Dasbor", "Dashboard"))];
    if admin {
        items.push((Screen::Intake, "/staf/verifikasi", ctx.t("Verifikasi", "Verification")));
    }
    items.push((Screen::Inbox, "/staf/kotak-masuk", ctx.t("Kotak masuk", "Inbox")));
    if admin || principal.may(StaffAction::Moderate, principal.agency.as_deref()) == Decision::Allow {
        items.push((Screen::Comments, "/staf/komentar", ctx.t("Komentar", "Comments")));
    }
    if matches!(principal.role, Role::Admin | Role::Coordinator) {
        items.push((Screen::Accounts, "/staf/akun", ctx.t("Akun staf", "Staff accounts")));
    }
    if admin {
        items.push((Screen::Calendar, "/staf/kalender", ctx.t("Kalender", "Calendar")));
        items.push((Screen::Categories, "/staf/kategori", ctx.t("Kategori", "Categories")));
        items.push((Screen::Embeds, "/staf/embed", ctx.t("Sematan", "Embeds")));
        items.push((Screen::DeadLetter, "/staf/notifikasi", ctx.t("Pemberitahuan gagal", "Undelivered notifications")));
    }
    items
}

pub fn role_name(ctx: &Ctx, role: Role) -> &'static str {
    match role {
        Role::Admin => ctx.t("Administrator", "Administrator"),
        Role::Coordinator => ctx.t("Admin koordinator", "Coordinator"),
        Role::Officer => ctx.t("Admin penghubung", "Liaison officer"),
        Role::Executive => ctx.t("Pimpinan", "Executive"),
    }
}

/// A whole console page.
pub fn document(ctx: &Ctx, staff: Option<&Staff>, title: &str, screen: Screen, content: Markup) -> Markup {
    let lang = ctx.lang;
    html! {
        (DOCTYPE)
        html lang=(lang.tag()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width,initial-scale=1";
                meta name="robots" content="noindex";
                title { (title) " · LAPOR! Staf" }
                link rel="stylesheet" href=(lapor_web_assets::APP_CSS);
                link rel="stylesheet" href=(lapor_web_assets::STAFF_CSS);
                link rel="icon" href="data:,";
            }
            body.staff {
                a.skip href="#isi" { (ctx.t("Langsung ke isi", "Skip to content")) }
                header.site {
                    div.wrap {
                        a.brand href=(ctx.href("/staf")) {
                            "LAPOR! Staf"
                            small { (ctx.t("Konsol petugas", "Staff console")) }
                        }
                        (language_switch(ctx))
                    }
                }
                @if let Some(staff) = staff {
                    nav.main aria-label=(ctx.t("Menu petugas", "Staff menu")) {
                        ul {
                            @for (item, path, label) in menu(ctx, &staff.principal) {
                                li {
                                    @if item == screen {
                                        a href=(ctx.href(path)) aria-current="page" { (label) }
                                    } @else {
                                        a href=(ctx.href(path)) { (label) }
                                    }
                                }
                            }
                        }
                    }
                    div.whoami.wrap {
                        p {
                            (role_name(ctx, staff.principal.role))
                            @if let Some(agency) = &staff.principal.agency { " · " (Typed(agency)) }
                            @if let Some(unit) = &staff.principal.unit { " · " (Typed(unit)) }
                        }
                        form method="post" action=(ctx.href("/staf/keluar")) {
                            (csrf(staff))
                            button.secondary type="submit" { (ctx.t("Keluar", "Sign out")) }
                        }
                    }
                }
                main.wrap #isi tabindex="-1" {
                    @if let Some(flash) = staff.and_then(|s| s.flash.as_ref()) { (flash_box(ctx, flash)) }
                    (content)
                }
            }
        }
    }
}

fn flash_box(ctx: &Ctx, flash: &Flash) -> Markup {
    html! {
        div.flash role="status" {
            p { (ctx.t(&flash.id, &flash.en)) }
            @if let Some(secret) = &flash.secret {
                p {
                    (ctx.t("Token (ditampilkan sekali ini saja; simpan sekarang):", "Token (shown this once only; keep it now):"))
                    br;
                    code.secret { (Typed(secret)) }
                }
            }
        }
    }
}

/// The hidden CSRF field of every form.
pub fn csrf(staff: &Staff) -> Markup {
    html! { input type="hidden" name=(CSRF_FIELD) value=(staff.session.csrf_secret); }
}

pub fn sign_in_page(ctx: &Ctx, status: u16, notice: Option<&str>, signed_out: bool) -> Response {
    let content = html! {
        h1 { (ctx.t("Masuk sebagai petugas", "Staff sign-in")) }
        @if signed_out {
            p.flash role="status" { (ctx.t("Anda telah keluar.", "You have signed out.")) }
        }
        @if let Some(notice) = notice {
            div.errors role="alert" { p { (notice) } }
        }
        p { (ctx.t(
            "Masukkan token petugas Anda. Sesi berakhir setelah 30 menit tanpa aktivitas, dan paling lama 12 jam.",
            "Enter your staff token. A session ends after 30 minutes without activity, and after 12 hours at most.",
        )) }
        form.stack method="post" action=(ctx.href("/staf/masuk")) {
            label for="token" { (ctx.t("Token petugas", "Staff token")) }
            input #token type="password" name="token" autocomplete="off" required;
            button type="submit" { (ctx.t("Masuk", "Sign in")) }
        }
    };
    page(ctx, status, document(ctx, None, ctx.t("Masuk", "Sign in"), Screen::None, content))
}

pub fn message(ctx: &Ctx, staff: Option<&Staff>, status: u16, heading: &str, text: &str) -> Response {
    message_with(ctx, staff, status, heading, text, &[])
}

pub fn message_with(ctx: &Ctx, staff: Option<&Staff>, status: u16, heading: &str, text: &str, errors: &[String]) -> Response {
    let content = html! {
        h1 { (heading) }
        p { (text) }
        @if !errors.is_empty() { ul { @for e in errors { li { (e) } } } }
        p { a href=(ctx.href("/staf")) { (ctx.t("Ke konsol petugas", "To the staff console")) } }
    };
    page(ctx, status, document(ctx, staff, heading, Screen::None, content))
}

/// A notice above a report's forms: a refused action (409 or 422) and why.
pub struct Notice {
    pub heading: String,
    pub text: String,
    pub errors: Vec<String>,
}

/// A deadline stored or viewed as RFC 3339, in words in `zone`.
pub fn when(ctx: &Ctx, raw: &str, zone: TimeZone) -> String {
    rfc3339_in_words(raw, zone, ctx.lang).unwrap_or_else(|| raw.to_string())
}

/// The report as staff see it: status, privacy, the reporter's identity
/// where the view carries it (privacy decided it), text, deadlines and
/// the timeline including staff-only entries.
pub fn report(ctx: &Ctx, view: &StaffReportView, zone: TimeZone) -> Markup {
    let r = &view.report;
    html! {
        p.id { (ctx.t("Nomor pelacakan", "Tracking ID")) " " strong { (r.tracking_id) } }
        h1 { (Typed(&r.title)) }
        dl.facts {
            div { dt { (ctx.t("Status", "Status")) } dd.status { (r.status.label(ctx.lang)) } }
            div { dt { (ctx.t("Privasi", "Privacy")) } dd { (r.privacy.label(ctx.lang)) } }
            div { dt { (ctx.t("Instansi", "Agency")) } dd { (Typed(r.agency.as_deref().or(r.suggested_agency.as_deref()).unwrap_or("-"))) } }
            div { dt { (ctx.t("Unit kerja", "Work unit")) } dd { (Typed(view.unit.as_deref().unwrap_or("-"))) } }
            div { dt { (ctx.t("Kategori", "Category")) } dd { (Typed(r.category.as_deref().unwrap_or("-"))) } }
            div { dt { (ctx.t("Versi", "Version")) } dd { (view.version) } }
            @if let Some(due) = &r.deadlines.verification_due {
                div { dt { (ctx.t("Batas verifikasi", "Verify by")) } dd { (when(ctx, due, TimeZone::Wib)) } }
            }
            @if let Some(due) = &r.deadlines.response_due {
                div { dt { (ctx.t("Batas tanggapan", "Respond by")) } dd { (when(ctx, due, zone)) } }
            }
            @if let Some(due) = &r.deadlines.completion_due {
                div { dt { (ctx.t("Batas penyelesaian", "Complete by")) } dd { (when(ctx, due, zone)) } }
            }
        }
        h2 { (ctx.t("Pelapor", "Reporter")) }
        @match &r.reporter {
            Some(ReporterView::Identity { name, phone, email }) => {
                dl.facts.identity {
                    div { dt { (ctx.t("Nama", "Name")) } dd { (Typed(name.as_deref().unwrap_or("-"))) } }
                    div { dt { (ctx.t("Telepon", "Phone")) } dd { (Typed(phone.as_deref().unwrap_or("-"))) } }
                    div { dt { "E-mail" } dd { (Typed(email.as_deref().unwrap_or("-"))) } }
                }
            }
            Some(ReporterView::Public { name }) => { p { (Typed(name)) } }
            None => { p.muted.hidden-identity { (ctx.t("Identitas pelapor tidak ditampilkan untuk peran Anda (anonim).", "The reporter's identity is not shown to your role (anonymous).")) } }
        }
        h2 { (ctx.t("Isi laporan", "Report")) }
        p.body { (Typed(&r.body)) }
        h2 { (ctx.t("Riwayat", "Timeline")) }
        ol.timeline {
            @for entry in &r.timeline {
                li {
                    strong { (entry.event_type.label(ctx.lang)) }
                    " · " (Typed(&entry.actor_role)) " · "
                    time datetime=(entry.at) { (when(ctx, &entry.at, zone)) }
                    @if let Some(text) = &entry.text { br; (Typed(text)) }
                }
            }
        }
    }
}

/// A refused action's notice, above the forms.
pub fn notice(n: &Notice) -> Markup {
    html! {
        div.errors role="alert" {
            h2 { (n.heading) }
            p { (n.text) }
            @if !n.errors.is_empty() { ul { @for e in &n.errors { li { (e) } } } }
        }
    }
}
