//! `/embed/{agency}`: the compact report form an agency's website shows in
//! an iframe (inserted by `/embed.js`), already aimed at that agency; its
//! reports carry the channel `embed:<agency>`.
//!
//! - Filing goes through `lapor_platform::intake::file`, the same path as the
//!   API and `/lapor/baru` (field rules, idempotency, rate limits).
//! - Who may frame it: the agency's allowed origins (`embeds::allowed_origins`,
//!   set by administrators) as `frame-ancestors`; none listed, any website.
//! - The page tells its height to the embedding page only when that page's
//!   origin (`?parent=`, checked against the same list) is known, and only
//!   to that origin (`embed-frame.js`; `embed.js` checks the other way).
//! - Nothing depends on cookies: in an iframe on another site they are
//!   third-party and often dropped. The confirmation (the answer to the POST
//!   itself) shows the tracking ID and the reporter token whatever cookies
//!   do, and the idempotency key travels in the form.

use lapor_domain::codes::AgencyCode;
use lapor_domain::embed::{frame_ancestors, may_embed, EmbedOrigin};
use lapor_domain::invalid::Invalid;
use lapor_domain::report::{Channel, Kind, NewReport};
use lapor_platform::db::Db;
use lapor_platform::intake::{self, Filed, Refused, Submission};
use lapor_platform::request::{form_urlencoded_pairs, ApiRequest};
use lapor_platform::response::{html as html_response, ApiError};
use lapor_platform::store::AgencyRow;
use lapor_platform::{embeds, headers, random, store};
use maud::{html, Markup, DOCTYPE};
use spin_sdk::http::Response;

use crate::layout::{Ctx, Typed};

/// The compact form's fields and their text: a few kilobytes.
pub const BODY_LIMIT: usize = 64 * 1024;

/// What the person typed, to render the form again.
#[derive(Debug, Clone, Default)]
struct Values {
    kind: String,
    title: String,
    body: String,
    visibility: String,
    reporter_identity: String,
    name: String,
    phone: String,
    email: String,
    idempotency_key: String,
    parent: String,
}

impl Values {
    fn read(fields: &[(String, String)]) -> Values {
        let get = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
        Values {
            kind: get("kind"),
            title: get("title"),
            body: get("body"),
            visibility: get("visibility"),
            reporter_identity: get("reporter_identity"),
            name: get("reporter.name"),
            phone: get("reporter.phone"),
            email: get("reporter.email"),
            idempotency_key: get("idempotency_key"),
            parent: get("parent"),
        }
    }

    /// The report in the API's form shape, aimed at `agency`.
    fn report_pairs(&self, agency: &str) -> Vec<(String, String)> {
        [
            ("kind", self.kind.as_str()),
            ("title", self.title.as_str()),
            ("body", self.body.as_str()),
            ("agency", agency),
            ("visibility", self.visibility.as_str()),
            ("reporter_identity", self.reporter_identity.as_str()),
            ("reporter.name", self.name.as_str()),
            ("reporter.phone", self.phone.as_str()),
            ("reporter.email", self.email.as_str()),
        ]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }
}

/// The agency a path names (an unknown one is a 404 page).
fn agency(db: &Db, raw: &str) -> anyhow::Result<Option<AgencyRow>> {
    let decoded = percent_encoding::percent_decode_str(raw).decode_utf8_lossy();
    let Ok(code) = AgencyCode::parse("agency", &decoded) else { return Ok(None) };
    store::find_agency(db, code.as_str())
}

/// The embedding page's origin, if it is one that may embed this agency.
fn parent_origin(raw: &str, allowed: &[EmbedOrigin]) -> Option<EmbedOrigin> {
    EmbedOrigin::parse("parent", raw).ok().filter(|origin| may_embed(allowed, origin))
}

/// `GET /embed/{agency}?parent=<origin>&lang=`.
pub fn form_page(ctx: &Ctx, request: &ApiRequest, raw_agency: &str) -> anyhow::Result<Response> {
    let db = Db::open()?;
    let Some(agency) = agency(&db, raw_agency)? else { return Ok(not_found(ctx)) };
    let allowed = embeds::allowed_origins(&db, &agency.code)?;
    let values = Values {
        kind: Kind::Pengaduan.as_str().to_string(),
        visibility: "public".into(),
        reporter_identity: "named".into(),
        idempotency_key: random::hex_id()?,
        parent: request.query("parent").unwrap_or_default().to_string(),
        ..Values::default()
    };
    Ok(respond(ctx, 200, &agency, &allowed, &values, form(ctx, &agency, &values, &[], None)))
}

/// `POST /embed/{agency}`: files the report (or shows the form again with
/// every problem beside its field).
pub fn submit(ctx: &Ctx, request: &ApiRequest, raw_agency: &str) -> anyhow::Result<Response> {
    let db = Db::open()?;
    let Some(agency) = agency(&db, raw_agency)? else { return Ok(not_found(ctx)) };
    let allowed = embeds::allowed_origins(&db, &agency.code)?;
    let fields = std::str::from_utf8(&request.body).map(form_urlencoded_pairs).unwrap_or_default();
    let mut values = Values::read(&fields);
    if values.idempotency_key.trim().is_empty() {
        values.idempotency_key = random::hex_id()?;
    }
    let Ok(code) = AgencyCode::parse("agency", &agency.code) else { return Ok(not_found(ctx)) };
    let pairs = values.report_pairs(&agency.code);
    let submission = Submission {
        json: NewReport::form_to_json(pairs.clone()),
        channel: Channel::Embed(code),
        idempotency_key: Some(values.idempotency_key.clone()),
        fingerprint: intake::form_fingerprint(&pairs, &[]),
        attachments: Vec::new(),
        invalid: Vec::new(),
    };
    let (status, content) = match intake::file(request, submission) {
        Ok(filed) => (200, confirmation(ctx, &filed)),
        Err(Refused::Fields(invalid)) => (422, form(ctx, &agency, &values, &invalid, None)),
        Err(Refused::Other(ApiError::Problem(problem, _))) => {
            if super::report_form::is_reused_key(&problem) {
                // The report form's rule: look again, then send as a new report.
                values.idempotency_key = random::hex_id()?;
                (422, form(ctx, &agency, &values, &[], Some(super::report_form::reused_key_message(ctx))))
            } else {
                (problem.status, form(ctx, &agency, &values, &[], Some(&problem.detail)))
            }
        }
        Err(Refused::Other(ApiError::Internal(e))) => {
            eprintln!("filing from an embed failed: {e:#}");
            let message = ctx.t(
                "Terjadi kesalahan di pihak kami. Laporan Anda belum tersimpan; silakan kirim lagi.",
                "Something failed on our side. Your report was not saved; please send it again.",
            );
            (500, form(ctx, &agency, &values, &[], Some(message)))
        }
    };
    Ok(respond(ctx, status, &agency, &allowed, &values, content))
}

/// The page around `content`, with the agency's `frame-ancestors`.
fn respond(ctx: &Ctx, status: u16, agency: &AgencyRow, allowed: &[EmbedOrigin], values: &Values, content: Markup) -> Response {
    let parent = parent_origin(&values.parent, allowed);
    let page = html! {
        (DOCTYPE)
        html lang=(ctx.lang.tag()) data-parent-origin=[parent.as_ref().map(EmbedOrigin::as_str)] {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width,initial-scale=1";
                title { (ctx.t("Lapor ke ", "Report to ")) (agency.name) " · LAPOR" }
                link rel="stylesheet" href=(lapor_web_assets::APP_CSS);
                link rel="icon" href="data:,";
                script src=(lapor_web_assets::EMBED_FRAME_JS) defer {}
            }
            body.embed {
                main #isi { (content) }
                footer.embed {
                    (ctx.t("Layanan ", "A service of "))
                    a href=(ctx.href("/")) target="_blank" rel="noopener" { "LAPOR!" }
                }
            }
        }
    };
    let mut response = html_response(status, page.into_string(), ctx.lang);
    response.set_header("content-security-policy", headers::content_security_policy(&frame_ancestors(allowed)));
    response
}

fn not_found(ctx: &Ctx) -> Response {
    crate::message_page(ctx, 404, "404", ctx.t("Instansi ini tidak ada di direktori.", "This agency is not in the directory."))
}

fn beside(ctx: &Ctx, invalid: &[Invalid], field: &str) -> Markup {
    html! {
        @for e in invalid.iter().filter(|e| e.field == field) {
            p.error id=(format!("e-{}", field.replace('.', "-"))) { (Typed(ctx.t(&e.id, &e.en))) }
        }
    }
}

fn described_by(invalid: &[Invalid], field: &str) -> Option<String> {
    invalid.iter().any(|e| e.field == field).then(|| format!("e-{}", field.replace('.', "-")))
}

fn form(ctx: &Ctx, agency: &AgencyRow, values: &Values, invalid: &[Invalid], notice: Option<&str>) -> Markup {
    let action = ctx.href(&format!("/embed/{}", agency.code));
    let text = |name: &str, label: &str, kind: &str, value: &str, autocomplete: &str| {
        let id = format!("f-{}", name.replace('.', "-"));
        html! {
            div.field {
                label for=(id) { (label) }
                (beside(ctx, invalid, name))
                input id=(id) type=(kind) name=(name) value=(value) autocomplete=(autocomplete)
                    aria-invalid=[described_by(invalid, name).map(|_| "true")] aria-describedby=[described_by(invalid, name)];
            }
        }
    };
    let radio = |name: &str, value: &str, chosen: &str, label: &str, hint: &str| {
        let id = format!("f-{name}-{value}");
        html! {
            div.choice {
                input type="radio" id=(id) name=(name) value=(value) checked[chosen == value];
                label for=(id) { (label) span.hint { (hint) } }
            }
        }
    };
    html! {
        h1 { (ctx.t("Lapor ke ", "Report to ")) (agency.name) }
        @if let Some(notice) = notice { div.notice role="alert" { p { (Typed(notice)) } } }
        @if !invalid.is_empty() {
            div.summary role="alert" {
                h2 { (ctx.t("Ada isian yang perlu diperbaiki", "Some fields need fixing")) }
                ul { @for e in invalid { li { a href=(format!("#f-{}", e.field.replace('.', "-"))) { (Typed(ctx.t(&e.id, &e.en))) } } } }
            }
        }
        form.report method="post" action=(action) {
            input type="hidden" name="idempotency_key" value=(values.idempotency_key);
            input type="hidden" name="parent" value=(values.parent);
            fieldset #f-kind {
                legend { (ctx.t("Jenis laporan", "Kind of report")) }
                (beside(ctx, invalid, "kind"))
                (radio("kind", "pengaduan", &values.kind, ctx.t("Pengaduan", "Complaint"), ctx.t("Ada masalah layanan publik.", "A public service has a problem.")))
                (radio("kind", "aspirasi", &values.kind, ctx.t("Aspirasi", "Suggestion"), ctx.t("Usul atau saran perbaikan.", "An idea or a suggestion.")))
                (radio("kind", "permintaan_informasi", &values.kind, ctx.t("Permintaan informasi", "Information request"), ctx.t("Meminta informasi publik.", "Asking for public information.")))
            }
            (text("title", ctx.t("Judul", "Title"), "text", &values.title, "off"))
            div.field {
                label for="f-body" { (ctx.t("Isi laporan", "What happened")) }
                (beside(ctx, invalid, "body"))
                textarea #f-body name="body" rows="6"
                    aria-invalid=[described_by(invalid, "body").map(|_| "true")] aria-describedby=[described_by(invalid, "body")] { (values.body) }
            }
            fieldset #f-visibility {
                legend { (ctx.t("Siapa yang boleh membaca?", "Who may read it?")) }
                (beside(ctx, invalid, "visibility"))
                (radio("visibility", "public", &values.visibility, ctx.t("Publik", "Public"), ctx.t("Siapa pun dapat membaca laporan ini.", "Anyone can read this report.")))
                (radio("visibility", "confidential", &values.visibility, ctx.t("Rahasia", "Confidential"), ctx.t("Hanya Anda, admin, dan instansi tujuan.", "Only you, the administrators and the agency.")))
            }
            fieldset #f-reporter_identity {
                legend { (ctx.t("Boleh instansi tahu siapa Anda?", "May the agency know who you are?")) }
                (beside(ctx, invalid, "reporter_identity"))
                (radio("reporter_identity", "named", &values.reporter_identity, ctx.t("Ya", "Yes"), ctx.t("Instansi dapat menghubungi Anda.", "The agency can contact you.")))
                (radio("reporter_identity", "anonymous", &values.reporter_identity, ctx.t("Anonim", "Anonymous"), ctx.t("Identitas Anda hanya diketahui admin.", "Only the administrators know who you are.")))
            }
            (text("reporter.name", ctx.t("Nama (boleh kosong)", "Name (optional)"), "text", &values.name, "name"))
            (text("reporter.phone", ctx.t("Nomor HP (boleh kosong)", "Mobile number (optional)"), "tel", &values.phone, "tel"))
            (text("reporter.email", ctx.t("E-mail (boleh kosong)", "E-mail (optional)"), "email", &values.email, "email"))
            button type="submit" { (ctx.t("Kirim laporan", "Send report")) }
        }
    }
}

/// The answer to a filed report: the tracking ID and the reporter token,
/// in the page itself (never a cookie, never a URL).
fn confirmation(ctx: &Ctx, filed: &Filed) -> Markup {
    let id = &filed.tracking_id;
    html! {
        h1 { (ctx.t("Laporan Anda sudah kami terima", "We have received your report")) }
        p { (ctx.t("Nomor pelacakan laporan Anda:", "Your report's tracking ID:")) }
        p.bigid { strong #nomor { (id) } }
        p.advice { strong { (ctx.t("Simpan nomor ini.", "Save this number.")) } " " (ctx.t("Dengan nomor ini Anda dapat melacak laporan Anda.", "With this number you can track your report.")) }
        div.token role="note" {
            h2 { (ctx.t("Kode rahasia pelapor (hanya ditampilkan sekali)", "Reporter's secret code (shown only once)")) }
            p { (ctx.t(
                "Dengan kode ini hanya Anda yang dapat membaca laporan rahasia Anda dan menanggapi jawaban instansi. Simpan di tempat aman.",
                "With this code only you can read your confidential report and reply to the agency. Keep it somewhere safe.",
            )) }
            p { code #kode { (Typed(filed.token.as_str())) } }
        }
        p { a href=(ctx.href(&format!("/lapor/{id}"))) target="_blank" rel="noopener" { (ctx.t("Buka halaman laporan di LAPOR!", "Open the report's page on LAPOR!")) } }
    }
}
