//! Granting the roles that reach beyond one's own work. The rules (which roles need a grant, which may
//! be limited to a subtree, that the last HR administrator stays) are the domain's and the store's; the
//! gateway and the command line both come through here.

use kinerja_domain::{Nip, Role, UnitCode};
use kinerja_store::{Actor, RoleGrantRecord, Store};

use crate::AppResult;

/// Grants `role` to the employee with `nip`; `actor` is `None` on the server's command line.
pub async fn grant_role(
    store: &Store,
    actor: Option<&Actor>,
    nip: &Nip,
    role: Role,
    unit: Option<&UnitCode>,
) -> AppResult<RoleGrantRecord> {
    Ok(store.grant_role(actor, nip, role, unit).await?)
}

/// Revokes the employee's grant of `role`.
pub async fn revoke_role(store: &Store, actor: Option<&Actor>, nip: &Nip, role: Role) -> AppResult<()> {
    Ok(store.revoke_role(actor, nip, role).await?)
}
