//! `kinerja token issue`: development tokens for existing employees, signed with the configured secret or
//! with one generated into `auth.secret_file`.

use std::process::{Command, Output};

use kinerja_domain::Role;
use kinerja_gateway::auth::{AuthConfig, Authenticator};
use kinerja_store::test_support::TestDatabase;

const SECRET: &str = "a secret for the token command test, of ample length";

fn kinerja(args: &[&str], settings: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kinerja"));
    command.args(args).env("KINERJA__LOG__FILTER", "warn");
    for (key, value) in settings {
        command.env(key, value);
    }
    command.output().expect("kinerja runs")
}

fn verifier(secret: &[u8]) -> Authenticator {
    Authenticator::new(AuthConfig { secret: Some(secret.to_vec()), ..AuthConfig::default() }).unwrap()
}

#[test]
fn tokens_name_existing_employees_in_roles_they_can_hold() {
    let database = TestDatabase::sqlite();
    let demo = kinerja(&["demo", "--database", &database.url, "--employees", "600"], &[]);
    assert!(demo.status.success(), "{}", String::from_utf8_lossy(&demo.stderr));
    let with_secret = [("KINERJA__AUTH__SECRET", SECRET)];

    let issued = kinerja(
        &["token", "issue", "--database", &database.url, "--head-of", "BKPSDM", "--role", "unit-head", "--ttl", "2h"],
        &with_secret,
    );
    assert!(issued.status.success(), "{}", String::from_utf8_lossy(&issued.stderr));
    let token = String::from_utf8(issued.stdout).unwrap().trim().to_owned();
    let identity = verifier(SECRET.as_bytes()).verify(&token).expect("the token verifies with the secret");
    assert_eq!(identity.role, Role::UnitHead);
    let nip = identity.nip.to_string();

    let as_staff = |role: &str| {
        kinerja(&["token", "issue", "--database", &database.url, "--nip", &nip, "--role", role], &with_secret)
    };
    // Roles beyond one's own work need a grant, which the operator's command line can make.
    let ungranted = as_staff("auditor");
    assert!(!ungranted.status.success());
    assert!(String::from_utf8_lossy(&ungranted.stderr).contains("holds no grant of the role auditor"));
    let grant = kinerja(&["role", "grant", "--database", &database.url, "--nip", &nip, "--role", "auditor"], &[]);
    assert!(grant.status.success(), "{}", String::from_utf8_lossy(&grant.stderr));
    assert!(String::from_utf8_lossy(&grant.stdout).contains("over the whole agency"));
    let listed = kinerja(&["role", "list", "--database", &database.url], &[]);
    assert!(String::from_utf8_lossy(&listed.stdout).lines().any(|l| l.starts_with("auditor\t") && l.contains(&nip)));
    let granted = as_staff("auditor");
    assert!(granted.status.success(), "{}", String::from_utf8_lossy(&granted.stderr));
    let identity = verifier(SECRET.as_bytes()).verify(String::from_utf8_lossy(&granted.stdout).trim()).unwrap();
    assert_eq!(identity.role, Role::Auditor);
    let limited = kinerja(
        &["role", "grant", "--database", &database.url, "--nip", &nip, "--role", "hr-admin", "--unit", "DLH"],
        &[],
    );
    assert!(!limited.status.success());
    assert!(String::from_utf8_lossy(&limited.stderr).contains("whole agency"));
    let revoke = kinerja(&["role", "revoke", "--database", &database.url, "--nip", &nip, "--role", "auditor"], &[]);
    assert!(revoke.status.success(), "{}", String::from_utf8_lossy(&revoke.stderr));
    assert!(!as_staff("auditor").status.success(), "revoked");
    let unknown_role = as_staff("admin");
    assert!(!unknown_role.status.success());
    assert!(String::from_utf8_lossy(&unknown_role.stderr).contains("hr-admin"), "the error lists the roles");

    let nobody = kinerja(
        &["token", "issue", "--database", &database.url, "--nip", "199901012025011999", "--role", "employee"],
        &with_secret,
    );
    assert!(!nobody.status.success());
    assert!(String::from_utf8_lossy(&nobody.stderr).contains("199901012025011999"), "the error names the NIP");

    // Without a configured secret the command creates one in auth.secret_file, readable by its owner only,
    // and signs with it.
    let folder = tempfile::tempdir().unwrap();
    let secret_file = folder.path().join("keys").join("token-secret");
    let generated = kinerja(
        &["token", "issue", "--database", &database.url, "--nip", &nip, "--role", "employee", "--ttl", "5m"],
        &[("KINERJA__AUTH__SECRET_FILE", secret_file.to_str().unwrap())],
    );
    assert!(generated.status.success(), "{}", String::from_utf8_lossy(&generated.stderr));
    let secret = std::fs::read_to_string(&secret_file).unwrap();
    assert!(secret.len() >= 64);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&secret_file).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let token = String::from_utf8(generated.stdout).unwrap().trim().to_owned();
    assert_eq!(verifier(secret.trim().as_bytes()).verify(&token).unwrap().role, Role::Employee);
    assert!(verifier(SECRET.as_bytes()).verify(&token).is_err(), "signed with the generated secret only");
}

/// `KINERJA_ENV` names a configuration that must exist, and production never generates a token secret.
#[test]
fn production_is_explicit() {
    let database = TestDatabase::sqlite();
    let elsewhere = tempfile::tempdir().unwrap();
    let issue = ["token", "issue", "--database", &database.url, "--nip", "199001012015011001", "--role", "employee"];
    let lost = Command::new(env!("CARGO_BIN_EXE_kinerja"))
        .args(issue)
        .current_dir(elsewhere.path())
        .env("KINERJA_ENV", "production")
        .output()
        .unwrap();
    assert!(!lost.status.success());
    let message = String::from_utf8_lossy(&lost.stderr);
    assert!(message.contains("KINERJA_ENV=production") && message.contains("production.toml"), "{message}");

    let missing = elsewhere.path().join("token-secret");
    let secret_file = missing.display().to_string();
    let refused = kinerja(&issue, &[("KINERJA_ENV", "production"), ("KINERJA__AUTH__SECRET_FILE", &secret_file)]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("generate_secret is off"), "{refused:?}");
    assert!(!missing.exists(), "no secret was generated");
}
