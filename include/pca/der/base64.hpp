// pca/der/base64.hpp - RFC 4648 base64, strict on decode.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "pca/core/bytes.hpp"

namespace pca::der {

inline std::string base64_encode(byte_view in) {
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out((in.size() + 2) / 3 * 4, '=');
    char* o = out.data();  // written in place: no capacity check per character
    std::size_t i = 0;
    for (; i + 3 <= in.size(); i += 3, o += 4) {
        const std::uint32_t v = std::uint32_t{in[i]} << 16 | std::uint32_t{in[i + 1]} << 8 | in[i + 2];
        o[0] = alphabet[v >> 18 & 63];
        o[1] = alphabet[v >> 12 & 63];
        o[2] = alphabet[v >> 6 & 63];
        o[3] = alphabet[v & 63];
    }
    if (in.size() - i == 1) {
        const std::uint32_t v = std::uint32_t{in[i]} << 16;
        o[0] = alphabet[v >> 18 & 63];
        o[1] = alphabet[v >> 12 & 63];  // o[2], o[3]: '=' already
    } else if (in.size() - i == 2) {
        const std::uint32_t v = std::uint32_t{in[i]} << 16 | std::uint32_t{in[i + 1]} << 8;
        o[0] = alphabet[v >> 18 & 63];
        o[1] = alphabet[v >> 12 & 63];
        o[2] = alphabet[v >> 6 & 63];  // o[3]: '=' already
    }
    return out;
}

namespace detail {
constexpr int base64_value(char c) noexcept {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}
}  // namespace detail

/// Strict decoding: only the standard alphabet, length a multiple of 4, '=' only as the
/// last one or two characters, and the unused low bits before padding must be zero (so every
/// byte string has exactly one accepted encoding). No whitespace. nullopt on any violation.
inline std::optional<bytes> base64_decode(std::string_view in) {
    if (in.size() % 4) return std::nullopt;
    bytes out;
    out.reserve(in.size() / 4 * 3);
    for (std::size_t i = 0; i < in.size(); i += 4) {
        const bool last = i + 4 == in.size();
        int v[4];
        int pad = 0;
        for (int k = 0; k < 4; ++k) {
            const char c = in[i + static_cast<std::size_t>(k)];
            if (c == '=' && last && k >= 2) {
                v[k] = 0;
                ++pad;
                continue;
            }
            if (pad) return std::nullopt;  // data after '='
            v[k] = detail::base64_value(c);
            if (v[k] < 0) return std::nullopt;
        }
        const std::uint32_t w = static_cast<std::uint32_t>(v[0] << 18 | v[1] << 12 | v[2] << 6 | v[3]);
        if (pad == 2 && (w & 0xffff)) return std::nullopt;
        if (pad == 1 && (w & 0xff)) return std::nullopt;
        out.push_back(static_cast<std::uint8_t>(w >> 16));
        if (pad < 2) out.push_back(static_cast<std::uint8_t>(w >> 8 & 0xff));
        if (pad < 1) out.push_back(static_cast<std::uint8_t>(w & 0xff));
    }
    return out;
}

}  // namespace pca::der
