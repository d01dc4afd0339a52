// pca/core/error.hpp - the service's error names, one exception type per code.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

namespace pca {

/// One value per acm-pca error shape in service-2.json, plus the unmodelled errors the
/// service documents (ValidationException, ThrottlingException, AccessDeniedException).
enum class errc {
    certificate_mismatch = 1,
    concurrent_modification,
    invalid_args,
    invalid_arn,
    invalid_next_token,
    invalid_policy,
    invalid_request,
    invalid_state,
    invalid_tag,
    limit_exceeded,
    lockout_prevented,
    malformed_certificate,
    malformed_csr,
    permission_already_exists,
    request_already_processed,
    request_failed,
    request_in_progress,
    resource_not_found,
    too_many_tags,
    validation,
    throttling,
    access_denied,
};

inline constexpr errc all_errcs[] = {
    errc::certificate_mismatch,      errc::concurrent_modification,   errc::invalid_args,
    errc::invalid_arn,               errc::invalid_next_token,        errc::invalid_policy,
    errc::invalid_request,           errc::invalid_state,             errc::invalid_tag,
    errc::limit_exceeded,            errc::lockout_prevented,         errc::malformed_certificate,
    errc::malformed_csr,             errc::permission_already_exists, errc::request_already_processed,
    errc::request_failed,            errc::request_in_progress,       errc::resource_not_found,
    errc::too_many_tags,             errc::validation,                errc::throttling,
    errc::access_denied,
};

/// The exact wire name (`__type`) of the error, e.g. "MalformedCSRException".
constexpr std::string_view aws_exception_name(errc e) noexcept {
    switch (e) {
        case errc::certificate_mismatch: return "CertificateMismatchException";
        case errc::concurrent_modification: return "ConcurrentModificationException";
        case errc::invalid_args: return "InvalidArgsException";
        case errc::invalid_arn: return "InvalidArnException";
        case errc::invalid_next_token: return "InvalidNextTokenException";
        case errc::invalid_policy: return "InvalidPolicyException";
        case errc::invalid_request: return "InvalidRequestException";
        case errc::invalid_state: return "InvalidStateException";
        case errc::invalid_tag: return "InvalidTagException";
        case errc::limit_exceeded: return "LimitExceededException";
        case errc::lockout_prevented: return "LockoutPreventedException";
        case errc::malformed_certificate: return "MalformedCertificateException";
        case errc::malformed_csr: return "MalformedCSRException";
        case errc::permission_already_exists: return "PermissionAlreadyExistsException";
        case errc::request_already_processed: return "RequestAlreadyProcessedException";
        case errc::request_failed: return "RequestFailedException";
        case errc::request_in_progress: return "RequestInProgressException";
        case errc::resource_not_found: return "ResourceNotFoundException";
        case errc::too_many_tags: return "TooManyTagsException";
        case errc::validation: return "ValidationException";
        case errc::throttling: return "ThrottlingException";
        case errc::access_denied: return "AccessDeniedException";
    }
    return "InternalFailure";
}

/// Short snake_case tag used in messages: "[pca.malformed_csr] ...".
constexpr std::string_view errc_tag(errc e) noexcept {
    switch (e) {
        case errc::certificate_mismatch: return "certificate_mismatch";
        case errc::concurrent_modification: return "concurrent_modification";
        case errc::invalid_args: return "invalid_args";
        case errc::invalid_arn: return "invalid_arn";
        case errc::invalid_next_token: return "invalid_next_token";
        case errc::invalid_policy: return "invalid_policy";
        case errc::invalid_request: return "invalid_request";
        case errc::invalid_state: return "invalid_state";
        case errc::invalid_tag: return "invalid_tag";
        case errc::limit_exceeded: return "limit_exceeded";
        case errc::lockout_prevented: return "lockout_prevented";
        case errc::malformed_certificate: return "malformed_certificate";
        case errc::malformed_csr: return "malformed_csr";
        case errc::permission_already_exists: return "permission_already_exists";
        case errc::request_already_processed: return "request_already_processed";
        case errc::request_failed: return "request_failed";
        case errc::request_in_progress: return "request_in_progress";
        case errc::resource_not_found: return "resource_not_found";
        case errc::too_many_tags: return "too_many_tags";
        case errc::validation: return "validation";
        case errc::throttling: return "throttling";
        case errc::access_denied: return "access_denied";
    }
    return "internal";
}

/// Maps a wire name back to its code; false when the name is not one of ours.
constexpr bool parse_aws_exception_name(std::string_view name, errc& out) noexcept {
    for (errc e : all_errcs) {
        if (aws_exception_name(e) == name) {
            out = e;
            return true;
        }
    }
    return false;
}

namespace detail {
class pca_error_category final : public std::error_category {
public:
    const char* name() const noexcept override { return "acm-pca"; }
    std::string message(int ev) const override {
        return std::string(aws_exception_name(static_cast<errc>(ev)));
    }
};
}  // namespace detail

inline const std::error_category& error_category() noexcept {
    static const detail::pca_error_category category;
    return category;
}

inline std::error_code make_error_code(errc e) noexcept { return {static_cast<int>(e), error_category()}; }

/// Base of every error the API returns. what() is "[pca.<tag>] <message>".
class error : public std::runtime_error {
public:
    error(errc code, const std::string& message)
        : std::runtime_error("[pca." + std::string(errc_tag(code)) + "] " + message), m_code(code), m_message(message) {}

    errc code() const noexcept { return m_code; }
    std::error_code error_code() const noexcept { return make_error_code(m_code); }
    std::string_view aws_name() const noexcept { return aws_exception_name(m_code); }
    /// The message without the "[pca.tag] " prefix, as sent on the wire.
    const std::string& message() const noexcept { return m_message; }

private:
    errc m_code;
    std::string m_message;
};

/// One catchable type per code: `catch (const pca::malformed_csr_exception&)`.
template <errc E>
class basic_error : public error {
public:
    static constexpr errc value = E;
    explicit basic_error(const std::string& message) : error(E, message) {}
};

using certificate_mismatch_exception = basic_error<errc::certificate_mismatch>;
using concurrent_modification_exception = basic_error<errc::concurrent_modification>;
using invalid_args_exception = basic_error<errc::invalid_args>;
using invalid_arn_exception = basic_error<errc::invalid_arn>;
using invalid_next_token_exception = basic_error<errc::invalid_next_token>;
using invalid_policy_exception = basic_error<errc::invalid_policy>;
using invalid_request_exception = basic_error<errc::invalid_request>;
using invalid_state_exception = basic_error<errc::invalid_state>;
using invalid_tag_exception = basic_error<errc::invalid_tag>;
using limit_exceeded_exception = basic_error<errc::limit_exceeded>;
using lockout_prevented_exception = basic_error<errc::lockout_prevented>;
using malformed_certificate_exception = basic_error<errc::malformed_certificate>;
using malformed_csr_exception = basic_error<errc::malformed_csr>;
using permission_already_exists_exception = basic_error<errc::permission_already_exists>;
using request_already_processed_exception = basic_error<errc::request_already_processed>;
using request_failed_exception = basic_error<errc::request_failed>;
using request_in_progress_exception = basic_error<errc::request_in_progress>;
using resource_not_found_exception = basic_error<errc::resource_not_found>;
using too_many_tags_exception = basic_error<errc::too_many_tags>;
using validation_exception = basic_error<errc::validation>;
using throttling_exception = basic_error<errc::throttling>;
using access_denied_exception = basic_error<errc::access_denied>;

/// Throws the typed exception for `code`.
[[noreturn]] inline void throw_error(errc code, const std::string& message) {
    switch (code) {
#define PCA_THROW_CASE(name) \
    case errc::name: throw basic_error<errc::name>(message);
        PCA_THROW_CASE(certificate_mismatch)
        PCA_THROW_CASE(concurrent_modification)
        PCA_THROW_CASE(invalid_args)
        PCA_THROW_CASE(invalid_arn)
        PCA_THROW_CASE(invalid_next_token)
        PCA_THROW_CASE(invalid_policy)
        PCA_THROW_CASE(invalid_request)
        PCA_THROW_CASE(invalid_state)
        PCA_THROW_CASE(invalid_tag)
        PCA_THROW_CASE(limit_exceeded)
        PCA_THROW_CASE(lockout_prevented)
        PCA_THROW_CASE(malformed_certificate)
        PCA_THROW_CASE(malformed_csr)
        PCA_THROW_CASE(permission_already_exists)
        PCA_THROW_CASE(request_already_processed)
        PCA_THROW_CASE(request_failed)
        PCA_THROW_CASE(request_in_progress)
        PCA_THROW_CASE(resource_not_found)
        PCA_THROW_CASE(too_many_tags)
        PCA_THROW_CASE(validation)
        PCA_THROW_CASE(throttling)
        PCA_THROW_CASE(access_denied)
#undef PCA_THROW_CASE
    }
    throw error(code, message);
}

}  // namespace pca

namespace std {
template <>
struct is_error_code_enum<pca::errc> : true_type {};
}  // namespace std
