//! What a caller who reads records masked (an analyst) sees of each person: the unit their record is
//! shown under and their quasi-identifiers as released, by the domain's disclosure rules over the whole
//! agency. Worked out from every employee at once and kept for a short while, since each masked read
//! needs it and the organisation changes seldom.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kinerja_domain::{Nip, PositionKind, QuasiIdentifiers, Rank, Released, ReleasedUnits, generalise, released_units};
use sea_orm::{EntityTrait, QuerySelect, TransactionTrait};
use uuid::Uuid;

use crate::convert::sex_text;
use crate::entity::{employee, position, released_record, unit};
use crate::{Store, StoreError, StoreResult};

/// How long a worked-out release serves masked reads before it is worked out again.
const RELEASE_LIFETIME: Duration = Duration::from_secs(30);

/// The release of every record to callers who read them masked.
#[derive(Debug)]
pub struct Release {
    units: ReleasedUnits<Uuid>,
    people: HashMap<Uuid, Released>,
    /// Each person's own unit.
    unit_of: HashMap<Uuid, Uuid>,
}

impl Release {
    /// The unit a record of `unit` is shown under: the unit itself, or the nearest one above it that
    /// holds enough people.
    pub fn shown_unit(&self, unit: Uuid) -> Uuid {
        self.units.shown_as.get(&unit).copied().unwrap_or(unit)
    }

    /// A person's quasi-identifiers as released; all withheld for someone unknown.
    pub fn person(&self, employee: Uuid) -> Released {
        self.people.get(&employee).cloned().unwrap_or_default()
    }

    /// Whether the records of `unit` (with `subtree`, of all below it) may be listed one by one.
    pub fn may_list(&self, unit: Uuid, subtree: bool) -> bool {
        if subtree { self.units.listable.contains(&unit) } else { self.units.directly_listable.contains(&unit) }
    }
}

/// The last release worked out, shared by every scoped handle of one store.
#[derive(Debug, Default)]
pub(crate) struct ReleaseCache(Mutex<Option<(Instant, u32, Arc<Release>)>>);

impl Store {
    /// The release of records to callers who read them masked, at the caller's minimum group size.
    pub async fn release(&self) -> StoreResult<Arc<Release>> {
        let min_group = self.scope.min_group();
        if let Some((made, size, release)) = self.release.0.lock().expect("release cache").as_ref()
            && *size == min_group
            && made.elapsed() < RELEASE_LIFETIME
        {
            return Ok(release.clone());
        }
        // Worked out without the lock held: two requests at once may both do it, and either result serves.
        let release = Arc::new(self.work_out_release(min_group).await?);
        *self.release.0.lock().expect("release cache") = Some((Instant::now(), min_group, release.clone()));
        Ok(release)
    }

    /// Whether a figure of the subtree of `unit` (at `path`) may be shown to the caller beside those of
    /// the units around it: within the caller's reach always; otherwise only where the subtree is a cell
    /// its parent's partition by headcount releases, so that the parent's figure less its children's
    /// does not single out the parent's own few members.
    pub(crate) async fn subtree_released(&self, unit: Uuid, path: &str) -> StoreResult<bool> {
        Ok(self.scope.covers_unit(path) || self.release().await?.may_list(unit, true))
    }

    /// Rewrites the released records that the masked BI views read, at `min_group`, in one transaction;
    /// returns how many people it holds. A person added since is left out of those views until the next.
    pub async fn publish_release(&self, min_group: u32) -> StoreResult<usize> {
        let release = self.work_out_release(min_group.max(1)).await?;
        let upper = |text: &str| text.to_uppercase();
        let rows: Vec<released_record::ActiveModel> = release
            .people
            .iter()
            .map(|(&employee, released)| {
                released_record::ActiveModel::from(released_record::Model {
                    employee_id: employee,
                    shown_unit_id: release.shown_unit(release.unit_of[&employee]),
                    position_kind: released.kind.map(|kind| upper(kind.as_str())),
                    position_category: released.category.map(|category| upper(category.as_str())),
                    rank: released.rank.clone(),
                    employment_type: released.employment.map(|employment| upper(employment.as_str())),
                    sex: released.sex.map(|sex| upper(sex_text(sex))),
                    birth_decade: released.birth_decade,
                    service_decade: released.service_decade,
                })
            })
            .collect();
        let txn = self.db.pool().begin().await?;
        released_record::Entity::delete_many().exec(&txn).await?;
        for chunk in rows.chunks(500) {
            released_record::Entity::insert_many(chunk.to_vec()).exec_without_returning(&txn).await?;
        }
        txn.commit().await?;
        Ok(rows.len())
    }

    async fn work_out_release(&self, min_group: u32) -> StoreResult<Release> {
        let units: Vec<(Uuid, Option<Uuid>)> = unit::Entity::find()
            .select_only()
            .columns([unit::Column::Id, unit::Column::ParentId])
            .into_tuple()
            .all(&self.db)
            .await?;
        let kinds: HashMap<Uuid, String> = position::Entity::find()
            .select_only()
            .columns([position::Column::Id, position::Column::Kind])
            .into_tuple::<(Uuid, String)>()
            .all(&self.db)
            .await?
            .into_iter()
            .collect();
        let employees: Vec<(Uuid, Uuid, Uuid, String, String)> = employee::Entity::find()
            .select_only()
            .columns([
                employee::Column::Id,
                employee::Column::UnitId,
                employee::Column::PositionId,
                employee::Column::Rank,
                employee::Column::Nip,
            ])
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut members: HashMap<Uuid, u64> = HashMap::new();
        for (_, unit, ..) in &employees {
            *members.entry(*unit).or_default() += 1;
        }
        let units = released_units(&units, &members, u64::from(min_group));
        let unit_of = employees.iter().map(|(id, unit, ..)| (*id, *unit)).collect();
        let mut groups: HashMap<Uuid, (Vec<Uuid>, Vec<QuasiIdentifiers>)> = HashMap::new();
        for (id, unit, position, rank, nip) in employees {
            let corrupt = |what: &str| StoreError::Corrupt {
                table: "employee",
                id: id.to_string(),
                reason: format!("has {what}"),
            };
            let kind = kinds.get(&position).ok_or_else(|| corrupt("no position"))?;
            let kind: PositionKind = kind.parse().map_err(|_| corrupt("an unknown position kind"))?;
            let rank: Rank = rank.parse().map_err(|_| corrupt("an unknown rank"))?;
            let nip = Nip::parse(&nip).map_err(|_| corrupt("a malformed NIP"))?;
            let person = QuasiIdentifiers {
                kind,
                rank,
                sex: nip.sex(),
                birth_year: chrono::Datelike::year(&nip.birth_date()),
                service_year: chrono::Datelike::year(&nip.service_start()),
            };
            let group = groups.entry(units.shown_as.get(&unit).copied().unwrap_or(unit)).or_default();
            group.0.push(id);
            group.1.push(person);
        }
        let mut people = HashMap::new();
        for (ids, group) in groups.into_values() {
            people.extend(ids.into_iter().zip(generalise(&group, min_group as usize)));
        }
        Ok(Release { units, people, unit_of })
    }
}
