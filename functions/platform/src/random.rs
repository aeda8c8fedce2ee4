//! Randomness from the host's CSPRNG (WASI `random`), for tracking IDs and tokens.

use lapor_domain::token::SecretToken;
use lapor_domain::tracking_id::TrackingId;

fn bytes<const N: usize>() -> anyhow::Result<[u8; N]> {
    let mut buffer = [0u8; N];
    getrandom::fill(&mut buffer).map_err(|e| anyhow::anyhow!("no randomness from the host: {e}"))?;
    Ok(buffer)
}

pub fn tracking_id() -> anyhow::Result<TrackingId> {
    Ok(TrackingId::generate(bytes()?))
}

pub fn secret_token() -> anyhow::Result<SecretToken> {
    Ok(SecretToken::from_random(bytes()?))
}

/// 16 random bytes as hex (probe keys, attachment ids).
pub fn hex_id() -> anyhow::Result<String> {
    Ok(hex::encode(bytes::<16>()?))
}

/// A six-digit one-time code.
pub fn otp_code() -> anyhow::Result<lapor_domain::otp::OtpCode> {
    Ok(lapor_domain::otp::OtpCode::from_random(bytes()?))
}

/// A number in 0..=1000 (jitter for retry delays).
pub fn permille() -> u16 {
    bytes::<2>().map(|b| u16::from_be_bytes(b) % 1001).unwrap_or(500)
}
