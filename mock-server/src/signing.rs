//! [`UrlSigner`]: HMAC-SHA256 signatures for the presigned upload and download URLs of CRM
//! attachments, the way object stores sign theirs: the signature covers the method, the path,
//! the content type, the size and the expiry, so changing any of them (a different
//! `Content-Type` on the PUT, a later `expires`, another file's path) invalidates the URL.
//!
//! The key is random per server (per [`crate::AppState`]), so URLs from one mock never work on
//! another. Verification compares in constant time (`Mac::verify_slice`).

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

/// What a presigned URL grants: one method on one path, for one declared body, until `expires`
/// (Unix seconds).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Grant<'a> {
    /// `PUT` (upload) or `GET` (download).
    pub method: &'a str,
    /// The URL's path, without query.
    pub path: &'a str,
    /// The content type the body has.
    pub content_type: &'a str,
    /// The body's size in bytes.
    pub size: u64,
    /// Unix seconds after which the URL is refused.
    pub expires: i64,
}

impl Grant<'_> {
    fn canonical(&self) -> String {
        format!("{}\n{}\n{}\n{}\n{}", self.method, self.path, self.content_type, self.size, self.expires)
    }
}

/// Signs and verifies [`Grant`]s with a per-server secret.
#[derive(Clone)]
pub struct UrlSigner {
    secret: [u8; 32],
}

impl std::fmt::Debug for UrlSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("UrlSigner { .. }")
    }
}

impl Default for UrlSigner {
    fn default() -> Self {
        let mut secret = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut secret);
        UrlSigner { secret }
    }
}

impl UrlSigner {
    fn mac(&self, grant: &Grant<'_>) -> Hmac<Sha256> {
        // HMAC takes a key of any length, so this cannot fail.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.secret).unwrap_or_else(|_| unreachable!());
        mac.update(grant.canonical().as_bytes());
        mac
    }

    /// The lowercase hex signature of `grant`.
    pub fn sign(&self, grant: &Grant<'_>) -> String {
        hex::encode(self.mac(grant).finalize().into_bytes())
    }

    /// Whether `signature` (hex) is this server's signature of `grant`.
    pub fn verify(&self, grant: &Grant<'_>, signature: &str) -> bool {
        hex::decode(signature).is_ok_and(|bytes| self.mac(grant).verify_slice(&bytes).is_ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_changed_part_breaks_the_signature() {
        let signer = UrlSigner::default();
        let grant = Grant { method: "PUT", path: "/f/1", content_type: "text/plain", size: 3, expires: 100 };
        let sig = signer.sign(&grant);
        assert!(signer.verify(&grant, &sig));
        assert!(!signer.verify(&Grant { content_type: "text/html", ..grant }, &sig));
        assert!(!signer.verify(&Grant { expires: 101, ..grant }, &sig));
        assert!(!signer.verify(&Grant { size: 4, ..grant }, &sig));
        assert!(!signer.verify(&Grant { method: "GET", ..grant }, &sig));
        assert!(!signer.verify(&grant, "zz"));
        assert!(!UrlSigner::default().verify(&grant, &sig), "another server's secret");
    }
}
