// Uses the installed umbrella header; returns non-zero if anything is off.
#include <pca/pca.hpp>

#include <iostream>

int main() {
    if (pca::aws_exception_name(pca::errc::malformed_csr) != "MalformedCSRException") return 1;
    try {
        pca::throw_error(pca::errc::invalid_arn, "not an ARN");
    } catch (const pca::invalid_arn_exception& e) {
        std::cout << "pca consumer ok: " << e.what() << "\n";
        return 0;
    }
    return 2;
}
