//! `GET /lapor/{id}`: the tracking page, and `GET /lapor`: the lookup form
//! that leads to it.
//!
//! The page is rendered only from the view `lapor_domain::view::report_view`
//! builds for this viewer (the reporter, with the reporter cookie, or the
//! public), so what privacy hides never reaches the template. Its forms
//! (support, comments and flags, follow, the phone code, and the reporter's
//! reply, rating and attachments) are plain HTML posts handled in
//! `crate::pages::actions`; an action that fails renders this page again
//! ([`show`] with a [`Notice`]) with the messages beside their fields and the
//! values kept.

use lapor_domain::engagement::{may_comment, may_support, Identity};
use lapor_domain::event::EventType;
use lapor_domain::follow::FollowChannel;
use lapor_domain::lifecycle::Status;
use lapor_domain::privacy::Viewer;
use lapor_domain::sla::ClockKind;
use lapor_domain::token::token_matches;
use lapor_domain::tracking_id::{TrackingId, TrackingIdError};
use lapor_domain::view::{report_view, CommentView, ReportView};
use lapor_domain::when;
use lapor_platform::db::Db;
use lapor_platform::identity::identity_of_token;
use lapor_platform::request::ApiRequest;
use lapor_platform::{engagement, reporter, sla, store};
use maud::{html, Markup};
use spin_sdk::http::Response;

use crate::forms::Visitor;
use crate::layout::{document, Ctx, Section, Typed};
use crate::{message_page, page_response};

/// Comments shown on the page itself.
const COMMENTS_SHOWN: u32 = 50;

/// The page's forms, each named by the path it posts to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormId {
    Support,
    Comment,
    Flag,
    Follow,
    Phone,
    ClaimReporter,
    Reply,
    Rate,
    Upload,
}

/// What an action left to say on the page: a confirmation after its 303
/// (`?ok=`), or its refusal (re-rendered with its status).
#[derive(Debug, Clone, Default)]
pub struct Notice {
    /// The confirmation's key (`?ok=`), one of [`confirmation`]'s.
    pub ok: Option<String>,
    /// The form that failed, its general message, its fields' messages and
    /// what was typed.
    pub form: Option<FormId>,
    pub message: Option<String>,
    pub errors: Vec<(String, String)>,
    pub values: Vec<(String, String)>,
}

impl Notice {
    fn error(&self, form: FormId, field: &str) -> Option<&str> {
        (self.form == Some(form)).then(|| self.errors.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_str())).flatten()
    }

    fn value(&self, form: FormId, field: &str) -> &str {
        if self.form != Some(form) {
            return "";
        }
        self.values.iter().find(|(f, _)| f == field).map(|(_, v)| v.as_str()).unwrap_or("")
    }

    fn failed(&self, form: FormId) -> bool {
        self.form == Some(form)
    }
}

/// The confirmation shown after an action's 303 (the key is the action's `?ok=`).
fn confirmation(ctx: &Ctx, key: &str) -> Option<&'static str> {
    Some(match key {
        "dukung" => ctx.t("Dukungan Anda tercatat. Terima kasih.", "Your support is counted. Thank you."),
        "batal-dukung" => ctx.t("Dukungan Anda dibatalkan.", "Your support was withdrawn."),
        "komentar" => ctx.t("Komentar Anda terkirim.", "Your comment was posted."),
        "tandai" => ctx.t("Terima kasih, komentar itu akan diperiksa petugas.", "Thank you, staff will review that comment."),
        "kawal" => ctx.t("Anda mengawal laporan ini: kabar berikutnya akan dikirim kepada Anda.", "You are following this report: you will hear of what happens next."),
        "kode" => ctx.t("Kode dikirim lewat SMS. Masukkan kode itu di bawah.", "A code was sent by SMS. Enter it below."),
        "telepon" => ctx.t("Nomor Anda terbukti. Kini Anda dapat mengawal lewat SMS atau WhatsApp.", "Your number is proved. You can now follow by SMS or WhatsApp."),
        "pelapor" => ctx.t("Kode pelapor diterima: Anda masuk sebagai pelapor laporan ini.", "Reporter code accepted: you are signed in as this report's reporter."),
        "balas" => ctx.t("Balasan Anda terkirim.", "Your reply was sent."),
        "nilai" => ctx.t("Terima kasih atas penilaian Anda.", "Thank you for your rating."),
        "lampiran" => ctx.t("Lampiran tersimpan (metadata foto dihapus).", "Attachment saved (photo metadata removed)."),
        _ => return None,
    })
}

/// A tracking ID from the address, or the page saying why it is none.
pub fn parse_id(ctx: &Ctx, raw_id: &str) -> Result<TrackingId, Response> {
    let decoded = percent_encoding::percent_decode_str(raw_id).decode_utf8_lossy();
    TrackingId::parse(&decoded).map_err(|e| match e {
        TrackingIdError::ProbableTypo => message_page(ctx, 400, ctx.t("Salah ketik?", "A typo?"), ctx.t(
            "Nomor pelacakan ini tidak valid: kemungkinan ada satu huruf atau angka yang salah ketik. Periksa kembali.",
            "This tracking ID is not valid: one letter or digit is probably mistyped. Please check it.",
        )),
        TrackingIdError::Malformed => message_page(ctx, 400, ctx.t("Bukan nomor pelacakan", "Not a tracking ID"), ctx.t(
            "Nomor pelacakan terdiri dari 10 huruf dan angka, misalnya 7K3QD-M2X9C.",
            "Tracking IDs have 10 letters and digits, such as 7K3QD-M2X9C.",
        )),
    })
}

/// `GET /lapor/{id}` (`?ok=` after an action).
pub fn tracking_page(ctx: &Ctx, request: &ApiRequest, raw_id: &str) -> anyhow::Result<Response> {
    let id = match parse_id(ctx, raw_id) {
        Ok(id) => id,
        Err(page) => return Ok(page),
    };
    let notice = Notice { ok: request.query("ok").map(str::to_string), ..Notice::default() };
    show(ctx, &id, &Visitor::of(request), 200, &notice)
}

/// The reporter's report, if the visitor's reporter cookie is its token.
pub fn as_reporter(db: &Db, id: &TrackingId, visitor: &Visitor) -> anyhow::Result<Option<store::StoredReport>> {
    let Some(report) = store::find_report(db, &id.to_string())? else { return Ok(None) };
    Ok(visitor.reporter.as_deref().is_some_and(|t| token_matches(t, &report.reporter_token_hash)).then_some(report))
}

/// The page for `visitor`, with `status` and `notice`. A report the visitor
/// may not see is the same "not found" page as an unknown one (with the
/// reporter's code form, so a confidential reporter can still get in).
pub fn show(ctx: &Ctx, id: &TrackingId, visitor: &Visitor, status: u16, notice: &Notice) -> anyhow::Result<Response> {
    let db = Db::open()?;
    let Some(report) = store::find_report(&db, &id.to_string())? else { return Ok(not_found(ctx, id, visitor, notice)) };
    let is_reporter = visitor.reporter.as_deref().is_some_and(|t| token_matches(t, &report.reporter_token_hash));
    let viewer = if is_reporter { Viewer::Reporter } else { Viewer::Public };
    let events = store::events(&db, report.id)?;
    let Some(view) = report_view(&report.record, &events, &viewer) else { return Ok(not_found(ctx, id, visitor, notice)) };
    let (supports, _) = store::engagement_counts(&db, report.id)?;
    let citizen = match &visitor.citizen {
        Some(token) => identity_of_token(&db, token)?,
        None => None,
    };
    let supported = match &citizen {
        Some(identity) => engagement::supports(&db, report.id, &identity.key())?,
        None => false,
    };
    // The first comments, oldest first (the API pages through the rest).
    let comments: Vec<CommentView> = if view.privacy.is_confidential() {
        Vec::new()
    } else {
        engagement::visible_comments(&db, report.id, 0, COMMENTS_SHOWN)?.into_iter().map(CommentView::from).collect()
    };
    let attachments = store::attachments(&db, report.id)?;
    let zone = sla::zone_of(&db, view.agency.as_deref())?;
    let page = TrackingPage {
        view: &view,
        supports,
        supported,
        comments: &comments,
        attachments: &attachments,
        reporter_token: visitor.reporter.as_deref().filter(|_| is_reporter),
        phone_proved: citizen.as_ref().and_then(Identity::verified_phone).is_some(),
        csrf: visitor.form_token(),
        zone,
        notice,
    };
    let mut response = page_response(ctx, status, page.render(ctx));
    response.set_header("vary", "cookie, accept-language");
    if viewer == Viewer::Public && visitor.citizen.is_none() && notice.ok.is_none() && status == 200 {
        response.set_header("cache-control", "public, no-cache");
    }
    Ok(response)
}

fn not_found(ctx: &Ctx, id: &TrackingId, visitor: &Visitor, notice: &Notice) -> Response {
    let heading = ctx.t("Laporan tidak ditemukan", "Report not found");
    let content = html! {
        h1 { (heading) }
        p { (ctx.t("Tidak ada laporan dengan nomor ini yang dapat Anda lihat.", "There is no report with this number that you can see.")) }
        (claim_form(ctx, &id.to_string(), &visitor.form_token(), notice))
        p { a href=(ctx.href("/lapor")) { (ctx.t("Lacak laporan lain", "Track another report")) } }
        p { a href=(ctx.href("/")) { (ctx.t("Ke beranda", "To the home page")) } }
    };
    page_response(ctx, 404, document(ctx, heading, Section::Track, content))
}

/// `GET /lapor/{id}`: what the typed view shows this viewer.
struct TrackingPage<'a> {
    view: &'a ReportView,
    supports: i64,
    supported: bool,
    comments: &'a [CommentView],
    /// (public id, kind, size) of each attachment.
    attachments: &'a [(String, String, i64)],
    /// The reporter's own token, shown back to them (from their cookie).
    reporter_token: Option<&'a str>,
    phone_proved: bool,
    csrf: String,
    /// The zone the report's times are shown in (its agency's, else WIB).
    zone: lapor_domain::agency::TimeZone,
    notice: &'a Notice,
}

/// A form posting to `/lapor/{id}/{action}` with the anti-forgery token.
fn form(ctx: &Ctx, tracking_id: &str, action: &str, csrf: &str, class: &str, body: Markup) -> Markup {
    html! {
        form.(class) method="post" action=(ctx.href(&format!("/lapor/{tracking_id}/{action}"))) {
            input type="hidden" name="csrf" value=(csrf);
            (body)
        }
    }
}

/// A labelled field with its message beside it (and `aria-invalid`).
fn field(notice: &Notice, form: FormId, name: &str, id: &str, label: &str, control: impl Fn(Option<&str>) -> Markup) -> Markup {
    let error = notice.error(form, name);
    let described = error.map(|_| format!("{id}-error"));
    html! {
        div.field {
            label for=(id) { (label) }
            @if let Some(message) = error {
                p.field-error id=(format!("{id}-error")) { (message) }
            }
            (control(described.as_deref()))
        }
    }
}

/// The general message of a failed form, as an alert at its top.
fn form_alert(ctx: &Ctx, notice: &Notice, form: FormId) -> Markup {
    html! {
        @if notice.failed(form) {
            div.alert role="alert" {
                @if let Some(message) = &notice.message { p { (message) } }
                @if !notice.errors.is_empty() {
                    p { (ctx.t("Periksa isian yang ditandai.", "Please check the marked fields.")) }
                }
            }
        }
    }
}

fn claim_form(ctx: &Ctx, tracking_id: &str, csrf: &str, notice: &Notice) -> Markup {
    let f = FormId::ClaimReporter;
    html! {
        section aria-labelledby="pelapor-h" #pelapor {
            h2 #pelapor-h { (ctx.t("Saya pelapor", "I am the reporter")) }
            p.muted { (ctx.t(
                "Masukkan kode rahasia yang Anda terima saat mengirim laporan untuk membalas, memberi nilai, dan menambah lampiran.",
                "Enter the secret code you received when you sent the report to reply, rate and add attachments.",
            )) }
            (form_alert(ctx, notice, f))
            (form(ctx, tracking_id, "pelapor", csrf, "stack", html! {
                (field(notice, f, "token", "reporter-token", ctx.t("Kode rahasia pelapor", "Reporter secret code"), |d| html! {
                    input #reporter-token type="password" name="token" required autocomplete="off" spellcheck="false"
                        aria-invalid=[d.map(|_| "true")] aria-describedby=[d];
                }))
                button type="submit" { (ctx.t("Masuk sebagai pelapor", "Sign in as the reporter")) }
            }))
        }
    }
}

impl TrackingPage<'_> {
    fn render(&self, ctx: &Ctx) -> Markup {
        let view = self.view;
        let id = view.tracking_id.as_str();
        let awaiting_verification = view.verified_at.is_none() && matches!(view.status, Status::Submitted | Status::OnHold);
        let title = format!("{} {}", ctx.t("Laporan", "Report"), view.tracking_id);
        let deadline = [
            (ClockKind::Verification, &view.deadlines.verification_due),
            (ClockKind::Response, &view.deadlines.response_due),
            (ClockKind::Completion, &view.deadlines.completion_due),
        ]
        .into_iter()
        .find_map(|(kind, due)| due.as_deref().and_then(|due| when::due_sentence(kind, due, ctx.lang)));
        let confirmed = self.notice.ok.as_deref().and_then(|key| confirmation(ctx, key));
        document(ctx, &title, Section::Track, html! {
            @if let Some(message) = confirmed {
                p.notice role="status" { (message) }
            }
            p.id { (ctx.t("Nomor pelacakan", "Tracking ID")) " " strong { (view.tracking_id) } }
            h1 { (Typed(&view.title)) }
            p.status { (view.status.label(ctx.lang)) }
            @if let Some(deadline) = &deadline {
                p.deadline { (ctx.t("Laporan ini ", "This report ")) (deadline) "." }
            }
            p.privacy { (view.privacy.label(ctx.lang)) }
            @if awaiting_verification {
                p.unverified role="status" {
                    strong { (ctx.t("Menunggu verifikasi.", "Awaiting verification.")) }
                    " "
                    (ctx.t(
                        "Laporan ini belum tampil di daftar dan pencarian publik sampai admin memeriksanya. Halaman ini tetap dapat dibuka dengan nomor pelacakan.",
                        "This report is not in the public list or search until an administrator has checked it. This page still opens with the tracking ID.",
                    ))
                }
            }
            @if let Some(token) = self.reporter_token {
                div.token {
                    p { (ctx.t(
                        "Simpan kode rahasia ini: dengan kode ini hanya Anda yang dapat membaca laporan rahasia Anda dan menanggapinya.",
                        "Keep this secret code: with it, only you can read your confidential report and reply to it.",
                    )) }
                    code { (Typed(token)) }
                }
            }
            p.body { (Typed(&view.body)) }
            @if !self.attachments.is_empty() {
                h2 { (ctx.t("Lampiran", "Attachments")) }
                ul {
                    @for (n, (public_id, kind, size)) in self.attachments.iter().enumerate() {
                        li { a href=(format!("/api/v1/reports/{id}/attachments/{public_id}")) {
                            (ctx.t("Lampiran", "Attachment")) " " (n + 1) " (" (kind.to_uppercase()) ", " ((size + 1023) / 1024) " KB)"
                        } }
                    }
                }
            }
            h2 { (ctx.t("Riwayat", "History")) }
            ol.timeline {
                @for event in &view.timeline {
                    li {
                        time datetime=(event.at) { (when::rfc3339_in_words(&event.at, self.zone, ctx.lang).unwrap_or_else(|| event.at.clone())) }
                        " " strong { (event.event_type.label(ctx.lang)) }
                        @if let Some(text) = &event.text { p.body { (Typed(text)) } }
                    }
                }
            }
            (self.support(ctx))
            (self.comments_section(ctx))
            (self.follow(ctx))
            @if self.reporter_token.is_some() {
                (self.reporter(ctx))
            } @else {
                (claim_form(ctx, id, &self.csrf, self.notice))
            }
            p { a href=(ctx.href("/laporan")) { (ctx.t("Telusuri laporan lain", "Browse other reports")) } }
        })
    }

    fn support(&self, ctx: &Ctx) -> Markup {
        let view = self.view;
        let open = may_support(view.privacy, view.status).is_ok();
        html! {
            section #dukungan aria-labelledby="dukungan-h" {
                h2 #dukungan-h { (ctx.t("Dukungan", "Support")) }
                p.supports { strong { (self.supports) } " " (ctx.t("warga mendukung laporan ini", "people support this report")) }
                (form_alert(ctx, self.notice, FormId::Support))
                @if open {
                    (form(ctx, &view.tracking_id, "dukung", &self.csrf, "inline", html! {
                        @if self.supported {
                            input type="hidden" name="action" value="withdraw";
                            button.secondary type="submit" { (ctx.t("Batalkan dukungan", "Withdraw support")) }
                        } @else {
                            input type="hidden" name="action" value="add";
                            button type="submit" { (ctx.t("Dukung laporan ini", "Support this report")) }
                        }
                    }))
                } @else if !view.privacy.is_confidential() {
                    p.muted { (ctx.t(
                        "Dukungan dibuka setelah laporan diverifikasi dan diteruskan ke instansi.",
                        "Support opens once the report is verified and sent to the agency.",
                    )) }
                }
            }
        }
    }

    fn comments_section(&self, ctx: &Ctx) -> Markup {
        let view = self.view;
        if view.privacy.is_confidential() {
            return html! {};
        }
        let (c, fl) = (FormId::Comment, FormId::Flag);
        let notice = self.notice;
        html! {
            section #komentar aria-labelledby="komentar-h" {
                h2 #komentar-h { (ctx.t("Komentar", "Comments")) }
                @if self.comments.is_empty() {
                    p.muted { (ctx.t("Belum ada komentar.", "No comments yet.")) }
                }
                (form_alert(ctx, notice, fl))
                ol.comments {
                    // Comments are what strangers typed: every byte is escaped.
                    @for comment in self.comments {
                        li {
                            b { (Typed(comment.display_name.as_deref().unwrap_or(ctx.t("Warga", "Citizen")))) }
                            " " time datetime=(comment.created_at) { (when::rfc3339_in_words(&comment.created_at, self.zone, ctx.lang).unwrap_or_default()) }
                            p.body { (Typed(&comment.body)) }
                            details.flag {
                                summary { (ctx.t("Laporkan komentar ini", "Report this comment")) }
                                (form(ctx, &view.tracking_id, &format!("komentar/{}/tandai", comment.id), &self.csrf, "inline", html! {
                                    @let select_id = format!("flag-{}", comment.id);
                                    label for=(select_id) { (ctx.t("Alasan", "Reason")) }
                                    select id=(select_id) name="reason" {
                                        option value="spam" { (ctx.t("Spam atau iklan", "Spam or advertising")) }
                                        option value="kasar" { (ctx.t("Kasar atau menyerang", "Abusive")) }
                                        option value="data_pribadi" { (ctx.t("Memuat data pribadi", "Contains personal data")) }
                                        option value="lain" { (ctx.t("Lainnya", "Other")) }
                                    }
                                    button.secondary type="submit" { (ctx.t("Laporkan", "Report")) }
                                }))
                            }
                        }
                    }
                }
                @if may_comment(view.privacy, view.status).is_ok() {
                    h3 { (ctx.t("Tulis komentar", "Write a comment")) }
                    (form_alert(ctx, notice, c))
                    (form(ctx, &view.tracking_id, "komentar", &self.csrf, "stack", html! {
                        (field(notice, c, "display_name", "comment-name", ctx.t("Nama tampilan (boleh kosong)", "Display name (optional)"), |d| html! {
                            input #comment-name type="text" name="display_name" maxlength="60" value=(notice.value(c, "display_name"))
                                aria-invalid=[d.map(|_| "true")] aria-describedby=[d];
                        }))
                        (field(notice, c, "body", "comment-body", ctx.t("Komentar", "Comment"), |d| html! {
                            textarea #comment-body name="body" rows="4" maxlength="2000" required
                                aria-invalid=[d.map(|_| "true")] aria-describedby=[d] { (notice.value(c, "body")) }
                        }))
                        button type="submit" { (ctx.t("Kirim komentar", "Post comment")) }
                    }))
                }
            }
        }
    }

    fn follow(&self, ctx: &Ctx) -> Markup {
        let (f, p) = (FormId::Follow, FormId::Phone);
        let notice = self.notice;
        let id = self.view.tracking_id.as_str();
        let chosen = notice.value(f, "channel");
        let channel_name = |c: FollowChannel| match c {
            FollowChannel::Sms => "SMS",
            FollowChannel::Whatsapp => "WhatsApp",
            FollowChannel::Email => ctx.t("E-mail", "E-mail"),
            FollowChannel::Webhook => "Webhook",
        };
        html! {
            section #kawal aria-labelledby="kawal-h" {
                h2 #kawal-h { (ctx.t("Kawal laporan ini", "Follow this report")) }
                p.muted { (ctx.t(
                    "Dapatkan kabar setiap kali laporan ini diteruskan, ditanggapi, atau selesai.",
                    "Hear whenever this report is sent on, answered or completed.",
                )) }
                (form_alert(ctx, notice, f))
                (form(ctx, id, "kawal", &self.csrf, "stack", html! {
                    (field(notice, f, "channel", "follow-channel", ctx.t("Lewat", "By"), |d| html! {
                        select #follow-channel name="channel" aria-invalid=[d.map(|_| "true")] aria-describedby=[d] {
                            @for channel in [FollowChannel::Email, FollowChannel::Sms, FollowChannel::Whatsapp, FollowChannel::Webhook] {
                                option value=(channel.as_str()) selected[chosen == channel.as_str()] { (channel_name(channel)) }
                            }
                        }
                    }))
                    (field(notice, f, "address", "follow-address", ctx.t("Alamat e-mail, nomor, atau URL", "E-mail address, number or URL"), |d| html! {
                        input #follow-address type="text" name="address" required autocomplete="email" value=(notice.value(f, "address"))
                            aria-invalid=[d.map(|_| "true")] aria-describedby=[d];
                    }))
                    button type="submit" { (ctx.t("Kawal", "Follow")) }
                }))
                @if !self.phone_proved {
                    h3 { (ctx.t("SMS atau WhatsApp: buktikan nomor Anda", "SMS or WhatsApp: prove your number")) }
                    p.muted { (ctx.t(
                        "Kabar lewat SMS dan WhatsApp hanya dikirim ke nomor yang sudah Anda buktikan dengan kode SMS.",
                        "SMS and WhatsApp messages go only to a number you have proved with an SMS code.",
                    )) }
                    (form_alert(ctx, notice, p))
                    (form(ctx, id, "telepon", &self.csrf, "stack", html! {
                        (field(notice, p, "phone", "phone", ctx.t("Nomor ponsel", "Mobile number"), |d| html! {
                            input #phone type="tel" name="phone" autocomplete="tel" placeholder="0812-3456-7890" value=(notice.value(p, "phone"))
                                aria-invalid=[d.map(|_| "true")] aria-describedby=[d];
                        }))
                        button.secondary type="submit" name="step" value="send" { (ctx.t("Kirim kode", "Send code")) }
                        (field(notice, p, "code", "code", ctx.t("Kode 6 angka dari SMS", "6-digit code from the SMS"), |d| html! {
                            input #code type="text" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="6"
                                aria-invalid=[d.map(|_| "true")] aria-describedby=[d];
                        }))
                        button type="submit" name="step" value="prove" { (ctx.t("Buktikan nomor", "Prove number")) }
                    }))
                }
            }
        }
    }

    fn reporter(&self, ctx: &Ctx) -> Markup {
        let view = self.view;
        let id = view.tracking_id.as_str();
        let notice = self.notice;
        let (r, s, u) = (FormId::Reply, FormId::Rate, FormId::Upload);
        let rated = view.timeline.iter().any(|e| e.event_type == EventType::Rated);
        html! {
            section #pelapor aria-labelledby="pelapor-h" {
                h2 #pelapor-h { (ctx.t("Untuk pelapor", "For the reporter")) }
                @if matches!(view.status, Status::OnHold | Status::Responded) {
                    h3 { (ctx.t("Balas", "Reply")) }
                    p.muted { @if view.status == Status::OnHold {
                        (ctx.t("Admin menunggu keterangan Anda. Balasan Anda mengembalikan laporan ke verifikasi.", "The administrators are waiting for your details. Your reply returns the report to verification."))
                    } @else {
                        (ctx.t("Belum selesai? Balasan Anda mengembalikan laporan ke instansi.", "Not resolved? Your reply sends the report back to the agency."))
                    } }
                    (form_alert(ctx, notice, r))
                    (form(ctx, id, "balas", &self.csrf, "stack", html! {
                        (field(notice, r, "body", "reply-body", ctx.t("Balasan Anda", "Your reply"), |d| html! {
                            textarea #reply-body name="body" rows="4" required aria-invalid=[d.map(|_| "true")] aria-describedby=[d] { (notice.value(r, "body")) }
                        }))
                        button type="submit" { (ctx.t("Kirim balasan", "Send reply")) }
                    }))
                }
                @if reporter::may_rate(view.status) && !rated {
                    h3 { (ctx.t("Beri nilai penanganan", "Rate the handling")) }
                    (form_alert(ctx, notice, s))
                    (form(ctx, id, "nilai", &self.csrf, "stack", html! {
                        (field(notice, s, "score", "rate-score", ctx.t("Nilai (1 buruk, 5 sangat baik)", "Score (1 poor, 5 excellent)"), |d| html! {
                            select #rate-score name="score" aria-invalid=[d.map(|_| "true")] aria-describedby=[d] {
                                @for n in (1..=5).rev() {
                                    option value=(n) selected[notice.value(s, "score") == n.to_string()] { (n) }
                                }
                            }
                        }))
                        (field(notice, s, "comment", "rate-comment", ctx.t("Catatan (boleh kosong)", "Note (optional)"), |d| html! {
                            textarea #rate-comment name="comment" rows="3" aria-invalid=[d.map(|_| "true")] aria-describedby=[d] { (notice.value(s, "comment")) }
                        }))
                        button type="submit" { (ctx.t("Kirim nilai", "Send rating")) }
                    }))
                }
                h3 { (ctx.t("Tambah lampiran", "Add an attachment")) }
                p.muted { (ctx.t(
                    "Foto JPEG atau PNG, atau PDF, paling besar 5 MB; paling banyak 5 berkas. Metadata foto (lokasi GPS, kamera) dihapus.",
                    "JPEG or PNG photos, or PDFs, up to 5 MB; at most 5 files. Photo metadata (GPS location, camera) is removed.",
                )) }
                (form_alert(ctx, notice, u))
                form.stack method="post" enctype="multipart/form-data" action=(ctx.href(&format!("/lapor/{id}/lampiran"))) {
                    input type="hidden" name="csrf" value=(self.csrf);
                    (field(notice, u, "file", "upload-file", ctx.t("Berkas", "File"), |d| html! {
                        input #upload-file type="file" name="file" required accept="image/jpeg,image/png,application/pdf"
                            aria-invalid=[d.map(|_| "true")] aria-describedby=[d];
                    }))
                    button type="submit" { (ctx.t("Unggah", "Upload")) }
                }
            }
        }
    }
}

/// The tracking-ID form (on `/lapor` and on the home page): a GET to
/// `/lapor`, which redirects to the report's page.
pub fn lookup_form(ctx: &Ctx, field_id: &str) -> Markup {
    html! {
        form.lookup method="get" action="/lapor" role="search" {
            div {
                label for=(field_id) { (ctx.t("Nomor pelacakan", "Tracking ID")) }
                input #(field_id) type="text" name="id" required autocomplete="off" autocapitalize="characters"
                    spellcheck="false" placeholder="7K3QD-M2X9C" aria-describedby=(format!("{field_id}-hint"));
            }
            @if ctx.lang_in_address {
                input type="hidden" name="lang" value=(ctx.lang.tag());
            }
            button type="submit" { (ctx.t("Lacak", "Track")) }
        }
        p.muted #(format!("{field_id}-hint")) { (ctx.t(
            "10 huruf dan angka, tertera saat laporan dikirim.",
            "10 letters and digits, shown when the report was sent.",
        )) }
    }
}

/// `GET /lapor` without `?id=`.
pub fn lookup_page(ctx: &Ctx) -> Response {
    let heading = ctx.t("Lacak laporan", "Track a report");
    let content = html! {
        h1 { (heading) }
        (lookup_form(ctx, "lookup-id"))
    };
    page_response(ctx, 200, document(ctx, heading, Section::Track, content))
}
