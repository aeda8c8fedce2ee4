//! The tracking page's forms: `POST /lapor/{id}/{action}`, then `303` back
//! to the page with a confirmation (`?ok=`), or the page again with the
//! messages beside their fields (`422`, or the refusal's own status: 409
//! for a state that does not take the action, 429 for a rate limit).
//!
//! Each action reads its form into the same domain command the API parses
//! and calls the same shared function the API handler calls
//! (`lapor_platform::participation`, `sign_in`, `reporter`): one copy of
//! every rule. Before anything, a form must prove it came from our page
//! (`crate::forms`: same-site, and its token bound to the visitor's
//! cookies); a refusal there changes nothing.

use lapor_domain::command::{CreateCitizen, FlagComment, Follow, PostComment, Rate, Reply, VerifyPhone};
use lapor_domain::engagement::Identity;
use lapor_domain::invalid::Invalid;
use lapor_domain::token::token_matches;
use lapor_domain::tracking_id::TrackingId;
use lapor_platform::db::Db;
use lapor_platform::identity::identity_of_token;
use lapor_platform::participation::{self, Caller};
use lapor_platform::request::ApiRequest;
use lapor_platform::response::ApiError;
use lapor_platform::sign_in::{self, Proof};
use lapor_platform::store;
use lapor_domain::routes::Web;
use spin_sdk::http::Response;

use crate::forms::{citizen_cookie, cross_site, reporter_cookie, see_other, Posted, Visitor};
use crate::layout::Ctx;
use crate::message_page;
use crate::pages::tracking::{self, FormId, Notice};

/// Why an action did not happen: a refusal to show on the page.
struct Refusal {
    status: u16,
    message: Option<String>,
    errors: Vec<(String, String)>,
    headers: Vec<(String, String)>,
}

impl Refusal {
    fn fields(lang: lapor_domain::lang::Lang, invalid: &[Invalid]) -> Refusal {
        Refusal::from(ApiError::validation(lang, invalid))
    }
}

/// An action's result: the confirmation key, or the refusal (or our failure).
type Outcome = Result<&'static str, Failure>;

enum Failure {
    Refused(Refusal),
    NotFound,
    Internal(anyhow::Error),
}

impl From<ApiError> for Failure {
    fn from(error: ApiError) -> Failure {
        match error {
            ApiError::Problem(problem, _) if problem.status == 404 => Failure::NotFound,
            ApiError::Internal(e) => Failure::Internal(e),
            other => Failure::Refused(Refusal::from(other)),
        }
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Failure {
        Failure::Internal(e)
    }
}

impl From<ApiError> for Refusal {
    fn from(error: ApiError) -> Refusal {
        match error {
            ApiError::Problem(problem, headers) => {
                let errors: Vec<(String, String)> = problem.errors.iter().map(|e| (e.field.clone(), e.message.clone())).collect();
                // A validation problem's detail only says "see the fields".
                let message = (errors.is_empty() || problem.status != 422).then(|| problem.detail.clone());
                Refusal { status: problem.status, message, errors, headers }
            }
            ApiError::Internal(e) => {
                eprintln!("page action failed: {e:#}");
                Refusal { status: 500, message: None, errors: Vec::new(), headers: Vec::new() }
            }
        }
    }
}

/// Everything one action needs.
struct Action<'a> {
    ctx: &'a Ctx,
    request: &'a ApiRequest,
    id: TrackingId,
    posted: Posted,
    visitor: Visitor,
    db: Db,
    /// A cookie this request set (a new citizen identity, or the reporter's).
    cookie: Option<String>,
}

/// Whether `route` is one of the tracking page's forms (a POST with a body).
pub fn is_form(route: Web) -> bool {
    matches!(
        route,
        Web::Support | Web::Comment | Web::Flag | Web::Follow | Web::Phone | Web::ClaimReporter | Web::Reply | Web::Rate | Web::Upload
    )
}

/// `POST /lapor/{id}/...`: checks the form is ours, runs the action, answers.
pub fn handle(ctx: &Ctx, request: &ApiRequest, route: Web, raw_id: &str, comment: &str) -> anyhow::Result<Response> {
    let id = match tracking::parse_id(ctx, raw_id) {
        Ok(id) => id,
        Err(page) => return Ok(page),
    };
    let visitor = Visitor::of(request);
    let forged = message_page(ctx, 403, ctx.t("Formulir ditolak", "Form refused"), ctx.t(
        "Formulir ini tidak dikirim dari halaman laporan kami, atau sudah kedaluwarsa. Tidak ada yang diubah. Buka lagi halaman laporan dan kirim ulang.",
        "This form was not sent from our report page, or it has expired. Nothing was changed. Open the report page again and send it once more.",
    ));
    if cross_site(request) {
        return Ok(forged);
    }
    let Some(posted) = Posted::read(request) else {
        return Ok(message_page(ctx, 400, ctx.t("Formulir tidak terbaca", "Unreadable form"), ctx.t(
            "Isian formulir tidak dapat dibaca. Buka lagi halaman laporan dan kirim ulang.",
            "The form could not be read. Open the report page again and send it once more.",
        )));
    };
    if !visitor.token_matches(posted.get("csrf").unwrap_or("")) {
        return Ok(forged);
    }
    let mut action = Action { ctx, request, id, posted, visitor, db: Db::open()?, cookie: None };
    let (form, ok, values): (FormId, Outcome, &[&str]) = match route {
        Web::Support => (FormId::Support, action.support(), &[]),
        Web::Comment => (FormId::Comment, action.comment(), &["body", "display_name"]),
        Web::Flag => (FormId::Flag, action.flag(comment), &[]),
        Web::Follow => (FormId::Follow, action.follow(), &["channel", "address"]),
        Web::Phone => (FormId::Phone, action.phone(), &["phone"]),
        Web::ClaimReporter => (FormId::ClaimReporter, action.claim(), &[]),
        Web::Reply => (FormId::Reply, action.reply(), &["body"]),
        Web::Rate => (FormId::Rate, action.rate(), &["score", "comment"]),
        Web::Upload => (FormId::Upload, action.upload(), &[]),
        _ => unreachable!("only the tracking page's forms come here"),
    };
    let tracking_id = action.id.to_string();
    let anchor = match form {
        FormId::Support => "dukungan",
        FormId::Comment | FormId::Flag => "komentar",
        FormId::Follow | FormId::Phone => "kawal",
        _ => "pelapor",
    };
    match ok {
        Ok(key) => {
            let location = format!("{}#{anchor}", ctx.href(&format!("/lapor/{tracking_id}?ok={key}")));
            Ok(see_other(&location, action.cookie.as_deref()))
        }
        Err(Failure::Internal(e)) => Err(e),
        Err(Failure::NotFound) => {
            // Exactly the page an unknown report gets.
            let mut response = tracking::show(ctx, &action.id, &action.visitor, 404, &Notice::default())?;
            if let Some(cookie) = &action.cookie {
                response.set_header("set-cookie", cookie.as_str());
            }
            Ok(response)
        }
        Err(Failure::Refused(refusal)) => {
            let notice = Notice {
                ok: None,
                form: Some(form),
                message: refusal.message,
                errors: refusal.errors,
                values: values.iter().filter_map(|name| Some((name.to_string(), action.posted.get(name)?.to_string()))).collect(),
            };
            let mut response = tracking::show(ctx, &action.id, &action.visitor, refusal.status, &notice)?;
            for (name, value) in refusal.headers {
                response.set_header(name, value);
            }
            if let Some(cookie) = &action.cookie {
                response.set_header("set-cookie", cookie.as_str());
            }
            Ok(response)
        }
    }
}

impl Action<'_> {
    fn lang(&self) -> lapor_domain::lang::Lang {
        self.ctx.lang
    }

    fn raw_id(&self) -> String {
        self.id.to_string()
    }

    /// The visitor's citizen identity, made (with its cookie) on their first action.
    fn identity(&mut self) -> Result<Identity, Failure> {
        if let Some(token) = &self.visitor.citizen {
            if let Some(identity) = identity_of_token(&self.db, token)? {
                return Ok(identity);
            }
        }
        let (token, _) = sign_in::create_citizen(&self.db, self.lang(), &self.request.client_ip(), CreateCitizen { phone: None })?;
        let identity = identity_of_token(&self.db, token.as_str())?.ok_or_else(|| anyhow::anyhow!("a new citizen token proves no identity"))?;
        self.cookie = Some(citizen_cookie(token.as_str()));
        self.visitor.citizen = Some(token.as_str().to_string());
        Ok(identity)
    }

    fn caller<'a>(&self, identity: &'a Identity, ip: &'a str) -> Caller<'a> {
        Caller { lang: self.lang(), client_ip: Some(ip), identity }
    }

    fn support(&mut self) -> Outcome {
        let withdraw = self.posted.get("action") == Some("withdraw");
        let identity = self.identity()?;
        if withdraw {
            participation::withdraw_support(&self.db, self.lang(), &identity, &self.raw_id())?;
            return Ok("batal-dukung");
        }
        let ip = self.request.client_ip();
        participation::support(&self.db, &self.caller(&identity, &ip), &self.raw_id())?;
        Ok("dukung")
    }

    fn comment(&mut self) -> Outcome {
        let command = PostComment::parse(&self.posted.object(&["body", "display_name"], &[]))
            .map_err(|e| Failure::Refused(Refusal::fields(self.lang(), &e)))?;
        let identity = self.identity()?;
        let ip = self.request.client_ip();
        participation::post_comment(&self.db, &self.caller(&identity, &ip), &self.raw_id(), command)?;
        Ok("komentar")
    }

    fn flag(&mut self, comment: &str) -> Outcome {
        let command = FlagComment::parse(&self.posted.object(&["reason"], &[])).map_err(|e| Failure::Refused(Refusal::fields(self.lang(), &e)))?;
        // The comment must belong to this page's report.
        let row = participation::find_comment(&self.db, self.lang(), comment)?;
        if participation::report_of(&self.db, &row)?.0 != self.raw_id() {
            return Err(Failure::NotFound);
        }
        let identity = self.identity()?;
        let ip = self.request.client_ip();
        participation::flag_comment(&self.db, &self.caller(&identity, &ip), comment, command)?;
        Ok("tandai")
    }

    fn follow(&mut self) -> Outcome {
        let command = Follow::parse(&self.posted.object(&["channel", "address"], &[]), participation::webhook_policy())
            .map_err(|e| Failure::Refused(Refusal::fields(self.lang(), &e)))?;
        let identity = self.reporter_identity()?.map_or_else(|| self.identity(), Ok)?;
        let ip = self.request.client_ip();
        participation::follow(&self.db, &self.caller(&identity, &ip), &self.raw_id(), command).map_err(|e| match e {
            // The API's message names its own address; on the page, the phone form is right below.
            ApiError::Problem(problem, _) if problem.status == 403 => Failure::Refused(Refusal {
                status: 403,
                message: Some(self.ctx.t(
                    "SMS dan WhatsApp hanya dikirim ke nomor yang sudah Anda buktikan: buktikan nomor Anda dengan kode SMS di bawah, lalu kawal lagi.",
                    "SMS and WhatsApp go only to a number you have proved: prove yours with an SMS code below, then follow again.",
                ).to_string()),
                errors: Vec::new(),
                headers: Vec::new(),
            }),
            other => Failure::from(other),
        })?;
        Ok("kawal")
    }

    /// The reporter (by cookie) of a confidential report follows as the reporter:
    /// strangers never see, so never follow, a confidential report.
    fn reporter_identity(&self) -> Result<Option<Identity>, Failure> {
        Ok(tracking::as_reporter(&self.db, &self.id, &self.visitor)?
            .filter(|r| r.record.privacy.is_confidential())
            .map(|r| Identity::Reporter { report_id: r.id }))
    }

    fn phone(&mut self) -> Outcome {
        let prove = self.posted.get("step") == Some("prove");
        let fields: &[&str] = if prove { &["code"] } else { &["phone"] };
        let command = VerifyPhone::parse(&self.posted.object(fields, &[])).map_err(|e| Failure::Refused(Refusal::fields(self.lang(), &e)))?;
        // The report must be one this visitor may see.
        let reporter = self.reporter_identity()?;
        participation::visible(&self.db, self.lang(), &self.raw_id(), reporter.as_ref())?;
        let identity = self.identity()?;
        let Identity::Citizen { id, verified_phone } = identity else {
            return Err(Failure::Internal(anyhow::anyhow!("a web identity is a citizen")));
        };
        let lang = self.lang();
        match command {
            VerifyPhone::SendCode(phone) => {
                sign_in::send_code(&self.db, lang, &self.request.client_ip(), id, &phone)?;
                Ok("kode")
            }
            VerifyPhone::Prove(code) => match sign_in::prove_code(&self.db, lang, id, verified_phone.as_ref(), &code)? {
                Proof::Proved(_) => Ok("telepon"),
                Proof::Wrong { tries_left } => Err(Failure::Refused(Refusal::fields(lang, &[Invalid::new(
                    "code",
                    format!("Kode salah. Sisa percobaan: {tries_left}."),
                    format!("Wrong code. Tries left: {tries_left}."),
                )]))),
                Proof::Spent => Err(Failure::Refused(Refusal::fields(lang, &[Invalid::new(
                    "code",
                    "Kode sudah kedaluwarsa atau terlalu sering salah. Minta kode baru.",
                    "The code expired or was tried too often. Ask for a new one.",
                )]))),
            },
        }
    }

    /// "I am the reporter": a token that matches sets the reporter cookie.
    fn claim(&mut self) -> Outcome {
        let token = self.posted.get("token").unwrap_or("").trim().to_string();
        let Some(report) = store::find_report(&self.db, &self.raw_id())? else { return Err(Failure::NotFound) };
        if !token.is_empty() && token_matches(&token, &report.reporter_token_hash) {
            self.cookie = Some(reporter_cookie(&self.raw_id(), &token));
            self.visitor.reporter = Some(token);
            return Ok("pelapor");
        }
        // A report the public cannot see is "not found" whatever was typed,
        // exactly as the API answers a wrong token.
        if report.record.privacy.is_confidential() {
            return Err(Failure::NotFound);
        }
        Err(Failure::Refused(Refusal::fields(self.lang(), &[Invalid::new(
            "token",
            "Kode ini bukan kode pelapor laporan ini.",
            "This is not the reporter code of this report.",
        )])))
    }

    /// The report, if the visitor holds its reporter cookie; else the refusal.
    fn reported(&self) -> Result<store::StoredReport, Failure> {
        match tracking::as_reporter(&self.db, &self.id, &self.visitor)? {
            Some(report) => Ok(report),
            None => Err(Failure::Refused(Refusal {
                status: 403,
                message: Some(self.ctx.t(
                    "Hanya pelapor yang dapat melakukan ini: masukkan kode rahasia pelapor di bagian \"Saya pelapor\".",
                    "Only the reporter can do this: enter the reporter secret code under \"I am the reporter\".",
                ).to_string()),
                errors: Vec::new(),
                headers: Vec::new(),
            })),
        }
    }

    fn reply(&mut self) -> Outcome {
        let command = Reply::parse(&self.posted.object(&["body"], &[])).map_err(|e| Failure::Refused(Refusal::fields(self.lang(), &e)))?;
        let report = self.reported()?;
        lapor_platform::reporter::reply(&self.db, self.lang(), &report, command)?;
        Ok("balas")
    }

    fn rate(&mut self) -> Outcome {
        let command =
            Rate::parse(&self.posted.object(&["score", "comment"], &["score"])).map_err(|e| Failure::Refused(Refusal::fields(self.lang(), &e)))?;
        let report = self.reported()?;
        lapor_platform::reporter::rate(&self.db, self.lang(), &report, command)?;
        Ok("nilai")
    }

    fn upload(&mut self) -> Outcome {
        let report = self.reported()?;
        let Some(file) = self.posted.files.iter().find(|p| p.name == "file" && !p.bytes.is_empty()) else {
            return Err(Failure::Refused(Refusal::fields(self.lang(), &[Invalid::new("file", "Pilih berkas.", "Choose a file.")])));
        };
        lapor_platform::reporter::add_attachment(&self.db, self.lang(), &report, &file.bytes).map_err(|e| match Refusal::from(e) {
            // Attachment problems are about the one field.
            Refusal { status, message: Some(message), errors, headers } if status != 409 && errors.is_empty() => {
                Failure::Refused(Refusal { status, message: None, errors: vec![("file".into(), message)], headers })
            }
            other => Failure::Refused(other),
        })?;
        Ok("lampiran")
    }
}
