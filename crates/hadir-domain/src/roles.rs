//! Roles and what each lets an account reach. Least privilege: every role reaches only what its
//! purpose needs, and unit-scoped grants reach only that unit and the units below it.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use std::hash::Hash;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Role {
    Employee,
    Supervisor,
    UnitAdmin,
    InstitutionAdmin,
    /// Data protection officer (UU PDP Ps 53): privacy registers and requests, nothing else.
    Dpo,
    /// Operator of the whole installation: creates institutions.
    Superadmin,
}

impl Role {
    pub const ALL: [Role; 6] =
        [Role::Employee, Role::Supervisor, Role::UnitAdmin, Role::InstitutionAdmin, Role::Dpo, Role::Superadmin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Employee => "employee",
            Role::Supervisor => "supervisor",
            Role::UnitAdmin => "unit_admin",
            Role::InstitutionAdmin => "institution_admin",
            Role::Dpo => "dpo",
            Role::Superadmin => "superadmin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Whether a grant of this role must name a unit (a unit admin administers *a* unit).
    pub fn needs_unit(self) -> bool {
        self == Role::UnitAdmin
    }

    /// Whether a grant of this role may name a unit at all.
    pub fn may_have_unit(self) -> bool {
        matches!(self, Role::UnitAdmin | Role::Supervisor)
    }
}

/// One role granted to an account, optionally limited to a unit (and the units below it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant<U> {
    pub role: Role,
    pub unit: Option<U>,
}

/// Which people and units an account may administer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AdminScope<U: Ord> {
    None,
    /// These units and everything below them.
    Units(BTreeSet<U>),
    Institution,
}

impl<U: Ord> AdminScope<U> {
    pub fn covers_unit(&self, unit: Option<&U>) -> bool {
        match (self, unit) {
            (AdminScope::Institution, _) => true,
            (AdminScope::Units(units), Some(u)) => units.contains(u),
            _ => false,
        }
    }
}

/// The administration scope that a set of grants gives, with unit grants expanded down the tree.
/// `parents` maps each unit of the institution to its parent.
pub fn admin_scope<U: Ord + Hash + Clone>(grants: &[Grant<U>], parents: &HashMap<U, Option<U>>) -> AdminScope<U> {
    if grants.iter().any(|g| matches!(g.role, Role::InstitutionAdmin | Role::Superadmin)) {
        return AdminScope::Institution;
    }
    let roots: Vec<U> = grants.iter().filter(|g| g.role == Role::UnitAdmin).filter_map(|g| g.unit.clone()).collect();
    if roots.is_empty() {
        return AdminScope::None;
    }
    AdminScope::Units(subtree(&roots, parents))
}

/// `roots` and every unit below them. A unit whose parent chain loops is never below anything,
/// so a corrupted tree cannot widen a scope.
pub fn subtree<U: Ord + Hash + Clone>(roots: &[U], parents: &HashMap<U, Option<U>>) -> BTreeSet<U> {
    let mut out: BTreeSet<U> = roots.iter().cloned().collect();
    for unit in parents.keys() {
        let mut seen = 0;
        let mut cursor = parents.get(unit).cloned().flatten();
        while let Some(ancestor) = cursor {
            if roots.contains(&ancestor) {
                out.insert(unit.clone());
                break;
            }
            seen += 1;
            if seen > parents.len() {
                break;
            }
            cursor = parents.get(&ancestor).cloned().flatten();
        }
    }
    out
}

/// The unit `level` steps from the top of `unit`'s branch (1: its top unit, an OPD; 2: the unit
/// below that on the way to `unit`): where a report adds `unit`'s people up. A unit nearer the
/// top than `level` is its own; so is one whose parent chain loops.
pub fn ancestor_at_level<U: Eq + Hash + Clone>(unit: &U, level: usize, parents: &HashMap<U, Option<U>>) -> U {
    let mut chain = vec![unit.clone()];
    let mut cursor = parents.get(unit).cloned().flatten();
    while let Some(parent) = cursor {
        if chain.contains(&parent) {
            return unit.clone();
        }
        chain.push(parent.clone());
        cursor = parents.get(&parent).cloned().flatten();
    }
    // `chain` runs from `unit` up to the top: the unit at `level` is that many from its end.
    match level {
        0 => unit.clone(),
        _ => chain.len().checked_sub(level).map_or_else(|| unit.clone(), |i| chain[i].clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_unit_rolls_up_to_its_ancestor_at_a_level() {
        let t = tree();
        assert_eq!(ancestor_at_level(&"seksi-a1", 1, &t), "dinas");
        assert_eq!(ancestor_at_level(&"seksi-a1", 2, &t), "bidang-a");
        assert_eq!(ancestor_at_level(&"seksi-a1", 3, &t), "seksi-a1");
        assert_eq!(ancestor_at_level(&"bidang-b", 3, &t), "bidang-b", "nearer the top than the level: itself");
        assert_eq!(ancestor_at_level(&"other", 1, &t), "other");
        let looped = HashMap::from([("a", Some("b")), ("b", Some("a"))]);
        assert_eq!(ancestor_at_level(&"a", 1, &looped), "a", "a loop rolls up nowhere");
    }

    fn tree() -> HashMap<&'static str, Option<&'static str>> {
        HashMap::from([
            ("dinas", None),
            ("bidang-a", Some("dinas")),
            ("seksi-a1", Some("bidang-a")),
            ("bidang-b", Some("dinas")),
            ("other", None),
        ])
    }

    #[test]
    fn role_names_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn unit_admin_reaches_its_subtree_only() {
        let grants = [Grant { role: Role::UnitAdmin, unit: Some("bidang-a") }];
        let scope = admin_scope(&grants, &tree());
        assert!(scope.covers_unit(Some(&"bidang-a")));
        assert!(scope.covers_unit(Some(&"seksi-a1")));
        assert!(!scope.covers_unit(Some(&"dinas")));
        assert!(!scope.covers_unit(Some(&"bidang-b")));
        assert!(!scope.covers_unit(None));
    }

    #[test]
    fn employees_and_supervisors_administer_nothing() {
        let grants = [
            Grant { role: Role::Employee, unit: None },
            Grant { role: Role::Supervisor, unit: Some("dinas") },
            Grant { role: Role::Dpo, unit: None },
        ];
        assert_eq!(admin_scope(&grants, &tree()), AdminScope::None);
    }

    #[test]
    fn institution_admin_reaches_everything() {
        let grants = [Grant { role: Role::InstitutionAdmin, unit: None }];
        assert_eq!(admin_scope(&grants, &tree()), AdminScope::Institution);
    }

    #[test]
    fn a_loop_in_the_tree_does_not_hang_or_widen() {
        let looped = HashMap::from([("x", Some("y")), ("y", Some("x")), ("z", None)]);
        let set = subtree(&["z"], &looped);
        assert_eq!(set.into_iter().collect::<Vec<_>>(), vec!["z"]);
    }
}
