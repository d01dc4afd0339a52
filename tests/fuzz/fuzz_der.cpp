// tests/fuzz/fuzz_der.cpp - the strict DER reader and the X.509 decoders built on it.
//
// Oracles beyond "no crash":
//  1. Generic tree: the input read as a sequence of TLVs, constructed ones entered (depth
//     limit der::default_max_depth), primitive ones checked with the reader's typed readers
//     for their universal tag (BOOLEAN, INTEGER, BIT STRING, NULL, OID, strings, times). When
//     the whole input is accepted, writing the same tree again with der::writer's typed
//     writers must give the input byte for byte (DER has one encoding per value).
//  2. Every extension decoder pca has (BasicConstraints ... IssuingDistributionPoint): what
//     it accepts, its encode() writes back byte for byte.
//  3. Name, Certificate, CertificationRequest, CertificateList: what the strict parsers accept
//     keeps the exact bytes (der()), re-parses to the same value, and every extension in it
//     that pca knows round-trips as in 2.
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>

#include "fuzz_common.hpp"
#include "pca/crypto/error.hpp"
#include "pca/der/reader.hpp"
#include "pca/der/writer.hpp"
#include "pca/x509/certificate.hpp"
#include "pca/x509/crl.hpp"
#include "pca/x509/csr.hpp"
#include "pca/x509/extensions.hpp"
#include "pca/x509/name.hpp"

namespace pca::fuzz::der_target {

namespace tag = der::tag;

/// Re-writes one primitive TLV through the typed reader and writer for its tag.
void rewrite_primitive(const der::tlv& v, der::writer& w) {
    der::reader r(v.encoded);
    switch (v.tag) {
        case tag::boolean: w.boolean(r.boolean()); break;
        case tag::null: r.null(); w.null(); break;
        case tag::integer:
        case tag::enumerated: {
            const byte_view content = r.integer_bytes("INTEGER", v.tag);
            if (content.size() <= 8) {
                der::reader again(v.encoded);
                const std::int64_t x = again.integer("INTEGER", v.tag);
                if (v.tag == tag::integer) w.integer(x); else w.enumerated(x);
            } else if (!(content[0] & 0x80)) {
                w.integer_unsigned(content, v.tag);  // the writer drops the sign pad and adds it back
            } else {
                w.primitive(v.tag, content);
            }
            break;
        }
        case tag::bit_string: {
            const auto bits = r.bit_string();
            w.bit_string(bits.bytes, bits.unused_bits);
            break;
        }
        case tag::oid: {
            const der::oid o = r.oid();
            const auto text = o.to_string();
            const auto back = der::oid::from_string(text);
            PCA_FUZZ_CHECK(back && *back == o, "OID " + text + " does not survive to_string/from_string");
            w.oid(o);
            break;
        }
        case tag::utf8_string:
        case tag::printable_string:
        case tag::t61_string:
        case tag::ia5_string:
        case tag::visible_string:
        case tag::universal_string:
        case tag::bmp_string: w.string(v.tag, r.string(v.tag, "string")); break;
        case tag::utc_time: w.utc_time(r.time()); break;
        case tag::generalized_time: w.generalized_time(r.time()); break;
        default: w.primitive(v.tag, v.content); break;  // OCTET STRING, [n] IMPLICIT, ...
    }
    r.expect_end("value");
}

void rewrite(der::reader& r, der::writer& w) {
    while (!r.empty()) {
        const der::tlv v = r.read_any("value");
        if (v.tag & tag::constructed_bit) {
            der::reader inner = r.child(v, "constructed value");
            w.constructed(v.tag, [&](der::writer& cw) { rewrite(inner, cw); });
        } else {
            rewrite_primitive(v, w);
        }
    }
}

template <class Ext>
void round_trip_extension(byte_view value, const char* name) {
    try {
        const Ext e = Ext::decode(value);
        const bytes again = e.encode();
        PCA_FUZZ_CHECK(byte_view(again) == value, std::string(name) + " decodes " + hex(value) + " but encodes " + hex(again));
    } catch (const der::decode_error&) {
    }
}

void round_trip_known_extension(const x509::extension& e) {
    using namespace x509;
    if (e.id == basic_constraints::id) round_trip_extension<basic_constraints>(e.value, "BasicConstraints");
    else if (e.id == key_usage::id) round_trip_extension<key_usage>(e.value, "KeyUsage");
    else if (e.id == extended_key_usage::id) round_trip_extension<extended_key_usage>(e.value, "ExtendedKeyUsage");
    else if (e.id == subject_key_identifier::id) round_trip_extension<subject_key_identifier>(e.value, "SubjectKeyIdentifier");
    else if (e.id == authority_key_identifier::id) round_trip_extension<authority_key_identifier>(e.value, "AuthorityKeyIdentifier");
    else if (e.id == subject_alt_name::id) round_trip_extension<subject_alt_name>(e.value, "SubjectAltName");
    else if (e.id == certificate_policies::id) round_trip_extension<certificate_policies>(e.value, "CertificatePolicies");
    else if (e.id == crl_distribution_points::id) round_trip_extension<crl_distribution_points>(e.value, "CRLDistributionPoints");
    else if (e.id == authority_info_access::id) round_trip_extension<authority_info_access>(e.value, "AuthorityInfoAccess");
    else if (e.id == subject_info_access::id) round_trip_extension<subject_info_access>(e.value, "SubjectInfoAccess");
    else if (e.id == crl_number::id) round_trip_extension<crl_number>(e.value, "CRLNumber");
    else if (e.id == issuing_distribution_point::id) round_trip_extension<issuing_distribution_point>(e.value, "IssuingDistributionPoint");
}

void check_extensions(const std::vector<x509::extension>& exts, byte_view where) {
    for (std::size_t i = 0; i < exts.size(); ++i) {
        for (std::size_t k = 0; k < i; ++k)
            PCA_FUZZ_CHECK(exts[k].id != exts[i].id, "duplicate extension accepted in " + hex(where));
        round_trip_known_extension(exts[i]);
    }
}

/// A parsed Name keeps its bytes; one made from its attributes (when every RDN has one
/// attribute) encodes to the same bytes.
void check_name(const x509::name& n) {
    const x509::name again = x509::name::parse(n.der());
    PCA_FUZZ_CHECK(again.der() == n.der() && again.rdns().size() == n.rdns().size(), "Name does not re-parse: " + hex(n.der()));
    std::vector<x509::name_attribute> flat;
    for (const auto& rdn : n.rdns()) {
        if (rdn.size() != 1) return;
        flat.push_back(rdn[0]);
    }
    const x509::name built = x509::name::from_attributes(flat);
    PCA_FUZZ_CHECK(built.der() == n.der(), "Name " + hex(n.der()) + " rebuilt from its attributes as " + hex(built.der()));
}

void check_generic(byte_view input) {
    der::writer w;
    try {
        der::reader r(input);
        rewrite(r, w);
    } catch (const der::decode_error&) {
        return;
    }
    PCA_FUZZ_CHECK(byte_view(w.buffer()) == input, "accepted DER re-encodes differently: " + hex(input) + " -> " + hex(w.buffer()));
}

void check_x509(byte_view input) {
    try {
        const x509::name n = x509::name::parse(input);
        PCA_FUZZ_CHECK(byte_view(n.der()) == input, "Name keeps other bytes than its input");
        check_name(n);
    } catch (const der::decode_error&) {
    }
    try {
        const x509::certificate c = x509::certificate::parse(input);
        PCA_FUZZ_CHECK(byte_view(c.der()) == input, "Certificate keeps other bytes than its input");
        const x509::certificate again = x509::certificate::parse(c.der());
        PCA_FUZZ_CHECK(again == c && again.serial() == c.serial() && again.extensions() == c.extensions(),
                       "Certificate does not re-parse to the same value");
        PCA_FUZZ_CHECK(c.version() >= 1 && c.version() <= 3, "certificate version out of range");
        check_name(c.issuer());
        check_name(c.subject());
        check_extensions(c.extensions(), input);
        try {
            (void)c.key();
            (void)c.is_self_signed();
        } catch (const crypto::crypto_error&) {
        } catch (const pca::error&) {
        }
    } catch (const der::decode_error&) {
    }
    try {
        const x509::csr r = x509::csr::parse(input);
        PCA_FUZZ_CHECK(byte_view(r.der()) == input, "CSR keeps other bytes than its input");
        check_name(r.subject());
        if (r.has_extension_request()) check_extensions(r.requested_extensions(), input);
        try {
            (void)r.verify_signature();
        } catch (const crypto::crypto_error&) {
        } catch (const pca::error&) {
        }
    } catch (const der::decode_error&) {
    }
    try {
        const x509::crl l = x509::crl::parse(input);
        PCA_FUZZ_CHECK(byte_view(l.der()) == input, "CRL keeps other bytes than its input");
        check_name(l.issuer());
        check_extensions(l.extensions(), input);
    } catch (const der::decode_error&) {
    }
    // The input as an extnValue of each kind.
    x509::extension as_value;
    as_value.value = input.to_bytes();
    for (const der::oid& id : {x509::basic_constraints::id, x509::key_usage::id, x509::extended_key_usage::id,
                               x509::subject_key_identifier::id, x509::authority_key_identifier::id,
                               x509::subject_alt_name::id, x509::certificate_policies::id,
                               x509::crl_distribution_points::id, x509::authority_info_access::id,
                               x509::crl_number::id, x509::issuing_distribution_point::id}) {
        as_value.id = id;
        round_trip_known_extension(as_value);
    }
}

}  // namespace pca::fuzz::der_target

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const pca::byte_view input(data, size);
    pca::fuzz::der_target::check_generic(input);
    pca::fuzz::der_target::check_x509(input);
    return 0;
}
