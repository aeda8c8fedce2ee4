//! `POST requests.{fmt}`: a partner app files a report.
//!
//! In this order, so nothing is read or written for a caller who may not
//! file: the `api_key` (403 when missing, unknown or revoked), the form
//! (400 for every refused parameter at once), the service (404 unless an
//! active category), then the intake every channel uses
//! (`lapor_platform::intake::file_within`: the report's own rules, the
//! directory, an `Idempotency-Key` replay, rate limits, the one write), in
//! the same transaction as the request's media URL. The report's channel is
//! `open311:<key name>`. The answer is 200 with the request's ID (its
//! tracking ID) at once: `type` is `realtime`.
//!
//! The per-address rate limit is not applied: a partner's server sends for
//! all its users from one address (as a messaging provider does); the
//! per-phone limit is, and a key can be revoked.

use lapor_domain::idempotency::request_fingerprint;
use lapor_domain::open311::error::Open311Error;
use lapor_domain::open311::format::{Document, Format};
use lapor_domain::open311::request::{api_key, parameter_of, ServiceRequestForm};
use lapor_domain::open311::view::CreatedView;
use lapor_domain::report::Channel;
use lapor_domain::token::hash_token;
use lapor_platform::db::Db;
use lapor_platform::intake::{self, Refused, Submission};
use lapor_platform::request::{form_urlencoded_pairs, ApiRequest};
use lapor_platform::{categories, open311 as data, store};
use spin_sdk::http::Response;

use crate::answer::{self, Failure, Internal};

pub fn create(request: &ApiRequest, format: Format) -> Result<Response, Failure> {
    let lang = request.lang;
    let refuse = |error: Open311Error| Failure::new(format, error);
    // The spec sends `application/x-www-form-urlencoded; charset=utf-8`; a
    // client that names no type at all is read the same way.
    if !matches!(request.media_type().as_str(), "application/x-www-form-urlencoded" | "") {
        return Err(refuse(Open311Error::new(
            400,
            lang,
            "Kirim permintaan sebagai application/x-www-form-urlencoded.",
            "Send the request as application/x-www-form-urlencoded.",
        )));
    }
    let body = std::str::from_utf8(&request.body)
        .map_err(|_| refuse(Open311Error::new(400, lang, "Isian formulir bukan UTF-8.", "The form is not UTF-8.")))?;
    let pairs = form_urlencoded_pairs(body);

    let db = Db::open().or_internal(format)?;
    let key = api_key(&pairs, &request.query).ok_or_else(|| refuse(Open311Error::bad_api_key(lang)))?;
    let partner = data::key_name(&db, &hash_token(key.trim())).or_internal(format)?.ok_or_else(|| refuse(Open311Error::bad_api_key(lang)))?;

    let form = ServiceRequestForm::parse(&pairs).map_err(|invalid| refuse(Open311Error::bad_request(lang, &invalid)))?;
    let code = form.service_code.as_str();
    let service = match categories::standing(&db, code).or_internal(format)? {
        lapor_domain::category::Standing::Active => categories::find(&db, code).or_internal(format)?,
        _ => None,
    };
    let Some(service) = service else { return Err(refuse(Open311Error::service_not_found(lang, code))) };

    let submission = Submission {
        // The title is stored, so it takes the service's Indonesian name.
        json: form.report_json(&service.name_id),
        channel: Channel::Open311(partner),
        idempotency_key: request.header("idempotency-key").map(str::to_string),
        fingerprint: request_fingerprint(&request.media_type(), &request.body),
        attachments: Vec::new(),
        invalid: Vec::new(),
    };
    let filed = db
        .transaction(|db| -> Result<intake::Filed, Refused> {
            let filed = intake::file_within(db, lang, None, submission)?;
            if let Some(url) = &form.media_url {
                let report = store::find_report(db, &filed.tracking_id)?.ok_or_else(|| anyhow::anyhow!("the report just filed is not found"))?;
                data::set_media_url(db, report.id, url.as_str())?;
            }
            Ok(filed)
        })
        .map_err(|refused| match refused {
            Refused::Fields(invalid) => {
                let named: Vec<_> = invalid
                    .into_iter()
                    .map(|e| {
                        let field = parameter_of(&e.field).to_string();
                        e.at(field)
                    })
                    .collect();
                refuse(Open311Error::bad_request(lang, &named))
            }
            Refused::Other(error) => Failure::from_api(format, error),
        })?;

    let view = CreatedView::new(&filed.tracking_id, filed.privacy.is_confidential(), &lapor_platform::site::public_base_url(), lang);
    let mut response = answer::document(format, Document::ServiceRequests, &[view], 200, "no-store", lang);
    if filed.replayed {
        response.set_header("idempotent-replayed", "true");
    }
    Ok(response)
}
