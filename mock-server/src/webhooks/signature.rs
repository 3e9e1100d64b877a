//! The delivery signature: `X-NextCap-Signature: sha256=<lowercase hex HMAC-SHA256>` over
//! `"{timestamp}.{raw body}"`, keyed with the webhook's secret (the contract's
//! `x-webhook-signature`). It is the scheme `deskapi::nextcap::webhooks::sign` computes and
//! `verify_and_parse` checks; implemented here with `hmac`/`sha2`/`hex` rather than by
//! depending on the SDK, so the mock stays an independent implementation of the contract and
//! an SDK bug cannot hide behind a shared one.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// `sha256=` + hex HMAC-SHA256 of `"{timestamp}.{body}"` keyed with `secret`.
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    format!("sha256={}", hmac_hex(secret.as_bytes(), &[timestamp.to_string().as_bytes(), b".", body]))
}

/// NexaDesk's `X-NexaDesk-Signature`: `sha256=<lowercase hex HMAC-SHA256>` of the raw body
/// alone, keyed with the webhook's secret (API README; no timestamp is signed).
pub fn sign_body(secret: &str, body: &[u8]) -> String {
    format!("sha256={}", hmac_hex(secret.as_bytes(), &[body]))
}

/// Hex HMAC-SHA256 of the concatenation of `parts`.
pub fn hmac_hex(key: &[u8], parts: &[&[u8]]) -> String {
    // HMAC accepts keys of any length (long ones are hashed), so this cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes a key of any length");
    for part in parts {
        mac.update(part);
    }
    hex::encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_rfc_4231_vector() {
        // RFC 4231, test case 2; split in two to check that parts are concatenated.
        let hex = hmac_hex(b"Jefe", &[b"what do ya want ", b"for nothing?"]);
        assert_eq!(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    #[test]
    fn nexadesk_signs_the_raw_body() {
        // The RFC 4231 case-2 vector again: the signature is the plain HMAC of the body.
        assert_eq!(
            sign_body("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn signs_timestamp_dot_body() {
        // Computed independently: python3 hmac.new(b"whsec_test", b'1760000000.{"id":"1"}', sha256).
        assert_eq!(
            sign("whsec_test", 1_760_000_000, br#"{"id":"1"}"#),
            "sha256=4f409249923e3c71e7fbc42757a3525f09cc51e7a8eccd12a1e26692e08d946e"
        );
    }
}
