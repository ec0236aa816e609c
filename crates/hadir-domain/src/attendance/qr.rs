//! Rotating QR tokens for the kiosk at a work location. A token is an HMAC over the institution,
//! the location and the 30-second slot, so it is useless at another location, in another
//! institution, or once the slot and the one after it have passed.

use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How long one token is shown.
pub const SLOT_SECONDS: i64 = 30;
/// Bytes of the MAC kept in the token: 128 bits, ample against guessing within a minute.
const MAC_BYTES: usize = 16;

/// The slot a Unix time falls in.
pub fn slot_of(unix_secs: i64) -> i64 {
    unix_secs.div_euclid(SLOT_SECONDS)
}

/// The MAC state over institution, location and slot, length-prefixed so no two inputs share
/// an encoding.
fn keyed(secret: &[u8], institution_id: &str, location_id: &str, slot: i64) -> Hmac<Sha256> {
    let mut m = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    for part in [institution_id.as_bytes(), location_id.as_bytes(), &slot.to_be_bytes()] {
        m.update(&(part.len() as u32).to_be_bytes());
        m.update(part);
    }
    m
}

/// The token the kiosk shows during `slot`: `<location id>.<slot>.<mac>`.
pub fn token(secret: &[u8], institution_id: &str, location_id: &str, slot: i64) -> String {
    let mac = keyed(secret, institution_id, location_id, slot).finalize().into_bytes();
    let tag = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&mac[..MAC_BYTES]);
    format!("{location_id}.{slot}.{tag}")
}

/// Crockford's base32: no I, L, O or U, so a code read off a screen is typed without doubt.
const TYPED_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters in a typed code: 40 bits, far beyond guessing within its minute.
const TYPED_LEN: usize = 8;

/// The short code the kiosk shows under its QR for the same slot, for someone whose camera cannot
/// scan: `ABCD-EFGH`. Its own MAC (a distinct label), so it reveals nothing of the token.
pub fn typed_code(secret: &[u8], institution_id: &str, location_id: &str, slot: i64) -> String {
    let mut m = keyed(secret, institution_id, location_id, slot);
    m.update(b"typed");
    let mac = m.finalize().into_bytes();
    let mut bits: u64 = mac[..5].iter().fold(0, |acc, b| (acc << 8) | u64::from(*b));
    let mut code = [0u8; TYPED_LEN];
    for c in code.iter_mut().rev() {
        *c = TYPED_ALPHABET[(bits & 31) as usize];
        bits >>= 5;
    }
    let code = String::from_utf8_lossy(&code).into_owned();
    format!("{}-{}", &code[..4], &code[4..])
}

/// A typed code as the kiosk shows it, whatever the person typed: case, spaces and dashes do not
/// matter, and the letters people mistake for digits are read as the digits.
fn normalised(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect();
    let fits = code.len() == TYPED_LEN && code.bytes().all(|b| TYPED_ALPHABET.contains(&b));
    fits.then(|| format!("{}-{}", &code[..4], &code[4..]))
}

/// Whether a scanned or typed text is a typed code rather than a token.
pub fn is_typed(text: &str) -> bool {
    !text.contains('.')
}

/// Checks a typed code against the kiosks of `location_ids` (the person's work locations) at
/// `now_slot`: accepted for the current and the previous slot, like a token.
pub fn verify_typed(
    secret: &[u8],
    institution_id: &str,
    location_ids: &[&str],
    typed: &str,
    now_slot: i64,
) -> Result<ScannedQr, QrProblem> {
    let code = normalised(typed).ok_or(QrProblem::Malformed)?;
    for location_id in location_ids {
        for slot in [now_slot, now_slot - 1] {
            let expected = typed_code(secret, institution_id, location_id, slot);
            // Compared whole, byte by byte without an early exit.
            if expected.bytes().zip(code.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0 {
                return Ok(ScannedQr { location_id: location_id.to_string(), slot });
            }
        }
    }
    Err(QrProblem::Forged)
}

/// A token that verified: where and when it was shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScannedQr {
    pub location_id: String,
    pub slot: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QrProblem {
    /// Not shaped like a token at all: bad input rather than an attack signal.
    Malformed,
    /// Shaped like a token but not made with this institution's secret for that location.
    Forged,
    /// Made for a slot that is neither the current one nor the one before.
    Expired,
}

/// Checks a scanned token at `now_slot`: accepted for the current and the previous slot only.
pub fn verify(secret: &[u8], institution_id: &str, scanned: &str, now_slot: i64) -> Result<ScannedQr, QrProblem> {
    let mut parts = scanned.trim().rsplitn(3, '.');
    let (Some(tag), Some(slot), Some(location_id)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(QrProblem::Malformed);
    };
    let slot: i64 = slot.parse().map_err(|_| QrProblem::Malformed)?;
    let given = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(tag).map_err(|_| QrProblem::Malformed)?;
    if given.len() != MAC_BYTES || location_id.is_empty() {
        return Err(QrProblem::Malformed);
    }
    // Constant-time comparison of the truncated MAC.
    keyed(secret, institution_id, location_id, slot).verify_truncated_left(&given).map_err(|_| QrProblem::Forged)?;
    if slot != now_slot && slot != now_slot - 1 {
        return Err(QrProblem::Expired);
    }
    Ok(ScannedQr { location_id: location_id.to_string(), slot })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"a secret of this institution";

    #[test]
    fn accepted_in_its_slot_and_the_next_only() {
        let t = token(SECRET, "inst-a", "loc-1", 1000);
        assert_eq!(verify(SECRET, "inst-a", &t, 1000), Ok(ScannedQr { location_id: "loc-1".into(), slot: 1000 }));
        assert!(verify(SECRET, "inst-a", &t, 1001).is_ok());
        assert_eq!(verify(SECRET, "inst-a", &t, 1002), Err(QrProblem::Expired));
        assert_eq!(verify(SECRET, "inst-a", &t, 999), Err(QrProblem::Expired), "not before it was shown");
    }

    #[test]
    fn useless_elsewhere() {
        let t = token(SECRET, "inst-a", "loc-1", 1000);
        assert_eq!(verify(SECRET, "inst-b", &t, 1000), Err(QrProblem::Forged), "another institution");
        assert_eq!(verify(b"other secret", "inst-a", &t, 1000), Err(QrProblem::Forged));
        let moved = t.replacen("loc-1", "loc-2", 1);
        assert_eq!(verify(SECRET, "inst-a", &moved, 1000), Err(QrProblem::Forged), "relabelled location");
        let later = t.replacen(".1000.", ".1001.", 1);
        assert_eq!(verify(SECRET, "inst-a", &later, 1001), Err(QrProblem::Forged), "relabelled slot");
        for garbage in ["", "abc", "a.b.c", "loc.1000.!!!", "loc.x.AAAA", &format!("{t}A")] {
            assert_eq!(verify(SECRET, "inst-a", garbage, 1000), Err(QrProblem::Malformed), "{garbage}");
        }
        let mut flipped = t.clone();
        let last = flipped.pop().unwrap();
        flipped.push(if last == 'A' { 'B' } else { 'A' });
        assert!(verify(SECRET, "inst-a", &flipped, 1000).is_err(), "a changed MAC");
    }

    #[test]
    fn a_typed_code_works_like_the_token_where_the_person_works() {
        let code = typed_code(SECRET, "inst-a", "loc-1", 1000);
        assert_eq!(code.len(), 9);
        assert!(code.chars().all(|c| c == '-' || TYPED_ALPHABET.contains(&(c as u8))), "{code}");
        let typed = code.to_lowercase().replace('-', " ");
        let scanned = Ok(ScannedQr { location_id: "loc-1".into(), slot: 1000 });
        assert_eq!(verify_typed(SECRET, "inst-a", &["loc-9", "loc-1"], &typed, 1000), scanned);
        assert!(verify_typed(SECRET, "inst-a", &["loc-1"], &code, 1001).is_ok(), "the next slot too");
        assert_eq!(verify_typed(SECRET, "inst-a", &["loc-1"], &code, 1002), Err(QrProblem::Forged), "expired");
        assert_eq!(verify_typed(SECRET, "inst-a", &["loc-2"], &code, 1000), Err(QrProblem::Forged), "elsewhere");
        assert_eq!(verify_typed(SECRET, "inst-b", &["loc-1"], &code, 1000), Err(QrProblem::Forged));
        for garbage in ["", "ABC", "ABCD-EFGHJ", "ABCD-EFG!", "ABCDUFGH"] {
            assert_eq!(
                verify_typed(SECRET, "inst-a", &["loc-1"], garbage, 1000),
                Err(QrProblem::Malformed),
                "{garbage}"
            );
        }
        assert!(is_typed(&code) && !is_typed(&token(SECRET, "inst-a", "loc-1", 1000)));
    }

    #[test]
    fn letters_mistaken_for_digits_are_read_as_digits() {
        assert_eq!(normalised("o1il-abcd"), Some("0111-ABCD".into()));
        assert_eq!(normalised("  0 1 1 1 A B C D "), Some("0111-ABCD".into()));
    }

    #[test]
    fn slots_are_thirty_seconds() {
        assert_eq!(slot_of(0), 0);
        assert_eq!(slot_of(29), 0);
        assert_eq!(slot_of(30), 1);
        assert_eq!(slot_of(-1), -1);
    }
}
