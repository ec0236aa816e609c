//! Who is asking: the signed-in account, its institution and roles.

use hadir_domain::roles::{AdminScope, Grant, Role};

#[derive(Clone, Debug)]
pub struct Principal {
    pub institution_id: String,
    pub account_id: String,
    pub person_id: String,
    pub session_id: String,
    pub grants: Vec<Grant<String>>,
    pub admin_scope: AdminScope<String>,
    pub must_change_password: bool,
}

impl Principal {
    /// The installation's operator acting from the command line on one institution: full
    /// rights there, recorded in the audit log as the actor `operator`.
    pub fn operator(institution_id: &str) -> Principal {
        Principal {
            institution_id: institution_id.to_string(),
            account_id: "operator".into(),
            person_id: String::new(),
            session_id: String::new(),
            grants: vec![Grant { role: Role::Superadmin, unit: None }],
            admin_scope: AdminScope::Institution,
            must_change_password: false,
        }
    }

    pub fn has(&self, role: Role) -> bool {
        self.grants.iter().any(|g| g.role == role)
    }

    /// Distinct roles, in a stable order.
    pub fn roles(&self) -> Vec<Role> {
        let mut roles: Vec<Role> = self.grants.iter().map(|g| g.role).collect();
        roles.sort();
        roles.dedup();
        roles
    }

    pub fn is_admin(&self) -> bool {
        self.admin_scope != AdminScope::None
    }

    /// Whether the principal decides for this person — approves their leave, WFH point and
    /// flagged check-ins, assigns them duty: their direct supervisor or an administrator of their
    /// unit, never the person themself.
    pub fn manages(&self, person: &hadir_db::entities::person::Model) -> bool {
        person.id != self.person_id
            && (self.supervises(person) || self.admin_scope.covers_unit(person.unit_id.as_ref()))
    }

    pub fn supervises(&self, person: &hadir_db::entities::person::Model) -> bool {
        person.supervisor_id.as_deref() == Some(self.person_id.as_str())
    }

    /// Institution-wide administration: institution admins and superadmins.
    pub fn is_institution_admin(&self) -> bool {
        self.admin_scope == AdminScope::Institution
    }

    /// The privacy desk (data-subject requests, retention preview, legal holds): the data
    /// protection officer, or an institution administrator where none is appointed.
    pub fn is_privacy_officer(&self) -> bool {
        self.has(Role::Dpo) || self.is_institution_admin()
    }
}

/// Facts about the request that the audit trail and sessions record.
#[derive(Clone, Debug, Default)]
pub struct RequestMeta {
    pub request_id: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}
