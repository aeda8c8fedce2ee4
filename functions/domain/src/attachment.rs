//! Attachments to reports: photos and PDFs, recognised by their bytes and
//! cleaned of metadata before storage.
//!
//! The declared `Content-Type` is never consulted: a client can claim
//! anything, and what we store and serve back must be what it really is.
//! Images lose their metadata (EXIF incl. GPS, XMP, IPTC, comments, text
//! chunks) because reporters may be whistleblowers whose location, device or
//! timestamps must not leak to whoever later sees the attachment.
//!
//! The parsers only walk the container structure (JPEG segments, PNG chunks);
//! they never decode pixels. They reject rather than guess: a file we cannot
//! walk to its end is one we cannot promise is clean.

// PNG's chunk CRC is CRC-32 (reflected polynomial 0xEDB88320, initial value
// and final XOR all ones), the one zlib and Ethernet use.
use crc32fast::hash as crc32;
use serde::Serialize;

/// The largest attachment accepted, in bytes: enough for a phone photo,
/// small enough to keep storage and request bodies bounded.
pub const MAX_ATTACHMENT_BYTES: usize = 5 * 1024 * 1024;

/// How many attachments one report may carry.
pub const MAX_ATTACHMENTS_PER_REPORT: usize = 5;

/// A file type the service accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AttachmentKind {
    Jpeg,
    Png,
    /// Stored as uploaded: PDF metadata (Info dictionary, XMP streams) is
    /// *not* stripped, because rewriting a PDF safely needs a full parser
    /// (object streams, incremental updates, compressed cross-references);
    /// a partial rewrite would either break documents or miss metadata.
    Pdf,
}

impl AttachmentKind {
    /// Recognises the type by its magic bytes only, never by name or header.
    pub fn sniff(bytes: &[u8]) -> Option<AttachmentKind> {
        if bytes.starts_with(JPEG_MAGIC) {
            Some(AttachmentKind::Jpeg)
        } else if bytes.starts_with(PNG_SIGNATURE) {
            Some(AttachmentKind::Png)
        } else if bytes.starts_with(PDF_MAGIC) {
            Some(AttachmentKind::Pdf)
        } else {
            None
        }
    }

    /// The media type to serve the stored file with.
    pub fn content_type(self) -> &'static str {
        match self {
            AttachmentKind::Jpeg => "image/jpeg",
            AttachmentKind::Png => "image/png",
            AttachmentKind::Pdf => "application/pdf",
        }
    }

    /// The file name extension to store and offer the file under.
    pub fn extension(self) -> &'static str {
        match self {
            AttachmentKind::Jpeg => "jpg",
            AttachmentKind::Png => "png",
            AttachmentKind::Pdf => "pdf",
        }
    }
}

/// Why an upload was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttachmentError {
    #[error("empty file")]
    Empty,
    #[error("file too large: {size} bytes, the limit is {limit}")]
    TooLarge { size: usize, limit: usize },
    #[error("not a JPEG, PNG or PDF file")]
    UnsupportedType,
    /// The container could not be walked; the name is "JPEG" or "PNG".
    #[error("the {0} file is damaged")]
    Malformed(&'static str),
}

/// A file that passed all checks, with metadata already removed from images.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CleanAttachment {
    pub kind: AttachmentKind,
    pub bytes: Vec<u8>,
}

impl CleanAttachment {
    /// Checks size (0 < len <= `MAX_ATTACHMENT_BYTES`), sniffs the type, strips image metadata.
    pub fn parse(bytes: &[u8]) -> Result<CleanAttachment, AttachmentError> {
        check_size(bytes.len())?;
        let kind = AttachmentKind::sniff(bytes).ok_or(AttachmentError::UnsupportedType)?;
        let bytes = match kind {
            AttachmentKind::Jpeg => strip_jpeg_metadata(bytes)?,
            AttachmentKind::Png => strip_png_metadata(bytes)?,
            AttachmentKind::Pdf => bytes.to_vec(),
        };
        Ok(CleanAttachment { kind, bytes })
    }
}

impl AttachmentKind {
    /// The stored name of the kind (`attachments.kind`).
    pub fn as_str(self) -> &'static str {
        match self {
            AttachmentKind::Jpeg => "jpeg",
            AttachmentKind::Png => "png",
            AttachmentKind::Pdf => "pdf",
        }
    }

    /// Whether a file of this kind may be attached to a report of `privacy`:
    /// a PDF's metadata can name its author, so none on anonymous reports.
    pub fn allowed_on(self, privacy: crate::privacy::Privacy) -> bool {
        !(self == AttachmentKind::Pdf && privacy.is_anonymous())
    }
}

/// Why a PDF is refused on an anonymous report, in both languages.
pub const PDF_ON_ANONYMOUS: (&str, &str) = (
    "PDF tidak dapat dilampirkan pada laporan anonim: metadata PDF dapat mengungkap identitas Anda. Kirim foto (metadatanya dihapus) atau isi teks laporan.",
    "PDFs cannot be attached to anonymous reports: their metadata can reveal who you are. Send photos (their metadata is removed) or text instead.",
);

impl AttachmentError {
    /// The refusal as a field error of `field` (`attachments` on the report
    /// form), naming the file.
    pub fn invalid(&self, field: &str, file_name: &str) -> crate::invalid::Invalid {
        let name = if file_name.is_empty() { "?".to_string() } else { file_name.to_string() };
        let (id, en) = match self {
            AttachmentError::Empty => (format!("{name}: berkas kosong."), format!("{name}: the file is empty.")),
            AttachmentError::TooLarge { limit, .. } => (
                format!("{name}: melebihi batas {} MB.", limit / (1024 * 1024)),
                format!("{name}: larger than the {} MB limit.", limit / (1024 * 1024)),
            ),
            AttachmentError::UnsupportedType => (
                format!("{name}: hanya berkas JPEG, PNG, atau PDF yang diterima."),
                format!("{name}: only JPEG, PNG or PDF files are accepted."),
            ),
            AttachmentError::Malformed(kind) => (format!("{name}: berkas {kind} ini rusak."), format!("{name}: this {kind} file is damaged.")),
        };
        crate::invalid::Invalid::new(field, id, en)
    }
}

fn check_size(size: usize) -> Result<(), AttachmentError> {
    if size == 0 {
        Err(AttachmentError::Empty)
    } else if size > MAX_ATTACHMENT_BYTES {
        Err(AttachmentError::TooLarge { size, limit: MAX_ATTACHMENT_BYTES })
    } else {
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// JPEG

const JPEG_MAGIC: &[u8] = &[0xFF, 0xD8, 0xFF];
const PDF_MAGIC: &[u8] = b"%PDF-";

const SOI: u8 = 0xD8;
const EOI: u8 = 0xD9;
const SOS: u8 = 0xDA;
const TEM: u8 = 0x01;
const RST0: u8 = 0xD0;
const RST7: u8 = 0xD7;
const APP0: u8 = 0xE0;
const APP1: u8 = 0xE1;
const APP2: u8 = 0xE2;
const APP14: u8 = 0xEE;
const APP15: u8 = 0xEF;
const COM: u8 = 0xFE;

/// APP2 segments carrying an ICC profile start with this; other APP2 uses
/// (MPF, FlashPix) describe or hold extra data and are dropped.
const ICC_PROFILE_ID: &[u8] = b"ICC_PROFILE\0";

const JPEG_DAMAGED: AttachmentError = AttachmentError::Malformed("JPEG");

/// Rewrites a JPEG without its metadata segments.
///
/// Dropped: APP1 (EXIF with GPS, XMP), APP3..APP13 (APP13 is IPTC), APP15,
/// COM, APP2 unless it is an ICC profile, and anything after EOI (cameras
/// append preview images there, each with its own EXIF). Kept: APP0 (JFIF),
/// APP2 ICC profiles and APP14 (Adobe), since they change how colours
/// decode, and every non-APP segment. Segments between the scans of a
/// progressive JPEG get the same treatment; entropy-coded data is copied
/// verbatim. Fill bytes before a marker are dropped (they carry nothing).
pub fn strip_jpeg_metadata(bytes: &[u8]) -> Result<Vec<u8>, AttachmentError> {
    if !bytes.starts_with(&[0xFF, SOI]) {
        return Err(JPEG_DAMAGED);
    }
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&[0xFF, SOI]);
    let mut pos = 2;
    let mut seen_scan = false;
    loop {
        let (marker, after_marker) = read_jpeg_marker(bytes, pos)?;
        pos = after_marker;
        match marker {
            EOI if seen_scan => {
                out.extend_from_slice(&[0xFF, EOI]);
                return Ok(out);
            }
            // A second SOI, or EOI before any image data: not a JPEG we can vouch for.
            SOI | EOI => return Err(JPEG_DAMAGED),
            TEM | RST0..=RST7 => out.extend_from_slice(&[0xFF, marker]),
            _ => {
                let end = jpeg_segment_end(bytes, pos)?;
                let segment = bytes.get(pos..end).ok_or(JPEG_DAMAGED)?;
                if keeps_jpeg_segment(marker, segment.get(2..).unwrap_or_default()) {
                    out.extend_from_slice(&[0xFF, marker]);
                    out.extend_from_slice(segment);
                }
                pos = end;
                if marker == SOS {
                    let scan_end = entropy_data_end(bytes, pos)?;
                    out.extend_from_slice(bytes.get(pos..scan_end).ok_or(JPEG_DAMAGED)?);
                    pos = scan_end;
                    seen_scan = true;
                }
            }
        }
    }
}

/// Reads the marker at `pos` (an FF, optional FF fill bytes, the marker
/// code) and returns the code and the position just after it.
fn read_jpeg_marker(bytes: &[u8], pos: usize) -> Result<(u8, usize), AttachmentError> {
    if bytes.get(pos) != Some(&0xFF) {
        return Err(JPEG_DAMAGED);
    }
    let mut at = pos;
    while bytes.get(at) == Some(&0xFF) {
        at += 1;
    }
    match bytes.get(at) {
        Some(&code) if code != 0x00 => Ok((code, at + 1)),
        _ => Err(JPEG_DAMAGED),
    }
}

/// The end of the segment whose big-endian length (which counts itself)
/// starts at `pos`.
fn jpeg_segment_end(bytes: &[u8], pos: usize) -> Result<usize, AttachmentError> {
    let length = match bytes.get(pos..pos.checked_add(2).ok_or(JPEG_DAMAGED)?) {
        Some(&[high, low]) => usize::from(u16::from_be_bytes([high, low])),
        _ => return Err(JPEG_DAMAGED),
    };
    if length < 2 {
        return Err(JPEG_DAMAGED);
    }
    let end = pos.checked_add(length).ok_or(JPEG_DAMAGED)?;
    if end > bytes.len() {
        return Err(JPEG_DAMAGED);
    }
    Ok(end)
}

/// Whether a segment survives stripping; `payload` follows the length field.
fn keeps_jpeg_segment(marker: u8, payload: &[u8]) -> bool {
    match marker {
        APP0 | APP14 => true,
        APP2 => payload.starts_with(ICC_PROFILE_ID),
        APP1..=APP15 | COM => false,
        _ => true,
    }
}

/// The position of the marker that ends the entropy-coded data starting at
/// `pos`. Stuffed zeros (FF 00) and restart markers belong to the data.
fn entropy_data_end(bytes: &[u8], pos: usize) -> Result<usize, AttachmentError> {
    let mut at = pos;
    loop {
        let rest = bytes.get(at..).ok_or(JPEG_DAMAGED)?;
        let ff = rest.iter().position(|&b| b == 0xFF).ok_or(JPEG_DAMAGED)?;
        let marker_at = at.checked_add(ff).ok_or(JPEG_DAMAGED)?;
        match bytes.get(marker_at + 1) {
            Some(&code) if code == 0x00 || (RST0..=RST7).contains(&code) => at = marker_at + 2,
            Some(_) => return Ok(marker_at),
            None => return Err(JPEG_DAMAGED),
        }
    }
}

// ---------------------------------------------------------------------------
// PNG

const PNG_SIGNATURE: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

/// PNG caps chunk lengths at 2^31 - 1.
const PNG_MAX_CHUNK_LENGTH: usize = 0x7FFF_FFFF;

/// Ancillary chunks known to carry only rendering information. Any other
/// ancillary chunk is dropped: the listed metadata ones (eXIf, tEXt, zTXt,
/// iTXt, tIME) and unknown or private ones (e.g. C2PA `caBX`), which may
/// hold anything and which decoders ignore anyway.
const PNG_KEPT_ANCILLARY: &[&[u8; 4]] = &[
    b"cHRM", b"cICP", b"gAMA", b"iCCP", b"mDCV", b"cLLI", b"sBIT", b"sRGB", b"bKGD", b"hIST",
    b"tRNS", b"pHYs", b"sPLT", b"acTL", b"fcTL", b"fdAT",
];

const PNG_DAMAGED: AttachmentError = AttachmentError::Malformed("PNG");

/// One chunk as it sits in the file.
struct PngChunk<'a> {
    kind: [u8; 4],
    /// Length, type, data and CRC: what is copied when the chunk is kept.
    raw: &'a [u8],
}

/// Rewrites a PNG without its metadata chunks.
///
/// Every chunk's CRC is verified; kept chunks are copied byte for byte, so
/// their CRCs stay valid. Dropped: eXIf, tEXt, zTXt, iTXt, tIME and any
/// ancillary chunk not known to be rendering-only; everything after IEND,
/// where data can hide.
pub fn strip_png_metadata(bytes: &[u8]) -> Result<Vec<u8>, AttachmentError> {
    if !bytes.starts_with(PNG_SIGNATURE) {
        return Err(PNG_DAMAGED);
    }
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(PNG_SIGNATURE);
    let mut pos = PNG_SIGNATURE.len();
    let mut first = true;
    loop {
        let chunk = read_png_chunk(bytes, pos)?;
        if first && &chunk.kind != b"IHDR" {
            return Err(PNG_DAMAGED);
        }
        first = false;
        if keeps_png_chunk(&chunk.kind) {
            out.extend_from_slice(chunk.raw);
        }
        if &chunk.kind == b"IEND" {
            return Ok(out);
        }
        pos = pos.checked_add(chunk.raw.len()).ok_or(PNG_DAMAGED)?;
    }
}

/// Reads and CRC-checks the chunk starting at `pos`.
fn read_png_chunk(bytes: &[u8], pos: usize) -> Result<PngChunk<'_>, AttachmentError> {
    let header_end = pos.checked_add(8).ok_or(PNG_DAMAGED)?;
    let header = bytes.get(pos..header_end).ok_or(PNG_DAMAGED)?;
    let (length, kind) = header.split_at(4);
    let length = usize::try_from(read_u32_be(length)?).map_err(|_| PNG_DAMAGED)?;
    let kind: [u8; 4] = kind.try_into().map_err(|_| PNG_DAMAGED)?;
    if length > PNG_MAX_CHUNK_LENGTH || !kind.iter().all(u8::is_ascii_alphabetic) {
        return Err(PNG_DAMAGED);
    }
    let data_end = header_end.checked_add(length).ok_or(PNG_DAMAGED)?;
    let chunk_end = data_end.checked_add(4).ok_or(PNG_DAMAGED)?;
    let raw = bytes.get(pos..chunk_end).ok_or(PNG_DAMAGED)?;
    let stored_crc = read_u32_be(bytes.get(data_end..chunk_end).ok_or(PNG_DAMAGED)?)?;
    // The CRC covers the type and the data, which are contiguous.
    let covered = bytes.get(pos + 4..data_end).ok_or(PNG_DAMAGED)?;
    if crc32(covered) != stored_crc {
        return Err(PNG_DAMAGED);
    }
    Ok(PngChunk { kind, raw })
}

fn read_u32_be(bytes: &[u8]) -> Result<u32, AttachmentError> {
    let array: [u8; 4] = bytes.try_into().map_err(|_| PNG_DAMAGED)?;
    Ok(u32::from_be_bytes(array))
}

/// Critical chunks (upper-case first letter) are always kept: without them
/// the image does not decode. Ancillary ones only if known to be harmless.
fn keeps_png_chunk(kind: &[u8; 4]) -> bool {
    kind[0].is_ascii_uppercase() || PNG_KEPT_ANCILLARY.contains(&kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GPS_MARKER: &[u8] = b"GPSLatitude-6.200000,106.816666";
    const COMMENT: &[u8] = b"taken by whistleblower phone";

    // --- helpers -----------------------------------------------------------

    fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
        let length = u16::try_from(payload.len() + 2).unwrap();
        let mut out = vec![0xFF, marker];
        out.extend_from_slice(&length.to_be_bytes());
        out.extend_from_slice(payload);
        out
    }

    fn app0() -> Vec<u8> {
        segment(APP0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0")
    }
    fn app1_exif() -> Vec<u8> {
        segment(APP1, &[b"Exif\0\0MM\0*".as_slice(), GPS_MARKER].concat())
    }
    fn com() -> Vec<u8> {
        segment(COM, COMMENT)
    }
    fn dqt() -> Vec<u8> {
        segment(0xDB, &[[0u8].as_slice(), &[1u8; 64]].concat())
    }
    fn sof0() -> Vec<u8> {
        segment(0xC0, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0])
    }
    fn dht() -> Vec<u8> {
        segment(0xC4, &[0x00, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00])
    }
    fn sos() -> Vec<u8> {
        segment(SOS, &[1, 1, 0x00, 0, 63, 0])
    }
    /// Entropy-coded data with a stuffed zero and a restart marker in it.
    const SCAN_DATA: &[u8] = &[0x12, 0x34, 0xFF, 0x00, 0x56, 0xFF, 0xD0, 0x78];

    fn sample_jpeg() -> Vec<u8> {
        [
            vec![0xFF, SOI],
            app0(),
            app1_exif(),
            com(),
            dqt(),
            sof0(),
            dht(),
            sos(),
            SCAN_DATA.to_vec(),
            vec![0xFF, EOI],
        ]
        .concat()
    }

    fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut out = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&crc32(&[kind.as_slice(), data].concat()).to_be_bytes());
        out
    }

    fn ihdr() -> Vec<u8> {
        png_chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0])
    }
    fn idat() -> Vec<u8> {
        png_chunk(b"IDAT", &[0x78, 0x9C, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01])
    }
    fn iend() -> Vec<u8> {
        png_chunk(b"IEND", &[])
    }

    fn sample_png() -> Vec<u8> {
        [
            PNG_SIGNATURE.to_vec(),
            ihdr(),
            png_chunk(b"tEXt", &[b"GPS\0".as_slice(), GPS_MARKER].concat()),
            png_chunk(b"eXIf", &[b"MM\0*".as_slice(), GPS_MARKER].concat()),
            idat(),
            iend(),
        ]
        .concat()
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        find(haystack, needle, 0).is_some()
    }

    fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
        haystack.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|i| i + from)
    }

    /// Asserts that `parts` occur in `haystack` in this order, without overlap.
    fn assert_in_order(haystack: &[u8], parts: &[Vec<u8>]) {
        let mut from = 0;
        for (i, part) in parts.iter().enumerate() {
            let at = find(haystack, part, from)
                .unwrap_or_else(|| panic!("part {i} missing or out of order"));
            from = at + part.len();
        }
    }

    // --- sniffing ----------------------------------------------------------

    #[test]
    fn sniff_recognises_each_kind() {
        assert_eq!(AttachmentKind::sniff(&sample_jpeg()), Some(AttachmentKind::Jpeg));
        assert_eq!(AttachmentKind::sniff(&[0xFF, 0xD8, 0xFF]), Some(AttachmentKind::Jpeg));
        assert_eq!(AttachmentKind::sniff(&sample_png()), Some(AttachmentKind::Png));
        assert_eq!(AttachmentKind::sniff(b"%PDF-1.7\n%\xE2\xE3"), Some(AttachmentKind::Pdf));
    }

    #[test]
    fn sniff_rejects_other_and_partial_magic() {
        assert_eq!(AttachmentKind::sniff(b"GIF89a\x01\0\x01\0"), None);
        assert_eq!(AttachmentKind::sniff(b"hello, this is plain text"), None);
        assert_eq!(AttachmentKind::sniff(b""), None);
        assert_eq!(AttachmentKind::sniff(&[0xFF, 0xD8]), None);
        assert_eq!(AttachmentKind::sniff(&PNG_SIGNATURE[..7]), None);
        assert_eq!(AttachmentKind::sniff(b"%PDF"), None);
        assert_eq!(AttachmentKind::sniff(b" %PDF-1.7"), None);
    }

    #[test]
    fn content_types_extensions_and_serialization() {
        assert_eq!(AttachmentKind::Jpeg.content_type(), "image/jpeg");
        assert_eq!(AttachmentKind::Png.content_type(), "image/png");
        assert_eq!(AttachmentKind::Pdf.content_type(), "application/pdf");
        assert_eq!(AttachmentKind::Jpeg.extension(), "jpg");
        assert_eq!(AttachmentKind::Png.extension(), "png");
        assert_eq!(AttachmentKind::Pdf.extension(), "pdf");
        assert_eq!(serde_json::to_string(&AttachmentKind::Jpeg).unwrap(), "\"jpeg\"");
    }

    #[test]
    fn error_messages() {
        assert_eq!(AttachmentError::Empty.to_string(), "empty file");
        assert_eq!(
            AttachmentError::TooLarge { size: 10, limit: 5 }.to_string(),
            "file too large: 10 bytes, the limit is 5"
        );
        assert_eq!(AttachmentError::UnsupportedType.to_string(), "not a JPEG, PNG or PDF file");
        assert_eq!(AttachmentError::Malformed("PNG").to_string(), "the PNG file is damaged");
    }

    // --- JPEG --------------------------------------------------------------

    #[test]
    fn jpeg_strip_drops_exif_and_comment_keeps_image_segments() {
        let input = sample_jpeg();
        assert!(contains(&input, GPS_MARKER) && contains(&input, COMMENT));
        let out = strip_jpeg_metadata(&input).unwrap();
        assert!(!contains(&out, GPS_MARKER));
        assert!(!contains(&out, b"Exif\0\0"));
        assert!(!contains(&out, COMMENT));
        assert!(out.starts_with(&[0xFF, SOI]));
        assert!(out.ends_with(&[0xFF, EOI]));
        assert_in_order(
            &out,
            &[app0(), dqt(), sof0(), dht(), sos(), SCAN_DATA.to_vec(), vec![0xFF, EOI]],
        );
        let expected = [
            vec![0xFF, SOI],
            app0(),
            dqt(),
            sof0(),
            dht(),
            sos(),
            SCAN_DATA.to_vec(),
            vec![0xFF, EOI],
        ]
        .concat();
        assert_eq!(out, expected);
    }

    #[test]
    fn jpeg_strip_keeps_icc_and_adobe_drops_other_app_segments() {
        let icc = segment(APP2, b"ICC_PROFILE\0\x01\x01profile");
        let mpf = segment(APP2, b"MPF\0II*\0");
        let adobe = segment(APP14, b"Adobe\0\x64\0\0\0\0\x01");
        let iptc = segment(0xED, b"Photoshop 3.0\08BIM secret");
        let app3 = segment(0xE3, b"app3 secret");
        let app15 = segment(APP15, b"app15 secret");
        let input = [
            vec![0xFF, SOI],
            app0(),
            icc.clone(),
            mpf,
            adobe.clone(),
            iptc,
            app3,
            app15,
            dqt(),
            sof0(),
            dht(),
            sos(),
            SCAN_DATA.to_vec(),
            vec![0xFF, EOI],
        ]
        .concat();
        let out = strip_jpeg_metadata(&input).unwrap();
        assert!(!contains(&out, b"secret"));
        assert!(!contains(&out, b"MPF\0"));
        assert_in_order(&out, &[app0(), icc, adobe, dqt(), sof0(), dht(), sos()]);
    }

    #[test]
    fn jpeg_strip_handles_fill_bytes_and_standalone_markers() {
        let input = [
            vec![0xFF, SOI],
            vec![0xFF, 0xFF, 0xFF],
            app0(),
            vec![0xFF, TEM],
            vec![0xFF, 0xFF],
            com(),
            vec![0xFF, RST0 + 3],
            dqt(),
            sof0(),
            dht(),
            vec![0xFF, 0xFF],
            sos(),
            SCAN_DATA.to_vec(),
            vec![0xFF, 0xFF, 0xFF, EOI],
        ]
        .concat();
        let out = strip_jpeg_metadata(&input).unwrap();
        assert!(!contains(&out, COMMENT));
        let expected = [
            vec![0xFF, SOI],
            app0(),
            vec![0xFF, TEM],
            vec![0xFF, RST0 + 3],
            dqt(),
            sof0(),
            dht(),
            sos(),
            SCAN_DATA.to_vec(),
            vec![0xFF, EOI],
        ]
        .concat();
        assert_eq!(out, expected);
    }

    #[test]
    fn jpeg_strip_filters_segments_between_progressive_scans() {
        let second_scan = [0x9A, 0xFF, 0x00, 0xBC];
        let input = [
            vec![0xFF, SOI],
            dqt(),
            segment(0xC2, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0]),
            dht(),
            sos(),
            SCAN_DATA.to_vec(),
            com(),
            app1_exif(),
            dht(),
            sos(),
            second_scan.to_vec(),
            vec![0xFF, EOI],
        ]
        .concat();
        let out = strip_jpeg_metadata(&input).unwrap();
        assert!(!contains(&out, COMMENT));
        assert!(!contains(&out, GPS_MARKER));
        assert_in_order(
            &out,
            &[sos(), SCAN_DATA.to_vec(), dht(), sos(), second_scan.to_vec(), vec![0xFF, EOI]],
        );
        assert!(out.ends_with(&[0xFF, EOI]));
    }

    #[test]
    fn jpeg_strip_drops_data_after_eoi() {
        let trailer = [b"\xFF\xD8\xFF".as_slice(), &app1_exif(), b"appended preview"].concat();
        let input = [sample_jpeg(), trailer].concat();
        let out = strip_jpeg_metadata(&input).unwrap();
        assert_eq!(out, strip_jpeg_metadata(&sample_jpeg()).unwrap());
        assert!(!contains(&out, GPS_MARKER));
    }

    #[test]
    fn jpeg_segment_length_past_end_is_malformed() {
        let mut input = vec![0xFF, SOI, 0xFF, APP1, 0x40, 0x00];
        input.extend_from_slice(b"Exif\0\0short");
        assert_eq!(strip_jpeg_metadata(&input), Err(AttachmentError::Malformed("JPEG")));
        assert_eq!(CleanAttachment::parse(&input), Err(AttachmentError::Malformed("JPEG")));
    }

    #[test]
    fn jpeg_segment_length_below_two_is_malformed() {
        let input = [vec![0xFF, SOI, 0xFF, 0xDB, 0x00, 0x01], sample_jpeg()[2..].to_vec()].concat();
        assert_eq!(strip_jpeg_metadata(&input), Err(AttachmentError::Malformed("JPEG")));
    }

    #[test]
    fn jpeg_without_sos_or_eoi_is_malformed() {
        let no_sos = [vec![0xFF, SOI], app0(), dqt(), sof0(), dht(), vec![0xFF, EOI]].concat();
        assert_eq!(CleanAttachment::parse(&no_sos), Err(AttachmentError::Malformed("JPEG")));
        let no_eoi =
            [vec![0xFF, SOI], app0(), dqt(), sof0(), dht(), sos(), SCAN_DATA.to_vec()].concat();
        assert_eq!(CleanAttachment::parse(&no_eoi), Err(AttachmentError::Malformed("JPEG")));
        let garbage_between = [vec![0xFF, SOI], app0(), vec![0x00], dqt()].concat();
        assert_eq!(
            CleanAttachment::parse(&garbage_between),
            Err(AttachmentError::Malformed("JPEG"))
        );
    }

    // --- PNG ---------------------------------------------------------------

    #[test]
    fn crc32_matches_known_values() {
        assert_eq!(crc32(b"IEND"), 0xAE42_6082);
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn png_strip_drops_text_and_exif_keeps_rest_byte_identical() {
        let input = sample_png();
        assert!(contains(&input, GPS_MARKER));
        let out = strip_png_metadata(&input).unwrap();
        assert!(!contains(&out, GPS_MARKER));
        assert!(!contains(&out, b"tEXt"));
        assert!(!contains(&out, b"eXIf"));
        assert_eq!(out, [PNG_SIGNATURE.to_vec(), ihdr(), idat(), iend()].concat());
    }

    #[test]
    fn png_strip_drops_other_text_time_and_unknown_ancillary_chunks() {
        let srgb = png_chunk(b"sRGB", &[0]);
        let phys = png_chunk(b"pHYs", &[0, 0, 0x0B, 0x13, 0, 0, 0x0B, 0x13, 1]);
        let input = [
            PNG_SIGNATURE.to_vec(),
            ihdr(),
            srgb.clone(),
            png_chunk(b"zTXt", b"Comment\0\0secret"),
            png_chunk(b"iTXt", b"XML:com.adobe.xmp\0\0\0\0\0secret"),
            png_chunk(b"tIME", &[0x07, 0xE9, 1, 2, 3, 4, 5]),
            png_chunk(b"caBX", b"c2pa manifest secret"),
            phys.clone(),
            idat(),
            iend(),
        ]
        .concat();
        let out = strip_png_metadata(&input).unwrap();
        assert!(!contains(&out, b"secret"));
        assert!(!contains(&out, b"tIME"));
        assert_eq!(out, [PNG_SIGNATURE.to_vec(), ihdr(), srgb, phys, idat(), iend()].concat());
    }

    #[test]
    fn png_strip_drops_trailing_bytes_after_iend() {
        let input = [sample_png(), b"hidden payload after IEND".to_vec()].concat();
        let out = strip_png_metadata(&input).unwrap();
        assert!(out.ends_with(&iend()));
        assert!(!contains(&out, b"hidden payload"));
        assert_eq!(out, strip_png_metadata(&sample_png()).unwrap());
    }

    #[test]
    fn png_bad_crc_is_malformed() {
        let mut input = sample_png();
        let idat_crc_last = find(&input, &idat(), 0).unwrap() + idat().len() - 1;
        input[idat_crc_last] ^= 0x01;
        assert_eq!(strip_png_metadata(&input), Err(AttachmentError::Malformed("PNG")));
        // A flipped data byte in a chunk that would be dropped is still caught.
        let mut input = sample_png();
        let gps = find(&input, GPS_MARKER, 0).unwrap();
        input[gps] ^= 0x20;
        assert_eq!(CleanAttachment::parse(&input), Err(AttachmentError::Malformed("PNG")));
    }

    #[test]
    fn png_missing_iend_is_malformed() {
        let input = [PNG_SIGNATURE.to_vec(), ihdr(), idat()].concat();
        assert_eq!(strip_png_metadata(&input), Err(AttachmentError::Malformed("PNG")));
        assert_eq!(CleanAttachment::parse(&input), Err(AttachmentError::Malformed("PNG")));
    }

    #[test]
    fn png_must_start_with_ihdr_and_have_sane_chunks() {
        let no_ihdr = [PNG_SIGNATURE.to_vec(), idat(), iend()].concat();
        assert_eq!(strip_png_metadata(&no_ihdr), Err(AttachmentError::Malformed("PNG")));
        let mut huge = [PNG_SIGNATURE.to_vec(), ihdr()].concat();
        huge.extend_from_slice(&[0xFF, 0xFF, 0xFF, 0xF0]);
        huge.extend_from_slice(b"IDAT");
        assert_eq!(strip_png_metadata(&huge), Err(AttachmentError::Malformed("PNG")));
        let bad_type = [PNG_SIGNATURE.to_vec(), ihdr(), png_chunk(b"ID4T", &[1]), iend()].concat();
        assert_eq!(strip_png_metadata(&bad_type), Err(AttachmentError::Malformed("PNG")));
    }

    // --- parse -------------------------------------------------------------

    #[test]
    fn parse_enforces_size_limits() {
        assert_eq!(CleanAttachment::parse(&[]), Err(AttachmentError::Empty));
        let mut big = b"%PDF-1.7\n".to_vec();
        big.resize(MAX_ATTACHMENT_BYTES + 1, b' ');
        assert_eq!(
            CleanAttachment::parse(&big),
            Err(AttachmentError::TooLarge {
                size: MAX_ATTACHMENT_BYTES + 1,
                limit: MAX_ATTACHMENT_BYTES
            })
        );
        big.truncate(MAX_ATTACHMENT_BYTES);
        assert_eq!(CleanAttachment::parse(&big).map(|a| a.kind), Ok(AttachmentKind::Pdf));
    }

    #[test]
    fn parse_rejects_unsupported_types() {
        for input in [b"GIF89a\x01\0\x01\0".as_slice(), b"plain text", &[0xFF, 0xD8], b"<svg/>"] {
            assert_eq!(CleanAttachment::parse(input), Err(AttachmentError::UnsupportedType));
        }
    }

    #[test]
    fn parse_cleans_images_and_keeps_pdf_as_is() {
        let jpeg = CleanAttachment::parse(&sample_jpeg()).unwrap();
        assert_eq!(jpeg.kind, AttachmentKind::Jpeg);
        assert!(!contains(&jpeg.bytes, GPS_MARKER));
        let png = CleanAttachment::parse(&sample_png()).unwrap();
        assert_eq!(png.kind, AttachmentKind::Png);
        assert!(!contains(&png.bytes, GPS_MARKER));
        let pdf = b"%PDF-1.4\n1 0 obj<</Author(x)>>endobj\n%%EOF\n";
        let parsed = CleanAttachment::parse(pdf).unwrap();
        assert_eq!(parsed, CleanAttachment { kind: AttachmentKind::Pdf, bytes: pdf.to_vec() });
    }

    #[test]
    fn stripping_is_idempotent() {
        let jpeg = strip_jpeg_metadata(&sample_jpeg()).unwrap();
        assert_eq!(strip_jpeg_metadata(&jpeg).unwrap(), jpeg);
        let png = strip_png_metadata(&sample_png()).unwrap();
        assert_eq!(strip_png_metadata(&png).unwrap(), png);
    }

    // --- robustness --------------------------------------------------------

    struct XorShift(u64);

    impl XorShift {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
    }

    #[test]
    fn parse_never_panics_on_random_bytes() {
        let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
        let prefixes: [&[u8]; 4] = [&[], JPEG_MAGIC, PNG_SIGNATURE, PDF_MAGIC];
        for round in 0..800 {
            let length = (rng.next() % 300) as usize;
            let mut input = prefixes[round % prefixes.len()].to_vec();
            input.extend((0..length).map(|_| rng.next() as u8));
            let _ = CleanAttachment::parse(&input);
        }
    }

    #[test]
    fn parse_never_panics_on_truncated_or_mutated_samples() {
        let samples = [sample_jpeg(), sample_png()];
        for sample in &samples {
            for end in 0..=sample.len() {
                let _ = CleanAttachment::parse(&sample[..end]);
            }
        }
        let mut rng = XorShift(42);
        for round in 0..600 {
            let mut input = samples[round % 2].clone();
            for _ in 0..(1 + rng.next() % 4) {
                let at = (rng.next() as usize) % input.len();
                input[at] = rng.next() as u8;
            }
            let _ = CleanAttachment::parse(&input);
        }
    }

    #[test]
    fn truncated_samples_are_rejected() {
        for sample in [sample_jpeg(), sample_png()] {
            for end in 1..sample.len() {
                assert!(
                    CleanAttachment::parse(&sample[..end]).is_err(),
                    "prefix of {end} bytes accepted"
                );
            }
        }
    }
}
