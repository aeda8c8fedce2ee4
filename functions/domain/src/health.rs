//! The health report: is each store the service depends on answering?

use serde::Serialize;

/// The outcome of one dependency check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub status: CheckStatus,
    /// Why it failed; absent when ok. Never contains data, only the error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckStatus {
    Ok,
    Failing,
}

impl Check {
    pub fn from_result<E: std::fmt::Display>(result: Result<(), E>) -> Self {
        match result {
            Ok(()) => Check { status: CheckStatus::Ok, error: None },
            Err(e) => Check { status: CheckStatus::Failing, error: Some(e.to_string()) },
        }
    }
}

/// `GET /api/v1/health`'s body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HealthReport {
    pub status: CheckStatus,
    pub checks: Checks,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Checks {
    pub sqlite: Check,
    pub key_value: Check,
}

impl HealthReport {
    pub fn new(sqlite: Check, key_value: Check) -> Self {
        let status = if sqlite.status == CheckStatus::Ok && key_value.status == CheckStatus::Ok {
            CheckStatus::Ok
        } else {
            CheckStatus::Failing
        };
        Self { status, checks: Checks { sqlite, key_value } }
    }

    /// 200 when everything answers; 503 tells a load balancer to look elsewhere.
    pub fn http_status(&self) -> u16 {
        match self.status {
            CheckStatus::Ok => 200,
            CheckStatus::Failing => 503,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_ok_is_200() {
        let r = HealthReport::new(Check::from_result::<String>(Ok(())), Check::from_result::<String>(Ok(())));
        assert_eq!(r.http_status(), 200);
        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(v, serde_json::json!({"status":"ok","checks":{"sqlite":{"status":"ok"},"key_value":{"status":"ok"}}}));
    }

    #[test]
    fn any_failure_is_503_with_the_reason() {
        let r = HealthReport::new(Check::from_result::<String>(Ok(())), Check::from_result(Err("no such store")));
        assert_eq!(r.http_status(), 503);
        assert_eq!(r.status, CheckStatus::Failing);
        assert_eq!(r.checks.key_value.error.as_deref(), Some("no such store"));
    }
}
