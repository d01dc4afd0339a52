// pca/der/tag.hpp - ASN.1 identifier octets used by pca (X.690 section 8.1.2).
#pragma once

#include <cstdint>

namespace pca::der {

/// The identifier octet. pca only uses low tag numbers (< 31): the reader rejects the
/// high-tag-number form, which no X.509/PKCS#10 structure needs.
namespace tag {
inline constexpr std::uint8_t boolean = 0x01;
inline constexpr std::uint8_t integer = 0x02;
inline constexpr std::uint8_t bit_string = 0x03;
inline constexpr std::uint8_t octet_string = 0x04;
inline constexpr std::uint8_t null = 0x05;
inline constexpr std::uint8_t oid = 0x06;
inline constexpr std::uint8_t enumerated = 0x0a;
inline constexpr std::uint8_t utf8_string = 0x0c;
inline constexpr std::uint8_t printable_string = 0x13;
inline constexpr std::uint8_t t61_string = 0x14;
inline constexpr std::uint8_t ia5_string = 0x16;
inline constexpr std::uint8_t utc_time = 0x17;
inline constexpr std::uint8_t generalized_time = 0x18;
inline constexpr std::uint8_t visible_string = 0x1a;
inline constexpr std::uint8_t universal_string = 0x1c;
inline constexpr std::uint8_t bmp_string = 0x1e;
inline constexpr std::uint8_t sequence = 0x30;  // constructed
inline constexpr std::uint8_t set = 0x31;       // constructed

inline constexpr std::uint8_t constructed_bit = 0x20;
inline constexpr std::uint8_t context_class = 0x80;

/// [n] IMPLICIT on a primitive type, e.g. dNSName [2] IA5String -> 0x82.
constexpr std::uint8_t context_primitive(unsigned n) { return static_cast<std::uint8_t>(context_class | n); }
/// [n] EXPLICIT, or [n] IMPLICIT on a constructed type -> 0xA0 | n.
constexpr std::uint8_t context_constructed(unsigned n) {
    return static_cast<std::uint8_t>(context_class | constructed_bit | n);
}
}  // namespace tag

}  // namespace pca::der
