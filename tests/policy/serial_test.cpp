// Serial numbers of issued certificates: 16 random bytes, positive, exactly 16 significant
// octets, so the certificate ARN (hex of the magnitude), the store and the CRL agree.
#include <boost/test/unit_test.hpp>

#include <deque>

#include "pca/policy/issuance.hpp"
#include "support/pki.hpp"

using namespace pca;

namespace {
/// Hands out scripted 16-byte blocks, then fails the test if asked for more.
class scripted_rng final : public rng {
public:
    explicit scripted_rng(std::deque<bytes> blocks) : m_blocks(std::move(blocks)) {}
    void fill(std::uint8_t* out, std::size_t n) override {
        BOOST_TEST_REQUIRE(!m_blocks.empty());
        BOOST_TEST_REQUIRE(m_blocks.front().size() == n);
        std::copy(m_blocks.front().begin(), m_blocks.front().end(), out);
        m_blocks.pop_front();
    }
    std::size_t left() const { return m_blocks.size(); }

private:
    std::deque<bytes> m_blocks;
};
}  // namespace

BOOST_AUTO_TEST_SUITE(policy_serial)

BOOST_AUTO_TEST_CASE(a_leading_zero_byte_or_all_zeros_is_redrawn) {
    bytes zero(16, 0);
    bytes leading_zero(16, 0x8c);
    leading_zero[0] = 0x00;  // was kept before: ARN "008c..." named a serial the store did not have
    bytes good(16, 0x11);
    scripted_rng r({zero, leading_zero, good});
    BOOST_TEST((policy::new_serial(r) == good));
    BOOST_TEST(r.left() == 0u);
}

BOOST_AUTO_TEST_CASE(serials_have_sixteen_significant_octets_and_encode_minimally) {
    for (int i = 0; i < 4000; ++i) {
        const bytes s = policy::new_serial(test::test_rng());
        BOOST_TEST_REQUIRE(s.size() == 16u);
        BOOST_TEST_REQUIRE(s[0] != 0);
        BOOST_TEST_REQUIRE(to_hex(s).size() == 32u);
    }
}

BOOST_AUTO_TEST_SUITE_END()
