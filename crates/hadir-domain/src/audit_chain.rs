//! The audit log as a hash chain, per institution: each entry's hash covers its own fields and the
//! previous entry's hash, so changing, removing or reordering any entry breaks every link after
//! it, and a head (the last sequence number and hash, kept apart) catches a cut-off tail.

use sha2::{Digest, Sha256};

/// The `prev_hash` of an institution's first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The fields of an entry that its hash covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link<'a> {
    pub institution_id: &'a str,
    pub seq: i64,
    pub id: &'a str,
    pub at: i64,
    pub actor_account_id: Option<&'a str>,
    pub action: &'a str,
    pub subject_type: &'a str,
    pub subject_id: Option<&'a str>,
    pub request_id: Option<&'a str>,
    pub detail: &'a str,
    pub prev_hash: &'a str,
}

impl Link<'_> {
    /// SHA-256, hex, over an unambiguous encoding of every field: each is length-prefixed, so
    /// no two different entries encode alike.
    pub fn hash(&self) -> String {
        let mut h = Sha256::new();
        let mut field = |bytes: Option<&[u8]>| match bytes {
            None => h.update(b"-"),
            Some(b) => {
                h.update((b.len() as u64).to_be_bytes());
                h.update(b);
            }
        };
        field(Some(self.institution_id.as_bytes()));
        field(Some(&self.seq.to_be_bytes()));
        field(Some(self.id.as_bytes()));
        field(Some(&self.at.to_be_bytes()));
        field(self.actor_account_id.map(str::as_bytes));
        field(Some(self.action.as_bytes()));
        field(Some(self.subject_type.as_bytes()));
        field(self.subject_id.map(str::as_bytes));
        field(self.request_id.map(str::as_bytes));
        field(Some(self.detail.as_bytes()));
        field(Some(self.prev_hash.as_bytes()));
        format!("{:x}", h.finalize())
    }
}

/// The first thing wrong in a chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Break {
    /// An entry is missing or out of place: `expected` was due, `found` came.
    Gap { expected: i64, found: i64 },
    /// The entry does not point at the hash of the one before it.
    PrevHash { seq: i64 },
    /// The entry's fields no longer give its stored hash: it was changed.
    Altered { seq: i64 },
    /// Entries after `last` were removed (the head says the chain is longer).
    Truncated { last: i64, head: i64 },
    /// The head does not match the last entry.
    Head { seq: i64 },
}

impl std::fmt::Display for Break {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Break::Gap { expected, found } => write!(f, "entry {expected} is missing (found {found} in its place)"),
            Break::PrevHash { seq } => write!(f, "entry {seq} does not link to the entry before it"),
            Break::Altered { seq } => write!(f, "entry {seq} was changed after it was written"),
            Break::Truncated { last, head } => write!(f, "entries after {last} were removed (the chain had {head})"),
            Break::Head { seq } => write!(f, "the chain head does not match entry {seq}"),
        }
    }
}

/// Checks entries (in sequence order) with their stored hashes against the head `(seq, hash)`.
pub fn verify<'a>(entries: impl IntoIterator<Item = (Link<'a>, &'a str)>, head: (i64, &str)) -> Result<u64, Break> {
    let (mut expected, mut prev) = (1_i64, GENESIS.to_string());
    let mut count = 0;
    for (link, stored) in entries {
        if link.seq != expected {
            return Err(Break::Gap { expected, found: link.seq });
        }
        if link.prev_hash != prev {
            return Err(Break::PrevHash { seq: link.seq });
        }
        if link.hash() != stored {
            return Err(Break::Altered { seq: link.seq });
        }
        prev = stored.to_string();
        expected += 1;
        count += 1;
    }
    let last = expected - 1;
    match head {
        (seq, _) if seq > last => Err(Break::Truncated { last, head: seq }),
        (seq, hash) if seq != last || (last > 0 && hash != prev) => Err(Break::Head { seq: last }),
        _ => Ok(count),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Row {
        seq: i64,
        id: String,
        detail: String,
        prev: String,
        hash: String,
    }

    fn link(r: &Row) -> Link<'_> {
        Link {
            institution_id: "inst",
            seq: r.seq,
            id: &r.id,
            at: 1_000 + r.seq,
            actor_account_id: Some("acc"),
            action: "person.update",
            subject_type: "person",
            subject_id: Some("p"),
            request_id: None,
            detail: &r.detail,
            prev_hash: &r.prev,
        }
    }

    fn chain(n: i64) -> Vec<Row> {
        let mut rows: Vec<Row> = Vec::new();
        for seq in 1..=n {
            let prev = rows.last().map_or(GENESIS.to_string(), |r| r.hash.clone());
            let mut row = Row { seq, id: format!("e{seq}"), detail: "{}".into(), prev, hash: String::new() };
            row.hash = link(&row).hash();
            rows.push(row);
        }
        rows
    }

    fn check(rows: &[Row], head: (i64, &str)) -> Result<u64, Break> {
        verify(rows.iter().map(|r| (link(r), r.hash.as_str())), head)
    }

    #[test]
    fn an_intact_chain_verifies() {
        let rows = chain(5);
        assert_eq!(check(&rows, (5, &rows[4].hash)), Ok(5));
        assert_eq!(check(&[], (0, GENESIS)), Ok(0), "an empty chain");
    }

    #[test]
    fn each_kind_of_tampering_is_found_at_its_entry() {
        let rows = chain(5);
        let head = (5, rows[4].hash.clone());
        let mut altered = chain(5);
        altered[2].detail = r#"{"fields":["nik"]}"#.into();
        assert_eq!(check(&altered, (head.0, &head.1)), Err(Break::Altered { seq: 3 }));

        let mut rehashed = chain(5);
        rehashed[2].detail = "{}x".into();
        rehashed[2].hash = link(&rehashed[2]).hash();
        assert_eq!(
            check(&rehashed, (head.0, &head.1)),
            Err(Break::PrevHash { seq: 4 }),
            "re-hashing one is not enough"
        );

        let removed: Vec<Row> = chain(5).into_iter().filter(|r| r.seq != 2).collect();
        assert_eq!(check(&removed, (head.0, &head.1)), Err(Break::Gap { expected: 2, found: 3 }));

        let cut: Vec<Row> = chain(5).into_iter().take(3).collect();
        assert_eq!(check(&cut, (head.0, &head.1)), Err(Break::Truncated { last: 3, head: 5 }));
        assert_eq!(check(&rows, (5, GENESIS)), Err(Break::Head { seq: 5 }));
    }

    #[test]
    fn field_boundaries_cannot_be_shifted() {
        let rows = chain(1);
        let mut a = link(&rows[0]);
        let mut b = a.clone();
        a.action = "ab";
        a.subject_type = "c";
        b.action = "a";
        b.subject_type = "bc";
        assert_ne!(a.hash(), b.hash());
        let none = Link { subject_id: None, ..link(&rows[0]) };
        let empty = Link { subject_id: Some(""), ..link(&rows[0]) };
        assert_ne!(none.hash(), empty.hash());
    }
}
