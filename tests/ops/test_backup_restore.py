"""The backup and restore drill, for real: seed a scratch database, back it up (pg_dump + media + checksums),
restore into another scratch database, and compare every table's row count and the content of the
history/audit tables before and after — computed here with plain SQL, independently of the scripts."""

import os
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings

# The drill seeds a database of its own and dumps and restores it: an end-to-end run (`make test-fast` leaves it out).
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def url_for(name: str) -> str:
    conf = settings.DATABASES["default"]
    host = conf.get("OPTIONS", {}).get("host") or conf.get("HOST") or "127.0.0.1"
    auth = conf["USER"] + (f":{conf['PASSWORD']}" if conf.get("PASSWORD") else "")
    port = conf.get("PORT") or 5432
    if host.startswith("/"):
        return f"postgres://{auth}@:{port}/{name}?host={host}"
    return f"postgres://{auth}@{host}:{port}/{name}"


def connect(name: str):
    conf = settings.DATABASES["default"]
    return psycopg2.connect(
        dbname=name,
        user=conf["USER"],
        password=conf.get("PASSWORD") or None,
        host=conf.get("OPTIONS", {}).get("host") or conf.get("HOST") or None,
        port=conf.get("PORT") or None,
    )


def admin_sql(statement: str) -> None:
    conn = connect("postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(statement)
    conn.close()


def snapshot(name: str) -> tuple[dict, dict]:
    """Row count of every table; md5 of every history/audit table's rows in a fixed order."""
    conn = connect(name)
    counts, digests = {}, {}
    with conn.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        for (table,) in cursor.fetchall():
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
            if table.endswith("event") or table in ("casework_accesslog", "casework_disclosure", "pgh_context"):
                cursor.execute(
                    f"SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM \"{table}\" t"
                )
                digests[table] = cursor.fetchone()[0]
    conn.close()
    return counts, digests


@pytest.fixture(scope="module")
def seeded_database():
    name = f"{settings.DATABASES['default']['NAME']}_drill_{os.getpid()}"
    admin_sql(f'DROP DATABASE IF EXISTS "{name}"')
    admin_sql(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": url_for(name), "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    for command in (["migrate", "--noinput", "-v0"], ["seed_demo", "--quiet-accounts"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
        )
        assert result.returncode == 0, result.stderr[-3000:]
    conn = connect(name)
    with conn, conn.cursor() as cursor:  # some reads in the audit log, as the application writes them
        cursor.execute("""
            INSERT INTO casework_accesslog (user_id, detainee_id, object_kind, object_id, action, path, ip_address, at)
            SELECT u.id, d.id, 'detainee', d.id::text, 'view', '/gedetineerden/' || d.id || '/', '10.0.0.7', now()
            FROM casework_detainee d CROSS JOIN (SELECT min(id) AS id FROM accounts_user) u""")
    conn.close()
    yield name
    admin_sql(f'DROP DATABASE IF EXISTS "{name}"')


def run_script(script: str, *args: str, database: str, **env) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "DATABASE_URL": url_for(database), **env}
    return subprocess.run(
        [sys.executable, str(ROOT / "bin" / script), *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_backup_and_restore_drill(seeded_database, tmp_path):
    media = tmp_path / "media"
    (media / "consents" / "2025").mkdir(parents=True)
    scan = media / "consents" / "2025" / "toestemming.pdf"
    scan.write_bytes(b"%PDF-1.4 signed consent scan\n")
    before_counts, before_digests = snapshot(seeded_database)
    assert before_counts["casework_detainee"] == 40 and before_counts["casework_accesslog"] == 40
    assert before_counts["casework_sessionevent"] > 0

    backup = run_script(
        "backup", database=seeded_database, BACKUP_ROOT=str(tmp_path / "backups"), DJANGO_MEDIA_ROOT=str(media)
    )
    assert backup.returncode == 0, backup.stderr
    backup_dir = Path(backup.stdout.strip().splitlines()[-1])
    assert sorted(p.name for p in backup_dir.iterdir()) == ["SHA256SUMS", "db.dump", "manifest.json", "media.tar.gz"]
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=backup_dir, capture_output=True, text=True)
    assert check.returncode == 0 and check.stdout.count(": OK") == 3
    assert (backup_dir / "db.dump").read_bytes()[:5] == b"PGDMP"  # custom format

    target = f"{seeded_database}_restored"
    try:
        restore = run_script(
            "restore",
            str(backup_dir),
            "--target-db",
            target,
            "--media-to",
            str(tmp_path / "restored"),
            database=seeded_database,
        )
        assert restore.returncode == 0, restore.stderr
        after_counts, after_digests = snapshot(target)
        assert after_counts == before_counts
        assert after_digests == before_digests
        assert len(after_digests) >= 8
        restored_scan = tmp_path / "restored" / "media" / "consents" / "2025" / "toestemming.pdf"
        assert restored_scan.read_bytes() == scan.read_bytes()
    finally:
        admin_sql(f'DROP DATABASE IF EXISTS "{target}"')


def test_restore_refuses_a_damaged_backup_and_the_live_database(seeded_database, tmp_path):
    backup = run_script(
        "backup", database=seeded_database, BACKUP_ROOT=str(tmp_path), DJANGO_MEDIA_ROOT=str(tmp_path / "none")
    )
    assert backup.returncode == 0, backup.stderr
    backup_dir = Path(backup.stdout.strip().splitlines()[-1])

    over_live = run_script("restore", str(backup_dir), "--target-db", seeded_database, database=seeded_database)
    assert over_live.returncode == 2 and "refusing" in over_live.stderr

    dump = backup_dir / "db.dump"
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))
    target = f"{seeded_database}_never"
    damaged = run_script("restore", str(backup_dir), "--target-db", target, database=seeded_database)
    assert damaged.returncode == 1
    assert "db.dump does not match its checksum" in damaged.stderr
    conn = connect("postgres")
    with conn.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [target])
        assert cursor.fetchone()[0] == 0  # nothing was touched
    conn.close()


def test_the_drill_passes_while_the_application_writes(seeded_database, tmp_path):
    """The manifest and the dump come from one snapshot: rows written during the backup are in neither."""
    import threading

    stop = threading.Event()
    written = []

    def write_audit_rows() -> None:
        conn = connect(seeded_database)
        conn.autocommit = True
        with conn.cursor() as cursor:
            while not stop.is_set():
                cursor.execute("""
                    INSERT INTO casework_accesslog (user_id, detainee_id, object_kind, object_id, action, path,
                                                    ip_address, at)
                    SELECT min(u.id), min(d.id), 'detainee', min(d.id)::text, 'view', '/traffic/', '10.0.0.8', now()
                    FROM casework_detainee d CROSS JOIN accounts_user u""")
                written.append(1)
        conn.close()

    writer = threading.Thread(target=write_audit_rows)
    writer.start()
    try:
        backup = run_script(
            "backup",
            database=seeded_database,
            BACKUP_ROOT=str(tmp_path / "backups"),
            DJANGO_MEDIA_ROOT=str(tmp_path / "none"),
        )
    finally:
        stop.set()
        writer.join(timeout=30)
    assert backup.returncode == 0, backup.stderr
    assert len(written) > 20  # the traffic really ran during the backup
    backup_dir = Path(backup.stdout.strip().splitlines()[-1])
    target = f"{seeded_database}_traffic"
    try:
        restore = run_script(
            "restore",
            str(backup_dir),
            "--target-db",
            target,
            "--media-to",
            str(tmp_path / "r"),
            database=seeded_database,
        )
        assert restore.returncode == 0, restore.stderr
        live_counts, _digests = snapshot(seeded_database)
        restored_counts, _digests = snapshot(target)
        assert restored_counts["casework_accesslog"] < live_counts["casework_accesslog"]
    finally:
        admin_sql(f'DROP DATABASE IF EXISTS "{target}"')
