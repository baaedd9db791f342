//! `kinerja audit checkpoint` and `kinerja audit verify`: checkpoints signed with a key kept in a file
//! outside the database vouch for the audit chain, so that deleting its tail is found, and a log that no
//! longer matches its checkpoint is never signed again. On SQLite and PostgreSQL.

use std::process::{Command, Output};

use kinerja_store::test_support::TestDatabase;

fn kinerja(args: &[&str], settings: &[(&str, String)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kinerja"));
    command.args(args).env("KINERJA__LOG__FILTER", "warn");
    for (key, value) in settings {
        command.env(key, value);
    }
    command.output().expect("kinerja runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[tokio::test]
async fn checkpoints_vouch_for_the_audit_log_on_every_database() {
    for database in TestDatabase::all("checkpoints_vouch_for_the_audit_log_on_every_database").await.unwrap() {
        eprintln!("audit checkpoints on {}", database.backend);
        let demo = kinerja(&["demo", "--database", &database.url, "--employees", "600"], &[]);
        assert!(demo.status.success(), "{}", String::from_utf8_lossy(&demo.stderr));
        let folder = tempfile::tempdir().unwrap();
        let key_file = folder.path().join("keys").join("checkpoint.key");
        let files = vec![
            ("KINERJA__AUDIT__CHECKPOINT_KEY_FILE", key_file.display().to_string()),
            ("KINERJA__AUDIT__CHECKPOINT_FILE", folder.path().join("checkpoints.jsonl").display().to_string()),
        ];
        let audit = |action: &str, settings: &[(&str, String)]| {
            kinerja(&["audit", action, "--database", &database.url], settings)
        };

        // Without the key (run from the wrong folder, say) verification refuses rather than vouch.
        let keyless = audit("verify", &files);
        assert!(!keyless.status.success());
        assert!(String::from_utf8_lossy(&keyless.stderr).contains("no checkpoint key at"), "{keyless:?}");
        assert!(!key_file.exists(), "verifying makes no key");
        let chain_only = kinerja(&["audit", "verify", "--chain-only", "--database", &database.url], &files);
        assert!(chain_only.status.success(), "{}", String::from_utf8_lossy(&chain_only.stderr));
        assert!(stdout(&chain_only).contains("checkpoints not checked"), "{}", stdout(&chain_only));
        let public = stdout(&kinerja(&["audit", "public-key"], &files)).trim().to_owned();
        let unvouched = audit("verify", &files);
        assert!(unvouched.status.success(), "{}", String::from_utf8_lossy(&unvouched.stderr));
        assert!(stdout(&unvouched).contains("no checkpoint"), "{}", stdout(&unvouched));
        let made = audit("checkpoint", &files);
        assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
        assert!(stdout(&made).contains("\"signature\""), "{}", stdout(&made));
        assert_eq!(std::fs::metadata(&key_file).unwrap().len(), 45, "a base64 seed and a line break");
        #[cfg(unix)]
        assert_eq!(
            std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&key_file).unwrap().permissions()) & 0o777,
            0o600
        );
        assert_eq!(stdout(&audit("checkpoint", &files)).trim(), "nothing new to checkpoint");
        let vouched = audit("verify", &files);
        assert!(vouched.status.success(), "{}", stdout(&vouched));
        assert!(stdout(&vouched).contains("1 signed checkpoint(s) hold"), "{}", stdout(&vouched));

        // A verifier with only the public key agrees; with another key, the checkpoint is not trusted.
        let mut with_public = files.clone();
        with_public[0].1 = folder.path().join("absent.key").display().to_string();
        with_public.push(("KINERJA__AUDIT__PUBLIC_KEY", public));
        assert!(audit("verify", &with_public).status.success());
        let mut foreign = files.clone();
        foreign.push(("KINERJA__AUDIT__PUBLIC_KEY", "O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik=".to_owned()));
        let distrusted = audit("verify", &foreign);
        assert!(!distrusted.status.success());
        assert!(stdout(&distrusted).contains("signature does not verify"), "{}", stdout(&distrusted));

        // The last event deleted: the chain alone still verifies, the checkpoint does not.
        database
            .execute("DELETE FROM audit_events WHERE sequence = (SELECT MAX(sequence) FROM audit_events)")
            .await
            .unwrap();
        let cut = audit("verify", &files);
        assert!(!cut.status.success());
        assert!(stdout(&cut).contains("cut back"), "{}", stdout(&cut));
        let refused = audit("checkpoint", &files);
        assert!(!refused.status.success(), "a broken log is not signed again");
        assert!(String::from_utf8_lossy(&refused.stderr).contains("no longer matches its latest checkpoint"));
        database.dispose().await.unwrap();
    }
}
