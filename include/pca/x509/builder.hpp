// pca/x509/builder.hpp - TBSCertificate values, the certificate signer and the PKCS#10 builder.
//
// Choosing what goes into a certificate (policy) is separate from signing it (here): policy
// produces a tbs_certificate that a test can inspect; sign_certificate only signs.
#pragma once

#include <string>
#include <vector>

#include "pca/core/bytes.hpp"
#include "pca/core/rng.hpp"
#include "pca/core/time.hpp"
#include "pca/crypto/key.hpp"
#include "pca/crypto/signature.hpp"
#include "pca/der/writer.hpp"
#include "pca/types/enums.hpp"
#include "pca/x509/extensions.hpp"
#include "pca/x509/name.hpp"

namespace pca::x509 {

/// Everything a v3 certificate says, ready to encode.
struct tbs_certificate {
    bytes serial;                 ///< unsigned big-endian magnitude (encoded positive)
    signing_algorithm algorithm = signing_algorithm::sha256_with_ecdsa;
    bytes issuer_der;             ///< Name DER, copied byte for byte from the issuing CA
    sys_seconds not_before{};
    sys_seconds not_after{};
    bytes subject_der;            ///< Name DER
    bytes public_key_info_der;    ///< SubjectPublicKeyInfo DER
    std::vector<extension> extensions;

    /// TBSCertificate DER (RFC 5280 4.1), version v3, appended to `w`.
    void encode(der::writer& w) const {
        const bytes alg = crypto::algorithm_identifier_der(algorithm);
        w.sequence([&](der::writer& t) {
            t.context_explicit(0, [](der::writer& v) { v.integer(2); });  // version v3
            t.integer_unsigned(serial);
            t.raw(alg);
            t.raw(issuer_der);
            t.sequence([&](der::writer& v) {
                v.time(not_before);
                v.time(not_after);
            });
            t.raw(subject_der);
            t.raw(public_key_info_der);
            if (!extensions.empty())
                t.context_explicit(3, [&](der::writer& e) { encode_extensions(e, extensions); });
        });
    }
    bytes encode() const {
        der::writer w;
        encode(w);
        return w.take();
    }
};

namespace detail {
/// SEQUENCE { <to-be-signed written by f>, AlgorithmIdentifier, BIT STRING signature }: the
/// shape shared by Certificate, CertificateList and CertificationRequest. The to-be-signed
/// bytes are signed where they were written, without a copy.
template <class F>
bytes sign_structure(F&& write_tbs, signing_algorithm alg, const crypto::private_key& key, rng& random,
                     std::size_t size_hint = 1024) {
    const bytes alg_id = crypto::algorithm_identifier_der(alg);
    der::writer w;
    w.reserve(size_hint);
    w.sequence([&](der::writer& outer) {
        const std::size_t start = outer.size();
        write_tbs(outer);
        const byte_view tbs(outer.buffer().data() + start, outer.size() - start);
        const bytes signature = key.sign(alg, tbs, random);
        outer.raw(alg_id);
        outer.bit_string(signature);
    });
    return w.take();
}
}  // namespace detail

/// Signs `tbs` with the issuer's key: Certificate DER. The algorithm must suit the key
/// (crypto::private_key::sign throws InvalidArgsException otherwise).
inline bytes sign_certificate(const tbs_certificate& tbs, const crypto::private_key& issuer_key, rng& random) {
    return detail::sign_structure([&](der::writer& w) { tbs.encode(w); }, tbs.algorithm, issuer_key, random,
                                  tbs.public_key_info_der.size() + tbs.subject_der.size() * 2 + 512 +
                                      tbs.extensions.size() * 64);
}

/// A PKCS#10 request: subject, the key's SubjectPublicKeyInfo, and an optional
/// extensionRequest attribute, signed by the key itself (RFC 2986).
struct csr_request {
    bytes subject_der;
    std::vector<extension> extensions;
    signing_algorithm algorithm = signing_algorithm::sha256_with_ecdsa;

    bytes sign(const crypto::private_key& key, rng& random) const {
        const bytes spki = key.spki_der();
        return detail::sign_structure(
            [&](der::writer& w) {
                w.sequence([&](der::writer& info) {
                    info.integer(0);  // version v1
                    info.raw(subject_der);
                    info.raw(spki);
                    info.context_implicit_constructed(0, [&](der::writer& attrs) {
                        if (extensions.empty()) return;
                        attrs.sequence([&](der::writer& attr) {
                            attr.oid(der::oids::pkcs9_extension_request);
                            attr.set([&](der::writer& values) { encode_extensions(values, extensions); });
                        });
                    });
                });
            },
            algorithm, key, random);
    }
};

}  // namespace pca::x509
