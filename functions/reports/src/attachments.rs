//! Attachments: the reporter adds photos or PDFs; reading one obeys the
//! report's privacy exactly as reading the report does.
//!
//! Upload the file's bytes as the request body (any Content-Type: the type
//! is recognised from the bytes). Image metadata (EXIF, GPS, XMP, comments)
//! is removed before anything is stored.

use lapor_domain::attachment::{AttachmentError, AttachmentKind, CleanAttachment, MAX_ATTACHMENTS_PER_REPORT, PDF_ON_ANONYMOUS};
use lapor_domain::privacy::Viewer;
use lapor_domain::problem::ProblemKind;
use lapor_domain::view::AttachmentUploaded;
use lapor_platform::db::Db;
use lapor_platform::request::ApiRequest;
use lapor_platform::response::{self, ApiError};
use lapor_platform::{clock, random, store};
use sha2::{Digest, Sha256};
use spin_sdk::http::Response;

use crate::viewer::visible_report;

pub fn upload(request: &ApiRequest, raw_id: &str) -> Result<Response, ApiError> {
    let lang = request.lang;
    let db = Db::open()?;
    let report = crate::reporter::as_reporter(&db, request, raw_id)?;
    let clean = CleanAttachment::parse(&request.body).map_err(|e| match e {
        AttachmentError::Empty => ApiError::new(ProblemKind::MalformedRequest, lang, "Berkas kosong.", "The file is empty."),
        AttachmentError::TooLarge { limit, .. } => crate::create::too_large(lang, limit),
        AttachmentError::UnsupportedType => ApiError::new(
            ProblemKind::UnsupportedMediaType,
            lang,
            "Hanya berkas JPEG, PNG, atau PDF yang diterima.",
            "Only JPEG, PNG or PDF files are accepted.",
        ),
        AttachmentError::Malformed(kind) => ApiError::new(
            ProblemKind::ValidationFailed,
            lang,
            &format!("Berkas {kind} ini rusak."),
            &format!("This {kind} file is damaged."),
        ),
    })?;
    if !clean.kind.allowed_on(report.record.privacy) {
        let (id, en) = PDF_ON_ANONYMOUS;
        return Err(ApiError::new(ProblemKind::UnsupportedMediaType, lang, id, en));
    }
    let public_id = random::hex_id()?;
    let digest = hex::encode(Sha256::digest(&clean.bytes));
    let now = clock::timestamp(clock::now());
    db.transaction(|db| -> Result<(), ApiError> {
        if store::attachment_count(db, report.id)? >= MAX_ATTACHMENTS_PER_REPORT {
            return Err(ApiError::new(
                ProblemKind::Conflict,
                lang,
                &format!("Laporan ini sudah memiliki {MAX_ATTACHMENTS_PER_REPORT} lampiran, batas maksimal."),
                &format!("This report already has {MAX_ATTACHMENTS_PER_REPORT} attachments, the maximum."),
            ));
        }
        store::insert_attachment(db, report.id, &public_id, kind_name(clean.kind), &clean.bytes, &digest, &now)?;
        Ok(())
    })?;
    let tracking_id = &report.record.tracking_id;
    let url = format!("/api/v1/reports/{tracking_id}/attachments/{public_id}");
    let answer = AttachmentUploaded {
        content_type: clean.kind.content_type(),
        id: public_id,
        kind: kind_name(clean.kind),
        size: clean.bytes.len(),
        url: url.clone(),
    };
    let mut response = response::json(201, &answer, "no-store");
    response.set_header("location", url);
    Ok(response)
}

fn kind_name(kind: AttachmentKind) -> &'static str {
    kind.as_str()
}

pub fn download(request: &ApiRequest, raw_id: &str, attachment_id: &str) -> Result<Response, ApiError> {
    let db = Db::open()?;
    let (report, viewer) = visible_report(&db, request, raw_id)?;
    let (kind, data) =
        store::attachment_data(&db, report.id, attachment_id)?.ok_or_else(|| ApiError::not_found(request.lang))?;
    let (content_type, extension) = match kind.as_str() {
        "jpeg" => ("image/jpeg", "jpg"),
        "png" => ("image/png", "png"),
        _ => ("application/pdf", "pdf"),
    };
    // Images display inline; PDFs download, so a crafted PDF never runs in
    // the service's origin. Nothing here may be sniffed into HTML.
    let disposition = if extension == "pdf" { "attachment" } else { "inline" };
    // `no-cache`: a shared cache must revalidate, so a report raised to
    // confidential stops being served from caches at once.
    let cache = if viewer == Viewer::Public { "public, no-cache" } else { "private, no-store" };
    Ok(Response::builder()
        .status(200)
        .header("content-type", content_type)
        .header("content-disposition", format!("{disposition}; filename=\"{attachment_id}.{extension}\""))
        .header("x-content-type-options", "nosniff")
        .header("content-security-policy", "default-src 'none'; sandbox")
        .header("cache-control", cache)
        .header("vary", "authorization")
        .body(data)
        .build())
}
