//! The demo's documents: each demo extradition gets its letter of request (Russian text),
//! an English translation as a PDF when it went abroad, and for an answered request the
//! counterpart's acknowledgement e-mail — stored and indexed as uploads are.

use app::db::actor::Actor;
use app::db::documents::{self, Owner};
use app::db::{DbResult, WriteTx};
use app::domain::document::{DocumentInput, MediaType};
use app::domain::Direction;
use chrono::NaiveDate;

/// A one-page PDF with a line of text (Latin-1), laid out as a PDF writer does.
pub fn pdf(text: &str) -> Vec<u8> {
    let stream = format!("BT /F1 12 Tf 72 720 Td ({text}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_string(),
        format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_string(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").bytes());
    }
    out.extend(format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).bytes());
    out
}

/// One demo document.
struct Demo<'a> {
    kind: &'a str,
    flow: &'a str,
    language: &'a str,
    on: NaiveDate,
    name: String,
    media: MediaType,
    bytes: Vec<u8>,
    text: String,
    translation_of: Option<i64>,
}

async fn store(tx: &mut WriteTx, request_id: i64, d: Demo<'_>, today: NaiveDate, actor: &Actor) -> DbResult<i64> {
    let input = DocumentInput {
        kind: d.kind.into(),
        flow: d.flow.into(),
        language: d.language.into(),
        on_date: d.on.to_string(),
        our_number: String::new(),
        translation_of: d.translation_of,
    };
    let details = input.validate(today).map_err(|e| app::db::DbError::Corrupt(format!("demo document: {e:?}")))?;
    let mut upload = documents::begin(tx, Owner::Request(request_id), &details, &d.name, d.media, u64::MAX, actor).await?;
    upload.write(tx, &d.bytes).await?;
    let id = upload.id;
    upload.finish(tx, actor).await?;
    documents::set_text(tx, id, &d.text).await?;
    Ok(id)
}

/// The documents of a demo extradition of `person` (name, romanised name), started on
/// `started`, answered on `answered`.
pub async fn attach(
    tx: &mut WriteTx,
    request_id: i64,
    (direction, country): (Direction, &str),
    person: (&str, &str),
    (started, answered): (NaiveDate, Option<NaiveDate>),
    today: NaiveDate,
    actor: &Actor,
) -> DbResult<()> {
    let (name, latin) = person;
    let flow = if direction == Direction::Outgoing { "sent" } else { "received" };
    let letter = format!(
        "ЗАПРОС О ВЫДАЧЕ\n\nПрошу выдать разыскиваемого {name} для привлечения к уголовной ответственности.\nКомпетентный орган: {country}.\n"
    );
    let letter_id = store(
        tx,
        request_id,
        Demo {
            kind: "letter_of_request",
            flow,
            language: "ru",
            on: started,
            name: "zapros-o-vydache.txt".into(),
            media: MediaType::Text,
            text: letter.clone(),
            bytes: letter.into_bytes(),
            translation_of: None,
        },
        today,
        actor,
    )
    .await?;
    if direction == Direction::Outgoing && country != "RU" && country != "KZ" {
        let text = format!("Request for extradition of {latin} for criminal prosecution");
        let demo = Demo {
            kind: "translation",
            flow: "sent",
            language: "en",
            on: started,
            name: "request-for-extradition-en.pdf".into(),
            media: MediaType::Pdf,
            bytes: pdf(&text),
            text,
            translation_of: Some(letter_id),
        };
        store(tx, request_id, demo, today, actor).await?;
    }
    if let Some(on) = answered {
        let text = format!(
            "From: central.authority@{}.example\r\nSubject: Extradition of {latin}\r\n\r\nWe acknowledge receipt of your request and will answer in due course.\r\n",
            country.to_lowercase()
        );
        let demo = Demo {
            kind: "acknowledgement",
            flow: if flow == "sent" { "received" } else { "sent" },
            language: "en",
            on: on.min(started + chrono::Days::new(14)),
            name: "acknowledgement.eml".into(),
            media: MediaType::Email,
            bytes: text.clone().into_bytes(),
            text,
            translation_of: None,
        };
        store(tx, request_id, demo, today, actor).await?;
    }
    Ok(())
}
