//! `POST /api/v1/reports`: file a report (JSON for apps, a form for browsers).
//!
//! Order matters: everything that can be refused for the caller's mistake is
//! refused before anything is written, and a retry with the same
//! `Idempotency-Key` is answered before rate limits, so retries on a bad
//! network never cost quota and never create a second report.

use lapor_domain::idempotency::{request_fingerprint, IdempotencyKey};
use lapor_domain::lang::Lang;
use lapor_domain::problem::ProblemKind;
use lapor_domain::lifecycle::Status;
use lapor_domain::privacy::Privacy;
use lapor_domain::view::{FiledLinks, FiledReport};
use lapor_domain::report::{Channel, NewReport};
use lapor_domain::token::{derive_idempotent_token, SecretToken};
use lapor_platform::db::Db;
use lapor_platform::request::{form_urlencoded_pairs, ApiRequest};
use lapor_platform::response::{self, ApiError};
use lapor_platform::store::{self, IdempotencyRecord, InsertOutcome, PriorSubmission};
use lapor_platform::{clock, limits, random};
use serde_json::Value;
use spin_sdk::http::Response;

/// The form field browsers use instead of the `Idempotency-Key` header.
const FORM_IDEMPOTENCY_FIELD: &str = "idempotency_key";

/// What arrived, in one shape for both JSON and forms.
struct Submission {
    json: Value,
    channel: Channel,
    idempotency_key: Option<String>,
    from_form: bool,
}

fn read_submission(request: &ApiRequest) -> Result<Submission, ApiError> {
    let lang = request.lang;
    let header_key = request.header("idempotency-key").map(str::to_string);
    match request.media_type().as_str() {
        "application/json" => {
            let json: Value = serde_json::from_slice(&request.body).map_err(|e| ApiError::unreadable_json(lang, &e))?;
            Ok(Submission { json, channel: Channel::Api, idempotency_key: header_key, from_form: false })
        }
        "application/x-www-form-urlencoded" => {
            let body = std::str::from_utf8(&request.body).map_err(|_| {
                ApiError::new(ProblemKind::MalformedRequest, lang, "Isian formulir bukan UTF-8.", "The form is not UTF-8.")
            })?;
            let mut pairs = form_urlencoded_pairs(body);
            let form_key = pairs.iter().position(|(k, _)| k == FORM_IDEMPOTENCY_FIELD).map(|i| pairs.remove(i).1);
            Ok(Submission {
                json: NewReport::form_to_json(pairs),
                channel: Channel::Web,
                idempotency_key: header_key.or(form_key).filter(|k| !k.is_empty()),
                from_form: true,
            })
        }
        _ => Err(ApiError::new(
            ProblemKind::UnsupportedMediaType,
            lang,
            "Kirim laporan sebagai application/json atau application/x-www-form-urlencoded.",
            "Send reports as application/json or application/x-www-form-urlencoded.",
        )
        .with_header("accept-post", "application/json, application/x-www-form-urlencoded")),
    }
}

pub fn create(request: &ApiRequest) -> Result<Response, ApiError> {
    let lang = request.lang;
    let submission = read_submission(request)?;
    let idempotency_key = match &submission.idempotency_key {
        Some(raw) => Some(IdempotencyKey::parse(raw).map_err(|e| {
            ApiError::new(ProblemKind::MalformedRequest, lang, &e.id, &e.en)
        })?),
        None => None,
    };
    let now = clock::now();
    let report = NewReport::parse(&submission.json, clock::latest_indonesian_date(now))
        .map_err(|invalid| ApiError::validation(lang, &invalid))?;

    let db = Db::open()?;
    if let Some(agency) = &report.agency {
        if store::find_agency(&db, agency.as_str())?.is_none() {
            return Err(ApiError::validation(lang, &[lapor_domain::invalid::Invalid::new(
                "agency",
                "Instansi tidak dikenal: lihat /api/v1/agencies.",
                "Unknown agency: see /api/v1/agencies.",
            )]));
        }
    }
    let fingerprint = request_fingerprint(&request.media_type(), &request.body);
    if let Some(key) = &idempotency_key {
        if let Some(prior) = store::find_by_idempotency_key(&db, &key.storage_hash())? {
            return replay(&prior, key, &fingerprint, lang, submission.from_form);
        }
    }

    enforce_rate_limits(request, &report)?;

    let created_at = clock::timestamp(now);
    let calendar = lapor_platform::sla::calendar(&db)?;
    // Verification is the platform administrators' work: counted in WIB.
    let verification = lapor_domain::sla::Clock::start(
        lapor_domain::sla::ClockKind::Verification,
        now,
        lapor_domain::agency::TimeZone::Wib,
        &calendar,
    );
    // The insert re-checks the key inside the write transaction: of two
    // concurrent retries, the second waits for the first and replays it.
    let outcome = db.transaction(|db| -> Result<Created, ApiError> {
        if let Some(key) = &idempotency_key {
            if let Some(prior) = store::find_by_idempotency_key(db, &key.storage_hash())? {
                return Ok(Created::Replay(prior));
            }
        }
        for _ in 0..5 {
            let tracking_id = random::tracking_id()?.to_string();
            let (token, idempotency) = match &idempotency_key {
                Some(key) => {
                    let salt = random::hex_id()?;
                    let token = derive_idempotent_token(key.as_str(), &tracking_id, &salt);
                    (token, Some(IdempotencyRecord { key_hash: key.storage_hash(), fingerprint: fingerprint.clone(), token_salt: salt }))
                }
                None => (random::secret_token()?, None),
            };
            match store::insert_report(
                db,
                &report,
                &submission.channel,
                &tracking_id,
                &token.hash(),
                idempotency.as_ref(),
                &verification,
                &created_at,
            )? {
                InsertOutcome::Inserted { .. } => return Ok(Created::New { tracking_id, token }),
                InsertOutcome::TrackingIdTaken => continue,
            }
        }
        Err(ApiError::Internal(anyhow::anyhow!("five tracking ID collisions in a row")))
    })?;

    match outcome {
        Created::New { tracking_id, token } => Ok(answer(
            &tracking_id,
            report.privacy,
            &token,
            &created_at,
            submission.from_form,
        )),
        Created::Replay(prior) => match &idempotency_key {
            Some(key) => replay(&prior, key, &fingerprint, lang, submission.from_form),
            None => Err(ApiError::Internal(anyhow::anyhow!("replay without a key"))),
        },
    }
}

enum Created {
    New { tracking_id: String, token: SecretToken },
    Replay(PriorSubmission),
}

/// The first answer again, or 422 when the key was used for another request.
fn replay(prior: &PriorSubmission, key: &IdempotencyKey, fingerprint: &str, lang: Lang, from_form: bool) -> Result<Response, ApiError> {
    if prior.fingerprint != fingerprint {
        return Err(ApiError::new(
            ProblemKind::IdempotencyKeyReused,
            lang,
            "Idempotency-Key ini sudah dipakai untuk laporan dengan isi berbeda. Gunakan kunci baru untuk laporan baru.",
            "This Idempotency-Key was already used for a report with different content. Use a new key for a new report.",
        ));
    }
    let token = derive_idempotent_token(key.as_str(), &prior.tracking_id, &prior.token_salt);
    if token.hash() != prior.reporter_token_hash {
        return Err(ApiError::Internal(anyhow::anyhow!("derived token does not match the stored hash")));
    }
    let mut response = answer(&prior.tracking_id, prior.privacy, &token, &prior.created_at, from_form);
    response.set_header("idempotent-replayed", "true");
    Ok(response)
}

fn answer(tracking_id: &str, privacy: Privacy, token: &SecretToken, created_at: &str, from_form: bool) -> Response {
    let html = format!("/lapor/{tracking_id}");
    if from_form {
        // Browsers get the tracking page; the token travels in a cookie
        // scoped to that page, never in a URL (URLs end up in logs).
        return Response::builder()
            .status(303)
            .header("location", html.as_str())
            .header("cache-control", "no-store")
            .header(
                "set-cookie",
                format!("lapor_token={}; Path={html}; Max-Age=86400; HttpOnly; Secure; SameSite=Strict", token.as_str()),
            )
            .body(Vec::new())
            .build();
    }
    let body = FiledReport {
        tracking_id: tracking_id.to_string(),
        status: Status::Submitted,
        privacy,
        reporter_token: token.as_str().to_string(),
        created_at: created_at.to_string(),
        links: FiledLinks { self_: format!("/api/v1/reports/{tracking_id}"), html },
    };
    let mut response = response::json(201, &body, "no-store");
    response.set_header("location", format!("/api/v1/reports/{tracking_id}"));
    response
}

/// Per client address and per reporter phone, from Spin variables
/// (`0` disables a limit).
fn enforce_rate_limits(request: &ApiRequest, report: &NewReport) -> Result<(), ApiError> {
    let ip = request.client_ip();
    let by_address = |window| kv_schema::report_rate_by_address_key(&ip, window);
    let mut checks = vec![limits::Check { limit: limits::from_variable("report_rate_limit_per_address", 20), key: &by_address }];
    let phone = report.reporter.phone.as_ref().map(|p| p.as_str().to_string());
    let by_phone = |window| kv_schema::report_rate_by_phone_key(phone.as_deref().unwrap_or_default(), window);
    if phone.is_some() {
        checks.push(limits::Check { limit: limits::from_variable("report_rate_limit_per_phone", 10), key: &by_phone });
    }
    limits::enforce(request.lang, &checks, "laporan", "reports")
}
