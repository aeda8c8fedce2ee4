//! Filing a report: the one path every channel takes once its body is read.
//!
//! A channel turns what arrived into a [`Submission`] (the JSON API and the
//! API's url-encoded form in the `reports` component, the web form's
//! multipart body in `web`), and [`file`] does the rest, the same way for
//! all: the idempotency key, [`NewReport::parse`] (every field error at
//! once), the directory checks (agency, category: active categories only),
//! the attachments' privacy rule, the replay of an earlier submission, rate
//! limits, and one transaction that writes the report, its reporter, its
//! first event and its attachments, or nothing.
//!
//! Order matters: everything that can be refused for the caller's mistake is
//! refused before anything is written, and a retry with the same
//! `Idempotency-Key` is answered before rate limits, so retries on a bad
//! network never cost quota and never create a second report.

use lapor_domain::attachment::{CleanAttachment, MAX_ATTACHMENTS_PER_REPORT, PDF_ON_ANONYMOUS};
use lapor_domain::codes::{AgencyCode, CategoryCode};
use lapor_domain::idempotency::IdempotencyKey;
use lapor_domain::invalid::Invalid;
use lapor_domain::lang::Lang;
use lapor_domain::privacy::Privacy;
use lapor_domain::problem::ProblemKind;
use lapor_domain::report::{Channel, NewReport};
use lapor_domain::token::{derive_idempotent_token, SecretToken};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::db::Db;
use crate::request::ApiRequest;
use crate::response::ApiError;
use crate::store::{self, IdempotencyRecord, InsertOutcome, PriorSubmission};
use crate::{categories, clock, limits, random};

/// The field the report form names its files by (and field errors name).
pub const ATTACHMENTS_FIELD: &str = "attachments";

/// What arrived, in one shape for every channel.
pub struct Submission {
    /// The report's fields in the JSON API's shape (forms are mapped to it
    /// by `NewReport::form_to_json`).
    pub json: Value,
    pub channel: Channel,
    /// As sent (header or form field); checked by [`file`].
    pub idempotency_key: Option<String>,
    /// What a retry with the same key must match (`idempotency::request_fingerprint`
    /// of the body for the API; of the fields and files' digests for a
    /// multipart form, whose boundary changes on every submission).
    pub fingerprint: String,
    /// Files already checked by `CleanAttachment::parse` (types by bytes,
    /// image metadata removed).
    pub attachments: Vec<CleanAttachment>,
    /// Field errors the channel found while reading (a damaged file), reported
    /// together with the report's own.
    pub invalid: Vec<Invalid>,
}

/// A filed report (new, or the first answer again for a retry).
pub struct Filed {
    pub tracking_id: String,
    /// Shown once; only its hash is stored (or, with a key, derived again).
    pub token: SecretToken,
    pub privacy: Privacy,
    pub created_at: String,
    /// The same key was used before: this is that submission's answer.
    pub replayed: bool,
}

/// Why a submission was not filed.
#[derive(Debug)]
pub enum Refused {
    /// The caller's fields: every problem, each naming its field (422).
    Fields(Vec<Invalid>),
    /// Anything else (a malformed or reused key, a rate limit, ours).
    Other(ApiError),
}

impl Refused {
    pub fn into_api_error(self, lang: Lang) -> ApiError {
        match self {
            Refused::Fields(invalid) => ApiError::validation(lang, &invalid),
            Refused::Other(e) => e,
        }
    }
}

impl From<ApiError> for Refused {
    fn from(e: ApiError) -> Self {
        Refused::Other(e)
    }
}

impl From<anyhow::Error> for Refused {
    fn from(e: anyhow::Error) -> Self {
        Refused::Other(ApiError::Internal(e))
    }
}

/// A fingerprint of a form's fields (in order, without the key) and files.
pub fn form_fingerprint(fields: &[(String, String)], attachments: &[CleanAttachment]) -> String {
    let mut digest = Sha256::new();
    digest.update(b"multipart/form-data\0");
    for (name, value) in fields {
        for part in [name.as_bytes(), value.as_bytes()] {
            digest.update((part.len() as u64).to_be_bytes());
            digest.update(part);
        }
    }
    for file in attachments {
        digest.update(Sha256::digest(&file.bytes));
    }
    hex::encode(digest.finalize())
}

/// Files `submission`, or says why not.
pub fn file(request: &ApiRequest, submission: Submission) -> Result<Filed, Refused> {
    let db = Db::open()?;
    file_within(&db, request.lang, Some(&request.client_ip()), submission)
}

/// As [`file`], on `db` (inside the caller's transaction, if it has one: an
/// inbound SMS records its reply in the same one). `client_ip` is counted
/// by the per-address limit; a message has none (its provider's address is
/// everyone's), and its sender's number is counted instead.
pub fn file_within(db: &Db, lang: Lang, client_ip: Option<&str>, submission: Submission) -> Result<Filed, Refused> {
    let idempotency_key = match &submission.idempotency_key {
        Some(raw) => Some(IdempotencyKey::parse(raw).map_err(|e| ApiError::new(ProblemKind::MalformedRequest, lang, &e.id, &e.en))?),
        None => None,
    };
    let now = clock::now();
    let parsed = NewReport::parse(&submission.json, clock::latest_indonesian_date(now));
    let mut invalid = submission.invalid;
    let report = match parsed {
        Ok(report) => {
            invalid.extend(directory_errors(db, report.agency.as_ref(), report.category.as_ref())?);
            if submission.attachments.len() > MAX_ATTACHMENTS_PER_REPORT {
                invalid.push(Invalid::new(
                    ATTACHMENTS_FIELD,
                    format!("Paling banyak {MAX_ATTACHMENTS_PER_REPORT} berkas."),
                    format!("At most {MAX_ATTACHMENTS_PER_REPORT} files."),
                ));
            }
            if submission.attachments.iter().any(|a| !a.kind.allowed_on(report.privacy)) {
                invalid.push(Invalid::new(ATTACHMENTS_FIELD, PDF_ON_ANONYMOUS.0, PDF_ON_ANONYMOUS.1));
            }
            report
        }
        Err(errors) => {
            // The directory's answer too, for codes that parsed, so a form is
            // fixed in one go.
            let code = |name: &str| submission.json.get(name).and_then(Value::as_str).filter(|s| !s.trim().is_empty());
            let agency = code("agency").and_then(|raw| AgencyCode::parse("agency", raw).ok());
            let category = code("category").and_then(|raw| CategoryCode::parse("category", raw).ok());
            invalid.extend(errors);
            let more: Vec<Invalid> =
                directory_errors(db, agency.as_ref(), category.as_ref())?.into_iter().filter(|e| !invalid_has(&invalid, &e.field)).collect();
            invalid.extend(more);
            return Err(Refused::Fields(invalid));
        }
    };
    if !invalid.is_empty() {
        return Err(Refused::Fields(invalid));
    }

    let fingerprint = submission.fingerprint;
    if let Some(key) = &idempotency_key {
        if let Some(prior) = store::find_by_idempotency_key(db, &key.storage_hash())? {
            return Ok(replay(&prior, key, &fingerprint, lang)?);
        }
    }

    enforce_rate_limits(lang, client_ip, &report)?;

    let created_at = clock::timestamp(now);
    let calendar = crate::sla::calendar(db)?;
    // Verification is the platform administrators' work: counted in WIB.
    let verification = lapor_domain::sla::Clock::start(
        lapor_domain::sla::ClockKind::Verification,
        now,
        lapor_domain::agency::TimeZone::Wib,
        &calendar,
    );
    let attachments: Vec<(String, &CleanAttachment)> =
        submission.attachments.iter().map(|a| Ok((random::hex_id()?, a))).collect::<anyhow::Result<_>>()?;
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
                InsertOutcome::Inserted { id } => {
                    for (public_id, file) in &attachments {
                        let digest = hex::encode(Sha256::digest(&file.bytes));
                        store::insert_attachment(db, id, public_id, file.kind.as_str(), &file.bytes, &digest, &created_at)?;
                    }
                    return Ok(Created::New { tracking_id, token });
                }
                InsertOutcome::TrackingIdTaken => continue,
            }
        }
        Err(ApiError::Internal(anyhow::anyhow!("five tracking ID collisions in a row")))
    })?;

    match outcome {
        Created::New { tracking_id, token } => Ok(Filed { tracking_id, token, privacy: report.privacy, created_at, replayed: false }),
        Created::Replay(prior) => match &idempotency_key {
            Some(key) => Ok(replay(&prior, key, &fingerprint, lang)?),
            None => Err(Refused::Other(ApiError::Internal(anyhow::anyhow!("replay without a key")))),
        },
    }
}

fn invalid_has(invalid: &[Invalid], field: &str) -> bool {
    invalid.iter().any(|e| e.field == field)
}

/// An agency must be in the directory, a category active in the taxonomy.
fn directory_errors(db: &Db, agency: Option<&AgencyCode>, category: Option<&CategoryCode>) -> anyhow::Result<Vec<Invalid>> {
    let mut invalid = Vec::new();
    if let Some(agency) = agency {
        if store::find_agency(db, agency.as_str())?.is_none() {
            invalid.push(Invalid::new("agency", "Instansi tidak dikenal: lihat /api/v1/agencies.", "Unknown agency: see /api/v1/agencies."));
        }
    }
    if let Some(category) = category {
        if let Err(e) = lapor_domain::category::check_for_new_report("category", categories::standing(db, category.as_str())?) {
            invalid.push(e);
        }
    }
    Ok(invalid)
}

enum Created {
    New { tracking_id: String, token: SecretToken },
    Replay(PriorSubmission),
}

/// The first answer again, or 422 when the key was used for another request.
fn replay(prior: &PriorSubmission, key: &IdempotencyKey, fingerprint: &str, lang: Lang) -> Result<Filed, ApiError> {
    if prior.fingerprint != fingerprint {
        return Err(key_reused(lang));
    }
    let token = derive_idempotent_token(key.as_str(), &prior.tracking_id, &prior.token_salt);
    if token.hash() != prior.reporter_token_hash {
        return Err(ApiError::Internal(anyhow::anyhow!("derived token does not match the stored hash")));
    }
    Ok(Filed { tracking_id: prior.tracking_id.clone(), token, privacy: prior.privacy, created_at: prior.created_at.clone(), replayed: true })
}

/// The problem of an `Idempotency-Key` used before for different content.
pub fn key_reused(lang: Lang) -> ApiError {
    ApiError::new(
        ProblemKind::IdempotencyKeyReused,
        lang,
        "Idempotency-Key ini sudah dipakai untuk laporan dengan isi berbeda. Gunakan kunci baru untuk laporan baru.",
        "This Idempotency-Key was already used for a report with different content. Use a new key for a new report.",
    )
}

/// Per client address and per reporter phone, from Spin variables
/// (`0` disables a limit).
fn enforce_rate_limits(lang: Lang, client_ip: Option<&str>, report: &NewReport) -> Result<(), ApiError> {
    let by_address = |window| kv_schema::report_rate_by_address_key(client_ip.unwrap_or_default(), window);
    let mut checks = Vec::new();
    if client_ip.is_some() {
        checks.push(limits::Check { limit: limits::from_variable("report_rate_limit_per_address", 20), key: &by_address });
    }
    let phone = report.reporter.phone.as_ref().map(|p| p.as_str().to_string());
    let by_phone = |window| kv_schema::report_rate_by_phone_key(phone.as_deref().unwrap_or_default(), window);
    if phone.is_some() {
        checks.push(limits::Check { limit: limits::from_variable("report_rate_limit_per_phone", 10), key: &by_phone });
    }
    limits::enforce(lang, &checks, "laporan", "reports")
}
