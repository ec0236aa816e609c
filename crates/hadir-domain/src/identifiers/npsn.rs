use super::{IdError, IdKind, normalise_digits};

/// Nomor Pokok Sekolah Nasional (school): 8 digits, no inner structure to check.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Npsn(String);

impl Npsn {
    pub fn parse(input: &str) -> Result<Npsn, IdError> {
        normalise_digits(input, 8, IdKind::Npsn).map(Npsn)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npsn_table() {
        assert_eq!(Npsn::parse("10702321").unwrap().as_str(), "10702321");
        assert_eq!(Npsn::parse("1070232x"), Err(IdError::NotDigits { kind: IdKind::Npsn }));
        assert_eq!(Npsn::parse("107023211"), Err(IdError::Length { kind: IdKind::Npsn, expected: 8, found: 9 }));
    }
}
