#!/usr/bin/env bash
# Makes the test-only key fixtures in tests/data/keys/ (PKCS#8 PEM, unencrypted) with the
# openssl CLI, so the test suite does not spend its time generating RSA-4096 keys.
# These keys protect nothing; never use them outside the tests.
set -euo pipefail
cd "$(dirname "$0")/keys"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa2048.pem
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out rsa3072.pem
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:4096 -out rsa4096.pem
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out p256.pem
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out p384.pem
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-521 -out p521.pem
# end-entity keys for CSRs made by OpenSSL in the tests
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ee-p256.pem
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out ee-rsa2048.pem
