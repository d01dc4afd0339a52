// pca/storage/object_store.hpp - the stand-in for the S3 buckets the service writes CRLs and
// audit reports into (DESIGN.md decision 6).
//
//   object_store             the interface: put, get, exists, list, remove
//   directory_object_store   <root>/<bucket>/<key>, written atomically (temp file, fsync,
//                            rename, fsync of the directory)
//   memory_object_store      a map, for tests and benchmarks
//
// Bucket names and keys are checked the same way by every store, so a test against memory
// behaves as the directory store would. Refused names throw pca::invalid_args_exception;
// file-system failures throw std::system_error naming the path.
#pragma once

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "pca/core/bytes.hpp"
#include "pca/core/error.hpp"

namespace pca::storage {

/// Longest object key (S3's limit, and the model's S3Key).
inline constexpr std::size_t max_object_key_size = 1024;
/// Longest key segment: a file name on common file systems (NAME_MAX).
inline constexpr std::size_t max_object_key_segment_size = 255;
/// Prefix of the directory store's temporary files; keys may not use it.
inline constexpr std::string_view temp_file_prefix = ".pca-tmp-";

/// Refuses a bucket name that could not be one directory: S3BucketName3To255's length, and
/// only letters, digits, '.', '-' and '_' (the legacy S3 alphabet), not "." or "..".
inline void check_bucket_name(std::string_view bucket) {
    auto refuse = [&](const char* why) {
        throw invalid_args_exception("bucket name \"" + std::string(bucket.substr(0, 300)) + "\" is refused: " + why);
    };
    if (bucket.size() < 3 || bucket.size() > 255) refuse("it must be 3 to 255 characters long");
    for (char c : bucket) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                        c == '-' || c == '_';
        if (!ok) refuse("only letters, digits, '.', '-' and '_' are allowed");
    }
    if (bucket.find_first_not_of('.') == std::string_view::npos) refuse("it must not be made of dots only");
}

/// Refuses an object key that is not a plain relative path: empty, longer than 1024 bytes,
/// absolute ("/x"), with an empty segment ("a//b", "a/"), a "." or ".." segment, a NUL byte,
/// a segment longer than 255 bytes, or a segment starting with the temp-file prefix.
inline void check_object_key(std::string_view key) {
    auto refuse = [&](const char* why) {
        std::string shown;
        for (char c : key.substr(0, 300)) shown += c == '\0' ? std::string("\\0") : std::string(1, c);
        throw invalid_args_exception("object key \"" + shown + "\" is refused: " + why);
    };
    if (key.empty()) refuse("it is empty");
    if (key.size() > max_object_key_size) refuse("it is longer than 1024 bytes");
    if (key.find('\0') != std::string_view::npos) refuse("it contains a NUL byte");
    if (key.front() == '/') refuse("it is an absolute path");
    std::size_t start = 0;
    for (;;) {
        const std::size_t slash = key.find('/', start);
        const std::string_view seg = key.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
        if (seg.empty()) refuse("it has an empty path segment");
        if (seg == "." || seg == "..") refuse("it has a '.' or '..' path segment");
        if (seg.size() > max_object_key_segment_size) refuse("a path segment is longer than 255 bytes");
        if (seg.substr(0, temp_file_prefix.size()) == temp_file_prefix) refuse("a path segment uses the reserved prefix .pca-tmp-");
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
}

/// The buckets: objects addressed by bucket and key. Implementations are thread-safe; a put
/// replaces the whole object atomically (a reader sees the old or the new bytes, never a mix).
class object_store {
public:
    virtual ~object_store() = default;

    /// Creates or replaces the object.
    virtual void put(std::string_view bucket, std::string_view key, byte_view data) = 0;
    /// The object's bytes, or nullopt when there is no such object.
    virtual std::optional<bytes> get(std::string_view bucket, std::string_view key) const = 0;
    virtual bool exists(std::string_view bucket, std::string_view key) const = 0;
    /// Keys in the bucket that start with `prefix` (a plain string prefix, as in S3), in
    /// byte order. An absent bucket lists nothing.
    virtual std::vector<std::string> list(std::string_view bucket, std::string_view prefix = {}) const = 0;
    /// Deletes the object; false when there was none.
    virtual bool remove(std::string_view bucket, std::string_view key) = 0;

    /// Writes feed whatever chunks `produce` hands its writer, then replaces the object
    /// atomically, as put() does; if `produce` throws, the object is left as it was. A store
    /// that can stream (directory_object_store) never holds the whole object in memory; the
    /// default collects the chunks and calls put().
    using chunk_writer = std::function<void(byte_view)>;
    virtual void put_chunks(std::string_view bucket, std::string_view key, const std::function<void(const chunk_writer&)>& produce) {
        bytes all;
        produce([&](byte_view chunk) { all.insert(all.end(), chunk.begin(), chunk.end()); });
        put(bucket, key, all);
    }
};

/// Objects in memory.
class memory_object_store final : public object_store {
public:
    void put(std::string_view bucket, std::string_view key, byte_view data) override {
        check_bucket_name(bucket);
        check_object_key(key);
        bytes copy = data.to_bytes();
        std::lock_guard<std::mutex> lock(m_mutex);
        m_objects[std::string(bucket)][std::string(key)] = std::move(copy);
    }
    std::optional<bytes> get(std::string_view bucket, std::string_view key) const override {
        check_bucket_name(bucket);
        check_object_key(key);
        std::lock_guard<std::mutex> lock(m_mutex);
        const auto b = m_objects.find(std::string(bucket));
        if (b == m_objects.end()) return std::nullopt;
        const auto o = b->second.find(std::string(key));
        if (o == b->second.end()) return std::nullopt;
        return o->second;
    }
    bool exists(std::string_view bucket, std::string_view key) const override {
        check_bucket_name(bucket);
        check_object_key(key);
        std::lock_guard<std::mutex> lock(m_mutex);
        const auto b = m_objects.find(std::string(bucket));
        return b != m_objects.end() && b->second.count(std::string(key)) != 0;
    }
    std::vector<std::string> list(std::string_view bucket, std::string_view prefix = {}) const override {
        check_bucket_name(bucket);
        std::vector<std::string> out;
        std::lock_guard<std::mutex> lock(m_mutex);
        const auto b = m_objects.find(std::string(bucket));
        if (b == m_objects.end()) return out;
        for (auto it = b->second.lower_bound(std::string(prefix)); it != b->second.end(); ++it) {
            if (it->first.compare(0, prefix.size(), prefix) != 0) break;
            out.push_back(it->first);
        }
        return out;
    }
    bool remove(std::string_view bucket, std::string_view key) override {
        check_bucket_name(bucket);
        check_object_key(key);
        std::lock_guard<std::mutex> lock(m_mutex);
        const auto b = m_objects.find(std::string(bucket));
        return b != m_objects.end() && b->second.erase(std::string(key)) != 0;
    }

private:
    mutable std::mutex m_mutex;
    std::map<std::string, std::map<std::string, bytes>> m_objects;
};

namespace detail {
[[noreturn]] inline void throw_errno(int err, const std::string& what, const std::string& path) {
    throw std::system_error(err, std::generic_category(), "pca::storage: " + what + " " + path);
}

/// Closes a file descriptor on scope exit.
class fd_guard {
public:
    explicit fd_guard(int fd) noexcept : m_fd(fd) {}
    ~fd_guard() {
        if (m_fd >= 0) ::close(m_fd);
    }
    fd_guard(const fd_guard&) = delete;
    fd_guard& operator=(const fd_guard&) = delete;
    int get() const noexcept { return m_fd; }
    /// Closes now, reporting the error (a failed close can mean lost data on NFS).
    int close() noexcept {
        const int rc = ::close(m_fd);
        m_fd = -1;
        return rc;
    }

private:
    int m_fd;
};

inline void fsync_directory(const std::string& dir) {
    fd_guard fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0) throw_errno(errno, "cannot open directory", dir);
    if (::fsync(fd.get()) != 0 && errno != EINVAL) throw_errno(errno, "cannot fsync directory", dir);
}

/// mkdir -p of `rel` (already checked) under `base`, fsyncing the parent of every directory
/// it creates so that the new entries survive a crash.
inline void make_directories(const std::string& base, std::string_view rel) {
    std::string path = base;
    std::size_t start = 0;
    while (start < rel.size()) {
        std::size_t slash = rel.find('/', start);
        if (slash == std::string_view::npos) slash = rel.size();
        const std::string parent = path;
        path += '/';
        path.append(rel.substr(start, slash - start));
        if (::mkdir(path.c_str(), 0755) == 0) {
            fsync_directory(parent);
        } else if (errno != EEXIST) {
            throw_errno(errno, "cannot create directory", path);
        } else {
            struct stat st {};
            if (::stat(path.c_str(), &st) != 0) throw_errno(errno, "cannot stat", path);
            if (!S_ISDIR(st.st_mode)) throw_errno(ENOTDIR, "an object is in the way of directory", path);
        }
        start = slash + 1;
    }
}

inline bool read_whole_file(const std::string& path, bytes& out) {
    fd_guard fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
        if (errno == ENOENT || errno == ENOTDIR || errno == EISDIR) return false;
        throw_errno(errno, "cannot open", path);
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) throw_errno(errno, "cannot stat", path);
    if (!S_ISREG(st.st_mode)) return false;
    bytes data;
    data.resize(static_cast<std::size_t>(st.st_size));
    std::size_t got = 0;
    for (;;) {
        if (got == data.size()) data.resize(data.size() + 65536);  // the file may have grown
        const ssize_t n = ::read(fd.get(), data.data() + got, data.size() - got);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw_errno(errno, "cannot read", path);
        }
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
    }
    data.resize(got);
    out = std::move(data);
    return true;
}
}  // namespace detail

/// Objects as files: bucket `b`, key `k/x.crl` is `<root>/b/k/x.crl`. A put writes a temp
/// file in the target's directory, fsyncs it, renames it over the target and fsyncs the
/// directory, so a crash leaves the old object or the new one, complete. Missing
/// directories (the root included) are created. A key cannot be both an object and the
/// folder of other keys ("a" and "a/b"), unlike in S3: such a put fails with ENOTDIR/EISDIR.
class directory_object_store final : public object_store {
public:
    explicit directory_object_store(std::string root) : m_root(std::move(root)) {
        while (m_root.size() > 1 && m_root.back() == '/') m_root.pop_back();
        if (m_root.empty()) throw invalid_args_exception("directory_object_store: the root directory is empty");
    }

    const std::string& root() const noexcept { return m_root; }

    /// The file that holds the object (whether or not it exists).
    std::string path_of(std::string_view bucket, std::string_view key) const {
        check_bucket_name(bucket);
        check_object_key(key);
        return m_root + "/" + std::string(bucket) + "/" + std::string(key);
    }

    void put(std::string_view bucket, std::string_view key, byte_view data) override {
        put_chunks(bucket, key, [&](const chunk_writer& write) { write(data); });
    }

    void put_chunks(std::string_view bucket, std::string_view key, const std::function<void(const chunk_writer&)>& produce) override {
        const std::string target = path_of(bucket, key);
        const std::size_t slash = target.rfind('/');
        const std::string dir = target.substr(0, slash);
        ensure_root();
        const std::string rel_dir = std::string(bucket) + (key.rfind('/') == std::string_view::npos
                                                               ? std::string()
                                                               : "/" + std::string(key.substr(0, key.rfind('/'))));
        detail::make_directories(m_root, rel_dir);

        static std::atomic<unsigned long long> counter{0};
        const std::string tmp = dir + "/" + std::string(temp_file_prefix) + std::to_string(::getpid()) + "-" +
                                std::to_string(counter++) + "-" + target.substr(slash + 1);
        detail::fd_guard fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
        if (fd.get() < 0) detail::throw_errno(errno, "cannot create", tmp);
        try {
            produce([&](byte_view data) {
                std::size_t done = 0;
                while (done < data.size()) {
                    const ssize_t n = ::write(fd.get(), data.data() + done, data.size() - done);
                    if (n < 0) {
                        if (errno == EINTR) continue;
                        detail::throw_errno(errno, "cannot write", tmp);
                    }
                    done += static_cast<std::size_t>(n);
                }
            });
            if (::fsync(fd.get()) != 0) detail::throw_errno(errno, "cannot fsync", tmp);
            if (fd.close() != 0) detail::throw_errno(errno, "cannot close", tmp);
            if (::rename(tmp.c_str(), target.c_str()) != 0) detail::throw_errno(errno, "cannot rename over", target);
        } catch (...) {
            ::unlink(tmp.c_str());
            throw;
        }
        detail::fsync_directory(dir);
    }

    std::optional<bytes> get(std::string_view bucket, std::string_view key) const override {
        bytes out;
        if (!detail::read_whole_file(path_of(bucket, key), out)) return std::nullopt;
        return out;
    }

    bool exists(std::string_view bucket, std::string_view key) const override {
        struct stat st {};
        const std::string p = path_of(bucket, key);
        if (::stat(p.c_str(), &st) != 0) {
            if (errno == ENOENT || errno == ENOTDIR) return false;
            detail::throw_errno(errno, "cannot stat", p);
        }
        return S_ISREG(st.st_mode);
    }

    std::vector<std::string> list(std::string_view bucket, std::string_view prefix = {}) const override {
        check_bucket_name(bucket);
        std::vector<std::string> out;
        walk(m_root + "/" + std::string(bucket), std::string(), prefix, out);
        std::sort(out.begin(), out.end());
        return out;
    }

    bool remove(std::string_view bucket, std::string_view key) override {
        const std::string p = path_of(bucket, key);
        struct stat st {};
        if (::lstat(p.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
        if (::unlink(p.c_str()) != 0) {
            if (errno == ENOENT) return false;
            detail::throw_errno(errno, "cannot delete", p);
        }
        detail::fsync_directory(p.substr(0, p.rfind('/')));
        return true;
    }

private:
    void ensure_root() const {
        struct stat st {};
        if (::stat(m_root.c_str(), &st) == 0) {
            if (!S_ISDIR(st.st_mode)) detail::throw_errno(ENOTDIR, "the object store root is not a directory:", m_root);
            return;
        }
        // Create the root and its missing parents.
        std::size_t start = m_root.front() == '/' ? 1 : 0;
        while (start <= m_root.size()) {
            std::size_t slash = m_root.find('/', start);
            if (slash == std::string::npos) slash = m_root.size();
            const std::string path = m_root.substr(0, slash);
            if (!path.empty() && ::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST)
                detail::throw_errno(errno, "cannot create directory", path);
            start = slash + 1;
        }
    }

    /// Collects the regular files under `dir` as keys "<rel>/<name>", skipping temp files.
    static void walk(const std::string& dir, const std::string& rel, std::string_view prefix, std::vector<std::string>& out) {
        DIR* d = ::opendir(dir.c_str());
        if (!d) {
            if (errno == ENOENT || errno == ENOTDIR) return;
            detail::throw_errno(errno, "cannot list", dir);
        }
        std::vector<std::pair<std::string, bool>> children;  // name, is directory
        while (const dirent* e = ::readdir(d)) {
            const std::string_view n = e->d_name;
            if (n == "." || n == ".." || n.substr(0, temp_file_prefix.size()) == temp_file_prefix) continue;
            struct stat st {};
            const std::string child = dir + "/" + std::string(n);
            if (::lstat(child.c_str(), &st) != 0) continue;  // vanished meanwhile
            if (S_ISDIR(st.st_mode) || S_ISREG(st.st_mode)) children.emplace_back(std::string(n), S_ISDIR(st.st_mode));
        }
        ::closedir(d);
        for (const auto& [n, is_dir] : children) {
            const std::string key = rel.empty() ? n : rel + "/" + n;
            if (is_dir) {
                // Descend only where keys below can still match the prefix.
                const std::string below = key + "/";
                const std::size_t k = std::min(below.size(), prefix.size());
                if (below.compare(0, k, prefix.substr(0, k)) == 0) walk(dir + "/" + n, key, prefix, out);
            } else if (key.compare(0, prefix.size(), prefix) == 0) {
                out.push_back(key);
            }
        }
    }

    std::string m_root;
};

}  // namespace pca::storage
