//! Cheap checks of an uploaded JPEG on the request path: walk the marker segments (no pixel
//! decoding), read the frame size, and drop every metadata segment — EXIF (with its GPS tags),
//! XMP, ICC profiles, comments — so what is stored is the picture and nothing else.

use crate::explain::{Explain, Lang};

/// Bounds on an accepted photo.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PhotoLimits {
    pub max_bytes: usize,
    pub min_side: u16,
    pub max_side: u16,
}

impl Default for PhotoLimits {
    /// A phone selfie, resized by the app: up to 2 MiB and 4096 pixels a side, at least 64.
    fn default() -> Self {
        PhotoLimits { max_bytes: 2 * 1024 * 1024, min_side: 64, max_side: 4096 }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    #[error("the photo is larger than {0} bytes")]
    TooLarge(usize),
    #[error("the photo is not a JPEG")]
    NotJpeg,
    #[error("the JPEG is truncated or malformed")]
    Malformed,
    #[error("the photo must be between {min} and {max} pixels on each side")]
    Dimensions { min: u16, max: u16 },
}

impl Explain for PhotoError {
    fn code(&self) -> &'static str {
        match self {
            PhotoError::TooLarge(_) => "photo_too_large",
            PhotoError::NotJpeg => "photo_not_jpeg",
            PhotoError::Malformed => "photo_malformed",
            PhotoError::Dimensions { .. } => "photo_dimensions",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.to_string(),
            Lang::Id => match self {
                PhotoError::TooLarge(n) => format!("Foto lebih besar dari {n} byte"),
                PhotoError::NotJpeg => "Foto harus berformat JPEG".into(),
                PhotoError::Malformed => "File JPEG terpotong atau rusak".into(),
                PhotoError::Dimensions { min, max } => {
                    format!("Sisi foto harus antara {min} dan {max} piksel")
                }
            },
        }
    }
}

/// A JPEG that passed the checks, with its metadata removed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CleanJpeg {
    pub bytes: Vec<u8>,
    pub width: u16,
    pub height: u16,
}

const SOI: u8 = 0xD8;
const EOI: u8 = 0xD9;
const SOS: u8 = 0xDA;

/// Markers whose segments hold metadata, not picture: APP1–APP15 (EXIF, XMP, ICC, …) and COM.
/// APP0 (JFIF) stays: some decoders need it.
fn is_metadata(marker: u8) -> bool {
    (0xE1..=0xEF).contains(&marker) || marker == 0xFE
}

/// Start-of-frame markers (all but DHT, JPG and DAC, which share the range).
fn is_frame(marker: u8) -> bool {
    (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC)
}

pub fn clean_jpeg(input: &[u8], limits: PhotoLimits) -> Result<CleanJpeg, PhotoError> {
    if input.len() > limits.max_bytes {
        return Err(PhotoError::TooLarge(limits.max_bytes));
    }
    if input.len() < 4 || input[0] != 0xFF || input[1] != SOI {
        return Err(PhotoError::NotJpeg);
    }
    let mut out = Vec::with_capacity(input.len());
    out.extend_from_slice(&input[..2]);
    let mut pos = 2;
    let mut size = None;
    loop {
        // Fill bytes (0xFF) may pad between segments.
        while input.get(pos) == Some(&0xFF) && input.get(pos + 1) == Some(&0xFF) {
            pos += 1;
        }
        let (Some(&0xFF), Some(&marker)) = (input.get(pos), input.get(pos + 1)) else {
            return Err(PhotoError::Malformed);
        };
        if marker == EOI {
            return Err(PhotoError::Malformed); // a picture without scan data
        }
        let len_bytes = input.get(pos + 2..pos + 4).ok_or(PhotoError::Malformed)?;
        let len = usize::from(u16::from_be_bytes([len_bytes[0], len_bytes[1]]));
        if len < 2 {
            return Err(PhotoError::Malformed);
        }
        let segment = input.get(pos..pos + 2 + len).ok_or(PhotoError::Malformed)?;
        if is_frame(marker) {
            let body = &segment[4..];
            if body.len() < 5 {
                return Err(PhotoError::Malformed);
            }
            let height = u16::from_be_bytes([body[1], body[2]]);
            let width = u16::from_be_bytes([body[3], body[4]]);
            size = Some((width, height));
        }
        if !is_metadata(marker) {
            out.extend_from_slice(segment);
        }
        pos += 2 + len;
        if marker == SOS {
            break;
        }
    }
    // Entropy-coded data up to and including the final EOI is copied as it is; it must end there.
    let rest = &input[pos..];
    if rest.len() < 2 || rest[rest.len() - 2..] != [0xFF, EOI] {
        return Err(PhotoError::Malformed);
    }
    out.extend_from_slice(rest);
    let (width, height) = size.ok_or(PhotoError::Malformed)?;
    let ok = |side: u16| (limits.min_side..=limits.max_side).contains(&side);
    if !ok(width) || !ok(height) {
        return Err(PhotoError::Dimensions { min: limits.min_side, max: limits.max_side });
    }
    Ok(CleanJpeg { bytes: out, width, height })
}

/// Test and fixture support: a structurally valid JPEG of the given size with an EXIF segment
/// holding a GPS-looking payload. Not decodable to pixels; the checks above never decode.
pub fn sample_jpeg(width: u16, height: u16, filler: usize) -> Vec<u8> {
    let mut j = vec![0xFF, SOI];
    let segment = |j: &mut Vec<u8>, marker: u8, body: &[u8]| {
        j.extend_from_slice(&[0xFF, marker]);
        j.extend_from_slice(&u16::try_from(body.len() + 2).expect("small segment").to_be_bytes());
        j.extend_from_slice(body);
    };
    segment(&mut j, 0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
    segment(&mut j, 0xE1, b"Exif\0\0GPSLatitude=-3.8215;GPSLongitude=102.2870");
    segment(&mut j, 0xFE, b"comment: taken at home");
    segment(&mut j, 0xDB, &[0u8; 65]);
    let mut sof = vec![8];
    sof.extend_from_slice(&height.to_be_bytes());
    sof.extend_from_slice(&width.to_be_bytes());
    sof.extend_from_slice(&[3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
    segment(&mut j, 0xC0, &sof);
    segment(&mut j, 0xC4, &[0u8; 29]);
    segment(&mut j, SOS, &[3, 1, 0, 2, 0x11, 3, 0x11, 0, 0x3F, 0]);
    // Entropy data: any bytes, with 0xFF stuffed as 0xFF 0x00.
    j.extend((0..filler).map(|i| (i % 251) as u8 & 0xFE));
    j.extend_from_slice(&[0xFF, EOI]);
    j
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_is_stripped_and_the_picture_kept() {
        let original = sample_jpeg(640, 480, 4000);
        let clean = clean_jpeg(&original, PhotoLimits::default()).unwrap();
        assert_eq!((clean.width, clean.height), (640, 480));
        let has = |bytes: &[u8], needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
        assert!(has(&original, b"GPSLatitude"));
        assert!(!has(&clean.bytes, b"GPSLatitude"), "EXIF GPS removed");
        assert!(!has(&clean.bytes, b"taken at home"), "comments removed");
        assert!(has(&clean.bytes, b"JFIF"), "JFIF kept");
        assert!(clean.bytes.ends_with(&[0xFF, 0xD9]));
        assert_eq!(clean_jpeg(&clean.bytes, PhotoLimits::default()).unwrap().bytes, clean.bytes, "idempotent");
    }

    #[test]
    fn bad_files_name_their_problem() {
        let limits = PhotoLimits::default();
        let good = sample_jpeg(640, 480, 1000);
        assert_eq!(clean_jpeg(b"\x89PNG\r\n\x1a\n....", limits), Err(PhotoError::NotJpeg));
        assert_eq!(clean_jpeg(b"", limits), Err(PhotoError::NotJpeg));
        assert_eq!(clean_jpeg(&good[..good.len() - 1], limits), Err(PhotoError::Malformed));
        assert_eq!(clean_jpeg(&good[..30], limits), Err(PhotoError::Malformed));
        assert_eq!(clean_jpeg(&sample_jpeg(32, 480, 10), limits), Err(PhotoError::Dimensions { min: 64, max: 4096 }));
        assert_eq!(clean_jpeg(&sample_jpeg(5000, 480, 10), limits), Err(PhotoError::Dimensions { min: 64, max: 4096 }));
        let small = PhotoLimits { max_bytes: 500, ..limits };
        assert_eq!(clean_jpeg(&good, small), Err(PhotoError::TooLarge(500)));
    }

    #[test]
    fn every_truncation_is_refused_without_panicking() {
        let good = sample_jpeg(100, 100, 50);
        for cut in 0..good.len() {
            assert!(clean_jpeg(&good[..cut], PhotoLimits::default()).is_err(), "cut at {cut}");
        }
    }
}
