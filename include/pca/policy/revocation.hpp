// pca/policy/revocation.hpp - the service's revocation rules: how RevokeCertificate's
// CertificateSerial is read, which revocations are refused and with which error, reason codes,
// the CRL's times and number, and when an entry leaves the CRL (semantics.md 3 and 4;
// docs/crl.md).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "pca/core/bytes.hpp"
#include "pca/core/error.hpp"
#include "pca/core/time.hpp"
#include "pca/types/enums.hpp"
#include "pca/x509/crl.hpp"

namespace pca::policy {

/// RFC 5280 reasonCode of a RevocationReason: UNSPECIFIED 0, KEY_COMPROMISE 1,
/// CERTIFICATE_AUTHORITY_COMPROMISE 2, AFFILIATION_CHANGED 3, SUPERSEDED 4,
/// CESSATION_OF_OPERATION 5, PRIVILEGE_WITHDRAWN 9, A_A_COMPROMISE 10.
using x509::crl_reason_code;

/// Longest CertificateSerial the model accepts (String128).
inline constexpr std::size_t max_certificate_serial_text = 128;

/// Reads RevokeCertificate's CertificateSerial ("must be in hexadecimal format") into the
/// serial's unsigned big-endian magnitude without leading zero octets. Accepted: hex digits
/// in either case, either as one run ("6707447683A9B7F4...", odd length allowed) or as
/// colon-separated pairs ("67:07:44:...", every group exactly two digits), with or without a
/// leading 00 (the DER sign pad that `openssl x509 -text` prints). Refused with
/// InvalidRequestException (RevokeCertificate's model errors have no InvalidArgs): empty
/// text, anything else than hex digits and those colons (spaces, "0x", a stray colon), more
/// than 128 characters, the value zero, and a value whose DER INTEGER would exceed 20 octets
/// (RFC 5280 4.1.2.2), which no certificate of a conforming CA carries.
inline bytes parse_certificate_serial(std::string_view text) {
    auto refuse = [&](const std::string& why) -> bytes {
        throw invalid_request_exception("CertificateSerial \"" +
                                        std::string(text.substr(0, max_certificate_serial_text)) +
                                        "\" is not a valid serial number: " + why);
    };
    if (text.empty()) return refuse("it is empty");
    if (text.size() > max_certificate_serial_text) return refuse("it is longer than 128 characters");
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::string digits;
    digits.reserve(text.size());
    if (text.find(':') != std::string_view::npos) {
        // "aa:bb:cc": groups of exactly two hex digits.
        std::size_t i = 0;
        for (;;) {
            if (i + 2 > text.size() || nibble(text[i]) < 0 || nibble(text[i + 1]) < 0)
                return refuse("colon-separated serials need two hex digits in every group");
            digits += text[i];
            digits += text[i + 1];
            i += 2;
            if (i == text.size()) break;
            if (text[i] != ':') return refuse("colon-separated serials need two hex digits in every group");
            ++i;
        }
    } else {
        for (char c : text)
            if (nibble(c) < 0) return refuse("it must be hexadecimal");
        if (text.size() % 2) digits += '0';
        digits += text;
    }
    bytes raw;
    if (!from_hex(digits, raw)) return refuse("it must be hexadecimal");
    std::size_t first = 0;
    while (first < raw.size() && raw[first] == 0) ++first;
    if (first == raw.size()) return refuse("serial numbers are positive, not zero");
    bytes magnitude(raw.begin() + static_cast<std::ptrdiff_t>(first), raw.end());
    const std::size_t der_octets = magnitude.size() + ((magnitude[0] & 0x80) ? 1 : 0);
    if (der_octets > x509::max_serial_octets) return refuse("it is longer than 20 octets (RFC 5280 4.1.2.2)");
    return magnitude;
}

/// The serial as audit reports print it: colon-separated lowercase hex of the magnitude,
/// without leading zero octets ("e8:cb:d2:..."); "00" for an empty or zero value.
inline std::string serial_colon_hex(byte_view magnitude) {
    std::size_t i = 0;
    while (i < magnitude.size() && magnitude[i] == 0) ++i;
    if (i == magnitude.size()) return "00";
    return to_hex(magnitude.subview(i), false, ':');
}

/// What the CA's records say about the certificate RevokeCertificate names.
struct revocation_target {
    bool issued_by_ca = false;            ///< this CA issued a certificate with the serial
    bool is_ca_certificate = false;       ///< it is the CA's own (self-signed root) certificate
    bool already_revoked = false;
    sys_seconds not_after{};              ///< the certificate's notAfter
};

/// Refuses a revocation the service refuses, in this order (docs/crl.md):
///  - a serial this CA never issued: ResourceNotFoundException;
///  - the CA's own self-signed certificate: InvalidRequestException ("You cannot revoke a
///    root CA self-signed certificate", RevokeCertificate documentation);
///  - a certificate already revoked: RequestAlreadyProcessedException;
///  - a certificate that expired before `now`: InvalidRequestException.
inline void check_revocable(const revocation_target& t, std::string_view serial_text, sys_seconds now) {
    const std::string s(serial_text);
    if (!t.issued_by_ca) throw resource_not_found_exception("Certificate with serial " + s + " was not issued by this CA");
    if (t.is_ca_certificate)
        throw invalid_request_exception("Certificate with serial " + s +
                                        " is the CA's own self-signed certificate, which cannot be revoked");
    if (t.already_revoked) throw request_already_processed_exception("Certificate with serial " + s + " is already revoked");
    if (t.not_after < now)
        throw invalid_request_exception("Certificate with serial " + s + " expired at " + to_iso8601(t.not_after) +
                                        " and cannot be revoked");
}

/// thisUpdate = generation time - 1 hour, nextUpdate = generation time + ExpirationInDays
/// (semantics.md 4.1, inferred from both AWS samples), and the CRLNumber as given.
/// ExpirationInDays outside 1..5000 (Integer1To5000) is refused with InvalidArgsException.
inline x509::crl_fields crl_fields_at(sys_seconds generated_at, std::int64_t expiration_in_days, std::int64_t crl_number) {
    if (expiration_in_days < 1 || expiration_in_days > 5000)
        throw invalid_args_exception("ExpirationInDays must be between 1 and 5000, not " +
                                     std::to_string(expiration_in_days));
    x509::crl_fields f;
    f.this_update = generated_at - std::chrono::hours(1);
    f.next_update = generated_at + std::chrono::hours(24 * expiration_in_days);
    f.number = crl_number;
    return f;
}

/// The same for one partition of a PARTITIONED CRL, whose IssuingDistributionPoint names
/// `partition_uri` (the CRL distribution point of the certificates in the partition).
inline x509::crl_fields crl_fields_at(sys_seconds generated_at, std::int64_t expiration_in_days, std::int64_t crl_number,
                                      std::string partition_uri) {
    x509::crl_fields f = crl_fields_at(generated_at, expiration_in_days, crl_number);
    f.issuing_distribution_point_uri = std::move(partition_uri);
    return f;
}

/// The CRLNumber for a CRL generated at `generated_at`: the generation time in Unix
/// milliseconds, as in the service's samples, but always greater than the CA's previous
/// number (so it increases strictly even when the clock steps back or two CRLs fall in one
/// millisecond). The caller persists the result as the next `previous`.
inline std::int64_t next_crl_number(std::chrono::system_clock::time_point generated_at,
                                    std::optional<std::int64_t> previous) {
    const std::int64_t ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(generated_at.time_since_epoch()).count();
    std::int64_t n = ms < 0 ? 0 : ms;
    if (previous && *previous >= n) n = *previous + 1;
    return n;
}

/// The entry lifetime rule: "When a certificate is revoked, it appears in the CRL until the
/// certificate expires, and then in one additional CRL after expiration" (CrlConfiguration).
/// Before generating a CRL, call this with the generation time of the CA's previous CRL:
/// entries whose certificate's notAfter is before that time were already expired when the
/// previous CRL was made, so that CRL was their one additional CRL and they drop now.
/// Nothing is dropped when there was no previous CRL. Returns the number of entries removed.
inline std::size_t drop_expired_entries(x509::crl_entry_list& list, std::optional<sys_seconds> previous_crl_generated_at) {
    if (!previous_crl_generated_at) return 0;
    return list.remove_expired_before(*previous_crl_generated_at);
}

}  // namespace pca::policy
