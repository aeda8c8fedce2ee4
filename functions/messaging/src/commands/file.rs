//! `LAPOR [RAHASIA] [ANONIM] <isi>` (or free text): a new report, through the
//! same intake as the API and the web form. The sender's number is the
//! reporter's contact (private, under the report's privacy rules, as a web
//! reporter's phone) and follows the report on the channel it came by.
//! De-duplication is the message ID's (`inbound_messages`), so no
//! idempotency key is needed; the per-phone report limit applies, the
//! per-address one does not (the provider's address is everyone's).

use lapor_domain::message::grammar::FileReport;
use lapor_domain::message::reply as text;
use lapor_platform::db::Db;
use lapor_platform::intake::{self, Submission};
use lapor_platform::response::ApiError;

use super::{Done, Sender};

pub fn apply(db: &Db, sender: &Sender<'_>, report: &FileReport) -> Result<Done, ApiError> {
    let submission = Submission {
        json: report.to_json(sender.phone.as_str()),
        channel: sender.channel.report_channel(),
        idempotency_key: None,
        fingerprint: String::new(),
        attachments: Vec::new(),
        invalid: Vec::new(),
    };
    let filed = intake::file_within(db, sender.lang, None, submission).map_err(|refused| refused.into_api_error(sender.lang))?;
    let report_id = lapor_platform::store::find_report(db, &filed.tracking_id)?.map(|r| r.id);
    let reply = text::filed(&filed.tracking_id, report.confidential, report.anonymous, sender.lang, sender.base);
    Ok(Done { reply, report_id })
}
