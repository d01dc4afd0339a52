// pca/core/bytes.hpp - owned bytes, non-owning byte views, zeroizing storage, hex.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace pca {

using bytes = std::vector<std::uint8_t>;

/// A non-owning, read-only view of contiguous bytes (C++17 has no std::span).
class byte_view {
public:
    constexpr byte_view() noexcept = default;
    constexpr byte_view(const std::uint8_t* data, std::size_t size) noexcept : m_data(data), m_size(size) {}
    byte_view(const bytes& b) noexcept : m_data(b.data()), m_size(b.size()) {}  // NOLINT(implicit)
    template <class Alloc>
    byte_view(const std::vector<std::uint8_t, Alloc>& b) noexcept : m_data(b.data()), m_size(b.size()) {}  // NOLINT
    byte_view(const std::string& s) noexcept  // NOLINT(implicit)
        : m_data(reinterpret_cast<const std::uint8_t*>(s.data())), m_size(s.size()) {}
    byte_view(std::string_view s) noexcept  // NOLINT(implicit)
        : m_data(reinterpret_cast<const std::uint8_t*>(s.data())), m_size(s.size()) {}

    constexpr const std::uint8_t* data() const noexcept { return m_data; }
    constexpr std::size_t size() const noexcept { return m_size; }
    constexpr bool empty() const noexcept { return m_size == 0; }
    constexpr const std::uint8_t* begin() const noexcept { return m_data; }
    constexpr const std::uint8_t* end() const noexcept { return m_data + m_size; }
    constexpr std::uint8_t operator[](std::size_t i) const noexcept { return m_data[i]; }

    /// Bytes [offset, offset + count); throws std::out_of_range past the end.
    byte_view subview(std::size_t offset, std::size_t count) const {
        if (offset > m_size || count > m_size - offset) throw std::out_of_range("pca::byte_view::subview");
        return {m_data + offset, count};
    }
    byte_view subview(std::size_t offset) const {
        if (offset > m_size) throw std::out_of_range("pca::byte_view::subview");
        return {m_data + offset, m_size - offset};
    }
    bytes to_bytes() const { return bytes(begin(), end()); }
    std::string_view as_string_view() const noexcept {
        return {reinterpret_cast<const char*>(m_data), m_size};
    }

    friend bool operator==(byte_view a, byte_view b) noexcept {
        return a.m_size == b.m_size && (a.m_size == 0 || std::memcmp(a.m_data, b.m_data, a.m_size) == 0);
    }
    friend bool operator!=(byte_view a, byte_view b) noexcept { return !(a == b); }
    friend bool operator<(byte_view a, byte_view b) noexcept {
        const std::size_t n = a.m_size < b.m_size ? a.m_size : b.m_size;
        const int c = n == 0 ? 0 : std::memcmp(a.m_data, b.m_data, n);
        return c < 0 || (c == 0 && a.m_size < b.m_size);
    }

private:
    const std::uint8_t* m_data = nullptr;
    std::size_t m_size = 0;
};

/// Overwrites memory in a way the optimiser may not remove.
inline void secure_zero(void* p, std::size_t n) noexcept {
    volatile std::uint8_t* v = static_cast<volatile std::uint8_t*>(p);
    while (n--) *v++ = 0;
}

/// An allocator that zeroizes memory before releasing it; for secret key material.
template <class T>
struct zeroizing_allocator {
    using value_type = T;
    zeroizing_allocator() noexcept = default;
    template <class U>
    zeroizing_allocator(const zeroizing_allocator<U>&) noexcept {}  // NOLINT
    T* allocate(std::size_t n) { return std::allocator<T>{}.allocate(n); }
    void deallocate(T* p, std::size_t n) noexcept {
        secure_zero(p, n * sizeof(T));
        std::allocator<T>{}.deallocate(p, n);
    }
    template <class U>
    bool operator==(const zeroizing_allocator<U>&) const noexcept { return true; }
    template <class U>
    bool operator!=(const zeroizing_allocator<U>&) const noexcept { return false; }
};

/// Bytes that are wiped when freed (also when the vector grows and reallocates).
using secure_bytes = std::vector<std::uint8_t, zeroizing_allocator<std::uint8_t>>;

/// Lowercase (or uppercase) hex of the bytes, optionally separated ("aa:bb").
inline std::string to_hex(byte_view b, bool upper = false, char separator = '\0') {
    const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    std::string out;
    out.reserve(b.size() * (separator ? 3 : 2));
    for (std::size_t i = 0; i < b.size(); ++i) {
        if (separator && i) out.push_back(separator);
        out.push_back(digits[b[i] >> 4]);
        out.push_back(digits[b[i] & 0x0f]);
    }
    return out;
}

/// Parses an even-length hex string (either case, no separators). Returns false on bad input.
inline bool from_hex(std::string_view hex, bytes& out) {
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    if (hex.size() % 2) return false;
    bytes r;
    r.reserve(hex.size() / 2);
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        const int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
        if (hi < 0 || lo < 0) return false;
        r.push_back(static_cast<std::uint8_t>(hi << 4 | lo));
    }
    out = std::move(r);
    return true;
}

}  // namespace pca
