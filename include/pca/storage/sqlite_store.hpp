// pca/storage/sqlite_store.hpp - the durable state store on SQLite (the embedded default).
//
// One database file holds every CA, issued certificate, audit report and idempotency token.
// The semantics are memory_store's (store.hpp); what this adds is durability and sharing:
//
// - WAL journal, synchronous=FULL: every method is one transaction, durable when it returns,
//   except the issuance pair: reserve_certificate's fsync runs on the store's sync thread
//   while the caller signs, and complete_certificate waits for it before storing the
//   certificate (sqlite_store_options::durability = process_crash trades power-loss
//   durability for no fsync per commit).
// - Several processes may open one file. Writes take the write lock up front (BEGIN
//   IMMEDIATE) and serialize; readers see the last committed state; busy_timeout bounds the
//   wait, after which the call fails with ThrottlingException (retryable).
// - Serials are unique per CA by a UNIQUE (ca_id, serial) constraint, so two processes can
//   never both record the same serial; CRL numbers are an atomic UPDATE ... RETURNING.
// - CA private keys are sealed with AES-256-GCM under the caller's key-encryption key
//   (key_protection.hpp); the KEK is checked against a stored check value at open time.
// - The schema is versioned (PRAGMA application_id + user_version) with forward migrations;
//   a file that is not ours, is corrupt, or is newer than this build is refused before
//   anything is written.
//
// Thread safety: one connection per sqlite_store, guarded by a mutex; every method may be
// called from any thread. Do not share a sqlite_store across fork(): open a new one in the
// child. docs/storage.md has the schema, the crash analysis and the limits.
#pragma once

#include <array>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include <sqlite3.h>

#if defined(__unix__) || defined(__APPLE__)
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#define PCA_SQLITE_STORE_POSIX 1
#else
#define PCA_SQLITE_STORE_POSIX 0
#endif

#include <nlohmann/json.hpp>

#include "pca/core/bytes.hpp"
#include "pca/core/error.hpp"
#include "pca/core/rng.hpp"
#include "pca/core/time.hpp"
#include "pca/crypto/drbg.hpp"
#include "pca/storage/key_protection.hpp"
#include "pca/storage/records.hpp"
#include "pca/storage/store.hpp"
#include "pca/types/enums.hpp"
#include "pca/types/shapes.hpp"

namespace pca::storage {

/// The file is not a pca database, is corrupt, or was written by a newer pca: it was not
/// opened and nothing in it was changed.
class database_format_error : public storage_error {
public:
    explicit database_format_error(const std::string& message) : storage_error(message) {}
};

namespace detail {
/// A file whose SQLite header says application_id 0 but which is not empty: foreign, or a pca
/// database another process is creating right now (WAL mode is set before the schema). The
/// constructor retries a few times before reporting it as foreign.
class maybe_being_created : public database_format_error {
public:
    using database_format_error::database_format_error;
};
}  // namespace detail

// =============================================================================================
// JSON forms of the structured fields. Member names are the acm-pca wire names, so the stored
// JSON reads like the API's; absent optionals are absent keys, so every optional member
// (including present-but-empty strings and lists) round-trips exactly.
// =============================================================================================
namespace codec {

using json = nlohmann::json;

/// A stored JSON value that does not have the expected shape.
class decode_error : public std::runtime_error {
public:
    explicit decode_error(const std::string& what) : std::runtime_error(what) {}
};

// Declarations first: the templates below find these by ordinary lookup.
json to_json(const std::string& v);
json to_json(bool v);
json to_json(std::int32_t v);
json to_json(const custom_attribute& v);
json to_json(const asn1_subject& v);
json to_json(const other_name& v);
json to_json(const edi_party_name& v);
json to_json(const general_name& v);
json to_json(const key_usage& v);
json to_json(const access_method& v);
json to_json(const access_description& v);
json to_json(const csr_extensions& v);
json to_json(const certificate_authority_configuration& v);
json to_json(const crl_distribution_point_extension_configuration& v);
json to_json(const crl_configuration& v);
json to_json(const ocsp_configuration& v);
json to_json(const revocation_configuration& v);
json to_json(const tag& v);
json to_json(const permission_record& v);

void from_json(const json& j, std::string& v);
void from_json(const json& j, bool& v);
void from_json(const json& j, std::int32_t& v);
void from_json(const json& j, custom_attribute& v);
void from_json(const json& j, asn1_subject& v);
void from_json(const json& j, other_name& v);
void from_json(const json& j, edi_party_name& v);
void from_json(const json& j, general_name& v);
void from_json(const json& j, key_usage& v);
void from_json(const json& j, access_method& v);
void from_json(const json& j, access_description& v);
void from_json(const json& j, csr_extensions& v);
void from_json(const json& j, certificate_authority_configuration& v);
void from_json(const json& j, crl_distribution_point_extension_configuration& v);
void from_json(const json& j, crl_configuration& v);
void from_json(const json& j, ocsp_configuration& v);
void from_json(const json& j, revocation_configuration& v);
void from_json(const json& j, tag& v);
void from_json(const json& j, permission_record& v);

/// Enums as their wire spelling.
template <class E, std::enable_if_t<std::is_enum_v<E>, int> = 0>
json to_json(E v) {
    return std::string(to_string(v));
}
template <class E, std::enable_if_t<std::is_enum_v<E>, int> = 0>
void from_json(const json& j, E& v) {
    if (!j.is_string()) throw decode_error(std::string(enum_traits<E>::shape_name) + " is not a string");
    auto parsed = try_parse_enum<E>(j.get_ref<const std::string&>());
    if (!parsed)
        throw decode_error("'" + j.get<std::string>() + "' is not a " + std::string(enum_traits<E>::shape_name));
    v = *parsed;
}

template <class T>
json to_json(const std::vector<T>& v) {
    json a = json::array();
    for (const auto& x : v) a.push_back(to_json(x));
    return a;
}
template <class T>
void from_json(const json& j, std::vector<T>& v) {
    if (!j.is_array()) throw decode_error("expected a JSON array");
    v.clear();
    v.reserve(j.size());
    for (const auto& x : j) {
        T t{};
        from_json(x, t);
        v.push_back(std::move(t));
    }
}

namespace detail {
template <class T>
void put(json& o, const char* name, const std::optional<T>& v) {
    if (v) o[name] = to_json(*v);
}
template <class T>
void put(json& o, const char* name, const T& v) {
    o[name] = to_json(v);
}
template <class T>
void get(const json& o, const char* name, std::optional<T>& v) {
    auto it = o.find(name);
    if (it == o.end()) {
        v.reset();
        return;
    }
    T t{};
    from_json(*it, t);
    v = std::move(t);
}
template <class T>
void get(const json& o, const char* name, T& v) {
    auto it = o.find(name);
    if (it == o.end()) throw decode_error(std::string("required member ") + name + " is missing");
    from_json(*it, v);
}
inline void expect_object(const json& j, const char* shape) {
    if (!j.is_object()) throw decode_error(std::string(shape) + " is not a JSON object");
}
}  // namespace detail

inline json to_json(const std::string& v) { return v; }
inline json to_json(bool v) { return v; }
inline json to_json(std::int32_t v) { return v; }
inline void from_json(const json& j, std::string& v) {
    if (!j.is_string()) throw decode_error("expected a JSON string");
    v = j.get<std::string>();
}
inline void from_json(const json& j, bool& v) {
    if (!j.is_boolean()) throw decode_error("expected a JSON boolean");
    v = j.get<bool>();
}
inline void from_json(const json& j, std::int32_t& v) {
    if (!j.is_number_integer()) throw decode_error("expected a JSON integer");
    const auto x = j.get<std::int64_t>();
    if (x < INT32_MIN || x > INT32_MAX) throw decode_error("integer out of range");
    v = static_cast<std::int32_t>(x);
}

inline json to_json(const custom_attribute& v) {
    json o = json::object();
    detail::put(o, "ObjectIdentifier", v.object_identifier);
    detail::put(o, "Value", v.value);
    return o;
}
inline void from_json(const json& j, custom_attribute& v) {
    detail::expect_object(j, "CustomAttribute");
    detail::get(j, "ObjectIdentifier", v.object_identifier);
    detail::get(j, "Value", v.value);
}

inline json to_json(const asn1_subject& v) {
    json o = json::object();
    detail::put(o, "Country", v.country);
    detail::put(o, "Organization", v.organization);
    detail::put(o, "OrganizationalUnit", v.organizational_unit);
    detail::put(o, "DistinguishedNameQualifier", v.distinguished_name_qualifier);
    detail::put(o, "State", v.state);
    detail::put(o, "CommonName", v.common_name);
    detail::put(o, "SerialNumber", v.serial_number);
    detail::put(o, "Locality", v.locality);
    detail::put(o, "Title", v.title);
    detail::put(o, "Surname", v.surname);
    detail::put(o, "GivenName", v.given_name);
    detail::put(o, "Initials", v.initials);
    detail::put(o, "Pseudonym", v.pseudonym);
    detail::put(o, "GenerationQualifier", v.generation_qualifier);
    detail::put(o, "CustomAttributes", v.custom_attributes);
    return o;
}
inline void from_json(const json& j, asn1_subject& v) {
    detail::expect_object(j, "ASN1Subject");
    detail::get(j, "Country", v.country);
    detail::get(j, "Organization", v.organization);
    detail::get(j, "OrganizationalUnit", v.organizational_unit);
    detail::get(j, "DistinguishedNameQualifier", v.distinguished_name_qualifier);
    detail::get(j, "State", v.state);
    detail::get(j, "CommonName", v.common_name);
    detail::get(j, "SerialNumber", v.serial_number);
    detail::get(j, "Locality", v.locality);
    detail::get(j, "Title", v.title);
    detail::get(j, "Surname", v.surname);
    detail::get(j, "GivenName", v.given_name);
    detail::get(j, "Initials", v.initials);
    detail::get(j, "Pseudonym", v.pseudonym);
    detail::get(j, "GenerationQualifier", v.generation_qualifier);
    detail::get(j, "CustomAttributes", v.custom_attributes);
}

inline json to_json(const other_name& v) {
    json o = json::object();
    detail::put(o, "TypeId", v.type_id);
    detail::put(o, "Value", v.value);
    return o;
}
inline void from_json(const json& j, other_name& v) {
    detail::expect_object(j, "OtherName");
    detail::get(j, "TypeId", v.type_id);
    detail::get(j, "Value", v.value);
}

inline json to_json(const edi_party_name& v) {
    json o = json::object();
    detail::put(o, "PartyName", v.party_name);
    detail::put(o, "NameAssigner", v.name_assigner);
    return o;
}
inline void from_json(const json& j, edi_party_name& v) {
    detail::expect_object(j, "EdiPartyName");
    detail::get(j, "PartyName", v.party_name);
    detail::get(j, "NameAssigner", v.name_assigner);
}

inline json to_json(const general_name& v) {
    json o = json::object();
    detail::put(o, "OtherName", v.other_name);
    detail::put(o, "Rfc822Name", v.rfc822_name);
    detail::put(o, "DnsName", v.dns_name);
    detail::put(o, "DirectoryName", v.directory_name);
    detail::put(o, "EdiPartyName", v.edi_party_name);
    detail::put(o, "UniformResourceIdentifier", v.uniform_resource_identifier);
    detail::put(o, "IpAddress", v.ip_address);
    detail::put(o, "RegisteredId", v.registered_id);
    return o;
}
inline void from_json(const json& j, general_name& v) {
    detail::expect_object(j, "GeneralName");
    detail::get(j, "OtherName", v.other_name);
    detail::get(j, "Rfc822Name", v.rfc822_name);
    detail::get(j, "DnsName", v.dns_name);
    detail::get(j, "DirectoryName", v.directory_name);
    detail::get(j, "EdiPartyName", v.edi_party_name);
    detail::get(j, "UniformResourceIdentifier", v.uniform_resource_identifier);
    detail::get(j, "IpAddress", v.ip_address);
    detail::get(j, "RegisteredId", v.registered_id);
}

inline json to_json(const key_usage& v) {
    json o = json::object();
    detail::put(o, "DigitalSignature", v.digital_signature);
    detail::put(o, "NonRepudiation", v.non_repudiation);
    detail::put(o, "KeyEncipherment", v.key_encipherment);
    detail::put(o, "DataEncipherment", v.data_encipherment);
    detail::put(o, "KeyAgreement", v.key_agreement);
    detail::put(o, "KeyCertSign", v.key_cert_sign);
    detail::put(o, "CRLSign", v.crl_sign);
    detail::put(o, "EncipherOnly", v.encipher_only);
    detail::put(o, "DecipherOnly", v.decipher_only);
    return o;
}
inline void from_json(const json& j, key_usage& v) {
    detail::expect_object(j, "KeyUsage");
    detail::get(j, "DigitalSignature", v.digital_signature);
    detail::get(j, "NonRepudiation", v.non_repudiation);
    detail::get(j, "KeyEncipherment", v.key_encipherment);
    detail::get(j, "DataEncipherment", v.data_encipherment);
    detail::get(j, "KeyAgreement", v.key_agreement);
    detail::get(j, "KeyCertSign", v.key_cert_sign);
    detail::get(j, "CRLSign", v.crl_sign);
    detail::get(j, "EncipherOnly", v.encipher_only);
    detail::get(j, "DecipherOnly", v.decipher_only);
}

inline json to_json(const access_method& v) {
    json o = json::object();
    detail::put(o, "CustomObjectIdentifier", v.custom_object_identifier);
    detail::put(o, "AccessMethodType", v.access_method_type);
    return o;
}
inline void from_json(const json& j, access_method& v) {
    detail::expect_object(j, "AccessMethod");
    detail::get(j, "CustomObjectIdentifier", v.custom_object_identifier);
    detail::get(j, "AccessMethodType", v.access_method_type);
}

inline json to_json(const access_description& v) {
    json o = json::object();
    detail::put(o, "AccessMethod", v.access_method);
    detail::put(o, "AccessLocation", v.access_location);
    return o;
}
inline void from_json(const json& j, access_description& v) {
    detail::expect_object(j, "AccessDescription");
    detail::get(j, "AccessMethod", v.access_method);
    detail::get(j, "AccessLocation", v.access_location);
}

inline json to_json(const csr_extensions& v) {
    json o = json::object();
    detail::put(o, "KeyUsage", v.key_usage);
    detail::put(o, "SubjectInformationAccess", v.subject_information_access);
    return o;
}
inline void from_json(const json& j, csr_extensions& v) {
    detail::expect_object(j, "CsrExtensions");
    detail::get(j, "KeyUsage", v.key_usage);
    detail::get(j, "SubjectInformationAccess", v.subject_information_access);
}

inline json to_json(const certificate_authority_configuration& v) {
    json o = json::object();
    detail::put(o, "KeyAlgorithm", v.key_algorithm);
    detail::put(o, "SigningAlgorithm", v.signing_algorithm);
    detail::put(o, "Subject", v.subject);
    detail::put(o, "CsrExtensions", v.csr_extensions);
    return o;
}
inline void from_json(const json& j, certificate_authority_configuration& v) {
    detail::expect_object(j, "CertificateAuthorityConfiguration");
    detail::get(j, "KeyAlgorithm", v.key_algorithm);
    detail::get(j, "SigningAlgorithm", v.signing_algorithm);
    detail::get(j, "Subject", v.subject);
    detail::get(j, "CsrExtensions", v.csr_extensions);
}

inline json to_json(const crl_distribution_point_extension_configuration& v) {
    json o = json::object();
    detail::put(o, "OmitExtension", v.omit_extension);
    return o;
}
inline void from_json(const json& j, crl_distribution_point_extension_configuration& v) {
    detail::expect_object(j, "CrlDistributionPointExtensionConfiguration");
    detail::get(j, "OmitExtension", v.omit_extension);
}

inline json to_json(const crl_configuration& v) {
    json o = json::object();
    detail::put(o, "Enabled", v.enabled);
    detail::put(o, "ExpirationInDays", v.expiration_in_days);
    detail::put(o, "CustomCname", v.custom_cname);
    detail::put(o, "S3BucketName", v.s3_bucket_name);
    detail::put(o, "S3ObjectAcl", v.s3_object_acl);
    detail::put(o, "CrlDistributionPointExtensionConfiguration", v.crl_distribution_point_extension_configuration);
    detail::put(o, "CrlType", v.crl_type);
    detail::put(o, "CustomPath", v.custom_path);
    return o;
}
inline void from_json(const json& j, crl_configuration& v) {
    detail::expect_object(j, "CrlConfiguration");
    detail::get(j, "Enabled", v.enabled);
    detail::get(j, "ExpirationInDays", v.expiration_in_days);
    detail::get(j, "CustomCname", v.custom_cname);
    detail::get(j, "S3BucketName", v.s3_bucket_name);
    detail::get(j, "S3ObjectAcl", v.s3_object_acl);
    detail::get(j, "CrlDistributionPointExtensionConfiguration", v.crl_distribution_point_extension_configuration);
    detail::get(j, "CrlType", v.crl_type);
    detail::get(j, "CustomPath", v.custom_path);
}

inline json to_json(const ocsp_configuration& v) {
    json o = json::object();
    detail::put(o, "Enabled", v.enabled);
    detail::put(o, "OcspCustomCname", v.ocsp_custom_cname);
    return o;
}
inline void from_json(const json& j, ocsp_configuration& v) {
    detail::expect_object(j, "OcspConfiguration");
    detail::get(j, "Enabled", v.enabled);
    detail::get(j, "OcspCustomCname", v.ocsp_custom_cname);
}

inline json to_json(const revocation_configuration& v) {
    json o = json::object();
    detail::put(o, "CrlConfiguration", v.crl_configuration);
    detail::put(o, "OcspConfiguration", v.ocsp_configuration);
    return o;
}
inline void from_json(const json& j, revocation_configuration& v) {
    detail::expect_object(j, "RevocationConfiguration");
    detail::get(j, "CrlConfiguration", v.crl_configuration);
    detail::get(j, "OcspConfiguration", v.ocsp_configuration);
}

inline json to_json(const tag& v) {
    json o = json::object();
    detail::put(o, "Key", v.key);
    detail::put(o, "Value", v.value);
    return o;
}
inline void from_json(const json& j, tag& v) {
    detail::expect_object(j, "Tag");
    detail::get(j, "Key", v.key);
    detail::get(j, "Value", v.value);
}

/// permission_record is pca's own shape (not a wire shape); it keeps the Permission names.
inline json to_json(const permission_record& v) {
    json o = json::object();
    detail::put(o, "Principal", v.principal);
    detail::put(o, "SourceAccount", v.source_account);
    detail::put(o, "Actions", v.actions);
    o["CreatedAt"] = to_unix(v.created_at);
    return o;
}
inline void from_json(const json& j, permission_record& v) {
    detail::expect_object(j, "Permission");
    detail::get(j, "Principal", v.principal);
    detail::get(j, "SourceAccount", v.source_account);
    detail::get(j, "Actions", v.actions);
    auto it = j.find("CreatedAt");
    if (it == j.end() || !it->is_number_integer()) throw decode_error("Permission.CreatedAt is missing");
    v.created_at = from_unix(it->get<std::int64_t>());
}

/// A DER chain as a JSON array of lowercase hex strings.
inline json chain_to_json(const std::vector<bytes>& chain) {
    json a = json::array();
    for (const auto& der : chain) a.push_back(to_hex(der));
    return a;
}
inline std::vector<bytes> chain_from_json(const json& j) {
    if (!j.is_array()) throw decode_error("the chain is not a JSON array");
    std::vector<bytes> out;
    for (const auto& x : j) {
        bytes der;
        if (!x.is_string() || !from_hex(x.get<std::string>(), der)) throw decode_error("a chain entry is not hex");
        out.push_back(std::move(der));
    }
    return out;
}

/// Compact JSON text; throws decode_error for strings that are not valid UTF-8.
inline std::string dump(const json& j) {
    try {
        return j.dump(-1, ' ', false, json::error_handler_t::strict);
    } catch (const json::exception& e) {
        throw decode_error(std::string("cannot encode as JSON: ") + e.what());
    }
}

/// Parses stored JSON text and decodes it into T.
template <class T>
T parse(std::string_view text) {
    json j = json::parse(text.begin(), text.end(), nullptr, false);
    if (j.is_discarded()) throw decode_error("not valid JSON");
    T v{};
    from_json(j, v);
    return v;
}

}  // namespace codec

// =============================================================================================
// SQLite plumbing
// =============================================================================================
namespace detail::sqlite {

struct closer {
    void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
using connection = std::unique_ptr<sqlite3, closer>;

/// Throws the error that fits an SQLite result code.
[[noreturn]] inline void fail(sqlite3* db, int rc, const std::string& what) {
    const std::string detail = std::string(db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)) + " (SQLite code " +
                               std::to_string(rc) + ")";
    switch (rc & 0xff) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            throw throttling_exception(what + ": the database is busy (another connection held its lock longer "
                                              "than busy_timeout); retry: " + detail);
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
            throw database_format_error(what + ": the database file is corrupt or not a database: " + detail);
        case SQLITE_FULL: throw storage_error(what + ": the disk is full: " + detail);
        default: throw storage_error(what + ": " + detail);
    }
}

/// Prepared statements of one connection, kept by SQL text so that a frequent call does not
/// parse its SQL again (preparing was ~75,000 instructions per statement, a third of the
/// store's CPU cost per issuance). Not thread-safe: used under the store's mutex. Destroy it
/// before its connection closes.
class statement_cache {
public:
    struct entry {
        sqlite3_stmt* stmt = nullptr;
        bool busy = false;
    };
    statement_cache() = default;
    /// Finalizes every statement (before its connection closes).
    void clear() noexcept {
        for (auto& e : m_entries) sqlite3_finalize(e.second.stmt);
        m_entries.clear();
    }
    ~statement_cache() {
        for (auto& e : m_entries) sqlite3_finalize(e.second.stmt);
    }
    statement_cache(const statement_cache&) = delete;
    statement_cache& operator=(const statement_cache&) = delete;

    /// The idle cached statement for `sql`, or a new one prepared for the cache (nullptr entry
    /// with `*stmt` set: an uncached statement, when the cached one is in use).
    entry* acquire(sqlite3* db, std::string_view sql, sqlite3_stmt** stmt);

private:
    std::map<std::string, entry, std::less<>> m_entries;
};

/// A prepared statement; parameters are 1-based, columns 0-based (as in SQLite).
class statement {
public:
    statement(sqlite3* db, std::string_view sql) : m_db(db) {
        const int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &m_stmt, nullptr);
        if (rc != SQLITE_OK) fail(db, rc, "preparing a statement");
    }
    /// Borrows the cache's statement for `sql` (reset and unbound again when destroyed).
    statement(sqlite3* db, statement_cache& cache, std::string_view sql) : m_db(db) {
        m_entry = cache.acquire(db, sql, &m_stmt);
    }
    ~statement() {
        if (m_entry) {
            sqlite3_reset(m_stmt);
            sqlite3_clear_bindings(m_stmt);
            m_entry->busy = false;
        } else {
            sqlite3_finalize(m_stmt);
        }
    }
    statement(const statement&) = delete;
    statement& operator=(const statement&) = delete;

    statement& bind(int i, std::string_view text) {
        static const char empty = 0;
        check(sqlite3_bind_text(m_stmt, i, text.empty() ? &empty : text.data(), static_cast<int>(text.size()),
                                SQLITE_TRANSIENT));
        return *this;
    }
    statement& bind(int i, const std::string& text) { return bind(i, std::string_view(text)); }
    statement& bind(int i, const char*) = delete;  // would be ambiguous with byte_view/text
    statement& bind_blob(int i, byte_view b) {
        // A null pointer would bind SQL NULL; a zero-length blob needs a non-null pointer.
        static const std::uint8_t empty = 0;
        check(sqlite3_bind_blob(m_stmt, i, b.empty() ? &empty : b.data(), static_cast<int>(b.size()),
                                SQLITE_TRANSIENT));
        return *this;
    }
    statement& bind(int i, std::int64_t v) {
        check(sqlite3_bind_int64(m_stmt, i, v));
        return *this;
    }
    statement& bind(int i, sys_seconds t) { return bind(i, to_unix(t)); }
    statement& bind_null(int i) {
        check(sqlite3_bind_null(m_stmt, i));
        return *this;
    }
    template <class T>
    statement& bind(int i, const std::optional<T>& v) {
        if (!v) return bind_null(i);
        return bind(i, *v);
    }

    /// Runs one step: true when a row is ready, false when done.
    bool step() {
        const int rc = sqlite3_step(m_stmt);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        fail(m_db, rc, "executing a statement");
    }
    /// Runs to completion (for statements that return no rows).
    void run() {
        while (step()) {
        }
    }

    bool is_null(int c) const { return sqlite3_column_type(m_stmt, c) == SQLITE_NULL; }
    std::int64_t int64(int c) const { return sqlite3_column_int64(m_stmt, c); }
    sys_seconds time(int c) const { return from_unix(int64(c)); }
    std::optional<sys_seconds> opt_time(int c) const {
        if (is_null(c)) return std::nullopt;
        return time(c);
    }
    std::string text(int c) const {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, c));
        const int n = sqlite3_column_bytes(m_stmt, c);
        return p ? std::string(p, static_cast<std::size_t>(n)) : std::string();
    }
    std::optional<std::string> opt_text(int c) const {
        if (is_null(c)) return std::nullopt;
        return text(c);
    }
    bytes blob(int c) const {
        const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(m_stmt, c));
        const int n = sqlite3_column_bytes(m_stmt, c);
        return p ? bytes(p, p + n) : bytes();
    }

private:
    void check(int rc) {
        if (rc != SQLITE_OK) fail(m_db, rc, "binding a parameter");
    }

    sqlite3* m_db;
    sqlite3_stmt* m_stmt = nullptr;
    statement_cache::entry* m_entry = nullptr;
};

inline statement_cache::entry* statement_cache::acquire(sqlite3* db, std::string_view sql, sqlite3_stmt** stmt) {
    auto it = m_entries.find(sql);
    if (it != m_entries.end() && !it->second.busy) {
        it->second.busy = true;
        *stmt = it->second.stmt;
        return &it->second;
    }
    const bool keep = it == m_entries.end();
    const int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), keep ? SQLITE_PREPARE_PERSISTENT : 0,
                                      stmt, nullptr);
    if (rc != SQLITE_OK) fail(db, rc, "preparing a statement");
    if (!keep) return nullptr;
    try {
        entry& e = m_entries.emplace(std::string(sql), entry{*stmt, true}).first->second;
        return &e;
    } catch (...) {
        sqlite3_finalize(*stmt);
        throw;
    }
}

/// Runs SQL without parameters or results (may hold several statements).
inline void exec(sqlite3* db, const char* sql) {
    char* message = nullptr;
    const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        const std::string text = message ? message : sqlite3_errstr(rc);
        sqlite3_free(message);
        fail(db, rc, std::string("executing '") + std::string(sql).substr(0, 60) + "': " + text);
    }
}

/// One integer from a query such as "PRAGMA user_version".
inline std::int64_t query_int(sqlite3* db, const char* sql) {
    statement s(db, sql);
    if (!s.step()) return 0;
    return s.int64(0);
}

/// A transaction that rolls back unless committed. `immediate` takes the write lock at BEGIN
/// (so a write never fails half-way with SQLITE_BUSY_SNAPSHOT and writers queue in
/// busy_timeout); deferred ones are for consistent multi-statement reads.
class transaction {
public:
    /// With a `cache`, BEGIN and COMMIT are prepared once per connection. sqlite_store does not
    /// use it: a cached BEGIN IMMEDIATE sometimes failed at once with SQLITE_BUSY (no busy
    /// timeout) while other processes were creating the same new file (1 run in 40 of
    /// storage_multiprocess/processes_creating_one_new_file_at_once_agree_on_schema_and_salt).
    transaction(sqlite3* db, bool immediate, statement_cache* cache = nullptr) : m_db(db), m_cache(cache) {
        run(immediate ? "BEGIN IMMEDIATE" : "BEGIN");
    }
    ~transaction() {
        if (!m_done) sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
    }
    transaction(const transaction&) = delete;
    transaction& operator=(const transaction&) = delete;
    void commit() {
        run("COMMIT");
        m_done = true;
    }

private:
    void run(const char* sql) {
        if (m_cache) statement(m_db, *m_cache, sql).run();
        else exec(m_db, sql);
    }
    sqlite3* m_db;
    statement_cache* m_cache;
    bool m_done = false;
};

#if PCA_SQLITE_STORE_POSIX
/// Makes a connection's WAL durable off the calling thread, so that the fsync of a serial
/// reservation overlaps the signature instead of preceding it (docs/storage.md, "Durability").
/// After a commit made with synchronous=NORMAL (the frames are in the WAL, not yet on disk),
/// request() returns a ticket; wait(ticket) returns once an fdatasync of the WAL file that began
/// after that request has succeeded. One fdatasync serves every request made before it began
/// (group commit). A failed fdatasync is final for this object: Linux may drop the dirty pages
/// it could not write, so no later sync could vouch for them; every wait then throws.
class wal_syncer {
public:
    /// `wal_path`: the file SQLite writes the connection's WAL to (sqlite3_filename_wal).
    explicit wal_syncer(std::string wal_path) : m_path(std::move(wal_path)) {}
    ~wal_syncer() {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_stop = true;
        }
        m_work.notify_one();
        if (m_thread.joinable()) m_thread.join();
        if (m_fd >= 0) ::close(m_fd);
    }
    wal_syncer(const wal_syncer&) = delete;
    wal_syncer& operator=(const wal_syncer&) = delete;

    /// Asks for the WAL as written so far to reach the disk; call after the commit.
    std::uint64_t request() {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (!m_error.empty()) throw storage_error(m_error);
        if (!m_thread.joinable()) m_thread = std::thread([this] { run(); });
        const std::uint64_t ticket = ++m_requested;
        m_work.notify_one();
        return ticket;
    }
    /// The latest ticket handed out (0: none).
    std::uint64_t requested() const {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_requested;
    }
    /// Every ticket up to this one is on disk.
    std::uint64_t synced() const {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_synced;
    }
    /// Blocks until `ticket` is on disk; storage_error if the sync failed.
    void wait(std::uint64_t ticket) {
        std::unique_lock<std::mutex> lock(m_mutex);
        m_done.wait(lock, [&] { return m_synced >= ticket || !m_error.empty(); });
        if (m_synced < ticket) throw storage_error(m_error);
    }

private:
    void run() {
        std::unique_lock<std::mutex> lock(m_mutex);
        for (;;) {
            m_work.wait(lock, [&] { return m_stop || m_requested > m_synced; });
            if (m_requested == m_synced) return;  // stopping with nothing pending
            const std::uint64_t target = m_requested;
            lock.unlock();
            std::string error = sync_once();
            lock.lock();
            if (!error.empty()) {
                m_error = std::move(error);
                m_done.notify_all();
                return;
            }
            m_synced = target;
            m_done.notify_all();
        }
    }

    /// fdatasync of the WAL; "" on success, else what went wrong.
    std::string sync_once() {
        for (int attempt = 0; attempt < 3; ++attempt) {
            bool opened_now = false;
            if (m_fd < 0) {
                m_fd = ::open(m_path.c_str(), O_RDWR | O_CLOEXEC);
                if (m_fd < 0) return "cannot open " + m_path + " to sync it: " + std::strerror(errno);
                opened_now = true;
            }
            int rc;
            do rc = ::fdatasync(m_fd);
            while (rc != 0 && errno == EINTR);
            if (rc != 0) return "fdatasync of " + m_path + " failed: " + std::strerror(errno);
            if (opened_now && !m_directory_synced) {
                // The WAL's directory entry too, once (SQLite does the same when it creates a WAL).
                const auto slash = m_path.find_last_of('/');
                const std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : m_path.substr(0, slash);
                const int dfd = ::open(dir.c_str(), O_RDONLY | O_CLOEXEC);
                if (dfd >= 0) {
                    while (::fsync(dfd) != 0 && errno == EINTR) {
                    }
                    ::close(dfd);
                }
                m_directory_synced = true;
            }
            // SQLite keeps one WAL file while any connection is open, so this is the file it
            // writes; if it was ever replaced, sync the one it uses now.
            struct stat ours {}, current {};
            if (::fstat(m_fd, &ours) == 0 && ::stat(m_path.c_str(), &current) == 0 && ours.st_dev == current.st_dev &&
                ours.st_ino == current.st_ino)
                return {};
            ::close(m_fd);
            m_fd = -1;
        }
        return m_path + " kept being replaced while it was synced";
    }

    const std::string m_path;
    int m_fd = -1;  ///< used by the sync thread only
    bool m_directory_synced = false;
    mutable std::mutex m_mutex;
    std::condition_variable m_work, m_done;
    std::uint64_t m_requested = 0, m_synced = 0;
    std::string m_error;
    bool m_stop = false;
    std::thread m_thread;
};
#endif

}  // namespace detail::sqlite

// =============================================================================================
// Schema and migrations
// =============================================================================================
namespace sqlite_schema {

/// "pcaS": PRAGMA application_id of every pca database.
inline constexpr std::int32_t application_id = 0x70636153;
/// The schema this build writes; it opens files of versions 1 .. current_version.
inline constexpr int current_version = 2;

/// One forward step: from `from_version` to from_version + 1. Runs inside the opening
/// transaction, so a failing step leaves the file at its old version.
struct migration {
    int from_version;
    const char* description;
    void (*apply)(sqlite3* db);
};

inline void create_v1(sqlite3* db) {
    detail::sqlite::exec(db, R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY NOT NULL,
  value BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE certificate_authorities (
  id                       TEXT PRIMARY KEY NOT NULL,
  arn                      TEXT NOT NULL,
  owner_account            TEXT NOT NULL,
  region                   TEXT NOT NULL,
  type                     TEXT NOT NULL,
  status                   TEXT NOT NULL,
  status_before_deletion   TEXT,
  failure_reason           TEXT,
  configuration            TEXT NOT NULL,
  revocation_configuration TEXT,
  key_storage              TEXT NOT NULL,
  usage_mode               TEXT NOT NULL,
  created_at               INTEGER NOT NULL,
  last_state_change_at     INTEGER NOT NULL,
  restorable_until         INTEGER,
  sealed_private_key       BLOB NOT NULL,
  csr                      BLOB NOT NULL,
  certificate              BLOB NOT NULL,
  chain                    TEXT NOT NULL,
  tags                     TEXT NOT NULL,
  policy                   TEXT,
  permissions              TEXT NOT NULL,
  crl_number               INTEGER NOT NULL CHECK (crl_number >= 0),
  last_crl_at              INTEGER,
  last_audit_report_at     INTEGER,
  version                  INTEGER NOT NULL
);
CREATE INDEX certificate_authorities_by_creation ON certificate_authorities (created_at, id);

CREATE TABLE certificates (
  seq                INTEGER PRIMARY KEY,
  ca_id              TEXT NOT NULL REFERENCES certificate_authorities (id) ON DELETE CASCADE,
  serial             BLOB NOT NULL,
  arn                TEXT NOT NULL,
  certificate        BLOB NOT NULL,
  template_arn       TEXT NOT NULL,
  subject            TEXT NOT NULL,
  issued_at          INTEGER NOT NULL,
  not_before         INTEGER NOT NULL,
  not_after          INTEGER NOT NULL,
  account            TEXT NOT NULL,
  service_principal  TEXT,
  revoked_at         INTEGER,
  revocation_reason  TEXT,
  CONSTRAINT serial_unique_per_ca UNIQUE (ca_id, serial)
);
CREATE INDEX certificates_revoked ON certificates (ca_id, not_after) WHERE revoked_at IS NOT NULL;

CREATE TABLE audit_reports (
  ca_id          TEXT NOT NULL,
  id             TEXT NOT NULL,
  status         TEXT NOT NULL,
  s3_bucket_name TEXT NOT NULL,
  s3_key         TEXT NOT NULL,
  created_at     INTEGER NOT NULL,
  PRIMARY KEY (ca_id, id)
) WITHOUT ROWID;

CREATE TABLE idempotency_tokens (
  scope               TEXT NOT NULL,
  token               TEXT NOT NULL,
  result              TEXT NOT NULL,
  request_fingerprint TEXT NOT NULL,
  expires_at          INTEGER NOT NULL,
  PRIMARY KEY (scope, token)
) WITHOUT ROWID;
)sql");
}

/// Version 2: the CRL partition a certificate belongs to (CrlType PARTITIONED).
inline void add_crl_partition_v2(sqlite3* db) {
    detail::sqlite::exec(db, "ALTER TABLE certificates ADD COLUMN crl_partition INTEGER");
}

/// Every step, in order; migrations()[v] takes a file from version v to v + 1.
inline const std::array<migration, current_version>& migrations() {
    static const std::array<migration, current_version> list = {{
        {0, "create the version 1 schema", &create_v1},
        {1, "add certificates.crl_partition", &add_crl_partition_v2},
    }};
    return list;
}

/// Applies steps[from .. to) in order. The caller holds a write transaction and sets
/// PRAGMA user_version afterwards (in the same transaction).
inline void migrate(sqlite3* db, int from, int to, const migration* steps, std::size_t count) {
    for (int v = from; v < to; ++v) {
        if (v < 0 || static_cast<std::size_t>(v) >= count || steps[v].from_version != v)
            throw storage_error("no migration from schema version " + std::to_string(v));
        steps[v].apply(db);
    }
}

}  // namespace sqlite_schema

/// How a sqlite_store opens its file.
/// What a committed change survives by the time the store's method returns.
enum class sqlite_durability {
    /// WAL with synchronous=FULL (the default): every commit is fsynced, so it survives a power
    /// loss or an OS crash. Costs one fsync per issuance (the disk's latency, ~0.5 ms on an SSD).
    power_loss,
    /// WAL with synchronous=NORMAL for every commit: a commit survives a crash of the process
    /// (SIGKILL, abort) at once, but the last commits before a power loss or an OS crash may
    /// roll back (the database stays consistent: SQLite syncs at checkpoints). No fsync per
    /// issuance. For caches, tests and throughput runs; a CA of record keeps power_loss.
    process_crash,
};

struct sqlite_store_options {
    /// How long a call waits for another connection's lock before ThrottlingException.
    std::chrono::milliseconds busy_timeout{10'000};
    sqlite_durability durability = sqlite_durability::power_loss;
    /// Random source for nonces and the KDF salt; nullptr: crypto::thread_local_drbg().
    /// Must be a CSPRNG and safe to call from several threads.
    pca::rng* rng = nullptr;
};

class sqlite_store final : public store {
public:
    /// Opens (creating if absent) the database at `path`. Throws database_format_error for a
    /// file that is not a pca database, is corrupt or is newer than this build (nothing is
    /// written to it), key_encryption_key_mismatch when `kek` does not match the database,
    /// storage_error for I/O failures.
    sqlite_store(const std::string& path, const key_encryption_key& kek, sqlite_store_options options = {})
        : m_path(path), m_options(options) {
        std::error_code ec;
        bool existed = std::filesystem::exists(path, ec);
#if PCA_SQLITE_STORE_POSIX
        // Create the file owner-only (SQLite gives -wal and -shm the main file's mode).
        if (!existed) {
            const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
            if (fd >= 0) ::close(fd);
            existed = std::filesystem::exists(path, ec);
        }
#endif
        // Several processes may create one new file at once; while one of them is between
        // switching the file to WAL and committing the schema, the others can see a foreign-
        // looking header (application_id 0) or get SQLITE_BUSY without the busy timeout (the
        // WAL index is being set up). Both are retried for a while (test:
        // storage_multiprocess/processes_creating_one_new_file_at_once_agree_on_schema_and_salt).
        for (int attempt = 0;; ++attempt) {
            const auto started = std::chrono::steady_clock::now();
            try {
                if (existed) probe(path);
                open_connection(existed);
                initialize(kek);
                break;
            } catch (const detail::maybe_being_created&) {
                if (attempt >= 20) throw;  // 20 x 25 ms: a genuinely foreign file
            } catch (const throttling_exception&) {
                // A lock held past busy_timeout is reported at once; only a BUSY that came
                // without waiting is retried.
                if (attempt >= 20 || std::chrono::steady_clock::now() - started >= m_options.busy_timeout / 2) throw;
            }
            m_statements.clear();
            m_db.reset();
            std::this_thread::sleep_for(std::chrono::milliseconds(25));
            existed = std::filesystem::exists(path, ec);
        }
    }

    sqlite_store(const sqlite_store&) = delete;
    sqlite_store& operator=(const sqlite_store&) = delete;

    const std::string& path() const noexcept { return m_path; }
    /// PRAGMA user_version of the open file (current_version once opened).
    int schema_version() const {
        std::lock_guard<std::mutex> lock(m_mutex);
        return static_cast<int>(detail::sqlite::query_int(db(), "PRAGMA user_version"));
    }

    // ---- certificate authorities ------------------------------------------------------
    void insert_ca(const ca_record& ca) override {
        const bytes sealed = seal(ca);
        std::lock_guard<std::mutex> lock(m_mutex);
        forget_ca(ca.id);
        detail::sqlite::transaction tx(db(), true);
        detail::sqlite::statement s(db(), m_statements, "INSERT INTO certificate_authorities (" + std::string(ca_columns) +
                                              ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
                                              "?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26) "
                                              "ON CONFLICT (id) DO NOTHING");
        bind_ca(s, ca, sealed, ca.version);
        s.run();
        if (sqlite3_changes(db()) == 0) throw concurrent_modification_exception("a CA with id " + ca.id + " already exists");
        tx.commit();
        m_counts.erase(ca.id);
    }

    void update_ca(ca_record& ca) override {
        const bytes sealed = seal(ca);
        std::lock_guard<std::mutex> lock(m_mutex);
        forget_ca(ca.id);
        detail::sqlite::transaction tx(db(), true);
        // crl_number never goes back: a caller holding an older copy of the record (read
        // before a next_crl_number) cannot undo a number already handed out.
        detail::sqlite::statement s(
            db(), m_statements,
            "UPDATE certificate_authorities SET arn = ?2, owner_account = ?3, region = ?4, type = ?5, status = ?6, "
            "status_before_deletion = ?7, failure_reason = ?8, configuration = ?9, revocation_configuration = ?10, "
            "key_storage = ?11, usage_mode = ?12, created_at = ?13, last_state_change_at = ?14, "
            "restorable_until = ?15, sealed_private_key = ?16, csr = ?17, certificate = ?18, chain = ?19, "
            "tags = ?20, policy = ?21, permissions = ?22, crl_number = MAX(crl_number, ?23), last_crl_at = ?24, "
            "last_audit_report_at = ?25, version = ?26 WHERE id = ?1 AND version = ?27");
        bind_ca(s, ca, sealed, ca.version + 1);
        s.bind(27, static_cast<std::int64_t>(ca.version));
        s.run();
        if (sqlite3_changes(db()) == 0) {
            if (!ca_exists(ca.id)) throw resource_not_found_exception("CA " + ca.arn + " no longer exists");
            throw concurrent_modification_exception("CA " + ca.arn + " was changed by another request; retry");
        }
        tx.commit();
        ++ca.version;
    }

    std::optional<ca_record> find_ca(const std::string& id) const override {
        // Decoding a record (its JSON columns, unsealing the key) was ~115,000 instructions per
        // call, and the service reads the CA on every request. Records are kept while no other
        // connection has committed (PRAGMA data_version unchanged); this connection's own
        // writes to a CA row drop its entry.
        std::lock_guard<std::mutex> lock(m_mutex);
        refresh_caches();
        if (auto it = m_cas.find(id); it != m_cas.end()) return it->second;
        static const std::string select = "SELECT " + std::string(ca_columns) + " FROM certificate_authorities WHERE id = ?1";
        detail::sqlite::statement s(db(), m_statements, select);
        s.bind(1, id);
        if (!s.step()) return std::nullopt;
        ca_record ca = read_ca(s);
        if (m_cas.size() >= max_cached_cas) m_cas.clear();
        m_cas.emplace(id, ca);
        return ca;
    }

    std::vector<ca_record> list_cas() const override {
        std::lock_guard<std::mutex> lock(m_mutex);
        detail::sqlite::statement s(db(), m_statements, "SELECT " + std::string(ca_columns) +
                                              " FROM certificate_authorities ORDER BY created_at, id");
        std::vector<ca_record> out;
        while (s.step()) out.push_back(read_ca(s));
        return out;
    }

    void erase_ca(const std::string& id) override {
        std::lock_guard<std::mutex> lock(m_mutex);
        forget_ca(id);
        detail::sqlite::transaction tx(db(), true);
        // certificates go by ON DELETE CASCADE; audit reports have no foreign key (a report
        // may be recorded for any id, as in memory_store) and are removed here.
        detail::sqlite::statement(db(), m_statements, "DELETE FROM certificate_authorities WHERE id = ?1").bind(1, id).run();
        detail::sqlite::statement(db(), m_statements, "DELETE FROM audit_reports WHERE ca_id = ?1").bind(1, id).run();
        tx.commit();
        m_counts.erase(id);
    }

    std::int64_t next_crl_number(const std::string& ca_id, std::int64_t at_least = 0) override {
        std::lock_guard<std::mutex> lock(m_mutex);
        forget_ca(ca_id);
        detail::sqlite::transaction tx(db(), true);
        detail::sqlite::statement s(db(), m_statements, "UPDATE certificate_authorities SET crl_number = MAX(crl_number + 1, ?2) "
                                          "WHERE id = ?1 RETURNING crl_number");
        s.bind(1, ca_id).bind(2, at_least);
        if (!s.step()) throw resource_not_found_exception("CA " + ca_id + " no longer exists");
        const std::int64_t number = s.int64(0);
        s.run();  // the UPDATE is complete only when the statement has run to its end
        tx.commit();
        return number;
    }

    // ---- issued certificates ----------------------------------------------------------
    bool reserve_certificate(const certificate_record& rec) override {
        std::lock_guard<std::mutex> lock(m_mutex);
        // With power_loss durability the reservation is committed without an fsync of its own
        // and the WAL is synced by a second thread while the caller signs; complete_certificate
        // waits for that sync before it stores the certificate, so no certificate is stored or
        // returned before its reservation is on disk, and the fsync costs no time of its own
        // (docs/storage.md, "Durability"). Elsewhere (no POSIX) the commit is FULL.
        const bool deferred = defer_reservation_sync();
        synchronous_normal relaxed(db(), m_statements, deferred);
        detail::sqlite::transaction tx(db(), true);
        if (!ca_exists(rec.ca_id)) throw resource_not_found_exception("CA " + rec.ca_id + " no longer exists");
        // The UNIQUE (ca_id, serial) constraint decides; DO NOTHING turns a conflict into
        // "no row inserted" instead of an aborted statement.
        detail::sqlite::statement s(
            db(), m_statements,
            "INSERT INTO certificates (ca_id, serial, arn, certificate, template_arn, subject, issued_at, "
            "not_before, not_after, account, service_principal, revoked_at, revocation_reason, crl_partition) VALUES "
            "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) ON CONFLICT (ca_id, serial) DO NOTHING");
        s.bind(1, rec.ca_id).bind_blob(2, rec.serial).bind(3, rec.arn).bind_blob(4, rec.certificate);
        s.bind(5, rec.template_arn).bind(6, rec.subject_rfc2253);
        s.bind(7, rec.issued_at).bind(8, rec.not_before).bind(9, rec.not_after);
        s.bind(10, rec.account).bind(11, rec.service_principal).bind(12, rec.revoked_at);
        if (rec.reason) s.bind(13, to_string(*rec.reason));
        else s.bind_null(13);
        if (rec.crl_partition) s.bind(14, static_cast<std::int64_t>(*rec.crl_partition));
        else s.bind_null(14);
        s.run();
        if (sqlite3_changes(db()) == 0) return false;  // duplicate serial: the transaction rolls back
        tx.commit();
        if (auto it = m_counts.find(rec.ca_id); it != m_counts.end()) ++it->second;
#if PCA_SQLITE_STORE_POSIX
        if (deferred) {
            const std::uint64_t ticket = syncer().request();
            if (m_pending_syncs.size() >= 256) {  // reservations never completed (signing failed)
                const std::uint64_t done = syncer().synced();
                for (auto it = m_pending_syncs.begin(); it != m_pending_syncs.end();)
                    it = it->second <= done ? m_pending_syncs.erase(it) : std::next(it);
            }
            m_pending_syncs[{rec.ca_id, rec.serial}] = ticket;
        }
#endif
        return true;
    }

    void complete_certificate(const std::string& ca_id, const bytes& serial, const bytes& der) override {
#if PCA_SQLITE_STORE_POSIX
        if (defer_reservation_sync()) {
            // The reservation must be on disk before its certificate is stored (and returned).
            std::uint64_t ticket = 0;
            {
                std::lock_guard<std::mutex> lock(m_mutex);
                const auto it = m_pending_syncs.find({ca_id, serial});
                if (it != m_pending_syncs.end()) {
                    ticket = it->second;
                    m_pending_syncs.erase(it);
                } else {
                    ticket = syncer().request();  // reserved elsewhere: sync whatever the WAL holds
                }
            }
            syncer().wait(ticket);  // not under m_mutex: other threads go on meanwhile
        }
#endif
        std::lock_guard<std::mutex> lock(m_mutex);
        // The one commit without an fsync of its own (WAL with synchronous=NORMAL): it survives
        // a crash of the process at once, and a power loss once the next synced commit or a
        // checkpoint syncs the WAL. Lost to a power cut, the reserved row stays pending: a
        // serial the CA knows (audit report, revocable), never a certificate it does not.
        // (With sqlite_durability::process_crash every commit is made that way already.)
        synchronous_normal relaxed(db(), m_statements, m_options.durability == sqlite_durability::power_loss);
        detail::sqlite::transaction tx(db(), true);
        detail::sqlite::statement s(db(), m_statements, "UPDATE certificates SET certificate = ?3 WHERE ca_id = ?1 AND serial = ?2");
        s.bind(1, ca_id).bind_blob(2, serial).bind_blob(3, der);
        s.run();
        if (sqlite3_changes(db()) == 0) not_found(ca_id);
        tx.commit();
    }

    void abandon_certificate(const std::string& ca_id, const bytes& serial) override {
        std::lock_guard<std::mutex> lock(m_mutex);
#if PCA_SQLITE_STORE_POSIX
        m_pending_syncs.erase({ca_id, serial});
#endif
        // No fsync: lost to a power cut, the row stays pending, which is what a crash between
        // the reservation and this call leaves too (docs/storage.md).
        synchronous_normal relaxed(db(), m_statements, m_options.durability == sqlite_durability::power_loss);
        detail::sqlite::transaction tx(db(), true);
        detail::sqlite::statement s(db(), m_statements,
                                    "DELETE FROM certificates WHERE ca_id = ?1 AND serial = ?2 AND length(certificate) = 0 "
                                    "AND revoked_at IS NULL");
        s.bind(1, ca_id).bind_blob(2, serial);
        s.run();
        const bool dropped = sqlite3_changes(db()) != 0;
        tx.commit();
        if (dropped)
            if (auto it = m_counts.find(ca_id); it != m_counts.end() && it->second > 0) --it->second;
    }

    std::optional<certificate_record> find_certificate(const std::string& ca_id, const bytes& serial) const override {
        std::lock_guard<std::mutex> lock(m_mutex);
        detail::sqlite::statement s(db(), m_statements, "SELECT " + std::string(certificate_columns) +
                                              " FROM certificates WHERE ca_id = ?1 AND serial = ?2");
        s.bind(1, ca_id).bind_blob(2, serial);
        if (!s.step()) return std::nullopt;
        return read_certificate(s);
    }

    bool revoke_certificate(const std::string& ca_id, const bytes& serial, sys_seconds at,
                            revocation_reason reason) override {
        std::lock_guard<std::mutex> lock(m_mutex);
        detail::sqlite::transaction tx(db(), true);
        detail::sqlite::statement q(db(), m_statements, "SELECT revoked_at FROM certificates WHERE ca_id = ?1 AND serial = ?2");
        q.bind(1, ca_id).bind_blob(2, serial);
        if (!q.step()) not_found(ca_id);
        if (!q.is_null(0)) return false;
        detail::sqlite::statement s(
            db(), m_statements, "UPDATE certificates SET revoked_at = ?3, revocation_reason = ?4 WHERE ca_id = ?1 AND serial = ?2");
        s.bind(1, ca_id).bind_blob(2, serial).bind(3, at).bind(4, to_string(reason));
        s.run();
        tx.commit();
        return true;
    }

    std::vector<certificate_record> list_certificates(const std::string& ca_id) const override {
        std::lock_guard<std::mutex> lock(m_mutex);
        detail::sqlite::statement s(db(), m_statements, "SELECT " + std::string(certificate_columns) +
                                              " FROM certificates WHERE ca_id = ?1 ORDER BY seq");
        s.bind(1, ca_id);
        std::vector<certificate_record> out;
        while (s.step()) out.push_back(read_certificate(s));
        return out;
    }

    void for_each_certificate(const std::string& ca_id, const std::function<void(const certificate_record&)>& visit,
                              bool with_der = true) const override {
        std::lock_guard<std::mutex> lock(m_mutex);
        // One read transaction: the rows form one snapshot even while other processes write.
        detail::sqlite::transaction tx(db(), false);
        std::string columns = certificate_columns;
        if (!with_der) columns.replace(columns.find("certificate,"), std::string_view("certificate,").size(), "x'',");
        {
            detail::sqlite::statement s(db(), "SELECT " + columns + " FROM certificates WHERE ca_id = ?1 ORDER BY seq");
            s.bind(1, ca_id);
            while (s.step()) visit(read_certificate(s));
        }
        tx.commit();
    }
    std::vector<certificate_record> list_revoked(const std::string& ca_id, sys_seconds not_after_from) const override {
        std::lock_guard<std::mutex> lock(m_mutex);
        detail::sqlite::statement s(db(), m_statements, "SELECT " + std::string(certificate_columns) +
                                              " FROM certificates WHERE ca_id = ?1 AND revoked_at IS NOT NULL "
                                              "AND not_after >= ?2 ORDER BY seq");
        s.bind(1, ca_id).bind(2, not_after_from);
        std::vector<certificate_record> out;
        while (s.step()) out.push_back(read_certificate(s));
        return out;
    }

    std::size_t count_certificates(const std::string& ca_id) const override {
        // COUNT(*) walks the CA's index: O(issued certificates), ~250 ms at 1,000,000, and the
        // service asks before every issuance. The count is kept per CA and stays exact while
        // no other connection has committed (PRAGMA data_version unchanged); this
        // connection's own reservations add to it.
        std::lock_guard<std::mutex> lock(m_mutex);
        refresh_caches();
        if (auto it = m_counts.find(ca_id); it != m_counts.end()) return it->second;
        detail::sqlite::statement s(db(), m_statements, "SELECT COUNT(*) FROM certificates WHERE ca_id = ?1");
        s.bind(1, ca_id);
        s.step();
        const auto n = static_cast<std::size_t>(s.int64(0));
        m_counts[ca_id] = n;
        return n;
    }

    std::size_t count_revoked(const std::string& ca_id) const override {
        // Certificate rows are never deleted while their CA exists (abandon_certificate drops
        // only unrevoked pending rows), so "ever revoked" is "revoked_at is set" (expired ones
        // included).
        std::lock_guard<std::mutex> lock(m_mutex);
        detail::sqlite::statement s(db(), m_statements, "SELECT COUNT(*) FROM certificates WHERE ca_id = ?1 AND revoked_at IS NOT NULL");
        s.bind(1, ca_id);
        s.step();
        return static_cast<std::size_t>(s.int64(0));
    }

    // ---- audit reports ----------------------------------------------------------------
    void put_audit_report(const audit_report_record& r) override {
        std::lock_guard<std::mutex> lock(m_mutex);
        detail::sqlite::transaction tx(db(), true);
        detail::sqlite::statement s(
            db(), m_statements, "INSERT INTO audit_reports (ca_id, id, status, s3_bucket_name, s3_key, created_at) VALUES "
                  "(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (ca_id, id) DO UPDATE SET status = excluded.status, "
                  "s3_bucket_name = excluded.s3_bucket_name, s3_key = excluded.s3_key, "
                  "created_at = excluded.created_at");
        s.bind(1, r.ca_id).bind(2, r.id).bind(3, to_string(r.status)).bind(4, r.s3_bucket_name).bind(5, r.s3_key);
        s.bind(6, r.created_at);
        s.run();
        tx.commit();
    }

    std::optional<audit_report_record> find_audit_report(const std::string& ca_id, const std::string& id) const override {
        std::lock_guard<std::mutex> lock(m_mutex);
        detail::sqlite::statement s(db(), m_statements, "SELECT ca_id, id, status, s3_bucket_name, s3_key, created_at "
                                          "FROM audit_reports WHERE ca_id = ?1 AND id = ?2");
        s.bind(1, ca_id).bind(2, id);
        if (!s.step()) return std::nullopt;
        audit_report_record r;
        r.ca_id = s.text(0);
        r.id = s.text(1);
        r.status = parse_column<audit_report_status>(s.text(2), "audit_reports.status");
        r.s3_bucket_name = s.text(3);
        r.s3_key = s.text(4);
        r.created_at = s.time(5);
        return r;
    }

    // ---- idempotency ------------------------------------------------------------------
    idempotency_record claim_token(const idempotency_record& r, sys_seconds now) override {
        std::lock_guard<std::mutex> lock(m_mutex);
        detail::sqlite::transaction tx(db(), true);
        {
            detail::sqlite::statement q(db(), m_statements, "SELECT result, request_fingerprint, expires_at FROM idempotency_tokens "
                                              "WHERE scope = ?1 AND token = ?2");
            q.bind(1, r.scope).bind(2, r.token);
            if (q.step() && q.time(2) > now) {
                idempotency_record live;
                live.scope = r.scope;
                live.token = r.token;
                live.result = q.text(0);
                live.request_fingerprint = q.text(1);
                live.expires_at = q.time(2);
                return live;  // nothing written; the transaction rolls back
            }
        }
        detail::sqlite::statement s(
            db(), m_statements, "INSERT INTO idempotency_tokens (scope, token, result, request_fingerprint, expires_at) VALUES "
                  "(?1, ?2, ?3, ?4, ?5) ON CONFLICT (scope, token) DO UPDATE SET result = excluded.result, "
                  "request_fingerprint = excluded.request_fingerprint, expires_at = excluded.expires_at");
        s.bind(1, r.scope).bind(2, r.token).bind(3, r.result).bind(4, r.request_fingerprint).bind(5, r.expires_at);
        s.run();
        tx.commit();
        return r;
    }

    void release_token(const std::string& scope, const std::string& token) override {
        std::lock_guard<std::mutex> lock(m_mutex);
        detail::sqlite::transaction tx(db(), true);
        detail::sqlite::statement(db(), m_statements, "DELETE FROM idempotency_tokens WHERE scope = ?1 AND token = ?2")
            .bind(1, scope)
            .bind(2, token)
            .run();
        tx.commit();
    }

private:
    static constexpr const char* ca_columns =
        "id, arn, owner_account, region, type, status, status_before_deletion, failure_reason, configuration, "
        "revocation_configuration, key_storage, usage_mode, created_at, last_state_change_at, restorable_until, "
        "sealed_private_key, csr, certificate, chain, tags, policy, permissions, crl_number, last_crl_at, "
        "last_audit_report_at, version";
    static constexpr const char* certificate_columns =
        "ca_id, serial, arn, certificate, template_arn, subject, issued_at, not_before, not_after, account, "
        "service_principal, revoked_at, revocation_reason, crl_partition";

    static constexpr std::string_view meta_format = "pca.sqlite_store";
    static constexpr std::string_view kdf_none = "none";
    static constexpr std::string_view kdf_pbkdf2 = "pbkdf2-hmac-sha256";

    sqlite3* db() const noexcept { return m_db.get(); }
    pca::rng& rng() const { return m_options.rng ? *m_options.rng : crypto::thread_local_drbg(); }

    // ---- opening ------------------------------------------------------------------------

    /// Checks an existing file before anything may write to it. The 100-byte SQLite header
    /// carries the schema cookie (offset 40), user_version (60) and application_id (68); it is
    /// authoritative unless a non-empty -wal file exists, in which case SQLite itself is asked
    /// through a read-only connection. Either way nothing is written and, for a file without a
    /// WAL, no -wal/-shm side files are created.
    static void probe(const std::string& path) {
        std::error_code ec;
        const auto size = std::filesystem::file_size(path, ec);
        if (ec) throw storage_error("cannot read " + path + ": " + ec.message());
        if (size == 0) return;  // an empty file is an empty SQLite database: it becomes ours
        std::array<unsigned char, 100> header{};
        {
            std::ifstream in(path, std::ios::binary);
            if (!in) throw storage_error("cannot read " + path);
            in.read(reinterpret_cast<char*>(header.data()), header.size());
            if (in.gcount() < 100 || std::memcmp(header.data(), "SQLite format 3", 16) != 0)
                throw database_format_error(path + " is not an SQLite database (its header is not SQLite's); "
                                                   "refusing to open it");
        }
        const auto wal_size = std::filesystem::file_size(path + "-wal", ec);
        if (ec || wal_size == 0) {
            auto be32 = [&](std::size_t at) {
                return static_cast<std::int32_t>(std::uint32_t{header[at]} << 24 | std::uint32_t{header[at + 1]} << 16 |
                                                 std::uint32_t{header[at + 2]} << 8 | std::uint32_t{header[at + 3]});
            };
            const std::int32_t cookie = be32(40), version = be32(60), app = be32(68);
            check_identity_values(path, app, version, cookie == 0);
            return;
        }
        sqlite3* raw = nullptr;
        const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
        detail::sqlite::connection probe_db(raw);
        if (rc != SQLITE_OK) detail::sqlite::fail(raw, rc, "opening " + path + " read-only");
        sqlite3_busy_timeout(raw, 10'000);
        check_identity(raw, path);
    }

    /// Refuses a foreign, corrupt or newer file; returns true when the file is an empty
    /// database (no schema yet) and false when it is a pca database to open or migrate.
    static bool check_identity(sqlite3* db, const std::string& path) {
        std::int64_t app = 0, version = 0, objects = 0;
        try {
            app = detail::sqlite::query_int(db, "PRAGMA application_id");
            version = detail::sqlite::query_int(db, "PRAGMA user_version");
            objects = detail::sqlite::query_int(db, "SELECT COUNT(*) FROM sqlite_master");
        } catch (const database_format_error& e) {
            throw database_format_error(path + " is corrupt or not a database: " + e.message());
        }
        return check_identity_values(path, app, version, objects == 0);
    }

    static bool check_identity_values(const std::string& path, std::int64_t app, std::int64_t version,
                                      bool no_schema) {
        if (app == 0 && version == 0 && no_schema) return true;
        if (app != sqlite_schema::application_id) {
            char hex[16];
            std::snprintf(hex, sizeof hex, "0x%08x", static_cast<unsigned>(app));
            const std::string message = path + " is an SQLite database of another application (application_id " + hex +
                                        ", not pca's); refusing to open it";
            if (app == 0) throw detail::maybe_being_created(message);
            throw database_format_error(message);
        }
        if (version > sqlite_schema::current_version)
            throw database_format_error(path + " was written by a newer pca (schema version " +
                                        std::to_string(version) + "; this build reads up to " +
                                        std::to_string(sqlite_schema::current_version) + "); refusing to open it");
        if (version < 1)
            throw database_format_error(path + " carries pca's application_id but no schema version: it is corrupt");
        return false;
    }

    /// Sets synchronous=NORMAL for the scope of one transaction on a FULL connection.
    class synchronous_normal {
    public:
        synchronous_normal(sqlite3* db, detail::sqlite::statement_cache& cache, bool active)
            : m_db(active ? db : nullptr), m_cache(cache) {
            if (m_db) detail::sqlite::statement(m_db, m_cache, "PRAGMA synchronous = NORMAL").run();
        }
        ~synchronous_normal() {
            if (!m_db) return;
            try {
                detail::sqlite::statement(m_db, m_cache, "PRAGMA synchronous = FULL").run();
            } catch (...) {
                sqlite3_exec(m_db, "PRAGMA synchronous = FULL", nullptr, nullptr, nullptr);
            }
        }
        synchronous_normal(const synchronous_normal&) = delete;
        synchronous_normal& operator=(const synchronous_normal&) = delete;

    private:
        sqlite3* m_db;
        detail::sqlite::statement_cache& m_cache;
    };

    /// Drops the cached CA records and certificate counts when another connection has committed
    /// since they were read. Under m_mutex.
    void refresh_caches() const {
        std::int64_t version = 0;
        {
            detail::sqlite::statement v(db(), m_statements, "PRAGMA data_version");
            if (v.step()) version = v.int64(0);
        }
        if (version != m_cached_version) {
            m_counts.clear();
            m_cas.clear();
            m_cached_version = version;
        }
    }
    /// A CA row written by this connection: its cached record is stale.
    void forget_ca(const std::string& id) const { m_cas.erase(id); }
    static constexpr std::size_t max_cached_cas = 256;

    /// Whether reservations are synced by the wal_syncer (power_loss durability on POSIX).
    bool defer_reservation_sync() const noexcept {
        return PCA_SQLITE_STORE_POSIX && m_options.durability == sqlite_durability::power_loss;
    }

#if PCA_SQLITE_STORE_POSIX
    detail::sqlite::wal_syncer& syncer() {
        std::call_once(m_syncer_once, [this] {
            const char* main_file = sqlite3_db_filename(db(), "main");
#if SQLITE_VERSION_NUMBER >= 3031000
            const char* wal = main_file ? sqlite3_filename_wal(main_file) : nullptr;
            if (!wal || !*wal) throw storage_error("SQLite reports no WAL file for " + m_path);
            m_syncer = std::make_unique<detail::sqlite::wal_syncer>(wal);
#else
            if (!main_file || !*main_file) throw storage_error("SQLite reports no file name for " + m_path);
            m_syncer = std::make_unique<detail::sqlite::wal_syncer>(std::string(main_file) + "-wal");
#endif
        });
        return *m_syncer;
    }
#endif

    void open_connection(bool existed) {
        sqlite3* raw = nullptr;
        int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
        if (!existed) flags |= SQLITE_OPEN_CREATE;
        const int rc = sqlite3_open_v2(m_path.c_str(), &raw, flags, nullptr);
        m_db.reset(raw);
        if (rc != SQLITE_OK) detail::sqlite::fail(raw, rc, "opening " + m_path);
        sqlite3_extended_result_codes(raw, 1);
        const auto timeout = m_options.busy_timeout.count();
        sqlite3_busy_timeout(raw, timeout > INT32_MAX ? INT32_MAX : static_cast<int>(timeout < 0 ? 0 : timeout));
        // Connection settings only: none of these writes to the file.
        detail::sqlite::exec(raw, "PRAGMA foreign_keys = ON");
        detail::sqlite::exec(raw, m_options.durability == sqlite_durability::power_loss ? "PRAGMA synchronous = FULL"
                                                                                        : "PRAGMA synchronous = NORMAL");
        detail::sqlite::exec(raw, "PRAGMA secure_delete = ON");
        // The file may have appeared (another process) between exists() and open: check again
        // before the first write.
        check_identity(raw, m_path);
        detail::sqlite::statement wal(raw, "PRAGMA journal_mode = WAL");
        if (!wal.step() || wal.text(0) != "wal")
            throw storage_error("cannot switch " + m_path + " to WAL journaling (the file system may not support it)");
    }

    struct kek_meta {
        std::string kdf;
        bytes salt;
        std::uint32_t iterations = 0;
        bytes check;
    };

    void initialize(const key_encryption_key& kek) {
        // Prepared outside the write lock: PBKDF2 takes a while and other processes should
        // not wait for it. Used only if this connection is the one that creates the schema.
        std::optional<kek_meta> fresh;
        secure_bytes fresh_key;
        if (detail::sqlite::query_int(db(), "PRAGMA user_version") == 0) {
            kek_meta m;
            m.salt = rng().generate(16);
            if (kek.source() == key_encryption_key::kind::passphrase) {
                m.kdf = std::string(kdf_pbkdf2);
                m.iterations = kek.iterations();
            } else {
                m.kdf = std::string(kdf_none);
            }
            fresh_key = kek.derive(m.salt, m.iterations);
            m.check = make_kek_check(fresh_key, rng());
            fresh = std::move(m);
        }
        {
            detail::sqlite::transaction tx(db(), true);
            const bool empty = check_identity(db(), m_path);
            const int version = static_cast<int>(detail::sqlite::query_int(db(), "PRAGMA user_version"));
            if (empty || version < sqlite_schema::current_version) {
                if (empty && !fresh) {
                    // Someone emptied the file between our checks; retry from scratch is
                    // simplest for the caller.
                    throw storage_error(m_path + " changed while it was being opened; retry");
                }
                const auto& steps = sqlite_schema::migrations();
                sqlite_schema::migrate(db(), empty ? 0 : version, sqlite_schema::current_version, steps.data(),
                                       steps.size());
                if (empty) {
                    put_meta("store.format", byte_view(meta_format));
                    put_meta("kek.kdf", byte_view(fresh->kdf));
                    put_meta("kek.salt", fresh->salt);
                    put_meta("kek.iterations", byte_view(std::to_string(fresh->iterations)));
                    put_meta("kek.check", fresh->check);
                    detail::sqlite::exec(db(), ("PRAGMA application_id = " +
                                                std::to_string(sqlite_schema::application_id))
                                                   .c_str());
                }
                detail::sqlite::exec(db(),
                                     ("PRAGMA user_version = " + std::to_string(sqlite_schema::current_version)).c_str());
                tx.commit();
            }
        }
        const kek_meta stored = read_kek_meta();
        const bool is_passphrase = kek.source() == key_encryption_key::kind::passphrase;
        if (is_passphrase && stored.kdf != kdf_pbkdf2)
            throw key_encryption_key_mismatch("the key-encryption key does not match this database: " + m_path +
                                              " was created with a raw or HKDF-derived key, not a passphrase");
        if (!is_passphrase && stored.kdf != kdf_none)
            throw key_encryption_key_mismatch("the key-encryption key does not match this database: " + m_path +
                                              " was created with a passphrase, not a raw or HKDF-derived key");
        if (fresh && fresh->salt == stored.salt && fresh->iterations == stored.iterations)
            m_kek = std::move(fresh_key);
        else
            m_kek = kek.derive(stored.salt, stored.iterations);
        if (!verify_kek_check(m_kek, stored.check))
            throw key_encryption_key_mismatch("the key-encryption key does not match this database (" + m_path +
                                              "): wrong passphrase or key");
    }

    void put_meta(const char* key, byte_view value) {
        detail::sqlite::statement s(db(), m_statements, "INSERT INTO meta (key, value) VALUES (?1, ?2)");
        s.bind(1, std::string_view(key)).bind_blob(2, value);
        s.run();
    }

    kek_meta read_kek_meta() const {
        kek_meta m;
        bool have_format = false, have_kdf = false, have_salt = false, have_iterations = false, have_check = false;
        detail::sqlite::statement s(db(), m_statements, "SELECT key, value FROM meta");
        while (s.step()) {
            const std::string key = s.text(0);
            const bytes value = s.blob(1);
            if (key == "store.format") {
                have_format = byte_view(value) == byte_view(meta_format);
            } else if (key == "kek.kdf") {
                m.kdf.assign(value.begin(), value.end());
                have_kdf = true;
            } else if (key == "kek.salt") {
                m.salt = value;
                have_salt = true;
            } else if (key == "kek.check") {
                m.check = value;
                have_check = true;
            } else if (key == "kek.iterations") {
                const std::string text(value.begin(), value.end());
                char* end = nullptr;
                const unsigned long long n = std::strtoull(text.c_str(), &end, 10);
                have_iterations = !text.empty() && *end == '\0' && n <= UINT32_MAX;
                if (have_iterations) m.iterations = static_cast<std::uint32_t>(n);
            }
        }
        if (!have_format || !have_kdf || !have_salt || !have_iterations || !have_check ||
            (m.kdf == kdf_pbkdf2 && m.iterations == 0) || (m.kdf != kdf_pbkdf2 && m.kdf != kdf_none))
            throw database_format_error(m_path + " is corrupt: its key-encryption metadata is missing or invalid");
        return m;
    }

    // ---- rows ----------------------------------------------------------------------------

    bytes seal(const ca_record& ca) const { return seal_private_key(m_kek, ca.arn, ca.private_key, rng()); }

    bool ca_exists(const std::string& id) const {
        detail::sqlite::statement s(db(), m_statements, "SELECT 1 FROM certificate_authorities WHERE id = ?1");
        s.bind(1, id);
        return s.step();
    }

    [[noreturn]] void not_found(const std::string& ca_id) const {
        if (!ca_exists(ca_id)) throw resource_not_found_exception("CA " + ca_id + " no longer exists");
        throw resource_not_found_exception("no certificate with that serial");
    }

    template <class E>
    E parse_column(const std::string& text, const char* column) const {
        auto v = try_parse_enum<E>(text);
        if (!v) throw storage_error(m_path + " holds a corrupt record: " + column + " = '" + text + "'");
        return *v;
    }

    template <class T>
    T parse_json(const std::string& text, const char* column) const {
        try {
            return codec::parse<T>(text);
        } catch (const codec::decode_error& e) {
            throw storage_error(m_path + " holds a corrupt record in " + column + ": " + e.what());
        }
    }

    static std::string dump_json(const codec::json& j, const char* what) {
        try {
            return codec::dump(j);
        } catch (const codec::decode_error& e) {
            throw invalid_args_exception(std::string("cannot store the CA's ") + what + ": " + e.what());
        }
    }

    void bind_ca(detail::sqlite::statement& s, const ca_record& ca, const bytes& sealed, std::uint64_t version) const {
        s.bind(1, ca.id).bind(2, ca.arn).bind(3, ca.owner_account).bind(4, ca.region);
        s.bind(5, to_string(ca.type)).bind(6, to_string(ca.status));
        if (ca.status_before_deletion) s.bind(7, to_string(*ca.status_before_deletion));
        else s.bind_null(7);
        if (ca.failure) s.bind(8, to_string(*ca.failure));
        else s.bind_null(8);
        s.bind(9, dump_json(codec::to_json(ca.configuration), "configuration"));
        if (ca.revocation) s.bind(10, dump_json(codec::to_json(*ca.revocation), "revocation configuration"));
        else s.bind_null(10);
        s.bind(11, to_string(ca.key_storage)).bind(12, to_string(ca.usage_mode));
        s.bind(13, ca.created_at).bind(14, ca.last_state_change_at).bind(15, ca.restorable_until);
        s.bind_blob(16, sealed).bind_blob(17, ca.csr).bind_blob(18, ca.certificate);
        s.bind(19, dump_json(codec::chain_to_json(ca.chain), "chain"));
        s.bind(20, dump_json(codec::to_json(ca.tags), "tags"));
        s.bind(21, ca.policy);
        s.bind(22, dump_json(codec::to_json(ca.permissions), "permissions"));
        s.bind(23, ca.crl_number).bind(24, ca.last_crl_at).bind(25, ca.last_audit_report_at);
        s.bind(26, static_cast<std::int64_t>(version));
    }

    ca_record read_ca(const detail::sqlite::statement& s) const {
        ca_record ca;
        ca.id = s.text(0);
        ca.arn = s.text(1);
        ca.owner_account = s.text(2);
        ca.region = s.text(3);
        ca.type = parse_column<certificate_authority_type>(s.text(4), "type");
        ca.status = parse_column<certificate_authority_status>(s.text(5), "status");
        if (!s.is_null(6)) ca.status_before_deletion = parse_column<certificate_authority_status>(s.text(6), "status_before_deletion");
        if (!s.is_null(7)) ca.failure = parse_column<failure_reason>(s.text(7), "failure_reason");
        ca.configuration = parse_json<certificate_authority_configuration>(s.text(8), "configuration");
        if (!s.is_null(9)) ca.revocation = parse_json<revocation_configuration>(s.text(9), "revocation_configuration");
        ca.key_storage = parse_column<key_storage_security_standard>(s.text(10), "key_storage");
        ca.usage_mode = parse_column<certificate_authority_usage_mode>(s.text(11), "usage_mode");
        ca.created_at = s.time(12);
        ca.last_state_change_at = s.time(13);
        ca.restorable_until = s.opt_time(14);
        ca.private_key = open_private_key(m_kek, ca.arn, s.blob(15));
        ca.csr = s.blob(16);
        ca.certificate = s.blob(17);
        try {
            ca.chain = codec::chain_from_json(codec::json::parse(s.text(18)));
        } catch (const std::exception& e) {
            throw storage_error(m_path + " holds a corrupt record in chain: " + e.what());
        }
        ca.tags = parse_json<std::vector<tag>>(s.text(19), "tags");
        ca.policy = s.opt_text(20);
        ca.permissions = parse_json<std::vector<permission_record>>(s.text(21), "permissions");
        ca.crl_number = s.int64(22);
        ca.last_crl_at = s.opt_time(23);
        ca.last_audit_report_at = s.opt_time(24);
        ca.version = static_cast<std::uint64_t>(s.int64(25));
        return ca;
    }

    certificate_record read_certificate(const detail::sqlite::statement& s) const {
        certificate_record c;
        c.ca_id = s.text(0);
        c.serial = s.blob(1);
        c.arn = s.text(2);
        c.certificate = s.blob(3);
        c.template_arn = s.text(4);
        c.subject_rfc2253 = s.text(5);
        c.issued_at = s.time(6);
        c.not_before = s.time(7);
        c.not_after = s.time(8);
        c.account = s.text(9);
        c.service_principal = s.opt_text(10);
        c.revoked_at = s.opt_time(11);
        if (!s.is_null(12)) c.reason = parse_column<revocation_reason>(s.text(12), "revocation_reason");
        if (!s.is_null(13)) {
            const std::int64_t p = s.int64(13);
            if (p < 0 || p > std::int64_t{UINT32_MAX}) throw database_format_error("certificates.crl_partition out of range");
            c.crl_partition = static_cast<std::uint32_t>(p);
        }
        return c;
    }

    std::string m_path;
    sqlite_store_options m_options;
    detail::sqlite::connection m_db;
    mutable detail::sqlite::statement_cache m_statements;  ///< after m_db: finalized before the close
    mutable std::map<std::string, std::size_t> m_counts;  ///< certificates per CA (count_certificates)
    mutable std::map<std::string, ca_record> m_cas;       ///< decoded CA records (find_ca)
    mutable std::int64_t m_cached_version = -1;           ///< PRAGMA data_version m_counts and m_cas are valid for
    secure_bytes m_kek;  ///< the derived 32-byte AES key; wiped on destruction
    mutable std::mutex m_mutex;
#if PCA_SQLITE_STORE_POSIX
    // After m_db: the sync thread stops before the connection closes.
    std::once_flag m_syncer_once;
    std::unique_ptr<detail::sqlite::wal_syncer> m_syncer;
    std::map<std::pair<std::string, bytes>, std::uint64_t> m_pending_syncs;  ///< reservation -> ticket, under m_mutex
#endif
};

}  // namespace pca::storage
