// pca/der/pem.hpp - RFC 7468 textual encoding: one or several labelled blocks.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pca/core/bytes.hpp"
#include "pca/der/base64.hpp"
#include "pca/der/error.hpp"

namespace pca::der {

struct pem_block {
    std::string label;  ///< e.g. "CERTIFICATE", "CERTIFICATE REQUEST"
    bytes der;
};

/// "-----BEGIN <label>-----\n" + base64 in 64-column lines + "-----END <label>-----\n".
inline std::string pem_encode(std::string_view label, byte_view der) {
    const std::string b64 = base64_encode(der);
    std::string out;
    out.reserve(b64.size() + b64.size() / 64 + 2 * label.size() + 40);
    out += "-----BEGIN ";
    out += label;
    out += "-----\n";
    for (std::size_t i = 0; i < b64.size(); i += 64) {
        out.append(b64, i, 64);
        out += '\n';
    }
    out += "-----END ";
    out += label;
    out += "-----\n";
    return out;
}

/// Limits for untrusted PEM input (documented in docs/security.md).
inline constexpr std::size_t default_max_pem_blocks = 64;

/// Decodes every PEM block in `text`. Text outside blocks is ignored (RFC 7468 section 2),
/// but inside a block only base64 lines are allowed (no headers: pca never reads encrypted
/// PEM). The END label must equal the BEGIN label. Throws decode_error naming the block.
inline std::vector<pem_block> pem_decode_all(std::string_view text, std::size_t max_blocks = default_max_pem_blocks) {
    static constexpr std::string_view begin_marker = "-----BEGIN ";
    static constexpr std::string_view end_marker = "-----END ";
    static constexpr std::string_view dashes = "-----";
    std::vector<pem_block> blocks;
    std::size_t pos = 0;
    while (true) {
        const std::size_t b = text.find(begin_marker, pos);
        if (b == std::string_view::npos) break;
        const std::string block_name = "PEM block " + std::to_string(blocks.size() + 1);
        if (blocks.size() == max_blocks)
            throw decode_error("more than " + std::to_string(max_blocks) + " PEM blocks");
        const std::size_t label_start = b + begin_marker.size();
        const std::size_t label_end = text.find(dashes, label_start);
        const std::size_t eol = text.find('\n', label_start);
        if (label_end == std::string_view::npos || (eol != std::string_view::npos && label_end > eol))
            throw decode_error(block_name + ": malformed BEGIN line");
        const std::string_view label = text.substr(label_start, label_end - label_start);
        for (char c : label)
            if (c < 0x20 || c > 0x7e || c == '-') throw decode_error(block_name + ": malformed label");
        std::size_t body = label_end + dashes.size();
        // rest of the BEGIN line must be empty (optionally \r)
        while (body < text.size() && (text[body] == '\r' || text[body] == ' ' || text[body] == '\t')) ++body;
        if (body < text.size() && text[body] != '\n') throw decode_error(block_name + ": text after BEGIN line");
        const std::size_t e = text.find(end_marker, body);
        if (e == std::string_view::npos) throw decode_error(block_name + " (" + std::string(label) + "): missing END line");
        const std::size_t end_label_end = text.find(dashes, e + end_marker.size());
        if (end_label_end == std::string_view::npos) throw decode_error(block_name + ": malformed END line");
        const std::string_view end_label = text.substr(e + end_marker.size(), end_label_end - e - end_marker.size());
        if (end_label != label)
            throw decode_error(block_name + ": END label '" + std::string(end_label) + "' does not match BEGIN label '" +
                               std::string(label) + "'");
        std::string b64;
        b64.reserve(e - body);
        for (std::size_t i = body; i < e; ++i) {
            const char c = text[i];
            if (c == '\n' || c == '\r' || c == ' ' || c == '\t') continue;
            if (c == ':') throw decode_error(block_name + ": PEM headers are not supported");
            b64 += c;
        }
        auto der = base64_decode(b64);
        if (!der) throw decode_error(block_name + " (" + std::string(label) + "): invalid base64");
        if (der->empty()) throw decode_error(block_name + " (" + std::string(label) + "): empty");
        blocks.push_back({std::string(label), std::move(*der)});
        pos = end_label_end + dashes.size();
    }
    return blocks;
}

/// Exactly one block with the given label (other text around it is ignored).
inline bytes pem_decode_one(std::string_view text, std::string_view label) {
    auto blocks = pem_decode_all(text, 2);
    if (blocks.empty()) throw decode_error("no PEM block found");
    if (blocks.size() != 1) throw decode_error("expected one PEM block, found several");
    if (blocks[0].label != label)
        throw decode_error("expected PEM label '" + std::string(label) + "', found '" + blocks[0].label + "'");
    return std::move(blocks[0].der);
}

}  // namespace pca::der
