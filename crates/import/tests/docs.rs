//! `docs/import.md` documents every column of every kind, with whether it is required, as the code reads it.

use kinerja_store::ImportKind;

#[test]
fn the_import_guide_lists_every_column_as_the_code_reads_it() {
    let guide = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/import.md")).unwrap();
    for kind in ImportKind::ALL {
        let heading = format!("\n## {}\n", kind.as_str());
        let start = guide.find(&heading).unwrap_or_else(|| panic!("a section for {}", kind.as_str()));
        let section = &guide[start + heading.len()..];
        let section = &section[..section.find("\n## ").unwrap_or(section.len())];
        let documented = section.lines().filter(|line| line.starts_with("| `")).count();
        let columns = kinerja_import::columns(kind);
        assert_eq!(documented, columns.len(), "{}: documented columns", kind.as_str());
        for column in columns {
            let row = format!("| `{}` | {} |", column.name, if column.required { "yes" } else { "no" });
            assert!(section.contains(&row), "{}: {row}", kind.as_str());
        }
    }
}
