// RevokeCertificate's serial reading, the revocation refusals and their errors, reason codes,
// and the CRL times, number and entry-lifetime rules of policy/revocation.hpp.
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <string>
#include <vector>

#include "pca/policy/issuance.hpp"
#include "pca/policy/revocation.hpp"

namespace {
using namespace pca;

bytes hex(std::string_view h) {
    bytes b;
    BOOST_REQUIRE(from_hex(h, b));
    return b;
}

/// Hands out the bytes it was given, in order.
class scripted_rng final : public rng {
public:
    explicit scripted_rng(bytes script) : m_script(std::move(script)) {}
    void fill(std::uint8_t* out, std::size_t n) override {
        BOOST_REQUIRE(m_next + n <= m_script.size());
        for (std::size_t i = 0; i < n; ++i) out[i] = m_script[m_next++];
    }

private:
    bytes m_script;
    std::size_t m_next = 0;
};

sys_seconds at(std::int64_t y, unsigned mo, unsigned d, unsigned h = 0, unsigned mi = 0, unsigned s = 0) {
    return to_sys_seconds(civil_time{y, mo, d, h, mi, s});
}
}  // namespace

BOOST_AUTO_TEST_SUITE(policy_revocation)

BOOST_AUTO_TEST_CASE(new_serials_are_minimal_magnitudes_that_read_back_from_their_hex) {
    // Draws starting with a zero octet are refused: stored as is, such a serial would not be
    // found again from the ARN's hex (lookups strip leading zeros), 1 certificate in 256.
    bytes script = hex("00112233445566778899aabbccddeeff");
    const bytes all_zero(16, 0);
    script.insert(script.end(), all_zero.begin(), all_zero.end());
    const bytes good = hex("80112233445566778899aabbccddee01");
    script.insert(script.end(), good.begin(), good.end());
    scripted_rng r(script);
    const bytes s = policy::new_serial(r);
    BOOST_TEST(to_hex(s) == to_hex(good));
    BOOST_TEST(to_hex(policy::parse_certificate_serial(to_hex(s))) == to_hex(s));
}

BOOST_AUTO_TEST_CASE(serial_parsing_accepts_every_hex_spelling_and_normalises_to_the_magnitude) {
    struct row {
        const char* text;
        const char* magnitude;
    };
    const row rows[] = {
        // AWS examples: colon-separated lowercase, and the plain hex of certificate ARNs.
        {"67:07:44:76:83:a9:b7:f4:05:56:27:ff:d5:5c:eb:cc", "6707447683a9b7f4055627ffd55cebcc"},
        {"6707447683a9b7f4055627ffd55cebcc", "6707447683a9b7f4055627ffd55cebcc"},
        {"6707447683A9B7F4055627FFD55CEBCC", "6707447683a9b7f4055627ffd55cebcc"},
        {"67:07:44:76:83:A9:B7:F4:05:56:27:FF:D5:5C:EB:CC", "6707447683a9b7f4055627ffd55cebcc"},
        {"E8CBD2BEDB122329F97706BCFEC990F8", "e8cbd2bedb122329f97706bcfec990f8"},
        // the DER sign pad openssl prints for a top bit set, with and without colons
        {"00:e8:cb:d2:be:db:12:23:29:f9:77:06:bc:fe:c9:90:f8", "e8cbd2bedb122329f97706bcfec990f8"},
        {"00E8CBD2BEDB122329F97706BCFEC990F8", "e8cbd2bedb122329f97706bcfec990f8"},
        // any number of leading zeros, odd lengths, tiny serials
        {"0000000001", "01"},
        {"1", "01"},
        {"abc", "0abc"},
        {"0a:bc", "0abc"},
        {"7f", "7f"},
        // 20 DER octets: 20 magnitude octets with the top bit clear, or 19 with it set
        {"7fffffffffffffffffffffffffffffffffffffff", "7fffffffffffffffffffffffffffffffffffffff"},
        {"00ffffffffffffffffffffffffffffffffffffff", "ffffffffffffffffffffffffffffffffffffff"},
    };
    for (const auto& r : rows) {
        BOOST_TEST_CONTEXT(r.text) { BOOST_TEST(to_hex(policy::parse_certificate_serial(r.text)) == r.magnitude); }
    }
}

BOOST_AUTO_TEST_CASE(serial_parsing_refuses_bad_input_with_invalid_request) {
    const std::string too_long(129, 'a');
    const char* bad[] = {
        "",                                           // empty
        "0", "00", "00:00", "0000000000",             // zero
        "0x6707", "67 07", " 6707", "6707 ", "67-07",  // not hex
        "ghij", "67:0g", "é9",                        // non-hex characters
        ":67:07", "67:07:", "67::07", "6:07", "670:7", "67:7",  // colons not between digit pairs
        "80ffffffffffffffffffffffffffffffffffffff",   // 20 magnitude octets, top bit set: 21 DER octets
        "010000000000000000000000000000000000000000",  // 21 octets
    };
    for (const char* b : bad) {
        BOOST_TEST_CONTEXT("\"" << b << "\"") {
            BOOST_CHECK_THROW(policy::parse_certificate_serial(b), invalid_request_exception);
        }
    }
    BOOST_CHECK_THROW(policy::parse_certificate_serial(too_long), invalid_request_exception);
    BOOST_CHECK_THROW(policy::parse_certificate_serial(std::string("67\0" "07", 5)), invalid_request_exception);
    try {
        policy::parse_certificate_serial("0x12");
        BOOST_FAIL("no exception");
    } catch (const error& e) {
        BOOST_TEST(e.aws_name() == "InvalidRequestException");
        BOOST_TEST(std::string(e.what()).find("[pca.invalid_request] CertificateSerial \"0x12\"") == 0);
    }
}

BOOST_AUTO_TEST_CASE(reason_codes_follow_rfc_5280) {
    BOOST_TEST(policy::crl_reason_code(revocation_reason::unspecified) == 0);
    BOOST_TEST(policy::crl_reason_code(revocation_reason::key_compromise) == 1);
    BOOST_TEST(policy::crl_reason_code(revocation_reason::certificate_authority_compromise) == 2);
    BOOST_TEST(policy::crl_reason_code(revocation_reason::affiliation_changed) == 3);
    BOOST_TEST(policy::crl_reason_code(revocation_reason::superseded) == 4);
    BOOST_TEST(policy::crl_reason_code(revocation_reason::cessation_of_operation) == 5);
    BOOST_TEST(policy::crl_reason_code(revocation_reason::privilege_withdrawn) == 9);
    BOOST_TEST(policy::crl_reason_code(revocation_reason::a_a_compromise) == 10);
    for (auto r : enum_traits<revocation_reason>::values)
        BOOST_TEST((x509::revocation_reason_from_crl_code(policy::crl_reason_code(r)) == r));
    for (int code : {6, 7, 8, 11, -1}) BOOST_TEST(!x509::revocation_reason_from_crl_code(code));
}

BOOST_AUTO_TEST_CASE(serial_colon_hex_is_lowercase_pairs_of_the_magnitude) {
    BOOST_TEST(policy::serial_colon_hex(hex("e8cbd2bedb122329f97706bcfec990f8")) ==
               "e8:cb:d2:be:db:12:23:29:f9:77:06:bc:fe:c9:90:f8");
    BOOST_TEST(policy::serial_colon_hex(hex("00E8CB")) == "e8:cb");
    BOOST_TEST(policy::serial_colon_hex(hex("01")) == "01");
    BOOST_TEST(policy::serial_colon_hex(hex("0000")) == "00");
    BOOST_TEST(policy::serial_colon_hex({}) == "00");
    // round trip through the parser
    BOOST_TEST(to_hex(policy::parse_certificate_serial(policy::serial_colon_hex(hex("3d295f5691637e577f3c192acd79d401")))) ==
               "3d295f5691637e577f3c192acd79d401");
}

BOOST_AUTO_TEST_CASE(revocation_refusals_use_the_documented_errors_in_order) {
    const sys_seconds now = at(2024, 6, 1);
    policy::revocation_target t;
    t.not_after = at(2025, 1, 1);
    BOOST_CHECK_THROW(policy::check_revocable(t, "01", now), resource_not_found_exception);
    t.issued_by_ca = true;
    BOOST_CHECK_NO_THROW(policy::check_revocable(t, "01", now));
    t.is_ca_certificate = true;
    t.already_revoked = true;
    BOOST_CHECK_THROW(policy::check_revocable(t, "01", now), invalid_request_exception);
    t.is_ca_certificate = false;
    BOOST_CHECK_THROW(policy::check_revocable(t, "01", now), request_already_processed_exception);
    t.already_revoked = false;
    t.not_after = now;  // valid through notAfter inclusive
    BOOST_CHECK_NO_THROW(policy::check_revocable(t, "01", now));
    t.not_after = now - std::chrono::seconds(1);
    BOOST_CHECK_THROW(policy::check_revocable(t, "01", now), invalid_request_exception);
}

BOOST_AUTO_TEST_CASE(crl_times_match_the_service_samples) {
    // Sample: generated 2018-02-26T20:28:25Z, ExpirationInDays 365 -> Last Update 19:28:25,
    // Next Update 2019-02-26 20:28:25.
    const auto f = policy::crl_fields_at(at(2018, 2, 26, 20, 28, 25), 365, 1519676905984, "http://x/crl/p.crl");
    BOOST_TEST(to_iso8601(f.this_update) == "2018-02-26T19:28:25Z");
    BOOST_TEST(to_iso8601(*f.next_update) == "2019-02-26T20:28:25Z");
    BOOST_TEST(f.number == 1519676905984);
    BOOST_TEST(*f.issuing_distribution_point_uri == "http://x/crl/p.crl");
    // Second sample: +3650 days.
    BOOST_TEST(to_iso8601(*policy::crl_fields_at(at(2018, 1, 10, 20, 28, 47), 3650, 1).next_update) == "2028-01-08T20:28:47Z");
    BOOST_CHECK_THROW(policy::crl_fields_at(at(2018, 1, 1), 0, 1), invalid_args_exception);
    BOOST_CHECK_THROW(policy::crl_fields_at(at(2018, 1, 1), 5001, 1), invalid_args_exception);
    BOOST_CHECK_NO_THROW(policy::crl_fields_at(at(2018, 1, 1), 5000, 1));
}

BOOST_AUTO_TEST_CASE(crl_numbers_are_unix_milliseconds_and_strictly_increase) {
    using std::chrono::hours;
    const std::chrono::system_clock::time_point t{std::chrono::milliseconds{1519676905984}};
    BOOST_TEST(policy::next_crl_number(t, std::nullopt) == 1519676905984);
    BOOST_TEST(policy::next_crl_number(t, 1519676905983) == 1519676905984);
    BOOST_TEST(policy::next_crl_number(t, 1519676905984) == 1519676905985);  // same millisecond
    BOOST_TEST(policy::next_crl_number(t - hours(1), 1519676905984) == 1519676905985);  // clock stepped back
    std::int64_t previous = 0;
    for (int i = 0; i < 3; ++i) {
        const std::int64_t n = policy::next_crl_number(t, previous);
        BOOST_TEST(n > previous);
        previous = n;
    }
}

BOOST_AUTO_TEST_CASE(expired_entries_drop_after_one_more_crl) {
    x509::crl_entry_list list;
    const sys_seconds revoked = at(2024, 1, 1);
    list.add(hex("01"), revoked, revocation_reason::key_compromise, at(2024, 3, 1));  // expires 1 March
    list.add(hex("02"), revoked, revocation_reason::superseded, at(2024, 12, 1));
    list.add(hex("03"), revoked, revocation_reason::superseded);                      // notAfter unknown: kept

    // First CRL: nothing to drop (there was no previous CRL).
    BOOST_TEST(policy::drop_expired_entries(list, std::nullopt) == 0u);
    // CRL generated 2 March after a CRL of 28 February: the certificate was valid when the
    // previous CRL was made, so this CRL is its one additional CRL after expiry: kept.
    BOOST_TEST(policy::drop_expired_entries(list, at(2024, 2, 28)) == 0u);
    BOOST_TEST(list.size() == 3u);
    // A previous CRL made exactly at notAfter: the certificate was still valid then.
    BOOST_TEST(policy::drop_expired_entries(list, at(2024, 3, 1)) == 0u);
    // The next CRL after one made on 2 March: serial 01 drops.
    BOOST_TEST(policy::drop_expired_entries(list, at(2024, 3, 2)) == 1u);
    BOOST_TEST(list.size() == 2u);
    BOOST_TEST(!list.contains(hex("01")));
    BOOST_TEST(list.contains(hex("02")));
    BOOST_TEST(list.contains(hex("03")));
}

BOOST_AUTO_TEST_SUITE_END()
