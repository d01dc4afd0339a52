// Every enum of service-2.json is present with the model's exact spellings and round-trips.
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pca/types/enums.hpp"

BOOST_AUTO_TEST_SUITE(types_enums)

BOOST_AUTO_TEST_CASE(every_model_enum_is_present_with_exact_spellings) {
    std::ifstream in(PCA_SPEC_DIR "/acm-pca/service-2.json");
    BOOST_REQUIRE(in.good());
    const auto model = nlohmann::json::parse(in);
    std::map<std::string, std::vector<std::string>> expected;
    for (const auto& [name, shape] : model.at("shapes").items())
        if (shape.contains("enum")) expected[name] = shape.at("enum").get<std::vector<std::string>>();
    BOOST_TEST(expected.size() == 18u);

    std::map<std::string, std::vector<std::string>> ours;
    pca::for_each_model_enum([&](auto traits) {
        using traits_t = decltype(traits);
        auto& names = ours[std::string(traits_t::shape_name)];
        for (std::size_t i = 0; i < traits_t::values.size(); ++i) {
            const auto v = traits_t::values[i];
            names.emplace_back(pca::to_string(v));
            // parse is the inverse of to_string
            using enum_t = std::decay_t<decltype(v)>;
            BOOST_TEST((pca::parse_enum<enum_t>(pca::to_string(v)) == v));
        }
    });
    BOOST_TEST(ours.size() == expected.size());
    for (const auto& [shape, values] : expected) {
        BOOST_TEST_INFO("enum " << shape);
        BOOST_REQUIRE(ours.count(shape) == 1u);
        BOOST_TEST(ours[shape] == values, boost::test_tools::per_element());
    }
}

BOOST_AUTO_TEST_CASE(parse_rejects_unknown_and_wrongly_cased_spellings) {
    BOOST_CHECK_THROW(pca::parse_signing_algorithm("sha256withecdsa"), pca::validation_exception);
    BOOST_CHECK_THROW(pca::parse_signing_algorithm("SHA256WITHECDSA "), pca::validation_exception);
    BOOST_CHECK_THROW(pca::parse_key_algorithm(""), pca::validation_exception);
    BOOST_CHECK_THROW(pca::parse_revocation_reason("CERTIFICATE_HOLD"), pca::validation_exception);
    try {
        pca::parse_crl_type("DELTA");
        BOOST_FAIL("no throw");
    } catch (const pca::validation_exception& e) {
        BOOST_TEST(e.message().find("'DELTA'") != std::string::npos);
        BOOST_TEST(e.message().find("[COMPLETE, PARTITIONED]") != std::string::npos);
    }
    BOOST_TEST((pca::parse_key_algorithm("EC_prime256v1") == pca::key_algorithm::ec_prime256v1));
    BOOST_TEST((pca::parse_signing_algorithm("SHA256WITHRSA_PSS") == pca::signing_algorithm::sha256_with_rsa_pss));
    BOOST_TEST((pca::parse_action_type("ListPermissions") == pca::action_type::list_permissions));
}

BOOST_AUTO_TEST_SUITE_END()
