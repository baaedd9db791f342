//! Units, positions and employees.

use chrono::Utc;
use kinerja_domain::{Employee, Nip, PeopleError, PlacedUnit, Position, Unit, UnitCode, check_placement};
use sea_orm::sea_query::{BinOper, Expr, ExprTrait, Func, LikeExpr, Order, Query, SelectStatement};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel, JoinType, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, RelationDef,
};
use uuid::Uuid;

use crate::Store;
use crate::access::Visible;
use crate::convert::{employee_model, position_model, records, unit_model};
use crate::entity::{employee, position, unit};
use crate::error::{StoreError, StoreResult};
use crate::positional::Joined;
use crate::records::{EmployeeRecord, PositionRecord, UnitRecord, new_record_id};

/// An employee to be created, with references by natural key.
#[derive(Debug, Clone)]
pub struct NewEmployee {
    pub employee: Employee,
    pub position_code: String,
    pub unit_code: UnitCode,
    /// The direct superior and rater, if any.
    pub superior_nip: Option<Nip>,
}

/// The perangkat daerah (or kecamatan) a unit path lies in: its first unit below the root; `None` for the
/// root, where the city's own leaders work.
pub(crate) fn agency_of(path: &str) -> Option<Uuid> {
    path_ids(path).get(1).copied()
}

pub(crate) fn path_ids(path: &str) -> Vec<Uuid> {
    path.split('/').filter(|part| !part.is_empty()).filter_map(|part| part.parse().ok()).collect()
}

/// An employee's row with the row of their unit.
type EmployeeUnitRow = Joined<(employee::Model, unit::Model)>;

impl TryFrom<EmployeeUnitRow> for (EmployeeRecord, UnitRecord) {
    type Error = StoreError;
    fn try_from(Joined((employee, unit)): EmployeeUnitRow) -> StoreResult<Self> {
        Ok((employee.try_into()?, unit.try_into()?))
    }
}

/// The join from an employee to their unit.
pub(crate) fn unit_of_employee() -> RelationDef {
    employee::Entity::belongs_to(unit::Entity).from(employee::Column::UnitId).to(unit::Column::Id).into()
}

/// The ids of the units in the subtree whose root has `path`.
pub(crate) fn subtree_unit_ids(path: &str) -> SelectStatement {
    Query::select()
        .column(unit::Column::Id)
        .from(unit::Entity)
        .and_where(unit::Column::Path.starts_with(path))
        .to_owned()
}

/// The ids of the employees of the units in the subtree whose root has `path`.
pub(crate) fn subtree_employee_ids(path: &str) -> SelectStatement {
    Query::select()
        .column(employee::Column::Id)
        .from(employee::Entity)
        .and_where(Expr::col(employee::Column::UnitId).in_subquery(subtree_unit_ids(path)))
        .to_owned()
}

/// The materialised path of a unit, read within `db` (a connection or a transaction).
pub(crate) async fn unit_path_in(db: &impl ConnectionTrait, unit: &UnitRecord) -> StoreResult<String> {
    Ok(unit::Entity::find_by_id(unit.id)
        .one(db)
        .await?
        .ok_or_else(|| StoreError::not_found("unit", &unit.unit.code))?
        .path)
}

/// Whether a position is managerial (its holder heads the position's unit).
pub(crate) async fn is_managerial_position(db: &impl ConnectionTrait, position_id: Uuid) -> StoreResult<bool> {
    let position = position::Entity::find_by_id(position_id)
        .one(db)
        .await?
        .ok_or_else(|| StoreError::not_found("position", position_id))?;
    Ok(position.kind.parse::<kinerja_domain::PositionKind>().map_err(StoreError::invalid)?.is_managerial())
}

pub(crate) fn child_path(parent_path: &str, id: Uuid) -> String {
    format!("{parent_path}{id}/")
}

async fn unit_row(db: &impl ConnectionTrait, code: &UnitCode) -> StoreResult<unit::Model> {
    unit::Entity::find()
        .filter(unit::Column::Code.eq(code.as_str()))
        .one(db)
        .await?
        .ok_or_else(|| StoreError::not_found("unit", code))
}

async fn codes_of(db: &impl ConnectionTrait, ids: &[Uuid]) -> StoreResult<Vec<UnitCode>> {
    let rows = unit::Entity::find().filter(unit::Column::Id.is_in(ids.iter().copied())).all(db).await?;
    let mut codes = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(row) = rows.iter().find(|row| row.id == *id) {
            codes.push(UnitRecord::try_from(row.clone())?.unit.code);
        }
    }
    Ok(codes)
}

/// A `LIKE` pattern matching lowercase text that contains `text`, its wildcards taken literally.
fn containing(text: &str) -> LikeExpr {
    let escaped = text.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    LikeExpr::new(format!("%{escaped}%")).escape('\\')
}

/// The order of a unit's members.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MemberOrder {
    #[default]
    Nip,
    /// By name, then NIP.
    Name,
}

/// Which of a unit's members a list holds.
#[derive(Debug, Clone, Default)]
pub struct MemberFilter {
    /// Members of the whole subtree, not only of the unit itself.
    pub include_descendants: bool,
    /// Only members in positions of these kinds (all when empty).
    pub position_kinds: Vec<kinerja_domain::PositionKind>,
    /// Only members whose name contains this, ignoring case.
    pub name_contains: Option<String>,
}

/// One page of members: those after or before the member with an id (in `order`), `limit` of them from
/// the start of that range, or from its end with `from_end`.
#[derive(Debug, Clone, Default)]
pub struct MemberPage {
    pub order: MemberOrder,
    pub after: Option<Uuid>,
    pub before: Option<Uuid>,
    pub limit: u64,
    pub from_end: bool,
}

impl Store {
    /// Adds a unit under `parent` (by code); refuses a duplicate code, a missing parent and a wrong kind.
    pub async fn create_unit(&self, unit: Unit, parent: Option<&UnitCode>) -> StoreResult<UnitRecord> {
        let txn = self.write_txn().await?;
        if unit::Entity::find().filter(unit::Column::Code.eq(unit.code.as_str())).one(&txn).await?.is_some() {
            return Err(StoreError::Duplicate { entity: "unit", key: unit.code.to_string() });
        }
        let parent_row = match parent {
            Some(code) => Some(unit_row(&txn, code).await?),
            None => None,
        };
        let parent_record = parent_row.clone().map(UnitRecord::try_from).transpose()?;
        let parent_ancestors = match &parent_row {
            Some(row) => {
                let mut ids = path_ids(&row.path);
                ids.pop();
                ids.reverse();
                codes_of(&txn, &ids).await?
            }
            None => Vec::new(),
        };
        let ancestor_refs: Vec<&UnitCode> = parent_ancestors.iter().collect();
        check_placement(
            PlacedUnit { code: &unit.code, kind: unit.kind },
            parent_record.as_ref().map(|p| PlacedUnit { code: &p.unit.code, kind: p.unit.kind }),
            &ancestor_refs,
        )
        .map_err(StoreError::invalid)?;
        let id = new_record_id();
        let record = UnitRecord {
            id,
            unit,
            parent_id: parent_row.as_ref().map(|p| p.id),
            depth: parent_row.as_ref().map_or(0, |p| p.depth + 1),
        };
        let path = child_path(parent_row.as_ref().map_or("/", |p| p.path.as_str()), id);
        unit_model(&record, path, Utc::now()).into_active_model().insert(&txn).await?;
        txn.commit().await?;
        Ok(record)
    }

    /// Moves a unit (with its whole subtree) under another parent; refuses a move that would make a cycle.
    pub async fn move_unit(&self, code: &UnitCode, new_parent: &UnitCode) -> StoreResult<UnitRecord> {
        let txn = self.write_txn().await?;
        let row = unit_row(&txn, code).await?;
        let parent_row = unit_row(&txn, new_parent).await?;
        let record = UnitRecord::try_from(row.clone())?;
        let parent_record = UnitRecord::try_from(parent_row.clone())?;
        let mut ancestor_ids = path_ids(&parent_row.path);
        ancestor_ids.pop();
        ancestor_ids.reverse();
        let ancestors = codes_of(&txn, &ancestor_ids).await?;
        let ancestor_refs: Vec<&UnitCode> = ancestors.iter().collect();
        check_placement(
            PlacedUnit { code: &record.unit.code, kind: record.unit.kind },
            Some(PlacedUnit { code: &parent_record.unit.code, kind: parent_record.unit.kind }),
            &ancestor_refs,
        )
        .map_err(StoreError::invalid)?;

        let new_path = child_path(&parent_row.path, row.id);
        let depth_change = parent_row.depth + 1 - row.depth;
        // Rewrites the path prefix of the unit and every unit below it in one statement.
        let old_length = i32::try_from(row.path.len()).expect("unit paths are short");
        let update = Query::update()
            .table(unit::Entity)
            .value(
                unit::Column::Path,
                Expr::val(new_path).binary(
                    BinOper::Custom("||"),
                    Func::cust("substr").arg(Expr::col(unit::Column::Path)).arg(old_length + 1),
                ),
            )
            .value(unit::Column::Depth, Expr::col(unit::Column::Depth).add(depth_change))
            .and_where(unit::Column::Path.starts_with(&row.path))
            .to_owned();
        txn.execute(&update).await?;
        unit::Entity::update_many()
            .col_expr(unit::Column::ParentId, Expr::value(parent_row.id))
            .filter(unit::Column::Id.eq(row.id))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        Ok(UnitRecord { parent_id: Some(parent_row.id), depth: parent_row.depth + 1, ..record })
    }

    pub async fn unit_by_code(&self, code: &UnitCode) -> StoreResult<UnitRecord> {
        UnitRecord::try_from(unit_row(&self.db, code).await?)
    }

    pub async fn units_by_ids(&self, ids: &[Uuid]) -> StoreResult<Vec<UnitRecord>> {
        records(unit::Entity::find().filter(unit::Column::Id.is_in(ids.iter().copied())).all(&self.db).await?)
    }

    /// The direct children of each of `parent_ids`, ordered by name.
    pub async fn children_of_units(&self, parent_ids: &[Uuid]) -> StoreResult<Vec<UnitRecord>> {
        records(
            unit::Entity::find()
                .filter(unit::Column::ParentId.is_in(parent_ids.iter().copied()))
                .order_by_asc(unit::Column::Name)
                .all(&self.db)
                .await?,
        )
    }

    /// The ancestors of a unit, from the root down to its parent.
    pub async fn unit_ancestors(&self, id: Uuid) -> StoreResult<Vec<UnitRecord>> {
        let row = unit::Entity::find_by_id(id).one(&self.db).await?.ok_or_else(|| StoreError::not_found("unit", id))?;
        let mut ids = path_ids(&row.path);
        ids.pop();
        let mut ancestors = self.units_by_ids(&ids).await?;
        ancestors.sort_by_key(|unit| unit.depth);
        Ok(ancestors)
    }

    /// Units whose name contains `text`, ignoring case, shallowest first.
    pub async fn search_units(&self, text: &str, offset: u64, limit: u64) -> StoreResult<Vec<UnitRecord>> {
        records(
            unit::Entity::find()
                .filter(Expr::expr(Func::lower(Expr::col(unit::Column::Name))).like(containing(text)))
                .order_by_asc(unit::Column::Depth)
                .order_by_asc(unit::Column::Name)
                .order_by_asc(unit::Column::Id)
                .offset(offset)
                .limit(limit)
                .all(&self.db)
                .await?,
        )
    }

    /// How many units [`Store::search_units`] finds in all.
    pub async fn search_units_count(&self, text: &str) -> StoreResult<u64> {
        let found =
            unit::Entity::find().filter(Expr::expr(Func::lower(Expr::col(unit::Column::Name))).like(containing(text)));
        Ok(found.count(&self.db).await?)
    }

    /// Adds a position (jabatan) in a unit.
    pub async fn create_position(
        &self,
        code: &str,
        position: Position,
        unit_code: &UnitCode,
    ) -> StoreResult<PositionRecord> {
        let txn = self.write_txn().await?;
        if position::Entity::find().filter(position::Column::Code.eq(code)).one(&txn).await?.is_some() {
            return Err(StoreError::Duplicate { entity: "position", key: code.to_owned() });
        }
        let unit = unit_row(&txn, unit_code).await?;
        let record = PositionRecord { id: new_record_id(), code: code.to_owned(), position, unit_id: unit.id };
        position_model(&record).into_active_model().insert(&txn).await?;
        txn.commit().await?;
        Ok(record)
    }

    pub async fn positions_by_ids(&self, ids: &[Uuid]) -> StoreResult<Vec<PositionRecord>> {
        records(position::Entity::find().filter(position::Column::Id.is_in(ids.iter().copied())).all(&self.db).await?)
    }

    /// Adds an employee; refuses a duplicate NIP and unknown position, unit or superior.
    pub async fn create_employee(&self, new: NewEmployee) -> StoreResult<EmployeeRecord> {
        let txn = self.write_txn().await?;
        let nip = new.employee.nip.to_string();
        if employee::Entity::find().filter(employee::Column::Nip.eq(&nip)).one(&txn).await?.is_some() {
            return Err(StoreError::Duplicate { entity: "employee with NIP", key: nip });
        }
        let position = position::Entity::find()
            .filter(position::Column::Code.eq(&new.position_code))
            .one(&txn)
            .await?
            .ok_or_else(|| StoreError::not_found("position", &new.position_code))?;
        let unit = unit_row(&txn, &new.unit_code).await?;
        let superior_id = match &new.superior_nip {
            Some(superior) => Some(
                employee::Entity::find()
                    .filter(employee::Column::Nip.eq(superior.as_str()))
                    .one(&txn)
                    .await?
                    .ok_or_else(|| StoreError::not_found("superior with NIP", superior))?
                    .id,
            ),
            None => None,
        };
        let record = EmployeeRecord {
            id: new_record_id(),
            employee: new.employee,
            position_id: position.id,
            unit_id: unit.id,
            superior_id,
        };
        employee_model(&record, Utc::now()).into_active_model().insert(&txn).await?;
        txn.commit().await?;
        Ok(record)
    }

    pub(crate) fn employee_by_nip_query(&self, nip: &Nip) -> sea_orm::Select<employee::Entity> {
        employee::Entity::find()
            .filter(employee::Column::Nip.eq(nip.as_str()))
            .visible_employees(&self.scope, employee::Column::Id)
    }

    pub async fn employee_by_nip(&self, nip: &Nip) -> StoreResult<EmployeeRecord> {
        self.employee_by_nip_query(nip)
            .one(&self.db)
            .await?
            .ok_or_else(|| StoreError::not_found("employee with NIP", nip))?
            .try_into()
    }

    /// The employee with `nip` and their unit, in one statement.
    pub async fn employee_by_nip_with_unit(&self, nip: &Nip) -> StoreResult<(EmployeeRecord, UnitRecord)> {
        EmployeeUnitRow::read(self.employee_by_nip_query(nip).join(JoinType::InnerJoin, unit_of_employee()))
            .one(&self.db)
            .await?
            .ok_or_else(|| StoreError::not_found("employee with NIP", nip))?
            .try_into()
    }

    pub async fn employees_by_ids(&self, ids: &[Uuid]) -> StoreResult<Vec<EmployeeRecord>> {
        records(
            employee::Entity::find()
                .filter(employee::Column::Id.is_in(ids.iter().copied()))
                .visible_employees(&self.scope, employee::Column::Id)
                .all(&self.db)
                .await?,
        )
    }

    /// The unit's members (with its subtree's when asked) whom this handle's scope may see; with each
    /// one's unit joined in when `units_joined`.
    fn members_query(
        &self,
        unit: &UnitRecord,
        unit_path: &str,
        include_descendants: bool,
        units_joined: bool,
    ) -> sea_orm::Select<employee::Entity> {
        let mut members = employee::Entity::find();
        if units_joined {
            members = members.join(JoinType::InnerJoin, unit_of_employee());
        }
        let members = match (include_descendants, units_joined) {
            (false, _) => members.filter(employee::Column::UnitId.eq(unit.id)),
            // The joined unit's path places a member in the subtree: no second lookup of every unit.
            (true, true) => members.filter(unit::Column::Path.starts_with(unit_path)),
            (true, false) => members.filter(employee::Column::UnitId.in_subquery(subtree_unit_ids(unit_path))),
        };
        members.visible_employees(&self.scope, employee::Column::Id)
    }

    /// The materialised path of a unit (`/root/…/unit/`), which prefixes the paths of its subtree.
    pub async fn unit_path(&self, unit: &UnitRecord) -> StoreResult<String> {
        unit_path_in(&self.db, unit).await
    }

    /// The position of the member with `id` in `order`: (name, NIP) or NIP alone.
    async fn member_key(&self, id: Uuid) -> StoreResult<(String, String)> {
        let row = employee::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .ok_or_else(|| StoreError::not_found("member named by the cursor", id))?;
        Ok((row.name, row.nip))
    }

    /// One page of a unit's members, as `filter` and `page` ask, in `page.order`.
    async fn unit_members_query(
        &self,
        unit: &UnitRecord,
        filter: &MemberFilter,
        page: &MemberPage,
        units_joined: bool,
    ) -> StoreResult<sea_orm::Select<employee::Entity>> {
        let mut query = self.filtered_members(unit, filter, units_joined).await?;
        let direction = if page.from_end { Order::Desc } else { Order::Asc };
        if self.scope.masks_personal_data() {
            // Not by NIP, which is birth order (see `Scope::person_order`); names are refused upstream.
            let id = || Expr::col((employee::Entity, employee::Column::Id));
            for (bound, after) in [(BinOper::GreaterThan, page.after), (BinOper::SmallerThan, page.before)] {
                if let Some(after) = after {
                    query = query.filter(id().binary(bound, after));
                }
            }
            return Ok(query.order_by(id(), direction).limit(page.limit));
        }
        let by_name = page.order == MemberOrder::Name;
        for (bound, id) in [(BinOper::GreaterThan, page.after), (BinOper::SmallerThan, page.before)] {
            let Some(id) = id else { continue };
            let (name, nip) = self.member_key(id).await?;
            let past_nip = Expr::col((employee::Entity, employee::Column::Nip)).binary(bound, nip);
            query = query.filter(if by_name {
                let name_column = || Expr::col((employee::Entity, employee::Column::Name));
                Condition::any()
                    .add(name_column().binary(bound, name.clone()))
                    .add(Condition::all().add(name_column().eq(name)).add(past_nip))
            } else {
                Condition::all().add(past_nip)
            });
        }
        if by_name {
            query = query.order_by(Expr::col((employee::Entity, employee::Column::Name)), direction.clone());
        }
        Ok(query.order_by(Expr::col((employee::Entity, employee::Column::Nip)), direction).limit(page.limit))
    }

    /// The members of a unit (with `include_descendants`, of its subtree) that `filter` keeps.
    async fn filtered_members(
        &self,
        unit: &UnitRecord,
        filter: &MemberFilter,
        units_joined: bool,
    ) -> StoreResult<sea_orm::Select<employee::Entity>> {
        let path = if filter.include_descendants { self.unit_path(unit).await? } else { String::new() };
        let mut query = self.members_query(unit, &path, filter.include_descendants, units_joined);
        if !filter.position_kinds.is_empty() {
            let kinds: Vec<&str> = filter.position_kinds.iter().map(|kind| kind.as_str()).collect();
            let positions = Query::select()
                .column(position::Column::Id)
                .from(position::Entity)
                .and_where(position::Column::Kind.is_in(kinds))
                .to_owned();
            query = query.filter(employee::Column::PositionId.in_subquery(positions));
        }
        if let Some(text) = filter.name_contains.as_deref().map(str::trim).filter(|text| !text.is_empty()) {
            let name = Expr::expr(Func::lower(Expr::col((employee::Entity, employee::Column::Name))));
            query = query.filter(name.like(containing(text)));
        }
        Ok(query)
    }

    /// One page of a unit's members; in the page's order, also when it is taken from the end.
    pub async fn unit_members(
        &self,
        unit: &UnitRecord,
        filter: &MemberFilter,
        page: &MemberPage,
    ) -> StoreResult<Vec<EmployeeRecord>> {
        let query = self.unit_members_query(unit, filter, page, false).await?;
        let mut members: Vec<EmployeeRecord> = records(query.all(&self.db).await?)?;
        if page.from_end {
            members.reverse();
        }
        Ok(members)
    }

    /// [`Store::unit_members`] with each member's unit, in one statement.
    pub async fn unit_members_with_units(
        &self,
        unit: &UnitRecord,
        filter: &MemberFilter,
        page: &MemberPage,
    ) -> StoreResult<Vec<(EmployeeRecord, UnitRecord)>> {
        let query = self.unit_members_query(unit, filter, page, true).await?;
        let mut members: Vec<(EmployeeRecord, UnitRecord)> =
            records(EmployeeUnitRow::read(query).all(&self.db).await?)?;
        if page.from_end {
            members.reverse();
        }
        Ok(members)
    }

    /// How many members `filter` keeps, across every page.
    pub async fn unit_member_count(&self, unit: &UnitRecord, filter: &MemberFilter) -> StoreResult<u64> {
        Ok(self.filtered_members(unit, filter, false).await?.count(&self.db).await?)
    }

    /// Sets an employee's direct superior (rater); refuses a chain that would loop back to the employee.
    pub async fn set_superior(&self, nip: &Nip, superior: &Nip) -> StoreResult<EmployeeRecord> {
        let txn = self.write_txn().await?;
        let find = |nip: &Nip| employee::Entity::find().filter(employee::Column::Nip.eq(nip.as_str())).one(&txn);
        let row = find(nip).await?.ok_or_else(|| StoreError::not_found("employee with NIP", nip))?;
        let superior_row = find(superior).await?.ok_or_else(|| StoreError::not_found("superior with NIP", superior))?;
        let mut chain = vec![row.nip.clone()];
        let mut cursor = Some(superior_row.clone());
        while let Some(current) = cursor {
            chain.push(current.nip.clone());
            if current.id == row.id {
                return Err(StoreError::invalid(PeopleError::RaterCycle { chain: chain.join(" → ") }));
            }
            cursor = match current.superior_id {
                Some(next) => employee::Entity::find_by_id(next).one(&txn).await?,
                None => None,
            };
        }
        let mut active = row.clone().into_active_model();
        active.superior_id = sea_orm::Set(Some(superior_row.id));
        let updated = active.update(&txn).await?;
        txn.commit().await?;
        updated.try_into()
    }
}
