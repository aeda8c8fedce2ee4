//! Rate limits counted in the key-value store, with limits from Spin variables.
//!
//! Fixed hourly windows (`lapor_domain::rate_limit`). If the key-value store
//! is down, `enforce` allows the action (losing a report or a vote is worse
//! than letting a spammer through for a while) and `enforce_or_refuse`
//! refuses it (for what costs money or reaches strangers: SMS codes).

use lapor_domain::lang::Lang;
use lapor_domain::problem::ProblemKind;
use lapor_domain::rate_limit::RateLimit;

use crate::kv;
use crate::response::ApiError;

/// The hourly limit in Spin variable `name` (`0` disables it).
pub fn from_variable(name: &str, default: u64) -> RateLimit {
    let per_hour = match spin_sdk::variables::get(name) {
        Ok(raw) => raw.trim().parse().unwrap_or_else(|_| {
            eprintln!("variable {name}={raw:?} is not a number; using {default}");
            default
        }),
        Err(_) => default,
    };
    RateLimit::per_hour(per_hour)
}

/// One counter to check: its limit and a function building its key for a window.
pub struct Check<'a> {
    pub limit: RateLimit,
    pub key: &'a dyn Fn(u64) -> String,
}

/// Counts this action in every check's window; the first exceeded limit
/// answers 429 with `Retry-After` (the seconds until its window ends).
/// `what_id` / `what_en` name the action, e.g. "laporan" / "reports".
pub fn enforce(lang: Lang, checks: &[Check<'_>], what_id: &str, what_en: &str) -> Result<(), ApiError> {
    count(lang, checks, what_id, what_en, false)
}

/// As [`enforce`], but answers 503 when the counters cannot be read.
pub fn enforce_or_refuse(lang: Lang, checks: &[Check<'_>], what_id: &str, what_en: &str) -> Result<(), ApiError> {
    count(lang, checks, what_id, what_en, true)
}

fn count(lang: Lang, checks: &[Check<'_>], what_id: &str, what_en: &str, refuse_blind: bool) -> Result<(), ApiError> {
    let unix = crate::clock::now().timestamp().max(0) as u64;
    for check in checks {
        if check.limit.disabled() {
            continue;
        }
        let window = check.limit.window(unix);
        match kv::increment(&(check.key)(window.index)) {
            Ok(count) if !check.limit.allows(count) => {
                let minutes = window.seconds_left.div_ceil(60);
                return Err(ApiError::new(
                    ProblemKind::TooManyRequests,
                    lang,
                    &format!("Terlalu banyak {what_id} dalam satu jam. Coba lagi dalam {minutes} menit."),
                    &format!("Too many {what_en} in one hour. Try again in {minutes} minutes."),
                )
                .with_header("retry-after", window.seconds_left.to_string()));
            }
            Ok(_) => {}
            Err(e) if refuse_blind => {
                eprintln!("rate limit store unavailable, refusing: {e:#}");
                return Err(ApiError::new(
                    ProblemKind::ServiceUnavailable,
                    lang,
                    "Layanan sedang terganggu. Coba lagi beberapa menit lagi.",
                    "The service is temporarily impaired. Please try again in a few minutes.",
                )
                .with_header("retry-after", "60"));
            }
            Err(e) => eprintln!("rate limit not enforced: {e:#}"),
        }
    }
    Ok(())
}
