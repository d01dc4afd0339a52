// The error vocabulary: wire names, one catchable type per code, the error category.
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "pca/core/error.hpp"

BOOST_AUTO_TEST_SUITE(core_error)

BOOST_AUTO_TEST_CASE(every_modelled_exception_shape_has_a_code) {
    std::ifstream in(PCA_SPEC_DIR "/acm-pca/service-2.json");
    BOOST_REQUIRE(in.good());
    const auto model = nlohmann::json::parse(in);
    std::set<std::string> modelled;
    for (const auto& [name, shape] : model.at("shapes").items())
        if (shape.value("exception", false)) modelled.insert(name);
    BOOST_TEST(modelled.size() == 19u);
    for (const auto& name : modelled) {
        pca::errc e{};
        BOOST_TEST_INFO("shape " << name);
        BOOST_TEST(pca::parse_aws_exception_name(name, e));
        BOOST_TEST(pca::aws_exception_name(e) == name);
    }
    // The three documented but unmodelled errors.
    BOOST_TEST(pca::aws_exception_name(pca::errc::validation) == "ValidationException");
    BOOST_TEST(pca::aws_exception_name(pca::errc::throttling) == "ThrottlingException");
    BOOST_TEST(pca::aws_exception_name(pca::errc::access_denied) == "AccessDeniedException");
}

BOOST_AUTO_TEST_CASE(throw_error_throws_the_typed_exception) {
    for (pca::errc e : pca::all_errcs) {
        try {
            pca::throw_error(e, "boom");
            BOOST_FAIL("throw_error returned");
        } catch (const pca::error& err) {
            BOOST_TEST(err.code() == e);
            BOOST_TEST(err.message() == "boom");
            BOOST_TEST(std::string(err.what()) == "[pca." + std::string(pca::errc_tag(e)) + "] boom");
        }
    }
    BOOST_CHECK_THROW(pca::throw_error(pca::errc::malformed_csr, "x"), pca::malformed_csr_exception);
    BOOST_CHECK_THROW(pca::throw_error(pca::errc::invalid_state, "x"), pca::invalid_state_exception);
}

BOOST_AUTO_TEST_CASE(error_codes_use_the_pca_category) {
    std::error_code ec = pca::errc::invalid_tag;
    BOOST_TEST(ec.category().name() == std::string("acm-pca"));
    BOOST_TEST(ec.message() == "InvalidTagException");
    BOOST_TEST((ec != pca::errc::invalid_arn));
}

BOOST_AUTO_TEST_SUITE_END()
