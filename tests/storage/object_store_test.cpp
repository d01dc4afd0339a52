// The object stores that stand in for S3 buckets: the same behaviour from the memory and the
// directory store (put, get, exists, overwrite, nested keys, list by prefix, remove, refused
// bucket names and keys), and the directory store's atomic replacement: files where they
// belong, no temp files left, a new inode on overwrite (an old hard link keeps the old bytes),
// and readers that never see a partly written object.
#include <boost/test/unit_test.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "pca/storage/object_store.hpp"
#include "support/tools.hpp"

namespace {
using namespace pca;

bytes text(std::string_view s) { return byte_view(s).to_bytes(); }

/// The behaviour both stores share.
void check_common_behaviour(storage::object_store& store) {
    BOOST_TEST(!store.exists("bucket-1", "crl/ca.crl"));
    BOOST_TEST(!store.get("bucket-1", "crl/ca.crl"));
    BOOST_TEST(store.list("bucket-1").empty());

    store.put("bucket-1", "crl/ca.crl", text("first"));
    BOOST_TEST(store.exists("bucket-1", "crl/ca.crl"));
    BOOST_TEST((*store.get("bucket-1", "crl/ca.crl") == text("first")));
    store.put("bucket-1", "crl/ca.crl", text("second, longer than the first"));
    BOOST_TEST((*store.get("bucket-1", "crl/ca.crl") == text("second, longer than the first")));
    store.put("bucket-1", "crl/ca.crl", text("3"));
    BOOST_TEST((*store.get("bucket-1", "crl/ca.crl") == text("3")));

    // Nested keys, an empty object, binary content, another bucket.
    store.put("bucket-1", "audit-report/ca-1/r1.json", text("[]"));
    store.put("bucket-1", "audit-report/ca-1/r2.csv", {});
    const bytes binary = {0x00, 0xff, 0x30, 0x82, 0x00, 0x0a};
    store.put("bucket-1", "a/b/c/d/e/f.bin", binary);
    store.put("bucket-2", "crl/ca.crl", text("other bucket"));
    store.put("bucket-1", "acm-pca-permission-test-key", text("x"));
    BOOST_TEST(store.get("bucket-1", "audit-report/ca-1/r2.csv")->empty());
    BOOST_TEST((*store.get("bucket-1", "a/b/c/d/e/f.bin") == binary));
    BOOST_TEST((*store.get("bucket-2", "crl/ca.crl") == text("other bucket")));
    BOOST_TEST(!store.exists("bucket-1", "audit-report/ca-1"));  // a folder is not an object
    BOOST_TEST(!store.get("bucket-1", "audit-report"));

    const std::vector<std::string> all = {"a/b/c/d/e/f.bin", "acm-pca-permission-test-key", "audit-report/ca-1/r1.json",
                                          "audit-report/ca-1/r2.csv", "crl/ca.crl"};
    BOOST_TEST(store.list("bucket-1") == all, boost::test_tools::per_element());
    const std::vector<std::string> reports = {"audit-report/ca-1/r1.json", "audit-report/ca-1/r2.csv"};
    BOOST_TEST(store.list("bucket-1", "audit-report/") == reports, boost::test_tools::per_element());
    BOOST_TEST(store.list("bucket-1", "audit-report/ca-1/r1") == std::vector<std::string>{"audit-report/ca-1/r1.json"},
               boost::test_tools::per_element());
    const std::vector<std::string> a_prefix = {"a/b/c/d/e/f.bin", "acm-pca-permission-test-key", "audit-report/ca-1/r1.json",
                                               "audit-report/ca-1/r2.csv"};
    BOOST_TEST(store.list("bucket-1", "a") == a_prefix, boost::test_tools::per_element());
    BOOST_TEST(store.list("bucket-1", "zzz").empty());
    BOOST_TEST(store.list("bucket-3").empty());

    BOOST_TEST(store.remove("bucket-1", "acm-pca-permission-test-key"));
    BOOST_TEST(!store.remove("bucket-1", "acm-pca-permission-test-key"));
    BOOST_TEST(!store.exists("bucket-1", "acm-pca-permission-test-key"));

    // Refused keys and bucket names, with InvalidArgsException.
    const std::string long_key(1025, 'k');
    const std::string long_segment(256, 's');
    const std::vector<std::string> bad_keys = {
        "", "/crl/ca.crl", "crl//ca.crl", "crl/", "../ca.crl", "crl/../ca.crl", "crl/..", "./ca.crl", "crl/./x", "..",
        std::string("crl/c\0a.crl", 11), long_key, "crl/" + long_segment, ".pca-tmp-1-2-x", "crl/.pca-tmp-x",
    };
    for (const auto& k : bad_keys) {
        BOOST_TEST_CONTEXT("key \"" << k << "\"") {
            BOOST_CHECK_THROW(store.put("bucket-1", k, text("x")), invalid_args_exception);
            BOOST_CHECK_THROW(store.get("bucket-1", k), invalid_args_exception);
            BOOST_CHECK_THROW(store.exists("bucket-1", k), invalid_args_exception);
        }
    }
    BOOST_CHECK_NO_THROW(store.put("bucket-1", "crl/..ok", text("dots inside a name are fine")));
    BOOST_CHECK_NO_THROW(store.put("bucket-1", "crl/custom path;x=1@2", text("S3 key characters")));
    const std::vector<std::string> bad_buckets = {"", "ab", "..", "...", "a/b", "bucket/..", "bu cket", "b\\x", std::string(256, 'b'),
                                                  std::string("bu\0ck", 5)};
    for (const auto& b : bad_buckets) {
        BOOST_TEST_CONTEXT("bucket \"" << b << "\"") {
            BOOST_CHECK_THROW(store.put(b, "k", text("x")), invalid_args_exception);
            BOOST_CHECK_THROW(store.list(b), invalid_args_exception);
        }
    }
    // Nothing refused was written anywhere.
    BOOST_TEST(store.list("bucket-1").size() == 6u);
}

std::size_t count_temp_files(const std::filesystem::path& root) {
    std::size_t n = 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(root))
        if (e.path().filename().string().rfind(".pca-tmp-", 0) == 0) ++n;
    return n;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(storage_object_store)

BOOST_AUTO_TEST_CASE(memory_store_behaves_like_a_bucket) {
    storage::memory_object_store store;
    check_common_behaviour(store);
}

BOOST_AUTO_TEST_CASE(directory_store_behaves_like_a_bucket_and_lays_out_files) {
    test::temp_dir dir;
    const std::string root = (dir.path() / "missing" / "root").string();  // created on first put
    storage::directory_object_store store(root + "/");
    BOOST_TEST(store.root() == root);
    check_common_behaviour(store);
    BOOST_TEST(test::read_text(root + "/bucket-1/crl/ca.crl") == "3");
    BOOST_TEST(test::read_text(root + "/bucket-2/crl/ca.crl") == "other bucket");
    BOOST_TEST(test::read_text(root + "/bucket-1/a/b/c/d/e/f.bin").size() == 6u);
    BOOST_TEST(store.path_of("bucket-1", "crl/ca.crl") == root + "/bucket-1/crl/ca.crl");
    BOOST_TEST(count_temp_files(root) == 0u);
    // Nothing escaped the root.
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir.path()))
        BOOST_TEST((e.path().string().rfind(root, 0) == 0 || root.rfind(e.path().string() + "/", 0) == 0));
}

BOOST_AUTO_TEST_CASE(directory_store_replaces_objects_by_rename) {
    test::temp_dir dir;
    storage::directory_object_store store(dir.path().string());
    store.put("crl-bucket", "crl/ca.crl", text("old CRL"));
    const std::string path = store.path_of("crl-bucket", "crl/ca.crl");
    const std::string link = dir.file("hard-link");
    BOOST_REQUIRE(::link(path.c_str(), link.c_str()) == 0);
    struct stat before {};
    BOOST_REQUIRE(::stat(path.c_str(), &before) == 0);

    store.put("crl-bucket", "crl/ca.crl", text("new CRL"));
    struct stat after {};
    BOOST_REQUIRE(::stat(path.c_str(), &after) == 0);
    // A new file was renamed over the old one: an in-place rewrite would keep the inode and
    // change what the hard link shows.
    BOOST_TEST(before.st_ino != after.st_ino);
    BOOST_TEST(test::read_text(link) == "old CRL");
    BOOST_TEST(test::read_text(path) == "new CRL");
    BOOST_TEST((after.st_mode & 0777) == 0644u);
    BOOST_TEST(count_temp_files(dir.path()) == 0u);
}

BOOST_AUTO_TEST_CASE(put_chunks_streams_and_a_failing_producer_leaves_the_object_alone) {
    test::temp_dir dir;
    storage::directory_object_store disk(dir.path().string());
    storage::memory_object_store memory;
    for (storage::object_store* store : {static_cast<storage::object_store*>(&disk), static_cast<storage::object_store*>(&memory)}) {
        store->put("bucket-1", "audit-report/r.json", text("old report"));
        int chunks = 0;
        store->put_chunks("bucket-1", "audit-report/r.json", [&](const storage::object_store::chunk_writer& write) {
            for (const char* piece : {"[", "\n{\"a\":1}", ",\n{\"b\":2}", "\n]\n"}) {
                write(byte_view(std::string_view(piece)));
                ++chunks;
            }
        });
        BOOST_TEST(chunks == 4);
        const auto got = store->get("bucket-1", "audit-report/r.json");
        BOOST_REQUIRE(got.has_value());
        BOOST_TEST(std::string(got->begin(), got->end()) == "[\n{\"a\":1},\n{\"b\":2}\n]\n");
        // A producer that fails half-way: the previous object stays, no temp file is left.
        BOOST_CHECK_THROW(store->put_chunks("bucket-1", "audit-report/r.json",
                                            [&](const storage::object_store::chunk_writer& write) {
                                                write(byte_view(std::string_view("partial")));
                                                throw std::runtime_error("store cursor failed");
                                            }),
                          std::runtime_error);
        const auto kept = store->get("bucket-1", "audit-report/r.json");
        BOOST_REQUIRE(kept.has_value());
        BOOST_TEST(std::string(kept->begin(), kept->end()) == "[\n{\"a\":1},\n{\"b\":2}\n]\n");
    }
    BOOST_TEST(count_temp_files(dir.path()) == 0u);
}

BOOST_AUTO_TEST_CASE(directory_store_readers_never_see_a_partial_object) {
    test::temp_dir dir;
    storage::directory_object_store store(dir.path().string());
    const bytes a(256 * 1024, 'a');
    const bytes b(256 * 1024, 'b');
    store.put("crl-bucket", "crl/ca.crl", a);
    std::atomic<bool> done{false};
    std::atomic<int> torn{0}, reads{0};
    std::thread reader([&] {
        while (!done) {
            const auto got = store.get("crl-bucket", "crl/ca.crl");
            ++reads;
            if (!got || (*got != a && *got != b)) ++torn;
        }
    });
    for (int i = 0; i < 40; ++i) store.put("crl-bucket", "crl/ca.crl", i % 2 ? a : b);
    done = true;
    reader.join();
    BOOST_TEST_MESSAGE(reads.load() << " reads during 40 replacements");
    BOOST_TEST(torn.load() == 0);
    BOOST_TEST(count_temp_files(dir.path()) == 0u);
}

BOOST_AUTO_TEST_CASE(directory_store_reports_file_system_conflicts) {
    test::temp_dir dir;
    storage::directory_object_store store(dir.path().string());
    store.put("crl-bucket", "a", text("object"));
    // "a" is an object, so it cannot also be the folder of "a/b" (S3 allows both).
    BOOST_CHECK_THROW(store.put("crl-bucket", "a/b", text("x")), std::system_error);
    BOOST_TEST(test::read_text(store.path_of("crl-bucket", "a")) == "object");
    // A root that is a file.
    test::write_file(dir.file("file"), text("x"));
    storage::directory_object_store bad(dir.file("file"));
    BOOST_CHECK_THROW(bad.put("crl-bucket", "k", text("x")), std::system_error);
    BOOST_TEST(!bad.exists("crl-bucket", "k"));
    BOOST_TEST(count_temp_files(dir.path()) == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
