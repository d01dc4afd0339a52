// pca/der/error.hpp - the error lower layers throw for bytes that are not strict DER.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace pca::der {

/// Thrown by the reader and by decoders built on it. The facade translates it into the
/// service's named error for the input at hand (MalformedCSRException, ...).
class decode_error : public std::runtime_error {
public:
    decode_error(const std::string& what, std::size_t offset)
        : std::runtime_error(what + " (at byte " + std::to_string(offset) + ")"), m_offset(offset) {}
    explicit decode_error(const std::string& what) : std::runtime_error(what), m_offset(npos) {}

    static constexpr std::size_t npos = static_cast<std::size_t>(-1);
    /// Byte offset of the problem within the outermost input, when known.
    std::size_t offset() const noexcept { return m_offset; }

private:
    std::size_t m_offset;
};

}  // namespace pca::der
