//! Kiosk tablets: a screen at the office entrance showing one work location's rotating QR code
//! (and the short code to type under it). An administrator of the location names a tablet and
//! gets a one-time pairing code, valid for ten minutes; typed on the tablet, it becomes the
//! tablet's own token — which can fetch that location's code and nothing else, and which the
//! administrator can revoke. No administrator session is left on a device in a public hall.

use crate::audit::{self, Entry};
use crate::auth::{new_token, token_hash};
use crate::{App, AppError, FieldProblem, Principal, RequestMeta, new_id, settings, throttle};
use hadir_db::entities::{kiosk, work_location};
use hadir_domain::attendance::qr;
use hadir_domain::login_throttle::ThrottlePolicy;
use hadir_domain::person as rules;
use hadir_domain::{Explain, Lang};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait};
use serde::Serialize;

/// How long a pairing code may be typed on the tablet.
const PAIRING_MS: i64 = 10 * 60 * 1000;
/// Crockford's base32, as the typed kiosk codes: nothing to misread.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct KioskView {
    pub id: String,
    pub location_id: String,
    pub name: String,
    /// `waiting` (for its pairing code), `paired`, `expired` (the code was never used) or `revoked`.
    pub state: String,
    pub created_at: i64,
    pub paired_at: Option<i64>,
    pub last_seen_at: Option<i64>,
}

impl KioskView {
    fn of(k: kiosk::Model, now_ms: i64) -> KioskView {
        let state = match (k.revoked_at, k.token_hash.is_some(), k.pairing_expires_at) {
            (Some(_), ..) => "revoked",
            (None, true, _) => "paired",
            (None, false, Some(until)) if until > now_ms => "waiting",
            _ => "expired",
        };
        KioskView {
            id: k.id,
            location_id: k.location_id,
            name: k.name,
            state: state.into(),
            created_at: k.created_at,
            paired_at: k.paired_at,
            last_seen_at: k.last_seen_at,
        }
    }
}

/// A tablet just named, with the code to type on it — shown this once.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NewKiosk {
    pub kiosk: KioskView,
    /// `ABCD-EFGH`, valid ten minutes.
    pub pairing_code: String,
    pub pairing_expires_at: i64,
}

#[derive(Clone, Copy)]
enum KioskRule {
    PairingCode,
}

impl Explain for KioskRule {
    fn code(&self) -> &'static str {
        "kiosk_pairing_code"
    }
    fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::Id => "Kode pemasangan salah atau sudah kedaluwarsa: minta kode baru dari admin".into(),
            Lang::En => "The pairing code is wrong or has expired: ask an administrator for a new one".into(),
        }
    }
}

/// A location the principal administers (its unit in their scope).
async fn administered_location(
    app: &App,
    principal: &Principal,
    location_id: &str,
) -> Result<work_location::Model, AppError> {
    work_location::Entity::find_by_id((principal.institution_id.clone(), location_id.to_string()))
        .one(&app.db)
        .await?
        .filter(|l| principal.admin_scope.covers_unit(l.unit_id.as_ref()))
        .ok_or(AppError::NotFound("work_location"))
}

/// Eight characters of the alphabet, `ABCD-EFGH`: 40 random bits.
fn pairing_code() -> Result<String, AppError> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(format!("random source: {e}")))?;
    let code: String = bytes.iter().map(|b| ALPHABET[usize::from(b & 31)] as char).collect();
    Ok(format!("{}-{}", &code[..4], &code[4..]))
}

/// The code as stored: what the tablet types is read the same way whatever its case and dashes.
fn code_hash(typed: &str) -> String {
    let code: String = typed.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect();
    token_hash(&format!("kiosk-pairing\0{code}"))
}

/// Names a tablet for a location and returns its one-time pairing code.
pub async fn create(
    app: &App,
    principal: &Principal,
    location_id: &str,
    name: &str,
    meta: &RequestMeta,
) -> Result<NewKiosk, AppError> {
    administered_location(app, principal, location_id).await?;
    let name = rules::text(name, 100).map_err(|e| AppError::Invalid(vec![FieldProblem::new("name", &e)]))?;
    let now_ms = app.now_ms();
    let code = pairing_code()?;
    let model = kiosk::Model {
        institution_id: principal.institution_id.clone(),
        id: new_id(),
        location_id: location_id.into(),
        name,
        token_hash: None,
        pairing_code_hash: Some(code_hash(&code)),
        pairing_expires_at: Some(now_ms + PAIRING_MS),
        created_by: principal.person_id.clone(),
        created_at: now_ms,
        paired_at: None,
        last_seen_at: None,
        revoked_at: None,
    };
    let txn = app.db.begin().await?;
    kiosk::Entity::insert(kiosk::ActiveModel::from(model.clone())).exec_without_returning(&txn).await?;
    audit::record(&txn, now_ms, meta, Entry::by(principal, "kiosk.create", "kiosk", Some(&model.id))).await?;
    txn.commit().await?;
    Ok(NewKiosk { pairing_expires_at: now_ms + PAIRING_MS, kiosk: KioskView::of(model, now_ms), pairing_code: code })
}

/// The tablets of a location, newest first.
pub async fn list(app: &App, principal: &Principal, location_id: &str) -> Result<Vec<KioskView>, AppError> {
    administered_location(app, principal, location_id).await?;
    let now_ms = app.now_ms();
    Ok(kiosk::Entity::find()
        .filter(kiosk::Column::InstitutionId.eq(&principal.institution_id))
        .filter(kiosk::Column::LocationId.eq(location_id))
        .order_by_desc(kiosk::Column::CreatedAt)
        .all(&app.db)
        .await?
        .into_iter()
        .map(|k| KioskView::of(k, now_ms))
        .collect())
}

/// Ends a tablet's token (or its unused pairing code) at once.
pub async fn revoke(app: &App, principal: &Principal, id: &str, meta: &RequestMeta) -> Result<KioskView, AppError> {
    let now_ms = app.now_ms();
    let current = kiosk::Entity::find_by_id((principal.institution_id.clone(), id.to_string()))
        .one(&app.db)
        .await?
        .ok_or(AppError::NotFound("kiosk"))?;
    administered_location(app, principal, &current.location_id).await.map_err(|_| AppError::NotFound("kiosk"))?;
    let model = kiosk::Model { revoked_at: Some(current.revoked_at.unwrap_or(now_ms)), ..current };
    let txn = app.db.begin().await?;
    kiosk::Entity::update(sea_orm::ActiveModelTrait::reset_all(kiosk::ActiveModel::from(model.clone())))
        .exec(&txn)
        .await?;
    audit::record(&txn, now_ms, meta, Entry::by(principal, "kiosk.revoke", "kiosk", Some(id))).await?;
    txn.commit().await?;
    Ok(KioskView::of(model, now_ms))
}

/// What a paired tablet may do: show one location's code.
#[derive(Clone, Debug)]
pub struct KioskPrincipal {
    pub institution_id: String,
    pub kiosk_id: String,
    pub location_id: String,
}

/// Pairs the tablet that typed `code`: returns its own token (for a cookie). Wrong codes count
/// against the tablet's address, as failed sign-ins do.
pub async fn pair(app: &App, code: &str, meta: &RequestMeta) -> Result<String, AppError> {
    let now = app.clock.now();
    let now_ms = now.timestamp_millis();
    let ip_key = format!("kiosk-ip:{}", meta.ip.as_deref().unwrap_or("unknown"));
    throttle::check(&app.db, &ip_key, now).await?;
    let found =
        kiosk::Entity::find().filter(kiosk::Column::PairingCodeHash.eq(code_hash(code))).one(&app.db).await?.filter(
            |k| k.revoked_at.is_none() && k.token_hash.is_none() && k.pairing_expires_at.is_some_and(|t| t > now_ms),
        );
    let Some(found) = found else {
        throttle::fail(&app.db, &ip_key, ThrottlePolicy::per_address(), now).await?;
        return Err(AppError::field("code", &KioskRule::PairingCode));
    };
    let token = new_token()?;
    let txn = app.db.begin().await?;
    // The code is spent in the same update that sets the token, so it pairs one tablet only.
    let paired = kiosk::Entity::update_many()
        .col_expr(kiosk::Column::TokenHash, Expr::value(token_hash(&token)))
        .col_expr(kiosk::Column::PairingCodeHash, Expr::value(Option::<String>::None))
        .col_expr(kiosk::Column::PairedAt, Expr::value(now_ms))
        .col_expr(kiosk::Column::LastSeenAt, Expr::value(now_ms))
        .filter(kiosk::Column::InstitutionId.eq(&found.institution_id))
        .filter(kiosk::Column::Id.eq(&found.id))
        .filter(kiosk::Column::TokenHash.is_null())
        .exec(&txn)
        .await?
        .rows_affected;
    if paired != 1 {
        return Err(AppError::field("code", &KioskRule::PairingCode));
    }
    // No account acts: the tablet pairs itself with the code an administrator handed out.
    let entry = Entry {
        institution_id: &found.institution_id,
        actor_account_id: None,
        action: "kiosk.pair",
        subject_type: "kiosk",
        subject_id: Some(&found.id),
        detail: serde_json::Value::Null,
    };
    audit::record(&txn, now_ms, meta, entry).await?;
    txn.commit().await?;
    throttle::clear(&app.db, &ip_key).await?;
    Ok(token)
}

/// The tablet a token stands for, while it is not revoked.
pub async fn authenticate(app: &App, token: &str) -> Result<KioskPrincipal, AppError> {
    let k = kiosk::Entity::find()
        .filter(kiosk::Column::TokenHash.eq(token_hash(token)))
        .one(&app.db)
        .await?
        .filter(|k| k.revoked_at.is_none())
        .ok_or(AppError::Unauthenticated)?;
    let now_ms = app.now_ms();
    // Noting that the tablet is alive at most once a minute keeps its polling a read.
    if k.last_seen_at.is_none_or(|seen| now_ms - seen > 60_000) {
        kiosk::Entity::update_many()
            .col_expr(kiosk::Column::LastSeenAt, Expr::value(now_ms))
            .filter(kiosk::Column::InstitutionId.eq(&k.institution_id))
            .filter(kiosk::Column::Id.eq(&k.id))
            .exec(&app.db)
            .await?;
    }
    Ok(KioskPrincipal { institution_id: k.institution_id, kiosk_id: k.id, location_id: k.location_id })
}

/// What a kiosk screen shows now: the location's name, the token to draw as a QR code, and the
/// code to type under it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct KioskScreen {
    pub location_name: String,
    pub token: String,
    pub typed_code: String,
    /// Unix milliseconds when the next code shows.
    pub refresh_at: i64,
}

/// The current codes for a location's kiosk.
pub(crate) async fn screen_of(app: &App, institution_id: &str, location_id: &str) -> Result<KioskScreen, AppError> {
    let location = work_location::Entity::find_by_id((institution_id.to_string(), location_id.to_string()))
        .one(&app.db)
        .await?
        .ok_or(AppError::NotFound("work_location"))?;
    let secret = settings::secret(app, institution_id, crate::attendance::QR_SECRET).await?;
    let slot = qr::slot_of(app.clock.now().timestamp());
    Ok(KioskScreen {
        location_name: location.name,
        token: qr::token(&secret, institution_id, location_id, slot),
        typed_code: qr::typed_code(&secret, institution_id, location_id, slot),
        refresh_at: (slot + 1) * qr::SLOT_SECONDS * 1000,
    })
}

/// What a paired tablet shows now.
pub async fn screen(app: &App, kiosk: &KioskPrincipal) -> Result<KioskScreen, AppError> {
    screen_of(app, &kiosk.institution_id, &kiosk.location_id).await
}

/// What an administrator's own screen shows for a location they administer (a tablet opened
/// with their session, as before pairing existed, or a preview).
pub async fn screen_for_admin(app: &App, principal: &Principal, location_id: &str) -> Result<KioskScreen, AppError> {
    administered_location(app, principal, location_id).await?;
    screen_of(app, &principal.institution_id, location_id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairing_codes_are_read_as_typed() {
        let code = pairing_code().unwrap();
        assert_eq!(code.len(), 9);
        assert_eq!(code_hash(&code), code_hash(&code.to_lowercase().replace('-', " ")));
        assert_ne!(code_hash(&code), code_hash(&pairing_code().unwrap()));
    }
}
