//! `GET /lapor/baru`: the report form, and `POST /lapor/baru`: filing it.
//!
//! The form posts `multipart/form-data` (its photos are real file uploads)
//! and is read here into a `lapor_platform::intake::Submission`, then filed
//! by `intake::file`, the same code path as `POST /api/v1/reports`: the same
//! field rules, directory and category checks, idempotency, rate limits and
//! attachment checks (`CleanAttachment::parse`: type by bytes, metadata
//! removed). Field names are the API's (`reporter.phone`, `location.address`),
//! so every field error lands beside its field.
//!
//! Without JavaScript everything works: choosing a province, or searching
//! the agency directory, posts the form with a `step` button, and the page
//! comes back with the typed values kept and the regencies / matching
//! agencies listed (nothing is filed). The only script, `form.js`, adds a
//! live character count and copy buttons.
//!
//! A hidden `idempotency_key`, fresh each time the form is first rendered and
//! kept across its re-renders, makes a double submit file once: the second
//! post is answered with the first one's confirmation.

use lapor_domain::attachment::{CleanAttachment, MAX_ATTACHMENTS_PER_REPORT, MAX_ATTACHMENT_BYTES};
use lapor_domain::invalid::Invalid;
use lapor_domain::report::{Channel, Kind, NewReport};
use lapor_domain::text::{Body, Title};
use lapor_domain::view::CategoryView;
use lapor_platform::db::Db;
use lapor_platform::intake::{self, Filed, Refused, Submission, ATTACHMENTS_FIELD};
use lapor_platform::multipart::{self, Part};
use lapor_platform::request::{form_urlencoded_pairs, ApiRequest};
use lapor_platform::response::ApiError;
use lapor_platform::store::{self, AgencyFilter, AgencyRow};
use lapor_platform::{categories, random};
use maud::{html, Markup};
use spin_sdk::http::Response;

use crate::layout::{document_with_script, Ctx, Section, Typed};
use crate::page_response;

/// The largest form body: five files of the attachment limit, the fields,
/// and the multipart framing.
pub const BODY_LIMIT: usize = MAX_ATTACHMENTS_PER_REPORT * MAX_ATTACHMENT_BYTES + 128 * 1024;
/// Fields and files a form may have (it has about twenty fields).
const MAX_PARTS: usize = 40;
/// Agencies listed for a search.
const AGENCY_MATCHES: u32 = 25;

/// What the person typed or chose, as text, to render the form again.
#[derive(Debug, Clone, Default)]
struct Values {
    kind: String,
    title: String,
    body: String,
    category: String,
    province: String,
    region: String,
    agency: String,
    agency_q: String,
    address: String,
    incident_date: String,
    visibility: String,
    reporter_identity: String,
    name: String,
    phone: String,
    email: String,
    idempotency_key: String,
}

impl Values {
    fn fresh() -> anyhow::Result<Values> {
        Ok(Values {
            kind: Kind::Pengaduan.as_str().to_string(),
            visibility: "public".into(),
            reporter_identity: "named".into(),
            idempotency_key: random::hex_id()?,
            ..Values::default()
        })
    }

    /// The form's fields, by the names the page gives them.
    fn read(fields: &[(String, String)]) -> Values {
        let get = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
        Values {
            kind: get("kind"),
            title: get("title"),
            body: get("body"),
            category: get("category"),
            province: get("province"),
            region: get("region"),
            agency: get("agency"),
            agency_q: get("agency_q"),
            address: get("location.address"),
            incident_date: get("incident_date"),
            visibility: get("visibility"),
            reporter_identity: get("reporter_identity"),
            name: get("reporter.name"),
            phone: get("reporter.phone"),
            email: get("reporter.email"),
            idempotency_key: get("idempotency_key"),
        }
    }

    /// The regency or city if one is chosen inside the chosen province,
    /// else the province.
    fn region_code(&self) -> &str {
        if !self.region.is_empty() && (self.province.is_empty() || self.region.starts_with(&format!("{}.", self.province))) {
            &self.region
        } else {
            &self.province
        }
    }

    /// The report's fields in the API's form shape (empty ones left out:
    /// an optional field left empty is absent).
    fn report_pairs(&self) -> Vec<(String, String)> {
        let pairs = [
            ("kind", self.kind.as_str()),
            ("title", self.title.as_str()),
            ("body", self.body.as_str()),
            ("category", self.category.as_str()),
            ("agency", self.agency.as_str()),
            ("region", self.region_code()),
            ("location.address", self.address.as_str()),
            ("incident_date", self.incident_date.as_str()),
            ("visibility", self.visibility.as_str()),
            ("reporter_identity", self.reporter_identity.as_str()),
            ("reporter.name", self.name.as_str()),
            ("reporter.phone", self.phone.as_str()),
            ("reporter.email", self.email.as_str()),
        ];
        pairs.into_iter().filter(|(_, v)| !v.trim().is_empty()).map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }
}

/// `GET /lapor/baru` (`?agency=` preselects an agency, `?province=` a province).
pub fn form_page(ctx: &Ctx, request: &ApiRequest) -> anyhow::Result<Response> {
    let mut values = Values::fresh()?;
    for (name, slot) in [("agency", &mut values.agency), ("province", &mut values.province), ("category", &mut values.category)] {
        if let Some(v) = request.query(name) {
            *slot = v.trim().to_string();
        }
    }
    render(ctx, 200, &values, &[], None)
}

/// `POST /lapor/baru`: a step (list regencies, search agencies) or filing.
pub fn submit(ctx: &Ctx, request: &ApiRequest) -> anyhow::Result<Response> {
    let parts = match read_parts(request) {
        Ok(parts) => parts,
        Err(message) => {
            let values = Values::fresh()?;
            let message = message.unwrap_or_else(|| {
                ctx.t("Formulir tidak dapat dibaca. Isi dan kirim lagi.", "The form could not be read. Please fill it in and send it again.").to_string()
            });
            return render(ctx, 400, &values, &[], Some(&message));
        }
    };
    let fields: Vec<(String, String)> =
        parts.iter().filter(|p| p.file_name.is_none()).map(|p| (p.name.clone(), p.text())).collect();
    let mut values = Values::read(&fields);
    if values.idempotency_key.trim().is_empty() {
        values.idempotency_key = random::hex_id()?;
    }
    if fields.iter().any(|(k, v)| k == "step" && !v.is_empty()) {
        // Choosing a province or searching agencies: the same form again.
        return render(ctx, 200, &values, &[], None);
    }

    let mut invalid = Vec::new();
    let mut attachments = Vec::new();
    for file in parts.iter().filter(|p| p.name == ATTACHMENTS_FIELD && p.file_name.is_some()) {
        let file_name = file.file_name.as_deref().unwrap_or_default();
        if file.bytes.is_empty() && file_name.is_empty() {
            continue; // a file input left empty
        }
        match CleanAttachment::parse(&file.bytes) {
            Ok(clean) => attachments.push(clean),
            Err(e) => invalid.push(e.invalid(ATTACHMENTS_FIELD, file_name)),
        }
    }
    let pairs = values.report_pairs();
    let submission = Submission {
        json: NewReport::form_to_json(pairs.clone()),
        channel: Channel::Web,
        idempotency_key: Some(values.idempotency_key.clone()),
        fingerprint: intake::form_fingerprint(&pairs, &attachments),
        attachments,
        invalid,
    };
    match intake::file(request, submission) {
        Ok(filed) => Ok(confirmation(ctx, &filed)),
        Err(Refused::Fields(invalid)) => render(ctx, 422, &values, &invalid, None),
        Err(Refused::Other(ApiError::Problem(problem, headers))) => {
            if is_reused_key(&problem) {
                // Sent before with other content (back, edit, send): this is
                // a new report, so it gets a new key once the person has
                // looked at it again.
                values.idempotency_key = random::hex_id()?;
                return render(ctx, 422, &values, &[], Some(reused_key_message(ctx)));
            }
            let mut response = render(ctx, problem.status, &values, &[], Some(&problem.detail))?;
            for (name, value) in headers {
                response.set_header(name, value);
            }
            Ok(response)
        }
        Err(Refused::Other(ApiError::Internal(e))) => {
            eprintln!("filing from the form failed: {e:#}");
            let message = ctx.t(
                "Terjadi kesalahan di pihak kami. Laporan Anda belum tersimpan; isian Anda masih di bawah ini, silakan kirim lagi.",
                "Something failed on our side. Your report was not saved; what you typed is still below, please send it again.",
            );
            render(ctx, 500, &values, &[], Some(message))
        }
    }
}

/// Whether intake refused the form's key as already used for other content.
pub(crate) fn is_reused_key(problem: &lapor_domain::problem::Problem) -> bool {
    problem.type_uri.ends_with("/idempotency-key-reused")
}

/// What a form whose key was used for other content tells the person.
pub(crate) fn reused_key_message(ctx: &Ctx) -> &'static str {
    ctx.t(
        "Formulir ini sudah pernah terkirim dengan isi yang berbeda. Periksa isinya, lalu kirim lagi sebagai laporan baru.",
        "This form was already sent with different content. Check it, then send it again as a new report.",
    )
}

/// The form's parts; `Err(Some(message))` for a body that is too large or
/// no form, `Err(None)` for one that cannot be read.
fn read_parts(request: &ApiRequest) -> Result<Vec<Part>, Option<String>> {
    match request.media_type().as_str() {
        "multipart/form-data" => {
            multipart::parse(request.header("content-type").unwrap_or(""), request.body.clone(), MAX_PARTS).map_err(|e| {
                eprintln!("unreadable report form: {}", e.0);
                None
            })
        }
        // A form without files (an old page, a test): the same fields.
        "application/x-www-form-urlencoded" => {
            let body = std::str::from_utf8(&request.body).map_err(|_| None)?;
            Ok(form_urlencoded_pairs(body)
                .into_iter()
                .map(|(name, value)| Part { name, file_name: None, bytes: value.into_bytes() })
                .collect())
        }
        _ => Err(None),
    }
}

/// The confirmation, rendered as the answer to the POST itself (`no-store`)
/// rather than behind a redirect: the reporter token must reach the person
/// whatever their browser does with cookies (a `SameSite=Strict` cookie is
/// dropped on a cross-site post from an agency's embed, and some browsers
/// refuse cookies altogether), and a token must never travel in a URL. A
/// reload re-posts the same form with the same idempotency key, which is
/// answered with this same page (same ID, same token), never a second report.
fn confirmation(ctx: &Ctx, filed: &Filed) -> Response {
    let id = &filed.tracking_id;
    let page = html! {
        h1 { (ctx.t("Laporan Anda sudah kami terima", "We have received your report")) }
        p { (ctx.t("Nomor pelacakan laporan Anda:", "Your report's tracking ID:")) }
        p.bigid { strong #nomor data-copy { (id) } }
        p.advice {
            strong { (ctx.t("Simpan nomor ini.", "Save this number.")) }
            " "
            (ctx.t(
                "Catat, foto layar, atau salin nomor ini: dengan nomor ini Anda dan siapa pun dapat melacak laporan Anda, juga tanpa akun.",
                "Write it down, take a screenshot or copy it: with this number you (and anyone) can track your report, without an account.",
            ))
        }
        div.token role="note" {
            h2 { (ctx.t("Kode rahasia pelapor (hanya ditampilkan sekali)", "Reporter's secret code (shown only once)")) }
            p { (ctx.t(
                "Dengan kode ini hanya Anda yang dapat membaca laporan rahasia Anda, menanggapi jawaban instansi, menilai, dan menambah lampiran. Kami tidak menyimpannya dan tidak dapat menampilkannya lagi: simpan di tempat aman dan jangan berikan kepada siapa pun.",
                "With this code only you can read your confidential report, reply to the agency, rate the answer and add attachments. We do not keep it and cannot show it again: store it somewhere safe and give it to no one.",
            )) }
            p { code #kode data-copy { (Typed(filed.token.as_str())) } }
        }
        h2 { (ctx.t("Selanjutnya", "What happens next")) }
        p { (ctx.t(
            "Admin memeriksa laporan Anda dan meneruskannya ke instansi yang berwenang dalam 3 hari kerja; instansi menanggapi dalam 5 hari kerja.",
            "An administrator checks your report and passes it to the agency responsible within 3 working days; the agency answers within 5 working days.",
        )) }
        ul {
            li { a href=(ctx.href(&format!("/lapor/{id}#kawal"))) { (ctx.t("Ikuti laporan ini lewat SMS, WhatsApp atau e-mail", "Follow this report by SMS, WhatsApp or e-mail")) } }
            li { a href=(ctx.href(&format!("/lapor/{id}"))) { (ctx.t("Buka halaman laporan", "Open the report's page")) } }
            li { a href=(ctx.href("/lapor/baru")) { (ctx.t("Kirim laporan lain", "File another report")) } }
        }
    };
    let title = ctx.t("Laporan terkirim", "Report filed");
    let mut response = page_response(ctx, 200, document_with_script(ctx, title, Section::Report, page, Some(lapor_web_assets::FORM_JS)));
    response.set_header("cache-control", "no-store");
    // The tracking page also knows the reporter while cookies work (the
    // API's form answer sets the same cookie); the page above never needs it.
    response.set_header(
        "set-cookie",
        format!("lapor_token={}; Path=/lapor/{id}; Max-Age=86400; HttpOnly; Secure; SameSite=Strict", filed.token.as_str()),
    );
    if filed.replayed {
        response.set_header("idempotent-replayed", "true");
    }
    response
}

/// A province or regency/city as the selects show it: (region code, name).
struct Region {
    code: String,
    name: String,
}

/// The provinces, from the directory's provincial governments.
fn provinces(db: &Db) -> anyhow::Result<Vec<Region>> {
    let filter = AgencyFilter { agency_type: Some("pemprov".into()), ..AgencyFilter::default() };
    let mut rows: Vec<Region> = store::list_agencies(db, &filter, 100)?
        .into_iter()
        .filter_map(|a| Some(Region { code: a.region?, name: a.name.trim_start_matches("Pemerintah Provinsi ").to_string() }))
        .collect();
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(rows)
}

/// The regencies and cities of `province`.
fn regencies(db: &Db, province: &str) -> anyhow::Result<Vec<Region>> {
    if lapor_domain::codes::RegionCode::parse("province", province).is_err() || province.contains('.') {
        return Ok(Vec::new());
    }
    let filter = AgencyFilter { region: Some(province.to_string()), ..AgencyFilter::default() };
    let mut rows: Vec<Region> = store::list_agencies(db, &filter, 200)?
        .into_iter()
        .filter(|a| a.agency_type == "pemkab" || a.agency_type == "pemkot")
        .filter_map(|a| Some(Region { code: a.region?, name: a.name.trim_start_matches("Pemerintah ").to_string() }))
        .collect();
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(rows)
}

/// The agencies the select offers: the chosen one, the search's matches,
/// and the local governments of the chosen region.
fn agency_options(db: &Db, values: &Values) -> anyhow::Result<Vec<AgencyRow>> {
    let mut options: Vec<AgencyRow> = Vec::new();
    let mut add = |row: AgencyRow| {
        if !options.iter().any(|o| o.code == row.code) {
            options.push(row);
        }
    };
    if !values.agency.is_empty() {
        if let Some(row) = store::find_agency(db, values.agency.trim())? {
            add(row);
        }
    }
    let words: Vec<String> = values.agency_q.split_whitespace().take(5).map(|w| w.chars().take(50).collect()).collect();
    if !words.is_empty() {
        for row in store::list_agencies(db, &AgencyFilter { words, ..AgencyFilter::default() }, AGENCY_MATCHES)? {
            add(row);
        }
    }
    let region = values.region_code();
    if !region.is_empty() {
        for code in [format!("pemprov-{}", values.province), format!("pemkab-{region}"), format!("pemkot-{region}")] {
            if let Some(row) = store::find_agency(db, &code)? {
                add(row);
            }
        }
    }
    Ok(options)
}

/// Messages by field, and the summary's order.
struct Errors<'a> {
    all: &'a [Invalid],
    ctx: &'a Ctx,
}

impl Errors<'_> {
    fn of(&self, field: &str) -> Vec<&str> {
        self.all.iter().filter(|e| e.field == field || e.field.starts_with(&format!("{field}."))).map(|e| self.ctx.t(&e.id, &e.en)).collect()
    }

    /// The messages beside a field, and whether there are any.
    fn beside(&self, field: &str) -> Markup {
        let messages = self.of(field);
        html! {
            @if !messages.is_empty() {
                p.error #(format!("{}-error", field_id(field))) {
                    @for m in &messages { span { (Typed(m)) } " " }
                }
            }
        }
    }

    /// `aria-describedby` for a field: its hint and, if any, its error.
    fn described_by(&self, field: &str, hint: bool) -> Option<String> {
        let id = field_id(field);
        let mut ids = Vec::new();
        if hint {
            ids.push(format!("{id}-hint"));
        }
        if !self.of(field).is_empty() {
            ids.push(format!("{id}-error"));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }

    fn invalid(&self, field: &str) -> Option<&'static str> {
        (!self.of(field).is_empty()).then_some("true")
    }
}

/// The element id of a field (`reporter.phone` -> `f-reporter-phone`).
fn field_id(field: &str) -> String {
    format!("f-{}", field.replace(['.', '_'], "-"))
}

/// Where the summary's link for an error goes: its field's element.
fn anchor(field: &str) -> String {
    let known = [
        "kind", "title", "body", "category", "region", "agency", "location.address", "incident_date", "visibility",
        "reporter_identity", "reporter.name", "reporter.phone", "reporter.email", ATTACHMENTS_FIELD,
    ];
    let target = known.iter().find(|k| field == **k || field.starts_with(&format!("{k}."))).copied().unwrap_or("title");
    let target = if target == "kind" { "kind-pengaduan" } else { target };
    format!("#{}", field_id(target))
}

/// The form, with `values`, `invalid` beside their fields and summarised on
/// top, and `notice` (a refusal that is no field's).
fn render(ctx: &Ctx, status: u16, values: &Values, invalid: &[Invalid], notice: Option<&str>) -> anyhow::Result<Response> {
    let db = Db::open()?;
    let categories = categories::list(&db, false)?;
    let provinces = provinces(&db)?;
    let regencies = if values.province.is_empty() { Vec::new() } else { regencies(&db, &values.province)? };
    let agencies = agency_options(&db, values)?;
    let errors = Errors { all: invalid, ctx };
    let title = ctx.t("Sampaikan laporan", "File a report");
    let page = html! {
        h1 { (title) }
        p.lead { (ctx.t(
            "Laporan Anda diteruskan ke instansi yang berwenang. Kolom bertanda * wajib diisi; yang lain boleh dikosongkan.",
            "Your report goes to the agency responsible. Fields marked * are required; you may leave the others empty.",
        )) }
        @if let Some(notice) = notice {
            div.notice role="alert" { p { (Typed(notice)) } }
        }
        @if !invalid.is_empty() {
            div.summary #ringkasan role="alert" tabindex="-1" aria-labelledby="ringkasan-judul" {
                h2 #ringkasan-judul { (ctx.t("Ada isian yang perlu diperbaiki", "Some fields need fixing")) }
                ul {
                    @for e in invalid {
                        li { a href=(anchor(&e.field)) { (Typed(ctx.t(&e.id, &e.en))) } }
                    }
                }
            }
        }
        form.report method="post" action=(ctx.href("/lapor/baru")) enctype="multipart/form-data" {
            // The default button of the form (Enter in a text field) files
            // the report, not one of the step buttons below.
            button.offscreen type="submit" tabindex="-1" aria-hidden="true" { (ctx.t("Kirim laporan", "Send report")) }
            input type="hidden" name="idempotency_key" value=(values.idempotency_key);

            fieldset #f-kind aria-describedby=[errors.described_by("kind", false)] {
                legend { (ctx.t("Jenis laporan *", "Kind of report *")) }
                (errors.beside("kind"))
                @for kind in Kind::ALL {
                    @let id = format!("f-kind-{}", kind.as_str().replace('_', "-"));
                    div.choice {
                        input type="radio" name="kind" id=(id) value=(kind.as_str()) checked[values.kind == kind.as_str()];
                        label for=(id) {
                            (kind_label(ctx, kind))
                            span.hint { (kind_hint(ctx, kind)) }
                        }
                    }
                }
            }

            div.field {
                label for="f-title" { (ctx.t("Judul *", "Title *")) }
                p.hint #f-title-hint { (ctx.t(
                    &format!("Singkat dan jelas, {}–{} karakter. Contoh: Jalan berlubang di depan SD Negeri 3", Title::MIN_CHARS, Title::MAX_CHARS),
                    &format!("Short and clear, {}–{} characters. Example: Pothole in front of Primary School 3", Title::MIN_CHARS, Title::MAX_CHARS),
                )) }
                (errors.beside("title"))
                input #f-title type="text" name="title" value=(values.title) maxlength=(Title::MAX_CHARS) required
                    aria-invalid=[errors.invalid("title")] aria-describedby=[errors.described_by("title", true)];
            }

            div.field {
                label for="f-body" { (ctx.t("Isi laporan *", "Your report *")) }
                p.hint #f-body-hint { (ctx.t(
                    &format!("Apa yang terjadi, di mana, sejak kapan, dan apa yang Anda harapkan. {}–{} karakter.", Body::MIN_CHARS, Body::MAX_CHARS),
                    &format!("What happened, where, since when, and what you expect. {}–{} characters.", Body::MIN_CHARS, Body::MAX_CHARS),
                )) }
                (errors.beside("body"))
                textarea #f-body name="body" rows="8" maxlength=(Body::MAX_CHARS) required data-count=(Body::MAX_CHARS)
                    aria-invalid=[errors.invalid("body")] aria-describedby=[errors.described_by("body", true)] { (values.body) }
            }

            div.field {
                label for="f-category" { (ctx.t("Kategori", "Category")) }
                (errors.beside("category"))
                select #f-category name="category" aria-invalid=[errors.invalid("category")] aria-describedby=[errors.described_by("category", false)] {
                    option value="" { (ctx.t("Belum tahu (admin yang memilih)", "Not sure (administrators choose)")) }
                    (category_options(ctx, &categories, &values.category))
                }
            }

            fieldset.region {
                legend { (ctx.t("Lokasi", "Where")) }
                div.field {
                    label for="f-province" { (ctx.t("Provinsi", "Province")) }
                    select #f-province name="province" {
                        option value="" { (ctx.t("Pilih provinsi", "Choose a province")) }
                        @for p in &provinces {
                            option value=(p.code) selected[p.code == values.province] { (p.name) }
                        }
                    }
                    button.secondary type="submit" name="step" value="region" formnovalidate {
                        (ctx.t("Tampilkan kabupaten/kota", "Show regencies and cities"))
                    }
                }
                div.field {
                    label for="f-region" { (ctx.t("Kabupaten/kota", "Regency or city")) }
                    @if regencies.is_empty() {
                        p.hint #f-region-hint { (ctx.t("Pilih provinsi dulu, lalu tekan \"Tampilkan kabupaten/kota\".", "Choose a province first, then press \"Show regencies and cities\".")) }
                    }
                    (errors.beside("region"))
                    select #f-region name="region" aria-invalid=[errors.invalid("region")] aria-describedby=[errors.described_by("region", regencies.is_empty())] {
                        option value="" { (ctx.t("Seluruh provinsi / belum tahu", "The whole province / not sure")) }
                        @for r in &regencies {
                            option value=(r.code) selected[r.code == values.region] { (r.name) }
                        }
                    }
                }
                div.field {
                    label for="f-location-address" { (ctx.t("Alamat atau patokan", "Address or landmark")) }
                    (errors.beside("location.address"))
                    input #f-location-address type="text" name="location.address" value=(values.address) maxlength="500"
                        aria-invalid=[errors.invalid("location.address")] aria-describedby=[errors.described_by("location.address", false)];
                }
                div.field {
                    label for="f-incident-date" { (ctx.t("Tanggal kejadian", "Date it happened")) }
                    (errors.beside("incident_date"))
                    input #f-incident-date type="date" name="incident_date" value=(values.incident_date)
                        aria-invalid=[errors.invalid("incident_date")] aria-describedby=[errors.described_by("incident_date", false)];
                }
            }

            fieldset {
                legend { (ctx.t("Instansi tujuan", "Agency")) }
                div.field {
                    label for="f-agency-q" { (ctx.t("Cari instansi", "Search agencies")) }
                    p.hint #f-agency-q-hint { (ctx.t("Misalnya: kesehatan, Bandung, BPJS. Atau biarkan admin yang menentukan.", "For example: health, Bandung, BPJS. Or let the administrators decide.")) }
                    input #f-agency-q type="search" name="agency_q" value=(values.agency_q) maxlength="100" aria-describedby="f-agency-q-hint";
                    button.secondary type="submit" name="step" value="agency" formnovalidate { (ctx.t("Cari", "Search")) }
                }
                div.field {
                    label for="f-agency" { (ctx.t("Instansi", "Agency")) }
                    (errors.beside("agency"))
                    select #f-agency name="agency" aria-invalid=[errors.invalid("agency")] aria-describedby=[errors.described_by("agency", false)] {
                        option value="" { (ctx.t("Biarkan admin yang menentukan", "Let the administrators decide")) }
                        @for a in &agencies {
                            option value=(a.code) selected[a.code == values.agency] { (a.name) }
                        }
                    }
                    @if !values.agency_q.trim().is_empty() && agencies.is_empty() {
                        p.hint { (ctx.t("Tidak ada instansi yang cocok.", "No agency matches.")) }
                    }
                }
            }

            fieldset #f-visibility aria-describedby=[errors.described_by("visibility", false)] {
                legend { (ctx.t("Siapa yang boleh membaca laporan ini?", "Who may read this report?")) }
                (errors.beside("visibility"))
                (choice("visibility", "public", &values.visibility,
                    ctx.t("Publik", "Public"),
                    ctx.t("Semua orang dapat membaca laporan ini dan mendukungnya.", "Anyone can read this report and support it.")))
                (choice("visibility", "confidential", &values.visibility,
                    ctx.t("Rahasia", "Confidential (rahasia)"),
                    ctx.t("Publik tidak dapat membacanya: hanya Anda, admin, dan instansi yang menanganinya.", "The public cannot read it: only you, the administrators and the agency handling it.")))
            }

            fieldset #f-reporter-identity aria-describedby=[errors.described_by("reporter_identity", false)] {
                legend { (ctx.t("Bolehkah instansi tahu siapa Anda?", "May the agency know who you are?")) }
                (errors.beside("reporter_identity"))
                (choice("reporter_identity", "named", &values.reporter_identity,
                    ctx.t("Ya, dengan nama", "Yes, named"),
                    ctx.t("Instansi yang menangani dapat melihat nama dan kontak Anda untuk menindaklanjuti.", "The agency handling it can see your name and contacts to follow up.")))
                (choice("reporter_identity", "anonymous", &values.reporter_identity,
                    ctx.t("Tidak, anonim", "No, anonymous (anonim)"),
                    ctx.t("Instansi tidak tahu siapa Anda; hanya admin LAPOR! yang dapat melihatnya, dan setiap kali tercatat.", "The agency does not learn who you are; only LAPOR! administrators can see it, and every look is logged.")))
                p.hint { a href=(ctx.href("/privasi")) { (ctx.t("Apa yang dijamin dan yang tidak", "What is guaranteed and what is not")) } }
            }

            fieldset {
                legend { (ctx.t("Kontak Anda (boleh dikosongkan)", "Your contact (optional)")) }
                p.hint { (ctx.t("Untuk kabar perkembangan laporan lewat SMS atau e-mail. Tidak pernah ditampilkan ke publik.", "For news of your report by SMS or e-mail. Never shown to the public.")) }
                (text_field(&errors, "reporter.name", ctx.t("Nama", "Name"), "text", &values.name, "name"))
                (text_field(&errors, "reporter.phone", ctx.t("Nomor ponsel", "Mobile number"), "tel", &values.phone, "tel"))
                (text_field(&errors, "reporter.email", ctx.t("E-mail", "E-mail"), "email", &values.email, "email"))
            }

            div.field {
                label for="f-attachments" { (ctx.t("Foto atau PDF (boleh dikosongkan)", "Photos or PDFs (optional)")) }
                p.hint #f-attachments-hint { (ctx.t(
                    &format!("Paling banyak {MAX_ATTACHMENTS_PER_REPORT} berkas JPEG, PNG atau PDF, masing-masing sampai {} MB. Data lokasi dan kamera di foto dihapus. Pilih berkas paling akhir: setelah mencari wilayah atau instansi, pilih lagi.", MAX_ATTACHMENT_BYTES / (1024 * 1024)),
                    &format!("Up to {MAX_ATTACHMENTS_PER_REPORT} JPEG, PNG or PDF files, each up to {} MB. Location and camera data are removed from photos. Choose files last: after a region or agency search, choose them again.", MAX_ATTACHMENT_BYTES / (1024 * 1024)),
                )) }
                (errors.beside(ATTACHMENTS_FIELD))
                input #f-attachments type="file" name=(ATTACHMENTS_FIELD) multiple accept="image/jpeg,image/png,application/pdf"
                    aria-invalid=[errors.invalid(ATTACHMENTS_FIELD)] aria-describedby=[errors.described_by(ATTACHMENTS_FIELD, true)];
            }

            p { button.button type="submit" { (ctx.t("Kirim laporan", "Send report")) } }
        }
    };
    Ok(page_response(ctx, status, document_with_script(ctx, title, Section::Report, page, Some(lapor_web_assets::FORM_JS))))
}

fn kind_label(ctx: &Ctx, kind: Kind) -> &'static str {
    match kind {
        Kind::Pengaduan => ctx.t("Pengaduan", "Complaint (pengaduan)"),
        Kind::Aspirasi => ctx.t("Aspirasi", "Aspiration (aspirasi)"),
        Kind::PermintaanInformasi => ctx.t("Permintaan informasi", "Information request (permintaan informasi)"),
    }
}

fn kind_hint(ctx: &Ctx, kind: Kind) -> &'static str {
    match kind {
        Kind::Pengaduan => ctx.t("Layanan publik yang buruk, tidak berjalan, atau pungutan liar.", "A public service that is poor, not working, or an illegal levy."),
        Kind::Aspirasi => ctx.t("Usul atau harapan untuk perbaikan layanan.", "A suggestion or wish to improve a service."),
        Kind::PermintaanInformasi => ctx.t("Meminta informasi publik dari instansi.", "Asking an agency for public information."),
    }
}

/// Topics as `<optgroup>`s of their sub-topics (a topic is itself a choice
/// too, first in its group).
fn category_options(ctx: &Ctx, categories: &[CategoryView], chosen: &str) -> Markup {
    let topics = categories.iter().filter(|c| c.parent.is_none());
    html! {
        @for topic in topics {
            optgroup label=(topic.name(ctx.lang)) {
                option value=(topic.code) selected[topic.code == chosen] { (topic.name(ctx.lang)) " " (ctx.t("(umum)", "(general)")) }
                @for sub in categories.iter().filter(|c| c.parent.as_deref() == Some(topic.code.as_str())) {
                    option value=(sub.code) selected[sub.code == chosen] { (sub.name(ctx.lang)) }
                }
            }
        }
    }
}

/// One radio choice with its explanation.
fn choice(name: &str, value: &str, chosen: &str, label: &str, explanation: &str) -> Markup {
    let id = format!("{}-{value}", field_id(name));
    html! {
        div.choice {
            input type="radio" name=(name) id=(id) value=(value) checked[chosen == value];
            label for=(id) { (label) span.hint { (explanation) } }
        }
    }
}

fn text_field(errors: &Errors<'_>, name: &str, label: &str, input_type: &str, value: &str, autocomplete: &str) -> Markup {
    let id = field_id(name);
    html! {
        div.field {
            label for=(id) { (label) }
            (errors.beside(name))
            input id=(id) type=(input_type) name=(name) value=(value) autocomplete=(autocomplete) maxlength="254"
                aria-invalid=[errors.invalid(name)] aria-describedby=[errors.described_by(name, false)];
        }
    }
}
