//! The persons CSV file (`rogatory import --persons`, `rogatory export --persons`): one
//! person a row, with the requests they are linked to as `REFERENCE:role` pairs
//! separated by `;` (docs/import.md, "Persons").

use super::person::{Person, PersonInput, PersonRole};
use super::validation::FieldError;

/// The columns, in the order an export writes them. `name` is required in a file; the
/// others may be left out.
pub const PERSON_COLUMNS: [&str; 7] = ["name", "other_names", "birth", "citizenship", "documents", "notes", "requests"];

/// One row of a persons file: the person, and the links as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRowIn {
    pub input: PersonInput,
    pub links: Vec<(String, PersonRole)>,
}

/// A person with their links to requests (reference and role), as a file holds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedPerson {
    pub person: Person,
    pub links: Vec<(String, PersonRole)>,
}

/// Where each known column is in a file's header; an unknown or repeated column, or no
/// `name`, is an error.
pub fn header_positions(header: &[String]) -> Result<[Option<usize>; 7], String> {
    let mut at = [None; 7];
    for (i, h) in header.iter().enumerate() {
        let name = h.trim().trim_start_matches('\u{feff}').to_lowercase();
        match PERSON_COLUMNS.iter().position(|c| *c == name) {
            Some(k) if at[k].is_none() => at[k] = Some(i),
            Some(_) => return Err(crate::tr!(import_msg.column_twice, column = name)),
            None => return Err(crate::tr!(import_msg.unknown_columns, unknown = name, expected = PERSON_COLUMNS.join(", "))),
        }
    }
    if at[0].is_none() {
        return Err(crate::tr!(import_msg.missing_columns, missing = "name", expected = PERSON_COLUMNS.join(", ")));
    }
    Ok(at)
}

/// A data row read through `header_positions`: other spellings separated by `;` become one
/// a line; the links are checked for their shape (the references themselves are looked up
/// when the file is written).
pub fn row_in(at: &[Option<usize>; 7], cells: &[String]) -> Result<PersonRowIn, Vec<FieldError>> {
    let cell = |k: usize| at[k].and_then(|i| cells.get(i)).map(|s| s.trim().to_string()).unwrap_or_default();
    let input = PersonInput {
        name: cell(0),
        other_names: cell(1).split(';').map(str::trim).filter(|s| !s.is_empty()).collect::<Vec<_>>().join("\n"),
        birth: cell(2),
        citizenship: cell(3),
        documents: cell(4),
        notes: cell(5),
    };
    let links = links_in(&cell(6)).map_err(|message| vec![FieldError { field: "requests".into(), message }])?;
    Ok(PersonRowIn { input, links })
}

/// `REF-1:wanted; REF-2:witness` as pairs. A reference may hold colons: the role is after
/// the last one.
pub fn links_in(text: &str) -> Result<Vec<(String, PersonRole)>, String> {
    let mut links = Vec::new();
    for part in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let (reference, role) = part.rsplit_once(':').ok_or_else(|| crate::tr!(import_msg.link_shape, link = part))?;
        let role = PersonRole::from_code(role).ok_or_else(|| crate::tr!(import_msg.link_shape, link = part))?;
        if reference.trim().is_empty() {
            return Err(crate::tr!(import_msg.link_shape, link = part));
        }
        links.push((reference.trim().to_string(), role));
    }
    Ok(links)
}

/// A person's cells as an export writes them (`PERSON_COLUMNS`), with their links.
pub fn row_out(p: &Person, links: &[(String, PersonRole)]) -> [String; 7] {
    [
        p.name.clone(),
        p.other_names.join("; "),
        p.birth.map(|b| b.text()).unwrap_or_default(),
        p.citizenship.join(", "),
        p.documents.clone().unwrap_or_default(),
        p.notes.clone().unwrap_or_default(),
        links.iter().map(|(r, role)| format!("{r}:{}", role.code())).collect::<Vec<_>>().join("; "),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_row_is_read_through_its_header_and_written_back_alike() {
        let at = header_positions(&strings(&["\u{feff}Name", "requests", "birth", "other_names"])).unwrap();
        let row = row_in(
            &at,
            &strings(&["Іваноў Іван", "2-16/2025/0001:wanted; IN/2025/7:witness", "1980", "Ivanou Ivan; Iwanow Iwan"]),
        )
        .unwrap();
        assert_eq!(row.input.other_names, "Ivanou Ivan\nIwanow Iwan");
        assert_eq!(
            row.links,
            [("2-16/2025/0001".to_string(), PersonRole::Wanted), ("IN/2025/7".to_string(), PersonRole::Witness)]
        );
        let person = row.input.validate("2026-01-01".parse().unwrap()).unwrap();
        let stored = Person {
            id: 1,
            name: person.name,
            other_names: person.other_names,
            birth: person.birth,
            citizenship: person.citizenship,
            documents: person.documents,
            notes: person.notes,
            version: 1,
        };
        let out = row_out(&stored, &row.links);
        let back = row_in(&header_positions(&strings(&PERSON_COLUMNS)).unwrap(), &out).unwrap();
        assert_eq!(back, row);
    }

    #[test]
    fn a_bad_header_or_link_is_named() {
        assert!(header_positions(&strings(&["birth"])).is_err(), "no name");
        assert!(header_positions(&strings(&["name", "nickname"])).is_err());
        assert!(header_positions(&strings(&["name", "Name"])).is_err());
        for bad in ["R-1", "R-1:boss", ":wanted"] {
            assert!(links_in(bad).is_err(), "{bad}");
        }
        assert_eq!(links_in("a:b:c:other").unwrap(), [("a:b:c".to_string(), PersonRole::Other)]);
    }
}
