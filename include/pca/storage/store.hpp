// pca/storage/store.hpp - the state store interface the service is written against.
//
// Every method is one atomic state change or one consistent read; implementations are safe
// to call from many threads at once. A durable implementation makes each change durable
// before it returns (sqlite_store: one transaction each, synchronous=FULL).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "pca/core/error.hpp"
#include "pca/storage/records.hpp"

namespace pca::storage {

class store {
public:
    virtual ~store() = default;

    // ---- certificate authorities ------------------------------------------------------
    /// Adds a new CA; throws ConcurrentModificationException if the id exists.
    virtual void insert_ca(const ca_record& ca) = 0;
    /// Replaces a CA if its stored version equals `ca.version`, then bumps the version;
    /// ConcurrentModificationException when someone else changed it first.
    virtual void update_ca(ca_record& ca) = 0;
    virtual std::optional<ca_record> find_ca(const std::string& id) const = 0;
    /// Every CA, ordered by (created_at, id).
    virtual std::vector<ca_record> list_cas() const = 0;
    /// Removes a CA and everything it owns (permanent deletion).
    virtual void erase_ca(const std::string& id) = 0;
    /// Reserves and returns the next CRL number of the CA: max(previous + 1, at_least), so
    /// numbers increase strictly and durably (the service passes the time in milliseconds).
    virtual std::int64_t next_crl_number(const std::string& ca_id, std::int64_t at_least = 0) = 0;

    // ---- issued certificates ----------------------------------------------------------
    /// Records a certificate before it is signed. Returns false (and changes nothing) when
    /// the CA already has that serial: serials are unique per CA by constraint. A durable
    /// store may finish making the reservation durable while the caller signs, but no later
    /// than complete_certificate of the same serial starts storing (sqlite_store does so).
    virtual bool reserve_certificate(const certificate_record& rec) = 0;
    /// Stores the signed certificate of a reserved record, once the reservation is durable.
    virtual void complete_certificate(const std::string& ca_id, const bytes& serial, const bytes& der) = 0;
    /// Drops a reservation whose request failed before a certificate was signed (the CSR's
    /// signature did not verify, signing failed). Does nothing when the serial is unknown or
    /// already holds a certificate: a signed certificate is never forgotten. Need not be
    /// durable: lost to a crash, the row stays pending, as if the crash had come first.
    virtual void abandon_certificate(const std::string& ca_id, const bytes& serial) = 0;
    virtual std::optional<certificate_record> find_certificate(const std::string& ca_id, const bytes& serial) const = 0;
    /// Marks a certificate revoked; false when it was already revoked (nothing changes).
    virtual bool revoke_certificate(const std::string& ca_id, const bytes& serial, sys_seconds at, revocation_reason reason) = 0;
    /// Every certificate of the CA in issuance order (pending ones included).
    virtual std::vector<certificate_record> list_certificates(const std::string& ca_id) const = 0;
    /// Calls `visit` for each certificate of the CA in issuance order without building the
    /// whole list; `with_der` false lets a store skip the certificates' DER (left empty), as
    /// an audit report needs none. `visit` must not call back into the store. The default
    /// goes through list_certificates().
    virtual void for_each_certificate(const std::string& ca_id, const std::function<void(const certificate_record&)>& visit,
                                      bool with_der = true) const {
        (void)with_der;
        for (const auto& c : list_certificates(ca_id)) visit(c);
    }
    /// Revoked certificates of the CA whose not_after is at or after `not_after_from`.
    virtual std::vector<certificate_record> list_revoked(const std::string& ca_id, sys_seconds not_after_from) const = 0;
    virtual std::size_t count_certificates(const std::string& ca_id) const = 0;
    /// How many certificates of the CA were ever revoked (expired ones included).
    virtual std::size_t count_revoked(const std::string& ca_id) const = 0;

    // ---- audit reports ----------------------------------------------------------------
    virtual void put_audit_report(const audit_report_record& r) = 0;
    virtual std::optional<audit_report_record> find_audit_report(const std::string& ca_id, const std::string& id) const = 0;

    // ---- idempotency ------------------------------------------------------------------
    /// Binds (scope, token) to a result unless a live binding exists; returns the binding
    /// in force afterwards (the new one, or the earlier live one).
    virtual idempotency_record claim_token(const idempotency_record& r, sys_seconds now) = 0;
    virtual void release_token(const std::string& scope, const std::string& token) = 0;
};

}  // namespace pca::storage
