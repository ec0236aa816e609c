//! What a day adds to the month's totals — the counted part of a [`DayStatus`] — and a compact
//! text form of a month of them (two characters a day), which the recap keeps per person so that
//! a month's totals are read instead of recomputed from every check-in.

use super::status::DayStatus;
use super::table::Level;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DayCount {
    /// Before the person joined, or a day not over yet: nothing to count.
    NotCounted,
    Off,
    Holiday,
    Leave,
    /// TK.
    Absent,
    Present {
        late: Option<Level>,
        early: Option<Level>,
    },
}

impl DayCount {
    pub fn of(status: &DayStatus) -> DayCount {
        match status {
            DayStatus::OffDay => DayCount::Off,
            DayStatus::Holiday => DayCount::Holiday,
            DayStatus::OnLeave { .. } => DayCount::Leave,
            DayStatus::Absent => DayCount::Absent,
            DayStatus::Present(p) => DayCount::Present { late: p.late, early: p.early },
        }
    }

    /// Two characters: `--`, `oo`, `hh`, `ll`, `aa`, or the TL and PSW levels as digits (`00` on
    /// time and full day, `10` TL1, `04` PSW4, …).
    fn code(self) -> [u8; 2] {
        let digit = |l: Option<Level>| b'0' + l.map_or(0, |l| l.index() as u8 + 1);
        match self {
            DayCount::NotCounted => *b"--",
            DayCount::Off => *b"oo",
            DayCount::Holiday => *b"hh",
            DayCount::Leave => *b"ll",
            DayCount::Absent => *b"aa",
            DayCount::Present { late, early } => [digit(late), digit(early)],
        }
    }

    fn from_code(code: &[u8]) -> Option<DayCount> {
        let level = |c: u8| match c {
            b'0' => Some(None),
            b'1'..=b'4' => Some(Some(Level::ALL[usize::from(c - b'1')])),
            _ => None,
        };
        match code {
            b"--" => Some(DayCount::NotCounted),
            b"oo" => Some(DayCount::Off),
            b"hh" => Some(DayCount::Holiday),
            b"ll" => Some(DayCount::Leave),
            b"aa" => Some(DayCount::Absent),
            [l, e] => Some(DayCount::Present { late: level(*l)?, early: level(*e)? }),
            _ => None,
        }
    }
}

/// The text form of consecutive days.
pub fn encode_days(days: impl IntoIterator<Item = DayCount>) -> String {
    let bytes: Vec<u8> = days.into_iter().flat_map(DayCount::code).collect();
    // Every code is ASCII.
    String::from_utf8(bytes).unwrap_or_default()
}

/// Days back from their text form; `None` for anything [`encode_days`] cannot have written.
pub fn decode_days(text: &str) -> Option<Vec<DayCount>> {
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    bytes.chunks(2).map(DayCount::from_code).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_count_survives_its_text_form() {
        let mut all = vec![DayCount::NotCounted, DayCount::Off, DayCount::Holiday, DayCount::Leave, DayCount::Absent];
        let levels = [None, Some(Level::L1), Some(Level::L2), Some(Level::L3), Some(Level::L4)];
        for late in levels {
            for early in levels {
                all.push(DayCount::Present { late, early });
            }
        }
        let text = encode_days(all.iter().copied());
        assert_eq!(text.len(), all.len() * 2);
        assert_eq!(decode_days(&text), Some(all));
        assert_eq!(encode_days([DayCount::Present { late: Some(Level::L1), early: None }, DayCount::Absent]), "10aa");
        for bad in ["1", "5a", "x0", "0-", "oh"] {
            assert_eq!(decode_days(bad), None, "{bad}");
        }
        assert_eq!(decode_days(""), Some(Vec::new()));
    }
}
