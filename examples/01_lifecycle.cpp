// examples/01_lifecycle.cpp - a private CA hierarchy from start to finish, in-process.
//
//   root CA (self-signed with RootCACertificate/V1)
//     -> subordinate CA (signed by the root, imported with its chain)
//          -> end-entity certificate from an OpenSSL CSR, then revoked
//   CRL published to a bucket directory, audit report written next to it.
//
// Usage: pca-lifecycle OUTPUT_DIR [CSR.pem]
// Writes OUTPUT_DIR/{root.pem, sub.pem, chain.pem, ee.pem, buckets/...}; scripts/demo then
// checks them with the openssl command line.
#include <pca/pca.hpp>

#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

namespace {

void write(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + path);
}

std::string read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

pca::bytes as_bytes(const std::string& s) { return pca::bytes(s.begin(), s.end()); }

pca::asn1_subject subject(const std::string& cn) {
    pca::asn1_subject s;
    s.country = "US";
    s.organization = "Example Corp";
    s.common_name = cn;
    return s;
}

}  // namespace

int main(int argc, char** argv) try {
    if (argc < 2) {
        std::cerr << "usage: " << argv[0] << " OUTPUT_DIR [CSR.pem]\n";
        return 2;
    }
    const std::string out = argv[1];
    pca::storage::memory_store store;
    pca::storage::directory_object_store buckets(out + "/buckets");
    pca::system_clock clock;
    pca::service svc(store, buckets, clock);

    // 1. A root CA: create, fetch its CSR, self-sign it with RootCACertificate/V1, import.
    pca::create_certificate_authority_request root_req;
    root_req.certificate_authority_type = pca::certificate_authority_type::root;
    root_req.certificate_authority_configuration.key_algorithm = pca::key_algorithm::ec_secp384r1;
    root_req.certificate_authority_configuration.signing_algorithm = pca::signing_algorithm::sha384_with_ecdsa;
    root_req.certificate_authority_configuration.subject = subject("Example Root CA");
    const std::string root = svc.create_certificate_authority(root_req).certificate_authority_arn;
    std::cout << "created root CA      " << root << "\n";

    const std::string root_csr = svc.get_certificate_authority_csr({root}).csr;
    pca::issue_certificate_request self;
    self.certificate_authority_arn = root;
    self.csr = as_bytes(root_csr);
    self.signing_algorithm = pca::signing_algorithm::sha384_with_ecdsa;
    self.template_arn = "arn:aws:acm-pca:::template/RootCACertificate/V1";
    self.validity = {10, pca::validity_period_type::years};
    const std::string root_cert_arn = svc.issue_certificate(self).certificate_arn;
    const std::string root_pem = svc.get_certificate({root, root_cert_arn}).certificate;
    svc.import_certificate_authority_certificate({root, as_bytes(root_pem), std::nullopt});
    std::cout << "root CA is           " << pca::to_string(*svc.describe_certificate_authority({root}).certificate_authority.status) << "\n";

    // 2. A subordinate CA with CRLs published to the "example-crls" bucket.
    pca::create_certificate_authority_request sub_req;
    sub_req.certificate_authority_type = pca::certificate_authority_type::subordinate;
    sub_req.certificate_authority_configuration.key_algorithm = pca::key_algorithm::ec_prime256v1;
    sub_req.certificate_authority_configuration.signing_algorithm = pca::signing_algorithm::sha256_with_ecdsa;
    sub_req.certificate_authority_configuration.subject = subject("Example Issuing CA");
    pca::crl_configuration crl;
    crl.enabled = true;
    crl.expiration_in_days = 7;
    crl.s3_bucket_name = "example-crls";
    sub_req.revocation_configuration = pca::revocation_configuration{crl, std::nullopt};
    const std::string sub = svc.create_certificate_authority(sub_req).certificate_authority_arn;
    std::cout << "created subordinate  " << sub << "\n";

    pca::issue_certificate_request sign_sub;
    sign_sub.certificate_authority_arn = root;
    const std::string sub_csr = svc.get_certificate_authority_csr({sub}).csr;
    sign_sub.csr = as_bytes(sub_csr);
    sign_sub.signing_algorithm = pca::signing_algorithm::sha384_with_ecdsa;
    sign_sub.template_arn = "arn:aws:acm-pca:::template/SubordinateCACertificate_PathLen0/V1";
    sign_sub.validity = {5, pca::validity_period_type::years};
    const std::string sub_cert_arn = svc.issue_certificate(sign_sub).certificate_arn;
    const auto sub_cert = svc.get_certificate({root, sub_cert_arn});
    svc.import_certificate_authority_certificate({sub, as_bytes(sub_cert.certificate), as_bytes(*sub_cert.certificate_chain)});
    std::cout << "subordinate CA is    " << pca::to_string(*svc.describe_certificate_authority({sub}).certificate_authority.status) << "\n";

    // 3. An end-entity certificate from a CSR (OpenSSL's, when given).
    std::string csr_pem;
    if (argc > 2) {
        csr_pem = read(argv[2]);
    } else {
        auto key = pca::crypto::private_key::generate(pca::key_algorithm::ec_prime256v1, pca::crypto::thread_local_drbg());
        pca::x509::csr_request r;
        r.subject_der = pca::x509::to_name(subject("www.example.com")).der();
        pca::x509::subject_alt_name san{{pca::x509::general_name::dns("www.example.com")}};
        r.extensions.push_back(san.to_extension(false));
        csr_pem = pca::der::pem_encode("CERTIFICATE REQUEST", r.sign(key, pca::crypto::thread_local_drbg()));
    }
    pca::issue_certificate_request ee_req;
    ee_req.certificate_authority_arn = sub;
    ee_req.csr = as_bytes(csr_pem);
    ee_req.signing_algorithm = pca::signing_algorithm::sha256_with_ecdsa;
    ee_req.validity = {90, pca::validity_period_type::days};
    const std::string ee = svc.issue_certificate(ee_req).certificate_arn;
    const auto ee_cert = svc.get_certificate({sub, ee});
    std::cout << "issued               " << ee << "\n";

    write(out + "/root.pem", root_pem);
    write(out + "/sub.pem", sub_cert.certificate);
    write(out + "/chain.pem", *ee_cert.certificate_chain);
    write(out + "/ee.pem", ee_cert.certificate);

    // 4. Revoke it: the CRL in the bucket is regenerated at once.
    const std::string serial = ee.substr(ee.rfind('/') + 1);
    svc.revoke_certificate({sub, serial, pca::revocation_reason::key_compromise});
    const std::string sub_id = pca::ca_arn::parse(sub).ca_id();
    std::cout << "revoked serial       " << serial << "\n";
    std::cout << "CRL                  " << out << "/buckets/example-crls/crl/" << sub_id << ".crl\n";

    // 5. An audit report of everything the subordinate issued and revoked.
    const auto report = svc.create_certificate_authority_audit_report({sub, "example-audit", pca::audit_report_response_format::csv});
    std::cout << "audit report         " << out << "/buckets/example-audit/" << report.s3_key << "\n";
    write(out + "/sub-id.txt", sub_id + "\n");
    write(out + "/serial.txt", serial + "\n");
    return 0;
} catch (const std::exception& e) {
    std::cerr << "pca-lifecycle: " << e.what() << "\n";
    return 1;
}
