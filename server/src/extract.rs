//! The text of an uploaded file, for the registry's search: PDF (lopdf), DOCX and ODT
//! (their XML read with quick-xml out of the ZIP), plain text and e-mail. Reading is
//! bounded: at most `TEXT_MAX_BYTES` of text, `READ_MAX_BYTES` of a part, PDFs up to
//! `PDF_MAX_BYTES`; the data layer keeps at most a mebibyte. A file that cannot be read yields no text; the
//! upload goes on.

use app::domain::document::MediaType;
use quick_xml::events::Event;
use std::io::{BufReader, Read};
use std::path::Path;

/// The most bytes read of one part inside a DOCX or ODT (its XML, mostly markup).
const READ_MAX_BYTES: u64 = 16 * 1024 * 1024;
/// The most text gathered of a file: twice what the search keeps
/// (`documents::TEXT_MAX_BYTES`), room for the spaces folded away.
const TEXT_MAX_BYTES: usize = 2 * app::db::documents::TEXT_MAX_BYTES;
/// The largest PDF whose text is read (lopdf holds the whole document in memory;
/// larger PDFs are mostly scans, without text).
pub const PDF_MAX_BYTES: u64 = 16 * 1024 * 1024;

/// The text of the file at `path`, told to be of type `media`.
pub fn text_of(path: &Path, media: MediaType, size: u64) -> Option<String> {
    match media {
        MediaType::Text | MediaType::Email => plain(path),
        MediaType::Docx => zipped_xml(path, "word/document.xml", &["p", "tab", "br"]),
        MediaType::Odt => zipped_xml(path, "content.xml", &["p", "h", "tab", "line-break"]),
        MediaType::Pdf if size <= PDF_MAX_BYTES => pdf(path),
        _ => None,
    }
}

fn plain(path: &Path) -> Option<String> {
    let mut bytes = Vec::new();
    std::fs::File::open(path).ok()?.take(TEXT_MAX_BYTES as u64).read_to_end(&mut bytes).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// The text of the XML part `name` of a ZIP file; a space after every element whose
/// local name is in `breaks` (paragraphs, tabs, line breaks), so words never run together.
fn zipped_xml(path: &Path, name: &str, breaks: &[&str]) -> Option<String> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).ok()?).ok()?;
    let part = archive.by_name(name).ok()?;
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(part.take(READ_MAX_BYTES)));
    let (mut text, mut buf) = (String::new(), Vec::new());
    loop {
        match reader.read_event_into(&mut buf).ok()? {
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::CData(t) => text.push_str(&t.into_inner()),
            Event::GeneralRef(r) => match r.resolve_char_ref().ok().flatten() {
                Some(c) => text.push(c),
                None => text.push_str(match r.xml10_content().as_ref() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "",
                }),
            },
            Event::End(e) if breaks.contains(&e.local_name().into_inner()) => text.push(' '),
            Event::Empty(e) if breaks.contains(&e.local_name().into_inner()) => text.push(' '),
            Event::Eof => break,
            _ => {}
        }
        if text.len() > TEXT_MAX_BYTES {
            break;
        }
        buf.clear();
    }
    Some(text)
}

fn pdf(path: &Path) -> Option<String> {
    let document = lopdf::Document::load(path).ok()?;
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    document.extract_text_with_limit(&pages, READ_MAX_BYTES as usize).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn file(name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let path = std::env::temp_dir().join(format!("rogatory-extract-{}-{name}", std::process::id()));
        std::fs::write(&path, bytes).unwrap();
        path
    }

    /// A DOCX as Word writes it, deflated: the document part with two paragraphs.
    pub(crate) fn docx(paragraphs: &[&str]) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("[Content_Types].xml", options).unwrap();
        zip.write_all(b"<?xml version=\"1.0\"?><Types/>").unwrap();
        zip.start_file("word/document.xml", options).unwrap();
        let body: String =
            paragraphs.iter().map(|p| format!("<w:p><w:r><w:t xml:space=\"preserve\">{p}</w:t></w:r></w:p>")).collect();
        write!(zip, "<?xml version=\"1.0\"?><w:document xmlns:w=\"w\"><w:body>{body}</w:body></w:document>").unwrap();
        zip.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn word_documents_give_their_paragraphs() {
        let path = file("a.docx", &docx(&["Запрос о выдаче", "Smith &amp; Sons&#x21;"]));
        let text = text_of(&path, MediaType::Docx, 0).unwrap();
        assert_eq!(text.split_whitespace().collect::<Vec<_>>(), ["Запрос", "о", "выдаче", "Smith", "&", "Sons!"]);
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn pdfs_give_their_text() {
        let path = file("a.pdf", &crate::demo_documents::pdf("Letter of request concerning Kowalski"));
        let text = text_of(&path, MediaType::Pdf, 1000).unwrap();
        assert!(text.contains("Kowalski"), "{text:?}");
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn unreadable_files_give_no_text() {
        let path = file("bad.docx", b"PK\x03\x04 not really a zip");
        assert_eq!(text_of(&path, MediaType::Docx, 0), None);
        assert_eq!(text_of(&path, MediaType::Pdf, 10), None);
        assert_eq!(text_of(&path, MediaType::Png, 10), None);
        std::fs::remove_file(path).unwrap();
    }
}
