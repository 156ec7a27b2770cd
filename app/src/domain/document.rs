//! Documents behind a request or a case: the letter of request, its translations, the
//! counterpart's acknowledgement and answer, supplementary requests, reminders. A file is
//! accepted only when its content is of a safe type (PDF, PNG, JPEG, GIF, DOCX, ODT,
//! plain text, e-mail), whatever its name says; HTML, SVG and scripts never are.

use super::codes::code_enum;
use super::languages::LANGUAGES;
use super::validation::{chars, has_control, optional, parse_date, Errors, FieldError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

code_enum!(
    /// What a document is to its request.
    DocumentKind {
        LetterOfRequest => "letter_of_request", "Letter of request";
        Translation => "translation", "Translation";
        Supplementary => "supplementary_request", "Supplementary request";
        Acknowledgement => "acknowledgement", "Acknowledgement";
        Answer => "answer", "Answer or execution documents";
        Reminder => "reminder", "Reminder";
        Other => "other", "Other";
    }
);

code_enum!(
    /// Whether the office sent the document or received it.
    DocumentFlow {
        Sent => "sent", "Sent";
        Received => "received", "Received";
    }
);

code_enum!(
    /// The safe file types, told by content.
    MediaType {
        Pdf => "application/pdf", "PDF";
        Png => "image/png", "PNG image";
        Jpeg => "image/jpeg", "JPEG image";
        Gif => "image/gif", "GIF image";
        Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word document";
        Odt => "application/vnd.oasis.opendocument.text", "OpenDocument text";
        Text => "text/plain", "Plain text";
        Email => "message/rfc822", "E-mail";
    }
);

/// The largest file accepted unless configured otherwise, in bytes.
pub const DEFAULT_MAX_BYTES: u64 = 50 * 1024 * 1024;
pub const FILE_NAME_MAX: usize = 255;
pub const NUMBER_MAX: usize = 100;

/// The type of a file from its first bytes (at least the first 4 KiB when the file is that
/// long). `None`: not a type Rogatory keeps.
pub fn sniff(head: &[u8]) -> Option<MediaType> {
    if head.starts_with(b"%PDF-") {
        return Some(MediaType::Pdf);
    }
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(MediaType::Png);
    }
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(MediaType::Jpeg);
    }
    if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        return Some(MediaType::Gif);
    }
    if head.starts_with(b"PK\x03\x04") {
        return zipped(head);
    }
    text(head)
}

/// A ZIP file is an ODT when its first entry is the `mimetype` file naming it, a DOCX when
/// it holds `word/` parts; any other archive is refused.
fn zipped(head: &[u8]) -> Option<MediaType> {
    let contains = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    if head.get(30..38) == Some(b"mimetype") && contains(b"application/vnd.oasis.opendocument.text") {
        return Some(MediaType::Odt);
    }
    (contains(b"word/") || contains(b"[Content_Types].xml") && contains(b"word")).then_some(MediaType::Docx)
}

/// Text: UTF-8 (a multi-byte character cut at the end of `head` allowed) with no NUL and
/// no markup at its start; an e-mail when it opens with header lines.
fn text(head: &[u8]) -> Option<MediaType> {
    let valid = match std::str::from_utf8(head) {
        Ok(s) => s,
        Err(e) if e.error_len().is_none() => std::str::from_utf8(&head[..e.valid_up_to()]).ok()?,
        Err(_) => return None,
    };
    let body = valid.trim_start_matches('\u{feff}').trim_start();
    if valid.contains('\0') || body.starts_with('<') {
        return None;
    }
    let first = body.lines().next().unwrap_or("");
    let header = first.split_once(':').is_some_and(|(name, _)| {
        !name.is_empty() && name.len() < 40 && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    });
    let known = ["from:", "received:", "return-path:", "message-id:", "date:", "subject:", "to:", "mime-version:"];
    if header && known.iter().any(|k| first.to_ascii_lowercase().starts_with(k)) {
        return Some(MediaType::Email);
    }
    Some(MediaType::Text)
}

/// A document's details as the form sends them (the file comes beside them).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DocumentInput {
    pub kind: String,
    pub language: String,
    pub on_date: String,
    pub flow: String,
    pub our_number: String,
    /// the id of the document this one translates
    pub translation_of: Option<i64>,
}

/// Checked document details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentDetails {
    pub kind: DocumentKind,
    pub language: Option<String>,
    pub on_date: Option<NaiveDate>,
    pub flow: DocumentFlow,
    pub our_number: Option<String>,
    pub translation_of: Option<i64>,
}

impl DocumentInput {
    /// Checks every field; the date may not lie after `today`.
    pub fn validate(&self, today: NaiveDate) -> Result<DocumentDetails, Vec<FieldError>> {
        let mut e = Errors::default();
        let kind = DocumentKind::from_code(&self.kind);
        if kind.is_none() {
            e.add("kind", crate::tr!(validation.choose_the_kind_of_document));
        }
        let flow = DocumentFlow::from_code(&self.flow);
        if flow.is_none() {
            e.add("flow", crate::tr!(validation.choose_sent_or_received));
        }
        let on_date = match parse_date(&self.on_date) {
            Ok(Some(d)) if d > today => {
                e.add("on_date", crate::tr!(validation.the_date_cannot_be_in_the));
                None
            }
            Ok(d) => d,
            Err(m) => {
                e.add("on_date", m);
                None
            }
        };
        let language = optional(&self.language);
        if language.as_deref().is_some_and(|l| !LANGUAGES.iter().any(|(code, ..)| *code == l)) {
            e.add("language", crate::tr!(validation.choose_the_language));
        }
        if has_control(&self.our_number, false) {
            e.add("our_number", crate::tr!(validation.no_control_characters));
        } else if chars(self.our_number.trim()) > NUMBER_MAX {
            e.add("our_number", crate::tr!(validation.at_most, max = NUMBER_MAX));
        }
        if kind == Some(DocumentKind::Translation) && self.translation_of.is_none() {
            e.add("translation_of", crate::tr!(validation.choose_the_translated_document));
        }
        match (kind, flow) {
            (Some(kind), Some(flow)) => e.into_result(DocumentDetails {
                kind,
                language,
                on_date,
                flow,
                our_number: optional(&self.our_number),
                translation_of: self.translation_of,
            }),
            _ => Err(e.0),
        }
    }
}

/// What a document belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Owner {
    Request(i64),
    Case(i64),
}

/// A stored document, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredDocument {
    pub id: i64,
    pub owner: Owner,
    pub details: DocumentDetails,
    pub file_name: String,
    pub media_type: MediaType,
    pub size: u64,
    pub sha256: String,
    pub created_at: String,
}

/// A document found by a word in its text: the document, its request's reference (or its
/// case's number) and the words around the first place it was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentHit {
    pub document: StoredDocument,
    pub owner_label: String,
    pub excerpt: String,
}

/// The error on the field "file" for an empty file.
pub fn empty_file() -> FieldError {
    FieldError { field: "file".into(), message: crate::tr!(validation.empty_file).into() }
}

/// The error on the field "file" for a file of a type Rogatory does not keep.
pub fn not_a_safe_file(name: &str) -> FieldError {
    FieldError { field: "file".into(), message: crate::tr!(validation.not_a_safe_file, name = name).to_string() }
}

/// A file's name as given, made safe to keep and to send back in a header: the last path
/// part, control characters, quotes and separators dropped, at most `FILE_NAME_MAX`
/// characters; "document" when nothing is left.
pub fn clean_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let kept: String =
        last.chars().filter(|c| !c.is_control() && !matches!(c, '"' | ';' | '\\' | '/')).take(FILE_NAME_MAX).collect();
    let kept = kept.trim().trim_start_matches('.').to_string();
    if kept.is_empty() {
        "document".into()
    } else {
        kept
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::validation::message_for;

    #[test]
    fn files_are_told_by_their_content_not_their_name() {
        assert_eq!(sniff(b"%PDF-1.7\n%\xe2\xe3"), Some(MediaType::Pdf));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some(MediaType::Png));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]), Some(MediaType::Jpeg));
        assert_eq!(sniff(b"GIF89a\x01\0"), Some(MediaType::Gif));
        let mut odt = b"PK\x03\x04".to_vec();
        odt.extend([0u8; 26]);
        odt.extend(b"mimetypeapplication/vnd.oasis.opendocument.text");
        assert_eq!(sniff(&odt), Some(MediaType::Odt));
        let mut docx = b"PK\x03\x04".to_vec();
        docx.extend([0u8; 26]);
        docx.extend(b"[Content_Types].xml....word/document.xml");
        assert_eq!(sniff(&docx), Some(MediaType::Docx));
        assert_eq!(sniff("Запрос о правовой помощи\nпо делу № 1".as_bytes()), Some(MediaType::Text));
        assert_eq!(sniff(b"From: central.authority@example.org\r\nSubject: MLA\r\n\r\nText"), Some(MediaType::Email));
        // a multi-byte character cut by the end of the head is still text
        let cut = "Привет".as_bytes();
        assert_eq!(sniff(&cut[..cut.len() - 1]), Some(MediaType::Text));
    }

    #[test]
    fn markup_scripts_archives_and_binaries_are_refused() {
        for bad in [
            &b"<html><script>alert(1)</script>"[..],
            b"  <svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
            b"\xef\xbb\xbf<!DOCTYPE html>",
            b"PK\x03\x04\x14\0\0\0evil.exe",
            b"MZ\x90\0\x03\0\0\0",
            b"text with a \0 NUL",
            b"\xff\xfe\x00\x00",
        ] {
            assert_eq!(sniff(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn details_are_checked_field_by_field() {
        let today: NaiveDate = "2026-03-01".parse().unwrap();
        let good = DocumentInput {
            kind: "letter_of_request".into(),
            flow: "sent".into(),
            on_date: "2026-02-27".into(),
            language: " ru ".into(),
            ..Default::default()
        };
        let d = good.validate(today).unwrap();
        assert_eq!((d.kind, d.flow, d.language.as_deref()), (DocumentKind::LetterOfRequest, DocumentFlow::Sent, Some("ru")));
        let errors = DocumentInput {
            on_date: "2026-03-02".into(),
            our_number: "x\u{1}".into(),
            language: "Klingon".into(),
            ..Default::default()
        }
        .validate(today)
        .unwrap_err();
        for field in ["kind", "flow", "on_date", "our_number", "language"] {
            assert!(message_for(&errors, field).is_some(), "{field}");
        }
        let translation = DocumentInput { kind: "translation".into(), ..good.clone() };
        assert!(message_for(&translation.validate(today).unwrap_err(), "translation_of").is_some());
        assert!(DocumentInput { translation_of: Some(1), ..translation }.validate(today).is_ok());
    }

    #[test]
    fn file_names_are_kept_safe() {
        assert_eq!(clean_file_name("C:\\Users\\x\\Запрос.pdf"), "Запрос.pdf");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("a\"; filename=evil.html"), "a filename=evil.html");
        assert_eq!(clean_file_name("\u{0}\u{7}"), "document");
        assert_eq!(clean_file_name(".hidden"), "hidden");
        assert_eq!(clean_file_name(&"я".repeat(300)).chars().count(), FILE_NAME_MAX);
    }
}
