// pca/service/audit_report.hpp - CreateCertificateAuthorityAuditReport's report body, in the
// exact fields, order and formats of semantics.md section 5 (docs/audit-reports.md).
//
//   JSON: a top-level array, one object per certificate, keys in the order
//         awsAccountId, requestedByServicePrincipal, certificateArn, serial, subject,
//         notBefore, notAfter, issuedAt, revokedAt, revocationReason, templateArn;
//         absent fields are omitted.
//   CSV:  the header line below, then one record per certificate; absent fields are empty;
//         RFC 4180 quoting (a field with a comma, a double quote, CR or LF is quoted and its
//         quotes doubled); records end with "\n".
//
// The report is written straight into one reserved std::string: no JSON library, no
// allocation per row (1,000,000 certificates in well under the 3 s budget, docs/crl.md).
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "pca/core/bytes.hpp"
#include "pca/core/time.hpp"
#include "pca/policy/revocation.hpp"
#include "pca/types/enums.hpp"

namespace pca {

/// One certificate the CA issued (and perhaps revoked), as the audit report lists it.
struct audit_entry {
    std::string aws_account_id;
    std::optional<std::string> requested_by_service_principal;  ///< e.g. "acm.amazonaws.com"
    std::string certificate_arn;
    bytes serial;                   ///< the serial's magnitude; printed as "e8:cb:..."
    std::string subject_rfc2253;    ///< x509::name::to_rfc2253()
    sys_seconds not_before{};
    sys_seconds not_after{};
    sys_seconds issued_at{};
    std::optional<sys_seconds> revoked_at;
    std::optional<::pca::revocation_reason> revocation_reason;
    std::string template_arn;
};

/// The CSV header line, without its line end.
inline constexpr std::string_view audit_report_csv_header =
    "awsAccountId,requestedByServicePrincipal,certificateArn,serial,subject,notBefore,notAfter,issuedAt,"
    "revokedAt,revocationReason,templateArn";

/// The report's object key: "audit-report/<ca-id>/<report-id>.json" or ".csv".
inline std::string audit_report_key(std::string_view ca_id, std::string_view report_id,
                                    audit_report_response_format format) {
    std::string key = "audit-report/";
    key.append(ca_id);
    key += '/';
    key.append(report_id);
    key += format == audit_report_response_format::json ? ".json" : ".csv";
    return key;
}

namespace detail {

/// Length of the well-formed UTF-8 sequence at p (1..4), or 0 when it is not well formed
/// (overlong, surrogate, above U+10FFFF, truncated).
inline std::size_t utf8_sequence_length(const unsigned char* p, std::size_t avail) noexcept {
    const unsigned char c = p[0];
    if (c < 0x80) return 1;
    std::size_t n;
    unsigned char lo = 0x80, hi = 0xbf;  // bounds of the second byte
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        if (c == 0xe0) lo = 0xa0;  // no overlongs
        if (c == 0xed) hi = 0x9f;  // no surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        if (c == 0xf0) lo = 0x90;
        if (c == 0xf4) hi = 0x8f;  // <= U+10FFFF
    } else {
        return 0;
    }
    if (avail < n || p[1] < lo || p[1] > hi) return 0;
    for (std::size_t k = 2; k < n; ++k)
        if ((p[k] & 0xc0) != 0x80) return 0;
    return n;
}

inline constexpr std::string_view replacement_character = "\xEF\xBF\xBD";  // U+FFFD

/// Appends `s` as UTF-8: well-formed sequences pass through, each byte of a malformed one
/// becomes U+FFFD. `escape(out, c)` returns true when it wrote ASCII byte c itself.
template <class Escape>
void append_utf8(std::string& out, std::string_view s, Escape&& escape) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size();
    std::size_t run = 0, i = 0;
    while (i < n) {
        const unsigned char c = p[i];
        if (c < 0x80) {
            if (c >= 0x20 && c != '"' && c != '\\') {
                ++i;
                continue;
            }
            out.append(s.data() + run, i - run);
            if (!escape(out, c)) out += static_cast<char>(c);
            run = ++i;
            continue;
        }
        const std::size_t len = utf8_sequence_length(p + i, n - i);
        if (len) {
            i += len;
            continue;
        }
        out.append(s.data() + run, i - run);
        out.append(replacement_character);
        run = ++i;
    }
    out.append(s.data() + run, n - run);
}

/// A JSON string literal (RFC 8259 7): quote, backslash and control characters escaped,
/// everything else as UTF-8.
inline void append_json_string(std::string& out, std::string_view s) {
    out += '"';
    append_utf8(out, s, [](std::string& o, unsigned char c) {
        switch (c) {
            case '"': o += "\\\""; return true;
            case '\\': o += "\\\\"; return true;
            case '\b': o += "\\b"; return true;
            case '\f': o += "\\f"; return true;
            case '\n': o += "\\n"; return true;
            case '\r': o += "\\r"; return true;
            case '\t': o += "\\t"; return true;
            default:
                if (c < 0x20) {
                    static constexpr char hex[] = "0123456789abcdef";
                    o += "\\u00";
                    o += hex[c >> 4];
                    o += hex[c & 15];
                    return true;
                }
                return false;
        }
    });
    out += '"';
}

/// A CSV field (RFC 4180 2.6, 2.7): quoted when it holds a comma, a double quote, CR or LF,
/// with its quotes doubled.
inline void append_csv_field(std::string& out, std::string_view s) {
    if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
        append_utf8(out, s, [](std::string&, unsigned char) { return false; });
        return;
    }
    out += '"';
    append_utf8(out, s, [](std::string& o, unsigned char c) {
        if (c == '"') {
            o += "\"\"";
            return true;
        }
        return false;
    });
    out += '"';
}

inline void append_2(char* p, unsigned v) noexcept {
    p[0] = static_cast<char>('0' + v / 10);
    p[1] = static_cast<char>('0' + v % 10);
}

/// "YYYY-MM-DDTHH:MM:SS+0000" (years 0..9999).
inline void append_timestamp(std::string& out, sys_seconds t) {
    const civil_time c = to_civil(t);
    char buf[24];
    const std::int64_t y = c.year < 0 ? 0 : (c.year > 9999 ? 9999 : c.year);
    buf[0] = static_cast<char>('0' + y / 1000);
    buf[1] = static_cast<char>('0' + y / 100 % 10);
    buf[2] = static_cast<char>('0' + y / 10 % 10);
    buf[3] = static_cast<char>('0' + y % 10);
    buf[4] = '-';
    append_2(buf + 5, c.month);
    buf[7] = '-';
    append_2(buf + 8, c.day);
    buf[10] = 'T';
    append_2(buf + 11, c.hour);
    buf[13] = ':';
    append_2(buf + 14, c.minute);
    buf[16] = ':';
    append_2(buf + 17, c.second);
    buf[19] = '+';
    buf[20] = buf[21] = buf[22] = buf[23] = '0';
    out.append(buf, sizeof buf);
}

/// Colon hex of a magnitude, straight into `out` ("00" for zero).
inline void append_serial(std::string& out, byte_view magnitude) {
    static constexpr char hex[] = "0123456789abcdef";
    std::size_t i = 0;
    while (i < magnitude.size() && magnitude[i] == 0) ++i;
    if (i == magnitude.size()) {
        out += "00";
        return;
    }
    for (std::size_t k = i; k < magnitude.size(); ++k) {
        if (k != i) out += ':';
        out += hex[magnitude[k] >> 4];
        out += hex[magnitude[k] & 15];
    }
}

/// Bytes the entry takes before escaping (a close upper bound for ordinary input).
inline std::size_t estimated_size(const audit_entry& e) noexcept {
    return e.aws_account_id.size() + (e.requested_by_service_principal ? e.requested_by_service_principal->size() : 0) +
           e.certificate_arn.size() + e.serial.size() * 3 + e.subject_rfc2253.size() + e.template_arn.size() + 96 +
           240;  // three or four timestamps, a reason, keys and punctuation
}

inline void append_json_entry(std::string& out, const audit_entry& e) {
    out += "{\"awsAccountId\":";
    append_json_string(out, e.aws_account_id);
    if (e.requested_by_service_principal) {
        out += ",\"requestedByServicePrincipal\":";
        append_json_string(out, *e.requested_by_service_principal);
    }
    out += ",\"certificateArn\":";
    append_json_string(out, e.certificate_arn);
    out += ",\"serial\":\"";
    append_serial(out, e.serial);
    out += "\",\"subject\":";
    append_json_string(out, e.subject_rfc2253);
    out += ",\"notBefore\":\"";
    append_timestamp(out, e.not_before);
    out += "\",\"notAfter\":\"";
    append_timestamp(out, e.not_after);
    out += "\",\"issuedAt\":\"";
    append_timestamp(out, e.issued_at);
    out += '"';
    if (e.revoked_at) {
        out += ",\"revokedAt\":\"";
        append_timestamp(out, *e.revoked_at);
        out += '"';
    }
    if (e.revocation_reason) {
        out += ",\"revocationReason\":\"";
        out.append(to_string(*e.revocation_reason));
        out += '"';
    }
    out += ",\"templateArn\":";
    append_json_string(out, e.template_arn);
    out += '}';
}

inline void append_csv_entry(std::string& out, const audit_entry& e) {
    append_csv_field(out, e.aws_account_id);
    out += ',';
    if (e.requested_by_service_principal) append_csv_field(out, *e.requested_by_service_principal);
    out += ',';
    append_csv_field(out, e.certificate_arn);
    out += ',';
    append_serial(out, e.serial);
    out += ',';
    append_csv_field(out, e.subject_rfc2253);
    out += ',';
    append_timestamp(out, e.not_before);
    out += ',';
    append_timestamp(out, e.not_after);
    out += ',';
    append_timestamp(out, e.issued_at);
    out += ',';
    if (e.revoked_at) append_timestamp(out, *e.revoked_at);
    out += ',';
    if (e.revocation_reason) out.append(to_string(*e.revocation_reason));
    out += ',';
    append_csv_field(out, e.template_arn);
    out += '\n';
}

}  // namespace detail

/// Appends the report for `entries` (in the order given) to `out`.
inline void append_audit_report(std::string& out, const std::vector<audit_entry>& entries,
                                audit_report_response_format format) {
    std::size_t estimate = out.size() + 16 + audit_report_csv_header.size();
    for (const auto& e : entries) estimate += detail::estimated_size(e);
    out.reserve(estimate);
    if (format == audit_report_response_format::json) {
        out += '[';
        for (std::size_t i = 0; i < entries.size(); ++i) {
            out += i ? ",\n" : "\n";
            detail::append_json_entry(out, entries[i]);
        }
        out += "\n]\n";
    } else {
        out.append(audit_report_csv_header);
        out += '\n';
        for (const auto& e : entries) detail::append_csv_entry(out, e);
    }
}

/// Writes a report one entry at a time, in chunks of about `chunk_size` bytes: `sink(
/// std::string_view)` receives consecutive pieces whose concatenation is what
/// format_audit_report() would return for the same entries. Memory stays at one chunk however
/// many certificates there are (a report of 1,000,000 certificates is about 500 MB), so the
/// entries can come straight from a store cursor and go straight to a file.
template <class Sink>
class audit_report_writer {
public:
    audit_report_writer(audit_report_response_format format, Sink sink, std::size_t chunk_size = std::size_t{1} << 20)
        : m_format(format), m_sink(std::move(sink)), m_chunk(chunk_size) {
        // Grows to one chunk as entries come (a small report does not hold a megabyte).
        m_buf.reserve(std::min<std::size_t>(m_chunk + 4096, 16384));
        if (m_format == audit_report_response_format::json) {
            m_buf += '[';
        } else {
            m_buf.append(audit_report_csv_header);
            m_buf += '\n';
        }
    }
    void add(const audit_entry& e) {
        if (m_format == audit_report_response_format::json) {
            m_buf += m_count ? ",\n" : "\n";
            detail::append_json_entry(m_buf, e);
        } else {
            detail::append_csv_entry(m_buf, e);
        }
        ++m_count;
        if (m_buf.size() >= m_chunk) {
            m_sink(std::string_view(m_buf));
            m_buf.clear();
        }
    }
    /// Writes the end of the document; call once, after the last add().
    void finish() {
        if (m_format == audit_report_response_format::json) m_buf += "\n]\n";
        if (!m_buf.empty()) m_sink(std::string_view(m_buf));
        m_buf.clear();
    }
    std::size_t count() const noexcept { return m_count; }

private:
    audit_report_response_format m_format;
    Sink m_sink;
    std::size_t m_chunk;
    std::string m_buf;
    std::size_t m_count = 0;
};

/// The whole report for `entries`, streamed to `sink` (see audit_report_writer).
template <class Sink>
void write_audit_report(const std::vector<audit_entry>& entries, audit_report_response_format format, Sink&& sink,
                        std::size_t chunk_size = std::size_t{1} << 20) {
    audit_report_writer<std::reference_wrapper<std::remove_reference_t<Sink>>> w(format, std::ref(sink), chunk_size);
    for (const auto& e : entries) w.add(e);
    w.finish();
}

/// The report body: a JSON array or a CSV document, as semantics.md section 5 describes.
/// Strings are written as UTF-8; a byte that is not part of well-formed UTF-8 becomes U+FFFD.
inline std::string format_audit_report(const std::vector<audit_entry>& entries, audit_report_response_format format) {
    std::string out;
    append_audit_report(out, entries, format);
    return out;
}

}  // namespace pca
