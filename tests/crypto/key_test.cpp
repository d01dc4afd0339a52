// Keys: generation, PKCS#8/SPKI import and export, sign/verify for every supported pairing,
// hostile input, and OpenSSL as the outside oracle in both directions.
#include "pca/crypto/key.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "pca/crypto/drbg.hpp"

using namespace pca;
using crypto::hash_algorithm;
using crypto::key_family;
using crypto::private_key;
using crypto::public_key;
namespace fs = std::filesystem;

namespace {

const key_algorithm supported_keys[] = {key_algorithm::rsa_2048,      key_algorithm::rsa_3072,
                                        key_algorithm::rsa_4096,      key_algorithm::ec_prime256v1,
                                        key_algorithm::ec_secp384r1,  key_algorithm::ec_secp521r1};

/// One key per algorithm for the whole test binary (RSA-4096 generation takes seconds).
const private_key& key(key_algorithm a) {
    static std::map<key_algorithm, private_key> keys;
    auto it = keys.find(a);
    if (it == keys.end()) it = keys.emplace(a, private_key::generate(a, crypto::thread_local_drbg())).first;
    return it->second;
}

/// A deterministic, NOT random, generator (splitmix64) so that tests can repeat a key.
class counter_rng final : public rng {
public:
    explicit counter_rng(std::uint64_t seed) : m_state(seed) {}
    void fill(std::uint8_t* out, std::size_t n) override {
        while (n--) {
            m_state += 0x9e3779b97f4a7c15ull;
            std::uint64_t z = m_state;
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
            *out++ = static_cast<std::uint8_t>(z ^ (z >> 31));
        }
    }

private:
    std::uint64_t m_state;
};

class failing_rng final : public rng {
public:
    void fill(std::uint8_t*, std::size_t) override { throw request_failed_exception("test rng is empty"); }
};

/// A private directory under the system temp dir, removed afterwards.
class temp_dir {
public:
    temp_dir() {
        const bytes r = crypto::thread_local_drbg().generate(8);
        m_path = fs::temp_directory_path() / ("pca-crypto-test-" + to_hex(r));
        fs::create_directories(m_path);
    }
    ~temp_dir() {
        std::error_code ec;
        fs::remove_all(m_path, ec);
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;

    std::string file(const std::string& name) const { return (m_path / name).string(); }

private:
    fs::path m_path;
};

void write_file(const std::string& path, byte_view data) {
    std::ofstream f(path, std::ios::binary);
    f.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
    BOOST_REQUIRE(f.good());
}

bytes read_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    BOOST_REQUIRE(f.good());
    return bytes(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

/// Runs a shell command quietly; its exit status (0 = success).
int run(const std::string& command) {
    const int status = std::system((command + " >/dev/null 2>&1").c_str());
    if (status != 0) BOOST_TEST_MESSAGE("command failed (" << status << "): " << command);
    return status;
}

std::vector<signing_algorithm> algorithms_for(key_algorithm k) {
    std::vector<signing_algorithm> out;
    for (signing_algorithm s : enum_traits<signing_algorithm>::values)
        if (crypto::is_supported(s) && crypto::compatible(k, s)) out.push_back(s);
    return out;
}

bytes flipped(byte_view b, std::size_t index, std::uint8_t mask = 0x01) {
    bytes out = b.to_bytes();
    out[index] ^= mask;
    return out;
}

template <class F>
std::string invalid_args_message(F&& f) {
    try {
        f();
    } catch (const invalid_args_exception& e) {
        return e.what();
    }
    return "<no invalid_args_exception>";
}

/// Parsing must either succeed or throw crypto_error: never another exception, never a crash.
template <class F>
bool parses_or_throws_crypto_error(F&& f) {
    try {
        f();
        return true;
    } catch (const crypto::crypto_error&) {
        return true;
    } catch (...) {
        return false;
    }
}

const std::string_view message = "TBSCertificate stand-in: the quick brown fox";

}  // namespace

BOOST_AUTO_TEST_SUITE(crypto_key)

BOOST_AUTO_TEST_CASE(generates_every_supported_key_algorithm) {
    const std::map<key_algorithm, std::size_t> bits = {
        {key_algorithm::rsa_2048, 2048},     {key_algorithm::rsa_3072, 3072},     {key_algorithm::rsa_4096, 4096},
        {key_algorithm::ec_prime256v1, 256}, {key_algorithm::ec_secp384r1, 384}, {key_algorithm::ec_secp521r1, 521}};
    for (key_algorithm a : supported_keys) {
        const private_key& k = key(a);
        BOOST_TEST((k.algorithm() == a), to_string(a));
        BOOST_TEST((k.family() == crypto::family_for(a)));
        BOOST_TEST(k.public_key().bits() == bits.at(a));
        BOOST_TEST((k.public_key().algorithm() == a));
        BOOST_TEST((k.public_key().family() == k.family()));
        BOOST_TEST(k.spki_der() == k.public_key().spki_der());
    }
}

BOOST_AUTO_TEST_CASE(generation_is_a_function_of_the_rng) {
    counter_rng r1(42), r2(42), r3(43);
    const private_key a = private_key::generate(key_algorithm::ec_prime256v1, r1);
    const private_key b = private_key::generate(key_algorithm::ec_prime256v1, r2);
    const private_key c = private_key::generate(key_algorithm::ec_prime256v1, r3);
    BOOST_TEST(a.spki_der() == b.spki_der());
    BOOST_TEST((a.to_pkcs8_der() == b.to_pkcs8_der()));
    BOOST_TEST(a.spki_der() != c.spki_der());
}

BOOST_AUTO_TEST_CASE(generating_unsupported_algorithms_is_invalid_args) {
    for (key_algorithm a : {key_algorithm::sm2, key_algorithm::ml_dsa_44, key_algorithm::ml_dsa_65,
                            key_algorithm::ml_dsa_87}) {
        const std::string msg =
            invalid_args_message([&] { private_key::generate(a, crypto::thread_local_drbg()); });
        BOOST_TEST(msg.find(std::string(to_string(a))) != std::string::npos, msg);
        BOOST_TEST(msg.find("not supported by this build") != std::string::npos, msg);
    }
    const private_key& ec = key(key_algorithm::ec_prime256v1);
    const std::string msg = invalid_args_message(
        [&] { ec.sign(signing_algorithm::sm3_with_sm2, message, crypto::thread_local_drbg()); });
    BOOST_TEST(msg.find("SM3WITHSM2") != std::string::npos, msg);
    BOOST_TEST(invalid_args_message([&] {
                   ec.sign(signing_algorithm::ml_dsa_44, message, crypto::thread_local_drbg());
               }).find("ML_DSA_44") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(rng_failure_propagates_from_generate_and_sign) {
    failing_rng empty;
    BOOST_CHECK_THROW(private_key::generate(key_algorithm::ec_prime256v1, empty), request_failed_exception);
    BOOST_CHECK_THROW(private_key::generate(key_algorithm::rsa_2048, empty), request_failed_exception);
    // RSA signing draws blinding values (and the PSS salt) from the rng.
    BOOST_CHECK_THROW(key(key_algorithm::rsa_2048).sign(signing_algorithm::sha256_with_rsa, message, empty),
                      request_failed_exception);
    BOOST_CHECK_THROW(key(key_algorithm::rsa_2048).sign(signing_algorithm::sha256_with_rsa_pss, message, empty),
                      request_failed_exception);
    // The key still works afterwards (its context went back to the pool intact).
    const bytes sig =
        key(key_algorithm::rsa_2048).sign(signing_algorithm::sha256_with_rsa, message, crypto::thread_local_drbg());
    BOOST_TEST(key(key_algorithm::rsa_2048).public_key().verify(crypto::scheme_for(signing_algorithm::sha256_with_rsa),
                                                                message, sig));
}

BOOST_AUTO_TEST_CASE(sign_verify_round_trip_for_every_compatible_pair) {
    for (key_algorithm a : supported_keys) {
        const private_key& k = key(a);
        const public_key& pub = k.public_key();
        for (signing_algorithm s : algorithms_for(a)) {
            const std::string what = std::string(to_string(a)) + " / " + std::string(to_string(s));
            const crypto::signature_scheme scheme = crypto::scheme_for(s);
            const bytes sig = k.sign(s, message, crypto::thread_local_drbg());
            if (k.family() == key_family::rsa) BOOST_TEST(sig.size() == pub.bits() / 8, what);
            BOOST_TEST(pub.verify(scheme, message, sig), what);
            BOOST_TEST(k.sign(scheme, message, crypto::thread_local_drbg()).size() > 0u);

            // A flipped bit anywhere in the message or the signature must not verify.
            std::string other(message);
            other[3] ^= 0x20;
            BOOST_TEST(!pub.verify(scheme, std::string_view(other), sig), what);
            for (std::size_t i : {std::size_t{0}, sig.size() / 2, sig.size() - 1})
                BOOST_TEST(!pub.verify(scheme, message, flipped(sig, i)), what << " bit in byte " << i);
            BOOST_TEST(!pub.verify(scheme, message, byte_view(sig.data(), sig.size() - 1)), what);
            bytes longer = sig;
            longer.push_back(0);
            BOOST_TEST(!pub.verify(scheme, message, longer), what);
            BOOST_TEST(!pub.verify(scheme, message, byte_view{}), what);

            // A different hash with the same family does not verify either.
            crypto::signature_scheme wrong_hash = scheme;
            wrong_hash.hash = scheme.hash == hash_algorithm::sha256 ? hash_algorithm::sha384 : hash_algorithm::sha256;
            BOOST_TEST(!pub.verify(wrong_hash, message, sig), what);
        }
    }
}

BOOST_AUTO_TEST_CASE(signature_of_another_key_does_not_verify) {
    const bytes sig =
        key(key_algorithm::ec_secp384r1).sign(signing_algorithm::sha384_with_ecdsa, message, crypto::thread_local_drbg());
    const private_key other = private_key::generate(key_algorithm::ec_secp384r1, crypto::thread_local_drbg());
    BOOST_TEST(!other.public_key().verify(crypto::scheme_for(signing_algorithm::sha384_with_ecdsa), message, sig));
}

BOOST_AUTO_TEST_CASE(incompatible_pairing_is_invalid_args) {
    const private_key& ec = key(key_algorithm::ec_prime256v1);
    const private_key& rsa = key(key_algorithm::rsa_2048);
    const std::string msg = invalid_args_message(
        [&] { ec.sign(signing_algorithm::sha256_with_rsa, message, crypto::thread_local_drbg()); });
    BOOST_TEST(msg.find("SHA256WITHRSA") != std::string::npos, msg);
    BOOST_TEST(msg.find("EC_prime256v1") != std::string::npos, msg);
    BOOST_CHECK_THROW(rsa.sign(signing_algorithm::sha256_with_ecdsa, message, crypto::thread_local_drbg()),
                      invalid_args_exception);
    BOOST_CHECK_THROW(ec.sign(crypto::signature_scheme{key_family::ec, true, hash_algorithm::sha256}, message,
                              crypto::thread_local_drbg()),
                      invalid_args_exception);
    // Verifying with a scheme the key cannot do is an error, not "false".
    const bytes sig = rsa.sign(signing_algorithm::sha256_with_rsa, message, crypto::thread_local_drbg());
    BOOST_CHECK_THROW(ec.public_key().verify(crypto::scheme_for(signing_algorithm::sha256_with_rsa), message, sig),
                      invalid_args_exception);
    BOOST_CHECK_THROW(ec.public_key().verify_pss(hash_algorithm::sha256, hash_algorithm::sha256, 32, message, sig),
                      invalid_args_exception);
}

BOOST_AUTO_TEST_CASE(pss_uses_mgf1_with_the_same_hash_and_a_hash_length_salt) {
    const private_key& k = key(key_algorithm::rsa_3072);
    const public_key& pub = k.public_key();
    const bytes sig = k.sign(signing_algorithm::sha512_with_rsa_pss, message, crypto::thread_local_drbg());
    BOOST_TEST(pub.verify_pss(hash_algorithm::sha512, hash_algorithm::sha512, 64, message, sig));
    BOOST_TEST(!pub.verify_pss(hash_algorithm::sha512, hash_algorithm::sha512, 32, message, sig));
    BOOST_TEST(!pub.verify_pss(hash_algorithm::sha512, hash_algorithm::sha256, 64, message, sig));
    BOOST_TEST(!pub.verify_pss(hash_algorithm::sha256, hash_algorithm::sha512, 64, message, sig));
    // PSS is randomized (salt); PKCS#1 v1.5 is deterministic.
    BOOST_TEST(sig != k.sign(signing_algorithm::sha512_with_rsa_pss, message, crypto::thread_local_drbg()));
    BOOST_TEST(k.sign(signing_algorithm::sha512_with_rsa, message, crypto::thread_local_drbg()) ==
               k.sign(signing_algorithm::sha512_with_rsa, message, crypto::thread_local_drbg()));
    // A PKCS#1 v1.5 signature is not a PSS signature and vice versa.
    const bytes v15 = k.sign(signing_algorithm::sha512_with_rsa, message, crypto::thread_local_drbg());
    BOOST_TEST(!pub.verify(crypto::scheme_for(signing_algorithm::sha512_with_rsa_pss), message, v15));
    BOOST_TEST(!pub.verify(crypto::scheme_for(signing_algorithm::sha512_with_rsa), message, sig));
}

BOOST_AUTO_TEST_CASE(spki_round_trip) {
    for (key_algorithm a : supported_keys) {
        const private_key& k = key(a);
        const public_key parsed = public_key::from_spki_der(k.spki_der());
        BOOST_TEST((parsed == k.public_key()), to_string(a));
        BOOST_TEST(parsed.spki_der() == k.spki_der());
        BOOST_TEST((parsed.algorithm() == a));
        BOOST_TEST(parsed.bits() == k.public_key().bits());
        const bytes sig = k.sign(algorithms_for(a).front(), message, crypto::thread_local_drbg());
        BOOST_TEST(parsed.verify(crypto::scheme_for(algorithms_for(a).front()), message, sig));
    }
    BOOST_TEST((key(key_algorithm::rsa_2048).public_key() != key(key_algorithm::rsa_3072).public_key()));
    const public_key copy = key(key_algorithm::ec_prime256v1).public_key();
    BOOST_TEST((copy == key(key_algorithm::ec_prime256v1).public_key()));
}

BOOST_AUTO_TEST_CASE(pkcs8_round_trip) {
    static_assert(std::is_same_v<decltype(std::declval<const private_key&>().to_pkcs8_der()), secure_bytes>,
                  "PKCS#8 output must live in zeroizing storage");
    for (key_algorithm a : supported_keys) {
        const private_key& k = key(a);
        const secure_bytes der = k.to_pkcs8_der();
        // PrivateKeyInfo: SEQUENCE { INTEGER 0, AlgorithmIdentifier, OCTET STRING }
        crypto::detail::tlv outer, version, alg, key_octets;
        BOOST_REQUIRE(crypto::detail::read_tlv(der, outer));
        BOOST_TEST(outer.size == der.size());
        BOOST_REQUIRE(crypto::detail::read_tlv(outer.content, version));
        BOOST_TEST(to_hex(byte_view(outer.content.data(), version.size)) == "020100");
        BOOST_REQUIRE(crypto::detail::read_tlv(outer.content.subview(version.size), alg));
        const std::string alg_hex = to_hex(byte_view(outer.content.data() + version.size, alg.size));
        if (k.family() == key_family::rsa)
            BOOST_TEST(alg_hex == "300d06092a864886f70d0101010500");
        else if (a == key_algorithm::ec_prime256v1)
            BOOST_TEST(alg_hex == "301306072a8648ce3d020106082a8648ce3d030107");
        else if (a == key_algorithm::ec_secp384r1)
            BOOST_TEST(alg_hex == "301006072a8648ce3d020106052b81040022");
        else
            BOOST_TEST(alg_hex == "301006072a8648ce3d020106052b81040023");
        BOOST_REQUIRE(crypto::detail::read_tlv(outer.content.subview(version.size + alg.size), key_octets));
        BOOST_TEST(key_octets.tag == 0x04);
        BOOST_TEST(version.size + alg.size + key_octets.size == outer.content.size());

        const private_key back = private_key::from_pkcs8_der(der);
        BOOST_TEST((back.algorithm() == a));
        BOOST_TEST(back.spki_der() == k.spki_der());
        BOOST_TEST((back.to_pkcs8_der() == der));
        const signing_algorithm s = algorithms_for(a).back();
        BOOST_TEST(k.public_key().verify(crypto::scheme_for(s), message,
                                         back.sign(s, message, crypto::thread_local_drbg())));

        // The inner PKCS#1 / SEC1 key alone is accepted as well.
        const private_key inner = private_key::from_pkcs8_der(key_octets.content);
        BOOST_TEST(inner.spki_der() == k.spki_der());
    }
}

BOOST_AUTO_TEST_CASE(garbage_and_truncated_input_is_crypto_error) {
    BOOST_CHECK_THROW(private_key::from_pkcs8_der(byte_view{}), crypto::crypto_error);
    BOOST_CHECK_THROW(public_key::from_spki_der(byte_view{}), crypto::crypto_error);
    const bytes noise = crypto::thread_local_drbg().generate(300);
    BOOST_CHECK_THROW(private_key::from_pkcs8_der(noise), crypto::crypto_error);
    BOOST_CHECK_THROW(public_key::from_spki_der(noise), crypto::crypto_error);
    bytes fake_sequence = {0x30, 0x03, 0x02, 0x01, 0x00};
    BOOST_CHECK_THROW(private_key::from_pkcs8_der(fake_sequence), crypto::crypto_error);
    BOOST_CHECK_THROW(public_key::from_spki_der(fake_sequence), crypto::crypto_error);

    for (key_algorithm a : {key_algorithm::ec_prime256v1, key_algorithm::rsa_2048}) {
        const secure_bytes der = key(a).to_pkcs8_der();
        const bytes& spki = key(a).spki_der();
        // Every truncation is rejected.
        for (std::size_t n = 0; n < der.size(); ++n)
            BOOST_CHECK_THROW(private_key::from_pkcs8_der(byte_view(der.data(), n)), crypto::crypto_error);
        for (std::size_t n = 0; n < spki.size(); ++n)
            BOOST_CHECK_THROW(public_key::from_spki_der(byte_view(spki.data(), n)), crypto::crypto_error);
        // Trailing bytes are rejected.
        secure_bytes longer = der;
        longer.push_back(0);
        BOOST_CHECK_THROW(private_key::from_pkcs8_der(longer), crypto::crypto_error);
        bytes longer_spki = spki;
        longer_spki.push_back(0);
        BOOST_CHECK_THROW(public_key::from_spki_der(longer_spki), crypto::crypto_error);
        // Single-byte corruption anywhere: parsed or crypto_error, nothing else. (The import
        // pair check catches corrupted key material that would still parse.)
        const std::size_t step = a == key_algorithm::rsa_2048 ? 7 : 1;
        for (std::size_t i = 0; i < der.size(); i += step) {
            const bytes bad = flipped(der, i, 0x41);
            BOOST_TEST(parses_or_throws_crypto_error([&] { private_key::from_pkcs8_der(bad); }), "byte " << i);
        }
        for (std::size_t i = 0; i < spki.size(); i += step) {
            const bytes bad = flipped(spki, i, 0x41);
            BOOST_TEST(parses_or_throws_crypto_error([&] { public_key::from_spki_der(bad); }), "byte " << i);
        }
    }
}

BOOST_AUTO_TEST_CASE(key_whose_public_part_does_not_match_is_rejected) {
    // PKCS#8 of P-256 as written here ends with the SEC1 publicKey: 65 bytes 04||X||Y.
    const secure_bytes a = key(key_algorithm::ec_prime256v1).to_pkcs8_der();
    const private_key other = private_key::generate(key_algorithm::ec_prime256v1, crypto::thread_local_drbg());
    const secure_bytes b = other.to_pkcs8_der();
    BOOST_REQUIRE(a.size() == b.size());
    bytes spliced(a.begin(), a.end());
    std::copy(b.end() - 65, b.end(), spliced.end() - 65);
    BOOST_CHECK_THROW(private_key::from_pkcs8_der(spliced), crypto::crypto_error);
}

BOOST_AUTO_TEST_CASE(moved_from_key_is_an_error_not_a_crash) {
    private_key k = private_key::generate(key_algorithm::ec_prime256v1, crypto::thread_local_drbg());
    private_key moved = std::move(k);
    BOOST_TEST((moved.algorithm() == key_algorithm::ec_prime256v1));
    BOOST_CHECK_THROW((void)k.algorithm(), crypto::crypto_error);  // NOLINT(bugprone-use-after-move)
}

BOOST_AUTO_TEST_CASE(openssl_accepts_our_pkcs8_and_spki) {
    temp_dir dir;
    for (key_algorithm a : supported_keys) {
        const std::string name(to_string(a));
        const private_key& k = key(a);
        const std::string priv = dir.file(name + ".p8.der"), pub = dir.file(name + ".spki.der"),
                          derived = dir.file(name + ".derived.der");
        write_file(priv, k.to_pkcs8_der());
        write_file(pub, k.spki_der());
        BOOST_TEST(run("openssl pkey -inform DER -in " + priv + " -check -noout") == 0, name);
        BOOST_TEST(run("openssl pkey -pubin -inform DER -in " + pub + " -noout") == 0, name);
        // OpenSSL's SubjectPublicKeyInfo for our private key is byte-identical to ours.
        BOOST_REQUIRE(run("openssl pkey -inform DER -in " + priv + " -pubout -outform DER -out " + derived) == 0);
        BOOST_TEST(read_file(derived) == k.spki_der(), name);
    }
}

BOOST_AUTO_TEST_CASE(openssl_verifies_our_signatures) {
    temp_dir dir;
    const std::string msg = dir.file("msg.bin");
    write_file(msg, message);
    struct signing_case {
        key_algorithm key;
        signing_algorithm alg;
        const char* dgst;
        const char* sigopt;
    };
    const signing_case cases[] = {
        {key_algorithm::ec_prime256v1, signing_algorithm::sha256_with_ecdsa, "-sha256", ""},
        {key_algorithm::ec_secp384r1, signing_algorithm::sha384_with_ecdsa, "-sha384", ""},
        {key_algorithm::ec_secp521r1, signing_algorithm::sha512_with_ecdsa, "-sha512", ""},
        {key_algorithm::rsa_2048, signing_algorithm::sha256_with_rsa, "-sha256", ""},
        {key_algorithm::rsa_3072, signing_algorithm::sha384_with_rsa, "-sha384", ""},
        {key_algorithm::rsa_2048, signing_algorithm::sha256_with_rsa_pss, "-sha256",
         " -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest"},
        {key_algorithm::rsa_3072, signing_algorithm::sha384_with_rsa_pss, "-sha384",
         " -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest"},
        {key_algorithm::rsa_4096, signing_algorithm::sha512_with_rsa_pss, "-sha512",
         " -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest"},
    };
    int n = 0;
    for (const auto& c : cases) {
        const std::string what = std::string(to_string(c.key)) + " " + std::string(to_string(c.alg));
        const std::string pub_der = dir.file("pub" + std::to_string(n) + ".der");
        const std::string pub_pem = dir.file("pub" + std::to_string(n) + ".pem");
        const std::string sig_file = dir.file("sig" + std::to_string(n) + ".bin");
        ++n;
        write_file(pub_der, key(c.key).spki_der());
        BOOST_REQUIRE(run("openssl pkey -pubin -inform DER -in " + pub_der + " -out " + pub_pem) == 0);
        const bytes sig = key(c.key).sign(c.alg, message, crypto::thread_local_drbg());
        write_file(sig_file, sig);
        const std::string verify = std::string("openssl dgst ") + c.dgst + " -verify " + pub_pem + c.sigopt +
                                   " -signature " + sig_file + " " + msg;
        BOOST_TEST(run(verify) == 0, what);
        write_file(sig_file, flipped(sig, sig.size() / 2));
        BOOST_TEST(run(verify) != 0, what << " (corrupted signature must fail)");
    }
}

BOOST_AUTO_TEST_CASE(we_import_openssl_keys_and_verify_openssl_signatures) {
    temp_dir dir;
    const std::string msg = dir.file("msg.bin");
    write_file(msg, message);
    const std::string rsa_pem = dir.file("rsa.pem"), ec_pem = dir.file("ec.pem");
    BOOST_REQUIRE(run("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out " + rsa_pem) == 0);
    BOOST_REQUIRE(run("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out " + ec_pem) == 0);

    // PKCS#8 (OpenSSL's default) and the traditional PKCS#1 / SEC1 forms.
    for (const std::string& pem : {rsa_pem, ec_pem}) {
        const std::string p8 = pem + ".p8.der", trad = pem + ".trad.der", spki = pem + ".spki.der";
        BOOST_REQUIRE(run("openssl pkey -in " + pem + " -outform DER -out " + p8) == 0);
        BOOST_REQUIRE(run("openssl pkey -in " + pem + " -traditional -outform DER -out " + trad) == 0);
        BOOST_REQUIRE(run("openssl pkey -in " + pem + " -pubout -outform DER -out " + spki) == 0);
        const private_key from_p8 = private_key::from_pkcs8_der(read_file(p8));
        const private_key from_trad = private_key::from_pkcs8_der(read_file(trad));
        BOOST_TEST(from_p8.spki_der() == read_file(spki));
        BOOST_TEST(from_trad.spki_der() == read_file(spki));
        BOOST_TEST((public_key::from_spki_der(read_file(spki)) == from_p8.public_key()));
    }
    const private_key rsa = private_key::from_pkcs8_der(read_file(rsa_pem + ".p8.der"));
    const private_key ec = private_key::from_pkcs8_der(read_file(ec_pem + ".p8.der"));
    BOOST_TEST((rsa.algorithm() == key_algorithm::rsa_2048));
    BOOST_TEST((ec.algorithm() == key_algorithm::ec_secp384r1));

    const std::string sig = dir.file("sig.bin");
    auto openssl_sign = [&](const std::string& pem, const std::string& opts) {
        BOOST_REQUIRE(run("openssl dgst " + opts + " -sign " + pem + " -out " + sig + " " + msg) == 0);
        return read_file(sig);
    };
    BOOST_TEST(ec.public_key().verify(crypto::scheme_for(signing_algorithm::sha384_with_ecdsa), message,
                                      openssl_sign(ec_pem, "-sha384")));
    BOOST_TEST(rsa.public_key().verify(crypto::scheme_for(signing_algorithm::sha512_with_rsa), message,
                                       openssl_sign(rsa_pem, "-sha512")));
    BOOST_TEST(rsa.public_key().verify(
        crypto::scheme_for(signing_algorithm::sha256_with_rsa_pss), message,
        openssl_sign(rsa_pem, "-sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest")));
    // Salt of maximum length (256 - 32 - 2 = 222 bytes): only verify_pss with that length accepts it.
    const bytes max_salt =
        openssl_sign(rsa_pem, "-sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:max");
    BOOST_TEST(!rsa.public_key().verify(crypto::scheme_for(signing_algorithm::sha256_with_rsa_pss), message, max_salt));
    BOOST_TEST(rsa.public_key().verify_pss(hash_algorithm::sha256, hash_algorithm::sha256, 222, message, max_salt));
}

BOOST_AUTO_TEST_CASE(unsupported_or_encrypted_keys_are_crypto_error) {
    temp_dir dir;
    const std::string r1024 = dir.file("rsa1024.der"), k1 = dir.file("k1.der"), enc = dir.file("enc.der"),
                      k1_spki = dir.file("k1.spki.der");
    BOOST_REQUIRE(run("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -outform DER -out " + r1024) == 0);
    BOOST_REQUIRE(run("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp256k1 -outform DER -out " + k1) ==
                  0);
    BOOST_REQUIRE(run("openssl pkey -inform DER -in " + k1 + " -pubout -outform DER -out " + k1_spki) == 0);
    BOOST_REQUIRE(run("openssl pkcs8 -topk8 -v2 aes-256-cbc -passout pass:secret -inform DER -in " + r1024 +
                      " -outform DER -out " + enc) == 0);
    try {
        private_key::from_pkcs8_der(read_file(r1024));
        BOOST_FAIL("RSA-1024 accepted");
    } catch (const crypto::crypto_error& e) {
        BOOST_TEST(std::string(e.what()).find("1024") != std::string::npos, e.what());
    }
    BOOST_CHECK_THROW(private_key::from_pkcs8_der(read_file(k1)), crypto::crypto_error);
    try {
        private_key::from_pkcs8_der(read_file(enc));
        BOOST_FAIL("encrypted key accepted");
    } catch (const crypto::crypto_error& e) {
        BOOST_TEST(std::string(e.what()).find("encrypted") != std::string::npos, e.what());
    }
    // Public keys of other sizes and curves parse and can verify, but name no key algorithm.
    const public_key k1_pub = public_key::from_spki_der(read_file(k1_spki));
    BOOST_TEST((k1_pub.family() == key_family::ec));
    BOOST_TEST(!k1_pub.algorithm().has_value());
}

BOOST_AUTO_TEST_SUITE_END()
