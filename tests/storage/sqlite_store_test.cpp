// sqlite_store beyond the shared contract: persistence across close/reopen, keys encrypted at
// rest, the key-encryption key checked at open, refusal of corrupt/foreign/newer files
// without touching them, schema and migrations, locking between connections, and the JSON
// forms of the structured fields.
#include <boost/test/unit_test.hpp>

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "pca/der/pem.hpp"
#include "storage/store_fixtures.hpp"

namespace ts = pca::test::storage;
using pca::bytes;
using pca::from_unix;
using pca::storage::key_encryption_key;
using pca::storage::sqlite_store;

namespace {

/// A raw SQLite connection for setting up foreign files and tampering with ours.
class raw_db {
public:
    explicit raw_db(const std::string& path) {
        if (sqlite3_open(path.c_str(), &m_db) != SQLITE_OK) throw std::runtime_error("cannot open " + path);
        sqlite3_busy_timeout(m_db, 5000);
    }
    ~raw_db() { sqlite3_close(m_db); }
    raw_db(const raw_db&) = delete;
    raw_db& operator=(const raw_db&) = delete;
    void exec(const std::string& sql) {
        char* err = nullptr;
        if (sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
            const std::string msg = err ? err : "?";
            sqlite3_free(err);
            throw std::runtime_error("SQL failed: " + sql + ": " + msg);
        }
    }
    std::string text(const std::string& sql) {
        sqlite3_stmt* st = nullptr;
        sqlite3_prepare_v2(m_db, sql.c_str(), -1, &st, nullptr);
        std::string out;
        if (sqlite3_step(st) == SQLITE_ROW) {
            const auto* p = sqlite3_column_text(st, 0);
            out = p ? reinterpret_cast<const char*>(p) : "";
        }
        sqlite3_finalize(st);
        return out;
    }
    bytes blob(const std::string& sql) {
        sqlite3_stmt* st = nullptr;
        sqlite3_prepare_v2(m_db, sql.c_str(), -1, &st, nullptr);
        bytes out;
        if (sqlite3_step(st) == SQLITE_ROW) {
            const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(st, 0));
            out.assign(p, p + sqlite3_column_bytes(st, 0));
        }
        sqlite3_finalize(st);
        return out;
    }
    void set_blob(const std::string& sql, const bytes& value) {
        sqlite3_stmt* st = nullptr;
        sqlite3_prepare_v2(m_db, sql.c_str(), -1, &st, nullptr);
        sqlite3_bind_blob(st, 1, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
        const int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE) throw std::runtime_error("set_blob failed");
    }

private:
    sqlite3* m_db = nullptr;
};

std::string key_path(const std::string& name) { return PCA_SOURCE_DIR "/tests/data/keys/" + name + ".pem"; }

bytes read_if_exists(const std::string& path) {
    return std::filesystem::exists(path) ? pca::test::read_file(path) : bytes{};
}

/// Every file of the database: main, -wal, -shm.
bytes all_database_bytes(const std::string& path) {
    bytes all;
    for (const auto& p : {path, path + "-wal", path + "-shm", path + "-journal"}) {
        const bytes b = read_if_exists(p);
        all.insert(all.end(), b.begin(), b.end());
    }
    return all;
}

bool contains(const bytes& haystack, pca::byte_view needle) {
    return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) != haystack.end();
}

/// The first offset of any 16-byte window of `secret` (stride 4) found in `haystack`, or -1.
long find_any_window(const bytes& haystack, const bytes& secret) {
    for (std::size_t off = 0; off + 16 <= secret.size(); off += 4) {
        auto it = std::search(haystack.begin(), haystack.end(), secret.begin() + static_cast<long>(off),
                              secret.begin() + static_cast<long>(off + 16));
        if (it != haystack.end()) return static_cast<long>(off);
    }
    return -1;
}

bytes fixture_pkcs8(const std::string& name) {
    return pca::der::pem_decode_one(pca::test::read_text(key_path(name)),
                                    "PRIVATE KEY");
}

key_encryption_key passphrase_kek(const std::string& pw, std::uint32_t iterations = 1000) {
    return key_encryption_key::from_passphrase(pw, iterations);
}

/// Opening `path` must fail with database_format_error mentioning `words`, and leave the file
/// byte-for-byte as it was.
void expect_refused_unchanged(const std::string& path, const std::string& words) {
    const bytes before = pca::test::read_file(path);
    const bool had_wal = std::filesystem::exists(path + "-wal"), had_shm = std::filesystem::exists(path + "-shm");
    try {
        sqlite_store s(path, ts::test_kek());
        BOOST_ERROR("opening " + path + " should have failed");
    } catch (const pca::storage::database_format_error& e) {
        BOOST_TEST_MESSAGE("refused as expected: " << e.what());
        BOOST_TEST(std::string(e.what()).find(words) != std::string::npos, e.what());
    }
    BOOST_TEST((pca::test::read_file(path) == before));
    BOOST_TEST(!std::filesystem::exists(path + "-journal"));
    BOOST_TEST(std::filesystem::exists(path + "-wal") == had_wal);  // no side files left behind
    BOOST_TEST(std::filesystem::exists(path + "-shm") == had_shm);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(storage_sqlite_store)

BOOST_AUTO_TEST_CASE(every_member_survives_close_and_reopen) {
    pca::test::temp_dir dir;
    const auto path = dir.file("pca.db");
    auto full = ts::full_ca("aaaaaaaa-0000-0000-0000-000000000001");
    full.private_key = [] {
        const bytes der = fixture_pkcs8("p256");
        return pca::secure_bytes(der.begin(), der.end());
    }();
    const auto minimal = ts::minimal_ca("aaaaaaaa-0000-0000-0000-000000000002");
    auto cert = ts::make_certificate(full.id, bytes{0x01, 0x02});
    cert.service_principal = "acm.amazonaws.com";
    pca::storage::audit_report_record report{full.id, "rep", pca::audit_report_status::success, "b", "k",
                                             from_unix(5)};
    {
        sqlite_store s(path, ts::test_kek());
        s.insert_ca(full);
        s.insert_ca(minimal);
        s.update_ca(full);  // version 1
        BOOST_TEST(s.reserve_certificate(cert));
        s.complete_certificate(full.id, cert.serial, bytes{0x30, 0x00});
        BOOST_TEST(s.revoke_certificate(full.id, cert.serial, from_unix(9), pca::revocation_reason::a_a_compromise));
        s.put_audit_report(report);
        s.claim_token(pca::storage::idempotency_record{"scope", "tok", "arn:x", "fp", from_unix(1000)}, from_unix(1));
    }
    sqlite_store s(path, ts::test_kek());
    ts::expect_same(*s.find_ca(full.id), full);
    ts::expect_same(*s.find_ca(minimal.id), minimal);
    cert.certificate = bytes{0x30, 0x00};
    cert.revoked_at = from_unix(9);
    cert.reason = pca::revocation_reason::a_a_compromise;
    ts::expect_same(*s.find_certificate(full.id, cert.serial), cert);
    BOOST_TEST((s.find_audit_report(full.id, "rep")->status == pca::audit_report_status::success));
    // The token is still live after the restart.
    const auto t = s.claim_token(pca::storage::idempotency_record{"scope", "tok", "arn:y", "fp2", from_unix(2000)},
                                 from_unix(2));
    BOOST_TEST(t.result == "arn:x");
    BOOST_TEST(s.schema_version() == pca::storage::sqlite_schema::current_version);
}

BOOST_AUTO_TEST_CASE(crl_number_survives_restart_and_never_goes_back) {
    pca::test::temp_dir dir;
    const auto path = dir.file("pca.db");
    {
        sqlite_store s(path, ts::test_kek());
        s.insert_ca(ts::minimal_ca("ca"));
        for (int i = 1; i <= 3; ++i) BOOST_TEST(s.next_crl_number("ca") == i);
    }
    {
        sqlite_store s(path, ts::test_kek());
        BOOST_TEST(s.next_crl_number("ca") == 4);
        // A caller that read the record before those numbers were handed out cannot lower it.
        auto stale = ts::minimal_ca("ca");
        stale.crl_number = 1;
        s.update_ca(stale);
        BOOST_TEST(s.find_ca("ca")->crl_number == 4);
        BOOST_TEST(s.next_crl_number("ca") == 5);
    }
    sqlite_store s(path, ts::test_kek());
    BOOST_TEST(s.next_crl_number("ca") == 6);
}

BOOST_AUTO_TEST_CASE(database_files_never_hold_a_private_key_in_clear) {
    pca::test::temp_dir dir;
    const auto path = dir.file("pca.db");
    const bytes rsa = fixture_pkcs8("rsa2048");
    const bytes ec = fixture_pkcs8("p384");
    BOOST_REQUIRE(rsa.size() > 1000);
    auto ca1 = ts::full_ca("11111111-2222-3333-4444-555555555555");
    ca1.private_key.assign(rsa.begin(), rsa.end());
    auto ca2 = ts::minimal_ca("66666666-2222-3333-4444-555555555555");
    ca2.private_key.assign(ec.begin(), ec.end());
    {
        sqlite_store s(path, ts::test_kek());
        s.insert_ca(ca1);
        s.insert_ca(ca2);
        for (int i = 0; i < 3; ++i) {
            ca1.status = i % 2 ? pca::certificate_authority_status::active : pca::certificate_authority_status::disabled;
            s.update_ca(ca1);  // each update seals again with a fresh nonce
        }
        s.erase_ca(ca2.id);  // freed pages must not keep it either
        // While open: main file, WAL and shared-memory index.
        const bytes open_files = all_database_bytes(path);
        BOOST_TEST(contains(open_files, pca::byte_view(ca1.arn)));  // the search does find stored data
        BOOST_TEST(!contains(open_files, rsa));
        BOOST_TEST(!contains(open_files, ec));
        BOOST_TEST(find_any_window(open_files, rsa) == -1);
        BOOST_TEST(find_any_window(open_files, ec) == -1);
        ts::expect_same(*s.find_ca(ca1.id), ca1);  // and it still opens
    }
    const bytes closed_files = all_database_bytes(path);
    BOOST_TEST(contains(closed_files, pca::byte_view(ca1.arn)));
    BOOST_TEST(contains(closed_files, ca1.csr));
    BOOST_TEST(!contains(closed_files, rsa));
    BOOST_TEST(find_any_window(closed_files, rsa) == -1);
    BOOST_TEST(find_any_window(closed_files, ec) == -1);
    // Nor the PEM text of the keys.
    const auto pem = pca::test::read_text(key_path("rsa2048"));
    BOOST_TEST(!contains(closed_files, pca::byte_view(pem.substr(40, 32))));
}

BOOST_AUTO_TEST_CASE(a_wrong_key_encryption_key_fails_at_open_and_changes_nothing) {
    pca::test::temp_dir dir;
    const auto path = dir.file("pca.db");
    { sqlite_store(path, ts::test_kek()).insert_ca(ts::minimal_ca("ca")); }
    const bytes before = pca::test::read_file(path);
    auto expect_mismatch = [&](const key_encryption_key& kek, const std::string& words) {
        try {
            sqlite_store s(path, kek);
            BOOST_ERROR("a wrong KEK was accepted");
        } catch (const pca::storage::key_encryption_key_mismatch& e) {
            BOOST_TEST(std::string(e.what()).find(words) != std::string::npos, e.what());
            BOOST_TEST((e.code() == pca::errc::request_failed));
        }
        BOOST_TEST((pca::test::read_file(path) == before));
    };
    expect_mismatch(key_encryption_key::from_raw(bytes(32, 0x3d)), "does not match this database");
    expect_mismatch(key_encryption_key::from_ikm(bytes(32, 0x3c)), "does not match this database");
    expect_mismatch(passphrase_kek("pw"), "not a passphrase");
    sqlite_store ok(path, ts::test_kek());
    BOOST_TEST(ok.find_ca("ca").has_value());
}

BOOST_AUTO_TEST_CASE(a_passphrase_kek_uses_the_recorded_salt_and_iteration_count) {
    pca::test::temp_dir dir;
    const auto path = dir.file("pca.db");
    auto ca = ts::minimal_ca("ca");
    { sqlite_store(path, passphrase_kek("correct horse", 1500)).insert_ca(ca); }
    {
        raw_db raw(path);
        BOOST_TEST(raw.text("SELECT CAST(value AS TEXT) FROM meta WHERE key = 'kek.kdf'") == "pbkdf2-hmac-sha256");
        BOOST_TEST(raw.text("SELECT CAST(value AS TEXT) FROM meta WHERE key = 'kek.iterations'") == "1500");
        BOOST_TEST(raw.blob("SELECT value FROM meta WHERE key = 'kek.salt'").size() == 16u);
    }
    // The count given when reopening does not matter: the recorded one is used.
    sqlite_store s(path, passphrase_kek("correct horse", 7));
    ts::expect_same(*s.find_ca("ca"), ca);
    BOOST_CHECK_THROW(sqlite_store(path, passphrase_kek("correct horse!", 1500)),
                      pca::storage::key_encryption_key_mismatch);
    BOOST_CHECK_THROW(sqlite_store(path, ts::test_kek()), pca::storage::key_encryption_key_mismatch);

    // Two databases with the same passphrase get different salts, hence different KEKs.
    { sqlite_store(dir.file("other.db"), passphrase_kek("correct horse", 1500)); }
    raw_db a(path), b(dir.file("other.db"));
    BOOST_TEST((a.blob("SELECT value FROM meta WHERE key = 'kek.salt'") !=
                b.blob("SELECT value FROM meta WHERE key = 'kek.salt'")));
}

BOOST_AUTO_TEST_CASE(an_hkdf_kek_reopens_with_the_same_input_keying_material) {
    pca::test::temp_dir dir;
    const auto path = dir.file("pca.db");
    const bytes ikm(48, 0x11), salt = {1, 2, 3};
    { sqlite_store(path, key_encryption_key::from_ikm(ikm, salt, "app")).insert_ca(ts::minimal_ca("ca")); }
    sqlite_store s(path, key_encryption_key::from_ikm(ikm, salt, "app"));
    BOOST_TEST(s.find_ca("ca").has_value());
    BOOST_CHECK_THROW(sqlite_store(path, key_encryption_key::from_ikm(ikm, salt, "other")),
                      pca::storage::key_encryption_key_mismatch);
}

BOOST_AUTO_TEST_CASE(corrupt_and_foreign_files_are_refused_and_left_unchanged) {
    pca::test::temp_dir dir;
    // Random bytes.
    {
        std::mt19937 gen(7);
        bytes junk(8192);
        for (auto& b : junk) b = static_cast<std::uint8_t>(gen());
        pca::test::write_file(dir.file("random.db"), junk);
        expect_refused_unchanged(dir.file("random.db"), "not an SQLite database");
    }
    // A text file, and a file shorter than an SQLite header.
    pca::test::write_file(dir.file("text.db"), pca::byte_view(std::string("hello, this is not a database\n")));
    expect_refused_unchanged(dir.file("text.db"), "not an SQLite database");
    // Another application's SQLite database (rollback journal and WAL).
    {
        raw_db f(dir.file("foreign.db"));
        f.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('x');");
    }
    expect_refused_unchanged(dir.file("foreign.db"), "another application");
    {
        raw_db f(dir.file("foreign-wal.db"));
        f.exec("PRAGMA journal_mode = WAL; PRAGMA application_id = 1234; CREATE TABLE t (x); INSERT INTO t VALUES (1);");
    }
    expect_refused_unchanged(dir.file("foreign-wal.db"), "another application");
    // A pca database from a newer pca.
    {
        { sqlite_store s(dir.file("newer.db"), ts::test_kek()); }
        raw_db f(dir.file("newer.db"));
        f.exec("PRAGMA user_version = 99");
    }
    expect_refused_unchanged(dir.file("newer.db"), "newer pca");
    // A real pca database whose header was damaged.
    {
        { sqlite_store s(dir.file("damaged.db"), ts::test_kek()); }
        bytes b = pca::test::read_file(dir.file("damaged.db"));
        b[3] = 'X';  // "SQLXte format 3"
        pca::test::write_file(dir.file("damaged.db"), b);
    }
    expect_refused_unchanged(dir.file("damaged.db"), "not an SQLite database");
}

BOOST_AUTO_TEST_CASE(an_empty_file_becomes_a_new_database) {
    pca::test::temp_dir dir;
    pca::test::write_file(dir.file("empty.db"), bytes{});
    sqlite_store s(dir.file("empty.db"), ts::test_kek());
    s.insert_ca(ts::minimal_ca("ca"));
    BOOST_TEST(s.find_ca("ca").has_value());
}

BOOST_AUTO_TEST_CASE(a_truncated_database_fails_with_a_storage_error_not_garbage) {
    pca::test::temp_dir dir;
    const auto path = dir.file("pca.db");
    {
        sqlite_store s(path, ts::test_kek());
        for (int i = 0; i < 40; ++i) s.insert_ca(ts::full_ca("ca-" + std::to_string(i)));
    }
    bytes b = pca::test::read_file(path);
    BOOST_REQUIRE(b.size() > 3 * 4096);
    b.resize(2 * 4096);
    pca::test::write_file(path, b);
    BOOST_CHECK_THROW(
        {
            sqlite_store s(path, ts::test_kek());
            (void)s.list_cas();
        },
        pca::storage::storage_error);
}

BOOST_AUTO_TEST_CASE(a_tampered_or_moved_sealed_key_is_detected) {
    pca::test::temp_dir dir;
    const auto path = dir.file("pca.db");
    sqlite_store s(path, ts::test_kek());
    s.insert_ca(ts::minimal_ca("a"));
    s.insert_ca(ts::minimal_ca("b"));
    {
        raw_db raw(path);
        // Copy a's sealed key into b's row: the ARN (associated data) no longer matches.
        raw.exec("UPDATE certificate_authorities SET sealed_private_key = (SELECT sealed_private_key FROM "
                 "certificate_authorities WHERE id = 'a') WHERE id = 'b'");
        bytes sealed = raw.blob("SELECT sealed_private_key FROM certificate_authorities WHERE id = 'a'");
        sealed[20] ^= 0x01;
        raw.set_blob("UPDATE certificate_authorities SET sealed_private_key = ?1 WHERE id = 'a'", sealed);
    }
    BOOST_CHECK_THROW(s.find_ca("a"), pca::storage::storage_error);
    BOOST_CHECK_THROW(s.find_ca("b"), pca::storage::storage_error);
    BOOST_CHECK_THROW(s.list_cas(), pca::storage::storage_error);
}

BOOST_AUTO_TEST_CASE(the_file_is_wal_with_pca_identity_and_a_sound_schema) {
    pca::test::temp_dir dir;
    const auto path = dir.file("pca.db");
    sqlite_store s(path, ts::test_kek());
    raw_db raw(path);
    BOOST_TEST(raw.text("PRAGMA journal_mode") == "wal");
    BOOST_TEST(raw.text("PRAGMA application_id") == std::to_string(pca::storage::sqlite_schema::application_id));
    BOOST_TEST(raw.text("PRAGMA user_version") == std::to_string(pca::storage::sqlite_schema::current_version));
    BOOST_TEST(raw.text("PRAGMA integrity_check") == "ok");
    BOOST_TEST(raw.text("SELECT CAST(value AS TEXT) FROM meta WHERE key = 'store.format'") == "pca.sqlite_store");
    // The unique constraint is in the schema itself, not only in the code.
    BOOST_TEST(raw.text("SELECT sql FROM sqlite_master WHERE name = 'certificates'").find("UNIQUE (ca_id, serial)") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_new_database_file_is_readable_by_its_owner_only) {
    pca::test::temp_dir dir;
    const auto path = dir.file("pca.db");
    sqlite_store s(path, ts::test_kek());
    s.insert_ca(ts::minimal_ca("ca"));
    namespace fs = std::filesystem;
    for (const auto& p : {path, path + "-wal"}) {
        BOOST_REQUIRE(fs::exists(p));
        const auto perms = fs::status(p).permissions();
        BOOST_TEST(((perms & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none), p);
    }
}

BOOST_AUTO_TEST_CASE(migrations_run_in_order_and_refuse_gaps) {
    using pca::storage::sqlite_schema::migration;
    static std::vector<int>* trace = nullptr;
    std::vector<int> seen;
    trace = &seen;
    const migration steps[] = {
        {0, "a", [](sqlite3*) { trace->push_back(0); }},
        {1, "b", [](sqlite3*) { trace->push_back(1); }},
        {2, "c", [](sqlite3*) { trace->push_back(2); }},
    };
    pca::storage::sqlite_schema::migrate(nullptr, 1, 3, steps, 3);
    BOOST_TEST((seen == std::vector<int>{1, 2}));
    BOOST_CHECK_THROW(pca::storage::sqlite_schema::migrate(nullptr, 0, 4, steps, 3), pca::storage::storage_error);
    const migration misnumbered[] = {{0, "a", [](sqlite3*) {}}, {5, "b", [](sqlite3*) {}}};
    BOOST_CHECK_THROW(pca::storage::sqlite_schema::migrate(nullptr, 0, 2, misnumbered, 2),
                      pca::storage::storage_error);
    // The real list starts at 0 and reaches the current version.
    const auto& real = pca::storage::sqlite_schema::migrations();
    BOOST_TEST(real.size() == static_cast<std::size_t>(pca::storage::sqlite_schema::current_version));
    for (std::size_t i = 0; i < real.size(); ++i) BOOST_TEST(real[i].from_version == static_cast<int>(i));
}

BOOST_AUTO_TEST_CASE(a_version_1_file_migrates_to_version_2_keeping_its_certificates) {
    pca::test::temp_dir dir;
    const auto path = dir.file("pca.db");
    auto old_cert = ts::make_certificate("ca", bytes{0x01, 0x02});
    {
        sqlite_store s(path, ts::test_kek());
        s.insert_ca(ts::minimal_ca("ca"));
        BOOST_REQUIRE(s.reserve_certificate(old_cert));
    }
    {
        // Make the file what version 1 wrote: no crl_partition column, user_version 1.
        raw_db raw(path);
        raw.exec("ALTER TABLE certificates DROP COLUMN crl_partition; PRAGMA user_version = 1;");
        BOOST_TEST(raw.text("SELECT sql FROM sqlite_master WHERE name = 'certificates'").find("crl_partition") == std::string::npos);
    }
    sqlite_store s(path, ts::test_kek());
    BOOST_TEST(s.schema_version() == 2);
    const auto back = s.find_certificate("ca", old_cert.serial);
    BOOST_REQUIRE(back.has_value());
    ts::expect_same(*back, old_cert);
    BOOST_TEST(!back->crl_partition.has_value());
    auto partitioned = ts::make_certificate("ca", bytes{0x03});
    partitioned.crl_partition = 4'000'000'000u;
    BOOST_REQUIRE(s.reserve_certificate(partitioned));
    ts::expect_same(*s.find_certificate("ca", partitioned.serial), partitioned);
    raw_db raw(path);
    BOOST_TEST(raw.text("PRAGMA integrity_check") == "ok");
    BOOST_TEST(raw.text("SELECT crl_partition FROM certificates WHERE serial = x'03'") == "4000000000");
}

BOOST_AUTO_TEST_CASE(readers_see_committed_state_and_a_held_write_lock_throttles_writers) {
    pca::test::temp_dir dir;
    const auto path = dir.file("pca.db");
    pca::storage::sqlite_store_options fast;
    fast.busy_timeout = std::chrono::milliseconds(100);
    sqlite_store a(path, ts::test_kek(), fast);
    sqlite_store b(path, ts::test_kek(), fast);
    a.insert_ca(ts::minimal_ca("ca"));
    BOOST_TEST(b.find_ca("ca").has_value());  // another connection sees the commit at once

    raw_db writer(path);
    writer.exec("BEGIN IMMEDIATE; UPDATE certificate_authorities SET crl_number = 100 WHERE id = 'ca';");
    BOOST_TEST(b.find_ca("ca")->crl_number == 0);  // not committed yet: readers are not blocked
    BOOST_CHECK_THROW(a.next_crl_number("ca"), pca::throttling_exception);
    BOOST_CHECK_THROW(b.reserve_certificate(ts::make_certificate("ca", bytes{1})), pca::throttling_exception);
    writer.exec("COMMIT");
    BOOST_TEST(b.find_ca("ca")->crl_number == 100);
    BOOST_TEST(a.next_crl_number("ca") == 101);
    BOOST_TEST(b.reserve_certificate(ts::make_certificate("ca", bytes{1})));
}

BOOST_AUTO_TEST_CASE(certificate_counts_stay_exact_across_connections_and_erasure) {
    // count_certificates keeps a per-CA count between calls (COUNT(*) is O(n)); it must follow
    // this connection's reservations, other connections' commits and the CA's erasure.
    pca::test::temp_dir dir;
    const auto path = dir.file("pca.db");
    sqlite_store a(path, ts::test_kek());
    sqlite_store b(path, ts::test_kek());
    a.insert_ca(ts::minimal_ca("ca"));
    BOOST_TEST(a.count_certificates("ca") == 0u);
    BOOST_TEST(a.reserve_certificate(ts::make_certificate("ca", bytes{1})));
    BOOST_TEST(!a.reserve_certificate(ts::make_certificate("ca", bytes{1})));  // duplicate: not counted
    BOOST_TEST(a.count_certificates("ca") == 1u);
    BOOST_TEST(b.count_certificates("ca") == 1u);
    BOOST_TEST(b.reserve_certificate(ts::make_certificate("ca", bytes{2})));
    BOOST_TEST(b.reserve_certificate(ts::make_certificate("ca", bytes{3})));
    BOOST_TEST(a.count_certificates("ca") == 3u);  // b's commits are seen
    BOOST_TEST(b.count_certificates("ca") == 3u);
    BOOST_TEST(a.reserve_certificate(ts::make_certificate("ca", bytes{4})));
    BOOST_TEST(b.count_certificates("ca") == 4u);
    a.erase_ca("ca");
    a.insert_ca(ts::minimal_ca("ca"));
    BOOST_TEST(a.count_certificates("ca") == 0u);
    BOOST_TEST(b.count_certificates("ca") == 0u);
}

BOOST_AUTO_TEST_CASE(cached_ca_records_follow_every_write_of_either_connection) {
    // find_ca keeps decoded records between calls; each kind of write to a CA row, by this
    // connection or another one, must show in the next read of both.
    pca::test::temp_dir dir;
    const auto path = dir.file("pca.db");
    sqlite_store a(path, ts::test_kek());
    sqlite_store b(path, ts::test_kek());
    a.insert_ca(ts::minimal_ca("ca"));
    auto seen_a = a.find_ca("ca");
    auto seen_b = b.find_ca("ca");
    BOOST_TEST_REQUIRE(seen_a.has_value());
    BOOST_TEST_REQUIRE(seen_b.has_value());
    BOOST_TEST(seen_a->tags.empty());

    // update_ca by b: a sees it; b sees its own write.
    auto rec = *seen_b;
    rec.tags = {pca::tag{"team", "pki"}};
    rec.status = pca::certificate_authority_status::active;
    b.update_ca(rec);
    BOOST_TEST(a.find_ca("ca")->tags.size() == 1u);
    BOOST_TEST((a.find_ca("ca")->status == pca::certificate_authority_status::active));
    BOOST_TEST(b.find_ca("ca")->tags.size() == 1u);
    BOOST_TEST(a.find_ca("ca")->version == rec.version);

    // next_crl_number changes the row without a version bump: both see the new number.
    const auto before = a.find_ca("ca")->crl_number;
    const auto n = a.next_crl_number("ca");
    BOOST_TEST(n > before);
    BOOST_TEST(a.find_ca("ca")->crl_number == n);
    BOOST_TEST(b.find_ca("ca")->crl_number == n);
    const auto m = b.next_crl_number("ca");
    BOOST_TEST(a.find_ca("ca")->crl_number == m);

    // update_ca by a, from the copy it holds.
    auto mine = *a.find_ca("ca");
    mine.policy = std::string(R"({"Version":"2012-10-17","Statement":[]})");
    a.update_ca(mine);
    BOOST_TEST(a.find_ca("ca")->policy.has_value());
    BOOST_TEST(b.find_ca("ca")->policy.has_value());

    // Erasure and re-creation under the same id, by either connection.
    b.erase_ca("ca");
    BOOST_TEST(!a.find_ca("ca").has_value());
    BOOST_TEST(!b.find_ca("ca").has_value());
    auto again = ts::minimal_ca("ca");
    again.configuration.subject.common_name = "CA again";
    a.insert_ca(again);
    BOOST_TEST((b.find_ca("ca")->configuration.subject.common_name == std::string("CA again")));
    BOOST_TEST((a.find_ca("ca")->configuration.subject.common_name == std::string("CA again")));
    BOOST_TEST(a.find_ca("ca")->tags.empty());
}

BOOST_AUTO_TEST_CASE(json_forms_round_trip_every_optional_member_with_wire_names) {
    namespace codec = pca::storage::codec;
    const auto full = ts::full_ca("x");
    const auto cfg_text = codec::dump(codec::to_json(full.configuration));
    BOOST_TEST((codec::parse<pca::certificate_authority_configuration>(cfg_text) == full.configuration));
    const auto rev_text = codec::dump(codec::to_json(*full.revocation));
    BOOST_TEST((codec::parse<pca::revocation_configuration>(rev_text) == *full.revocation));
    const auto tags_text = codec::dump(codec::to_json(full.tags));
    BOOST_TEST((codec::parse<std::vector<pca::tag>>(tags_text) == full.tags));
    BOOST_TEST((codec::chain_from_json(codec::chain_to_json(full.chain)) == full.chain));

    // The service's member names and enum spellings.
    for (const char* want : {"\"KeyAlgorithm\":\"EC_secp384r1\"", "\"SigningAlgorithm\":\"SHA384WITHECDSA\"",
                             "\"CRLSign\":true", "\"OrganizationalUnit\":\"\"", "\"CustomAttributes\":[]",
                             "\"AccessMethodType\":\"RESOURCE_PKI_NOTIFY\""})
        BOOST_TEST(cfg_text.find(want) != std::string::npos, want << " in " << cfg_text);
    for (const char* want : {"\"S3BucketName\":\"bucket\"", "\"S3ObjectAcl\":\"BUCKET_OWNER_FULL_CONTROL\"",
                             "\"CrlType\":\"PARTITIONED\"", "\"OmitExtension\":true", "\"ExpirationInDays\":7"})
        BOOST_TEST(rev_text.find(want) != std::string::npos, want << " in " << rev_text);
    // Absent optionals are absent keys; present-empty ones are kept.
    const auto minimal_text = codec::dump(codec::to_json(ts::minimal_ca("y").configuration));
    BOOST_TEST(minimal_text.find("Country") == std::string::npos);
    BOOST_TEST(minimal_text.find("CsrExtensions") == std::string::npos);
    BOOST_TEST(tags_text.find("{\"Key\":\"novalue\"}") != std::string::npos, tags_text);
    BOOST_TEST(tags_text.find("{\"Key\":\"empty\",\"Value\":\"\"}") != std::string::npos, tags_text);

    // Shapes that do not match are refused, not guessed.
    BOOST_CHECK_THROW(codec::parse<pca::crl_configuration>(R"({"Enabled":"yes"})"), codec::decode_error);
    BOOST_CHECK_THROW(codec::parse<pca::crl_configuration>(R"({"ExpirationInDays":7})"), codec::decode_error);
    BOOST_CHECK_THROW(codec::parse<pca::crl_configuration>(R"({"Enabled":true,"CrlType":"DELTA"})"),
                      codec::decode_error);
    BOOST_CHECK_THROW(codec::parse<pca::crl_configuration>("not json"), codec::decode_error);
    BOOST_CHECK_THROW(codec::dump(codec::to_json(std::string("\xff\xfe"))), codec::decode_error);
}

BOOST_AUTO_TEST_CASE(threads_share_one_store_safely) {
    pca::test::temp_dir dir;
    sqlite_store s(dir.file("pca.db"), ts::test_kek());
    s.insert_ca(ts::full_ca("ca"));
    std::vector<std::thread> pool;
    std::atomic<int> failures{0};
    for (int t = 0; t < 4; ++t) {
        pool.emplace_back([&, t] {
            try {
                for (int i = 0; i < 40; ++i) {
                    const bytes serial = {static_cast<std::uint8_t>(t + 1), static_cast<std::uint8_t>(i)};
                    if (!s.reserve_certificate(ts::make_certificate("ca", serial))) ++failures;
                    if (!s.find_ca("ca")) ++failures;
                    if (i % 10 == 0) (void)s.next_crl_number("ca");
                }
            } catch (...) {
                ++failures;
            }
        });
    }
    for (auto& th : pool) th.join();
    BOOST_TEST(failures.load() == 0);
    BOOST_TEST(s.count_certificates("ca") == 160u);
    BOOST_TEST(s.find_ca("ca")->crl_number == 41 + 16);
}

BOOST_AUTO_TEST_SUITE_END()
