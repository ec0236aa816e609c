//! Signing in and out, sessions, and changing one's own password.

use crate::audit::{self, Entry};
use crate::batch::{Batcher, Job, fixed_shape};
use crate::{App, AppError, Principal, RequestMeta, new_id, throttle};
use base64::Engine;
use hadir_db::entities::{account, institution, person, role_grant, session, unit};
use hadir_domain::login_throttle::ThrottlePolicy;
use hadir_domain::password_policy::check_password;
use hadir_domain::roles::{AdminScope, Grant, Role, admin_scope};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Arc;

/// Who the session is for: a browser gets a shorter session; the phone app a long-lived token.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClientKind {
    #[default]
    Browser,
    App,
}

impl ClientKind {
    fn as_str(self) -> &'static str {
        match self {
            ClientKind::Browser => "browser",
            ClientKind::App => "app",
        }
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// NIP (or other employee number) or e-mail address.
    pub login: String,
    pub password: String,
    /// The institution's slug; needed only when the login exists in several institutions.
    #[serde(default)]
    pub institution: Option<String>,
    #[serde(default)]
    pub client: ClientKind,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LoginOutcome {
    /// Bearer token for the phone app (`Authorization: Bearer …`). Browsers use the cookie.
    pub token: String,
    pub session_id: String,
    /// Unix milliseconds.
    pub expires_at: i64,
    pub must_change_password: bool,
}

/// The SHA-256 of a token, as stored: a database leak does not hand out sessions.
pub fn token_hash(token: &str) -> String {
    // Digests format as hex in one piece (`{:x}`): this runs on every request.
    format!("{:x}", Sha256::digest(token.as_bytes()))
}

pub(crate) fn new_token() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(format!("random source: {e}")))?;
    Ok(format!("hdr_{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)))
}

/// What people type as a login: e-mail lower-cased; numbers without the spaces, dots and
/// dashes used to group a NIP.
pub(crate) fn normalise_login(login: &str) -> (Option<String>, Option<String>) {
    let trimmed = login.trim();
    if trimmed.contains('@') {
        return (None, Some(trimmed.to_lowercase()));
    }
    let compact: String = trimmed.chars().filter(|c| !c.is_whitespace()).collect();
    let digits: String = compact.chars().filter(|c| !matches!(c, '.' | '-')).collect();
    if digits.chars().all(|c| c.is_ascii_digit()) && !digits.is_empty() {
        (Some(digits), None)
    } else {
        (Some(compact), None)
    }
}

async fn candidates(app: &App, req: &LoginRequest) -> Result<Vec<(person::Model, account::Model)>, AppError> {
    let (number, email) = normalise_login(&req.login);
    let mut condition = Condition::any();
    if let Some(n) = number {
        condition = condition.add(person::Column::EmployeeNumber.eq(n));
    }
    if let Some(e) = email {
        condition = condition.add(person::Column::Email.eq(e));
    }
    let mut query = person::Entity::find().filter(condition).filter(person::Column::Status.eq("active"));
    if let Some(slug) = &req.institution {
        let Some(inst) =
            institution::Entity::find().filter(institution::Column::Slug.eq(slug.trim())).one(&app.db).await?
        else {
            return Ok(Vec::new());
        };
        query = query.filter(person::Column::InstitutionId.eq(inst.id));
    }
    let mut found = Vec::new();
    for p in query.all(&app.db).await? {
        let acc = account::Entity::find()
            .filter(account::Column::InstitutionId.eq(&p.institution_id))
            .filter(account::Column::PersonId.eq(&p.id))
            .one(&app.db)
            .await?;
        if let Some(acc) = acc {
            found.push((p, acc));
        }
    }
    Ok(found)
}

pub async fn login(app: &App, req: LoginRequest, meta: &RequestMeta) -> Result<LoginOutcome, AppError> {
    let now = app.clock.now();
    let ip_key = format!("ip:{}", meta.ip.as_deref().unwrap_or("unknown"));
    throttle::check(&app.db, &ip_key, now).await?;
    if req.login.len() > 200 || req.password.len() > 1024 {
        return Err(AppError::InvalidCredentials);
    }

    let mut found = candidates(app, &req).await?;
    if found.len() > 1 {
        return Err(AppError::InstitutionRequired);
    }
    let Some((person, acc)) = found.pop() else {
        app.passwords.verify_decoy(req.password).await;
        return Err(refused(app, &ip_key, None, now).await?);
    };
    let account_key = format!("account:{}", acc.id);
    throttle::check(&app.db, &account_key, now).await?;
    if !app.passwords.verify(req.password, acc.password_hash.clone()).await {
        return Err(refused(app, &ip_key, Some(&account_key), now).await?);
    }

    let token = new_token()?;
    let ttl = match req.client {
        ClientKind::Browser => app.settings.browser_session_ttl,
        ClientKind::App => app.settings.app_session_ttl,
    };
    let now_ms = now.timestamp_millis();
    let expires_at = now_ms + ttl.num_milliseconds();
    let session_id = new_id();
    let txn = app.db.begin().await?;
    throttle::clear(&txn, &account_key).await?;
    session::Entity::insert(session::ActiveModel {
        institution_id: Set(person.institution_id.clone()),
        id: Set(session_id.clone()),
        account_id: Set(acc.id.clone()),
        token_hash: Set(token_hash(&token)),
        client: Set(req.client.as_str().to_string()),
        user_agent: Set(meta.user_agent.as_ref().map(|ua| ua.chars().take(300).collect())),
        ip: Set(meta.ip.clone()),
        created_at: Set(now_ms),
        last_seen_at: Set(now_ms),
        expires_at: Set(expires_at),
        revoked_at: Set(None),
    })
    .exec_without_returning(&txn)
    .await?;
    audit::record(
        &txn,
        now_ms,
        meta,
        Entry {
            institution_id: &person.institution_id,
            actor_account_id: Some(&acc.id),
            action: "session.create",
            subject_type: "session",
            subject_id: Some(&session_id),
            detail: serde_json::json!({ "client": req.client.as_str() }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(LoginOutcome { token, session_id, expires_at, must_change_password: acc.must_change_password })
}

/// Counts a failed login against the address (and the account, when one was named) and says
/// why it is refused: locked now, or just wrong.
async fn refused(
    app: &App,
    ip_key: &str,
    account_key: Option<&str>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<AppError, AppError> {
    let mut locked = throttle::fail(&app.db, ip_key, ThrottlePolicy::per_address(), now).await?;
    if let Some(key) = account_key {
        locked = locked.max(throttle::fail(&app.db, key, ThrottlePolicy::per_account(), now).await?);
    }
    Ok(match locked {
        Some(minutes) => AppError::Throttled { minutes },
        None => AppError::InvalidCredentials,
    })
}

/// One row per role grant of the session's account (one row with no role if it has none).
#[derive(Clone, sea_orm::FromQueryResult)]
pub(crate) struct AuthRow {
    token_hash: String,
    session_id: String,
    institution_id: String,
    account_id: String,
    person_id: String,
    expires_at: i64,
    revoked_at: Option<i64>,
    last_seen_at: i64,
    must_change_password: bool,
    person_status: String,
    role: Option<String>,
    grant_unit_id: Option<String>,
}

/// Sessions looked up for concurrent requests together: on a morning, when nobody's principal is
/// cached yet, every check-in starts with this read, and each statement costs a hand-over to a
/// database thread and back, so everything waiting is served by one.
pub(crate) struct ReadSessions;

pub(crate) type SessionReader = Batcher<ReadSessions>;

impl Job for ReadSessions {
    /// A token's hash.
    type Request = String;
    type Answer = Vec<AuthRow>;

    async fn run(db: &DatabaseConnection, batch: &[String]) -> Vec<Result<Vec<AuthRow>, String>> {
        use sea_orm::FromQueryResult;
        let hashes = fixed_shape(batch.iter().map(String::as_str));
        let statement = db.get_database_backend().build(&auth_query(&hashes));
        let rows = match AuthRow::find_by_statement(statement).all(db).await {
            Ok(rows) => rows,
            Err(err) => return batch.iter().map(|_| Err(err.to_string())).collect(),
        };
        let mut of_hash: HashMap<String, Vec<AuthRow>> = HashMap::new();
        for row in rows {
            of_hash.entry(row.token_hash.clone()).or_default().push(row);
        }
        // Cloned, not moved out: the same token may be waiting twice.
        batch.iter().map(|hash| Ok(of_hash.get(hash).cloned().unwrap_or_default())).collect()
    }
}

/// Session, account, person and grants in one query: this runs on every authenticated request
/// whose principal is not cached.
fn auth_query(token_hashes: &[&str]) -> sea_orm::sea_query::SelectStatement {
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    let same = |left: (account::Entity, account::Column), right: (session::Entity, session::Column)| {
        Expr::col(left).equals(right)
    };
    Query::select()
        .expr_as(Expr::col((session::Entity, session::Column::TokenHash)), "token_hash")
        .expr_as(Expr::col((session::Entity, session::Column::Id)), "session_id")
        .expr_as(Expr::col((session::Entity, session::Column::InstitutionId)), "institution_id")
        .expr_as(Expr::col((session::Entity, session::Column::AccountId)), "account_id")
        .expr_as(Expr::col((account::Entity, account::Column::PersonId)), "person_id")
        .expr_as(Expr::col((session::Entity, session::Column::ExpiresAt)), "expires_at")
        .expr_as(Expr::col((session::Entity, session::Column::RevokedAt)), "revoked_at")
        .expr_as(Expr::col((session::Entity, session::Column::LastSeenAt)), "last_seen_at")
        .expr_as(Expr::col((account::Entity, account::Column::MustChangePassword)), "must_change_password")
        .expr_as(Expr::col((person::Entity, person::Column::Status)), "person_status")
        .expr_as(Expr::col((role_grant::Entity, role_grant::Column::Role)), "role")
        .expr_as(Expr::col((role_grant::Entity, role_grant::Column::UnitId)), "grant_unit_id")
        .from(session::Entity)
        .inner_join(
            account::Entity,
            same((account::Entity, account::Column::InstitutionId), (session::Entity, session::Column::InstitutionId))
                .and(same((account::Entity, account::Column::Id), (session::Entity, session::Column::AccountId))),
        )
        .inner_join(
            person::Entity,
            Expr::col((person::Entity, person::Column::InstitutionId))
                .equals((account::Entity, account::Column::InstitutionId))
                .and(
                    Expr::col((person::Entity, person::Column::Id))
                        .equals((account::Entity, account::Column::PersonId)),
                ),
        )
        .left_join(
            role_grant::Entity,
            Expr::col((role_grant::Entity, role_grant::Column::InstitutionId))
                .equals((account::Entity, account::Column::InstitutionId))
                .and(
                    Expr::col((role_grant::Entity, role_grant::Column::AccountId))
                        .equals((account::Entity, account::Column::Id)),
                ),
        )
        .and_where(Expr::col((session::Entity, session::Column::TokenHash)).is_in(token_hashes.iter().copied()))
        .to_owned()
}

/// Resolves a token to its principal, or `Unauthenticated` if it is unknown, revoked, expired,
/// or its person is no longer active.
pub async fn authenticate(app: &App, token: &str) -> Result<Arc<Principal>, AppError> {
    let now_ms = app.now_ms();
    let hash = token_hash(token);
    if let Some((principal, expires_at)) = app.principals.get(&hash)
        && expires_at > now_ms
    {
        return Ok(principal);
    }
    let rows = app
        .session_reader
        .call(&app.db, hash.clone())
        .await
        .map_err(|e| AppError::Internal(format!("reading the session: {e}")))?;
    let first = rows
        .first()
        .filter(|r| r.revoked_at.is_none() && r.expires_at > now_ms && r.person_status == "active")
        .ok_or(AppError::Unauthenticated)?;
    if now_ms - first.last_seen_at > 60_000 {
        crate::session_activity::record(app, &first.institution_id, &first.session_id, now_ms).await?;
    }
    let grants: Vec<Grant<String>> = rows
        .iter()
        .filter_map(|r| {
            r.role.as_deref().and_then(Role::parse).map(|role| Grant { role, unit: r.grant_unit_id.clone() })
        })
        .collect();
    let admin_scope = scope_of(&app.db, &first.institution_id, &grants).await?;
    let principal = Arc::new(Principal {
        institution_id: first.institution_id.clone(),
        account_id: first.account_id.clone(),
        person_id: first.person_id.clone(),
        session_id: first.session_id.clone(),
        grants,
        admin_scope,
        must_change_password: first.must_change_password,
    });
    app.principals.put(hash, (Arc::clone(&principal), first.expires_at));
    Ok(principal)
}

/// The principal an account stands for now, without a session: for work done on its behalf
/// later. A queued export runs with the rights its requester has when it runs, so a revoked
/// role or a deactivated person stops it (`Forbidden`).
pub(crate) async fn principal_of_account(
    app: &App,
    institution_id: &str,
    account_id: &str,
) -> Result<Principal, AppError> {
    let account = account::Entity::find_by_id((institution_id.to_string(), account_id.to_string()))
        .one(&app.db)
        .await?
        .ok_or(AppError::Forbidden)?;
    let person = person::Entity::find_by_id((institution_id.to_string(), account.person_id.clone()))
        .one(&app.db)
        .await?
        .filter(|p| p.status == "active")
        .ok_or(AppError::Forbidden)?;
    let grants = grants_of(&app.db, institution_id, account_id).await?;
    let admin_scope = scope_of(&app.db, institution_id, &grants).await?;
    Ok(Principal {
        institution_id: institution_id.to_string(),
        account_id: account.id,
        person_id: person.id,
        session_id: String::new(),
        grants,
        admin_scope,
        must_change_password: account.must_change_password,
    })
}

/// How long a process trusts a session it resolved: every request needs one. A sign-out, a
/// password or role change, or a person's deactivation through this process applies at once
/// (see [`forget_principals`]); through another process, within this time.
pub(crate) const PRINCIPAL_TTL: std::time::Duration = std::time::Duration::from_secs(5);

/// Called after any change to sessions, accounts, role grants, people's status or the unit tree:
/// they decide who a token stands for and what it may do.
pub(crate) fn forget_principals(app: &App) {
    app.principals.forget(|_| true);
}

pub(crate) async fn grants_of(
    conn: &impl ConnectionTrait,
    institution_id: &str,
    account_id: &str,
) -> Result<Vec<Grant<String>>, AppError> {
    Ok(role_grant::Entity::find()
        .filter(role_grant::Column::InstitutionId.eq(institution_id))
        .filter(role_grant::Column::AccountId.eq(account_id))
        .all(conn)
        .await?
        .into_iter()
        .filter_map(|g| Role::parse(&g.role).map(|role| Grant { role, unit: g.unit_id }))
        .collect())
}

async fn scope_of(
    conn: &impl ConnectionTrait,
    institution_id: &str,
    grants: &[Grant<String>],
) -> Result<AdminScope<String>, AppError> {
    // The unit tree is needed only to expand unit-scoped grants.
    let parents = if grants.iter().any(|g| g.role == Role::UnitAdmin) {
        unit_parents(conn, institution_id).await?
    } else {
        HashMap::new()
    };
    Ok(admin_scope(grants, &parents))
}

pub(crate) async fn unit_parents(
    conn: &impl ConnectionTrait,
    institution_id: &str,
) -> Result<HashMap<String, Option<String>>, AppError> {
    Ok(unit::Entity::find()
        .filter(unit::Column::InstitutionId.eq(institution_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u.parent_id))
        .collect())
}

pub async fn logout(app: &App, principal: &Principal, meta: &RequestMeta) -> Result<(), AppError> {
    revoke(app, principal, &principal.session_id, meta).await
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SessionView {
    pub id: String,
    pub client: ClientKind,
    pub user_agent: Option<String>,
    pub ip: Option<String>,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
    /// Whether this is the session making the request.
    pub current: bool,
}

/// The principal's own live sessions, newest first.
pub async fn list_sessions(app: &App, principal: &Principal) -> Result<Vec<SessionView>, AppError> {
    let now_ms = app.now_ms();
    Ok(session::Entity::find()
        .filter(session::Column::InstitutionId.eq(&principal.institution_id))
        .filter(session::Column::AccountId.eq(&principal.account_id))
        .filter(session::Column::RevokedAt.is_null())
        .filter(session::Column::ExpiresAt.gt(now_ms))
        .order_by_desc(session::Column::CreatedAt)
        .all(&app.db)
        .await?
        .into_iter()
        .map(|s| SessionView {
            current: s.id == principal.session_id,
            client: if s.client == "app" { ClientKind::App } else { ClientKind::Browser },
            id: s.id,
            user_agent: s.user_agent,
            ip: s.ip,
            created_at: s.created_at,
            last_seen_at: s.last_seen_at,
            expires_at: s.expires_at,
        })
        .collect())
}

/// Revokes one of the principal's own sessions; anyone else's is "not found".
pub async fn revoke(app: &App, principal: &Principal, session_id: &str, meta: &RequestMeta) -> Result<(), AppError> {
    let now_ms = app.now_ms();
    let txn = app.db.begin().await?;
    let sess = session::Entity::find_by_id((principal.institution_id.clone(), session_id.to_string()))
        .one(&txn)
        .await?
        .filter(|s| s.account_id == principal.account_id && s.revoked_at.is_none())
        .ok_or(AppError::NotFound("session"))?;
    let mut active = sess.into_active_model();
    active.revoked_at = Set(Some(now_ms));
    active.update(&txn).await?;
    audit::record(&txn, now_ms, meta, Entry::by(principal, "session.revoke", "session", Some(session_id))).await?;
    txn.commit().await?;
    forget_principals(app);
    Ok(())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    pub old_password: String,
    pub new_password: String,
}

/// Changes the principal's password. The old one is required; every other session is revoked,
/// so a stolen session dies with the old password.
pub async fn change_password(
    app: &App,
    principal: &Principal,
    req: ChangePassword,
    meta: &RequestMeta,
) -> Result<(), AppError> {
    let acc = account::Entity::find_by_id((principal.institution_id.clone(), principal.account_id.clone()))
        .one(&app.db)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let person = person::Entity::find_by_id((principal.institution_id.clone(), principal.person_id.clone()))
        .one(&app.db)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if !app.passwords.verify(req.old_password, acc.password_hash.clone()).await {
        return Err(AppError::field("old_password", &crate::Rule::OldPasswordWrong));
    }
    check_new_password("new_password", &req.new_password, &person)?;
    let hash = app.passwords.hash(req.new_password).await;

    let now_ms = app.now_ms();
    let txn = app.db.begin().await?;
    let mut active = acc.into_active_model();
    active.password_hash = Set(hash);
    active.must_change_password = Set(false);
    active.password_changed_at = Set(now_ms);
    active.update(&txn).await?;
    revoke_sessions(&txn, &principal.institution_id, &principal.account_id, Some(&principal.session_id), now_ms)
        .await?;
    audit::record(
        &txn,
        now_ms,
        meta,
        Entry::by(principal, "account.change_password", "account", Some(&principal.account_id)),
    )
    .await?;
    txn.commit().await?;
    forget_principals(app);
    Ok(())
}

/// The strength rule, with the person's own identifiers as the words to avoid.
pub(crate) fn check_new_password(field: &str, candidate: &str, person: &person::Model) -> Result<(), AppError> {
    let mut personal = vec![person.employee_number.as_str(), person.full_name.as_str()];
    if let Some(email) = &person.email {
        personal.push(email);
    }
    check_password(candidate, &personal).map_err(|e| AppError::field(field, &e))
}

/// Revokes every live session of an account except `keep`.
pub(crate) async fn revoke_sessions(
    conn: &impl ConnectionTrait,
    institution_id: &str,
    account_id: &str,
    keep: Option<&str>,
    now_ms: i64,
) -> Result<(), AppError> {
    let mut update = session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, sea_orm::sea_query::Expr::value(now_ms))
        .filter(session::Column::InstitutionId.eq(institution_id))
        .filter(session::Column::AccountId.eq(account_id))
        .filter(session::Column::RevokedAt.is_null());
    if let Some(keep) = keep {
        update = update.filter(session::Column::Id.ne(keep));
    }
    update.exec(conn).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_are_normalised() {
        assert_eq!(normalise_login(" 19850312 201001 1 002 "), (Some("198503122010011002".into()), None));
        assert_eq!(normalise_login("Budi@Example.GO.ID"), (None, Some("budi@example.go.id".into())));
        assert_eq!(normalise_login("THL/2024/017"), (Some("THL/2024/017".into()), None));
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let (a, b) = (new_token().unwrap(), new_token().unwrap());
        assert_ne!(a, b);
        assert!(a.starts_with("hdr_") && a.len() == 47);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), token_hash(&b));
        // The stored form: lower-case hex of SHA-256 (FIPS 180-2's "abc" vector).
        assert_eq!(token_hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
