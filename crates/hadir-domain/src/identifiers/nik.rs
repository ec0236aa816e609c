use super::{IdError, IdKind, Sex, normalise_digits, number};
use crate::explain::{Explain, Lang};
use chrono::{Datelike, NaiveDate};
use std::fmt;

/// Nomor Induk Kependudukan (national ID): 16 digits,
/// province · regency · district (2 each) · `DDMMYY` birth date with DD + 40 for women · sequence.
/// There is no check digit.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Nik(String);

/// Province codes in use (DOMAIN.md §4).
const PROVINCES: &[std::ops::RangeInclusive<u32>] =
    &[11..=19, 21..=21, 31..=36, 51..=53, 61..=65, 71..=76, 81..=82, 91..=97];

/// A NIK that disagrees with what else is known about the person. Never a rejection: the registry
/// does not reissue a NIK to fix a wrong birth date, so the NIK stays as printed on the card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NikWarning {
    BirthDateDiffers,
    SexDiffers,
}

impl Nik {
    pub fn parse(input: &str) -> Result<Nik, IdError> {
        let digits = normalise_digits(input, 16, IdKind::Nik)?;
        let province = number(&digits, 0..2);
        if !PROVINCES.iter().any(|r| r.contains(&province)) {
            return Err(IdError::NikProvince);
        }
        let day = number(&digits, 6..8);
        if !((1..=31).contains(&day) || (41..=71).contains(&day)) {
            return Err(IdError::NikDay);
        }
        if !(1..=12).contains(&number(&digits, 8..10)) {
            return Err(IdError::NikMonth);
        }
        if number(&digits, 12..16) == 0 {
            return Err(IdError::Sequence { kind: IdKind::Nik });
        }
        Ok(Nik(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn province_code(&self) -> u32 {
        number(&self.0, 0..2)
    }

    pub fn sex(&self) -> Sex {
        if number(&self.0, 6..8) > 40 { Sex::Female } else { Sex::Male }
    }

    /// Day, month and two-digit year of birth as encoded (the century is not in a NIK).
    pub fn birth_day_month_yy(&self) -> (u32, u32, u32) {
        let day = number(&self.0, 6..8);
        (day % 40, number(&self.0, 8..10), number(&self.0, 10..12))
    }

    /// Compares the NIK with a birth date and sex known from elsewhere (e.g. the NIP).
    pub fn warnings_against(&self, born: NaiveDate, sex: Sex) -> Vec<NikWarning> {
        let mut warnings = Vec::new();
        let (day, month, yy) = self.birth_day_month_yy();
        if (day, month, yy) != (born.day(), born.month(), born.year().rem_euclid(100) as u32) {
            warnings.push(NikWarning::BirthDateDiffers);
        }
        if self.sex() != sex {
            warnings.push(NikWarning::SexDiffers);
        }
        warnings
    }

    /// The form shown to people whose purpose does not need the full number: `1771••••••••0003`.
    pub fn masked(&self) -> String {
        format!("{}••••••••{}", &self.0[..4], &self.0[12..])
    }
}

/// Never prints the number itself, so a NIK cannot leak into logs through `{:?}`.
impl fmt::Debug for Nik {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Nik({})", self.masked())
    }
}

impl Explain for NikWarning {
    fn code(&self) -> &'static str {
        match self {
            NikWarning::BirthDateDiffers => "nik_birth_date_differs",
            NikWarning::SexDiffers => "nik_sex_differs",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (NikWarning::BirthDateDiffers, Lang::Id) => {
                "Tanggal lahir pada NIK berbeda dengan data kepegawaian; NIK tetap disimpan".into()
            }
            (NikWarning::BirthDateDiffers, Lang::En) => {
                "The birth date in the NIK differs from the employee record; the NIK is kept".into()
            }
            (NikWarning::SexDiffers, Lang::Id) => {
                "Jenis kelamin pada NIK berbeda dengan data kepegawaian; NIK tetap disimpan".into()
            }
            (NikWarning::SexDiffers, Lang::En) => {
                "The sex encoded in the NIK differs from the employee record; the NIK is kept".into()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nik_table() {
        let cases: &[(&str, Result<(), IdError>)] = &[
            ("1771031203850003", Ok(())),
            ("1771035203850003", Ok(())),
            ("1771037103850003", Ok(())),
            ("1771033103850003", Ok(())),
            ("1771030003850003", Err(IdError::NikDay)),
            ("1771033203850003", Err(IdError::NikDay)),
            ("1771034003850003", Err(IdError::NikDay)),
            ("1771037203850003", Err(IdError::NikDay)),
            ("1771031213850003", Err(IdError::NikMonth)),
            ("1771031200850003", Err(IdError::NikMonth)),
            ("1071031203850003", Err(IdError::NikProvince)),
            ("2071031203850003", Err(IdError::NikProvince)),
            ("9871031203850003", Err(IdError::NikProvince)),
            ("9171031203850003", Ok(())),
            ("1771031203850000", Err(IdError::Sequence { kind: IdKind::Nik })),
            ("177103120385000", Err(IdError::Length { kind: IdKind::Nik, expected: 16, found: 15 })),
        ];
        for (input, expected) in cases {
            assert_eq!(Nik::parse(input).map(|_| ()), *expected, "{input}");
        }
    }

    #[test]
    fn women_have_forty_added_to_the_day() {
        let nik = Nik::parse("1771035203850003").unwrap();
        assert_eq!(nik.sex(), Sex::Female);
        assert_eq!(nik.birth_day_month_yy(), (12, 3, 85));
    }

    #[test]
    fn a_birth_date_mismatch_is_a_warning_not_a_rejection() {
        let nik = Nik::parse("1771031203850003").unwrap();
        let born = NaiveDate::from_ymd_opt(1985, 3, 12).unwrap();
        assert!(nik.warnings_against(born, Sex::Male).is_empty());
        let other = NaiveDate::from_ymd_opt(1985, 3, 13).unwrap();
        assert_eq!(nik.warnings_against(other, Sex::Male), vec![NikWarning::BirthDateDiffers]);
        assert_eq!(nik.warnings_against(born, Sex::Female), vec![NikWarning::SexDiffers]);
    }

    #[test]
    fn masked_and_debug_never_show_the_middle() {
        let nik = Nik::parse("1771031203850003").unwrap();
        assert_eq!(nik.masked(), "1771••••••••0003");
        assert!(!format!("{nik:?}").contains("031203"));
    }
}
