//! The command line. Flags given after a subcommand override `hadir.toml` and `HADIR_*`
//! environment variables (see [`crate::config`]).

use clap::{Args, Parser, Subcommand};
use hadir_domain::person::EmploymentType;
use hadir_domain::roles::Role;
use hadir_domain::time_zone::WorkZone;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "hadir",
    version,
    about = "Hadir — presensi dan kinerja: attendance and performance for Indonesian institutions"
)]
pub struct Cli {
    /// Configuration file (default: ./hadir.toml when it exists).
    #[arg(long, global = true, env = "HADIR_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

/// Where the data lives; shared by every command that opens the database.
#[derive(Debug, Default, Clone, Args)]
pub struct StorageArgs {
    /// Folder for the SQLite database and the photo store [env: HADIR_DATA_DIR] [default: ./hadir-data]
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// sqlite://… or postgres://… [env: HADIR_DATABASE_URL] [default: SQLite in the data folder]
    #[arg(long)]
    pub database_url: Option<String>,
    /// A folder, s3://bucket[/prefix] (AWS_* variables), or memory:// [env: HADIR_OBJECT_STORE] [default: objects/ in the data folder]
    #[arg(long)]
    pub object_store: Option<String>,
}

#[derive(Debug, Default, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on [env: HADIR_LISTEN] [default: 127.0.0.1:8080]
    #[arg(long)]
    pub listen: Option<SocketAddr>,
    #[command(flatten)]
    pub storage: StorageArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server: applies migrations, then serves until SIGTERM or Ctrl-C.
    Serve(ServeArgs),
    /// Create the demo institution (Pemerintah Provinsi Bengkulu) and print its logins.
    Demo {
        /// Serve right after seeding.
        #[arg(long)]
        serve: bool,
        #[command(flatten)]
        args: ServeArgs,
    },
    /// Apply pending database migrations and exit.
    Migrate(StorageArgs),
    /// Check the configuration, the database and the object store, and print what would be used.
    CheckConfig(ServeArgs),
    /// Administration from the command line (acts as the operator; recorded in the audit log).
    #[command(subcommand)]
    Admin(AdminCommand),
    /// The tamper-evident audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// The encryption keys of specific personal data (NIK, health documents).
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Apply every institution's retention schedule now (the server also does it nightly).
    Retention {
        /// Only report what would be removed, and what legal holds keep.
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        storage: StorageArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Add a new current key to the key file and re-seal every sealed value with it. Older keys
    /// stay in the file (remove them by hand once every process runs with the new file).
    Rotate(StorageArgs),
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Walk every institution's audit chain; report the first broken link and exit with status 1
    /// if any entry was changed, removed or cut off.
    Verify(StorageArgs),
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an institution (tenant).
    CreateInstitution {
        /// Lower-case letters, digits and '-'; people name it when signing in to several institutions.
        #[arg(long)]
        slug: String,
        #[arg(long)]
        name: String,
        /// government, school, pesantren or company.
        #[arg(long, default_value = "government")]
        kind: String,
        /// Asia/Jakarta, Asia/Pontianak, Asia/Makassar or Asia/Jayapura.
        #[arg(long, default_value = "Asia/Jakarta", value_parser = parse_zone)]
        time_zone: WorkZone,
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Create a person with a login and roles in an institution.
    CreateUser {
        /// The institution's slug.
        #[arg(long)]
        institution: String,
        /// asn (NIP), pppk (NI PPPK), non_asn (own number) or student (NISN).
        #[arg(long, value_parser = parse_employment_type)]
        employment_type: EmploymentType,
        #[arg(long)]
        employee_number: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: Option<String>,
        /// Code of the person's unit (e.g. BKD.1).
        #[arg(long)]
        unit: Option<String>,
        /// Roles beyond `employee`: supervisor, unit_admin (needs --unit), institution_admin, dpo, superadmin.
        #[arg(long = "role", value_parser = parse_role)]
        roles: Vec<Role>,
        /// Read the password from the first line of standard input; otherwise one is generated
        /// and printed once, to be changed at first sign-in.
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Set a new password for a login (NIP or e-mail); all its sessions end.
    ResetPassword {
        #[arg(long)]
        institution: String,
        /// NIP (or other employee number) or e-mail.
        #[arg(long)]
        login: String,
        /// Read the password from standard input; otherwise one is generated and printed once.
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        storage: StorageArgs,
    },
}

fn parse_zone(s: &str) -> Result<WorkZone, String> {
    WorkZone::parse(s).ok_or_else(|| "use Asia/Jakarta, Asia/Pontianak, Asia/Makassar or Asia/Jayapura".into())
}

fn parse_employment_type(s: &str) -> Result<EmploymentType, String> {
    EmploymentType::parse(s).ok_or_else(|| "use asn, pppk, non_asn or student".into())
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| "use employee, supervisor, unit_admin, institution_admin, dpo or superadmin".into())
}
