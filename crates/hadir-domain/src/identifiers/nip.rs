use super::{IdError, IdKind, MIN_AGE_AT_SERVICE_START, Sex, birth_date, normalise_digits, number, sex_digit};
use chrono::{Datelike, NaiveDate};
use std::fmt;

/// Nomor Induk Pegawai of a civil servant (PNS): 18 digits,
/// `YYYYMMDD` birth · `YYYYMM` start of service (TMT) · sex · sequence.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Nip(String);

/// Nomor Induk PPPK of a contract civil servant: 18 digits,
/// `YYYYMMDD` birth · `YYYY` appointment year · two digits that are not a month · sex · sequence.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NiPppk(String);

/// Parts shared by NIP and NI PPPK.
fn check_common(digits: &str, kind: IdKind) -> Result<NaiveDate, IdError> {
    let born = birth_date(digits, kind)?;
    sex_digit(number(digits, 14..15), kind)?;
    if number(digits, 15..18) == 0 {
        return Err(IdError::Sequence { kind });
    }
    Ok(born)
}

/// Service can start in the month the person turns [`MIN_AGE_AT_SERVICE_START`], not before.
fn old_enough(born: NaiveDate, start_year: u32, start_month: u32) -> bool {
    let born_months = born.year() * 12 + born.month() as i32;
    let start_months = start_year as i32 * 12 + start_month as i32;
    start_months - born_months >= MIN_AGE_AT_SERVICE_START * 12
}

impl Nip {
    pub fn parse(input: &str) -> Result<Nip, IdError> {
        let kind = IdKind::Nip;
        let digits = normalise_digits(input, 18, kind)?;
        // Rules are checked left to right so the reason names the first broken part.
        let born = birth_date(&digits, kind)?;
        let (start_year, start_month) = (number(&digits, 8..12), number(&digits, 12..14));
        if !(1..=12).contains(&start_month) {
            return Err(IdError::ServiceStartMonth);
        }
        if !old_enough(born, start_year, start_month) {
            return Err(IdError::ServiceStartTooEarly { kind });
        }
        check_common(&digits, kind)?;
        Ok(Nip(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn birth_date(&self) -> NaiveDate {
        birth_date(&self.0, IdKind::Nip).expect("checked when parsed")
    }

    /// Year and month of the start of service (TMT CPNS).
    pub fn service_start(&self) -> (u32, u32) {
        (number(&self.0, 8..12), number(&self.0, 12..14))
    }

    pub fn sex(&self) -> Sex {
        sex_digit(number(&self.0, 14..15), IdKind::Nip).expect("checked when parsed")
    }
}

impl NiPppk {
    pub fn parse(input: &str) -> Result<NiPppk, IdError> {
        let kind = IdKind::NiPppk;
        let digits = normalise_digits(input, 18, kind)?;
        let born = birth_date(&digits, kind)?;
        // Digits 13-14 are not a month, so the appointment is compared by year alone.
        if !old_enough(born, number(&digits, 8..12), 12) {
            return Err(IdError::ServiceStartTooEarly { kind });
        }
        check_common(&digits, kind)?;
        Ok(NiPppk(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn birth_date(&self) -> NaiveDate {
        birth_date(&self.0, IdKind::NiPppk).expect("checked when parsed")
    }

    pub fn appointment_year(&self) -> u32 {
        number(&self.0, 8..12)
    }

    pub fn sex(&self) -> Sex {
        sex_digit(number(&self.0, 14..15), IdKind::NiPppk).expect("checked when parsed")
    }
}

impl fmt::Display for Nip {
    /// The customary grouping: `19850312 201001 1 002`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.0;
        write!(f, "{} {} {} {}", &d[0..8], &d[8..14], &d[14..15], &d[15..18])
    }
}

impl fmt::Display for NiPppk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.0;
        write!(f, "{} {} {} {}", &d[0..8], &d[8..14], &d[14..15], &d[15..18])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nip_table() {
        let cases: &[(&str, Result<(), IdError>)] = &[
            ("198503122010011002", Ok(())),
            ("19850312 201001 1 002", Ok(())),
            ("199002292015032001", Err(IdError::BirthDate { kind: IdKind::Nip })),
            ("199202292015032001", Ok(())),
            ("198513122010011002", Err(IdError::BirthDate { kind: IdKind::Nip })),
            ("198503322010011002", Err(IdError::BirthDate { kind: IdKind::Nip })),
            ("198503122010131002", Err(IdError::ServiceStartMonth)),
            ("198503122010001002", Err(IdError::ServiceStartMonth)),
            ("198503122002021002", Err(IdError::ServiceStartTooEarly { kind: IdKind::Nip })),
            ("198503122002031002", Ok(())),
            ("198503122010013002", Err(IdError::SexDigit { kind: IdKind::Nip })),
            ("198503122010010002", Err(IdError::SexDigit { kind: IdKind::Nip })),
            ("198503122010011000", Err(IdError::Sequence { kind: IdKind::Nip })),
            ("19850312201001100", Err(IdError::Length { kind: IdKind::Nip, expected: 18, found: 17 })),
            ("19850312201001100A", Err(IdError::NotDigits { kind: IdKind::Nip })),
            ("", Err(IdError::Length { kind: IdKind::Nip, expected: 18, found: 0 })),
            ("'; DROP TABLE people;--", Err(IdError::NotDigits { kind: IdKind::Nip })),
        ];
        for (input, expected) in cases {
            assert_eq!(Nip::parse(input).map(|_| ()), *expected, "{input}");
        }
    }

    #[test]
    fn nip_parts_and_display() {
        let nip = Nip::parse("198503122010011002").unwrap();
        assert_eq!(nip.birth_date(), NaiveDate::from_ymd_opt(1985, 3, 12).unwrap());
        assert_eq!(nip.service_start(), (2010, 1));
        assert_eq!(nip.sex(), Sex::Male);
        assert_eq!(nip.to_string(), "19850312 201001 1 002");
    }

    #[test]
    fn pppk_table() {
        let kind = IdKind::NiPppk;
        let cases: &[(&str, Result<(), IdError>)] = &[
            ("198705122021212001", Ok(())),
            // 21 is not a month: a NIP rule, not a PPPK one.
            ("198705122021992001", Ok(())),
            ("198705122003212001", Err(IdError::ServiceStartTooEarly { kind })),
            ("198705122004212001", Ok(())),
            ("198702302021212001", Err(IdError::BirthDate { kind })),
            ("198705122021215001", Err(IdError::SexDigit { kind })),
            ("198705122021212000", Err(IdError::Sequence { kind })),
        ];
        for (input, expected) in cases {
            assert_eq!(NiPppk::parse(input).map(|_| ()), *expected, "{input}");
        }
        let n = NiPppk::parse("198705122021212001").unwrap();
        assert_eq!(n.appointment_year(), 2021);
        assert_eq!(n.sex(), Sex::Female);
    }
}
