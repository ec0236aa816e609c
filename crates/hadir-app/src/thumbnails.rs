//! Small copies of check-in photos for lists and review screens, made by a background job: decoding
//! and re-encoding an image costs milliseconds of CPU that a check-in surge cannot spare.

use crate::App;
use image::codecs::jpeg::JpegEncoder;

/// The longer side of a thumbnail, in pixels.
pub const MAX_SIDE: u32 = 240;
const QUALITY: u8 = 80;

/// Where the thumbnail of a stored photo lives: beside it, under `thumbs/`.
pub fn key_of(photo_key: &str) -> Option<String> {
    photo_key.strip_prefix("photos/").map(|rest| format!("thumbs/{rest}"))
}

pub(crate) async fn make(app: &App, institution_id: &str, photo_key: &str) -> Result<(), String> {
    // A job only ever touches its own institution's objects.
    if !photo_key.starts_with(&format!("photos/{institution_id}/")) {
        return Err("the photo belongs to another institution".into());
    }
    let target = key_of(photo_key).ok_or("not a photo key")?;
    let photo = app.objects.get(photo_key).await.map_err(|e| format!("reading the photo: {e}"))?;
    let small = tokio::task::spawn_blocking(move || shrink(&photo)).await.map_err(|e| e.to_string())??;
    app.objects.put(&target, small).await.map_err(|e| format!("storing the thumbnail: {e}"))
}

/// Decodes a JPEG and encodes a copy whose longer side is at most [`MAX_SIDE`].
pub fn shrink(jpeg: &[u8]) -> Result<Vec<u8>, String> {
    let image = image::load_from_memory_with_format(jpeg, image::ImageFormat::Jpeg)
        .map_err(|e| format!("decoding the photo: {e}"))?;
    let small = image.thumbnail(MAX_SIDE, MAX_SIDE).to_rgb8();
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, QUALITY)
        .encode_image(&small)
        .map_err(|e| format!("encoding the thumbnail: {e}"))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn photo(width: u32, height: u32) -> Vec<u8> {
        let pixels = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
        let mut out = Vec::new();
        JpegEncoder::new_with_quality(&mut out, 90).encode_image(&pixels).unwrap();
        out
    }

    #[test]
    fn thumbnails_keep_the_shape_within_the_bound() {
        let small = shrink(&photo(480, 640)).unwrap();
        let decoded = image::load_from_memory(&small).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (180, 240));
        assert!(small.len() < photo(480, 640).len());
    }

    #[test]
    fn a_photo_that_does_not_decode_is_an_error_not_a_panic() {
        assert!(shrink(&hadir_domain::photo::sample_jpeg(480, 640, 100)).is_err());
        assert!(shrink(b"").is_err());
    }

    #[test]
    fn thumbnails_live_beside_their_photo() {
        assert_eq!(key_of("photos/i/ab/abcd.jpg").as_deref(), Some("thumbs/i/ab/abcd.jpg"));
        assert_eq!(key_of("documents/i/x.pdf"), None);
    }
}
