// The DER writer: known-answer encodings, and a cross-check with `openssl asn1parse`.
#include <boost/test/unit_test.hpp>

#include "pca/core/bytes.hpp"
#include "pca/der/writer.hpp"
#include "support/tools.hpp"

namespace {
std::string hex_of(const pca::bytes& b) { return pca::to_hex(b); }
}  // namespace

BOOST_AUTO_TEST_SUITE(der_writer)

BOOST_AUTO_TEST_CASE(integers_are_minimal_twos_complement) {
    const std::pair<std::int64_t, const char*> cases[] = {
        {0, "020100"},         {1, "020101"},           {127, "02017f"},       {128, "02020080"},
        {255, "020200ff"},     {256, "02020100"},       {-1, "0201ff"},        {-128, "020180"},
        {-129, "0202ff7f"},    {65535, "020300ffff"},   {INT64_MAX, "02087fffffffffffffff"},
        {INT64_MIN, "02088000000000000000"},
    };
    for (const auto& [v, hex] : cases) {
        pca::der::writer w;
        w.integer(v);
        BOOST_TEST_INFO("value " << v);
        BOOST_TEST(hex_of(w.buffer()) == hex);
    }
}

BOOST_AUTO_TEST_CASE(unsigned_magnitudes_gain_a_zero_pad_when_the_top_bit_is_set) {
    struct row {
        pca::bytes magnitude;
        const char* hex;
    };
    const row rows[] = {
        {{0xe8, 0xcb}, "020300e8cb"},
        {{0x00, 0x00, 0x7f}, "02017f"},
        {{0x00}, "020100"},
        {{}, "020100"},
        {{0x01, 0x00}, "02020100"},
    };
    for (const auto& r : rows) {
        pca::der::writer w;
        w.integer_unsigned(r.magnitude);
        BOOST_TEST(hex_of(w.buffer()) == r.hex);
    }
}

BOOST_AUTO_TEST_CASE(lengths_switch_to_long_form_at_128) {
    for (std::size_t n : {0u, 1u, 127u, 128u, 255u, 256u, 65535u, 65536u}) {
        pca::der::writer w;
        w.octet_string(pca::bytes(n, 0xab));
        const auto& b = w.buffer();
        BOOST_TEST_INFO("size " << n);
        BOOST_TEST(b[0] == 0x04);
        const std::size_t header = b.size() - n;
        BOOST_TEST(header == 1 + pca::der::length_size(n));
        if (n < 128) BOOST_TEST(b[1] == n);
        if (n >= 128 && n < 256) BOOST_TEST((b[1] == 0x81 && b[2] == n));
        if (n == 65536) BOOST_TEST((b[1] == 0x83 && b[2] == 1 && b[3] == 0 && b[4] == 0));
    }
}

BOOST_AUTO_TEST_CASE(nested_constructed_values_fix_up_long_lengths) {
    pca::der::writer w;
    w.sequence([](pca::der::writer& s) {
        s.sequence([](pca::der::writer& inner) { inner.octet_string(pca::bytes(200, 1)); });
        s.boolean(true);
    });
    const auto& b = w.buffer();
    // 30 81 cf | 30 81 cb | 04 81 c8 <200> | 01 01 ff
    BOOST_TEST(b.size() == 3u + 3u + 3u + 200u + 3u);
    BOOST_TEST(hex_of(pca::bytes(b.begin(), b.begin() + 9)) == "3081d13081cb0481c8");
    BOOST_TEST(hex_of(pca::bytes(b.end() - 3, b.end())) == "0101ff");
}

BOOST_AUTO_TEST_CASE(primitive_known_answers) {
    pca::der::writer w;
    w.boolean(true);
    w.boolean(false);
    w.null();
    w.oid(pca::der::oids::basic_constraints);
    w.oid(pca::der::oids::ecdsa_with_sha256);
    w.bit_string(pca::bytes{0x80}, 7);
    w.printable_string("US");
    w.utf8_string("caf\xc3\xa9");
    w.ia5_string("a@b");
    BOOST_TEST(hex_of(w.buffer()) ==
               "0101ff010100"
               "0500"
               "0603551d13"
               "06082a8648ce3d040302"
               "03020780"
               "13025553"
               "0c05636166c3a9"
               "160361" "4062");
}

BOOST_AUTO_TEST_CASE(named_bit_lists_drop_trailing_zero_bits) {
    // KeyUsage digitalSignature(0) + keyEncipherment(2) -> 03 02 05 a0
    pca::der::writer a;
    a.named_bits((1u << 0) | (1u << 2), 9);
    BOOST_TEST(hex_of(a.buffer()) == "030205a0");
    // digitalSignature + keyCertSign(5) + cRLSign(6) -> 03 02 01 86
    pca::der::writer b;
    b.named_bits((1u << 0) | (1u << 5) | (1u << 6), 9);
    BOOST_TEST(hex_of(b.buffer()) == "03020186");
    // decipherOnly(8) -> 03 03 07 00 80
    pca::der::writer c;
    c.named_bits(1u << 8, 9);
    BOOST_TEST(hex_of(c.buffer()) == "0303070080");
    pca::der::writer d;
    d.named_bits(0, 9);
    BOOST_TEST(hex_of(d.buffer()) == "030100");
}

BOOST_AUTO_TEST_CASE(times_follow_rfc5280_utc_generalized_split) {
    pca::der::writer w;
    w.time(pca::to_sys_seconds({2049, 12, 31, 23, 59, 59}));
    w.time(pca::to_sys_seconds({2050, 1, 1, 0, 0, 0}));
    w.time(pca::to_sys_seconds({1950, 1, 1, 0, 0, 0}));
    // 17 0d "491231235959Z" 18 0f "20500101000000Z" 17 0d "500101000000Z"
    BOOST_TEST(hex_of(w.buffer()) ==
               "170d3439313233313233353935395a"
               "180f32303530303130313030303030305a"
               "170d3530303130313030303030305a");
}

BOOST_AUTO_TEST_CASE(set_of_sorts_elements_by_encoding) {
    pca::der::writer w;
    w.set_of([](pca::der::writer& s) {
        s.integer(300);
        s.integer(5);
        s.octet_string(pca::bytes{1});
        s.integer(1);
    });
    // sorted: 02 01 01 | 02 01 05 | 02 02 01 2c | 04 01 01
    BOOST_TEST(hex_of(w.buffer()) == "310d020101020105020201" "2c040101");
}

BOOST_AUTO_TEST_CASE(openssl_asn1parse_reads_what_we_write) {
    if (!pca::test::have_tool("openssl")) {
        BOOST_FAIL("openssl is required for this test");
    }
    pca::der::writer w;
    w.sequence([](pca::der::writer& s) {
        s.integer(-129);
        s.integer_unsigned(pca::bytes{0xe8, 0xcb, 0xd2, 0xbe});
        s.oid(*pca::der::oid::from_string("1.2.840.113549.1.9.14"));
        s.context_explicit(0, [](pca::der::writer& e) { e.utf8_string("hello"); });
        s.context_implicit_primitive(2, pca::byte_view(std::string_view("example.com")));
        s.set_of([](pca::der::writer& set) {
            set.printable_string("b");
            set.printable_string("a");
        });
        s.time(pca::to_sys_seconds({2050, 6, 1, 12, 0, 0}));
        s.octet_string(pca::bytes(300, 0x5a));
    });
    pca::test::temp_dir dir;
    pca::test::write_file(dir.file("x.der"), w.buffer());
    const auto r = pca::test::run("openssl asn1parse -inform DER -in " + pca::test::sh_quote(dir.file("x.der")));
    BOOST_TEST_INFO(r.output);
    BOOST_TEST(r.exit_code == 0);
    BOOST_TEST(r.output.find("INTEGER           :-81") != std::string::npos);
    BOOST_TEST(r.output.find("INTEGER           :E8CBD2BE") != std::string::npos);
    BOOST_TEST(r.output.find("Extension Request") != std::string::npos);
    BOOST_TEST(r.output.find("UTF8STRING        :hello") != std::string::npos);
    BOOST_TEST(r.output.find("GENERALIZEDTIME   :20500601120000Z") != std::string::npos);
    BOOST_TEST(r.output.find("prim: cont [ 2 ]") != std::string::npos);
    // a then b, sorted by DER
    const auto a = r.output.find("PRINTABLESTRING   :a");
    const auto b = r.output.find("PRINTABLESTRING   :b");
    BOOST_TEST((a != std::string::npos && b != std::string::npos && a < b));
    BOOST_TEST(r.output.find("Error") == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
