//! Control requests to the app (seeding, checks), not load: one client per
//! server, without idle pooled connections, so stopping a server never
//! waits on one of ours.

use std::net::SocketAddr;

use anyhow::{bail, Context, Result};
use reqwest::Method;
use serde_json::Value;

use crate::server::ADMIN_TOKEN;

pub struct Api {
    client: reqwest::Client,
    base: String,
}

impl Api {
    pub fn new(addr: SocketAddr) -> Result<Api> {
        Ok(Api { client: reqwest::Client::builder().pool_max_idle_per_host(0).build()?, base: format!("http://{addr}") })
    }

    /// One request; the status and the JSON body (`Null` if none).
    pub async fn call(&self, method: Method, path: &str, token: Option<&str>, body: Option<&Value>) -> Result<(u16, Value)> {
        let mut request = self.client.request(method.clone(), format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.with_context(|| format!("{method} {path}"))?;
        let status = response.status().as_u16();
        let text = response.text().await?;
        Ok((status, serde_json::from_str(&text).unwrap_or(Value::Null)))
    }

    /// A request that must answer 2xx; its JSON body.
    pub async fn ok(&self, method: Method, path: &str, token: Option<&str>, body: Option<&Value>) -> Result<Value> {
        let (status, json) = self.call(method.clone(), path, token, body).await?;
        if !(200..300).contains(&status) {
            bail!("{method} {path}: {status} {json}");
        }
        Ok(json)
    }

    /// Files a report (the intake's JSON); its tracking ID.
    pub async fn file_report(&self, body: &Value) -> Result<String> {
        let json = self.ok(Method::POST, "/api/v1/reports", None, Some(body)).await?;
        json["tracking_id"].as_str().map(str::to_string).context("no tracking_id in the answer")
    }

    /// Files a report and verifies it to its agency, as an administrator
    /// would: only verified reports are listed.
    pub async fn file_dispatched(&self, body: &Value) -> Result<String> {
        let tracking_id = self.file_report(body).await?;
        let agency = body["agency"].as_str().context("the report names no agency")?;
        self.ok(
            Method::POST,
            &format!("/api/v1/admin/reports/{tracking_id}/verify"),
            Some(ADMIN_TOKEN),
            Some(&serde_json::json!({"agency": agency})),
        )
        .await?;
        Ok(tracking_id)
    }

    /// `n` new citizen tokens.
    pub async fn citizens(&self, n: u64) -> Result<Vec<String>> {
        let mut tokens = Vec::new();
        for _ in 0..n {
            let json = self.ok(Method::POST, "/api/v1/citizens", None, Some(&serde_json::json!({}))).await?;
            tokens.push(json["citizen_token"].as_str().context("no citizen_token")?.to_string());
        }
        Ok(tokens)
    }

    /// The support count the API shows for a report.
    pub async fn shown_supports(&self, tracking_id: &str) -> Result<i64> {
        let json = self.ok(Method::GET, &format!("/api/v1/reports/{tracking_id}/supports"), None, None).await?;
        json["supports"].as_i64().with_context(|| format!("no supports count in {json}"))
    }
}
