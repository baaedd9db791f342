//! The development culture of a unit in figures: how far the year's evaluation is lived as dialogue,
//! feedback, self-assessment and learning, rather than as a verdict once a year.

use kinerja_domain::Period;
use kinerja_scoring::MinimumJp;
use sea_orm::{FromQueryResult, Statement};

use crate::Store;
use crate::development::hours_sql;
use crate::error::StoreResult;
use crate::records::UnitRecord;

/// A unit subtree's culture figures of a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CultureFigures {
    /// Employees of the subtree.
    pub people: u64,
    /// For each quarter of the year, the employees with a performance dialogue held in it.
    pub dialogues_by_quarter: Vec<(Period, u64)>,
    /// Feedback notes given on the year's plans.
    pub feedback_notes: u64,
    /// Employees who wrote a self-assessment of the year.
    pub self_assessed: u64,
    /// Employees whose training of the year reaches the minimum lesson hours of their employment type.
    pub reached_minimum_jp: u64,
    /// Appreciations the subtree's employees received in the year.
    pub appreciations: u64,
    /// Colleagues' answers on the behaviour of the subtree's employees.
    pub colleague_answers: u64,
    /// Employees with an agreed development plan of the year.
    pub with_development_plan: u64,
    /// Employees who kept it: every agreed goal achieved.
    pub kept_development_plan: u64,
}

#[derive(Debug, FromQueryResult)]
struct CultureRow {
    people: i64,
    q1: i64,
    q2: i64,
    q3: i64,
    q4: i64,
    self_assessed: i64,
    reached: i64,
    feedback: i64,
    appreciations: i64,
    answers: i64,
    planned: i64,
    kept: i64,
}

impl Store {
    /// The culture figures of a unit's subtree for a year, counted in the database over every record
    /// (aggregates); `None` where the subtree is too small for the caller, or not released beside its
    /// siblings (as talent boxes).
    pub async fn culture_figures(
        &self,
        unit: &UnitRecord,
        year: i32,
        minimum: MinimumJp,
    ) -> StoreResult<Option<CultureFigures>> {
        let path = self.unit_path(unit).await?.replace('\'', "''");
        let quarter = |q: u8| {
            let period = Period::Quarter(year, q);
            format!(
                "CAST(SUM(CASE WHEN EXISTS (SELECT 1 FROM dialogues d JOIN plans p ON p.id = d.plan_id
                   WHERE p.employee_id = e.id AND d.held_on >= '{}' AND d.held_on <= '{}') THEN 1 ELSE 0 END) AS BIGINT) AS q{q}",
                period.start(),
                period.end()
            )
        };
        let (hours, required) = hours_sql("e", year, minimum);
        let goals = format!("SELECT 1 FROM development_goals g WHERE g.employee_id = e.id AND g.year = {year}");
        let sql = format!(
            "SELECT COUNT(*) AS people, {}, {}, {}, {},
               CAST(SUM(CASE WHEN EXISTS (SELECT 1 FROM self_assessments s JOIN plans p ON p.id = s.plan_id
                 WHERE p.employee_id = e.id AND p.year = {year}) THEN 1 ELSE 0 END) AS BIGINT) AS self_assessed,
               CAST(SUM(CASE WHEN {hours} >= {required} THEN 1 ELSE 0 END) AS BIGINT) AS reached,
               (SELECT COUNT(*) FROM feedback_notes f JOIN plans p ON p.id = f.plan_id
                  JOIN employees fe ON fe.id = p.employee_id JOIN units fu ON fu.id = fe.unit_id
                  WHERE p.year = {year} AND fu.path LIKE '{path}%') AS feedback,
               (SELECT COUNT(*) FROM appreciations a JOIN employees ae ON ae.id = a.recipient_id
                  JOIN units au ON au.id = ae.unit_id WHERE a.year = {year} AND au.path LIKE '{path}%') AS appreciations,
               (SELECT COUNT(*) FROM feedback_requests r JOIN plans p ON p.id = r.plan_id
                  JOIN employees re ON re.id = p.employee_id JOIN units ru ON ru.id = re.unit_id
                  WHERE r.answered_at IS NOT NULL AND p.year = {year} AND ru.path LIKE '{path}%') AS answers,
               CAST(SUM(CASE WHEN EXISTS ({goals} AND g.status <> 'proposed') THEN 1 ELSE 0 END) AS BIGINT) AS planned,
               CAST(SUM(CASE WHEN EXISTS ({goals} AND g.status = 'achieved')
                 AND NOT EXISTS ({goals} AND g.status IN ('agreed', 'carried')) THEN 1 ELSE 0 END) AS BIGINT) AS kept
             FROM employees e JOIN units u ON u.id = e.unit_id
             WHERE u.path LIKE '{path}%'",
            quarter(1),
            quarter(2),
            quarter(3),
            quarter(4),
        );
        let row = CultureRow::find_by_statement(Statement::from_string(self.db.get_database_backend(), sql))
            .one(&self.db)
            .await?;
        let Some(row) = row.filter(|row| row.people > 0) else { return Ok(None) };
        let count = |n: i64| u64::try_from(n).unwrap_or_default();
        let people = count(row.people);
        if !self.scope.may_see_group(&path, people) || !self.subtree_released(unit.id, &path).await? {
            return Ok(None);
        }
        let quarters = [row.q1, row.q2, row.q3, row.q4];
        Ok(Some(CultureFigures {
            people,
            dialogues_by_quarter: (1..=4u8).zip(quarters).map(|(q, n)| (Period::Quarter(year, q), count(n))).collect(),
            feedback_notes: count(row.feedback),
            self_assessed: count(row.self_assessed),
            reached_minimum_jp: count(row.reached),
            appreciations: count(row.appreciations),
            colleague_answers: count(row.answers),
            with_development_plan: count(row.planned),
            kept_development_plan: count(row.kept),
        }))
    }
}
