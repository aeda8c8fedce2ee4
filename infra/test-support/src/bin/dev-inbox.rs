//! `make run`'s development inbox: the provider stand-ins (Twilio SMS,
//! WhatsApp Cloud, SendGrid e-mail, webhooks) on a fixed local address,
//! printing every message the application sends, so that a sign-in code or a
//! follower notice can be read on a machine without a real SMS provider.
//!
//! Usage: `dev-inbox [ADDR]` (default 127.0.0.1:3099). Messages go to stdout,
//! one line each: `[sms +6281234567890] Kode LAPOR Anda: 123456 ...`.

use std::io::Write;
use std::time::Duration;

use test_support::{Providers, Recorded};

fn main() {
    let addr = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:3099".into());
    let addr = match addr.parse() {
        Ok(addr) => addr,
        Err(e) => {
            eprintln!("dev-inbox: {addr:?} is not HOST:PORT ({e})");
            std::process::exit(2);
        }
    };
    let providers = match Providers::start_on(addr) {
        Ok(providers) => providers,
        Err(e) => {
            eprintln!("dev-inbox: cannot listen on {addr}: {e}");
            std::process::exit(1);
        }
    };
    println!("dev-inbox: messages sent by the app appear here ({})", providers.origin());
    let mut shown = 0;
    loop {
        let requests = providers.requests();
        for request in &requests[shown..] {
            println!("{}", describe(request));
        }
        shown = requests.len();
        let _ = std::io::stdout().flush();
        std::thread::sleep(Duration::from_millis(300));
    }
}

/// One line for a message: channel, recipient, text.
fn describe(request: &Recorded) -> String {
    let form = |name: &str| request.form().into_iter().find(|(k, _)| k == name).map(|(_, v)| v).unwrap_or_default();
    let json = || serde_json::from_slice::<serde_json::Value>(&request.body).unwrap_or_default();
    let failed = if (200..300).contains(&request.status) { String::new() } else { format!(" (answered {})", request.status) };
    match request.provider {
        "twilio" => format!("[sms {}]{failed} {}", form("To"), form("Body")),
        "whatsapp" => {
            let body = json();
            format!("[whatsapp {}]{failed} {}", body["to"].as_str().unwrap_or(""), body["text"]["body"].as_str().unwrap_or(""))
        }
        "email" => {
            let body = json();
            format!(
                "[email {}]{failed} {} | {}",
                body["personalizations"][0]["to"][0]["email"].as_str().unwrap_or(""),
                body["subject"].as_str().unwrap_or(""),
                body["content"][0]["value"].as_str().unwrap_or("")
            )
        }
        other => format!("[{other} {} {}]{failed} {}", request.method, request.path, String::from_utf8_lossy(&request.body)),
    }
}
