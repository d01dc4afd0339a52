// pca/der/oid.hpp - OBJECT IDENTIFIER values (X.690 section 8.19) and the OIDs pca uses.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "pca/core/bytes.hpp"

namespace pca::der {

/// An OBJECT IDENTIFIER held as its DER content octets (not the tag or length), in a fixed
/// inline buffer so that well-known OIDs are constexpr and comparisons are memcmp.
class oid {
public:
    /// Longest content accepted; longer OIDs are refused by the reader (documented limit).
    static constexpr std::size_t max_encoded_size = 64;

    constexpr oid() = default;

    /// Parses a dotted string at compile time or run time; nullopt when it is not a valid OID
    /// (first arc 0..2, second arc <= 39 under 0 and 1, no leading zeros, arcs < 2^63).
    static constexpr std::optional<oid> from_string(std::string_view dotted) {
        oid r;
        std::uint64_t arcs[2] = {0, 0};
        std::size_t index = 0, i = 0;
        if (dotted.empty()) return std::nullopt;
        while (i <= dotted.size()) {
            // parse one arc
            std::size_t start = i;
            std::uint64_t v = 0;
            while (i < dotted.size() && dotted[i] != '.') {
                const char c = dotted[i];
                if (c < '0' || c > '9') return std::nullopt;
                if (v > (UINT64_MAX >> 1) / 10) return std::nullopt;
                v = v * 10 + static_cast<std::uint64_t>(c - '0');
                ++i;
            }
            const std::size_t len = i - start;
            if (len == 0 || (len > 1 && dotted[start] == '0')) return std::nullopt;
            if (index < 2) {
                arcs[index] = v;
                if (index == 1) {
                    if (arcs[0] > 2 || (arcs[0] < 2 && arcs[1] > 39)) return std::nullopt;
                    if (arcs[0] == 2 && arcs[1] > (UINT64_MAX >> 1) - 80) return std::nullopt;
                    if (!r.append_arc(arcs[0] * 40 + arcs[1])) return std::nullopt;
                }
            } else if (!r.append_arc(v)) {
                return std::nullopt;
            }
            ++index;
            if (i == dotted.size()) break;
            ++i;  // skip '.'
            if (i == dotted.size()) return std::nullopt;  // trailing dot
        }
        if (index < 2) return std::nullopt;
        return r;
    }

    /// A compile-time constant: `inline constexpr oid x = oid::constant("2.5.29.19");`
    static constexpr oid constant(std::string_view dotted) {
        auto r = from_string(dotted);
        if (!r) throw std::invalid_argument("invalid OID constant");
        return *r;
    }

    /// From DER content octets; nullopt when not a minimal, complete encoding.
    static std::optional<oid> from_der_content(byte_view content) {
        if (content.empty() || content.size() > max_encoded_size) return std::nullopt;
        if (content[content.size() - 1] & 0x80) return std::nullopt;  // last arc unterminated
        bool at_arc_start = true;
        for (std::size_t i = 0; i < content.size(); ++i) {
            if (at_arc_start && content[i] == 0x80) return std::nullopt;  // non-minimal arc
            at_arc_start = (content[i] & 0x80) == 0;
        }
        // every arc must fit in 63 bits so that to_string is exact
        std::uint64_t v = 0;
        for (std::size_t i = 0; i < content.size(); ++i) {
            if (v > (UINT64_MAX >> 8)) return std::nullopt;
            v = (v << 7) | (content[i] & 0x7f);
            if (!(content[i] & 0x80)) v = 0;
        }
        oid r;
        for (std::size_t i = 0; i < content.size(); ++i) r.m_bytes[i] = content[i];
        r.m_size = static_cast<std::uint8_t>(content.size());
        return r;
    }

    constexpr byte_view der_content() const noexcept { return {m_bytes, m_size}; }
    constexpr std::size_t size() const noexcept { return m_size; }
    constexpr bool empty() const noexcept { return m_size == 0; }

    /// Dotted decimal form, e.g. "1.2.840.10045.4.3.2".
    std::string to_string() const {
        std::string out;
        std::uint64_t v = 0;
        bool first = true;
        for (std::size_t i = 0; i < m_size; ++i) {
            v = (v << 7) | (m_bytes[i] & 0x7f);
            if (m_bytes[i] & 0x80) continue;
            if (first) {
                const std::uint64_t a = v < 80 ? v / 40 : 2;
                out += std::to_string(a);
                out += '.';
                out += std::to_string(v - a * 40);
                first = false;
            } else {
                out += '.';
                out += std::to_string(v);
            }
            v = 0;
        }
        return out;
    }

    friend constexpr bool operator==(const oid& a, const oid& b) noexcept {
        if (a.m_size != b.m_size) return false;
        for (std::size_t i = 0; i < a.m_size; ++i)
            if (a.m_bytes[i] != b.m_bytes[i]) return false;
        return true;
    }
    friend constexpr bool operator!=(const oid& a, const oid& b) noexcept { return !(a == b); }
    friend bool operator<(const oid& a, const oid& b) noexcept { return a.der_content() < b.der_content(); }

private:
    constexpr bool append_arc(std::uint64_t v) {
        std::uint8_t tmp[10] = {};
        std::size_t n = 0;
        do {
            tmp[n++] = static_cast<std::uint8_t>(v & 0x7f);
            v >>= 7;
        } while (v);
        if (m_size + n > max_encoded_size) return false;
        while (n) {
            --n;
            m_bytes[m_size++] = static_cast<std::uint8_t>(tmp[n] | (n ? 0x80 : 0));
        }
        return true;
    }

    std::uint8_t m_bytes[max_encoded_size] = {};
    std::uint8_t m_size = 0;
};

/// OIDs used by pca, named as in the RFC that defines them.
namespace oids {
// Attribute types for names (RFC 5280 appendix A, RFC 4519).
inline constexpr oid country_name = oid::constant("2.5.4.6");
inline constexpr oid organization_name = oid::constant("2.5.4.10");
inline constexpr oid organizational_unit_name = oid::constant("2.5.4.11");
inline constexpr oid dn_qualifier = oid::constant("2.5.4.46");
inline constexpr oid state_or_province_name = oid::constant("2.5.4.8");
inline constexpr oid common_name = oid::constant("2.5.4.3");
inline constexpr oid serial_number = oid::constant("2.5.4.5");
inline constexpr oid locality_name = oid::constant("2.5.4.7");
inline constexpr oid title = oid::constant("2.5.4.12");
inline constexpr oid surname = oid::constant("2.5.4.4");
inline constexpr oid given_name = oid::constant("2.5.4.42");
inline constexpr oid initials = oid::constant("2.5.4.43");
inline constexpr oid pseudonym = oid::constant("2.5.4.65");
inline constexpr oid generation_qualifier = oid::constant("2.5.4.44");
inline constexpr oid email_address = oid::constant("1.2.840.113549.1.9.1");
inline constexpr oid domain_component = oid::constant("0.9.2342.19200300.100.1.25");
inline constexpr oid street_address = oid::constant("2.5.4.9");
inline constexpr oid user_id = oid::constant("0.9.2342.19200300.100.1.1");

// Certificate extensions (RFC 5280 section 4.2).
inline constexpr oid subject_key_identifier = oid::constant("2.5.29.14");
inline constexpr oid key_usage = oid::constant("2.5.29.15");
inline constexpr oid subject_directory_attributes = oid::constant("2.5.29.9");
inline constexpr oid subject_alt_name = oid::constant("2.5.29.17");
inline constexpr oid issuer_alt_name = oid::constant("2.5.29.18");
inline constexpr oid basic_constraints = oid::constant("2.5.29.19");
inline constexpr oid crl_number = oid::constant("2.5.29.20");
inline constexpr oid crl_reason = oid::constant("2.5.29.21");
inline constexpr oid issuing_distribution_point = oid::constant("2.5.29.28");
inline constexpr oid name_constraints = oid::constant("2.5.29.30");
inline constexpr oid crl_distribution_points = oid::constant("2.5.29.31");
inline constexpr oid certificate_policies = oid::constant("2.5.29.32");
inline constexpr oid policy_mappings = oid::constant("2.5.29.33");
inline constexpr oid authority_key_identifier = oid::constant("2.5.29.35");
inline constexpr oid policy_constraints = oid::constant("2.5.29.36");
inline constexpr oid extended_key_usage = oid::constant("2.5.29.37");
inline constexpr oid freshest_crl = oid::constant("2.5.29.46");
inline constexpr oid inhibit_any_policy = oid::constant("2.5.29.54");
inline constexpr oid authority_info_access = oid::constant("1.3.6.1.5.5.7.1.1");
inline constexpr oid subject_info_access = oid::constant("1.3.6.1.5.5.7.1.11");
inline constexpr oid any_policy = oid::constant("2.5.29.32.0");
inline constexpr oid cps_qualifier = oid::constant("1.3.6.1.5.5.7.2.1");

// Access methods (RFC 5280 4.2.2.1/4.2.2.2, RFC 6487, RFC 8182).
inline constexpr oid ad_ocsp = oid::constant("1.3.6.1.5.5.7.48.1");
inline constexpr oid ad_ca_issuers = oid::constant("1.3.6.1.5.5.7.48.2");
inline constexpr oid ad_ca_repository = oid::constant("1.3.6.1.5.5.7.48.5");
inline constexpr oid ad_rpki_manifest = oid::constant("1.3.6.1.5.5.7.48.10");
inline constexpr oid ad_rpki_notify = oid::constant("1.3.6.1.5.5.7.48.13");

// Extended key usages (RFC 5280 4.2.1.12, RFC 9336, Microsoft, RFC 6962).
inline constexpr oid kp_server_auth = oid::constant("1.3.6.1.5.5.7.3.1");
inline constexpr oid kp_client_auth = oid::constant("1.3.6.1.5.5.7.3.2");
inline constexpr oid kp_code_signing = oid::constant("1.3.6.1.5.5.7.3.3");
inline constexpr oid kp_email_protection = oid::constant("1.3.6.1.5.5.7.3.4");
inline constexpr oid kp_time_stamping = oid::constant("1.3.6.1.5.5.7.3.8");
inline constexpr oid kp_ocsp_signing = oid::constant("1.3.6.1.5.5.7.3.9");
inline constexpr oid kp_document_signing = oid::constant("1.3.6.1.5.5.7.3.36");
inline constexpr oid ms_smart_card_logon = oid::constant("1.3.6.1.4.1.311.20.2.2");
inline constexpr oid ct_precert_signing = oid::constant("1.3.6.1.4.1.11129.2.4.4");

// PKCS#9 / PKCS#10.
inline constexpr oid pkcs9_extension_request = oid::constant("1.2.840.113549.1.9.14");
inline constexpr oid pkcs9_challenge_password = oid::constant("1.2.840.113549.1.9.7");

// Keys and signatures (RFC 3279, RFC 4055, RFC 5480, RFC 5758).
inline constexpr oid rsa_encryption = oid::constant("1.2.840.113549.1.1.1");
inline constexpr oid rsassa_pss = oid::constant("1.2.840.113549.1.1.10");
inline constexpr oid mgf1 = oid::constant("1.2.840.113549.1.1.8");
inline constexpr oid sha1_with_rsa_encryption = oid::constant("1.2.840.113549.1.1.5");
inline constexpr oid sha256_with_rsa_encryption = oid::constant("1.2.840.113549.1.1.11");
inline constexpr oid sha384_with_rsa_encryption = oid::constant("1.2.840.113549.1.1.12");
inline constexpr oid sha512_with_rsa_encryption = oid::constant("1.2.840.113549.1.1.13");
inline constexpr oid id_ec_public_key = oid::constant("1.2.840.10045.2.1");
inline constexpr oid ecdsa_with_sha256 = oid::constant("1.2.840.10045.4.3.2");
inline constexpr oid ecdsa_with_sha384 = oid::constant("1.2.840.10045.4.3.3");
inline constexpr oid ecdsa_with_sha512 = oid::constant("1.2.840.10045.4.3.4");
inline constexpr oid secp256r1 = oid::constant("1.2.840.10045.3.1.7");
inline constexpr oid secp384r1 = oid::constant("1.3.132.0.34");
inline constexpr oid secp521r1 = oid::constant("1.3.132.0.35");
inline constexpr oid sha1 = oid::constant("1.3.14.3.2.26");
inline constexpr oid sha256 = oid::constant("2.16.840.1.101.3.4.2.1");
inline constexpr oid sha384 = oid::constant("2.16.840.1.101.3.4.2.2");
inline constexpr oid sha512 = oid::constant("2.16.840.1.101.3.4.2.3");
}  // namespace oids

}  // namespace pca::der
