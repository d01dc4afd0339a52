// pca-server: the acm-pca wire protocol (AWS JSON 1.1) over HTTP on 127.0.0.1, so the AWS
// CLI, boto3 and other SDKs drive pca unchanged.
//
//   pca-server --listen 127.0.0.1:PORT --data-dir DIR [--region us-east-1]
//              [--account-id 123456789012] [--credentials FILE]
//
// State: DIR/pca.db (sqlite_store), CA keys sealed under the key-encryption key from
// $PCA_SERVER_PASSPHRASE if set, else DIR/kek (32 random bytes, created 0600 on first start).
// Buckets: DIR/buckets/<bucket>/... (a CRL is DIR/buckets/<bucket>/crl/<ca-id>.crl).
// Prints "listening on 127.0.0.1:<port>" when ready; SIGINT/SIGTERM stop it after the
// requests in flight. docs/server.md describes the choices.
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>

#include <httplib.h>

#include "handler.hpp"
#include "pca/core/rng.hpp"
#include "pca/crypto/drbg.hpp"
#include "pca/storage/object_store.hpp"
#include "pca/storage/sqlite_store.hpp"

namespace {

struct options {
    std::string host;
    int port = -1;
    std::string data_dir;
    std::string region = "us-east-1";
    std::string account_id = "123456789012";
    std::string credentials;
};

[[noreturn]] void usage(const std::string& why) {
    std::cerr << "pca-server: " << why << "\n"
              << "usage: pca-server --listen 127.0.0.1:PORT --data-dir DIR [--region us-east-1] "
                 "[--account-id 123456789012] [--credentials FILE]\n";
    std::exit(2);
}

options parse_args(int argc, char** argv) {
    options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage(a + " needs a value");
            return argv[++i];
        };
        if (a == "--listen") {
            const std::string v = value();
            const auto colon = v.rfind(':');
            if (colon == std::string::npos) usage("--listen wants HOST:PORT, got '" + v + "'");
            o.host = v.substr(0, colon);
            const std::string p = v.substr(colon + 1);
            if (p.empty() || p.size() > 5 || p.find_first_not_of("0123456789") != std::string::npos || std::stoi(p) > 65535)
                usage("--listen port must be 0..65535, got '" + p + "'");
            o.port = std::stoi(p);
        } else if (a == "--data-dir") {
            o.data_dir = value();
        } else if (a == "--region") {
            o.region = value();
        } else if (a == "--account-id") {
            o.account_id = value();
        } else if (a == "--credentials") {
            o.credentials = value();
        } else if (a == "--help" || a == "-h") {
            usage("help");
        } else {
            usage("unknown argument '" + a + "'");
        }
    }
    if (o.port < 0) usage("--listen is required");
    if (o.data_dir.empty()) usage("--data-dir is required");
    if (o.account_id.size() != 12 || o.account_id.find_first_not_of("0123456789") != std::string::npos)
        usage("--account-id must be 12 digits");
    if (o.region.empty() || o.region.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") != std::string::npos)
        usage("--region must be a region name like us-east-1");
    return o;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path + ": " + std::strerror(errno));
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// DIR/kek: 32 random bytes, created owner-only on first start; or a passphrase from the
/// environment (PBKDF2, salt kept in the database).
pca::storage::key_encryption_key load_kek(const std::string& dir) {
    if (const char* pass = std::getenv("PCA_SERVER_PASSPHRASE"); pass && *pass)
        return pca::storage::key_encryption_key::from_passphrase(pass);
    const std::string path = dir + "/kek";
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
        pca::secure_bytes key(32);
        pca::crypto::thread_local_drbg().fill(key.data(), key.size());
        const ssize_t n = ::write(fd, key.data(), key.size());
        const bool ok = n == 32 && ::fsync(fd) == 0;
        ::close(fd);
        if (!ok) {
            ::unlink(path.c_str());
            throw std::runtime_error("cannot write " + path);
        }
    } else if (errno != EEXIST) {
        throw std::runtime_error("cannot create " + path + ": " + std::strerror(errno));
    }
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) throw std::runtime_error("cannot stat " + path);
    if (st.st_mode & 077) throw std::runtime_error(path + " must not be readable by group or others (chmod 600)");
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
    pca::secure_bytes key(33);
    const ssize_t n = ::read(fd, key.data(), key.size());
    ::close(fd);
    if (n != 32) throw std::runtime_error(path + " must hold exactly 32 bytes");
    key.resize(32);
    return pca::storage::key_encryption_key::from_raw(pca::byte_view(key.data(), key.size()));
}

}  // namespace

int main(int argc, char** argv) {
    const options opt = parse_args(argc, argv);

    // SIGINT/SIGTERM are taken by one thread with sigwait(); block them everywhere else
    // (threads created from here on inherit the mask).
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    signal(SIGPIPE, SIG_IGN);

    try {
        if (::mkdir(opt.data_dir.c_str(), 0700) != 0 && errno != EEXIST)
            throw std::runtime_error("cannot create " + opt.data_dir + ": " + std::strerror(errno));
        const auto kek = load_kek(opt.data_dir);
        pca::storage::sqlite_store store(opt.data_dir + "/pca.db", kek);
        pca::storage::directory_object_store buckets(opt.data_dir + "/buckets");
        pca::system_clock clock;
        pca::service_options service_opts;
        service_opts.region = opt.region;
        service_opts.account_id = opt.account_id;
        pca::service svc(store, buckets, clock, service_opts);

        pca::server::handler_options hopt;
        hopt.region = opt.region;
        hopt.account_id = opt.account_id;
        if (!opt.credentials.empty()) hopt.keys = pca::server::sigv4::key_table::parse(read_file(opt.credentials));
        if (hopt.keys && hopt.keys->size() == 0) throw std::runtime_error(opt.credentials + " lists no access keys");
        std::mutex log_mutex;
        hopt.log = [&](const std::string& line) {
            std::lock_guard<std::mutex> lock(log_mutex);
            std::cerr << "pca-server: " << line << std::endl;
        };
        const std::size_t max_body = hopt.max_body_bytes;
        pca::server::handler handler(svc, std::move(hopt), clock);

        httplib::Server http;
        http.set_payload_max_length(max_body);
        http.set_read_timeout(10, 0);
        http.set_write_timeout(10, 0);
        http.set_keep_alive_timeout(1);  // also bounds how long a stop waits for idle connections
        http.set_tcp_nodelay(true);
        http.set_keep_alive_max_count(100);

        auto answer = [&](const httplib::Request& req, httplib::Response& res, std::string body) {
            pca::server::http_request hr;
            hr.method = req.method;
            hr.target = req.target;  // as sent: the signature covers the raw path and query
            for (const auto& [k, v] : req.headers) hr.headers.emplace_back(k, v);
            hr.body = std::move(body);
            const auto out = handler.handle(hr);
            res.status = out.status;
            std::string content_type = "application/x-amz-json-1.1";
            for (const auto& [k, v] : out.headers) {
                if (k == "Content-Type") content_type = v;
                else res.set_header(k.c_str(), v);
            }
            res.set_content(out.body, content_type.c_str());
        };
        // POST: read the body ourselves so that chunked bodies are bounded too.
        http.Post(".*", [&](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
            std::string body;
            bool too_large = false;
            const bool complete = reader([&](const char* data, std::size_t n) {
                if (body.size() + n > max_body) {
                    too_large = true;
                    return false;
                }
                body.append(data, n);
                return true;
            });
            if (!complete) {
                // Over the limit (counted here for chunked bodies; for a declared
                // Content-Length httplib refused it unread), or the client stopped sending.
                const std::uint64_t declared = req.get_header_value<std::uint64_t>("Content-Length");
                const auto out = (too_large || declared > max_body)
                                     ? pca::server::handler::error_response(
                                           413, "RequestEntityTooLargeException",
                                           "the request body is larger than " + std::to_string(max_body) + " bytes")
                                     : pca::server::handler::error_response(400, "SerializationException",
                                                                            "the request body could not be read");
                res.status = out.status;
                for (const auto& [k, v] : out.headers)
                    if (k != "Content-Type") res.set_header(k.c_str(), v);
                res.set_header("Connection", "close");
                res.set_content(out.body, "application/x-amz-json-1.1");
                return;
            }
            answer(req, res, std::move(body));
        });
        auto no_body = [&](const httplib::Request& req, httplib::Response& res) { answer(req, res, std::string()); };
        http.Get(".*", no_body);
        http.Put(".*", no_body);
        http.Delete(".*", no_body);
        http.Patch(".*", no_body);
        http.Options(".*", no_body);
        // Errors httplib answers itself (413 for a declared Content-Length over the limit,
        // 400 for a request it cannot parse): give them the JSON error body too.
        http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
            if (!res.body.empty()) return;
            std::string type = res.status == 413 ? "RequestEntityTooLargeException" : "BadRequestException";
            nlohmann::json body = {{"__type", type}, {"message", "HTTP " + std::to_string(res.status) + ": the request was not accepted"}};
            res.set_content(body.dump(), "application/x-amz-json-1.1");
        });

        int port = opt.port;
        if (port == 0) {
            port = http.bind_to_any_port(opt.host);
            if (port < 0) throw std::runtime_error("cannot listen on " + opt.host);
        } else if (!http.bind_to_port(opt.host, port)) {
            throw std::runtime_error("cannot listen on " + opt.host + ":" + std::to_string(port));
        }

        // CRLs are regenerated before their nextUpdate, as the service does.
        std::mutex wake_mutex;
        std::condition_variable wake;
        bool stopping = false;
        std::thread crl_refresher([&] {
            std::unique_lock<std::mutex> lock(wake_mutex);
            while (!wake.wait_for(lock, std::chrono::minutes(10), [&] { return stopping; })) {
                lock.unlock();
                try {
                    svc.refresh_crls();
                } catch (const std::exception& e) {
                    handler.options().log(std::string("CRL refresh failed: ") + e.what());
                }
                lock.lock();
            }
        });
        std::atomic<bool> listen_done{false};
        std::thread signal_waiter([&] {
            int sig = 0;
            sigwait(&stop_signals, &sig);
            // stop() is a no-op until listen_after_bind() runs: retry until it took effect.
            while (!listen_done) {
                if (http.is_running()) {
                    http.stop();
                    break;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
        });

        std::cout << "listening on " << opt.host << ":" << port << std::endl;
        const bool served = http.listen_after_bind();
        listen_done = true;

        // listen_after_bind() returns after stop() once the workers finished their requests.
        if (!served) {
            // Not stopped by a signal: wake the signal thread so it can be joined.
            pthread_kill(signal_waiter.native_handle(), SIGTERM);
        }
        signal_waiter.join();
        {
            std::lock_guard<std::mutex> lock(wake_mutex);
            stopping = true;
        }
        wake.notify_all();
        crl_refresher.join();
        std::cerr << "pca-server: stopped" << std::endl;
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "pca-server: " << e.what() << std::endl;
        return 1;
    }
}
