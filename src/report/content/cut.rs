//! Tables cut to their first and last rows: a script's thousands of calls would fill thousands
//! of pages. The rows left out are marked where they were, by a row that says how many, from
//! when to when, and where every one of them is, so that a reader scanning the table does not
//! take the last printed rows for the ones after the first.

use super::fmt;
use crate::export::csv_cell;
use crate::model::Timestamp;
use crate::report::{Attachment, Cell};

/// `rows` cut to its first and last `keep / 2` when it holds more than `keep`: the printed
/// head, the rows left out, the printed tail. Uncut, everything is in the head.
pub fn ends<T>(rows: &[T], keep: usize) -> (&[T], &[T], &[T]) {
    if rows.len() <= keep {
        return (rows, &[], &[]);
    }
    let half = keep / 2;
    let (head, rest) = rows.split_at(half);
    let (left_out, tail) = rest.split_at(rest.len() - half);
    (head, left_out, tail)
}

/// The row printed in place of `count` rows left out, `what` they are (plural), the time of the
/// first and the last of them and where they are (`found`).
pub fn marker(
    count: usize,
    what: &str,
    first: Timestamp,
    last: Timestamp,
    found: &str,
) -> Vec<Cell> {
    vec![
        Cell::mono(format!(
            "[{count} {what} not printed]\n{}\nto {}",
            fmt::time(first),
            fmt::time(last)
        )),
        Cell::text(found),
    ]
}

/// The rows a table does not print, every one, as the attached CSV file `name` (cells
/// neutralised against spreadsheet formulas).
pub fn csv_attachment<R: AsRef<[String]>>(
    name: &str,
    header: &[&str],
    rows: impl IntoIterator<Item = R>,
    description: String,
) -> Attachment {
    let mut csv = csv_cell::writer(Vec::new(), true);
    // Writing to a Vec cannot fail.
    let _ = csv.write_record(header);
    for cells in rows {
        let _ = csv.write_record(
            cells
                .as_ref()
                .iter()
                .map(|c| csv_cell::neutralise(c).into_owned()),
        );
    }
    Attachment {
        name: name.into(),
        mime: "text/csv".into(),
        description,
        data: csv.into_inner().unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_table_keeps_its_ends_and_names_the_middle() {
        let rows: Vec<u32> = (0..100).collect();
        let (head, out, tail) = ends(&rows, 40);
        assert_eq!(head, &rows[..20]);
        assert_eq!(out, &rows[20..80]);
        assert_eq!(tail, &rows[80..]);
        let (head, out, tail) = ends(&rows, 100);
        assert_eq!((head.len(), out.len(), tail.len()), (100, 0, 0));
        let (head, out, tail) = ends(&rows, 99);
        assert_eq!((head.len(), out.len(), tail.len()), (49, 2, 49));
        let m = marker(60, "reads", Timestamp(0), Timestamp(60_000), "in x.csv");
        assert!(
            m[0].text.starts_with("[60 reads not printed]"),
            "{}",
            m[0].text
        );
        assert!(m[0].text.contains("1970-01-01T00:01:00"), "{}", m[0].text);
        assert_eq!(m[1].text, "in x.csv");
    }
}
