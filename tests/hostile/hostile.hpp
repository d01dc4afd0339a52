// Test support for tests/hostile/: hand-built hostile DER (CSRs and CA certificates whose every
// field a test can break on its own, signed properly unless the test breaks the signature),
// and expect_refused(), which checks that the service facade answers with the exact named
// error - C++ type, wire name and a message that says what was wrong.
//
// The rows of the "Bad-input table" in docs/security.md name the test cases that use these.
#pragma once

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "pca/crypto/signature.hpp"
#include "pca/der/oid.hpp"
#include "pca/der/pem.hpp"
#include "pca/der/tag.hpp"
#include "pca/der/writer.hpp"
#include "pca/x509/csr.hpp"
#include "support/keys.hpp"
#include "support/pki.hpp"
#include "support/service_fixture.hpp"

namespace pca::test::hostile {

inline bool contains(const std::string& s, const std::string& fragment) { return s.find(fragment) != std::string::npos; }

/// Runs `f` and checks that it throws exactly `E`, that the wire name is E's, and that the
/// message carries every fragment (so the caller is told what was wrong). Anything else
/// (no error, another pca error, an unnamed std::exception) fails the test.
template <class E>
void expect_refused(const std::function<void()>& f, const std::vector<std::string>& fragments) {
    const std::string expected(aws_exception_name(E::value));
    try {
        f();
        BOOST_ERROR("accepted; expected " << expected);
    } catch (const E& e) {
        BOOST_TEST_MESSAGE("refused as expected: " << e.what());
        BOOST_TEST(std::string(e.aws_name()) == expected);
        BOOST_TEST(std::string(e.what()).rfind("[pca." + std::string(errc_tag(E::value)) + "] ", 0) == 0u);
        for (const auto& fr : fragments) {
            BOOST_TEST_INFO("message: " << e.what());
            BOOST_TEST(contains(e.message(), fr), "message lacks '" << fr << "'");
        }
    } catch (const pca::error& e) {
        BOOST_ERROR("expected " << expected << ", got " << e.aws_name() << ": " << e.what());
    } catch (const std::exception& e) {
        BOOST_ERROR("expected " << expected << ", got an unnamed exception: " << e.what());
    }
}

inline bytes to_bytes(const std::string& s) { return bytes(s.begin(), s.end()); }
inline bytes cat(std::initializer_list<byte_view> parts) {
    bytes out;
    for (auto p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}
/// One primitive TLV.
inline bytes tlv(std::uint8_t tag, byte_view content) {
    der::writer w;
    w.primitive(tag, content);
    return w.take();
}
/// A constructed TLV around already encoded content.
inline bytes wrap(std::uint8_t tag, byte_view content) {
    der::writer w;
    w.constructed(tag, [&](der::writer& c) { c.raw(content); });
    return w.take();
}
/// `depth` SEQUENCEs nested in each other around `inner`.
inline bytes nest(std::size_t depth, bytes inner) {
    for (std::size_t i = 0; i < depth; ++i) inner = wrap(der::tag::sequence, inner);
    return inner;
}

/// A Name of one attribute per RDN: (type, value tag, value octets).
struct name_part {
    der::oid type;
    std::uint8_t tag;
    std::string value;
};
inline bytes name_der(const std::vector<name_part>& parts) {
    der::writer w;
    w.sequence([&](der::writer& seq) {
        for (const auto& p : parts)
            seq.set([&](der::writer& set) {
                set.sequence([&](der::writer& atv) {
                    atv.oid(p.type);
                    atv.primitive(p.tag, byte_view(p.value));
                });
            });
    });
    return w.take();
}
inline bytes cn_name(const std::string& cn) { return name_der({{der::oids::common_name, der::tag::utf8_string, cn}}); }

/// Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
inline bytes extension_der(const der::oid& id, bool critical, byte_view value) {
    der::writer w;
    w.sequence([&](der::writer& e) {
        e.oid(id);
        if (critical) e.boolean(true);
        e.octet_string(value);
    });
    return w.take();
}
/// SubjectAltName with one dNSName.
inline bytes san_dns(const std::string& dns) {
    der::writer w;
    w.sequence([&](der::writer& s) { s.context_implicit_primitive(2, byte_view(dns)); });
    return extension_der(der::oids::subject_alt_name, false, w.buffer());
}

inline const crypto::private_key& ee_key(const std::string& name = "ee-p256") {
    static std::mutex mutex;
    static std::map<std::string, crypto::private_key> keys;
    std::lock_guard<std::mutex> lock(mutex);
    auto it = keys.find(name);
    if (it == keys.end()) {
        const bytes der = der::pem_decode_one(read_text(key_fixture_path(name)), "PRIVATE KEY");
        it = keys.emplace(name, crypto::private_key::from_pkcs8_der(der)).first;
    }
    return it->second;
}

inline bytes signature_tlv(byte_view sig) {
    der::writer w;
    w.bit_string(sig);
    return w.take();
}

/// A PKCS#10 request built field by field; every default makes a request pca accepts.
struct csr_spec {
    bytes version = {0x02, 0x01, 0x00};  // INTEGER 0 (v1)
    bytes subject = cn_name("hostile.example.com");
    std::optional<bytes> spki;             ///< default: the signing key's
    std::vector<bytes> extensions;         ///< Extension DERs for the extensionRequest
    std::vector<bytes> extra_attributes;   ///< whole Attribute DERs
    const crypto::private_key* key = nullptr;  ///< default: ee-p256
    signing_algorithm sign_with = signing_algorithm::sha256_with_ecdsa;
    std::optional<bytes> algorithm_identifier;  ///< outer signatureAlgorithm, default: sign_with's
    bool sign_other_bytes = false;              ///< sign a different certificationRequestInfo

    const crypto::private_key& signer() const { return key ? *key : ee_key(); }

    bytes info() const {
        std::vector<bytes> attributes = extra_attributes;
        if (!extensions.empty()) {
            der::writer a;
            a.sequence([&](der::writer& attr) {
                attr.oid(der::oids::pkcs9_extension_request);
                attr.set([&](der::writer& set) {
                    set.sequence([&](der::writer& exts) {
                        for (const auto& e : extensions) exts.raw(e);
                    });
                });
            });
            attributes.push_back(a.take());
        }
        std::sort(attributes.begin(), attributes.end());  // SET OF: DER order
        der::writer w;
        w.sequence([&](der::writer& i) {
            i.raw(version);
            i.raw(subject);
            i.raw(spki ? *spki : signer().spki_der());
            i.constructed(der::tag::context_constructed(0), [&](der::writer& at) {
                for (const auto& a : attributes) at.raw(a);
            });
        });
        return w.take();
    }

    bytes der() const {
        const bytes request_info = info();
        bytes signed_bytes = request_info;
        if (sign_other_bytes) signed_bytes.back() ^= 0x01;
        const bytes sig = signer().sign(crypto::scheme_for(sign_with), signed_bytes, test_rng());
        der::writer w;
        w.sequence([&](der::writer& r) {
            r.raw(request_info);
            r.raw(algorithm_identifier ? *algorithm_identifier : crypto::algorithm_identifier_der(sign_with));
            r.bit_string(sig);
        });
        return w.take();
    }
    bytes pem() const { return to_bytes(der::pem_encode("CERTIFICATE REQUEST", der())); }
};

/// The UTCTime/GeneralizedTime pair of a Validity.
inline bytes validity_der(sys_seconds not_before, sys_seconds not_after) {
    der::writer w;
    w.sequence([&](der::writer& v) {
        v.time(not_before);
        v.time(not_after);
    });
    return w.take();
}

/// A v3 certificate built field by field, signed by `issuer_key`.
struct cert_spec {
    bytes version = {0xa0, 0x03, 0x02, 0x01, 0x02};  // [0] EXPLICIT INTEGER 2 (v3)
    bytes serial = {0x02, 0x08, 0x3a, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77};
    signing_algorithm sign_with = signing_algorithm::sha256_with_ecdsa;
    std::optional<bytes> inner_algorithm;  ///< TBSCertificate.signature, default: sign_with's
    std::optional<bytes> outer_algorithm;  ///< Certificate.signatureAlgorithm, default: sign_with's
    bytes issuer;
    bytes validity;
    bytes subject = cn_name("Hostile Subordinate");
    bytes spki;
    std::vector<bytes> extensions;
    std::optional<bytes> raw_extensions_field;  ///< replaces the [3] field when set
    const crypto::private_key* issuer_key = nullptr;
    bool sign_other_bytes = false;
    bytes trailing;  ///< appended after the Certificate SEQUENCE

    bytes tbs() const {
        der::writer w;
        w.sequence([&](der::writer& t) {
            t.raw(version);
            t.raw(serial);
            t.raw(inner_algorithm ? *inner_algorithm : crypto::algorithm_identifier_der(sign_with));
            t.raw(issuer);
            t.raw(validity);
            t.raw(subject);
            t.raw(spki);
            if (raw_extensions_field) {
                t.raw(*raw_extensions_field);
            } else if (!extensions.empty()) {
                t.context_explicit(3, [&](der::writer& x) {
                    x.sequence([&](der::writer& s) {
                        for (const auto& e : extensions) s.raw(e);
                    });
                });
            }
        });
        return w.take();
    }
    bytes der() const {
        const bytes t = tbs();
        bytes signed_bytes = t;
        if (sign_other_bytes) signed_bytes.back() ^= 0x01;
        const bytes sig = issuer_key->sign(crypto::scheme_for(sign_with), signed_bytes, test_rng());
        der::writer w;
        w.sequence([&](der::writer& c) {
            c.raw(t);
            c.raw(outer_algorithm ? *outer_algorithm : crypto::algorithm_identifier_der(sign_with));
            c.bit_string(sig);
        });
        bytes out = w.take();
        out.insert(out.end(), trailing.begin(), trailing.end());
        return out;
    }
    bytes pem() const { return to_bytes(der::pem_encode("CERTIFICATE", der())); }
};

/// BasicConstraints cA TRUE, critical; KeyUsage keyCertSign|cRLSign, critical.
inline bytes ca_basic_constraints(bool critical = true) {
    const std::uint8_t v[] = {0x30, 0x03, 0x01, 0x01, 0xff};
    return extension_der(der::oids::basic_constraints, critical, byte_view(v, sizeof v));
}
inline bytes ca_key_usage() {
    const std::uint8_t v[] = {0x03, 0x02, 0x01, 0x06};  // keyCertSign(5), cRLSign(6)
    return extension_der(der::oids::key_usage, true, byte_view(v, sizeof v));
}

}  // namespace pca::test::hostile
