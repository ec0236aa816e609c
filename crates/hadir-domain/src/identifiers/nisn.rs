use super::{IdError, IdKind, normalise_digits, number};

/// Nomor Induk Siswa Nasional (student): 10 digits; the first three are the last three digits of
/// the birth year.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Nisn(String);

/// Birth years a student in the system can plausibly have; the prefix must fall inside them.
pub const PLAUSIBLE_BIRTH_YEARS: std::ops::RangeInclusive<u32> = 1950..=2049;

impl Nisn {
    pub fn parse(input: &str) -> Result<Nisn, IdError> {
        let digits = normalise_digits(input, 10, IdKind::Nisn)?;
        if Self::birth_year_of(number(&digits, 0..3)).is_none() {
            return Err(IdError::NisnPrefix);
        }
        Ok(Nisn(digits))
    }

    fn birth_year_of(prefix: u32) -> Option<u32> {
        [1000, 2000].into_iter().map(|millennium| millennium + prefix).find(|year| PLAUSIBLE_BIRTH_YEARS.contains(year))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The birth year the prefix stands for.
    pub fn birth_year(&self) -> u32 {
        Self::birth_year_of(number(&self.0, 0..3)).expect("checked when parsed")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nisn_table() {
        assert_eq!(Nisn::parse("0091234567").unwrap().birth_year(), 2009);
        assert_eq!(Nisn::parse("9981234567").unwrap().birth_year(), 1998);
        assert_eq!(Nisn::parse("0491234567").unwrap().birth_year(), 2049);
        assert_eq!(Nisn::parse("9501234567").unwrap().birth_year(), 1950);
        assert_eq!(Nisn::parse("0501234567"), Err(IdError::NisnPrefix));
        assert_eq!(Nisn::parse("9491234567"), Err(IdError::NisnPrefix));
        assert_eq!(Nisn::parse("009123456"), Err(IdError::Length { kind: IdKind::Nisn, expected: 10, found: 9 }));
    }
}
