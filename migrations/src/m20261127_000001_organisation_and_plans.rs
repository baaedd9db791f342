//! The organisation (units, positions, employees) and the yearly plans with their work results,
//! indicators, realisations, feedback and behaviour ratings.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::{foreign_key, index};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

/// Precision of every target, realisation and score: 14 integer digits, 4 decimals.
const DECIMAL_PRECISION: u32 = 18;
const DECIMAL_SCALE: u32 = 4;

#[derive(DeriveIden)]
enum Units {
    Table,
    Id,
    Code,
    Name,
    Kind,
    ParentId,
    Path,
    Depth,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Positions {
    Table,
    Id,
    Code,
    Title,
    Kind,
    UnitId,
}

#[derive(DeriveIden)]
enum Employees {
    Table,
    Id,
    Nip,
    Name,
    EmploymentType,
    Rank,
    BirthDate,
    Sex,
    PositionId,
    UnitId,
    SuperiorId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Plans {
    Table,
    Id,
    EmployeeId,
    Year,
    RaterId,
    Approach,
    Status,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum WorkResults {
    Table,
    Id,
    PlanId,
    Code,
    Section,
    Description,
    Perspective,
    ParentId,
    Ordinal,
}

#[derive(DeriveIden)]
enum Indicators {
    Table,
    Id,
    WorkResultId,
    Code,
    Description,
    Aspect,
    TargetKind,
    TargetLow,
    TargetHigh,
    UnitOfMeasure,
    Accumulation,
    Ordinal,
}

#[derive(DeriveIden)]
enum Realisations {
    Table,
    Id,
    IndicatorId,
    Period,
    PeriodStart,
    PeriodEnd,
    Value,
    EvidenceNote,
    EvidenceLink,
    Source,
    RecordedAt,
}

#[derive(DeriveIden)]
enum FeedbackNotes {
    Table,
    Id,
    PlanId,
    WorkResultId,
    IndicatorId,
    Behaviour,
    Kind,
    Text,
    AuthorId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum BehaviourRatings {
    Table,
    Id,
    PlanId,
    Period,
    Value,
    Level,
    Expectation,
    Note,
}

fn amount(column: impl IntoIden) -> ColumnDef {
    decimal_len(column, DECIMAL_PRECISION, DECIMAL_SCALE)
}

#[async_trait::async_trait]
#[allow(elided_lifetimes_in_paths)]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Units::Table)
                    .col(pk_uuid(Units::Id))
                    .col(string_len_uniq(Units::Code, 40))
                    .col(string(Units::Name))
                    .col(string_len(Units::Kind, 32))
                    .col(uuid_null(Units::ParentId))
                    // Ids from the root down, '/'-separated: subtree queries become prefix ranges.
                    .col(text(Units::Path))
                    .col(integer(Units::Depth))
                    .col(timestamp_with_time_zone(Units::CreatedAt))
                    .foreign_key(&mut foreign_key(
                        (Units::Table, Units::ParentId),
                        (Units::Table, Units::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("idx_units_parent", Units::Table, [Alias::new("parent_id")])).await?;
        manager.create_index(index("idx_units_path", Units::Table, [Alias::new("path")])).await?;

        manager
            .create_table(
                Table::create()
                    .table(Positions::Table)
                    .col(pk_uuid(Positions::Id))
                    .col(string_len_uniq(Positions::Code, 60))
                    .col(string(Positions::Title))
                    .col(string_len(Positions::Kind, 32))
                    .col(uuid(Positions::UnitId))
                    .foreign_key(&mut foreign_key(
                        (Positions::Table, Positions::UnitId),
                        (Units::Table, Units::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("idx_positions_unit", Positions::Table, [Alias::new("unit_id")])).await?;

        manager
            .create_table(
                Table::create()
                    .table(Employees::Table)
                    .col(pk_uuid(Employees::Id))
                    .col(char_len_uniq(Employees::Nip, 18))
                    .col(string(Employees::Name))
                    .col(string_len(Employees::EmploymentType, 8))
                    .col(string_len(Employees::Rank, 8))
                    .col(date(Employees::BirthDate))
                    .col(string_len(Employees::Sex, 8))
                    .col(uuid(Employees::PositionId))
                    .col(uuid(Employees::UnitId))
                    .col(uuid_null(Employees::SuperiorId))
                    .col(timestamp_with_time_zone(Employees::CreatedAt))
                    .foreign_key(&mut foreign_key(
                        (Employees::Table, Employees::PositionId),
                        (Positions::Table, Positions::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut foreign_key(
                        (Employees::Table, Employees::UnitId),
                        (Units::Table, Units::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut foreign_key(
                        (Employees::Table, Employees::SuperiorId),
                        (Employees::Table, Employees::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("idx_employees_unit_nip", Employees::Table, [Alias::new("unit_id"), Alias::new("nip")]))
            .await?;
        manager.create_index(index("idx_employees_superior", Employees::Table, [Alias::new("superior_id")])).await?;
        manager.create_index(index("idx_employees_position", Employees::Table, [Alias::new("position_id")])).await?;

        manager
            .create_table(
                Table::create()
                    .table(Plans::Table)
                    .col(pk_uuid(Plans::Id))
                    .col(uuid(Plans::EmployeeId))
                    .col(integer(Plans::Year))
                    .col(uuid_null(Plans::RaterId))
                    .col(string_len(Plans::Approach, 16))
                    .col(string_len(Plans::Status, 16))
                    .col(integer(Plans::Version))
                    .col(timestamp_with_time_zone(Plans::CreatedAt))
                    .col(timestamp_with_time_zone(Plans::UpdatedAt))
                    .foreign_key(&mut foreign_key(
                        (Plans::Table, Plans::EmployeeId),
                        (Employees::Table, Employees::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut foreign_key(
                        (Plans::Table, Plans::RaterId),
                        (Employees::Table, Employees::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index("uq_plans_employee_year", Plans::Table, [Alias::new("employee_id"), Alias::new("year")])
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("idx_plans_rater_year", Plans::Table, [Alias::new("rater_id"), Alias::new("year")]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(WorkResults::Table)
                    .col(pk_uuid(WorkResults::Id))
                    .col(uuid(WorkResults::PlanId))
                    .col(string_len(WorkResults::Code, 20))
                    .col(string_len(WorkResults::Section, 16))
                    .col(text(WorkResults::Description))
                    .col(string_null(WorkResults::Perspective))
                    .col(uuid_null(WorkResults::ParentId))
                    .col(integer(WorkResults::Ordinal))
                    .foreign_key(&mut foreign_key(
                        (WorkResults::Table, WorkResults::PlanId),
                        (Plans::Table, Plans::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut foreign_key(
                        (WorkResults::Table, WorkResults::ParentId),
                        (WorkResults::Table, WorkResults::Id),
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index("uq_work_results_plan_code", WorkResults::Table, [Alias::new("plan_id"), Alias::new("code")])
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("idx_work_results_parent", WorkResults::Table, [Alias::new("parent_id")])).await?;

        manager
            .create_table(
                Table::create()
                    .table(Indicators::Table)
                    .col(pk_uuid(Indicators::Id))
                    .col(uuid(Indicators::WorkResultId))
                    .col(string_len(Indicators::Code, 20))
                    .col(text(Indicators::Description))
                    .col(string_len(Indicators::Aspect, 16))
                    .col(string_len(Indicators::TargetKind, 16))
                    .col(amount(Indicators::TargetLow))
                    .col(amount(Indicators::TargetHigh))
                    .col(string_len(Indicators::UnitOfMeasure, 40))
                    .col(string_len(Indicators::Accumulation, 16))
                    .col(integer(Indicators::Ordinal))
                    .foreign_key(&mut foreign_key(
                        (Indicators::Table, Indicators::WorkResultId),
                        (WorkResults::Table, WorkResults::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "uq_indicators_work_result_code",
                    Indicators::Table,
                    [Alias::new("work_result_id"), Alias::new("code")],
                )
                .unique()
                .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Realisations::Table)
                    .col(pk_uuid(Realisations::Id))
                    .col(uuid(Realisations::IndicatorId))
                    .col(string_len(Realisations::Period, 8))
                    .col(date(Realisations::PeriodStart))
                    .col(date(Realisations::PeriodEnd))
                    .col(amount(Realisations::Value))
                    .col(text_null(Realisations::EvidenceNote))
                    .col(text_null(Realisations::EvidenceLink))
                    .col(string_len(Realisations::Source, 64))
                    .col(timestamp_with_time_zone(Realisations::RecordedAt))
                    .foreign_key(&mut foreign_key(
                        (Realisations::Table, Realisations::IndicatorId),
                        (Indicators::Table, Indicators::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "uq_realisations_indicator_period",
                    Realisations::Table,
                    [Alias::new("indicator_id"), Alias::new("period")],
                )
                .unique()
                .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(FeedbackNotes::Table)
                    .col(pk_uuid(FeedbackNotes::Id))
                    .col(uuid(FeedbackNotes::PlanId))
                    .col(uuid_null(FeedbackNotes::WorkResultId))
                    .col(uuid_null(FeedbackNotes::IndicatorId))
                    .col(string_len_null(FeedbackNotes::Behaviour, 32))
                    .col(string_len(FeedbackNotes::Kind, 16))
                    .col(text(FeedbackNotes::Text))
                    .col(uuid_null(FeedbackNotes::AuthorId))
                    .col(timestamp_with_time_zone(FeedbackNotes::CreatedAt))
                    .foreign_key(&mut foreign_key(
                        (FeedbackNotes::Table, FeedbackNotes::PlanId),
                        (Plans::Table, Plans::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut foreign_key(
                        (FeedbackNotes::Table, FeedbackNotes::WorkResultId),
                        (WorkResults::Table, WorkResults::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut foreign_key(
                        (FeedbackNotes::Table, FeedbackNotes::IndicatorId),
                        (Indicators::Table, Indicators::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut foreign_key(
                        (FeedbackNotes::Table, FeedbackNotes::AuthorId),
                        (Employees::Table, Employees::Id),
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("idx_feedback_notes_plan", FeedbackNotes::Table, [Alias::new("plan_id")])).await?;

        manager
            .create_table(
                Table::create()
                    .table(BehaviourRatings::Table)
                    .col(pk_uuid(BehaviourRatings::Id))
                    .col(uuid(BehaviourRatings::PlanId))
                    .col(string_len(BehaviourRatings::Period, 8))
                    .col(string_len(BehaviourRatings::Value, 32))
                    .col(string_len(BehaviourRatings::Level, 24))
                    .col(text_null(BehaviourRatings::Expectation))
                    .col(text_null(BehaviourRatings::Note))
                    .foreign_key(&mut foreign_key(
                        (BehaviourRatings::Table, BehaviourRatings::PlanId),
                        (Plans::Table, Plans::Id),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "uq_behaviour_ratings_plan_period_value",
                    BehaviourRatings::Table,
                    [Alias::new("plan_id"), Alias::new("period"), Alias::new("value")],
                )
                .unique()
                .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "behaviour_ratings",
            "feedback_notes",
            "realisations",
            "indicators",
            "work_results",
            "plans",
            "employees",
            "positions",
            "units",
        ] {
            manager.drop_table(Table::drop().table(Alias::new(table)).to_owned()).await?;
        }
        Ok(())
    }
}
