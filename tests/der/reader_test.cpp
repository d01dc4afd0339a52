// The strict DER reader: accepts DER, refuses BER and malformed input with a decode_error.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <functional>
#include <string>

#include "pca/core/bytes.hpp"
#include "pca/der/reader.hpp"
#include "pca/der/writer.hpp"

namespace {
pca::bytes unhex(std::string h) {
    h.erase(std::remove(h.begin(), h.end(), ' '), h.end());
    pca::bytes b;
    BOOST_REQUIRE(pca::from_hex(h, b));
    return b;
}
template <class F>
std::string decode_failure(const std::string& hex, F&& f) {
    const pca::bytes in = unhex(hex);
    try {
        pca::der::reader r(in);
        f(r);
    } catch (const pca::der::decode_error& e) {
        return e.what();
    }
    return "";
}
}  // namespace

BOOST_AUTO_TEST_SUITE(der_reader)

BOOST_AUTO_TEST_CASE(reads_back_what_the_writer_wrote) {
    pca::der::writer w;
    w.sequence([](pca::der::writer& s) {
        s.integer(-129);
        s.integer_unsigned(pca::bytes{0xff, 0x01});
        s.boolean(true);
        s.null();
        s.oid(pca::der::oids::subject_alt_name);
        s.bit_string(pca::bytes{0xa0}, 5);
        s.printable_string("US");
        s.utf8_string("caf\xc3\xa9");
        s.time(pca::to_sys_seconds({2049, 12, 31, 23, 59, 59}));
        s.time(pca::to_sys_seconds({2050, 1, 1, 0, 0, 0}));
        s.context_explicit(3, [](pca::der::writer& e) { e.integer(7); });
    });
    pca::der::reader top(w.buffer());
    auto s = top.sequence("test");
    top.expect_end("test");
    BOOST_TEST(s.integer() == -129);
    BOOST_TEST(pca::to_hex(s.integer_bytes()) == "00ff01");
    BOOST_TEST(s.boolean() == true);
    s.null();
    BOOST_TEST((s.oid() == pca::der::oids::subject_alt_name));
    const auto bits = s.bit_string();
    BOOST_TEST(bits.unused_bits == 5u);
    BOOST_TEST(pca::to_hex(bits.bytes) == "a0");
    BOOST_TEST(s.printable_string() == "US");
    BOOST_TEST(s.utf8_string() == "caf\xc3\xa9");
    BOOST_TEST(pca::to_unix(s.time()) == 2524607999);
    BOOST_TEST(pca::to_unix(s.time()) == 2524608000);
    auto e = s.enter(pca::der::tag::context_constructed(3), "[3]");
    BOOST_TEST(e.integer() == 7);
    e.expect_end("[3]");
    s.expect_end("test");
}

BOOST_AUTO_TEST_CASE(refuses_ber_and_malformed_encodings) {
    struct row {
        const char* hex;
        const char* expected_fragment;
    };
    const row rows[] = {
        {"3080020101 0000", "indefinite length"},
        {"04810141", "non-minimal length"},
        {"0482000141", "non-minimal length"},
        {"0405414141", "runs past the end"},
        {"04", "missing length"},
        {"0485ffffffffff", "length field too large"},
        {"1f2201 00", "high-tag-number"},
        {"", "end of data"},
    };
    for (const auto& r : rows) {
        std::string hex = r.hex;
        hex.erase(std::remove(hex.begin(), hex.end(), ' '), hex.end());
        const std::string what = decode_failure(hex, [](pca::der::reader& rd) { rd.read_any("value"); });
        BOOST_TEST_INFO("input " << r.hex << " -> " << what);
        BOOST_TEST(what.find(r.expected_fragment) != std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(refuses_non_der_primitives) {
    auto integer = [](pca::der::reader& r) { r.integer(); };
    BOOST_TEST(decode_failure("02020001", integer).find("not minimally encoded") != std::string::npos);
    BOOST_TEST(decode_failure("0202ff80", integer).find("not minimally encoded") != std::string::npos);
    BOOST_TEST(decode_failure("0200", integer).find("no content") != std::string::npos);
    BOOST_TEST(decode_failure("0209010000000000000000", integer).find("too large") != std::string::npos);
    auto boolean = [](pca::der::reader& r) { r.boolean(); };
    BOOST_TEST(decode_failure("010101", boolean).find("00 or FF") != std::string::npos);
    BOOST_TEST(decode_failure("01020000", boolean).find("one octet") != std::string::npos);
    auto bits = [](pca::der::reader& r) { r.bit_string(); };
    BOOST_TEST(decode_failure("030208ff", bits).find("> 7") != std::string::npos);
    BOOST_TEST(decode_failure("030201ff", bits).find("not zero") != std::string::npos);
    BOOST_TEST(decode_failure("030101", bits).find("empty BIT STRING") != std::string::npos);
    BOOST_TEST(decode_failure("0300", bits).find("no unused-bits") != std::string::npos);
    auto oid = [](pca::der::reader& r) { r.oid(); };
    BOOST_TEST(decode_failure("0600", oid).find("OBJECT IDENTIFIER") != std::string::npos);
    BOOST_TEST(decode_failure("0602 8001", oid).empty() == false);
    BOOST_TEST(decode_failure("060155 ", oid).empty());  // 2.5 is fine
    BOOST_TEST(decode_failure("06025581", oid).find("malformed") != std::string::npos);
    auto null = [](pca::der::reader& r) { r.null(); };
    BOOST_TEST(decode_failure("050100", null).find("empty") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(refuses_bad_strings_and_times) {
    auto printable = [](pca::der::reader& r) { r.printable_string(); };
    BOOST_TEST(decode_failure("13024140", printable).find("PrintableString") != std::string::npos);  // '@'
    auto utf8 = [](pca::der::reader& r) { r.utf8_string(); };
    BOOST_TEST(decode_failure("0c02c0af", utf8).find("UTF-8") != std::string::npos);        // overlong
    BOOST_TEST(decode_failure("0c03eda080", utf8).find("UTF-8") != std::string::npos);      // surrogate
    BOOST_TEST(decode_failure("0c01e2", utf8).find("UTF-8") != std::string::npos);          // truncated
    BOOST_TEST(decode_failure("0c04f4908080", utf8).find("UTF-8") != std::string::npos);  // > U+10FFFF
    BOOST_TEST(decode_failure("0c04f09f9880", utf8).empty());                              // U+1F600 is fine
    auto ia5 = [](pca::der::reader& r) { r.ia5_string(); };
    BOOST_TEST(decode_failure("160180", ia5).find("IA5String") != std::string::npos);
    auto t = [](pca::der::reader& r) { r.time(); };
    // UTCTime without seconds, with offset, with bad month; GeneralizedTime with fraction
    BOOST_TEST(decode_failure("170b 323430313031303030305a", t).find("UTCTime") != std::string::npos);
    BOOST_TEST(decode_failure("1711 3234303130313030303030302b30313030", t).find("UTCTime") != std::string::npos);
    BOOST_TEST(decode_failure("170d 3234313330313030303030305a", t).find("UTCTime") != std::string::npos);
    BOOST_TEST(decode_failure("1811 32303530303130313030303030302e315a", t).find("GeneralizedTime") != std::string::npos);
    BOOST_TEST(decode_failure("170d 3233303232393030303030305a", t).find("UTCTime") != std::string::npos);  // Feb 29 2023
    BOOST_TEST(decode_failure("0400", t).find("UTCTime or GeneralizedTime") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(trailing_bytes_and_tag_mismatch_are_reported) {
    const std::string trailing = decode_failure("020101ff", [](pca::der::reader& r) {
        r.integer();
        r.expect_end("Certificate");
    });
    BOOST_TEST(trailing.find("unexpected data after Certificate") != std::string::npos);
    BOOST_TEST(trailing.find("at byte 3") != std::string::npos);
    const std::string mismatch = decode_failure("020101", [](pca::der::reader& r) { r.sequence("tbsCertificate"); });
    BOOST_TEST(mismatch.find("expected tbsCertificate (SEQUENCE), found INTEGER") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(nesting_is_bounded) {
    // 100 nested SEQUENCEs: the reader must stop at its depth limit instead of recursing on.
    pca::bytes in;
    for (int i = 0; i < 100; ++i) {
        in.insert(in.begin(), static_cast<std::uint8_t>(in.size()));
        in.insert(in.begin(), 0x30);
        if (in.size() > 120) break;
    }
    // build deep nesting with long-form lengths
    pca::der::writer w;
    std::function<void(pca::der::writer&, int)> nest = [&](pca::der::writer& x, int d) {
        if (d == 0) {
            x.null();
            return;
        }
        x.sequence([&](pca::der::writer& y) { nest(y, d - 1); });
    };
    nest(w, 60);
    pca::der::reader r(w.buffer());
    bool threw = false;
    try {
        pca::der::reader cur = r.sequence("level");
        for (int i = 0; i < 59; ++i) cur = cur.sequence("level");
    } catch (const pca::der::decode_error& e) {
        threw = std::string(e.what()).find("nesting deeper than") != std::string::npos;
    }
    BOOST_TEST(threw);
}

BOOST_AUTO_TEST_CASE(oid_strings_round_trip_and_reject_bad_forms) {
    for (const char* s : {"2.5.29.19", "1.2.840.113549.1.9.14", "2.999.1", "0.39", "1.3.6.1.4.1.11129.2.4.4",
                          "2.25.329800735698586629295641978511506172918"}) {
        auto o = pca::der::oid::from_string(s);
        if (std::string(s).size() > 40) {
            BOOST_TEST(!o.has_value());  // arc larger than 63 bits: refused, not truncated
            continue;
        }
        BOOST_TEST_REQUIRE(o.has_value());
        BOOST_TEST(o->to_string() == s);
        auto back = pca::der::oid::from_der_content(o->der_content());
        BOOST_TEST_REQUIRE(back.has_value());
        BOOST_TEST((*back == *o));
    }
    for (const char* s : {"", "1", "3.1", "1.40", "1..2", "1.2.", ".1.2", "01.2", "1.02", "1.2.a", "-1.2"}) {
        BOOST_TEST_INFO("oid '" << s << "'");
        BOOST_TEST(!pca::der::oid::from_string(s).has_value());
    }
    BOOST_TEST(pca::to_hex(pca::der::oids::basic_constraints.der_content()) == "551d13");
}

BOOST_AUTO_TEST_SUITE_END()
