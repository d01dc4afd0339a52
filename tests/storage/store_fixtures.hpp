// Test support for the storage tests: records with every optional member set (and unset),
// a member-by-member comparison, and the stores under test.
#pragma once

#include <boost/test/unit_test.hpp>

#include <memory>
#include <string>

#include "pca/storage/memory_store.hpp"
#include "pca/storage/sqlite_store.hpp"
#include "support/tools.hpp"

namespace pca::test::storage {

inline constexpr const char* account = "111122223333";

inline std::string ca_arn(const std::string& id) {
    return "arn:aws:acm-pca:eu-west-1:" + std::string(account) + ":certificate-authority/" + id;
}

/// A fast KEK for tests (a raw key; passphrase tests pick a small iteration count).
inline pca::storage::key_encryption_key test_kek() {
    return pca::storage::key_encryption_key::from_raw(bytes(32, 0x3c));
}

/// A CA with only the required members.
inline pca::storage::ca_record minimal_ca(const std::string& id, std::int64_t created = 1'700'000'000) {
    pca::storage::ca_record ca;
    ca.id = id;
    ca.arn = ca_arn(id);
    ca.owner_account = account;
    ca.region = "eu-west-1";
    ca.configuration.subject.common_name = "CA " + id;
    ca.created_at = from_unix(created);
    ca.last_state_change_at = from_unix(created);
    ca.private_key = secure_bytes{0x30, 0x03, 0x02, 0x01, 0x00};
    return ca;
}

/// A CA with every optional member present, including present-but-empty strings and lists.
inline pca::storage::ca_record full_ca(const std::string& id) {
    pca::storage::ca_record ca = minimal_ca(id);
    ca.type = certificate_authority_type::subordinate;
    ca.status = certificate_authority_status::deleted;
    ca.status_before_deletion = certificate_authority_status::disabled;
    ca.failure = failure_reason::request_timed_out;
    auto& cfg = ca.configuration;
    cfg.key_algorithm = key_algorithm::ec_secp384r1;
    cfg.signing_algorithm = signing_algorithm::sha384_with_ecdsa;
    auto& s = cfg.subject;
    s.country = "DE";
    s.organization = "Example \"Org\" \xc3\xa4\xc3\xb6";  // quotes and UTF-8 survive
    s.organizational_unit = "";                                 // present but empty
    s.distinguished_name_qualifier = "dnq";
    s.state = "Berlin";
    s.common_name = "Root\\CA, with commas";
    s.serial_number = "12345";
    s.locality = "Mitte";
    s.title = "T";
    s.surname = "S";
    s.given_name = "G";
    s.initials = "I";
    s.pseudonym = "P";
    s.generation_qualifier = "III";
    s.custom_attributes = std::vector<custom_attribute>{{"1.2.3.4", "v1"}, {"2.5.4.3", ""}};
    csr_extensions ext;
    key_usage ku;
    ku.key_cert_sign = true;
    ku.crl_sign = true;
    ku.decipher_only = true;
    ext.key_usage = ku;
    access_description ad;
    ad.access_method.access_method_type = access_method_type::resource_pki_notify;
    ad.access_location.uniform_resource_identifier = "https://example.com/notify";
    access_description ad2;
    ad2.access_method.custom_object_identifier = "1.3.6.1.5.5.7.48.99";
    general_name gn;
    gn.other_name = other_name{"1.2.3", "x"};
    gn.rfc822_name = "a@b.c";
    gn.dns_name = "ca.example";
    asn1_subject dir;
    dir.common_name = "dir";
    dir.custom_attributes = std::vector<custom_attribute>{};  // present but empty
    gn.directory_name = dir;
    gn.edi_party_name = edi_party_name{"party", std::string("assigner")};
    gn.ip_address = "10.0.0.1";
    gn.registered_id = "1.2.840";
    ad2.access_location = gn;
    ext.subject_information_access = std::vector<access_description>{ad, ad2};
    cfg.csr_extensions = ext;

    revocation_configuration rev;
    crl_configuration crl;
    crl.enabled = true;
    crl.expiration_in_days = 7;
    crl.custom_cname = "crl.example.com";
    crl.s3_bucket_name = "bucket";
    crl.s3_object_acl = s3_object_acl::bucket_owner_full_control;
    crl.crl_distribution_point_extension_configuration = crl_distribution_point_extension_configuration{true};
    crl.crl_type = crl_type::partitioned;
    crl.custom_path = "path/x";
    rev.crl_configuration = crl;
    rev.ocsp_configuration = ocsp_configuration{true, std::string("ocsp.example.com")};
    ca.revocation = rev;
    ca.key_storage = key_storage_security_standard::ccpc_level_1_or_higher;
    ca.usage_mode = certificate_authority_usage_mode::short_lived_certificate;
    ca.created_at = from_unix(1'700'000'123);
    ca.last_state_change_at = from_unix(1'700'000'456);
    ca.restorable_until = from_unix(1'702'000'000);
    ca.csr = bytes{0x30, 0x82, 0x00, 0x01, 0xff};
    ca.certificate = bytes{0x30, 0x01, 0x00};
    ca.chain = {bytes{0x30, 0x00}, bytes{0x30, 0x02, 0x05, 0x00}};
    ca.tags = {tag{"Name", std::string("root")}, tag{"empty", std::string("")}, tag{"novalue", std::nullopt}};
    ca.policy = std::string(R"({"Version":"2012-10-17","Statement":[]})");
    ca.permissions = {
        pca::storage::permission_record{"acm.amazonaws.com", std::string("444455556666"),
                                        {action_type::issue_certificate, action_type::get_certificate,
                                         action_type::list_permissions},
                                        from_unix(1'700'000'789)},
        pca::storage::permission_record{"acm.amazonaws.com", std::nullopt, {}, from_unix(1)}};
    ca.crl_number = 41;
    ca.last_crl_at = from_unix(1'700'001'000);
    ca.last_audit_report_at = from_unix(1'700'002'000);
    ca.version = 0;
    return ca;
}

inline void expect_same(const pca::storage::ca_record& a, const pca::storage::ca_record& b) {
    BOOST_TEST(a.id == b.id);
    BOOST_TEST(a.arn == b.arn);
    BOOST_TEST(a.owner_account == b.owner_account);
    BOOST_TEST(a.region == b.region);
    BOOST_TEST((a.type == b.type));
    BOOST_TEST((a.status == b.status));
    BOOST_TEST((a.status_before_deletion == b.status_before_deletion));
    BOOST_TEST((a.failure == b.failure));
    BOOST_TEST((a.configuration == b.configuration));
    BOOST_TEST((a.revocation == b.revocation));
    BOOST_TEST((a.key_storage == b.key_storage));
    BOOST_TEST((a.usage_mode == b.usage_mode));
    BOOST_TEST((a.created_at == b.created_at));
    BOOST_TEST((a.last_state_change_at == b.last_state_change_at));
    BOOST_TEST((a.restorable_until == b.restorable_until));
    BOOST_TEST((a.private_key == b.private_key));
    BOOST_TEST((a.csr == b.csr));
    BOOST_TEST((a.certificate == b.certificate));
    BOOST_TEST((a.chain == b.chain));
    BOOST_TEST((a.tags == b.tags));
    BOOST_TEST((a.policy == b.policy));
    BOOST_REQUIRE_EQUAL(a.permissions.size(), b.permissions.size());
    for (std::size_t i = 0; i < a.permissions.size(); ++i) {
        BOOST_TEST(a.permissions[i].principal == b.permissions[i].principal);
        BOOST_TEST((a.permissions[i].source_account == b.permissions[i].source_account));
        BOOST_TEST((a.permissions[i].actions == b.permissions[i].actions));
        BOOST_TEST((a.permissions[i].created_at == b.permissions[i].created_at));
    }
    BOOST_TEST(a.crl_number == b.crl_number);
    BOOST_TEST((a.last_crl_at == b.last_crl_at));
    BOOST_TEST((a.last_audit_report_at == b.last_audit_report_at));
    BOOST_TEST(a.version == b.version);
}

inline pca::storage::certificate_record make_certificate(const std::string& ca_id, const bytes& serial,
                                                         std::int64_t not_after = 1'800'000'000) {
    pca::storage::certificate_record c;
    c.ca_id = ca_id;
    c.serial = serial;
    c.arn = ca_arn(ca_id) + "/certificate/" + to_hex(serial);
    c.template_arn = "arn:aws:acm-pca:::template/EndEntityCertificate/V1";
    c.subject_rfc2253 = "CN=leaf " + to_hex(serial);
    c.issued_at = from_unix(1'700'000'000);
    c.not_before = from_unix(1'700'000'000);
    c.not_after = from_unix(not_after);
    c.account = account;
    return c;
}

inline void expect_same(const pca::storage::certificate_record& a, const pca::storage::certificate_record& b) {
    BOOST_TEST(a.ca_id == b.ca_id);
    BOOST_TEST((a.serial == b.serial));
    BOOST_TEST(a.arn == b.arn);
    BOOST_TEST((a.certificate == b.certificate));
    BOOST_TEST(a.template_arn == b.template_arn);
    BOOST_TEST(a.subject_rfc2253 == b.subject_rfc2253);
    BOOST_TEST((a.issued_at == b.issued_at));
    BOOST_TEST((a.not_before == b.not_before));
    BOOST_TEST((a.not_after == b.not_after));
    BOOST_TEST(a.account == b.account);
    BOOST_TEST((a.service_principal == b.service_principal));
    BOOST_TEST((a.revoked_at == b.revoked_at));
    BOOST_TEST((a.reason == b.reason));
    BOOST_TEST((a.crl_partition == b.crl_partition));
}

/// The stores the conformance suite runs against; each owns what it needs.
struct memory_store_kind {
    static constexpr const char* name = "memory_store";
    pca::storage::memory_store instance;
    pca::storage::store& get() { return instance; }
};

struct sqlite_store_kind {
    static constexpr const char* name = "sqlite_store";
    temp_dir dir;
    pca::storage::sqlite_store instance{dir.file("state.db"), test_kek()};
    pca::storage::store& get() { return instance; }
};

}  // namespace pca::test::storage
