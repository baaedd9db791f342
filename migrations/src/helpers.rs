//! Statement builders every migration uses.

use sea_orm_migration::prelude::*;

/// A foreign key from `from` (table, column) to `to` (table, column).
pub(crate) fn foreign_key<T: IntoIden, U: IntoIden>(
    from: (T, U),
    to: (impl IntoIden, impl IntoIden),
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(from.0, from.1).to(to.0, to.1).on_delete(on_delete).to_owned()
}

/// A named index on `columns` of `table`, in order.
pub(crate) fn index<C: IntoIden>(
    name: &str,
    table: impl IntoIden,
    columns: impl IntoIterator<Item = C>,
) -> IndexCreateStatement {
    let mut statement = Index::create();
    statement.name(name).table(table);
    for column in columns {
        statement.col(column);
    }
    statement.to_owned()
}
