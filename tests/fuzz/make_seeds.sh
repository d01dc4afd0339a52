#!/usr/bin/env bash
# tests/fuzz/make_seeds.sh - writes the small committed seed sets of tests/fuzz/seeds/ with the
# openssl CLI and the fixture keys (tests/data/keys). Run once; the outputs are committed so
# that the replay tests and scripts/fuzz do not depend on openssl's exact output.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
keys="$here/../data/keys"
seeds="$here/seeds"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$seeds/import" "$seeds/csr" "$seeds/serial"

ca_ext="$tmp/ca.ext"
cat >"$ca_ext" <<'X'
[root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[sub]
basicConstraints = critical, CA:TRUE, pathlen:1
keyUsage = critical, keyCertSign, cRLSign, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
certificatePolicies = 2.5.29.32.0
[sub2]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
nameConstraints = critical, permitted;DNS:example.com
X
dates=(-days 3650)
openssl req -new -x509 -key "$keys/p384.pem" -subj "/C=US/O=pca fuzz/CN=Fuzz Root" -sha384 "${dates[@]}" \
  -extensions root -config "$ca_ext" -set_serial 0x1001 -out "$tmp/root.pem" 2>/dev/null
openssl req -new -key "$keys/rsa2048.pem" -subj "/C=US/O=pca fuzz/CN=Fuzz Sub" -out "$tmp/sub.csr"
openssl x509 -req -in "$tmp/sub.csr" -CA "$tmp/root.pem" -CAkey "$keys/p384.pem" -sha256 "${dates[@]}" \
  -extfile "$ca_ext" -extensions sub -set_serial 0x2002 -out "$tmp/sub.pem" 2>/dev/null
openssl req -new -key "$keys/p256.pem" -subj "/C=US/O=pca fuzz/CN=Fuzz Sub 2" -out "$tmp/sub2.csr"
openssl x509 -req -in "$tmp/sub2.csr" -CA "$tmp/sub.pem" -CAkey "$keys/rsa2048.pem" -sha256 "${dates[@]}" \
  -extfile "$ca_ext" -extensions sub2 -set_serial 0x3003 -out "$tmp/sub2.pem" 2>/dev/null
cat "$tmp/root.pem" >"$seeds/import/root.pem"
cat "$tmp/sub.pem" "$tmp/root.pem" >"$seeds/import/sub-root.pem"
cat "$tmp/sub2.pem" "$tmp/sub.pem" "$tmp/root.pem" >"$seeds/import/sub2-sub-root.pem"
cat "$tmp/sub2.pem" "$tmp/root.pem" "$tmp/sub.pem" >"$seeds/import/sub2-wrong-order.pem"
{ echo "explanatory text before the block"; cat "$tmp/sub.pem"; echo; echo "between blocks"; cat "$tmp/root.pem"; } >"$seeds/import/sub-root-with-text.pem"

# CSRs for the end-entity keys, with the extensions a passthrough template copies.
openssl req -new -key "$keys/ee-p256.pem" -subj "/C=US/O=pca fuzz/CN=ee.example.com" -outform DER \
  -out "$seeds/csr/ee-p256-plain.der"
openssl req -new -key "$keys/ee-p256.pem" -subj "/CN=ee.example.com" -outform DER -out "$seeds/csr/ee-p256-exts.der" \
  -addext "subjectAltName=DNS:ee.example.com,IP:192.0.2.1,email:a@example.com,URI:https://example.com/x" \
  -addext "keyUsage=critical,digitalSignature" -addext "extendedKeyUsage=serverAuth,clientAuth" \
  -addext "certificatePolicies=1.2.3.4" -addext "basicConstraints=critical,CA:FALSE" \
  -addext "nameConstraints=critical,permitted;DNS:example.com" -addext "1.2.3.4.5=DER:0500"
openssl req -new -key "$keys/ee-rsa2048.pem" -subj "/O=pca fuzz" -out "$seeds/csr/ee-rsa2048-san-only.pem" \
  -addext "subjectAltName=DNS:*.example.com,dirName:dir_sect" -config <(printf '[req]\ndistinguished_name=dn\n[dn]\n[dir_sect]\nCN=dir\n')
openssl req -new -key "$keys/ee-rsa2048.pem" -subj "/CN=pss" -sigopt rsa_padding_mode:pss -sha384 -outform DER \
  -out "$seeds/csr/ee-rsa2048-pss.der"

printf '%s' "6707447683a9b7f41d5d02b6c3e1a2f0" >"$seeds/serial/hex"
printf '%s' "00:e8:cb:d2:be:db:12:23:29:f9:7c:2b:1b:27:25:1e" >"$seeds/serial/colon"
printf '%s' "7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF" >"$seeds/serial/max-20-octets"
printf '%s' "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/11111111-2222-3333-4444-555555555555/certificate/6707447683a9b7f4" >"$seeds/serial/certificate-arn"
printf '%s' "arn:aws:acm-pca:::template/EndEntityCertificate_APIPassthrough/V1" >"$seeds/serial/template-arn"
echo "seeds written under $seeds"
