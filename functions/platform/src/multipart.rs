//! `multipart/form-data` bodies (RFC 7578), as the report form sends them
//! with its photos: parsed by the `multer` crate over the body already read
//! within its limit (so its stream is in memory and never waits).

use futures::executor::block_on;

/// One part of a form: a field, or a file (`file_name` set, possibly empty
/// when a file input was left empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub name: String,
    pub file_name: Option<String>,
    pub bytes: Vec<u8>,
}

impl Part {
    /// The part as text (a field's value); invalid UTF-8 is replaced.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
}

/// Why a body is no readable form (400 for the caller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable(pub String);

/// The parts of `body`, in order, given the request's `Content-Type`
/// (which carries the boundary). At most `max_parts` parts.
pub fn parse(content_type: &str, body: Vec<u8>, max_parts: usize) -> Result<Vec<Part>, Unreadable> {
    let boundary = multer::parse_boundary(content_type).map_err(|e| Unreadable(e.to_string()))?;
    let stream = futures::stream::once(async move { Ok::<_, std::convert::Infallible>(bytes::Bytes::from(body)) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    block_on(async {
        let mut parts = Vec::new();
        while let Some(field) = multipart.next_field().await.map_err(|e| Unreadable(e.to_string()))? {
            if parts.len() == max_parts {
                return Err(Unreadable(format!("more than {max_parts} parts")));
            }
            let name = field.name().unwrap_or_default().to_string();
            let file_name = field.file_name().map(str::to_string);
            let bytes = field.bytes().await.map_err(|e| Unreadable(e.to_string()))?.to_vec();
            parts.push(Part { name, file_name, bytes });
        }
        Ok(parts)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_and_files_in_order() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nLampu mati\r\n--XyZ\r\nContent-Disposition: form-data; name=\"attachments\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n--XyZ\r\nContent-Disposition: form-data; name=\"attachments\"; filename=\"\"\r\nContent-Type: application/octet-stream\r\n\r\n\r\n--XyZ--\r\n";
        let parts = parse("multipart/form-data; boundary=XyZ", body.to_vec(), 10).unwrap();
        assert_eq!(parts.len(), 3);
        assert_eq!((parts[0].name.as_str(), parts[0].text().as_str(), parts[0].file_name.as_deref()), ("title", "Lampu mati", None));
        assert_eq!((parts[1].file_name.as_deref(), parts[1].bytes.as_slice()), (Some("a.png"), &b"\x89PNG"[..]));
        assert_eq!((parts[2].file_name.as_deref(), parts[2].bytes.len()), (Some(""), 0));
        assert!(parse("multipart/form-data; boundary=XyZ", body.to_vec(), 2).is_err());
        assert!(parse("multipart/form-data", body.to_vec(), 10).is_err(), "no boundary");
        assert!(parse("multipart/form-data; boundary=XyZ", b"garbage".to_vec(), 10).is_err());
    }
}
