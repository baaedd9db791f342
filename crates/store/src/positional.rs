//! Joined rows decoded by column position.
//!
//! sea-orm's nested partial models find each column of a joined row by a prefixed name that they format
//! for every column of every row. Pages of a thousand joined rows spent a quarter of the gateway's CPU
//! formatting those names. Here each model lists its columns once, queries select them in that order,
//! and rows are read by index.

use sea_orm::{
    ColumnTrait, DbErr, EntityTrait, FromQueryResult, QueryResult, QuerySelect, Select, SelectModel, Selector,
};
use uuid::Uuid;

use crate::entity::{employee, indicator, indicator_achievement, plan, unit};

/// A model read by position from a run of columns that starts with its key.
pub(crate) trait Positional: Sized {
    type Column: ColumnTrait;
    /// The columns in the order [`Positional::decode`] reads them; the first is the key.
    const COLUMNS: &'static [Self::Column];
    fn decode(row: &QueryResult, first: usize) -> Result<Self, DbErr>;
}

/// One model, or one left-joined model that may be missing, of a row of several.
pub(crate) trait Part: Sized {
    const WIDTH: usize;
    fn select<Q: QuerySelect>(query: Q) -> Q;
    fn decode(row: &QueryResult, first: usize) -> Result<Self, DbErr>;
}

impl<T: Positional> Part for T {
    const WIDTH: usize = T::COLUMNS.len();
    fn select<Q: QuerySelect>(query: Q) -> Q {
        query.columns(T::COLUMNS.iter().copied())
    }
    fn decode(row: &QueryResult, first: usize) -> Result<Self, DbErr> {
        T::decode(row, first)
    }
}

/// A left join's model: `None` when no row was joined, which leaves its key null.
impl<T: Positional> Part for Option<T> {
    const WIDTH: usize = T::COLUMNS.len();
    fn select<Q: QuerySelect>(query: Q) -> Q {
        T::select(query)
    }
    fn decode(row: &QueryResult, first: usize) -> Result<Self, DbErr> {
        match row.try_get_by_index::<Option<Uuid>>(first)? {
            Some(_) => T::decode(row, first).map(Some),
            None => Ok(None),
        }
    }
}

/// A row of models side by side, selected and read in the same order by `Joined::read`.
pub(crate) struct Joined<T>(pub(crate) T);

macro_rules! joined {
    ($($part:ident),+) => {
        impl<$($part: Part),+> Joined<($($part,)+)> {
            /// `query` (already joined) selecting exactly the parts' columns, in order, read as such rows.
            pub(crate) fn read<E: EntityTrait>(query: Select<E>) -> Selector<SelectModel<Self>> {
                let query = query.select_only();
                $(let query = $part::select(query);)+
                query.into_model()
            }
        }

        impl<$($part: Part),+> FromQueryResult for Joined<($($part,)+)> {
            fn from_query_result(row: &QueryResult, _: &str) -> Result<Self, DbErr> {
                let mut next = 0;
                let mut start = |width| {
                    next += width;
                    next - width
                };
                Ok(Joined(($($part::decode(row, start($part::WIDTH))?,)+)))
            }
        }
    };
}

joined!(A, B);
joined!(A, B, C, D);

/// Implements [`Positional`] for a model of `module`'s table from its columns paired with its fields;
/// the struct literal stops compiling when the model gains a field that is not listed.
macro_rules! positional {
    ($model:ty, $module:ident { $($column:ident => $field:ident),+ $(,)? }) => {
        impl $crate::positional::Positional for $model {
            type Column = $module::Column;
            const COLUMNS: &'static [$module::Column] = &[$($module::Column::$column),+];
            fn decode(row: &sea_orm::QueryResult, first: usize) -> Result<Self, sea_orm::DbErr> {
                let mut next = first;
                let mut index = || {
                    next += 1;
                    next - 1
                };
                Ok(Self { $($field: row.try_get_by_index(index())?),+ })
            }
        }
    };
}
pub(crate) use positional;

positional!(employee::Model, employee {
    Id => id, Nip => nip, Name => name, EmploymentType => employment_type, Rank => rank,
    BirthDate => birth_date, Sex => sex, PositionId => position_id, UnitId => unit_id,
    SuperiorId => superior_id, CreatedAt => created_at,
});

positional!(unit::Model, unit {
    Id => id, Code => code, Name => name, Kind => kind, ParentId => parent_id, Path => path,
    Depth => depth, CreatedAt => created_at,
});

positional!(plan::Model, plan {
    Id => id, EmployeeId => employee_id, Year => year, RaterId => rater_id, Approach => approach,
    Status => status, Version => version, CreatedAt => created_at, UpdatedAt => updated_at,
});

positional!(indicator_achievement::Model, indicator_achievement {
    EvaluationId => evaluation_id, IndicatorId => indicator_id, EmployeeId => employee_id,
    Period => period, Aspect => aspect, Achievement => achievement,
});

positional!(indicator::Model, indicator {
    Id => id, WorkResultId => work_result_id, Code => code, Description => description,
    Aspect => aspect, TargetKind => target_kind, TargetLow => target_low, TargetHigh => target_high,
    UnitOfMeasure => unit_of_measure, Accumulation => accumulation, Ordinal => ordinal,
});
