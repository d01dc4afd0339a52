// pca/service/service.hpp - the facade: one method per acm-pca operation, with the
// service's validation, state machine, authorization, idempotency, pagination, quotas.
//
//   pca::storage::memory_store store;
//   pca::storage::directory_object_store buckets("/var/lib/pca/buckets");
//   pca::system_clock clock;
//   pca::service svc(store, buckets, clock);
//   auto ca = svc.create_certificate_authority({...});
//
// Every method takes the model's request aggregate and the caller (default: the service's
// own account) and returns the model's result aggregate, or throws the service's named
// error (pca::invalid_state_exception, pca::malformed_csr_exception, ...).
#pragma once

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

#include "pca/core/bytes.hpp"
#include "pca/core/error.hpp"
#include "pca/core/rng.hpp"
#include "pca/core/time.hpp"
#include "pca/crypto/drbg.hpp"
#include "pca/crypto/key.hpp"
#include "pca/crypto/signature.hpp"
#include "pca/der/pem.hpp"
#include "pca/policy/ca_csr.hpp"
#include "pca/policy/crl_location.hpp"
#include "pca/policy/csr_intake.hpp"
#include "pca/policy/import_check.hpp"
#include "pca/policy/issuance.hpp"
#include "pca/policy/revocation.hpp"
#include "pca/policy/templates.hpp"
#include "pca/service/audit_report.hpp"
#include "pca/service/crl_publisher.hpp"
#include "pca/service/pagination.hpp"
#include "pca/service/rate_limiter.hpp"
#include "pca/service/requests.hpp"
#include "pca/service/resource_policy.hpp"
#include "pca/storage/object_store.hpp"
#include "pca/storage/store.hpp"
#include "pca/types/arn.hpp"
#include "pca/types/validate.hpp"
#include "pca/x509/builder.hpp"
#include "pca/x509/certificate.hpp"

namespace pca {

struct service_options {
    std::string region = "us-east-1";
    std::string account_id = "123456789012";  ///< the default caller
    std::size_t max_certificate_authorities = 200;      ///< per account, DELETED ones included
    std::size_t max_certificates_per_ca = 1'000'000;    ///< lifetime, per CA with a COMPLETE CRL
    std::size_t max_certificates_per_partitioned_ca = 100'000'000;  ///< lifetime, CrlType PARTITIONED
    /// Certificates per CRL partition. 16,000 keeps a partition's CRL under 1 MB (the
    /// service's bound) even if every certificate in it is revoked (~52 bytes per entry).
    std::size_t crl_partition_size = 16'000;
    std::chrono::seconds idempotency_window{300};       ///< "tokens time out after five minutes"
    std::chrono::seconds audit_report_interval{1800};   ///< "one report every 30 minutes"
    bool rate_limits = false;                           ///< opt-in ThrottlingException
    std::map<std::string, double> rate_overrides;       ///< requests/second by operation name
    std::size_t max_page_size = 100;                    ///< ListCertificateAuthorities returns at most 100
};

namespace detail {
inline std::string new_uuid(rng& r) {
    bytes b = r.generate(16);
    b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40);  // version 4
    b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
    const std::string h = to_hex(b);
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
}
inline std::string pem_of(const bytes& der, const char* label) { return der::pem_encode(label, der); }
}  // namespace detail

template <class Store>
class basic_service {
public:
    /// `random` defaults to a CTR_DRBG per thread (so issuing threads do not share a lock).
    basic_service(Store& store, storage::object_store& buckets, const pca::clock& clock, service_options options = {},
                  pca::rng* random = nullptr)
        : m_store(store),
          m_buckets(buckets),
          m_clock(clock),
          m_options(std::move(options)),
          m_rng(random),
          m_limiter(m_options.rate_overrides),
          m_tokens(rng_ref().generate(32)) {
        m_partition = std::string(partition_for_region(m_options.region));
    }

    basic_service(const basic_service&) = delete;
    basic_service& operator=(const basic_service&) = delete;

    const service_options& options() const noexcept { return m_options; }
    caller default_caller() const { return {m_options.account_id, std::nullopt}; }

    // ==== CreateCertificateAuthority ===================================================
    create_certificate_authority_result create_certificate_authority(const create_certificate_authority_request& req) {
        return create_certificate_authority(req, default_caller());
    }
    create_certificate_authority_result create_certificate_authority(const create_certificate_authority_request& req,
                                                                     const caller& who) {
        throttle(who, "CreateCertificateAuthority");
        validate(req.certificate_authority_configuration, "CertificateAuthorityConfiguration");
        if (req.revocation_configuration) validate(*req.revocation_configuration, "RevocationConfiguration");
        if (req.tags) validate_tags(*req.tags, "Tags");
        if (req.idempotency_token) check_idempotency_token(*req.idempotency_token);
        const auto& cfg = req.certificate_authority_configuration;
        (void)crypto::family_for(cfg.key_algorithm);      // SM2 / ML-DSA: "not supported by this build"
        (void)crypto::scheme_for(cfg.signing_algorithm);
        if (!crypto::compatible(cfg.key_algorithm, cfg.signing_algorithm))
            throw invalid_args_exception("CertificateAuthorityConfiguration.SigningAlgorithm " +
                                         std::string(to_string(cfg.signing_algorithm)) + " cannot be used with a " +
                                         std::string(to_string(cfg.key_algorithm)) + " key");
        const auto now = now_seconds();
        const std::string ca_id = detail::new_uuid(rng_ref());
        const std::string arn = make_ca_arn(m_partition, m_options.region, who.account_id, ca_id).str();

        std::optional<storage::idempotency_record> claimed;
        if (req.idempotency_token) {
            storage::idempotency_record rec{"CreateCertificateAuthority|" + who.account_id, *req.idempotency_token, arn, "",
                                            now + m_options.idempotency_window};
            auto bound = m_store.claim_token(rec, now);
            if (bound.result != arn) return {bound.result};
            claimed = rec;
        }
        try {
            std::size_t owned = 0;
            for (const auto& ca : m_store.list_cas())
                if (ca.owner_account == who.account_id) ++owned;
            if (owned >= m_options.max_certificate_authorities)
                throw limit_exceeded_exception("the account has " + std::to_string(owned) + " certificate authorities; the limit is " +
                                               std::to_string(m_options.max_certificate_authorities));

            storage::ca_record ca;
            ca.id = ca_id;
            ca.arn = arn;
            ca.owner_account = who.account_id;
            ca.region = m_options.region;
            ca.type = req.certificate_authority_type;
            ca.configuration = cfg;
            ca.revocation = req.revocation_configuration;
            ca.key_storage = req.key_storage_security_standard.value_or(key_storage_security_standard::fips_140_2_level_3_or_higher);
            ca.usage_mode = req.usage_mode.value_or(certificate_authority_usage_mode::general_purpose);
            ca.created_at = now;
            ca.last_state_change_at = now;
            if (req.tags) ca.tags = *req.tags;
            // The service creates the key and CSR asynchronously (CREATING); here it is done
            // before the call returns, so callers see PENDING_CERTIFICATE at once.
            const auto key = crypto::private_key::generate(cfg.key_algorithm, rng_ref());
            ca.private_key = key.to_pkcs8_der();
            ca.csr = policy::make_ca_csr(cfg, key, rng_ref());
            ca.status = certificate_authority_status::pending_certificate;
            m_store.insert_ca(ca);
        } catch (...) {
            if (claimed) m_store.release_token(claimed->scope, claimed->token);
            throw;
        }
        return {arn};
    }

    // ==== DescribeCertificateAuthority =================================================
    describe_certificate_authority_result describe_certificate_authority(const describe_certificate_authority_request& req,
                                                                         const caller& who) {
        throttle(who, "DescribeCertificateAuthority");
        auto ca = load(req.certificate_authority_arn, who, "DescribeCertificateAuthority");
        return {describe(ca.record)};
    }
    describe_certificate_authority_result describe_certificate_authority(const describe_certificate_authority_request& req) {
        return describe_certificate_authority(req, default_caller());
    }

    // ==== GetCertificateAuthorityCsr ===================================================
    get_certificate_authority_csr_result get_certificate_authority_csr(const get_certificate_authority_csr_request& req,
                                                                       const caller& who) {
        throttle(who, "GetCertificateAuthorityCsr");
        auto ca = load(req.certificate_authority_arn, who, "GetCertificateAuthorityCsr");
        const auto status = ca.status;
        if (status == certificate_authority_status::creating)
            throw request_in_progress_exception("the CA's CSR is still being created");
        require_state(ca, "GetCertificateAuthorityCsr",
                      {certificate_authority_status::pending_certificate, certificate_authority_status::active,
                       certificate_authority_status::disabled, certificate_authority_status::expired});
        return {detail::pem_of(ca.record.csr, "CERTIFICATE REQUEST")};
    }
    get_certificate_authority_csr_result get_certificate_authority_csr(const get_certificate_authority_csr_request& req) {
        return get_certificate_authority_csr(req, default_caller());
    }

    // ==== IssueCertificate =============================================================
    issue_certificate_result issue_certificate(const issue_certificate_request& req) { return issue_certificate(req, default_caller()); }
    issue_certificate_result issue_certificate(const issue_certificate_request& req, const caller& who) {
        throttle(who, "IssueCertificate");
        validate(req.validity, "Validity");
        if (req.validity_not_before) validate(*req.validity_not_before, "ValidityNotBefore");
        if (req.api_passthrough) validate(*req.api_passthrough, "ApiPassthrough");
        if (req.idempotency_token) check_idempotency_token(*req.idempotency_token);
        const policy::certificate_template& tmpl =
            req.template_arn ? policy::find_template(*req.template_arn) : policy::default_template();
        const std::string template_arn_text = template_arn_of(tmpl);
        policy_context context{{"acm-pca:TemplateArn", template_arn_text}};
        auto ca = load(req.certificate_authority_arn, who, "IssueCertificate", context);
        const auto now = now_seconds();
        const bool self_sign = tmpl.root;
        if (!(ca.status == certificate_authority_status::active ||
              (self_sign && ca.status == certificate_authority_status::pending_certificate)))
            throw invalid_state_exception("the CA is " + std::string(to_string(ca.status)) + "; it issues certificates only when ACTIVE" +
                                          (self_sign ? " (or PENDING_CERTIFICATE for its own root certificate)" : ""));
        const bool partitioned = policy::crl_partitioned(ca.record.revocation);
        const std::size_t issued = m_store.count_certificates(ca.record.id);
        const std::size_t limit = partitioned ? m_options.max_certificates_per_partitioned_ca : m_options.max_certificates_per_ca;
        if (issued >= limit)
            throw limit_exceeded_exception("the CA has issued " + std::to_string(limit) + " certificates, its limit" +
                                           (partitioned ? "" : " with a COMPLETE CRL (PARTITIONED CRLs allow more)"));
        // The CSR's own signature is verified after the serial is reserved (below).
        const x509::csr request = policy::accept_csr(req.csr, policy::csr_signature_check::deferred);
        const auto runtime = runtime_of(ca.record);

        policy::issuer_context ctx;
        ctx.type = ca.record.type;
        ctx.usage_mode = ca.record.usage_mode;
        ctx.key_algorithm = ca.record.configuration.key_algorithm;
        ctx.public_key_info_der = runtime->key_info;
        ctx.certificate = runtime->certificate ? &*runtime->certificate : nullptr;
        ctx.chain_length = runtime->certificate ? runtime->chain.size() + 1 : 0;
        ctx.revocation = ca.record.revocation;
        ctx.ca_id = ca.record.id;
        ctx.region = ca.record.region;
        // PARTITIONED CRLs: consecutive certificates fill one partition after another.
        std::optional<std::uint32_t> partition;
        if (partitioned && !self_sign) {
            partition = static_cast<std::uint32_t>(issued / std::max<std::size_t>(m_options.crl_partition_size, 1));
            ctx.crl_partition_id = policy::crl_partition_id(ca.record.id, *partition);
        }

        policy::issuance_request ir;
        ir.csr = &request;
        ir.signing_algorithm = req.signing_algorithm;
        ir.tmpl = &tmpl;
        ir.validity = req.validity;
        ir.validity_not_before = req.validity_not_before;
        ir.passthrough = req.api_passthrough;
        ir.issued_at = now;

        // Serial first, as Boulder does: the ARN is known before signing, so the idempotency
        // token can be bound to it, and the serial is recorded (unique per CA in the store)
        // before the signature exists, so a crash between the two leaves a record the CA knows
        // (in audit reports, revocable), never a signed certificate it does not. The second
        // write stores the certificate; sqlite_store makes the first one durable with an fsync
        // and the second durable against process crashes without one (docs/storage.md).
        // The CSR's signature is verified between the two, so sqlite_store's fsync of the
        // reservation runs beside both public-key operations (verify, sign) instead of beside
        // the signature alone; a CSR whose signature fails drops its reservation again.
        bytes serial = policy::new_serial(rng_ref());
        x509::tbs_certificate tbs = policy::prepare_certificate(ctx, ir, serial);
        const ca_arn parent = ca_arn::parse(ca.record.arn);
        std::string arn = make_certificate_arn(parent, to_hex(serial)).str();

        std::optional<storage::idempotency_record> claimed;
        bool reserved = false;
        bool completed = false;
        const auto drop_reservation = [&] {
            try {
                m_store.abandon_certificate(ca.record.id, serial);
            } catch (const std::exception&) {
                // The record stays pending (what a crash at this point leaves); the request's
                // own outcome is the one to report.
            }
        };
        try {
            storage::certificate_record rec;
            rec.ca_id = ca.record.id;
            rec.template_arn = template_arn_text;
            rec.subject_rfc2253 = x509::name::parse(tbs.subject_der).to_rfc2253();
            rec.issued_at = now;
            rec.not_before = tbs.not_before;
            rec.not_after = tbs.not_after;
            rec.account = who.account_id;
            rec.service_principal = who.service_principal;
            rec.crl_partition = partition;
            for (int attempt = 0;; ++attempt) {
                rec.serial = serial;
                rec.arn = arn;
                if (m_store.reserve_certificate(rec)) break;
                if (attempt == 8) throw request_failed_exception("could not draw a unique serial number");
                serial = policy::new_serial(rng_ref());  // a 128-bit collision: draw again
                tbs.serial = serial;
                arn = make_certificate_arn(parent, to_hex(serial)).str();
            }
            reserved = true;
            policy::verify_csr_signature(request);
            // The token is bound only to a request that passed every check, so a concurrent
            // retry of a refused request is refused too instead of being handed an ARN that
            // will never hold a certificate. If another request holds the token, its ARN is
            // the answer and this reservation is dropped: one certificate per token.
            if (req.idempotency_token) {
                storage::idempotency_record binding{"IssueCertificate|" + who.account_id + "|" + ca.record.arn,
                                                    *req.idempotency_token, arn, "", now + m_options.idempotency_window};
                auto bound = m_store.claim_token(binding, now);
                if (bound.result != arn) {
                    reserved = false;
                    drop_reservation();
                    return {bound.result};
                }
                claimed = binding;
            }
            const bytes der = x509::sign_certificate(tbs, *runtime->key, rng_ref());
            completed = true;  // from here on the record is never dropped: it may hold the certificate
            m_store.complete_certificate(ca.record.id, serial, der);
        } catch (...) {
            if (reserved && !completed) drop_reservation();
            if (claimed) m_store.release_token(claimed->scope, claimed->token);
            throw;
        }
        // A CRL is deposited once a certificate refers to it: the first certificate of the CA
        // (or of a partition) publishes it.
        if (crl_enabled(ca.record) && !self_sign) {
            if (!partition && !ca.record.last_crl_at) publish_crl_quietly(ca.record.id);
            if (partition && (!ca.record.last_crl_at || issued % std::max<std::size_t>(m_options.crl_partition_size, 1) == 0))
                publish_crl_quietly(ca.record.id, partition);
        }
        return {arn};
    }

    // ==== GetCertificate ===============================================================
    get_certificate_result get_certificate(const get_certificate_request& req) { return get_certificate(req, default_caller()); }
    get_certificate_result get_certificate(const get_certificate_request& req, const caller& who) {
        throttle(who, "GetCertificate");
        auto ca = load(req.certificate_authority_arn, who, "GetCertificate");
        // Fast path: "<the CA's canonical ARN>/certificate/<1-40 hex digits>" is a valid
        // certificate ARN of this CA (the CA part was validated by load()); anything else goes
        // through the full parser, which gives the precise error or accepts other spellings
        // (an upper-case UUID).
        constexpr std::string_view infix = "/certificate/";
        const std::string_view given = req.certificate_arn;
        const std::string& ca_text = ca.record.arn;
        std::string serial_hex;
        if (given.size() > ca_text.size() + infix.size() && given.compare(0, ca_text.size(), ca_text) == 0 &&
            given.substr(ca_text.size(), infix.size()) == infix && is_valid_arn_serial(given.substr(ca_text.size() + infix.size()))) {
            serial_hex = std::string(given.substr(ca_text.size() + infix.size()));
        } else {
            const certificate_arn cert_arn = certificate_arn::parse(req.certificate_arn);
            // Both ARNs are canonical: "<CA ARN>/certificate/<serial>" starts with the CA's ARN.
            const std::string& cert_text = cert_arn.str();
            if (cert_text.size() <= ca_text.size() || cert_text.compare(0, ca_text.size(), ca_text) != 0 || cert_text[ca_text.size()] != '/')
                throw invalid_arn_exception("certificate " + req.certificate_arn + " was not issued by " + ca_text);
            serial_hex = cert_arn.serial_hex();
        }
        require_state(ca, "GetCertificate",
                      {certificate_authority_status::pending_certificate, certificate_authority_status::active,
                       certificate_authority_status::disabled, certificate_authority_status::expired});
        if (serial_hex.size() % 2) serial_hex.insert(serial_hex.begin(), '0');
        bytes serial;
        if (!from_hex(serial_hex, serial)) throw invalid_arn_exception("certificate ARN serial is not hexadecimal");
        serial = strip_zeros(serial);
        auto rec = m_store.find_certificate(ca.record.id, serial);
        if (!rec) throw resource_not_found_exception("certificate " + req.certificate_arn + " does not exist");
        if (rec->certificate.empty())
            throw request_in_progress_exception("certificate " + req.certificate_arn + " is still being issued");
        get_certificate_result out;
        out.certificate = detail::pem_of(rec->certificate, "CERTIFICATE");
        if (!ca.record.certificate.empty() && rec->certificate != ca.record.certificate)
            out.certificate_chain = runtime_of(ca.record)->chain_pem;  // encoded once per CA certificate
        return out;
    }

    // ==== ImportCertificateAuthorityCertificate ========================================
    void import_certificate_authority_certificate(const import_certificate_authority_certificate_request& req) {
        import_certificate_authority_certificate(req, default_caller());
    }
    void import_certificate_authority_certificate(const import_certificate_authority_certificate_request& req, const caller& who) {
        throttle(who, "ImportCertificateAuthorityCertificate");
        auto ca = load(req.certificate_authority_arn, who, "ImportCertificateAuthorityCertificate");
        require_state(ca, "ImportCertificateAuthorityCertificate",
                      {certificate_authority_status::pending_certificate, certificate_authority_status::active,
                       certificate_authority_status::expired});
        const auto runtime = runtime_of(ca.record);
        policy::import_context ic;
        ic.type = ca.record.type;
        ic.csr_public_key_info_der = runtime->key_info;
        ic.now = now_seconds();
        ic.current = runtime->certificate ? &*runtime->certificate : nullptr;
        std::optional<byte_view> chain;
        if (req.certificate_chain) chain = byte_view(*req.certificate_chain);
        const auto result = policy::check_ca_certificate_import(req.certificate, chain, ic);
        auto rec = ca.record;
        rec.certificate = result.certificate.der();
        rec.chain.clear();
        for (const auto& c : result.chain) rec.chain.push_back(c.der());
        // Importing resets the status to ACTIVE, unless the CA was DISABLED before it expired.
        if (rec.status != certificate_authority_status::disabled) set_status(rec, certificate_authority_status::active);
        m_store.update_ca(rec);
        forget_runtime(rec.id);
    }

    // ==== GetCertificateAuthorityCertificate ===========================================
    get_certificate_authority_certificate_result get_certificate_authority_certificate(
        const get_certificate_authority_certificate_request& req) {
        return get_certificate_authority_certificate(req, default_caller());
    }
    get_certificate_authority_certificate_result get_certificate_authority_certificate(
        const get_certificate_authority_certificate_request& req, const caller& who) {
        throttle(who, "GetCertificateAuthorityCertificate");
        auto ca = load(req.certificate_authority_arn, who, "GetCertificateAuthorityCertificate");
        require_state(ca, "GetCertificateAuthorityCertificate",
                      {certificate_authority_status::active, certificate_authority_status::disabled,
                       certificate_authority_status::expired});
        get_certificate_authority_certificate_result out;
        out.certificate = detail::pem_of(ca.record.certificate, "CERTIFICATE");
        if (!ca.record.chain.empty()) {
            std::string chain;
            for (const auto& c : ca.record.chain) chain += detail::pem_of(c, "CERTIFICATE");
            out.certificate_chain = std::move(chain);
        }
        return out;
    }

    // ==== RevokeCertificate ============================================================
    void revoke_certificate(const revoke_certificate_request& req) { revoke_certificate(req, default_caller()); }
    void revoke_certificate(const revoke_certificate_request& req, const caller& who) {
        throttle(who, "RevokeCertificate");
        auto ca = load(req.certificate_authority_arn, who, "RevokeCertificate");
        require_state(ca, "RevokeCertificate", {certificate_authority_status::active, certificate_authority_status::disabled});
        const bytes serial = policy::parse_certificate_serial(req.certificate_serial);
        auto rec = m_store.find_certificate(ca.record.id, serial);
        const auto now = now_seconds();
        policy::revocation_target target;
        target.issued_by_ca = rec.has_value();
        if (rec) {
            target.is_ca_certificate = ca.record.type == certificate_authority_type::root && !ca.record.certificate.empty() &&
                                       rec->certificate == ca.record.certificate;
            target.already_revoked = rec->revoked_at.has_value();
            target.not_after = rec->not_after;
        }
        policy::check_revocable(target, req.certificate_serial, now);
        if (!m_store.revoke_certificate(ca.record.id, serial, now, req.revocation_reason))
            throw request_already_processed_exception("certificate " + rec->arn + " is already revoked");
        m_crls.note_revoked(ca.record.id, *rec, now, req.revocation_reason, m_store.count_revoked(ca.record.id));
        if (crl_enabled(ca.record)) {
            // The CRL that lists this certificate: its partition's, or the CA's complete one.
            if (rec->crl_partition) publish_crl_quietly(ca.record.id, rec->crl_partition);
            else publish_crl_quietly(ca.record.id);
        }
    }

    // ==== UpdateCertificateAuthority ===================================================
    void update_certificate_authority(const update_certificate_authority_request& req) {
        update_certificate_authority(req, default_caller());
    }
    void update_certificate_authority(const update_certificate_authority_request& req, const caller& who) {
        throttle(who, "UpdateCertificateAuthority");
        if (req.revocation_configuration) validate(*req.revocation_configuration, "RevocationConfiguration");
        auto ca = load(req.certificate_authority_arn, who, "UpdateCertificateAuthority");
        if (ca.status == certificate_authority_status::expired && req.status)
            throw invalid_state_exception("the CA is EXPIRED; its status cannot be changed (import a new certificate)");
        require_state(ca, "UpdateCertificateAuthority", {certificate_authority_status::active, certificate_authority_status::disabled});
        auto rec = ca.record;
        if (req.status) {
            if (*req.status != certificate_authority_status::active && *req.status != certificate_authority_status::disabled)
                throw invalid_args_exception("Status can only be set to ACTIVE or DISABLED, not " + std::string(to_string(*req.status)));
            if (*req.status != rec.status) set_status(rec, *req.status);
        }
        if (req.revocation_configuration) {
            // Certificates bound to a CRL partition name it in their CDP; a COMPLETE CA would
            // stop publishing partitions and leave their revocations unpublished.
            if (policy::crl_partitioned(rec.revocation) && !policy::crl_partitioned(req.revocation_configuration) &&
                req.revocation_configuration->crl_configuration && req.revocation_configuration->crl_configuration->enabled &&
                m_store.count_certificates(rec.id) > (rec.type == certificate_authority_type::root && !rec.certificate.empty() ? 1u : 0u))
                throw invalid_request_exception("CrlType cannot change from PARTITIONED to COMPLETE once the CA has issued certificates: "
                                                "their CRL distribution points name CRL partitions");
            rec.revocation = req.revocation_configuration;
        }
        m_store.update_ca(rec);
        forget_runtime(rec.id);
    }

    // ==== DeleteCertificateAuthority ===================================================
    void delete_certificate_authority(const delete_certificate_authority_request& req) {
        delete_certificate_authority(req, default_caller());
    }
    void delete_certificate_authority(const delete_certificate_authority_request& req, const caller& who) {
        throttle(who, "DeleteCertificateAuthority");
        const int days = req.permanent_deletion_time_in_days.value_or(30);
        if (days < 7 || days > 30)
            throw validation_exception("PermanentDeletionTimeInDays must be 7 to 30, got " + std::to_string(days));
        auto ca = load(req.certificate_authority_arn, who, "DeleteCertificateAuthority");
        if (ca.status == certificate_authority_status::active)
            throw invalid_state_exception("the CA is ACTIVE; disable it before deleting it");
        if (ca.status == certificate_authority_status::deleted) throw invalid_state_exception("the CA is already DELETED");
        auto rec = ca.record;
        if (ca.status == certificate_authority_status::creating || ca.status == certificate_authority_status::failed) {
            m_store.erase_ca(rec.id);  // no restoration window for these
            forget_runtime(rec.id);
            return;
        }
        rec.status_before_deletion = rec.status;
        set_status(rec, certificate_authority_status::deleted);
        rec.restorable_until = now_seconds() + std::chrono::hours(24) * days;
        m_store.update_ca(rec);
        forget_runtime(rec.id);
    }

    // ==== RestoreCertificateAuthority ==================================================
    void restore_certificate_authority(const restore_certificate_authority_request& req) {
        restore_certificate_authority(req, default_caller());
    }
    void restore_certificate_authority(const restore_certificate_authority_request& req, const caller& who) {
        throttle(who, "RestoreCertificateAuthority");
        auto ca = load(req.certificate_authority_arn, who, "RestoreCertificateAuthority");
        if (ca.record.status != certificate_authority_status::deleted)
            throw invalid_state_exception("the CA is " + std::string(to_string(ca.status)) + "; only a DELETED CA can be restored");
        auto rec = ca.record;
        set_status(rec, rec.status_before_deletion.value_or(certificate_authority_status::disabled));
        rec.status_before_deletion.reset();
        rec.restorable_until.reset();
        m_store.update_ca(rec);
    }

    // ==== ListCertificateAuthorities ===================================================
    list_certificate_authorities_result list_certificate_authorities(const list_certificate_authorities_request& req) {
        return list_certificate_authorities(req, default_caller());
    }
    list_certificate_authorities_result list_certificate_authorities(const list_certificate_authorities_request& req,
                                                                     const caller& who) {
        throttle(who, "ListCertificateAuthorities");
        const std::size_t page = page_size(req.max_results, m_options.max_page_size);
        const auto owner = req.resource_owner.value_or(resource_owner::self);
        const std::string scope = "ListCertificateAuthorities|" + who.account_id + "|" + std::string(to_string(owner));
        const auto now = now_seconds();
        std::string after;
        if (req.next_token) after = m_tokens.decode(scope, *req.next_token, now);
        list_certificate_authorities_result out;
        std::string last;
        for (auto& rec : m_store.list_cas()) {
            if (purge_if_gone(rec)) continue;
            const bool mine = rec.owner_account == who.account_id;
            if (owner == resource_owner::self ? !mine : (mine || !shared_with(rec, who))) continue;
            const std::string position = position_of(rec);
            if (!after.empty() && position <= after) continue;
            if (out.certificate_authorities.size() == page) {
                out.next_token = m_tokens.encode(scope, last, now);
                break;
            }
            out.certificate_authorities.push_back(describe(rec));
            last = position;
        }
        return out;
    }

    // ==== Tags =========================================================================
    void tag_certificate_authority(const tag_certificate_authority_request& req) { tag_certificate_authority(req, default_caller()); }
    void tag_certificate_authority(const tag_certificate_authority_request& req, const caller& who) {
        throttle(who, "TagCertificateAuthority");
        validate_tags(req.tags, "Tags");
        auto ca = load(req.certificate_authority_arn, who, "TagCertificateAuthority");
        require_not_deleted(ca, "TagCertificateAuthority");
        auto rec = ca.record;
        for (const auto& t : req.tags) {
            if (t.key.rfind("aws:", 0) == 0) throw invalid_tag_exception("tag keys starting with 'aws:' are reserved: " + t.key);
            auto it = std::find_if(rec.tags.begin(), rec.tags.end(), [&](const tag& x) { return x.key == t.key; });
            if (it != rec.tags.end())
                it->value = t.value;
            else
                rec.tags.push_back(t);
        }
        if (rec.tags.size() > 50)
            throw too_many_tags_exception("a CA can have at most 50 tags; this request would make " + std::to_string(rec.tags.size()));
        m_store.update_ca(rec);
    }
    void untag_certificate_authority(const untag_certificate_authority_request& req) {
        untag_certificate_authority(req, default_caller());
    }
    void untag_certificate_authority(const untag_certificate_authority_request& req, const caller& who) {
        throttle(who, "UntagCertificateAuthority");
        validate_tags(req.tags, "Tags");
        auto ca = load(req.certificate_authority_arn, who, "UntagCertificateAuthority");
        require_not_deleted(ca, "UntagCertificateAuthority");
        auto rec = ca.record;
        for (const auto& t : req.tags)
            rec.tags.erase(std::remove_if(rec.tags.begin(), rec.tags.end(),
                                          [&](const tag& x) { return x.key == t.key && (!t.value || x.value == t.value); }),
                           rec.tags.end());
        m_store.update_ca(rec);
    }
    list_tags_result list_tags(const list_tags_request& req) { return list_tags(req, default_caller()); }
    list_tags_result list_tags(const list_tags_request& req, const caller& who) {
        throttle(who, "ListTags");
        auto ca = load(req.certificate_authority_arn, who, "ListTags");
        require_not_deleted(ca, "ListTags");
        list_tags_result out;
        page_of(ca.record.tags, req.max_results, req.next_token, "ListTags|" + ca.record.arn, [](const tag& t) { return t.key; },
                out.tags, out.next_token);
        return out;
    }

    // ==== Permissions ==================================================================
    void create_permission(const create_permission_request& req) { create_permission(req, default_caller()); }
    void create_permission(const create_permission_request& req, const caller& who) {
        throttle(who, "CreatePermission");
        check_permission_request(req.principal, req.source_account, true);
        if (req.actions.empty() || req.actions.size() > 3)
            throw validation_exception("Actions must list 1 to 3 actions, got " + std::to_string(req.actions.size()));
        auto ca = load(req.certificate_authority_arn, who, "CreatePermission");
        require_not_deleted(ca, "CreatePermission");
        auto rec = ca.record;
        for (const auto& p : rec.permissions)
            if (p.principal == req.principal && p.source_account == req.source_account)
                throw permission_already_exists_exception("a permission for " + req.principal + " already exists on this CA");
        storage::permission_record p;
        p.principal = req.principal;
        p.source_account = req.source_account;
        for (auto a : req.actions)
            if (std::find(p.actions.begin(), p.actions.end(), a) == p.actions.end()) p.actions.push_back(a);
        p.created_at = now_seconds();
        rec.permissions.push_back(std::move(p));
        m_store.update_ca(rec);
    }
    void delete_permission(const delete_permission_request& req) { delete_permission(req, default_caller()); }
    void delete_permission(const delete_permission_request& req, const caller& who) {
        throttle(who, "DeletePermission");
        check_permission_request(req.principal, req.source_account, false);
        auto ca = load(req.certificate_authority_arn, who, "DeletePermission");
        require_not_deleted(ca, "DeletePermission");
        auto rec = ca.record;
        auto it = std::find_if(rec.permissions.begin(), rec.permissions.end(), [&](const storage::permission_record& p) {
            return p.principal == req.principal && (!req.source_account || p.source_account == req.source_account);
        });
        if (it == rec.permissions.end())
            throw resource_not_found_exception("no permission for " + req.principal.substr(0, 128) + " exists on this CA");
        rec.permissions.erase(it);
        m_store.update_ca(rec);
    }
    list_permissions_result list_permissions(const list_permissions_request& req) { return list_permissions(req, default_caller()); }
    list_permissions_result list_permissions(const list_permissions_request& req, const caller& who) {
        throttle(who, "ListPermissions");
        auto ca = load(req.certificate_authority_arn, who, "ListPermissions");
        require_not_deleted(ca, "ListPermissions");
        std::vector<permission> all;
        for (const auto& p : ca.record.permissions) {
            permission out;
            out.certificate_authority_arn = ca.record.arn;
            out.created_at = p.created_at;
            out.principal = p.principal;
            out.source_account = p.source_account;
            out.actions = p.actions;
            out.policy = permission_policy_document(ca.record, p);
            all.push_back(std::move(out));
        }
        list_permissions_result result;
        page_of(all, req.max_results, req.next_token, "ListPermissions|" + ca.record.arn,
                [](const permission& p) { return *p.principal + "|" + p.source_account.value_or(""); }, result.permissions,
                result.next_token);
        return result;
    }

    // ==== Policies =====================================================================
    void put_policy(const put_policy_request& req) { put_policy(req, default_caller()); }
    void put_policy(const put_policy_request& req, const caller& who) {
        throttle(who, "PutPolicy");
        auto ca = load(req.resource_arn, who, "PutPolicy");
        require_not_deleted(ca, "PutPolicy");
        (void)resource_policy::parse(req.policy, ca.record.arn);
        auto rec = ca.record;
        rec.policy = req.policy;
        m_store.update_ca(rec);
    }
    get_policy_result get_policy(const get_policy_request& req) { return get_policy(req, default_caller()); }
    get_policy_result get_policy(const get_policy_request& req, const caller& who) {
        throttle(who, "GetPolicy");
        auto ca = load(req.resource_arn, who, "GetPolicy");
        require_not_deleted(ca, "GetPolicy");
        if (!ca.record.policy) throw resource_not_found_exception("CA " + ca.record.arn + " has no resource policy");
        return {ca.record.policy};
    }
    void delete_policy(const delete_policy_request& req) { delete_policy(req, default_caller()); }
    void delete_policy(const delete_policy_request& req, const caller& who) {
        throttle(who, "DeletePolicy");
        auto ca = load(req.resource_arn, who, "DeletePolicy");
        require_not_deleted(ca, "DeletePolicy");
        if (!ca.record.policy) throw resource_not_found_exception("CA " + ca.record.arn + " has no resource policy");
        auto rec = ca.record;
        rec.policy.reset();
        m_store.update_ca(rec);
    }

    // ==== Audit reports ================================================================
    create_certificate_authority_audit_report_result create_certificate_authority_audit_report(
        const create_certificate_authority_audit_report_request& req) {
        return create_certificate_authority_audit_report(req, default_caller());
    }
    create_certificate_authority_audit_report_result create_certificate_authority_audit_report(
        const create_certificate_authority_audit_report_request& req, const caller& who) {
        throttle(who, "CreateCertificateAuthorityAuditReport");
        check_bucket_name(req.s3_bucket_name, "S3BucketName");
        auto ca = load(req.certificate_authority_arn, who, "CreateCertificateAuthorityAuditReport");
        require_state(ca, "CreateCertificateAuthorityAuditReport",
                      {certificate_authority_status::active, certificate_authority_status::disabled});
        const auto now = now_seconds();
        auto rec = ca.record;
        if (rec.last_audit_report_at && now - *rec.last_audit_report_at < m_options.audit_report_interval)
            throw request_in_progress_exception("an audit report was created at " + to_iso8601(*rec.last_audit_report_at) +
                                                "; a CA can create one report every 30 minutes");
        rec.last_audit_report_at = now;
        m_store.update_ca(rec);  // claims the 30-minute slot (ConcurrentModification if raced)

        storage::audit_report_record report;
        report.ca_id = rec.id;
        report.id = detail::new_uuid(rng_ref());
        report.s3_bucket_name = req.s3_bucket_name;
        report.s3_key = audit_report_key(rec.id, report.id, req.audit_report_response_format);
        report.created_at = now;
        report.status = audit_report_status::creating;
        m_store.put_audit_report(report);
        try {
            // Streamed: store rows (without their DER) -> formatter -> object, one chunk in memory.
            m_buckets.put_chunks(report.s3_bucket_name, report.s3_key, [&](const storage::object_store::chunk_writer& write) {
                audit_report_writer writer(req.audit_report_response_format,
                                           [&](std::string_view chunk) { write(byte_view(chunk)); });
                audit_entry e;
                m_store.for_each_certificate(
                    rec.id,
                    [&](const storage::certificate_record& c) {
                        e.aws_account_id = c.account;
                        e.requested_by_service_principal = c.service_principal;
                        e.certificate_arn = c.arn;
                        e.serial = c.serial;
                        e.subject_rfc2253 = c.subject_rfc2253;
                        e.not_before = c.not_before;
                        e.not_after = c.not_after;
                        e.issued_at = c.issued_at;
                        e.revoked_at = c.revoked_at;
                        e.revocation_reason = c.reason;
                        e.template_arn = c.template_arn;
                        writer.add(e);
                    },
                    false);
                writer.finish();
            });
            report.status = audit_report_status::success;
        } catch (const std::exception&) {
            report.status = audit_report_status::failed;
        }
        m_store.put_audit_report(report);
        if (report.status == audit_report_status::failed)
            throw request_failed_exception("the audit report could not be written to bucket " + report.s3_bucket_name);
        return {report.id, report.s3_key};
    }
    describe_certificate_authority_audit_report_result describe_certificate_authority_audit_report(
        const describe_certificate_authority_audit_report_request& req) {
        return describe_certificate_authority_audit_report(req, default_caller());
    }
    describe_certificate_authority_audit_report_result describe_certificate_authority_audit_report(
        const describe_certificate_authority_audit_report_request& req, const caller& who) {
        throttle(who, "DescribeCertificateAuthorityAuditReport");
        check_audit_report_id(req.audit_report_id);
        auto ca = load(req.certificate_authority_arn, who, "DescribeCertificateAuthorityAuditReport");
        auto r = m_store.find_audit_report(ca.record.id, req.audit_report_id);
        if (!r) throw resource_not_found_exception("audit report " + req.audit_report_id + " does not exist for " + ca.record.arn);
        return {r->status, r->s3_bucket_name, r->s3_key, r->created_at};
    }

    // ==== beyond the API: CRLs on demand =================================================
    /// Generates and publishes the CA's CRLs now (the service does this after revocations
    /// and before nextUpdate): the complete CRL and, for CrlType PARTITIONED, every
    /// partition. Returns the complete CRL's DER. InvalidStateException when the CA has no
    /// certificate or CRLs are disabled.
    bytes generate_crl(const std::string& ca_arn_text, const caller& who) {
        auto ca = load(ca_arn_text, who, "UpdateCertificateAuthority");
        require_state(ca, "GenerateCrl", {certificate_authority_status::active, certificate_authority_status::disabled});
        if (!crl_enabled(ca.record)) throw invalid_state_exception("CRL generation is not enabled for " + ca.record.arn);
        return publish_crl(ca.record.id);
    }
    bytes generate_crl(const std::string& ca_arn_text) { return generate_crl(ca_arn_text, default_caller()); }

    /// Regenerates every CRL whose nextUpdate is within `margin` (call it periodically).
    std::size_t refresh_crls(std::chrono::seconds margin = std::chrono::hours(24)) {
        std::size_t n = 0;
        const auto now = now_seconds();
        for (auto& rec : m_store.list_cas()) {
            if (purge_if_gone(rec) || !crl_enabled(rec) || rec.certificate.empty()) continue;
            const auto st = computed_status(rec, now);
            if (st != certificate_authority_status::active && st != certificate_authority_status::disabled) continue;
            const auto days = rec.revocation->crl_configuration->expiration_in_days.value_or(7);
            if (!rec.last_crl_at || *rec.last_crl_at + std::chrono::hours(24) * days - margin <= now) {
                publish_crl_quietly(rec.id);
                ++n;
            }
        }
        return n;
    }

private:
    struct loaded_ca {
        storage::ca_record record;
        certificate_authority_status status;  ///< computed (EXPIRED folded in)
    };
    struct ca_runtime {
        // What the runtime was made from: it stays valid while the record carries these bytes
        // (a tag, policy or status change does not touch them; an import does).
        secure_bytes key_der;
        bytes certificate_der;
        std::vector<bytes> chain_der;
        std::shared_ptr<const crypto::private_key> key;
        bytes key_info;
        std::optional<x509::certificate> certificate;
        std::vector<x509::certificate> chain;
        std::string chain_pem;  ///< the CA certificate and its chain, PEM (GetCertificate's chain)
    };

    std::string template_arn_of(const policy::certificate_template& t) const {
        return "arn:" + m_partition + ":acm-pca:::template/" + t.arn_name();
    }

    rng& rng_ref() { return m_rng ? *m_rng : crypto::thread_local_drbg(); }
    sys_seconds now_seconds() const { return m_clock.now_seconds(); }

    void throttle(const caller& who, std::string_view op) {
        if (m_options.rate_limits) m_limiter.acquire(who.account_id, op, m_clock.now());
    }

    static void check_idempotency_token(const std::string& t) {
        if (t.empty() || t.size() > 36) throw validation_exception("IdempotencyToken must be 1 to 36 characters");
        for (unsigned char c : t)
            if (!(c == 0x09 || c == 0x0a || c == 0x0d || c >= 0x20))
                throw validation_exception("IdempotencyToken contains a control character");
    }
    static void check_bucket_name(const std::string& b, const char* member) {
        std::string why;
        if (!is_valid_s3_bucket_name(b, &why))
            throw invalid_args_exception(std::string(member) + " '" + b + "' is not a valid S3 bucket name: " + why);
    }
    static void check_audit_report_id(const std::string& id) {
        bool ok = id.size() == 36;
        for (std::size_t i = 0; ok && i < id.size(); ++i) {
            const char c = id[i];
            ok = (i == 8 || i == 13 || i == 18 || i == 23) ? c == '-' : ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'));
        }
        if (!ok) throw invalid_args_exception("AuditReportId '" + id + "' is not a report id");
    }
    /// The model lists no InvalidRequestException for CreatePermission/DeletePermission: a
    /// principal other than ACM is a ValidationException on creation (found by fuzz_server); on
    /// deletion there is simply no such permission (ResourceNotFoundException, below).
    static void check_permission_request(const std::string& principal, const std::optional<std::string>& source_account,
                                         bool creating) {
        if (creating && principal != "acm.amazonaws.com")
            throw validation_exception("Principal must be acm.amazonaws.com, got '" + principal.substr(0, 128) + "'");
        if (source_account) {
            bool ok = source_account->size() == 12;
            for (char c : *source_account) ok = ok && c >= '0' && c <= '9';
            if (!ok) throw validation_exception("SourceAccount must be 12 digits");
        }
    }

    static bytes strip_zeros(const bytes& b) {
        std::size_t i = 0;
        while (i + 1 < b.size() && b[i] == 0) ++i;
        return bytes(b.begin() + static_cast<std::ptrdiff_t>(i), b.end());
    }

    certificate_authority_status computed_status(const storage::ca_record& rec, sys_seconds now) const {
        if (rec.status == certificate_authority_status::deleted) return rec.status;
        if ((rec.status == certificate_authority_status::active || rec.status == certificate_authority_status::disabled) &&
            !rec.certificate.empty()) {
            if (const auto rt = cached_runtime(rec); rt && rt->certificate) {
                if (now >= rt->certificate->not_after()) return certificate_authority_status::expired;
            } else if (now >= x509::certificate::parse(rec.certificate).not_after()) {
                return certificate_authority_status::expired;
            }
        }
        return rec.status;
    }

    static void set_status(storage::ca_record& rec, certificate_authority_status s, sys_seconds at) {
        rec.status = s;
        rec.last_state_change_at = at;
    }
    void set_status(storage::ca_record& rec, certificate_authority_status s) { set_status(rec, s, now_seconds()); }

    /// A DELETED CA past its restore window is gone for good: erased on first sight.
    bool purge_if_gone(const storage::ca_record& rec) {
        if (rec.status == certificate_authority_status::deleted && rec.restorable_until && now_seconds() >= *rec.restorable_until) {
            m_store.erase_ca(rec.id);
            forget_runtime(rec.id);
            return true;
        }
        return false;
    }

    bool shared_with(const storage::ca_record& rec, const caller& who) const {
        if (!rec.policy) return false;
        try {
            const auto p = resource_policy::parse(*rec.policy, rec.arn);
            for (auto action : policy_actions)
                if (p.allows(who.account_id, who.service_principal.value_or(""), action, rec.arn, {})) return true;
        } catch (const error&) {
        }
        return false;
    }

    /// Parses the ARN, finds the CA, and checks that `who` may perform `action` on it.
    loaded_ca load(const std::string& arn_text, const caller& who, std::string_view action, const policy_context& context = {}) {
        const ca_arn arn = ca_arn::parse(arn_text);
        if (arn.region() != m_options.region || arn.partition() != m_partition)
            throw resource_not_found_exception("certificate authority " + arn_text + " does not exist in " + m_options.region);
        auto rec = m_store.find_ca(arn.ca_id());
        if (!rec || rec->arn != arn.str() || purge_if_gone(*rec))
            throw resource_not_found_exception("certificate authority " + arn_text + " does not exist");
        authorize(*rec, who, action, context);
        const auto status = computed_status(*rec, now_seconds());
        return {std::move(*rec), status};
    }

    void authorize(const storage::ca_record& rec, const caller& who, std::string_view action, const policy_context& context) const {
        if (who.service_principal && *who.service_principal == "acm.amazonaws.com") {
            // ACM acts only through the permissions the CA owner granted it.
            std::optional<action_type> wanted;
            if (auto a = try_parse_enum<action_type>(action)) wanted = a;
            for (const auto& p : rec.permissions) {
                if (p.principal != "acm.amazonaws.com") continue;
                if (p.source_account && *p.source_account != who.account_id) continue;
                if (wanted && std::find(p.actions.begin(), p.actions.end(), *wanted) != p.actions.end()) return;
            }
            if (rec.owner_account == who.account_id && !wanted) return;
            throw access_denied_exception("acm.amazonaws.com is not permitted to perform " + std::string(action) + " on " + rec.arn);
        }
        if (rec.owner_account == who.account_id) return;
        const std::string op_action = "acm-pca:" + std::string(action);
        if (rec.policy) {
            policy_context ctx = context;
            ctx["aws:PrincipalAccount"] = who.account_id;
            ctx["aws:SourceAccount"] = who.account_id;
            try {
                if (resource_policy::parse(*rec.policy, rec.arn).allows(who.account_id, "", op_action, rec.arn, ctx)) return;
            } catch (const error&) {
            }
        }
        throw access_denied_exception("account " + who.account_id + " is not authorized to perform " + op_action + " on " + rec.arn);
    }

    static void require_state(const loaded_ca& ca, std::string_view op, std::initializer_list<certificate_authority_status> allowed) {
        for (auto s : allowed)
            if (ca.status == s) return;
        std::string list;
        for (auto s : allowed) list += (list.empty() ? "" : ", ") + std::string(to_string(s));
        throw invalid_state_exception("the CA is " + std::string(to_string(ca.status)) + "; " + std::string(op) +
                                      " needs one of " + list);
    }
    static void require_not_deleted(const loaded_ca& ca, std::string_view op) {
        if (ca.status == certificate_authority_status::deleted)
            throw invalid_state_exception("the CA is DELETED; restore it before " + std::string(op));
    }

    certificate_authority describe(const storage::ca_record& rec) const {
        certificate_authority out;
        out.arn = rec.arn;
        out.owner_account = rec.owner_account;
        out.created_at = rec.created_at;
        out.last_state_change_at = rec.last_state_change_at;
        out.type = rec.type;
        out.status = computed_status(rec, now_seconds());
        if (!rec.certificate.empty()) {
            // The parsed certificate of the cached runtime when there is one (no parse per call).
            const auto rt = cached_runtime(rec);
            std::optional<x509::certificate> parsed;
            if (!rt || !rt->certificate) parsed = x509::certificate::parse(rec.certificate);
            const x509::certificate& cert = parsed ? *parsed : *rt->certificate;
            out.serial = to_hex(strip_zeros(cert.serial()), false, ':');
            out.not_before = cert.not_before();
            out.not_after = cert.not_after();
        }
        out.failure_reason = rec.failure;
        out.certificate_authority_configuration = rec.configuration;
        out.revocation_configuration = rec.revocation.value_or(revocation_configuration{});
        if (rec.status == certificate_authority_status::deleted) out.restorable_until = rec.restorable_until;
        out.key_storage_security_standard = rec.key_storage;
        out.usage_mode = rec.usage_mode;
        return out;
    }

    // ---- cached parsed key and certificates, per CA key + certificate + chain -------------
    std::shared_ptr<const ca_runtime> cached_runtime(const storage::ca_record& rec) const {
        std::shared_lock lock(m_runtime_mutex);
        auto it = m_runtime.find(rec.id);
        if (it != m_runtime.end() && it->second->certificate_der == rec.certificate && it->second->chain_der == rec.chain &&
            it->second->key_der == rec.private_key)
            return it->second;
        return nullptr;
    }
    std::shared_ptr<const ca_runtime> runtime_of(const storage::ca_record& rec) {
        if (auto rt = cached_runtime(rec)) return rt;
        auto rt = std::make_shared<ca_runtime>();
        rt->key_der = rec.private_key;
        rt->certificate_der = rec.certificate;
        rt->chain_der = rec.chain;
        rt->key = std::make_shared<const crypto::private_key>(crypto::private_key::from_pkcs8_der(rec.private_key));
        rt->key_info = rt->key->spki_der();
        if (!rec.certificate.empty()) rt->certificate = x509::certificate::parse(rec.certificate);
        for (const auto& c : rec.chain) rt->chain.push_back(x509::certificate::parse(c));
        if (!rec.certificate.empty()) {
            rt->chain_pem = detail::pem_of(rec.certificate, "CERTIFICATE");
            for (const auto& c : rec.chain) rt->chain_pem += detail::pem_of(c, "CERTIFICATE");
        }
        std::unique_lock lock(m_runtime_mutex);
        m_runtime[rec.id] = rt;
        return rt;
    }
    void forget_runtime(const std::string& id) {
        std::unique_lock lock(m_runtime_mutex);
        m_runtime.erase(id);
    }

    // ---- CRLs ---------------------------------------------------------------------------
    static bool crl_enabled(const storage::ca_record& rec) {
        return rec.revocation && rec.revocation->crl_configuration && rec.revocation->crl_configuration->enabled;
    }
    /// Publishes one CRL partition (an index) or, with nullopt, all of the CA's CRLs.
    void publish_crl_quietly(const std::string& ca_id, std::optional<std::uint32_t> only_partition = std::nullopt) {
        try {
            if (only_partition) publish_crl_partition(ca_id, *only_partition);
            else publish_crl(ca_id);
        } catch (const std::exception&) {
            // The service retries failed CRL updates later; refresh_crls() is that retry.
        }
    }
    /// One partition's CRL, after a revocation in it or its first certificate. It does not
    /// move last_crl_at: the expiry drop rule ("one more CRL after expiry") and the refresh
    /// schedule follow the full generations of publish_crl, which cover every partition.
    void publish_crl_partition(const std::string& ca_id, std::uint32_t partition) {
        auto rec = m_store.find_ca(ca_id);
        if (!rec || rec->certificate.empty()) throw invalid_state_exception("the CA has no certificate to sign a CRL with");
        const auto runtime = runtime_of(*rec);
        std::lock_guard<std::mutex> publishing(m_publish_mutex);  // as publish_crl
        put_crl_partition(*rec, *runtime, partition, m_clock.now());
    }
    void put_crl_partition(const storage::ca_record& rec, const ca_runtime& runtime, std::uint32_t partition,
                           std::chrono::system_clock::time_point now) {
        const auto& cfg = *rec.revocation->crl_configuration;
        const std::string id = policy::crl_partition_id(rec.id, partition);
        const auto uri = policy::crl_distribution_uri(rec.revocation, id, rec.region);
        if (!uri) return;  // OmitExtension: no certificate names a partition
        const bytes der = m_crls.build(rec, *runtime.certificate, *runtime.key, m_store, now, rng_ref(), partition, uri);
        m_buckets.put(cfg.s3_bucket_name.value_or(""), policy::crl_object_key(cfg, id), der);
    }
    bytes publish_crl(const std::string& ca_id) {
        auto rec = m_store.find_ca(ca_id);
        if (!rec || rec->certificate.empty()) throw invalid_state_exception("the CA has no certificate to sign a CRL with");
        const auto runtime = runtime_of(*rec);
        // Build and upload as one step: otherwise a CRL built earlier (lower number, fewer
        // entries) could be uploaded after a newer one and replace it in the bucket.
        std::lock_guard<std::mutex> publishing(m_publish_mutex);
        const auto now = m_clock.now();
        const bytes der = m_crls.build(*rec, *runtime->certificate, *runtime->key, m_store, now, rng_ref());
        const auto& cfg = *rec->revocation->crl_configuration;
        m_buckets.put(cfg.s3_bucket_name.value_or(""), policy::crl_object_key(cfg, rec->id), der);
        if (policy::crl_partitioned(rec->revocation)) {
            const std::size_t size = std::max<std::size_t>(m_options.crl_partition_size, 1);
            const std::size_t partitions = (m_store.count_certificates(rec->id) + size - 1) / size;
            for (std::size_t p = 0; p < partitions; ++p) put_crl_partition(*rec, *runtime, static_cast<std::uint32_t>(p), now);
        }
        // Record the generation time (best effort against concurrent updates of the CA).
        for (int attempt = 0; attempt < 3; ++attempt) {
            auto fresh = m_store.find_ca(ca_id);
            if (!fresh) break;
            fresh->last_crl_at = std::chrono::time_point_cast<std::chrono::seconds>(now);
            try {
                m_store.update_ca(*fresh);
                break;
            } catch (const concurrent_modification_exception&) {
            }
        }
        return der;
    }

    std::string permission_policy_document(const storage::ca_record& rec, const storage::permission_record& p) const {
        nlohmann::json doc;
        doc["Version"] = "2012-10-17";
        nlohmann::json st;
        st["Sid"] = "acm-pca-permission";
        st["Effect"] = "Allow";
        st["Principal"] = {{"Service", p.principal}};
        nlohmann::json actions = nlohmann::json::array();
        for (auto a : p.actions) actions.push_back("acm-pca:" + std::string(to_string(a)));
        st["Action"] = actions;
        st["Resource"] = rec.arn;
        if (p.source_account) st["Condition"] = {{"StringEquals", {{"aws:SourceAccount", *p.source_account}}}};
        doc["Statement"] = nlohmann::json::array({st});
        return doc.dump();
    }

    // ---- pagination -----------------------------------------------------------------------
    static std::size_t page_size(const std::optional<std::int32_t>& max_results, std::size_t cap) {
        if (max_results && (*max_results < 1 || *max_results > 1000))
            throw validation_exception("MaxResults must be 1 to 1000, got " + std::to_string(*max_results));
        return std::min<std::size_t>(max_results ? static_cast<std::size_t>(*max_results) : cap, cap);
    }
    static std::string position_of(const storage::ca_record& rec) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%020lld", static_cast<long long>(to_unix(rec.created_at) + (1LL << 62)));
        return std::string(buf) + "|" + rec.id;
    }

    template <class T, class Key>
    void page_of(const std::vector<T>& all, const std::optional<std::int32_t>& max_results, const std::optional<std::string>& token,
                 const std::string& scope, Key key, std::vector<T>& out, std::optional<std::string>& next) {
        const std::size_t page = page_size(max_results, 1000);
        const auto now = now_seconds();
        std::string after;
        if (token) after = m_tokens.decode(scope, *token, now);
        std::vector<const T*> sorted;
        for (const auto& x : all) sorted.push_back(&x);
        std::sort(sorted.begin(), sorted.end(), [&](const T* a, const T* b) { return key(*a) < key(*b); });
        for (const T* x : sorted) {
            if (!after.empty() && key(*x) <= after) continue;
            if (out.size() == page) {
                next = m_tokens.encode(scope, key(out.back()), now);
                return;
            }
            out.push_back(*x);
        }
    }

    Store& m_store;
    storage::object_store& m_buckets;
    const pca::clock& m_clock;
    service_options m_options;
    pca::rng* m_rng;
    rate_limiter m_limiter;
    page_token_codec m_tokens;
    std::string m_partition;
    mutable std::shared_mutex m_runtime_mutex;
    std::map<std::string, std::shared_ptr<const ca_runtime>> m_runtime;
    crl_publisher m_crls;
    std::mutex m_publish_mutex;  ///< serializes CRL build + upload (publish_crl)
};

/// The facade over the store interface (any store: memory, SQLite, yours).
using service = basic_service<storage::store>;

}  // namespace pca
